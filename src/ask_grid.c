/*
 * ask_grid.c - the fixed grid of `ask` groups and which of its counts may
 * ever be published (the same for every question about one cohort)
 * SPDX-License-Identifier: MIT
 *
 * Every group of the grid (score range x target scope x kind, and the
 * practice bands of retakers) is counted with its outcomes.  Sums are
 * recorded as constraints: a zone is the sum of its fine bands, a tier of
 * its specialties, "all" of the tiers, untiered specialties and applicants
 * without a target; a group's size is matched + unmatched, and so on.
 * Counts are then offered for publication one group at a time, coarsest
 * first, and a count is published only when, with everything published
 * before and all that an attacker can work out from it exactly (one unknown
 * left in a sum, or a remainder of 0), no count is 1..min_cell-1 (0 for a
 * split of a group into outcomes), no sum's unexplained remainder is
 * 1..min_cell-1, and no two known counts of nested groups differ by
 * 1..min_cell-1.  Because the decision does not depend on the question, no
 * two sheets can be subtracted to reach a group below min_cell.
 */
#include "ask_grid.h"
#include "classify.h"
#include "util.h"
#include "ask_model.h"
#include "config_internal.h"

#include <stdlib.h>
#include <string.h>

struct ck_ask_band ck_ask_fine_band(int d, int m) {
  struct ck_ask_band b = {0, 0, false, 0};
  if (d < 0) {
    int j = (-d - 1) / 5;
    b.code = -1 - j;
    b.hi = -5 * j - 1;
    b.lo = b.hi - 4;
  } else if (d <= m) {
    if (m >= 3 && d >= 3) {
      b.code = 1;
      b.lo = 3;
      b.hi = m;
    } else {
      b.code = 0;
      b.lo = 0;
      b.hi = m < 2 ? m : 2;
    }
  } else {
    int j = (d - m - 1) / 5;
    b.code = 2 + j;
    b.lo = m + 1 + 5 * j;
    b.hi = b.lo + 4;
  }
  return b;
}

struct ck_ask_band ck_ask_zone(int d, int m) {
  struct ck_ask_band b = {0, 0, true, 0};
  if (d < 0) {
    b.code = CK_GRID_ZONE_FAIL;
    b.lo = -CK_GRID_OPEN;
    b.hi = -1;
  } else if (d <= m) {
    b.code = CK_GRID_ZONE_LOW;
    b.lo = 0;
    b.hi = m;
  } else {
    b.code = CK_GRID_ZONE_ABOVE;
    b.lo = m + 1;
    b.hi = CK_GRID_OPEN;
  }
  return b;
}

void ck_ask_practice_band(int p, int *lo, int *hi) {
  int j = p >= 5 ? (p - 5) / 10 : -1;
  *lo = 10 * j + 5;
  *hi = *lo + 9;
}

struct ck_ask_band ck_ask_second_band(int d) {
  struct ck_ask_band b = {0, 0, false, 0};
  if (d < 0) {
    b.lo = -CK_GRID_OPEN;
    b.hi = -1;
  } else if (d >= 20) {
    b.lo = 20;
    b.hi = CK_GRID_OPEN;
  } else {
    b.lo = d / 10 * 10;
    b.hi = b.lo + 9;
  }
  b.code = b.lo;
  return b;
}

static int zone_of_code(int code) {
  return code < 0    ? CK_GRID_ZONE_FAIL
         : code <= 1 ? CK_GRID_ZONE_LOW
                     : CK_GRID_ZONE_ABOVE;
}

static bool is_zone(int r) { return r >= CK_GRID_ZONE_FAIL; }

/* The kinds of first-attempt groups (score band x scope), as against the
 * groups of retakers (practice, weeks) and of second attempts. */
static bool first_kind(int k) { return k >= 0 && k < CK_ASK_NKIND; }
/* Groups whose outcomes are a gain split (>= the significant change). */
static bool gain_kind(int k) {
  return k == CK_GRID_PRACTICE || k == CK_GRID_WEEKS;
}

/* ---- the cell table ---------------------------------------------------- */

static uint64_t pack(int k, int r, int s, int o) {
  return ((uint64_t)(unsigned)k << 60) |
         ((uint64_t)(unsigned)(r + 4096) << 44) |
         ((uint64_t)(unsigned)s << 22) | (uint64_t)(unsigned)o;
}

size_t ck_grid_cell(const struct ck_grid *g, int k, int r, int s, int o) {
  return ck_u64map_get(&g->cells, pack(k, r, s, o) + 1, CK_NO_CELL);
}

size_t ck_grid_find(const struct ck_grid *g, int k, int r, int s, int o) {
  size_t i = ck_grid_cell(g, k, r, s, o);
  return i != CK_NO_CELL && g->c[i].phantom ? CK_NO_CELL : i;
}

static size_t get(struct ck_grid *g, int k, int r, int s, int o) {
  bool added;
  size_t i = ck_u64map_put(&g->cells, pack(k, r, s, o) + 1, g->n, &added);
  if (!added)
    return i;
  ck_grow((void **)&g->c, &g->cap, g->n + 1, sizeof *g->c);
  struct ck_gcell *c = &g->c[g->n];
  memset(c, 0, sizeof *c);
  c->key = pack(k, r, s, o);
  c->k = k;
  c->r = r;
  c->s = s;
  c->o = o;
  c->split = o == CK_GO_M || o == CK_GO_U || o == CK_GO_MT || o == CK_GO_XT ||
             o == CK_GO_GE || o == CK_GO_LT;
  return g->n++;
}

static void add(struct ck_grid *g, int k, int r, int s, int o) {
  size_t i = get(g, k, r, s, o); /* get() may move g->c */
  g->c[i].v++;
}

/* ---- counting ---------------------------------------------------------- */

static int program_slot(int program) {
  switch (program) {
  case CK_PROGRAM_ACADEMIC:
    return 0;
  case CK_PROGRAM_COMMUNITY:
    return 1;
  case CK_PROGRAM_OTHER:
    return 2;
  default:
    return 3;
  }
}

static void count_record(struct ck_grid *g, const struct ck_cohort *c,
                         const struct ck_config *cfg,
                         const struct ck_record *rec) {
  struct ck_class k;
  ck_classify(cfg, rec, &k);
  int d = rec->score[0] - k.pass_mark;
  int kind = d >= 0
                 ? (k.retook ? CK_ASK_RETOOK : CK_ASK_NO_RETAKE)
                 : (k.ever_passed ? CK_ASK_THEN_PASSED : CK_ASK_NEVER_PASSED);
  int ranges[2] = {
      ck_ask_fine_band(d, cfg->low_pass_margin).code,
      zone_of_code(ck_ask_fine_band(d, cfg->low_pass_margin).code)};
  int scopes[3], ns = 0;
  scopes[ns++] = rec->target >= 0 ? rec->target : CK_GRID_NOTARGET(g);
  enum ck_tier t = ck_cohort_specialty_tier(c, rec->target);
  if (rec->target >= 0 && t != CK_TIER_NONE)
    scopes[ns++] = CK_GRID_TIER(g, t);
  scopes[ns++] = CK_GRID_ALL(g);
  for (int ri = 0; ri < 2; ri++)
    for (int si = 0; si < ns; si++) {
      int r = ranges[ri], s = scopes[si];
      add(g, kind, r, s, CK_GO_N);
      add(g, kind, r, s, rec->matched ? CK_GO_M : CK_GO_U);
      add(g, kind, r, s, k.matched_target ? CK_GO_MT : CK_GO_XT);
      if (rec->matched) {
        add(g, kind, r, s, CK_GO_PROG + program_slot(rec->program));
        int ms = rec->matched_specialty >= 0 ? rec->matched_specialty
                                             : CK_GRID_NOTARGET(g);
        add(g, kind, r, s, CK_GO_INTO + ms);
      }
    }
  /* failed then passed, by the second attempt (the first one failed and a
   * later one passed, so there is one) */
  if (kind == CK_ASK_THEN_PASSED && rec->n_attempts >= 2) {
    int d2 =
        rec->score[1] - ck_config_pass_mark(cfg, rec->date[1], rec->match_year);
    int rs[2] = {ck_ask_second_band(d2).code, CK_GRID_ZONE_FAIL};
    for (int i = 0; i < 2; i++) {
      add(g, CK_GRID_SECOND, rs[i], CK_GRID_ALL(g), CK_GO_N);
      add(g, CK_GRID_SECOND, rs[i], CK_GRID_ALL(g),
          rec->matched ? CK_GO_M : CK_GO_U);
      add(g, CK_GRID_SECOND, rs[i], CK_GRID_ALL(g),
          k.matched_target ? CK_GO_MT : CK_GO_XT);
    }
  }
  if (k.retook) {
    int o = k.change >= cfg->change_significant_min ? CK_GO_GE : CK_GO_LT;
    int w = rec->dedicated_weeks;
    int rs[3] = {w < 0                 ? 2
                 : w >= cfg->min_weeks ? 1
                                       : 0,
                 CK_GRID_WEEKS_RETAKERS, CK_GRID_WEEKS_ALL};
    for (int i = 0; i < (w < 0 ? 2 : 3); i++) {
      add(g, CK_GRID_WEEKS, rs[i], CK_GRID_ALL(g), CK_GO_N);
      add(g, CK_GRID_WEEKS, rs[i], CK_GRID_ALL(g), o);
    }
  }
  if (k.retook && rec->practice[1] > 0) {
    int lo, hi;
    ck_ask_practice_band(rec->practice[1], &lo, &hi);
    int o = k.change >= cfg->change_significant_min ? CK_GO_GE : CK_GO_LT;
    int rs[2] = {lo, CK_GRID_ZONE_FAIL}; /* band by its low end; all */
    for (int i = 0; i < 2; i++) {
      add(g, CK_GRID_PRACTICE, rs[i], CK_GRID_ALL(g), CK_GO_N);
      add(g, CK_GRID_PRACTICE, rs[i], CK_GRID_ALL(g), o);
    }
  }
}

