/*
 * suff.c - records -> sufficient statistics; adding schools' statistics
 * SPDX-License-Identifier: MIT
 *
 * Every table is keyed by a packed 64-bit key whose numeric order is the
 * table's canonical order, so a struct built from one cohort and one added
 * up from several schools hold their rows in the same order, and every sum
 * the analysis makes over them is made in the same order (the same bits).
 */
#include "ckcohort/summary.h"
#include "classify.h"
#include "util.h"
#include "report_model.h"
#include "cohort.h"
#include "hashmap.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- packed keys ------------------------------------------------------- */

static uint64_t count_key(const struct ck_suff_count *k) {
  return (uint64_t)(uint16_t)(k->year - 1900) << 48 |
         (uint64_t)(uint16_t)(k->leaf) << 40 |
         (uint64_t)(uint16_t)(k->target + 1) << 24 |
         (uint64_t)(uint16_t)(k->matched_specialty + 1) << 8 |
         (uint64_t)(k->matched & 1) << 3 |
         (uint64_t)(k->matched_target & 1) << 2 | (uint64_t)(k->program & 3);
}

static uint64_t change_key(const struct ck_suff_change *k) {
  /* change first: the score-change arrays are read in ascending order */
  return (uint64_t)(uint32_t)(k->change + 1024) << 8 | k->leaf;
}

static uint64_t design_key(const struct ck_suff_design *k) {
  return (uint64_t)k->group << 40 | (uint64_t)(k->matched & 1) << 36 |
         (uint64_t)(k->tier & 15) << 32 | (uint64_t)(uint16_t)k->score << 16 |
         (uint64_t)(uint16_t)k->year;
}

/* ---- sorting and merging equal keys ------------------------------------ */

/* Sorted by key with equal keys merged.  Each key packs every field but n,
 * so rows with equal keys are equal but for n, and which one is kept does
 * not matter.  The keys are computed once, beside their rows' positions,
 * and the rows then put in that order. */
struct keyed {
  uint64_t key;
  size_t at;
};

static int keyed_cmp(const void *p, const void *q) {
  uint64_t a = ((const struct keyed *)p)->key,
           b = ((const struct keyed *)q)->key;
  return a < b ? -1 : a > b;
}

/* Least-significant-byte-first radix sort of ks by key, skipping the bytes
 * every key shares (most of a packed key: one Match year, a few leaves).
 * Equal keys are merged afterwards, so their order does not matter; on the
 * tables of a large cohort this is several times faster than qsort. */
static void keyed_sort(struct keyed *ks, size_t n) {
  if (n < 256) {
    qsort(ks, n, sizeof *ks, keyed_cmp);
    return;
  }
  struct keyed *tmp = ck_xmalloc(n * sizeof *tmp), *src = ks, *dst = tmp;
  for (int b = 0; b < 64; b += 8) {
    size_t cnt[256] = {0};
    for (size_t i = 0; i < n; i++)
      cnt[(src[i].key >> b) & 0xff]++;
    if (cnt[(src[0].key >> b) & 0xff] == n)
      continue; /* one value in this byte: the order stands */
    size_t sum = 0;
    for (int v = 0; v < 256; v++) {
      size_t t = cnt[v];
      cnt[v] = sum;
      sum += t;
    }
    for (size_t i = 0; i < n; i++)
      dst[cnt[(src[i].key >> b) & 0xff]++] = src[i];
    struct keyed *t = src;
    src = dst;
    dst = t;
  }
  if (src != ks)
    memcpy(ks, src, n * sizeof *ks);
  free(tmp);
}

