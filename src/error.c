/*
 * error.c - the ck_error record: first error wins, never printed here
 * SPDX-License-Identifier: MIT
 */
#include "ckcohort/ckcohort.h"
#include "util.h"

#include <stdarg.h>
#include <string.h>

enum ck_status ck_error_set(struct ck_error *err, enum ck_status code,
                            const char *file, long line, const char *column,
                            const char *fmt, ...) {
  if (err == NULL || err->code != CK_OK)
    return code;
  err->code = code;
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  err->line = line;
  snprintf(err->column, sizeof err->column, "%s", column ? column : "");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->text, sizeof err->text, fmt, ap);
  va_end(ap);
  return code;
}

void ck_error_clear(struct ck_error *err) {
  if (err != NULL)
    memset(err, 0, sizeof *err);
}

const char *ck_version(void) { return CKCOHORT_VERSION; }
