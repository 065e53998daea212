/*
 * pool.c - a consortium's report: schools' summaries added, then analysed
 * SPDX-License-Identifier: MIT
 *
 * The pooled report is ck_analyse_suff on the sum of the schools'
 * sufficient statistics: the same code as the report on one school's
 * files, so the two cannot drift apart.  The per-school rows of the
 * meta-analysis come from each school's own report, suppressed under the
 * same policy: a row is shown only when that report shows the comparison.
 */
#include "ckcohort/pool.h"
#include "classify.h"
#include "ckcohort/ledger.h"
#include "util.h"
#include "meta.h"
#include "report_model.h"
#include "cohort.h"

#include <stdlib.h>
#include <string.h>

/* splitmix64: a small, portable generator for the order of the letters
 * (the library's GSL generators belong to the analysis and generate). */
static uint64_t mix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* "School A" .. "School Z", "School AA", ... */
static char *letter_name(size_t j) {
  char buf[32], rev[16];
  size_t n = 0;
  j++;
  while (j > 0 && n < sizeof rev) {
    j--;
    rev[n++] = (char)('A' + j % 26);
    j /= 26;
  }
  size_t p = (size_t)snprintf(buf, sizeof buf, "School ");
  while (n > 0 && p + 1 < sizeof buf)
    buf[p++] = rev[--n];
  buf[p] = '\0';
  return ck_xstrdup(buf);
}

struct input_ref {
  const char *sha; /* or the school's name */
  size_t summary, input;
};

static int ref_cmp(const void *a, const void *b) {
  const struct input_ref *p = a, *q = b;
  int c = strcmp(p->sha, q->sha);
  if (c != 0)
    return c;
  return p->summary < q->summary ? -1 : p->summary > q->summary;
}

/* Definitions against the first summary (equality is transitive); school
 * names and inputs by sorting, so 150 schools cost n log n, not n^2. */
static bool compatible(struct ck_summary *const *s, const char *const *names,
                       size_t n, struct ck_error *err) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++)
    total += s[i]->suff->n_inputs;
  struct input_ref *ref = ck_xcalloc(total + n + 1, sizeof *ref);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < s[i]->suff->n_inputs; j++)
      ref[k++] = (struct input_ref){s[i]->suff->inputs[j].sha256, i, j};
  qsort(ref, k, sizeof *ref, ref_cmp);
  bool ok = true;
  for (size_t i = 1; i < k && ok; i++)
    if (strcmp(ref[i - 1].sha, ref[i].sha) == 0) {
      size_t a = ref[i - 1].summary, b = ref[i].summary;
      /* two summaries holding one file (their check names it), or one
       * summary holding it twice */
      if (a != b)
        ck_summary_compatible(s[a], names[a], s[b], names[b], err);
      else
        ck_error_set(err, CK_EUSAGE, NULL, 0, "inputs",
                     "%s holds input %s twice", names[a],
                     s[a]->suff->inputs[ref[i].input].path);
      ok = false;
    }
  for (size_t i = 0; i < n; i++)
    ref[i] = (struct input_ref){s[i]->school, i, 0};
  qsort(ref, n, sizeof *ref, ref_cmp); /* by school name */
  for (size_t i = 1; i < n && ok; i++)
    if (strcmp(ref[i - 1].sha, ref[i].sha) == 0) {
      size_t a = ref[i - 1].summary, b = ref[i].summary;
      ok = ck_summary_compatible(s[a], names[a], s[b], names[b], err) == CK_OK;
    }
  for (size_t i = 1; i < n && ok; i++)
    ok = ck_summary_compatible(s[0], names[0], s[i], names[i], err) == CK_OK;
  free(ref);
  return ok;
}

/* Matched and unmatched applicants of group g in a school's counts. */
static void group_counts(const struct ck_suff *s, enum ck_group_id g,
                         long *matched, long *unmatched) {
  *matched = *unmatched = 0;
  for (size_t i = 0; i < s->n_counts; i++)
    if (ck_group_contains(g, (enum ck_group_id)s->counts[i].leaf))
      *(s->counts[i].matched ? matched : unmatched) += (long)s->counts[i].n;
}

static bool same_privacy(const struct ck_config *a, const struct ck_config *b) {
  if (a->policy != b->policy || a->n_bands != b->n_bands)
    return false;
  for (size_t i = 0; i < a->n_bands; i++)
    if (a->bands[i].min_n != b->bands[i].min_n ||
        a->bands[i].pct != b->bands[i].pct)
      return false;
  return true;
}

