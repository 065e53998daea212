/*
 * export.c - tidy summary CSV files of the report (docs/export.md)
 * SPDX-License-Identifier: MIT
 *
 * Long form: one row per table x row x measure, the same columns in every
 * file.  The withholding rules are those of render_json.c, so every value
 * here is the JSON report's number or, when JSON has null, an empty cell.
 * Text cells go through libcsv's csv_fwrite (always quoted) after formula
 * neutralising; numbers are written bare so every spreadsheet types them
 * as numbers (and a negative number is never mistaken for a formula).
 */
#include "ckcohort/export.h"
#include "ckcohort/output.h"
#include "xlsx.h"
#include "render_util.h"
#include "util.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

const char *const ck_export_files[] = {
    "groups.csv",       "comparisons.csv",
    "adjusted.csv",     "by_specialty.csv",
    "by_year.csv",      "matched_into.csv",
    "score_change.csv", "practice_regression.csv",
    "rows.csv",         "data_dictionary.csv",
    "summary.xlsx",     NULL};

#define N_FILES 11
#define N_CSV   10 /* the CSV files; the workbook holds them all as sheets */

static const char *const columns[] = {
    "table",  "row_id",  "label",      "measure", "value",
    "ci_low", "ci_high", "suppressed", "reason",  "note"};
#define N_COLS    10
#define VALUE_COL 4 /* the column of "value" */

/* One row-writing sink: a CSV stream or a workbook sheet.  Every table is
 * written by the same code into both, so the workbook cannot say anything
 * the CSV files do not. */
struct w {
  FILE *fp;               /* CSV, or NULL */
  struct ck_xl_sheet *xs; /* workbook sheet, or NULL */
  bool excel;
  bool first;          /* no field written yet on this line */
  unsigned col;        /* column of the next cell */
  const char *measure; /* measure of the current row (number formats) */
};

/* Start a cell: the CSV separator, and the column it lands in. */
static unsigned next_col(struct w *w) {
  if (w->fp != NULL && !w->first)
    fputc(',', w->fp);
  w->first = false;
  return w->col++;
}

/* A text cell.  In CSV, cells that a spreadsheet would run as a formula
 * (starting with = + - @ tab or carriage return: OWASP ASVS 5.0 V1.2.10)
 * get a leading single quote; specialty names come from input files.  A
 * workbook stores text as text, never as a formula, so it needs no quote. */
static void text(struct w *w, const char *s) {
  unsigned c = next_col(w);
  s = s ? s : "";
  if (w->xs != NULL) {
    ck_xl_text(w->xs, c, s);
    return;
  }
  if (s[0] == '\0')
    return;
  if (strchr("=+-@\t\r", s[0]) != NULL) {
    size_t n = strlen(s);
    char *q = ck_xmalloc(n + 2);
    q[0] = '\'';
    memcpy(q + 1, s, n + 1);
    csv_fwrite(w->fp, q, n + 1);
    free(q);
  } else {
    csv_fwrite(w->fp, s, strlen(s));
  }
}

/* A number cell, bare; empty when not finite. */
static void number(struct w *w, double x) {
  unsigned c = next_col(w);
  if (!isfinite(x))
    return;
  if (w->xs != NULL) {
    ck_xl_number(w->xs, c, x, w->measure);
    return;
  }
  char b[64];
  /* 15 significant digits, as the JSON report (DBL_DIG) */
  snprintf(b, sizeof b, "%.15g", x);
  for (char *p = b; *p; p++)
    if (*p == ',')
      *p = '.';
  if (strcmp(b, "-0") == 0)
    strcpy(b, "0");
  fputs(b, w->fp);
}

static void integer(struct w *w, long v) {
  unsigned c = next_col(w);
  if (w->xs != NULL)
    ck_xl_integer(w->xs, c, v);
  else
    fprintf(w->fp, "%ld", v);
}

static void empty(struct w *w) { (void)next_col(w); }

static void eol(struct w *w) {
  if (w->xs != NULL)
    ck_xl_next_row(w->xs);
  else
    fputs(w->excel ? "\r\n" : "\n", w->fp);
  w->first = true;
  w->col = 0;
}

/* The fixed part of a row: table, row_id, label, measure. */
static void head(struct w *w, const char *table, const char *row_id,
                 const char *label, const char *measure) {
  w->measure = measure;
  text(w, table);
  text(w, row_id);
  text(w, label);
  text(w, measure);
}

/* The end of a row: suppressed, reason, note. */
static void tail(struct w *w, enum ck_shown s, const char *note) {
  if (w->xs != NULL && s != CK_SHOWN)
    ck_xl_withheld(w->xs, VALUE_COL, ck_shown_reason(s));
  text(w, s == CK_SHOWN ? "false" : "true");
  text(w, ck_shown_reason(s));
  text(w, note);
  eol(w);
}

