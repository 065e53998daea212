/*
 * test_render.c - text, Markdown and JSON renderers on a hand-built model
 * SPDX-License-Identifier: MIT
 *
 * The model mixes every display state: shown, small, complement, coded,
 * derived and not-enough-data.  Withheld cells and statistics hold planted,
 * distinctive true values (counts 7 and 9973, rates 0.8642/0.7531/0.9512,
 * 0.9876, a difference of 0.4321, a mean of 12.345) that must never appear.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckcohort/render.h"
#include "render_util.h"
#include "report_model.h"
#include "config_internal.h"

/* ---- building the model ---- */

static size_t cell(struct ck_report *r, long v, bool outcome, enum ck_shown s) {
  size_t c = ck_report_cell(r, v, outcome);
  r->cells[c].shown = (uint8_t)s;
  return c;
}

static struct ck_rate rate(size_t x, size_t n, double e, double lo, double hi,
                           enum ck_shown s, double bound) {
  struct ck_rate q;
  memset(&q, 0, sizeof q);
  q.x = x;
  q.n = n;
  q.est.estimate = e;
  q.est.lo = lo;
  q.est.hi = hi;
  q.shown = s;
  q.bound = bound;
  return q;
}

/* A withheld rate with the planted true values. */
static struct ck_rate hidden_rate(size_t x, size_t n, enum ck_shown s) {
  return rate(x, n, 0.8642, 0.7531, 0.9512, s, 0);
}

static void shown_group(struct ck_report *r, enum ck_group_id g, long n,
                        long m) {
  struct ck_group_row *row = &r->groups[g];
  row->id = g;
  row->n = cell(r, n, false, CK_SHOWN);
  row->matched = cell(r, m, true, CK_SHOWN);
  row->unmatched = cell(r, n - m, true, CK_SHOWN);
  row->match_rate =
      rate(row->matched, row->n, 0.834, 0.761, 0.890, CK_SHOWN, 0);
  row->with_target = cell(r, n, false, CK_SHOWN);
  row->matched_target = cell(r, m, true, CK_SHOWN);
  row->missed_target = cell(r, n - m, true, CK_SHOWN);
  row->target_rate =
      rate(row->matched_target, row->with_target, 0.5, 0.4, 0.6, CK_SHOWN, 0);
  row->with_program = cell(r, m, false, CK_SHOWN);
  row->academic = cell(r, m, true, CK_SHOWN);
  row->not_academic = cell(r, 0, true, CK_SHOWN);
  row->academic_share =
      rate(row->academic, row->with_program, 0.25, 0.1, 0.45, CK_SHOWN, 0);
}

/* A group of 7 (small), matched 9973-ish impossible values planted. */
static void small_group(struct ck_report *r, enum ck_group_id g) {
  struct ck_group_row *row = &r->groups[g];
  row->id = g;
  row->n = cell(r, 7, false, CK_HIDDEN_SMALL);
  row->matched = cell(r, 7, true, CK_HIDDEN_SMALL);
  row->unmatched = cell(r, 0, true, CK_HIDDEN_SMALL);
  row->match_rate = hidden_rate(row->matched, row->n, CK_HIDDEN_DERIVED);
  row->with_target = cell(r, 7, false, CK_HIDDEN_SMALL);
  row->matched_target = cell(r, 7, true, CK_HIDDEN_SMALL);
  row->missed_target = cell(r, 0, true, CK_HIDDEN_SMALL);
  row->target_rate =
      hidden_rate(row->matched_target, row->with_target, CK_HIDDEN_DERIVED);
  row->with_program = cell(r, 7, false, CK_HIDDEN_SMALL);
  row->academic = cell(r, 7, true, CK_HIDDEN_SMALL);
  row->not_academic = cell(r, 0, true, CK_HIDDEN_SMALL);
  row->academic_share =
      hidden_rate(row->academic, row->with_program, CK_HIDDEN_DERIVED);
}

static void complement_group(struct ck_report *r, enum ck_group_id g) {
  struct ck_group_row *row = &r->groups[g];
  row->id = g;
  row->n = cell(r, 9973, false, CK_HIDDEN_COMPLEMENT);
  row->matched = cell(r, 9973, true, CK_HIDDEN_COMPLEMENT);
  row->unmatched = cell(r, 0, true, CK_HIDDEN_SMALL);
  row->match_rate = hidden_rate(row->matched, row->n, CK_HIDDEN_DERIVED);
  row->with_target = cell(r, 9973, false, CK_HIDDEN_COMPLEMENT);
  row->matched_target = cell(r, 9973, true, CK_HIDDEN_COMPLEMENT);
  row->missed_target = cell(r, 0, true, CK_HIDDEN_SMALL);
  row->target_rate =
      hidden_rate(row->matched_target, row->with_target, CK_NOT_ENOUGH_DATA);
  row->with_program = cell(r, 9973, false, CK_HIDDEN_COMPLEMENT);
  row->academic = cell(r, 9973, true, CK_HIDDEN_COMPLEMENT);
  row->not_academic = cell(r, 0, true, CK_HIDDEN_SMALL);
  row->academic_share =
      hidden_rate(row->academic, row->with_program, CK_HIDDEN_DERIVED);
}

