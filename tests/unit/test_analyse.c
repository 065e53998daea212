/*
 * test_analyse.c - the report model from a known cohort, against R
 * SPDX-License-Identifier: MIT
 *
 * Fixture: tests/data/analyse_fixture.csv (32 rows: 30 accepted, 1 without a
 * first score, 1 rejected).  Every expected figure below comes from
 * `Rscript tests/data/analyse_reference.R` (R 4.x, base packages), whose
 * output is quoted beside each literal; the R command is named there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <math.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "ckcohort/analyse.h"
#include "ckcohort/render.h"
#include "ckcohort/export.h"
#include "classify.h"
#include "report_model.h"

#define TOL 1e-9
/* Fisher odds ratio: R's fisher.test finds it with uniroot (tol ~1.2e-4). */
#define TOL_OR 2e-2

static void near(double got, double want, double tol) {
  double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
  if (!(fabs(got - want) <= tol * scale))
    fail_msg("got %.17g, want %.17g", got, want);
}

static void est_is(const struct ck_est *e, double est, double lo, double hi,
                   double tol) {
  near(e->estimate, est, tol);
  near(e->lo, lo, tol);
  near(e->hi, hi, tol);
}

static long V(const struct ck_report *r, size_t c) {
  assert_true(c < r->n_cells);
  return r->cells[c].value;
}

/* Every constraint holds: total == sum of parts; every index is a cell. */
static void assert_constraints_hold(const struct ck_report *r) {
  for (size_t k = 0; k < r->n_constraints; k++) {
    const struct ck_constraint *q = &r->constraints[k];
    assert_true(q->total < r->n_cells);
    assert_true(q->first + q->n_parts <= r->n_parts_used);
    long sum = 0;
    for (size_t j = 0; j < q->n_parts; j++) {
      assert_true(r->parts[q->first + j] < r->n_cells);
      sum += r->cells[r->parts[q->first + j]].value;
    }
    if (sum != r->cells[q->total].value)
      fail_msg("constraint %zu: total %ld, parts sum to %ld", k,
               r->cells[q->total].value, sum);
  }
  for (size_t i = 0; i < r->n_cells; i++)
    assert_true(r->cells[i].value >= 0);
}

static void finite_est(const struct ck_est *e) {
  assert_true(isfinite(e->estimate) && isfinite(e->lo) && isfinite(e->hi));
}

static void finite_rate(const struct ck_report *r, const struct ck_rate *q) {
  finite_est(&q->est);
  assert_true(isfinite(q->bound));
  if (q->shown == CK_SHOWN) {
    assert_true(q->x < r->n_cells && q->n < r->n_cells);
    assert_true(q->est.lo <= q->est.estimate && q->est.estimate <= q->est.hi);
  }
}

/* No NaN or infinity anywhere in the model (a Fisher odds ratio may be 0 or
 * +inf, as stats.h documents, but never NaN). */
static void assert_model_finite(const struct ck_report *r) {
  for (int g = 0; g < CK_G_COUNT; g++) {
    finite_rate(r, &r->groups[g].match_rate);
    finite_rate(r, &r->groups[g].target_rate);
    finite_rate(r, &r->groups[g].academic_share);
  }
  for (size_t i = 0; i < r->n_comparisons; i++) {
    const struct ck_comparison *c = &r->comparisons[i];
    finite_est(&c->difference);
    assert_true(isfinite(c->fisher_p));
    assert_false(isnan(c->odds_ratio.estimate) || isnan(c->odds_ratio.lo) ||
                 isnan(c->odds_ratio.hi));
  }
  const struct ck_score_change *s[2] = {&r->score_change, &r->score_change_all};
  for (int i = 0; i < 2; i++) {
    finite_est(&s[i]->mean);
    assert_true(isfinite(s[i]->sd) && isfinite(s[i]->median) &&
                isfinite(s[i]->q1) && isfinite(s[i]->q3) &&
                isfinite(s[i]->wilcoxon_p));
    finite_rate(r, &s[i]->share_ge_20);
  }
  const struct ck_regression *g[2] = {&r->regression, &r->regression_all};
  for (int i = 0; i < 2; i++) {
    assert_true(isfinite(g[i]->intercept) && isfinite(g[i]->slope) &&
                isfinite(g[i]->r2) && isfinite(g[i]->sigma));
    for (size_t j = 0; j < CK_MAX_PRACTICE_POINTS; j++)
      finite_est(&g[i]->pred[j].fit);
  }
  for (size_t i = 0; i < r->n_specialties; i++) {
    finite_rate(r, &r->specialties[i].match_rate);
    finite_rate(r, &r->specialties[i].target_rate);
    finite_rate(r, &r->specialties[i].lp_match_rate);
  }
  for (size_t i = 0; i < r->n_years; i++)
    finite_rate(r, &r->years[i].match_rate);
  assert_true(isfinite(r->trend.chi2) && isfinite(r->trend.p) &&
              isfinite(r->trend.change_per_year));
}