#define SORT_MERGE(NAME, TYPE, KEYFN)                                          \
  static size_t NAME##_sort(TYPE *v, size_t n) {                               \
    if (n == 0)                                                                \
      return 0;                                                                \
    size_t i0 = 1; /* a file's tables come sorted: check before sorting */     \
    while (i0 < n && KEYFN(&v[i0 - 1]) < KEYFN(&v[i0]))                        \
      i0++;                                                                    \
    if (i0 == n)                                                               \
      return n;                                                                \
    struct keyed *ks = ck_xmalloc(n * sizeof *ks);                             \
    TYPE *copy = ck_xmalloc(n * sizeof *copy);                                 \
    for (size_t i = 0; i < n; i++)                                             \
      ks[i] = (struct keyed){KEYFN(&v[i]), i};                                 \
    keyed_sort(ks, n);                                                         \
    memcpy(copy, v, n * sizeof *copy);                                         \
    size_t out = 0;                                                            \
    v[0] = copy[ks[0].at];                                                     \
    for (size_t i = 1; i < n; i++) {                                           \
      if (ks[i].key == ks[i - 1].key)                                          \
        v[out].n += copy[ks[i].at].n;                                          \
      else                                                                     \
        v[++out] = copy[ks[i].at];                                             \
    }                                                                          \
    free(copy);                                                                \
    free(ks);                                                                  \
    return out + 1;                                                            \
  }

SORT_MERGE(count, struct ck_suff_count, count_key)
SORT_MERGE(change, struct ck_suff_change, change_key)
SORT_MERGE(design, struct ck_suff_design, design_key)

void ck_suff_sort(struct ck_suff *s) {
  s->n_counts = count_sort(s->counts, s->n_counts);
  s->n_changes = change_sort(s->changes, s->n_changes);
  s->n_design = design_sort(s->design, s->n_design);
}

/* ---- from a cohort ------------------------------------------------------ */

static int into_group(enum ck_group_id leaf) {
  if (leaf == CK_G_LOW_PASS_NO_RETAKE)
    return CK_DG_NO_RETAKE;
  if (ck_group_contains(CK_G_LOW_PASS_RETOOK, leaf))
    return CK_DG_RETOOK;
  if (leaf == CK_G_FAILED_THEN_PASSED)
    return CK_DG_FAILED_PASSED;
  return -1;
}

struct builder {
  struct ck_suff *s;
  int *spec_map; /* cohort specialty index -> index in s->specs */
  const struct ck_cohort *c;
  struct ck_u64map counts, changes, design; /* key + 1 -> row */
  size_t cap_counts, cap_changes, cap_design;
};

static int spec_index(struct builder *b, int i) {
  if (i < 0)
    return -1;
  if (b->spec_map[i] < 0) {
    struct ck_suff *s = b->s;
    b->spec_map[i] = (int)s->n_specs;
    s->specs[s->n_specs].name = ck_xstrdup(ck_cohort_specialty_name(b->c, i));
    s->specs[s->n_specs].tier = ck_cohort_specialty_tier(b->c, i);
    s->n_specs++;
  }
  return b->spec_map[i];
}

static void add_count(struct builder *b, const struct ck_suff_count *k) {
  struct ck_suff *s = b->s;
  bool fresh;
  size_t i = ck_u64map_put(&b->counts, count_key(k) + 1, s->n_counts, &fresh);
  if (fresh) {
    ck_grow((void **)&s->counts, &b->cap_counts, s->n_counts + 1,
            sizeof *s->counts);
    s->counts[s->n_counts++] = *k;
  } else {
    s->counts[i].n += k->n;
  }
}

static void add_change(struct builder *b, const struct ck_suff_change *k) {
  struct ck_suff *s = b->s;
  bool fresh;
  size_t i =
      ck_u64map_put(&b->changes, change_key(k) + 1, s->n_changes, &fresh);
  if (fresh) {
    ck_grow((void **)&s->changes, &b->cap_changes, s->n_changes + 1,
            sizeof *s->changes);
    s->changes[s->n_changes++] = *k;
  } else {
    s->changes[i].n += k->n;
  }
}

static void add_design(struct builder *b, const struct ck_suff_design *k) {
  struct ck_suff *s = b->s;
  bool fresh;
  size_t i = ck_u64map_put(&b->design, design_key(k) + 1, s->n_design, &fresh);
  if (fresh) {
    ck_grow((void **)&s->design, &b->cap_design, s->n_design + 1,
            sizeof *s->design);
    s->design[s->n_design++] = *k;
  } else {
    s->design[i].n += k->n;
  }
}

