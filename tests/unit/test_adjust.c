/*
 * test_adjust.c - adjusted comparisons (logistic regression, Mantel-Haenszel,
 * Breslow-Day) against R 4.2.2
 * SPDX-License-Identifier: MIT
 *
 * Every expected number below is printed by
 *     cd tests/data && Rscript adjust_reference.R
 * (glm(y ~ group + score_c + tier + year_c, family = binomial),
 * anova(m0, m1, test = "LRT"), mantelhaen.test(x, correct = FALSE,
 * exact = FALSE), and Breslow-Day with Tarone's correction written out from
 * its definition with uniroot; DescTools is not used).  Agreement is
 * required to 1e-6 relative; the largest relative error per quantity is
 * printed so the margin is visible.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "adjust.h"
#include "ckcohort/analyse.h"

#define REL 1e-6

static double worst[16];
enum {
  Q_COEF,
  Q_SE,
  Q_P,
  Q_DEV,
  Q_LRT,
  Q_OR,
  Q_MH_OR,
  Q_MH_CI,
  Q_MH_CHI2,
  Q_MH_P,
  Q_BD,
  Q_NQ
};
static const char *qname[Q_NQ] = {
    "coefficient",   "standard error",    "Wald p",
    "deviance",      "LRT chi2/p",        "adjusted OR + Wald CI",
    "MH odds ratio", "MH RBG interval",   "MH chi2",
    "MH p",          "Breslow-Day chi2/p"};

static void rel(int q, double got, double want) {
  double e = fabs(got - want) / (fabs(want) > 1e-300 ? fabs(want) : 1.0);
  if (e > worst[q])
    worst[q] = e;
  if (!(e <= REL))
    fail_msg("%s: got %.17g, want %.17g (relative error %.3g)", qname[q], got,
             want, e);
}

/* y group score tier year -> the library's design: intercept, group,
 * score - mean, tier dummies (reference forgiving; levels present),
 * year - mean. */
struct data {
  size_t n, p;
  double x[256 * 8], y[256];
};

static void load(const char *name, struct data *d) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", CK_TEST_DATA, name);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char line[256];
  assert_non_null(fgets(line, sizeof line, f)); /* header */
  int g[256], s[256], yr[256], t[256];
  size_t n = 0;
  bool present[3] = {false, false, false};
  double ms = 0, my = 0;
  char tier[32];
  int y;
  while (n < 256 &&
         fscanf(f, "%d %d %d %31s %d", &y, &g[n], &s[n], tier, &yr[n]) == 5) {
    t[n] = strcmp(tier, "forgiving") == 0 ? 0
           : strcmp(tier, "middle") == 0  ? 1
                                          : 2;
    present[t[n]] = true;
    d->y[n] = y;
    ms += s[n];
    my += yr[n];
    n++;
  }
  fclose(f);
  ms /= (double)n;
  my /= (double)n;
  size_t p = 3 + (present[1] ? 1 : 0) + (present[2] ? 1 : 0) + 1;
  memset(d->x, 0, sizeof d->x);
  for (size_t i = 0; i < n; i++) {
    double *r = d->x + i * p;
    size_t j = 0;
    r[j++] = 1;
    r[j++] = g[i];
    r[j++] = s[i] - ms;
    if (present[1])
      r[j++] = t[i] == 1;
    if (present[2])
      r[j++] = t[i] == 2;
    r[j++] = yr[i] - my;
  }
  d->n = n;
  d->p = p;
}

