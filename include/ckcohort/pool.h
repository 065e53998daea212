/*
 * pool.h - a consortium's report from its schools' summaries
 * SPDX-License-Identifier: MIT
 *
 * ck_pool adds the schools' sufficient statistics (summary.h) and computes
 * the report from the sum with the same code as ck_analyse, so the pooled
 * report equals the report on all the schools' files together.  It adds
 * what only several schools show (struct ck_meta, report.h): each
 * headline comparison per school, the Mantel-Haenszel odds ratio with
 * schools as strata and random-effects meta-analyses of the log odds
 * ratios (analyse_meta.c).
 */
#ifndef CKCOHORT_POOL_H
#define CKCOHORT_POOL_H

#include <stdbool.h>
#include "ckcohort/ckcohort.h"
#include "ckcohort/report.h"
#include "ckcohort/summary.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ck_pool_options {
  size_t min_cell;    /* 0: the largest of the summaries' min_cell */
  bool anonymise;     /* schools shown as "School A", "School B", ... */
  unsigned long seed; /* the order of those letters */
  bool no_known;      /* the report goes to no member: leave out "the
                         pool minus one school" (pool
                         --members-not-readers) */
  bool set_policy;    /* use policy below, not the summaries' own */
  enum ck_privacy_policy policy;
};

/* Pool summaries s[0..n-1] (names[i]: how to call s[i] in messages, e.g.
 * its path).  Refuses (CK_EUSAGE, err naming both summaries and the
 * setting) summaries that may not be pooled (ck_summary_compatible).  Each
 * school's own report is analysed and suppressed under the same policy to
 * decide which per-school rows may be shown.  The policy is o->policy when
 * o->set_policy, else the summaries' (which must then agree).  Every school's
 * own report is added as known to the pooled one (ck_report_add_known,
 * ledger.h): a member knows its own data, so the pool minus any one school is
 * held to the policy by the caller's ck_suppress too.  Returns the pooled
 * report model, not yet suppressed (the caller runs ck_suppress), with ->meta
 * set; caller frees with ck_report_free.  NULL with err set on failure. */
struct ck_report *ck_pool(struct ck_summary *const *s, const char *const *names,
                          size_t n, const struct ck_pool_options *o,
                          struct ck_error *err);

#ifdef __cplusplus
}
#endif
#endif
