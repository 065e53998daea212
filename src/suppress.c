/*
 * suppress.c - the one place where counts and statistics are withheld
 * SPDX-License-Identifier: MIT
 *
 * Rules (docs/privacy.md has the reasoning and the sources):
 *  1. primary, by policy.  strict: a count of 1..min-1 students is
 *     withheld, and so is an outcome count that says none or all of a
 *     non-empty group had the outcome.  nces: a group of 1..min-1 is
 *     withheld; an outcome count of a group of at least min_cell is shown
 *     unless its share of the group falls in the group-size band's
 *     top/bottom coding range (0% and 100% always do), where the rate is
 *     shown as its bound and the count (and its complement) withheld.
 *     Both: a score-change block with a small category withheld withholds
 *     its empty categories too, so that "withheld" there says 0..min-1
 *     and a reader cannot count one student per withheld category;
 *  2. complementary: an attacker knows every shown count, every relation
 *     the report's tables imply, and every coded range.  Every withheld
 *     count must keep at least min_cell feasible values (a coded count: its
 *     whole coded range), computed exactly by linear programming.  When it
 *     does not, shown counts are withheld one at a time, each the first in
 *     a fixed priority order (detail before headline, then smaller before
 *     larger, then model order) whose release widens the range.  Ranges are
 *     unique, so the withheld set depends on the data and the priority
 *     only, never on the solver's pivot path;
 *  3. derived: a rate, mean, median, interval, test or line is shown only
 *     when the counts it is computed from are shown (a coded rate only as
 *     its bound); a comparison only when both rates are shown as values,
 *     or as the range of differences a coded rate's bound allows;
 *     the trend only when every year's counts are;
 *  2b. known and unprinted counts: an earlier release's published counts
 *     (or a consortium member's own) enter as locked constants, the counts
 *     of students one population has and the other does not as unprinted
 *     counts (known.c).  An unprinted count is safe while its range holds
 *     0, starts at min_cell, or spans min_cell values; each window a
 *     withheld count needs is placed inside what withholding every count
 *     of this run leaves of it.  An earlier release's withheld count (a
 *     prior count) keeps min_cell values, its coded range if that release
 *     printed it, or what the releases left it with this run's counts
 *     withheld and uncoded: this run's coded ranges and the outcome counts
 *     nces shows do not excuse narrowing it, and a coding of this run that
 *     narrows it (or narrows one of this run's counts only together with
 *     what the reader knows from elsewhere) is given up (uncode_for);
 *  4. fail closed: when a range cannot be computed or a count cannot be
 *     protected, every count and statistic is withheld and ck_suppress
 *     returns CK_EINTERNAL.
 */
#include "ckcohort/report.h"
#include "util.h"
#include "report_model.h"
#include "stats.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

/* Default bands, for models built without a config (tests, hand-made). */
static const struct ck_coding_band default_bands[] = {
    {300, 0.01}, {100, 0.02}, {40, 0.05}, {11, 0.10}};

#define NONE ((size_t)-1)
#define EPS  1e-6

/* A linear program of one component: its columns (sorted cells), rows
 * (sorted relations), right-hand sides and bounds say which one. */
struct lp_slot {
  glp_prob *lp; /* NULL when empty */
  int obj;      /* the column whose objective coefficient is 1, or 0 */
  size_t ncol, nrow;
  size_t *cells, *rows;
  double *rhs, *lo, *hi;
  double *seen_lo, *seen_hi; /* per column: values it took in a solution */
  unsigned long used;
};

/* A count's range needs its own component and, when it is not safe, the
 * component of everything that may be withheld (bound_of, twice): a few
 * kept programs let a pass over many counts reuse each of them. */
#define LP_SLOTS 4

struct eng {
  struct ck_report *r;
  bool has_locked; /* a count the reader knows from elsewhere */
  size_t n;
  size_t *cstart, *clist; /* constraints of each cell (CSR) */
  size_t *denom;          /* group an outcome count splits, or NONE */
  long *zlo, *zhi;        /* coded range (nces), zlo > zhi when none */
  signed char *dir;       /* -1 coded "<=", +1 coded ">=", 0 not coded */
  double *pct;            /* band percentage of a coded count */
  size_t extra;           /* a shown count treated as withheld, or NONE */
  bool unlock;            /* treat locked counts as unknown too */
  bool uncode;            /* this run's coded ranges unknown (bound_of) */
  bool printed_only;      /* only the coded ranges a rate prints (a prior
                             count's check) */
  bool quick;             /* range_of may stop at a safe part of the range */
  unsigned char *done;    /* counts protected (mark_complements) */
  /* scratch for one linear program */
  unsigned char *seen, *kseen;
  unsigned char *det; /* fixed by a relation of known counts (range_of) */
  unsigned char *queued;
  size_t *dlist, *queue;
  size_t *comp, *rows, *col;
  size_t *pos;  /* relation(): a count's place in its list + 1, else 0 */
  double *krhs; /* a relation's right-hand side as fix_determined saw it */
  size_t ncomp, nrows;
  int *ia, *ja;
  double *ar;
  size_t cap_nz;
  bool failed;
  /* the last ranges' linear programs, kept for the next count of the
   * same component (lp_load); slot[LP_SLOTS] is scratch */
  struct lp_slot slot[LP_SLOTS + 1];
  unsigned long tick;
  /* The last range_of's program, when it held exactly p's component and
   * fixed no count, for the next count of that component (memo_take);
   * armed only while nothing has changed since (protect_count). */
  struct lp_slot *memo;
  bool memo_printed_only, memo_armed;
};

static bool is_free(const struct eng *E, size_t i) {
  const struct ck_cell *c = &E->r->cells[i];
  if (E->det[i])
    return false;
  if (c->locked)
    return E->unlock;
  return c->internal || c->unprinted || c->shown != CK_SHOWN || i == E->extra;
}

/* Whether count i's coded range is taken as published.  A prior count
 * (an earlier release's): only when that release printed its group, and
 * so the bound; otherwise the range was never printed, and counting it as
 * known would let this run narrow the count to it.  This run's coded
 * counts: yes (unless E->uncode asks what is left without them), the
 * reader being assumed to know more than is printed when this run's counts
 * are checked; but a prior count is held to what it keeps, so its check
 * (E->printed_only) takes a coded range as known only while the group's
 * size is shown, as a rate prints its bound only then (bound_of's
 * marker, CK_HIDDEN_DERIVED, is a shown count). */
static bool coded(const struct eng *E, size_t i) {
  const struct ck_cell *c = &E->r->cells[i];
  if (E->dir[i] == 0)
    return false;
  size_t t = E->denom[i];
  if (c->prior)
    return t != NONE && E->r->cells[t].locked && !E->unlock;
  if (E->uncode)
    return false;
  if (!E->printed_only)
    return true;
  const struct ck_cell *g = t == NONE ? NULL : &E->r->cells[t];
  return g != NULL && !g->internal && !g->unprinted &&
         (g->locked || g->shown == CK_SHOWN || g->shown == CK_HIDDEN_DERIVED);
}

/* What an attacker knows of a withheld count before any relation: at
 * least 0 (an outcome, a slack, a category of an open score-change block)
 * or 1 (a group: empty groups are shown);
 * a coded count lies in its coded range. */
static void printed_range(const struct eng *E, size_t i, double *lo,
                          double *hi) {
  const struct ck_cell *c = &E->r->cells[i];
  if (!c->internal && i != E->extra && coded(E, i)) {
    *lo = (double)E->zlo[i];
    *hi = (double)E->zhi[i];
    return;
  }
  /* a locked count taken as unknown (the caps) may be an empty group, and
   * so may the new students of a group */
  *lo =
      c->internal || c->outcome || c->locked || c->unprinted || c->may_be_empty
          ? 0.0
          : 1.0;
  *hi = HUGE_VAL;
}

static double band_pct(const struct ck_report *r, long n) {
  const struct ck_coding_band *b = r->n_bands ? r->bands : default_bands;
  size_t nb =
      r->n_bands ? r->n_bands : sizeof default_bands / sizeof default_bands[0];
  for (size_t i = 0; i < nb; i++)
    if (n >= (long)b[i].min_n)
      return b[i].pct;
  return b[nb - 1].pct; /* below every band (a min_cell under 11) */
}

