/*
 * suppress.c - the one place where counts and statistics are withheld
 * SPDX-License-Identifier: MIT
 *
 * Rules (DESIGN "Privacy"):
 *  1. primary: a count of 1..min-1 students is withheld; so is 0 for an
 *     outcome count of a non-empty group ("none matched" names everyone);
 *  2. complementary: an attacker knows every shown count, every sum
 *     constraint, and the printed bounds of withheld counts ("1-10" for a
 *     small count, ">= min" for a complementary one).  Interval propagation
 *     over the constraints gives the range each withheld count can take; while
 *     some range holds fewer than min-1 values, withhold one more count (the
 *     smallest eligible one next to it);
 *  3. derived: a rate is shown only when its numerator is; when the numerator
 *     or its complement is small the rate is coded as "<= b" / ">= b" instead;
 *     statistics of a withheld group, comparisons of a coded rate and the
 *     trend over a year with a withheld count are withheld.
 */
#include "ckcohort/report.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Large enough to stand for "unbounded" yet far from overflow when a few
 * thousand of them are added. */
#define CK_INF (LONG_MAX / 8192)

static long sat_add(long a, long b) {
  long s = a + b;
  return s > CK_INF ? CK_INF : s;
}

static bool cell_splits_nonempty_group(const struct ck_report *r, size_t c) {
  for (size_t k = 0; k < r->n_constraints; k++) {
    const struct ck_constraint *q = &r->constraints[k];
    /* only the split of a group into outcomes, not a column of outcomes */
    if (r->cells[q->total].outcome || r->cells[q->total].value <= 0)
      continue;
    for (size_t i = 0; i < q->n_parts; i++)
      if (r->parts[q->first + i] == c)
        return true;
  }
  return false;
}

static void initial_bounds(const struct ck_report *r, long *lo, long *hi) {
  long min = (long)r->min_cell;
  for (size_t i = 0; i < r->n_cells; i++) {
    const struct ck_cell *c = &r->cells[i];
    switch (c->shown) {
    case CK_HIDDEN_SMALL:
      lo[i] = c->outcome ? 0 : 1;
      hi[i] = min - 1;
      break;
    case CK_HIDDEN_COMPLEMENT:
      lo[i] = min;
      hi[i] = CK_INF;
      break;
    default:
      lo[i] = hi[i] = c->value;
      break;
    }
  }
}

/* Tighten lo/hi with one pass over every constraint; true if anything moved. */
static bool propagate_once(const struct ck_report *r, long *lo, long *hi) {
  bool moved = false;
  for (size_t k = 0; k < r->n_constraints; k++) {
    const struct ck_constraint *q = &r->constraints[k];
    const size_t *p = r->parts + q->first;
    long slo = 0, shi = 0;
    for (size_t i = 0; i < q->n_parts; i++) {
      slo = sat_add(slo, lo[p[i]]);
      shi = sat_add(shi, hi[p[i]]);
    }
    size_t t = q->total;
    if (slo > lo[t]) { lo[t] = slo; moved = true; }
    if (shi < hi[t]) { hi[t] = shi; moved = true; }
    for (size_t i = 0; i < q->n_parts; i++) {
      size_t c = p[i];
      /* others' bounds = sum minus this part's own bound */
      long others_hi = shi >= CK_INF ? CK_INF : shi - hi[c];
      long others_lo = slo >= CK_INF ? CK_INF : slo - lo[c];
      if (others_hi < CK_INF) {
        long l = lo[t] - others_hi;
        if (l > lo[c]) { lo[c] = l; moved = true; }
      }
      if (hi[t] < CK_INF && others_lo < CK_INF) {
        long h = hi[t] - others_lo;
        if (h < hi[c]) { hi[c] = h; moved = true; }
      }
    }
  }
  return moved;
}

void ck_suppress_ranges(const struct ck_report *r, long *lo, long *hi) {
  initial_bounds(r, lo, hi);
  /* Each pass only shrinks integer ranges, so this ends; the cap guards
   * against slow convergence on long cycles. */
  for (size_t pass = 0; pass < 4 * r->n_cells + 16; pass++)
    if (!propagate_once(r, lo, hi))
      break;
  for (size_t i = 0; i < r->n_cells; i++)
    if (hi[i] >= CK_INF)
      hi[i] = LONG_MAX;
}

