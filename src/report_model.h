/*
 * report_model.h - building a report model: the library's side of report.h
 * SPDX-License-Identifier: MIT
 *
 * The analysis stage adds cells and constraints; the suppression engine
 * and its tests read the ranges an attacker can derive.  A client program
 * gets a finished model from ck_analyse() and never builds one, so these
 * stay out of the installed headers.
 */
#ifndef CKCOHORT_REPORT_MODEL_H
#define CKCOHORT_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include "ckcohort/config.h"
#include "ckcohort/report.h"

/* New empty report.  Caller frees with ck_report_free(). */
struct ck_report *ck_report_new(void);
/* Add a count cell; returns its index. */
size_t ck_report_cell(struct ck_report *r, long value, bool outcome);
/* Add a count that no output prints, used to state "part <= whole" as
 * whole = part + internal; returns its index. */
size_t ck_report_internal_cell(struct ck_report *r, long value);
/* Record total = sum of parts[0..n-1] (cell indices). */
void ck_report_constraint(struct ck_report *r, size_t total,
                          const size_t *parts, size_t n);

/* Copy the privacy settings (min_cell, policy, bands) of cfg into r. */
void ck_report_privacy_from(struct ck_report *r, const struct ck_config *cfg);

/* The range [lo, hi] an attacker can derive for every cell from the shown
 * cells, the constraints and the published bounds of withheld cells
 * (small: [0 or 1, min-1]; complement: [min, inf)).  lo/hi are arrays of
 * r->n_cells; hi is LONG_MAX when unbounded.  Used by ck_suppress and tests. */
void ck_suppress_ranges(const struct ck_report *r, long *lo, long *hi);

#endif