static void eng_init(struct eng *E, struct ck_report *r) {
  memset(E, 0, sizeof *E);
  E->r = r;
  E->n = r->n_cells;
  E->extra = NONE;
  for (size_t i = 0; i < r->n_cells && !E->has_locked; i++)
    E->has_locked = r->cells[i].locked;
  size_t n = E->n ? E->n : 1;
  E->cstart = ck_xcalloc(n + 1, sizeof *E->cstart);
  size_t total_refs = 0;
  for (size_t k = 0; k < r->n_constraints; k++) {
    const struct ck_constraint *q = &r->constraints[k];
    E->cstart[q->total + 1]++;
    for (size_t j = 0; j < q->n_parts; j++)
      E->cstart[r->parts[q->first + j] + 1]++;
    total_refs += q->n_parts + 1;
  }
  for (size_t i = 0; i < E->n; i++)
    E->cstart[i + 1] += E->cstart[i];
  E->clist = ck_xcalloc(total_refs ? total_refs : 1, sizeof *E->clist);
  size_t *fill = ck_xcalloc(n, sizeof *fill);
  for (size_t k = 0; k < r->n_constraints; k++) {
    const struct ck_constraint *q = &r->constraints[k];
    for (size_t j = 0; j <= q->n_parts; j++) {
      size_t c = j < q->n_parts ? r->parts[q->first + j] : q->total;
      /* a cell twice in one constraint is listed once */
      size_t a = E->cstart[c], b = a + fill[c];
      bool dup = b > a && E->clist[b - 1] == k;
      if (!dup)
        E->clist[a + fill[c]++] = k;
    }
  }
  /* shrink each cell's list end to what was filled */
  for (size_t i = 0; i < E->n; i++)
    for (size_t j = E->cstart[i] + fill[i]; j < E->cstart[i + 1]; j++)
      E->clist[j] = NONE;
  free(fill);

  /* The group an outcome count splits: the total of the first relation it
   * is a part of that is not "part <= whole" (those have an unprinted
   * slack).  analyse states each group's own split first (n = matched +
   * unmatched, a column's matched = its rows), so this is the group whose
   * rate the count is the numerator (or complement) of. */
  E->denom = ck_xmalloc(n * sizeof *E->denom);
  for (size_t i = 0; i < n; i++)
    E->denom[i] = NONE;
  for (size_t k = 0; k < r->n_constraints; k++) {
    const struct ck_constraint *q = &r->constraints[k];
    bool slack = r->cells[q->total].internal;
    for (size_t j = 0; j < q->n_parts && !slack; j++)
      slack = r->cells[r->parts[q->first + j]].internal;
    if (slack)
      continue;
    for (size_t j = 0; j < q->n_parts; j++) {
      size_t c = r->parts[q->first + j];
      if (E->denom[c] == NONE)
        E->denom[c] = q->total;
    }
  }
  E->zlo = ck_xcalloc(n, sizeof *E->zlo);
  E->zhi = ck_xcalloc(n, sizeof *E->zhi);
  E->dir = ck_xcalloc(n, sizeof *E->dir);
  E->pct = ck_xcalloc(n, sizeof *E->pct);
  E->seen = ck_xcalloc(n, 1);
  E->det = ck_xcalloc(n, 1);
  E->dlist = ck_xcalloc(n, sizeof *E->dlist);
  E->kseen = ck_xcalloc(r->n_constraints ? r->n_constraints : 1, 1);
  E->queued = ck_xcalloc(r->n_constraints ? r->n_constraints : 1, 1);
  E->queue =
      ck_xcalloc(r->n_constraints ? r->n_constraints : 1, sizeof *E->queue);
  E->comp = ck_xcalloc(n, sizeof *E->comp);
  E->col = ck_xcalloc(n, sizeof *E->col);
  E->pos = ck_xcalloc(n, sizeof *E->pos);
  E->krhs =
      ck_xcalloc(r->n_constraints ? r->n_constraints : 1, sizeof *E->krhs);
  size_t nk = r->n_constraints ? r->n_constraints : 1;
  for (size_t k = 0; k <= LP_SLOTS; k++) {
    struct lp_slot *L = &E->slot[k];
    L->cells = ck_xcalloc(n, sizeof *L->cells);
    L->lo = ck_xcalloc(n, sizeof *L->lo);
    L->hi = ck_xcalloc(n, sizeof *L->hi);
    L->rows = ck_xcalloc(nk, sizeof *L->rows);
    L->rhs = ck_xcalloc(nk, sizeof *L->rhs);
    L->seen_lo = ck_xcalloc(n, sizeof *L->seen_lo);
    L->seen_hi = ck_xcalloc(n, sizeof *L->seen_hi);
  }
  E->rows =
      ck_xcalloc(r->n_constraints ? r->n_constraints : 1, sizeof *E->rows);
}

static void eng_free(struct eng *E) {
  free(E->cstart);
  free(E->clist);
  free(E->denom);
  free(E->zlo);
  free(E->zhi);
  free(E->dir);
  free(E->pct);
  free(E->seen);
  free(E->det);
  free(E->dlist);
  free(E->kseen);
  free(E->queued);
  free(E->queue);
  free(E->comp);
  free(E->col);
  free(E->pos);
  free(E->krhs);
  for (size_t k = 0; k <= LP_SLOTS; k++) {
    struct lp_slot *L = &E->slot[k];
    if (L->lp != NULL)
      glp_delete_prob(L->lp);
    free(L->cells);
    free(L->lo);
    free(L->hi);
    free(L->rows);
    free(L->rhs);
    free(L->seen_lo);
    free(L->seen_hi);
  }
  free(E->rows);
  free(E->ia);
  free(E->ja);
  free(E->ar);
}

/* nces: the coded range of outcome count i, when its share of its group
 * falls in the band's top or bottom range. */
static void code_cell(struct eng *E, size_t i) {
  const struct ck_report *r = E->r;
  const struct ck_cell *c = &r->cells[i];
  size_t t = E->denom[i];
  if (!c->outcome || c->internal || t == NONE)
    return;
  long n = r->cells[t].value, v = c->value;
  if (n < (long)r->min_cell)
    return;
  double p = band_pct(r, n);
  long k = (long)floor(p * (double)n + 1e-9);
  if (v <= k) {
    E->dir[i] = -1, E->zlo[i] = 0, E->zhi[i] = k;
  } else if (v >= n - k) {
    E->dir[i] = 1, E->zlo[i] = n - k, E->zhi[i] = n;
  } else {
    return;
  }
  E->pct[i] = p;
}

/* The cells of category c of a score-change block: its size and, for the
 * low-pass retakers' categories (groups of their own in a report's model;
 * not in one made by hand), every count of its group.  Returns how
 * many. */
static size_t category_cells(const struct ck_report *r, int block, int c,
                             size_t out[11]) {
  const struct ck_score_change *s =
      block == 0 ? &r->score_change : &r->score_change_all;
  size_t n = 0;
  out[n++] = s->categories[c];
  const struct ck_group_row *g = &r->groups[CK_G_LPR_LOWER + c];
  if (block == 0 && g->n == s->categories[c]) { /* the model's groups */
    size_t more[] = {g->matched,        g->unmatched,     g->with_target,
                     g->matched_target, g->missed_target, g->with_program,
                     g->academic,       g->not_academic,  g->no_program};
    for (size_t k = 0; k < sizeof more / sizeof more[0]; k++)
      out[n++] = more[k];
  }
  return n;
}

static bool valid_cell(const struct ck_report *r, size_t i) {
  return i < r->n_cells && !r->cells[i].internal;
}

/* A model without the score-change blocks (one made by hand, a test's)
 * leaves their cell indices 0: not categories. */
static const size_t *block_categories(const struct ck_report *r, int b) {
  const struct ck_score_change *s =
      b == 0 ? &r->score_change : &r->score_change_all;
  return s->id != NULL ? s->categories : NULL;
}

void ck_report_open_categories(struct ck_report *r) {
  for (int b = 0; b < 2; b++) {
    const size_t *cat = block_categories(r, b);
    if (cat == NULL)
      continue;
    bool zero_shown = false, small = false;
    for (int c = 0; c < CK_CHANGE_NCAT; c++) {
      if (!valid_cell(r, cat[c]))
        continue;
      const struct ck_cell *x = &r->cells[cat[c]];
      zero_shown |= x->shown == CK_SHOWN && x->value == 0;
      small |= x->shown != CK_SHOWN && x->value < (long)r->min_cell;
    }
    if (zero_shown || !small)
      continue;
    for (int c = 0; c < CK_CHANGE_NCAT; c++) {
      size_t f[11];
      size_t nf = category_cells(r, b, c, f);
      for (size_t k = 0; k < nf; k++)
        if (valid_cell(r, f[k]) && !r->cells[f[k]].outcome)
          r->cells[f[k]].may_be_empty = true;
    }
  }
}

/* A score-change block with a category withheld as small withholds its
 * empty categories (every count of their groups) too.  Otherwise a reader
 * counts at least one student in each withheld category: a retaker group
 * of 12 with four small categories left each of them at most 9 values,
 * and the engine withheld the retakers' size, then the low-pass headline
 * around it, to gain one value (generate --seed 11 --class-size 100). */
static void withhold_empty_categories(struct ck_report *r) {
  for (int b = 0; b < 2; b++) {
    const size_t *cat = block_categories(r, b);
    if (cat == NULL)
      continue;
    bool small = false;
    for (int c = 0; c < CK_CHANGE_NCAT; c++)
      small |=
          valid_cell(r, cat[c]) && r->cells[cat[c]].shown == CK_HIDDEN_SMALL;
    for (int c = 0; c < CK_CHANGE_NCAT && small; c++) {
      if (!valid_cell(r, cat[c]) || r->cells[cat[c]].value != 0 ||
          r->cells[cat[c]].locked || r->cells[cat[c]].unprinted)
        continue;
      size_t f[11];
      size_t nf = category_cells(r, b, c, f);
      for (size_t k = 0; k < nf; k++)
        if (valid_cell(r, f[k]) && r->cells[f[k]].shown == CK_SHOWN &&
            !r->cells[f[k]].locked && !r->cells[f[k]].unprinted)
          r->cells[f[k]].shown = CK_HIDDEN_SMALL;
    }
  }
  ck_report_open_categories(r);
}