struct fixture {
  struct ck_config *cfg;
  struct ck_cohort *c;
  struct ck_report *r;
};

static void load_buffer(struct fixture *f, const char *csv) {
  struct ck_error err;
  ck_error_clear(&err);
  f->c = ck_cohort_new(f->cfg, NULL);
  assert_non_null(f->c);
  assert_int_equal(ck_ingest_buffer(f->c, "t.csv", csv, strlen(csv), 0, &err),
                   CK_OK);
  f->r = ck_analyse(f->c, f->cfg, &err);
  assert_non_null(f->r);
  assert_constraints_hold(f->r);
  assert_model_finite(f->r);
}

static void load_file(struct fixture *f) {
  struct ck_error err;
  ck_error_clear(&err);
  f->c = ck_cohort_new(f->cfg, NULL);
  assert_int_equal(
      ck_ingest_file(f->c, CK_TEST_DATA "/analyse_fixture.csv", &err), CK_OK);
  f->r = ck_analyse(f->c, f->cfg, &err);
  assert_non_null(f->r);
  assert_constraints_hold(f->r);
  assert_model_finite(f->r);
}

static void done(struct fixture *f) {
  ck_report_free(f->r);
  ck_cohort_free(f->c);
  ck_config_free(f->cfg);
}

static void group_counts(const struct ck_report *r, enum ck_group_id g, long n,
                         long matched) {
  const struct ck_group_row *row = &r->groups[g];
  assert_int_equal(row->id, g);
  assert_int_equal(V(r, row->n), n);
  assert_int_equal(V(r, row->matched), matched);
  assert_int_equal(V(r, row->unmatched), n - matched);
}

