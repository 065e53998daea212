/*
 * analyse_adjust.c - adjusted comparisons: logistic regression by IRLS on
 * GSL's QR, separation by a GLPK linear program, Mantel-Haenszel with the
 * RBG interval and the Breslow-Day test (include/ckcohort/adjust.h)
 * SPDX-License-Identifier: MIT
 *
 * The IRLS loop copies R 4.2's glm.fit step by step (starting values, the
 * clamped logit inverse and derivative of family.c, the convergence rule,
 * standard errors from the QR of the last iteration), so coefficients agree
 * with R to far better than 1e-6 relative; tests/data/adjust_reference.R.
 */
#include "adjust.h"
#include "hashmap.h"
#include "util.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

/* R family.c: logit inverse and its derivative are clamped beyond |eta| 30 */
#define LOGIT_THRESH  30.0
#define LOGIT_MTHRESH -30.0
#define LOGIT_INVEPS  (1.0 / DBL_EPSILON)
/* R glm.fit: "fitted probabilities numerically 0 or 1" below 10 ulp */
#define FITTED_EPS (10.0 * DBL_EPSILON)
/* A column whose part outside the span of the earlier ones is below this
 * share of its length is aliased (R's QR uses 1e-11 on weighted columns;
 * exact collinearity gives ~1e-15 either way). */
#define ALIAS_TOL 1e-9
/* Separation LP: a direction counts when it gains more than this. */
#define SEP_TOL 1e-7

static double logit_inv(double eta) {
  double t = eta < LOGIT_MTHRESH  ? DBL_EPSILON
             : eta > LOGIT_THRESH ? LOGIT_INVEPS
                                  : exp(eta);
  return t / (1.0 + t);
}

static double logit_mu_eta(double eta) {
  double o = 1.0 + exp(eta);
  return eta > LOGIT_THRESH || eta < LOGIT_MTHRESH ? DBL_EPSILON
                                                   : exp(eta) / (o * o);
}

static double dev_resid(double y, double mu) {
  return 2.0 * (y != 0.0 ? -log(mu) : -log(1.0 - mu));
}

/* Which columns are in the span of earlier ones (modified Gram-Schmidt,
 * twice for stability).  Returns the rank. */
static size_t find_aliased(const double *x, size_t n, size_t p, bool *aliased) {
  double *q = ck_xcalloc(n * p, sizeof *q); /* kept orthonormal columns */
  double *v = ck_xcalloc(n, sizeof *v);
  size_t rank = 0;
  for (size_t j = 0; j < p; j++) {
    double norm0 = 0;
    for (size_t i = 0; i < n; i++) {
      v[i] = x[i * p + j];
      norm0 += v[i] * v[i];
    }
    norm0 = sqrt(norm0);
    for (int pass = 0; pass < 2; pass++)
      for (size_t k = 0; k < rank; k++) {
        double d = 0;
        for (size_t i = 0; i < n; i++)
          d += q[k * n + i] * v[i];
        for (size_t i = 0; i < n; i++)
          v[i] -= d * q[k * n + i];
      }
    double norm = 0;
    for (size_t i = 0; i < n; i++)
      norm += v[i] * v[i];
    norm = sqrt(norm);
    aliased[j] = !(norm0 > 0) || norm <= ALIAS_TOL * norm0;
    if (!aliased[j]) {
      for (size_t i = 0; i < n; i++)
        q[rank * n + i] = v[i] / norm;
      rank++;
    }
  }
  free(q);
  free(v);
  return rank;
}

/* A design row on the kept columns (zeros after them) and its outcome. */
struct pattern {
  double v[CK_LOGIT_MAX_P];
  bool one;
};

static int pattern_cmp(const void *a, const void *b) {
  const struct pattern *u = a, *w = b;
  for (size_t k = 0; k < CK_LOGIT_MAX_P; k++)
    if (u->v[k] != w->v[k])
      return u->v[k] < w->v[k] ? -1 : 1;
  return (int)u->one - (int)w->one;
}

/* A sure sign of overlap, which makes the separation program needless:
 * when the rows found with both outcomes span every kept column, a
 * direction b with s_i x_i.b >= 0 for all i has x.b = 0 on each of those
 * rows (both signs occur), so b = 0 and the program's optimum is exactly
 * 0.  Large cohorts pass this; when it fails the program decides.  The
 * span is found by Gram-Schmidt on the rows; a row counts only when more
 * than a millionth of its length is outside the earlier ones, far above
 * rounding, so "spans" is never claimed wrongly. */