/* Primary suppression under r->policy. */
static void mark_primary(struct eng *E) {
  struct ck_report *r = E->r;
  long min = (long)r->min_cell;
  bool nces = r->policy == CK_PRIVACY_NCES;
  /* Whether a matched member's program type was recorded is no outcome:
   * "every matched member has a program type" names nobody's Match, so
   * those two counts follow the size rule only (a report model; the
   * groups of other models are not filled in). */
  unsigned char *recorded = ck_xcalloc(E->n ? E->n : 1, 1);
  if (r->groups[CK_G_ALL].n != r->groups[CK_G_ALL].matched)
    for (size_t g = 0; g < CK_G_COUNT; g++) {
      if (r->groups[g].with_program < E->n)
        recorded[r->groups[g].with_program] = 1;
      if (r->groups[g].no_program < E->n)
        recorded[r->groups[g].no_program] = 1;
    }
  for (size_t i = 0; i < E->n; i++) {
    struct ck_cell *c = &r->cells[i];
    if (c->internal || c->locked || c->unprinted)
      continue;
    if (!c->outcome || recorded[i]) {
      if (c->value >= 1 && c->value < min)
        c->shown = CK_HIDDEN_SMALL;
      continue;
    }
    size_t t = E->denom[i];
    long n = t == NONE ? -1 : r->cells[t].value;
    /* a split of an empty subgroup (community and other of a group none
     * of whose matched members went to a non-academic program) tells the
     * subgroup is empty: its group is the first enclosing one with
     * members (the one retaker who matched went to an academic program);
     * not past a program type's being recorded, which is no outcome */
    for (size_t u = t; n == 0 && u != NONE && r->cells[u].outcome &&
                       !recorded[u] && E->denom[u] != NONE &&
                       E->denom[u] != u;) {
      u = E->denom[u];
      n = r->cells[u].value;
    }
    if (nces) {
      code_cell(E, i);
      if (E->dir[i] != 0 || (n >= 1 && n < min) ||
          (t == NONE && c->value >= 1 && c->value < min))
        c->shown = CK_HIDDEN_SMALL;
    } else if ((c->value >= 1 && c->value < min) ||
               (n > 0 && (c->value == 0 || c->value == n))) {
      /* none or all of a non-empty group names every member's outcome */
      c->shown = CK_HIDDEN_SMALL;
    }
  }
  free(recorded);
  withhold_empty_categories(r);
}

/* Room for nz matrix entries (1-based for GLPK). */
static void reserve_nz(struct eng *E, size_t nz) {
  if (nz + 1 <= E->cap_nz)
    return;
  size_t cap = E->cap_nz ? E->cap_nz : 64;
  while (cap < nz + 1)
    cap *= 2;
  E->ia = ck_xrealloc(E->ia, cap * sizeof *E->ia);
  E->ja = ck_xrealloc(E->ja, cap * sizeof *E->ja);
  E->ar = ck_xrealloc(E->ar, cap * sizeof *E->ar);
  E->cap_nz = cap;
}

/* The withheld counts joined to p through relations (p included), and the
 * relations that hold them. */
static void component(struct eng *E, size_t p) {
  const struct ck_report *r = E->r;
  E->ncomp = E->nrows = 0;
  E->comp[E->ncomp++] = p;
  E->seen[p] = 1;
  for (size_t h = 0; h < E->ncomp; h++) {
    size_t c = E->comp[h];
    for (size_t j = E->cstart[c]; j < E->cstart[c + 1]; j++) {
      size_t k = E->clist[j];
      if (k == NONE || E->kseen[k])
        continue;
      E->kseen[k] = 1;
      E->rows[E->nrows++] = k;
      const struct ck_constraint *q = &r->constraints[k];
      for (size_t m = 0; m <= q->n_parts; m++) {
        size_t x = m < q->n_parts ? r->parts[q->first + m] : q->total;
        if (!E->seen[x] && is_free(E, x)) {
          E->seen[x] = 1;
          E->comp[E->ncomp++] = x;
        }
      }
    }
  }
}

static void component_clear(struct eng *E) {
  for (size_t h = 0; h < E->ncomp; h++)
    E->seen[E->comp[h]] = 0;
  for (size_t h = 0; h < E->nrows; h++)
    E->kseen[E->rows[h]] = 0;
}

/* Coefficients of relation k over the free counts (total +1, parts -1,
 * summed when a count appears twice) and its right-hand side.  E->pos
 * finds a repeated count in constant time (a sum may have hundreds of
 * parts) and is all zero again on return. */
static double relation(const struct eng *E, size_t k, size_t *cells,
                       double *coef, size_t *m) {
  const struct ck_report *r = E->r;
  const struct ck_constraint *q = &r->constraints[k];
  double rhs = 0.0;
  *m = 0;
  for (size_t j = 0; j <= q->n_parts; j++) {
    size_t x = j < q->n_parts ? r->parts[q->first + j] : q->total;
    double a = j < q->n_parts ? -1.0 : 1.0;
    if (!is_free(E, x)) {
      rhs -= a * (double)r->cells[x].value;
      continue;
    }
    size_t t = E->pos[x];
    if (t == 0) {
      cells[*m] = x;
      coef[*m] = 0.0;
      t = E->pos[x] = ++*m;
    }
    coef[t - 1] += a;
  }
  for (size_t t = 0; t < *m; t++)
    E->pos[cells[t]] = 0;
  return rhs;
}

/* Withheld counts of the component that the known counts fix: a relation
 * left with one unknown count (nonzero coefficient) gives its value, which
 * may fix others in turn.  A reader who knows the shown and locked counts
 * knows these, and every feasible table has them at their true values, so
 * taking them as known leaves the range of every other count exactly as it
 * was; the linear program is then built over what is left joined to p
 * (the other pieces are feasible on their own: the true table is).  With a
 * member's own report in the model this is most of it: the difference of
 * every shown count and the member's is fixed.  Returns how many were
 * fixed (listed in E->dlist, flagged in E->det); *bad when the model
 * contradicts itself (a relation of known counts that does not hold, a
 * fixed value that is not the true one or outside what the reader knows of
 * it), where the linear program would have been infeasible. */
static size_t fix_determined(struct eng *E, size_t *cells, double *coef,
                             bool *bad) {
  size_t nq = 0, nd = 0;
  *bad = false;
  for (size_t h = 0; h < E->nrows; h++) {
    E->queue[nq++] = E->rows[h];
    E->queued[E->rows[h]] = 1;
  }
  while (nq > 0) {
    size_t k = E->queue[--nq];
    E->queued[k] = 0;
    size_t m, one = NONE, nfree = 0;
    double a = 0.0, rhs = E->krhs[k] = relation(E, k, cells, coef, &m);
    for (size_t t = 0; t < m && nfree < 2; t++)
      if (coef[t] != 0.0) {
        one = cells[t];
        a = coef[t];
        nfree++;
      }
    if (nfree == 0 && fabs(rhs) > EPS)
      *bad = true;
    if (nfree != 1)
      continue;
    double v = rhs / a, l, u;
    printed_range(E, one, &l, &u);
    if (fabs(v - (double)E->r->cells[one].value) > EPS || v < l - EPS ||
        v > u + EPS)
      *bad = true;
    E->det[one] = 1;
    E->dlist[nd++] = one;
    for (size_t j = E->cstart[one]; j < E->cstart[one + 1]; j++) {
      size_t q = E->clist[j];
      if (q != NONE && q != k && E->kseen[q] && !E->queued[q]) {
        E->queue[nq++] = q;
        E->queued[q] = 1;
      }
    }
  }
  return nd;
}

