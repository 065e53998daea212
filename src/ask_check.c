/*
 * ask_check.c - the ask grid's published counts checked by linear
 * programming, with the report's, as docs/privacy.md section 6 states
 * SPDX-License-Identifier: MIT
 *
 * decide() (ask_grid.c) publishes grid counts greedily and checks each
 * with exact reasoning only: a sum with one unknown part, a remainder of 0,
 * two nested groups that differ by a few.  A reader holding the report and
 * many sheets also has inequalities: a withheld part of a shown total lies
 * between 0 and the total less the other parts, and so on, which narrows a
 * count without pinning it.  Here every grid count is a variable, every
 * sum of the grid (and every report count that is a sum of grid groups) an
 * equality, what the report tells and what the grid publishes fixed, and
 * every count nobody prints whose true value is 1..2*min_cell-3 (beyond
 * that a narrowed range starts at min_cell or more) is minimised and
 * maximised.  Its range is safe when it holds 0, starts at min_cell or
 * spans min_cell values (the rule for counts nobody prints in the report's
 * engine), or when it is the range the report alone leaves (the report is
 * published and judged on its own).  A count left unsafe makes the grid
 * take back what it published, one set at a time, the latest set whose
 * counts bind the narrowed side first, until it is safe.
 *
 * Taking back only relaxes the program, so every value a count took in a
 * solution stays feasible: a count seen at 0, or at two values min_cell-1
 * apart, is safe without a program of its own.  Most counts are settled
 * so, from the solutions of other counts' programs.  The report-alone
 * ranges come from a second program that never changes but for its
 * objective, so both programs keep their last basis.
 *
 * A side of a range is also settled without a solve where an outer bound
 * meets a value seen: for lp0 and the report-alone program, the bounds
 * their rows imply (propagate()); for lp, the report-alone range itself.
 * The optimum lies between the two, so it rounds to the same integer, and
 * the result is the one the solve would give.  An ask on one class of the
 * sample data needs 237 of the 690 solves it took without this; on all ten
 * classes, 133 of 389.
 */
#include "ask_grid.h"
#include "util.h"
#include "ask_model.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#define EPS 1e-6

struct chk {
  struct ck_grid *g;
  glp_prob *lp;   /* the report and the grid as published */
  glp_prob *lp0;  /* the same, narrowed: every phantom 0 (a quick screen) */
  glp_prob *base; /* the report alone (built when first needed) */
  /* Per program, bounds its rows imply (propagate; NULL until needed or
   * after lp0's bounds moved) and the values its solutions took: a side
   * of a range where the two meet is known without a solve. */
  double *p0_lo, *p0_hi, *pb_lo, *pb_hi;
  double *w0_lo, *w0_hi; /* lp0's solutions (forgotten when it narrows) */
  double *wb_lo, *wb_hi; /* every solution seen: base holds them all */
  glp_smcp parm;
  bool *gone;                /* sets taken back */
  double *seen_lo, *seen_hi; /* values each count took in lp's solutions */
  bool failed;
  const struct ck_report *rep; /* the suppressed report, or NULL */
  const size_t *map;           /* its cells' grid cells (CK_NO_CELL: none) */
  size_t ncol;                 /* columns: the grid's, then the report's own */
  bool *wide;    /* per column: a count the report withholds, which must keep
                    min_cell values (the report's rule), not only reach 0 */
  bool *told;    /* per column: a count the report prints (fixed in both) */
  bool *scratch; /* per published set (repair) */
};

static bool first_kind(int k) { return k >= 0 && k < CK_ASK_NKIND; }

/* lp0's bounds moved: what its rows implied no longer holds; when it
 * narrowed (forget), nor do the values its solutions took. */
static void lp0_moved(struct chk *C, bool forget) {
  free(C->p0_lo);
  free(C->p0_hi);
  C->p0_lo = C->p0_hi = NULL;
  for (size_t i = 0; forget && i < C->ncol; i++) {
    C->w0_lo[i] = HUGE_VAL;
    C->w0_hi[i] = -HUGE_VAL;
  }
}

/* A grid count is fixed in the programs where a sheet prints it, and
 * (add_report) where the report prints it; not where decide() worked it
 * out from the report (seed): it did so as if every group nobody is in
 * were known to be empty (struct ck_gcon). */
static bool published(const struct ck_grid *g, size_t i) { return g->c[i].pub; }

static bool report_told(const struct ck_cell *c) {
  return c->locked || (c->shown == CK_SHOWN && !c->internal && !c->unprinted);
}

static void set_bounds(glp_prob *lp, const struct ck_grid *g, size_t i,
                       bool fix) {
  double v = (double)g->c[i].v;
  if (fix)
    glp_set_col_bnds(lp, (int)i + 1, GLP_FX, v, v);
  else
    glp_set_col_bnds(lp, (int)i + 1, GLP_LO, 0.0, 0.0);
}

static void add_report(glp_prob *lp, const struct ck_grid *g,
                       const struct ck_report *rep, const size_t *map,
                       size_t *rcol);

/* The grid's sums and the report's relations; a count fixed when fix(g,
 * i).  An open sum (one that leaves out a specialty matched into that has
 * no cell) is total >= parts, as a reader has it, who does not know which
 * of them nobody matched into.  rcol: each report cell's column.  narrow:
 * every phantom 0 and every sum closed, as if a reader knew which groups
 * are empty (lp0: fewer solutions, each a solution of the others). */
