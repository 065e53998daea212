/*
 * summary.h - a school's sufficient statistics: what the report needs, no row
 * SPDX-License-Identifier: MIT
 *
 * The report is computed in two steps: the records are reduced to a
 * struct ck_suff (counts by key, score-change histograms, sums of
 * practice/retake pairs, weighted design rows), and every section is
 * computed from that alone (ck_analyse_suff).  A school's summary file
 * (docs/exchange.md) is this struct in JSON; pooling several schools is
 * adding their structs, so the pooled report is the report on the union of
 * their files, figure for figure.  No student ID, row or date finer than the
 * Match year is kept.
 */
#ifndef CKCOHORT_SUMMARY_H
#define CKCOHORT_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "ckcohort/ckcohort.h"
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "ckcohort/report.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CK_SUMMARY_FORMAT         "ckcohort-summary"
#define CK_SUMMARY_VERSION        1
#define CK_SUMMARY_MAX_APPLICANTS 50000000ull /* accepted rows per summary */

/* Applicants sharing one key.  matched_specialty is kept only for the groups
 * of the matched-into tables (low pass, retook or not; failed then passed),
 * else -1. */
struct ck_suff_count {
  int16_t year;
  int16_t target;            /* index into ck_suff.specs, or -1 */
  int16_t matched_specialty; /* index into ck_suff.specs, or -1 */
  uint8_t leaf;              /* enum ck_group_id (a leaf of ck_classify) */
  uint8_t matched, matched_target, program;
  uint64_t n;
};

/* Retakers of one leaf group with one score change (attempt 2 - 1). */
struct ck_suff_change {
  uint8_t leaf;
  int16_t change;
  uint64_t n;
};

/* Retakers of one leaf with practice_avg_2: x = practice_avg_2, y = attempt
 * 2.  Integer sums, exact, so adding schools loses nothing. */
struct ck_suff_pairs {
  uint64_t n;
  int64_t sx, sy, sxx, sxy, syy;
  int x_min, x_max; /* meaningful when n > 0 */
};

/* The adjusted model's groups (the comparisons use no others). */
enum ck_design_group {
  CK_DG_RETOOK = 0,
  CK_DG_NO_RETAKE,
  CK_DG_FAILED_PASSED,
  CK_DG_COUNT
};

/* One weighted design row of the adjusted model. */
struct ck_suff_design {
  uint8_t group; /* enum ck_design_group */
  uint8_t matched;
  uint8_t tier;  /* enum ck_tier of the target specialty */
  int16_t score; /* first attempt */
  int16_t year;
  uint64_t n;
};

struct ck_suff_specialty {
  char *name; /* owned */
  enum ck_tier tier;
};

struct ck_suff_input {
  char *path; /* owned; as given to summarize */
  char sha256[65];
  size_t read, accepted, excluded, rejected;
  char **ignored; /* owned; headers of the columns not used (the
                     exchange file's ignored_columns) */
  size_t n_ignored;
};

struct ck_suff {
  /* provenance and row accounting */
  struct ck_suff_input *inputs;
  size_t n_inputs;
  size_t read, accepted, excluded, rejected, warnings, blank;
  size_t excluded_no_score, excluded_years;
  struct ck_reason_count *reasons; /* rejected rows by column; owned */
  size_t n_reasons;
  int years_from, years_to; /* --years, 0 when none */
  size_t retake_after_pass; /* accepted rows flagged by policy */
  size_t lpr_flagged;       /* ... of them in the low-pass-retook group */

  struct ck_suff_specialty *specs; /* what the indices below name; owned */
  size_t n_specs;
  /* each table sorted by key (ck_suff_sort), keys distinct */
  struct ck_suff_count *counts;
  size_t n_counts;
  struct ck_suff_change *changes;
  size_t n_changes;
  struct ck_suff_pairs pairs[CK_G_COUNT]; /* by leaf */
  struct ck_suff_design *design;
  size_t n_design;
};