static int size_cmp(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

/* list[0..k) in increasing order into out, when flag[0..n) flags exactly
 * its members (component() keeps E->seen and E->kseen so).  A report with
 * unknown specialties has a component of thousands of counts that every
 * one of its withheld counts loads again: scanning the flags is then far
 * cheaper than sorting. */
static void sorted_members(const unsigned char *flag, size_t n,
                           const size_t *list, size_t k, size_t *out) {
  if (k < 64 || k * 16 < n) {
    memcpy(out, list, k * sizeof *out);
    qsort(out, k, sizeof *out, size_cmp);
    return;
  }
  size_t m = 0;
  for (size_t i = 0; i < n && m < k; i++)
    if (flag[i])
      out[m++] = i;
}

static void lp_drop(struct lp_slot *L) {
  if (L->lp != NULL)
    glp_delete_prob(L->lp);
  L->lp = NULL;
  L->obj = 0;
  L->ncol = L->nrow = 0;
}

static bool same_lp(const struct lp_slot *a, const struct lp_slot *b) {
  return a->lp != NULL && a->ncol == b->ncol && a->nrow == b->nrow &&
         memcmp(a->cells, b->cells, b->ncol * sizeof *b->cells) == 0 &&
         memcmp(a->rows, b->rows, b->nrow * sizeof *b->rows) == 0 &&
         memcmp(a->rhs, b->rhs, b->nrow * sizeof *b->rhs) == 0 &&
         memcmp(a->lo, b->lo, b->ncol * sizeof *b->lo) == 0 &&
         memcmp(a->hi, b->hi, b->ncol * sizeof *b->hi) == 0;
}

/* The true table solves every program: its values are the first ones
 * each column is seen at. */
static void seen_reset(const struct eng *E, struct lp_slot *L) {
  for (size_t h = 0; h < L->ncol; h++) {
    double v = (double)E->r->cells[L->cells[h]].value;
    bool in = v >= L->lo[h] - EPS && v <= L->hi[h] + EPS;
    L->seen_lo[h] = in ? v : HUGE_VAL;
    L->seen_hi[h] = in ? v : -HUGE_VAL;
  }
}

/* Record the values every column takes in L's current solution. */
static void seen_add(struct lp_slot *L) {
  for (size_t h = 0; h < L->ncol; h++) {
    double x = glp_get_col_prim(L->lp, (int)h + 1);
    if (x < L->seen_lo[h])
      L->seen_lo[h] = x;
    if (x > L->seen_hi[h])
      L->seen_hi[h] = x;
  }
}

static void set_col_bounds(glp_prob *lp, int j, double l, double u) {
  if (u >= HUGE_VAL)
    glp_set_col_bnds(lp, j, GLP_LO, l, 0.0);
  else if (l == u)
    glp_set_col_bnds(lp, j, GLP_FX, l, l);
  else
    glp_set_col_bnds(lp, j, GLP_DB, l, u);
}

/* Whether sorted list b is part of sorted list a. */
static bool sorted_within(const size_t *a, size_t na, const size_t *b,
                          size_t nb) {
  size_t i = 0;
  for (size_t j = 0; j < nb; j++) {
    while (i < na && a[i] < b[j])
      i++;
    if (i == na || a[i] != b[j])
      return false;
  }
  return true;
}

/* Whether kept program a can stand for b: b's columns and rows are among
 * a's, and a is not much larger. */
static bool holds_shape(const struct lp_slot *a, const struct lp_slot *b) {
  return a->lp != NULL && a->ncol <= b->ncol + b->ncol / 4 + 8 &&
         a->nrow <= b->nrow + b->nrow / 4 + 8 &&
         sorted_within(a->cells, a->ncol, b->cells, b->ncol) &&
         sorted_within(a->rows, a->nrow, b->rows, b->nrow);
}

/* Swap the scratch slot's signature arrays into L (they describe L now). */
static void take_signature(struct eng *E, struct lp_slot *L) {
  struct lp_slot *S = &E->slot[LP_SLOTS];
  struct lp_slot keep = *L;
  L->ncol = S->ncol, L->nrow = S->nrow;
  L->cells = S->cells, L->rows = S->rows, L->rhs = S->rhs;
  L->lo = S->lo, L->hi = S->hi;
  S->cells = keep.cells, S->rows = keep.rows, S->rhs = keep.rhs;
  S->lo = keep.lo, S->hi = keep.hi;
  L->used = E->tick;
}

/* The linear program of the current component (E->comp, E->rows): columns
 * the free counts in cell order, rows the relations in model order.  The
 * counts of one component share it, so when the columns, rows, right-hand
 * sides and bounds are those of a kept one, that one is used and the next
 * count's two solves start from its last basis (the coefficients follow
 * from which counts are free, which the columns fix).  When only the
 * right-hand sides or bounds differ (a coded range set aside, a count
 * withheld in bound_of's sense), the kept one takes the new ones and keeps
 * its basis; otherwise it is built afresh in the least recently used slot.
 * Sets E->col of every column.  With rhs_known the right-hand sides are
 * the ones fix_determined just found (it fixed no count, so they stand).
 * *exact: the program holds the component and nothing more. */
static struct lp_slot *lp_load(struct eng *E, size_t *cells, double *coef,
                               bool rhs_known, bool *exact) {
  const struct ck_report *r = E->r;
  struct lp_slot *S = &E->slot[LP_SLOTS];
  size_t nc = S->ncol = E->ncomp, nr = S->nrow = E->nrows;
  sorted_members(E->seen, E->n, E->comp, nc, S->cells);
  sorted_members(E->kseen, r->n_constraints, E->rows, nr, S->rows);
  for (size_t h = 0; h < nc; h++) {
    printed_range(E, S->cells[h], &S->lo[h], &S->hi[h]);
    E->col[S->cells[h]] = h + 1;
  }
  for (size_t h = 0; h < nr; h++) {
    size_t m;
    S->rhs[h] = rhs_known ? E->krhs[S->rows[h]]
                          : relation(E, S->rows[h], cells, coef, &m);
  }
  E->tick++;
  struct lp_slot *L = &E->slot[0], *shape = NULL;
  for (size_t k = 0; k < LP_SLOTS; k++) {
    if (same_lp(&E->slot[k], S)) {
      E->slot[k].used = E->tick;
      *exact = true;
      return &E->slot[k];
    }
    if (holds_shape(&E->slot[k], S) &&
        (shape == NULL || E->slot[k].ncol < shape->ncol))
      shape = &E->slot[k];
    if (E->slot[k].used < L->used)
      L = &E->slot[k];
  }
  if (shape != NULL) {
    /* The kept program's columns and rows hold the component's: a column
     * of a count now known is fixed at its value (the true one), the
     * others take their ranges.  Its rows' right-hand sides stand: each
     * count they hold as a constant is known now too (a free one in a row
     * of the component is one of its columns), at the same value.  What
     * its extra rows and columns add is joined to p only through fixed
     * columns, and the true table solves it: p's range is the same. */
    bool moved = false;
    for (size_t h = 0; h < shape->ncol; h++) {
      size_t c = shape->cells[h];
      double l, u;
      if (is_free(E, c)) {
        printed_range(E, c, &l, &u);
      } else {
        l = u = (double)r->cells[c].value;
      }
      E->col[c] = h + 1;
      if (shape->lo[h] != l || shape->hi[h] != u) {
        set_col_bounds(shape->lp, (int)h + 1, l, u);
        shape->lo[h] = l;
        shape->hi[h] = u;
        moved = true;
      }
    }
    shape->used = E->tick;
    if (moved)
      seen_reset(E, shape);
    *exact = false;
    return shape;
  }
  lp_drop(L);
  glp_prob *lp = glp_create_prob();
  glp_add_cols(lp, (int)nc);
  for (size_t h = 0; h < nc; h++)
    set_col_bounds(lp, (int)h + 1, S->lo[h], S->hi[h]);
  glp_add_rows(lp, (int)nr);
  size_t nz = 0;
  for (size_t h = 0; h < nr; h++)
    nz += r->constraints[S->rows[h]].n_parts + 1;
  reserve_nz(E, nz);
  size_t e = 0;
  for (size_t h = 0; h < nr; h++) {
    size_t m;
    relation(E, S->rows[h], cells, coef, &m);
    glp_set_row_bnds(lp, (int)h + 1, GLP_FX, S->rhs[h], S->rhs[h]);
    for (size_t t = 0; t < m; t++) {
      if (coef[t] == 0.0)
        continue;
      e++;
      E->ia[e] = (int)h + 1;
      E->ja[e] = (int)E->col[cells[t]];
      E->ar[e] = coef[t];
    }
  }
  glp_load_matrix(lp, (int)e, E->ia, E->ja, E->ar);
  /* A crash basis, as the grid's check starts from: the all-slack basis
   * needs a long phase 1 on these equality rows.  The ranges are the same
   * optima; scripts/bench_suppress.sh ran in 0.72-0.80 of the CPU time
   * (Bixby's glp_cpx_basis did less well on its cases) */
  glp_adv_basis(lp, 0);
  take_signature(E, L);
  L->lp = lp;
  L->obj = 0;
  seen_reset(E, L);
  *exact = true;
  return L;
}

/* The ways p's range [lo, hi] can be safe that hold for every range
 * containing it: all of its coded range (which the policy publishes);
 * for new students "none, or a few" (down to 0); min_cell values.  So
 * values solutions took (seen_lo .. seen_hi, inside the range) that pass
 * make the range safe.  An empty [HUGE_VAL, -HUGE_VAL] passes none.
 * safe() adds the two that need the exact range. */
static bool seen_safe(const struct eng *E, size_t p, double lo, double hi) {
  double min = (double)E->r->min_cell;
  if (coded(E, p) && lo <= (double)E->zlo[p] + EPS &&
      hi >= (double)E->zhi[p] - EPS)
    return true;
  if (E->r->cells[p].unprinted && lo <= EPS)
    return true;
  return floor(hi + EPS) - ceil(lo - EPS) + 1.0 >= min;
}

/* p's range from L, the program of its component (two solves at most;
 * with E->quick, none when earlier solutions already took p to values
 * that make it safe).  False when the solver fails (L is dropped). */
static bool lp_range(struct eng *E, struct lp_slot *L, size_t p, double *lo,
                     double *hi) {
  glp_prob *lp = L->lp;
  size_t h = E->col[p] - 1;
  bool ok = true;
  if (E->quick && seen_safe(E, p, L->seen_lo[h], L->seen_hi[h])) {
    /* with E->quick the caller asks only whether p is safe */
    *lo = L->seen_lo[h];
    *hi = L->seen_hi[h];
    return true;
  }
  if (L->obj != 0)
    glp_set_obj_coef(lp, L->obj, 0.0);
  L->obj = (int)E->col[p];
  glp_set_obj_coef(lp, L->obj, 1.0);
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  for (int d = 0; d < 2 && ok; d++) {
    glp_set_obj_dir(lp, d == 0 ? GLP_MAX : GLP_MIN);
    int rc = glp_simplex(lp, &parm);
    if (rc != 0) {
      glp_std_basis(lp); /* the kept basis may not suit; start afresh */
      rc = glp_simplex(lp, &parm);
    }
    int st = rc == 0 ? glp_get_status(lp) : GLP_UNDEF;
    if (st == GLP_OPT) {
      double v = glp_get_obj_val(lp);
      seen_add(L);
      if (d == 0)
        *hi = v;
      else
        *lo = v;
    } else if (st == GLP_UNBND && d == 0) {
      *hi = HUGE_VAL;
    } else {
      ok = false; /* the true table is feasible: anything else is a failure */
    }
    if (ok && d == 0 && E->quick &&
        (*hi >= HUGE_VAL || seen_safe(E, p, L->seen_lo[h], *hi))) {
      if (L->seen_lo[h] < HUGE_VAL) /* its top, and a value seen */
        *lo = L->seen_lo[h];
      break;
    }
  }
  if (!ok)
    lp_drop(L);
  return ok;
}

/* The program the last range_of left in E->memo, when p is one of its
 * columns and nothing has changed since: protect_count arms it only when
 * it returns at once, having found its count safe without changing
 * anything, so the component, its fixed counts, bounds and right-hand
 * sides are the ones that load found (p's own component: a free count
 * among its columns).  Every call disarms it; a report with unknown
 * specialties checks 50 counts of one component of 2,268 in a row. */
static struct lp_slot *memo_take(struct eng *E, size_t p) {
  struct lp_slot *L = E->memo;
  bool armed = E->memo_armed;
  E->memo_armed = false;
  E->memo = NULL;
  if (!armed || L == NULL || L->lp == NULL || !E->quick || E->unlock ||
      E->uncode || E->extra != NONE ||
      E->printed_only != E->memo_printed_only || !is_free(E, p))
    return NULL;
  size_t h = E->col[p];
  if (h == 0 || h > L->ncol || L->cells[h - 1] != p)
    return NULL;
  return L;
}

/* Exact range of withheld count p given everything shown.  One relation:
 * interval arithmetic is exact; more: two linear programs.  False when the
 * solver fails. */
static bool range_of(struct eng *E, size_t p, double *lo, double *hi) {
  const struct ck_report *r = E->r;
  struct lp_slot *hit = memo_take(E, p);
  if (hit != NULL) {
    printed_range(E, p, lo, hi);
    hit->used = ++E->tick;
    bool ok = lp_range(E, hit, p, lo, hi);
    if (ok)
      E->memo = hit;
    return ok && *lo <= *hi + EPS;
  }
  if (!is_free(E, p)) {
    *lo = *hi = (double)r->cells[p].value;
    return true;
  }
  printed_range(E, p, lo, hi);
  component(E, p);
  bool ok = true;
  size_t maxparts = 1;
  for (size_t h = 0; h < E->nrows; h++) {
    size_t np = r->constraints[E->rows[h]].n_parts + 1;
    if (np > maxparts)
      maxparts = np;
  }
  size_t *cells = ck_xmalloc(maxparts * sizeof *cells);
  double *coef = ck_xmalloc(maxparts * sizeof *coef);
  bool bad;
  size_t ndet = fix_determined(E, cells, coef, &bad);
  if (bad) {
    ok = false;
    component_clear(E);
    E->ncomp = E->nrows = 0;
  } else if (ndet > 0) {
    component_clear(E);
    if (E->det[p]) {
      *lo = *hi = (double)r->cells[p].value;
      E->ncomp = E->nrows = 0;
    } else {
      component(E, p);
    }
  }
  if (E->nrows == 1) {
    size_t m;
    double rhs = relation(E, E->rows[0], cells, coef, &m);
    double ap = 0.0, smin = 0.0, smax = 0.0;
    for (size_t t = 0; t < m; t++) {
      if (cells[t] == p) {
        ap = coef[t];
        continue;
      }
      double l, u;
      printed_range(E, cells[t], &l, &u);
      double a = coef[t];
      if (a == 0.0)
        continue;
      double v1 = a * l,
             v2 = u >= HUGE_VAL ? (a > 0 ? HUGE_VAL : -HUGE_VAL) : a * u;
      smin += v1 < v2 ? v1 : v2;
      smax += v1 < v2 ? v2 : v1;
    }
    if (ap != 0.0) {
      double a = (rhs - smax) / ap, b = (rhs - smin) / ap;
      if (a > b) {
        double t = a;
        a = b;
        b = t;
      }
      if (a > *lo)
        *lo = a;
      if (b < *hi)
        *hi = b;
    }
  } else if (E->nrows > 1) {
    bool exact;
    struct lp_slot *L = lp_load(E, cells, coef, ndet == 0, &exact);
    ok = lp_range(E, L, p, lo, hi);
    if (ok && ndet == 0 && exact && !E->unlock && !E->uncode &&
        E->extra == NONE) {
      E->memo = L;
      E->memo_printed_only = E->printed_only;
    }
  }
  free(cells);
  free(coef);
  component_clear(E);
  for (size_t h = 0; h < ndet; h++)
    E->det[E->dlist[h]] = 0;
  return ok && *lo <= *hi + EPS;
}

static bool safe(const struct eng *E, size_t p, double lo, double hi) {
  double min = (double)E->r->min_cell;
  if (hi >= HUGE_VAL)
    return true;
  /* new students: "none, or a few" and "at least min_cell" single out
   * nobody; only "some, and fewer than min_cell" does */
  if (E->r->cells[p].unprinted && lo >= min - EPS)
    return true;
  return seen_safe(E, p, lo, hi);
}

/* A shown count that may become a complement: never a locked one nor an
 * empty group (its 0 keeps "a withheld group has a member" true). */
static bool eligible(const struct eng *E, size_t i) {
  const struct ck_cell *c = &E->r->cells[i];
  return c->shown == CK_SHOWN && !c->internal && !c->locked &&
         (c->outcome || c->value >= (long)E->r->min_cell);
}

/* Priority order: lower priority first, then smaller value, then model
 * order (a total order, so the sort result is unique). */
static bool before(const struct ck_report *r, size_t i, size_t j) {
  const struct ck_cell *x = &r->cells[i], *y = &r->cells[j];
  if (x->priority != y->priority)
    return x->priority < y->priority;
  if (x->value != y->value)
    return x->value < y->value;
  return i < j;
}

/* Sort cell indices in priority order (merge sort: no global state). */
static void sort_cells(const struct ck_report *r, size_t *a, size_t n) {
  if (n < 2)
    return;
  size_t *tmp = ck_xmalloc(n * sizeof *tmp);
  for (size_t w = 1; w < n; w *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * w) {
      size_t mid = lo + w < n ? lo + w : n,
             hi = lo + 2 * w < n ? lo + 2 * w : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi)
        tmp[k++] = before(r, a[j], a[i]) ? a[j++] : a[i++];
      while (i < mid)
        tmp[k++] = a[i++];
      while (j < hi)
        tmp[k++] = a[j++];
    }
    memcpy(a, tmp, n * sizeof *a);
  }
  free(tmp);
}

