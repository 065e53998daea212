/*
 * render_text.c - the report as UTF-8 text for a terminal, 80 columns
 * SPDX-License-Identifier: MIT
 *
 * Paragraphs are wrapped at 80 columns; a table wider than 80 columns is
 * split into several tables that each repeat the first column.
 */
#include "ckcohort/render.h"
#include "render_util.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define WIDTH 80
#define GAP   2

struct text_doc {
  struct ck_doc d; /* first member */
  bool started;
};

/* The one escaping helper of this format: text from input files must not
 * reach a terminal as control characters (escape sequences, newlines). */
static char *text_escape(const char *s) {
  char *o = ck_xstrdup(s ? s : "");
  for (unsigned char *p = (unsigned char *)o; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      *p = ' ';
  return o;
}

static void block_start(struct ck_doc *d, bool is_item) {
  struct text_doc *t = (struct text_doc *)d;
  if (t->started && !(is_item && d->in_list))
    fputc('\n', d->out);
  t->started = true;
}

static void t_heading(struct ck_doc *d, int level, const char *text) {
  block_start(d, false);
  char *s = text_escape(text);
  fprintf(d->out, "%s\n", s);
  size_t w = ck_utf8_width(s);
  const char *u = level <= 1 ? "=" : level == 2 ? "-" : "~";
  for (size_t i = 0; i < w && i < WIDTH; i++)
    fputs(u, d->out);
  fputc('\n', d->out);
  free(s);
}

static void t_para(struct ck_doc *d, const char *text) {
  block_start(d, false);
  char *s = text_escape(text);
  ck_wrap(d->out, s, WIDTH, "", 0);
  free(s);
}

static void t_item(struct ck_doc *d, const char *text) {
  block_start(d, true);
  char *s = text_escape(text);
  ck_wrap(d->out, s, WIDTH, "  - ", 4);
  free(s);
}

static void pad(FILE *out, size_t n) {
  for (size_t i = 0; i < n; i++)
    fputc(' ', out);
}

static void t_table(struct ck_doc *d, const struct ck_table *t) {
  block_start(d, false);
  size_t nc = t->ncols, nr = t->nrows;
  char **cell = ck_xcalloc(nc * nr, sizeof *cell);
  size_t *w = ck_xcalloc(nc, sizeof *w);
  for (size_t i = 0; i < nr; i++)
    for (size_t c = 0; c < nc; c++) {
      char *s = text_escape(t->cells[i * nc + c]);
      if (c == 0 && t->indent[i] > 0) {
        size_t in = 2 * (size_t)t->indent[i];
        char *s2 = ck_xmalloc(in + strlen(s) + 1);
        memset(s2, ' ', in);
        strcpy(s2 + in, s);
        free(s);
        s = s2;
      }
      cell[i * nc + c] = s;
      size_t sw = ck_utf8_width(s);
      if (sw > w[c])
        w[c] = sw;
    }
  /* Pages of columns: column 0 on each page, then as many as fit. */
  size_t *cols = ck_xcalloc(nc, sizeof *cols);
  size_t c0 = 1;
  do {
    size_t m = 0, total = w[0];
    cols[m++] = 0;
    while (c0 < nc && (m == 1 || total + GAP + w[c0] <= WIDTH)) {
      total += GAP + w[c0];
      cols[m++] = c0++;
    }
    for (size_t i = 0; i < nr; i++) {
      size_t pending = 0; /* spaces not yet written: none at line ends */
      for (size_t j = 0; j < m; j++) {
        size_t k = cols[j];
        const char *s = cell[i * nc + k];
        size_t sw = ck_utf8_width(s);
        if (j > 0)
          pending += GAP;
        if (t->align[k] == 'r')
          pending += w[k] - sw;
        if (*s) {
          pad(d->out, pending);
          pending = 0;
          fputs(s, d->out);
        }
        if (t->align[k] != 'r')
          pending += w[k] - sw;
      }
      fputc('\n', d->out);
      if (i == 0) {
        for (size_t j = 0; j < m; j++) {
          if (j > 0)
            pad(d->out, GAP);
          for (size_t x = 0; x < w[cols[j]]; x++)
            fputc('-', d->out);
        }
        fputc('\n', d->out);
      }
    }
    if (c0 < nc)
      fputc('\n', d->out);
  } while (c0 < nc);
  free(cols);
  for (size_t i = 0; i < nc * nr; i++)
    free(cell[i]);
  free(cell);
  free(w);
}

static const struct ck_doc_ops text_ops = {t_heading, t_para, t_item,
                                           t_table,   NULL,   NULL};

enum ck_status ck_render_text(FILE *out, const struct ck_report *r) {
  struct text_doc t = {{out, &text_ops, false}, false};
  return ck_render_doc(&t.d, r);
}

enum ck_status ck_doc_run_text(FILE *out, ck_doc_body_fn body,
                               const void *arg) {
  struct text_doc t = {{out, &text_ops, false}, false};
  enum ck_status s = body(&t.d, arg);
  if (fflush(out) != 0 || ferror(out))
    return CK_EIO;
  return s;
}