/* One slice of the records, aggregated on its own: keys hold the cohort's
 * specialty numbers, and first[i] is where the slice first names cohort
 * specialty i (2 x record + 0 for a target, 1 for a specialty matched
 * into), so that the merge can number them as one pass in record order. */
struct slice {
  struct builder b; /* b.s: the slice's tables, pairs and flags */
  const struct ck_cohort *c;
  const struct ck_config *cfg;
  size_t lo, hi; /* records lo .. hi - 1 */
  size_t *first;
};

static int16_t seen(struct slice *sl, int i, size_t pos) {
  if (i >= 0 && pos < sl->first[i])
    sl->first[i] = pos;
  return (int16_t)i;
}

static void *slice_run(void *arg) {
  struct slice *sl = arg;
  const struct ck_cohort *c = sl->c;
  const struct ck_config *cfg = sl->cfg;
  struct ck_suff *s = sl->b.s;
  for (size_t i = sl->lo; i < sl->hi; i++) {
    const struct ck_record *rec = &c->records[i];
    struct ck_class k;
    ck_classify(cfg, rec, &k);
    int dg = into_group(k.leaf);
    struct ck_suff_count key = {0};
    key.year = rec->match_year;
    key.leaf = (uint8_t)k.leaf;
    key.target = seen(sl, rec->target, 2 * i);
    key.matched = rec->matched != 0;
    key.matched_target = k.matched_target;
    key.program = (uint8_t)rec->program;
    key.matched_specialty = dg >= 0 && rec->matched
                                ? seen(sl, rec->matched_specialty, 2 * i + 1)
                                : -1;
    key.n = 1;
    add_count(&sl->b, &key);

    if (rec->flags & CK_REC_RETAKE_AFTER_PASS) {
      s->retake_after_pass++;
      if (ck_group_contains(CK_G_LOW_PASS_RETOOK, k.leaf))
        s->lpr_flagged++;
    }
    if (k.retook) {
      struct ck_suff_change ch = {(uint8_t)k.leaf, (int16_t)k.change, 1};
      add_change(&sl->b, &ch);
      if (rec->practice[1] > 0) {
        struct ck_suff_pairs *p = &s->pairs[k.leaf];
        int64_t x = rec->practice[1], y = rec->score[1];
        if (p->n == 0 || x < p->x_min)
          p->x_min = (int)x;
        if (p->n == 0 || x > p->x_max)
          p->x_max = (int)x;
        p->n++;
        p->sx += x;
        p->sy += y;
        p->sxx += x * x;
        p->sxy += x * y;
        p->syy += y * y;
      }
    }
    if (dg >= 0) {
      struct ck_suff_design d = {0};
      d.group = (uint8_t)dg;
      d.matched = rec->matched != 0;
      d.tier = (uint8_t)ck_cohort_specialty_tier(c, rec->target);
      d.score = rec->score[0];
      d.year = rec->match_year;
      d.n = 1;
      add_design(&sl->b, &d);
    }
  }
  return NULL;
}

static void slice_free(struct slice *sl) {
  ck_u64map_free(&sl->b.counts);
  ck_u64map_free(&sl->b.changes);
  ck_u64map_free(&sl->b.design);
  ck_suff_free(sl->b.s);
  free(sl->first);
}

/* Slices of at least this many records; one per allowed thread (the
 * cohort's --threads, by default one per CPU, at most SLICES_MAX), one
 * under the allocation-failure hook, whose allocations come in order. */
#define SLICE_MIN  1024u
#define SLICES_MAX 8u

static size_t slice_count(const struct ck_cohort *c) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  size_t t =
      c->opt.threads ? c->opt.threads : (cpus > 0 ? (size_t)cpus : (size_t)1);
  if (t > SLICES_MAX)
    t = SLICES_MAX;
  if (cpus < 2 || ck_alloc_fail_armed())
    t = 1;
  while (t > 1 && c->n_records / t < SLICE_MIN)
    t--;
  return t;
}