static bool overlap_spans(const double *x, const double *y, size_t n, size_t p,
                          const size_t *cols, size_t r) {
  struct pattern *pt = ck_xcalloc(n ? n : 1, sizeof *pt);
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < r; k++)
      pt[i].v[k] = x[i * p + cols[k]];
    pt[i].one = y[i] != 0.0;
  }
  qsort(pt, n, sizeof *pt, pattern_cmp);
  double basis[CK_LOGIT_MAX_P][CK_LOGIT_MAX_P];
  size_t rank = 0;
  /* sorted by values, then outcome: a pattern with both outcomes is a row
   * without one followed by the same values with one */
  for (size_t i = 0; i + 1 < n && rank < r; i++) {
    if (pt[i].one || !pt[i + 1].one ||
        memcmp(pt[i].v, pt[i + 1].v, sizeof pt[i].v) != 0)
      continue;
    double v[CK_LOGIT_MAX_P], norm0 = 0, norm = 0;
    for (size_t k = 0; k < r; k++) {
      v[k] = pt[i].v[k];
      norm0 += v[k] * v[k];
    }
    for (int pass = 0; pass < 2; pass++) /* twice, for stability */
      for (size_t q = 0; q < rank; q++) {
        double d = 0;
        for (size_t k = 0; k < r; k++)
          d += v[k] * basis[q][k];
        for (size_t k = 0; k < r; k++)
          v[k] -= d * basis[q][k];
      }
    for (size_t k = 0; k < r; k++)
      norm += v[k] * v[k];
    if (norm0 > 0 && norm > 1e-12 * norm0) {
      for (size_t k = 0; k < r; k++)
        basis[rank][k] = v[k] / sqrt(norm);
      rank++;
    }
  }
  free(pt);
  return rank == r;
}

/* Complete or quasi-complete separation (Konis 2007): is there a direction
 * b != 0 with s_i x_i.b >= 0 for every i (s = +1 matched, -1 not)?  Then
 * the likelihood rises without bound along b.  Maximise sum s_i x_i.b with
 * -1 <= b_j <= 1 (columns scaled to unit maximum); with a full-rank design
 * the optimum is positive exactly when such a direction exists. */
static bool separated(const double *x, const double *y, const double *wt,
                      size_t n, size_t p, const size_t *cols, size_t r,
                      bool *moved) {
  double *scale = ck_xcalloc(r, sizeof *scale);
  for (size_t k = 0; k < r; k++) {
    double m = 0;
    for (size_t i = 0; i < n; i++)
      if (fabs(x[i * p + cols[k]]) > m)
        m = fabs(x[i * p + cols[k]]);
    scale[k] = m > 0 ? 1.0 / m : 1.0;
  }
  glp_term_out(GLP_OFF);
  glp_prob *P = glp_create_prob();
  glp_set_obj_dir(P, GLP_MAX);
  glp_add_cols(P, (int)r);
  glp_add_rows(P, (int)n);
  int *ia = ck_xmalloc((n * r + 1) * sizeof *ia);
  int *ja = ck_xmalloc((n * r + 1) * sizeof *ja);
  double *ar = ck_xmalloc((n * r + 1) * sizeof *ar);
  size_t e = 0;
  for (size_t k = 0; k < r; k++) {
    double obj = 0;
    for (size_t i = 0; i < n; i++)
      obj += (y[i] != 0 ? 1.0 : -1.0) * x[i * p + cols[k]] * scale[k] *
             (wt ? wt[i] : 1.0);
    glp_set_col_bnds(P, (int)k + 1, GLP_DB, -1.0, 1.0);
    glp_set_obj_coef(P, (int)k + 1, obj);
  }
  for (size_t i = 0; i < n; i++) {
    glp_set_row_bnds(P, (int)i + 1, GLP_LO, 0.0, 0.0);
    double s = y[i] != 0 ? 1.0 : -1.0;
    for (size_t k = 0; k < r; k++) {
      double v = s * x[i * p + cols[k]] * scale[k];
      if (v == 0)
        continue;
      e++;
      ia[e] = (int)i + 1;
      ja[e] = (int)k + 1;
      ar[e] = v;
    }
  }
  if (e > 0)
    glp_load_matrix(P, (int)e, ia, ja, ar);
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  bool sep = false;
  if (glp_simplex(P, &parm) == 0 && glp_get_status(P) == GLP_OPT &&
      glp_get_obj_val(P) > SEP_TOL) {
    sep = true;
    for (size_t k = 0; k < r; k++)
      moved[cols[k]] = fabs(glp_get_col_prim(P, (int)k + 1)) > 1e-6;
  }
  glp_delete_prob(P);
  free(ia);
  free(ja);
  free(ar);
  free(scale);
  return sep;
}

