/*
 * analyse_stats.c - statistical primitives, each matching a named R 4.2
 * function (see include/ckcohort/stats.h and tests/data/stats_reference.R)
 * SPDX-License-Identifier: MIT
 *
 * The only library file that calls GSL's statistics, cdf and root-finding
 * routines.  ck_init() must have switched GSL's aborting error handler off;
 * every GSL result is checked for NaN / failure and turned into a status.
 *
 * GSL pitfalls avoided here: n = 0 / 1 silently give 0 or NaN (we guard n
 * first); the median/select routines rearrange their input (we sort a copy, or
 * read input already in order); upper tails use the _Q functions, never 1 - _P;
 * hypergeometric routines take unsigned int (we compute the densities ourselves
 * in log space, with size_t counts converted to double).
 */
#include "stats.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* ---- named constants ---------------------------------------------------- */

/* R fisher.test: densities within this factor of the observed one count as
 * "as or more extreme" (relErr <- 1 + 10^(-7)). */
#define CK_FISHER_REL_ERR (1.0 + 1e-7)
/* Largest table total accepted by ck_fisher_exact (R converts the table to
 * integer, so it cannot go beyond .Machine$integer.max either). */
#define CK_FISHER_MAX_TOTAL ((size_t)INT_MAX)
/* Brent root finder used for the conditional MLE and the exact interval.
 * R's uniroot stops at tol = .Machine$double.eps^0.25 (~1.2e-4, absolute on
 * the bracket [0, 1]); we iterate to near machine precision instead, so our
 * values are the exact roots and R's differ from them by uniroot's error. */
#define CK_ROOT_EPSABS   1e-300
#define CK_ROOT_EPSREL   (4.0 * DBL_EPSILON)
#define CK_ROOT_MAX_ITER 500
/* Lower end of R's bracket for the inverted searches: .Machine$double.eps. */
#define CK_ROOT_T_MIN DBL_EPSILON
/* R wilcox.test(exact = NULL): exact distribution when n < 50. */
#define CK_WILCOX_EXACT_MAX_N 50
/* R t.test: "data are essentially constant" when
 * stderr < 10 * .Machine$double.eps * abs(mean). */
#define CK_TTEST_CONST_FACTOR (10.0 * DBL_EPSILON)
/* Counts above 2^53 are not exactly representable as double. */
#define CK_MAX_EXACT_COUNT ((size_t)1 << 53)

_Static_assert(SIZE_MAX / 4 >= (size_t)INT_MAX,
               "four Fisher cells of INT_MAX must not wrap size_t");

static bool conf_ok(double conf) {
  return isfinite(conf) && conf > 0.0 && conf < 1.0;
}

static bool all_finite(const double *x, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x[i]))
      return false;
  return true;
}

/* Whether x is in ascending order with no negative zero: then a sort would
 * leave every bit where it is (a -0.0 beside a 0.0 compares equal, and a
 * sort may swap the two). */
static bool ascending(const double *x, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((i > 0 && x[i - 1] > x[i]) || (x[i] == 0.0 && signbit(x[i])))
      return false;
  return true;
}

static bool est_finite(const struct ck_est *e) {
  return isfinite(e->estimate) && isfinite(e->lo) && isfinite(e->hi);
}

/* ---- proportions -------------------------------------------------------- */

/* Wilson score limits without continuity correction, exactly as R 4.2
 * prop.test(x, n, correct = FALSE) computes them for one proportion:
 *   z = qnorm((1 + conf)/2); z22n = z^2/(2n);
 *   p.u = if (p >= 1) 1 else (p + z22n + z sqrt(p(1-p)/n + z22n/(2n)))/(1 + 2
 * z22n) p.l = if (p <= 0) 0 else (p + z22n - z sqrt(...))/(1 + 2 z22n) conf.int
 * = c(max(p.l, 0), min(p.u, 1)). */
static void wilson_limits(double x, double n, double z, struct ck_est *out) {
  double p = x / n;
  double z22n = z * z / (2.0 * n);
  double root = z * sqrt(p * (1.0 - p) / n + z22n / (2.0 * n));
  double pu = p >= 1.0 ? 1.0 : (p + z22n + root) / (1.0 + 2.0 * z22n);
  double pl = p <= 0.0 ? 0.0 : (p + z22n - root) / (1.0 + 2.0 * z22n);
  out->estimate = p;
  out->lo = pl > 0.0 ? pl : 0.0;
  out->hi = pu < 1.0 ? pu : 1.0;
}

/* Forward declaration: Brent root finder shared with Fisher's test. */
static enum ck_status brent_solve(gsl_function *F, double a, double b,
                                  double *root);

struct beta_q {
  double a, b, alpha;
  bool upper;
};

static double beta_q_eval(double x, void *params) {
  const struct beta_q *q = params;
  return (q->upper ? gsl_cdf_beta_Q(x, q->a, q->b)
                   : gsl_cdf_beta_P(x, q->a, q->b)) -
         q->alpha;
}

