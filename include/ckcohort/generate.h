/*
 * generate.h - synthetic applicant cohorts for demos, tests and benchmarks
 * SPDX-License-Identifier: MIT
 *
 * Output depends only on the options: the random numbers come from GSL's
 * MT19937 generator and every value is built with integer arithmetic, so the
 * same options give byte-identical files on any machine.  The calibration is
 * described in docs/generate.md.
 */
#ifndef CKCOHORT_GENERATE_H
#define CKCOHORT_GENERATE_H

#include <stdbool.h>
#include "ckcohort/ckcohort.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CK_GEN_PPM 1000000UL /* rates are parts per million */

struct ck_gen_options {
  unsigned long seed;       /* GSL MT19937 seed, default 1 */
  int year_from, year_to;   /* Match years, inclusive, default 2017-2026 */
  unsigned long class_size; /* mean class size, default 150 (1..100000) */
  unsigned long retake_after_pass; /* ppm of low-pass applicants who retake
                                      a passed attempt, default 0 */
  bool messy;                      /* mix in what real exports contain */
  bool realistic;                  /* a large export as other tools write it
                                      (docs/generate.md); overrides messy */
  unsigned long long rows;         /* 0: one file per year; else one file
                                      cohort-<rows>.csv with this many rows */
  const char *out_dir;             /* created if missing, default "." */
  /* Schools that differ (ckcohort pool tests; --school-profile): */
  const char *id_prefix; /* student IDs start with it, default "S" */
  int mean_shift;        /* added to the mean first score (half of it
                            to the low tail's): below 0
                            more fail and barely pass, default 0 */
  unsigned primary_care; /* percent more applicants to family and
                            internal medicine, pediatrics, psychiatry
                            and emergency medicine, default 0 */
  /* Called after each file is renamed into place; may be NULL. */
  void (*on_file)(void *ctx, const char *path, unsigned long long rows);
  void *ctx;
};

/* Fill *o with the defaults above. */
CK_API void ck_gen_options_init(struct ck_gen_options *o);

/* Set the size, score and specialty options of a named school profile:
 * "small" (60 a year, 3 points lower), "large" (400 a year, 2 higher),
 * "do" (150 a year, 5 lower, 150% more primary care).  False for an
 * unknown name. */
bool ck_gen_profile(struct ck_gen_options *o, const char *name);

/* Write the cohort.  Each file is written as <name>.tmp in out_dir, flushed,
 * closed and renamed, so no half-written file is left behind.  Returns CK_OK,
 * CK_EUSAGE (bad option), CK_EIO (with err->file set) or CK_EINTERNAL. */
CK_API enum ck_status ck_generate(const struct ck_gen_options *o,
                                  struct ck_error *err);

/* Parse a rate "0", "1", "0.15", "15%" into parts per million (at most
 * 6 decimals, 0..1).  Returns false when the text is not such a rate. */
CK_API bool ck_gen_parse_rate(const char *s, unsigned long *ppm);

#ifdef __cplusplus
}
#endif
#endif