/* ---- constraints ------------------------------------------------------- */

/* A sum of the grid: total = parts[0] + ... + parts[n-1], and open when
 * a part nobody is in has no cell and is left out (see struct ck_gcon). */
static void constraint(struct ck_grid *g, size_t total, const size_t *parts,
                       size_t n, bool open) {
  if (n == 0)
    return;
  ck_grow((void **)&g->con, &g->ccap, g->ncon + 1, sizeof *g->con);
  ck_grow((void **)&g->parts, &g->pcap, g->nparts + n, sizeof *g->parts);
  memcpy(g->parts + g->nparts, parts, n * sizeof *parts);
  g->con[g->ncon].total = total;
  g->con[g->ncon].first = g->nparts;
  g->con[g->ncon].n = n;
  g->con[g->ncon].open = open;
  g->ncon++;
  g->nparts += n;
}

/* A group nobody is in has no cell of its own, nor has an outcome nobody
 * in a group had (a program type), so a sum of the grid over the cells
 * there are would leave it out: a program over the grid would know that
 * count is 0, where a reader of the report and the sheets does not (a
 * sheet never shows an empty group; the report tells only what its own
 * tables imply).  Held-out seed 63 (issue 12): the grid knew nobody in
 * the low-pass band had "program type not given", so the report alone
 * seemed to pin the low-pass unmatched count at 3, and the sheets'
 * narrowing of it to 3 was taken for the report's own.  Every such count
 * is a phantom cell: 0, never published nor found by ck_grid_find(), a
 * part of every sum it belongs to, a free column of the check's programs
 * (ask_check.c).  Specialties matched into that nobody in a group matched
 * into get no phantoms (S + 1 of them for every group would multiply the
 * programs' size): the sums that leave them out are open (part()). */
static void phantom(struct ck_grid *g, int k, int r, int s, int o) {
  size_t n0 = g->n, i = get(g, k, r, s, o);
  if (g->n > n0)
    g->c[i].phantom = true;
}

static void phantom_group(struct ck_grid *g, int k, int r, int s) {
  for (int o = CK_GO_N; o <= CK_GO_XT; o++)
    phantom(g, k, r, s, o);
  for (int p = 0; p < 4; p++)
    phantom(g, k, r, s, CK_GO_PROG + p);
}

/* Every group of a kind, band and scope a reader can name, and every
 * outcome of each: the specialties someone named as a target (the
 * report's specialty table lists them), no target, the tiers that hold
 * one, everyone; the fine bands of the cohort and one more beyond each
 * end within 1-300 (a reader does not know where the scores stop; any
 * band further out is in every sum the same way); the groups of second
 * attempts, protected weeks and practice bands. */
static void add_phantoms(struct ck_grid *g, const struct ck_cohort *c,
                         int margin) {
  size_t S = g->S;
  bool *named = ck_xcalloc(S + 1, sizeof *named);
  bool tier_used[4] = {false, false, false, false};
  for (size_t i = 0; i < g->n; i++)
    if (first_kind(g->c[i].k) && g->c[i].s >= 0 && g->c[i].s < (int)S)
      named[g->c[i].s] = true;
  int *scopes = ck_xmalloc((S + 6) * sizeof *scopes), ns = 0;
  for (size_t s = 0; s < S; s++)
    if (named[s]) {
      scopes[ns++] = (int)s;
      enum ck_tier t = ck_cohort_specialty_tier(c, (int)s);
      if (t != CK_TIER_NONE && (int)t >= 1 && (int)t <= 3)
        tier_used[t] = true;
    }
  scopes[ns++] = CK_GRID_NOTARGET(g);
  for (int t = 1; t <= 3; t++)
    if (tier_used[t])
      scopes[ns++] = CK_GRID_TIER(g, t);
  scopes[ns++] = CK_GRID_ALL(g);
  /* code c < 0 starts at offset -5(-c), c >= 2 at margin + 1 + 5(c - 2) */
  if (-5 * (1 - g->code_min) >= -CK_GRID_OPEN)
    g->code_min--;
  if (margin + 1 + 5 * (g->code_max - 1) <= CK_GRID_OPEN)
    g->code_max++;
  /* Bands nobody of a kind is in are alike: each is a part of its zone's
   * sums the same way and of nothing else a reader names (the report names
   * zones), so the zone's first one stands for them all. */
  int nc = g->code_max - g->code_min + 1;
  g->skip_code = ck_xcalloc((size_t)(CK_ASK_NKIND * nc), sizeof *g->skip_code);
  for (int k = 0; k < CK_ASK_NKIND; k++) {
    bool seen[3] = {false, false, false};
    for (int r = g->code_min; r <= g->code_max; r++) {
      int z = zone_of_code(r) - CK_GRID_ZONE_FAIL;
      if (ck_grid_find(g, k, r, CK_GRID_ALL(g), CK_GO_N) != CK_NO_CELL)
        continue;
      g->skip_code[k * nc + r - g->code_min] = seen[z];
      seen[z] = true;
    }
  }
  for (int k = 0; k < CK_ASK_NKIND; k++) {
    bool fail = k == CK_ASK_THEN_PASSED || k == CK_ASK_NEVER_PASSED;
    for (int r = fail ? g->code_min : 0; r <= (fail ? -1 : g->code_max); r++)
      if ((r != 1 || margin >= 3) && /* no band 1 (ck_ask_fine_band) */
          !g->skip_code[k * nc + r - g->code_min])
        for (int j = 0; j < ns; j++)
          phantom_group(g, k, r, scopes[j]);
    for (int z = fail ? 0 : 1; z <= (fail ? 0 : 2); z++)
      for (int j = 0; j < ns; j++)
        phantom_group(g, k, CK_GRID_ZONE_FAIL + z, scopes[j]);
  }
  static const int second[5] = {CK_GRID_ZONE_FAIL, -CK_GRID_OPEN, 0, 10, 20};
  for (int b = 0; b < 5; b++)
    for (int o = CK_GO_N; o <= CK_GO_XT; o++)
      phantom(g, CK_GRID_SECOND, second[b], CK_GRID_ALL(g), o);
  static const int weeks[5] = {0, 1, 2, CK_GRID_WEEKS_ALL,
                               CK_GRID_WEEKS_RETAKERS};
  static const int gain[3] = {CK_GO_N, CK_GO_GE, CK_GO_LT};
  for (int o = 0; o < 3; o++) {
    for (int b = 0; b < 5; b++)
      phantom(g, CK_GRID_WEEKS, weeks[b], CK_GRID_ALL(g), gain[o]);
    phantom(g, CK_GRID_PRACTICE, CK_GRID_PRACTICE_ALL, CK_GRID_ALL(g), gain[o]);
    for (int p = -5; p <= 300; p += 10)
      phantom(g, CK_GRID_PRACTICE, p, CK_GRID_ALL(g), gain[o]);
  }
  free(scopes);
  free(named);
}

/* Append cell (k, r, s, o), phantoms too, to parts; false when it has no
 * cell and is a specialty matched into (the sum is open: struct ck_gcon).
 * Any other count without a cell is one a reader knows to be 0: a
 * specialty nobody named as a target, a tier without specialties, a band
 * no score falls in (a band nobody of a kind is in is summed into the
 * zone's first such one, add_phantoms). */
