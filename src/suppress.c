/*
 * suppress.c - the one place where counts and statistics are withheld
 * SPDX-License-Identifier: MIT
 *
 * Rules (DESIGN "Privacy", as sharpened by the report issue; the reasoning
 * is in docs/privacy.md):
 *  1. primary: a count of 1..min-1 students is withheld; so is 0 for an
 *     outcome count of a non-empty group ("none matched" names everyone);
 *  2. complementary: an attacker knows every shown count and every sum
 *     constraint; a withheld count is printed the same way whatever its size
 *     (a "1-10" label or a coded rate would tell the attacker which withheld
 *     counts are small and which are not, and narrow them).  Every withheld
 *     count must keep at least min_cell feasible values: there must be
 *     tables that agree with everything published in which it takes the
 *     lowest and the highest value of such a window around its true value.
 *     When there is none, a linear program finds the cheapest change of
 *     shown counts that makes one (the perturbation method of cell
 *     suppression) and those counts are withheld too.  The programs are
 *     solved with GLPK, so the protection holds against an exact
 *     linear-programming attacker, not only against simple subtraction;
 *  3. derived: a rate, mean, median, interval, test or line is shown only
 *     when the counts it is computed from are shown; a comparison only when
 *     both rates are; the trend only when every year's counts are.
 */
#include "ckcohort/report.h"
#include "util.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

/* What an attacker knows of a count: its value when shown; when withheld,
 * only that it is at least 0 (an outcome count) or 1 (a group, since empty
 * groups are shown). */
static void printed_range(const struct ck_report *r, size_t i, double *lo,
                          double *hi) {
  const struct ck_cell *c = &r->cells[i];
  if (c->internal) {
    *lo = 0.0;
    *hi = HUGE_VAL;
  } else if (c->shown != CK_SHOWN && !c->locked) {
    *lo = c->outcome ? 0.0 : 1.0;
    *hi = HUGE_VAL;
  } else {
    *lo = *hi = (double)c->value;
  }
}

/* Which cells split a non-empty group into outcomes (the parts of a
 * constraint whose total is a group, not a column of outcomes, of at least
 * one member): one pass over the constraints instead of one per cell. */
static unsigned char *splits_nonempty_group(const struct ck_report *r) {
  unsigned char *split = ck_xcalloc(r->n_cells, 1);
  for (size_t k = 0; k < r->n_constraints; k++) {
    const struct ck_constraint *q = &r->constraints[k];
    if (r->cells[q->total].outcome || r->cells[q->total].value <= 0)
      continue;
    for (size_t i = 0; i < q->n_parts; i++)
      split[r->parts[q->first + i]] = 1;
  }
  return split;
}

/*
 * The linear program, one per report, re-solved with new bounds.  Columns
 * 2i and 2i+1 are the upward and downward change of cell i (y = up - down);
 * each constraint is a row: change of total - sum of changes of parts = 0.
 */
struct col_state {
  int type;              /* 0 until first set */
  double lb, ub, cost;
};

struct lp {
  glp_prob *prob;
  glp_smcp parm;
  const struct ck_report *r;
  struct col_state *col; /* what GLPK holds for each column, 1-based */
  double *cost;          /* cost of changing each shown cell, or NULL */
};

