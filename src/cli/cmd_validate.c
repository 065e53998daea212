/*
 * cmd_validate.c - ckcohort validate: check files, list every problem
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "ckcohort/output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out) {
  fputs("usage: ckcohort validate [options] FILE...\n\n"
        "Check applicant CSV files and list every rejected row, every row\n"
        "excluded from the analysis and every warning, one per line, then a\n"
        "summary: read = accepted + excluded + rejected.\n\n"
        "  --rejects FILE  write the rejected rows to FILE as CSV\n"
        "                  (file,line,column,value,reason,row)\n"
        "  --years A-B     exclude rows whose match_year is outside A..B\n"
        "  --quiet, -q     print only the summary\n"
        "  --config FILE   read settings from FILE (the pass marks decide the\n"
        "                  retake-after-pass warnings, as in report)\n"
        "  --column H=C    read the input column headed H as column C\n"
        "                  (repeatable; C = ignore leaves it out)\n"
        "  --threads N     parse large files on N threads (default: one per\n"
        "                  CPU; the output is the same for every N)\n"
        "  --help          show this help\n\n"
        "exit status: 0 nothing rejected, 1 rows rejected, 2 usage error or\n"
        "unusable input, 3 output could not be written\n",
        out);
}

/* Print s with control characters escaped so each problem stays one line. */
static void put_escaped(const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '\n')
      fputs("\\n", stdout);
    else if (c == '\r')
      fputs("\\r", stdout);
    else if (c == '\t')
      fputs("\\t", stdout);
    else if (c < 0x20 || c == 0x7f)
      printf("\\x%02X", c);
    else
      putchar(c);
  }
}

static void print_issue(const struct ck_cohort *c, const struct ck_issue *is) {
  const char *path = ck_cohort_input_path(c, is->input);
  if (is->kind == CK_ISSUE_NOTE || is->line == 0) {
    printf("%s: note: ", path);
  } else {
    printf("%s:%ld: ", path, is->line);
    if (is->kind == CK_ISSUE_EXCLUDE)
      fputs("excluded: ", stdout);
    else if (is->kind == CK_ISSUE_WARNING)
      fputs("warning: ", stdout);
  }
  if (is->column && is->kind != CK_ISSUE_NOTE) {
    put_escaped(is->column);
    if (is->value) {
      fputs(" \"", stdout);
      put_escaped(is->value);
      fputs("\" ", stdout);
    } else {
      fputs(": ", stdout);
    }
  }
  put_escaped(is->reason);
  putchar('\n');
}

static enum ck_status write_rejects(FILE *out, const void *c) {
  return ck_cohort_write_rejects(out, c);
}

int cmd_validate(int argc, char **argv) {
  const char *rejects = NULL, *years = NULL, *threads = NULL, *config = NULL;
  bool quiet = false;
  struct cli_list columns = {0};
  const struct cli_option opts[] = {
      {"--rejects", &rejects, NULL, NULL}, {"--years", &years, NULL, NULL},
      {"--threads", &threads, NULL, NULL}, {"--config", &config, NULL, NULL},
      {"--quiet", NULL, &quiet, NULL},     {"-q", NULL, &quiet, NULL},
      {"--column", NULL, NULL, &columns}};
  struct ck_ingest_options opt = {0};
  struct ck_config *cfg = NULL;
  struct ck_cohort *c = NULL;
  struct ck_output *out = NULL;
  struct ck_error err;
  ck_error_clear(&err);
  size_t n_files = 0;
  int rc;
  const char **files =
      cli_args("validate", argc, argv, opts, sizeof opts / sizeof opts[0],
               &n_files, help, &rc);
  if (files == NULL)
    goto done;
  if (years != NULL &&
      cli_parse_years(years, &opt.year_from, &opt.year_to) != 0) {
    rc = cli_fail(CK_EXIT_USAGE,
                  "validate: --years \"%s\" is not A-B with "
                  "1990 <= A <= B <= 2100",
                  years);
    goto done;
  }
  if (threads != NULL && cli_parse_threads(threads, &opt.threads) != 0) {
    rc = cli_fail(CK_EXIT_USAGE,
                  "validate: --threads \"%s\" must be a "
                  "whole number 1-64",
                  threads);
    goto done;
  }
  if (n_files == 0) {
    rc = cli_fail(CK_EXIT_USAGE, "validate: no input files; see 'ckcohort "
                                 "validate --help'");
    goto done;
  }
  rc = cli_distinct_inputs("validate", files, n_files);
  if (rc != CK_EXIT_OK)
    goto done;
  /* the pass marks decide the retake-after-pass warnings: report's table */
  cfg = ck_config_new();
  if (config != NULL && (ck_config_load(cfg, config, &err) != CK_OK ||
                         ck_config_check(cfg, &err) != CK_OK)) {
    rc = cli_error(&err);
    goto done;
  }
  rc = cli_apply_columns("validate", cfg, &columns);
  if (rc != CK_EXIT_OK)
    goto done;
  /* Opened before reading so that a refused or unwritable path fails
   * early; the previous file stays until the commit at the end.  The
   * settings file is an input too. */
  files[n_files] = config;
  if (rejects != NULL &&
      (out = cli_out_open(rejects, files, n_files + (config != NULL), &rc)) ==
          NULL)
    goto done;

  opt.keep_raw = rejects != NULL; /* rejected rows' bytes: only for the file */
  opt.counts_only = true;         /* no statistics, no provenance: count only */
  c = ck_cohort_new(cfg, &opt);
  for (size_t i = 0; i < n_files; i++) {
    ck_error_clear(&err);
    if (ck_ingest_file(c, files[i], &err) != CK_OK) {
      int r = cli_error(&err);
      if (r > rc)
        rc = r;
    }
  }
  /* the listing names unused columns itself; said once, not twice */
  if (quiet)
    cli_note_ignored(c);
  if (!quiet)
    for (size_t i = 0; i < ck_cohort_issue_count(c); i++)
      print_issue(c, ck_cohort_issue(c, i));
  struct ck_row_counts n = ck_cohort_rows(c);
  printf("read %zu, accepted %zu, excluded %zu, rejected %zu, warnings %zu\n",
         n.read, n.accepted, n.excluded, n.rejected, n.warnings);
  if (n.blank)
    printf("blank lines skipped %zu\n", n.blank);
  if (rc == CK_EXIT_OK && n.rejected > 0)
    rc = CK_EXIT_DATA;
  if (out != NULL) {
    int r = cli_out_finish(out, rejects, "the rejects", write_rejects, c);
    if (r != CK_EXIT_OK)
      rc = r;
  }
done:
  ck_cohort_free(c);
  ck_config_free(cfg);
  free(columns.values);
  free(files);
  return rc;
}