/* R qbeta(alpha, a, b) (upper = false) or qbeta(1 - alpha, a, b) (upper =
 * true, i.e. qbeta(alpha, a, b, lower.tail = FALSE)).  gsl_cdf_beta_Pinv /
 * _Qinv fail to converge for some arguments (NaN, e.g. Pinv(0.025, 2, 259)),
 * so we invert GSL's cdf with Brent on [0, 1]; the upper tail uses _Q. */
static enum ck_status beta_quantile(double alpha, double a, double b,
                                    bool upper, double *out) {
  struct beta_q q = {a, b, alpha, upper};
  gsl_function F = {beta_q_eval, &q};
  return brent_solve(&F, 0.0, 1.0, out);
}

static bool counts_ok(size_t x, size_t n) {
  return n > 0 && x <= n && n < CK_MAX_EXACT_COUNT;
}

/* R: prop.test(x, n, conf.level = conf, correct = FALSE)$estimate, $conf.int */
enum ck_status ck_prop_wilson(size_t x, size_t n, double conf,
                              struct ck_est *out) {
  if (!out || !conf_ok(conf))
    return CK_EUSAGE;
  if (!counts_ok(x, n))
    return CK_EDATA;
  double z = gsl_cdf_ugaussian_Pinv((1.0 + conf) / 2.0);
  if (!isfinite(z))
    return CK_EINTERNAL;
  struct ck_est e;
  wilson_limits((double)x, (double)n, z, &e);
  if (!est_finite(&e))
    return CK_EINTERNAL;
  *out = e;
  return CK_OK;
}

/* R: binom.test(x, n, conf.level = conf)$conf.int (Clopper-Pearson):
 *   alpha = (1 - conf)/2;
 *   lo = if (x == 0) 0 else qbeta(alpha, x, n - x + 1)
 *   hi = if (x == n) 1 else qbeta(1 - alpha, x + 1, n - x) */
enum ck_status ck_prop_exact(size_t x, size_t n, double conf,
                             struct ck_est *out) {
  if (!out || !conf_ok(conf))
    return CK_EUSAGE;
  if (!counts_ok(x, n))
    return CK_EDATA;
  double alpha = (1.0 - conf) / 2.0;
  double dx = (double)x, dn = (double)n;
  struct ck_est e;
  e.estimate = dx / dn;
  e.lo = 0.0;
  e.hi = 1.0;
  enum ck_status st = CK_OK;
  if (x > 0)
    st = beta_quantile(alpha, dx, dn - dx + 1.0, false, &e.lo);
  if (st == CK_OK && x < n)
    st = beta_quantile(alpha, dx + 1.0, dn - dx, true, &e.hi);
  if (st != CK_OK)
    return st;
  if (!est_finite(&e))
    return CK_EINTERNAL;
  *out = e;
  return CK_OK;
}

/* Newcombe (1998) method 10, hybrid score interval for p1 - p2 from the two
 * Wilson intervals (l1, u1), (l2, u2) of prop.test(correct = FALSE):
 *   lo = d - sqrt((p1 - l1)^2 + (u2 - p2)^2)
 *   hi = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 * No single R base function; the R expression is in stats_reference.R. */
enum ck_status ck_prop_diff_newcombe(size_t x1, size_t n1, size_t x2, size_t n2,
                                     double conf, struct ck_est *out) {
  if (!out || !conf_ok(conf))
    return CK_EUSAGE;
  if (!counts_ok(x1, n1) || !counts_ok(x2, n2))
    return CK_EDATA;
  double z = gsl_cdf_ugaussian_Pinv((1.0 + conf) / 2.0);
  if (!isfinite(z))
    return CK_EINTERNAL;
  struct ck_est w1, w2, e;
  wilson_limits((double)x1, (double)n1, z, &w1);
  wilson_limits((double)x2, (double)n2, z, &w2);
  double p1 = w1.estimate, p2 = w2.estimate;
  e.estimate = p1 - p2;
  e.lo = e.estimate -
         sqrt((p1 - w1.lo) * (p1 - w1.lo) + (w2.hi - p2) * (w2.hi - p2));
  e.hi = e.estimate +
         sqrt((w1.hi - p1) * (w1.hi - p1) + (p2 - w2.lo) * (p2 - w2.lo));
  if (!est_finite(&e))
    return CK_EINTERNAL;
  *out = e;
  return CK_OK;
}

/* ---- Fisher's exact test ------------------------------------------------ */

/* The conditional distribution of the (1,1) cell given the margins, as in R
 * fisher.test: m = a + c, n = b + d, k = a + b, support lo..hi,
 * logdc[i] = log dhyper(lo + i, m, n, k) up to an additive constant. */
struct nhyper {
  double lo;     /* first support point */
  size_t len;    /* number of support points */
  double *logdc; /* log central densities, max 0 */
  double *d;     /* work: noncentral densities */
  size_t wa, wb; /* d is 0 outside wa .. wb - 1 (set by dnhyper) */
  double x;      /* observed a */
};