bool ck_logit_overlap_spans(const double *x, const double *y, size_t n,
                            size_t p) {
  size_t cols[CK_LOGIT_MAX_P];
  for (size_t k = 0; k < p && k < CK_LOGIT_MAX_P; k++)
    cols[k] = k;
  return p <= CK_LOGIT_MAX_P && overlap_spans(x, y, n, p, cols, p);
}

bool ck_logit_separated_lp(const double *x, const double *y, size_t n,
                           size_t p) {
  size_t cols[CK_LOGIT_MAX_P];
  bool moved[CK_LOGIT_MAX_P];
  for (size_t k = 0; k < p && k < CK_LOGIT_MAX_P; k++)
    cols[k] = k;
  return p <= CK_LOGIT_MAX_P && separated(x, y, NULL, n, p, cols, p, moved);
}

/* IRLS on the kept columns cols[0..r-1].  Fills beta/se (length r),
 * deviance, iterations, converged, fitted_01.  CK_EINTERNAL when GSL fails. */
static enum ck_status irls(const double *x, const double *y, const double *wt,
                           size_t n, size_t p, const size_t *cols, size_t r,
                           double *beta, double *se, double *deviance,
                           int *iterations, bool *converged, bool *fitted_01) {
  enum ck_status st = CK_OK;
  gsl_matrix *A = gsl_matrix_alloc(n, r);
  gsl_vector *tau = gsl_vector_alloc(r);
  gsl_vector *b = gsl_vector_alloc(n);
  gsl_vector *coef = gsl_vector_alloc(r);
  gsl_vector *res = gsl_vector_alloc(n);
  double *eta = ck_xcalloc(n, sizeof *eta);
  double *mu = ck_xcalloc(n, sizeof *mu);
  if (A == NULL || tau == NULL || b == NULL || coef == NULL || res == NULL) {
    st = CK_ENOMEM;
    goto done;
  }
  double devold = 0;
  for (size_t i = 0; i < n; i++) {
    double m0 = (y[i] + 0.5) / 2.0;
    eta[i] = log(m0 / (1.0 - m0));
    mu[i] = logit_inv(eta[i]);
    devold += (wt ? wt[i] : 1.0) * dev_resid(y[i], mu[i]);
  }
  *converged = false;
  int iter;
  double dev = devold;
  for (iter = 1; iter <= CK_LOGIT_MAX_ITER; iter++) {
    for (size_t i = 0; i < n; i++) {
      double me = logit_mu_eta(eta[i]);
      double var = mu[i] * (1.0 - mu[i]);
      double z = eta[i] + (y[i] - mu[i]) / me;
      double w = sqrt((wt ? wt[i] : 1.0) * me * me / var);
      for (size_t k = 0; k < r; k++)
        gsl_matrix_set(A, i, k, x[i * p + cols[k]] * w);
      gsl_vector_set(b, i, z * w);
    }
    if (gsl_linalg_QR_decomp(A, tau) != GSL_SUCCESS ||
        gsl_linalg_QR_lssolve(A, tau, b, coef, res) != GSL_SUCCESS) {
      st = CK_EINTERNAL;
      goto done;
    }
    dev = 0;
    for (size_t i = 0; i < n; i++) {
      double e = 0;
      for (size_t k = 0; k < r; k++)
        e += x[i * p + cols[k]] * gsl_vector_get(coef, k);
      eta[i] = e;
      mu[i] = logit_inv(e);
      dev += (wt ? wt[i] : 1.0) * dev_resid(y[i], mu[i]);
    }
    if (!isfinite(dev)) {
      st = CK_EINTERNAL;
      goto done;
    }
    if (fabs(dev - devold) / (fabs(dev) + 0.1) < CK_LOGIT_EPSILON) {
      *converged = true;
      break;
    }
    devold = dev;
  }
  *iterations = *converged ? iter : CK_LOGIT_MAX_ITER;
  *deviance = dev;
  *fitted_01 = false;
  for (size_t i = 0; i < n; i++)
    if (mu[i] > 1.0 - FITTED_EPS || mu[i] < FITTED_EPS)
      *fitted_01 = true;
  /* covariance (R'R)^-1 from the R of the last QR: invert the upper
   * triangle by back substitution, then Rinv Rinv' */
  double Rinv[CK_LOGIT_MAX_P][CK_LOGIT_MAX_P];
  memset(Rinv, 0, sizeof Rinv);
  for (size_t j = 0; j < r; j++) {
    for (size_t ii = j + 1; ii-- > 0;) {
      double s = ii == j ? 1.0 : 0.0;
      for (size_t k = ii + 1; k <= j; k++)
        s -= gsl_matrix_get(A, ii, k) * Rinv[k][j];
      double d = gsl_matrix_get(A, ii, ii);
      if (d == 0) {
        st = CK_EINTERNAL;
        goto done;
      }
      Rinv[ii][j] = s / d;
    }
  }
  for (size_t k = 0; k < r; k++) {
    double v = 0;
    for (size_t j = 0; j < r; j++)
      v += Rinv[k][j] * Rinv[k][j];
    beta[k] = gsl_vector_get(coef, k);
    se[k] = sqrt(v);
    if (!isfinite(beta[k]) || !isfinite(se[k]))
      st = CK_EINTERNAL;
  }
done:
  gsl_matrix_free(A);
  gsl_vector_free(tau);
  gsl_vector_free(b);
  gsl_vector_free(coef);
  gsl_vector_free(res);
  free(eta);
  free(mu);
  return st;
}