static void fixture_counts(void **state) {
  (void)state;
  struct fixture f = {ck_config_new(), NULL, NULL};
  load_file(&f);
  const struct ck_report *r = f.r;
  assert_int_equal(r->read, 32);
  assert_int_equal(r->accepted, 30);
  assert_int_equal(r->excluded, 1);
  assert_int_equal(r->rejected, 1);
  assert_int_equal(r->excluded_no_score, 1);
  assert_int_equal(r->n_inputs, 1);
  assert_int_equal(strlen(r->inputs[0].sha256), 64);
  assert_int_equal(r->n_reasons, 1);
  assert_string_equal(r->reasons[0].what, "step2_attempt_1");
  assert_int_equal(r->reasons[0].n, 1);
  assert_int_equal(r->year_min, 2023);
  assert_int_equal(r->year_max, 2024);
  assert_int_equal(r->retake_after_pass, 7);
  assert_int_equal(V(r, r->retake_after_pass_cell), 7);
  assert_int_equal(r->min_cell, 11);
  assert_int_equal(r->n_pass_marks, f.cfg->n_pass_marks);

  group_counts(r, CK_G_ALL, 30, 21);
  group_counts(r, CK_G_FAILED_FIRST, 8, 4);
  group_counts(r, CK_G_FAILED_THEN_PASSED, 6, 4);
  group_counts(r, CK_G_FAILED_NEVER_PASSED, 2, 0);
  group_counts(r, CK_G_LOW_PASS, 15, 11);
  group_counts(r, CK_G_LOW_PASS_NO_RETAKE, 8, 6);
  group_counts(r, CK_G_LOW_PASS_RETOOK, 7, 5);
  group_counts(r, CK_G_LPR_LOWER, 1, 1);
  group_counts(r, CK_G_LPR_SIMILAR, 2, 1);
  group_counts(r, CK_G_LPR_SLIGHTLY_HIGHER, 1, 1);
  group_counts(r, CK_G_LPR_MODERATELY_HIGHER, 1, 1);
  group_counts(r, CK_G_LPR_SIGNIFICANTLY_HIGHER, 2, 1);
  group_counts(r, CK_G_ABOVE_BAND, 7, 6);
  group_counts(r, CK_G_ABOVE_BELOW_AVERAGE, 2, 2);
  group_counts(r, CK_G_ABOVE_AROUND_AVERAGE, 3, 3);
  group_counts(r, CK_G_ABOVE_COMPETITIVE, 2, 1);

  /* Targets: 28 named one; matched into it: s01 s03 s05 s08 s09 s10 s12 s13
   * s15 s16 s17 s19 s24 s25 s26 s27 s28 s30 = 18. */
  const struct ck_group_row *all = &r->groups[CK_G_ALL];
  assert_int_equal(V(r, all->with_target), 28);
  assert_int_equal(V(r, all->matched_target), 18);
  assert_int_equal(V(r, all->missed_target), 10);
  /* Program given for 19 of 21 matched (s05, s19, s21 lack it -> 18);
   * academic: s02 s03 s10 s12 s15 s17 s25 s26 s27 s28 = 10. */
  assert_int_equal(V(r, all->with_program), 18);
  assert_int_equal(V(r, all->academic), 10);
  assert_int_equal(V(r, all->not_academic), 8);
  const struct ck_group_row *lpnr = &r->groups[CK_G_LOW_PASS_NO_RETAKE];
  assert_int_equal(V(r, lpnr->with_target), 7);
  assert_int_equal(V(r, lpnr->matched_target), 4); /* s01 s03 s05 s08 */

  /* Cells of outcomes are flagged as such; group sizes are not. */
  assert_false(r->cells[all->n].outcome);
  assert_true(r->cells[all->matched].outcome);
  assert_true(r->cells[all->unmatched].outcome);

  /* Years: 2023 has 10 rows (5 matched), 2024 has 20 (16 matched). */
  assert_int_equal(r->n_years, 2);
  assert_int_equal(r->years[0].year, 2023);
  assert_int_equal(r->years[0].pass_mark, 214);
  assert_int_equal(V(r, r->years[0].n), 10);
  assert_int_equal(V(r, r->years[0].matched), 5);
  assert_int_equal(V(r, r->years[1].n), 20);
  assert_int_equal(V(r, r->years[1].matched), 16);

  /* Specialties: very competitive first, then middle, forgiving, unknown,
   * and the "(none given)" row last. */
  assert_true(r->n_specialties >= 3);
  for (size_t i = 1; i < r->n_specialties; i++) {
    const struct ck_specialty_row *a = &r->specialties[i - 1],
                                  *b = &r->specialties[i];
    assert_false(a->is_none);
    if (!b->is_none) {
      assert_true(a->tier > b->tier ||
                  (a->tier == b->tier && strcmp(a->name, b->name) < 0));
    }
  }
  assert_string_equal(r->specialties[0].name, "Dermatology");
  const struct ck_specialty_row *none = &r->specialties[r->n_specialties - 1];
  assert_true(none->is_none);
  assert_string_equal(none->name, "(none given)");
  assert_int_equal(V(r, none->n), 2);
  assert_int_equal(none->matched_target, CK_NO_CELL);
  const struct ck_specialty_row *astro = &r->specialties[r->n_specialties - 2];
  assert_string_equal(astro->name, "Astrology");
  assert_int_equal(astro->tier, CK_TIER_NONE);

  /* Matched into: with min_cell 11 every specialty has fewer than 11
   * matched low-pass / failed-then-passed applicants, so all merge.
   * Columns: no retake 6, retook 5, failed then passed 4. */
  assert_int_equal(V(r, r->into_totals[CK_INTO_NO_RETAKE]), 6);
  assert_int_equal(V(r, r->into_totals[CK_INTO_RETOOK]), 5);
  assert_int_equal(V(r, r->into_totals[CK_INTO_FAILED_THEN_PASSED]), 4);
  assert_int_equal(r->n_into, 2);
  assert_string_equal(r->into[0].name, "Other (merged)");
  assert_string_equal(r->into[1].name, "(not given)");
  assert_int_equal(V(r, r->into[1].cells[CK_INTO_FAILED_THEN_PASSED]), 1);
  assert_string_equal(r->programs[0].name, "Academic");
  assert_string_equal(r->programs[3].name, "(not given)");
  /* Academic: no retake s02 s03; retook s10 s12 s15; ftp s17. */
  assert_int_equal(V(r, r->programs[0].cells[CK_INTO_NO_RETAKE]), 2);
  assert_int_equal(V(r, r->programs[0].cells[CK_INTO_RETOOK]), 3);
  assert_int_equal(V(r, r->programs[0].cells[CK_INTO_FAILED_THEN_PASSED]), 1);
  done(&f);
}

