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
        "  --min-cell N     smallest group shown (default 11, at least 3)\n"
        "  --confidence C   confidence level, 0 < C < 1 (default 0.95)\n"
        "  --exact          Clopper-Pearson intervals for proportions\n"
        "  --config FILE    read settings from FILE (INI format)\n"
        "  --help           show this help\n\n"
        "exit status: 0 ok, 2 usage error or unusable input, 3 the files\n"
        "could not be written\n",
        out);
}

static int parse_years(const char *s, int *from, int *to) {
  char *end;
  long a = strtol(s, &end, 10), b = a;
  if (end == s)
    return -1;
  if (*end == '-') {
    const char *t = end + 1;
    b = strtol(t, &end, 10);
    if (end == t)
      return -1;
  }
  if (*end != '\0' || a < 1990 || b > 2100 || a > b)
    return -1;
  *from = (int)a;
  *to = (int)b;
  return 0;
}

int cmd_export(int argc, char **argv) {
  const char *outdir = NULL, *config = NULL;
  const char *min_cell = NULL, *confidence = NULL, *years = NULL;
  bool exact = false, excel = false, opts_done = false;
  const char **files = calloc((size_t)argc, sizeof *files);
  size_t n_files = 0;
  if (files == NULL)
    return cli_fail(CK_EXIT_IO, "out of memory");
  static const char *const valued[] = {"--out", "--config", "--min-cell",
                                       "--confidence", "--years"};
  const char **dests[] = {&outdir, &config, &min_cell, &confidence, &years};
  int rc = CK_EXIT_OK;
  for (int i = 1; i < argc && rc == CK_EXIT_OK; i++) {
    const char *a = argv[i];
    if (opts_done || a[0] != '-' || a[1] == '\0') {
      files[n_files++] = a;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      opts_done = true;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      help(stdout);
      free(files);
      return CK_EXIT_OK;
    } else if (strcmp(a, "--exact") == 0) {
      exact = true;
    } else if (strcmp(a, "--excel") == 0) {
      excel = true;
    } else {
      size_t k = 0, nv = sizeof valued / sizeof valued[0];
      size_t len = strcspn(a, "=");
      while (k < nv && (strlen(valued[k]) != len ||
                        strncmp(a, valued[k], len) != 0))
        k++;
      if (k == nv)
        rc = cli_fail(CK_EXIT_USAGE, "export: unknown option '%s'; see "
                                     "'ckcohort export --help'", a);
      else if (a[len] == '=')
        *dests[k] = a + len + 1;
      else if (i + 1 < argc)
        *dests[k] = argv[++i];
      else
        rc = cli_fail(CK_EXIT_USAGE, "export: %s needs a value", a);
    }
  }
  if (rc == CK_EXIT_OK && (outdir == NULL || outdir[0] == '\0'))
    rc = cli_fail(CK_EXIT_USAGE, "export: --out DIR is required; see "
                                 "'ckcohort export --help'");
  if (rc == CK_EXIT_OK && n_files == 0)
    rc = cli_fail(CK_EXIT_USAGE, "export: no input files; see 'ckcohort "
                                 "export --help'");
  struct ck_ingest_options opt = {0};
  if (rc == CK_EXIT_OK && years != NULL &&
      parse_years(years, &opt.year_from, &opt.year_to) != 0)
    rc = cli_fail(CK_EXIT_USAGE, "export: --years \"%s\" is not A-B with "
                                 "1990 <= A <= B <= 2100", years);
  if (rc != CK_EXIT_OK) {
    free(files);
    return rc;
  }

  struct ck_config *cfg = ck_config_new();
  struct ck_cohort *c = NULL;
  struct ck_report *r = NULL;
  struct ck_error err;
  ck_error_clear(&err);
  if (config != NULL && ck_config_load(cfg, config, &err) != CK_OK) {
    rc = cli_error(&err);
    goto out;
  }
  if (min_cell != NULL) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(min_cell, &end, 10);
    if (end == min_cell || *end != '\0' || errno != 0 || min_cell[0] == '-' ||
        v < CK_MIN_CELL_FLOOR || v > 1000000) {
      rc = cli_fail(CK_EXIT_USAGE, "export: --min-cell \"%s\" must be a whole "
                    "number of at least %d", min_cell, CK_MIN_CELL_FLOOR);
      goto out;
    }
    cfg->min_cell = (size_t)v;
  }
  if (confidence != NULL) {
    char *end;
    double v = strtod(confidence, &end);
    if (end == confidence || *end != '\0' || !(v > 0.0 && v < 1.0)) {
      rc = cli_fail(CK_EXIT_USAGE, "export: --confidence \"%s\" must be "
                    "between 0 and 1, e.g. 0.95", confidence);
      goto out;
    }
    cfg->confidence = v;
  }
  if (exact)
    cfg->clopper_pearson = true;
  if (ck_config_check(cfg, &err) != CK_OK) {
    rc = cli_error(&err);
    goto out;
  }

  c = ck_cohort_new(cfg, &opt);
  for (size_t i = 0; i < n_files; i++) {
    if (ck_ingest_file(c, files[i], &err) != CK_OK) {
      cli_error(&err);
      rc = CK_EXIT_USAGE; /* unreadable or unusable input */
      goto out;
    }
  }
  r = ck_analyse(c, cfg, &err);
  if (r == NULL) {
    rc = cli_error(&err);
    goto out;
  }
  ck_suppress(r);
  struct ck_export_options eo = {excel};
  /* The settings file is an input too (files has room: argv[0] is no file). */
  files[n_files] = config;
  if (ck_export_csv(r, outdir, &eo, files, n_files + (config != NULL), &err) !=
      CK_OK) {
    int e = cli_error(&err);
    rc = err.code == CK_EUSAGE ? e : CK_EXIT_IO;
  }
out:
  ck_report_free(r);
  ck_cohort_free(c);
  ck_config_free(cfg);
  free(files);
  return rc;
}