static enum ck_status logit_fit(const double *x, const double *y,
                                const double *wt, size_t n, size_t total,
                                size_t ones, size_t p, struct ck_logit *out);

enum ck_status ck_logit_fit(const double *x, const double *y, size_t n,
                            size_t p, struct ck_logit *out) {
  return ck_logit_fit_w(x, y, NULL, n, p, out);
}

enum ck_status ck_logit_fit_w(const double *x, const double *y, const size_t *w,
                              size_t n, size_t p, struct ck_logit *out) {
  if (x == NULL || y == NULL || out == NULL)
    return CK_EUSAGE;
  if (p == 0 || p > CK_LOGIT_MAX_P || n == 0)
    return CK_EDATA;
  size_t ones = 0, total = 0;
  for (size_t i = 0; i < n; i++) {
    if (y[i] != 0.0 && y[i] != 1.0)
      return CK_EDATA;
    if (w != NULL && w[i] == 0)
      return CK_EDATA;
    size_t wi = w ? w[i] : 1;
    total += wi;
    ones += y[i] != 0.0 ? wi : 0;
    for (size_t j = 0; j < p; j++)
      if (!isfinite(x[i * p + j]))
        return CK_EDATA;
  }
  if (ones == 0 || ones == total)
    return CK_EDATA;
  double *wt = NULL;
  if (w != NULL) {
    wt = ck_xcalloc(n, sizeof *wt);
    for (size_t i = 0; i < n; i++)
      wt[i] = (double)w[i];
  }
  enum ck_status st = logit_fit(x, y, wt, n, total, ones, p, out);
  free(wt);
  return st;
}

static enum ck_status logit_fit(const double *x, const double *y,
                                const double *wt, size_t n, size_t total,
                                size_t ones, size_t p, struct ck_logit *out) {
  struct ck_logit f;
  memset(&f, 0, sizeof f);
  f.n = total;
  f.p = p;
  f.rank = find_aliased(x, n, p, f.aliased);
  if (f.aliased[0] || total <= f.rank)
    return CK_EDATA;
  size_t cols[CK_LOGIT_MAX_P], r = 0;
  for (size_t j = 0; j < p; j++)
    if (!f.aliased[j])
      cols[r++] = j;
  double beta[CK_LOGIT_MAX_P], se[CK_LOGIT_MAX_P];
  enum ck_status st = irls(x, y, wt, n, p, cols, r, beta, se, &f.deviance,
                           &f.iterations, &f.converged, &f.fitted_01);
  if (st != CK_OK)
    return st;
  f.separation = !overlap_spans(x, y, n, p, cols, r) &&
                 separated(x, y, wt, n, p, cols, r, f.diverging);
  double ybar = (double)ones / (double)total;
  f.null_deviance = (double)ones * -2.0 * log(ybar) +
                    (double)(total - ones) * -2.0 * log(1.0 - ybar);
  f.df_residual = total - r;
  for (size_t k = 0; k < r; k++) {
    size_t j = cols[k];
    f.beta[j] = beta[k];
    f.se[j] = se[k];
    f.z[j] = se[k] > 0 ? beta[k] / se[k] : 0.0;
    f.p_value[j] = 2.0 * gsl_cdf_ugaussian_P(-fabs(f.z[j]));
  }
  *out = f;
  return CK_OK;
}

