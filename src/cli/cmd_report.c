/*
 * cmd_report.c - ckcohort report: ingest -> analyse -> suppress -> render
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/analyse.h"
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "ckcohort/output.h"
#include "ckcohort/render.h"
#include "ckcohort/report.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out) {
  fputs("usage: ckcohort report [options] FILE...\n\n"
        "The Match-outcomes report for applicants who barely passed Step 2\n"
        "CK: who retook and who did not, against those who failed and then\n"
        "passed.  Small groups are withheld before anything is written.\n\n"
        "options:\n"
        "  --format F       text (default), md, json or html (one\n"
        "                   self-contained page with charts)\n"
        "  -o FILE          write to FILE (replaced whole, or not at all)\n"
        "  --years A-B      only Match years A to B\n"
        "  --min-cell N     smallest group shown (default 11, at least 3)\n"
        "  --confidence C   confidence level, 0 < C < 1 (default 0.95)\n"
        "  --exact          Clopper-Pearson intervals for proportions\n"
        "  --config FILE    read settings from FILE (INI format)\n"
        "  --help           show this help\n\n"
        "exit status: 0 ok (rows may have been rejected: the report says so),\n"
        "2 usage error or unusable input, 3 output could not be written\n",
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

/* SOURCE_DATE_EPOCH (reproducible builds): whole seconds, else -1. */
static long long source_date_epoch(void) {
  const char *s = getenv("SOURCE_DATE_EPOCH");
  if (s == NULL || *s < '0' || *s > '9')
    return -1;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  return errno == 0 && *end == '\0' ? v : -1;
}

int cmd_report(int argc, char **argv) {
  const char *format = "text", *outpath = NULL, *config = NULL;
  const char *min_cell = NULL, *confidence = NULL, *years = NULL;
  bool exact = false, opts_done = false;
  const char **files = calloc((size_t)argc, sizeof *files);
  size_t n_files = 0;
  if (files == NULL)
    return cli_fail(CK_EXIT_IO, "out of memory");
  static const char *const valued[] = {"--format",   "-o",
                                       "--config",   "--min-cell",
                                       "--confidence", "--years"};
  const char **dests[] = {&format, &outpath, &config, &min_cell, &confidence,
                          &years};
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
    } else {
      size_t k = 0, nv = sizeof valued / sizeof valued[0];
      size_t len = strcspn(a, "=");
      while (k < nv && (strlen(valued[k]) != len ||
                        strncmp(a, valued[k], len) != 0))
        k++;
      if (k == nv)
        rc = cli_fail(CK_EXIT_USAGE, "report: unknown option '%s'; see "
                                     "'ckcohort report --help'", a);
      else if (a[len] == '=')
        *dests[k] = a + len + 1;
      else if (i + 1 < argc)
        *dests[k] = argv[++i];
      else
        rc = cli_fail(CK_EXIT_USAGE, "report: %s needs a value", a);
    }
  }
  ck_render_fn render = ck_renderer(format);
  if (rc == CK_EXIT_OK && render == NULL)
    rc = cli_fail(CK_EXIT_USAGE,
                  "report: --format \"%s\" is not text, md, json or html", format);
  if (rc == CK_EXIT_OK && n_files == 0)
    rc = cli_fail(CK_EXIT_USAGE, "report: no input files; see 'ckcohort "
                                 "report --help'");
  struct ck_ingest_options opt = {0};
  if (rc == CK_EXIT_OK && years != NULL &&
      parse_years(years, &opt.year_from, &opt.year_to) != 0)
    rc = cli_fail(CK_EXIT_USAGE, "report: --years \"%s\" is not A-B with "
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
      rc = cli_fail(CK_EXIT_USAGE, "report: --min-cell \"%s\" must be a whole "
                    "number of at least %d", min_cell, CK_MIN_CELL_FLOOR);
      goto out;
    }
    cfg->min_cell = (size_t)v;
  }
  if (confidence != NULL) {
    char *end;
    double v = strtod(confidence, &end);
    if (end == confidence || *end != '\0' || !(v > 0.0 && v < 1.0)) {
      rc = cli_fail(CK_EXIT_USAGE, "report: --confidence \"%s\" must be "
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
  r->generated = source_date_epoch();
  ck_suppress(r);

  /* The settings file is an input too: -o must not overwrite it.  files
   * has room: argv[0] is never a file. */
  files[n_files] = config;
  struct ck_output *o =
      ck_output_open(outpath, files, n_files + (config != NULL), &err);
  if (o == NULL) {
    int e = cli_error(&err);
    rc = err.code == CK_EUSAGE ? e : CK_EXIT_IO;
    goto out;
  }
  errno = 0;
  if (render(ck_output_stream(o), r) != CK_OK) {
    int e = errno;
    ck_output_abort(o);
    rc = cli_fail(CK_EXIT_IO, "%s: cannot write the report%s%s",
                  outpath ? outpath : "standard output", e ? ": " : "",
                  e ? strerror(e) : "");
    goto out;
  }
  if (ck_output_commit(o, &err) != CK_OK) {
    cli_error(&err);
    rc = CK_EXIT_IO;
  }
out:
  ck_report_free(r);
  ck_cohort_free(c);
  ck_config_free(cfg);
  free(files);
  return rc;
}
