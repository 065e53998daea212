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
 * withdrawal alone suffices first; when none alone does, the latest sets
 * until it is safe.  Withdrawing only relaxes the program, so a count
 * found safe stays safe.
 */
#include "ask_grid.h"
#include "util.h"
#include "ask_model.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

#include <glpk.h>

#define EPS 1e-6

struct chk {
  struct ck_grid *g;
  glp_prob *lp;
  glp_smcp parm;
  size_t *set_of; /* the published set of each cell, or CK_NO_CELL */
  bool *gone;     /* sets taken back */
  int obj;        /* the column in the objective, 0 for none */
  bool failed;
};

static bool first_kind(int k) { return k >= 0 && k < CK_ASK_NKIND; }

static bool fixed(const struct ck_grid *g, size_t i) {
  return g->c[i].seed || g->c[i].pub;
}

static void set_bounds(struct chk *C, size_t i, bool fix) {
  double v = (double)C->g->c[i].v;
  if (fix)
    glp_set_col_bnds(C->lp, (int)i + 1, GLP_FX, v, v);
  else
    glp_set_col_bnds(C->lp, (int)i + 1, GLP_LO, 0.0, 0.0);
}

static bool build(struct chk *C) {
  struct ck_grid *g = C->g;
  C->lp = glp_create_prob();
  glp_add_cols(C->lp, (int)g->n);
  for (size_t i = 0; i < g->n; i++)
    set_bounds(C, i, fixed(g, i));
  size_t nz = 0;
  for (size_t k = 0; k < g->ncon; k++)
    nz += g->con[k].n + 1;
  int *ia = ck_xmalloc((nz + 1) * sizeof *ia);
  int *ja = ck_xmalloc((nz + 1) * sizeof *ja);
  double *ar = ck_xmalloc((nz + 1) * sizeof *ar);
  /* a cell may be listed twice in one sum; GLPK wants each column once */
  size_t *slot = ck_xmalloc((g->n ? g->n : 1) * sizeof *slot);
  for (size_t i = 0; i < g->n; i++)
    slot[i] = 0;
  size_t e = 0;
  if (g->ncon > 0)
    glp_add_rows(C->lp, (int)g->ncon);
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
    glp_set_row_bnds(C->lp, (int)k + 1, GLP_FX, 0.0, 0.0);
  }
  glp_load_matrix(C->lp, (int)e, ia, ja, ar);
  free(ia);
  free(ja);
  free(ar);
  free(slot);
  glp_adv_basis(C->lp, 0); /* far fewer iterations than the standard basis */
  glp_init_smcp(&C->parm);
  C->parm.msg_lev = GLP_MSG_OFF;
  C->parm.presolve = GLP_OFF;
  if (getenv("CK_METH")) C->parm.meth = atoi(getenv("CK_METH"));
  return true;
}

/* Minimise (dir < 0) or maximise one column, or the sum of columns. */
static double tsolve[8]; static int phase; static size_t nph[8], itph[8];
static bool solve(struct chk *C, int dir, double *val) {
  glp_set_obj_dir(C->lp, dir < 0 ? GLP_MIN : GLP_MAX);
  C->g->check_lps++;
  clock_t t0 = clock(); int it0 = glp_get_it_cnt(C->lp);
  int rc = glp_simplex(C->lp, &C->parm);
  tsolve[phase] += (double)(clock() - t0) / CLOCKS_PER_SEC; nph[phase]++; itph[phase] += (size_t)(glp_get_it_cnt(C->lp) - it0);
  if (rc != 0) {
    glp_adv_basis(C->lp, 0); /* a bad basis after many bound changes */
    rc = glp_simplex(C->lp, &C->parm);
  }
  int st = rc == 0 ? glp_get_status(C->lp) : GLP_UNDEF;
  if (st == GLP_UNBND && dir > 0) {
    *val = HUGE_VAL;
    return true;
  }
  if (st != GLP_OPT) {
    C->failed = true;
    return false;
  }
  *val = glp_get_obj_val(C->lp);
  return true;
}

static void objective(struct chk *C, size_t i) {
  if (C->obj)
    glp_set_obj_coef(C->lp, C->obj, 0.0);
  C->obj = (int)i + 1;
  glp_set_obj_coef(C->lp, C->obj, 1.0);
}

