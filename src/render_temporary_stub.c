/*
 * render_temporary_stub.c - TEMPORARY stand-in for the render branch so the
 * report command links; delete when `render` is merged.
 * SPDX-License-Identifier: MIT
 */
#include "ckcohort/render.h"

#include <string.h>

static enum ck_status stub(FILE *out, const struct ck_report *r) {
  fprintf(out, "{\"schema_version\": %d, \"read\": %zu, \"accepted\": %zu, "
               "\"groups\": [",
          CK_SCHEMA_VERSION, r->read, r->accepted);
  for (int g = 0; g < CK_G_COUNT; g++) {
    const struct ck_cell *n = &r->cells[r->groups[g].n];
    fprintf(out, "%s{\"id\": \"%s\", \"n\": ", g ? ", " : "",
            ck_group_key((enum ck_group_id)g));
    if (n->shown == CK_SHOWN)
      fprintf(out, "%ld}", n->value);
    else
      fputs("null}", out);
  }
  fputs("]}\n", out);
  return ferror(out) ? CK_EIO : CK_OK;
}

enum ck_status ck_render_text(FILE *out, const struct ck_report *r) {
  return stub(out, r);
}
enum ck_status ck_render_md(FILE *out, const struct ck_report *r) {
  return stub(out, r);
}
enum ck_status ck_render_json(FILE *out, const struct ck_report *r) {
  return stub(out, r);
}

ck_render_fn ck_renderer(const char *format) {
  if (strcmp(format, "text") == 0)
    return ck_render_text;
  if (strcmp(format, "md") == 0)
    return ck_render_md;
  if (strcmp(format, "json") == 0)
    return ck_render_json;
  return NULL;
}
