/*
 * ask_questions.c - the questions file of `ask --questions`: many students'
 * questions, one CSV row each, for sheets built from one context
 * SPDX-License-Identifier: MIT
 *
 * The file is the advisor's, small and typed by hand or exported from a
 * spreadsheet: it is read whole, then fed to libcsv line by line so that
 * every message can name the line a row starts on.
 */
#include "ckcohort/ask.h"
#include "util.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_BYTES     (16u << 20) /* a file of questions, not a cohort */
#define MAX_CELL      200         /* a specialty name or a label */
#define MAX_QUESTIONS 100000

enum col {
  C_ID,
  C_SCORE,
  C_PRACTICE,
  C_SPECIALTY,
  C_WEEKS,
  C_DATE,
  C_CYCLE,
  C_N
};
static const char *const col_names[C_N] = {
    "id", "score", "practice", "specialty", "weeks", "date", "cycle"};

struct reader {
  const char *path;
  const struct ck_ask_query *dflt;
  struct ck_error *err;
  struct ck_ask_questions *qs;
  size_t cap;
  long line;     /* line being fed */
  long row_line; /* line the current row started on */
  bool header_done, failed;
  int col_of[32]; /* header position -> enum col, -1 past the header */
  size_t n_head;
  char *cell[C_N]; /* the current row's cells by column (owned) */
  size_t n_fields;
};