/* Reduce cohort c (read with or without opt.tally) under cfg.  Returns a
 * new struct (caller frees with ck_suff_free), never NULL (allocation
 * failure goes to the out-of-memory handler). */
struct ck_suff *ck_suff_from_cohort(const struct ck_cohort *c,
                                    const struct ck_config *cfg);

/* Free s and everything it owns; NULL is allowed. */
void ck_suff_free(struct ck_suff *s);

/* Add `add` into `into`: specialties matched by name, tables appended,
 * sums added, inputs and reasons appended/merged.  Call ck_suff_sort on
 * `into` after the last one (adding 150 schools sorts once).  `add` is only
 * read; `into` may start zeroed (ck_xcalloc'd or {0}-initialised). */
void ck_suff_add(struct ck_suff *into, const struct ck_suff *add);

/* Sort every table by key and merge equal keys. */
void ck_suff_sort(struct ck_suff *s);

/* The report model from sufficient statistics alone (ck_analyse is
 * ck_suff_from_cohort + this).  Same contract as ck_analyse. */
struct ck_report *ck_analyse_suff(const struct ck_suff *s,
                                  const struct ck_config *cfg,
                                  struct ck_error *err);

/* ---- the exchange file (docs/exchange.md) ---------------------------- */

/* One school's summary as read from a file. */
struct ck_summary {
  int version;            /* CK_SUMMARY_VERSION */
  char *school;           /* owned */
  char *tool_version;     /* owned */
  char *specialty_digest; /* owned: SHA-256 hex of the specialty table */
  struct ck_config *cfg;  /* owned: the definitions and settings used */
  struct ck_suff *suff;   /* owned */
  /* Whether the school's own report, suppressed with min_cell own_min_cell,
   * shows each headline comparison (report order); own_min_cell 0 when the
   * file does not say.  Saves pool a suppression per school. */
  size_t own_min_cell;
  bool own_shows[CK_MAX_COMPARISONS];
};

void ck_summary_free(struct ck_summary *s);

/* SHA-256 (hex, 65 bytes with NUL) of cfg's specialty table: names, tiers
 * and aliases in a canonical text. */
void ck_specialty_digest(const struct ck_config *cfg, char out[65]);

/* Whether suppressed report r shows comparison i with its four counts
 * (matched and unmatched in both groups): the rule for a school's row in
 * the meta-analysis. */
bool ck_report_shows_comparison(const struct ck_report *r, size_t i);

/* Write the summary of cohort c (settings cfg, school name) as JSON.  own,
 * when not NULL, is the school's own report of c, already suppressed: what
 * it shows of the headline comparisons is recorded.  Returns CK_OK, or
 * CK_EIO when writing fails. */
enum ck_status ck_summary_write(FILE *out, const struct ck_cohort *c,
                                const struct ck_config *cfg, const char *school,
                                const struct ck_report *own,
                                struct ck_error *err);

/* Read a summary file.  CK_EPARSE (not a summary, unknown version, a field
 * missing or out of range; err names file and field), CK_EIO.  On success
 * *out is a new summary (caller frees with ck_summary_free). */
enum ck_status ck_summary_read(const char *path, struct ck_summary **out,
                               struct ck_error *err);

/* As ck_summary_read from memory; `name` is used in messages. */
enum ck_status ck_summary_read_buffer(const char *name, const char *buf,
                                      size_t len, struct ck_summary **out,
                                      struct ck_error *err);

/* CK_OK when a and b may be pooled: same definitions (else CK_EUSAGE with
 * err naming the setting and both values), different school names and no
 * input file (by SHA-256) in both. */
enum ck_status ck_summary_compatible(const struct ck_summary *a,
                                     const char *a_name,
                                     const struct ck_summary *b,
                                     const char *b_name, struct ck_error *err);

#ifdef __cplusplus
}
#endif
#endif
