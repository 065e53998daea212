/*
 * test_stats.c - statistical primitives against R 4.2.2 reference values
 * SPDX-License-Identifier: MIT
 *
 * Every expected number was produced by R 4.2.2; the exact R command sits in
 * the comment above each literal, and tests/data/stats_reference.R
 * regenerates all of them (its output is pasted here unchanged).
 *
 * Tolerances (relative):
 *  - CK_TOL_R (1e-9) for every statistic computed by a closed form or an
 *    exact algorithm: proportions, Newcombe, t, sd, quantiles, Wilcoxon p,
 *    Fisher p, lm, prediction intervals, trend test.
 *  - Fisher odds ratio and its interval are roots of monotone equations.
 *    R's fisher.test finds them with uniroot(tol = .Machine$double.eps^0.25
 *    ~ 1.2e-4, absolute on the bracket [0, 1]); its printed values are only
 *    that precise (up to 0.7% relative off for large limits).  So we check
 *      (a) against the same R code with uniroot at machine precision
 *          ("fisher.tight") at CK_TOL_FISHER_OR (1e-6) relative, and
 *      (b) against R's own fisher.test within uniroot's tolerance on the
 *          scale R searches (t = or if or <= 1, else 1/or).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <float.h>
#include <cmocka.h>

#include "stats.h"

#define CK_TOL_R         1e-9
#define CK_TOL_FISHER_OR 1e-6
/* R uniroot's default tol = .Machine$double.eps^0.25 */
#define CK_TOL_UNIROOT 1.220703125e-4

/* Largest relative error seen per group, printed for the record. */
static double max_rel_err;

static double rel_err(double actual, double expected) {
  if (isinf(expected) || isinf(actual))
    return (actual == expected) ? 0.0 : INFINITY;
  if (isnan(actual) || isnan(expected))
    return INFINITY;
  double diff = fabs(actual - expected);
  if (diff == 0.0)
    return 0.0;
  double scale = fmax(fabs(actual), fabs(expected));
  return diff / scale;
}

static void check_rel_at(double actual, double expected, double tol,
                         const char *what, int line) {
  double e = rel_err(actual, expected);
  if (e > max_rel_err)
    max_rel_err = e;
  if (!(e <= tol)) {
    print_error("%s: got %.17g, expected %.17g (relative error %.3g > %.3g)\n",
                what, actual, expected, e, tol);
    _fail(__FILE__, line);
  }
}
#define check_rel(a, e, tol) check_rel_at((a), (e), (tol), #a, __LINE__)

static void report_max(const char *name) {
  print_message("[ stats    ] %s: max relative error vs R %.3g\n", name,
                max_rel_err);
  max_rel_err = 0.0;
}

static int setup(void **state) {
  (void)state;
  ck_init();
  return 0;
}

/* ---- proportions ------------------------------------------------------ */

struct prop_case {
  size_t x, n;
  double conf, est, lo, hi;
};

static const struct prop_case wilson_cases[] = {
    /* R 4.2.2: prop.test(7, 20, conf.level = 0.95, correct = FALSE)$conf.int ->
       0.18119182410108206, 0.56714572331476365 */
    {7, 20, 0.95, 0.34999999999999998, 0.18119182410108206,
     0.56714572331476365},
    /* R 4.2.2: prop.test(0, 20, conf.level = 0.95, correct = FALSE)$conf.int ->
       0, 0.1611251580528193 */
    {0, 20, 0.95, 0, 0, 0.1611251580528193},
    /* R 4.2.2: prop.test(20, 20, conf.level = 0.95, correct = FALSE)$conf.int
       -> 0.83887484194718065, 1 */
    {20, 20, 0.95, 1, 0.83887484194718065, 1},
    /* R 4.2.2: prop.test(1, 1, conf.level = 0.95, correct = FALSE)$conf.int ->
       0.2065493143772375, 1 */
    {1, 1, 0.95, 1, 0.2065493143772375, 1},
    /* R 4.2.2: prop.test(0, 1, conf.level = 0.9, correct = FALSE)$conf.int ->
       0, 0.73013405121594566 */
    {0, 1, 0.9, 0, 0, 0.73013405121594566},
    /* R 4.2.2: prop.test(300, 400, conf.level = 0.95, correct = FALSE)$conf.int
       -> 0.7053228670693259, 0.78992098576352587 */
    {300, 400, 0.95, 0.75, 0.7053228670693259, 0.78992098576352587},
    /* R 4.2.2: prop.test(50, 100, conf.level = 0.99, correct = FALSE)$conf.int
       -> 0.37527962504483986, 0.6247203749551602 */
    {50, 100, 0.99, 0.5, 0.37527962504483986, 0.6247203749551602},
    /* R 4.2.2: prop.test(3, 7, conf.level = 0.8, correct = FALSE)$conf.int ->
       0.22598811161452573, 0.65830294637909348 */
    {3, 7, 0.8, 0.42857142857142855, 0.22598811161452573, 0.65830294637909348},
    /* R 4.2.2: prop.test(1, 1000, conf.level = 0.95, correct = FALSE)$conf.int
       -> 0.00017654637062607817, 0.0056425585979579338 */
    {1, 1000, 0.95, 0.001, 0.00017654637062607817, 0.0056425585979579338},
    /* R 4.2.2: prop.test(2, 260, conf.level = 0.95, correct = FALSE)$conf.int
       -> 0.0021120491738382836, 0.027608294458824671 */
    {2, 260, 0.95, 0.0076923076923076927, 0.0021120491738382836,
     0.027608294458824671},
    /* R 4.2.2: prop.test(284, 291, conf.level = 0.95, correct = FALSE)$conf.int
       -> 0.95118801793406826, 0.98829993979054631 */
    {284, 291, 0.95, 0.97594501718213056, 0.95118801793406826,
     0.98829993979054631},
};

static const struct prop_case exact_cases[] = {
    /* R 4.2.2: binom.test(7, 20, conf.level = 0.95)$conf.int ->
       0.15390920478454115, 0.59218853453282816 */
    {7, 20, 0.95, 0.34999999999999998, 0.15390920478454115,
     0.59218853453282816},
    /* R 4.2.2: binom.test(0, 20, conf.level = 0.95)$conf.int -> 0,
       0.16843347098308536 */
    {0, 20, 0.95, 0, 0, 0.16843347098308536},
    /* R 4.2.2: binom.test(20, 20, conf.level = 0.95)$conf.int ->
       0.83156652901691464, 1 */
    {20, 20, 0.95, 1, 0.83156652901691464, 1},
    /* R 4.2.2: binom.test(1, 1, conf.level = 0.95)$conf.int ->
       0.025000000000000022, 1 */
    {1, 1, 0.95, 1, 0.025000000000000022, 1},
    /* R 4.2.2: binom.test(0, 1, conf.level = 0.9)$conf.int -> 0,
       0.94999999999999996 */
    {0, 1, 0.9, 0, 0, 0.94999999999999996},
    /* R 4.2.2: binom.test(300, 400, conf.level = 0.95)$conf.int ->
       0.70455828136468324, 0.79169849331803666 */
    {300, 400, 0.95, 0.75, 0.70455828136468324, 0.79169849331803666},
    /* R 4.2.2: binom.test(50, 100, conf.level = 0.99)$conf.int ->
       0.36886143735892402, 0.63113856264107593 */
    {50, 100, 0.99, 0.5, 0.36886143735892402, 0.63113856264107593},
    /* R 4.2.2: binom.test(3, 7, conf.level = 0.8)$conf.int ->
       0.16963841739720048, 0.721397951418287 */
    {3, 7, 0.8, 0.42857142857142855, 0.16963841739720048, 0.721397951418287},
    /* R 4.2.2: binom.test(1, 1000, conf.level = 0.95)$conf.int
       -> 2.5317487491294069e-05, 0.005558924279826627 */
    {1, 1000, 0.95, 0.001, 2.5317487491294069e-05, 0.005558924279826627},
    /* R 4.2.2: binom.test(2, 260, conf.level = 0.95)$conf.int ->
       0.00093293550606470238, 0.027509464774955861 */
    {2, 260, 0.95, 0.0076923076923076927, 0.00093293550606470238,
     0.027509464774955861},
    /* R 4.2.2: binom.test(284, 291, conf.level = 0.95)$conf.int ->
       0.95106775383723074, 0.99027518238340795 */
    {284, 291, 0.95, 0.97594501718213056, 0.95106775383723074,
     0.99027518238340795},
};

