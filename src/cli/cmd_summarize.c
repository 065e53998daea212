/*
 * cmd_summarize.c - ckcohort summarize: one school's summary for a consortium
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/output.h"
#include "ckcohort/summary.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out) {
  fputs("usage: ckcohort summarize [options] -o SUMMARY.json FILE...\n\n"
        "One school's summary for a consortium (docs/exchange.md): the\n"
        "counts, score-change histograms, sums and weighted design rows the\n"
        "report is computed from, the settings and SHA-256 of every input.\n"
        "No student ID, no row, no date finer than the Match year.  It holds\n"
        "small counts: it is confidential to the consortium and says so.\n"
        "'ckcohort pool' turns several schools' summaries into one report.\n\n"
        "options:\n"
        "  -o FILE          write to FILE (replaced whole, or not at all;\n"
        "                   default standard output)\n"
        "  --school NAME    the school's name in the consortium (default:\n"
        "                   the output file's name without .json)\n"
        "  --years A-B      only Match years A to B\n"
        "  --threads N      parse large files on N threads\n"
        "  --min-cell N     the school's own smallest group shown (recorded;\n"
        "                   pool uses the largest of the summaries')\n"
        "  --privacy P      the policy the school's own report uses: nces\n"
        "                   (default) or strict (recorded; pool may use\n"
        "                   another)\n"
        "  --column H=C     read the input column headed H as column C\n"
        "                   (repeatable; C = ignore leaves it out)\n"
        "  --confidence C   confidence level, 0 < C < 1 (default 0.95)\n"
        "  --exact          Clopper-Pearson intervals for proportions\n"
        "  --config FILE    read settings from FILE (INI format)\n"
        "  --help           show this help\n\n"
        "Every school of a consortium must use the same definitions and\n"
        "settings (pool refuses summaries that differ, naming the setting).\n\n"
        "exit status: 0 ok, 2 usage error or unusable input, 3 output could\n"
        "not be written\n",
        out);
}

/* "dir/north.json" -> "north" */
static char *name_from_path(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t len = strlen(base);
  if (len > 5 && strcmp(base + len - 5, ".json") == 0)
    len -= 5;
  char *s = malloc(len + 1);
  if (s != NULL) {
    memcpy(s, base, len);
    s[len] = '\0';
  }
  return s;
}

int cmd_summarize(int argc, char **argv) {
  const char *outpath = NULL, *school = NULL;
  struct cli_cohort_args ca = {0};
  const struct cli_option opts[] = {
      {"-o", &outpath, NULL, NULL},
      {"--school", &school, NULL, NULL},
      {"--config", &ca.config, NULL, NULL},
      {"--min-cell", &ca.min_cell, NULL, NULL},
      {"--privacy", &ca.privacy, NULL, NULL},
      {"--confidence", &ca.confidence, NULL, NULL},
      {"--years", &ca.years, NULL, NULL},
      {"--threads", &ca.threads, NULL, NULL},
      {"--exact", NULL, &ca.exact, NULL},
      {"--column", NULL, NULL, &ca.columns}};
  size_t n_files = 0;
  int rc;
  const char **files =
      cli_args("summarize", argc, argv, opts, sizeof opts / sizeof opts[0],
               &n_files, help, &rc);
  if (files == NULL)
    return rc;
  char *own_name = NULL;
  if (rc == CK_EXIT_OK && n_files == 0)
    rc = cli_fail(CK_EXIT_USAGE, "summarize: no input files; see 'ckcohort "
                                 "summarize --help'");
  if (rc == CK_EXIT_OK && school == NULL) {
    if (outpath == NULL)
      rc = cli_fail(CK_EXIT_USAGE, "summarize: name the school with --school "
                                   "NAME (or give -o FILE)");
    else if ((school = own_name = name_from_path(outpath)) == NULL)
      rc = cli_fail(CK_EXIT_IO, "out of memory");
  }
  if (rc == CK_EXIT_OK && school[0] == '\0')
    rc = cli_fail(CK_EXIT_USAGE, "summarize: --school needs a name");
  struct ck_config *cfg = NULL;
  struct ck_cohort *c = NULL;
  struct ck_report *r = NULL;
  if (rc == CK_EXIT_OK)
    rc = cli_build_report("summarize", &ca, files, n_files, &cfg, &c, &r);
  if (rc != CK_EXIT_OK) {
    free(own_name);
    free(ca.columns.values);
    free(files);
    return rc;
  }
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
  if (ck_summary_write(ck_output_stream(o), c, cfg, school, r, &err) != CK_OK) {
    int e = errno;
    ck_output_abort(o);
    rc = cli_fail(CK_EXIT_IO, "%s: cannot write the summary%s%s",
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
  free(own_name);
  free(ca.columns.values);
  free(files);
  return rc;
}