/* log dhyper over the support by the exact ratio recurrence
 * d(i+1)/d(i) = (m - i)(k - i) / ((i + 1)(n - k + i + 1)); only ratios
 * matter because every use normalises, and this avoids the cancellation of
 * differences of large lgamma values.  The sum runs in long double (64-bit
 * mantissa on x86-64: the products up to 2^62 are exact) with the log of
 * each ratio taken whole, so rounding does not build up over long supports;
 * in double the 2 x 2700-point table of the tests lost 2e-12 relative in p.
 * acc (len points) keeps the partial sums until the max is known, so each
 * log is taken once. */
static void nhyper_logdc(struct nhyper *h, double m, double n, double k,
                         long double *acc) {
  long double sum = 0.0L, mx = 0.0L;
  long double lm = m, ln = n, lk = k;
  acc[0] = 0.0L;
  for (size_t j = 1; j < h->len; j++) {
    long double i = (long double)h->lo + (long double)(j - 1);
    sum += logl(((lm - i) * (lk - i)) / ((i + 1.0L) * (ln - lk + i + 1.0L)));
    acc[j] = sum;
    if (sum > mx)
      mx = sum;
  }
  /* subtract the max in long double, then round once */
  for (size_t j = 0; j < h->len; j++)
    h->logdc[j] = (double)(acc[j] - mx);
}

/* log of the unnormalised noncentral density at support point j */
static inline double dn_log(const struct nhyper *h, double lncp, size_t j) {
  return h->logdc[j] + lncp * (h->lo + (double)j);
}

/* R dnhyper(ncp) for 0 < ncp < Inf: d <- logdc + log(ncp) * support;
 * d <- exp(d - max(d)); d / sum(d).  Result in h->d[h->wa .. h->wb - 1];
 * every density outside that run is 0, and h->d there is not written (read
 * it through the run, as density_at does). */
static void dnhyper(struct nhyper *h, double ncp) {
  double lncp = log(ncp), sum = 0.0;
  /* exp() of anything below -746 is exactly 0 in double, and on a long
   * support most points are that far from the mode: only the run of points
   * at or above max - 746 is worked on, and leaving the zeros outside it out
   * of the sums changes no bit.  The log density is concave in j (the
   * distribution is log-concave), so bisection on its slope finds the mode
   * and the run is found by walking out from it, instead of evaluating all
   * len points.  Rounding can make the slope's sign wrong only where the
   * curve is flat to ~1e-11, so the walk goes one unit further than 746
   * from the bisection's point; the max is then taken over everything
   * walked, which holds every point within 747 of it and so the true max,
   * and the run is cut from that max exactly as a scan of all points
   * would. */
  size_t lo = 0, hi = h->len - 1;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (dn_log(h, lncp, mid + 1) > dn_log(h, lncp, mid))
      lo = mid + 1;
    else
      hi = mid;
  }
  h->d[lo] = dn_log(h, lncp, lo);
  double cut = h->d[lo] - 747.0, mx = h->d[lo];
  size_t a = lo, b = lo + 1, j;
  /* each point walked is kept: the run is cut from these values */
  while (a > 0 && (h->d[a - 1] = dn_log(h, lncp, a - 1)) >= cut)
    if (h->d[--a] > mx)
      mx = h->d[a];
  while (b < h->len && (h->d[b] = dn_log(h, lncp, b)) >= cut)
    if (h->d[b++] > mx)
      mx = h->d[b - 1];
  while (h->d[a] - mx < -746.0)
    a++;
  while (h->d[b - 1] - mx < -746.0)
    b--;
  h->wa = a;
  h->wb = b;
  for (j = a; j < b; j++) {
    double e = h->d[j] - mx;
    h->d[j] = e < -746.0 ? 0.0 : exp(e);
    sum += h->d[j];
  }
  for (j = a; j < b; j++)
    h->d[j] /= sum;
}

/* The density dnhyper left at support point j. */
static double density_at(const struct nhyper *h, size_t j) {
  return j >= h->wa && j < h->wb ? h->d[j] : 0.0;
}

static double hi_of(const struct nhyper *h) {
  return h->lo + (double)(h->len - 1);
}

/* R mnhyper(ncp): mean of the noncentral hypergeometric distribution. */
static double mnhyper(struct nhyper *h, double ncp) {
  if (ncp == 0.0)
    return h->lo;
  if (isinf(ncp))
    return hi_of(h);
  dnhyper(h, ncp);
  double s = 0.0;
  for (size_t j = h->wa; j < h->wb; j++)
    s += (h->lo + (double)j) * h->d[j];
  return s;
}

