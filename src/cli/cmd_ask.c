/*
 * cmd_ask.c - ckcohort ask: one student's evidence sheet
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/ask.h"
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "ckcohort/output.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void help(FILE *out) {
  fputs("usage: ckcohort ask FILE... --score N [options]\n\n"
        "One student's evidence sheet: the USMLE retake policy, the article's\n"
        "retake checklist on what the student gave, and what happened to\n"
        "applicants like them (first score near theirs, same target\n"
        "specialty, its tier, or everyone) who did and did not retake.\n"
        "Groups come from a fixed grid and are withheld below the minimum.\n\n"
        "options:\n"
        "  --score N              first Step 2 CK score, 1-300 (required)\n"
        "  --practice N           practice-exam (NBME/UWSA) average, 1-300\n"
        "  --specialty NAME       target specialty (any alias, e.g. EM)\n"
        "  --weeks N              protected study weeks available, 0-52\n"
        "  --applying-this-cycle  the student is applying in this Match cycle\n"
        "  --eras-submitted       ERAS is already submitted\n"
        "  --date YYYY-MM-DD      day whose pass mark applies (default today;\n"
        "                         SOURCE_DATE_EPOCH when set)\n"
        "  --format F             text (default), md, html or json\n"
        "  -o FILE                write to FILE (replaced whole, or not at all)\n"
        "  --min-cell N           smallest group shown (default 11, at least 3)\n"
        "  --config FILE          read settings from FILE (INI format)\n"
        "  --releases DIR         release ledger: check against the releases\n"
        "                         in DIR (same data only), record this sheet\n"
        "  --help                 show this help\n\n"
        "exit status: 0 ok, 2 usage error or unusable input, 3 output could\n"
        "not be written\n",
        out);
}

static bool whole(const char *s, long lo, long hi, int *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (end == s || *end != '\0' || errno != 0 || v < lo || v > hi)
    return false;
  *out = (int)v;
  return true;
}

static int32_t today(void) {
  const char *s = getenv("SOURCE_DATE_EPOCH");
  long long t = -1;
  if (s != NULL && *s >= '0' && *s <= '9') {
    char *end;
    errno = 0;
    t = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0')
      t = -1;
  }
  if (t < 0)
    t = (long long)time(NULL);
  return (int32_t)(t / 86400);
}

struct opts {
  const char *format, *outpath, *config, *min_cell, *score, *practice,
      *specialty, *weeks, *date, *releases;
};

int cmd_ask(int argc, char **argv) {
  struct opts o = {"text", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
  bool cycle = false, eras = false, opts_done = false;
  const char **files = calloc((size_t)argc, sizeof *files);
  size_t n_files = 0;
  if (files == NULL)
    return cli_fail(CK_EXIT_IO, "out of memory");
  static const char *const valued[] = {"--format",   "-o",       "--config",
                                       "--min-cell", "--score",  "--practice",
                                       "--specialty", "--weeks", "--date",
                                       "--releases"};
  const char **dests[] = {&o.format,    &o.outpath,  &o.config,
                          &o.min_cell,  &o.score,    &o.practice,
                          &o.specialty, &o.weeks,    &o.date,
                          &o.releases};
  int rc = CK_EXIT_OK;
  for (int i = 1; i < argc && rc == CK_EXIT_OK; i++) {
    const char *a = argv[i];
    if (opts_done || a[0] != '-' || a[1] == '\0') {
      files[n_files++] = a;
    } else if (strcmp(a, "--") == 0) {
      opts_done = true;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      help(stdout);
      free(files);
      return CK_EXIT_OK;
    } else if (strcmp(a, "--applying-this-cycle") == 0) {
      cycle = true;
    } else if (strcmp(a, "--eras-submitted") == 0) {
      eras = true;
    } else {
      size_t k = 0, nv = sizeof valued / sizeof valued[0];
      size_t len = strcspn(a, "=");
      while (k < nv && (strlen(valued[k]) != len ||
                        strncmp(a, valued[k], len) != 0))
        k++;
      if (k == nv)
        rc = cli_fail(CK_EXIT_USAGE, "ask: unknown option '%s'; see "
                                     "'ckcohort ask --help'", a);
      else if (a[len] == '=')
        *dests[k] = a + len + 1;
      else if (i + 1 < argc)
        *dests[k] = argv[++i];
      else
        rc = cli_fail(CK_EXIT_USAGE, "ask: %s needs a value", a);
    }
  }
  struct ck_ask_query q = {0, 0, NULL, -1, cycle, eras, CK_NO_DATE};
  ck_ask_render_fn render = ck_ask_renderer(o.format);
  int y, mo, d, mc = 0;
  if (rc != CK_EXIT_OK)
    ;
  else if (render == NULL)
    rc = cli_fail(CK_EXIT_USAGE, "ask: --format \"%s\" is not text, md, "
                  "html or json", o.format);
  else if (o.score == NULL)
    rc = cli_fail(CK_EXIT_USAGE, "ask: --score is required; see 'ckcohort "
                                 "ask --help'");
  else if (!whole(o.score, 1, 300, &q.score))
    rc = cli_fail(CK_EXIT_USAGE, "ask: --score \"%s\" is not a whole number "
                  "1-300", o.score);
  else if (o.practice && !whole(o.practice, 1, 300, &q.practice))
    rc = cli_fail(CK_EXIT_USAGE, "ask: --practice \"%s\" is not a whole "
                  "number 1-300", o.practice);
  else if (o.weeks && !whole(o.weeks, 0, 52, &q.weeks))
    rc = cli_fail(CK_EXIT_USAGE, "ask: --weeks \"%s\" is not a whole number "
                  "0-52", o.weeks);
  else if (o.specialty && o.specialty[strspn(o.specialty, " \t")] == '\0')
    rc = cli_fail(CK_EXIT_USAGE, "ask: --specialty is empty");
  else if (o.min_cell && !whole(o.min_cell, CK_MIN_CELL_FLOOR, 1000000, &mc))
    rc = cli_fail(CK_EXIT_USAGE, "ask: --min-cell \"%s\" must be a whole "
                  "number of at least %d", o.min_cell, CK_MIN_CELL_FLOOR);
  else if (o.date && (sscanf(o.date, "%4d-%2d-%2d", &y, &mo, &d) != 3 ||
                      strlen(o.date) != 10 ||
                      ck_days_from_civil(y, mo, d) == CK_NO_DATE))
    rc = cli_fail(CK_EXIT_USAGE, "ask: --date \"%s\" is not a date "
                  "YYYY-MM-DD", o.date);
  else if (n_files == 0)
    rc = cli_fail(CK_EXIT_USAGE, "ask: no input files; see 'ckcohort ask "
                                 "--help'");
  if (rc != CK_EXIT_OK) {
    free(files);
    return rc;
  }
  q.specialty = o.specialty;
  q.today = o.date ? ck_days_from_civil(y, mo, d) : today();

  struct ck_config *cfg = ck_config_new();
  struct ck_cohort *c = NULL;
  struct ck_ask *a = NULL;
  struct ck_error err;
  ck_error_clear(&err);
  if (o.config != NULL && ck_config_load(cfg, o.config, &err) != CK_OK) {
    rc = cli_error(&err);
    goto out;
  }
  if (mc > 0)
    cfg->min_cell = (size_t)mc;
  if (ck_config_check(cfg, &err) != CK_OK) {
    rc = cli_error(&err);
    goto out;
  }
  rc = cli_distinct_inputs("ask", files, n_files);
  if (rc != CK_EXIT_OK)
    goto out;
  c = ck_cohort_new(cfg, NULL);
  for (size_t i = 0; i < n_files; i++) {
    if (ck_ingest_file(c, files[i], &err) != CK_OK) {
      cli_error(&err);
      rc = CK_EXIT_USAGE;
      goto out;
    }
  }
  a = ck_ask_build(c, cfg, &q, &err);
  if (a == NULL) {
    rc = cli_error(&err);
    goto out;
  }
  {
    const char *s = getenv("SOURCE_DATE_EPOCH");
    a->generated = s && *s >= '0' && *s <= '9' ? strtoll(s, NULL, 10) : -1;
  }
  rc = cli_ask_release(o.releases ? o.releases : cfg->releases, cfg, c, a);
  if (rc != CK_EXIT_OK)
    goto out;
  /* The settings file is an input too (files has room: argv[0] is no file). */
  files[n_files] = o.config;
  struct ck_output *out =
      ck_output_open(o.outpath, files, n_files + (o.config != NULL), &err);
  if (out == NULL) {
    int e = cli_error(&err);
    rc = err.code == CK_EUSAGE ? e : CK_EXIT_IO;
    goto out;
  }
  errno = 0;
  if (render(ck_output_stream(out), a) != CK_OK) {
    int e = errno;
    ck_output_abort(out);
    rc = cli_fail(CK_EXIT_IO, "%s: cannot write the sheet%s%s",
                  o.outpath ? o.outpath : "standard output", e ? ": " : "",
                  e ? strerror(e) : "");
    goto out;
  }
  if (ck_output_commit(out, &err) != CK_OK) {
    cli_error(&err);
    rc = CK_EXIT_IO;
  }
out:
  ck_ask_free(a);
  ck_cohort_free(c);
  ck_config_free(cfg);
  free(files);
  return rc;
}
