/*
 * xlsx.h - the export's Excel workbook (libxlsxwriter), private to export.c
 * SPDX-License-Identifier: MIT
 *
 * A thin layer over libxlsxwriter that knows the house formats: a styled,
 * frozen header row, percent formats for proportions, withheld cells left
 * empty but shaded with a note saying why.  It writes numbers and text
 * only, never a formula.  The workbook's contents come from export.c's
 * table writers, so every sheet holds exactly what the CSV files hold.
 */
#ifndef CKCOHORT_XLSX_H
#define CKCOHORT_XLSX_H

#include <stddef.h>
#include "ckcohort/ckcohort.h"
#include "ckcohort/report.h"
#include "report_model.h"

struct ck_xl;       /* a workbook being written */
struct ck_xl_sheet; /* one of its sheets, with a row cursor */

/* Start a workbook at `path` (a temporary file the caller renames), with
 * document time `created` (seconds since 1970; fixes the file's bytes).
 * Returns NULL when libxlsxwriter cannot start one.  Free with
 * ck_xl_close(). */
struct ck_xl *ck_xl_new(const char *path, long long created);

/* The first sheet: title, inputs with SHA-256, settings and the disclosure
 * rule, from the report's provenance; its cursor is left two rows below,
 * where the caller writes the data dictionary.  Borrowed: owned by x. */
struct ck_xl_sheet *ck_xl_about(struct ck_xl *x, const struct ck_report *r);

/* A sheet whose first row is the header cols[0..n-1] (bold, shaded,
 * frozen, with a filter); the cursor is on row 2.  Borrowed. */
struct ck_xl_sheet *ck_xl_table(struct ck_xl *x, const char *name,
                                const char *const *cols, size_t n);

/* A header row at the cursor of any sheet (the About sheet's dictionary). */
void ck_xl_header(struct ck_xl_sheet *s, const char *const *cols, size_t n);

/* Cells at column col of the cursor row.  `measure` picks the number
 * format: proportions as percentages, counts as whole numbers. */
void ck_xl_text(struct ck_xl_sheet *s, unsigned col, const char *v);
void ck_xl_number(struct ck_xl_sheet *s, unsigned col, double v,
                  const char *measure);
void ck_xl_integer(struct ck_xl_sheet *s, unsigned col, long v);
/* Shade the (empty) cell and attach a note saying why it is empty. */
void ck_xl_withheld(struct ck_xl_sheet *s, unsigned col, const char *reason);
void ck_xl_next_row(struct ck_xl_sheet *s);

/* The "Charts" sheet: native Excel charts of the match rate by group and by
 * Match year, each point with its confidence interval (high-low lines),
 * drawn only from shown rates; a chart with nothing to draw is replaced by
 * a sentence saying why.  Call right after ck_xl_about(). */
void ck_xl_charts(struct ck_xl *x, const struct ck_report *r);

/* Write the file and free x (also on failure).  Returns CK_OK, or CK_EIO
 * with err naming `what` (the file the user asked for). */
enum ck_status ck_xl_close(struct ck_xl *x, const char *what,
                           struct ck_error *err);

#endif
