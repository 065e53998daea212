/*
 * analyse_meta.c - across schools: per-school log odds ratios, Cochran's Q,
 * DerSimonian-Laird and REML random effects, Mantel-Haenszel by school
 * SPDX-License-Identifier: MIT
 *
 * Formulas as metafor 4 (rma.uni, predict.rma) so every number can be
 * checked there (tests/scripts/test_pool_meta.sh holds the R commands):
 *   w_i = 1/v_i;  Q = sum w_i (y_i - ybar_w)^2 on k - 1 df;
 *   DL:   tau2 = max(0, (Q - (k - 1)) / (sum w - sum w^2 / sum w));
 *   REML: Fisher scoring tau2 += (y'PPy - tr P) / tr PP with
 *         P = W - w w' / sum w, W = diag(1/(v_i + tau2)), as metafor
 *         (start, stopping rule and check at 0 below);
 *   mu = sum w*_i y_i / sum w*_i, se = 1/sqrt(sum w*_i), w* = 1/(v + tau2);
 *   I^2 = 100 tau2 / (tau2 + s2), H^2 = (tau2 + s2) / s2 with the typical
 *   within-school variance s2 = (k - 1) sum w / ((sum w)^2 - sum w^2);
 *   prediction interval mu +- z sqrt(se^2 + tau2) (predict.rma, test "z").
 */
#include "adjust.h"
#include "ckcohort/pool.h"
#include "util.h"
#include "meta.h"
#include "report_model.h"
#include "cohort.h"

#include <gsl/gsl_cdf.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ck_meta_free(struct ck_meta *m) {
  if (m == NULL)
    return;
  for (size_t i = 0; i < m->n_schools; i++)
    free(m->schools[i]);
  free(m->schools);
  for (size_t i = 0; i < m->n_comparisons; i++)
    free(m->comparisons[i].rows);
  free(m);
}

static bool fit_done(struct ck_meta_fit *f, const double *y, const double *v,
                     size_t k, double tau2, double s2, double zq) {
  double sw = 0, swy = 0;
  for (size_t i = 0; i < k; i++) {
    double w = 1.0 / (v[i] + tau2);
    sw += w;
    swy += w * y[i];
  }
  f->tau2 = tau2;
  f->mu = swy / sw;
  f->se = 1.0 / sqrt(sw);
  f->z = f->mu / f->se;
  f->p = 2.0 * gsl_cdf_ugaussian_Q(fabs(f->z));
  f->odds_ratio.estimate = exp(f->mu);
  f->odds_ratio.lo = exp(f->mu - zq * f->se);
  f->odds_ratio.hi = exp(f->mu + zq * f->se);
  double sp = sqrt(f->se * f->se + tau2);
  f->prediction.estimate = f->odds_ratio.estimate;
  f->prediction.lo = exp(f->mu - zq * sp);
  f->prediction.hi = exp(f->mu + zq * sp);
  f->i2 = 100.0 * tau2 / (tau2 + s2);
  f->h2 = (tau2 + s2) / s2;
  return isfinite(f->mu) && isfinite(f->se) && isfinite(f->p) &&
         isfinite(f->prediction.lo) && isfinite(f->prediction.hi) &&
         f->odds_ratio.lo > 0 && isfinite(f->odds_ratio.hi) &&
         isfinite(f->i2) && isfinite(f->h2);
}

/* REML log-likelihood up to a constant: -1/2 (sum log(v + t) + log sum w
 * + sum w (y - mu)^2), w = 1/(v + t). */
static double reml_ll(const double *y, const double *v, size_t k, double t) {
  double sw = 0, swy = 0, sl = 0;
  for (size_t i = 0; i < k; i++) {
    double w = 1.0 / (v[i] + t);
    sw += w;
    swy += w * y[i];
    sl += log(v[i] + t);
  }
  double mu = swy / sw, rss = 0;
  for (size_t i = 0; i < k; i++)
    rss += (y[i] - mu) * (y[i] - mu) / (v[i] + t);
  return -0.5 * (sl + log(sw) + rss);
}

/* REML exactly as metafor's rma.uni does it, so that its recorded values
 * agree to far below 1e-6 (its iteration stops on a step below 1e-5, short
 * of the root by up to ~1e-6 in tau2): start at the Hedges estimate
 * max(0, (sum (y - ybar)^2 - (k-1)/k sum v) / (k - 1)); Fisher scoring
 * tau2 += (y'PPy - tr P) / tr PP, halved while tau2 would be negative,
 * until a step changes tau2 by at most 1e-5 (at most 100 steps); then
 * tau2 = 0 if the likelihood there is higher by more than eps^(1/4)
 * (metafor's ll0check).  SE of tau2: sqrt(2 / tr PP). */