static void count_row(struct w *w, const struct ck_report *r, const char *table,
                      const char *row_id, const char *label,
                      const char *measure, size_t cell, const char *note) {
  head(w, table, row_id, label, measure);
  enum ck_shown s = ck_cell_state(r, cell);
  if (s == CK_SHOWN)
    integer(w, r->cells[cell].value);
  else
    empty(w);
  empty(w);
  empty(w);
  tail(w, s, note);
}

/* An estimate with an interval, shown only when all three are finite. */
static void est_row(struct w *w, const char *table, const char *row_id,
                    const char *label, const char *measure, double e, double lo,
                    double hi, enum ck_shown s, const char *note) {
  bool ok = s == CK_SHOWN && isfinite(e) && isfinite(lo) && isfinite(hi);
  if (s == CK_SHOWN && !ok)
    s = CK_NOT_ENOUGH_DATA;
  head(w, table, row_id, label, measure);
  if (ok) {
    number(w, e);
    number(w, lo);
    number(w, hi);
  } else {
    empty(w);
    empty(w);
    empty(w);
  }
  tail(w, s, note);
}

static void rate_row(struct w *w, const struct ck_report *r, const char *table,
                     const char *row_id, const char *label, const char *measure,
                     const struct ck_rate *q, const char *note) {
  enum ck_shown s = ck_rate_state(r, q);
  char coded[64];
  if (s == CK_CODED_LE || s == CK_CODED_GE) {
    int pc = ck_coded_percent(q, s);
    snprintf(coded, sizeof coded, "%s%d.%02d",
             s == CK_CODED_LE ? "<=" : ">=", pc / 100, pc % 100);
    note = coded;
  }
  est_row(w, table, row_id, label, measure, q->est.estimate, q->est.lo,
          q->est.hi, s, note);
}

/* A scalar governed by state s. */
static void scalar_row(struct w *w, const char *table, const char *row_id,
                       const char *label, const char *measure, double x,
                       enum ck_shown s, const char *note) {
  bool ok = s == CK_SHOWN && isfinite(x);
  if (s == CK_SHOWN && !ok)
    s = CK_NOT_ENOUGH_DATA;
  head(w, table, row_id, label, measure);
  if (ok)
    number(w, x);
  else
    empty(w);
  empty(w);
  empty(w);
  tail(w, s, note);
}

/* Stable tier id, "" for no tier (an empty CSV cell). */
static const char *export_tier_id(enum ck_tier t) {
  const char *id = ck_tier_id(t);
  return id ? id : "";
}

/* ---- the files ---- */

static void f_groups(struct w *w, const struct ck_report *r) {
  const char *t = "groups";
  for (int g = 0; g < CK_G_COUNT; g++) {
    const struct ck_group_row *row = &r->groups[g];
    const char *id = ck_group_key((enum ck_group_id)g);
    const char *l = ck_group_label((enum ck_group_id)g);
    int p = ck_group_parent((enum ck_group_id)g);
    char note[128] = "";
    if (p >= 0)
      snprintf(note, sizeof note, "parent: %s",
               ck_group_key((enum ck_group_id)p));
    count_row(w, r, t, id, l, "n", row->n, note);
    count_row(w, r, t, id, l, "matched", row->matched, note);
    count_row(w, r, t, id, l, "unmatched", row->unmatched, note);
    rate_row(w, r, t, id, l, "match_rate", &row->match_rate, note);
    count_row(w, r, t, id, l, "with_target", row->with_target, note);
    count_row(w, r, t, id, l, "matched_target", row->matched_target, note);
    count_row(w, r, t, id, l, "missed_target", row->missed_target, note);
    rate_row(w, r, t, id, l, "target_rate", &row->target_rate, note);
    count_row(w, r, t, id, l, "with_program", row->with_program, note);
    count_row(w, r, t, id, l, "academic", row->academic, note);
    count_row(w, r, t, id, l, "not_academic", row->not_academic, note);
    rate_row(w, r, t, id, l, "academic_share", &row->academic_share, note);
  }
}