/* Slice 0 here, the others on threads of their own (here too when a thread
 * cannot be started). */
static void run_slices(struct slice *sl, size_t n) {
  pthread_t tid[SLICES_MAX];
  bool started[SLICES_MAX] = {false};
  for (size_t k = 1; k < n; k++)
    started[k] = pthread_create(&tid[k], NULL, slice_run, &sl[k]) == 0;
  slice_run(&sl[0]);
  for (size_t k = 1; k < n; k++) {
    if (started[k])
      pthread_join(tid[k], NULL);
    else
      slice_run(&sl[k]);
  }
}

struct first_seen {
  size_t first;
  int spec;
};

static int first_cmp(const void *p, const void *q) {
  size_t a = ((const struct first_seen *)p)->first;
  size_t b = ((const struct first_seen *)q)->first;
  return a < b ? -1 : a > b;
}

struct ck_suff *ck_suff_from_cohort(const struct ck_cohort *c,
                                    const struct ck_config *cfg) {
  struct ck_suff *s = ck_xcalloc(1, sizeof *s);
  s->n_inputs = c->n_inputs;
  s->inputs = ck_xcalloc(c->n_inputs ? c->n_inputs : 1, sizeof *s->inputs);
  for (size_t i = 0; i < c->n_inputs; i++) {
    const struct ck_input *in = &c->inputs[i];
    struct ck_suff_input *o = &s->inputs[i];
    o->path = ck_xstrdup(in->path ? in->path : "");
    memcpy(o->sha256, in->sha256, sizeof o->sha256);
    o->sha256[sizeof o->sha256 - 1] = '\0';
    o->read = in->read;
    o->accepted = in->accepted;
    o->excluded = in->excluded;
    o->rejected = in->rejected;
    o->n_ignored = in->n_ignored;
    o->ignored = ck_xcalloc(in->n_ignored ? in->n_ignored : 1, sizeof(char *));
    for (size_t k = 0; k < in->n_ignored; k++)
      o->ignored[k] = ck_xstrdup(in->ignored[k]);
  }
  s->read = c->read;
  s->accepted = c->accepted;
  s->excluded = c->excluded;
  s->rejected = c->rejected;
  s->warnings = c->warnings;
  s->blank = c->blank;
  s->excluded_no_score = c->excluded_no_score;
  s->excluded_years = c->excluded_years;
  s->years_from = c->opt.year_from;
  s->years_to = c->opt.year_to;

  /* rejected rows by column ("row" for whole-row problems) */
  size_t cap = 0;
  for (size_t i = 0; i < c->n_issues; i++) {
    const struct ck_issue *is = &c->issues[i];
    if (is->kind != CK_ISSUE_REJECT)
      continue;
    const char *what = is->column && is->column[0] ? is->column : "row";
    size_t k = 0;
    while (k < s->n_reasons && strcmp(s->reasons[k].what, what) != 0)
      k++;
    if (k == s->n_reasons) {
      ck_grow((void **)&s->reasons, &cap, s->n_reasons + 1, sizeof *s->reasons);
      s->reasons[k].what = ck_xstrdup(what);
      s->reasons[k].n = 0;
      s->n_reasons++;
    }
    s->reasons[k].n++;
  }

  size_t nspec = ck_cohort_specialty_count(c);
  struct builder b = {0};
  b.s = s;
  b.c = c;
  b.spec_map = ck_xcalloc(nspec + 1, sizeof *b.spec_map);
  for (size_t i = 0; i <= nspec; i++)
    b.spec_map[i] = -1;
  s->specs = ck_xcalloc(nspec + 1, sizeof *s->specs);

  /* the records in slices, each slice's on a thread of its own */
  size_t n_sl = slice_count(c);
  struct slice *sl = ck_xcalloc(n_sl, sizeof *sl);
  for (size_t k = 0; k < n_sl; k++) {
    sl[k].c = c;
    sl[k].cfg = cfg;
    sl[k].lo = c->n_records * k / n_sl;
    sl[k].hi = c->n_records * (k + 1) / n_sl;
    sl[k].b.s = ck_xcalloc(1, sizeof *sl[k].b.s);
    sl[k].first = ck_xmalloc((nspec + 1) * sizeof *sl[k].first);
    for (size_t i = 0; i <= nspec; i++)
      sl[k].first[i] = SIZE_MAX;
  }
  run_slices(sl, n_sl);

  /* specialties numbered in the order the records first name them (a
   * record's target before the specialty it matched into), as one pass in
   * record order numbers them */
  struct first_seen *order = ck_xcalloc(nspec + 1, sizeof *order);
  size_t n_order = 0;
  for (size_t i = 0; i < nspec; i++) {
    size_t f = SIZE_MAX;
    for (size_t k = 0; k < n_sl; k++)
      if (sl[k].first[i] < f)
        f = sl[k].first[i];
    if (f != SIZE_MAX)
      order[n_order++] = (struct first_seen){f, (int)i};
  }
  qsort(order, n_order, sizeof *order, first_cmp);
  for (size_t i = 0; i < n_order; i++)
    spec_index(&b, order[i].spec);
  free(order);

  for (size_t k = 0; k < n_sl; k++) {
    struct ck_suff *t = sl[k].b.s;
    for (size_t i = 0; i < t->n_counts; i++) {
      struct ck_suff_count key = t->counts[i];
      key.target = (int16_t)spec_index(&b, key.target);
      key.matched_specialty = (int16_t)spec_index(&b, key.matched_specialty);
      add_count(&b, &key);
    }
    for (size_t i = 0; i < t->n_changes; i++)
      add_change(&b, &t->changes[i]);
    for (size_t i = 0; i < t->n_design; i++)
      add_design(&b, &t->design[i]);
    for (int leaf = 0; leaf < CK_G_COUNT; leaf++) {
      const struct ck_suff_pairs *q = &t->pairs[leaf];
      struct ck_suff_pairs *p = &s->pairs[leaf];
      if (q->n == 0)
        continue;
      if (p->n == 0 || q->x_min < p->x_min)
        p->x_min = q->x_min;
      if (p->n == 0 || q->x_max > p->x_max)
        p->x_max = q->x_max;
      p->n += q->n;
      p->sx += q->sx;
      p->sy += q->sy;
      p->sxx += q->sxx;
      p->sxy += q->sxy;
      p->syy += q->syy;
    }
    s->retake_after_pass += t->retake_after_pass;
    s->lpr_flagged += t->lpr_flagged;
    slice_free(&sl[k]);
  }
  free(sl);

  for (size_t i = 0; i < c->n_tally; i++) {
    const struct ck_tally_row *t = &c->tally[i];
    struct ck_suff_count key = {0};
    key.year = t->match_year;
    key.leaf = t->leaf;
    key.target = (int16_t)spec_index(&b, t->target);
    key.matched = t->matched != 0;
    key.matched_target = t->matched_target != 0;
    key.program = t->program;
    key.matched_specialty = -1; /* tally leaves are in no matched-into table */
    key.n = t->n;
    add_count(&b, &key);
  }
  ck_u64map_free(&b.counts);
  ck_u64map_free(&b.changes);
  ck_u64map_free(&b.design);
  free(b.spec_map);
  ck_suff_sort(s);
  return s;
}

