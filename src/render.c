/*
 * render.c - renderer table and the formatting helpers all formats share
 * SPDX-License-Identifier: MIT
 */
#include "ckcohort/render.h"
#include "render_util.h"
#include "util.h"
#include "config_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

ck_render_fn ck_renderer(const char *format) {
  static const struct {
    const char *name;
    ck_render_fn fn;
  } table[] = {{"text", ck_render_text}, {"txt", ck_render_text},
               {"md", ck_render_md},     {"markdown", ck_render_md},
               {"json", ck_render_json}, {"html", ck_render_html},
               {"pdf", ck_render_pdf}};
  if (format == NULL)
    return NULL;
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (strcmp(format, table[i].name) == 0)
      return table[i].fn;
  return NULL;
}

/* ---- numbers ---- */

/* printf a double ('f': "%.*f", '+': "%+.*f", 'g': "%#.*g"), then make it
 * locale-independent ('.' decimal point) and drop the sign of a negative
 * zero ("-0.0" -> "0.0"). */
static const char *num(char *buf, char kind, int prec, double x) {
  if (kind == '+')
    snprintf(buf, CK_FMT_CAP, "%+.*f", prec, x);
  else if (kind == 'g')
    snprintf(buf, CK_FMT_CAP, "%#.*g", prec, x);
  else
    snprintf(buf, CK_FMT_CAP, "%.*f", prec, x);
  bool nonzero = false;
  for (char *p = buf; *p; p++) {
    if (*p == ',')
      *p = '.';
    if (*p >= '1' && *p <= '9')
      nonzero = true;
  }
  if (!nonzero && buf[0] == '-')
    memmove(buf, buf + 1, strlen(buf));
  return buf;
}

static const char *ned(char *buf) {
  snprintf(buf, CK_FMT_CAP, "%s", CK_TXT_NED);
  return buf;
}

const char *ck_fmt_pct_num(char *buf, double p) {
  return isfinite(p) ? num(buf, 'f', 1, p * 100.0) : ned(buf);
}

const char *ck_fmt_pct(char *buf, double p) {
  if (!isfinite(p))
    return ned(buf);
  num(buf, 'f', 1, p * 100.0);
  strcat(buf, "%");
  return buf;
}

const char *ck_fmt_pp(char *buf, double d) {
  if (!isfinite(d))
    return ned(buf);
  num(buf, '+', 1, d * 100.0);
  if (strcmp(buf, "+0.0") == 0)
    strcpy(buf, "0.0");
  return buf;
}

const char *ck_fmt_score(char *buf, double x) {
  return isfinite(x) ? num(buf, 'f', 1, x) : ned(buf);
}

const char *ck_fmt_change(char *buf, double x) {
  if (!isfinite(x))
    return ned(buf);
  num(buf, '+', 1, x);
  if (strcmp(buf, "+0.0") == 0)
    strcpy(buf, "0.0");
  return buf;
}

const char *ck_fmt_p(char *buf, double p) {
  if (!isfinite(p) || p < 0)
    return ned(buf);
  if (p < 0.001) {
    strcpy(buf, "< 0.001");
    return buf;
  }
  return num(buf, 'g', 3, p > 1.0 ? 1.0 : p);
}

const char *ck_fmt_ratio(char *buf, double x) {
  if (isinf(x) && x > 0) {
    strcpy(buf, "∞");
    return buf;
  }
  if (!isfinite(x))
    return ned(buf);
  if (x == 0.0) {
    strcpy(buf, "0");
    return buf;
  }
  return num(buf, 'f', 2, x);
}

const char *ck_fmt_stat(char *buf, double x) {
  return isfinite(x) ? num(buf, 'f', 2, x) : ned(buf);
}

const char *ck_fmt_coef(char *buf, double x) {
  return isfinite(x) ? num(buf, 'f', 3, x) : ned(buf);
}

const char *ck_fmt_conf(char *buf, double conf) {
  if (!isfinite(conf))
    return ned(buf);
  double pc = conf * 100.0;
  num(buf, 'f', fabs(pc - round(pc)) < 1e-9 ? 0 : 1, pc);
  strcat(buf, "%");
  return buf;
}

const char *ck_fmt_date(char *buf, int32_t days) {
  int y, m, d;
  ck_civil_from_days(days, &y, &m, &d);
  snprintf(buf, CK_FMT_CAP, "%04d-%02d-%02d", y, m, d);
  return buf;
}