/* R pnhyper(q, ncp, upper.tail): P(X <= q), or P(X >= q) when upper. */
static double pnhyper(struct nhyper *h, double q, double ncp, bool upper) {
  if (ncp == 0.0)
    return upper ? (double)(q <= h->lo) : (double)(q >= h->lo);
  if (isinf(ncp))
    return upper ? (double)(q <= hi_of(h)) : (double)(q >= hi_of(h));
  dnhyper(h, ncp);
  double s = 0.0;
  for (size_t j = h->wa; j < h->wb; j++) {
    double v = h->lo + (double)j;
    if (upper ? v >= q : v <= q)
      s += h->d[j];
  }
  return s;
}

/* f(t) for the Brent solver: one of the four functions R hands to uniroot. */
enum root_kind { ROOT_MEAN, ROOT_LOWER_TAIL, ROOT_UPPER_TAIL };
struct root_fn {
  struct nhyper *h;
  enum root_kind kind;
  bool invert;   /* evaluate at 1/t (R's second uniroot branch) */
  double target; /* x for the mean, alpha for the tails */
};

static double root_eval(double t, void *params) {
  struct root_fn *f = params;
  double ncp = f->invert ? 1.0 / t : t;
  switch (f->kind) {
  case ROOT_MEAN:
    return mnhyper(f->h, ncp) - f->target;
  case ROOT_LOWER_TAIL:
    return pnhyper(f->h, f->h->x, ncp, false) - f->target;
  case ROOT_UPPER_TAIL:
    return pnhyper(f->h, f->h->x, ncp, true) - f->target;
  }
  return NAN;
}

/* uniroot(f, c(a, b))$root with GSL Brent, to near machine precision. */
static enum ck_status brent_solve(gsl_function *F, double a, double b,
                                  double *root) {
  double fa = GSL_FN_EVAL(F, a), fb = GSL_FN_EVAL(F, b);
  if (!isfinite(fa) || !isfinite(fb))
    return CK_EINTERNAL;
  if (fa == 0.0) {
    *root = a;
    return CK_OK;
  }
  if (fb == 0.0) {
    *root = b;
    return CK_OK;
  }
  if ((fa < 0.0) == (fb < 0.0))
    return CK_EINTERNAL;
  gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  if (!s)
    return CK_ENOMEM;
  if (gsl_root_fsolver_set(s, F, a, b) != GSL_SUCCESS) {
    gsl_root_fsolver_free(s);
    return CK_EINTERNAL;
  }
  int status = GSL_CONTINUE;
  for (int it = 0; it < CK_ROOT_MAX_ITER && status == GSL_CONTINUE; it++) {
    if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
      break;
    status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
                                    gsl_root_fsolver_x_upper(s), CK_ROOT_EPSABS,
                                    CK_ROOT_EPSREL);
  }
  /* Brent may stop short of the tolerance where f is flat at the resolution
   * of double; its current best estimate is then as good as uniroot's. */
  double r = gsl_root_fsolver_root(s);
  gsl_root_fsolver_free(s);
  if (!isfinite(r))
    return CK_EINTERNAL;
  *root = r;
  return CK_OK;
}

static enum ck_status brent(struct root_fn *fn, double a, double b,
                            double *root) {
  gsl_function F = {root_eval, fn};
  return brent_solve(&F, a, b, root);
}

/* R mle(x): the conditional maximum likelihood estimate of the odds ratio. */
static enum ck_status fisher_mle(struct nhyper *h, double *out) {
  if (h->x == h->lo) {
    *out = 0.0;
    return CK_OK;
  }
  if (h->x == hi_of(h)) {
    *out = INFINITY;
    return CK_OK;
  }
  double mu = mnhyper(h, 1.0), r;
  struct root_fn fn = {h, ROOT_MEAN, false, h->x};
  enum ck_status st = CK_OK;
  if (mu > h->x) {
    st = brent(&fn, 0.0, 1.0, &r);
    *out = r;
  } else if (mu < h->x) {
    fn.invert = true;
    st = brent(&fn, CK_ROOT_T_MIN, 1.0, &r);
    *out = 1.0 / r;
  } else {
    *out = 1.0;
  }
  return st;
}

/* R ncp.U(x, alpha): upper confidence limit. */
static enum ck_status fisher_ncp_u(struct nhyper *h, double alpha,
                                   double *out) {
  if (h->x == hi_of(h)) {
    *out = INFINITY;
    return CK_OK;
  }
  double p = pnhyper(h, h->x, 1.0, false), r;
  struct root_fn fn = {h, ROOT_LOWER_TAIL, false, alpha};
  enum ck_status st = CK_OK;
  if (p < alpha) {
    st = brent(&fn, 0.0, 1.0, &r);
    *out = r;
  } else if (p > alpha) {
    fn.invert = true;
    st = brent(&fn, CK_ROOT_T_MIN, 1.0, &r);
    *out = 1.0 / r;
  } else {
    *out = 1.0;
  }
  return st;
}

