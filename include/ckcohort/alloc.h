/*
 * alloc.h - what happens when memory runs out
 * SPDX-License-Identifier: MIT
 */
#ifndef CKCOHORT_ALLOC_H
#define CKCOHORT_ALLOC_H

#ifdef __cplusplus
extern "C" {
#endif

/* Handler called when an internal allocation fails.  The CLI installs one
 * that prints "ckcohort: out of memory" and exits with status 3; the library
 * aborts if the handler returns.  Not thread-safe: set it once from main(). */
void ck_set_oom_handler(void (*handler)(void));

#ifdef __cplusplus
}
#endif
#endif