static void prop_wilson(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof wilson_cases / sizeof *wilson_cases; i++) {
    const struct prop_case *c = &wilson_cases[i];
    struct ck_est e;
    assert_int_equal(ck_prop_wilson(c->x, c->n, c->conf, &e), CK_OK);
    check_rel(e.estimate, c->est, CK_TOL_R);
    check_rel(e.lo, c->lo, CK_TOL_R);
    check_rel(e.hi, c->hi, CK_TOL_R);
  }
  report_max("prop.test(correct = FALSE)");
}

static void prop_exact(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof exact_cases / sizeof *exact_cases; i++) {
    const struct prop_case *c = &exact_cases[i];
    struct ck_est e;
    assert_int_equal(ck_prop_exact(c->x, c->n, c->conf, &e), CK_OK);
    check_rel(e.estimate, c->est, CK_TOL_R);
    check_rel(e.lo, c->lo, CK_TOL_R);
    check_rel(e.hi, c->hi, CK_TOL_R);
  }
  report_max("binom.test");
}

struct diff_case {
  size_t x1, n1, x2, n2;
  double conf, d, lo, hi;
};

/* newcombe <- function(x1, n1, x2, n2, conf) {
 *   w1 <- prop.test(x1, n1, conf.level = conf, correct = FALSE)$conf.int
 *   w2 <- prop.test(x2, n2, conf.level = conf, correct = FALSE)$conf.int
 *   p1 <- x1 / n1; p2 <- x2 / n2; d <- p1 - p2
 *   c(d, d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2),
 *        d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2)) } */
static const struct diff_case newcombe_cases[] = {
    /* R 4.2.2: newcombe(7, 20, 3, 25, 0.95) -> 0.22999999999999998,
       -0.016449292519579162, 0.46084224160529075 */
    {7, 20, 3, 25, 0.95, 0.22999999999999998, -0.016449292519579162,
     0.46084224160529075},
    /* R 4.2.2: newcombe(0, 10, 0, 12, 0.95) -> 0, -0.24249400665524079,
       0.27753279986288915 */
    {0, 10, 0, 12, 0.95, 0, -0.24249400665524079, 0.27753279986288915},
    /* R 4.2.2: newcombe(10, 10, 0, 10, 0.95) -> 1, 0.60750935043052434, 1 */
    {10, 10, 0, 10, 0.95, 1, 0.60750935043052434, 1},
    /* R 4.2.2: newcombe(300, 400, 50, 100, 0.95) -> 0.25, 0.14396028687962453,
       0.35412521143353348 */
    {300, 400, 50, 100, 0.95, 0.25, 0.14396028687962453, 0.35412521143353348},
    /* R 4.2.2: newcombe(5, 5, 2, 9, 0.9) -> 0.77777777777777779,
       0.33231981925301585, 0.92350526244560349 */
    {5, 5, 2, 9, 0.9, 0.77777777777777779, 0.33231981925301585,
     0.92350526244560349},
    /* R 4.2.2: newcombe(56, 70, 48, 80, 0.95) -> 0.20000000000000007,
       0.052431472402364926, 0.33387265403690586 */
    {56, 70, 48, 80, 0.95, 0.20000000000000007, 0.052431472402364926,
     0.33387265403690586},
};

static void prop_diff_newcombe(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof newcombe_cases / sizeof *newcombe_cases; i++) {
    const struct diff_case *c = &newcombe_cases[i];
    struct ck_est e;
    assert_int_equal(
        ck_prop_diff_newcombe(c->x1, c->n1, c->x2, c->n2, c->conf, &e), CK_OK);
    check_rel(e.estimate, c->d, CK_TOL_R);
    check_rel(e.lo, c->lo, CK_TOL_R);
    check_rel(e.hi, c->hi, CK_TOL_R);
  }
  report_max("Newcombe hybrid score");
}

static void prop_edata(void **state) {
  (void)state;
  struct ck_est e = {-1, -1, -1};
  assert_int_equal(ck_prop_wilson(0, 0, 0.95, &e), CK_EDATA);
  assert_int_equal(ck_prop_wilson(5, 4, 0.95, &e), CK_EDATA);
  assert_int_equal(ck_prop_exact(0, 0, 0.95, &e), CK_EDATA);
  assert_int_equal(ck_prop_exact(3, 2, 0.95, &e), CK_EDATA);
  assert_int_equal(ck_prop_exact((size_t)-1, (size_t)-1, 0.95, &e), CK_EDATA);
  assert_int_equal(ck_prop_diff_newcombe(1, 0, 1, 2, 0.95, &e), CK_EDATA);
  assert_int_equal(ck_prop_diff_newcombe(1, 2, 0, 0, 0.95, &e), CK_EDATA);
  assert_int_equal(ck_prop_diff_newcombe(1, 2, 3, 2, 0.95, &e), CK_EDATA);
  /* outputs untouched on failure */
  assert_true(e.estimate == -1 && e.lo == -1 && e.hi == -1);
  /* bad confidence level or NULL output is a usage error */
  assert_int_equal(ck_prop_wilson(1, 2, 1.0, &e), CK_EUSAGE);
  assert_int_equal(ck_prop_exact(1, 2, 0.0, &e), CK_EUSAGE);
  assert_int_equal(ck_prop_exact(1, 2, NAN, &e), CK_EUSAGE);
  assert_int_equal(ck_prop_diff_newcombe(1, 2, 1, 2, 0.95, NULL), CK_EUSAGE);
}

/* ---- Fisher ------------------------------------------------------------ */

struct fisher_case {
  size_t a, b, c, d;
  double conf, p, or_, lo, hi;
};