static void lp_init(struct lp *L, const struct ck_report *r) {
  L->r = r;
  glp_term_out(GLP_OFF); /* the library never prints */
  L->prob = glp_create_prob();
  glp_set_obj_dir(L->prob, GLP_MIN);
  int ncol = (int)(2 * r->n_cells);
  glp_add_cols(L->prob, ncol > 0 ? ncol : 1);
  L->col = ck_xcalloc((size_t)(ncol > 0 ? ncol : 1) + 1, sizeof *L->col);
  L->cost = NULL;
  if (r->n_constraints > 0)
    glp_add_rows(L->prob, (int)r->n_constraints);
  size_t nz = 0;
  for (size_t k = 0; k < r->n_constraints; k++)
    nz += 2 * (r->constraints[k].n_parts + 1);
  int *ia = ck_xmalloc((nz + 1) * sizeof *ia);
  int *ja = ck_xmalloc((nz + 1) * sizeof *ja);
  double *ar = ck_xmalloc((nz + 1) * sizeof *ar);
  size_t e = 0;
  for (size_t k = 0; k < r->n_constraints; k++) {
    const struct ck_constraint *q = &r->constraints[k];
    int row = (int)k + 1;
    glp_set_row_bnds(L->prob, row, GLP_FX, 0.0, 0.0);
    for (size_t i = 0; i <= q->n_parts; i++) {
      size_t c = i < q->n_parts ? r->parts[q->first + i] : q->total;
      double sign = i < q->n_parts ? -1.0 : 1.0;
      e++; ia[e] = row; ja[e] = (int)(2 * c) + 1; ar[e] = sign;
      e++; ia[e] = row; ja[e] = (int)(2 * c) + 2; ar[e] = -sign;
    }
  }
  if (e > 0)
    glp_load_matrix(L->prob, (int)e, ia, ja, ar);
  free(ia);
  free(ja);
  free(ar);
  glp_init_smcp(&L->parm);
  L->parm.msg_lev = GLP_MSG_OFF;
  L->parm.presolve = GLP_OFF;
}

static void lp_free(struct lp *L) {
  glp_delete_prob(L->prob);
  free(L->col);
  free(L->cost);
}

/* Objective coefficient of a column, passed to GLPK only when it changes. */
static void set_cost(struct lp *L, int col, double cost) {
  struct col_state *s = &L->col[col];
  if (s->type != 0 && s->cost == cost)
    return;
  glp_set_obj_coef(L->prob, col, cost);
  s->cost = cost;
}

/* Bounds and cost of a column.  Setting a column to the bounds it already
 * has changes nothing in GLPK (glp_set_col_bnds keeps a status that fits
 * the type, and the basis and its factorization stay as they are), so
 * those calls are skipped: the solver sees exactly the same problem and
 * basis, and so pivots and answers exactly as before. */
static void set_col(struct lp *L, int col, double lo, double hi, double cost) {
  int type;
  double lb, ub;
  if (lo <= -HUGE_VAL && hi >= HUGE_VAL)
    type = GLP_FR, lb = 0.0, ub = 0.0;
  else if (hi >= HUGE_VAL)
    type = GLP_LO, lb = lo, ub = 0.0;
  else if (lo == hi)
    type = GLP_FX, lb = lo, ub = lo;
  else
    type = GLP_DB, lb = lo, ub = hi;
  struct col_state *s = &L->col[col];
  if (s->type != type || s->lb != lb || s->ub != ub) {
    glp_set_col_bnds(L->prob, col, type, lb, ub);
    bool first = s->type == 0;
    s->type = type;
    s->lb = lb;
    s->ub = ub;
    if (first) {
      glp_set_obj_coef(L->prob, col, cost);
      s->cost = cost;
      return;
    }
  }
  set_cost(L, col, cost);
}

/* total[i] = 1 when cell i is the total of some constraint. */
static unsigned char *totals(const struct ck_report *r) {
  unsigned char *total = ck_xcalloc(r->n_cells, 1);
  for (size_t k = 0; k < r->n_constraints; k++)
    total[r->constraints[k].total] = 1;
  return total;
}

/* Bounds for every cell's change.  With `free_shown`, shown counts of at
 * least min_cell may change too, at a cost (small before large, parts
 * before totals);
 * withheld counts change for free within their printed range. */
