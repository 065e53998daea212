/*
 * test_meta.c - across-schools statistics (analyse_meta.c) against R:
 * metafor 3.8-1 rma/predict and stats::mantelhaen.test, plus the pair sums
 * regression (ck_linfit_sums) against ck_linfit on the same points.
 * SPDX-License-Identifier: MIT
 *
 * R commands (Rscript, metafor from Debian r-cran-metafor):
 *   library(metafor)
 *   run <- function(ai, bi, ci, di) {
 *     for (m in c("DL", "REML")) {
 *       f <- rma(measure = "OR", ai = ai, bi = bi, ci = ci, di = di,
 *                method = m); p <- predict(f)
 *       cat(m, sprintf("%.12g", c(f$b, f$se, f$pval, f$ci.lb, f$ci.ub,
 *           f$tau2, f$I2, f$H2, f$QE, f$QEp, p$pi.lb, p$pi.ub, f$se.tau2)))
 *     }
 *     mh <- mantelhaen.test(array(rbind(ai, ci, bi, di), c(2, 2, length(ai))),
 *                           correct = FALSE)
 *     cat("MH", sprintf("%.12g", c(mh$estimate, mh$conf.int, mh$statistic,
 *                                  mh$p.value)))
 *   }
 *   run(c(30,12,50,8,22), c(10,8,5,0,9), c(40,20,60,10,35), c(25,20,15,6,12))
 *   run(c(30,12,50,8,22,15), c(10,8,5,0,9,20), c(40,20,60,10,35,30),
 *       c(25,20,15,6,12,8))
 * Output pasted into the literals below; compared to 1e-6 (absolute on the
 * log scale, relative elsewhere).  School 4 has a zero cell: escalc adds 0.5.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ckcohort/pool.h"
#include "meta.h"
#include "stats.h"

#define TOL 1e-6

static void near(double got, double want, const char *what) {
  double scale = fabs(want) > 1 ? fabs(want) : 1;
  if (!(fabs(got - want) <= TOL * scale)) {
    print_error("%s: got %.12g, R %.12g\n", what, got, want);
    fail();
  }
}

static void fill(struct ck_meta_comparison *m, const long (*t)[4], size_t k) {
  memset(m, 0, sizeof *m);
  m->id = "x";
  m->label = "x";
  m->rows = calloc(k, sizeof *m->rows);
  m->n_rows = k;
  for (size_t i = 0; i < k; i++) {
    m->rows[i].school = i;
    m->rows[i].a_matched = t[i][0];
    m->rows[i].a_unmatched = t[i][1];
    m->rows[i].b_matched = t[i][2];
    m->rows[i].b_unmatched = t[i][3];
    m->rows[i].shown = true;
  }
}

/* order: b, se, pval, ci.lb, ci.ub, tau2, I2, H2, QE, QEp, pi.lb, pi.ub,
 * se.tau2 (REML only) */
static void check_fit(const struct ck_meta_comparison *m,
                      const struct ck_meta_fit *f, const double *r, bool reml) {
  near(f->mu, r[0], "mu");
  near(f->se, r[1], "se");
  near(f->p, r[2], "p");
  near(log(f->odds_ratio.lo), r[3], "ci.lb");
  near(log(f->odds_ratio.hi), r[4], "ci.ub");
  near(f->tau2, r[5], "tau2");
  near(f->i2, r[6], "I2");
  near(f->h2, r[7], "H2");
  near(m->q, r[8], "QE");
  near(m->q_p, r[9], "QEp");
  near(log(f->prediction.lo), r[10], "pi.lb");
  near(log(f->prediction.hi), r[11], "pi.ub");
  if (reml)
    near(f->tau2_se, r[12], "se.tau2");
}

static void homogeneous(void **state) {
  (void)state;
  static const long t[5][4] = {{30, 10, 40, 25},
                               {12, 8, 20, 20},
                               {50, 5, 60, 15},
                               {8, 0, 10, 6},
                               {22, 9, 35, 12}};
  static const double dl[] = {0.498547325138,
                              0.252142125872,
                              0.0480136890013,
                              0.00435783944344,
                              0.992736810832,
                              0,
                              0,
                              1,
                              3.840730995,
                              0.427989456231,
                              0.00435783944344,
                              0.992736810832};
  /* metafor stops a step short of the boundary: tau2 3.8e-7, not 0 */
  static const double reml[] = {
      0.498547377233, 0.252142310175,   0.0480138289446,   0.00435753031175,
      0.992737224153, 3.7781790317e-07, 0.000112022711419, 1.00000112023,
      3.840730995,    0.427989456231,   0.00435606187835,  0.992738692587,
      0.213053270939};
  struct ck_meta_comparison m;
  fill(&m, t, 5);
  assert_int_equal(ck_meta_analyse(&m, 0.95), CK_OK);
  assert_int_equal(m.shown, CK_SHOWN);
  assert_int_equal(m.k, 5);
  assert_true(m.rows[3].corrected);
  assert_false(m.rows[0].corrected);
  /* escalc: yi, vi of school 4 with 0.5 added */
  near(m.rows[3].yi, 2.353640263794, "yi[4]");
  near(m.rows[3].vi, 2.366731307908, "vi[4]");
  check_fit(&m, &m.dl, dl, false);
  check_fit(&m, &m.reml, reml, true);
  assert_int_equal(m.mh_shown, CK_SHOWN);
  near(m.mh_odds_ratio.estimate, 1.73889444365, "MH OR");
  near(m.mh_odds_ratio.lo, 1.0702070727, "MH lo");
  near(m.mh_odds_ratio.hi, 2.82539142498, "MH hi");
  near(m.mh_chi2, 5.02615144716, "MH chi2");
  near(m.mh_p, 0.0249673193783, "MH p");
  free(m.rows);
}