/* Pairs of rows: R's fisher.test, then fisher.tight (uniroot tol 1e-15). */
static const struct fisher_case fisher_cases[] = {
    /* R 4.2.2: fisher.test(matrix(c(3, 1, 1, 3), 2), conf.level
       = 0.95)[c("p.value", "estimate", "conf.int")] ->
       0.48571428571428582, 6.4083088670057879,
       0.21173291530550292, 621.9337505454173 */
    {3, 1, 1, 3, 0.95, 0.48571428571428582, 6.4083088670057879,
     0.21173291530550292, 621.9337505454173},
    /* R 4.2.2: fisher.tight(matrix(c(3, 1, 1, 3), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 0.48571428571428582, 6.4083196581996713,
       0.21173559544657847, 626.24353058881354 */
    {3, 1, 1, 3, 0.95, 0.48571428571428582, 6.4083196581996713,
     0.21173559544657847, 626.24353058881354},
    /* R 4.2.2: fisher.test(matrix(c(0, 5, 5, 0), 2), conf.level
       = 0.95)[c("p.value", "estimate", "conf.int")] ->
       0.0079365079365079395, 0, 0, 0.43532263904958263 */
    {0, 5, 5, 0, 0.95, 0.0079365079365079395, 0, 0, 0.43532263904958263},
    /* R 4.2.2: fisher.tight(matrix(c(0, 5, 5, 0), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 0.0079365079365079395, 0, 0, 0.43534120574505564 */
    {0, 5, 5, 0, 0.95, 0.0079365079365079395, 0, 0, 0.43534120574505564},
    /* R 4.2.2: fisher.test(matrix(c(5, 0, 0, 5), 2), conf.level
       = 0.95)[c("p.value", "estimate", "conf.int")] ->
       0.0079365079365079395, INFINITY, 2.2971467833220163,
       INFINITY */
    {5, 0, 0, 5, 0.95, 0.0079365079365079395, INFINITY, 2.2971467833220163,
     INFINITY},
    /* R 4.2.2: fisher.tight(matrix(c(5, 0, 0, 5), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 0.0079365079365079395, INFINITY, 2.2970488132143863,
       INFINITY */
    {5, 0, 0, 5, 0.95, 0.0079365079365079395, INFINITY, 2.2970488132143863,
     INFINITY},
    /* R 4.2.2: fisher.test(matrix(c(0, 3, 10, 7), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 0.2105263157894737, 0, 0, 2.2552288721983764 */
    {0, 10, 3, 7, 0.95, 0.2105263157894737, 0, 0, 2.2552288721983764},
    /* R 4.2.2: fisher.tight(matrix(c(0, 3, 10, 7), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 0.2105263157894737, 0, 0, 2.2552275858089139 */
    {0, 10, 3, 7, 0.95, 0.2105263157894737, 0, 0, 2.2552275858089139},
    /* R 4.2.2: fisher.test(matrix(c(7, 0, 3, 10), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 0.0030959752321981443, INFINITY, 2.5754650799172705,
       INFINITY */
    {7, 3, 0, 10, 0.95, 0.0030959752321981443, INFINITY, 2.5754650799172705,
     INFINITY},
    /* R 4.2.2: fisher.tight(matrix(c(7, 0, 3, 10), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 0.0030959752321981443, INFINITY, 2.5755447648914673,
       INFINITY */
    {7, 3, 0, 10, 0.95, 0.0030959752321981443, INFINITY, 2.5755447648914673,
     INFINITY},
    /* R 4.2.2: fisher.test(matrix(c(300, 50, 100, 50), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 2.6209108113389603e-06, 2.9924932798153643, 1.8563537067068063,
       4.8333981845365974
     */
    {300, 100, 50, 50, 0.95, 2.6209108113389603e-06, 2.9924932798153643,
     1.8563537067068063, 4.8333981845365974},
    /* R 4.2.2: fisher.tight(matrix(c(300, 50, 100, 50), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 2.6209108113389603e-06, 2.9925087787641362, 1.8563484975415345,
       4.8331593852316255
     */
    {300, 100, 50, 50, 0.95, 2.6209108113389603e-06, 2.9925087787641362,
     1.8563484975415345, 4.8331593852316255},
    /* R 4.2.2: fisher.test(matrix(c(10, 3, 2, 15), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       ->
       0.00053672411914343593, 21.30533127501673, 2.7534383656420318,
       300.68278741939781 */
    {10, 2, 3, 15, 0.95, 0.00053672411914343593, 21.30533127501673,
     2.7534383656420318, 300.68278741939781},
    /* R 4.2.2: fisher.tight(matrix(c(10, 3, 2, 15), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       ->
       0.00053672411914343593, 21.305317556750314, 2.7533827882493234,
       301.46233797151388 */
    {10, 2, 3, 15, 0.95, 0.00053672411914343593, 21.305317556750314,
     2.7533827882493234, 301.46233797151388},
    /* R 4.2.2: fisher.test(matrix(c(1, 11, 9, 3), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 0.0027594561852200836, 0.037233117250979164,
       0.00064382838836529472, 0.42588403811507708 */
    {1, 9, 11, 3, 0.95, 0.0027594561852200836, 0.037233117250979164,
     0.00064382838836529472, 0.42588403811507708},
    /* R 4.2.2: fisher.tight(matrix(c(1, 11, 9, 3), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 0.0027594561852200836, 0.037209084832381251,
       0.00063600294887510836, 0.42586647569637376 */
    {1, 9, 11, 3, 0.95, 0.0027594561852200836, 0.037209084832381251,
     0.00063600294887510836, 0.42586647569637376},
    /* R 4.2.2: fisher.test(matrix(c(2, 8, 7, 2), 2), conf.level
       = 0.9)[c("p.value", "estimate", "conf.int")] ->
       0.023014137565221159, 0.085862351357362199,
       0.0071637491690699565, 0.67852548034045279 */
    {2, 7, 8, 2, 0.9, 0.023014137565221159, 0.085862351357362199,
     0.0071637491690699565, 0.67852548034045279},
    /* R 4.2.2: fisher.tight(matrix(c(2, 8, 7, 2), 2),
       conf.level = 0.9)[c("p.value", "estimate", "conf.int")]
       -> 0.023014137565221159, 0.085852399951238972,
       0.0071463663638102106, 0.67852708079298518 */
    {2, 7, 8, 2, 0.9, 0.023014137565221159, 0.085852399951238972,
     0.0071463663638102106, 0.67852708079298518},
    /* R 4.2.2: fisher.test(matrix(c(12, 6, 5, 14), 2),
       conf.level = 0.99)[c("p.value", "estimate", "conf.int")]
       -> 0.021709799772381397, 5.3134838042124715,
       0.75931454972987655, 48.872878113800901 */
    {12, 5, 6, 14, 0.99, 0.021709799772381397, 5.3134838042124715,
     0.75931454972987655, 48.872878113800901},
    /* R 4.2.2: fisher.tight(matrix(c(12, 6, 5, 14), 2),
       conf.level = 0.99)[c("p.value", "estimate", "conf.int")]
       -> 0.021709799772381397, 5.3134816307712658,
       0.75930328499596256, 48.892474057850066 */
    {12, 5, 6, 14, 0.99, 0.021709799772381397, 5.3134816307712658,
     0.75930328499596256, 48.892474057850066},
    /* R 4.2.2: fisher.test(matrix(c(1, 0, 0, 1), 2), conf.level
       = 0.95)[c("p.value", "estimate", "conf.int")] -> 1,
       INFINITY, 0.025640664062500023, INFINITY */
    {1, 0, 0, 1, 0.95, 1, INFINITY, 0.025640664062500023, INFINITY},
    /* R 4.2.2: fisher.tight(matrix(c(1, 0, 0, 1), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 1, INFINITY, 0.025641025641025727, INFINITY */
    {1, 0, 0, 1, 0.95, 1, INFINITY, 0.025641025641025727, INFINITY},
    /* R 4.2.2: fisher.test(matrix(c(20, 5, 480, 495), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       ->
       0.003647487821146711, 4.1194474243782935, 1.4846824602137558,
       14.162081891468137
     */
    {20, 480, 5, 495, 0.95, 0.003647487821146711, 4.1194474243782935,
     1.4846824602137558, 14.162081891468137},
    /* R 4.2.2: fisher.tight(matrix(c(20, 5, 480, 495), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       ->
       0.003647487821146711, 4.119880775291171, 1.4846956294836973,
       14.161783414475558
     */
    {20, 480, 5, 495, 0.95, 0.003647487821146711, 4.119880775291171,
     1.4846956294836973, 14.161783414475558},
    /* R 4.2.2: fisher.test(matrix(c(1500, 1200, 2500, 2800),
       2), conf.level = 0.95)[c("p.value", "estimate",
       "conf.int")]
       -> 1.4949448788635763e-12, 1.3999198419201015, 1.2741228120074553,
       1.5384259648092018
     */
    {1500, 2500, 1200, 2800, 0.95, 1.4949448788635763e-12, 1.3999198419201015,
     1.2741228120074553, 1.5384259648092018},
    /* R 4.2.2: fisher.tight(matrix(c(1500, 1200, 2500, 2800),
       2), conf.level = 0.95)[c("p.value", "estimate",
       "conf.int")]
       -> 1.4949448788635763e-12, 1.3999409295387601, 1.2741220760687437,
       1.53837560805128
     */
    {1500, 2500, 1200, 2800, 0.95, 1.4949448788635763e-12, 1.3999409295387601,
     1.2741220760687437, 1.53837560805128},
    /* R 4.2.2: fisher.test(matrix(c(4, 4, 4, 4), 2), conf.level
       = 0.95)[c("p.value", "estimate", "conf.int")] -> 1, 1,
       0.095740717627557967, 10.444876796204007 */
    {4, 4, 4, 4, 0.95, 1, 1, 0.095740717627557967, 10.444876796204007},
    /* R 4.2.2: fisher.tight(matrix(c(4, 4, 4, 4), 2),
       conf.level = 0.95)[c("p.value", "estimate", "conf.int")]
       -> 1, 1, 0.095745305240601361, 10.444376332469446 */
    {4, 4, 4, 4, 0.95, 1, 1, 0.095745305240601361, 10.444376332469446},
};

