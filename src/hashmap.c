/*
 * hashmap.c - the library's hash tables (hashmap.h)
 * SPDX-License-Identifier: MIT
 */
#include "hashmap.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static inline uint64_t hash_round(uint64_t h, uint64_t w) {
  h ^= w * 0xC2B2AE3D27D4EB4Full;
  h = h << 29 | h >> 35;
  return h * 0x9E3779B97F4A7C15ull;
}

/* Eight bytes a round; the last round reads the last eight (overlapping),
 * or for a key under eight bytes two overlapping halves or three bytes, so
 * every byte counts and keys of one length map to distinct words.  The
 * length seeds the state, so overlaps cannot make two lengths agree. */
uint64_t ck_hash_bytes(const char *s, size_t n) {
  uint64_t h = 0x243F6A8885A308D3ull ^ ((uint64_t)n * 0x9E3779B97F4A7C15ull);
  size_t i = 0;
  uint64_t w;
  for (; i + 8 <= n; i += 8) {
    memcpy(&w, s + i, 8);
    h = hash_round(h, w);
  }
  if (i < n) {
    if (n >= 8) {
      memcpy(&w, s + n - 8, 8);
    } else if (n >= 4) {
      uint32_t lo, hi;
      memcpy(&lo, s, 4);
      memcpy(&hi, s + n - 4, 4);
      w = (uint64_t)hi << 32 | lo;
    } else {
      w = (uint64_t)(unsigned char)s[0] << 16 |
          (uint64_t)(unsigned char)s[n / 2] << 8 | (unsigned char)s[n - 1];
    }
    h = hash_round(h, w);
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h | 1u;
}

void ck_strset_free(struct ck_strset *s) {
  free(s->t);
  free(s->arena);
}

static void strset_rehash(struct ck_strset *s) {
  size_t ncap = s->cap ? s->cap * 2 : 1024;
  struct ck_strset_entry *nt = ck_xcalloc(ncap, sizeof *nt);
  for (size_t i = 0; i < s->cap; i++) {
    if (s->t[i].h == 0)
      continue;
    size_t j = (size_t)s->t[i].h & (ncap - 1);
    while (nt[j].h != 0)
      j = (j + 1) & (ncap - 1);
    nt[j] = s->t[i];
  }
  free(s->t);
  s->t = nt;
  s->cap = ncap;
}

struct ck_strset_entry *ck_strset_find(struct ck_strset *s, const char *k,
                                       size_t n, bool insert, bool *added) {
  if (added)
    *added = false;
  if (s->cap == 0) {
    if (!insert)
      return NULL;
    strset_rehash(s);
  }
  uint64_t h = ck_hash_bytes(k, n);
  size_t j = (size_t)h & (s->cap - 1);
  while (s->t[j].h != 0) {
    if (s->t[j].h == h && s->t[j].len == n &&
        memcmp(s->arena + s->t[j].off, k, n) == 0)
      return &s->t[j];
    j = (j + 1) & (s->cap - 1);
  }
  if (!insert)
    return NULL;
  if ((s->n + 1) * 2 > s->cap) {
    strset_rehash(s);
    j = (size_t)h & (s->cap - 1);
    while (s->t[j].h != 0)
      j = (j + 1) & (s->cap - 1);
  }
  ck_grow((void **)&s->arena, &s->arena_cap, s->arena_len + n + 1, 1);
  memcpy(s->arena + s->arena_len, k, n);
  s->arena[s->arena_len + n] = '\0';
  s->t[j] = (struct ck_strset_entry){h, s->arena_len, (uint32_t)n, 0, 0};
  s->arena_len += n + 1;
  s->n++;
  if (added)
    *added = true;
  return &s->t[j];
}

/* Keys such as packed record fields differ in a few high or low bits.  A
 * multiplication alone only carries bits upward: with the slot taken from
 * bits 20 and up, the fields above them (a tally key's group, matched and
 * program type) never reached the slot, and every key differing only there
 * shared one probe run.  MurmurHash3's finaliser mixes every bit into
 * every other. */
static size_t u64_slot(uint64_t key, size_t cap) {
  key ^= key >> 33;
  key *= 0xFF51AFD7ED558CCDull;
  key ^= key >> 33;
  key *= 0xC4CEB9FE1A85EC53ull;
  key ^= key >> 33;
  return (size_t)key & (cap - 1);
}

static void u64map_rehash(struct ck_u64map *m) {
  size_t ncap = m->cap ? m->cap * 2 : 256;
  uint64_t *nk = ck_xcalloc(ncap, sizeof *nk);
  size_t *nv = ck_xcalloc(ncap, sizeof *nv);
  for (size_t i = 0; i < m->cap; i++) {
    if (m->keys[i] == 0)
      continue;
    size_t j = u64_slot(m->keys[i], ncap);
    while (nk[j] != 0)
      j = (j + 1) & (ncap - 1);
    nk[j] = m->keys[i];
    nv[j] = m->vals[i];
  }
  free(m->keys);
  free(m->vals);
  m->keys = nk;
  m->vals = nv;
  m->cap = ncap;
}

size_t ck_u64map_put(struct ck_u64map *m, uint64_t key, size_t fresh,
                     bool *added) {
  if (added)
    *added = false;
  if ((m->n + 1) * 2 > m->cap)
    u64map_rehash(m);
  size_t j = u64_slot(key, m->cap);
  while (m->keys[j] != 0) {
    if (m->keys[j] == key)
      return m->vals[j];
    j = (j + 1) & (m->cap - 1);
  }
  m->keys[j] = key;
  m->vals[j] = fresh;
  m->n++;
  if (added)
    *added = true;
  return fresh;
}

size_t ck_u64map_get(const struct ck_u64map *m, uint64_t key, size_t none) {
  if (m->cap == 0)
    return none;
  size_t j = u64_slot(key, m->cap);
  while (m->keys[j] != 0) {
    if (m->keys[j] == key)
      return m->vals[j];
    j = (j + 1) & (m->cap - 1);
  }
  return none;
}

void ck_u64map_free(struct ck_u64map *m) {
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}