static bool reml(const double *y, const double *v, size_t k, double *tau2_out,
                 double *se_out, int *iter_out) {
  double ybar = 0, sv = 0;
  for (size_t i = 0; i < k; i++) {
    ybar += y[i];
    sv += v[i];
  }
  ybar /= (double)k;
  double rss = 0;
  for (size_t i = 0; i < k; i++)
    rss += (y[i] - ybar) * (y[i] - ybar);
  double tau2 = (rss - sv * (double)(k - 1) / (double)k) / (double)(k - 1);
  if (tau2 < 0)
    tau2 = 0;
  double change = 1e-5 + 1;
  int it = 0;
  while (change > 1e-5) {
    if (++it > 100)
      return false;
    double old = tau2;
    double sw = 0, sw2 = 0, sw3 = 0, swy = 0;
    for (size_t i = 0; i < k; i++) {
      double w = 1.0 / (v[i] + tau2);
      sw += w;
      sw2 += w * w;
      sw3 += w * w * w;
      swy += w * y[i];
    }
    double mu = swy / sw, ypp = 0;
    for (size_t i = 0; i < k; i++) {
      double w = 1.0 / (v[i] + tau2), e = w * (y[i] - mu);
      ypp += e * e;
    }
    double trp = sw - sw2 / sw;
    double trpp = sw2 - 2.0 * sw3 / sw + sw2 * sw2 / (sw * sw);
    double adj = (ypp - trp) / trpp;
    if (!isfinite(adj))
      adj = 0; /* R: is.na(adj) -> 0 */
    while (tau2 + adj < 0)
      adj /= 2.0;
    tau2 += adj;
    change = fabs(old - tau2);
  }
  if (reml_ll(y, v, k, 0) - reml_ll(y, v, k, tau2) > pow(DBL_EPSILON, 0.25) &&
      tau2 > 1e-5)
    tau2 = 0;
  double sw = 0, sw2 = 0, sw3 = 0;
  for (size_t i = 0; i < k; i++) {
    double w = 1.0 / (v[i] + tau2);
    sw += w;
    sw2 += w * w;
    sw3 += w * w * w;
  }
  double trpp = sw2 - 2.0 * sw3 / sw + sw2 * sw2 / (sw * sw);
  *tau2_out = tau2;
  *se_out = sqrt(2.0 / trpp);
  *iter_out = it;
  return isfinite(tau2) && isfinite(*se_out);
}

enum ck_status ck_meta_analyse(struct ck_meta_comparison *m, double conf) {
  double zq = gsl_cdf_ugaussian_Pinv((1.0 + conf) / 2.0);
  size_t n = m->n_rows;
  double *y = ck_xcalloc(n + 1, sizeof *y), *v = ck_xcalloc(n + 1, sizeof *v);
  size_t(*tab)[4] = ck_xcalloc(n + 1, sizeof *tab);
  m->k = 0;
  m->shown = m->mh_shown = CK_NOT_ENOUGH_DATA;
  for (size_t i = 0; i < n; i++) {
    struct ck_meta_school *s = &m->rows[i];
    double a = (double)s->a_matched, b = (double)s->a_unmatched,
           c = (double)s->b_matched, d = (double)s->b_unmatched;
    s->corrected = a == 0 || b == 0 || c == 0 || d == 0;
    if (s->corrected) {
      a += 0.5;
      b += 0.5;
      c += 0.5;
      d += 0.5;
    }
    s->yi = log(a * d / (b * c));
    s->vi = 1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d;
    s->odds_ratio.estimate = exp(s->yi);
    s->odds_ratio.lo = exp(s->yi - zq * sqrt(s->vi));
    s->odds_ratio.hi = exp(s->yi + zq * sqrt(s->vi));
    if (!s->shown || !isfinite(s->yi) || !isfinite(s->vi))
      continue;
    y[m->k] = s->yi;
    v[m->k] = s->vi;
    tab[m->k][0] = (size_t)s->a_matched;
    tab[m->k][1] = (size_t)s->a_unmatched;
    tab[m->k][2] = (size_t)s->b_matched;
    tab[m->k][3] = (size_t)s->b_unmatched;
    m->k++;
  }
  size_t k = m->k;
  if (k >= 2) {
    double sw = 0, sw2 = 0, swy = 0;
    for (size_t i = 0; i < k; i++) {
      double w = 1.0 / v[i];
      sw += w;
      sw2 += w * w;
      swy += w * y[i];
    }
    double ybar = swy / sw, q = 0;
    for (size_t i = 0; i < k; i++)
      q += (y[i] - ybar) * (y[i] - ybar) / v[i];
    double df = (double)(k - 1), c = sw - sw2 / sw;
    double s2 = df * sw / (sw * sw - sw2);
    double tau_dl = (q - df) / c;
    if (tau_dl < 0)
      tau_dl = 0;
    m->q = q;
    m->q_p = gsl_cdf_chisq_Q(q, df);
    memset(&m->dl, 0, sizeof m->dl);
    memset(&m->reml, 0, sizeof m->reml);
    double tr = 0, trse = 0;
    int it = 0;
    if (fit_done(&m->dl, y, v, k, tau_dl, s2, zq) && isfinite(m->q_p) &&
        reml(y, v, k, &tr, &trse, &it) &&
        fit_done(&m->reml, y, v, k, tr, s2, zq)) {
      m->reml.tau2_se = trse;
      m->reml.iterations = it;
      m->shown = CK_SHOWN;
    } else {
      memset(&m->dl, 0, sizeof m->dl);
      memset(&m->reml, 0, sizeof m->reml);
      m->q = m->q_p = 0;
    }
  }
  if (k >= 1) {
    struct ck_mh mh;
    enum ck_status st =
        ck_mantel_haenszel((const size_t(*)[4])tab, k, conf, &mh);
    if (st == CK_OK) {
      m->mh_shown = CK_SHOWN;
      m->mh_odds_ratio = mh.odds_ratio;
      m->mh_chi2 = mh.chi2;
      m->mh_p = mh.p;
    } else if (st != CK_EDATA) {
      free(y);
      free(v);
      free(tab);
      return CK_EINTERNAL;
    }
  }
  free(y);
  free(v);
  free(tab);
  return CK_OK;
}