static void f_comparisons(struct w *w, const struct ck_report *r) {
  const char *t = "comparisons";
  for (size_t i = 0; i < r->n_comparisons && i < CK_MAX_COMPARISONS; i++) {
    const struct ck_comparison *k = &r->comparisons[i];
    enum ck_shown s = k->shown;
    if (s == CK_SHOWN &&
        (!isfinite(k->difference.estimate) || !isfinite(k->difference.lo) ||
         !isfinite(k->difference.hi) || !isfinite(k->fisher_p) ||
         isnan(k->odds_ratio.estimate) || isnan(k->odds_ratio.lo) ||
         isnan(k->odds_ratio.hi)))
      s = CK_NOT_ENOUGH_DATA;
    char note[160];
    snprintf(note, sizeof note, "%s minus %s", ck_group_key(k->a),
             ck_group_key(k->b));
    const char *id = k->id ? k->id : "", *l = k->label ? k->label : id;
    est_row(w, t, id, l, "difference", k->difference.estimate, k->difference.lo,
            k->difference.hi, s, note);
    if (k->ranged && s != CK_SHOWN) {
      /* a coded group rate: the lowest and highest difference its bound
       * allows, and the union of their intervals (no single estimate) */
      head(w, t, id, l, "difference_range");
      empty(w);
      number(w, k->range.lo);
      number(w, k->range.hi);
      tail(w, CK_SHOWN, note);
      head(w, t, id, l, "difference_range_ci");
      empty(w);
      number(w, k->range_ci.lo);
      number(w, k->range_ci.hi);
      tail(w, CK_SHOWN, note);
    }
    scalar_row(w, t, id, l, "fisher_p", k->fisher_p, s, note);
    /* an infinite odds-ratio bound is an empty cell, noted "unbounded" */
    head(w, t, id, l, "odds_ratio");
    bool unbounded = false;
    double v[3] = {k->odds_ratio.estimate, k->odds_ratio.lo, k->odds_ratio.hi};
    for (int j = 0; j < 3; j++) {
      if (s == CK_SHOWN && isfinite(v[j]))
        number(w, v[j]);
      else {
        empty(w);
        if (s == CK_SHOWN)
          unbounded = true;
      }
    }
    char on[200];
    snprintf(on, sizeof on, "%s%s", note, unbounded ? "; unbounded" : "");
    tail(w, s, on);
  }
}

static void f_specialties(struct w *w, const struct ck_report *r) {
  const char *t = "by_specialty";
  for (size_t i = 0; i < r->n_specialties; i++) {
    const struct ck_specialty_row *s = &r->specialties[i];
    const char *n = s->name ? s->name : "";
    char note[64];
    snprintf(note, sizeof note, "%s%s", export_tier_id(s->tier),
             s->is_none ? "no_target" : "");
    count_row(w, r, t, n, n, "n", s->n, note);
    count_row(w, r, t, n, n, "matched", s->matched, note);
    count_row(w, r, t, n, n, "unmatched", s->unmatched, note);
    rate_row(w, r, t, n, n, "match_rate", &s->match_rate, note);
    count_row(w, r, t, n, n, "matched_target", s->matched_target, note);
    count_row(w, r, t, n, n, "missed_target", s->missed_target, note);
    rate_row(w, r, t, n, n, "target_rate", &s->target_rate, note);
    count_row(w, r, t, n, n, "low_pass_n", s->lp_n, note);
    count_row(w, r, t, n, n, "low_pass_matched", s->lp_matched, note);
    count_row(w, r, t, n, n, "low_pass_unmatched", s->lp_unmatched, note);
    rate_row(w, r, t, n, n, "low_pass_match_rate", &s->lp_match_rate, note);
  }
}

static void f_years(struct w *w, const struct ck_report *r) {
  for (size_t i = 0; i < r->n_years; i++) {
    const struct ck_year_row *y = &r->years[i];
    char id[16];
    snprintf(id, sizeof id, "%d", y->year);
    scalar_row(w, "by_year", id, id, "pass_mark", y->pass_mark, CK_SHOWN, "");
    count_row(w, r, "by_year", id, id, "n", y->n, "");
    count_row(w, r, "by_year", id, id, "matched", y->matched, "");
    count_row(w, r, "by_year", id, id, "unmatched", y->unmatched, "");
    rate_row(w, r, "by_year", id, id, "match_rate", &y->match_rate, "");
  }
  const struct ck_trend *tr = &r->trend;
  const char *l = "Trend across Match years";
  scalar_row(w, "trend", "trend", l, "chi2", tr->chi2, tr->shown, "");
  scalar_row(w, "trend", "trend", l, "p", tr->p, tr->shown, "");
  scalar_row(w, "trend", "trend", l, "change_per_year", tr->change_per_year,
             tr->shown, "");
}

static const char *const into_keys[CK_INTO_NCOL] = {
    "low_pass_no_retake", "low_pass_retook", "failed_then_passed"};

static void into_rows(struct w *w, const struct ck_report *r, const char *t,
                      const char *name, const size_t *cells, const char *note) {
  for (int c = 0; c < CK_INTO_NCOL; c++)
    count_row(w, r, t, name, name, into_keys[c], cells[c], note);
}

