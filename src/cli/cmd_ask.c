/*
 * cmd_ask.c - ckcohort ask: one student's evidence sheet
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/ask.h"
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "ckcohort/ledger.h"
#include "ckcohort/output.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void help(FILE *out) {
  fputs(
      "usage: ckcohort ask FILE... --score N [options]\n"
      "       ckcohort ask FILE... --questions Q.csv [options]\n\n"
      "One student's evidence sheet: the USMLE retake policy, the article's\n"
      "retake checklist on what the student gave, and what happened to\n"
      "applicants like them (first score near theirs, same target\n"
      "specialty, its tier, or everyone) who did and did not retake.\n"
      "Groups come from a fixed grid and are withheld below the minimum.\n\n"
      "options:\n"
      "  --score N              first Step 2 CK score, 1-300 (required\n"
      "                         without --questions)\n"
      "  --questions Q.csv      many students' questions, one sheet each from\n"
      "                         one read of the cohort: CSV with a header,\n"
      "                         columns score (required), practice,\n"
      "                         specialty, weeks, date, cycle (applying,\n"
      "                         eras_submitted, not_applying) and id (your\n"
      "                         own label, printed on the sheet; never a\n"
      "                         student ID); an empty cell takes the option\n"
      "                         below when given, else is not given.\n"
      "                         Formats text (sheets separated by a form\n"
      "                         feed), md (by ---) and json (one array)\n"
      "  --practice N           practice-exam (NBME/UWSA) average, 1-300\n"
      "  --specialty NAME       target specialty (any alias, e.g. EM)\n"
      "  --weeks N              protected study weeks available, 0-52\n"
      "  --applying-this-cycle  the student is applying in this Match cycle\n"
      "  --eras-submitted       ERAS is already submitted\n"
      "  --not-applying-this-cycle\n"
      "                         the student is not applying in this cycle\n"
      "                         (without one of these three the cycle is\n"
      "                         \"not given\")\n"
      "  --date YYYY-MM-DD      day whose pass mark applies (default today;\n"
      "                         SOURCE_DATE_EPOCH when set)\n"
      "  --format F             text (default), md, html, json or pdf\n"
      "                         (the html page printed by Chromium);\n"
      "                         without it, -o FILE.html/.json/.md/.txt\n"
      "                         picks it\n"
      "  -o FILE                write to FILE (replaced whole, or not at all)\n"
      "  --years A-B            only applicants of Match years A to B (with\n"
      "                         a release ledger: the students earlier\n"
      "                         sheets describe, e.g. last year's)\n"
      "  --min-cell N           smallest group shown (default 11, at least 3)\n"
      "  --privacy P            disclosure policy: nces (default) or strict\n"
      "  --config FILE          read settings from FILE (INI format)\n"
      "  --column H=C           read the input column headed H as column C\n"
      "                         (repeatable; C = ignore leaves it out)\n"
      "  --releases DIR         release ledger: check against the releases\n"
      "                         in DIR (same data only), record this sheet\n"
      "                         (with --questions: each sheet, in order)\n"
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

struct job {
  ck_ask_render_fn render; /* one sheet */
  const char *format;      /* many: sheets[0..n) */
  const struct ck_ask *const *sheets;
  size_t n;
};

static enum ck_status write_sheet(FILE *out, const void *model) {
  const struct job *j = model;
  if (j->render != NULL)
    return j->render(out, j->sheets[0]);
  return ck_ask_render_many(out, j->format, j->sheets, j->n);
}