static bool part(const struct ck_grid *g, size_t *parts, size_t *np, int k,
                 int r, int s, int o) {
  size_t i = ck_grid_cell(g, k, r, s, o);
  if (i == CK_NO_CELL)
    return o < CK_GO_INTO;
  parts[(*np)++] = i;
  return true;
}

/* The "matched into their target" count of a group of one target
 * specialty: the same count as "matched into" that specialty. */
static bool target_split(const struct ck_grid *g, const struct ck_gcell *x) {
  return x->o == CK_GO_MT && first_kind(x->k) && x->s >= 0 && x->s < (int)g->S;
}

static void build_constraints(struct ck_grid *g, const struct ck_cohort *c,
                              int margin) {
  size_t S = g->S, cap = S + 64;
  size_t *parts = ck_xmalloc(cap * sizeof *parts);
  size_t n0 = g->n;
  /* every split part exists, even when it is 0 */
  for (size_t i = 0; i < n0; i++) {
    struct ck_gcell x = g->c[i];
    if (x.o != CK_GO_N)
      continue;
    if (gain_kind(x.k)) {
      get(g, x.k, x.r, x.s, CK_GO_GE);
      get(g, x.k, x.r, x.s, CK_GO_LT);
    } else {
      get(g, x.k, x.r, x.s, CK_GO_M);
      get(g, x.k, x.r, x.s, CK_GO_U);
      get(g, x.k, x.r, x.s, CK_GO_MT);
      get(g, x.k, x.r, x.s, CK_GO_XT);
    }
  }
  add_phantoms(g, c, margin);
  /* A group of one target specialty matched into its target exactly as
   * many times as into that specialty (classify.c), a relation every
   * reader has; without it the programs could not tie a sheet's
   * matched-into list to the report's matched-into-target counts, and the
   * independent attacker did (seed 151, 400 a class: two sheets' lists
   * pinned a withheld matched-into-target count, issue 12).  Where nobody
   * matched into it the count is a phantom 0, as for other empty
   * groups (phantom groups' too). */
  for (size_t i = 0; i < g->n; i++) {
    struct ck_gcell x = g->c[i];
    if (target_split(g, &x))
      phantom(g, x.k, x.r, x.s, CK_GO_INTO + x.s);
  }
  for (size_t i = 0; i < g->n; i++) {
    struct ck_gcell x = g->c[i];
    size_t np = 0;
    bool open = false;
    if (target_split(g, &x)) {
      part(g, parts, &np, x.k, x.r, x.s, CK_GO_INTO + x.s);
      constraint(g, i, parts, np, false);
      np = 0;
    }
    /* outcome splits of one group (the two-way ones all exist) */
    if (x.o == CK_GO_N && gain_kind(x.k)) {
      part(g, parts, &np, x.k, x.r, x.s, CK_GO_GE);
      part(g, parts, &np, x.k, x.r, x.s, CK_GO_LT);
      constraint(g, i, parts, np, false);
    } else if (x.o == CK_GO_N) {
      part(g, parts, &np, x.k, x.r, x.s, CK_GO_M);
      part(g, parts, &np, x.k, x.r, x.s, CK_GO_U);
      constraint(g, i, parts, np, false);
      np = 0;
      part(g, parts, &np, x.k, x.r, x.s, CK_GO_MT);
      part(g, parts, &np, x.k, x.r, x.s, CK_GO_XT);
      constraint(g, i, parts, np, false);
    } else if (x.o == CK_GO_M) {
      for (int p = 0; p < 4; p++)
        open |= !part(g, parts, &np, x.k, x.r, x.s, CK_GO_PROG + p);
      constraint(g, i, parts, np, open);
      np = 0;
      open = false;
      for (size_t s = 0; s <= S; s++)
        open |= !part(g, parts, &np, x.k, x.r, x.s, CK_GO_INTO + (int)s);
      constraint(g, i, parts, np, open);
    }
    /* ranges: a zone is the sum of its fine bands (practice: all bands) */
    np = 0;
    open = false;
    if (x.k == CK_GRID_PRACTICE && x.r == CK_GRID_ZONE_FAIL) {
      for (int lo = -5; lo <= 300; lo += 10)
        open |= !part(g, parts, &np, x.k, lo, x.s, x.o);
    } else if (x.k == CK_GRID_SECOND && x.r == CK_GRID_ZONE_FAIL) {
      static const int los[4] = {-CK_GRID_OPEN, 0, 10, 20};
      for (int b = 0; b < 4; b++)
        open |= !part(g, parts, &np, x.k, los[b], x.s, x.o);
      /* the same students as failed then passed in the fail zone */
      size_t tp =
          ck_grid_cell(g, CK_ASK_THEN_PASSED, CK_GRID_ZONE_FAIL, x.s, x.o);
      if (tp != CK_NO_CELL)
        constraint(g, i, &tp, 1, false);
    } else if (x.k == CK_GRID_WEEKS && x.r == CK_GRID_WEEKS_ALL) {
      for (int b = 0; b < 2; b++)
        open |= !part(g, parts, &np, x.k, b, x.s, x.o);
    } else if (x.k == CK_GRID_WEEKS && x.r == CK_GRID_WEEKS_RETAKERS) {
      int rs[2] = {CK_GRID_WEEKS_ALL, 2};
      for (int b = 0; b < 2; b++)
        open |= !part(g, parts, &np, x.k, rs[b], x.s, x.o);
    } else if (first_kind(x.k) && is_zone(x.r)) {
      for (int code = g->code_min; code <= g->code_max; code++)
        if (zone_of_code(code) == x.r && (code != 1 || margin >= 3) &&
            !g->skip_code[x.k * (g->code_max - g->code_min + 1) + code -
                          g->code_min])
          open |= !part(g, parts, &np, x.k, code, x.s, x.o);
    }
    constraint(g, i, parts, np, open);
    /* scopes: a tier is the sum of its specialties; all of everything */
    np = 0;
    open = false;
    if (first_kind(x.k) && x.s >= (int)S + 1) {
      bool all = x.s == CK_GRID_ALL(g);
      for (size_t s = 0; s < S; s++) {
        enum ck_tier t = ck_cohort_specialty_tier(c, (int)s);
        bool child = all ? t == CK_TIER_NONE
                         : CK_GRID_TIER(g, t) == x.s && t != CK_TIER_NONE;
        if (child)
          open |= !part(g, parts, &np, x.k, x.r, (int)s, x.o);
      }
      if (all) {
        int extra[4] = {CK_GRID_NOTARGET(g), CK_GRID_TIER(g, 1),
                        CK_GRID_TIER(g, 2), CK_GRID_TIER(g, 3)};
        for (int e = 0; e < 4; e++)
          open |= !part(g, parts, &np, x.k, x.r, extra[e], x.o);
      }
      constraint(g, i, parts, np, open);
    }
  }
  free(parts);
}

/* Incidence: the constraints of each cell. */
static void build_incidence(struct ck_grid *g) {
  g->inc_first = ck_xcalloc(g->n + 1, sizeof *g->inc_first);
  for (size_t k = 0; k < g->ncon; k++) {
    g->inc_first[g->con[k].total + 1]++;
    for (size_t j = 0; j < g->con[k].n; j++)
      g->inc_first[g->parts[g->con[k].first + j] + 1]++;
  }
  for (size_t i = 0; i < g->n; i++)
    g->inc_first[i + 1] += g->inc_first[i];
  g->inc = ck_xmalloc((g->inc_first[g->n] + 1) * sizeof *g->inc);
  size_t *fill = ck_xcalloc(g->n + 1, sizeof *fill);
  for (size_t k = 0; k < g->ncon; k++) {
    size_t t = g->con[k].total;
    g->inc[g->inc_first[t] + fill[t]++] = k;
    for (size_t j = 0; j < g->con[k].n; j++) {
      size_t p = g->parts[g->con[k].first + j];
      g->inc[g->inc_first[p] + fill[p]++] = k;
    }
  }
  free(fill);
}

/* ---- the attacker's knowledge ------------------------------------------ */

static bool range_sub(const struct ck_grid *g, int k, int a, int b) {
  (void)g;
  if (a == b)
    return true;
  if (k == CK_GRID_WEEKS)
    return b == CK_GRID_WEEKS_RETAKERS ||
           (b == CK_GRID_WEEKS_ALL && (a == 0 || a == 1));
  if (!first_kind(k))
    return b == CK_GRID_ZONE_FAIL; /* a band inside all of them */
  return is_zone(b) && !is_zone(a) && zone_of_code(a) == b;
}