static void heterogeneous(void **state) {
  (void)state;
  static const long t[6][4] = {{30, 10, 40, 25}, {12, 8, 20, 20},
                               {50, 5, 60, 15},  {8, 0, 10, 6},
                               {22, 9, 35, 12},  {15, 20, 30, 8}};
  static const double dl[] = {0.179123041701,   0.441482520416, 0.684940433135,
                              -0.686166798119,  1.04441288152,  0.769952550569,
                              70.5277816328,    3.39302589151,  16.9651294575,
                              0.00456640690718, -1.74609578321, 2.10434186661};
  static const double reml[] = {
      0.180356540778, 0.444467020882,   0.684903076296, -0.690782812466,
      1.05149589402,  0.784643993665,   70.9191340794,  3.43868715165,
      16.9651294575,  0.00456640690718, -1.76208042431, 2.12279350587,
      0.732176802533};
  struct ck_meta_comparison m;
  fill(&m, t, 6);
  assert_int_equal(ck_meta_analyse(&m, 0.95), CK_OK);
  check_fit(&m, &m.dl, dl, false);
  check_fit(&m, &m.reml, reml, true);
  near(m.mh_odds_ratio.estimate, 1.13777598659, "MH OR");
  near(m.mh_odds_ratio.lo, 0.751183020674, "MH lo");
  near(m.mh_odds_ratio.hi, 1.72332728514, "MH hi");
  near(m.mh_chi2, 0.378113801134, "MH chi2");
  near(m.mh_p, 0.538614430662, "MH p");
  free(m.rows);
}

/* A withheld school enters nothing; one shown school is not enough. */
static void withheld_rows(void **state) {
  (void)state;
  static const long t[2][4] = {{30, 10, 40, 25}, {12, 8, 20, 20}};
  struct ck_meta_comparison m;
  fill(&m, t, 2);
  m.rows[1].shown = false;
  assert_int_equal(ck_meta_analyse(&m, 0.95), CK_OK);
  assert_int_equal(m.k, 1);
  assert_int_equal(m.shown, CK_NOT_ENOUGH_DATA);
  assert_true(m.dl.mu == 0 && m.q == 0);
  free(m.rows);
}

/* The sums form of the fit equals gsl_fit_linear's on the points. */
static void linfit_sums(void **state) {
  (void)state;
  static const int x[] = {228, 231, 240, 236, 244, 229, 250, 238};
  static const int y[] = {221, 226, 238, 229, 247, 224, 249, 233};
  double dx[8], dy[8];
  int64_t sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  for (int i = 0; i < 8; i++) {
    dx[i] = x[i];
    dy[i] = y[i];
    sx += x[i];
    sy += y[i];
    sxx += (int64_t)x[i] * x[i];
    sxy += (int64_t)x[i] * y[i];
    syy += (int64_t)y[i] * y[i];
  }
  struct ck_linfit a, b;
  assert_int_equal(ck_linfit(dx, dy, 8, &a), CK_OK);
  assert_int_equal(ck_linfit_sums(8, sx, sy, sxx, sxy, syy, &b), CK_OK);
  assert_true(fabs(a.slope - b.slope) < 1e-12);
  assert_true(fabs(a.intercept - b.intercept) < 1e-9);
  assert_true(fabs(a.r2 - b.r2) < 1e-12);
  assert_true(fabs(a.sigma - b.sigma) < 1e-10);
  assert_true(fabs(a.sxx - b.sxx) < 1e-9);
  assert_true(fabs(a.cov00 - b.cov00) < 1e-7);
  assert_int_equal(ck_linfit_sums(2, 1, 1, 1, 1, 1, &b), CK_EDATA);
  /* all x equal */
  assert_int_equal(ck_linfit_sums(3, 690, 600, 158700, 138000, 120200, &b),
                   CK_EDATA);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(homogeneous), cmocka_unit_test(heterogeneous),
      cmocka_unit_test(withheld_rows), cmocka_unit_test(linfit_sums)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