int cmd_ask(int argc, char **argv) {
  const char *format = NULL, *outpath = NULL, *config = NULL, *min_cell = NULL,
             *score = NULL, *practice = NULL, *specialty = NULL, *weeks = NULL,
             *date = NULL, *privacy = NULL, *releases = NULL, *questions = NULL,
             *years = NULL;
  bool cycle = false, eras = false, not_applying = false;
  struct cli_list columns = {0};
  const struct cli_option opts[] = {
      {"--format", &format, NULL, NULL},
      {"-o", &outpath, NULL, NULL},
      {"--config", &config, NULL, NULL},
      {"--min-cell", &min_cell, NULL, NULL},
      {"--score", &score, NULL, NULL},
      {"--questions", &questions, NULL, NULL},
      {"--practice", &practice, NULL, NULL},
      {"--specialty", &specialty, NULL, NULL},
      {"--weeks", &weeks, NULL, NULL},
      {"--date", &date, NULL, NULL},
      {"--privacy", &privacy, NULL, NULL},
      {"--releases", &releases, NULL, NULL},
      {"--years", &years, NULL, NULL},
      {"--applying-this-cycle", NULL, &cycle, NULL},
      {"--eras-submitted", NULL, &eras, NULL},
      {"--not-applying-this-cycle", NULL, &not_applying, NULL},
      {"--column", NULL, NULL, &columns}};
  struct ck_config *cfg = NULL;
  struct ck_cohort *c = NULL;
  struct ck_ask_ctx *ctx = NULL;
  struct ck_ledger *ledger = NULL; /* held from the check to the record */
  struct ck_report *rep = NULL;    /* the report the grid is checked with */
  const char *dir = NULL;          /* the release ledger */
  struct ck_ask_questions *qs = NULL;
  struct ck_ask **sheets = NULL;
  size_t n_sheets = 0;
  struct ck_error err;
  ck_error_clear(&err);
  struct ck_ingest_options opt = {0};
  size_t n_files = 0;
  int rc;
  const char **files =
      cli_args("ask", argc, argv, opts, sizeof opts / sizeof opts[0], &n_files,
               help, &rc);
  if (files == NULL)
    goto out;
  if (format == NULL)
    format = cli_format_from_path(outpath);
  if (format == NULL)
    format = "text";
  struct ck_ask_query q = {0,     0,    NULL,       -1,
                           cycle, eras, CK_NO_DATE, not_applying};
  ck_ask_render_fn render = ck_ask_renderer(format);
  int mc = 0;
  if (date != NULL)
    q.today = ck_date_parse(date, strlen(date));
  if (rc != CK_EXIT_OK)
    ;
  else if (render == NULL)
    rc = cli_bad_format("ask", format);
  else if (questions && score)
    rc = cli_fail(CK_EXIT_USAGE,
                  "ask: --score and --questions cannot be used together: "
                  "the questions file's score column gives each score");
  else if (questions &&
           (strcmp(format, "html") == 0 || strcmp(format, "pdf") == 0))
    rc = cli_fail(CK_EXIT_USAGE,
                  "ask: --format %s holds one sheet; with --questions use "
                  "text, md or json",
                  format);
  else if ((rc = cli_check_pdf("ask", format, outpath)) != CK_EXIT_OK)
    ;
  else if (score == NULL && questions == NULL)
    rc = cli_fail(CK_EXIT_USAGE, "ask: --score is required; see 'ckcohort "
                                 "ask --help'");
  else if (score && !whole(score, 1, 300, &q.score))
    rc = cli_fail(CK_EXIT_USAGE,
                  "ask: --score \"%s\" is not a whole number "
                  "1-300",
                  score);
  else if (practice && !whole(practice, 1, 300, &q.practice))
    rc = cli_fail(CK_EXIT_USAGE,
                  "ask: --practice \"%s\" is not a whole "
                  "number 1-300",
                  practice);
  else if (weeks && !whole(weeks, 0, 52, &q.weeks))
    rc = cli_fail(CK_EXIT_USAGE,
                  "ask: --weeks \"%s\" is not a whole number "
                  "0-52",
                  weeks);
  else if (not_applying && (cycle || eras))
    rc =
        cli_fail(CK_EXIT_USAGE, "ask: --not-applying-this-cycle contradicts %s",
                 eras ? "--eras-submitted" : "--applying-this-cycle");
  else if (specialty && specialty[strspn(specialty, " \t")] == '\0')
    rc = cli_fail(CK_EXIT_USAGE, "ask: --specialty is empty");
  else if (min_cell && !whole(min_cell, CK_MIN_CELL_FLOOR, 1000000, &mc))
    rc = cli_fail(CK_EXIT_USAGE,
                  "ask: --min-cell \"%s\" must be a whole "
                  "number of at least %d",
                  min_cell, CK_MIN_CELL_FLOOR);
  else if (date && q.today == CK_NO_DATE)
    rc = cli_fail(CK_EXIT_USAGE,
                  "ask: --date \"%s\" is not a date "
                  "YYYY-MM-DD",
                  date);
  else if (years && cli_parse_years(years, &opt.year_from, &opt.year_to) != 0)
    rc = cli_fail(CK_EXIT_USAGE,
                  "ask: --years \"%s\" is not A-B with "
                  "1990 <= A <= B <= 2100",
                  years);
  else if (n_files == 0)
    rc = cli_fail(CK_EXIT_USAGE, "ask: no input files; see 'ckcohort ask "
                                 "--help'");
  if (rc != CK_EXIT_OK)
    goto out;
  q.specialty = specialty;
  long long now = cli_source_date_epoch();
  if (date == NULL)
    q.today = (int32_t)((now >= 0 ? now : (long long)time(NULL)) / 86400);
  /* the options are the defaults of the file's empty cells */
  if (questions && (qs = ck_ask_questions_read(questions, &q, &err)) == NULL) {
    rc = cli_error(&err);
    goto out;
  }

  cfg = ck_config_new();
  if (config != NULL && ck_config_load(cfg, config, &err) != CK_OK) {
    rc = cli_error(&err);
    goto out;
  }
  if (mc > 0)
    cfg->min_cell = (size_t)mc;
  if (privacy != NULL &&
      (rc = cli_parse_privacy("ask", privacy, cfg)) != CK_EXIT_OK)
    goto out;
  if (ck_config_check(cfg, &err) != CK_OK) {
    rc = cli_error(&err);
    goto out;
  }
  rc = cli_apply_columns("ask", cfg, &columns);
  if (rc == CK_EXIT_OK)
    rc = cli_distinct_inputs("ask", files, n_files);
  if (rc != CK_EXIT_OK)
    goto out;
  c = ck_cohort_new(cfg, &opt);
  for (size_t i = 0; i < n_files; i++) {
    if (ck_ingest_file(c, files[i], &err) != CK_OK) {
      cli_error(&err);
      rc = CK_EXIT_USAGE;
      goto out;
    }
  }
  cli_note_ignored(c);
  n_sheets = qs ? qs->n : 1;
  sheets = calloc(n_sheets, sizeof *sheets);
  if (sheets == NULL) {
    rc = cli_fail(CK_EXIT_IO, "out of memory");
    goto out;
  }
  /* with a release ledger, the grid is checked with the report as the
   * ledger leaves it: every earlier report's and export's counts in it */
  dir = releases ? releases : cfg->releases;
  if (dir != NULL &&
      (rc = cli_ask_report(dir, cfg, c, &ledger, &rep)) != CK_EXIT_OK)
    goto out;
  ctx = rep ? ck_ask_ctx_new_after(c, cfg, rep, ledger, &err)
            : ck_ask_ctx_new(c, cfg, &err);
  if (ctx == NULL) {
    rc = cli_error(&err);
    goto out;
  }
  for (size_t i = 0; i < n_sheets; i++) {
    sheets[i] = ck_ask_ctx_build(ctx, qs ? &qs->v[i].q : &q, &err);
    if (sheets[i] == NULL) {
      if (qs) { /* the reader checks what the builder checks: not reached */
        err.line = qs->v[i].line;
        snprintf(err.file, sizeof err.file, "%s", questions);
      }
      rc = cli_error(&err);
      goto out;
    }
    sheets[i]->generated = now;
    if (qs)
      ck_ask_set_id(sheets[i], qs->v[i].id);
  }
  if (ledger != NULL) {
    rc = cli_ask_record(dir, ledger, rep, cfg, ctx,
                        (const struct ck_ask *const *)sheets, n_sheets);
    ledger = NULL; /* closed */
    if (rc != CK_EXIT_OK)
      goto out;
  }
  /* The settings file and the questions file are inputs too. */
  size_t n_in = n_files;
  if (config != NULL)
    files[n_in++] = config;
  if (questions != NULL)
    files[n_in++] = questions;
  struct ck_output *o = cli_out_open(outpath, files, n_in, &rc);
  struct job j = {qs ? NULL : render, format,
                  (const struct ck_ask *const *)sheets, n_sheets};
  if (o != NULL)
    rc = cli_out_finish(o, outpath, qs ? "the sheets" : "the sheet",
                        write_sheet, &j);
out:
  for (size_t i = 0; sheets != NULL && i < n_sheets; i++)
    ck_ask_free(sheets[i]);
  free(sheets);
  ck_ask_ctx_free(ctx);
  ck_ledger_close(ledger);
  ck_report_free(rep);
  ck_ask_questions_free(qs);
  ck_cohort_free(c);
  ck_config_free(cfg);
  free(columns.values);
  free(files);
  return rc;
}
