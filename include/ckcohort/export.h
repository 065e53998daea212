/*
 * export.h - the report's tables as tidy summary CSV files (docs/export.md)
 * SPDX-License-Identifier: MIT
 *
 * Like the renderers, export only formats a suppressed, const report: a
 * withheld number is an empty cell with suppressed=true and its reason.
 */
#ifndef CKCOHORT_EXPORT_H
#define CKCOHORT_EXPORT_H

#include <stdbool.h>
#include "ckcohort/ckcohort.h"
#include "ckcohort/report.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ck_export_options {
  bool excel; /* UTF-8 byte order mark and CRLF line ends */
};

/* The files written, in order (NULL-ended, static storage). */
extern const char *const ck_export_files[];

/* Write every file of ck_export_files into directory `dir` (created, with
 * its parents, when missing).  All files are first written whole to
 * temporary files; only when every one is complete are they renamed into
 * place, so a failure while writing leaves no new file (and removes the
 * directories this call created).  A target that is one of inputs[0..n-1]
 * is refused with CK_EUSAGE.  opt may be NULL (defaults).  Returns CK_OK,
 * CK_EUSAGE or CK_EIO with err set. */
CK_API enum ck_status ck_export_csv(const struct ck_report *r, const char *dir,
                                    const struct ck_export_options *opt,
                                    const char *const *inputs, size_t n_inputs,
                                    struct ck_error *err);

#ifdef __cplusplus
}
#endif
#endif