static void main_fixture(void **state) {
  (void)state;
  static struct data d;
  load("adjust_main.txt", &d);
  struct ck_logit f;
  assert_int_equal(ck_logit_fit(d.x, d.y, d.n, d.p, &f), CK_OK);
  /* R: coef, summary(m1)$coefficients[, 2], [, 4] */
  const double coef[] = {1.2642622516424311,   0.5407820282460396,
                         0.053679928438487783, -0.88777465955863766,
                         -1.6447447955791061,  0.062193373738774801};
  const double se[] = {0.36443891915390914,  0.34789613532508629,
                       0.011287487610006083, 0.44056372298051899,
                       0.43125194452697585,  0.073987323841337396};
  const double p[] = {0.00052227333153590536, 0.12008062209727768,
                      1.977579160287409e-06,  0.04389543217759332,
                      0.00013679982061179228, 0.40057486640842177};
  assert_int_equal(d.p, 6);
  for (size_t j = 0; j < 6; j++) {
    assert_false(f.aliased[j]);
    rel(Q_COEF, f.beta[j], coef[j]);
    rel(Q_SE, f.se[j], se[j]);
    rel(Q_P, f.p_value[j], p[j]);
  }
  rel(Q_DEV, f.deviance, 228.08977225220974);
  rel(Q_DEV, f.null_deviance, 269.20466680370259);
  assert_int_equal(f.df_residual, 194);
  assert_int_equal(f.iterations, 4); /* R m1$iter */
  assert_true(f.converged);
  assert_false(f.separation);
  assert_false(f.fitted_01);

  /* LRT: the model without the group column (column 1) */
  static double x0[256 * 8];
  for (size_t i = 0; i < d.n; i++)
    for (size_t j = 0, k = 0; j < d.p; j++)
      if (j != 1)
        x0[i * (d.p - 1) + k++] = d.x[i * d.p + j];
  struct ck_logit f0;
  assert_int_equal(ck_logit_fit(x0, d.y, d.n, d.p - 1, &f0), CK_OK);
  rel(Q_LRT, f0.deviance - f.deviance, 2.4662782576737357);
}

/* Mantel-Haenszel on the tier tables of adjust_main.txt.  R prints them as
 * "a c b d" per tier: 17 25 5 8 | 20 22 6 19 | 10 26 12 30. */
static void mantel_haenszel(void **state) {
  (void)state;
  const size_t t[3][4] = {{17, 5, 25, 8}, {20, 6, 22, 19}, {10, 12, 26, 30}};
  struct ck_mh m;
  assert_int_equal(ck_mantel_haenszel(t, 3, 0.95, &m), CK_OK);
  assert_int_equal(m.strata, 3);
  rel(Q_MH_OR, m.odds_ratio.estimate, 1.4546527382082937);
  rel(Q_MH_CI, m.odds_ratio.lo, 0.77913997569231341);
  rel(Q_MH_CI, m.odds_ratio.hi, 2.7158336817420752);
  rel(Q_MH_CHI2, m.chi2, 1.3795269650516635);
  rel(Q_MH_P, m.p, 0.24018173881561491);
  assert_true(m.bd_ok);
  assert_int_equal(m.bd_df, 2);
  rel(Q_BD, m.bd_chi2, 2.3791708208403679);
  rel(Q_BD, m.bd_chi2_tarone, 2.3790860736643182);
  rel(Q_BD, m.bd_p, 0.30436031374712813);
}

/* adjust_separated.txt: matched exactly when score >= 225.  R warns
 * "glm.fit: algorithm did not converge" and "glm.fit: fitted probabilities
 * numerically 0 or 1 occurred" (iter 25, converged FALSE, deviance
 * 3.03e-09, SEs up to 276119): numbers without meaning, which we flag. */
static void separated(void **state) {
  (void)state;
  static struct data d;
  load("adjust_separated.txt", &d);
  struct ck_logit f;
  assert_int_equal(ck_logit_fit(d.x, d.y, d.n, d.p, &f), CK_OK);
  assert_true(f.separation);
  assert_true(f.fitted_01);
  assert_false(f.converged);
  assert_int_equal(f.iterations, 25);
  assert_true(f.diverging[2]); /* the score separates */
  assert_true(f.deviance < 1e-6);
  rel(Q_DEV, f.null_deviance, 55.351732736406397);
}