struct keyed {
  const char *key;
  size_t cell;
};

static int key_cmp(const void *a, const void *b) {
  return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

struct ck_report *ck_pool(struct ck_summary *const *s, const char *const *names,
                          size_t n, const struct ck_pool_options *o,
                          struct ck_error *err) {
  if (s == NULL || n == 0) {
    ck_error_set(err, CK_EUSAGE, NULL, 0, NULL, "no summaries to pool");
    return NULL;
  }
  if (!compatible(s, names, n, err))
    return NULL;

  struct ck_config cfg = *s[0]->cfg; /* shallow: only read */
  cfg.min_cell = o && o->min_cell ? o->min_cell : 0;
  if (cfg.min_cell == 0)
    for (size_t i = 0; i < n; i++)
      if (s[i]->cfg->min_cell > cfg.min_cell)
        cfg.min_cell = s[i]->cfg->min_cell;
  if (o && o->set_policy) {
    cfg.policy = o->policy;
  } else {
    for (size_t i = 1; i < n; i++)
      if (!same_privacy(s[i]->cfg, &cfg)) {
        ck_error_set(err, CK_EUSAGE, names[i], 0, "privacy",
                     "written under privacy policy %s, %s under %s; choose "
                     "one for the pool with --privacy",
                     ck_privacy_name(s[i]->cfg->policy), names[0],
                     ck_privacy_name(cfg.policy));
        return NULL;
      }
  }

  struct ck_suff *sum = ck_xcalloc(1, sizeof *sum);
  for (size_t i = 0; i < n; i++)
    ck_suff_add(sum, s[i]->suff);
  sum->years_from = s[0]->suff->years_from;
  sum->years_to = s[0]->suff->years_to;
  ck_suff_sort(sum);
  struct ck_report *r = ck_analyse_suff(sum, &cfg, err);
  ck_suff_free(sum);
  if (r == NULL)
    return NULL;

  struct ck_meta *m = ck_xcalloc(1, sizeof *m);
  r->meta = m;
  m->n_schools = n;
  m->schools = ck_xcalloc(n, sizeof *m->schools);
  m->anonymised = o && o->anonymise;
  /* order[j]: the school shown j-th */
  size_t *order = ck_xcalloc(n, sizeof *order);
  for (size_t i = 0; i < n; i++)
    order[i] = i;
  if (m->anonymised) {
    uint64_t st = (uint64_t)o->seed;
    for (size_t i = n - 1; i > 0; i--) {
      size_t j = (size_t)(mix(&st) % (uint64_t)(i + 1));
      size_t t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
  for (size_t j = 0; j < n; j++)
    m->schools[j] =
        m->anonymised ? letter_name(j) : ck_xstrdup(s[order[j]]->school);

  m->n_comparisons = r->n_comparisons;
  for (size_t c = 0; c < r->n_comparisons; c++) {
    struct ck_meta_comparison *mc = &m->comparisons[c];
    mc->id = r->comparisons[c].id;
    mc->label = r->comparisons[c].label;
    mc->a = r->comparisons[c].a;
    mc->b = r->comparisons[c].b;
    mc->rows = ck_xcalloc(n, sizeof *mc->rows);
    mc->n_rows = n;
  }
  enum ck_status st = CK_OK;
  for (size_t j = 0; j < n && st == CK_OK; j++) {
    const struct ck_summary *sj = s[order[j]];
    /* The school recorded what its own report shows under the same
     * min_cell; otherwise its report is analysed and suppressed here (the
     * costly part of pooling many schools). */
    bool recorded = sj->own_min_cell != 0 && sj->own_min_cell == cfg.min_cell &&
                    same_privacy(sj->cfg, &cfg);
    struct ck_report *own = NULL;
    if (!recorded) {
      own = ck_analyse_suff(sj->suff, &cfg, err);
      if (own == NULL) {
        st = CK_EINTERNAL;
        break;
      }
      ck_suppress(own);
    }
    for (size_t c = 0; c < m->n_comparisons; c++) {
      struct ck_meta_school *row = &m->comparisons[c].rows[j];
      const struct ck_meta_comparison *mc = &m->comparisons[c];
      row->school = j;
      group_counts(sj->suff, mc->a, &row->a_matched, &row->a_unmatched);
      group_counts(sj->suff, mc->b, &row->b_matched, &row->b_unmatched);
      row->shown =
          recorded ? sj->own_shows[c] : ck_report_shows_comparison(own, c);
    }
    ck_report_free(own);
  }
  free(order);
  /* A member knows its own data and could subtract it from the pool:
   * school j's own (unsuppressed) report goes in as known when the pool
   * minus school j has some count of 1..min_cell-1 students, so that the
   * pool minus any one school satisfies the policy too.  A school whose
   * every difference is at least min_cell (or 0 for a count that is not an
   * outcome, or equal to the pool's count: none of its own there) learns
   * nothing below the policy's threshold by subtracting, and is left out;
   * each school added makes the suppression's linear programs larger. */
  m->members_checked = !(o && o->no_known);
  if (n > 1 && m->members_checked && st == CK_OK) {
    char **pk = ck_report_cell_keys(r);
    size_t n_pk = r->n_cells; /* r grows below */
    struct keyed *idx = ck_xcalloc(n_pk + 1, sizeof *idx);
    size_t nk = 0;
    for (size_t i = 0; i < n_pk; i++)
      if (pk[i] != NULL && !r->cells[i].internal)
        idx[nk++] = (struct keyed){pk[i], i};
    qsort(idx, nk, sizeof *idx, key_cmp);
    for (size_t j = 0; j < n && st == CK_OK; j++) {
      /* whether it matters needs only its counts; a member added needs
       * its statistics too (known.c withholds the pool's where the
       * member's, published, would describe a few others) */
      struct ck_report *own = ck_analyse_suff_counts(s[j]->suff, &cfg, err);
      if (own == NULL) {
        st = CK_EINTERNAL;
        break;
      }
      char **ok_ = ck_report_cell_keys(own);
      bool matters = false;
      for (size_t i = 0; i < own->n_cells && !matters; i++) {
        if (ok_[i] == NULL || own->cells[i].internal)
          continue;
        size_t lo = 0, hi = nk;
        while (lo < hi) {
          size_t mid = lo + (hi - lo) / 2;
          int c = strcmp(idx[mid].key, ok_[i]);
          if (c == 0) {
            long d = r->cells[idx[mid].cell].value - own->cells[i].value;
            /* with none of its own in the cell, a member learns the
             * pool's own count by subtracting: nothing new; else 1..min-1
             * others, or an outcome none of the others had */
            matters = own->cells[i].value > 0 &&
                      ((d >= 1 && d < (long)cfg.min_cell) ||
                       (d == 0 && own->cells[i].outcome));
            break;
          }
          if (c < 0)
            lo = mid + 1;
          else
            hi = mid;
        }
      }
      ck_report_cell_keys_free(ok_, own->n_cells);
      if (matters) {
        ck_report_free(own);
        own = ck_analyse_suff(s[j]->suff, &cfg, err);
        if (own == NULL) {
          st = CK_EINTERNAL;
          break;
        }
        /* One member at a time: each knows its own data, none knows the
         * others' (all of them together would pin the pool's every count
         * to the sum of what they know, and nothing could be published).
         * The member's counts go in as known, the engine withholds what
         * that member could otherwise work out, and the model is cut back
         * to the pool's own cells; withholding only widens what any
         * reader can say, so what is safe for one member stays safe as
         * the others are checked, and the caller's ck_suppress then
         * checks the public reader. */
        size_t cells = r->n_cells, cons = r->n_constraints,
               parts = r->n_parts_used;
        st = ck_report_add_known(r, own, false);
        if (st != CK_OK)
          ck_error_set(err, st, names[j], 0, NULL,
                       "this school's counts are not part of the pool's");
        if (st == CK_OK && ck_suppress(r) != CK_OK)
          st = ck_error_set(err, CK_EINTERNAL, names[j], 0, NULL,
                            "the pool cannot be checked against this "
                            "member's own data");
        r->n_cells = cells;
        r->n_constraints = cons;
        r->n_parts_used = parts;
        r->checked = false;
        m->n_known++;
      }
      ck_report_free(own);
    }
    ck_report_cell_keys_free(pk, n_pk);
    free(idx);
  }
  for (size_t c = 0; c < m->n_comparisons && st == CK_OK; c++)
    if (ck_meta_analyse(&m->comparisons[c], cfg.confidence) != CK_OK) {
      st = CK_EINTERNAL;
      ck_error_set(err, st, NULL, 0, NULL, "meta-analysis failed");
    }
  if (st != CK_OK) {
    ck_report_free(r);
    return NULL;
  }
  return r;
}
