/*
 * hashmap.h - the library's hash tables (private, never installed): a set
 * of byte strings with two payloads each, and a map from 64-bit keys to
 * indices.  Both use open addressing with linear probing in a power-of-two
 * table kept at most half full, and never shrink.
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_HASHMAP_H
#define CK_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Eight bytes per multiply-rotate round, then MurmurHash3's finaliser (so
 * sequential IDs such as P0000001, P0000002 spread over the low bits);
 * never 0.  In-memory only: the value may change between versions. */
uint64_t ck_hash_bytes(const char *s, size_t n);

/* Byte strings (copied into one arena), each with two 32-bit payloads. */
struct ck_strset_entry {
  uint64_t h; /* 0 = empty slot */
  size_t off; /* the key's bytes: arena + off, NUL-terminated */
  uint32_t len, a, b;
};

struct ck_strset {
  struct ck_strset_entry *t;
  size_t cap, n; /* cap is a power of two */
  char *arena;
  size_t arena_len, arena_cap;
};
/* A zeroed struct ck_strset is an empty set. */

/* Entry for key k[0..n), or NULL when it is absent and insert is false.  A
 * new entry has payloads a = b = 0; *added (may be NULL) tells.  The
 * pointer is valid until the next insertion. */
struct ck_strset_entry *ck_strset_find(struct ck_strset *s, const char *k,
                                       size_t n, bool insert, bool *added);

/* Frees the table and arena; s may then be zeroed and reused. */
void ck_strset_free(struct ck_strset *s);

/* 64-bit keys (not 0) to indices.  A zeroed struct ck_u64map is empty. */
struct ck_u64map {
  uint64_t *keys; /* 0 = empty slot */
  size_t *vals;
  size_t cap, n;
};

/* The index stored for key (which must not be 0); when absent, stores
 * `fresh` for it, sets *added (may be NULL) and returns fresh. */
size_t ck_u64map_put(struct ck_u64map *m, uint64_t key, size_t fresh,
                     bool *added);

/* The index stored for key (not 0), or `none` when it is absent. */
size_t ck_u64map_get(const struct ck_u64map *m, uint64_t key, size_t none);

/* Frees the table; m is left empty (zeroed). */
void ck_u64map_free(struct ck_u64map *m);

#endif