/* adjust_collinear.txt: tier "very" exactly when group = 1.  R gives NA for
 * tiervery and these for the rest (intercept, group, score_c, tiermiddle,
 * year_c); anova's LRT is 0 with p NA since the group adds nothing. */
static void collinear(void **state) {
  (void)state;
  static struct data d;
  load("adjust_collinear.txt", &d);
  assert_int_equal(d.p, 6);
  struct ck_logit f;
  assert_int_equal(ck_logit_fit(d.x, d.y, d.n, d.p, &f), CK_OK);
  const double coef[] = {0.50849889463468045,
                         1.3599438703804594,
                         0.041889920268486071,
                         1.2316078631039205,
                         0,
                         -0.13399337308317516};
  const double se[] = {0.54438930752855819,
                       0.79785290134926179,
                       0.025713468466838051,
                       0.86071632003632437,
                       0,
                       0.19717748195800824};
  const double p[] = {0.35026667327171745,
                      0.088286873813337746,
                      0.10329095574822246,
                      0.15245591957497159,
                      0,
                      0.49678489211635063};
  assert_int_equal(f.rank, 5);
  for (size_t j = 0; j < 6; j++) {
    assert_int_equal(f.aliased[j], j == 4);
    if (j == 4)
      continue;
    rel(Q_COEF, f.beta[j], coef[j]);
    rel(Q_SE, f.se[j], se[j]);
    rel(Q_P, f.p_value[j], p[j]);
  }
  rel(Q_DEV, f.deviance, 56.189863366580731);
  assert_int_equal(f.df_residual, 55);
  assert_false(f.separation);
}

/* The overlap shortcut against the separation program on random small
 * designs: few levels per column, so that rows repeat with both outcomes
 * (overlap) or not, some with the outcome set by a column (separated).
 * The shortcut may leave a case to the program, never decide one the
 * program would call separated. */
static void overlap_shortcut_sound(void **state) {
  (void)state;
  unsigned long seed = 12345;
  size_t claimed = 0, separated_n = 0, overlap_lp = 0;
  for (int it = 0; it < 3000; it++) {
    double x[40 * 5], y[40];
    seed = seed * 6364136223846793005ul + 1442695040888963407ul;
    size_t n = 4 + (seed >> 33) % 37, p = 2 + (seed >> 20) % 4;
    int mode = (int)((seed >> 40) % 4); /* 0: outcome set by column 1 */
    bool ones = false, zeros = false;
    for (size_t i = 0; i < n; i++) {
      x[i * p] = 1.0;
      for (size_t k = 1; k < p; k++) {
        seed = seed * 6364136223846793005ul + 1442695040888963407ul;
        x[i * p + k] = (double)((seed >> 35) % 3) - (k == 2 ? 0.5 : 0.0);
      }
      seed = seed * 6364136223846793005ul + 1442695040888963407ul;
      y[i] = mode == 0 ? (x[i * p + 1] >= 1.0) : (double)((seed >> 37) % 2);
      ones |= y[i] != 0.0;
      zeros |= y[i] == 0.0;
    }
    if (!ones || !zeros)
      continue;
    bool ov = ck_logit_overlap_spans(x, y, n, p);
    bool sep = ck_logit_separated_lp(x, y, n, p);
    if (ov && sep)
      fail_msg("iteration %d: overlap claimed, the program separates", it);
    claimed += ov;
    separated_n += sep;
    overlap_lp += !ov && !sep;
  }
  /* each kind of case came up (counts of this seed) */
  assert_true(claimed > 300);
  assert_true(separated_n > 300);
  assert_true(overlap_lp > 50);
}