static glp_prob *build(const struct ck_grid *g,
                       bool (*fix)(const struct ck_grid *, size_t),
                       const struct ck_report *rep, const size_t *map,
                       size_t *rcol, bool narrow) {
  glp_prob *lp = glp_create_prob();
  glp_add_cols(lp, (int)g->n);
  for (size_t i = 0; i < g->n; i++)
    set_bounds(lp, g, i, fix(g, i) || (narrow && g->c[i].phantom));
  size_t nz = 0;
  for (size_t k = 0; k < g->ncon; k++)
    nz += g->con[k].n + 1;
  nz += 2; /* the retake-after-pass row */
  int *ia = ck_xmalloc((nz + 1) * sizeof *ia);
  int *ja = ck_xmalloc((nz + 1) * sizeof *ja);
  double *ar = ck_xmalloc((nz + 1) * sizeof *ar);
  /* a cell may be listed twice in one sum; GLPK wants each column once */
  size_t *slot = ck_xcalloc(g->n ? g->n : 1, sizeof *slot);
  size_t e = 0;
  if (g->ncon > 0)
    glp_add_rows(lp, (int)g->ncon);
  for (size_t k = 0; k < g->ncon; k++) {
    const struct ck_gcon *q = &g->con[k];
    size_t row_start = e + 1;
    for (size_t j = 0; j <= q->n; j++) {
      size_t cell = j == q->n ? q->total : g->parts[q->first + j];
      double a = j == q->n ? 1.0 : -1.0;
      if (slot[cell] >= row_start) {
        ar[slot[cell]] += a;
        continue;
      }
      e++;
      ia[e] = (int)k + 1;
      ja[e] = (int)cell + 1;
      ar[e] = a;
      slot[cell] = e;
    }
    if (q->open && !narrow)
      glp_set_row_bnds(lp, (int)k + 1, GLP_LO, 0.0, 0.0);
    else
      glp_set_row_bnds(lp, (int)k + 1, GLP_FX, 0.0, 0.0);
  }
  /* every retaker of a passing zone has an attempt after a passed one:
   * at most the report's count of such records */
  size_t rt[2] = {
      ck_grid_cell(g, CK_ASK_RETOOK, CK_GRID_ZONE_LOW, CK_GRID_ALL(g), CK_GO_N),
      ck_grid_cell(g, CK_ASK_RETOOK, CK_GRID_ZONE_ABOVE, CK_GRID_ALL(g),
                   CK_GO_N)};
  if (g->rap >= 0 && (rt[0] != CK_NO_CELL || rt[1] != CK_NO_CELL)) {
    int row = glp_add_rows(lp, 1);
    for (int j = 0; j < 2; j++)
      if (rt[j] != CK_NO_CELL && (j == 0 || rt[1] != rt[0])) {
        e++;
        ia[e] = row;
        ja[e] = (int)rt[j] + 1;
        ar[e] = 1.0;
      }
    glp_set_row_bnds(lp, row, GLP_UP, 0.0, (double)g->rap);
  }
  glp_load_matrix(lp, (int)e, ia, ja, ar);
  free(ia);
  free(ja);
  free(ar);
  free(slot);
  if (rep != NULL)
    add_report(lp, g, rep, map, rcol);
  glp_adv_basis(lp, 0); /* far fewer iterations than the standard basis */
  return lp;
}

/* The report's own relations, as its reader has them: every count of the
 * report is the grid count it maps to, or a column of its own (fixed when
 * shown; at least 1 when it is a withheld group size, since the report
 * shows empty groups), and every sum of the report (its "a <= b" with a
 * slack) a row.  Without them the program misses what the report's tables
 * imply together (a subset's score-change categories within everyone's, a
 * withheld group's size of at least 1), which a reader adds to a sheet. */
