/*
 * cmd_pool.c - ckcohort pool: the consortium's report from schools' summaries
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/output.h"
#include "ckcohort/pool.h"
#include "ckcohort/render.h"
#include "ckcohort/summary.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out) {
  fputs(
      "usage: ckcohort pool [options] SUMMARY...\n\n"
      "The consortium's report from its schools' summaries (written by\n"
      "'ckcohort summarize'): every section of 'ckcohort report', equal to\n"
      "the report on all the schools' files together, and what only\n"
      "several schools show: each headline comparison by school, the\n"
      "Mantel-Haenszel odds ratio with schools as strata and random-effects\n"
      "meta-analyses (DerSimonian-Laird and REML) with a prediction\n"
      "interval for a new school.  A school's own row is shown only when\n"
      "its own report would show the comparison.\n\n"
      "options:\n"
      "  --format F       text (default), md, json, html or pdf (html and\n"
      "                   pdf with a forest plot; default: from -o's\n"
      "                   extension, else text)\n"
      "  -o FILE          write to FILE (replaced whole, or not at all)\n"
      "  --min-cell N     smallest group shown (default: the largest of the\n"
      "                   summaries' own, at least 3)\n"
      "  --privacy P      disclosure policy: nces or strict (default: the\n"
      "                   summaries' own, which must then agree)\n"
      "  --anonymise      call the schools School A, B, ... in a random order\n"
      "  --seed N         the seed of that order (default 1)\n"
      "  --members-not-readers\n"
      "                   the report goes to no member school: do not hold\n"
      "                   'the pool minus one school' to the rules (by\n"
      "                   default a member knows its own data and could\n"
      "                   subtract it, so more is withheld); for checking\n"
      "                   the pool against the report on all the files\n"
      "  --help           show this help\n\n"
      "The summaries must share every definition and setting; pool refuses\n"
      "(naming the setting) summaries that differ, the same school or the\n"
      "same input file twice, and summary versions it does not know.\n\n"
      "exit status: 0 ok, 2 usage error or unusable summary, 3 output could\n"
      "not be written\n",
      out);
}

static int parse_count(const char *s, unsigned long lo, unsigned long hi,
                       unsigned long *v) {
  char *end;
  errno = 0;
  if (s[0] < '0' || s[0] > '9')
    return -1;
  unsigned long x = strtoul(s, &end, 10);
  if (*end != '\0' || errno != 0 || x < lo || x > hi)
    return -1;
  *v = x;
  return 0;
}

struct job {
  ck_render_fn render;
  const struct ck_report *r;
};

static enum ck_status write_report(FILE *out, const void *model) {
  const struct job *j = model;
  return j->render(out, j->r);
}

int cmd_pool(int argc, char **argv) {
  const char *format = NULL, *outpath = NULL, *min_cell = NULL, *seed = NULL,
             *privacy = NULL;
  bool anonymise = false, trust = false;
  const struct cli_option opts[] = {
      {"--format", &format, NULL, NULL},
      {"-o", &outpath, NULL, NULL},
      {"--min-cell", &min_cell, NULL, NULL},
      {"--privacy", &privacy, NULL, NULL},
      {"--seed", &seed, NULL, NULL},
      {"--anonymise", NULL, &anonymise, NULL},
      {"--members-not-readers", NULL, &trust, NULL}};
  size_t n_files = 0;
  int rc;
  const char **files =
      cli_args("pool", argc, argv, opts, sizeof opts / sizeof opts[0], &n_files,
               help, &rc);
  if (files == NULL)
    return rc;
  if (format == NULL)
    format = cli_format_from_path(outpath);
  if (format == NULL)
    format = "text";
  struct ck_pool_options po = {0, anonymise, 1, trust, false, CK_PRIVACY_NCES};
  unsigned long v = 0;
  ck_render_fn render = ck_renderer(format);
  if (render == NULL)
    rc = cli_bad_format("pool", format);
  if (rc == CK_EXIT_OK)
    rc = cli_check_pdf("pool", format, outpath);
  if (rc == CK_EXIT_OK && min_cell != NULL) {
    if (parse_count(min_cell, CK_MIN_CELL_FLOOR, 1000000, &v) != 0)
      rc = cli_fail(CK_EXIT_USAGE,
                    "pool: --min-cell \"%s\" must be a whole "
                    "number of at least %d",
                    min_cell, CK_MIN_CELL_FLOOR);
    po.min_cell = v;
  }
  if (rc == CK_EXIT_OK && privacy != NULL) {
    struct ck_config *pc = ck_config_new();
    rc = pc ? cli_parse_privacy("pool", privacy, pc)
            : cli_fail(CK_EXIT_IO, "out of memory");
    if (rc == CK_EXIT_OK) {
      po.set_policy = true;
      po.policy = pc->policy;
    }
    ck_config_free(pc);
  }
  if (rc == CK_EXIT_OK && seed != NULL) {
    if (parse_count(seed, 0, 4294967295UL, &v) != 0)
      rc = cli_fail(CK_EXIT_USAGE,
                    "pool: --seed \"%s\" is not a whole "
                    "number 0-4294967295",
                    seed);
    po.seed = v;
  }
  if (rc == CK_EXIT_OK && seed != NULL && !anonymise)
    rc = cli_fail(CK_EXIT_USAGE, "pool: --seed orders anonymised schools; "
                                 "give --anonymise too");
  if (rc == CK_EXIT_OK && n_files == 0)
    rc = cli_fail(CK_EXIT_USAGE, "pool: no summaries; see 'ckcohort pool "
                                 "--help'");
  if (rc == CK_EXIT_OK)
    rc = cli_distinct_inputs("pool", files, n_files);
  if (rc != CK_EXIT_OK) {
    free(files);
    return rc;
  }

  struct ck_error err;
  ck_error_clear(&err);
  struct ck_summary **s = calloc(n_files, sizeof *s);
  struct ck_report *r = NULL;
  if (s == NULL) {
    rc = cli_fail(CK_EXIT_IO, "out of memory");
    goto out;
  }
  for (size_t i = 0; i < n_files; i++)
    if (ck_summary_read(files[i], &s[i], &err) != CK_OK) {
      cli_error(&err);
      rc = CK_EXIT_USAGE;
      goto out;
    }
  r = ck_pool(s, files, n_files, &po, &err);
  if (r == NULL) {
    int e = cli_error(&err);
    rc = err.code == CK_EUSAGE ? CK_EXIT_USAGE : e;
    goto out;
  }
  ck_report_set_generated(r, cli_source_date_epoch());
  if (ck_suppress(r) != CK_OK) {
    rc = cli_fail(CK_EXIT_IO, "pool: the privacy check could not be "
                              "finished; nothing was published");
    goto out;
  }
  struct ck_output *o = cli_out_open(outpath, files, n_files, &rc);
  struct job j = {render, r};
  if (o != NULL)
    rc = cli_out_finish(o, outpath, "the report", write_report, &j);
out:
  ck_report_free(r);
  for (size_t i = 0; s != NULL && i < n_files; i++)
    ck_summary_free(s[i]);
  free(s);
  free(files);
  return rc;
}