/* ---- Mantel-Haenszel -------------------------------------------------------
 */

/* Breslow-Day: the a-cell of a table with the stratum's margins whose odds
 * ratio is psi; the root of (psi - 1) a^2 - ... in [max(0, m1 - n2),
 * min(n1, m1)] (Breslow & Day 1980, eq. 4.32). */
static bool bd_fitted(double a, double b, double c, double d, double psi,
                      double *fit, double *var) {
  double n1 = a + b, n2 = c + d, m1 = a + c;
  double lo = m1 - n2 > 0 ? m1 - n2 : 0, hi = n1 < m1 ? n1 : m1;
  /* psi = A (n2 - m1 + A) / ((n1 - A)(m1 - A)) */
  double qa = 1.0 - psi;
  double qb = (n2 - m1) + psi * (n1 + m1);
  double qc = -psi * n1 * m1;
  double A;
  if (fabs(qa) < 1e-12) {
    A = -qc / qb;
  } else {
    double disc = qb * qb - 4 * qa * qc;
    if (disc < 0)
      return false;
    double s = sqrt(disc);
    double r1 = (-qb + s) / (2 * qa), r2 = (-qb - s) / (2 * qa);
    double tol = 1e-9 * (1 + hi);
    A = r1 >= lo - tol && r1 <= hi + tol ? r1 : r2;
  }
  double B = n1 - A, C = m1 - A, D = n2 - m1 + A;
  if (!(A > 0 && B > 0 && C > 0 && D > 0))
    return false;
  *fit = A;
  *var = 1.0 / (1.0 / A + 1.0 / B + 1.0 / C + 1.0 / D);
  return true;
}

enum ck_status ck_mantel_haenszel(const size_t (*t)[4], size_t k, double conf,
                                  struct ck_mh *out) {
  if (t == NULL || out == NULL || !(conf > 0 && conf < 1))
    return CK_EUSAGE;
  struct ck_mh m;
  memset(&m, 0, sizeof m);
  double R = 0, S = 0, PR = 0, PSQR = 0, QS = 0, sa = 0, se = 0, sv = 0;
  for (size_t i = 0; i < k; i++) {
    double a = (double)t[i][0], b = (double)t[i][1], c = (double)t[i][2],
           d = (double)t[i][3], n = a + b + c + d;
    if (n < 2)
      continue;
    m.strata++;
    double r = a * d / n, s = b * c / n, P = (a + d) / n, Q = (b + c) / n;
    R += r;
    S += s;
    PR += P * r;
    PSQR += P * s + Q * r;
    QS += Q * s;
    sa += a;
    se += (a + b) * (a + c) / n;
    sv += (a + b) * (c + d) * (a + c) * (b + d) / (n * n * (n - 1));
  }
  if (m.strata == 0 || !(R > 0) || !(S > 0) || !(sv > 0))
    return CK_EDATA;
  double or = R / S;
  double var = PR / (2 * R * R) + PSQR / (2 * R * S) + QS / (2 * S * S);
  double z = gsl_cdf_ugaussian_Pinv((1.0 + conf) / 2.0);
  m.odds_ratio.estimate = or ;
  m.odds_ratio.lo = exp(log(or) - z * sqrt(var));
  m.odds_ratio.hi = exp(log(or) + z * sqrt(var));
  m.chi2 = (sa - se) * (sa - se) / sv;
  m.p = gsl_cdf_chisq_Q(m.chi2, 1.0);

  if (m.strata >= 2) {
    double x2 = 0, sfit = 0, svar = 0;
    bool ok = true;
    for (size_t i = 0; i < k && ok; i++) {
      double a = (double)t[i][0], b = (double)t[i][1], c = (double)t[i][2],
             d = (double)t[i][3];
      if (a + b + c + d < 2)
        continue;
      double fit, v;
      ok = bd_fitted(a, b, c, d, or, &fit, &v);
      if (ok) {
        x2 += (a - fit) * (a - fit) / v;
        sfit += fit;
        svar += v;
      }
    }
    if (ok && svar > 0) {
      m.bd_chi2 = x2;
      m.bd_chi2_tarone = x2 - (sa - sfit) * (sa - sfit) / svar;
      m.bd_df = m.strata - 1;
      m.bd_p = gsl_cdf_chisq_Q(m.bd_chi2_tarone, (double)m.bd_df);
      m.bd_ok = isfinite(m.bd_chi2_tarone) && isfinite(m.bd_p);
    }
  }
  if (!isfinite(m.odds_ratio.lo) || !isfinite(m.odds_ratio.hi) ||
      !isfinite(m.chi2) || !isfinite(m.p))
    return CK_EDATA;
  *out = m;
  return CK_OK;
}