static void add_report(glp_prob *lp, const struct ck_grid *g,
                       const struct ck_report *rep, const size_t *map,
                       size_t *rcol) {
  size_t nc = rep->n_cells;
  int *col = ck_xmalloc((nc + 1) * sizeof *col);
  int extra = 0;
  for (size_t rc = 0; rc < nc; rc++)
    if (map[rc] == CK_NO_CELL)
      extra++;
  bool *apart = ck_xcalloc(nc + 1, sizeof *apart);
  for (size_t rc = 0; rc < nc; rc++)
    if (map[rc] != CK_NO_CELL && g->map_open != NULL && g->map_open[rc]) {
      apart[rc] = true;
      extra++;
    }
  int first = extra > 0 ? glp_add_cols(lp, extra) : 0;
  int next = first;
  for (size_t rc = 0; rc < nc; rc++) {
    const struct ck_cell *c = &rep->cells[rc];
    if (map[rc] != CK_NO_CELL && !apart[rc]) {
      col[rc] = (int)map[rc] + 1;
      if (report_told(c)) {
        double v = (double)c->value;
        glp_set_col_bnds(lp, col[rc], GLP_FX, v, v);
        continue;
      }
      /* a withheld group size is at least 1: the report shows empty groups
       * (but for an open score-change block's categories) */
      if (glp_get_col_type(lp, col[rc]) == GLP_LO && c->shown != CK_SHOWN &&
          !c->outcome && !c->internal && !c->unprinted && !c->locked &&
          !c->may_be_empty && c->value >= 1)
        glp_set_col_bnds(lp, col[rc], GLP_LO, 1.0, 0.0);
      continue;
    }
    col[rc] = next++;
    if (apart[rc]) {
      /* its grid group and groups nobody is in: at least the group */
      int ind[3] = {0, col[rc], (int)map[rc] + 1};
      double val[3] = {0.0, 1.0, -1.0};
      int row = glp_add_rows(lp, 1);
      glp_set_mat_row(lp, row, 2, ind, val);
      glp_set_row_bnds(lp, row, GLP_LO, 0.0, 0.0);
    }
    double v = (double)c->value;
    if (report_told(c))
      glp_set_col_bnds(lp, col[rc], GLP_FX, v, v);
    else if (!c->outcome && !c->internal && !c->unprinted && !c->may_be_empty &&
             c->value >= 1)
      glp_set_col_bnds(lp, col[rc], GLP_LO, 1.0, 0.0);
    else
      glp_set_col_bnds(lp, col[rc], GLP_LO, 0.0, 0.0);
  }
  free(apart);
  /* a rate shown only as its coded bound tells its count's coded range */
  const struct ck_rate *rates[CK_G_COUNT * 3 + 1];
  size_t nr = 0;
  for (size_t k = 0; k < CK_G_COUNT; k++) {
    rates[nr++] = &rep->groups[k].match_rate;
    rates[nr++] = &rep->groups[k].target_rate;
    rates[nr++] = &rep->groups[k].academic_share;
  }
  for (size_t k = 0; k < nr + rep->n_specialties * 3 + rep->n_years; k++) {
    const struct ck_rate *q;
    if (k < nr)
      q = rates[k];
    else if (k < nr + rep->n_specialties * 3) {
      const struct ck_specialty_row *sr = &rep->specialties[(k - nr) / 3];
      q = (k - nr) % 3 == 0   ? &sr->match_rate
          : (k - nr) % 3 == 1 ? &sr->target_rate
                              : &sr->lp_match_rate;
    } else {
      q = &rep->years[k - nr - rep->n_specialties * 3].match_rate;
    }
    if ((q->shown != CK_CODED_GE && q->shown != CK_CODED_LE) ||
        q->x == CK_NO_CELL || q->n == CK_NO_CELL || q->x >= nc || q->n >= nc ||
        rep->cells[q->n].shown != CK_SHOWN)
      continue;
    double n = (double)rep->cells[q->n].value, b = q->bound * n;
    double lo = q->shown == CK_CODED_GE ? ceil(b - 1e-9) : 0.0;
    double hi = q->shown == CK_CODED_GE ? n : floor(b + 1e-9);
    int j = col[q->x];
    if (glp_get_col_type(lp, j) == GLP_FX || lo > hi)
      continue;
    if (lo < glp_get_col_lb(lp, j))
      lo = glp_get_col_lb(lp, j);
    glp_set_col_bnds(lp, j, lo < hi ? GLP_DB : GLP_FX, lo, hi);
  }
  size_t cap = 16;
  int *ind = ck_xmalloc((cap + 1) * sizeof *ind);
  double *val = ck_xmalloc((cap + 1) * sizeof *val);
  for (size_t k = 0; k < rep->n_constraints; k++) {
    const struct ck_constraint *q = &rep->constraints[k];
    if (q->n_parts + 2 > cap) {
      cap = q->n_parts + 2;
      ind = ck_xrealloc(ind, (cap + 1) * sizeof *ind);
      val = ck_xrealloc(val, (cap + 1) * sizeof *val);
    }
    int len = 0;
    for (size_t j = 0; j <= q->n_parts; j++) {
      size_t rc = j == q->n_parts ? q->total : rep->parts[q->first + j];
      double a = j == q->n_parts ? 1.0 : -1.0;
      int m = 1;
      while (m <= len && ind[m] != col[rc])
        m++;
      if (m <= len) {
        val[m] += a;
      } else {
        ind[++len] = col[rc];
        val[len] = a;
      }
    }
    int kept = 0;
    for (int m = 1; m <= len; m++)
      if (val[m] != 0.0) {
        kept++;
        ind[kept] = ind[m];
        val[kept] = val[m];
      }
    if (kept == 0)
      continue;
    int row = glp_add_rows(lp, 1);
    glp_set_mat_row(lp, row, kept, ind, val);
    glp_set_row_bnds(lp, row, GLP_FX, 0.0, 0.0);
  }
  free(ind);
  free(val);
  if (rcol != NULL)
    for (size_t rc = 0; rc < nc; rc++)
      rcol[rc] = (size_t)col[rc] - 1;
  free(col);
}

/* The report alone, with what earlier sheets published (a reader holds
 * those already; this run cannot take them back). */
static bool prior(const struct ck_grid *g, size_t i) { return g->c[i].prior; }

static void widen(double *lo, double *hi, size_t i, double x) {
  if (x < lo[i])
    lo[i] = x;
  if (x > hi[i])
    hi[i] = x;
}

/* Record the values every count takes in lp's current solution: one of
 * lp0 is one of lp, one of lp one of base. */