static void lp_bounds(struct lp *L, bool free_shown, const unsigned char *total) {
  const struct ck_report *r = L->r;
  if (free_shown && L->cost == NULL) {
    /* the loss of withholding a count grows slowly with its size (a
     * logarithmic cost, as offered by tau-ARGUS), a total costs double
     * since it summarises its parts, and analyse marks the headline
     * numbers as dearer */
    L->cost = ck_xmalloc((r->n_cells + 1) * sizeof *L->cost);
    for (size_t i = 0; i < r->n_cells; i++)
      L->cost[i] = (1.0 + log1p((double)r->cells[i].value)) *
                   (total[i] ? 2.0 : 1.0) * (double)r->cells[i].priority;
  }
  for (size_t i = 0; i < r->n_cells; i++) {
    const struct ck_cell *c = &r->cells[i];
    double v = (double)c->value, lo, hi, cost = 0.0;
    int up = (int)(2 * i) + 1, down = up + 1;
    if (c->shown == CK_SHOWN && !c->internal) {
      /* a shown count below min_cell is 0; an outcome 0 may be withheld
       * (a column of shown zeros gives its total away), a group of 0 not:
       * that keeps "a withheld group has at least one member" true */
      if (!free_shown || c->locked ||
          (c->value < (long)r->min_cell && !c->outcome)) {
        set_col(L, up, 0.0, 0.0, 0.0);
        set_col(L, down, 0.0, 0.0, 0.0);
        continue;
      }
      lo = c->outcome ? 0.0 : 1.0;
      hi = HUGE_VAL;
      cost = L->cost[i];
    } else {
      printed_range(r, i, &lo, &hi);
    }
    set_col(L, up, 0.0, hi >= HUGE_VAL ? HUGE_VAL : hi - v, cost);
    set_col(L, down, 0.0, v - lo, cost);
  }
}

/* Solve with cell p's change fixed to d; true when a feasible table exists. */
static bool lp_solve_fixed(struct lp *L, size_t p, double d) {
  int up = (int)(2 * p) + 1;
  set_col(L, up, d > 0 ? d : 0.0, d > 0 ? d : 0.0, 0.0);
  set_col(L, up + 1, d < 0 ? -d : 0.0, d < 0 ? -d : 0.0, 0.0);
  int rc = glp_simplex(L->prob, &L->parm);
  if (rc != 0) {
    /* a bad basis after many bound changes: start from scratch once */
    glp_adv_basis(L->prob, 0);
    rc = glp_simplex(L->prob, &L->parm);
  }
  return rc == 0 && glp_get_status(L->prob) == GLP_OPT;
}

/* Exact range of cell i given everything shown: maximise and minimise its
 * change.  Bounds must be set (lp_bounds without free_shown). */
static void lp_range(struct lp *L, size_t i, double *lo, double *hi) {
  const struct ck_report *r = L->r;
  double v = (double)r->cells[i].value;
  int up = (int)(2 * i) + 1;
  glp_set_obj_dir(L->prob, GLP_MAX);
  for (int dir = 0; dir < 2; dir++) {
    set_cost(L, up, dir == 0 ? 1.0 : -1.0);
    set_cost(L, up + 1, dir == 0 ? -1.0 : 1.0);
    int rc = glp_simplex(L->prob, &L->parm);
    int st = glp_get_status(L->prob);
    double y = rc == 0 && st == GLP_OPT ? glp_get_obj_val(L->prob) : 0.0;
    if (dir == 0)
      *hi = rc == 0 && st == GLP_UNBND ? HUGE_VAL : v + y;
    else
      *lo = v - y;
  }
  set_cost(L, up, 0.0);
  set_cost(L, up + 1, 0.0);
  glp_set_obj_dir(L->prob, GLP_MIN);
}

/* Cheapest way to let cell p reach `target`: the cost of the changes to
 * shown counts, or HUGE_VAL when no change of shown counts can do it. */
static double reach_cost(struct lp *L, size_t p, double target,
                         const unsigned char *total) {
  lp_bounds(L, true, total);
  if (!lp_solve_fixed(L, p, target - (double)L->r->cells[p].value))
    return HUGE_VAL;
  return glp_get_obj_val(L->prob);
}

/* Reach `target` and withhold the shown counts that had to change. */
static void reach(struct lp *L, struct ck_report *r, size_t p, double target,
                  const unsigned char *total) {
  if (reach_cost(L, p, target, total) >= HUGE_VAL)
    return;
  for (size_t i = 0; i < r->n_cells; i++) {
    if (i == p || r->cells[i].shown != CK_SHOWN || r->cells[i].internal ||
        r->cells[i].locked)
      continue;
    double y = glp_get_col_prim(L->prob, (int)(2 * i) + 1) -
               glp_get_col_prim(L->prob, (int)(2 * i) + 2);
    if (fabs(y) > 1e-7)
      r->cells[i].shown = CK_HIDDEN_COMPLEMENT;
  }
}

