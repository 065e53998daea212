/*
 * analyse.h - cohort -> report model (GSL statistics via stats.h)
 * SPDX-License-Identifier: MIT
 */
#ifndef CKCOHORT_ANALYSE_H
#define CKCOHORT_ANALYSE_H

#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "ckcohort/report.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Build the full, not yet suppressed, report model for cohort c under cfg:
 * provenance, groups, comparisons, score change, practice regression,
 * specialties, years and trend, matched-into tables, with every count
 * registered as a cell and every sum as a constraint.  The same as
 * ck_analyse_suff(ck_suff_from_cohort(c, cfg), cfg) (summary.h).  Caller
 * frees with
 * ck_report_free() and must run ck_suppress() before rendering.  Returns
 * NULL only with err set (CK_ENOMEM, CK_EINTERNAL). */
CK_API struct ck_report *ck_analyse(const struct ck_cohort *c,
                                    const struct ck_config *cfg,
                                    struct ck_error *err);

/* ck_analyse in two steps, so that the caller can decide which counts to
 * withhold (ck_suppress_counts, report.h) while the comparisons' exact
 * tests, the longest part of a large cohort's analysis, run on a helper
 * thread.  ck_analyse_start returns as ck_analyse does, except that when
 * a helper was started the comparisons are not complete until
 * ck_analyse_wait(r, err) has returned CK_OK; until then r may be given
 * only to ck_report_set_generated, ck_suppress_counts, ck_analyse_wait
 * and ck_report_free (which waits for the tests).  ck_analyse_wait
 * returns CK_OK, or the status ck_analyse would have failed with (err
 * set; the caller then frees r and publishes nothing); on a finished
 * model it does nothing.  The model is then the one ck_analyse builds. */
CK_API struct ck_report *ck_analyse_start(const struct ck_cohort *c,
                                          const struct ck_config *cfg,
                                          struct ck_error *err);
CK_API enum ck_status ck_analyse_wait(struct ck_report *r,
                                      struct ck_error *err);

#ifdef __cplusplus
}
#endif
#endif
