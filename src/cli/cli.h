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
#include "ckcohort/output.h"
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
int cli_fail(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print a library error as "ckcohort: file:line: column: text" on stderr
 * and return the exit code that fits its status. */
int cli_error(const struct ck_error *err);

/* Values of a repeatable option, in the order given (--column A=x
 * --column B=y).  values points into argv; free with free(values). */
struct cli_list {
  const char **values;
  size_t n;
};

/* One command-line option, one table row: a flag (flag != NULL), an option
 * with a value given as "--name VALUE" or "--name=VALUE" (value != NULL; a
 * repeated option keeps the last), or a repeatable one (list != NULL). */
struct cli_option {
  const char *name;
  const char **value;
  bool *flag;
  struct cli_list *list;
};

/* Parse argv[1..]: options from opts anywhere on the line, "--" (every
 * argument after it is a file), "--help"/"-h" (sets *help and stops),
 * everything else into files[] (room for argc entries).  Prints a usage
 * error naming the closest option and returns CK_EXIT_USAGE on an unknown
 * option or a missing value; else CK_EXIT_OK.  Lists are appended to (the
 * caller frees their values arrays). */
int cli_parse_args(const char *cmd, int argc, char **argv,
                   const struct cli_option *opts, size_t n_opts,
                   const char **files, size_t *n_files, bool *help);

/* cli_parse_args with the array of file arguments allocated (room for
 * argc + 1 entries: one more for the caller) and --help answered with
 * help(stdout).  Returns the array (caller frees) with *rc = CK_EXIT_OK,
 * or NULL with *rc set: CK_EXIT_OK after the help, else the usage error's
 * code (already printed). */
const char **cli_args(const char *cmd, int argc, char **argv,
                      const struct cli_option *opts, size_t n_opts,
                      size_t *n_files, void (*help)(FILE *out), int *rc);

/* The name among names[0..n) closest to s (a few typos at most), or NULL. */
const char *cli_closest(const char *s, const char *const *names, size_t n);

/* "CMD: --format "F" is not text, md, json or html; did you mean ...?";
 * returns CK_EXIT_USAGE. */
int cli_bad_format(const char *cmd, const char *format);

/* The output format an output path asks for by its extension (.html, .htm,
 * .json, .md, .txt), or NULL. */
const char *cli_format_from_path(const char *path);

/* Apply --column HEADER=COLUMN mappings to cfg (after the config file, so
 * the command line wins).  Prints the error and returns CK_EXIT_USAGE on a
 * bad mapping; else CK_EXIT_OK. */
int cli_apply_columns(const char *cmd, struct ck_config *cfg,
                      const struct cli_list *columns);

/* Name on stderr, once per input, every column the run did not use:
 * "ckcohort: FILE: note: columns not used: "A", "B"". */
void cli_note_ignored(const struct ck_cohort *c);

/* Writes one output through the atomic writer.  Opening first (before the
 * inputs are read) lets a refused or unwritable path fail early; the
 * previous file stays until the commit.  `what` names the output in
 * messages ("the report").  Both print what went wrong and return an exit
 * code; cli_out_open returns NULL (and sets *rc) on failure. */
struct ck_output *cli_out_open(const char *path, const char *const *inputs,
                               size_t n_inputs, int *rc);
typedef enum ck_status (*cli_write_fn)(FILE *out, const void *model);
int cli_out_finish(struct ck_output *o, const char *path, const char *what,
                   cli_write_fn write, const void *model);

/* "A-B" or "A" Match years, four digits each (1990 <= A <= B <= 2100): 0
 * on success, -1 when s is not of that form, -2 when out of range. */
int cli_parse_years(const char *s, int *from, int *to);

/* The generation time: SOURCE_DATE_EPOCH as whole seconds when set and
 * valid (reproducible output), else now. */
long long cli_source_date_epoch(void);

/* For --format pdf: a file to write to and a browser to print with, else
 * prints why (naming the package to install) and returns the exit code. */
int cli_check_pdf(const char *cmd, const char *format, const char *outpath);

/* The settings and data options that report and export share. */
struct cli_cohort_args {
  const char *config, *min_cell, *confidence, *years, *threads, *privacy,
      *releases;
  bool exact;
  struct cli_list columns; /* --column HEADER=COLUMN */
};

/* ck_suppress, with the release ledger `dir` when not NULL: r is checked
 * against every earlier release there, suppressed and recorded.  Returns
 * CK_EXIT_OK, or prints why it could not be checked and returns
 * CK_EXIT_IO (nothing may be published). */
int cli_suppress(const char *cmd, const char *dir, const struct ck_config *cfg,
                 struct ck_report *r);

struct ck_ask;
struct ck_ask_ctx;
struct ck_ledger;
/* The report an ask run's grid is checked with: c's report under cfg,
 * with the release ledger `dir` (not NULL) checked against it (every
 * earlier report's and export's counts then in it) and suppressed.  On
 * success *out and *ledger are set (the ledger's lock held until
 * cli_ask_record); else prints why and returns CK_EXIT_IO (nothing may
 * be published). */
int cli_ask_report(const char *dir, const struct ck_config *cfg,
                   const struct ck_cohort *c, struct ck_ledger **ledger,
                   struct ck_report **out);
/* Record the n sheets made with r (from cli_ask_report) and ctx (its grid
 * groups kept in each entry) in the ledger, in
 * order, each as its own release, and close it.  On the first failure the
 * rest are not recorded (those before it stay recorded: a release is
 * never taken back) and nothing may be written. */
int cli_ask_record(const char *dir, struct ck_ledger *ledger,
                   const struct ck_report *r, const struct ck_config *cfg,
                   const struct ck_ask_ctx *ctx,
                   const struct ck_ask *const *sheets, size_t n);

/* CK_EXIT_OK when no path is a directory and no two of the n paths name
 * the same file; else prints what to do ("give the CSV files inside it",
 * "B is A again": read twice, every row of the second copy would be a
 * duplicate-ID reject) and returns CK_EXIT_USAGE.  Paths that cannot be
 * examined are left to the reader, which names the problem. */
int cli_distinct_inputs(const char *cmd, const char *const *files, size_t n);

/* --privacy nces|strict into cfg; CK_EXIT_OK, or prints the error and
 * returns CK_EXIT_USAGE. */
int cli_parse_privacy(const char *cmd, const char *s, struct ck_config *cfg);

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