static bool range_safe(const struct ck_report *r, long lo, long hi) {
  if (hi == LONG_MAX)
    return true;
  return hi - lo + 1 >= (long)r->min_cell - 1;
}

/* Pick the shown count to withhold next so that hidden cell u can no longer
 * be narrowed: the smallest eligible count in a constraint with u, parts
 * before totals; if none, look one constraint further through hidden cells. */
static size_t pick_complement(const struct ck_report *r, size_t u,
                              unsigned char *seen) {
  size_t *queue = ck_xmalloc(r->n_cells * sizeof *queue);
  size_t head = 0, tail = 0, best = CK_NO_CELL;
  memset(seen, 0, r->n_cells);
  queue[tail++] = u;
  seen[u] = 1;
  while (head < tail && best == CK_NO_CELL) {
    size_t layer_end = tail;
    long best_key = LONG_MAX;
    for (; head < layer_end; head++) {
      size_t h = queue[head];
      for (size_t k = 0; k < r->n_constraints; k++) {
        const struct ck_constraint *q = &r->constraints[k];
        bool has = q->total == h;
        for (size_t i = 0; i < q->n_parts && !has; i++)
          has = r->parts[q->first + i] == h;
        if (!has)
          continue;
        for (size_t i = 0; i <= q->n_parts; i++) {
          size_t c = i < q->n_parts ? r->parts[q->first + i] : q->total;
          const struct ck_cell *cell = &r->cells[c];
          if (cell->shown == CK_SHOWN && cell->value >= (long)r->min_cell) {
            /* parts first, then the smallest value, then the lowest index */
            long key = (i == q->n_parts ? CK_INF / 2 : 0) + cell->value;
            if (key < best_key || (key == best_key && c < best)) {
              best_key = key;
              best = c;
            }
          } else if (cell->shown != CK_SHOWN && !seen[c]) {
            seen[c] = 1;
            queue[tail++] = c;
          }
        }
      }
    }
  }
  free(queue);
  return best;
}

static void mark_primary(struct ck_report *r) {
  long min = (long)r->min_cell;
  for (size_t i = 0; i < r->n_cells; i++) {
    struct ck_cell *c = &r->cells[i];
    if (c->value >= 1 && c->value < min)
      c->shown = CK_HIDDEN_SMALL;
    else if (c->value == 0 && c->outcome && cell_splits_nonempty_group(r, i))
      c->shown = CK_HIDDEN_SMALL;
  }
}

static void mark_complements(struct ck_report *r) {
  long *lo = ck_xmalloc((r->n_cells + 1) * sizeof *lo);
  long *hi = ck_xmalloc((r->n_cells + 1) * sizeof *hi);
  unsigned char *seen = ck_xmalloc(r->n_cells + 1);
  unsigned char *given_up = ck_xcalloc(r->n_cells + 1, 1);
  for (;;) {
    ck_suppress_ranges(r, lo, hi);
    size_t unsafe = CK_NO_CELL;
    for (size_t i = 0; i < r->n_cells && unsafe == CK_NO_CELL; i++)
      if (r->cells[i].shown != CK_SHOWN && !given_up[i] &&
          !range_safe(r, lo[i], hi[i]))
        unsafe = i;
    if (unsafe == CK_NO_CELL)
      break;
    size_t c = pick_complement(r, unsafe, seen);
    if (c == CK_NO_CELL)
      given_up[unsafe] = 1; /* nothing left to withhold around it */
    else
      r->cells[c].shown = CK_HIDDEN_COMPLEMENT;
  }
  free(lo);
  free(hi);
  free(seen);
  free(given_up);
}

static bool cell_shown(const struct ck_report *r, size_t c) {
  return c != CK_NO_CELL && r->cells[c].shown == CK_SHOWN;
}