static void logit_bad_input(void **state) {
  (void)state;
  double x[6] = {1, 0, 1, 1, 1, 2}, y[3] = {1, 1, 1};
  struct ck_logit f;
  assert_int_equal(ck_logit_fit(x, y, 3, 2, &f), CK_EDATA); /* no variation */
  y[0] = 0;
  assert_int_equal(ck_logit_fit(x, y, 2, 2, &f), CK_EDATA); /* n <= rank */
  y[1] = 2;
  assert_int_equal(ck_logit_fit(x, y, 3, 2, &f), CK_EDATA); /* y not 0/1 */
  y[1] = 1;
  x[3] = NAN;
  assert_int_equal(ck_logit_fit(x, y, 3, 2, &f), CK_EDATA);
  assert_int_equal(ck_logit_fit(NULL, y, 3, 2, &f), CK_EUSAGE);
  assert_int_equal(ck_logit_fit(x, y, 3, 0, &f), CK_EDATA);
  const size_t zero[1][4] = {{5, 0, 3, 0}};
  struct ck_mh m;
  assert_int_equal(ck_mantel_haenszel(zero, 1, 0.95, &m), CK_EDATA);
  const size_t tiny[1][4] = {{1, 0, 0, 0}};
  assert_int_equal(ck_mantel_haenszel(tiny, 1, 0.95, &m), CK_EDATA);
  assert_int_equal(ck_mantel_haenszel(zero, 1, 1.5, &m), CK_EUSAGE);
}

static struct ck_report *analyse_file(struct ck_config *cfg,
                                      struct ck_cohort **c) {
  char path[512];
  snprintf(path, sizeof path, "%s/adjust_cohort.csv", CK_TEST_DATA);
  struct ck_error err;
  ck_error_clear(&err);
  *c = ck_cohort_new(cfg, NULL);
  assert_int_equal(ck_ingest_file(*c, path, &err), CK_OK);
  struct ck_report *r = ck_analyse(*c, cfg, &err);
  assert_non_null(r);
  assert_int_equal(ck_suppress(r), CK_OK);
  return r;
}

/* End to end: tests/data/adjust_cohort.csv (160 applicants: low pass, no
 * retake vs failed then passed, Family Medicine and Internal Medicine, every
 * group x outcome x tier count >= 12). */
static void end_to_end(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_cohort *c;
  struct ck_report *r = analyse_file(cfg, &c);
  assert_int_equal(r->n_adjusted, 3);
  const struct ck_adjusted *a = &r->adjusted[2];
  assert_string_equal(a->id, "no_retake_vs_failed_then_passed");
  assert_int_equal(a->shown, CK_SHOWN);
  assert_int_equal(a->n_coef, 5);
  const double coef[] = {-0.1616398689799359, 0.1641807476771816,
                         0.066988765317071611, -0.50348191206925708,
                         -0.17805638022978432};
  const double se[] = {0.41056582193215935, 0.67285245630308821,
                       0.050614179738349356, 0.34059109670895588,
                       0.2083098248813498};
  const double p[] = {0.69380235273401514, 0.80722535437281562,
                      0.18566325724068719, 0.1393384216709804,
                      0.39268010764419226};
  for (size_t j = 0; j < 5; j++) {
    rel(Q_COEF, a->coef[j].estimate, coef[j]);
    rel(Q_SE, a->coef[j].se, se[j]);
    rel(Q_P, a->coef[j].p, p[j]);
  }
  assert_string_equal(a->coef[3].id, "tier_middle");
  rel(Q_DEV, a->deviance, 205.68481855473215);
  assert_int_equal(a->iterations, 4);
  rel(Q_LRT, a->lrt_chi2, 0.059681935699046562);
  rel(Q_LRT, a->lrt_p, 0.8069993620390381);
  rel(Q_OR, a->odds_ratio.estimate, 1.1784272938405245);
  rel(Q_OR, a->odds_ratio.lo, 0.31518805017886115);
  rel(Q_OR, a->odds_ratio.hi, 4.4059122358232026);
  assert_int_equal(a->mh_shown, CK_SHOWN);
  rel(Q_MH_OR, a->mh_odds_ratio.estimate, 2.5686274509803924);
  rel(Q_MH_CI, a->mh_odds_ratio.lo, 1.3444194067349866);
  rel(Q_MH_CI, a->mh_odds_ratio.hi, 4.9075808850106872);
  rel(Q_MH_CHI2, a->mh_chi2, 8.2674418604651159);
  rel(Q_MH_P, a->mh_p, 0.0040362337363836678);
  /* the low-pass-retook group is empty: not enough data, like the raw one */
  assert_int_equal(r->adjusted[0].shown, CK_NOT_ENOUGH_DATA);
  assert_int_equal(r->adjusted[0].mh_shown, CK_NOT_ENOUGH_DATA);
  ck_report_free(r);
  ck_cohort_free(c);

  /* min_cell 13: the smallest tier cell (12) is too small, so withheld,
   * with its numbers cleared */
  cfg->min_cell = 13;
  r = analyse_file(cfg, &c);
  a = &r->adjusted[2];
  assert_int_equal(r->comparisons[2].shown, CK_SHOWN);
  assert_int_equal(a->shown, CK_HIDDEN_DERIVED);
  assert_int_equal(a->mh_shown, CK_HIDDEN_DERIVED);
  assert_true(a->odds_ratio.estimate == 0 && a->mh_odds_ratio.estimate == 0);
  ck_report_free(r);
  ck_cohort_free(c);

  /* without tier the model's cells are the raw comparison's: shown; the
   * Mantel-Haenszel check still uses tiers */
  cfg->adjust_terms = CK_ADJ_SCORE | CK_ADJ_YEAR;
  r = analyse_file(cfg, &c);
  a = &r->adjusted[2];
  assert_int_equal(a->shown, CK_SHOWN);
  assert_int_equal(a->n_coef, 4);
  assert_string_equal(a->coef[3].id, "year");
  assert_int_equal(a->mh_shown, CK_HIDDEN_DERIVED);
  ck_report_free(r);
  ck_cohort_free(c);
  ck_config_free(cfg);
}

