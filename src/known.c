/*
 * known.c - what a reader already knows: another report of a nested population
 * SPDX-License-Identifier: MIT
 *
 * A reader who holds an earlier release (or a consortium member's own data)
 * subtracts it from the new report: every count of the new report minus its
 * counterpart there is a count of the students in one population and not
 * the other, a group of its own.  ck_report_add_known puts both populations
 * into the one model ck_suppress checks, so the engine protects those
 * difference counts exactly as it protects any count.
 */
#include "ckcohort/ledger.h"
#include "util.h"
#include "report_model.h"
#include "cohort.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keys of rows whose members depend on the data (specialties with fewer
 * than min_cell matched applicants merge into one row): the row of a larger
 * population is not a superset of the smaller one's, so it has no
 * difference; the totals and the named rows still tie it to the others. */
#define MERGED "merged/"

static bool merged(const char *key) {
  return strncmp(key, MERGED, strlen(MERGED)) == 0;
}

/* A count of new students: only one of 1..2*min-3 can be narrowed to
 * "some, and fewer than min_cell" (a range of fewer than min_cell values
 * starting at 1..min-1), so only those are checked; the rest are slacks. */
static void unprinted(struct ck_report *r, size_t dc, size_t min) {
  long d = r->cells[dc].value;
  if (d >= 1 && d <= 2 * (long)min - 3) {
    r->cells[dc].unprinted = true;
    r->cells[dc].shown = CK_HIDDEN_SMALL;
  } else {
    r->cells[dc].internal = true;
  }
}

static bool is_into(const char *key) { return strncmp(key, "into/", 5) == 0; }

struct key_list {
  char **key; /* per cell: its stable key, or NULL (owned) */
  size_t n;
};

