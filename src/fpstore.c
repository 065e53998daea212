/*
 * fpstore.c - ID fingerprints and the search for two equal ones
 * (fpstore.h)
 * SPDX-License-Identifier: MIT
 */
#include "fpstore.h"
#include "hashmap.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

void fp_add(struct fpstore *f, uint64_t h) {
  struct fp_part *p = &f->part[h >> 56];
  if (p->n == p->n_chunks * FP_CHUNK) {
    ck_grow((void **)&p->chunk, &p->cap_chunks, p->n_chunks + 1,
            sizeof *p->chunk);
    p->chunk[p->n_chunks++] = ck_xmalloc(FP_CHUNK * sizeof **p->chunk);
  }
  p->chunk[p->n / FP_CHUNK][p->n % FP_CHUNK] = h;
  p->n++;
  f->n++;
}

void fp_free(struct fpstore *f) {
  for (size_t k = 0; k < FP_PARTS; k++) {
    for (size_t i = 0; i < f->part[k].n_chunks; i++)
      free(f->part[k].chunk[i]);
    free(f->part[k].chunk);
  }
  memset(f, 0, sizeof *f);
}

/* Fingerprints in chunk c of part p. */
static size_t chunk_len(const struct fp_part *p, size_t c) {
  return c + 1 < p->n_chunks ? FP_CHUNK : p->n - c * FP_CHUNK;
}

static size_t pow2_at_least(size_t n, size_t least) {
  size_t p = least;
  while (p < n)
    p *= 2;
  return p;
}

/* Whether two fingerprints in the parts first, first + step, ... are equal.
 * Almost every file has no duplicate, so a part is first sifted through
 * two bitmaps of FP_SIFT_MAX bits at most (first-level cache, where a hash
 * table of the whole part is not): `once` and `twice` mark the slots, by
 * bits 8.. of a fingerprint (its top byte is the part's), that one and more
 * than one fingerprint fell in.  Equal fingerprints share a slot, so only
 * those in slots marked twice, a few percent, go to an exact hash map. */
#define FP_SIFT_MAX ((size_t)1 << 17)
static bool fp_parts_equal(const struct fpstore *f, size_t first, size_t step) {
  size_t most = 0;
  for (size_t k = first; k < FP_PARTS; k += step)
    if (f->part[k].n > most)
      most = f->part[k].n;
  if (most < 2)
    return false;
  size_t bits_cap = pow2_at_least(32 * most, 64);
  if (bits_cap > FP_SIFT_MAX)
    bits_cap = FP_SIFT_MAX;
  uint64_t *once = ck_xmalloc(bits_cap / 32 * sizeof *once);
  uint64_t *twice = once + bits_cap / 64;
  uint64_t *cand = ck_xmalloc(most * sizeof *cand);
  bool hit = false;
  for (size_t k = first; k < FP_PARTS && !hit; k += step) {
    const struct fp_part *p = &f->part[k];
    if (p->n < 2)
      continue;
    size_t bits = pow2_at_least(32 * p->n, 64);
    if (bits > bits_cap)
      bits = bits_cap;
    memset(once, 0, bits / 32 * sizeof *once);
    twice = once + bits / 64;
    for (size_t c = 0; c < p->n_chunks; c++) {
      const uint64_t *h = p->chunk[c];
      for (size_t i = 0, m = chunk_len(p, c); i < m; i++) {
        size_t s = (size_t)(h[i] >> 8) & (bits - 1);
        uint64_t b = (uint64_t)1 << (s & 63);
        twice[s >> 6] |= once[s >> 6] & b;
        once[s >> 6] |= b;
      }
    }
    size_t nc = 0;
    for (size_t c = 0; c < p->n_chunks; c++) {
      const uint64_t *h = p->chunk[c];
      for (size_t i = 0, m = chunk_len(p, c); i < m; i++) {
        size_t s = (size_t)(h[i] >> 8) & (bits - 1);
        if (twice[s >> 6] >> (s & 63) & 1)
          cand[nc++] = h[i];
      }
    }
    struct ck_u64map seen = {0}; /* fingerprints are never 0 */
    for (size_t i = 0; i < nc && !hit; i++) {
      bool added;
      ck_u64map_put(&seen, cand[i], 0, &added);
      hit = !added;
    }
    ck_u64map_free(&seen);
  }
  free(cand);
  free(once);
  return hit;
}

struct fp_check {
  const struct fpstore *f;
  size_t first, step;
  bool hit;
};

static void *fp_check_thread(void *arg) {
  struct fp_check *k = arg;
  k->hit = fp_parts_equal(k->f, k->first, k->step);
  return NULL;
}

/* Whether two fingerprints are equal.  The parts are independent: with more
 * than one thread allowed, a large store is checked on up to `threads`
 * threads (after the parse, when nothing else runs). */
bool fp_any_equal(const struct fpstore *f, unsigned threads) {
  if (threads > FP_THREADS_MAX)
    threads = FP_THREADS_MAX;
  if (threads < 2 || f->n < FP_THREADED_MIN)
    return fp_parts_equal(f, 0, 1);
  struct fp_check k[FP_THREADS_MAX];
  pthread_t tid[FP_THREADS_MAX];
  bool started[FP_THREADS_MAX] = {false};
  for (unsigned t = 0; t < threads; t++)
    k[t] = (struct fp_check){f, t, threads, false};
  for (unsigned t = 1; t < threads; t++)
    started[t] = pthread_create(&tid[t], NULL, fp_check_thread, &k[t]) == 0;
  bool hit = fp_parts_equal(f, 0, threads);
  for (unsigned t = 1; t < threads; t++) {
    if (started[t])
      pthread_join(tid[t], NULL);
    else /* no thread: its parts here */
      k[t].hit = fp_parts_equal(f, t, threads);
    hit = hit || k[t].hit;
  }
  return hit;
}
