/*
 * meta.h - the across-schools meta-analysis of a pooled report (private)
 * SPDX-License-Identifier: MIT
 */
#ifndef CKCOHORT_META_H
#define CKCOHORT_META_H

#include "report_model.h"

/* Per-school log odds ratios (0.5 added to every cell of a table with a
 * zero cell, as metafor's escalc does by default), then over the shown
 * rows: Cochran's Q, DerSimonian-Laird and REML random-effects fits with
 * I^2, H^2 and a prediction interval for a new school (metafor::rma and
 * predict), and the Mantel-Haenszel odds ratio with schools as strata (R
 * mantelhaen.test(correct = FALSE)).  Intervals at level conf.  Marks
 * what cannot be computed CK_NOT_ENOUGH_DATA.  Returns CK_OK, or
 * CK_EINTERNAL when a numerical routine fails. */
enum ck_status ck_meta_analyse(struct ck_meta_comparison *m, double conf);

/* Free a meta-analysis and what it owns; NULL is allowed. */
void ck_meta_free(struct ck_meta *m);

#endif