/* ---- the report's adjusted comparisons
 * --------------------------------------- */

/* Tier levels in display order; the first present is the reference. */
static const enum ck_tier tier_order[4] = {
    CK_TIER_FORGIVING, CK_TIER_MIDDLE, CK_TIER_VERY_COMPETITIVE, CK_TIER_NONE};

static const char *tier_id(enum ck_tier t) {
  switch (t) {
  case CK_TIER_FORGIVING:
    return "tier_forgiving";
  case CK_TIER_MIDDLE:
    return "tier_middle";
  case CK_TIER_VERY_COMPETITIVE:
    return "tier_very_competitive";
  default:
    return "tier_none";
  }
}

static const char *tier_label(enum ck_tier t) {
  switch (t) {
  case CK_TIER_FORGIVING:
    return "tier: forgiving";
  case CK_TIER_MIDDLE:
    return "tier: middle";
  case CK_TIER_VERY_COMPETITIVE:
    return "tier: very competitive";
  default:
    return "tier: none";
  }
}

static int tier_slot(enum ck_tier t) {
  for (int i = 0; i < 4; i++)
    if (tier_order[i] == t)
      return i;
  return 3;
}

static enum ck_status fail(struct ck_error *err, enum ck_status st,
                           const char *what) {
  if (st != CK_ENOMEM)
    st = CK_EINTERNAL;
  return ck_error_set(err, st, NULL, 0, NULL, "%s failed", what);
}

/* A design group's place in group g (the comparisons' groups contain a
 * design group whole or not at all). */
static bool design_in(enum ck_group_id g, unsigned dg) {
  static const enum ck_group_id leaf[CK_DG_COUNT] = {
      CK_G_LPR_LOWER, CK_G_LOW_PASS_NO_RETAKE, CK_G_FAILED_THEN_PASSED};
  return dg < CK_DG_COUNT && ck_group_contains(g, leaf[dg]);
}

