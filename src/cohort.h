/*
 * cohort.h - the cohort's fields: the library's side of ingest.h
 * SPDX-License-Identifier: MIT
 *
 * Ingest fills a struct ck_cohort; classification, the analysis and the
 * ask sheet read its records and tallies.  A client program only reads a
 * cohort through the accessors of ingest.h (ck_cohort_rows,
 * ck_cohort_issue, ck_cohort_input_path, ...), so the records, the
 * per-input bookkeeping and the arrays' capacities stay out of the
 * installed headers.
 */
#ifndef CKCOHORT_COHORT_H
#define CKCOHORT_COHORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ckcohort/ckcohort.h"
#include "ckcohort/ingest.h"

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

/* All accepted records of one run plus the accounting.  Fields are read-only
 * outside ingest; the private part manages duplicate IDs and specialty
 * names. */
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

#endif