static struct ck_report *model(void) {
  struct ck_report *r = ck_report_new();
  r->tool_version = "0.1.0";
  r->generated = 1710504000; /* 2024-03-15T12:00:00Z */
  r->n_inputs = 1;
  r->inputs = calloc(1, sizeof *r->inputs);
  r->inputs[0].path = strdup("class-2024.csv");
  memset(r->inputs[0].sha256, 'a', 64);
  r->inputs[0].read = 120;
  r->inputs[0].accepted = 110;
  r->inputs[0].excluded = 6;
  r->inputs[0].rejected = 4;
  r->read = 120;
  r->accepted = 110;
  r->excluded = 6;
  r->rejected = 4;
  r->blank = 2;
  r->warnings = 1;
  r->excluded_no_score = 5;
  r->excluded_years = 1;
  r->n_reasons = 1;
  r->reasons = calloc(1, sizeof *r->reasons);
  r->reasons[0].what = strdup("rejected: step2_attempt_1");
  r->reasons[0].n = 4;
  r->year_min = 2022;
  r->year_max = 2024;
  r->min_cell = 11;
  r->confidence = 0.95;
  r->low_pass_margin = 6;
  r->n_pass_marks = 2;
  r->pass_marks = calloc(2, sizeof *r->pass_marks);
  r->pass_marks[0].from = ck_days_from_civil(2014, 7, 1);
  r->pass_marks[0].mark = 209;
  r->pass_marks[1].from = ck_days_from_civil(2022, 7, 1);
  r->pass_marks[1].mark = 214;
  r->retake_after_pass = 7;
  r->retake_after_pass_cell = cell(r, 7, false, CK_HIDDEN_SMALL);

  for (int g = 0; g < CK_G_COUNT; g++)
    shown_group(r, (enum ck_group_id)g, 110, 92);
  small_group(r, CK_G_FAILED_NEVER_PASSED);
  small_group(r, CK_G_LPR_LOWER);
  complement_group(r, CK_G_FAILED_THEN_PASSED);
  /* coded rates */
  r->groups[CK_G_ABOVE_COMPETITIVE].match_rate.shown = CK_CODED_GE;
  r->groups[CK_G_ABOVE_COMPETITIVE].match_rate.bound = 0.95;
  r->groups[CK_G_ABOVE_COMPETITIVE].match_rate.est.estimate = 0.9876;
  r->groups[CK_G_ABOVE_COMPETITIVE].match_rate.est.lo = 0.9876;
  r->groups[CK_G_ABOVE_COMPETITIVE].match_rate.est.hi = 0.9876;
  r->groups[CK_G_ABOVE_BELOW_AVERAGE].target_rate.shown = CK_CODED_LE;
  r->groups[CK_G_ABOVE_BELOW_AVERAGE].target_rate.bound = 0.2;

  r->n_comparisons = 2;
  struct ck_comparison *k = &r->comparisons[0];
  k->id = "retook_vs_no_retake";
  k->label = "Retook vs no retake";
  k->a = CK_G_LOW_PASS_RETOOK;
  k->b = CK_G_LOW_PASS_NO_RETAKE;
  k->shown = CK_SHOWN;
  k->difference = (struct ck_est){0.052, -0.031, 0.12};
  k->fisher_p = 0.0004;
  k->odds_ratio = (struct ck_est){INFINITY, 1.5, INFINITY};
  k = &r->comparisons[1];
  k->id = "low_pass_vs_failed_then_passed";
  k->label = "Low pass vs failed then passed";
  k->a = CK_G_LOW_PASS;
  k->b = CK_G_FAILED_THEN_PASSED;
  k->shown = CK_HIDDEN_DERIVED;
  k->difference = (struct ck_est){0.4321, 0.4321, 0.4321};
  k->fisher_p = 0.4321;
  k->odds_ratio = (struct ck_est){4.321, 4.321, 4.321};

  struct ck_score_change *s = &r->score_change;
  s->id = "score_change";
  s->n = cell(r, 7, false, CK_HIDDEN_SMALL);
  s->shown = CK_HIDDEN_DERIVED;
  s->mean = (struct ck_est){12.345, 12.345, 12.345};
  s->sd = 12.345;
  s->median = 12.345;
  s->q1 = 12.345;
  s->q3 = 12.345;
  for (int c = 0; c < CK_CHANGE_NCAT; c++)
    s->categories[c] = cell(r, 7, true, CK_HIDDEN_SMALL);
  s->share_ge_20 = hidden_rate(s->categories[4], s->n, CK_HIDDEN_DERIVED);
  s->wilcoxon_shown = CK_HIDDEN_DERIVED;
  s->wilcoxon_p = 0.4321;
  s = &r->score_change_all;
  s->id = "score_change_all_retakers";
  s->n = cell(r, 40, false, CK_SHOWN);
  s->shown = CK_SHOWN;
  s->mean = (struct ck_est){6.25, 3.1, 9.4};
  s->sd = 8.5;
  s->median = 6;
  s->q1 = -1;
  s->q3 = 13.5;
  for (int c = 0; c < CK_CHANGE_NCAT; c++)
    s->categories[c] =
        cell(r, c == 0 ? 7 : 12, true, c == 0 ? CK_HIDDEN_SMALL : CK_SHOWN);
  s->categories[1] = cell(r, 9973, true, CK_HIDDEN_COMPLEMENT);
  s->share_ge_20 = rate(s->categories[4], s->n, 0.3, 0.181, 0.455, CK_SHOWN, 0);
  s->wilcoxon_shown = CK_SHOWN;
  s->wilcoxon_p = 0.04567;
  s->wilcoxon_exact = false;

  struct ck_regression *g = &r->regression;
  g->id = "practice_regression";
  g->n = cell(r, 7, false, CK_HIDDEN_SMALL);
  g->shown = CK_NOT_ENOUGH_DATA;
  g->intercept = NAN;
  g->slope = NAN;
  g = &r->regression_all;
  g->id = "practice_regression_all_retakers";
  g->n = cell(r, 38, false, CK_SHOWN);
  g->shown = CK_SHOWN;
  g->intercept = 20.5;
  g->slope = 0.9;
  g->r2 = 0.41;
  g->sigma = 7.2;
  g->x_min = 215;
  g->x_max = 242;
  g->n_pred = 2;
  g->pred[0] = (struct ck_prediction){230, {227.5, 213.0, 242.0}};
  g->pred[1] = (struct ck_prediction){245, {241.0, 226.4, 255.6}};