/* Degenerate cohorts: every state is explained, no number is NaN. */
static void degenerate(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  cfg->min_cell = 3;
  static const char *csvs[] = {
      /* everyone matched */
      "student_id,match_year,step2_attempt_1,step2_attempt_2,"
      "target_specialty,matched\n"
      "a,2024,215,,Family Medicine,Y\nb,2024,216,,Family Medicine,Y\n"
      "c,2024,217,,Family Medicine,Y\nd,2024,205,220,Family Medicine,Y\n"
      "e,2024,206,221,Family Medicine,Y\nf,2024,207,222,Family Medicine,Y\n",
      /* group perfectly predicts the outcome (a zero cell) */
      "student_id,match_year,step2_attempt_1,step2_attempt_2,"
      "target_specialty,matched\n"
      "a,2024,215,,Family Medicine,Y\nb,2024,216,,Family Medicine,Y\n"
      "c,2024,217,,Family Medicine,Y\nd,2024,205,220,Family Medicine,N\n"
      "e,2024,206,221,Family Medicine,N\nf,2024,207,222,Family Medicine,N\n",
      /* no rows */
      "student_id,match_year,step2_attempt_1,step2_attempt_2,"
      "target_specialty,matched\n"};
  for (size_t k = 0; k < sizeof csvs / sizeof csvs[0]; k++) {
    struct ck_error err;
    ck_error_clear(&err);
    struct ck_cohort *c = ck_cohort_new(cfg, NULL);
    assert_int_equal(
        ck_ingest_buffer(c, "t.csv", csvs[k], strlen(csvs[k]), 0, &err), CK_OK);
    struct ck_report *r = ck_analyse(c, cfg, &err);
    assert_non_null(r);
    for (size_t i = 0; i < r->n_adjusted; i++) {
      const struct ck_adjusted *a = &r->adjusted[i];
      assert_int_not_equal(a->shown, CK_SHOWN);
      assert_int_not_equal(a->mh_shown, CK_SHOWN);
      assert_true(isfinite(a->odds_ratio.estimate) &&
                  isfinite(a->mh_odds_ratio.estimate) && isfinite(a->lrt_p));
      if (k == 1 && i == 2) {
        /* before suppression: the separation is found and named */
        assert_int_equal(a->problem, CK_ADJ_SEPARATION);
        assert_true(a->coef[1].diverging);
        assert_int_equal(a->mh_problem, CK_ADJ_ZERO_CELLS);
      }
    }
    assert_int_equal(ck_suppress(r), CK_OK);
    ck_report_free(r);
    ck_cohort_free(c);
  }
  ck_config_free(cfg);
}

