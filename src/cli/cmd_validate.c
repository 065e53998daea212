/*
 * cmd_validate.c - ckcohort validate: check files, list every problem
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "ckcohort/output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out) {
  fputs("usage: ckcohort validate [--rejects FILE] [--years A-B] [--quiet]\n"
        "                         [--threads N] FILE...\n\n"
        "Check applicant CSV files and list every rejected row, every row\n"
        "excluded from the analysis and every warning, one per line, then a\n"
        "summary: read = accepted + excluded + rejected.\n\n"
        "  --rejects FILE  write the rejected rows to FILE as CSV\n"
        "                  (file,line,column,value,reason,row)\n"
        "  --years A-B     exclude rows whose match_year is outside A..B\n"
        "  --quiet         print only the summary\n"
        "  --threads N     parse large files on N threads (default: one per\n"
        "                  CPU; the output is the same for every N)\n"
        "  --help          show this help\n\n"
        "exit status: 0 nothing rejected, 1 rows rejected, 2 usage error or\n"
        "unusable input, 3 output could not be written\n",
        out);
}

/* Print s with control characters escaped so each problem stays one line. */
static void put_escaped(const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '\n')
      fputs("\\n", stdout);
    else if (c == '\r')
      fputs("\\r", stdout);
    else if (c == '\t')
      fputs("\\t", stdout);
    else if (c < 0x20 || c == 0x7f)
      printf("\\x%02X", c);
    else
      putchar(c);
  }
}

static void print_issue(const struct ck_cohort *c, const struct ck_issue *is) {
  const char *path = c->inputs[is->input].path;
  if (is->kind == CK_ISSUE_NOTE || is->line == 0) {
    printf("%s: note: ", path);
  } else {
    printf("%s:%ld: ", path, is->line);
    if (is->kind == CK_ISSUE_EXCLUDE)
      fputs("excluded: ", stdout);
    else if (is->kind == CK_ISSUE_WARNING)
      fputs("warning: ", stdout);
  }
  if (is->column && is->kind != CK_ISSUE_NOTE) {
    put_escaped(is->column);
    if (is->value) {
      fputs(" \"", stdout);
      put_escaped(is->value);
      fputs("\" ", stdout);
    } else {
      fputs(": ", stdout);
    }
  }
  put_escaped(is->reason);
  putchar('\n');
}

/* Write the rejects CSV through the atomic writer; returns an exit code. */
static int write_rejects(struct ck_output *o, const char *path,
                         const struct ck_cohort *c) {
  struct ck_error err;
  ck_error_clear(&err);
  errno = 0;
  if (ck_cohort_write_rejects(ck_output_stream(o), c) != CK_OK) {
    int e = errno;
    ck_output_abort(o);
    return cli_fail(CK_EXIT_IO, "%s: cannot write the rejects%s%s", path,
                    e ? ": " : "", e ? strerror(e) : "");
  }
  if (ck_output_commit(o, &err) != CK_OK) {
    cli_error(&err);
    return CK_EXIT_IO;
  }
  return CK_EXIT_OK;
}

int cmd_validate(int argc, char **argv) {
  const char *rejects = NULL;
  bool quiet = false;
  struct ck_ingest_options opt = {0};
  int first = argc;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *val = NULL;
    if (strcmp(a, "--") == 0) {
      first = i + 1;
      break;
    }
    if (a[0] != '-' || a[1] == '\0') {
      first = i;
      break;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      help(stdout);
      return CK_EXIT_OK;
    } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
      quiet = true;
    } else if (strcmp(a, "--rejects") == 0 || strcmp(a, "--years") == 0 ||
               strcmp(a, "--threads") == 0 ||
               strncmp(a, "--rejects=", 10) == 0 ||
               strncmp(a, "--years=", 8) == 0 ||
               strncmp(a, "--threads=", 10) == 0) {
      const char *eq = strchr(a, '=');
      if (eq)
        val = eq + 1;
      else if (i + 1 < argc)
        val = argv[++i];
      else
        return cli_fail(CK_EXIT_USAGE, "validate: %s needs a value", a);
      if (a[2] == 'r') {
        rejects = val;
      } else if (a[2] == 't') {
        if (cli_parse_threads(val, &opt.threads) != 0)
          return cli_fail(CK_EXIT_USAGE, "validate: --threads \"%s\" must be "
                          "a whole number 1-64", val);
      } else if (cli_parse_years(val, &opt.year_from, &opt.year_to) != 0) {
        return cli_fail(CK_EXIT_USAGE,
                        "validate: --years \"%s\" is not A-B with "
                        "1990 <= A <= B <= 2100", val);
      }
    } else {
      return cli_fail(CK_EXIT_USAGE,
                      "validate: unknown option '%s'; see 'ckcohort validate "
                      "--help'", a);
    }
  }
  if (first >= argc)
    return cli_fail(CK_EXIT_USAGE, "validate: no input files; see 'ckcohort "
                                   "validate --help'");
  int dup = cli_distinct_inputs("validate", (const char *const *)(argv + first),
                                (size_t)(argc - first));
  if (dup != CK_EXIT_OK)
    return dup;
  /* Opened before reading so that a refused or unwritable path fails
   * early; the previous file stays until the commit at the end. */
  struct ck_output *out = NULL;
  if (rejects != NULL) {
    struct ck_error err;
    ck_error_clear(&err);
    out = ck_output_open(rejects, (const char *const *)(argv + first),
                         (size_t)(argc - first), &err);
    if (out == NULL) {
      int r = cli_error(&err);
      return err.code == CK_EUSAGE ? r : CK_EXIT_IO;
    }
  }

  opt.keep_raw = rejects != NULL; /* rejected rows' bytes: only for the file */
  opt.tally = true;               /* no statistics: count, do not keep */
  struct ck_config *cfg = ck_config_new();
  struct ck_cohort *c = ck_cohort_new(cfg, &opt);
  int rc = CK_EXIT_OK;
  for (int i = first; i < argc; i++) {
    struct ck_error err;
    ck_error_clear(&err);
    if (ck_ingest_file(c, argv[i], &err) != CK_OK) {
      int r = cli_error(&err);
      if (r > rc)
        rc = r;
    }
  }
  if (!quiet)
    for (size_t i = 0; i < c->n_issues; i++)
      print_issue(c, &c->issues[i]);
  printf("read %zu, accepted %zu, excluded %zu, rejected %zu, warnings %zu\n",
         c->read, c->accepted, c->excluded, c->rejected, c->warnings);
  if (c->blank)
    printf("blank lines skipped %zu\n", c->blank);
  if (rc == CK_EXIT_OK && c->rejected > 0)
    rc = CK_EXIT_DATA;
  if (out != NULL) {
    int r = write_rejects(out, rejects, c);
    if (r != CK_EXIT_OK)
      rc = r;
  }
  ck_cohort_free(c);
  ck_config_free(cfg);
  return rc;
}