/* Make withheld count p able to take at least min_cell values in tables that
 * agree with everything shown, withholding the cheapest further counts when
 * it cannot: extend its feasible range downwards (as far as 0 or 1 allows)
 * or upwards, whichever costs less. */
static void protect(struct lp *L, struct ck_report *r, size_t p,
                    const unsigned char *total) {
  double lo, hi;
  lp_bounds(L, false, total);
  lp_range(L, p, &lo, &hi);
  double need = (double)r->min_cell - (floor(hi + 1e-6) - ceil(lo - 1e-6) + 1);
  if (hi >= HUGE_VAL || need <= 0)
    return;
  lo = ceil(lo - 1e-6);
  hi = floor(hi + 1e-6);
  double floor_v = r->cells[p].outcome ? 0.0 : 1.0;
  double down = lo - floor_v < need ? lo - floor_v : need;
  double cost_up = reach_cost(L, p, hi + need, total);
  double cost_mixed = (down > 0 ? reach_cost(L, p, lo - down, total) : 0.0) +
                      (need - down > 0 ? reach_cost(L, p, hi + need - down, total)
                                       : 0.0);
  if (cost_mixed <= cost_up) {
    if (down > 0)
      reach(L, r, p, lo - down, total);
    if (need - down > 0)
      reach(L, r, p, hi + need - down, total);
  } else {
    reach(L, r, p, hi + need, total);
  }
}

static void mark_primary(struct ck_report *r) {
  long min = (long)r->min_cell;
  unsigned char *split = splits_nonempty_group(r);
  for (size_t i = 0; i < r->n_cells; i++) {
    struct ck_cell *c = &r->cells[i];
    if (c->internal || c->locked)
      continue;
    if (c->value >= 1 && c->value < min)
      c->shown = CK_HIDDEN_SMALL;
    else if (c->value == 0 && c->outcome && split[i])
      c->shown = CK_HIDDEN_SMALL;
  }
  free(split);
}

static void mark_complements(struct ck_report *r) {
  if (r->n_cells == 0)
    return;
  unsigned char *total = totals(r);
  struct lp L;
  lp_init(&L, r);
  /* Small counts first, then every complementary count as it appears.
   * Withholding a count only turns a known value into a range that holds
   * it, so it can only widen what an attacker can say about the others: a
   * count that was safe stays safe, and each one is checked once.
   *
   * Which complementary counts are withheld depends on more than the
   * table: the cheapest change of shown counts is often not unique (two
   * counts of the same size and cost), and GLPK returns the optimum its
   * pivots reach from the basis the previous solve left.  Every solve
   * below, in this order and on this one problem, is part of what decides
   * the output; skipping or reordering one (a cheaper test before a range
   * LP, a fresh basis, a second problem for the ranges) keeps the
   * guarantee but changes which counts are withheld in most small
   * cohorts.  Speed-ups here that must keep the output byte for byte may
   * only remove work that GLPK does not see. */
  unsigned char *done = ck_xcalloc(r->n_cells, 1);
  for (int phase = 0; phase < 2; phase++) {
    bool again = true;
    while (again) {
      again = false;
      for (size_t p = 0; p < r->n_cells; p++) {
        if (done[p] || r->cells[p].shown == CK_SHOWN || r->cells[p].internal ||
            (phase == 0 && r->cells[p].shown != CK_HIDDEN_SMALL))
          continue;
        protect(&L, r, p, total);
        done[p] = 1;
        again = phase == 1;
      }
    }
  }
  free(done);
  lp_free(&L);
  free(total);
}

void ck_suppress_ranges(const struct ck_report *r, long *lo, long *hi) {
  if (r->n_cells == 0)
    return;
  unsigned char *total = ck_xcalloc(r->n_cells, 1);
  struct lp L;
  lp_init(&L, r);
  lp_bounds(&L, false, total);
  for (size_t i = 0; i < r->n_cells; i++) {
    if ((r->cells[i].shown == CK_SHOWN && !r->cells[i].internal) ||
        r->cells[i].locked) {
      lo[i] = hi[i] = r->cells[i].value;
      continue;
    }
    double a, b;
    lp_range(&L, i, &a, &b);
    lo[i] = (long)ceil(a - 1e-6);
    hi[i] = b >= HUGE_VAL ? LONG_MAX : (long)floor(b + 1e-6);
  }
  lp_free(&L);
  free(total);
}