/* The other part of the two-part constraint n = x + y, if any. */
static size_t complement_of(const struct ck_report *r, size_t n, size_t x) {
  for (size_t k = 0; k < r->n_constraints; k++) {
    const struct ck_constraint *q = &r->constraints[k];
    if (q->total != n || q->n_parts != 2)
      continue;
    const size_t *p = r->parts + q->first;
    if (p[0] == x)
      return p[1];
    if (p[1] == x)
      return p[0];
  }
  return CK_NO_CELL;
}

static void apply_rate(const struct ck_report *r, struct ck_rate *rate) {
  if (rate->x == CK_NO_CELL || rate->n == CK_NO_CELL)
    return;
  if (!cell_shown(r, rate->n)) {
    rate->shown = CK_HIDDEN_DERIVED;
    return;
  }
  if (rate->shown != CK_SHOWN)
    return; /* not enough data stays so */
  if (cell_shown(r, rate->x))
    return;
  double n = (double)r->cells[rate->n].value;
  double small = (double)(r->min_cell - 1);
  size_t y = complement_of(r, rate->n, rate->x);
  if (r->cells[rate->x].shown == CK_HIDDEN_SMALL) {
    rate->shown = CK_CODED_LE;
    rate->bound = small / n < 1.0 ? small / n : 1.0;
  } else if (y != CK_NO_CELL && r->cells[y].shown == CK_HIDDEN_SMALL) {
    rate->shown = CK_CODED_GE;
    rate->bound = small / n < 1.0 ? 1.0 - small / n : 0.0;
  } else {
    rate->shown = CK_HIDDEN_DERIVED;
  }
  rate->est.estimate = rate->est.lo = rate->est.hi = 0.0;
}

static void apply_score_change(const struct ck_report *r,
                               struct ck_score_change *s) {
  apply_rate(r, &s->share_ge_20);
  if (s->n != CK_NO_CELL && !cell_shown(r, s->n)) {
    s->shown = CK_HIDDEN_DERIVED;
    s->wilcoxon_shown = CK_HIDDEN_DERIVED;
  }
}

static void apply_regression(const struct ck_report *r, struct ck_regression *g) {
  if (g->n != CK_NO_CELL && !cell_shown(r, g->n))
    g->shown = CK_HIDDEN_DERIVED;
}

static void apply_derived(struct ck_report *r) {
  for (size_t g = 0; g < CK_G_COUNT; g++) {
    apply_rate(r, &r->groups[g].match_rate);
    apply_rate(r, &r->groups[g].target_rate);
    apply_rate(r, &r->groups[g].academic_share);
  }
  for (size_t i = 0; i < r->n_comparisons; i++) {
    struct ck_comparison *c = &r->comparisons[i];
    if (c->shown == CK_SHOWN &&
        (r->groups[c->a].match_rate.shown != CK_SHOWN ||
         r->groups[c->b].match_rate.shown != CK_SHOWN))
      c->shown = CK_HIDDEN_DERIVED;
  }
  apply_score_change(r, &r->score_change);
  apply_score_change(r, &r->score_change_all);
  apply_regression(r, &r->regression);
  apply_regression(r, &r->regression_all);
  for (size_t i = 0; i < r->n_specialties; i++) {
    apply_rate(r, &r->specialties[i].match_rate);
    apply_rate(r, &r->specialties[i].target_rate);
    apply_rate(r, &r->specialties[i].lp_match_rate);
  }
  bool years_all_shown = true;
  for (size_t i = 0; i < r->n_years; i++) {
    struct ck_year_row *y = &r->years[i];
    apply_rate(r, &y->match_rate);
    if (!cell_shown(r, y->n) || !cell_shown(r, y->matched) ||
        !cell_shown(r, y->unmatched))
      years_all_shown = false;
  }
  /* The trend statistic is a function of every year's counts: with one
   * year withheld it could be solved for the withheld count. */
  if (r->trend.shown == CK_SHOWN && !years_all_shown)
    r->trend.shown = CK_HIDDEN_DERIVED;
}

enum ck_status ck_suppress(struct ck_report *r) {
  if (r->min_cell < CK_MIN_CELL_FLOOR)
    r->min_cell = CK_MIN_CELL_FLOOR;
  mark_primary(r);
  mark_complements(r);
  apply_derived(r);
  return CK_OK;
}