/*
 * Which shown counts to withhold: the perturbation method of cell
 * suppression.  One linear program over the whole model (columns 2i, 2i+1:
 * the upward and downward change of count i; each relation a row), re-solved
 * with new bounds: the cheapest change of shown counts that lets withheld
 * count p reach a target value.  The costs give the priority: a headline
 * count costs more than any set of detail counts, and within a level
 * smaller counts cost less, with a distinct small step per count (its rank
 * in the priority order) so that the cheapest change is unique and no
 * solver's pivot path can choose between equals.  What it withholds is then
 * pruned by exact ranges, highest priority first.
 */
struct col_state {
  int type; /* 0 until first set */
  double lb, ub, cost;
};

struct plp {
  glp_prob *prob;
  glp_smcp parm;
  struct col_state *col; /* 1-based */
  double *cost;          /* per cell */
};

static void plp_set_col(struct plp *L, int col, double lo, double hi,
                        double cost) {
  int type;
  double lb = lo, ub = hi;
  if (hi >= HUGE_VAL)
    type = GLP_LO, ub = 0.0;
  else if (lo == hi)
    type = GLP_FX;
  else
    type = GLP_DB;
  struct col_state *s = &L->col[col];
  if (s->type != type || s->lb != lb || s->ub != ub) {
    glp_set_col_bnds(L->prob, col, type, lb, ub);
    s->type = type;
    s->lb = lb;
    s->ub = ub;
  }
  if (s->cost != cost) {
    glp_set_obj_coef(L->prob, col, cost);
    s->cost = cost;
  }
}

static void plp_init(struct plp *L, const struct eng *E) {
  const struct ck_report *r = E->r;
  L->prob = glp_create_prob();
  glp_set_obj_dir(L->prob, GLP_MIN);
  int ncol = (int)(2 * E->n);
  glp_add_cols(L->prob, ncol > 0 ? ncol : 1);
  L->col = ck_xcalloc((size_t)(ncol > 0 ? ncol : 1) + 1, sizeof *L->col);
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
      e++;
      ia[e] = row;
      ja[e] = (int)(2 * c) + 1;
      ar[e] = sign;
      e++;
      ia[e] = row;
      ja[e] = (int)(2 * c) + 2;
      ar[e] = -sign;
    }
  }
  if (e > 0)
    glp_load_matrix(L->prob, (int)e, ia, ja, ar);
  free(ia);
  free(ja);
  free(ar);
  glp_init_smcp(&L->parm);
  L->parm.msg_lev = GLP_MSG_OFF;
  /* costs: rank in the priority order gives each count its own step */
  size_t n = E->n ? E->n : 1;
  size_t *order = ck_xmalloc(n * sizeof *order);
  for (size_t i = 0; i < E->n; i++)
    order[i] = i;
  sort_cells(r, order, E->n);
  L->cost = ck_xmalloc(n * sizeof *L->cost);
  for (size_t k = 0; k < E->n; k++) {
    const struct ck_cell *c = &r->cells[order[k]];
    double level = c->priority >= CK_PRIORITY_HEADLINE
                       ? 1e4 * (double)(c->priority - CK_PRIORITY_HEADLINE + 1)
                       : (double)c->priority;
    L->cost[order[k]] = level *
                        (1.0 + log1p((double)(c->value > 0 ? c->value : 0))) *
                        (1.0 + 1e-3 * (double)k / (double)n);
  }
  free(order);
}

static void plp_free(struct plp *L) {
  glp_delete_prob(L->prob);
  free(L->col);
  free(L->cost);
}

/* Cheapest change of shown counts that lets p take the value `target`;
 * withholds those counts (recording them in added).  1 done, 0 no change
 * of shown counts can, -1 the solver failed. */