const char *ck_fmt_time(char *buf, long long t) {
  buf[0] = '\0';
  if (t < 0)
    return buf;
  time_t tt = (time_t)t;
  struct tm tm;
  if (gmtime_r(&tt, &tm) == NULL)
    return buf;
  strftime(buf, CK_FMT_CAP, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

const char *ck_fmt_day(char *buf, long long t) {
  ck_fmt_time(buf, t);
  buf[buf[0] ? 10 : 0] = '\0';
  return buf;
}

const char *ck_fmt_thousands(char *buf, size_t n) {
  char digits[32];
  int len = snprintf(digits, sizeof digits, "%zu", n);
  size_t o = 0;
  for (int i = 0; i < len; i++) {
    if (i > 0 && (len - i) % 3 == 0)
      buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = '\0';
  return buf;
}

void ck_cohort_line(char *buf, size_t cap, size_t applicants, int year_min,
                    int year_max) {
  char n[CK_FMT_CAP];
  ck_fmt_thousands(n, applicants);
  if (year_min <= 0)
    snprintf(buf, cap, "%s applicant%s", n, applicants == 1 ? "" : "s");
  else if (year_min == year_max)
    snprintf(buf, cap, "%s applicant%s, Match year %d", n,
             applicants == 1 ? "" : "s", year_min);
  else
    snprintf(buf, cap, "%s applicant%s, Match years %d–%d", n,
             applicants == 1 ? "" : "s", year_min, year_max);
}

void ck_page_cohort_line(char *buf, size_t cap, size_t n_inputs,
                         size_t applicants, int year_min, int year_max) {
  char rest[200];
  ck_cohort_line(rest, sizeof rest, applicants, year_min, year_max);
  snprintf(buf, cap, "%zu input file%s, %s", n_inputs, n_inputs == 1 ? "" : "s",
           rest);
}

int ck_coded_percent(const struct ck_rate *q, enum ck_shown state) {
  double b = isfinite(q->bound) ? q->bound * 100.0 : 0.0;
  double v = state == CK_CODED_LE ? ceil(b - 1e-9) : floor(b + 1e-9);
  if (v < 0)
    v = 0;
  if (v > 100)
    v = 100;
  return (int)v;
}

/* Concatenate NULL-ended strings into buf (CK_FMT_CAP bytes), truncating. */
static const char *join(char *buf, ...) {
  va_list ap;
  va_start(ap, buf);
  size_t len = 0;
  for (const char *s = va_arg(ap, const char *); s != NULL;
       s = va_arg(ap, const char *)) {
    size_t n = strlen(s);
    if (n > CK_FMT_CAP - 1 - len)
      n = CK_FMT_CAP - 1 - len;
    memcpy(buf + len, s, n);
    len += n;
  }
  va_end(ap);
  buf[len] = '\0';
  return buf;
}

/* ---- cells and rates ---- */

enum ck_shown ck_cell_state(const struct ck_report *r, size_t cell) {
  if (cell >= r->n_cells)
    return CK_NOT_ENOUGH_DATA;
  switch (r->cells[cell].shown) {
  case CK_SHOWN:
    return CK_SHOWN;
  case CK_HIDDEN_SMALL:
  case CK_HIDDEN_COMPLEMENT:
    /* one label for both: telling small from complementary counts would
     * help an attacker narrow them (docs/privacy.md) */
    return CK_HIDDEN_COMPLEMENT;
  default:
    return CK_HIDDEN_DERIVED; /* any other state: withheld */
  }
}

bool ck_cell_is_shown(const struct ck_report *r, size_t cell) {
  return ck_cell_state(r, cell) == CK_SHOWN;
}

const char *ck_fmt_count(char *buf, const struct ck_report *r, size_t cell) {
  switch (ck_cell_state(r, cell)) {
  case CK_SHOWN:
    snprintf(buf, CK_FMT_CAP, "%ld", r->cells[cell].value);
    break;
  case CK_NOT_ENOUGH_DATA:
    ned(buf);
    break;
  default:
    snprintf(buf, CK_FMT_CAP, "%s", CK_TXT_WITHHELD);
    break;
  }
  return buf;
}

enum ck_shown ck_rate_state(const struct ck_report *r,
                            const struct ck_rate *q) {
  switch (q->shown) {
  case CK_SHOWN:
    if (!ck_cell_is_shown(r, q->n) || !ck_cell_is_shown(r, q->x))
      return CK_HIDDEN_DERIVED;
    if (!isfinite(q->est.estimate) || !isfinite(q->est.lo) ||
        !isfinite(q->est.hi))
      return CK_NOT_ENOUGH_DATA;
    return CK_SHOWN;
  case CK_CODED_LE:
  case CK_CODED_GE:
    return isfinite(q->bound) ? q->shown : CK_NOT_ENOUGH_DATA;
  case CK_NOT_ENOUGH_DATA:
    return CK_NOT_ENOUGH_DATA;
  default:
    return CK_HIDDEN_DERIVED;
  }
}

const char *ck_fmt_rate(char *buf, const struct ck_report *r,
                        const struct ck_rate *q, bool compact) {
  enum ck_shown s = ck_rate_state(r, q);
  char e[CK_FMT_CAP], lo[CK_FMT_CAP], hi[CK_FMT_CAP], c[CK_FMT_CAP];
  switch (s) {
  case CK_SHOWN:
    ck_fmt_pct(e, q->est.estimate);
    ck_fmt_pct_num(lo, q->est.lo);
    ck_fmt_pct_num(hi, q->est.hi);
    if (compact)
      join(buf, e, " (", lo, "–", hi, ")", (const char *)NULL);
    else
      join(buf, e, " (", ck_fmt_conf(c, r->confidence), " CI ", lo, "–", hi,
           ")", (const char *)NULL);
    break;
  case CK_CODED_LE:
    snprintf(buf, CK_FMT_CAP, "≤ %d%%", ck_coded_percent(q, s));
    break;
  case CK_CODED_GE:
    snprintf(buf, CK_FMT_CAP, "≥ %d%%", ck_coded_percent(q, s));
    break;
  case CK_NOT_ENOUGH_DATA:
    ned(buf);
    break;
  default:
    snprintf(buf, CK_FMT_CAP, "%s", CK_TXT_WITHHELD);
    break;
  }
  return buf;
}

const char *ck_adj_problem_id(enum ck_adj_problem p) {
  switch (p) {
  case CK_ADJ_SEPARATION:
    return "separation";
  case CK_ADJ_NOT_CONVERGED:
    return "not_converged";
  case CK_ADJ_GROUP_COLLINEAR:
    return "group_collinear";
  case CK_ADJ_ZERO_CELLS:
    return "zero_cells";
  case CK_ADJ_NO_DATA:
    return "no_data";
  default:
    return NULL;
  }
}

const char *ck_shown_reason(enum ck_shown s) {
  switch (s) {
  case CK_SHOWN:
    return "";
  case CK_HIDDEN_SMALL:
  case CK_HIDDEN_COMPLEMENT:
    return "withheld";
  case CK_CODED_LE:
  case CK_CODED_GE:
    return "coded";
  case CK_NOT_ENOUGH_DATA:
    return "not_enough_data";
  default:
    return "derived";
  }
}

enum ck_stat_why ck_stats_why_said(const struct ck_report *r,
                                   enum ck_stat_why why, size_t n,
                                   const size_t *cats) {
  /* With the group's size withheld its row says so, and nothing more may
   * be said: that a release's rule held would tell the size to within
   * min_cell of the earlier release's.  A nested group's difference is
   * told only beside both sizes (it is their difference). */
  if (!ck_cell_is_shown(r, n))
    return CK_WHY_NONE;
  size_t inner = cats != NULL ? r->score_change.n : r->regression.n;
  if (why == CK_WHY_NESTED && !ck_cell_is_shown(r, inner))
    return CK_WHY_NONE;
  return why == CK_WHY_GROUP ? CK_WHY_NONE : why;
}

const char *ck_stats_why(char *buf, size_t cap, const struct ck_report *r,
                         enum ck_stat_why why, size_t n, const size_t *cats) {
  size_t hidden = 0;
  why = ck_stats_why_said(r, why, n, cats);
  for (int k = 0; cats != NULL && k < CK_CHANGE_NCAT; k++)
    hidden += !ck_cell_is_shown(r, cats[k]);
  switch (why) {
  case CK_WHY_CATEGORIES:
    if (hidden == CK_CHANGE_NCAT)
      snprintf(buf, cap,
               "The statistics are withheld although n is shown: all %d "
               "change categories below are withheld, and a mean, spread, "
               "quartiles, share or signed-rank p over them would let a "
               "reader work those counts out.",
               CK_CHANGE_NCAT);
    else
      snprintf(buf, cap,
               "The statistics are withheld although n is shown: %zu of the "
               "%d change categories below %s withheld, and a mean, spread, "
               "quartiles, share or signed-rank p over them would let a "
               "reader work those counts out.",
               hidden, CK_CHANGE_NCAT, hidden == 1 ? "is" : "are");
    break;
  case CK_WHY_NESTED:
    snprintf(buf, cap,
             "The statistics are withheld although n is shown: those of the "
             "low-pass retakers, a group inside this one, are shown, and the "
             "other members are fewer than %zu, whom subtracting the one from "
             "the other would describe.",
             r->min_cell);
    break;
  case CK_WHY_RELEASE:
    snprintf(buf, cap,
             "The statistics are withheld: an earlier release in the release "
             "ledger published them for fewer students, and the students "
             "added since are fewer than %zu, whom subtracting the one from "
             "the other would describe.",
             r->min_cell);
    break;
  default:
    buf[0] = '\0';
  }
  return buf;
}

size_t ck_utf8_width(const char *s) {
  size_t w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p & 0xC0) != 0x80)
      w++;
  return w;
}

int ck_group_depth(enum ck_group_id g) {
  int d = 0;
  for (int p = ck_group_parent(g); p >= 0 && d < CK_G_COUNT;
       p = ck_group_parent((enum ck_group_id)p))
    d++;
  return d;
}

const char *ck_change_label(enum ck_change_cat c) {
  if ((unsigned)c >= CK_CHANGE_NCAT)
    return "unknown";
  const char *l = ck_group_label((enum ck_group_id)(CK_G_LPR_LOWER + (int)c));
  const char *prefix = "Retook: ";
  if (strncmp(l, prefix, strlen(prefix)) == 0)
    l += strlen(prefix);
  return l;
}

/* ---- tables ---- */

struct ck_table *ck_table_new(const char *align, ...) {
  struct ck_table *t = ck_xcalloc(1, sizeof *t);
  t->ncols = strlen(align);
  if (t->ncols >= sizeof t->align)
    t->ncols = sizeof t->align - 1;
  memcpy(t->align, align, t->ncols);
  va_list ap;
  va_start(ap, align);
  t->cap = 8;
  t->cells = ck_xcalloc(t->cap * t->ncols, sizeof *t->cells);
  t->indent = ck_xcalloc(t->cap, sizeof *t->indent);
  for (size_t c = 0; c < t->ncols; c++) {
    const char *h = va_arg(ap, const char *);
    t->cells[c] = ck_xstrdup(h ? h : "");
  }
  va_end(ap);
  t->nrows = 1;
  return t;
}

void ck_table_row(struct ck_table *t, int indent, ...) {
  if (t->nrows == t->cap) {
    size_t cap = t->cap * 2;
    t->cells = ck_xrealloc(t->cells, cap * t->ncols * sizeof *t->cells);
    t->indent = ck_xrealloc(t->indent, cap * sizeof *t->indent);
    t->cap = cap;
  }
  va_list ap;
  va_start(ap, indent);
  for (size_t c = 0; c < t->ncols; c++) {
    const char *s = va_arg(ap, const char *);
    t->cells[t->nrows * t->ncols + c] = ck_xstrdup(s ? s : "");
  }
  va_end(ap);
  t->indent[t->nrows++] = indent;
}

void ck_table_free(struct ck_table *t) {
  if (t == NULL)
    return;
  for (size_t i = 0; i < t->nrows * t->ncols; i++)
    free(t->cells[i]);
  free(t->cells);
  free(t->indent);
  free(t);
}

/* ---- wrapping ---- */

void ck_wrap(FILE *out, const char *text, size_t width, const char *first,
             size_t indent) {
  size_t col = ck_utf8_width(first);
  fputs(first, out);
  bool line_empty = true;
  const char *p = text;
  while (*p) {
    while (*p == ' ')
      p++;
    if (*p == '\0')
      break;
    const char *e = p;
    while (*e && *e != ' ')
      e++;
    /* keep "≤ 20%", "≥ 95%" and "< 0.001" on one line */
    size_t wl = (size_t)(e - p);
    if (((wl == 3 && (memcmp(p, "≤", 3) == 0 || memcmp(p, "≥", 3) == 0)) ||
         (wl == 1 && *p == '<')) &&
        e[0] == ' ' && e[1] != ' ' && e[1] != '\0') {
      e++;
      while (*e && *e != ' ')
        e++;
    }
    char word[1024];
    size_t len = (size_t)(e - p);
    const char *w = p;
    if (len < sizeof word) {
      memcpy(word, p, len);
      word[len] = '\0';
      w = word;
    }
    size_t ww = len < sizeof word ? ck_utf8_width(word) : len;
    if (!line_empty && col + 1 + ww > width) {
      fputc('\n', out);
      for (size_t i = 0; i < indent; i++)
        fputc(' ', out);
      col = indent;
      line_empty = true;
    }
    if (!line_empty) {
      fputc(' ', out);
      col++;
    }
    fwrite(w, 1, len, out);
    col += ww;
    line_empty = false;
    p = e;
  }
  fputc('\n', out);
}