static void f_into(struct w *w, const struct ck_report *r) {
  for (size_t i = 0; i < r->n_into; i++)
    into_rows(w, r, "matched_into", r->into[i].name ? r->into[i].name : "",
              r->into[i].cells, export_tier_id(r->into[i].tier));
  for (size_t i = 0; i < 4; i++)
    if (r->programs[i].name != NULL)
      into_rows(w, r, "matched_into_program_type", r->programs[i].name,
                r->programs[i].cells, "");
  into_rows(w, r, "matched_into_totals", "all_matched", r->into_totals, "");
}

static void score_change(struct w *w, const struct ck_report *r, const char *t,
                         const struct ck_score_change *s) {
  const char *id = "summary", *l = "Score change, attempt 2 minus attempt 1";
  enum ck_shown st = s->shown;
  count_row(w, r, t, id, l, "n", s->n, "");
  est_row(w, t, id, l, "mean", s->mean.estimate, s->mean.lo, s->mean.hi, st,
          "");
  scalar_row(w, t, id, l, "sd", s->sd, st, "");
  scalar_row(w, t, id, l, "median", s->median, st, "");
  scalar_row(w, t, id, l, "q1", s->q1, st, "");
  scalar_row(w, t, id, l, "q3", s->q3, st, "");
  rate_row(w, r, t, id, l, "share_ge_20", &s->share_ge_20, "");
  bool wok = s->wilcoxon_shown == CK_SHOWN && isfinite(s->wilcoxon_p);
  scalar_row(w, t, id, l, "wilcoxon_p", s->wilcoxon_p, s->wilcoxon_shown,
             wok ? (s->wilcoxon_exact ? "exact" : "normal_approximation") : "");
  for (int c = 0; c < CK_CHANGE_NCAT; c++)
    count_row(w, r, t, ck_change_cat_id((enum ck_change_cat)c),
              ck_change_label((enum ck_change_cat)c), "n", s->categories[c],
              "");
}

static void f_score_change(struct w *w, const struct ck_report *r) {
  score_change(w, r, "score_change", &r->score_change);
  score_change(w, r, "score_change_all_retakers", &r->score_change_all);
}

static void regression(struct w *w, const struct ck_report *r, const char *t,
                       const struct ck_regression *g) {
  const char *id = "model", *l = "retake score = intercept + slope x practice";
  enum ck_shown st = g->shown;
  count_row(w, r, t, id, l, "n", g->n, "");
  scalar_row(w, t, id, l, "intercept", g->intercept, st, "");
  scalar_row(w, t, id, l, "slope", g->slope, st, "");
  scalar_row(w, t, id, l, "r_squared", g->r2, st, "");
  scalar_row(w, t, id, l, "sigma", g->sigma, st, "");
  /* predictions exist only with a shown line (as in JSON) */
  for (size_t i = 0;
       st == CK_SHOWN && i < g->n_pred && i < CK_MAX_PRACTICE_POINTS; i++) {
    const struct ck_prediction *p = &g->pred[i];
    char pid[16], pl[64];
    snprintf(pid, sizeof pid, "%d", p->practice);
    snprintf(pl, sizeof pl, "practice average %d", p->practice);
    bool extra = p->practice < g->x_min || p->practice > g->x_max;
    head(w, t, pid, pl, "predicted_retake_score");
    number(w, p->fit.estimate);
    number(w, p->fit.lo);
    number(w, p->fit.hi);
    bool ok =
        isfinite(p->fit.estimate) && isfinite(p->fit.lo) && isfinite(p->fit.hi);
    tail(w, ok ? CK_SHOWN : CK_NOT_ENOUGH_DATA,
         extra ? "extrapolated: outside the data" : "");
  }
}

static void f_regression(struct w *w, const struct ck_report *r) {
  regression(w, r, "practice_regression", &r->regression);
  regression(w, r, "practice_regression_all_retakers", &r->regression_all);
}