static int reach(struct eng *E, struct plp *L, size_t p, double target,
                 size_t *added, size_t *na) {
  struct ck_report *r = E->r;
  for (size_t i = 0; i < E->n; i++) {
    const struct ck_cell *c = &r->cells[i];
    double v = (double)c->value, lo, hi, cost = 0.0;
    int up = (int)(2 * i) + 1, down = up + 1;
    if (i == p) {
      double d = target - v;
      plp_set_col(L, up, d > 0 ? d : 0.0, d > 0 ? d : 0.0, 0.0);
      plp_set_col(L, down, d < 0 ? -d : 0.0, d < 0 ? -d : 0.0, 0.0);
      continue;
    }
    if (c->shown == CK_SHOWN && !c->internal) {
      if (!eligible(E, i)) {
        plp_set_col(L, up, 0.0, 0.0, 0.0);
        plp_set_col(L, down, 0.0, 0.0, 0.0);
        continue;
      }
      lo = c->outcome ? 0.0 : 1.0;
      hi = HUGE_VAL;
      cost = L->cost[i];
    } else if (c->locked) {
      plp_set_col(L, up, 0.0, 0.0, 0.0);
      plp_set_col(L, down, 0.0, 0.0, 0.0);
      continue;
    } else {
      printed_range(E, i, &lo, &hi);
    }
    plp_set_col(L, up, 0.0, hi >= HUGE_VAL ? HUGE_VAL : hi - v, cost);
    plp_set_col(L, down, 0.0, v - lo, cost);
  }
  int rc = glp_simplex(L->prob, &L->parm);
  if (rc != 0) {
    glp_adv_basis(L->prob, 0); /* a bad basis after many bound changes */
    rc = glp_simplex(L->prob, &L->parm);
  }
  if (rc != 0)
    return -1;
  int st = glp_get_status(L->prob);
  if (st == GLP_NOFEAS)
    return 0;
  if (st != GLP_OPT)
    return -1;
  for (size_t i = 0; i < E->n; i++) {
    if (i == p || !eligible(E, i))
      continue;
    double y = glp_get_col_prim(L->prob, (int)(2 * i) + 1) -
               glp_get_col_prim(L->prob, (int)(2 * i) + 2);
    if (fabs(y) > 1e-7) {
      r->cells[i].shown = CK_HIDDEN_COMPLEMENT;
      added[(*na)++] = i;
    }
  }
  return 1;
}

/* What bounds p however much else were withheld: every count that may be
 * withheld is unknown (with only_groups, only the group sizes: the shown
 * outcome counts stay known), as are locked ones; what is left is the
 * coded ranges the policy publishes and the empty groups. */
static bool bound_of(struct eng *E, size_t p, bool only_groups, bool unlock,
                     double *lo, double *hi) {
  struct ck_report *r = E->r;
  for (size_t i = 0; i < E->n; i++)
    if (eligible(E, i) && !(only_groups && r->cells[i].outcome))
      r->cells[i].shown = CK_HIDDEN_DERIVED; /* marker, undone below */
  E->unlock = unlock;
  bool ok = range_of(E, p, lo, hi);
  E->unlock = false;
  for (size_t i = 0; i < E->n; i++)
    if (r->cells[i].shown == CK_HIDDEN_DERIVED)
      r->cells[i].shown = CK_SHOWN;
  return ok;
}

static bool cap_of(struct eng *E, size_t p, bool only_groups, double *lo,
                   double *hi) {
  return bound_of(E, p, only_groups, true, lo, hi);
}

/* The window withheld count p needs, inside [klo, khi] (what withholding
 * every count that may be withheld leaves of p): its coded range, or
 * min_cell values from as low as the floor allows (a withheld count most
 * likely has small values), or for new students down to 0. */
static void window_of(const struct eng *E, size_t p, double lo, double hi,
                      double klo, double khi, double *wlo, double *whi) {
  const struct ck_cell *c = &E->r->cells[p];
  double min = (double)E->r->min_cell;
  if (coded(E, p)) {
    *wlo = (double)E->zlo[p] > klo ? (double)E->zlo[p] : klo;
    *whi = (double)E->zhi[p] < khi ? (double)E->zhi[p] : khi;
    return;
  }
  double l = ceil(lo - EPS), h = floor(hi + EPS);
  double floor_v = c->outcome || c->unprinted || c->may_be_empty ? 0.0 : 1.0;
  if (klo > floor_v)
    floor_v = ceil(klo - EPS);
  if (c->unprinted && floor_v <= 0.0) {
    *wlo = 0.0, *whi = h; /* "none, or a few" */
    return;
  }
  double need = min - (h - l + 1);
  double down = l - floor_v < need ? l - floor_v : need;
  *wlo = l - down;
  *whi = h + need - down;
  if (*whi > khi) {
    double excess = *whi - floor(khi + EPS);
    *whi = floor(khi + EPS);
    *wlo = *wlo - excess > floor_v ? *wlo - excess : floor_v;
  }
}

static bool covers(double lo, double hi, double wlo, double whi) {
  return lo <= wlo + EPS && hi >= whi - EPS;
}

/* Prior count p needs [wlo, whi], and this run's coded ranges alone keep
 * it narrower (a later release codes "at least 90% matched" of a group
 * whose earlier members' unmatched count the earlier release left 0..7):
 * this run gives up coding those counts (their rates are then withheld
 * with them, and each is protected again as a withheld count).  All of
 * this run's coded counts are set aside, then put back: first, as one,
 * those more than two relations away from p (p's own count in this run,
 * the rest of its group: they are what narrows it), then the others one
 * at a time, highest priority first (all of them so when the first step
 * fails), while p keeps its window; a count put back is coded as before.
 * False when the check cannot be finished or even that leaves p too
 * narrow. */
static bool uncode_for(struct eng *E, size_t p, double wlo, double whi) {
  struct ck_report *r = E->r;
  const struct ck_report *cr = r;
  size_t *cand = ck_xmalloc((E->n ? E->n : 1) * sizeof *cand);
  signed char *was = ck_xmalloc(E->n ? E->n : 1);
  unsigned char *near = ck_xcalloc(E->n ? E->n : 1, 1);
  size_t nc = 0;
  /* the counts within two relations of p */
  near[p] = 2;
  for (unsigned char hop = 2; hop > 0; hop--)
    for (size_t i = 0; i < E->n; i++) {
      if (near[i] != hop)
        continue;
      for (size_t j = E->cstart[i]; j < E->cstart[i + 1]; j++) {
        size_t k = E->clist[j];
        if (k == NONE)
          continue;
        const struct ck_constraint *q = &cr->constraints[k];
        for (size_t m = 0; m <= q->n_parts; m++) {
          size_t x = m < q->n_parts ? cr->parts[q->first + m] : q->total;
          if (near[x] == 0)
            near[x] = (unsigned char)(hop - 1 ? hop - 1 : 3);
        }
      }
    }
  for (size_t i = 0; i < E->n; i++) {
    was[i] = E->dir[i];
    if (E->dir[i] != 0 && !r->cells[i].prior && !r->cells[i].internal &&
        !r->cells[i].locked && !r->cells[i].unprinted) {
      cand[nc++] = i;
      E->dir[i] = 0;
    }
  }
  double a, b;
  bool ok = bound_of(E, p, false, false, &a, &b) && covers(a, b, wlo, whi);
  sort_cells(r, cand, nc);
  bool far_back = false;
  if (ok) {
    for (size_t h = 0; h < nc; h++)
      if (near[cand[h]] == 0)
        E->dir[cand[h]] = was[cand[h]];
    ok = bound_of(E, p, false, false, &a, &b);
    far_back = ok && covers(a, b, wlo, whi);
    if (!far_back)
      for (size_t h = 0; h < nc; h++)
        E->dir[cand[h]] = 0;
  }
  for (size_t h = nc; h-- > 0 && ok;) {
    size_t c = cand[h];
    if (far_back && near[c] == 0)
      continue;
    E->dir[c] = was[c];
    ok = bound_of(E, p, false, false, &a, &b);
    if (ok && !covers(a, b, wlo, whi))
      E->dir[c] = 0;
  }
  free(near);
  for (size_t h = 0; h < nc && ok; h++)
    if (E->dir[cand[h]] == 0) {
      E->pct[cand[h]] = 0.0;
      E->done[cand[h]] = 0; /* a withheld count now, protected as one */
    }
  if (!ok)
    for (size_t h = 0; h < nc; h++)
      E->dir[cand[h]] = was[cand[h]];
  free(cand);
  free(was);
  return ok;
}

/* Make withheld count p safe: reach the ends of the window it needs, then
 * show again each count withheld here, highest priority first, that p does
 * not need after all (decided by exact ranges).  False when p cannot be
 * protected or checked.
 *
 * Three kinds of count meet here: this run's (shown, or withheld: the
 * engine's choice), counts the reader already knows (locked: an earlier
 * release, a consortium member's own data; fixed), and counts nobody
 * prints (new students: a later population minus an earlier one).  The
 * window is placed inside what withholding every count of this run leaves
 * of p, since nothing this run does can widen p beyond that.  When even
 * that is too narrow, the cause decides: the coded ranges and shown groups
 * this run's policy publishes (p is then shown as narrowly as the policy
 * itself shows it), or what the reader knows from elsewhere (p cannot be
 * protected: the run fails closed). */
