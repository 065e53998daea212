/*
 * rejects.c - the --rejects file: every rejected row with where and why
 * SPDX-License-Identifier: MIT
 *
 * One CSV row per reject: file, line, column, value, reason and the row's
 * bytes as read.  Fields are quoted only when they must be (a comma, quote
 * or line break, or a space at either end), so a rejected row's bytes read
 * back as the same text; a cell that would start a spreadsheet formula is
 * prefixed with ' (below).
 */
#include "ckcohort/ingest.h"
#include "cohort.h"

#include <stdio.h>
#include <string.h>

/* A cell a spreadsheet would run as a formula (starting with = + - @ tab
 * or CR) gets a leading single quote, as export's cells do: the values and
 * rows written here come straight from the input files. */
static int put_field(FILE *out, const char *s, size_t n, bool last) {
  bool q = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
  bool guard = n > 0 && memchr("=+-@\t\r", s[0], 6) != NULL;
  for (size_t i = 0; i < n && !q; i++)
    q = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!q && guard && putc('\'', out) == EOF)
    return -1;
  if (q) {
    if (putc('"', out) == EOF || (guard && putc('\'', out) == EOF))
      return -1;
    for (size_t i = 0; i < n; i++) {
      if (s[i] == '"' && putc('"', out) == EOF)
        return -1;
      if (putc(s[i], out) == EOF)
        return -1;
    }
    if (putc('"', out) == EOF)
      return -1;
  } else if (n > 0 && fwrite(s, 1, n, out) != n) {
    return -1;
  }
  return putc(last ? '\n' : ',', out) == EOF ? -1 : 0;
}

static int put_str(FILE *out, const char *s, bool last) {
  return put_field(out, s ? s : "", s ? strlen(s) : 0, last);
}

enum ck_status ck_cohort_write_rejects(FILE *out, const struct ck_cohort *c) {
  if (fputs("file,line,column,value,reason,row\n", out) == EOF)
    return CK_EIO;
  for (size_t i = 0; i < c->n_issues; i++) {
    const struct ck_issue *is = &c->issues[i];
    if (is->kind != CK_ISSUE_REJECT)
      continue;
    char line[32];
    snprintf(line, sizeof line, "%ld", is->line);
    if (put_str(out, c->inputs[is->input].path, false) ||
        put_str(out, line, false) || put_str(out, is->column, false) ||
        put_str(out, is->value, false) || put_str(out, is->reason, false) ||
        put_str(out, is->raw, true))
      return CK_EIO;
  }
  return ferror(out) ? CK_EIO : CK_OK;
}
