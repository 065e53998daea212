/*
 * stats.h - the statistical primitives of the analysis stage (GSL inside)
 * SPDX-License-Identifier: MIT
 *
 * Each routine matches a named R function so any number can be checked in R.
 * They return CK_OK, or CK_EDATA when the data cannot support the statistic
 * (n too small, no variation, ...) -- the caller then reports "not enough
 * data".  On CK_OK every output is finite unless documented otherwise; on
 * any other status the outputs are left untouched.  Non-finite inputs give
 * CK_EDATA.  A NULL output pointer or conf outside (0, 1) is CK_EUSAGE;
 * CK_ENOMEM and CK_EINTERNAL report allocation or numerical failure.
 * Implemented in src/analyse_stats.c, the only file that calls GSL's
 * statistics (with generate.c, which uses GSL's random number generators).
 */
#ifndef CKCOHORT_STATS_H
#define CKCOHORT_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ckcohort/ckcohort.h"

#ifdef __cplusplus
extern "C" {
#endif

/* struct ck_est (estimate and interval) is in ckcohort/ckcohort.h: the
 * public report model holds it. */

/* Wilson score interval for x/n; R prop.test(x, n, correct = FALSE).
 * CK_EDATA when n == 0 or x > n. */
enum ck_status ck_prop_wilson(size_t x, size_t n, double conf,
                              struct ck_est *out);

/* Clopper-Pearson exact interval; R binom.test(x, n)$conf.int.
 * CK_EDATA when n == 0 or x > n. */
enum ck_status ck_prop_exact(size_t x, size_t n, double conf,
                             struct ck_est *out);

/* Difference p1 - p2 with Newcombe's hybrid score interval (method 10 of
 * Newcombe 1998, built from the two Wilson intervals).
 * CK_EDATA when n1 or n2 is 0 or x1 > n1 or x2 > n2. */
enum ck_status ck_prop_diff_newcombe(size_t x1, size_t n1, size_t x2, size_t n2,
                                     double conf, struct ck_est *out);

struct ck_fisher {
  double p;                 /* two-sided p, R fisher.test (relErr 1 + 1e-7) */
  struct ck_est odds_ratio; /* conditional MLE and exact interval; estimate
                               may be 0 or +INFINITY, hi may be +INFINITY */
};

/* Fisher's exact test on the 2x2 table [[a, b], [c, d]] (rows: groups,
 * columns: outcome yes/no); R fisher.test(matrix(c(a, c, b, d), 2)).
 * CK_EDATA when a row or column total is 0, or the table total exceeds
 * INT_MAX (R's limit). */
enum ck_status ck_fisher_exact(size_t a, size_t b, size_t c, size_t d,
                               double conf, struct ck_fisher *out);

/* Mean with Student t interval; R t.test(x)$estimate, $conf.int.
 * CK_EDATA when n < 2 or all values are equal. */
enum ck_status ck_mean_t(const double *x, size_t n, double conf,
                         struct ck_est *out);

/* ck_mean_t, and the sample standard deviation it used (n - 1; R sd(x))
 * in *sd; the same errors (so none for data R's sd takes but t.test not). */
enum ck_status ck_mean_t_sd(const double *x, size_t n, double conf,
                            struct ck_est *out, double *sd);

/* Quantile of type 7 (R quantile(x, p, type = 7), Excel PERCENTILE.INC) of
 * x, which is not modified; CK_EDATA when n == 0 or p outside [0, 1]. */
enum ck_status ck_quantile(const double *x, size_t n, double p, double *out);

/* Wilcoxon signed-rank test of d against 0, two-sided;
 * R wilcox.test(d) (= wilcox.test(y, x, paired = TRUE) with d = y - x):
 * zeros dropped; exact when fewer than 50 non-zero values, no ties among
 * |d| and no zeros (as in R, any zero difference forces the approximation),
 * otherwise normal approximation with tie and continuity corrections.
 * *exact tells which.  CK_EDATA when every d is 0 or n == 0. */
enum ck_status ck_wilcoxon_signed_rank(const double *d, size_t n, double *p,
                                       bool *exact);

struct ck_linfit {
  size_t n;
  double intercept, slope;
  double r2;                  /* coefficient of determination */
  double sigma;               /* residual standard error, df = n - 2 */
  double xbar, sxx;           /* mean of x and sum of squared deviations */
  double cov00, cov01, cov11; /* covariance of (intercept, slope) */
};

/* Least squares y = intercept + slope * x (gsl_fit_linear); R lm(y ~ x).
 * CK_EDATA when n < 3 or all x are equal, or all y are equal (R's
 * r.squared would be NaN). */
enum ck_status ck_linfit(const double *x, const double *y, size_t n,
                         struct ck_linfit *out);

/* The same fit from the integer sums of x, y, x^2, xy and y^2 over n
 * points (what a school's summary keeps); R lm(y ~ x) on the points.
 * CK_EDATA as ck_linfit. */
enum ck_status ck_linfit_sums(size_t n, int64_t sx, int64_t sy, int64_t sxx,
                              int64_t sxy, int64_t syy, struct ck_linfit *out);

/* Fitted value at x0 with its prediction interval;
 * R predict(fit, data.frame(x = x0), interval = "prediction", level = conf). */
enum ck_status ck_linfit_predict(const struct ck_linfit *f, double x0,
                                 double conf, struct ck_est *out);

/* Chi-squared test for trend in proportions x[i]/n[i] with scores s[i];
 * R prop.trend.test(x, n, score = s).  CK_EDATA when fewer than 2 groups
 * have n > 0, or all or none of the total had the outcome, or s is constant. */
enum ck_status ck_prop_trend(const size_t *x, const size_t *n, const double *s,
                             size_t k, double *chi2, double *p);

#ifdef __cplusplus
}
#endif
#endif
