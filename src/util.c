/*
 * util.c - allocation helpers with one out-of-memory policy
 * SPDX-License-Identifier: MIT
 */
#include "util.h"
#include "ckcohort/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void (*oom_handler)(void);

void ck_set_oom_handler(void (*handler)(void)) { oom_handler = handler; }

static void out_of_memory(void) {
  if (oom_handler != NULL)
    oom_handler();
  abort();
}

void *ck_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL)
    out_of_memory();
  return p;
}

void *ck_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (p == NULL)
    out_of_memory();
  return p;
}

void *ck_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (q == NULL)
    out_of_memory();
  return q;
}

char *ck_xstrndup(const char *s, size_t n) {
  char *p = ck_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *ck_xstrdup(const char *s) { return ck_xstrndup(s, strlen(s)); }

void ck_grow(void **array, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return;
  size_t n = *cap ? *cap : 16;
  while (n < need) {
    if (n > SIZE_MAX / 2 / size)
      out_of_memory();
    n *= 2;
  }
  *array = ck_xrealloc(*array, n * size);
  *cap = n;
}