static void fixture_into_unmerged(void **state) {
  (void)state;
  struct fixture f = {ck_config_new(), NULL, NULL};
  f.cfg->min_cell = 3;
  load_file(&f);
  const struct ck_report *r = f.r;
  /* Family Medicine: s01 s02 (no retake), s10 (retook), s16 (ftp) = 4;
   * Internal Medicine: s03 s08, s09 s12, s17 = 5; the rest merge. */
  assert_int_equal(r->n_into, 4);
  assert_string_equal(r->into[0].name, "Internal Medicine");
  assert_string_equal(r->into[1].name, "Family Medicine");
  assert_string_equal(r->into[2].name, "Other (merged)");
  assert_string_equal(r->into[3].name, "(not given)");
  assert_int_equal(V(r, r->into[0].cells[CK_INTO_NO_RETAKE]), 2);
  assert_int_equal(V(r, r->into[0].cells[CK_INTO_RETOOK]), 2);
  assert_int_equal(V(r, r->into[1].cells[CK_INTO_FAILED_THEN_PASSED]), 1);
  done(&f);
}

static void fixture_against_r(void **state) {
  (void)state;
  struct fixture f = {ck_config_new(), NULL, NULL};
  load_file(&f);
  const struct ck_report *r = f.r;
  /* prop.test(x, n, correct = FALSE) */
  est_is(&r->groups[CK_G_ALL].match_rate.est, 0.69999999999999996,
         0.52124212541285053, 0.83335251731756199, TOL);
  est_is(&r->groups[CK_G_LOW_PASS_NO_RETAKE].match_rate.est, 0.75,
         0.409275430310169, 0.92852078724789089, TOL);
  est_is(&r->groups[CK_G_LOW_PASS_RETOOK].match_rate.est, 0.7142857142857143,
         0.35893445183261941, 0.91778107599594327, TOL);
  est_is(&r->groups[CK_G_LOW_PASS].match_rate.est, 0.73333333333333328,
         0.48049565944019434, 0.89102546674307626, TOL);
  est_is(&r->groups[CK_G_FAILED_THEN_PASSED].match_rate.est,
         0.66666666666666663, 0.29999331513839206, 0.90322858889421964, TOL);
  assert_int_equal(r->groups[CK_G_FAILED_NEVER_PASSED].match_rate.shown,
                   CK_SHOWN);

  /* Newcombe method 10 from the Wilson limits; fisher.test */
  assert_int_equal(r->n_comparisons, 3);
  const struct ck_comparison *c = &r->comparisons[0];
  assert_string_equal(c->id, "retook_vs_no_retake");
  assert_int_equal(c->shown, CK_SHOWN);
  est_is(&c->difference, -0.035714285714285698, -0.43338775881327818,
         0.36115293972502599, TOL);
  near(c->fisher_p, 1.0, TOL);
  est_is(&c->odds_ratio, 0.84356193791540701, 0.044866989105350953,
         15.785182472931627, TOL_OR);
  c = &r->comparisons[1];
  assert_string_equal(c->id, "low_pass_vs_failed_then_passed");
  est_is(&c->difference, 0.066666666666666652, -0.27958242342266215,
         0.46581094591953753, TOL);
  near(c->fisher_p, 1.0, TOL);
  est_is(&c->odds_ratio, 1.3537040403293596, 0.089214640365194331,
         15.006051242100519, TOL_OR);
  /* low pass, no retake (6 of 8) vs failed then passed (4 of 6):
   * analyse_reference.R cmp2_diff, cmp2_fisher; R 4.2.2:
   * fisher.test(matrix(c(6, 4, 2, 2), 2)) -> p 1, OR 1.456469099657687
   * (0.075183014536229803, 28.599752370738209) */
  c = &r->comparisons[2];
  assert_string_equal(c->id, "no_retake_vs_failed_then_passed");
  est_is(&c->difference, 0.08333333333333337, -0.33146152613133667,
         0.49115562085644598, TOL);
  near(c->fisher_p, 1.0, TOL);
  est_is(&c->odds_ratio, 1.456469099657687, 0.075183014536229803,
         28.599752370738209, TOL_OR);

  /* t.test, sd, quantile(type 7), wilcox.test on changes c(-6, 0, 3, 8,
   * 15, 22, 25) (zero present: normal approximation) */
  const struct ck_score_change *s = &r->score_change;
  assert_string_equal(s->id, "score_change");
  assert_int_equal(s->n, r->groups[CK_G_LOW_PASS_RETOOK].n);
  assert_int_equal(s->shown, CK_SHOWN);
  est_is(&s->mean, 9.5714285714285712, -1.1192061392457577, 20.262063282102904,
         TOL);
  near(s->sd, 11.559370554621372, TOL);
  near(s->median, 8, TOL);
  near(s->q1, 1.5, TOL);
  near(s->q3, 18.5, TOL);
  assert_int_equal(s->wilcoxon_shown, CK_SHOWN);
  assert_false(s->wilcoxon_exact);
  near(s->wilcoxon_p, 0.09349248368983569, TOL);
  near(s->share_ge_20.est.estimate, 2.0 / 7.0, TOL);
  for (int k = 0; k < CK_CHANGE_NCAT; k++)
    assert_int_equal(s->categories[k], r->groups[CK_G_LPR_LOWER + k].n);

  s = &r->score_change_all;
  assert_string_equal(s->id, "score_change_all_retakers");
  assert_int_equal(V(r, s->n), 14);
  est_is(&s->mean, 11, 5.8010878465950766, 16.198912153404923, TOL);
  near(s->sd, 9.0042724901528324, TOL);
  near(s->median, 9.5, TOL);
  near(s->q1, 6, TOL);
  near(s->q3, 18, TOL);
  near(s->wilcoxon_p, 0.0032758974829085945, TOL);

  /* lm(y ~ x); predict(interval = "prediction", level = 0.95) at 230 235
   * 240 245 */
  const struct ck_regression *g = &r->regression;
  assert_int_equal(g->shown, CK_SHOWN);
  assert_int_equal(V(r, g->n), 7);
  assert_int_equal(g->x_min, 225);
  assert_int_equal(g->x_max, 250);
  near(g->intercept, -97.782309322033839, TOL);
  near(g->slope, 1.3702330508474576, TOL);
  near(g->r2, 0.95213346831651235, TOL);
  near(g->sigma, 3.1911224846226509, TOL);
  assert_int_equal(g->n_pred, 4);
  assert_int_equal(g->pred[0].practice, 230);
  est_is(&g->pred[0].fit, 217.37129237288144, 208.28689117100288,
         226.45569357476001, TOL);
  est_is(&g->pred[3].fit, 237.9247881355933, 228.67996721843113,
         247.16960905275548, TOL);
  g = &r->regression_all;
  assert_int_equal(V(r, g->n), 13);
  /* Pairs are tied to their scope: scope = pairs + without practice. */
  bool tied = false;
  for (size_t k = 0; k < r->n_constraints; k++) {
    const struct ck_constraint *q = &r->constraints[k];
    if (q->total == r->score_change_all.n && q->n_parts == 2 &&
        r->parts[q->first] == g->n)
      tied = V(r, r->parts[q->first + 1]) == 1;
  }
  assert_true(tied);
  near(g->intercept, -45.919010669253161, TOL);
  near(g->slope, 1.15737148399612, TOL);
  near(g->r2, 0.91428899257091523, TOL);
  near(g->sigma, 3.2961067526541457, TOL);
  est_is(&g->pred[1].fit, 226.06328806983504, 218.50505526696386,
         233.62152087270621, TOL);

  /* prop.trend.test(c(5, 16), c(10, 20), score = c(2023, 2024));
   * coef(lm(p ~ year, weights = n))[2] */
  assert_int_equal(r->trend.shown, CK_SHOWN);
  near(r->trend.chi2, 2.8571428571428625, TOL);
  near(r->trend.p, 0.090968947975357206, TOL);
  near(r->trend.change_per_year, 0.3, 1e-9);
  done(&f);
}

