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
        "groups.csv, comparisons.csv, adjusted.csv, by_specialty.csv,\n"
        "by_year.csv, matched_into.csv, score_change.csv,\n"
        "practice_regression.csv, rows.csv and data_dictionary.csv, and the\n"
        "same tables as one Excel workbook, summary.xlsx (an About sheet,\n"
        "charts, a sheet per table).  One row per table, row and measure;\n"
        "withheld values are empty with suppressed=true.  All files are\n"
        "written, then renamed into place together; on failure none is.\n"
        "Prints one line per file written.\n\n"
        "options:\n"
        "  --out DIR        directory to write (required)\n"
        "  --excel          UTF-8 byte order mark and CRLF line ends\n"
        "  --column H=C     read the input column headed H as column C\n"
        "                   (repeatable; C = ignore leaves it out)\n"
        "  --years A-B      only Match years A to B\n"
        "  --threads N      parse large files on N threads (default: one per\n"
        "                   CPU; the output is the same for every N)\n"
        "  --min-cell N     smallest group shown (default 11, at least 3)\n"
        "  --privacy P      disclosure policy: nces (default) or strict\n"
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
      {"--out", &outdir, NULL, NULL},
      {"--config", &ca.config, NULL, NULL},
      {"--min-cell", &ca.min_cell, NULL, NULL},
      {"--confidence", &ca.confidence, NULL, NULL},
      {"--years", &ca.years, NULL, NULL},
      {"--exact", NULL, &ca.exact, NULL},
      {"--threads", &ca.threads, NULL, NULL},
      {"--excel", NULL, &excel, NULL},
      {"--privacy", &ca.privacy, NULL, NULL},
      {"--releases", &ca.releases, NULL, NULL},
      {"--column", NULL, NULL, &ca.columns}};
  size_t n_files = 0;
  int rc;
  const char **files =
      cli_args("export", argc, argv, opts, sizeof opts / sizeof opts[0],
               &n_files, help, &rc);
  if (files == NULL) {
    free(ca.columns.values);
    return rc;
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
    free(ca.columns.values);
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
  } else {
    size_t len = strlen(outdir);
    while (len > 1 && outdir[len - 1] == '/')
      len--;
    for (size_t i = 0; ck_export_files[i] != NULL; i++)
      printf("wrote %.*s/%s\n", (int)len, outdir, ck_export_files[i]);
  }
  ck_report_free(r);
  ck_cohort_free(c);
  ck_config_free(cfg);
  free(ca.columns.values);
  free(files);
  return rc;
}