static bool cell_shown(const struct ck_report *r, size_t c) {
  return c != CK_NO_CELL && r->cells[c].shown == CK_SHOWN;
}

static void apply_rate(const struct ck_report *r, struct ck_rate *rate) {
  if (rate->x == CK_NO_CELL || rate->n == CK_NO_CELL)
    return;
  if (rate->shown != CK_SHOWN && rate->shown != CK_NOT_ENOUGH_DATA)
    return;
  if (!cell_shown(r, rate->n) ||
      (rate->shown == CK_SHOWN && !cell_shown(r, rate->x))) {
    /* a rate gives its numerator back; it goes with it */
    rate->shown = CK_HIDDEN_DERIVED;
    rate->est.estimate = rate->est.lo = rate->est.hi = 0.0;
  }
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

/* An adjusted estimate is a function of the group x outcome counts within
 * each stratum it uses; none of those counts is published, so the estimate
 * is shown only when every one of them is at least min_cell, and only when
 * the raw comparison of the same groups is shown.  One state for every
 * cause, so the reader cannot tell a small stratum from a withheld group. */
static void apply_adjusted(const struct ck_report *r, struct ck_adjusted *a) {
  enum ck_shown raw = CK_HIDDEN_DERIVED;
  for (size_t i = 0; i < r->n_comparisons && i < CK_MAX_COMPARISONS; i++)
    if (r->comparisons[i].a == a->a && r->comparisons[i].b == a->b)
      raw = r->comparisons[i].shown;
  if (raw == CK_NOT_ENOUGH_DATA) {
    /* nothing to compare (an empty group, one outcome only): say so, as
     * the raw comparison does, and say nothing more */
    a->shown = a->mh_shown = a->bd_shown = CK_NOT_ENOUGH_DATA;
    a->problem = a->mh_problem = CK_ADJ_NO_DATA;
    raw = CK_SHOWN;
  }
  bool raw_shown = raw == CK_SHOWN;
  long min = (long)r->min_cell;
  bool model_ok = raw_shown && a->smallest_cell >= min;
  bool mh_ok = raw_shown && a->mh_smallest_cell >= min;
  if (!model_ok || a->shown == CK_NOT_ENOUGH_DATA) {
    if (!model_ok) {
      a->shown = CK_HIDDEN_DERIVED;
      a->problem = CK_ADJ_FINE;
    }
    memset(&a->odds_ratio, 0, sizeof a->odds_ratio);
    a->lrt_chi2 = a->lrt_p = a->deviance = a->null_deviance = 0;
    a->df_residual = 0;
    a->iterations = 0;
    for (size_t j = 0; j < CK_ADJ_MAX_COEF; j++) {
      a->coef[j].estimate = a->coef[j].se = a->coef[j].z = a->coef[j].p = 0;
      if (!model_ok)
        a->coef[j].diverging = false; /* which terms separate says which
                                         cells are empty */
    }
  }
  if (!mh_ok || a->mh_shown == CK_NOT_ENOUGH_DATA) {
    if (!mh_ok) {
      a->mh_shown = a->bd_shown = CK_HIDDEN_DERIVED;
      a->mh_problem = CK_ADJ_FINE;
    }
    memset(&a->mh_odds_ratio, 0, sizeof a->mh_odds_ratio);
    a->mh_chi2 = a->mh_p = a->bd_chi2 = a->bd_p = 0;
    a->mh_strata = 0;
    a->bd_df = 0;
  }
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
  for (size_t i = 0; i < r->n_adjusted && i < CK_MAX_COMPARISONS; i++)
    apply_adjusted(r, &r->adjusted[i]);
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
  /* Every problem is deleted by now; release GLPK's environment too, so a
   * run ends with nothing left allocated (valgrind's leak check). */
  glp_free_env();
  apply_derived(r);
  return CK_OK;
}