static void fixture_exact_intervals(void **state) {
  (void)state;
  struct fixture f = {ck_config_new(), NULL, NULL};
  f.cfg->clopper_pearson = true;
  load_file(&f);
  /* binom.test(21, 30)$conf.int */
  est_is(&f.r->groups[CK_G_ALL].match_rate.est, 0.7, 0.50604095853744635,
         0.85265481524529896, TOL);
  done(&f);
}

static void deterministic(void **state) {
  (void)state;
  struct fixture a = {ck_config_new(), NULL, NULL};
  struct fixture b = {ck_config_new(), NULL, NULL};
  load_file(&a);
  load_file(&b);
  assert_int_equal(a.r->n_cells, b.r->n_cells);
  assert_int_equal(a.r->n_constraints, b.r->n_constraints);
  for (size_t i = 0; i < a.r->n_cells; i++)
    assert_int_equal(a.r->cells[i].value, b.r->cells[i].value);
  assert_memory_equal(a.r->parts, b.r->parts,
                      a.r->n_parts_used * sizeof *a.r->parts);
  for (size_t i = 0; i < a.r->n_specialties; i++)
    assert_string_equal(a.r->specialties[i].name, b.r->specialties[i].name);
  done(&a);
  done(&b);
}

/* r as ck_render_json writes it; the caller frees it. */
static char *json_of(const struct ck_report *r) {
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  assert_non_null(m);
  assert_int_equal(ck_render_json(m, r), CK_OK);
  fclose(m);
  return buf;
}