static void observe(struct chk *C, glp_prob *lp) {
  for (size_t i = 0; i < C->ncol; i++) {
    double x = glp_get_col_prim(lp, (int)i + 1);
    widen(C->wb_lo, C->wb_hi, i, x);
    if (lp == C->base)
      continue;
    widen(C->seen_lo, C->seen_hi, i, x);
    if (lp == C->lp0)
      widen(C->w0_lo, C->w0_hi, i, x);
  }
}

/* Settled by values seen: it reaches 0, or spans min_cell values. */
static bool seen_safe(const struct chk *C, size_t i) {
  if (C->seen_lo[i] <= EPS && !C->wide[i])
    return true;
  double span = floor(C->seen_hi[i] + EPS) - ceil(C->seen_lo[i] - EPS) + 1;
  return span >= (double)C->g->min_cell;
}

/* Minimise (dir < 0) or maximise lp's objective. */
static bool solve(struct chk *C, glp_prob *lp, int dir, double *val) {
  glp_set_obj_dir(lp, dir < 0 ? GLP_MIN : GLP_MAX);
  C->g->check_lps++;
  int rc = glp_simplex(lp, &C->parm);
  if (rc != 0) {
    glp_adv_basis(lp, 0); /* a bad basis after many bound changes */
    rc = glp_simplex(lp, &C->parm);
  }
  int st = rc == 0 ? glp_get_status(lp) : GLP_UNDEF;
  if (st == GLP_UNBND && dir > 0) {
    *val = HUGE_VAL;
    return true;
  }
  if (st != GLP_OPT) {
    C->failed = true;
    return false;
  }
  *val = glp_get_obj_val(lp);
  observe(C, lp);
  return true;
}

/* Column col (1-based) as lp's only objective. */
static void objective(glp_prob *lp, int col) {
  int n = glp_get_num_cols(lp);
  for (int j = 1; j <= n; j++)
    if (glp_get_obj_coef(lp, j) != 0.0)
      glp_set_obj_coef(lp, j, 0.0);
  glp_set_obj_coef(lp, col, 1.0);
}

static void propagate(glp_prob *lp, double *lo, double *hi);

/* lp0's or base's bounds and witnesses (lp has neither: its solutions
 * are the ones a repair follows, so it always solves). */
static bool sandwich(struct chk *C, glp_prob *lp, const double **plo,
                     const double **phi, const double **wlo,
                     const double **whi) {
  double **lo, **hi;
  if (lp == C->lp0) {
    lo = &C->p0_lo;
    hi = &C->p0_hi;
    *wlo = C->w0_lo;
    *whi = C->w0_hi;
  } else if (lp == C->base) {
    lo = &C->pb_lo;
    hi = &C->pb_hi;
    *wlo = C->wb_lo;
    *whi = C->wb_hi;
  } else {
    return false;
  }
  if (*lo == NULL) {
    *lo = ck_xmalloc((C->ncol + 1) * sizeof **lo);
    *hi = ck_xmalloc((C->ncol + 1) * sizeof **hi);
    propagate(lp, *lo, *hi);
  }
  *plo = *lo;
  *phi = *hi;
  return true;
}

static long ceil_of(double x) { return (long)ceil(x - EPS); }
static long floor_of(double x) {
  return isinf(x) ? LONG_MAX : (long)floor(x + EPS);
}

/* The minimum (dir < 0) or maximum of cell i in lp, rounded inward;
 * false when the program could not be solved.  Taken without a solve
 * where the bounds lp's rows imply meet a value a solution took: the
 * optimum lies between them, so rounds to both. */
static bool side(struct chk *C, glp_prob *lp, size_t i, int dir, long *v) {
  const double *plo = NULL, *phi = NULL, *wlo = NULL, *whi = NULL;
  if (sandwich(C, lp, &plo, &phi, &wlo, &whi)) {
    if (dir < 0 && wlo[i] < HUGE_VAL && ceil_of(plo[i]) == ceil_of(wlo[i])) {
      *v = ceil_of(wlo[i]);
      return true;
    }
    if (dir > 0 && whi[i] > -HUGE_VAL && floor_of(phi[i]) == floor_of(whi[i])) {
      *v = floor_of(whi[i]);
      return true;
    }
  }
  double x;
  objective(lp, (int)i + 1);
  if (!solve(C, lp, dir, &x))
    return false;
  *v = dir < 0 ? ceil_of(x) : floor_of(x);
  return true;
}

/* The integer range of cell i in lp; false when a program could not be
 * solved.  When the minimum is 0 or min_cell and above, the top is not
 * worked out (hi = lo): the range is safe whatever its top. */
static bool range(struct chk *C, glp_prob *lp, size_t i, long *lo, long *hi) {
  if (!side(C, lp, i, -1, lo))
    return false;
  long mc = (long)C->g->min_cell;
  if (!C->wide[i] && (*lo <= 0 || *lo >= mc)) {
    *hi = *lo;
    return true;
  }
  return side(C, lp, i, +1, hi);
}

static bool safe(const struct ck_grid *g, long lo, long hi, bool wide) {
  long mc = (long)g->min_cell;
  if (wide)
    return hi == LONG_MAX || hi - lo + 1 >= mc;
  return lo <= 0 || lo >= mc || hi == LONG_MAX || hi - lo + 1 >= mc;
}

