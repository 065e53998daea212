/*
 * test_fpstore.c - the search for two equal ID fingerprints (fpstore.c):
 * stores from empty to 1,500,000 fingerprints (above the size where a
 * part's sifting bitmaps stop growing), without a duplicate, with one
 * planted in the first, a middle or the last part, and with near misses
 * that share a fingerprint's part and sifting slot; on one thread and on
 * several, each answer checked against sorting the same values.
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "fpstore.h"

static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (z ^ (z >> 31)) | 1u; /* fingerprints are never 0 */
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* The answer by sorting. */
static bool sorted_has_equal(const uint64_t *v, size_t n) {
  uint64_t *s = malloc((n ? n : 1) * sizeof *s);
  assert_non_null(s);
  for (size_t i = 0; i < n; i++)
    s[i] = v[i];
  qsort(s, n, sizeof *s, cmp_u64);
  bool hit = false;
  for (size_t i = 1; i < n && !hit; i++)
    hit = s[i] == s[i - 1];
  free(s);
  return hit;
}

/* Store v[0 .. n - 1] and check the answer on 1, 2 and 3 threads. */
static void check(const uint64_t *v, size_t n, bool want) {
  assert_true(sorted_has_equal(v, n) == want);
  struct fpstore f = {0};
  for (size_t i = 0; i < n; i++)
    fp_add(&f, v[i]);
  assert_int_equal(f.n, n);
  for (unsigned t = 1; t <= 3; t++)
    assert_true(fp_any_equal(&f, t) == want);
  fp_free(&f);
  assert_int_equal(f.n, 0);
}

static uint64_t *distinct(size_t n, uint64_t seed) {
  uint64_t *v = malloc((n + 2) * sizeof *v);
  assert_non_null(v);
  for (size_t i = 0; i < n; i++)
    v[i] = splitmix(&seed);
  /* 64-bit values from a bijective mix of distinct counters: distinct
   * before the `| 1`, and a collision after it is checked for below */
  return v;
}

/* A value in the same part and sifting slot as x (bits 56-63 and 8-31
 * equal), that is not x: it must not be taken for x. */
static uint64_t near_miss(uint64_t x) { return x ^ ((uint64_t)0x5A << 32); }

static void sizes(void **s) {
  (void)s;
  const size_t ns[] = {0, 1, 2, 3, 255, 4095, 4096, 20000, 300000, 1500000};
  for (size_t k = 0; k < sizeof ns / sizeof *ns; k++) {
    size_t n = ns[k];
    uint64_t *v = distinct(n, 1000 + k);
    bool base = sorted_has_equal(v, n);
    check(v, n, base);
    if (n >= 1) {
      /* a near miss of the first value: still the same answer */
      v[n] = near_miss(v[0]);
      check(v, n + 1, sorted_has_equal(v, n + 1));
      /* the first value again, at the end */
      v[n] = v[0];
      check(v, n + 1, true);
    }
    if (n >= 3) {
      /* a middle value again, at the start (displacing the first) */
      v[0] = v[n / 2];
      check(v, n, true);
    }
    free(v);
  }
}

/* Duplicates in the first and the last of the 256 parts, among values
 * spread over all parts. */
static void edge_parts(void **s) {
  (void)s;
  size_t n = 50000;
  uint64_t *v = distinct(n, 77);
  assert_false(sorted_has_equal(v, n));
  v[n] = (uint64_t)0x00 << 56 | 0x123457u;
  v[n + 1] = v[n];
  check(v, n + 2, true);
  v[n] = (uint64_t)0xFF << 56 | 0x98765u;
  v[n + 1] = v[n];
  check(v, n + 2, true);
  v[n + 1] = near_miss(v[n]);
  check(v, n + 2, false);
  free(v);
}

/* Many values sharing one part and slot, all distinct: every one is a
 * sifting candidate, and none is a duplicate until one is repeated. */
static void crowded_slot(void **s) {
  (void)s;
  size_t n = 9000;
  uint64_t *v = malloc((n + 1) * sizeof *v);
  assert_non_null(v);
  for (size_t i = 0; i < n; i++)
    v[i] = (uint64_t)0x42 << 56 | (uint64_t)i << 32 | 0xABCD01u;
  check(v, n, false);
  v[n] = v[n / 3];
  check(v, n + 1, true);
  free(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sizes),
      cmocka_unit_test(edge_parts),
      cmocka_unit_test(crowded_slot),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