static void fail(struct reader *r, enum ck_status code, long line,
                 const char *column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#include <stdarg.h>
static void fail(struct reader *r, enum ck_status code, long line,
                 const char *column, const char *fmt, ...) {
  if (r->failed)
    return;
  r->failed = true;
  char text[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  ck_error_set(r->err, code, r->path, line, column, "%s", text);
}

/* s[0..n) without the spaces and tabs around it, as a new string. */
static char *trimmed(const char *s, size_t n) {
  while (n > 0 && (*s == ' ' || *s == '\t'))
    s++, n--;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    n--;
  return ck_xstrndup(s, n);
}

static void clear_row(struct reader *r) {
  for (int i = 0; i < C_N; i++) {
    free(r->cell[i]);
    r->cell[i] = NULL;
  }
  r->n_fields = 0;
}

static void on_field(void *field, size_t len, void *data) {
  struct reader *r = data;
  if (r->failed)
    return;
  size_t pos = r->n_fields++;
  if (pos == 0)
    r->row_line = r->line;
  char *v = trimmed(field, len);
  if (!r->header_done) {
    if (pos >= sizeof r->col_of / sizeof r->col_of[0]) {
      fail(r, CK_EPARSE, r->line, NULL, "more than %zu columns in the header",
           sizeof r->col_of / sizeof r->col_of[0]);
      free(v);
      return;
    }
    int c = -1;
    for (int i = 0; i < C_N; i++)
      if (strcasecmp(v, col_names[i]) == 0)
        c = i;
    if (c < 0)
      fail(r, CK_EPARSE, r->line, NULL,
           "column %zu: unknown column \"%s\" (the columns are score, "
           "practice, specialty, weeks, date, cycle and id)",
           pos + 1, v);
    for (size_t i = 0; c >= 0 && i < pos; i++)
      if (r->col_of[i] == c)
        fail(r, CK_EPARSE, r->line, col_names[c],
             "column %zu: \"%s\" is column %zu again", pos + 1, v, i + 1);
    r->col_of[pos] = c;
    r->n_head = pos + 1;
    free(v);
    return;
  }
  if (pos >= r->n_head) {
    free(v);
    return; /* counted: the row end reports it */
  }
  if (strlen(v) > MAX_CELL) {
    fail(r, CK_EDATA, r->row_line, col_names[r->col_of[pos]],
         "column %zu: a value longer than %d characters", pos + 1, MAX_CELL);
    free(v);
    return;
  }
  r->cell[r->col_of[pos]] = v;
}

/* 1-based position of column c in the header. */
static size_t position(const struct reader *r, int c) {
  size_t pos = 0;
  while (pos < r->n_head && r->col_of[pos] != c)
    pos++;
  return pos + 1;
}

/* Whole number lo..hi in cell c, into *out; false after the message. */
static bool whole(struct reader *r, int c, long lo, long hi, int *out) {
  const char *s = r->cell[c];
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v < lo ||
      v > hi) {
    fail(r, CK_EDATA, r->row_line, col_names[c],
         "column %zu: \"%s\" is not a whole number %ld-%ld", position(r, c), s,
         lo, hi);
    return false;
  }
  *out = (int)v;
  return true;
}

static bool given(const struct reader *r, int c) {
  return r->cell[c] != NULL && r->cell[c][0] != '\0';
}

static void question(struct reader *r) {
  struct ck_ask_question *qu = &r->qs->v[r->qs->n];
  memset(qu, 0, sizeof *qu);
  if (r->dflt != NULL)
    qu->q = *r->dflt;
  else
    qu->q =
        (struct ck_ask_query){0, 0, NULL, -1, false, false, CK_NO_DATE, false};
  qu->q.specialty = NULL;
  qu->line = r->row_line;
  if (!given(r, C_SCORE)) {
    fail(r, CK_EDATA, r->row_line, "score",
         "column %zu: no score (every question needs one)",
         position(r, C_SCORE));
    return;
  }
  if (!whole(r, C_SCORE, 1, 300, &qu->q.score))
    return;
  if (given(r, C_PRACTICE) && !whole(r, C_PRACTICE, 1, 300, &qu->q.practice))
    return;
  if (given(r, C_WEEKS) && !whole(r, C_WEEKS, 0, 52, &qu->q.weeks))
    return;
  if (given(r, C_DATE)) {
    const char *s = r->cell[C_DATE];
    qu->q.today = ck_date_parse(s, strlen(s));
    if (qu->q.today == CK_NO_DATE) {
      fail(r, CK_EDATA, r->row_line, "date",
           "column %zu: \"%s\" is not a date YYYY-MM-DD", position(r, C_DATE),
           s);
      return;
    }
  }
  if (given(r, C_CYCLE)) {
    const char *s = r->cell[C_CYCLE];
    qu->q.applying_this_cycle = strcmp(s, "applying") == 0;
    qu->q.eras_submitted = strcmp(s, "eras_submitted") == 0;
    qu->q.not_applying = strcmp(s, "not_applying") == 0;
    if (!qu->q.applying_this_cycle && !qu->q.eras_submitted &&
        !qu->q.not_applying) {
      fail(r, CK_EDATA, r->row_line, "cycle",
           "column %zu: \"%s\" is not applying, eras_submitted or "
           "not_applying (or empty: not given)",
           position(r, C_CYCLE), s);
      return;
    }
  }
  /* defaults from the command line can contradict each other */
  if (qu->q.not_applying &&
      (qu->q.applying_this_cycle || qu->q.eras_submitted)) {
    fail(r, CK_EDATA, r->row_line, "cycle",
         "not applying this cycle contradicts %s",
         qu->q.eras_submitted ? "ERAS submitted" : "applying this cycle");
    return;
  }
  const char *sp = given(r, C_SPECIALTY) ? r->cell[C_SPECIALTY]
                   : r->dflt             ? r->dflt->specialty
                                         : NULL;
  if (sp != NULL)
    qu->q.specialty = qu->specialty = ck_xstrdup(sp);
  if (given(r, C_ID))
    qu->id = ck_xstrdup(r->cell[C_ID]);
  r->qs->n++;
}

static void on_row(int ch, void *data) {
  (void)ch;
  struct reader *r = data;
  if (r->failed)
    return;
  if (!r->header_done) {
    r->header_done = true;
    bool score = false;
    for (size_t i = 0; i < r->n_head; i++)
      score |= r->col_of[i] == C_SCORE;
    if (!score)
      fail(r, CK_EPARSE, r->row_line, "score",
           "no score column (the header must name score; optional: "
           "practice, specialty, weeks, date, cycle, id)");
    r->n_fields = 0;
    return;
  }
  if (r->n_fields != r->n_head) {
    fail(r, CK_EPARSE, r->row_line, NULL,
         "the row has %zu fields, the header %zu", r->n_fields, r->n_head);
    return;
  }
  if (r->qs->n == MAX_QUESTIONS) {
    fail(r, CK_ENOMEM, r->row_line, NULL, "more than %d questions",
         MAX_QUESTIONS);
    return;
  }
  if (r->qs->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 16;
    r->qs->v = ck_xrealloc(r->qs->v, r->cap * sizeof *r->qs->v);
  }
  question(r);
  clear_row(r);
}

/* The whole file, or NULL after the message. */
static char *slurp(struct reader *r, size_t *len) {
  FILE *f = fopen(r->path, "rb");
  if (f == NULL) {
    fail(r, CK_EIO, 0, NULL, "cannot open: %s", strerror(errno));
    return NULL;
  }
  char *buf = ck_xmalloc(MAX_BYTES + 1);
  size_t n = fread(buf, 1, MAX_BYTES + 1, f);
  bool bad = ferror(f);
  int e = errno;
  fclose(f);
  if (bad || n > MAX_BYTES) {
    fail(r, bad ? CK_EIO : CK_ENOMEM, 0, NULL, "%s",
         bad ? strerror(e) : "larger than 16 MiB: not a questions file");
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

struct ck_ask_questions *
ck_ask_questions_read(const char *path, const struct ck_ask_query *defaults,
                      struct ck_error *err) {
  struct reader r;
  memset(&r, 0, sizeof r);
  r.path = path;
  r.dflt = defaults;
  r.err = err;
  if (path == NULL) {
    ck_error_set(err, CK_EUSAGE, NULL, 0, NULL, "no questions file");
    return NULL;
  }
  size_t len = 0;
  char *buf = slurp(&r, &len);
  if (buf == NULL)
    return NULL;
  r.qs = ck_xcalloc(1, sizeof *r.qs);
  struct csv_parser p;
  csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
  size_t at = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  r.line = 1;
  while (at < len && !r.failed) {
    const char *nl = memchr(buf + at, '\n', len - at);
    size_t n = nl ? (size_t)(nl - (buf + at)) + 1 : len - at;
    if (csv_parse(&p, buf + at, n, on_field, on_row, &r) != n) {
      fail(&r, CK_EPARSE, r.line, NULL, "not CSV: %s",
           csv_strerror(csv_error(&p)));
      break;
    }
    at += n;
    if (nl)
      r.line++;
  }
  /* strict libcsv refuses only an open quote at the end */
  if (!r.failed && csv_fini(&p, on_field, on_row, &r) != 0)
    fail(&r, CK_EPARSE, len > 0 && buf[len - 1] == '\n' ? r.line - 1 : r.line,
         NULL, "not CSV: a quoted field is not closed by the end of the file");
  csv_free(&p);
  free(buf);
  clear_row(&r);
  if (!r.failed && !r.header_done)
    fail(&r, CK_EPARSE, 1, NULL, "empty: no header");
  else if (!r.failed && r.qs->n == 0)
    fail(&r, CK_EDATA, r.line, NULL, "no questions after the header");
  if (r.failed) {
    ck_ask_questions_free(r.qs);
    return NULL;
  }
  return r.qs;
}

void ck_ask_questions_free(struct ck_ask_questions *qs) {
  if (qs == NULL)
    return;
  for (size_t i = 0; i < qs->n; i++) {
    free(qs->v[i].specialty);
    free(qs->v[i].id);
  }
  free(qs->v);
  free(qs);
}
