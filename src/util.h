/*
 * util.h - private helpers shared by library modules (never installed)
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_UTIL_H
#define CK_UTIL_H

#include <stddef.h>
#include "ckcohort/ckcohort.h"

/* Set *err unless err is NULL or already holds an error (the first error
 * wins).  Returns code so call sites can `return ck_error_set(...)`. */
enum ck_status ck_error_set(struct ck_error *err, enum ck_status code,
                            const char *file, long line, const char *column,
                            const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Allocation that cannot return NULL: on failure it calls the handler set
 * with ck_set_oom_handler() (the CLI prints and exits there) and aborts if the
 * handler returns.  Used for small bookkeeping allocations; allocations sized
 * by untrusted input are capped before they reach here. */
void *ck_xmalloc(size_t n);
void *ck_xcalloc(size_t n, size_t size);
void *ck_xrealloc(void *p, size_t n);
char *ck_xstrdup(const char *s);
char *ck_xstrndup(const char *s, size_t n);

/* Grow *array (of *cap elements of size `size`) so that it holds at least
 * `need` elements; doubles the capacity. */
void ck_grow(void **array, size_t *cap, size_t need, size_t size);

/* Whether the allocation-failure test hook is armed (allocations must then
 * happen in a repeatable order: one thread). */
int ck_alloc_fail_armed(void);

#endif
