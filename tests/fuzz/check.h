/*
 * check.h - the fuzz harnesses' invariant check: on failure name the
 * harness file, the condition and the line, then abort so that libFuzzer
 * keeps the input (scripts/fuzz.sh looks for "check failed")
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_FUZZ_CHECK_H
#define CK_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s: check failed: %s (line %d)\n", __FILE__, #cond,     \
              __LINE__);                                                       \
      abort();                                                                 \
    }                                                                          \
  } while (0)

#endif