/* The scale on which R's uniroot searched: t = or, or 1/or when or > 1. */
static double uniroot_scale(double or_) { return or_ <= 1.0 ? or_ : 1.0 / or_; }

static void fisher_exact(void **state) {
  (void)state;
  size_t nc = sizeof fisher_cases / sizeof *fisher_cases;
  double max_or = 0.0, max_uniroot = 0.0;
  for (size_t i = 0; i + 1 < nc; i += 2) {
    const struct fisher_case *r = &fisher_cases[i], *t = &fisher_cases[i + 1];
    struct ck_fisher f;
    assert_int_equal(ck_fisher_exact(t->a, t->b, t->c, t->d, t->conf, &f),
                     CK_OK);
    check_rel(f.p, t->p, CK_TOL_R);
    check_rel(f.p, r->p, CK_TOL_R);
    double save = max_rel_err;
    max_rel_err = 0.0;
    check_rel(f.odds_ratio.estimate, t->or_, CK_TOL_FISHER_OR);
    check_rel(f.odds_ratio.lo, t->lo, CK_TOL_FISHER_OR);
    check_rel(f.odds_ratio.hi, t->hi, CK_TOL_FISHER_OR);
    max_or = fmax(max_or, max_rel_err);
    max_rel_err = save;
    /* R's own values: equal up to uniroot's absolute tolerance on t. */
    const double ours[3] = {f.odds_ratio.estimate, f.odds_ratio.lo,
                            f.odds_ratio.hi};
    const double rs[3] = {r->or_, r->lo, r->hi};
    for (int j = 0; j < 3; j++) {
      if (isinf(rs[j])) {
        assert_true(isinf(ours[j]));
        continue;
      }
      double dt = fabs(uniroot_scale(ours[j]) - uniroot_scale(rs[j]));
      max_uniroot = fmax(max_uniroot, dt);
      assert_true(dt <= CK_TOL_UNIROOT);
    }
  }
  report_max("fisher.test p-value");
  print_message(
      "[ stats    ] fisher.test odds ratio and CI: max relative error vs "
      "exact roots %.3g; vs R's fisher.test %.3g on uniroot's scale\n",
      max_or, max_uniroot);
}

/* Long supports (up to 400,000 points), where most densities underflow to
 * 0 and only the run around the mode is worked on: the same bits as the
 * loops over the whole support gave (values printed with %.17g by the code
 * of commit ce8a7eb), and R's p-value and, on uniroot's scale, its odds
 * ratio and interval.  R 4.2.2, e.g.:
 *   f <- fisher.test(matrix(c(75613, 20765, 13866, 6613), 2))
 *   format(c(f$p.value, f$estimate, f$conf.int), digits = 17) */
static void fisher_long_support(void **state) {
  (void)state;
  static const struct {
    size_t a, b, c, d;
    double p, or_, lo, hi;    /* ours before, to the bit */
    double rp, ror, rlo, rhi; /* R's fisher.test */
  } t[] = {
      {75613, 13866, 20765, 6613, 3.1193963059868299e-225, 1.7366392549967917,
       1.6798620785176637, 1.7952411069606222, 3.1193963059872024e-225,
       1.7365537291619861, 1.6798081468861050, 1.7952879762010663},
      {75613, 13866, 6613, 20765, 0, 17.122336306108227, 16.56370002422781,
       17.70134558983154, 0, 17.122347437174454, 16.568831707419452,
       17.694795330587681},
      {30, 15000, 20, 9000, 0.77038051835211752, 0.90000399149544774,
       0.49414479956129298, 1.6731388874597097, 0.77038051835211729,
       0.90000609903551299, 0.4941417295194801, 1.6730680653807959},
      {400000, 20000, 3000, 900, 0, 5.9999443311716494, 5.5555658932234406,
       6.4750893933700429, 0, 5.9998708825080334, 5.5564894438858188,
       6.4741995480707022},
      {1, 99999, 5000, 5000, 0, 1.0002099181578706e-05, 2.5312876772440806e-07,
       5.578033876983083e-05, 0, 0, 0, 0.0001190185546875},
  };
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    struct ck_fisher f;
    assert_int_equal(ck_fisher_exact(t[i].a, t[i].b, t[i].c, t[i].d, 0.95, &f),
                     CK_OK);
    assert_memory_equal(&f.p, &t[i].p, sizeof f.p);
    assert_memory_equal(&f.odds_ratio.estimate, &t[i].or_, sizeof f.p);
    assert_memory_equal(&f.odds_ratio.lo, &t[i].lo, sizeof f.p);
    assert_memory_equal(&f.odds_ratio.hi, &t[i].hi, sizeof f.p);
    if (t[i].rp > 0.0)
      check_rel(f.p, t[i].rp, CK_TOL_R);
    else
      assert_true(f.p == 0.0);
    const double ours[3] = {f.odds_ratio.estimate, f.odds_ratio.lo,
                            f.odds_ratio.hi};
    const double rs[3] = {t[i].ror, t[i].rlo, t[i].rhi};
    for (int j = 0; j < 3; j++)
      assert_true(fabs(uniroot_scale(ours[j]) - uniroot_scale(rs[j])) <=
                  CK_TOL_UNIROOT);
  }
}

static void fisher_edata(void **state) {
  (void)state;
  struct ck_fisher f;
  f.p = -1;
  assert_int_equal(ck_fisher_exact(0, 0, 3, 4, 0.95, &f), CK_EDATA); /* row 1 */
  assert_int_equal(ck_fisher_exact(3, 4, 0, 0, 0.95, &f), CK_EDATA); /* row 2 */
  assert_int_equal(ck_fisher_exact(0, 4, 0, 5, 0.95, &f),
                   CK_EDATA); /* column 1 */
  assert_int_equal(ck_fisher_exact(4, 0, 5, 0, 0.95, &f),
                   CK_EDATA); /* column 2 */
  assert_int_equal(ck_fisher_exact(0, 0, 0, 0, 0.95, &f), CK_EDATA);
  /* Totals beyond R's integer range, and sums that would wrap size_t. */
  assert_int_equal(ck_fisher_exact((size_t)-1, 1, 1, 1, 0.95, &f), CK_EDATA);
  assert_int_equal(
      ck_fisher_exact((size_t)1 << 30, (size_t)1 << 30, 1, 1, 0.95, &f),
      CK_EDATA);
  assert_true(f.p == -1);
  assert_int_equal(ck_fisher_exact(1, 2, 3, 4, 1.5, &f), CK_EUSAGE);
  assert_int_equal(ck_fisher_exact(1, 2, 3, 4, 0.95, NULL), CK_EUSAGE);
}

/* ---- means, sd, quantiles --------------------------------------------- */

static const double v1[] = {1, 2, 3, 4, 10};
static const double v2[] = {5.5, 6.0999999999999996};
static const double v3[] = {-3, 0, 2.5, 7, 7, 9.25, 11};
static const double v4[] = {201, 215, 222, 198, 240, 231,
                            209, 226, 219, 233, 205, 244};

struct t_case {
  const double *x;
  size_t n;
  double conf, mean, lo, hi;
};