/* Bounds on every column of lp that its rows imply, found by going over
 * the rows until no bound moves ("bound propagation"): for a row
 * L <= sum a_j x_j <= U, a_k x_k lies between L and U less what the other
 * terms can reach.  They hold every solution of lp, so they enclose each
 * column's range; where they meet the range of a narrower program, that is
 * the range.  The data are small integers, so the arithmetic is exact. */
static void propagate(glp_prob *lp, double *lo, double *hi) {
  int n = glp_get_num_cols(lp), m = glp_get_num_rows(lp);
  for (int j = 1; j <= n; j++) {
    int t = glp_get_col_type(lp, j);
    lo[j - 1] = t == GLP_LO || t == GLP_DB || t == GLP_FX
                    ? glp_get_col_lb(lp, j)
                    : -HUGE_VAL;
    hi[j - 1] = t == GLP_UP || t == GLP_DB || t == GLP_FX
                    ? glp_get_col_ub(lp, j)
                    : HUGE_VAL;
  }
  /* the rows once, as compressed arrays */
  size_t *start = ck_xmalloc(((size_t)m + 2) * sizeof *start);
  size_t nz = 0;
  for (int i = 1; i <= m; i++)
    nz += (size_t)glp_get_mat_row(lp, i, NULL, NULL);
  int *col = ck_xmalloc((nz + 1) * sizeof *col);
  double *a = ck_xmalloc((nz + 1) * sizeof *a);
  int *rind = ck_xmalloc(((size_t)n + 1) * sizeof *rind);
  double *rval = ck_xmalloc(((size_t)n + 1) * sizeof *rval);
  double *rl = ck_xmalloc(((size_t)m + 1) * sizeof *rl);
  double *ru = ck_xmalloc(((size_t)m + 1) * sizeof *ru);
  size_t e = 0;
  for (int i = 1; i <= m; i++) {
    start[i - 1] = e;
    int len = glp_get_mat_row(lp, i, rind, rval); /* 1-based */
    for (int k = 1; k <= len; k++, e++) {
      col[e] = rind[k];
      a[e] = rval[k];
    }
    int t = glp_get_row_type(lp, i);
    rl[i - 1] = t == GLP_LO || t == GLP_DB || t == GLP_FX
                    ? glp_get_row_lb(lp, i)
                    : -HUGE_VAL;
    ru[i - 1] = t == GLP_UP || t == GLP_DB || t == GLP_FX
                    ? glp_get_row_ub(lp, i)
                    : HUGE_VAL;
  }
  start[m] = e;
  bool moved = true;
  for (int sweep = 0; moved && sweep < 200; sweep++) {
    moved = false;
    for (int i = 0; i < m; i++) {
      /* what the row's terms reach: finite parts and infinite counts */
      double smin = 0.0, smax = 0.0;
      int nmin = 0, nmax = 0;
      for (size_t k = start[i]; k < start[i + 1]; k++) {
        double c = a[k], l = lo[col[k] - 1], u = hi[col[k] - 1];
        double tmin = c > 0 ? c * l : c * u, tmax = c > 0 ? c * u : c * l;
        if (isinf(tmin))
          nmin++;
        else
          smin += tmin;
        if (isinf(tmax))
          nmax++;
        else
          smax += tmax;
      }
      for (size_t k = start[i]; k < start[i + 1]; k++) {
        double c = a[k];
        int j = col[k] - 1;
        double tmin = c > 0 ? c * lo[j] : c * hi[j];
        double tmax = c > 0 ? c * hi[j] : c * lo[j];
        /* the other terms' reach, without this one */
        double omin = isinf(tmin) ? (nmin == 1 ? smin : -HUGE_VAL)
                                  : (nmin == 0 ? smin - tmin : -HUGE_VAL);
        double omax = isinf(tmax) ? (nmax == 1 ? smax : HUGE_VAL)
                                  : (nmax == 0 ? smax - tmax : HUGE_VAL);
        /* c x_j in [rl - omax, ru - omin] */
        double tlo = rl[i] - omax, thi = ru[i] - omin;
        double nlo = c > 0 ? tlo / c : thi / c;
        double nhi = c > 0 ? thi / c : tlo / c;
        if (!isnan(nlo) && nlo > lo[j] + EPS) {
          lo[j] = nlo;
          moved = true;
        }
        if (!isnan(nhi) && nhi < hi[j] - EPS) {
          hi[j] = nhi;
          moved = true;
        }
      }
    }
  }
  free(start);
  free(col);
  free(a);
  free(rind);
  free(rval);
  free(rl);
  free(ru);
}

/* Take set j back for good, and with a group's size every later set of the
 * same group (its target, program and specialty splits need it). */