enum ck_status ck_adjust_design(struct ck_adjusted *out,
                                const struct ck_suff_design *rows,
                                size_t n_rows, const struct ck_config *cfg,
                                const char *id, enum ck_group_id a,
                                enum ck_group_id b, struct ck_error *err) {
  memset(out, 0, sizeof *out);
  out->id = id;
  out->a = a;
  out->b = b;
  out->terms = cfg->adjust_terms & CK_ADJ_ALL;
  out->shown = out->mh_shown = out->bd_shown = CK_NOT_ENOUGH_DATA;
  out->problem = out->mh_problem = CK_ADJ_NO_DATA;

  /* the design rows of the two groups, with their tier slot; score and year
   * sums are integers, so their means do not depend on the rows' order */
  size_t n = 0, cells[4][2][2]; /* tier slot x group (0 = a) x matched */
  memset(cells, 0, sizeof cells);
  long long score_sum = 0, year_sum = 0;
  size_t np = 0;
  size_t *pick = ck_xcalloc(n_rows ? n_rows : 1, sizeof *pick);
  for (size_t i = 0; i < n_rows; i++) {
    bool in_a = design_in(a, rows[i].group);
    bool in_b = design_in(b, rows[i].group);
    if (in_a == in_b)
      continue;
    size_t w = (size_t)rows[i].n;
    int slot = tier_slot((enum ck_tier)rows[i].tier);
    cells[slot][in_a ? 0 : 1][rows[i].matched ? 0 : 1] += w;
    score_sum += (long long)rows[i].score * (long long)w;
    year_sum += (long long)rows[i].year * (long long)w;
    n += w;
    pick[np++] = i;
  }

  bool tier_present[4] = {false, false, false, false};
  out->smallest_cell = out->mh_smallest_cell = -1;
  long whole[2][2] = {{0, 0}, {0, 0}};
  for (int s = 0; s < 4; s++)
    for (int g = 0; g < 2; g++) {
      size_t gn = cells[s][g][0] + cells[s][g][1];
      if (gn == 0)
        continue; /* a group absent from a stratum has no cell there */
      tier_present[s] = true;
      for (int o = 0; o < 2; o++) {
        long v = (long)cells[s][g][o];
        whole[g][o] += v;
        if (out->mh_smallest_cell < 0 || v < out->mh_smallest_cell)
          out->mh_smallest_cell = v;
      }
    }
  if (out->terms & CK_ADJ_TIER) {
    out->smallest_cell = out->mh_smallest_cell;
  } else {
    for (int g = 0; g < 2; g++)
      for (int o = 0; o < 2; o++)
        if (out->smallest_cell < 0 || whole[g][o] < out->smallest_cell)
          out->smallest_cell = whole[g][o];
  }
  if (out->smallest_cell < 0)
    out->smallest_cell = 0;
  if (out->mh_smallest_cell < 0)
    out->mh_smallest_cell = 0;

  /* design: intercept, group, [score], [tier dummies], [year]; score and
   * year centred at their means so the columns are on a comparable scale */
  struct ck_adj_coef *co = out->coef;
  size_t p = 0;
  co[p].id = "intercept";
  co[p++].label = "intercept";
  co[p].id = "group";
  co[p++].label = "group";
  if (out->terms & CK_ADJ_SCORE) {
    co[p].id = "score";
    co[p++].label = "first score (per point)";
  }
  int ref = -1, tier_col[4] = {-1, -1, -1, -1};
  if (out->terms & CK_ADJ_TIER)
    for (int s = 0; s < 4; s++) {
      if (!tier_present[s])
        continue;
      if (ref < 0) {
        ref = s; /* forgiving when present */
        continue;
      }
      tier_col[s] = (int)p;
      co[p].id = tier_id(tier_order[s]);
      co[p++].label = tier_label(tier_order[s]);
    }
  int year_col = -1;
  if (out->terms & CK_ADJ_YEAR) {
    year_col = (int)p;
    co[p].id = "year";
    co[p++].label = "Match year (per year)";
  }
  out->n_coef = p;

  enum ck_status st = CK_OK;
  /* Applicants with the same group, score, tier, year and outcome are one
   * design row with a weight: the fit is the same, its cost is that of the
   * distinct rows (a few thousand at most, whatever the cohort's size).  The
   * rows come sorted by key, so one school's file and a pool of schools fit
   * the same rows in the same order. */
  double *x = ck_xcalloc((np ? np : 1) * p, sizeof *x);
  double *x0 = ck_xcalloc((np ? np : 1) * (p - 1), sizeof *x0);
  double *y = ck_xcalloc(np ? np : 1, sizeof *y);
  size_t *w = ck_xcalloc(np ? np : 1, sizeof *w);
  double smean = n ? (double)score_sum / (double)n : 0,
         ymean = n ? (double)year_sum / (double)n : 0;
  for (size_t r = 0; r < np; r++) {
    const struct ck_suff_design *d = &rows[pick[r]];
    double *xr = x + r * p;
    xr[0] = 1.0;
    xr[1] = design_in(a, d->group) ? 1.0 : 0.0;
    if (out->terms & CK_ADJ_SCORE)
      xr[2] = d->score - smean;
    int slot = tier_slot((enum ck_tier)d->tier);
    if (tier_col[slot] >= 0)
      xr[tier_col[slot]] = 1.0;
    if (year_col >= 0)
      xr[year_col] = d->year - ymean;
    y[r] = d->matched ? 1.0 : 0.0;
    w[r] = (size_t)d->n;
    /* the same without the group column, for the likelihood-ratio test */
    x0[r * (p - 1)] = 1.0;
    for (size_t j = 2; j < p; j++)
      x0[r * (p - 1) + j - 1] = xr[j];
  }
  free(pick);

  struct ck_logit f, f0;
  st = ck_logit_fit_w(x, y, w, np, p, &f);
  if (st == CK_OK) {
    for (size_t j = 0; j < p; j++) {
      co[j].aliased = f.aliased[j];
      out->dropped |= f.aliased[j];
    }
    if (f.aliased[1]) {
      out->problem = CK_ADJ_GROUP_COLLINEAR;
    } else if (f.separation || f.fitted_01) {
      out->problem = CK_ADJ_SEPARATION;
      for (size_t j = 0; j < p; j++)
        co[j].diverging = f.diverging[j];
    } else if (!f.converged) {
      out->problem = CK_ADJ_NOT_CONVERGED;
    } else {
      st = ck_logit_fit_w(x0, y, w, np, p - 1, &f0);
      if (st == CK_OK && f0.rank == f.rank) {
        /* the group adds nothing to the span of the other terms: a later
         * term was dropped in its place (e.g. every member of one group in
         * one tier), so its coefficient is not the group's alone */
        out->problem = CK_ADJ_GROUP_COLLINEAR;
      } else if (st == CK_OK &&
                 (f0.separation || f0.fitted_01 || !f0.converged)) {
        out->problem = CK_ADJ_SEPARATION;
      } else if (st == CK_OK) {
        double zq = gsl_cdf_ugaussian_Pinv((1.0 + cfg->confidence) / 2.0);
        double lrt = f0.deviance - f.deviance;
        if (lrt < 0)
          lrt = 0; /* rounding: the larger model cannot fit worse */
        out->lrt_chi2 = lrt;
        out->lrt_p = gsl_cdf_chisq_Q(lrt, 1.0);
        out->odds_ratio.estimate = exp(f.beta[1]);
        out->odds_ratio.lo = exp(f.beta[1] - zq * f.se[1]);
        out->odds_ratio.hi = exp(f.beta[1] + zq * f.se[1]);
        bool finite = isfinite(out->lrt_p) && isfinite(out->odds_ratio.lo) &&
                      isfinite(out->odds_ratio.hi) && out->odds_ratio.lo > 0;
        for (size_t j = 0; j < p; j++) {
          co[j].estimate = f.beta[j];
          co[j].se = f.se[j];
          co[j].z = f.z[j];
          co[j].p = f.p_value[j];
          finite = finite && isfinite(f.p_value[j]);
        }
        if (finite) {
          out->deviance = f.deviance;
          out->null_deviance = f.null_deviance;
          out->df_residual = f.df_residual;
          out->iterations = f.iterations;
          out->problem = CK_ADJ_FINE;
          out->shown = CK_SHOWN;
        } else {
          memset(&out->odds_ratio, 0, sizeof out->odds_ratio);
          out->lrt_chi2 = out->lrt_p = 0;
          for (size_t j = 0; j < p; j++)
            co[j].estimate = co[j].se = co[j].z = co[j].p = 0;
        }
      }
    }
  }
  free(x);
  free(x0);
  free(y);
  free(w);
  if (st != CK_OK && st != CK_EDATA)
    return fail(err, st, "logistic regression");

  /* Mantel-Haenszel over the tier strata */
  size_t tab[4][4], k = 0;
  for (int s = 0; s < 4; s++)
    if (tier_present[s]) {
      tab[k][0] = cells[s][0][0];
      tab[k][1] = cells[s][0][1];
      tab[k][2] = cells[s][1][0];
      tab[k][3] = cells[s][1][1];
      k++;
    }
  struct ck_mh mh;
  st = ck_mantel_haenszel((const size_t(*)[4])tab, k, cfg->confidence, &mh);
  if (st == CK_OK) {
    out->mh_shown = CK_SHOWN;
    out->mh_problem = CK_ADJ_FINE;
    out->mh_strata = mh.strata;
    out->mh_odds_ratio = mh.odds_ratio;
    out->mh_chi2 = mh.chi2;
    out->mh_p = mh.p;
    if (mh.bd_ok) {
      out->bd_shown = CK_SHOWN;
      out->bd_chi2 = mh.bd_chi2_tarone;
      out->bd_p = mh.bd_p;
      out->bd_df = mh.bd_df;
    }
  } else if (st == CK_EDATA) {
    /* with people in the tables, a 0 or infinite ratio is a zero cell */
    out->mh_problem = n > 0 && k > 0 ? CK_ADJ_ZERO_CELLS : CK_ADJ_NO_DATA;
  } else {
    return fail(err, st, "Mantel-Haenszel");
  }
  return CK_OK;
}
