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
        "  --threads N      parse large files on N threads (default: one per\n"
        "                   CPU; the output is the same for every N)\n"
        "  --min-cell N     smallest group shown (default 11, at least 3)\n"
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

int cmd_report(int argc, char **argv) {
  const char *format = "text", *outpath = NULL;
  struct cli_cohort_args ca = {0};
  const struct cli_option opts[] = {
      {"--format", &format, NULL},         {"-o", &outpath, NULL},
      {"--config", &ca.config, NULL},      {"--min-cell", &ca.min_cell, NULL},
      {"--confidence", &ca.confidence, NULL}, {"--years", &ca.years, NULL},
      {"--threads", &ca.threads, NULL}, {"--releases", &ca.releases, NULL},
      {"--exact", NULL, &ca.exact}};
  const char **files = calloc((size_t)argc + 1, sizeof *files);
  size_t n_files = 0;
  bool want_help = false;
  if (files == NULL)
    return cli_fail(CK_EXIT_IO, "out of memory");
  int rc = cli_parse_args("report", argc, argv, opts,
                          sizeof opts / sizeof opts[0], files, &n_files,
                          &want_help);
  if (rc == CK_EXIT_OK && want_help) {
    help(stdout);
    free(files);
    return CK_EXIT_OK;
  }
  ck_render_fn render = ck_renderer(format);
  if (rc == CK_EXIT_OK && render == NULL)
    rc = cli_fail(CK_EXIT_USAGE,
                  "report: --format \"%s\" is not text, md, json or html", format);
  if (rc == CK_EXIT_OK && n_files == 0)
    rc = cli_fail(CK_EXIT_USAGE, "report: no input files; see 'ckcohort "
                                 "report --help'");
  struct ck_config *cfg = NULL;
  struct ck_cohort *c = NULL;
  struct ck_report *r = NULL;
  if (rc == CK_EXIT_OK)
    rc = cli_build_report("report", &ca, files, n_files, &cfg, &c, &r);
  if (rc != CK_EXIT_OK) {
    free(files);
    return rc;
  }

  /* The settings file is an input too: -o must not overwrite it. */
  struct ck_error err;
  ck_error_clear(&err);
  files[n_files] = ca.config;
  struct ck_output *o =
      ck_output_open(outpath, files, n_files + (ca.config != NULL), &err);
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
