/*
 * fpstore.h - the 64-bit fingerprints of the IDs a file's blocks read, and
 * the check for two equal ones (ingest.c: a hit reads the cohort again with
 * whole IDs); private to the library
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_FPSTORE_H
#define CK_FPSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FP_PARTS 256u
#define FP_CHUNK 2048u
/* fewer fingerprints than this are checked on one thread */
#define FP_THREADED_MIN 4096u
/* at most this many threads check one store */
#define FP_THREADS_MAX 8u

/* Fingerprints spread over 256 parts by their top byte and kept in chunks,
 * so that growing never copies and one part at a time is checked. */
struct fp_part {
  uint64_t **chunk;
  size_t n, n_chunks, cap_chunks;
};

/* Zero-initialised is empty. */
struct fpstore {
  struct fp_part part[FP_PARTS];
  size_t n;
};

/* Add fingerprint h (not 0).  Out of memory goes to ck_xmalloc's handler,
 * as for the rest of the ingest's bookkeeping. */
void fp_add(struct fpstore *f, uint64_t h);

/* Free what f holds and leave it empty. */
void fp_free(struct fpstore *f);

/* Whether two fingerprints in f are equal, on up to `threads` threads
 * (FP_THREADS_MAX at most; one below FP_THREADED_MIN fingerprints). */
bool fp_any_equal(const struct fpstore *f, unsigned threads);

#endif