static void f_adjusted(struct w *w, const struct ck_report *r) {
  const char *t = "adjusted_comparisons";
  static const char *const tn[] = {"score", "tier", "year"};
  for (size_t i = 0; i < r->n_adjusted && i < CK_MAX_COMPARISONS; i++) {
    const struct ck_adjusted *k = &r->adjusted[i];
    const char *id = k->id ? k->id : "";
    char label[160], note[200], pn[240];
    snprintf(label, sizeof label, "%s vs %s, adjusted", ck_group_label(k->a),
             ck_group_label(k->b));
    size_t len = (size_t)snprintf(note, sizeof note, "%s vs %s; adjusted for",
                                  ck_group_key(k->a), ck_group_key(k->b));
    for (unsigned j = 0; j < 3 && len < sizeof note; j++)
      if (k->terms & (1u << j))
        len += (size_t)snprintf(note + len, sizeof note - len, " %s", tn[j]);
    const char *lp =
        k->shown == CK_NOT_ENOUGH_DATA ? ck_adj_problem_id(k->problem) : NULL;
    snprintf(pn, sizeof pn, "%s%s%s", note, lp ? "; problem: " : "",
             lp ? lp : "");
    est_row(w, t, id, label, "logistic_odds_ratio", k->odds_ratio.estimate,
            k->odds_ratio.lo, k->odds_ratio.hi, k->shown, pn);
    scalar_row(w, t, id, label, "lrt_chi2", k->lrt_chi2, k->shown, pn);
    scalar_row(w, t, id, label, "lrt_p", k->lrt_p, k->shown, pn);
    const char *mp = k->mh_shown == CK_NOT_ENOUGH_DATA
                         ? ck_adj_problem_id(k->mh_problem)
                         : NULL;
    snprintf(pn, sizeof pn, "%s vs %s; strata: tier%s%s", ck_group_key(k->a),
             ck_group_key(k->b), mp ? "; problem: " : "", mp ? mp : "");
    est_row(w, t, id, label, "mh_odds_ratio", k->mh_odds_ratio.estimate,
            k->mh_odds_ratio.lo, k->mh_odds_ratio.hi, k->mh_shown, pn);
    scalar_row(w, t, id, label, "mh_chi2", k->mh_chi2, k->mh_shown, pn);
    scalar_row(w, t, id, label, "mh_p", k->mh_p, k->mh_shown, pn);
    scalar_row(w, t, id, label, "breslow_day_chi2", k->bd_chi2, k->bd_shown,
               pn);
    scalar_row(w, t, id, label, "breslow_day_p", k->bd_p, k->bd_shown, pn);
  }
}

/* The analyst's row accounting: counts of file rows, not of students'
 * outcomes, so never withheld (docs/privacy.md). */
static void plain_count(struct w *w, const char *table, const char *row_id,
                        const char *label, const char *measure, size_t v,
                        const char *note) {
  head(w, table, row_id, label, measure);
  integer(w, (long)v);
  empty(w);
  empty(w);
  tail(w, CK_SHOWN, note);
}

static void f_rows(struct w *w, const struct ck_report *r) {
  static const char *const id[] = {
      "read",  "accepted",          "excluded",       "rejected",
      "blank", "excluded_no_score", "excluded_years", "warnings"};
  static const char *const label[] = {"data rows read",
                                      "accepted",
                                      "excluded (valid, outside the analysis)",
                                      "rejected (invalid)",
                                      "blank lines skipped",
                                      "excluded: no first score",
                                      "excluded: outside --years",
                                      "warnings (rows kept)"};
  const size_t v[] = {r->read,           r->accepted, r->excluded,
                      r->rejected,       r->blank,    r->excluded_no_score,
                      r->excluded_years, r->warnings};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    plain_count(w, "rows", id[i], label[i], "rows", v[i], "");
  for (size_t i = 0; i < r->n_inputs; i++) {
    const struct ck_report_input *in = &r->inputs[i];
    char note[80];
    snprintf(note, sizeof note, "sha256: %s", in->sha256);
    const char *p = in->path ? in->path : "";
    plain_count(w, "inputs", p, p, "read", in->read, note);
    plain_count(w, "inputs", p, p, "accepted", in->accepted, note);
    plain_count(w, "inputs", p, p, "excluded", in->excluded, note);
    plain_count(w, "inputs", p, p, "rejected", in->rejected, note);
  }
  for (size_t i = 0; i < r->n_reasons; i++) {
    const char *why = r->reasons[i].what ? r->reasons[i].what : "";
    plain_count(w, "rejected_by", why, why, "rows", r->reasons[i].n, "");
  }
}

/* ---- the data dictionary ---- */

struct dict {
  const char *file, *column, *measure, *type, *description;
};

