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
        "  --format F       text (default), md, json, html (one\n"
        "                   self-contained page with charts) or pdf (that\n"
        "                   page printed by headless Chromium; needs -o);\n"
        "                   without it, -o FILE.html/.json/.md/.txt picks it\n"
        "  -o FILE          write to FILE (replaced whole, or not at all)\n"
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
        "exit status: 0 ok (rows may have been rejected: the report says so),\n"
        "2 usage error or unusable input, 3 output could not be written\n",
        out);
}

struct job {
  ck_render_fn render;
  const struct ck_report *r;
};

static enum ck_status write_report(FILE *out, const void *model) {
  const struct job *j = model;
  return j->render(out, j->r);
}

int cmd_report(int argc, char **argv) {
  const char *format = NULL, *outpath = NULL;
  struct cli_cohort_args ca = {0};
  const struct cli_option opts[] = {
      {"--format", &format, NULL, NULL},
      {"-o", &outpath, NULL, NULL},
      {"--config", &ca.config, NULL, NULL},
      {"--min-cell", &ca.min_cell, NULL, NULL},
      {"--confidence", &ca.confidence, NULL, NULL},
      {"--years", &ca.years, NULL, NULL},
      {"--threads", &ca.threads, NULL, NULL},
      {"--exact", NULL, &ca.exact, NULL},
      {"--privacy", &ca.privacy, NULL, NULL},
      {"--releases", &ca.releases, NULL, NULL},
      {"--column", NULL, NULL, &ca.columns}};
  size_t n_files = 0;
  int rc;
  const char **files =
      cli_args("report", argc, argv, opts, sizeof opts / sizeof opts[0],
               &n_files, help, &rc);
  if (files == NULL)
    goto done;
  /* -o report.html without --format: the extension says what is wanted */
  if (format == NULL)
    format = cli_format_from_path(outpath);
  if (format == NULL)
    format = "text";
  if (rc == CK_EXIT_OK && ck_renderer(format) == NULL)
    rc = cli_bad_format("report", format);
  if (rc == CK_EXIT_OK)
    rc = cli_check_pdf("report", format, outpath);
  if (rc == CK_EXIT_OK && n_files == 0)
    rc = cli_fail(CK_EXIT_USAGE, "report: no input files; see 'ckcohort "
                                 "report --help'");
  struct ck_config *cfg = NULL;
  struct ck_cohort *c = NULL;
  struct ck_report *r = NULL;
  if (rc == CK_EXIT_OK)
    rc = cli_build_report("report", &ca, files, n_files, &cfg, &c, &r);
  if (rc == CK_EXIT_OK) {
    /* The settings file is an input too: -o must not overwrite it. */
    files[n_files] = ca.config;
    struct ck_output *o =
        cli_out_open(outpath, files, n_files + (ca.config != NULL), &rc);
    struct job j = {ck_renderer(format), r};
    if (o != NULL)
      rc = cli_out_finish(o, outpath, "the report", write_report, &j);
  }
  ck_report_free(r);
  ck_cohort_free(c);
  ck_config_free(cfg);
done:
  free(ca.columns.values);
  free(files);
  return rc;
}
