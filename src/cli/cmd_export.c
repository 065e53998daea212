/*
 * cmd_export.c - ckcohort export: the report's tables as summary CSV files
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/analyse.h"
#include "ckcohort/config.h"
#include "ckcohort/export.h"
#include "ckcohort/ingest.h"
#include "ckcohort/report.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out) {
  fputs("usage: ckcohort export --out DIR [options] FILE...\n\n"
        "The report's tables as tidy CSV files in DIR (created if missing):\n"
        "groups.csv, comparisons.csv, by_specialty.csv, by_year.csv,\n"
        "matched_into.csv, score_change.csv, practice_regression.csv and\n"
        "data_dictionary.csv.  One row per table, row and measure; withheld\n"
        "values are empty with suppressed=true.  All files are written, then\n"
        "renamed into place together; on failure none is.\n\n"
        "options:\n"
        "  --out DIR        directory to write (required)\n"
        "  --excel          UTF-8 byte order mark and CRLF line ends\n"
        "  --years A-B      only Match years A to B\n"
        "  --threads N      parse large files on N threads (default: one per\n"
        "                   CPU; the output is the same for every N)\n"
        "  --min-cell N     smallest group shown (default 11, at least 3)\n"
        "  --confidence C   confidence level, 0 < C < 1 (default 0.95)\n"
        "  --exact          Clopper-Pearson intervals for proportions\n"
        "  --config FILE    read settings from FILE (INI format)\n"
        "  --releases DIR   release ledger: check against every earlier\n"
        "                   release in DIR, then record this one there\n"
        "  --help           show this help\n\n"
        "exit status: 0 ok, 2 usage error or unusable input, 3 the files\n"
        "could not be written\n",
        out);
}

int cmd_export(int argc, char **argv) {
  const char *outdir = NULL;
  bool excel = false;
  struct cli_cohort_args ca = {0};
  const struct cli_option opts[] = {
      {"--out", &outdir, NULL},            {"--config", &ca.config, NULL},
      {"--min-cell", &ca.min_cell, NULL},  {"--confidence", &ca.confidence, NULL},
      {"--years", &ca.years, NULL},        {"--exact", NULL, &ca.exact},
      {"--threads", &ca.threads, NULL}, {"--releases", &ca.releases, NULL},
      {"--excel", NULL, &excel}};
  const char **files = calloc((size_t)argc + 1, sizeof *files);
  size_t n_files = 0;
  bool want_help = false;
  if (files == NULL)
    return cli_fail(CK_EXIT_IO, "out of memory");
  int rc = cli_parse_args("export", argc, argv, opts,
                          sizeof opts / sizeof opts[0], files, &n_files,
                          &want_help);
  if (rc == CK_EXIT_OK && want_help) {
    help(stdout);
    free(files);
    return CK_EXIT_OK;
  }
  if (rc == CK_EXIT_OK && (outdir == NULL || outdir[0] == '\0'))
    rc = cli_fail(CK_EXIT_USAGE, "export: --out DIR is required; see "
                                 "'ckcohort export --help'");
  if (rc == CK_EXIT_OK && n_files == 0)
    rc = cli_fail(CK_EXIT_USAGE, "export: no input files; see 'ckcohort "
                                 "export --help'");
  struct ck_config *cfg = NULL;
  struct ck_cohort *c = NULL;
  struct ck_report *r = NULL;
  if (rc == CK_EXIT_OK)
    rc = cli_build_report("export", &ca, files, n_files, &cfg, &c, &r);
  if (rc != CK_EXIT_OK) {
    free(files);
    return rc;
  }
  struct ck_error err;
  ck_error_clear(&err);
  struct ck_export_options eo = {excel};
  /* The settings file is an input too: never written over. */
  files[n_files] = ca.config;
  if (ck_export_csv(r, outdir, &eo, files, n_files + (ca.config != NULL),
                    &err) != CK_OK) {
    int e = cli_error(&err);
    rc = err.code == CK_EUSAGE ? e : CK_EXIT_IO;
  }
  ck_report_free(r);
  ck_cohort_free(c);
  ck_config_free(cfg);
  free(files);
  return rc;
}