static bool protect_count(struct eng *E, struct plp *L, size_t p) {
  struct ck_report *r = E->r;
  double lo, hi;
  E->quick = true;
  bool got_range = range_of(E, p, &lo, &hi);
  E->quick = false;
  if (!got_range)
    return false;
  if (safe(E, p, lo, hi)) {
    E->memo_armed = true; /* nothing changed: see memo_take */
    return true;
  }
  double klo, khi, slo = 0.0, shi = HUGE_VAL, wlo, whi;
  if (!bound_of(E, p, false, false, &klo, &khi))
    return false;
  bool prior = r->cells[p].prior;
  bool nces_outcome = r->policy == CK_PRIVACY_NCES && r->cells[p].outcome &&
                      !coded(E, p) && !r->cells[p].unprinted && !prior;
  window_of(E, p, lo, hi, klo, khi, &wlo, &whi);
  if (prior) {
    /* An earlier release's withheld count: what that release (and the
     * others the reader holds) left of it is all it may lose, so its
     * window is placed inside what is left of it with every count of
     * this run withheld and none of this run's coded ranges printed.
     * Neither those ranges nor the outcome counts nces shows are the
     * earlier release's own disclosure. */
    double ulo, uhi;
    E->uncode = true;
    bool got = bound_of(E, p, false, false, &ulo, &uhi);
    E->uncode = false;
    if (!got)
      return false;
    window_of(E, p, lo, hi, ulo, uhi, &wlo, &whi);
    if (!covers(klo, khi, wlo, whi)) {
      if (!uncode_for(E, p, wlo, whi) || !range_of(E, p, &lo, &hi))
        return false;
      if (safe(E, p, lo, hi) || covers(lo, hi, wlo, whi))
        return true;
    }
  }
  if (nces_outcome) {
    /* nces publishes the outcome counts of every group of min_cell or
     * more outside the coded ranges; what those tell of an outcome count
     * of a withheld group (e.g. "at most the 3 of the parent group who
     * did not match") is the policy's own disclosure: the window stays
     * inside it, so that those counts stay shown, unless what the reader
     * knows from elsewhere then leaves too little of it */
    double a, b, pa, pb;
    if (!cap_of(E, p, true, &slo, &shi))
      return false;
    window_of(E, p, lo, hi, slo > klo ? slo : klo, shi < khi ? shi : khi, &a,
              &b);
    window_of(E, p, lo, hi, slo, shi, &pa, &pb);
    if (safe(E, p, pa, pb) && !safe(E, p, a, b) && !safe(E, p, wlo, whi)) {
      /* The policy alone leaves p enough, and so may what the reader knows
       * from elsewhere alone: then it is the two together, this run's
       * coded ranges with an earlier release's counts (a new class coded
       * "at least 95% matched" with last year's total), and this run gives
       * those codings up as for a prior count (uncode_for). */
      double ulo, uhi, xa, xb;
      E->uncode = true;
      bool got = bound_of(E, p, false, false, &ulo, &uhi);
      E->uncode = false;
      if (!got)
        return false;
      window_of(E, p, lo, hi, ulo, uhi, &xa, &xb);
      if (safe(E, p, xa, xb)) {
        if (!uncode_for(E, p, xa, xb) || !range_of(E, p, &lo, &hi))
          return false;
        if (safe(E, p, lo, hi))
          return true;
        if (!bound_of(E, p, false, false, &klo, &khi) ||
            !cap_of(E, p, true, &slo, &shi))
          return false;
        window_of(E, p, lo, hi, klo, khi, &wlo, &whi);
        window_of(E, p, lo, hi, slo > klo ? slo : klo, shi < khi ? shi : khi,
                  &a, &b);
        window_of(E, p, lo, hi, slo, shi, &pa, &pb);
      }
    }
    if (safe(E, p, a, b) || !safe(E, p, pa, pb) || !safe(E, p, wlo, whi)) {
      /* The policy's own disclosure is what this run's counts tell: when
       * an earlier release's counts narrow p further (a prior low-pass
       * Psychiatry unmatched count of 3 beside this run's Psychiatry
       * unmatched 5 leave 3..5 of the 0..5 this run alone leaves), p
       * needs its whole window (generate --seed 11 --class-size 100
       * --retake-after-pass 0.1, 2017-2025 then 2017-2026, nces). */
      double ra = lo, rb = hi;
      bool joined = false;
      if (!safe(E, p, a, b) && safe(E, p, wlo, whi) && E->has_locked) {
        E->unlock = true;
        bool got = range_of(E, p, &ra, &rb);
        E->unlock = false;
        if (!got)
          return false;
        joined = lo > ra + EPS || hi < rb - EPS;
      }
      if (!joined) {
        wlo = a;
        whi = b;
      }
    }
  }
  /* When even that window is narrower than min_cell values, what narrows
   * it is this run's policy (coded ranges, the outcome counts nces shows)
   * or what the reader already knows (an earlier release's counts, a
   * member's own): neither can this run change.  A count of this run is
   * then the known count plus the count of the students the reader does
   * not know (the new students, the other schools), and those counts are
   * checked by their own rule (unprinted cells): the window is taken as
   * it is. */
  size_t *added = ck_xmalloc((E->n ? E->n : 1) * sizeof *added);
  size_t na = 0;
  bool ok = true;
  for (int round = 0; ok && !safe(E, p, lo, hi) && !covers(lo, hi, wlo, whi);
       round++) {
    if (round == 4) {
      ok = false;
      break;
    }
    int got = 1;
    if (wlo < lo - EPS)
      got = reach(E, L, p, wlo, added, &na);
    if (got == 1 && whi > hi + EPS)
      got = reach(E, L, p, whi, added, &na);
    ok = got == 1 && range_of(E, p, &lo, &hi);
  }
  if (ok) {
    sort_cells(r, added, na);
    for (size_t h = na; h-- > 0 && ok;) {
      size_t c = added[h];
      if (r->cells[c].shown == CK_SHOWN)
        continue;
      r->cells[c].shown = CK_SHOWN;
      E->quick = true;
      ok = range_of(E, p, &lo, &hi);
      E->quick = false;
      if (ok && !safe(E, p, lo, hi) && !covers(lo, hi, wlo, whi))
        r->cells[c].shown = CK_HIDDEN_COMPLEMENT;
    }
  }
  free(added);
  return ok;
}

/* A prior count's check, and a new students' count's, take as known only
 * the coded ranges a rate prints: both are held to a range of their own
 * (what a release left, "none or a few" or "at least min_cell"), and a
 * range the reader does not know would narrow them in the engine's eyes
 * only (an unprinted count seen as 11..14 where the reader sees 10..14). */
static bool protect(struct eng *E, struct plp *L, size_t p) {
  E->printed_only = E->r->cells[p].prior || E->r->cells[p].unprinted;
  bool ok = protect_count(E, L, p);
  E->printed_only = false;
  return ok;
}

static bool mark_complements(struct eng *E) {
  struct ck_report *r = E->r;
  /* Small and coded counts first, in model order, then every complement as
   * it appears.  Withholding a count only widens what an attacker can say
   * about the others, so a count found safe stays safe. */
  unsigned char *done = ck_xcalloc(E->n ? E->n : 1, 1);
  E->done = done;
  bool ok = true;
  struct plp L;
  plp_init(&L, E);
  for (int phase = 0; phase < 2 && ok; phase++) {
    bool again = true;
    while (again && ok) {
      again = false;
      for (size_t p = 0; p < E->n && ok; p++) {
        const struct ck_cell *c = &r->cells[p];
        if (done[p] || c->shown == CK_SHOWN || c->internal || c->locked ||
            (phase == 0 && c->shown != CK_HIDDEN_SMALL))
          continue;
        ok = protect(E, &L, p);
        done[p] = 1;
        again = phase == 1;
      }
    }
  }
  free(done);
  E->done = NULL;
  E->memo = NULL;
  E->memo_armed = false;
  plp_free(&L);
  return ok;
}