static const struct t_case t_cases[] = {
    /* R 4.2.2: t.test(c(1, 2, 3, 4, 10), conf.level = 0.95)$conf.int -> 4,
       -0.38994516542541391, 8.3899451654254147 */
    {v1, 5, 0.95, 4, -0.38994516542541391, 8.3899451654254147},
    /* R 4.2.2: t.test(c(5.5, 6.1), conf.level = 0.95)$conf.int
       -> 5.7999999999999998, 1.9881385791475934, 9.6118614208524065 */
    {v2, 2, 0.95, 5.7999999999999998, 1.9881385791475934, 9.6118614208524065},
    /* R 4.2.2: t.test(c(-3, 0, 2.5, 7, 7, 9.25, 11), conf.level = 0.9)$conf.int
       -> 4.8214285714285712, 1.0633856855034931, 8.5794714573536499 */
    {v3, 7, 0.9, 4.8214285714285712, 1.0633856855034931, 8.5794714573536499},
    /* R 4.2.2: t.test(c(201, 215, 222, 198, 240, 231, 209, 226, 219, 233, 205,
       244), conf.level = 0.99)$conf.int -> 220.25, 206.67369780259168,
       233.82630219740835 */
    {v4, 12, 0.99, 220.25, 206.67369780259168, 233.82630219740835},
    /* R 4.2.2: t.test(c(201, 215, 222, 198, 240, 231, 209, 226, 219, 233, 205,
       244), conf.level = 0.95)$conf.int -> 220.25, 210.62891139840474,
       229.87108860159529 */
    {v4, 12, 0.95, 220.25, 210.62891139840474, 229.87108860159529},
};

static void mean_t(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof t_cases / sizeof *t_cases; i++) {
    const struct t_case *c = &t_cases[i];
    struct ck_est e;
    assert_int_equal(ck_mean_t(c->x, c->n, c->conf, &e), CK_OK);
    check_rel(e.estimate, c->mean, CK_TOL_R);
    check_rel(e.lo, c->lo, CK_TOL_R);
    check_rel(e.hi, c->hi, CK_TOL_R);
  }
  report_max("t.test");
}

struct sd_case {
  const double *x;
  size_t n;
  double sd;
};

static const struct sd_case sd_cases[] = {
    /* R 4.2.2: sd(c(1, 2, 3, 4, 10)) -> 3.5355339059327378 */
    {v1, 5, 3.5355339059327378},
    /* R 4.2.2: sd(c(5.5, 6.1)) -> 0.42426406871192829 */
    {v2, 2, 0.42426406871192829},
    /* R 4.2.2: sd(c(-3, 0, 2.5, 7, 7, 9.25, 11)) -> 5.1167907538854491 */
    {v3, 7, 5.1167907538854491},
    /* R 4.2.2: sd(c(201, 215, 222, 198, 240, 231, 209, 226, 219, 233, 205,
       244)) -> 15.142504896662723 */
    {v4, 12, 15.142504896662723},
};

static void sd(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof sd_cases / sizeof *sd_cases; i++) {
    /* the report takes the SD from the t interval's pass */
    struct ck_est e;
    double s = -1.0;
    assert_int_equal(ck_mean_t_sd(sd_cases[i].x, sd_cases[i].n, 0.95, &e, &s),
                     CK_OK);
    check_rel(s, sd_cases[i].sd, CK_TOL_R);
  }
  report_max("sd");
}

static const double q1[] = {3, 1, 4, 1, 5, 9, 2, 6};
static const double q2[] = {42};
static const double q3[] = {7, 7, 7, 2, 2};

struct q_case {
  const double *x;
  size_t n;
  double p, q;
};

static const struct q_case q_cases[] = {
    /* R 4.2.2: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), 0, type = 7) -> 1 */
    {q1, 8, 0, 1},
    /* R 4.2.2: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), 0.10000000000000001, type =
       7) -> 1 */
    {q1, 8, 0.10000000000000001, 1},
    /* R 4.2.2: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), 0.25, type = 7) -> 1.75 */
    {q1, 8, 0.25, 1.75},
    /* R 4.2.2: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), 0.5, type = 7) -> 3.5 */
    {q1, 8, 0.5, 3.5},
    /* R 4.2.2: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), 0.90000000000000002, type =
       7) -> 6.8999999999999995 */
    {q1, 8, 0.90000000000000002, 6.8999999999999995},
    /* R 4.2.2: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), 1, type = 7) -> 9 */
    {q1, 8, 1, 9},
    /* R 4.2.2: quantile(c(42), 0.29999999999999999, type = 7) -> 42 */
    {q2, 1, 0.29999999999999999, 42},
    /* R 4.2.2: quantile(c(7, 7, 7, 2, 2), 0.5, type = 7) -> 7 */
    {q3, 5, 0.5, 7},
    /* R 4.2.2: quantile(c(7, 7, 7, 2, 2), 0.29999999999999999, type = 7)
       -> 3.0000000000000009 */
    {q3, 5, 0.29999999999999999, 3.0000000000000009},
    /* R 4.2.2: quantile(c(201, 215, 222, 198, 240, 231, 209, 226, 219, 233,
       205, 244), 0.75, type = 7) -> 231.5 */
    {v4, 12, 0.75, 231.5},
    /* R 4.2.2: quantile(c(-3, 0, 2.5, 7, 7, 9.25, 11), 0.33333333333333331,
       type = 7) -> 2.5 */
    {v3, 7, 0.33333333333333331, 2.5},
};

static void quantile(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof q_cases / sizeof *q_cases; i++) {
    const struct q_case *c = &q_cases[i];
    double copy[16], q;
    assert_true(c->n <= 16);
    memcpy(copy, c->x, c->n * sizeof *copy);
    assert_int_equal(ck_quantile(copy, c->n, c->p, &q), CK_OK);
    check_rel(q, c->q, CK_TOL_R);
    /* the caller's array is never rearranged */
    assert_memory_equal(copy, c->x, c->n * sizeof *copy);
  }
  report_max("quantile(type = 7)");
}

static void moments_edata(void **state) {
  (void)state;
  const double one[] = {3.0};
  const double same[] = {2.5, 2.5, 2.5, 2.5};
  const double bad[] = {1.0, NAN, 2.0};
  const double inf[] = {1.0, INFINITY, 2.0};
  struct ck_est e = {-1, -1, -1};
  double v = -1;
  assert_int_equal(ck_mean_t(NULL, 0, 0.95, &e), CK_EDATA);
  assert_int_equal(ck_mean_t(one, 1, 0.95, &e), CK_EDATA);
  assert_int_equal(ck_mean_t(same, 4, 0.95, &e), CK_EDATA);
  assert_int_equal(ck_mean_t(bad, 3, 0.95, &e), CK_EDATA);
  assert_int_equal(ck_mean_t(inf, 3, 0.95, &e), CK_EDATA);
  assert_true(e.estimate == -1 && e.lo == -1 && e.hi == -1);
  assert_int_equal(ck_mean_t(one, 1, 2.0, &e), CK_EUSAGE);
  assert_int_equal(ck_mean_t_sd(NULL, 0, 0.95, &e, &v), CK_EDATA);
  assert_int_equal(ck_mean_t_sd(one, 1, 0.95, &e, &v), CK_EDATA);
  assert_int_equal(ck_mean_t_sd(bad, 3, 0.95, &e, &v), CK_EDATA);
  /* R: sd(rep(2.5, 4)) is 0, but t.test stops ("data are essentially
   * constant"), and so does the report's score-change block */
  assert_int_equal(ck_mean_t_sd(same, 4, 0.95, &e, &v), CK_EDATA);
  assert_int_equal(ck_mean_t_sd(one, 1, 0.95, &e, NULL), CK_EUSAGE);
  assert_true(v == -1);
  assert_int_equal(ck_quantile(NULL, 0, 0.5, &v), CK_EDATA);
  assert_int_equal(ck_quantile(one, 1, -0.01, &v), CK_EDATA);
  assert_int_equal(ck_quantile(one, 1, 1.01, &v), CK_EDATA);
  assert_int_equal(ck_quantile(one, 1, NAN, &v), CK_EDATA);
  assert_int_equal(ck_quantile(bad, 3, 0.5, &v), CK_EDATA);
  assert_true(v == -1);
}

/* ---- Wilcoxon signed rank ---------------------------------------------- */

static const double w1[] = {1.5,
                            -0.29999999999999999,
                            2.2000000000000002,
                            3.1000000000000001,
                            -1.1000000000000001,
                            4.7999999999999998,
                            0.90000000000000002,
                            2.7000000000000002,
                            -0.59999999999999998,
                            5.2000000000000002};
