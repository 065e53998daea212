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

enum ck_program {
  CK_PROGRAM_NONE = 0, /* not given (or unmatched) */
  CK_PROGRAM_ACADEMIC,
  CK_PROGRAM_COMMUNITY,
  CK_PROGRAM_OTHER
};

enum ck_record_flag {
  CK_REC_RETAKE_AFTER_PASS = 1 << 0 /* an attempt follows a passed attempt */
};

/* One accepted applicant.  Absent values: score/practice 0, date CK_NO_DATE,
 * specialty -1, soap/reapplicant -1, weeks -1. */
struct ck_record {
  int32_t date[CK_MAX_ATTEMPTS];  /* days since 1970-01-01 */
  int16_t score[CK_MAX_ATTEMPTS]; /* 1..300, attempts in order */
  int16_t practice[2];            /* practice_avg_1, practice_avg_2 */
  int16_t match_year;             /* 1990..2100 */
  int16_t target;            /* specialty index, see ck_cohort_specialty_name */
  int16_t matched_specialty; /* specialty index or -1 */
  int8_t n_attempts;         /* 1..4 (accepted rows have attempt 1) */
  int8_t matched;            /* 0 or 1 */
  int8_t program;            /* enum ck_program */
  int8_t soap;               /* 0, 1, or -1 not given */
  int8_t reapplicant;        /* 0, 1, or -1 not given */
  int8_t dedicated_weeks;    /* 0..52, or -1 not given */
  uint8_t flags;             /* enum ck_record_flag */
  uint32_t input;            /* index into ck_cohort.inputs */
  uint32_t line;             /* 1-based line where the row starts */
};

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
  uint32_t input; /* index into ck_cohort.inputs */
  long line;      /* 1-based line where the row starts; 0 for the file */
  char *column;   /* canonical column name, or NULL */
  char *value;    /* offending value as read (NULL if none) */
  char *reason;   /* what is wrong, lowercase, no full stop */
  char *raw;      /* the row's bytes as in the file (rejects only), or NULL */
};

struct ck_input {
  char *path;      /* as given; owned */
  char sha256[65]; /* hex digest of the file's bytes */
  uint64_t bytes;  /* file size read */
  size_t read, accepted, excluded, rejected, warnings, blank;
  char **ignored; /* header names of the columns not used, in file
                     order, as shown in messages; owned */
  size_t n_ignored, cap_ignored;
};

/* An accepted applicant whose row no statistic needs one by one (no
 * retake; first attempt above the low-pass band or failed and never
 * passed): with `tally` on, such applicants are only counted, per key. */
struct ck_tally_row {
  int16_t match_year;
  int16_t target;         /* specialty index or -1 */
  uint8_t leaf;           /* enum ck_group_id of ck_classify() */
  uint8_t matched;        /* 0 or 1 */
  uint8_t matched_target; /* matched and matched_specialty == target */
  uint8_t program;        /* enum ck_program */
  uint32_t n;             /* applicants with this key */
};

struct ck_ingest_options {
  int year_from,
      year_to;      /* rows outside [from, to] are excluded; 0 = no limit */
  size_t max_field; /* field size cap, bytes; 0 = CK_FIELD_MAX_DEFAULT */
  bool keep_raw;    /* keep each rejected row's bytes (for --rejects) */
  bool tally;       /* count applicants no statistic needs one by one
                       in ck_cohort.tally instead of keeping their
                       records (the report; ask needs every record) */
  unsigned threads; /* parsing threads for files; 0 = one per online
                       CPU (at most 8), 1 = all on the calling thread */
  size_t block;     /* bytes per parallel block; 0 = 1 MiB (tests
                       use small blocks to cross many boundaries) */
  bool careful;     /* every block through the careful path (tests
                       and benchmarks of that path) */
};

/* All accepted records of one run plus the accounting.  Fields are read-only
 * for callers; the private part manages duplicate IDs and specialty names. */
struct ck_cohort {
  const struct ck_config *cfg; /* borrowed; must outlive the cohort */
  struct ck_ingest_options opt;
  struct ck_input *inputs;
  size_t n_inputs;
  struct ck_record *records; /* accepted rows, in input order (with
                                opt.tally: only those not in tally) */
  size_t n_records;
  struct ck_tally_row *tally; /* with opt.tally: the other accepted rows,
                                 counted per key, keys in order of first
                                 appearance */
  size_t n_tally;
  struct ck_issue *issues; /* in input order */
  size_t n_issues;
  size_t read, accepted, excluded, rejected, warnings, blank;
  size_t excluded_no_score; /* excluded: no step2_attempt_1 */
  size_t excluded_years;    /* excluded: match_year outside --years */
  size_t retake_after_pass; /* accepted rows flagged by policy */
  struct ck_cohort_private *priv;
};

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

/* Write every rejected row as CSV with the header
 * file,line,column,value,reason,row  (row = the bytes as read).
 * Returns CK_OK or CK_EIO. */
CK_API enum ck_status ck_cohort_write_rejects(FILE *out,
                                              const struct ck_cohort *c);

#ifdef __cplusplus
}
#endif
#endif