  r->n_specialties = 2;
  r->specialties = calloc(2, sizeof *r->specialties);
  struct ck_specialty_row *sp = &r->specialties[0];
  sp->name = strdup("Ortho|Spine *x* <b>");
  sp->tier = CK_TIER_VERY_COMPETITIVE;
  sp->n = cell(r, 30, false, CK_SHOWN);
  sp->matched = cell(r, 20, true, CK_SHOWN);
  sp->unmatched = cell(r, 10, true, CK_HIDDEN_SMALL);
  sp->match_rate =
      rate(sp->matched, sp->n, 0.666667, 0.488, 0.808, CK_SHOWN, 0);
  sp->matched_target = cell(r, 9973, true, CK_HIDDEN_COMPLEMENT);
  sp->missed_target = cell(r, 7, true, CK_HIDDEN_SMALL);
  sp->target_rate = hidden_rate(sp->matched_target, sp->n, CK_HIDDEN_DERIVED);
  sp->lp_n = cell(r, 7, false, CK_HIDDEN_SMALL);
  sp->lp_matched = cell(r, 7, true, CK_HIDDEN_SMALL);
  sp->lp_unmatched = cell(r, 0, true, CK_HIDDEN_SMALL);
  sp->lp_match_rate = hidden_rate(sp->lp_matched, sp->lp_n, CK_HIDDEN_DERIVED);
  sp = &r->specialties[1];
  sp->name = strdup("(none given)");
  sp->is_none = true;
  sp->n = cell(r, 80, false, CK_SHOWN);
  sp->matched = cell(r, 72, true, CK_SHOWN);
  sp->unmatched = cell(r, 8, true, CK_HIDDEN_SMALL);
  sp->match_rate = rate(sp->matched, sp->n, 0.9, 0.814, 0.948, CK_SHOWN, 0);
  sp->matched_target = cell(r, 0, true, CK_SHOWN);
  sp->missed_target = cell(r, 0, true, CK_SHOWN);
  sp->target_rate =
      rate(sp->matched_target, sp->n, 0, 0, 0, CK_NOT_ENOUGH_DATA, 0);
  sp->lp_n = cell(r, 20, false, CK_SHOWN);
  sp->lp_matched = cell(r, 18, true, CK_SHOWN);
  sp->lp_unmatched = cell(r, 2, true, CK_HIDDEN_SMALL);
  sp->lp_match_rate =
      rate(sp->lp_matched, sp->lp_n, 0.9, 0.699, 0.972, CK_SHOWN, 0);

  r->n_years = 2;
  r->years = calloc(2, sizeof *r->years);
  r->years[0] = (struct ck_year_row){2023, 214, 0, 0, 0, {0}};
  r->years[0].n = cell(r, 50, false, CK_SHOWN);
  r->years[0].matched = cell(r, 45, true, CK_SHOWN);
  r->years[0].unmatched = cell(r, 5, true, CK_HIDDEN_SMALL);
  r->years[0].match_rate =
      rate(r->years[0].matched, r->years[0].n, 0.9, 0.786, 0.957, CK_SHOWN, 0);
  r->years[1] = (struct ck_year_row){2024, 214, 0, 0, 0, {0}};
  r->years[1].n = cell(r, 60, false, CK_SHOWN);
  r->years[1].matched = cell(r, 59, true, CK_SHOWN);
  r->years[1].unmatched = cell(r, 1, true, CK_HIDDEN_SMALL);
  r->years[1].match_rate = rate(r->years[1].matched, r->years[1].n, 0.9833, 0.9,
                                0.997, CK_CODED_GE, 0.95);
  r->trend.shown = CK_SHOWN;
  r->trend.chi2 = 3.214;
  r->trend.p = 0.073;
  r->trend.change_per_year = 0.012;

  r->n_into = 2;
  r->into = calloc(2, sizeof *r->into);
  r->into[0].name = strdup("Family Medicine");
  r->into[0].tier = CK_TIER_FORGIVING;
  r->into[0].cells[0] = cell(r, 15, false, CK_SHOWN);
  r->into[0].cells[1] = cell(r, 7, false, CK_HIDDEN_SMALL);
  r->into[0].cells[2] = cell(r, 9973, false, CK_HIDDEN_COMPLEMENT);
  r->into[1].name = strdup("Other (merged)");
  r->into[1].cells[0] = cell(r, 12, false, CK_SHOWN);
  r->into[1].cells[1] = cell(r, 0, false, CK_SHOWN);
  r->into[1].cells[2] = cell(r, 9973, false, CK_HIDDEN_COMPLEMENT);
  const char *pt[4] = {"academic", "community", "other", "not given"};
  for (int i = 0; i < 4; i++) {
    r->programs[i].name = strdup(pt[i]);
    for (int c = 0; c < CK_INTO_NCOL; c++)
      r->programs[i].cells[c] = cell(r, 7, false, CK_HIDDEN_SMALL);
  }
  for (int c = 0; c < CK_INTO_NCOL; c++)
    r->into_totals[c] = cell(r, 27 + c, false, CK_SHOWN);
  r->checked = true; /* what is withheld was decided above, as by ck_suppress */
  return r;
}

/* ---- rendering to memory ---- */

