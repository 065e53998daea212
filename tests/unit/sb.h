/*
 * sb.h - a growing string for unit tests that build CSV fixtures or compare
 * whole runs as text (include after <cmocka.h>)
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_TEST_SB_H
#define CK_TEST_SB_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct sb {
  char *s; /* NUL-terminated; owned, free() when done */
  size_t n, cap;
};

static void sb_printf(struct sb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), unused));
static void sb_printf(struct sb *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (b->n + (size_t)k + 1 > b->cap) {
    b->cap = (b->n + (size_t)k + 1) * 2;
    b->s = realloc(b->s, b->cap);
    assert_non_null(b->s);
  }
  va_start(ap, fmt);
  vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
  va_end(ap);
  b->n += (size_t)k;
}

#endif