/* Each column once, then each measure once (whatever table it is in). */
static const struct dict dictionary[] = {
    {"(all summary files)", "table", "", "text",
     "the report table the row belongs to (the key of the JSON report)"},
    {"(all summary files)", "row_id", "", "text",
     "stable id of the table row: group key, comparison id, specialty or "
     "program type name, Match year, category id, practice average, input "
     "path, \"summary\", \"model\", \"trend\" or \"all_matched\""},
    {"(all summary files)", "label", "", "text", "human-readable row label"},
    {"(all summary files)", "measure", "", "text",
     "what the value is (see the measure rows below)"},
    {"(all summary files)", "value", "", "number",
     "the number; empty when withheld or not computable (see suppressed, "
     "reason). Counts are whole numbers, rates and shares are proportions "
     "0 to 1, differences are proportions (0.05 = 5 percentage points)"},
    {"(all summary files)", "ci_low", "", "number",
     "lower confidence limit (prediction limit for predicted_retake_score) "
     "at the report's confidence level; empty when the measure has no "
     "interval or the value is empty"},
    {"(all summary files)", "ci_high", "", "number",
     "upper limit, as ci_low; empty for an unbounded odds ratio"},
    {"(all summary files)", "suppressed", "", "true/false",
     "true when value is empty"},
    {"(all summary files)", "reason", "", "text",
     "why a value is empty: withheld (a withheld count of students, small "
     "or complementary: they are not told apart), derived (computed from a "
     "withheld count), coded (a rate near 0% or 100%, given only as a bound "
     "in note), not_enough_data; empty when shown"},
    {"(all summary files)", "note", "", "text",
     "extra detail: parent group, comparison direction, specialty tier, "
     "coded bound (<=0.20, >=0.95), Wilcoxon method, extrapolated "
     "prediction, adjustment terms, input SHA-256"},
    {"groups.csv by_specialty.csv by_year.csv score_change.csv "
     "practice_regression.csv",
     "measure", "n", "count",
     "applicants in the row: a first-attempt group; those targeting a "
     "specialty; a Match year; retakers in scope (row summary) or in a "
     "change category; pairs of practice average and retake score"},
    {"groups.csv by_specialty.csv by_year.csv", "measure", "matched", "count",
     "applicants of the row who matched"},
    {"groups.csv by_specialty.csv by_year.csv", "measure", "unmatched", "count",
     "applicants of the row who did not match"},
    {"groups.csv by_specialty.csv by_year.csv", "measure", "match_rate",
     "proportion", "matched / n, with its confidence interval"},
    {"groups.csv", "measure", "with_target", "count",
     "members who named a target specialty"},
    {"groups.csv by_specialty.csv", "measure", "matched_target", "count",
     "matched into the specialty they targeted"},
    {"groups.csv by_specialty.csv", "measure", "missed_target", "count",
     "named a target and did not match into it"},
    {"groups.csv by_specialty.csv", "measure", "target_rate", "proportion",
     "matched_target / with_target (for a specialty row, / n)"},
    {"groups.csv", "measure", "with_program", "count",
     "matched members with a known program type"},
    {"groups.csv", "measure", "academic", "count",
     "matched into an academic program"},
    {"groups.csv", "measure", "not_academic", "count",
     "matched into another program type"},
    {"groups.csv", "measure", "academic_share", "proportion",
     "academic / with_program"},
    {"comparisons.csv", "measure", "difference", "proportion",
     "difference in match rate, first group minus second (note), Newcombe "
     "hybrid score interval"},
    {"comparisons.csv", "measure", "difference_range", "proportion",
     "when a group's match rate is coded: lowest (ci_low) and highest "
     "(ci_high) difference over every matched count its bound allows"},
    {"comparisons.csv", "measure", "difference_range_ci", "proportion",
     "when a group's match rate is coded: the union of the Newcombe "
     "intervals over those counts"},
    {"comparisons.csv", "measure", "fisher_p", "p-value",
     "Fisher's exact test, two-sided"},
    {"comparisons.csv", "measure", "odds_ratio", "ratio",
     "conditional maximum-likelihood odds ratio with exact interval"},
    {"adjusted.csv", "measure", "logistic_odds_ratio", "ratio",
     "odds ratio of the first group vs the second from a logistic regression "
     "of matching on the group and the terms in note, Wald interval"},
    {"adjusted.csv", "measure", "lrt_chi2 / lrt_p", "statistic / p-value",
     "likelihood-ratio test of the group term, 1 degree of freedom"},
    {"adjusted.csv", "measure", "mh_odds_ratio", "ratio",
     "Mantel-Haenszel odds ratio over specialty-tier strata, "
     "Robins-Breslow-Greenland interval"},
    {"adjusted.csv", "measure", "mh_chi2 / mh_p", "statistic / p-value",
     "Mantel-Haenszel test without continuity correction"},
    {"adjusted.csv", "measure", "breslow_day_chi2 / breslow_day_p",
     "statistic / p-value",
     "Breslow-Day test (Tarone's correction): do the strata's odds ratios "
     "differ"},
    {"by_specialty.csv", "measure",
     "low_pass_n / low_pass_matched / low_pass_unmatched / low_pass_match_rate",
     "count / proportion",
     "n, matched, unmatched and match_rate for the specialty's applicants "
     "with a low pass"},
    {"by_year.csv", "measure", "pass_mark", "score",
     "the Step 2 CK pass mark of the Match year"},
    {"by_year.csv", "measure", "chi2 / p / change_per_year", "statistic",
     "table trend: chi-squared test for trend in proportions; change per "
     "year as a proportion"},
    {"matched_into.csv", "measure",
     "low_pass_no_retake / low_pass_retook / failed_then_passed", "count",
     "matched applicants of the group in the specialty (table matched_into, "
     "note: tier), program type (matched_into_program_type) or in all "
     "(matched_into_totals)"},
    {"score_change.csv", "measure", "mean", "points",
     "mean change, attempt 2 minus attempt 1, t interval"},
    {"score_change.csv", "measure", "sd / median / q1 / q3", "points",
     "standard deviation and quartiles (type 7) of the change"},
    {"score_change.csv", "measure", "share_ge_20", "proportion",
     "share improving by 20 points or more"},
    {"score_change.csv", "measure", "wilcoxon_p", "p-value",
     "Wilcoxon signed-rank test; note: method"},
    {"practice_regression.csv", "measure",
     "intercept / slope / r_squared / sigma", "statistic",
     "least-squares line and residual standard error"},
    {"practice_regression.csv", "measure", "predicted_retake_score", "score",
     "fitted retake score at the practice average row_id, with the "
     "prediction interval in ci_low/ci_high"},
    {"rows.csv", "measure", "rows", "count",
     "data rows of the input files (table rows: read, accepted, excluded, "
     "rejected, ...; table rejected_by: rows rejected for that reason); "
     "rows of files, not students' outcomes, so never withheld"},
    {"rows.csv", "measure", "read / accepted / excluded / rejected", "count",
     "the same per input file (table inputs; note: the file's SHA-256)"},
    {"data_dictionary.csv", "file", "", "text", "the files the row is about"},
    {"data_dictionary.csv", "column", "", "text", "the column described"},
    {"data_dictionary.csv", "measure", "", "text",
     "the measure described (rows about measures)"},
    {"data_dictionary.csv", "type", "", "text", "kind of value"},
    {"data_dictionary.csv", "description", "", "text", "meaning"},
};