static void put(struct key_list *k, size_t cell, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void put(struct key_list *k, size_t cell, const char *fmt, ...) {
  if (cell == CK_NO_CELL || cell >= k->n || k->key[cell] != NULL)
    return; /* several fields may show one cell: its first name is its key */
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  k->key[cell] = ck_xstrdup(buf);
}

static const char *into_col[CK_INTO_NCOL] = {
    "low_pass_no_retake", "low_pass_retook", "failed_then_passed"};

static void score_keys(struct key_list *k, const struct ck_score_change *s) {
  put(k, s->n, "%s/n", s->id);
  for (int c = 0; c < CK_CHANGE_NCAT; c++)
    put(k, s->categories[c], "%s/%s", s->id,
        ck_change_cat_id((enum ck_change_cat)c));
}

char **ck_report_cell_keys(const struct ck_report *r) {
  struct key_list k = {ck_xcalloc(r->n_cells + 1, sizeof *k.key), r->n_cells};
  for (int g = 0; g < CK_G_COUNT; g++) {
    const struct ck_group_row *w = &r->groups[g];
    const char *id = ck_group_key((enum ck_group_id)g);
    put(&k, w->n, "group/%s/n", id);
    put(&k, w->matched, "group/%s/matched", id);
    put(&k, w->unmatched, "group/%s/unmatched", id);
    put(&k, w->with_target, "group/%s/with_target", id);
    put(&k, w->matched_target, "group/%s/matched_target", id);
    put(&k, w->missed_target, "group/%s/missed_target", id);
    put(&k, w->no_target, "group/%s/no_target", id);
    put(&k, w->with_program, "group/%s/with_program", id);
    put(&k, w->academic, "group/%s/academic", id);
    put(&k, w->not_academic, "group/%s/not_academic", id);
    put(&k, w->no_program, "group/%s/no_program", id);
  }
  put(&k, r->retake_after_pass_cell, "retake_after_pass");
  score_keys(&k, &r->score_change);
  score_keys(&k, &r->score_change_all);
  put(&k, r->regression.n, "%s/n", r->regression.id);
  put(&k, r->regression_all.n, "%s/n", r->regression_all.id);
  for (size_t i = 0; i < r->n_specialties; i++) {
    const struct ck_specialty_row *s = &r->specialties[i];
    put(&k, s->n, "specialty/%s/n", s->name);
    put(&k, s->matched, "specialty/%s/matched", s->name);
    put(&k, s->unmatched, "specialty/%s/unmatched", s->name);
    put(&k, s->matched_target, "specialty/%s/matched_target", s->name);
    put(&k, s->missed_target, "specialty/%s/missed_target", s->name);
    put(&k, s->lp_n, "specialty/%s/low_pass_n", s->name);
    put(&k, s->lp_matched, "specialty/%s/low_pass_matched", s->name);
    put(&k, s->lp_unmatched, "specialty/%s/low_pass_unmatched", s->name);
  }
  for (size_t i = 0; i < r->n_years; i++) {
    const struct ck_year_row *y = &r->years[i];
    put(&k, y->n, "year/%d/n", y->year);
    put(&k, y->matched, "year/%d/matched", y->year);
    put(&k, y->unmatched, "year/%d/unmatched", y->year);
  }
  for (int c = 0; c < CK_INTO_NCOL; c++) {
    for (size_t i = 0; i < r->n_into; i++)
      put(&k, r->into[i].cells[c], "%sinto/%s/%s",
          strcmp(r->into[i].name, "Other (merged)") == 0 ? MERGED : "",
          r->into[i].name, into_col[c]);
    for (size_t i = 0; i < 4; i++)
      if (r->programs[i].name != NULL)
        put(&k, r->programs[i].cells[c], "program/%s/%s", r->programs[i].name,
            into_col[c]);
    put(&k, r->into_totals[c], "into_total/%s", into_col[c]);
  }
  return k.key;
}

void ck_report_cell_keys_free(char **keys, size_t n) {
  if (keys == NULL)
    return;
  for (size_t i = 0; i < n; i++)
    free(keys[i]);
  free(keys);
}

struct key_cell {
  const char *key;
  size_t cell;
};

static int by_key(const void *a, const void *b) {
  return strcmp(((const struct key_cell *)a)->key,
                ((const struct key_cell *)b)->key);
}

/* The cell of `key` in a sorted index, or CK_NO_CELL. */
static size_t find(const struct key_cell *idx, size_t n, const char *key) {
  struct key_cell want = {key, 0};
  const struct key_cell *hit = bsearch(&want, idx, n, sizeof *idx, by_key);
  return hit ? hit->cell : CK_NO_CELL;
}

static size_t min_cell_of(const struct ck_report *r) {
  return r->min_cell < CK_MIN_CELL_FLOOR ? CK_MIN_CELL_FLOOR : r->min_cell;
}

/* A difference of 1..min-1 students in the population a statistic describes:
 * the statistic, published for both, would describe those few. */
static bool small_diff(const struct ck_report *r, const struct ck_report *known,
                       size_t rc, size_t kc, int dir) {
  if (rc == CK_NO_CELL || kc == CK_NO_CELL)
    return false;
  long d = (long)dir * (r->cells[rc].value - known->cells[kc].value);
  return d >= 1 && d < (long)min_cell_of(r);
}

static void withhold_statistics(struct ck_report *r,
                                const struct ck_report *known, int dir) {
  struct {
    struct ck_score_change *s;
    const struct ck_score_change *k;
  } sc[2] = {{&r->score_change, &known->score_change},
             {&r->score_change_all, &known->score_change_all}};
  for (int i = 0; i < 2; i++) {
    bool published =
        sc[i].k->shown == CK_SHOWN || sc[i].k->wilcoxon_shown == CK_SHOWN;
    if (published && small_diff(r, known, sc[i].s->n, sc[i].k->n, dir)) {
      if ((sc[i].s->shown == CK_SHOWN || sc[i].s->wilcoxon_shown == CK_SHOWN) &&
          sc[i].s->why == CK_WHY_NONE)
        sc[i].s->why = CK_WHY_RELEASE;
      if (sc[i].s->shown == CK_SHOWN)
        sc[i].s->shown = CK_HIDDEN_DERIVED;
      if (sc[i].s->wilcoxon_shown == CK_SHOWN)
        sc[i].s->wilcoxon_shown = CK_HIDDEN_DERIVED;
    }
  }
  struct {
    struct ck_regression *g;
    const struct ck_regression *k;
  } rg[2] = {{&r->regression, &known->regression},
             {&r->regression_all, &known->regression_all}};
  for (int i = 0; i < 2; i++)
    if (rg[i].k->shown == CK_SHOWN && rg[i].g->shown == CK_SHOWN &&
        small_diff(r, known, rg[i].g->n, rg[i].k->n, dir)) {
      rg[i].g->shown = CK_HIDDEN_DERIVED;
      rg[i].g->why = CK_WHY_RELEASE;
    }
  /* an adjusted model is fitted to the members of both its groups, one by
   * one (score, year): a few new members in either group move it */
  for (size_t i = 0; i < r->n_adjusted && i < CK_MAX_COMPARISONS; i++) {
    struct ck_adjusted *a = &r->adjusted[i];
    const struct ck_adjusted *ka = NULL;
    for (size_t j = 0; j < known->n_adjusted && j < CK_MAX_COMPARISONS; j++)
      if (strcmp(known->adjusted[j].id, a->id) == 0)
        ka = &known->adjusted[j];
    if (ka == NULL || (ka->shown != CK_SHOWN && ka->mh_shown != CK_SHOWN))
      continue;
    if (!small_diff(r, known, r->groups[a->a].n, known->groups[a->a].n, dir) &&
        !small_diff(r, known, r->groups[a->b].n, known->groups[a->b].n, dir))
      continue;
    if (a->shown == CK_SHOWN)
      a->shown = CK_HIDDEN_DERIVED;
    if (a->mh_shown == CK_SHOWN)
      a->mh_shown = CK_HIDDEN_DERIVED;
    if (a->bd_shown == CK_SHOWN)
      a->bd_shown = CK_HIDDEN_DERIVED;
  }
}

static const struct ck_into_row *find_into(const struct ck_report *r,
                                           const char *name) {
  for (size_t i = 0; i < r->n_into; i++)
    if (strcmp(r->into[i].name, name) == 0)
      return &r->into[i];
  return NULL;
}

/* The merged row of the larger population, with the rows it names that the
 * smaller one merged, holds everyone the smaller one's merged row holds:
 * their difference is a count of new students like any other.  `cell_b`
 * and `cell_s` turn the two reports' cells into r's. */
static void merged_relation(struct ck_report *r, const struct ck_report *big,
                            const struct ck_report *small, const size_t *map_b,
                            const size_t *map_s, size_t min) {
  static const char *other = "Other (merged)";
  for (size_t i = 0; i < small->n_into; i++)
    if (strcmp(small->into[i].name, other) != 0 &&
        find_into(big, small->into[i].name) == NULL)
      return; /* a row named there and merged here: no such relation */
  const struct ck_into_row *bo = find_into(big, other);
  const struct ck_into_row *so = find_into(small, other);
  for (int c = 0; c < CK_INTO_NCOL; c++) {
    size_t *parts = ck_xmalloc((big->n_into + 1) * sizeof *parts);
    size_t n = 0;
    long sum = 0;
    for (size_t i = 0; i < big->n_into; i++) {
      const struct ck_into_row *row = &big->into[i];
      if (row != bo && find_into(small, row->name) != NULL)
        continue;
      if (row->cells[c] == CK_NO_CELL)
        continue;
      size_t cell = map_b ? map_b[row->cells[c]] : row->cells[c];
      parts[n++] = cell;
      sum += r->cells[cell].value;
    }
    long sv = 0;
    size_t scell = CK_NO_CELL;
    if (so != NULL && so->cells[c] != CK_NO_CELL) {
      scell = map_s ? map_s[so->cells[c]] : so->cells[c];
      sv = r->cells[scell].value;
    }
    if (n == 0 || sum < sv) {
      free(parts);
      continue;
    }
    size_t total = ck_report_internal_cell(r, sum);
    ck_report_constraint(r, total, parts, n);
    long d = sum - sv;
    size_t dc = ck_report_cell(r, d, true);
    unprinted(r, dc, min);
    size_t two[2] = {dc, scell};
    ck_report_constraint(r, total, two, scell == CK_NO_CELL ? 1 : 2);
    free(parts);
  }
}

/* dir +1: known is part of r's population (r = known + difference);
 * dir -1: r is part of known's (known = r + difference).  same: the two
 * populations are the same students (the same files and Match years). */
static enum ck_status add_known(struct ck_report *r,
                                const struct ck_report *known,
                                bool only_published, int dir, bool same,
                                struct ck_error *err) {
  if (r == NULL || known == NULL || r == known)
    return ck_error_set(err, CK_EUSAGE, NULL, 0, NULL,
                        "add_known: two distinct reports are needed");
  size_t r_cells = r->n_cells, r_constraints = r->n_constraints;
  size_t min = min_cell_of(r);
  char **rkeys = ck_report_cell_keys(r);
  char **kkeys = ck_report_cell_keys(known);
  struct key_cell *idx = ck_xmalloc((r_cells + 1) * sizeof *idx);
  struct key_cell *kidx = ck_xmalloc((known->n_cells + 1) * sizeof *kidx);
  size_t n_idx = 0, n_kidx = 0;
  for (size_t i = 0; i < r_cells; i++)
    if (rkeys[i] != NULL)
      idx[n_idx++] = (struct key_cell){rkeys[i], i};
  qsort(idx, n_idx, sizeof *idx, by_key);
  for (size_t i = 0; i < known->n_cells; i++)
    if (kkeys[i] != NULL)
      kidx[n_kidx++] = (struct key_cell){kkeys[i], i};
  qsort(kidx, n_kidx, sizeof *kidx, by_key);

  /* first pass: every counterpart must be a sub-population's count */
  enum ck_status st = CK_OK;
  for (size_t kc = 0; kc < known->n_cells && st == CK_OK; kc++) {
    if (kkeys[kc] == NULL || merged(kkeys[kc]))
      continue;
    size_t rc = find(idx, n_idx, kkeys[kc]);
    long rv = rc == CK_NO_CELL ? 0 : r->cells[rc].value;
    long d = (long)dir * (rv - known->cells[kc].value);
    if (d < 0)
      st = ck_error_set(err, CK_EDATA, NULL, 0, kkeys[kc],
                        "%s is %ld in this report and %ld in the other: the "
                        "other population is not %s this one",
                        kkeys[kc], rv, known->cells[kc].value,
                        dir > 0 ? "part of" : "a superset of");
  }
  /* a count only this report has (a new specialty row) is new students
   * only when the other population is the smaller one */
  for (size_t rc = 0; rc < r_cells && st == CK_OK && dir < 0; rc++)
    if (rkeys[rc] != NULL && !merged(rkeys[rc]) && r->cells[rc].value > 0 &&
        find(kidx, n_kidx, rkeys[rc]) == CK_NO_CELL)
      st = ck_error_set(err, CK_EDATA, NULL, 0, rkeys[rc],
                        "%s is %ld in this report and absent from the other: "
                        "the other population is not a superset of this one",
                        rkeys[rc], r->cells[rc].value);
  if (st != CK_OK)
    goto out;

  size_t *map_k = ck_xmalloc((known->n_cells + 1) * sizeof *map_k);
  size_t *map_d = ck_xmalloc((known->n_cells + 1) * sizeof *map_d);
  size_t *map_rd = ck_xmalloc((r->n_cells + 1) * sizeof *map_rd);
  size_t *map_kd = ck_xmalloc((known->n_cells + 1) * sizeof *map_kd);
  for (size_t i = 0; i < r_cells; i++)
    map_rd[i] = CK_NO_CELL;
  /* every count of the other report: the ones a reader knows as constants,
   * the others as withheld counts the engine must keep protected */
  for (size_t kc = 0; kc < known->n_cells; kc++) {
    const struct ck_cell *c = &known->cells[kc];
    size_t i = ck_report_cell(r, c->value, c->outcome);
    struct ck_cell *n = &r->cells[i];
    bool published = c->shown == CK_SHOWN && !c->internal;
    if (!only_published || published) {
      n->locked = true;
    } else if (c->internal) {
      n->internal = true;
    } else {
      /* withheld there, small or as a complement: it stays withheld, and
       * as wide as min_cell values (or its coded range, if that release
       * printed it), or as wide as that release left it (suppress.c:
       * a prior count) */
      n->shown = c->shown;
      n->prior = true;
      n->may_be_empty = c->may_be_empty;
    }
    map_k[kc] = i;
    map_d[kc] = CK_NO_CELL;
  }
  for (size_t q = 0; q < known->n_constraints; q++) {
    const struct ck_constraint *k = &known->constraints[q];
    /* a sum of constants tells the reader nothing more: left out, the
     * linear programs stay smaller */
    bool constants = r->cells[map_k[k->total]].locked;
    for (size_t j = 0; constants && j < k->n_parts; j++)
      constants = r->cells[map_k[known->parts[k->first + j]]].locked;
    if (constants)
      continue;
    size_t *parts = ck_xmalloc((k->n_parts + 1) * sizeof *parts);
    for (size_t j = 0; j < k->n_parts; j++)
      parts[j] = map_k[known->parts[k->first + j]];
    ck_report_constraint(r, map_k[k->total], parts, k->n_parts);
    free(parts);
  }
  /* the differences: never printed; a large one needs no protection (a
   * slack), a small one, or an outcome of 0, is protected like any count */
  for (size_t kc = 0; kc < known->n_cells; kc++) {
    if (kkeys[kc] == NULL || merged(kkeys[kc]))
      continue;
    size_t rc = find(idx, n_idx, kkeys[kc]);
    if (rc == CK_NO_CELL || rc >= r_cells)
      continue;
    long d = (long)dir * (r->cells[rc].value - known->cells[kc].value);
    bool outcome = r->cells[rc].outcome;
    size_t dc = ck_report_cell(r, d, outcome);
    if (d == 0 && (same || strncmp(kkeys[kc], "year/", 5) == 0)) {
      /* A Match year both populations hold has the same students in both
       * (populations differ by whole Match years): every reader knows its
       * new students are none, and so that its count is the same count
       * in both.  What one release published the other cannot hide, and
       * what one withheld the other must not narrow. */
      r->cells[dc].locked = true;
      if (r->cells[map_k[kc]].locked)
        r->cells[rc].locked = true;
      /* the same students: what the other release withheld this run
       * withholds too (an export after the report shows what it shows) */
      else if (same && !r->cells[map_k[kc]].internal &&
               r->cells[rc].shown == CK_SHOWN)
        r->cells[rc].shown = CK_HIDDEN_COMPLEMENT;
    } else {
      unprinted(r, dc, min);
    }
    size_t parts[2] = {dir > 0 ? map_k[kc] : rc, dc};
    ck_report_constraint(r, dir > 0 ? rc : map_k[kc], parts, 2);
    map_d[kc] = dc;
    map_rd[rc] = dc;
  }
  /* A count only the larger population has (the new Match year's row, a
   * specialty none of the smaller one's students chose) is 0 in the smaller
   * one, so the count itself is the new students' count.  Not so for a row
   * of the matched-into table when the smaller population merged rows into
   * "Other (merged)": the row may be inside that one (merged_relation). */
  bool k_merged = false;
  for (size_t kc = 0; kc < known->n_cells && !k_merged; kc++)
    k_merged = kkeys[kc] != NULL && merged(kkeys[kc]);
  if (dir > 0)
    for (size_t rc = 0; rc < r_cells; rc++)
      if (rkeys[rc] != NULL && !merged(rkeys[rc]) && map_rd[rc] == CK_NO_CELL &&
          !(k_merged && is_into(rkeys[rc])) &&
          find(kidx, n_kidx, rkeys[rc]) == CK_NO_CELL)
        map_rd[rc] = rc;
  for (size_t kc = 0; kc < known->n_cells; kc++)
    map_kd[kc] = map_d[kc];
  if (dir < 0) {
    bool r_merged = false;
    for (size_t rc = 0; rc < r_cells && !r_merged; rc++)
      r_merged = rkeys[rc] != NULL && merged(rkeys[rc]);
    for (size_t kc = 0; kc < known->n_cells; kc++)
      if (kkeys[kc] != NULL && !merged(kkeys[kc]) && map_kd[kc] == CK_NO_CELL &&
          !(r_merged && is_into(kkeys[kc])) &&
          find(idx, n_idx, kkeys[kc]) == CK_NO_CELL)
        map_kd[kc] = map_k[kc];
  }
  /* the same sums over the differences, so that an outcome of 0 among new
   * students is seen as one, and a year or a row that only the larger
   * population has ties the new students' totals to it (the larger
   * population's tables: every row of the smaller one is in them) */
  const struct ck_report *big = dir > 0 ? r : known;
  size_t big_constraints = dir > 0 ? r_constraints : known->n_constraints;
  size_t big_cells = dir > 0 ? r_cells : known->n_cells;
  const size_t *map_big = dir > 0 ? map_rd : map_kd;
  for (size_t q = 0; q < big_constraints; q++) {
    const struct ck_constraint *k = &big->constraints[q];
    size_t n = k->n_parts;
    size_t *parts = ck_xmalloc((n + 1) * sizeof *parts);
    bool all = k->total < big_cells && map_big[k->total] != CK_NO_CELL;
    for (size_t j = 0; all && j < n; j++) {
      size_t p = big->parts[k->first + j];
      all = p < big_cells && map_big[p] != CK_NO_CELL;
      if (all)
        parts[j] = map_big[p];
    }
    if (all)
      ck_report_constraint(r, map_big[k->total], parts, n);
    free(parts);
  }
  if (dir > 0)
    merged_relation(r, r, known, NULL, map_k, min);
  else
    merged_relation(r, known, r, map_k, NULL, min);
  withhold_statistics(r, known, dir);
  free(map_k);
  free(map_d);
  free(map_rd);
  free(map_kd);
out:
  free(idx);
  free(kidx);
  ck_report_cell_keys_free(rkeys, r_cells);
  ck_report_cell_keys_free(kkeys, known->n_cells);
  return st;
}

enum ck_status ck_report_add_nested(struct ck_report *r,
                                    const struct ck_report *other,
                                    bool other_is_part, bool same,
                                    bool only_published, struct ck_error *err) {
  return add_known(r, other, only_published, other_is_part ? 1 : -1, same, err);
}

enum ck_status ck_report_add_known(struct ck_report *r,
                                   const struct ck_report *known,
                                   bool only_published) {
  return add_known(r, known, only_published, 1, false, NULL);
}