/* The integer range of cell i; false when a program could not be solved. */
static bool range(struct chk *C, size_t i, long *lo, long *hi) {
  double a, b;
  objective(C, i);
  if (!solve(C, -1, &a))
    return false;
  *lo = (long)ceil(a - EPS);
  long mc = (long)C->g->min_cell;
  if (*lo <= 0 || *lo >= mc) {
    *hi = *lo; /* safe whatever its top: not worked out */
    return true;
  }
  if (!solve(C, +1, &b))
    return false;
  *hi = isinf(b) ? LONG_MAX : (long)floor(b + EPS);
  return true;
}

static bool safe(const struct ck_grid *g, long lo, long hi) {
  long mc = (long)g->min_cell;
  return lo <= 0 || lo >= mc || hi == LONG_MAX || hi - lo + 1 >= mc;
}

/* The range the report alone leaves cell i: every published set loose. */
static bool baseline(struct chk *C, size_t i, long *lo, long *hi) {
  struct ck_grid *g = C->g;
  for (size_t c = 0; c < g->nplog; c++)
    if (!g->c[g->plog[c]].seed)
      set_bounds(C, g->plog[c], false);
  int ph = phase; phase = 2;
  bool ok = range(C, i, lo, hi);
  phase = ph;
  for (size_t c = 0; c < g->nplog; c++)
    if (g->c[g->plog[c]].pub)
      set_bounds(C, g->plog[c], true);
  return ok;
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
    for (size_t c = g->pfirst[m]; c < g->pfirst[m + 1]; c++) {
      size_t cell = g->plog[c];
      g->c[cell].pub = false;
      if (!g->c[cell].seed) {
        set_bounds(C, cell, false);
        /* now a count nobody prints: checked like the others */
        if (g->c[cell].v < 2 * (long)g->min_cell - 2)
          queue[(*nq)++] = cell;
      }
    }
  }
}

/* Make cell i safe by taking sets back; false when a program failed. */
static bool repair(struct chk *C, size_t i, size_t *queue, size_t *nq) {
  struct ck_grid *g = C->g;
  long lo, hi, blo, bhi;
  if (!range(C, i, &lo, &hi))
    return false;
  if (safe(g, lo, hi))
    return true;
  if (!baseline(C, i, &blo, &bhi))
    return false;
  if (lo == blo && hi == bhi)
    return true; /* the report's own: judged with the report */
  g->check_narrowed++;
  if (getenv("CK_DEBUG_CHECK"))
    fprintf(stderr, "narrowed k%d r%d s%d o%d v%ld seed%d forbid%d: %ld..%ld, report alone %ld..%ld\n",
            g->c[i].k, g->c[i].r, g->c[i].s, g->c[i].o, g->c[i].v, g->c[i].seed, g->c[i].forbid, lo, hi, blo, bhi);
  /* Take back the latest published set (decide() goes coarsest first) of
   * those whose counts bind the narrowed side (a reduced cost of a fixed
   * column at that side's optimum): a set that does not bind cannot widen
   * it. */
  for (;;) {
    double val;
    objective(C, i);
    if (!solve(C, lo > blo ? -1 : +1, &val))
      return false;
    size_t best = CK_NO_CELL;
    double best_score = EPS;
    for (size_t j = g->npset; j-- > 0;) {
      if (C->gone[j])
        continue;
      double score = 0.0;
      for (size_t c = g->pfirst[j]; c < g->pfirst[j + 1]; c++)
        if (!g->c[g->plog[c]].seed)
          score += fabs(glp_get_col_dual(C->lp, (int)g->plog[c] + 1));
      if (score > best_score) {
        best = j; /* the latest binding set: the finest groups */
        break;
      }
    }
    if (best == CK_NO_CELL) /* degenerate: the latest set */
      for (size_t j = g->npset; j-- > 0 && best == CK_NO_CELL;)
        if (!C->gone[j])
          best = j;
    if (best == CK_NO_CELL)
      return true; /* nothing left to take back: the report's own */
    take_back(C, best, queue, nq);
    if (!range(C, i, &lo, &hi))
      return false;
    if (safe(g, lo, hi) || (lo == blo && hi == bhi))
      return true;
  }
}