static const double w2[] = {2.5};
static const double w3[] = {1, 2, 3, 4, 5, 6, 7, 8};
static const double w4[] = {1, -1, 2, 2, 3, -4, 5, 6, 6, 7};
static const double w5[] = {
    0, 1.2, -0.40000000000000002, 2.2999999999999998, 3.3999999999999999,
    0, 4.5, -5.5999999999999996,  6.7000000000000002};
static const double w6[] = {-4.5040000000000004,
                            -6.3119999999999994,
                            -3.9120000000000008,
                            -5.4239999999999995,
                            -3.3200000000000003,
                            -4.5360000000000005,
                            -2.7280000000000002,
                            -3.6479999999999997,
                            -2.1360000000000001,
                            -2.7599999999999998,
                            -1.5439999999999998,
                            -1.8720000000000006,
                            -0.9520000000000004,
                            -0.98400000000000032,
                            -0.36000000000000015,
                            -0.096000000000000085,
                            0.23200000000000004,
                            0.79200000000000015,
                            0.82400000000000029,
                            1.6800000000000004,
                            1.4159999999999997,
                            2.5680000000000005,
                            2.008,
                            3.4559999999999986,
                            2.6000000000000001,
                            4.3439999999999985,
                            3.1920000000000002,
                            5.2319999999999993,
                            3.7840000000000007,
                            6.1199999999999992,
                            4.3760000000000003,
                            7.008,
                            4.968,
                            7.8959999999999999,
                            5.5599999999999996,
                            8.7840000000000007,
                            6.1520000000000001,
                            9.6720000000000006,
                            6.7439999999999998,
                            10.56,
                            7.3360000000000003,
                            11.447999999999999,
                            7.9280000000000008,
                            12.336,
                            8.5199999999999996,
                            13.223999999999998,
                            9.1120000000000001,
                            14.111999999999997,
                            9.7040000000000006,
                            15,
                            10.296000000000001,
                            15.887999999999998,
                            10.888,
                            16.776,
                            11.480000000000002};
static const double w7[] = {-8.4900000000000002,
                            -7.8799999999999999,
                            -7.2699999999999996,
                            -6.6600000000000001,
                            -6.0499999999999998,
                            -5.4399999999999995,
                            -4.8300000000000001,
                            -4.2199999999999998,
                            -3.6099999999999994,
                            -3,
                            -2.3899999999999997,
                            -1.7799999999999994,
                            -1.1699999999999999,
                            -0.5600000000000005,
                            0.050000000000000711,
                            0.66000000000000014,
                            1.2699999999999996,
                            1.8800000000000008,
                            2.4900000000000002,
                            3.0999999999999996,
                            3.7100000000000009,
                            4.3200000000000003,
                            4.9299999999999997,
                            5.5400000000000009,
                            6.1500000000000004,
                            6.7599999999999998,
                            7.3699999999999992,
                            7.9799999999999986,
                            8.5900000000000016,
                            9.2000000000000011,
                            9.8100000000000005,
                            10.42,
                            11.029999999999999,
                            11.639999999999999,
                            12.249999999999998,
                            12.860000000000001,
                            13.470000000000001,
                            14.08,
                            14.69,
                            15.299999999999999,
                            15.909999999999998,
                            16.520000000000003,
                            17.130000000000003,
                            17.740000000000002,
                            18.350000000000001,
                            18.960000000000001,
                            19.57,
                            20.18,
                            20.789999999999999};
static const double w8[] = {0, 0, 3, -3, 3, 1};
static const double w9[] = {-1.5,
                            0.29999999999999999,
                            -2.2000000000000002,
                            -3.1000000000000001,
                            1.1000000000000001,
                            -4.7999999999999998,
                            -0.90000000000000002,
                            -2.7000000000000002,
                            0.59999999999999998,
                            -5.2000000000000002};
static const double w10[] = {-11.350000000000001,  -10.65,
                             -9.9500000000000011,  -9.25,
                             -8.5500000000000007,  -7.8500000000000014,
                             -7.1500000000000012,  -6.4500000000000011,
                             -5.7500000000000009,  -5.0500000000000007,
                             -4.3500000000000014,  -3.6500000000000021,
                             -2.9500000000000011,  -2.2500000000000018,
                             -1.5500000000000007,  -0.85000000000000142,
                             -0.15000000000000213, 0.54999999999999893,
                             1.2499999999999982,   1.9499999999999993,
                             2.6499999999999986,   3.3499999999999979,
                             4.0499999999999972,   4.7499999999999964,
                             5.4499999999999993,   6.1499999999999986,
                             6.8499999999999979,   7.5499999999999972,
                             8.2499999999999964,   8.9499999999999993,
                             9.6499999999999986,   10.349999999999998,
                             11.049999999999997,   11.749999999999996,
                             12.449999999999999,   13.149999999999999,
                             13.849999999999998,   14.549999999999997,
                             15.249999999999996,   15.949999999999999,
                             16.649999999999999,   17.349999999999998,
                             18.049999999999997,   18.749999999999996,
                             19.449999999999996,   20.149999999999995,
                             20.849999999999998,   21.549999999999994,
                             22.249999999999996,   22.949999999999999};
static const double w11[] = {1,   2,   3,   4,   5,   6,   7,   8,   9,   10,
                             11,  12,  13,  14,  15,  16,  17,  18,  19,  20,
                             21,  22,  23,  24,  -1,  -2,  -3,  -4,  -5,  -6,
                             -7,  -8,  -9,  -10, -11, -12, -13, -14, -15, -16,
                             -17, -18, -19, -20, -21, -22, -23, -24, 30};

struct w_case {
  const double *d;
  size_t n;
  double p;
  bool exact;
};

static const struct w_case w_cases[] = {
    /* R 4.2.2: wilcox.test(w1)$p.value  [Wilcoxon signed rank exact test] ->
       0.037109375 */
    {w1, 10, 0.037109375, true},
    /* R 4.2.2: wilcox.test(w2)$p.value  [Wilcoxon signed rank exact test] -> 1
     */
    {w2, 1, 1, true},
    /* R 4.2.2: wilcox.test(w3)$p.value  [Wilcoxon signed rank exact test] ->
       0.0078125000000000017 */
    {w3, 8, 0.0078125000000000017, true},
    /* R 4.2.2: wilcox.test(w4)$p.value  [Wilcoxon signed rank test with
       continuity correction] -> 0.046425133303521882 */
    {w4, 10, 0.046425133303521882, false},
    /* R 4.2.2: wilcox.test(w5)$p.value  [Wilcoxon signed rank test with
       continuity correction] -> 0.27189871081964845 */
    {w5, 9, 0.27189871081964845, false},
    /* R 4.2.2: wilcox.test(w6)$p.value  [Wilcoxon signed rank test with
       continuity correction] -> 2.198302553713986e-05 */
    {w6, 55, 2.198302553713986e-05, false},
    /* R 4.2.2: wilcox.test(w7)$p.value  [Wilcoxon signed rank exact test]
       -> 2.734163111384192e-05 */
    {w7, 49, 2.734163111384192e-05, true},
    /* R 4.2.2: wilcox.test(w8)$p.value  [Wilcoxon signed rank test with
       continuity correction] -> 0.57075038805817391 */
    {w8, 6, 0.57075038805817391, false},
    /* R 4.2.2: wilcox.test(w9)$p.value  [Wilcoxon signed rank exact test] ->
       0.037109375 */
    {w9, 10, 0.037109375, true},
    /* R 4.2.2: wilcox.test(w10)$p.value  [Wilcoxon signed rank test with
       continuity correction] -> 0.00078128601882439231 */
    {w10, 50, 0.00078128601882439231, false},
    /* R 4.2.2: wilcox.test(w11)$p.value  [Wilcoxon signed rank test with
       continuity correction] -> 0.81128353641976303 */
    {w11, 49, 0.81128353641976303, false},
};