static char *render(ck_render_fn fn, const struct ck_report *r) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  assert_int_equal(fn(f, r), CK_OK);
  assert_int_equal(fclose(f), 0);
  assert_int_equal(strlen(buf), len);
  const char *dump = getenv("CK_RENDER_DUMP"); /* debugging: keep a copy */
  if (dump != NULL) {
    FILE *d = fopen(dump, "a");
    if (d != NULL) {
      fputs(buf, d);
      fclose(d);
    }
  }
  return buf;
}

static void assert_absent(const char *out, const char *needle) {
  if (strstr(out, needle) != NULL) {
    fprintf(stderr, "unexpected \"%s\" in output\n", needle);
    fail();
  }
}

static void assert_present(const char *out, const char *needle) {
  if (strstr(out, needle) == NULL) {
    fprintf(stderr, "missing \"%s\" in output:\n%s\n", needle, out);
    fail();
  }
}

/* The line that contains `needle`, copied into line. */
static void line_of(const char *out, const char *needle, char *line,
                    size_t cap) {
  const char *p = strstr(out, needle);
  assert_non_null(p);
  while (p > out && p[-1] != '\n')
    p--;
  size_t n = strcspn(p, "\n");
  if (n >= cap)
    n = cap - 1;
  memcpy(line, p, n);
  line[n] = '\0';
}

