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

#ifdef __cplusplus
}
#endif
#endif