static bool scope_sub(const struct ck_grid *g, int a, int b) {
  if (a == b || b == CK_GRID_ALL(g))
    return true;
  return a < (int)g->S && b > CK_GRID_NOTARGET(g) &&
         CK_GRID_TIER(g, g->tier[a]) == b && g->tier[a] != CK_TIER_NONE;
}

static bool outcome_sub(int a, int b) {
  if (a == b || b == CK_GO_N)
    return true;
  if (b == CK_GO_M)
    return a == CK_GO_MT || (a >= CK_GO_PROG && a < CK_GO_PROG + 4) ||
           a >= CK_GO_INTO;
  return b == CK_GO_XT && a == CK_GO_U;
}

static bool box_sub(const struct ck_grid *g, const struct ck_gbox *a,
                    const struct ck_gbox *b) {
  /* second-attempt groups are failed-then-passed applicants of the fail
   * zone, every target */
  if (a->k == CK_GRID_SECOND && b->k == CK_ASK_THEN_PASSED)
    return b->r == CK_GRID_ZONE_FAIL && b->s == CK_GRID_ALL(g) &&
           outcome_sub(a->o, b->o);
  return a->k == b->k && range_sub(g, a->k, a->r, b->r) &&
         scope_sub(g, a->s, b->s) && outcome_sub(a->o, b->o);
}

static struct ck_gbox box_of(const struct ck_gcell *c) {
  struct ck_gbox b = {c->k, c->r, c->s, c->o};
  return b;
}

/* Is box x inside cell b (a grid group, or inside one of an extra's)? */
static bool box_in_cell(const struct ck_grid *g, const struct ck_gbox *x,
                        const struct ck_gcell *b) {
  if (b->k != CK_GRID_EXTRA) {
    struct ck_gbox bb = box_of(b);
    return box_sub(g, x, &bb);
  }
  for (size_t j = 0; j < b->nbox; j++)
    if (box_sub(g, x, &g->box[b->box_first + j]))
      return true;
  return false;
}

bool ck_grid_nested(const struct ck_grid *g, size_t ia, size_t ib) {
  const struct ck_gcell *a = &g->c[ia], *b = &g->c[ib];
  if (a->k != CK_GRID_EXTRA) {
    struct ck_gbox ab = box_of(a);
    return box_in_cell(g, &ab, b);
  }
  if (a->nbox == 0)
    return false;
  for (size_t j = 0; j < a->nbox; j++)
    if (!box_in_cell(g, &g->box[a->box_first + j], b))
      return false;
  return true;
}

static bool small(const struct ck_grid *g, long v) {
  return v >= 1 && v < (long)g->min_cell;
}

struct attempt {
  size_t *queue, nq, cq;
  size_t known_mark[CK_GRID_NLIST];
};

static bool learn(struct ck_grid *g, struct attempt *t, size_t i) {
  struct ck_gcell *c = &g->c[i];
  if (c->known)
    return true;
  c->known = true;
  size_t k = (size_t)c->k;
  ck_grow((void **)&g->known[k], &g->kcap[k], g->nknown[k] + 1,
          sizeof *g->known[k]);
  g->known[k][g->nknown[k]++] = i;
  ck_grow((void **)&t->queue, &t->cq, t->nq + 1, sizeof *t->queue);
  t->queue[t->nq++] = i;
  if (g->seeding)
    return true;
  if (c->forbid || small(g, c->v) || (c->v == 0 && c->split))
    return false;
  /* nested groups are of one kind (second attempts: inside failed then
   * passed); the report's sums may span kinds */
  for (size_t l = 0; l < CK_GRID_NLIST; l++) {
    bool tp2 = (k == CK_GRID_SECOND && l == CK_ASK_THEN_PASSED) ||
               (k == CK_ASK_THEN_PASSED && l == CK_GRID_SECOND);
    if (k != CK_GRID_EXTRA && l != k && l != CK_GRID_EXTRA && !tp2)
      continue;
    for (size_t j = 0; j < g->nknown[l]; j++) {
      size_t o = g->known[l][j];
      long diff = 0;
      /* diff is v(o) - v(i), v(i) - v(o) or 0: when neither difference
       * is small, nesting cannot matter, and is not worked out */
      if (o == i ||
          (!small(g, g->c[o].v - c->v) && !small(g, c->v - g->c[o].v)))
        continue;
      if (ck_grid_nested(g, i, o))
        diff = g->c[o].v - c->v;
      else if (ck_grid_nested(g, o, i))
        diff = c->v - g->c[o].v;
      if (small(g, diff))
        return false;
    }
  }
  return true;
}

/* Everything an attacker works out exactly from the newly known cells. */
static bool propagate(struct ck_grid *g, struct attempt *t) {
  for (size_t qi = 0; qi < t->nq; qi++) {
    size_t cell = t->queue[qi];
    for (size_t e = g->inc_first[cell]; e < g->inc_first[cell + 1]; e++) {
      const struct ck_gcon *q = &g->con[g->inc[e]];
      size_t unknown = 0, last = CK_NO_CELL;
      long sum = 0;
      for (size_t j = 0; j < q->n; j++) {
        size_t p = g->parts[q->first + j];
        if (g->c[p].known)
          sum += g->c[p].v;
        else {
          unknown++;
          last = p;
        }
      }
      bool tk = g->c[q->total].known;
      if (tk && unknown > 0) {
        long rest = g->c[q->total].v - sum;
        if (small(g, rest)) {
          if (!g->seeding)
            return false;
          continue;
        }
        if (rest == 0 || unknown == 1) {
          for (size_t j = 0; j < q->n; j++) {
            size_t p = g->parts[q->first + j];
            if (!g->c[p].known && (rest == 0 || p == last) && !learn(g, t, p))
              return false;
          }
        }
      } else if (!tk && unknown == 0) {
        if (!learn(g, t, q->total))
          return false;
      }
    }
  }
  return true;
}

/* Publish cells[0..n-1] together, or none of them. */
static bool try_publish(struct ck_grid *g, const size_t *cells, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (cells[i] == CK_NO_CELL || g->c[cells[i]].v < (long)g->min_cell)
      return false;
  struct attempt t = {NULL, 0, 0, {0}};
  for (int k = 0; k < CK_GRID_NLIST; k++)
    t.known_mark[k] = g->nknown[k];
  bool ok = true;
  for (size_t i = 0; i < n && ok; i++)
    ok = learn(g, &t, cells[i]);
  ok = ok && propagate(g, &t);
  if (ok) {
    for (size_t i = 0; i < n; i++)
      g->c[cells[i]].pub = true;
    ck_grow((void **)&g->plog, &g->plcap, g->nplog + n, sizeof *g->plog);
    memcpy(g->plog + g->nplog, cells, n * sizeof *cells);
    g->nplog += n;
    ck_grow((void **)&g->pfirst, &g->pfcap, g->npset + 2, sizeof *g->pfirst);
    g->pfirst[g->npset + 1] = g->nplog;
    g->npset++;
  } else {
    for (int k = 0; k < CK_GRID_NLIST; k++) {
      for (size_t j = t.known_mark[k]; j < g->nknown[k]; j++)
        g->c[g->known[k][j]].known = false;
      g->nknown[k] = t.known_mark[k];
    }
  }
  free(t.queue);
  return ok;
}

/* Ladder position of a group: fine/zone x specialty/tier/all. */
static int rung_of(const struct ck_grid *g, const struct ck_gcell *x) {
  int sr = x->s == CK_GRID_ALL(g) ? 2 : x->s > CK_GRID_NOTARGET(g) ? 1 : 0;
  return 2 * sr + (is_zone(x->r) ? 1 : 0);
}

static int order_cmp(const void *pa, const void *pb, void *ctx) {
  const struct ck_grid *g = ctx;
  const struct ck_gcell *a = &g->c[*(const size_t *)pa];
  const struct ck_gcell *b = &g->c[*(const size_t *)pb];
  int ra = rung_of(g, a), rb = rung_of(g, b);
  if (ra != rb)
    return ra > rb ? -1 : 1; /* coarsest first */
  if (a->k != b->k)
    return a->k < b->k ? -1 : 1;
  if (a->r != b->r)
    return a->r < b->r ? -1 : 1;
  if (a->s != b->s)
    return a->s < b->s ? -1 : 1;
  return (a->o > b->o) - (a->o < b->o);
}

