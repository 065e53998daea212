/*
 * alloc.h - what happens when memory runs out
 * SPDX-License-Identifier: MIT
 */
#ifndef CKCOHORT_ALLOC_H
#define CKCOHORT_ALLOC_H

#include "ckcohort/ckcohort.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Handler called when an internal allocation fails.  The CLI installs one
 * that prints "ckcohort: out of memory" and exits with status 3; the library
 * aborts if the handler returns.  Not thread-safe: set it once from main(). */
CK_API void ck_set_oom_handler(void (*handler)(void));

/* Test hook: let `n` more of the library's own allocations (its allocation
 * helpers and the CSV parser's field buffer) succeed, then fail every one
 * after, as if memory had run out; 0 turns the hook off.  The CLI sets it
 * from the environment variable CKCOHORT_FAIL_ALLOC_AFTER so that tests can
 * check that running out of memory anywhere gives an error, not a crash. */
CK_API void ck_set_alloc_fail_after(unsigned long n);

#ifdef __cplusplus
}
#endif
#endif
