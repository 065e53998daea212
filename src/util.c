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
static unsigned long fail_after; /* 0 = off */
static unsigned long allocations;

void ck_set_oom_handler(void (*handler)(void)) { oom_handler = handler; }

void ck_set_alloc_fail_after(unsigned long n) {
  fail_after = n;
  allocations = 0;
}

int ck_alloc_fail_armed(void) { return fail_after != 0; }

/* The test hook: true once fail_after allocations have been made. */
static int injected_failure(void) {
  return fail_after != 0 && ++allocations > fail_after;
}

static void out_of_memory(void) {
  if (oom_handler != NULL)
    oom_handler();
  abort();
}

void *ck_xmalloc(size_t n) {
  void *p = injected_failure() ? NULL : malloc(n ? n : 1);
  if (p == NULL)
    out_of_memory();
  return p;
}

void *ck_xcalloc(size_t n, size_t size) {
  void *p = injected_failure() ? NULL : calloc(n ? n : 1, size ? size : 1);
  if (p == NULL)
    out_of_memory();
  return p;
}

void *ck_xrealloc(void *p, size_t n) {
  void *q = injected_failure() ? NULL : realloc(p, n ? n : 1);
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