void ck_suff_free(struct ck_suff *s) {
  if (s == NULL)
    return;
  for (size_t i = 0; i < s->n_inputs; i++) {
    free(s->inputs[i].path);
    for (size_t k = 0; k < s->inputs[i].n_ignored; k++)
      free(s->inputs[i].ignored[k]);
    free(s->inputs[i].ignored);
  }
  free(s->inputs);
  for (size_t i = 0; i < s->n_reasons; i++)
    free(s->reasons[i].what);
  free(s->reasons);
  for (size_t i = 0; i < s->n_specs; i++)
    free(s->specs[i].name);
  free(s->specs);
  free(s->counts);
  free(s->changes);
  free(s->design);
  free(s);
}

/* ---- adding schools ----------------------------------------------------- */

void ck_suff_add(struct ck_suff *into, const struct ck_suff *add) {
  /* specialties by name */
  int *map = ck_xcalloc(add->n_specs + 1, sizeof *map);
  into->specs = ck_xrealloc(into->specs, (into->n_specs + add->n_specs + 1) *
                                             sizeof *into->specs);
  for (size_t i = 0; i < add->n_specs; i++) {
    size_t j = 0;
    while (j < into->n_specs &&
           strcmp(into->specs[j].name, add->specs[i].name) != 0)
      j++;
    if (j == into->n_specs) {
      into->specs[j].name = ck_xstrdup(add->specs[i].name);
      into->specs[j].tier = add->specs[i].tier;
      into->n_specs++;
    }
    map[i] = (int)j;
  }

  into->inputs =
      ck_xrealloc(into->inputs,
                  (into->n_inputs + add->n_inputs + 1) * sizeof *into->inputs);
  for (size_t i = 0; i < add->n_inputs; i++) {
    into->inputs[into->n_inputs] = add->inputs[i];
    struct ck_suff_input *o = &into->inputs[into->n_inputs++];
    o->path = ck_xstrdup(add->inputs[i].path);
    o->ignored = ck_xcalloc(o->n_ignored ? o->n_ignored : 1, sizeof(char *));
    for (size_t k = 0; k < o->n_ignored; k++)
      o->ignored[k] = ck_xstrdup(add->inputs[i].ignored[k]);
  }
  into->read += add->read;
  into->accepted += add->accepted;
  into->excluded += add->excluded;
  into->rejected += add->rejected;
  into->warnings += add->warnings;
  into->blank += add->blank;
  into->excluded_no_score += add->excluded_no_score;
  into->excluded_years += add->excluded_years;
  into->retake_after_pass += add->retake_after_pass;
  into->lpr_flagged += add->lpr_flagged;
  for (size_t i = 0; i < add->n_reasons; i++) {
    size_t k = 0;
    while (k < into->n_reasons &&
           strcmp(into->reasons[k].what, add->reasons[i].what) != 0)
      k++;
    if (k == into->n_reasons) {
      into->reasons =
          ck_xrealloc(into->reasons, (k + 1) * sizeof *into->reasons);
      into->reasons[k].what = ck_xstrdup(add->reasons[i].what);
      into->reasons[k].n = 0;
      into->n_reasons++;
    }
    into->reasons[k].n += add->reasons[i].n;
  }

  into->counts =
      ck_xrealloc(into->counts,
                  (into->n_counts + add->n_counts + 1) * sizeof *into->counts);
  for (size_t i = 0; i < add->n_counts; i++) {
    struct ck_suff_count k = add->counts[i];
    if (k.target >= 0)
      k.target = (int16_t)map[k.target];
    if (k.matched_specialty >= 0)
      k.matched_specialty = (int16_t)map[k.matched_specialty];
    into->counts[into->n_counts++] = k;
  }
  into->changes =
      ck_xrealloc(into->changes, (into->n_changes + add->n_changes + 1) *
                                     sizeof *into->changes);
  memcpy(into->changes + into->n_changes, add->changes,
         add->n_changes * sizeof *add->changes);
  into->n_changes += add->n_changes;
  into->design =
      ck_xrealloc(into->design,
                  (into->n_design + add->n_design + 1) * sizeof *into->design);
  memcpy(into->design + into->n_design, add->design,
         add->n_design * sizeof *add->design);
  into->n_design += add->n_design;
  for (int g = 0; g < CK_G_COUNT; g++) {
    const struct ck_suff_pairs *p = &add->pairs[g];
    struct ck_suff_pairs *q = &into->pairs[g];
    if (p->n == 0)
      continue;
    if (q->n == 0 || p->x_min < q->x_min)
      q->x_min = p->x_min;
    if (q->n == 0 || p->x_max > q->x_max)
      q->x_max = p->x_max;
    q->n += p->n;
    q->sx += p->sx;
    q->sy += p->sy;
    q->sxx += p->sxx;
    q->sxy += p->sxy;
    q->syy += p->syy;
  }
  free(map);
}