/* R ncp.L(x, alpha): lower confidence limit. */
static enum ck_status fisher_ncp_l(struct nhyper *h, double alpha,
                                   double *out) {
  if (h->x == h->lo) {
    *out = 0.0;
    return CK_OK;
  }
  double p = pnhyper(h, h->x, 1.0, true), r;
  struct root_fn fn = {h, ROOT_UPPER_TAIL, false, alpha};
  enum ck_status st = CK_OK;
  if (p > alpha) {
    st = brent(&fn, 0.0, 1.0, &r);
    *out = r;
  } else if (p < alpha) {
    fn.invert = true;
    st = brent(&fn, CK_ROOT_T_MIN, 1.0, &r);
    *out = 1.0 / r;
  } else {
    *out = 1.0;
  }
  return st;
}

/* R: fisher.test(matrix(c(a, c, b, d), 2), conf.level = conf):
 * $p.value (two-sided, relErr 1 + 1e-7), $estimate (conditional MLE),
 * $conf.int (ncp.L, ncp.U at alpha = (1 - conf)/2). */
enum ck_status ck_fisher_exact(size_t a, size_t b, size_t c, size_t d,
                               double conf, struct ck_fisher *out) {
  if (!out || !conf_ok(conf))
    return CK_EUSAGE;
  const size_t cap = CK_FISHER_MAX_TOTAL;
  /* Each cell <= INT_MAX, so the sum of four cannot wrap a 64-bit size_t. */
  if (a > cap || b > cap || c > cap || d > cap)
    return CK_EDATA;
  if (a + b + c + d > cap)
    return CK_EDATA;
  size_t m = a + c, n = b + d, k = a + b;
  if (m == 0 || n == 0 || k == 0 || c + d == 0)
    return CK_EDATA;

  size_t lo = k > n ? k - n : 0;
  size_t hi = k < m ? k : m;
  struct nhyper h;
  h.lo = (double)lo;
  h.len = hi - lo + 1;
  h.x = (double)a;
  h.logdc = malloc(h.len * sizeof *h.logdc);
  h.d = malloc(h.len * sizeof *h.d);
  long double *acc = malloc(h.len * sizeof *acc);
  if (!h.logdc || !h.d || !acc) {
    free(h.logdc);
    free(h.d);
    free(acc);
    return CK_ENOMEM;
  }
  nhyper_logdc(&h, (double)m, (double)n, (double)k, acc);
  free(acc);

  /* Two-sided p at or = 1: sum(d[d <= d[x - lo + 1] * relErr]). */
  struct ck_fisher r;
  dnhyper(&h, 1.0);
  double dobs = density_at(&h, a - lo) * CK_FISHER_REL_ERR, pv = 0.0;
  for (size_t j = h.wa; j < h.wb; j++)
    if (h.d[j] <= dobs)
      pv += h.d[j];
  r.p = pv > 1.0 ? 1.0 : pv;

  double alpha = (1.0 - conf) / 2.0;
  enum ck_status st = fisher_mle(&h, &r.odds_ratio.estimate);
  if (st == CK_OK)
    st = fisher_ncp_l(&h, alpha, &r.odds_ratio.lo);
  if (st == CK_OK)
    st = fisher_ncp_u(&h, alpha, &r.odds_ratio.hi);
  free(h.logdc);
  free(h.d);
  if (st != CK_OK)
    return st;
  if (!isfinite(r.p) || isnan(r.odds_ratio.estimate) ||
      !isfinite(r.odds_ratio.lo) || isnan(r.odds_ratio.hi))
    return CK_EINTERNAL;
  *out = r;
  return CK_OK;
}

/* ---- means, spread, quantiles ------------------------------------------- */

/* R: t.test(x, conf.level = conf)$estimate and $conf.int:
 *   stderr = sqrt(var(x)/n); mean +- qt((1 + conf)/2, n - 1) * stderr.
 * CK_EDATA when R stops with "data are essentially constant". */
enum ck_status ck_mean_t(const double *x, size_t n, double conf,
                         struct ck_est *out) {
  double sd;
  return ck_mean_t_sd(x, n, conf, out, &sd);
}

/* ck_mean_t and R's sd(x) (denominator n - 1), which the t interval needs
 * anyway: one pass for the mean, one for the spread. */
enum ck_status ck_mean_t_sd(const double *x, size_t n, double conf,
                            struct ck_est *out, double *sd_out) {
  if (!out || !sd_out || !conf_ok(conf) || (n > 0 && !x))
    return CK_EUSAGE;
  if (n < 2 || !all_finite(x, n))
    return CK_EDATA;
  double mean = gsl_stats_mean(x, 1, n);
  double sd = gsl_stats_sd_m(x, 1, n, mean);
  double se = sd / sqrt((double)n);
  if (!isfinite(se) || se == 0.0 || se < CK_TTEST_CONST_FACTOR * fabs(mean))
    return CK_EDATA;
  double q = gsl_cdf_tdist_Qinv((1.0 - conf) / 2.0, (double)(n - 1));
  struct ck_est e = {mean, mean - q * se, mean + q * se};
  if (!est_finite(&e))
    return CK_EINTERNAL;
  *out = e;
  *sd_out = sd;
  return CK_OK;
}