static void f_dictionary(struct w *w, const struct ck_report *r) {
  (void)r;
  for (size_t i = 0; i < sizeof dictionary / sizeof dictionary[0]; i++) {
    text(w, dictionary[i].file);
    text(w, dictionary[i].column);
    text(w, dictionary[i].measure);
    text(w, dictionary[i].type);
    text(w, dictionary[i].description);
    eol(w);
  }
}

typedef void (*file_fn)(struct w *w, const struct ck_report *r);
static const file_fn writers[N_CSV] = {
    f_groups, f_comparisons,  f_adjusted,   f_specialties, f_years,
    f_into,   f_score_change, f_regression, f_rows,        f_dictionary};

/* ---- directories ---- */

/* mkdir -p; records each directory it creates (deepest last) in made. */
static enum ck_status make_dirs(const char *dir, char ***made, size_t *n_made,
                                struct ck_error *err) {
  char *p = ck_xstrdup(dir);
  size_t len = strlen(p);
  while (len > 1 && p[len - 1] == '/')
    p[--len] = '\0';
  for (size_t i = 1; i <= len; i++) {
    if (p[i] != '/' && p[i] != '\0')
      continue;
    char save = p[i];
    p[i] = '\0';
    struct stat st;
    if (stat(p, &st) != 0) {
      if (mkdir(p, 0777) != 0) {
        ck_error_set(err, CK_EIO, dir, 0, NULL,
                     "cannot create directory %s: %s", p, strerror(errno));
        free(p);
        return CK_EIO;
      }
      *made = ck_xrealloc(*made, (*n_made + 1) * sizeof **made);
      (*made)[(*n_made)++] = ck_xstrdup(p);
    } else if (!S_ISDIR(st.st_mode)) {
      ck_error_set(err, CK_EIO, dir, 0, NULL, "%s is not a directory", p);
      free(p);
      return CK_EIO;
    }
    p[i] = save;
  }
  free(p);
  return CK_OK;
}

/* The header row of table file i (the dictionary has its own). */
static const char *const dict_cols[] = {"file", "column", "measure", "type",
                                        "description"};

static void header(struct w *w, size_t i) {
  bool dict = i == N_CSV - 1;
  const char *const *cols = dict ? dict_cols : columns;
  size_t n = dict ? 5 : N_COLS;
  for (size_t c = 0; c < n; c++)
    text(w, cols[c]);
  eol(w);
}

/* Copy a finished file's bytes into an output stream. */
static enum ck_status copy_into(const char *from, FILE *to, const char *what,
                                struct ck_error *err) {
  FILE *in = fopen(from, "rb");
  if (in == NULL)
    return ck_error_set(err, CK_EIO, what, 0, NULL, "cannot read back %s: %s",
                        from, strerror(errno));
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0)
    if (fwrite(buf, 1, n, to) != n)
      break;
  bool bad = ferror(in) || ferror(to) || fflush(to) != 0;
  fclose(in);
  if (bad)
    return ck_error_set(err, CK_EIO, what, 0, NULL, "write failed: %s",
                        strerror(errno));
  return CK_OK;
}