static void wilcoxon(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof w_cases / sizeof *w_cases; i++) {
    const struct w_case *c = &w_cases[i];
    double p;
    bool exact;
    assert_int_equal(ck_wilcoxon_signed_rank(c->d, c->n, &p, &exact), CK_OK);
    assert_int_equal(exact, c->exact);
    check_rel(p, c->p, CK_TOL_R);
  }
  report_max("wilcox.test");
}

static void wilcoxon_edata(void **state) {
  (void)state;
  const double zeros[] = {0.0, 0.0, -0.0};
  const double bad[] = {1.0, NAN};
  double p = -1;
  bool exact = true;
  assert_int_equal(ck_wilcoxon_signed_rank(NULL, 0, &p, &exact), CK_EDATA);
  assert_int_equal(ck_wilcoxon_signed_rank(zeros, 3, &p, &exact), CK_EDATA);
  assert_int_equal(ck_wilcoxon_signed_rank(bad, 2, &p, &exact), CK_EDATA);
  assert_true(p == -1 && exact);
  assert_int_equal(ck_wilcoxon_signed_rank(zeros, 3, NULL, &exact), CK_EUSAGE);
}

static int dbl_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Quantiles and the Wilcoxon test read input already in ascending order
 * without sorting it (the report's score changes come that way): the same
 * bits as from the same values in any other order, checked on the R cases
 * above and on 20,001 integer-valued changes with many ties and zeros. */
static void sorted_input(void **state) {
  (void)state;
  static double d[20001], sorted[20001];
  uint32_t seed = 12345;
  for (size_t i = 0; i < 20001; i++) {
    seed = seed * 1103515245u + 12345u;
    d[i] = (double)((int)((seed >> 16) % 71) - 30); /* -30 .. 40 */
  }
  const struct {
    const double *x;
    size_t n;
  } sets[] = {{w1, 10}, {w4, 10},  {w5, 9},   {w6, 55}, {w7, 49}, {w8, 6},
              {w9, 10}, {w10, 50}, {w11, 49}, {v3, 7},  {v4, 12}, {d, 20001}};
  for (size_t k = 0; k < sizeof sets / sizeof *sets; k++) {
    size_t n = sets[k].n;
    memcpy(sorted, sets[k].x, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, dbl_cmp);
    double p1, p2;
    bool e1, e2;
    assert_int_equal(ck_wilcoxon_signed_rank(sets[k].x, n, &p1, &e1), CK_OK);
    assert_int_equal(ck_wilcoxon_signed_rank(sorted, n, &p2, &e2), CK_OK);
    assert_memory_equal(&p1, &p2, sizeof p1);
    assert_int_equal(e1, e2);
    const double ps[] = {0.0, 0.1, 0.25, 0.33333333333333331, 0.5, 0.75, 1.0};
    for (size_t j = 0; j < sizeof ps / sizeof *ps; j++) {
      double qa, qb;
      assert_int_equal(ck_quantile(sets[k].x, n, ps[j], &qa), CK_OK);
      assert_int_equal(ck_quantile(sorted, n, ps[j], &qb), CK_OK);
      assert_memory_equal(&qa, &qb, sizeof qa);
    }
  }
}

/* ---- linear regression ------------------------------------------------- */

static const double l1x[] = {1, 2, 3, 4, 5, 6};
static const double l1y[] = {2.1000000000000001,
                             3.8999999999999999,
                             6.2000000000000002,
                             7.7999999999999998,
                             10.1,
                             12.199999999999999};
static const double l2x[] = {200, 215, 230, 245, 210, 238, 222, 251};
static const double l2y[] = {0.60999999999999999, 0.69999999999999996,
                             0.78000000000000003, 0.93000000000000005,
                             0.64000000000000001, 0.84999999999999998,
                             0.80000000000000004, 0.94999999999999996};
static const double l3x[] = {0, 1, 2};
static const double l3y[] = {1, 3, 2};

struct lm_case {
  const double *x, *y;
  size_t n;
  double intercept, slope, r2, sigma, cov00, cov01, cov11;
};

static const struct lm_case lm_cases[] = {
    /* R 4.2.2: fit <- lm(l1y ~ l1x); c(coef(fit), summary(fit)$r.squared,
       summary(fit)$sigma, vcov(fit)[c(1, 3, 4)]) ->
       -0.020000000000003314, 2.0200000000000005, 0.99821066610749987,
       0.17888543819998343, 0.02773333333333344, -0.0064000000000000229,
       0.0018285714285714346 */
    {l1x, l1y, 6, -0.020000000000003314, 2.0200000000000005,
     0.99821066610749987, 0.17888543819998343, 0.02773333333333344,
     -0.0064000000000000229, 0.0018285714285714346},
    /* R 4.2.2: fit <- lm(l2y ~ l2x); c(coef(fit), summary(fit)$r.squared,
       summary(fit)$sigma, vcov(fit)[c(1, 3, 4)]) -> -0.79142679690587592,
       0.006952741234261187, 0.95939103046495211, 0.027477052703527578,
       0.01757045757666786, -7.7199708552220034e-05, 3.4102576941897329e-07 */
    {l2x, l2y, 8, -0.79142679690587592, 0.006952741234261187,
     0.95939103046495211, 0.027477052703527578, 0.01757045757666786,
     -7.7199708552220034e-05, 3.4102576941897329e-07},
    /* R 4.2.2: fit <- lm(l3y ~ l3x); c(coef(fit), summary(fit)$r.squared,
       summary(fit)$sigma, vcov(fit)[c(1, 3, 4)]) -> 1.5000000000000007,
       0.49999999999999961,
       0.25000000000000028, 1.2247448713915885, 1.2499999999999993,
       -0.74999999999999978, 0.74999999999999967 */
    {l3x, l3y, 3, 1.5000000000000007, 0.49999999999999961, 0.25000000000000028,
     1.2247448713915885, 1.2499999999999993, -0.74999999999999978,
     0.74999999999999967},
};

static void linfit(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof lm_cases / sizeof *lm_cases; i++) {
    const struct lm_case *c = &lm_cases[i];
    struct ck_linfit f;
    assert_int_equal(ck_linfit(c->x, c->y, c->n, &f), CK_OK);
    assert_int_equal(f.n, c->n);
    check_rel(f.intercept, c->intercept, CK_TOL_R);
    check_rel(f.slope, c->slope, CK_TOL_R);
    check_rel(f.r2, c->r2, CK_TOL_R);
    check_rel(f.sigma, c->sigma, CK_TOL_R);
    check_rel(f.cov00, c->cov00, CK_TOL_R);
    check_rel(f.cov01, c->cov01, CK_TOL_R);
    check_rel(f.cov11, c->cov11, CK_TOL_R);
  }
  report_max("lm");
}

struct pred_case {
  const double *x, *y;
  size_t n;
  double x0, conf, fit, lwr, upr;
};

static const struct pred_case pred_cases[] = {
    /* R 4.2.2: predict(lm(l1y ~ l1x), data.frame(x = 3.5), interval =
       "prediction", level = 0.95)
       -> 7.0499999999999989, 6.5135398395395345, 7.5864601604604633 */
    {l1x, l1y, 6, 3.5, 0.95, 7.0499999999999989, 6.5135398395395345,
     7.5864601604604633},
    /* R 4.2.2: predict(lm(l1y ~ l1x), data.frame(x = 10), interval =
       "prediction", level = 0.9)
       -> 20.18, 19.458343959338052, 20.901656040661948 */
    {l1x, l1y, 6, 10, 0.9, 20.18, 19.458343959338052, 20.901656040661948},
    /* R 4.2.2: predict(lm(l2y ~ l2x), data.frame(x = 214), interval =
       "prediction", level = 0.95) -> 0.69645982722601807, 0.62298778435419688,
       0.76993187009783925 */
    {l2x, l2y, 8, 214, 0.95, 0.69645982722601807, 0.62298778435419688,
     0.76993187009783925},
    /* R 4.2.2: predict(lm(l2y ~ l2x), data.frame(x = 180), interval =
       "prediction", level = 0.99) -> 0.46006662526113784, 0.312569414421489,
       0.60756383610078668 */
    {l2x, l2y, 8, 180, 0.99, 0.46006662526113784, 0.312569414421489,
     0.60756383610078668},
    /* R 4.2.2: predict(lm(l3y ~ l3x), data.frame(x = 1), interval =
       "prediction", level = 0.95) -> 2.0000000000000004,
       -15.969287064187498, 19.969287064187498 */
    {l3x, l3y, 3, 1, 0.95, 2.0000000000000004, -15.969287064187498,
     19.969287064187498},
};

