/*
 * render_md.c - the report as Markdown (CommonMark + GitHub pipe tables)
 * SPDX-License-Identifier: MIT
 */
#include "ckcohort/render.h"
#include "render_util.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct md_doc {
  struct ck_doc d; /* first member */
  bool started;
};

/* The one escaping helper of this format.  Every string is escaped, ours
 * and the input files' (specialty names, paths, reasons): Markdown and HTML
 * punctuation gets a backslash ('&' becomes "&amp;"), and control
 * characters (a newline inside a quoted CSV field) become spaces, so a name
 * can neither break a table row nor inject markup. */
static void md_escape(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    unsigned char ch = *p;
    if (ch < 0x20 || ch == 0x7f)
      fputc(' ', out);
    else if (ch == '&')
      fputs("&amp;", out);
    else if (strchr("\\`*_[]<>|#~!", ch) != NULL) {
      fputc('\\', out);
      fputc(ch, out);
    } else
      fputc(ch, out);
  }
}

static void block_start(struct ck_doc *d, bool is_item) {
  struct md_doc *m = (struct md_doc *)d;
  if (m->started && !(is_item && d->in_list))
    fputc('\n', d->out);
  m->started = true;
}

static void m_heading(struct ck_doc *d, int level, const char *text) {
  block_start(d, false);
  for (int i = 0; i < level && i < 6; i++)
    fputc('#', d->out);
  fputc(' ', d->out);
  md_escape(d->out, text);
  fputc('\n', d->out);
}

static void m_para(struct ck_doc *d, const char *text) {
  block_start(d, false);
  md_escape(d->out, text);
  fputc('\n', d->out);
}

static void m_item(struct ck_doc *d, const char *text) {
  block_start(d, true);
  fputs("- ", d->out);
  md_escape(d->out, text);
  fputc('\n', d->out);
}

static void m_table(struct ck_doc *d, const struct ck_table *t) {
  block_start(d, false);
  size_t nc = t->ncols;
  for (size_t i = 0; i < t->nrows; i++) {
    fputc('|', d->out);
    for (size_t c = 0; c < nc; c++) {
      fputc(' ', d->out);
      if (c == 0)
        for (int k = 0; k < t->indent[i]; k++)
          fputs("&nbsp;&nbsp;", d->out);
      const char *s = t->cells[i * nc + c];
      md_escape(d->out, s);
      fputs(s[0] ? " |" : "  |", d->out);
    }
    fputc('\n', d->out);
    if (i == 0) {
      fputc('|', d->out);
      for (size_t c = 0; c < nc; c++)
        fputs(t->align[c] == 'r' ? " ---: |" : " --- |", d->out);
      fputc('\n', d->out);
    }
  }
}

static const struct ck_doc_ops md_ops = {m_heading, m_para, m_item,
                                         m_table,   NULL,   NULL};

enum ck_status ck_render_md(FILE *out, const struct ck_report *r) {
  struct md_doc m = {{out, &md_ops, false}, false};
  return ck_render_doc(&m.d, r);
}

enum ck_status ck_doc_run_md(FILE *out, ck_doc_body_fn body, const void *arg) {
  struct md_doc m = {{out, &md_ops, false}, false};
  enum ck_status s = body(&m.d, arg);
  if (fflush(out) != 0 || ferror(out))
    return CK_EIO;
  return s;
}