/* qsort has no context argument in C11: a small insertion-free merge sort. */
static void sort_cells(size_t *v, size_t n, const struct ck_grid *g) {
  if (n < 2)
    return;
  size_t h = n / 2;
  sort_cells(v, h, g);
  sort_cells(v + h, n - h, g);
  size_t *tmp = ck_xmalloc(n * sizeof *tmp);
  size_t i = 0, j = h, o = 0;
  while (i < h && j < n)
    tmp[o++] = order_cmp(&v[j], &v[i], (void *)g) < 0 ? v[j++] : v[i++];
  while (i < h)
    tmp[o++] = v[i++];
  while (j < n)
    tmp[o++] = v[j++];
  memcpy(v, tmp, n * sizeof *v);
  free(tmp);
}

/* A band's size may be published without its matched/unmatched split only
 * when the split stays wide: with the band's size n and the whole group's
 * matched M and unmatched U (the report may show them), the band's
 * unmatched count can be anything from max(0, n - M) to min(n, U), and
 * those are at least min_cell values (so are the matched ones, the same
 * range mirrored).  A band of 13 beside 4 unmatched in all would put 9..13
 * of it among the matched. */
static bool size_alone_ok(const struct ck_grid *g, size_t n,
                          const size_t *all) {
  if (n == CK_NO_CELL || all[0] == CK_NO_CELL || all[1] == CK_NO_CELL ||
      all[2] == CK_NO_CELL)
    return false;
  long nb = g->c[n].v, m = g->c[all[1]].v, u = g->c[all[2]].v;
  long lo = nb - m > 0 ? nb - m : 0, hi = nb < u ? nb : u;
  return hi - lo + 1 >= (long)g->min_cell;
}

static void decide(struct ck_grid *g) {
  size_t *order = ck_xmalloc((g->n + 1) * sizeof *order), no = 0;
  for (size_t i = 0; i < g->n; i++)
    if (g->c[i].o == CK_GO_N && first_kind(g->c[i].k) && !g->c[i].phantom)
      order[no++] = i;
  sort_cells(order, no, g);
  /* 1: group size with matched and unmatched, together */
  for (size_t i = 0; i < no; i++) {
    const struct ck_gcell *x = &g->c[order[i]];
    size_t set[3] = {order[i], ck_grid_find(g, x->k, x->r, x->s, CK_GO_M),
                     ck_grid_find(g, x->k, x->r, x->s, CK_GO_U)};
    try_publish(g, set, 3);
  }
  /* 2: the practice bands of retakers: all of them first */
  size_t all = ck_grid_find(g, CK_GRID_PRACTICE, CK_GRID_ZONE_FAIL,
                            CK_GRID_ALL(g), CK_GO_N);
  if (all != CK_NO_CELL) {
    size_t set[3] = {all,
                     ck_grid_find(g, CK_GRID_PRACTICE, CK_GRID_ZONE_FAIL,
                                  CK_GRID_ALL(g), CK_GO_GE),
                     ck_grid_find(g, CK_GRID_PRACTICE, CK_GRID_ZONE_FAIL,
                                  CK_GRID_ALL(g), CK_GO_LT)};
    if (!try_publish(g, set, 3))
      try_publish(g, set, 1); /* the regression needs only the size */
    for (int lo = -5; lo <= 300; lo += 10) {
      size_t b[3] = {
          ck_grid_find(g, CK_GRID_PRACTICE, lo, CK_GRID_ALL(g), CK_GO_N),
          ck_grid_find(g, CK_GRID_PRACTICE, lo, CK_GRID_ALL(g), CK_GO_GE),
          ck_grid_find(g, CK_GRID_PRACTICE, lo, CK_GRID_ALL(g), CK_GO_LT)};
      try_publish(g, b, 3);
    }
  }
  /* 3: matched into their target; 4: program types; 5: specialties */
  for (size_t i = 0; i < no; i++) {
    const struct ck_gcell *x = &g->c[order[i]];
    if (!x->pub)
      continue;
    size_t set[2] = {ck_grid_find(g, x->k, x->r, x->s, CK_GO_MT),
                     ck_grid_find(g, x->k, x->r, x->s, CK_GO_XT)};
    try_publish(g, set, 2);
  }
  for (size_t i = 0; i < no; i++) {
    const struct ck_gcell *x = &g->c[order[i]];
    if (!x->pub)
      continue;
    for (int p = 0; p < 4; p++) {
      size_t one = ck_grid_find(g, x->k, x->r, x->s, CK_GO_PROG + p);
      try_publish(g, &one, 1);
    }
  }
  for (size_t i = 0; i < no; i++) {
    const struct ck_gcell *x = &g->c[order[i]];
    if (!x->pub)
      continue;
    for (size_t s = 0; s <= g->S; s++) {
      size_t one = ck_grid_find(g, x->k, x->r, x->s, CK_GO_INTO + (int)s);
      try_publish(g, &one, 1);
    }
  }
  /* 6: failed then passed by their second attempt, and 7: retakers by
   * protected weeks; last, so that they never take the place of a group
   * the sheets showed before they existed (all of them first) */
  static const int second[5] = {CK_GRID_ZONE_FAIL, -CK_GRID_OPEN, 0, 10, 20};
  size_t tp_all[3];
  for (int o = CK_GO_N; o <= CK_GO_U; o++)
    tp_all[o] =
        ck_grid_find(g, CK_GRID_SECOND, CK_GRID_ZONE_FAIL, CK_GRID_ALL(g), o);
  for (int b = 0; b < 5; b++) {
    size_t set[3];
    for (int o = CK_GO_N; o <= CK_GO_U; o++)
      set[o] = ck_grid_find(g, CK_GRID_SECOND, second[b], CK_GRID_ALL(g), o);
    if (!try_publish(g, set, 3) && (b == 0 || size_alone_ok(g, set[0], tp_all)))
      try_publish(g, set, 1); /* where second attempts fell, at least */
  }
  static const int weeks[3] = {CK_GRID_WEEKS_ALL, 0, 1};
  for (int b = 0; b < 3; b++) {
    size_t set[3] = {
        ck_grid_find(g, CK_GRID_WEEKS, weeks[b], CK_GRID_ALL(g), CK_GO_N),
        ck_grid_find(g, CK_GRID_WEEKS, weeks[b], CK_GRID_ALL(g), CK_GO_GE),
        ck_grid_find(g, CK_GRID_WEEKS, weeks[b], CK_GRID_ALL(g), CK_GO_LT)};
    try_publish(g, set, 3);
  }
  free(order);
}

/* ---- what the report publishes ----------------------------------------- */

/* The report's first-attempt groups as grid kinds within zones. */
static size_t group_kz(enum ck_group_id id, int kz[6][2]) {
  static const int all[6][2] = {{CK_ASK_NO_RETAKE, CK_GRID_ZONE_LOW},
                                {CK_ASK_RETOOK, CK_GRID_ZONE_LOW},
                                {CK_ASK_THEN_PASSED, CK_GRID_ZONE_FAIL},
                                {CK_ASK_NEVER_PASSED, CK_GRID_ZONE_FAIL},
                                {CK_ASK_NO_RETAKE, CK_GRID_ZONE_ABOVE},
                                {CK_ASK_RETOOK, CK_GRID_ZONE_ABOVE}};
  size_t first = 0, n = 0;
  switch (id) {
  case CK_G_ALL:
    first = 0;
    n = 6;
    break;
  case CK_G_LOW_PASS:
    first = 0;
    n = 2;
    break;
  case CK_G_LOW_PASS_NO_RETAKE:
    first = 0;
    n = 1;
    break;
  case CK_G_LOW_PASS_RETOOK:
    first = 1;
    n = 1;
    break;
  case CK_G_FAILED_FIRST:
    first = 2;
    n = 2;
    break;
  case CK_G_FAILED_THEN_PASSED:
    first = 2;
    n = 1;
    break;
  case CK_G_FAILED_NEVER_PASSED:
    first = 3;
    n = 1;
    break;
  case CK_G_ABOVE_BAND:
    first = 4;
    n = 2;
    break;
  default:
    return 0; /* score-change and reference bands: not grid groups */
  }
  memcpy(kz, all[first], n * sizeof kz[0]);
  return n;
}

enum {
  RF_N,
  RF_M,
  RF_U,
  RF_MT,
  RF_WT,
  RF_MISSED,
  RF_XT,
  RF_WITH_PROG,
  RF_ACAD,
  RF_NOT_ACAD,
  RF_NO_PROG,
  RF_INTO,
  RF_PROG
};

struct rmap {
  struct ck_grid *g;
  const struct ck_report *rep;
  size_t *map; /* report cell -> grid cell */
  bool *deep;  /* a "matched into" count: its subsets too */
  struct ck_gbox *b;
  size_t nb, cb;
  int extras;
};