void ck_grid_check(struct ck_grid *g) {
  struct chk C;
  memset(&C, 0, sizeof C);
  C.g = g;
  long top = 2 * (long)g->min_cell - 3;
  glp_term_out(GLP_OFF); /* the library never prints */
  build(&C);
  C.gone = ck_xcalloc(g->npset + 1, sizeof *C.gone);
  /* every cell can enter the queue once as a target and once more when
   * its set is taken back */
  size_t *queue = ck_xmalloc((2 * g->n + 1) * sizeof *queue), nq = 0;
  for (size_t i = 0; i < g->n; i++)
    if (g->c[i].k != CK_GRID_EXTRA && !fixed(g, i) && g->c[i].v >= 1 &&
        g->c[i].v <= top)
      queue[nq++] = i;
  /* Most counts reach 0 together: minimise their sum and drop every one
   * at 0 in that solution (a point where it is 0 is feasible). */
  for (int round = 0; round < 4 && nq > 0; round++) {
    for (size_t q = 0; q < nq; q++)
      glp_set_obj_coef(C.lp, (int)queue[q] + 1, 1.0);
    double sum;
    bool ok = solve(&C, -1, &sum);
    for (size_t q = 0; q < nq; q++)
      glp_set_obj_coef(C.lp, (int)queue[q] + 1, 0.0);
    if (!ok)
      break;
    size_t kept = 0;
    for (size_t q = 0; q < nq; q++)
      if (glp_get_col_prim(C.lp, (int)queue[q] + 1) > EPS)
        queue[kept++] = queue[q];
    if (kept == nq)
      break;
    nq = kept;
  }
  g->check_targets = nq;
  phase = 1;
  if (getenv("CK_DEBUG_CHECK")) {
    size_t *uf = ck_xmalloc(g->n * sizeof *uf);
    for (size_t i = 0; i < g->n; i++) uf[i] = i;
    for (size_t k = 0; k < g->ncon; k++) {
      const struct ck_gcon *q = &g->con[k];
      size_t a = CK_NO_CELL;
      for (size_t j = 0; j <= q->n; j++) {
        size_t cell = j == q->n ? q->total : g->parts[q->first + j];
        if (fixed(g, cell)) continue;
        while (uf[cell] != cell) cell = uf[cell] = uf[uf[cell]];
        if (a == CK_NO_CELL) a = cell; else if (a != cell) uf[cell] = a;
      }
    }
    size_t *sz = ck_xcalloc(g->n, sizeof *sz);
    for (size_t i = 0; i < g->n; i++) { size_t r = i; while (uf[r] != r) r = uf[r]; if (!fixed(g, i)) sz[r]++; }
    for (size_t q = 0; q < nq; q++) { size_t r = queue[q]; while (uf[r] != r) r = uf[r]; fprintf(stderr, "%zu ", sz[r]); }
    fprintf(stderr, "\n");
    size_t byo[40] = {0}, fre[40] = {0}, kn[40] = {0};
    for (size_t i = 0; i < g->n; i++) { int o = g->c[i].o >= 16 ? 16 : g->c[i].o; if (g->c[i].k == CK_GRID_EXTRA) o = 30; byo[o]++; if (!fixed(g,i)) fre[o]++; if (!fixed(g,i) && g->c[i].known) kn[o]++; }
    for (int o = 0; o < 40; o++) if (byo[o]) fprintf(stderr, "o%d: %zu cells, %zu free, %zu free but known\n", o, byo[o], fre[o], kn[o]);
    free(uf); free(sz);
  }
  for (size_t q = 0; q < nq && !C.failed; q++)
    if (!repair(&C, queue[q], queue, &nq))
      break;
  if (C.failed) {
    /* fail closed: publish nothing of the grid */
    g->check_failed = true;
    for (size_t i = 0; i < g->n; i++)
      g->c[i].pub = false;
  }
  if (getenv("CK_DEBUG_CHECK"))
    for (int p = 0; p < 4; p++) fprintf(stderr, "phase %d: %zu lps %.2fs %zu iterations\n", p, nph[p], tsolve[p], itph[p]);
  if (getenv("CK_DEBUG_CHECK"))
    fprintf(stderr, "check: n %zu ncon %zu sets %zu targets %zu lps %zu narrowed %zu retracted %zu failed %d\n",
            g->n, g->ncon, g->npset, g->check_targets, g->check_lps, g->check_narrowed, g->check_retracted, g->check_failed);
  free(queue);
  free(C.gone);
  glp_delete_prob(C.lp);
}