/* No "nan"/"inf" as a word ("provenance" is fine, "-nan" and "inf" not). */
static void assert_no_word(const char *out, const char *w) {
  size_t n = strlen(w);
  for (const char *p = strstr(out, w); p != NULL; p = strstr(p + 1, w)) {
    bool before = p > out && ((p[-1] >= 'a' && p[-1] <= 'z') ||
                              (p[-1] >= 'A' && p[-1] <= 'Z'));
    bool after = (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z');
    if (!before &&
        (!after || strncmp(p, "inf", 3) == 0 || strncmp(p, "Inf", 3) == 0)) {
      if (strncmp(p, "infinity", 8) == 0 || strncmp(p, "Infinity", 8) == 0 ||
          !after) {
        fprintf(stderr, "unexpected word \"%s\" in output\n", w);
        fail();
      }
    }
  }
}

static void common_absences(const char *out) {
  const char *words[] = {"nan", "NaN", "NAN", "inf", "Inf", "INF"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    assert_no_word(out, words[i]);
  const char *planted[] = {"9973",   "86.4",   "0.8642", "75.3",
                           "0.7531", "95.1%",  "0.9512", "98.8",
                           "0.9876", "43.2",   "0.4321", "4.32",
                           "12.3",   "12.345", "98.3",   "0.9833"};
  for (size_t i = 0; i < sizeof planted / sizeof planted[0]; i++)
    assert_absent(out, planted[i]);
}

/* ---- tests ---- */

static void formatting_helpers(void **state) {
  (void)state;
  struct ck_report *r = ck_report_new();
  r->min_cell = 11;
  r->confidence = 0.95;
  char b[CK_FMT_CAP];
  size_t shown = cell(r, 42, false, CK_SHOWN);
  size_t small = cell(r, 7, false, CK_HIDDEN_SMALL);
  size_t small_out = cell(r, 0, true, CK_HIDDEN_SMALL);
  size_t comp = cell(r, 9973, false, CK_HIDDEN_COMPLEMENT);
  assert_string_equal(ck_fmt_count(b, r, shown), "42");
  /* small and complementary counts print alike (docs/privacy.md) */
  assert_string_equal(ck_fmt_count(b, r, small), "withheld");
  assert_string_equal(ck_fmt_count(b, r, small_out), "withheld");
  assert_string_equal(ck_fmt_count(b, r, comp), "withheld");

  struct ck_rate q = rate(shown, shown, 0.834, 0.761, 0.890, CK_SHOWN, 0);
  assert_string_equal(ck_fmt_rate(b, r, &q, false), "83.4% (95% CI 76.1–89.0)");
  assert_string_equal(ck_fmt_rate(b, r, &q, true), "83.4% (76.1–89.0)");
  r->confidence = 0.9;
  assert_string_equal(ck_fmt_rate(b, r, &q, false), "83.4% (90% CI 76.1–89.0)");
  r->confidence = 0.95;
  q.est.estimate = NAN;
  assert_string_equal(ck_fmt_rate(b, r, &q, false), "not enough data");
  q = rate(shown, small, 0.834, 0.761, 0.890, CK_SHOWN, 0); /* n withheld */
  assert_string_equal(ck_fmt_rate(b, r, &q, false), "withheld");
  q = rate(small_out, shown, 0.1, 0, 0.3, CK_CODED_LE, 0.2);
  assert_string_equal(ck_fmt_rate(b, r, &q, false), "≤ 20%");
  q.bound = 0.024;
  assert_string_equal(ck_fmt_rate(b, r, &q, false), "≤ 3%");
  q = rate(small_out, shown, 0.9, 0.7, 1, CK_CODED_GE, 0.8);
  assert_string_equal(ck_fmt_rate(b, r, &q, false), "≥ 80%");
  q.bound = 0.976;
  assert_string_equal(ck_fmt_rate(b, r, &q, false), "≥ 97%");
  q.shown = CK_HIDDEN_DERIVED;
  assert_string_equal(ck_fmt_rate(b, r, &q, false), "withheld");
  q.shown = CK_NOT_ENOUGH_DATA;
  assert_string_equal(ck_fmt_rate(b, r, &q, false), "not enough data");

  assert_string_equal(ck_fmt_p(b, 0.0004), "< 0.001");
  assert_string_equal(ck_fmt_p(b, 0.001), "0.00100");
  assert_string_equal(ck_fmt_p(b, 0.04567), "0.0457");
  assert_string_equal(ck_fmt_p(b, 0.5), "0.500");
  assert_string_equal(ck_fmt_p(b, 1.0000001), "1.00");
  assert_string_equal(ck_fmt_p(b, NAN), "not enough data");
  assert_string_equal(ck_fmt_pct(b, 0.834), "83.4%");
  assert_string_equal(ck_fmt_pct(b, INFINITY), "not enough data");
  assert_string_equal(ck_fmt_pp(b, 0.052), "+5.2");
  assert_string_equal(ck_fmt_pp(b, -0.031), "-3.1");
  assert_string_equal(ck_fmt_pp(b, -0.0001), "0.0");
  assert_string_equal(ck_fmt_score(b, 221.44), "221.4");
  assert_string_equal(ck_fmt_change(b, 6.25), "+6.2");
  assert_string_equal(ck_fmt_change(b, -0.04), "0.0");
  assert_string_equal(ck_fmt_ratio(b, 0), "0");
  assert_string_equal(ck_fmt_ratio(b, INFINITY), "∞");
  assert_string_equal(ck_fmt_ratio(b, 1.5), "1.50");
  assert_string_equal(ck_fmt_ratio(b, NAN), "not enough data");
  assert_string_equal(ck_fmt_conf(b, 0.95), "95%");
  assert_string_equal(ck_fmt_conf(b, 0.995), "99.5%");
  assert_string_equal(ck_fmt_time(b, 1710504000), "2024-03-15T12:00:00Z");
  assert_string_equal(ck_fmt_time(b, -1), "");
  assert_string_equal(ck_fmt_date(b, ck_days_from_civil(2022, 7, 1)),
                      "2022-07-01");
  ck_report_free(r);
}

static void locale_independent(void **state) {
  (void)state;
  const char *locs[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "C.UTF-8"};
  const char *got = NULL;
  for (size_t i = 0; i < 4 && got == NULL; i++)
    got = setlocale(LC_NUMERIC, locs[i]);
  char b[CK_FMT_CAP];
  assert_string_equal(ck_fmt_pct(b, 0.834), "83.4%");
  assert_string_equal(ck_fmt_p(b, 0.04567), "0.0457");
  setlocale(LC_NUMERIC, "C");
}

static void text_report(void **state) {
  (void)state;
  struct ck_report *r = model();
  char *out = render(ck_render_text, r);
  common_absences(out);
  assert_present(out,
                 "ckcohort report — Step 2 CK low pass and Match outcomes");
  assert_present(out, "The number of records that show an attempt after a "
                      "passed attempt");
  assert_absent(out, "(s)");
  assert_present(out, "83.4% (76.1–89.0)");
  assert_present(out, "≥ 95%");
  assert_present(out, "≤ 20%");
  assert_present(out, "odds ratio ∞ (95% CI 1.50 to ∞)");
  assert_present(out, "p < 0.001");
  assert_present(out, "+5.2 percentage points (95% CI -3.1 to +12.0)");
  assert_present(out, "withheld: the match rate of a group is withheld");
  assert_present(
      out, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  assert_present(out, "2024-03-15T12:00:00Z");
  assert_present(out, "Wilson score interval (prop.test(correct = FALSE))");
  assert_present(out, "chi² = 3.21, p = 0.0730;");
  assert_present(out, "+6.2 (+3.1 to +9.4)");
  assert_present(out, "0.0457 (normal approximation");
  char line[512];
  line_of(out, "Failed, never passed", line, sizeof line);
  assert_null(strchr(line, '7'));
  assert_non_null(strstr(line, "withheld"));
  assert_null(strstr(line, "1–10"));
  line_of(out, "Failed, then passed  ", line, sizeof line);
  assert_non_null(strstr(line, "withheld"));
  /* every line fits 80 columns */
  for (const char *p = out; *p;) {
    size_t n = strcspn(p, "\n");
    char l[1024];
    assert_true(n < sizeof l);
    memcpy(l, p, n);
    l[n] = '\0';
    if (ck_utf8_width(l) > 80) {
      fprintf(stderr, "line too wide: %s\n", l);
      fail();
    }
    p += n + (p[n] == '\n');
  }
  char *again = render(ck_render_text, r);
  assert_string_equal(out, again);
  free(again);
  free(out);
  ck_report_free(r);
}

static void markdown_report(void **state) {
  (void)state;
  struct ck_report *r = model();
  char *out = render(ck_render_md, r);
  common_absences(out);
  assert_present(out,
                 "# ckcohort report — Step 2 CK low pass and Match outcomes\n");
  assert_present(out, "\n## Retake policy\n");
  assert_present(out, "| Ortho\\|Spine \\*x\\* \\<b\\> |");
  assert_absent(out, "<b>");
  assert_present(out, "83.4% (76.1–89.0)");
  assert_present(out, "≥ 95%");
  assert_present(out, "| --- | ---: |");
  /* Markdown does not wrap: whole sentences */
  assert_present(out, "The number of records that show an attempt after a "
                      "passed attempt (flagged by validate) is withheld.");
  /* a plain reading after the statistics, and the glossary */
  assert_present(out, "matched about as often: the difference, +5.2 points, "
                      "is well within what chance alone could give.");
  assert_present(out, "## Glossary");
  assert_present(out, "a 95% CI misses the true value about once in 20.");
  assert_present(out, "difference in match rate +5.2 percentage points (95% CI "
                      "-3.1 to +12.0); Fisher's exact test p \\< 0.001; odds "
                      "ratio ∞ (95% CI 1.50 to ∞).");
  assert_present(out, "chi² = 3.21, p = 0.0730; change per year +1.2 "
                      "percentage points.");
  assert_present(out,
                 "n = withheld pairs of practice average and retake score; "
                 "line: not enough data.");
  assert_present(out, "| Family Medicine | 15 | withheld | withheld |");
  char line[1024];
  line_of(out, "Failed, never passed", line, sizeof line);
  assert_null(strchr(line, '7'));
  char *again = render(ck_render_md, r);
  assert_string_equal(out, again);
  free(again);
  free(out);
  ck_report_free(r);
}

static json_t *find_by(json_t *arr, const char *key, const char *val) {
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    json_t *k = json_object_get(v, key);
    if (json_is_string(k) && strcmp(json_string_value(k), val) == 0)
      return v;
  }
  return NULL;
}

/* No integer 7 or 9973 and no planted real anywhere in the tree. */
static void no_planted(json_t *v) {
  if (json_is_integer(v)) {
    json_int_t x = json_integer_value(v);
    assert_true(x != 7 && x != 9973);
  } else if (json_is_real(v)) {
    double x = json_real_value(v);
    const double planted[] = {0.8642, 0.7531, 0.9512, 0.9876,
                              0.4321, 4.321,  12.345, 0.9833};
    for (size_t i = 0; i < sizeof planted / sizeof planted[0]; i++)
      assert_true(fabs(x - planted[i]) > 1e-9);
  } else if (json_is_object(v)) {
    const char *k;
    json_t *c;
    json_object_foreach(v, k, c) no_planted(c);
  } else if (json_is_array(v)) {
    size_t i;
    json_t *c;
    json_array_foreach(v, i, c) no_planted(c);
  }
}

static void json_report(void **state) {
  (void)state;
  struct ck_report *r = model();
  char *out = render(ck_render_json, r);
  common_absences(out);
  json_error_t e;
  json_t *j = json_loads(out, 0, &e);
  if (j == NULL)
    fprintf(stderr, "json: %s at %d:%d\n", e.text, e.line, e.column);
  assert_non_null(j);
  no_planted(j);
  assert_int_equal(json_integer_value(json_object_get(j, "schema_version")), 1);
  assert_string_equal(
      json_string_value(json_object_get(json_object_get(j, "tool"), "name")),
      "ckcohort");
  assert_string_equal(json_string_value(json_object_get(j, "generated")),
                      "2024-03-15T12:00:00Z");
  json_t *in = json_array_get(json_object_get(j, "inputs"), 0);
  assert_true(json_is_string(json_object_get(in, "sha256")));
  assert_int_equal(json_integer_value(json_object_get(in, "rows")), 120);
  json_t *rows = json_object_get(j, "rows");
  const char *rk[] = {"read", "accepted", "excluded", "rejected"};
  for (size_t i = 0; i < 4; i++)
    assert_true(json_is_integer(json_object_get(rows, rk[i])));
  json_t *set = json_object_get(j, "settings");
  assert_int_equal(json_integer_value(json_object_get(set, "min_cell")), 11);
  assert_true(json_is_real(json_object_get(set, "confidence")));
  assert_int_equal(json_integer_value(json_object_get(set, "low_pass_margin")),
                   6);

  json_t *groups = json_object_get(j, "groups");
  assert_int_equal(json_array_size(groups), CK_G_COUNT);
  json_t *g = find_by(groups, "id", "low_pass_no_retake");
  assert_non_null(g);
  assert_string_equal(json_string_value(json_object_get(g, "label")),
                      "Low pass, no retake");
  assert_int_equal(json_integer_value(json_object_get(g, "n")), 110);
  assert_int_equal(json_integer_value(json_object_get(g, "matched")), 92);
  assert_true(json_is_false(json_object_get(g, "suppressed")));
  json_t *mr = json_object_get(g, "match_rate");
  assert_true(json_is_real(json_object_get(mr, "estimate")));
  assert_true(json_is_real(json_object_get(mr, "ci_low")));
  assert_true(json_is_real(json_object_get(mr, "ci_high")));
  assert_true(json_is_false(json_object_get(mr, "suppressed")));

  g = find_by(groups, "id", "failed_never_passed");
  assert_true(json_is_null(json_object_get(g, "n")));
  assert_true(json_is_true(json_object_get(g, "suppressed")));
  assert_string_equal(json_string_value(json_object_get(g, "n_suppressed")),
                      "withheld");
  /* nothing tells a small count from a complementary one */
  assert_null(json_object_get(g, "n_range"));
  mr = json_object_get(g, "match_rate");
  assert_true(json_is_null(json_object_get(mr, "estimate")));
  assert_true(json_is_true(json_object_get(mr, "suppressed")));
  assert_string_equal(json_string_value(json_object_get(mr, "reason")),
                      "derived");

  g = find_by(groups, "id", "failed_then_passed");
  assert_string_equal(json_string_value(json_object_get(g, "n_suppressed")),
                      "withheld");
  mr = json_object_get(json_object_get(g, "matched_target"), "rate");
  assert_string_equal(json_string_value(json_object_get(mr, "reason")),
                      "not_enough_data");

  g = find_by(groups, "id", "above_band_competitive");
  mr = json_object_get(g, "match_rate");
  assert_true(json_is_null(json_object_get(mr, "estimate")));
  assert_string_equal(json_string_value(json_object_get(mr, "coded")),
                      ">=0.95");
  g = find_by(groups, "id", "above_band_below_average");
  mr = json_object_get(json_object_get(g, "matched_target"), "rate");
  assert_string_equal(json_string_value(json_object_get(mr, "coded")),
                      "<=0.20");

  json_t *cmp = json_object_get(j, "comparisons");
  json_t *c = find_by(cmp, "id", "retook_vs_no_retake");
  assert_non_null(c);
  assert_true(json_is_real(json_object_get(c, "fisher_p")));
  json_t *d = json_object_get(c, "difference");
  assert_true(json_is_real(json_object_get(d, "estimate")));
  json_t *orr = json_object_get(c, "odds_ratio");
  assert_true(json_is_null(json_object_get(orr, "estimate")));
  assert_true(json_is_real(json_object_get(orr, "ci_low")));
  assert_true(json_is_true(json_object_get(orr, "unbounded")));
  assert_true(json_is_false(json_object_get(orr, "suppressed")));
  c = find_by(cmp, "id", "low_pass_vs_failed_then_passed");
  assert_true(json_is_null(json_object_get(c, "fisher_p")));
  assert_true(json_is_true(json_object_get(c, "suppressed")));
  assert_true(json_is_true(
      json_object_get(json_object_get(c, "difference"), "suppressed")));

  json_t *sc = json_object_get(j, "score_change");
  assert_true(json_is_null(json_object_get(sc, "n")));
  assert_true(json_is_object(json_object_get(sc, "mean")));
  assert_true(json_is_null(json_object_get(sc, "median")));
  assert_true(json_is_array(json_object_get(sc, "categories")));
  sc = json_object_get(j, "score_change_all_retakers");
  assert_int_equal(json_integer_value(json_object_get(sc, "n")), 40);
  assert_true(json_is_real(json_object_get(sc, "median")));
  assert_true(json_is_real(json_object_get(sc, "share_ge_20")));
  assert_true(json_is_real(json_object_get(sc, "wilcoxon_p")));
  json_t *cat = find_by(json_object_get(sc, "categories"), "id", "similar");
  assert_true(json_is_null(json_object_get(cat, "n")));

  json_t *pr = json_object_get(j, "practice_regression");
  assert_true(json_is_null(json_object_get(pr, "slope")));
  assert_string_equal(
      json_string_value(json_object_get(pr, "slope_suppressed")),
      "not_enough_data");
  pr = json_object_get(j, "practice_regression_all_retakers");
  assert_true(json_is_real(json_object_get(pr, "r_squared")));
  json_t *p0 = json_array_get(json_object_get(pr, "predictions"), 1);
  assert_int_equal(json_integer_value(json_object_get(p0, "practice")), 245);
  assert_true(json_is_real(json_object_get(p0, "pi_low")));
  assert_true(json_is_true(json_object_get(p0, "extrapolated")));

  assert_true(json_is_array(json_object_get(j, "by_specialty")));
  json_t *sp = find_by(json_object_get(j, "by_specialty"), "specialty",
                       "Ortho|Spine *x* <b>");
  assert_non_null(sp);
  assert_string_equal(json_string_value(json_object_get(sp, "tier")),
                      "very_competitive");
  assert_int_equal(json_array_size(json_object_get(j, "by_year")), 2);
  assert_true(json_is_real(json_object_get(json_object_get(j, "trend"), "p")));
  assert_int_equal(json_array_size(json_object_get(j, "matched_into")), 2);
  assert_int_equal(
      json_array_size(json_object_get(j, "matched_into_program_type")), 4);
  json_t *pol = json_object_get(j, "retake_policy");
  assert_true(json_is_null(json_object_get(pol, "retake_after_pass")));
  assert_true(json_is_string(json_object_get(pol, "statement")));
  json_decref(j);

  char *again = render(ck_render_json, r);
  assert_string_equal(out, again);
  free(again);
  free(out);

  r->generated = -1;
  out = render(ck_render_json, r);
  assert_absent(out, "\"generated\"");
  free(out);
  ck_report_free(r);
}

static void hostile_names_and_write_errors(void **state) {
  (void)state;
  struct ck_report *r = model();
  free(r->into[1].name);
  r->into[1].name = strdup("Other\n| x |\x1b[31m");
  ck_render_fn fns[3] = {ck_render_text, ck_render_md, ck_render_json};
  for (int i = 0; i < 3; i++) {
    char *out = render(fns[i], r);
    assert_absent(out, "\x1b");
    assert_absent(out, "\n| x |");
    free(out);
  }
  FILE *full = fopen("/dev/full", "w");
  if (full != NULL) {
    for (int i = 0; i < 3; i++)
      assert_int_equal(fns[i](full, r), CK_EIO);
    fclose(full);
  }
  ck_report_free(r);
}

static void renderer_table(void **state) {
  (void)state;
  assert_ptr_equal(ck_renderer("text"), ck_render_text);
  assert_ptr_equal(ck_renderer("md"), ck_render_md);
  assert_ptr_equal(ck_renderer("json"), ck_render_json);
  assert_ptr_equal(ck_renderer("html"), ck_render_html);
  assert_ptr_equal(ck_renderer("pdf"), ck_render_pdf);
  assert_null(ck_renderer("html5"));
  assert_null(ck_renderer(NULL));
}

/* The printed page's header and footer come from the page itself: @page
 * margin boxes with the title, the cohort line, the generation date and
 * "page N of M". */
static void html_page_furniture(void **state) {
  (void)state;
  struct ck_report *r = model();
  char *out = render(ck_render_html, r);
  assert_present(out, "@top-left{content:\"ckcohort report — Step 2 CK low "
                      "pass and Match outcomes\"");
  assert_present(out, "@bottom-left{content:\"Generated 2024-03-15\"");
  assert_present(out, "@bottom-right{content:\"page \" counter(page) \" of "
                      "\" counter(pages)");
  assert_present(out, "applicants, Match years ");
  /* headings kept with what follows; charts report their plot area */
  assert_present(out, "<div class=\"kt\">\n<h2>");
  assert_present(out, "class=\"plot\" data-x0=");
  /* a chart's numbers repeat its section's table: folded, not printed */
  assert_present(out, "<details class=\"fd\"><summary>The chart's numbers");
  assert_present(out, "details.fd{display:none}");
  free(out);
  ck_report_free(r);
}

/* Withheld statistics beside a shown n say why; beside a withheld n they
 * say nothing more (that a release's rule held would narrow that n), and
 * a nested group's difference is told only beside both sizes. */
static void stats_reason_only_with_n_shown(void **state) {
  (void)state;
  ck_render_fn fns[3] = {ck_render_text, ck_render_md, ck_render_html};
  for (int k = 0; k < 3; k++) {
    struct ck_report *r = model();
    r->score_change.why = CK_WHY_RELEASE; /* n withheld */
    struct ck_score_change *a = &r->score_change_all;
    a->shown = a->wilcoxon_shown = CK_HIDDEN_DERIVED;
    a->why = CK_WHY_CATEGORIES; /* n shown, 2 of 5 categories withheld */
    char *out = render(fns[k], r);
    for (char *p = out; *p; p++) /* the text renderer wraps its lines */
      if (*p == '\n')
        *p = ' ';
    assert_present(out, "2 of the 5 change categories below are withheld");
    assert_absent(out, "added since");
    free(out);
    /* a nested group's difference: only beside both sizes */
    a->why = CK_WHY_NESTED;
    out = render(fns[k], r);
    assert_absent(out, "the other members are fewer than");
    free(out);
    r->cells[r->score_change.n].shown = CK_SHOWN;
    out = render(fns[k], r);
    for (char *p = out; *p; p++)
      if (*p == '\n')
        *p = ' ';
    assert_present(out, "the other members are fewer than");
    assert_absent(out, "change categories below");
    free(out);
    ck_report_free(r);
  }
  /* JSON gives the same reason as an id, under the same rule */
  struct ck_report *r = model();
  r->score_change.why = CK_WHY_RELEASE; /* n withheld: not said */
  struct ck_score_change *a = &r->score_change_all;
  a->shown = a->wilcoxon_shown = CK_HIDDEN_DERIVED;
  a->why = CK_WHY_NESTED;             /* inner n withheld: not said */
  r->regression.why = CK_WHY_RELEASE; /* n withheld: not said */
  r->regression_all.shown = CK_HIDDEN_DERIVED;
  r->regression_all.why = CK_WHY_RELEASE; /* n shown */
  for (int pass = 0; pass < 2; pass++) {
    char *out = render(ck_render_json, r);
    json_error_t e;
    json_t *j = json_loads(out, 0, &e);
    assert_non_null(j);
    const char *key = "statistics_withheld_because";
    assert_true(
        json_is_null(json_object_get(json_object_get(j, "score_change"), key)));
    json_t *all =
        json_object_get(json_object_get(j, "score_change_all_retakers"), key);
    if (pass == 0) {
      assert_true(json_is_null(all));
    } else {
      assert_string_equal(json_string_value(all), "nested");
    }
    assert_true(json_is_null(
        json_object_get(json_object_get(j, "practice_regression"), key)));
    json_t *reg = json_object_get(
        json_object_get(j, "practice_regression_all_retakers"), key);
    assert_string_equal(json_string_value(reg), "release");
    json_decref(j);
    free(out);
    r->score_change.why = CK_WHY_NONE;
    r->cells[r->score_change.n].shown = CK_SHOWN;
  }
  ck_report_free(r);
}

/* Without a browser on PATH, the error names the package to install. */
static void pdf_without_browser(void **state) {
  (void)state;
  const char *old = getenv("PATH");
  char *saved = old ? strdup(old) : NULL;
  setenv("PATH", "/nonexistent-ckcohort-test", 1);
  char exe[256];
  struct ck_error err;
  ck_error_clear(&err);
  assert_int_equal(ck_pdf_printer(exe, sizeof exe, &err), CK_EIO);
  assert_string_equal(exe, "");
  assert_non_null(strstr(err.text, "install the Debian package chromium"));
  ck_error_clear(&err);
  assert_int_equal(ck_pdf_from_html(stdout, "<p>x</p>", 8, &err), CK_EIO);
  assert_non_null(strstr(err.text, "chromium"));
  if (saved != NULL)
    setenv("PATH", saved, 1);
  free(saved);
}

static void empty_model(void **state) {
  (void)state;
  /* A model with nothing in it still renders without reading past arrays. */
  struct ck_report *r = ck_report_new();
  r->min_cell = 11;
  r->confidence = 0.95;
  r->checked = true;
  ck_render_fn fns[3] = {ck_render_text, ck_render_md, ck_render_json};
  for (int i = 0; i < 3; i++) {
    char *out = render(fns[i], r);
    common_absences(out);
    free(out);
  }
  ck_report_free(r);
}

/* A model that has not been through ck_suppress (or gained a count since)
 * is refused by every renderer: CK_EUSAGE and not one byte written. */
static void unchecked_refused(void **state) {
  (void)state;
  struct ck_report *r = model();
  r->checked = false;
  ck_render_fn fns[4] = {ck_render_text, ck_render_md, ck_render_json,
                         ck_render_html};
  for (int i = 0; i < 4; i++) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(fns[i](f, r), CK_EUSAGE);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(len, 0);
    free(buf);
  }
  /* a count added after suppression clears the mark */
  r->checked = true;
  ck_report_cell(r, 3, false);
  assert_false(r->checked);
  ck_report_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(unchecked_refused),
      cmocka_unit_test(formatting_helpers),
      cmocka_unit_test(locale_independent),
      cmocka_unit_test(text_report),
      cmocka_unit_test(markdown_report),
      cmocka_unit_test(json_report),
      cmocka_unit_test(renderer_table),
      cmocka_unit_test(empty_model),
      cmocka_unit_test(html_page_furniture),
      cmocka_unit_test(stats_reason_only_with_n_shown),
      cmocka_unit_test(pdf_without_browser),
      cmocka_unit_test(hostile_names_and_write_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