static void rbox(struct rmap *m, int k, int r, int s, int o) {
  ck_grow((void **)&m->b, &m->cb, m->nb + 1, sizeof *m->b);
  struct ck_gbox x = {k, r, s, o};
  m->b[m->nb++] = x;
}

/* Boxes of field f over kind x zone pairs and one scope (-1: all). */
static void rboxes(struct rmap *m, const int kz[][2], size_t n, int scope,
                   int f, int arg) {
  struct ck_grid *g = m->g;
  int all = scope < 0 ? CK_GRID_ALL(g) : scope;
  for (size_t i = 0; i < n; i++) {
    int k = kz[i][0], z = kz[i][1];
    switch (f) {
    case RF_N:
      rbox(m, k, z, all, CK_GO_N);
      break;
    case RF_M:
      rbox(m, k, z, all, CK_GO_M);
      break;
    case RF_U:
      rbox(m, k, z, all, CK_GO_U);
      break;
    case RF_MT:
      rbox(m, k, z, all, CK_GO_MT);
      break;
    case RF_XT:
      rbox(m, k, z, all, CK_GO_XT);
      break;
    case RF_WT:
    case RF_MISSED: /* everyone who named a target: all but no target */
      for (size_t s = 0; s < g->S; s++)
        if (g->tier[s] == CK_TIER_NONE)
          rbox(m, k, z, (int)s, f == RF_WT ? CK_GO_N : CK_GO_XT);
      for (int t = 1; t <= 3; t++)
        rbox(m, k, z, CK_GRID_TIER(g, t), f == RF_WT ? CK_GO_N : CK_GO_XT);
      break;
    case RF_WITH_PROG:
      for (int p = 0; p < 3; p++)
        rbox(m, k, z, all, CK_GO_PROG + p);
      break;
    case RF_ACAD:
      rbox(m, k, z, all, CK_GO_PROG);
      break;
    case RF_NOT_ACAD:
      rbox(m, k, z, all, CK_GO_PROG + 1);
      rbox(m, k, z, all, CK_GO_PROG + 2);
      break;
    case RF_NO_PROG:
      rbox(m, k, z, all, CK_GO_PROG + 3);
      break;
    case RF_PROG:
      rbox(m, k, z, all, CK_GO_PROG + arg);
      break;
    default:
      rbox(m, k, z, all, CK_GO_INTO + arg);
      break; /* RF_INTO */
    }
  }
}

/* Map report cell rc onto the boxes collected in m (and clear them): one
 * grid group, or a new CK_GRID_EXTRA cell that is their sum.  Left
 * unmapped when no group has members, or when the counts disagree (not
 * the same students: counted in report_mismatch). */
static void rmap_cell(struct rmap *m, size_t rc) {
  struct ck_grid *g = m->g;
  size_t nb = m->nb;
  m->nb = 0;
  if (rc == CK_NO_CELL || rc >= m->rep->n_cells || m->rep->cells[rc].internal ||
      m->map[rc] != CK_NO_CELL || nb == 0)
    return;
  size_t *parts = ck_xmalloc(nb * sizeof *parts), np = 0;
  long sum = 0;
  bool open = false;
  for (size_t j = 0; j < nb; j++) {
    size_t i = ck_grid_cell(g, m->b[j].k, m->b[j].r, m->b[j].s, m->b[j].o);
    if (i != CK_NO_CELL) {
      parts[np++] = i;
      sum += g->c[i].v;
    } else {
      open |= m->b[j].o >= CK_GO_INTO; /* see part() */
    }
  }
  if (sum != m->rep->cells[rc].value)
    g->report_mismatch++;
  else if (np == 1) {
    m->map[rc] = parts[0];
    g->map_open[rc] = open;
  } else if (np > 1) {
    size_t x = get(g, CK_GRID_EXTRA, m->extras++, 0, 0);
    struct ck_gcell *c = &g->c[x];
    c->v = sum;
    c->split = m->rep->cells[rc].outcome;
    c->box_first = g->nbox;
    c->nbox = nb;
    ck_grow((void **)&g->box, &g->bcap, g->nbox + nb, sizeof *g->box);
    memcpy(g->box + g->nbox, m->b, nb * sizeof *m->b);
    g->nbox += nb;
    constraint(g, x, parts, np, open);
    m->map[rc] = x;
  }
  free(parts);
}

static int specialty_index(const struct ck_cohort *c, size_t S,
                           const char *name) {
  for (size_t s = 0; s < S; s++) {
    const char *nm = ck_cohort_specialty_name(c, (int)s);
    if (nm != NULL && strcmp(nm, name) == 0)
      return (int)s;
  }
  return -1;
}

/* The specialty table summed over each tier, as a reader adds it up: a
 * count of its own (known once every row in it is published), equal to
 * the sum of its rows and to the sum of the tier's groups of the kinds the
 * rows count.  Without it the report's low-pass rows of the forgiving tier
 * (165) minus a sheet's "did not retake x forgiving tier" (155) gave the
 * report's withheld 10 retakers of the tier (issue 12, leak 3). */
static void tier_sums(struct rmap *m, const struct ck_cohort *c,
                      const int six[6][2]) {
  struct ck_grid *g = m->g;
  const struct ck_report *rep = m->rep;
  static const int fields[3] = {RF_N, RF_M, RF_U};
  size_t *rows = ck_xmalloc((rep->n_specialties + 1) * sizeof *rows);
  for (int t = 1; t <= 3; t++)
    for (int lp = 0; lp < 2; lp++)
      for (int f = 0; f < 3; f++) {
        size_t nr = 0;
        long sum = 0;
        bool whole = true;
        for (size_t i = 0; i < rep->n_specialties && whole; i++) {
          const struct ck_specialty_row *row = &rep->specialties[i];
          int s = row->is_none ? -1 : specialty_index(c, g->S, row->name);
          if (s < 0 || (int)g->tier[s] != t)
            continue;
          const size_t rc3[2][3] = {
              {row->n, row->matched, row->unmatched},
              {row->lp_n, row->lp_matched, row->lp_unmatched}};
          size_t rc = rc3[lp][f];
          if (rc == CK_NO_CELL || rep->cells[rc].value == 0)
            continue; /* an empty row adds nothing */
          if (m->map[rc] == CK_NO_CELL) {
            whole = false; /* not the same students: no sum */
            break;
          }
          rows[nr++] = m->map[rc];
          sum += rep->cells[rc].value;
        }
        if (!whole || nr < 2)
          continue; /* one row is its own tier: already mapped */
        rboxes(m, six, lp ? 2 : 6, CK_GRID_TIER(g, t), fields[f], 0);
        size_t nb = m->nb;
        m->nb = 0;
        size_t *parts = ck_xmalloc(nb * sizeof *parts), np = 0;
        long have = 0;
        bool open = false;
        for (size_t j = 0; j < nb; j++) {
          size_t i =
              ck_grid_cell(g, m->b[j].k, m->b[j].r, m->b[j].s, m->b[j].o);
          if (i != CK_NO_CELL) {
            parts[np++] = i;
            have += g->c[i].v;
          } else {
            open |= m->b[j].o >= CK_GO_INTO; /* see part() */
          }
        }
        if (have == sum && np > 0) {
          size_t x = get(g, CK_GRID_EXTRA, m->extras++, 0, 0);
          g->c[x].v = sum;
          g->c[x].split = f != 0;
          g->c[x].box_first = g->nbox;
          g->c[x].nbox = nb;
          ck_grow((void **)&g->box, &g->bcap, g->nbox + nb, sizeof *g->box);
          memcpy(g->box + g->nbox, m->b, nb * sizeof *m->b);
          g->nbox += nb;
          constraint(g, x, parts, np, open);
          constraint(g, x, rows, nr, false);
        } else {
          g->report_mismatch++;
        }
        free(parts);
      }
  free(rows);
}

/* Report cell -> grid cell (or CK_NO_CELL) for every report count that is
 * a grid group or a sum of grid groups. */