static void linfit_predict(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof pred_cases / sizeof *pred_cases; i++) {
    const struct pred_case *c = &pred_cases[i];
    struct ck_linfit f;
    struct ck_est e;
    assert_int_equal(ck_linfit(c->x, c->y, c->n, &f), CK_OK);
    assert_int_equal(ck_linfit_predict(&f, c->x0, c->conf, &e), CK_OK);
    check_rel(e.estimate, c->fit, CK_TOL_R);
    check_rel(e.lo, c->lwr, CK_TOL_R);
    check_rel(e.hi, c->upr, CK_TOL_R);
  }
  report_max("predict(interval = \"prediction\")");
}

static void linfit_edata(void **state) {
  (void)state;
  const double x2[] = {1, 2}, y2[] = {3, 4};
  const double xc[] = {5, 5, 5, 5}, yc[] = {1, 2, 3, 4};
  const double xs[] = {1, 2, 3, 4}, ys[] = {7, 7, 7, 7};
  const double xn[] = {1, NAN, 3}, yn[] = {1, 2, 3};
  struct ck_linfit f;
  memset(&f, 0, sizeof f);
  assert_int_equal(ck_linfit(NULL, NULL, 0, &f), CK_EDATA);
  assert_int_equal(ck_linfit(x2, y2, 2, &f), CK_EDATA);
  assert_int_equal(ck_linfit(xc, yc, 4, &f), CK_EDATA); /* constant x */
  assert_int_equal(ck_linfit(xs, ys, 4, &f), CK_EDATA); /* constant y */
  assert_int_equal(ck_linfit(xn, yn, 3, &f), CK_EDATA);
  assert_int_equal(ck_linfit(yn, xn, 3, &f), CK_EDATA);
  assert_int_equal(f.n, 0);
  struct ck_est e;
  assert_int_equal(ck_linfit_predict(&f, 1.0, 0.95, &e), CK_EDATA); /* no fit */
  assert_int_equal(ck_linfit(xs, yc, 4, &f), CK_OK); /* perfect fit */
  assert_true(f.r2 == 1.0 || fabs(f.r2 - 1.0) < CK_TOL_R);
  assert_int_equal(ck_linfit_predict(&f, 2.5, 0.95, &e), CK_OK);
  check_rel(e.estimate, 2.5, CK_TOL_R);
  assert_int_equal(ck_linfit_predict(&f, NAN, 0.95, &e), CK_EDATA);
  assert_int_equal(ck_linfit_predict(&f, 1.0, 0.0, &e), CK_EUSAGE);
}

/* ---- trend in proportions ---------------------------------------------- */

#define TREND_MAX_K 4
struct trend_case {
  size_t k;
  size_t x[TREND_MAX_K], n[TREND_MAX_K];
  double s[TREND_MAX_K];
  double chi2, p;
};

static const struct trend_case trend_cases[] = {
    /* R 4.2.2: prop.trend.test(c(15, 10, 8, 4), c(30, 30, 30, 30), score = c(1,
       2, 3, 4))[c("statistic", "p.value")] -> 9.5734288505372813,
       0.0019741372635747613 */
    {4,
     {15, 10, 8, 4},
     {30, 30, 30, 30},
     {1, 2, 3, 4},
     9.5734288505372813,
     0.0019741372635747613},
    /* R 4.2.2: prop.trend.test(c(15, 10, 8, 4), c(30, 30, 30, 30), score =
       c(200, 210, 225, 240))[c("statistic", "p.value")] -> 9.295383408980662,
       0.0022973205515149217 */
    {4,
     {15, 10, 8, 4},
     {30, 30, 30, 30},
     {200, 210, 225, 240},
     9.295383408980662,
     0.0022973205515149217},
    /* R 4.2.2: prop.trend.test(c(2, 9), c(40, 35), score = c(1,
       2))[c("statistic", "p.value")] -> 6.3996550324675319,
       0.011414254067975645 */
    {2, {2, 9}, {40, 35}, {1, 2}, 6.3996550324675319, 0.011414254067975645},
    /* R 4.2.2: prop.trend.test(c(15, 10, 0, 4), c(30, 30, 0, 30), score = c(1,
       2, 3, 4))[c("statistic", "p.value")] -> 9.0850359363643651,
       0.0025770941898542619 */
    {4,
     {15, 10, 0, 4},
     {30, 30, 0, 30},
     {1, 2, 3, 4},
     9.0850359363643651,
     0.0025770941898542619},
    /* R 4.2.2: prop.trend.test(c(300, 120, 40), c(400, 200, 100), score = c(0,
       1, 3))[c("statistic", "p.value")]
       -> 46.871516164994411, 7.5796362838681408e-12 */
    {3,
     {300, 120, 40},
     {400, 200, 100},
     {0, 1, 3},
     46.871516164994411,
     7.5796362838681408e-12},
};

static void prop_trend(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof trend_cases / sizeof *trend_cases; i++) {
    const struct trend_case *c = &trend_cases[i];
    double chi2, p;
    assert_int_equal(ck_prop_trend(c->x, c->n, c->s, c->k, &chi2, &p), CK_OK);
    check_rel(chi2, c->chi2, CK_TOL_R);
    check_rel(p, c->p, CK_TOL_R);
  }
  report_max("prop.trend.test");
}

static void trend_edata(void **state) {
  (void)state;
  const size_t x[] = {3, 4, 5}, n[] = {10, 10, 10};
  const size_t none[] = {0, 0, 0}, all[] = {10, 10, 10}, over[] = {3, 11, 5};
  const size_t n0[] = {10, 0, 0};
  const double s[] = {1, 2, 3}, sc[] = {2, 2, 2}, sn[] = {1, NAN, 3};
  double chi2 = -1, p = -1;
  assert_int_equal(ck_prop_trend(x, n, s, 0, &chi2, &p), CK_EDATA);
  assert_int_equal(ck_prop_trend(x, n, s, 1, &chi2, &p), CK_EDATA);
  assert_int_equal(ck_prop_trend(x, n0, s, 3, &chi2, &p), CK_EDATA);
  assert_int_equal(ck_prop_trend(none, n, s, 3, &chi2, &p), CK_EDATA);
  assert_int_equal(ck_prop_trend(all, n, s, 3, &chi2, &p), CK_EDATA);
  assert_int_equal(ck_prop_trend(over, n, s, 3, &chi2, &p), CK_EDATA);
  assert_int_equal(ck_prop_trend(x, n, sc, 3, &chi2, &p), CK_EDATA);
  assert_int_equal(ck_prop_trend(x, n, sn, 3, &chi2, &p), CK_EDATA);
  assert_true(chi2 == -1 && p == -1);
  assert_int_equal(ck_prop_trend(x, n, s, 3, NULL, &p), CK_EUSAGE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(prop_wilson),
      cmocka_unit_test(prop_exact),
      cmocka_unit_test(prop_diff_newcombe),
      cmocka_unit_test(prop_edata),
      cmocka_unit_test(fisher_exact),
      cmocka_unit_test(fisher_edata),
      cmocka_unit_test(fisher_long_support),
      cmocka_unit_test(mean_t),
      cmocka_unit_test(sd),
      cmocka_unit_test(quantile),
      cmocka_unit_test(moments_edata),
      cmocka_unit_test(wilcoxon),
      cmocka_unit_test(wilcoxon_edata),
      cmocka_unit_test(sorted_input),
      cmocka_unit_test(linfit),
      cmocka_unit_test(linfit_predict),
      cmocka_unit_test(linfit_edata),
      cmocka_unit_test(prop_trend),
      cmocka_unit_test(trend_edata),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