/* The repository's sample cohort, one file per class. */
static const char *const sample[] = {
    CK_TEST_DATA "/../../sample-data/class-2017.csv",
    CK_TEST_DATA "/../../sample-data/class-2018.csv",
    CK_TEST_DATA "/../../sample-data/class-2019.csv",
    CK_TEST_DATA "/../../sample-data/class-2020.csv",
    CK_TEST_DATA "/../../sample-data/class-2021.csv",
    CK_TEST_DATA "/../../sample-data/class-2022.csv",
    CK_TEST_DATA "/../../sample-data/class-2023.csv",
    CK_TEST_DATA "/../../sample-data/class-2024.csv",
    CK_TEST_DATA "/../../sample-data/class-2025.csv",
    CK_TEST_DATA "/../../sample-data/class-2026.csv"};
#define N_SAMPLE (sizeof sample / sizeof sample[0])

/* JSON of the suppressed report of files read with or without the tally. */
static char *report_json(const char *const *paths, size_t n, bool tally) {
  struct ck_config *cfg = ck_config_new();
  struct ck_ingest_options o = {0};
  o.tally = tally;
  struct ck_cohort *c = ck_cohort_new(cfg, &o);
  struct ck_error err;
  for (size_t i = 0; i < n; i++)
    assert_int_equal(ck_ingest_file(c, paths[i], &err), CK_OK);
  if (tally)
    assert_true(c->n_tally > 0 && c->n_records < c->accepted);
  struct ck_report *r = ck_analyse(c, cfg, &err);
  assert_non_null(r);
  assert_int_equal(ck_suppress(r), CK_OK);
  char *buf = json_of(r);
  ck_report_free(r);
  ck_cohort_free(c);
  ck_config_free(cfg);
  return buf;
}

/* Counting applicants whom no statistic needs one by one changes nothing:
 * the whole report of the sample cohort and of the fixture is the same. */
static void tally_same_report(void **state) {
  (void)state;
  static const char *const fixture[] = {CK_TEST_DATA "/analyse_fixture.csv"};
  char *a = report_json(sample, N_SAMPLE, false),
       *b = report_json(sample, N_SAMPLE, true);
  assert_string_equal(a, b);
  free(a);
  free(b);
  a = report_json(fixture, 1, false);
  b = report_json(fixture, 1, true);
  assert_string_equal(a, b);
  free(a);
  free(b);
}

/* The sample cohort read on two threads, so that the tests may run on the
 * analysis's helper thread. */
static struct ck_cohort *sample_cohort(const struct ck_config *cfg) {
  struct ck_ingest_options o = {0};
  o.tally = true;
  o.threads = 2;
  struct ck_cohort *c = ck_cohort_new(cfg, &o);
  struct ck_error err;
  for (size_t i = 0; i < N_SAMPLE; i++)
    assert_int_equal(ck_ingest_file(c, sample[i], &err), CK_OK);
  ck_cohort_done(c);
  return c;
}