static void take_back(struct chk *C, size_t j, size_t *queue, size_t *nq) {
  struct ck_grid *g = C->g;
  const struct ck_gcell *head = &g->c[g->plog[g->pfirst[j]]];
  int k = head->k, r = head->r, s = head->s;
  bool size_set = head->o == CK_GO_N && first_kind(k);
  for (size_t m = j; m < g->npset; m++) {
    if (C->gone[m])
      continue;
    const struct ck_gcell *h = &g->c[g->plog[g->pfirst[m]]];
    if (m != j && !(size_set && h->k == k && h->r == r && h->s == s))
      continue;
    C->gone[m] = true;
    g->check_retracted++;
    lp0_moved(C, false);
    for (size_t c = g->pfirst[m]; c < g->pfirst[m + 1]; c++) {
      size_t cell = g->plog[c];
      if (g->c[cell].prior)
        continue; /* published by earlier sheets: stays */
      g->c[cell].pub = false;
      if (!C->told[cell]) {
        set_bounds(C->lp, g, cell, false);
        set_bounds(C->lp0, g, cell, false);
        /* now a count nobody prints: checked like the others */
        if (g->c[cell].v >= 1 && g->c[cell].v <= 2 * (long)g->min_cell - 3)
          queue[(*nq)++] = cell;
      }
    }
  }
}

/* The latest published set whose counts bind lp's current optimum (a
 * reduced cost at a fixed column): one that does not bind cannot widen the
 * narrowed side.  decide() goes coarsest first, so the latest is the
 * finest.  CK_NO_CELL when nothing is left to take back. */
static size_t binding_set(const struct chk *C) {
  const struct ck_grid *g = C->g;
  for (size_t j = g->npset; j-- > 0;) {
    if (C->gone[j])
      continue;
    double score = 0.0;
    for (size_t c = g->pfirst[j]; c < g->pfirst[j + 1]; c++)
      if (!C->told[g->plog[c]] && !g->c[g->plog[c]].prior)
        score += fabs(glp_get_col_dual(C->lp, (int)g->plog[c] + 1));
    if (score > EPS)
      return j;
  }
  for (size_t j = g->npset; j-- > 0;) /* degenerate: the latest set */
    if (!C->gone[j])
      return j;
  return CK_NO_CELL;
}

/* Publish again the sets taken[from .. to-1] (with_pub) or take them back
 * again: their cells fixed at their values in both programs, or free. */
static void republish(struct chk *C, const size_t *taken, size_t from,
                      size_t to, bool with_pub) {
  struct ck_grid *g = C->g;
  for (size_t t = from; t < to; t++) {
    size_t m = taken[t];
    C->gone[m] = !with_pub;
    lp0_moved(C, with_pub);
    if (with_pub)
      g->check_retracted--;
    else
      g->check_retracted++;
    for (size_t c = g->pfirst[m]; c < g->pfirst[m + 1]; c++) {
      size_t cell = g->plog[c];
      if (g->c[cell].prior)
        continue;
      g->c[cell].pub = with_pub;
      if (!C->told[cell]) {
        set_bounds(C->lp, g, cell, with_pub);
        set_bounds(C->lp0, g, cell, with_pub || g->c[cell].phantom);
      }
    }
  }
}

/* Cell i was made safe by the take_back() calls of units 0..n-1 (the sets
 * taken[first[u] .. first[u+1]-1]): publish each earlier call's sets again
 * while i stays safe without them.  Every other count stays as safe as it
 * was before this repair: what stays taken back only relaxes the programs.
 * But the values counts took in solutions with those sets taken back need
 * not be feasible once they are published again, so they are forgotten
 * (what was seen before this repair holds). */
static bool undo_needless(struct chk *C, size_t i, long blo, long bhi,
                          const size_t *taken, const size_t *first, size_t n) {
  struct ck_grid *g = C->g;
  bool kept = false;
  double *lo0 = ck_xmalloc((C->ncol + 1) * sizeof *lo0);
  double *hi0 = ck_xmalloc((C->ncol + 1) * sizeof *hi0);
  memcpy(lo0, C->seen_lo, C->ncol * sizeof *lo0);
  memcpy(hi0, C->seen_hi, C->ncol * sizeof *hi0);
  bool ok = true;
  for (size_t u = 0; u + 1 < n && ok; u++) {
    republish(C, taken, first[u], first[u + 1], true);
    long lo, hi;
    ok = range(C, C->lp, i, &lo, &hi);
    if (ok && (safe(g, lo, hi, C->wide[i]) || (lo == blo && hi == bhi)))
      kept = true;
    else
      republish(C, taken, first[u], first[u + 1], false);
  }
  if (kept) {
    memcpy(C->seen_lo, lo0, C->ncol * sizeof *lo0);
    memcpy(C->seen_hi, hi0, C->ncol * sizeof *hi0);
  }
  free(lo0);
  free(hi0);
  return ok;
}

