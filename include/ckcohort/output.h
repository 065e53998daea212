/*
 * output.h - write an output file whole or not at all
 * SPDX-License-Identifier: MIT
 *
 * A regular file (existing or new) is written to a temporary file in the same
 * directory and renamed over the target only on ck_output_commit(), so a
 * failed run leaves the previous file untouched and no temporary behind.
 * Anything else (standard output for "-", a terminal, a pipe, a device such
 * as /dev/full) is written in place and never replaced by a rename.
 */
#ifndef CKCOHORT_OUTPUT_H
#define CKCOHORT_OUTPUT_H

#include <stdio.h>
#include "ckcohort/ckcohort.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ck_output;

/* Open `path` ("-" or NULL for standard output).  Refuses, with CK_EUSAGE,
 * a path that is the same file (device and inode) as one of inputs[0..n-1].
 * Returns NULL with err set on failure.  Finish with ck_output_commit() or
 * ck_output_abort(), which free the handle. */
CK_API struct ck_output *ck_output_open(const char *path,
                                        const char *const *inputs,
                                        size_t n_inputs, struct ck_error *err);

/* The stream to write to.  Borrowed: valid until commit or abort. */
CK_API FILE *ck_output_stream(struct ck_output *o);

/* Flush, sync and close, without renaming yet: to replace several files
 * together, sync every one, then commit every one (a failure to sync file
 * k then leaves all targets as they were).  On failure the temporary file
 * is removed and CK_EIO returned with err set; commit then fails too, and
 * abort only frees.  Standard output and devices: nothing to do. */
CK_API enum ck_status ck_output_sync(struct ck_output *o, struct ck_error *err);

/* Flush, sync and close (unless ck_output_sync did); rename the temporary
 * file into place.  On any
 * failure the temporary file is removed and CK_EIO returned with err set. */
CK_API enum ck_status ck_output_commit(struct ck_output *o,
                                       struct ck_error *err);

/* Discard: close and remove the temporary file (if any).  NULL is allowed. */
CK_API void ck_output_abort(struct ck_output *o);

/* Remove every temporary file of outputs not yet committed or aborted,
 * leaving the targets as they were.  For a program that must stop at once
 * (out of memory, a signal): async-signal-safe; the handles are not freed. */
CK_API void ck_output_cleanup(void);

#ifdef __cplusplus
}
#endif
#endif