/* R: quantile(x, p, type = 7, names = FALSE), on a sorted copy:
 *   index = 1 + (n - 1) p; lo = floor(index); hi = ceiling(index);
 *   q = x[lo]; if (index > lo && x[hi] != q) q = (1 - h) q + h x[hi],
 *   h = index - lo. */
enum ck_status ck_quantile(const double *x, size_t n, double p, double *out) {
  if (!out || (n > 0 && !x))
    return CK_EUSAGE;
  if (n == 0 || !isfinite(p) || p < 0.0 || p > 1.0 || !all_finite(x, n))
    return CK_EDATA;
  /* the report's score changes come in ascending order: read them where
   * they are (sorting them again was a heap sort of every retaker) */
  double *s = NULL;
  if (!ascending(x, n)) {
    s = malloc(n * sizeof *s);
    if (!s)
      return CK_ENOMEM;
    memcpy(s, x, n * sizeof *s);
    gsl_sort(s, 1, n);
    x = s;
  }
  double index = (double)(n - 1) * p; /* 0-based: R's index - 1 */
  double flo = floor(index);
  size_t lo = (size_t)flo;
  if (lo > n - 1)
    lo = n - 1;
  size_t hi = (size_t)ceil(index);
  if (hi > n - 1)
    hi = n - 1;
  double q = x[lo];
  if (index > flo && x[hi] != q) {
    double h = index - flo;
    q = (1.0 - h) * q + h * x[hi];
  }
  free(s);
  *out = q;
  return CK_OK;
}

/* ---- Wilcoxon signed-rank ----------------------------------------------- */

struct absval {
  double a;
  bool pos;
};

static int cmp_absval(const void *p, const void *q) {
  double a = ((const struct absval *)p)->a, b = ((const struct absval *)q)->a;
  return (a > b) - (a < b);
}

/* R psignrank: P(V <= v) for v integer, by counting subsets of {1..n} with
 * each sum (n < 50, so counts stay below 2^53 and the result is exact). */
static enum ck_status psignrank_lower(size_t v, size_t n, double *out) {
  size_t total = n * (n + 1) / 2;
  if (v >= total) {
    *out = 1.0;
    return CK_OK;
  }
  uint64_t *c = calloc(total + 1, sizeof *c);
  if (!c)
    return CK_ENOMEM;
  c[0] = 1;
  for (size_t r = 1; r <= n; r++)
    for (size_t s = r * (r + 1) / 2; s >= r; s--)
      c[s] += c[s - r];
  uint64_t cum = 0;
  for (size_t s = 0; s <= v; s++)
    cum += c[s];
  free(c);
  *out = ldexp((double)cum, -(int)n);
  return CK_OK;
}

/* R: wilcox.test(d)$p.value with exact = NULL, correct = TRUE, mu = 0,
 * two-sided (R 4.2 stats:::wilcox.test.default):
 *   ZEROES <- any(x == 0); x <- x[x != 0]; n <- length(x)
 *   exact <- n < 50; r <- rank(abs(x)); V <- sum(r[x > 0])
 *   if (exact && !TIES && !ZEROES) p <- min(2 * psignrank tail, 1)
 *   else normal approximation with tie-corrected SIGMA and correction
 *        0.5 * sign(z): p <- 2 * min(pnorm(z), pnorm(z, lower = FALSE)).
 * Note: any zero difference forces the normal approximation, as in R. */