/* Make cell i safe by taking sets back; false when a program failed. */
static bool repair(struct chk *C, size_t i, size_t *queue, size_t *nq) {
  struct ck_grid *g = C->g;
  long lo, hi, blo, bhi;
  /* lp0's solutions are lp's, and lp's base's: a range in lp holds the
   * one in lp0 and lies in the one in base.  Safe in lp0 is safe in lp;
   * lp0's range the same as base's is lp's too. */
  if (!range(C, C->lp0, i, &lo, &hi))
    return false;
  if (safe(g, lo, hi, C->wide[i]))
    return true;
  if (!C->base)
    C->base = build(g, prior, C->rep, C->map, NULL, false);
  if (!range(C, C->base, i, &blo, &bhi))
    return false;
  if (lo != blo || hi != bhi) {
    /* lp's range lies between lp0's and base's: a side where those two
     * agree is lp's too, and only the other is worked out */
    long mc = (long)g->min_cell;
    if (lo != blo) {
      /* base's minimum is no more than lp's, a value seen no less */
      if (C->seen_lo[i] < HUGE_VAL && ceil_of(C->seen_lo[i]) == blo)
        lo = blo;
      else if (!side(C, C->lp, i, -1, &lo))
        return false;
      if (!C->wide[i] && (lo <= 0 || lo >= mc))
        return true;
    }
    /* bhi is base's maximum, unless range() left it out */
    bool top = C->wide[i] || (blo >= 1 && blo < mc);
    if (hi != bhi) {
      if (top && C->seen_hi[i] > -HUGE_VAL && floor_of(C->seen_hi[i]) == bhi)
        hi = bhi;
      else if (!side(C, C->lp, i, +1, &hi))
        return false;
    }
    if (safe(g, lo, hi, C->wide[i]))
      return true;
  }
  if (lo == blo && hi == bhi)
    return true; /* the report's own: judged with the report */
  g->check_narrowed++;
  if (g->verify) {
    /* published before: nothing to take back, only to say */
    if (g->verify_col == CK_NO_CELL) {
      if (bhi == blo) { /* range() left the top out: wanted for the message */
        double v;
        objective(C->base, (int)i + 1);
        if (!solve(C, C->base, +1, &v))
          return false;
        bhi = isinf(v) ? LONG_MAX : (long)floor(v + EPS);
      }
      g->verify_col = i;
      g->verify_lo = lo;
      g->verify_hi = hi;
      g->verify_blo = blo;
      g->verify_bhi = bhi;
    }
    return true;
  }
  /* what this repair takes back, a take_back() call at a time (first[u]
   * .. first[u+1]-1 in taken), so that a call made needless by a later one
   * can be undone: the binding set is a heuristic, and the first set it
   * names need not be one the last leaves needed */
  size_t *taken = ck_xmalloc((g->npset + 1) * sizeof *taken);
  size_t *first = ck_xmalloc((g->npset + 2) * sizeof *first);
  size_t ntaken = 0, nunits = 0;
  bool ok = true, done = false;
  while (ok && !done) {
    double val;
    objective(C->lp, (int)i + 1);
    if (!solve(C, C->lp, lo > blo ? -1 : +1, &val)) {
      ok = false;
      break;
    }
    size_t j = binding_set(C);
    if (j == CK_NO_CELL)
      break; /* nothing left to take back: the report's own */
    first[nunits++] = ntaken;
    for (size_t m = 0; m < g->npset; m++)
      C->scratch[m] = C->gone[m];
    take_back(C, j, queue, nq);
    for (size_t m = 0; m < g->npset; m++)
      if (C->gone[m] && !C->scratch[m])
        taken[ntaken++] = m;
    ok = range(C, C->lp, i, &lo, &hi);
    done = ok && (safe(g, lo, hi, C->wide[i]) || (lo == blo && hi == bhi));
  }
  first[nunits] = ntaken;
  if (ok && done && nunits > 1)
    ok = undo_needless(C, i, blo, bhi, taken, first, nunits);
  free(taken);
  free(first);
  return ok;
}

/* Drop lp0's rows whose counts are all fixed for good: what the report
 * prints, what earlier sheets published, and groups nobody is in that no
 * sheet publishes (fixed at 0 in lp0; a published one can be taken back).
 * They hold at the true values, so lp0 keeps its solutions, and each
 * solve is cheaper for every row less (about half the rows go). */
static void drop_fixed_rows(struct chk *C) {
  const struct ck_grid *g = C->g;
  int m = glp_get_num_rows(C->lp0), n = glp_get_num_cols(C->lp0);
  int *ind = ck_xmalloc(((size_t)n + 1) * sizeof *ind);
  int *dead = ck_xmalloc(((size_t)m + 1) * sizeof *dead);
  int nd = 0;
  for (int r = 1; r <= m; r++) {
    int len = glp_get_mat_row(C->lp0, r, ind, NULL);
    bool fixed = true;
    for (int k = 1; k <= len && fixed; k++) {
      size_t j = (size_t)ind[k] - 1;
      fixed =
          C->told[j] ||
          (j < g->n && (g->c[j].prior || (g->c[j].phantom && !g->c[j].pub)));
    }
    if (fixed)
      dead[++nd] = r;
  }
  if (nd > 0) {
    glp_del_rows(C->lp0, nd, dead);
    glp_adv_basis(C->lp0, 0);
  }
  free(ind);
  free(dead);
}