void ck_suppress_ranges(const struct ck_report *r, long *lo, long *hi) {
  if (r->n_cells == 0)
    return;
  struct eng E;
  eng_init(&E, (struct ck_report *)r); /* only read */
  if (r->policy == CK_PRIVACY_NCES)
    for (size_t i = 0; i < E.n; i++)
      if (r->cells[i].shown != CK_SHOWN)
        code_cell(&E, i);
  glp_term_out(GLP_OFF);
  for (size_t i = 0; i < r->n_cells; i++) {
    double a, b;
    if (!range_of(&E, i, &a, &b)) {
      lo[i] = LONG_MIN; /* unknown */
      hi[i] = LONG_MIN;
      continue;
    }
    lo[i] = (long)ceil(a - EPS);
    hi[i] = b >= HUGE_VAL ? LONG_MAX : (long)floor(b + EPS);
  }
  eng_free(&E);
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

/* Non-linear statistics (docs/privacy.md section 4).  A mean and an SD
 * give the sum and the sum of squares of the changes, the quartiles and
 * the Wilcoxon p bound their order and signs; over a handful of categories
 * of known width that is enough for integer enumeration to narrow a
 * withheld category count to a few values.  So a group's distribution
 * statistics are shown only when its size and every count of the partition
 * they summarise are shown: each is then 0 or at least min_cell, and the
 * statistics narrow no withheld count. */
static void withhold_score_change(struct ck_score_change *s,
                                  enum ck_stat_why why) {
  if ((s->shown == CK_SHOWN || s->wilcoxon_shown == CK_SHOWN) &&
      s->why == CK_WHY_NONE)
    s->why = why; /* the first reason found: the one the reader is told */
  if (s->shown == CK_SHOWN || s->shown == CK_NOT_ENOUGH_DATA)
    s->shown = CK_HIDDEN_DERIVED;
  if (s->wilcoxon_shown == CK_SHOWN || s->wilcoxon_shown == CK_NOT_ENOUGH_DATA)
    s->wilcoxon_shown = CK_HIDDEN_DERIVED;
  memset(&s->mean, 0, sizeof s->mean);
  s->sd = s->median = s->q1 = s->q3 = 0.0;
  s->wilcoxon_p = 0.0;
  if (s->share_ge_20.shown == CK_SHOWN) {
    s->share_ge_20.shown = CK_HIDDEN_DERIVED;
    memset(&s->share_ge_20.est, 0, sizeof s->share_ge_20.est);
  }
}

static void apply_score_change(const struct ck_report *r,
                               struct ck_score_change *s) {
  apply_rate(r, &s->share_ge_20);
  bool all = s->n == CK_NO_CELL || cell_shown(r, s->n);
  for (int c = 0; c < CK_CHANGE_NCAT; c++)
    if (s->categories[c] != CK_NO_CELL && !cell_shown(r, s->categories[c]))
      all = false;
  if (!all)
    withhold_score_change(s, s->n == CK_NO_CELL || cell_shown(r, s->n)
                                 ? CK_WHY_CATEGORIES
                                 : CK_WHY_GROUP);
}

static void withhold_regression(struct ck_regression *g, enum ck_stat_why why) {
  if (g->shown != CK_SHOWN)
    return;
  g->shown = CK_HIDDEN_DERIVED;
  g->why = why;
  g->intercept = g->slope = g->r2 = g->sigma = 0.0;
  g->x_min = g->x_max = 0;
  for (size_t j = 0; j < CK_MAX_PRACTICE_POINTS; j++)
    memset(&g->pred[j].fit, 0, sizeof g->pred[j].fit);
}

/* A regression gives away its n (prediction-interval widths), n times the
 * mean practice average and n times the mean retake score: it goes with
 * its n. */
static void apply_regression(const struct ck_report *r,
                             struct ck_regression *g) {
  if (g->n != CK_NO_CELL && !cell_shown(r, g->n))
    withhold_regression(g, CK_WHY_GROUP);
}

/* Statistics of a group and of a group inside it, both shown, are those of
 * the difference by subtraction (n times the means, the sums of squares):
 * when the difference has 1..min_cell-1 members, the statistics of the
 * larger group are withheld, since the difference's would describe fewer
 * than min_cell students, one of them when it is 1. */
static bool small_difference(const struct ck_report *r, size_t inner,
                             size_t outer) {
  if (inner == CK_NO_CELL || outer == CK_NO_CELL)
    return false;
  long d = r->cells[outer].value - r->cells[inner].value;
  return d >= 1 && d < (long)r->min_cell;
}

static void apply_nested_statistics(struct ck_report *r) {
  const struct ck_score_change *in = &r->score_change;
  struct ck_score_change *out = &r->score_change_all;
  if ((in->shown == CK_SHOWN || in->wilcoxon_shown == CK_SHOWN) &&
      (out->shown == CK_SHOWN || out->wilcoxon_shown == CK_SHOWN) &&
      small_difference(r, in->n, out->n))
    withhold_score_change(out, CK_WHY_NESTED);
  if (r->regression.shown == CK_SHOWN && r->regression_all.shown == CK_SHOWN &&
      small_difference(r, r->regression.n, r->regression_all.n))
    withhold_regression(&r->regression_all, CK_WHY_NESTED);
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

/* nces: a rate whose numerator is coded, of a shown group, is shown as its
 * bound; nothing else of it is. */
static void code_rate(const struct eng *E, struct ck_rate *rate) {
  const struct ck_report *r = E->r;
  if (rate->x == CK_NO_CELL || rate->n == CK_NO_CELL || rate->x >= E->n ||
      rate->shown != CK_SHOWN || E->dir[rate->x] == 0 ||
      E->denom[rate->x] != rate->n || !cell_shown(r, rate->n) ||
      r->cells[rate->x].shown != CK_HIDDEN_SMALL)
    return;
  rate->shown = E->dir[rate->x] < 0 ? CK_CODED_LE : CK_CODED_GE;
  rate->bound = E->dir[rate->x] < 0 ? E->pct[rate->x] : 1.0 - E->pct[rate->x];
  rate->est.estimate = rate->est.lo = rate->est.hi = 0.0;
}

static void code_rates(const struct eng *E, struct ck_report *r) {
  for (size_t g = 0; g < CK_G_COUNT; g++) {
    code_rate(E, &r->groups[g].match_rate);
    code_rate(E, &r->groups[g].target_rate);
    code_rate(E, &r->groups[g].academic_share);
  }
  for (size_t i = 0; i < r->n_specialties; i++) {
    code_rate(E, &r->specialties[i].match_rate);
    code_rate(E, &r->specialties[i].target_rate);
    code_rate(E, &r->specialties[i].lp_match_rate);
  }
  for (size_t i = 0; i < r->n_years; i++)
    code_rate(E, &r->years[i].match_rate);
}

/* The matched counts a reader knows rate x/n to lie in: one value when the
 * rate is shown, the coded range when coded; false otherwise. */
static bool known_range(const struct ck_report *r, const struct ck_rate *rate,
                        long *lo, long *hi, long *n) {
  if (rate->x == CK_NO_CELL || rate->n == CK_NO_CELL || !cell_shown(r, rate->n))
    return false;
  *n = r->cells[rate->n].value;
  if (*n <= 0)
    return false;
  if (rate->shown == CK_SHOWN && cell_shown(r, rate->x)) {
    *lo = *hi = r->cells[rate->x].value;
    return true;
  }
  double b = rate->bound * (double)*n;
  if (rate->shown == CK_CODED_GE) {
    *lo = (long)ceil(b - 1e-9);
    *hi = *n;
  } else if (rate->shown == CK_CODED_LE) {
    *lo = 0;
    *hi = (long)floor(b + 1e-9);
  } else {
    return false;
  }
  return *lo <= *hi;
}

/* A comparison withheld because a rate is coded: the range of differences
 * and the union of the intervals over every count the codes allow. */
static void range_comparison(const struct ck_report *r,
                             struct ck_comparison *c) {
  const struct ck_rate *ra = &r->groups[c->a].match_rate,
                       *rb = &r->groups[c->b].match_rate;
  long alo, ahi, na, blo, bhi, nb;
  c->ranged = false;
  if ((ra->shown != CK_CODED_GE && ra->shown != CK_CODED_LE &&
       rb->shown != CK_CODED_GE && rb->shown != CK_CODED_LE) ||
      !known_range(r, ra, &alo, &ahi, &na) ||
      !known_range(r, rb, &blo, &bhi, &nb))
    return;
  struct ck_est lim = {0.0, HUGE_VAL, -HUGE_VAL};
  struct ck_est ci = {0.0, HUGE_VAL, -HUGE_VAL};
  for (long xa = alo; xa <= ahi; xa++)
    for (long xb = blo; xb <= bhi; xb++) {
      struct ck_est d;
      if (ck_prop_diff_newcombe((size_t)xa, (size_t)na, (size_t)xb, (size_t)nb,
                                r->confidence, &d) != CK_OK ||
          !isfinite(d.estimate) || !isfinite(d.lo) || !isfinite(d.hi))
        return;
      lim.lo = fmin(lim.lo, d.estimate);
      lim.hi = fmax(lim.hi, d.estimate);
      ci.lo = fmin(ci.lo, d.lo);
      ci.hi = fmax(ci.hi, d.hi);
    }
  c->range = lim;
  c->range_ci = ci;
  c->ranged = true;
}

static void apply_derived(struct ck_report *r) {
  for (size_t g = 0; g < CK_G_COUNT; g++) {
    apply_rate(r, &r->groups[g].match_rate);
    apply_rate(r, &r->groups[g].target_rate);
    apply_rate(r, &r->groups[g].academic_share);
  }
  for (size_t i = 0; i < r->n_comparisons; i++) {
    struct ck_comparison *c = &r->comparisons[i];
    if (c->shown == CK_SHOWN && (r->groups[c->a].match_rate.shown != CK_SHOWN ||
                                 r->groups[c->b].match_rate.shown != CK_SHOWN))
      c->shown = CK_HIDDEN_DERIVED;
    if (c->shown == CK_HIDDEN_DERIVED)
      range_comparison(r, c);
  }
  for (size_t i = 0; i < r->n_adjusted && i < CK_MAX_COMPARISONS; i++)
    apply_adjusted(r, &r->adjusted[i]);
  apply_score_change(r, &r->score_change);
  apply_score_change(r, &r->score_change_all);
  apply_regression(r, &r->regression);
  apply_regression(r, &r->regression_all);
  apply_nested_statistics(r);
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

/* A check could not be finished: nothing unverified may stay shown. */
static void fail_closed(struct ck_report *r) {
  for (size_t i = 0; i < r->n_cells; i++)
    if (!r->cells[i].internal && !r->cells[i].locked && !r->cells[i].unprinted)
      r->cells[i].shown = CK_HIDDEN_COMPLEMENT;
}

/* Rules 1, 2 and 4 on the counts, and the coding of rates: what no test
 * result changes, so it may run while the tests do (ck_suppress_counts). */
static bool suppress_counts(struct ck_report *r) {
  if (r->min_cell < CK_MIN_CELL_FLOOR)
    r->min_cell = CK_MIN_CELL_FLOOR;
  r->headline_protects = false;
  struct eng E;
  eng_init(&E, r);
  glp_term_out(GLP_OFF); /* the library never prints */
  mark_primary(&E);
  bool ok = mark_complements(&E);
  /* whoever withheld it (this pass, or an earlier pass over the same
   * model: the pool's check of each member) */
  for (size_t i = 0; i < r->n_cells && ok; i++)
    if (r->cells[i].shown == CK_HIDDEN_COMPLEMENT && !r->cells[i].internal &&
        !r->cells[i].unprinted && r->cells[i].priority >= CK_PRIORITY_HEADLINE)
      r->headline_protects = true;
  if (!ok)
    fail_closed(r);
  else if (r->policy == CK_PRIVACY_NCES)
    code_rates(&E, r);
  eng_free(&E);
  return ok;
}

enum ck_status ck_suppress_counts(struct ck_report *r) {
  r->counts_ok = suppress_counts(r);
  r->counts_done = true;
  r->counts_cells = r->n_cells;
  r->counts_constraints = r->n_constraints;
  r->counts_min_cell = r->min_cell;
  r->counts_policy = r->policy;
  return r->counts_ok ? CK_OK : CK_EINTERNAL;
}

enum ck_status ck_suppress(struct ck_report *r) {
  /* the counts' part again unless ck_suppress_counts did it on this very
   * model (a cell, a constraint or a policy set since would be missed) */
  bool same = r->counts_done && r->counts_cells == r->n_cells &&
              r->counts_constraints == r->n_constraints &&
              r->counts_min_cell == r->min_cell &&
              r->counts_policy == r->policy;
  bool ok = same ? r->counts_ok : suppress_counts(r);
  r->counts_done = false;
  apply_derived(r);
  /* a fail-closed model withholds everything: it is checked too */
  r->checked = true;
  return ok ? CK_OK : CK_EINTERNAL;
}