static void close_rel(double got, double want, double tol) {
  double e = fabs(got - want) / (fabs(want) > 1e-300 ? fabs(want) : 1.0);
  if (!(e <= tol))
    fail_msg("got %.17g, want %.17g (relative error %.3g)", got, want, e);
}

/* Weights are repeated rows: the main fixture with row i given weight
 * 1 + i % 3, against the same rows written out that many times. */
static void weighted_is_repeated(void **state) {
  (void)state;
  static struct data d;
  load("adjust_main.txt", &d);
  size_t *w = calloc(d.n, sizeof *w), m = 0;
  double *xx = calloc(d.n * 3 * d.p, sizeof *xx);
  double *yy = calloc(d.n * 3, sizeof *yy);
  assert_true(w && xx && yy);
  for (size_t i = 0; i < d.n; i++) {
    w[i] = 1 + i % 3;
    for (size_t k = 0; k < w[i]; k++, m++) {
      memcpy(xx + m * d.p, d.x + i * d.p, d.p * sizeof *xx);
      yy[m] = d.y[i];
    }
  }
  struct ck_logit fw, fr;
  assert_int_equal(ck_logit_fit_w(d.x, d.y, w, d.n, d.p, &fw), CK_OK);
  assert_int_equal(ck_logit_fit(xx, yy, m, d.p, &fr), CK_OK);
  for (size_t j = 0; j < d.p; j++) {
    close_rel(fw.beta[j], fr.beta[j], 1e-10);
    close_rel(fw.se[j], fr.se[j], 1e-10);
  }
  close_rel(fw.deviance, fr.deviance, 1e-12);
  close_rel(fw.null_deviance, fr.null_deviance, 1e-12);
  assert_int_equal(fw.df_residual, fr.df_residual);
  assert_int_equal(fw.n, m);
  assert_int_equal(fw.iterations, fr.iterations);
  assert_int_equal(fw.separation, fr.separation);
  /* all weights 1 is the unweighted fit, to the bit */
  for (size_t i = 0; i < d.n; i++)
    w[i] = 1;
  struct ck_logit f1, f;
  assert_int_equal(ck_logit_fit_w(d.x, d.y, w, d.n, d.p, &f1), CK_OK);
  assert_int_equal(ck_logit_fit(d.x, d.y, d.n, d.p, &f), CK_OK);
  assert_memory_equal(f1.beta, f.beta, sizeof f.beta);
  assert_memory_equal(f1.se, f.se, sizeof f.se);
  w[0] = 0; /* an empty row is a caller's mistake */
  assert_int_equal(ck_logit_fit_w(d.x, d.y, w, d.n, d.p, &f1), CK_EDATA);
  free(w);
  free(xx);
  free(yy);
}

static int report_worst(void **state) {
  (void)state;
  for (int q = 0; q < Q_NQ; q++)
    print_message("max relative error vs R, %-22s %.3g\n", qname[q], worst[q]);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(main_fixture),
      cmocka_unit_test(mantel_haenszel),
      cmocka_unit_test(separated),
      cmocka_unit_test(collinear),
      cmocka_unit_test(logit_bad_input),
      cmocka_unit_test(end_to_end),
      cmocka_unit_test(overlap_shortcut_sound),
      cmocka_unit_test(degenerate),
      cmocka_unit_test(weighted_is_repeated),
  };
  return cmocka_run_group_tests(tests, NULL, report_worst);
}