void ck_grid_check(struct ck_grid *g, const struct ck_report *rep,
                   const size_t *map) {
  struct chk C;
  memset(&C, 0, sizeof C);
  C.g = g;
  C.rep = map != NULL ? rep : NULL;
  C.map = map;
  long top = 2 * (long)g->min_cell - 3;
  glp_term_out(GLP_OFF); /* the library never prints */
  glp_init_smcp(&C.parm);
  C.parm.msg_lev = GLP_MSG_OFF;
  C.parm.presolve = GLP_OFF; /* keeps the basis between solves */
  size_t *rcol = ck_xmalloc(((C.rep ? C.rep->n_cells : 0) + 1) * sizeof *rcol);
  C.lp = build(g, published, C.rep, map, rcol, false);
  C.lp0 = build(g, published, C.rep, map, NULL, true);
  C.ncol = (size_t)glp_get_num_cols(C.lp);
  C.gone = ck_xcalloc(g->npset + 1, sizeof *C.gone);
  C.scratch = ck_xcalloc(g->npset + 1, sizeof *C.scratch);
  C.wide = ck_xcalloc(C.ncol + 1, sizeof *C.wide);
  C.told = ck_xcalloc(C.ncol + 1, sizeof *C.told);
  C.seen_lo = ck_xmalloc((C.ncol + 1) * sizeof *C.seen_lo);
  C.seen_hi = ck_xmalloc((C.ncol + 1) * sizeof *C.seen_hi);
  C.w0_lo = ck_xmalloc((C.ncol + 1) * sizeof *C.w0_lo);
  C.w0_hi = ck_xmalloc((C.ncol + 1) * sizeof *C.w0_hi);
  C.wb_lo = ck_xmalloc((C.ncol + 1) * sizeof *C.wb_lo);
  C.wb_hi = ck_xmalloc((C.ncol + 1) * sizeof *C.wb_hi);
  for (size_t i = 0; i < C.ncol; i++) {
    C.seen_lo[i] = C.w0_lo[i] = C.wb_lo[i] = HUGE_VAL;
    C.seen_hi[i] = C.w0_hi[i] = C.wb_hi[i] = -HUGE_VAL;
  }
  /* the counts the report withholds keep min_cell values (or the range
   * the report alone leaves them), not only a way to 0, even where a
   * sheet prints one (the report alone must tell it then) */
  for (size_t rc = 0; C.rep != NULL && rc < C.rep->n_cells; rc++) {
    const struct ck_cell *c = &C.rep->cells[rc];
    size_t col = rcol[rc];
    if (col >= C.ncol)
      continue;
    if (report_told(c))
      C.told[col] = true;
    else if (c->shown != CK_SHOWN && !c->internal && !c->unprinted)
      C.wide[col] = true;
  }
  for (size_t i = 0; i < C.ncol; i++)
    C.wide[i] = C.wide[i] && !C.told[i]; /* printed as another count */
  drop_fixed_rows(&C);
  /* every column can enter the queue once as a target and every cell once
   * more when its set is taken back */
  size_t *queue = ck_xmalloc((C.ncol + g->n + 1) * sizeof *queue), nq = 0;
  for (size_t i = 0; i < g->n; i++)
    if (!C.wide[i] && !C.told[i] && g->c[i].k != CK_GRID_EXTRA &&
        !g->c[i].pub && g->c[i].v >= 1 && g->c[i].v <= top)
      queue[nq++] = i;
  /* the students one release has and another not (a report checked
   * against a release ledger): counts nobody prints, like the grid's */
  for (size_t rc = 0; C.rep != NULL && rc < C.rep->n_cells; rc++) {
    size_t col = rcol[rc];
    if (C.rep->cells[rc].unprinted && col >= g->n && col < C.ncol)
      queue[nq++] = col;
  }
  /* Most counts reach 0 together: minimise their sum, a few rounds, and
   * let observe() settle every one at 0 in a solution. */
  for (int round = 0; round < 4 && nq > 0; round++) {
    for (size_t q = 0; q < nq; q++)
      glp_set_obj_coef(C.lp0, (int)queue[q] + 1, 1.0);
    double sum;
    bool ok = solve(&C, C.lp0, -1, &sum);
    for (size_t q = 0; q < nq; q++)
      glp_set_obj_coef(C.lp0, (int)queue[q] + 1, 0.0);
    if (!ok)
      break;
    size_t kept = 0;
    for (size_t q = 0; q < nq; q++)
      if (!seen_safe(&C, queue[q]))
        queue[kept++] = queue[q];
    if (kept == nq)
      break;
    nq = kept;
  }
  for (size_t i = 0; i < C.ncol; i++)
    if (C.wide[i])
      queue[nq++] = i;
  g->check_targets = nq;
  for (size_t q = 0; q < nq && !C.failed; q++)
    if (!(queue[q] < g->n && g->c[queue[q]].pub) && /* published again */
        !seen_safe(&C, queue[q]) && !repair(&C, queue[q], queue, &nq))
      break;
  for (size_t rc = 0; g->verify_col != CK_NO_CELL && C.rep != NULL &&
                      rc < C.rep->n_cells && g->verify_rc == CK_NO_CELL;
       rc++)
    if (rcol[rc] == g->verify_col)
      g->verify_rc = rc;
  if (C.failed) {
    /* fail closed: publish nothing of the grid */
    g->check_failed = true;
    for (size_t i = 0; i < g->n; i++)
      g->c[i].pub = false;
  }
  free(queue);
  free(C.gone);
  free(C.scratch);
  free(C.seen_lo);
  free(C.seen_hi);
  free(C.wide);
  free(C.told);
  free(rcol);
  glp_delete_prob(C.lp);
  glp_delete_prob(C.lp0);
  if (C.base)
    glp_delete_prob(C.base);
  free(C.p0_lo);
  free(C.p0_hi);
  free(C.pb_lo);
  free(C.pb_hi);
  free(C.w0_lo);
  free(C.w0_hi);
  free(C.wb_lo);
  free(C.wb_hi);
}
