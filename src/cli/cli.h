/*
 * cli.h - shared pieces of the command-line layer (not part of the library)
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_CLI_H
#define CK_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "ckcohort/ckcohort.h"
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "ckcohort/report.h"

/* One subcommand: argv[0] is the subcommand name.  Returns an enum ck_exit. */
typedef int (*ck_cmd_fn)(int argc, char **argv);

int cmd_validate(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_ask(int argc, char **argv);
int cmd_summarize(int argc, char **argv); /* cmd_summarize.c */
int cmd_pool(int argc, char **argv);      /* cmd_pool.c */

/* "ckcohort: <message>" on stderr; returns `code` for one-line call sites. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print a library error as "ckcohort: file:line: column: text" on stderr
 * and return the exit code that fits its status. */
int cli_error(const struct ck_error *err);

/* One command-line option: a flag (flag != NULL) or an option with a
 * value given as "--name VALUE" or "--name=VALUE" (value != NULL). */
struct cli_option {
  const char *name;
  const char **value;
  bool *flag;
};

/* Parse argv[1..]: options from opts, "--", "--help"/"-h" (sets *help and
 * stops), everything else into files[] (room for argc entries).  Prints a
 * usage error and returns CK_EXIT_USAGE on an unknown option or a missing
 * value; else CK_EXIT_OK. */
int cli_parse_args(const char *cmd, int argc, char **argv,
                   const struct cli_option *opts, size_t n_opts,
                   const char **files, size_t *n_files, bool *help);

/* "A-B" or "A" Match years (1990..2100); 0 on success, -1 otherwise. */
int cli_parse_years(const char *s, int *from, int *to);

/* SOURCE_DATE_EPOCH as whole seconds, or -1 when unset or invalid. */
long long cli_source_date_epoch(void);

/* The settings and data options that report and export share. */
struct cli_cohort_args {
  const char *config, *min_cell, *confidence, *years, *threads, *releases;
  bool exact;
};

/* ck_suppress, with the release ledger `dir` when not NULL: r is checked
 * against every earlier release there, suppressed and recorded.  Returns
 * CK_EXIT_OK, or prints why it could not be checked and returns
 * CK_EXIT_IO (nothing may be published). */
int cli_suppress(const char *cmd, const char *dir, const struct ck_config *cfg,
                 struct ck_report *r);

struct ck_ask;
/* The same for an ask sheet (when dir is not NULL): checked against the
 * ledger's releases (of the same population only, for now) and recorded. */
int cli_ask_release(const char *dir, const struct ck_config *cfg,
                    const struct ck_cohort *c, const struct ck_ask *a);

/* CK_EXIT_OK when no two of the n paths name the same file; else prints
 * "CMD: B is A again" and returns CK_EXIT_USAGE (read twice, every row
 * of the second copy would be a duplicate-ID reject).  Paths that cannot
 * be examined are left to the reader, which names the problem. */
int cli_distinct_inputs(const char *cmd, const char *const *files, size_t n);

/* --threads N: 1..64; 0 on success, -1 if s is not such a number. */
int cli_parse_threads(const char *s, unsigned *out);

/* Settings (defaults, --config, overrides, checked), every file ingested,
 * the report analysed and suppressed.  On success returns CK_EXIT_OK and
 * hands over the three objects (caller frees with ck_report_free,
 * ck_cohort_free, ck_config_free); on failure prints the error and returns
 * its exit code, owning nothing. */
int cli_build_report(const char *cmd, const struct cli_cohort_args *a,
                     const char *const *files, size_t n_files,
                     struct ck_config **cfg, struct ck_cohort **c,
                     struct ck_report **r);

#endif
