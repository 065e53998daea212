/*
 * ckcohort.h - umbrella header: version, status codes, the error record
 * SPDX-License-Identifier: MIT
 *
 * Invariants for the whole library:
 *  - the library never prints to a terminal and never exits; it returns an
 *    enum ck_status and fills a caller-supplied struct ck_error (which may be
 *    NULL); writers that format output take a FILE * from the caller;
 *  - counts and sizes are size_t, scores are whole numbers 1..300;
 *  - every heap object has one owner, named beside its constructor.
 */
#ifndef CKCOHORT_CKCOHORT_H
#define CKCOHORT_CKCOHORT_H

#include <stddef.h>
#include <stdio.h>
#include "ckcohort/version.h"

/* CK_API marks the public functions: the library is built with
 * -fvisibility=hidden, so everything else stays inside it. */
#if defined(__GNUC__) || defined(__clang__)
#define CK_API __attribute__((visibility("default")))
#else
#define CK_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

enum ck_status {
  CK_OK = 0,
  CK_EIO,      /* a file could not be opened, read or written */
  CK_EPARSE,   /* input is not usable CSV (encoding, header, structure) */
  CK_EDATA,    /* a value is out of range or inconsistent */
  CK_ENOMEM,   /* allocation failed or a size cap was reached */
  CK_ECONFIG,  /* bad configuration file or setting */
  CK_EUSAGE,   /* bad argument to a library call */
  CK_EINTERNAL /* a numerical routine failed */
};

/* Process exit codes used by the CLI; documented in ckcohort(1). */
enum ck_exit {
  CK_EXIT_OK = 0,    /* success */
  CK_EXIT_DATA = 1,  /* rows were rejected (validate) */
  CK_EXIT_USAGE = 2, /* bad command line, unreadable or unusable input */
  CK_EXIT_IO = 3     /* output could not be written, out of memory */
};

/* An estimate with its confidence (or prediction) interval. */
struct ck_est {
  double estimate, lo, hi; /* point estimate and interval */
};

/* Rows read, as ingest counted them (ck_cohort_rows, ck_report_rows):
 * read == accepted + excluded + rejected; blank rows are counted apart.
 * The analyst's own accounting: never withheld. */
struct ck_row_counts {
  size_t read, accepted, excluded, rejected;
  size_t warnings; /* warnings about kept rows (e.g. retake policy) */
  size_t blank;    /* rows with every field empty */
};

struct ck_error {
  enum ck_status code;
  char file[256];  /* input path, or "" */
  long line;       /* 1-based line where the offending record starts, or 0 */
  char column[64]; /* canonical column or config key, or "" */
  char text[512];  /* what is wrong, lowercase, no full stop */
};

/* Reset *err to "no error". */
CK_API void ck_error_clear(struct ck_error *err);

/* Edit distance between two short strings (insertions, deletions,
 * substitutions and swaps of neighbours; the first 64 characters of each):
 * for "did you mean" suggestions. */
CK_API size_t ck_edit_distance(const char *a, const char *b);

/* Library version string, e.g. "0.1.0" (static storage). */
CK_API const char *ck_version(void);

/* One-time process set-up: switches GSL's aborting error handler off so every
 * numerical failure comes back as a status, and routes jansson's allocations
 * through the library's (alloc.h: running out of memory goes to the
 * out-of-memory handler, never into a silent JSON null).  Call once from
 * main(), before any JSON value exists. */
CK_API void ck_init(void);

/* Release what the library's solvers keep for the life of the process
 * (GLPK's environment).  For the host's exit, after its last ckcohort call
 * and only when it uses no GLPK problem of its own any more. */
CK_API void ck_library_cleanup(void);

#ifdef __cplusplus
}
#endif
#endif