/* The workbook: an About sheet (provenance, settings, dictionary), a
 * Charts sheet, then one sheet per table file, all from the same writers
 * as the CSV files.  libxlsxwriter writes to a path of its own, so it
 * writes a scratch file beside the target, which is copied into the
 * output (committed with the CSV files) and removed. */
static enum ck_status workbook(const struct ck_report *r, const char *dir,
                               struct ck_output *out, const char *path,
                               struct ck_error *err) {
  size_t n = strlen(dir) + 32;
  char *scratch = ck_xmalloc(n);
  snprintf(scratch, n, "%s/.summary.xlsx.XXXXXX", dir);
  int fd = mkstemp(scratch);
  if (fd < 0) {
    enum ck_status st = ck_error_set(err, CK_EIO, path, 0, NULL,
                                     "cannot create a scratch file in %s: %s",
                                     dir, strerror(errno));
    free(scratch);
    return st;
  }
  close(fd);
  struct ck_xl *x = ck_xl_new(scratch, r->generated >= 0 ? r->generated : 0);
  if (x != NULL) {
    struct w w = {NULL, ck_xl_about(x, r), false, true, 0, NULL};
    ck_xl_header(w.xs, dict_cols, 5);
    f_dictionary(&w, r);
    ck_xl_charts(x, r);
    for (size_t i = 0; i + 1 < N_CSV; i++) {
      char name[32];
      snprintf(name, sizeof name, "%s", ck_export_files[i]);
      char *dot = strrchr(name, '.');
      if (dot != NULL)
        *dot = '\0';
      w = (struct w){
          NULL, ck_xl_table(x, name, columns, N_COLS), false, true, 0, NULL};
      writers[i](&w, r);
    }
  }
  enum ck_status st = ck_xl_close(x, path, err);
  if (st == CK_OK)
    st = copy_into(scratch, ck_output_stream(out), path, err);
  (void)unlink(scratch);
  free(scratch);
  return st;
}

enum ck_status ck_export_csv(const struct ck_report *r, const char *dir,
                             const struct ck_export_options *opt,
                             const char *const *inputs, size_t n_inputs,
                             struct ck_error *err) {
  if (r == NULL || dir == NULL || dir[0] == '\0')
    return ck_error_set(err, CK_EUSAGE, "", 0, NULL, "no output directory");
  if (!r->checked)
    return ck_error_set(err, CK_EUSAGE, dir, 0, NULL,
                        "the report model has not been through suppression");
  bool excel = opt != NULL && opt->excel;
  char **made = NULL;
  size_t n_made = 0;
  struct ck_output *out[N_FILES] = {0};
  char *paths[N_FILES] = {0};
  enum ck_status st = make_dirs(dir, &made, &n_made, err);
  for (size_t i = 0; st == CK_OK && i < N_FILES; i++) {
    size_t n = strlen(dir) + strlen(ck_export_files[i]) + 2;
    paths[i] = ck_xmalloc(n);
    snprintf(paths[i], n, "%s/%s", dir, ck_export_files[i]);
    out[i] = ck_output_open(paths[i], inputs, n_inputs, err);
    if (out[i] == NULL) {
      st = err ? err->code : CK_EIO;
      if (st == CK_OK)
        st = CK_EIO;
      break;
    }
    if (i >= N_CSV) {
      st = workbook(r, dir, out[i], paths[i], err);
      continue;
    }
    struct w w = {ck_output_stream(out[i]), NULL, excel, true, 0, NULL};
    if (excel)
      fputs("\xEF\xBB\xBF", w.fp);
    header(&w, i);
    writers[i](&w, r);
    /* flush now so that a full disk fails before any file is renamed */
    if (fflush(w.fp) != 0 || ferror(w.fp)) {
      st = ck_error_set(err, CK_EIO, paths[i], 0, NULL, "write failed: %s",
                        strerror(errno));
      break;
    }
  }
  /* every file on disk before any is renamed: a file that cannot be
   * synced leaves every target as it was */
  for (size_t i = 0; st == CK_OK && i < N_FILES; i++)
    st = ck_output_sync(out[i], err);
  /* every file is complete: rename them all into place */
  for (size_t i = 0; i < N_FILES; i++) {
    if (out[i] == NULL)
      continue;
    if (st == CK_OK)
      st = ck_output_commit(out[i], err);
    else
      ck_output_abort(out[i]);
  }
  for (size_t i = 0; i < N_FILES; i++)
    free(paths[i]);
  if (st != CK_OK)
    for (size_t i = n_made; i-- > 0;)
      (void)rmdir(made[i]); /* removes only what is still empty */
  for (size_t i = 0; i < n_made; i++)
    free(made[i]);
  free(made);
  return st;
}