/* ck_analyse_start, ck_suppress_counts while the tests run, ck_analyse_wait,
 * ck_suppress: the same report as ck_analyse then ck_suppress.  A model
 * freed before its tests are in waits for them (ASan and valgrind see no
 * leak); a count added, or a threshold raised, after ck_suppress_counts
 * is judged by ck_suppress, not left as ck_suppress_counts saw the model. */
static void started_report_same(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_cohort *c = sample_cohort(cfg);
  struct ck_error err;
  ck_error_clear(&err);
  struct ck_report *r = ck_analyse(c, cfg, &err);
  assert_non_null(r);
  assert_null(r->tests);
  assert_int_equal(ck_suppress(r), CK_OK);
  char *want = json_of(r);
  ck_report_free(r);

  r = ck_analyse_start(c, cfg, &err);
  assert_non_null(r);
  if (sysconf(_SC_NPROCESSORS_ONLN) > 1) /* the helper holds the tests */
    assert_non_null(r->tests);
  assert_int_equal(ck_suppress_counts(r), CK_OK);
  assert_false(r->checked); /* only ck_suppress marks it */
  assert_int_equal(ck_analyse_wait(r, &err), CK_OK);
  assert_null(r->tests);
  assert_int_equal(ck_analyse_wait(r, &err), CK_OK); /* again: nothing */
  assert_int_equal(ck_suppress(r), CK_OK);
  assert_false(r->counts_done);
  char *got = json_of(r);
  assert_string_equal(got, want);
  free(got);
  ck_report_free(r);

  ck_report_free(ck_analyse_start(c, cfg, &err));

  r = ck_analyse_start(c, cfg, &err);
  assert_non_null(r);
  assert_int_equal(ck_suppress_counts(r), CK_OK);
  assert_int_equal(ck_analyse_wait(r, &err), CK_OK);
  size_t k = ck_report_cell(r, 3, false);
  assert_int_equal(ck_suppress(r), CK_OK);
  assert_int_not_equal(r->cells[k].shown, CK_SHOWN);
  ck_report_free(r);

  /* a threshold raised after ck_suppress_counts is applied too: the 20
   * applicants of the sample's low-pass retakers pass 11, not 25 */
  struct ck_config *cfg25 = ck_config_new();
  cfg25->min_cell = 25;
  r = ck_analyse_start(c, cfg, &err);
  assert_non_null(r);
  assert_int_equal(ck_suppress_counts(r), CK_OK);
  assert_int_equal(ck_analyse_wait(r, &err), CK_OK);
  k = r->groups[CK_G_LOW_PASS_RETOOK].n;
  assert_int_equal(r->cells[k].value, 20);
  assert_int_equal(r->cells[k].shown, CK_SHOWN);
  ck_report_privacy_from(r, cfg25);
  assert_int_equal(ck_suppress(r), CK_OK);
  assert_int_not_equal(r->cells[k].shown, CK_SHOWN);
  ck_report_free(r);
  ck_config_free(cfg25);

  free(want);
  ck_cohort_free(c);
  ck_config_free(cfg);
}

/* The model is ready for ck_suppress: it runs and leaves it consistent. */
static void suppress_runs(void **state) {
  (void)state;
  struct fixture f = {ck_config_new(), NULL, NULL};
  load_file(&f);
  /* before ck_suppress the model is refused by the export too (no
   * directory made) */
  struct ck_error err;
  ck_error_clear(&err);
  assert_false(f.r->checked);
  assert_int_equal(
      ck_export_csv(f.r, "unchecked-export-dir", NULL, NULL, 0, &err),
      CK_EUSAGE);
  assert_int_not_equal(access("unchecked-export-dir", F_OK), 0);
  assert_int_equal(ck_suppress(f.r), CK_OK);
  assert_true(f.r->checked);
  /* Every low-pass group is below 11. */
  assert_int_not_equal(f.r->cells[f.r->groups[CK_G_LOW_PASS_NO_RETAKE].n].shown,
                       CK_SHOWN);
  assert_int_not_equal(f.r->groups[CK_G_LOW_PASS_NO_RETAKE].match_rate.shown,
                       CK_SHOWN);
  assert_model_finite(f.r);
  /* A pair count equal to a withheld group size must not be shown. */
  const struct ck_report *r = f.r;
  if (r->cells[r->groups[CK_G_LOW_PASS_RETOOK].n].shown != CK_SHOWN)
    assert_int_not_equal(r->cells[r->regression.n].shown, CK_SHOWN);
  done(&f);
}

