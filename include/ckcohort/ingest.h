/*
 * ingest.h - applicant CSV files -> accepted records, exclusions, rejects
 * SPDX-License-Identifier: MIT
 *
 * Invariant, per input and in total:
 *     read == accepted + excluded + rejected
 * Blank rows (every field empty) are not applicant rows and are counted
 * apart in `blank`.  Only accepted rows become records; every excluded or
 * rejected row, and every warning, is one ck_issue naming file and line.
 */
#ifndef CKCOHORT_INGEST_H
#define CKCOHORT_INGEST_H

#include <stdbool.h>
#include <stdint.h>
#include "ckcohort/ckcohort.h"
#include "ckcohort/config.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CK_MAX_ATTEMPTS      4
#define CK_FIELD_MAX_DEFAULT (64u * 1024u) /* longest field accepted, bytes */

enum ck_issue_kind {
  CK_ISSUE_REJECT,  /* row invalid, left out */
  CK_ISSUE_EXCLUDE, /* row valid but outside the analysis */
  CK_ISSUE_WARNING, /* row kept; something to look at (e.g. retake policy) */
  CK_ISSUE_NOTE     /* file-level remark (unknown column, blank rows) */
};

/* An issue's strings belong to the cohort (ck_cohort_free); column and
 * reason may be static text shared by many issues: never free or change
 * them. */
struct ck_issue {
  enum ck_issue_kind kind;
  uint32_t input; /* input index, see ck_cohort_input_path */
  long line;      /* 1-based line where the row starts; 0 for the file */
  char *column;   /* canonical column name, or NULL */
  char *value;    /* offending value as read (NULL if none) */
  char *reason;   /* what is wrong, lowercase, no full stop */
  char *raw;      /* the row's bytes as in the file (rejects only), or NULL */
};

struct ck_ingest_options {
  int year_from,
      year_to;      /* rows outside [from, to] are excluded; 0 = no limit */
  size_t max_field; /* field size cap, bytes; 0 = CK_FIELD_MAX_DEFAULT */
  bool keep_raw;    /* keep each rejected row's bytes (for --rejects) */
  bool tally;       /* count applicants no statistic needs one by one
                       per key instead of keeping their records (the
                       report; ask needs every record) */
  unsigned threads; /* parsing threads for files; 0 = one per online
                       CPU (at most 8), 1 = all on the calling thread */
  size_t block;     /* bytes per parallel block; 0 = 1 MiB (tests
                       use small blocks to cross many boundaries) */
  bool careful;     /* every block through the careful path (tests
                       and benchmarks of that path) */
  bool counts_only; /* accepted rows only counted (neither records nor
                       tally) and no SHA-256 of the inputs: for validate,
                       which prints counts and issues only */
};

/* The accepted records of one run plus the accounting of every row read.
 * Opaque: read it through the functions below. */
struct ck_cohort;

/* New empty cohort.  opt may be NULL for defaults.  Caller frees with
 * ck_cohort_free().  cfg is borrowed. */
CK_API struct ck_cohort *ck_cohort_new(const struct ck_config *cfg,
                                       const struct ck_ingest_options *opt);

/* Free a cohort and everything it owns; NULL is allowed. */
CK_API void ck_cohort_free(struct ck_cohort *c);

/* How c's files were read so far (docs/performance.md): blocks whose
 * fast parse was used, and blocks read by the careful path (the first
 * block of each file, holding the header, is one of them).  Buffers and
 * files read again with whole IDs count as careful blocks, one each.  For
 * tests and benchmarks; either pointer may be NULL. */
CK_API void ck_cohort_blocks(const struct ck_cohort *c, size_t *fast,
                             size_t *careful);

/* Read one CSV file into c (streamed in blocks through libcsv; blocks after
 * the first are parsed on opt.threads threads when they provably start and
 * end outside quoted fields, with the same result as one thread).  IDs are
 * kept as 64-bit fingerprints; when two are equal, every file of c is read
 * again with whole IDs (docs/performance.md).  Row problems
 * become issues and never fail the call.  Returns CK_EIO when the file cannot
 * be read, CK_EPARSE when it cannot be used at all (empty, not UTF-8 text,
 * header unusable, a required column missing), with err naming file, line
 * and column; rows read before such an error stay counted. */
CK_API enum ck_status ck_ingest_file(struct ck_cohort *c, const char *path,
                                     struct ck_error *err);

/* As ck_ingest_file, from memory, fed to the parser `chunk` bytes at a time
 * (0 = all at once), on the calling thread; `name` is used in messages.  A
 * buffer cannot be read again, so from the first one on c keeps whole IDs
 * (files read before are read again then).  For tests and fuzzing. */
CK_API enum ck_status ck_ingest_buffer(struct ck_cohort *c, const char *name,
                                       const char *buf, size_t len,
                                       size_t chunk, struct ck_error *err);

/* No more inputs: frees what only a later input's duplicate check would
 * need (8 bytes per student ID).  Reading more into c is then CK_EUSAGE. */
CK_API void ck_cohort_done(struct ck_cohort *c);

/* Display name of specialty index i (config specialties first, then names
 * seen in the data that the config does not know), or "" for -1.
 * Borrowed: valid until ck_cohort_free(). */
CK_API const char *ck_cohort_specialty_name(const struct ck_cohort *c, int i);

/* Tier of specialty index i; CK_TIER_NONE for unknown names and -1. */
CK_API enum ck_tier ck_cohort_specialty_tier(const struct ck_cohort *c, int i);

/* Number of specialty indices in use (config + unknown names). */
CK_API size_t ck_cohort_specialty_count(const struct ck_cohort *c);

/* Rows read so far, in total over every input. */
CK_API struct ck_row_counts ck_cohort_rows(const struct ck_cohort *c);

/* Number of inputs read so far, in the order given (a file that could not
 * be opened is not one). */
CK_API size_t ck_cohort_input_count(const struct ck_cohort *c);

/* Path of input i (0 <= i < ck_cohort_input_count), as given to
 * ck_ingest_file or as the `name` of ck_ingest_buffer; NULL for any other
 * i.  Borrowed: valid until the next ck_ingest_* call on c (which may read
 * every file again) or ck_cohort_free(). */
CK_API const char *ck_cohort_input_path(const struct ck_cohort *c, size_t i);

/* Header names of input i's columns that no rule uses, in file order, as
 * shown in messages; *n gets their number (0 and NULL when there are
 * none).  Borrowed array and strings: valid until the next ck_ingest_*
 * call on c or ck_cohort_free(). */
CK_API const char *const *ck_cohort_input_ignored(const struct ck_cohort *c,
                                                  size_t i, size_t *n);

/* Number of issues (rejects, exclusions, warnings, notes), in input order. */
CK_API size_t ck_cohort_issue_count(const struct ck_cohort *c);

/* Issue i (0 <= i < ck_cohort_issue_count; NULL for any other i).
 * Borrowed: valid until the next ck_ingest_* call on c or
 * ck_cohort_free(). */
CK_API const struct ck_issue *ck_cohort_issue(const struct ck_cohort *c,
                                              size_t i);

/* Write every rejected row as CSV with the header
 * file,line,column,value,reason,row  (row = the bytes as read).
 * Returns CK_OK or CK_EIO. */
CK_API enum ck_status ck_cohort_write_rejects(FILE *out,
                                              const struct ck_cohort *c);

#ifdef __cplusplus
}
#endif
#endif