enum ck_status ck_wilcoxon_signed_rank(const double *d, size_t n, double *p,
                                       bool *exact) {
  if (!p || !exact || (n > 0 && !d))
    return CK_EUSAGE;
  if (n == 0 || !all_finite(d, n))
    return CK_EDATA;
  size_t nz = 0;
  for (size_t i = 0; i < n; i++)
    nz += d[i] != 0.0;
  if (nz == 0)
    return CK_EDATA;
  bool zeroes = nz < n;
  struct absval *v = malloc(nz * sizeof *v);
  if (!v)
    return CK_ENOMEM;
  if (ascending(d, n)) {
    /* |d| in order without a sort: the negatives from the last back, merged
     * with the positives from the first.  Within a run of equal |d| the
     * order may differ from qsort's, which changes nothing below: every
     * member of a run adds the same rank. */
    size_t neg = 0;
    while (neg < n && d[neg] < 0.0)
      neg++;
    size_t pos = neg;
    while (pos < n && d[pos] == 0.0)
      pos++;
    size_t a = neg, b = pos, j = 0;
    while (a > 0 || b < n) {
      if (b == n || (a > 0 && -d[a - 1] <= d[b]))
        v[j++] = (struct absval){-d[--a], false};
      else
        v[j++] = (struct absval){d[b++], true};
    }
  } else {
    for (size_t i = 0, j = 0; i < n; i++)
      if (d[i] != 0.0)
        v[j++] = (struct absval){fabs(d[i]), d[i] > 0.0};
    qsort(v, nz, sizeof *v, cmp_absval);
  }

  /* Average ranks of tied |d|; V = sum of ranks of positive d. */
  double stat = 0.0, ties = 0.0; /* ties = sum(t^3 - t) */
  for (size_t i = 0; i < nz;) {
    size_t j = i;
    while (j + 1 < nz && v[j + 1].a == v[i].a)
      j++;
    double t = (double)(j - i + 1);
    double rank = ((double)i + 1.0 + (double)j + 1.0) / 2.0;
    for (size_t k = i; k <= j; k++)
      if (v[k].pos)
        stat += rank;
    ties += t * t * t - t;
    i = j + 1;
  }
  free(v);

  double dn = (double)nz;
  double mean = dn * (dn + 1.0) / 4.0;
  if (nz < CK_WILCOX_EXACT_MAX_N && ties == 0.0 && !zeroes) {
    /* No ties: V is an integer. */
    size_t vs = (size_t)stat, tot = nz * (nz + 1) / 2;
    double tail;
    enum ck_status st;
    if (stat > mean) /* P(V >= v) = P(V <= total - v) by symmetry */
      st = psignrank_lower(tot - vs, nz, &tail);
    else
      st = psignrank_lower(vs, nz, &tail);
    if (st != CK_OK)
      return st;
    *p = 2.0 * tail < 1.0 ? 2.0 * tail : 1.0;
    *exact = true;
    return CK_OK;
  }
  double z = stat - mean;
  double sigma = sqrt(dn * (dn + 1.0) * (2.0 * dn + 1.0) / 24.0 - ties / 48.0);
  double corr = z > 0.0 ? 0.5 : (z < 0.0 ? -0.5 : 0.0);
  z = (z - corr) / sigma;
  double lower = gsl_cdf_ugaussian_P(z), upper = gsl_cdf_ugaussian_Q(z);
  double pv = 2.0 * (lower < upper ? lower : upper);
  if (!isfinite(pv))
    return CK_EINTERNAL;
  *p = pv;
  *exact = false;
  return CK_OK;
}

/* ---- linear regression -------------------------------------------------- */

/* R: lm(y ~ x): coef, summary()$r.squared, summary()$sigma, vcov().
 * CK_EDATA also when y is constant (R's r.squared is then NaN). */
enum ck_status ck_linfit(const double *x, const double *y, size_t n,
                         struct ck_linfit *out) {
  if (!out || (n > 0 && (!x || !y)))
    return CK_EUSAGE;
  if (n < 3 || !all_finite(x, n) || !all_finite(y, n))
    return CK_EDATA;
  struct ck_linfit f;
  f.n = n;
  f.xbar = gsl_stats_mean(x, 1, n);
  double ybar = gsl_stats_mean(y, 1, n);
  double sxx = 0.0, syy = 0.0;
  for (size_t i = 0; i < n; i++) {
    sxx += (x[i] - f.xbar) * (x[i] - f.xbar);
    syy += (y[i] - ybar) * (y[i] - ybar);
  }
  if (!(sxx > 0.0) || !(syy > 0.0))
    return CK_EDATA;
  f.sxx = sxx;
  double sse;
  if (gsl_fit_linear(x, 1, y, 1, n, &f.intercept, &f.slope, &f.cov00, &f.cov01,
                     &f.cov11, &sse) != GSL_SUCCESS)
    return CK_EINTERNAL;
  f.r2 = 1.0 - sse / syy;
  f.sigma = sqrt(sse / (double)(n - 2));
  if (!isfinite(f.intercept) || !isfinite(f.slope) || !isfinite(f.r2) ||
      !isfinite(f.sigma) || !isfinite(f.cov00) || !isfinite(f.cov01) ||
      !isfinite(f.cov11))
    return CK_EINTERNAL;
  *out = f;
  return CK_OK;
}

/* The same fit from integer sums (n, sum x, sum y, sum x^2, sum xy,
 * sum y^2): the centred sums n*Sxx = n*sum x^2 - (sum x)^2 etc. are exact
 * integers in long double (64-bit significand) for any cohort this tool
 * reads (n*sum x^2 < 2^64), so adding schools' sums changes no bit. */
