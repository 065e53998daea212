/*
 * adjust.h - adjusted comparisons: logistic regression (IRLS on GSL's linear
 * algebra) and the Mantel-Haenszel odds ratio stratified by specialty tier
 * SPDX-License-Identifier: MIT
 *
 * A raw difference in match rates mixes the retake (or the failed first
 * attempt) with everything else in which the groups differ.  These routines
 * adjust for what the data measure: first-attempt score, target-specialty
 * tier and Match year.  They cannot adjust for what the data do not measure
 * (letters, clinical grades, motivation, ...).
 *
 * Each primitive matches a named R function so every number can be checked
 * (tests/data/adjust_reference.R).  Implemented in src/analyse_adjust.c.
 * Status conventions are those of stats.h.
 */
#ifndef CKCOHORT_ADJUST_H
#define CKCOHORT_ADJUST_H

#include <stdbool.h>
#include <stddef.h>
#include "ckcohort/ckcohort.h"
#include "classify.h"
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "ckcohort/report.h"
#include "report_model.h"
#include "stats.h"
#include "ckcohort/summary.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CK_LOGIT_MAX_P    8    /* columns of a design, intercept included */
#define CK_LOGIT_MAX_ITER 25   /* R glm.control(maxit = 25) */
#define CK_LOGIT_EPSILON  1e-8 /* R glm.control(epsilon = 1e-8) */

struct ck_logit {
  size_t n, p;                  /* observations, design columns */
  size_t rank;                  /* columns kept */
  bool aliased[CK_LOGIT_MAX_P]; /* dropped: in the span of earlier columns
                                   (R: coefficient NA) */
  double beta[CK_LOGIT_MAX_P];  /* 0 when aliased */
  double se[CK_LOGIT_MAX_P];    /* Wald standard errors, dispersion 1 */
  double z[CK_LOGIT_MAX_P];
  double p_value[CK_LOGIT_MAX_P]; /* two-sided, normal */
  double deviance, null_deviance;
  size_t df_residual; /* n - rank */
  int iterations;     /* IRLS iterations (R fit$iter) */
  bool converged;
  bool fitted_01;                 /* some fitted probability is within 10 ulp of
                                     0 or 1: R's warning "fitted probabilities
                                     numerically 0 or 1 occurred" */
  bool separation;                /* a linear program found a direction in which
                                     the likelihood keeps rising (complete or
                                     quasi-complete separation): the MLE does
                                     not exist, estimates are meaningless */
  bool diverging[CK_LOGIT_MAX_P]; /* columns that direction moves */
};

/* Logistic regression of y (0/1) on the n x p design x (row-major, column 0
 * the intercept), by iteratively reweighted least squares exactly as R's
 * glm.fit: start mu = (y + 1/2) / 2, Householder QR least squares per
 * iteration, stop when |dev - dev_old| / (|dev| + 0.1) < 1e-8 or after 25
 * iterations; standard errors from the last iteration's QR.  R:
 * glm(y ~ x - 1, family = binomial).  Columns in the span of earlier ones
 * are marked aliased and left out (R's pivoting gives NA for the same
 * columns in the usual case).  Separation and non-convergence are flagged,
 * not errors.  CK_EDATA when n <= rank, y does not vary, p is 0 or above
 * CK_LOGIT_MAX_P, the intercept column is aliased, or a value is not finite
 * or y is not 0/1. */
enum ck_status ck_logit_fit(const double *x, const double *y, size_t n,
                            size_t p, struct ck_logit *out);

/* The two separation checks ck_logit_fit makes, on all p columns of the
 * n x p design (exposed for tests/unit/test_adjust.c): the sure sign of
 * overlap (rows with both outcomes span the columns), and the linear
 * program, which decides when that sign is absent.  Overlap must never be
 * claimed where the program finds a separating direction. */
bool ck_logit_overlap_spans(const double *x, const double *y, size_t n,
                            size_t p);
bool ck_logit_separated_lp(const double *x, const double *y, size_t n,
                           size_t p);

/* The same fit with w[i] applicants sharing row i (design and outcome):
 * the estimates, deviances and df of the fit on the rows repeated w[i]
 * times, at the cost of the distinct rows (R: glm with weights = w, which
 * gives the same estimates).  w NULL means every w[i] = 1; a 0 is
 * CK_EDATA.  out->n is the sum of w. */
enum ck_status ck_logit_fit_w(const double *x, const double *y, const size_t *w,
                              size_t n, size_t p, struct ck_logit *out);

struct ck_mh {
  size_t strata;                  /* strata with at least 2 applicants */
  struct ck_est odds_ratio;       /* MH estimate, Robins-Breslow-Greenland
                                     interval */
  double chi2, p;                 /* MH test, no continuity correction */
  bool bd_ok;                     /* Breslow-Day computed (>= 2 strata, and
                                     every fitted cell positive) */
  double bd_chi2, bd_chi2_tarone; /* statistic, and with Tarone's correction */
  double bd_p;                    /* p of the Tarone-corrected statistic */
  size_t bd_df;                   /* strata - 1 */
};

/* Mantel-Haenszel odds ratio over k 2x2 tables t[i] = {a, b, c, d} (rows:
 * group 1 yes/no, group 2 yes/no), with the RBG interval at level conf and
 * the MH chi-squared test; R mantelhaen.test(array(c(a, c, b, d),
 * c(2, 2, k)), correct = FALSE, exact = FALSE).  Strata with fewer than 2
 * applicants are dropped, as R does.  Breslow-Day test of homogeneity of the
 * odds ratios with Tarone's correction (DescTools BreslowDayTest(correct =
 * TRUE)), from its definition.  CK_EDATA when no stratum is left, or the
 * estimate or its interval would be 0 or infinite (sum ad/n or sum bc/n is
 * 0), or the MH variance is 0. */
enum ck_status ck_mantel_haenszel(const size_t (*t)[4], size_t k, double conf,
                                  struct ck_mh *out);

/* Fill *out, the adjusted form of comparison `id` (a vs b), from the
 * weighted design rows of the cohort (summary.h; sorted by key, as
 * ck_suff_from_cohort leaves them): the logistic regression of matched on
 * the a-indicator plus cfg->adjust_terms, its likelihood-ratio test, and
 * the Mantel-Haenszel odds ratio over tier strata.  a and b are groups that
 * hold each design group whole or not at all (low pass, retook or not;
 * failed then passed).  What cannot be estimated is marked
 * CK_NOT_ENOUGH_DATA with a problem, its numbers zeroed (never NaN).
 * Privacy is ck_suppress's job (it reads the smallest cells recorded
 * here).  Returns CK_OK, or CK_ENOMEM / CK_EINTERNAL when a numerical
 * routine fails, with err set. */
enum ck_status ck_adjust_design(struct ck_adjusted *out,
                                const struct ck_suff_design *rows,
                                size_t n_rows, const struct ck_config *cfg,
                                const char *id, enum ck_group_id a,
                                enum ck_group_id b, struct ck_error *err);

#ifdef __cplusplus
}
#endif
#endif