static size_t *map_report(struct ck_grid *g, const struct ck_cohort *c,
                          const struct ck_report *rep, bool *deep) {
  struct rmap m = {g, rep, NULL, deep, NULL, 0, 0, 0};
  m.map = ck_xmalloc((rep->n_cells + 1) * sizeof *m.map);
  g->map_open = ck_xcalloc(rep->n_cells + 1, sizeof *g->map_open);
  for (size_t i = 0; i < rep->n_cells; i++)
    m.map[i] = CK_NO_CELL;
  int kz[6][2];
  for (int id = 0; id < CK_G_COUNT; id++) {
    size_t n = group_kz((enum ck_group_id)id, kz);
    const struct ck_group_row *row = &rep->groups[id];
    if (n == 0)
      continue;
    static const int fields[] = {RF_N,        RF_M,      RF_U,         RF_MT,
                                 RF_WT,       RF_MISSED, RF_WITH_PROG, RF_ACAD,
                                 RF_NOT_ACAD, RF_NO_PROG};
    size_t cells[] = {row->n,
                      row->matched,
                      row->unmatched,
                      row->matched_target,
                      row->with_target,
                      row->missed_target,
                      row->with_program,
                      row->academic,
                      row->not_academic,
                      row->no_program};
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
      rboxes(&m, (const int(*)[2])kz, n, -1, fields[f], 0);
      rmap_cell(&m, cells[f]);
    }
  }
  /* by target specialty: every kind and zone, one scope */
  static const int six[6][2] = {{CK_ASK_NO_RETAKE, CK_GRID_ZONE_LOW},
                                {CK_ASK_RETOOK, CK_GRID_ZONE_LOW},
                                {CK_ASK_THEN_PASSED, CK_GRID_ZONE_FAIL},
                                {CK_ASK_NEVER_PASSED, CK_GRID_ZONE_FAIL},
                                {CK_ASK_NO_RETAKE, CK_GRID_ZONE_ABOVE},
                                {CK_ASK_RETOOK, CK_GRID_ZONE_ABOVE}};
  for (size_t i = 0; i < rep->n_specialties; i++) {
    const struct ck_specialty_row *row = &rep->specialties[i];
    int s = row->is_none ? CK_GRID_NOTARGET(g)
                         : specialty_index(c, g->S, row->name);
    if (s < 0)
      continue;
    static const int fields[] = {RF_N, RF_M, RF_U, RF_MT, RF_XT};
    size_t cells[] = {row->n, row->matched, row->unmatched, row->matched_target,
                      row->missed_target};
    for (size_t f = 0; f < 5; f++) {
      rboxes(&m, six, 6, s, fields[f], 0);
      rmap_cell(&m, cells[f]);
    }
    size_t lp[] = {row->lp_n, row->lp_matched, row->lp_unmatched};
    for (size_t f = 0; f < 3; f++) {
      rboxes(&m, six, 2, s, fields[f], 0);
      rmap_cell(&m, lp[f]);
    }
  }
  tier_sums(&m, c, six);
  /* what matched applicants matched into, by column */
  static const int col[CK_INTO_NCOL][1][2] = {
      {{CK_ASK_NO_RETAKE, CK_GRID_ZONE_LOW}},
      {{CK_ASK_RETOOK, CK_GRID_ZONE_LOW}},
      {{CK_ASK_THEN_PASSED, CK_GRID_ZONE_FAIL}}};
  bool *named = ck_xcalloc(g->S + 1, sizeof *named);
  for (size_t i = 0; i < rep->n_into; i++) {
    int s = strcmp(rep->into[i].name, "(not given)") == 0
                ? (int)g->S
                : specialty_index(c, g->S, rep->into[i].name);
    if (s >= 0)
      named[s] = true;
  }
  for (size_t i = 0; i < rep->n_into; i++) {
    const struct ck_into_row *row = &rep->into[i];
    bool merged = strcmp(row->name, "Other (merged)") == 0;
    int s = strcmp(row->name, "(not given)") == 0
                ? (int)g->S
                : specialty_index(c, g->S, row->name);
    for (int k = 0; k < CK_INTO_NCOL; k++) {
      if (merged) {
        for (size_t sp = 0; sp < g->S; sp++)
          if (!named[sp])
            rboxes(&m, col[k], 1, -1, RF_INTO, (int)sp);
      } else if (s >= 0) {
        rboxes(&m, col[k], 1, -1, RF_INTO, s);
      }
      rmap_cell(&m, row->cells[k]);
      deep[row->cells[k]] = true;
    }
  }
  free(named);
  for (int p = 0; p < 4; p++)
    for (int k = 0; k < CK_INTO_NCOL; k++) {
      rboxes(&m, col[k], 1, -1, RF_PROG, p);
      rmap_cell(&m, rep->programs[p].cells[k]);
      deep[rep->programs[p].cells[k]] = true;
    }
  /* everyone with a second attempt and practice_avg_2 */
  rbox(&m, CK_GRID_PRACTICE, CK_GRID_PRACTICE_ALL, CK_GRID_ALL(g), CK_GO_N);
  rmap_cell(&m, rep->regression_all.n);
  /* everyone with a second attempt, and those who gained the significant
   * change: the weeks groups split them */
  rbox(&m, CK_GRID_WEEKS, CK_GRID_WEEKS_RETAKERS, CK_GRID_ALL(g), CK_GO_N);
  rmap_cell(&m, rep->score_change_all.n);
  rbox(&m, CK_GRID_WEEKS, CK_GRID_WEEKS_RETAKERS, CK_GRID_ALL(g), CK_GO_GE);
  rmap_cell(&m,
            rep->score_change_all.categories[CK_CHANGE_SIGNIFICANTLY_HIGHER]);
  free(m.b);
  return m.map;
}

/* Learn what the report publishes; forbid what it withholds, and for the
 * "matched into" tables (specialty, program type) every grid count inside
 * a withheld one (when in doubt, withhold): a finer group's count there
 * bounds the withheld one from below, and with the column's total and the
 * other rows, the others from above. */
static void seed_report(struct ck_grid *g, const struct ck_report *rep,
                        const size_t *map, const bool *deep) {
  for (size_t rc = 0; rc < rep->n_cells; rc++) {
    size_t f = map[rc];
    if (f == CK_NO_CELL || rep->cells[rc].shown == CK_SHOWN)
      continue;
    g->c[f].forbid = true;
    for (size_t i = 0; deep[rc] && i < g->n; i++)
      if (!g->c[i].forbid && !g->c[i].phantom && g->c[i].k != CK_GRID_EXTRA &&
          ck_grid_nested(g, i, f))
        g->c[i].forbid = true;
  }
  struct attempt t = {NULL, 0, 0, {0}};
  g->seeding = true;
  for (size_t rc = 0; rc < rep->n_cells; rc++)
    if (map[rc] != CK_NO_CELL && rep->cells[rc].shown == CK_SHOWN) {
      learn(g, &t, map[rc]);
      g->report_seeded++;
    }
  propagate(g, &t);
  g->seeding = false;
  free(t.queue);
  for (size_t i = 0; i < g->n; i++)
    g->c[i].seed = g->c[i].known;
  for (size_t i = 0; i < g->n; i++)
    g->report_forbidden += g->c[i].forbid;
}

/* The grid of c counted, its sums built and the report mapped onto it;
 * *map (report cell -> grid cell) and *deep owned by the caller. */
static struct ck_grid *grid_start(const struct ck_cohort *c,
                                  const struct ck_config *cfg,
                                  const struct ck_report *report, size_t **map,
                                  bool **deep) {
  struct ck_grid *g = ck_xcalloc(1, sizeof *g);
  g->S = ck_cohort_specialty_count(c);
  g->min_cell =
      cfg->min_cell < CK_MIN_CELL_FLOOR ? CK_MIN_CELL_FLOOR : cfg->min_cell;
  g->tier = ck_xcalloc(g->S + 1, sizeof *g->tier);
  for (size_t s = 0; s < g->S; s++)
    g->tier[s] = ck_cohort_specialty_tier(c, (int)s);
  g->code_min = 0;
  g->code_max = 1;
  for (size_t i = 0; i < c->n_records; i++) {
    const struct ck_record *rec = &c->records[i];
    struct ck_class k;
    ck_classify(cfg, rec, &k);
    int code =
        ck_ask_fine_band(rec->score[0] - k.pass_mark, cfg->low_pass_margin)
            .code;
    if (code < g->code_min)
      g->code_min = code;
    if (code > g->code_max)
      g->code_max = code;
    count_record(g, c, cfg, rec);
  }
  build_constraints(g, c, cfg->low_pass_margin);
  g->rap = -1;
  if (report != NULL &&
      report->cells[report->retake_after_pass_cell].shown == CK_SHOWN)
    g->rap = report->cells[report->retake_after_pass_cell].value;
  *map = NULL;
  *deep = NULL;
  if (report != NULL) {
    *deep = ck_xcalloc(report->n_cells + 1, sizeof **deep);
    *map = map_report(g, c, report, *deep);
  }
  build_incidence(g);
  ck_grow((void **)&g->pfirst, &g->pfcap, 1, sizeof *g->pfirst);
  g->pfirst[0] = 0;
  g->verify_col = g->verify_rc = CK_NO_CELL;
  return g;
}