enum ck_status ck_linfit_sums(size_t n, int64_t sx, int64_t sy, int64_t sxx,
                              int64_t sxy, int64_t syy, struct ck_linfit *out) {
  if (!out)
    return CK_EUSAGE;
  if (n < 3)
    return CK_EDATA;
  long double N = (long double)n;
  long double nsxx = N * (long double)sxx - (long double)sx * (long double)sx;
  long double nsxy = N * (long double)sxy - (long double)sx * (long double)sy;
  long double nsyy = N * (long double)syy - (long double)sy * (long double)sy;
  if (!(nsxx > 0) || !(nsyy > 0))
    return CK_EDATA;
  struct ck_linfit f;
  f.n = n;
  f.xbar = (double)((long double)sx / N);
  double ybar = (double)((long double)sy / N);
  f.sxx = (double)(nsxx / N);
  double syy_c = (double)(nsyy / N);
  f.slope = (double)(nsxy / nsxx);
  f.intercept = ybar - f.slope * f.xbar;
  double sse = (double)((nsyy - nsxy * nsxy / nsxx) / N);
  if (sse < 0)
    sse = 0; /* rounding when every point is on the line */
  double s2 = sse / (double)(n - 2);
  f.cov11 = s2 / f.sxx;
  f.cov01 = -f.xbar * f.cov11;
  f.cov00 = s2 * (1.0 / (double)n + f.xbar * f.xbar / f.sxx);
  f.r2 = 1.0 - sse / syy_c;
  f.sigma = sqrt(s2);
  if (!isfinite(f.intercept) || !isfinite(f.slope) || !isfinite(f.r2) ||
      !isfinite(f.sigma) || !isfinite(f.cov00) || !isfinite(f.cov01) ||
      !isfinite(f.cov11))
    return CK_EINTERNAL;
  *out = f;
  return CK_OK;
}

/* R: predict(lm(y ~ x), data.frame(x = x0), interval = "prediction",
 *            level = conf):
 *   fit +- qt((1 + conf)/2, n - 2) * sigma * sqrt(1 + 1/n + (x0 - xbar)^2/Sxx)
 */
enum ck_status ck_linfit_predict(const struct ck_linfit *f, double x0,
                                 double conf, struct ck_est *out) {
  if (!f || !out || !conf_ok(conf))
    return CK_EUSAGE;
  if (f->n < 3 || !(f->sxx > 0.0) || !isfinite(f->sxx) || !isfinite(x0) ||
      !isfinite(f->sigma) || !isfinite(f->xbar))
    return CK_EDATA;
  double dn = (double)f->n;
  double fit = f->intercept + f->slope * x0;
  double dx = x0 - f->xbar;
  double se = f->sigma * sqrt(1.0 + 1.0 / dn + dx * dx / f->sxx);
  double q = gsl_cdf_tdist_Qinv((1.0 - conf) / 2.0, dn - 2.0);
  struct ck_est e = {fit, fit - q * se, fit + q * se};
  if (!est_finite(&e))
    return CK_EINTERNAL;
  *out = e;
  return CK_OK;
}

/* ---- trend in proportions ----------------------------------------------- */

/* R: prop.trend.test(x, n, score = s):
 *   p <- sum(x)/sum(n); w <- n/p/(1 - p)
 *   chisq = anova(lm(x/n ~ score, weights = w))["score", "Sum Sq"]
 * which is the weighted regression sum of squares
 *   (sum w (s - sbar_w)(f - fbar_w))^2 / sum w (s - sbar_w)^2.
 * Groups with n = 0 have freq NaN and are dropped by lm's na.omit. */
enum ck_status ck_prop_trend(const size_t *x, const size_t *n, const double *s,
                             size_t k, double *chi2, double *p) {
  if (!chi2 || !p || (k > 0 && (!x || !n || !s)))
    return CK_EUSAGE;
  double sx = 0.0, sn = 0.0;
  size_t groups = 0;
  for (size_t i = 0; i < k; i++) {
    if (n[i] == 0)
      continue;
    if (x[i] > n[i] || n[i] >= CK_MAX_EXACT_COUNT || !isfinite(s[i]))
      return CK_EDATA;
    sx += (double)x[i];
    sn += (double)n[i];
    groups++;
  }
  if (groups < 2 || sx <= 0.0 || sx >= sn)
    return CK_EDATA;
  double pbar = sx / sn;
  double sw = 0.0, sws = 0.0, swf = 0.0;
  for (size_t i = 0; i < k; i++) {
    if (n[i] == 0)
      continue;
    double w = (double)n[i] / pbar / (1.0 - pbar);
    double fr = (double)x[i] / (double)n[i];
    sw += w;
    sws += w * s[i];
    swf += w * fr;
  }
  double sbar = sws / sw, fbar = swf / sw, sss = 0.0, ssf = 0.0;
  for (size_t i = 0; i < k; i++) {
    if (n[i] == 0)
      continue;
    double w = (double)n[i] / pbar / (1.0 - pbar);
    double fr = (double)x[i] / (double)n[i];
    sss += w * (s[i] - sbar) * (s[i] - sbar);
    ssf += w * (s[i] - sbar) * (fr - fbar);
  }
  if (!(sss > 0.0))
    return CK_EDATA;
  double c2 = ssf * ssf / sss;
  double pv = gsl_cdf_chisq_Q(c2, 1.0);
  if (!isfinite(c2) || !isfinite(pv))
    return CK_EINTERNAL;
  *chi2 = c2;
  *p = pv;
  return CK_OK;
}