#define HEADER                                                                 \
  "student_id,match_year,step2_attempt_1,step2_attempt_2,practice_avg_2,"      \
  "target_specialty,matched,matched_specialty,program_type\n"

static void degenerate_empty(void **state) {
  (void)state;
  struct fixture f = {ck_config_new(), NULL, NULL};
  load_buffer(&f, HEADER);
  const struct ck_report *r = f.r;
  assert_int_equal(V(r, r->groups[CK_G_ALL].n), 0);
  for (int g = 0; g < CK_G_COUNT; g++)
    assert_int_equal(r->groups[g].match_rate.shown, CK_NOT_ENOUGH_DATA);
  for (int i = 0; i < 2; i++)
    assert_int_equal(r->comparisons[i].shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->score_change.shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->score_change.wilcoxon_shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->score_change_all.shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->regression.shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->regression_all.shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->trend.shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->n_specialties, 0);
  assert_int_equal(r->n_years, 0);
  assert_int_equal(r->n_into, 0);
  assert_int_equal(ck_suppress(f.r), CK_OK);
  done(&f);
}

static void degenerate_one_record(void **state) {
  (void)state;
  struct fixture f = {ck_config_new(), NULL, NULL};
  load_buffer(&f, HEADER "a,2024,216,230,240,EM,Y,EM,academic\n");
  const struct ck_report *r = f.r;
  assert_int_equal(V(r, r->groups[CK_G_LPR_MODERATELY_HIGHER].n), 1);
  assert_int_equal(r->groups[CK_G_ALL].match_rate.shown, CK_SHOWN);
  assert_int_equal(r->comparisons[0].shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->score_change.shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->regression.shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->trend.shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->n_years, 1);
  assert_int_equal(r->n_specialties, 1);
  assert_int_equal(ck_suppress(f.r), CK_OK);
  assert_model_finite(f.r);
  done(&f);
}

static void degenerate_all_matched_no_change(void **state) {
  (void)state;
  struct fixture f = {ck_config_new(), NULL, NULL};
  /* Everyone matched; every retaker scored the same twice; one practice
   * value. */
  load_buffer(&f, HEADER "a,2024,216,216,230,FM,Y,FM,\n"
                         "b,2024,217,217,230,FM,Y,FM,\n"
                         "c,2024,218,218,230,FM,Y,FM,\n"
                         "d,2024,219,,,FM,Y,FM,\n"
                         "e,2023,210,216,230,FM,Y,FM,\n"
                         "f,2023,211,211,230,FM,Y,FM,\n");
  const struct ck_report *r = f.r;
  /* Fisher: an outcome column total of 0. */
  assert_int_equal(r->comparisons[0].shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->comparisons[1].shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->score_change.shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->score_change.wilcoxon_shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->regression.shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->regression_all.shown, CK_NOT_ENOUGH_DATA);
  /* All matched in both years: no trend to test. */
  assert_int_equal(r->trend.shown, CK_NOT_ENOUGH_DATA);
  /* A rate of 100% is still a rate (suppression codes it later). */
  assert_int_equal(r->groups[CK_G_ALL].match_rate.shown, CK_SHOWN);
  near(r->groups[CK_G_ALL].match_rate.est.estimate, 1.0, TOL);
  assert_int_equal(ck_suppress(f.r), CK_OK);
  assert_model_finite(f.r);
  done(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fixture_counts),
      cmocka_unit_test(fixture_into_unmerged),
      cmocka_unit_test(fixture_against_r),
      cmocka_unit_test(fixture_exact_intervals),
      cmocka_unit_test(deterministic),
      cmocka_unit_test(suppress_runs),
      cmocka_unit_test(tally_same_report),
      cmocka_unit_test(started_report_same),
      cmocka_unit_test(degenerate_empty),
      cmocka_unit_test(degenerate_one_record),
      cmocka_unit_test(degenerate_all_matched_no_change),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