static int spec_by_name(const struct ck_grid *g, const struct ck_cohort *c,
                        const char *name);

/* The cell of a named group, or CK_NO_CELL. */
static size_t find_name(const struct ck_grid *g, const struct ck_cohort *c,
                        const struct ck_gname *y) {
  int s = y->s < 0 ? spec_by_name(g, c, y->s_name) : (int)g->S + y->s;
  int o = y->o;
  if (o >= CK_GO_INTO) {
    int t = y->o_name ? spec_by_name(g, c, y->o_name) : (int)g->S;
    o = t < 0 ? -1 : CK_GO_INTO + t;
  }
  return s < 0 || o < 0 ? CK_NO_CELL : ck_grid_find(g, y->k, y->r, s, o);
}

struct ck_grid *ck_grid_new(const struct ck_cohort *c,
                            const struct ck_config *cfg,
                            const struct ck_report *report) {
  size_t missing;
  return ck_grid_new_after(c, cfg, report, NULL, 0, &missing);
}

struct ck_grid *ck_grid_new_after(const struct ck_cohort *c,
                                  const struct ck_config *cfg,
                                  const struct ck_report *report,
                                  const struct ck_gname *pub, size_t n,
                                  size_t *missing) {
  size_t *map;
  bool *deep;
  struct ck_grid *g = grid_start(c, cfg, report, &map, &deep);
  if (report != NULL)
    seed_report(g, report, map, deep);
  /* what earlier sheets published is known, whatever it implies */
  *missing = 0;
  struct attempt t = {NULL, 0, 0, {0}};
  g->seeding = true;
  for (size_t j = 0; j < n; j++) {
    size_t i = find_name(g, c, &pub[j]);
    if (i == CK_NO_CELL) {
      (*missing)++;
      continue;
    }
    g->c[i].pub = g->c[i].prior = true;
    learn(g, &t, i);
  }
  propagate(g, &t);
  g->seeding = false;
  free(t.queue);
  if (*missing > 0) {
    free(deep);
    free(map);
    free(g->map_open);
    g->map_open = NULL;
    return g;
  }
  /* decide() reasons, as it did before there were phantoms, as if a
   * reader knew them to be 0: more than a reader knows, so it publishes
   * less; but what the report tells (seed) is learnt without that */
  for (size_t i = 0; i < g->n; i++)
    if (g->c[i].phantom)
      g->c[i].known = true;
  free(deep);
  decide(g);
  ck_grid_check(g, report, map);
  free(map);
  free(g->map_open);
  g->map_open = NULL;
  return g;
}

/* ---- the release ledger: published groups by name, checked later ------ */

size_t ck_grid_names(const struct ck_grid *g, const struct ck_cohort *c,
                     struct ck_gname **out) {
  size_t n = 0;
  for (size_t i = 0; i < g->n; i++)
    n += g->c[i].pub;
  struct ck_gname *v = ck_xcalloc(n + 1, sizeof *v);
  size_t m = 0;
  for (size_t i = 0; i < g->n; i++) {
    const struct ck_gcell *x = &g->c[i];
    if (!x->pub)
      continue;
    struct ck_gname *y = &v[m++];
    y->k = x->k;
    y->r = x->r;
    y->o = x->o;
    if (x->s >= 0 && (size_t)x->s < g->S) {
      y->s = -1;
      y->s_name = ck_cohort_specialty_name(c, x->s);
    } else {
      y->s = x->s - (int)g->S;
    }
    if (x->o >= CK_GO_INTO && (size_t)(x->o - CK_GO_INTO) < g->S)
      y->o_name = ck_cohort_specialty_name(c, x->o - CK_GO_INTO);
  }
  *out = v;
  return m;
}

static int spec_by_name(const struct ck_grid *g, const struct ck_cohort *c,
                        const char *name) {
  for (size_t s = 0; name != NULL && s < g->S; s++)
    if (strcmp(ck_cohort_specialty_name(c, (int)s), name) == 0)
      return (int)s;
  return -1;
}

struct ck_grid *ck_grid_verify(const struct ck_cohort *c,
                               const struct ck_config *cfg,
                               const struct ck_report *report,
                               const struct ck_gname *pub, size_t n,
                               size_t *missing) {
  size_t *map;
  bool *deep;
  struct ck_grid *g = grid_start(c, cfg, report, &map, &deep);
  free(deep);
  *missing = 0;
  for (size_t j = 0; j < n; j++) {
    size_t i = find_name(g, c, &pub[j]);
    if (i == CK_NO_CELL) {
      (*missing)++;
      continue;
    }
    if (!g->c[i].pub) {
      g->c[i].pub = true;
      ck_grow((void **)&g->plog, &g->plcap, g->nplog + 1, sizeof *g->plog);
      g->plog[g->nplog++] = i;
    }
  }
  /* one set: nothing is taken back, so the order does not matter */
  ck_grow((void **)&g->pfirst, &g->pfcap, 2, sizeof *g->pfirst);
  g->pfirst[1] = g->nplog;
  g->npset = g->nplog > 0;
  g->verify = true;
  if (*missing == 0)
    ck_grid_check(g, report, map);
  free(map);
  free(g->map_open);
  g->map_open = NULL;
  return g;
}

void ck_grid_label(const struct ck_grid *g, const struct ck_cohort *c, size_t i,
                   char *buf, size_t cap) {
  static const char *const kinds[CK_GRID_NKIND + 1] = {
      "passed first, did not retake",
      "passed first, retook",
      "failed first, then passed",
      "failed first, never passed",
      "retakers with a practice average",
      "failed then passed, by second attempt",
      "retakers by study weeks",
      "a sum of groups"};
  static const char *const outs[] = {"members",
                                     "matched",
                                     "not matched",
                                     "matched into their target",
                                     "did not match into their target",
                                     "academic programs",
                                     "community programs",
                                     "other programs",
                                     "program type not given"};
  const struct ck_gcell *x = &g->c[i];
  const char *kind = x->k >= 0 && x->k <= CK_GRID_NKIND ? kinds[x->k] : "?";
  char band[48];
  if (x->r == CK_GRID_ZONE_FAIL)
    snprintf(band, sizeof band, "first score below the pass mark");
  else if (x->r == CK_GRID_ZONE_LOW)
    snprintf(band, sizeof band, "a low pass");
  else if (x->r == CK_GRID_ZONE_ABOVE)
    snprintf(band, sizeof band, "above a low pass");
  else if (x->k == CK_GRID_SECOND)
    snprintf(band, sizeof band, "second attempt from pass%+d", x->r);
  else if (x->k == CK_GRID_PRACTICE || x->k == CK_GRID_WEEKS)
    snprintf(band, sizeof band, "group %d", x->r);
  else
    snprintf(band, sizeof band, "first-score band %d of the grid", x->r);
  char scope[96];
  static const char *const tiers[] = {"no target", "forgiving tier",
                                      "middle tier", "competitive tier",
                                      "everyone"};
  if (x->s >= 0 && (size_t)x->s < g->S)
    snprintf(scope, sizeof scope, "%s", ck_cohort_specialty_name(c, x->s));
  else if (x->s >= (int)g->S && x->s <= (int)g->S + 4)
    snprintf(scope, sizeof scope, "%s", tiers[x->s - (int)g->S]);
  else
    snprintf(scope, sizeof scope, "scope %d", x->s);
  char out[96];
  if (x->o >= 0 && (size_t)x->o < sizeof outs / sizeof outs[0])
    snprintf(out, sizeof out, "%s", outs[x->o]);
  else if (x->o == CK_GO_GE || x->o == CK_GO_LT)
    snprintf(out, sizeof out, "%s",
             x->o == CK_GO_GE ? "gained the significant change"
                              : "gained less");
  else if (x->o >= CK_GO_INTO && (size_t)(x->o - CK_GO_INTO) < g->S)
    snprintf(out, sizeof out, "matched into %s",
             ck_cohort_specialty_name(c, x->o - CK_GO_INTO));
  else
    snprintf(out, sizeof out, "matched into a specialty not given");
  snprintf(buf, cap, "%s, %s, %s: %s", kind, band, scope, out);
}

void ck_grid_free(struct ck_grid *g) {
  if (g == NULL)
    return;
  free(g->c);
  ck_u64map_free(&g->cells);
  free(g->con);
  free(g->parts);
  free(g->inc_first);
  free(g->inc);
  free(g->tier);
  free(g->skip_code);
  for (int k = 0; k < CK_GRID_NLIST; k++)
    free(g->known[k]);
  free(g->box);
  free(g->plog);
  free(g->pfirst);
  free(g);
}
