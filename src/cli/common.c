/*
 * common.c - the one command-line layer: options, inputs, settings, the
 * cohort, output files
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/analyse.h"
#include "ckcohort/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *cli_closest(const char *s, const char *const *names, size_t n) {
  const char *best = NULL;
  /* a third of the name may be wrong, at least one letter: "htm" -> html,
   * "--fromat" -> --format, but "pdf" is not "md" */
  size_t len = strlen(s), best_d = (len + 1) / 3 + 1;
  if (best_d < 2)
    best_d = 2;
  for (size_t i = 0; i < n; i++) {
    size_t d = ck_edit_distance(s, names[i]);
    if (d < best_d)
      best_d = d, best = names[i];
  }
  return best;
}

static int unknown_option(const char *cmd, const char *a, size_t len,
                          const struct cli_option *opts, size_t n_opts) {
  const char **names = calloc(n_opts + 1, sizeof *names);
  if (names == NULL)
    return cli_fail(CK_EXIT_IO, "%s: out of memory", cmd);
  for (size_t k = 0; k < n_opts; k++)
    names[k] = opts[k].name;
  names[n_opts] = "--help";
  char given[64];
  snprintf(given, sizeof given, "%.*s", (int)(len < 63 ? len : 63), a);
  const char *near = cli_closest(given, names, n_opts + 1);
  int rc = near != NULL ? cli_fail(CK_EXIT_USAGE,
                                   "%s: unknown option '%s'; did you "
                                   "mean %s? See 'ckcohort %s --help'",
                                   cmd, a, near, cmd)
                        : cli_fail(CK_EXIT_USAGE,
                                   "%s: unknown option '%s'; see "
                                   "'ckcohort %s --help'",
                                   cmd, a, cmd);
  free(names);
  return rc;
}

static int list_add(struct cli_list *l, const char *v) {
  const char **p = realloc(l->values, (l->n + 1) * sizeof *p);
  if (p == NULL)
    return -1;
  l->values = p;
  l->values[l->n++] = v;
  return 0;
}

int cli_parse_args(const char *cmd, int argc, char **argv,
                   const struct cli_option *opts, size_t n_opts,
                   const char **files, size_t *n_files, bool *help) {
  bool opts_done = false;
  *n_files = 0;
  *help = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (opts_done || a[0] != '-' || a[1] == '\0') {
      files[(*n_files)++] = a;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      opts_done = true;
      continue;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      *help = true;
      return CK_EXIT_OK;
    }
    size_t len = strcspn(a, "=");
    size_t k = 0;
    while (k < n_opts &&
           (strlen(opts[k].name) != len || strncmp(a, opts[k].name, len) != 0))
      k++;
    if (k == n_opts)
      return unknown_option(cmd, a, len, opts, n_opts);
    const char *v = NULL;
    if (opts[k].flag != NULL) {
      if (a[len] == '=')
        return cli_fail(CK_EXIT_USAGE, "%s: %.*s takes no value", cmd, (int)len,
                        a);
      *opts[k].flag = true;
      continue;
    }
    if (a[len] == '=')
      v = a + len + 1;
    else if (i + 1 < argc)
      v = argv[++i];
    else
      return cli_fail(CK_EXIT_USAGE, "%s: %s needs a value", cmd, a);
    if (opts[k].list == NULL)
      *opts[k].value = v;
    else if (list_add(opts[k].list, v) != 0)
      return cli_fail(CK_EXIT_IO, "%s: out of memory", cmd);
  }
  return CK_EXIT_OK;
}

int cli_bad_format(const char *cmd, const char *format) {
  static const char *const formats[] = {"text", "md", "json", "html"};
  const char *near = cli_closest(format, formats, 4);
  if (near == NULL)
    return cli_fail(CK_EXIT_USAGE,
                    "%s: --format \"%s\" is not text, md, "
                    "json or html",
                    cmd, format);
  return cli_fail(CK_EXIT_USAGE,
                  "%s: --format \"%s\" is not text, md, "
                  "json or html; did you mean %s?",
                  cmd, format, near);
}

const char **cli_args(const char *cmd, int argc, char **argv,
                      const struct cli_option *opts, size_t n_opts,
                      size_t *n_files, void (*help)(FILE *out), int *rc) {
  const char **files = calloc((size_t)argc + 1, sizeof *files);
  bool want_help = false;
  if (files == NULL) {
    *rc = cli_fail(CK_EXIT_IO, "out of memory");
    return NULL;
  }
  *rc =
      cli_parse_args(cmd, argc, argv, opts, n_opts, files, n_files, &want_help);
  if (*rc == CK_EXIT_OK && want_help)
    help(stdout);
  if (*rc != CK_EXIT_OK || want_help) {
    free(files);
    return NULL;
  }
  return files;
}

const char *cli_format_from_path(const char *path) {
  static const struct {
    const char *ext, *format;
  } exts[] = {{".html", "html"},
              {".htm", "html"},
              {".json", "json"},
              {".md", "md"},
              {".txt", "text"}};
  size_t n = path ? strlen(path) : 0;
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
    size_t e = strlen(exts[i].ext);
    if (n > e && strcasecmp(path + n - e, exts[i].ext) == 0)
      return exts[i].format;
  }
  return NULL;
}

int cli_apply_columns(const char *cmd, struct ck_config *cfg,
                      const struct cli_list *columns) {
  for (size_t i = 0; i < columns->n; i++) {
    const char *v = columns->values[i];
    const char *eq = strrchr(v, '=');
    if (eq == NULL)
      return cli_fail(CK_EXIT_USAGE,
                      "%s: --column \"%s\" is not "
                      "HEADER=COLUMN, e.g. --column \"Student ID=student_id\"",
                      cmd, v);
    char *header = strndup(v, (size_t)(eq - v));
    if (header == NULL)
      return cli_fail(CK_EXIT_IO, "%s: out of memory", cmd);
    struct ck_error err;
    ck_error_clear(&err);
    enum ck_status st = ck_config_map_column(cfg, header, eq + 1, &err);
    free(header);
    if (st != CK_OK)
      return cli_fail(CK_EXIT_USAGE, "%s: --column \"%s\": %s", cmd, v,
                      err.text);
  }
  return CK_EXIT_OK;
}

void cli_note_ignored(const struct ck_cohort *c) {
  for (size_t i = 0; i < ck_cohort_input_count(c); i++) {
    size_t n;
    const char *const *ignored = ck_cohort_input_ignored(c, i, &n);
    if (n == 0)
      continue;
    fprintf(stderr, "ckcohort: %s: note: column%s not used:",
            ck_cohort_input_path(c, i), n > 1 ? "s" : "");
    for (size_t k = 0; k < n; k++)
      fprintf(stderr, "%s \"%s\"", k ? "," : "", ignored[k]);
    fputc('\n', stderr);
  }
}

struct ck_output *cli_out_open(const char *path, const char *const *inputs,
                               size_t n_inputs, int *rc) {
  struct ck_error err;
  ck_error_clear(&err);
  struct ck_output *o = ck_output_open(path, inputs, n_inputs, &err);
  if (o == NULL) {
    int e = cli_error(&err);
    *rc = err.code == CK_EUSAGE ? e : CK_EXIT_IO;
  }
  return o;
}

int cli_out_finish(struct ck_output *o, const char *path, const char *what,
                   cli_write_fn write, const void *model) {
  struct ck_error err;
  ck_error_clear(&err);
  errno = 0;
  if (write(ck_output_stream(o), model) != CK_OK) {
    int e = errno;
    ck_output_abort(o);
    return cli_fail(CK_EXIT_IO, "%s: cannot write %s%s%s",
                    path ? path : "standard output", what, e ? ": " : "",
                    e ? strerror(e) : "");
  }
  if (ck_output_commit(o, &err) != CK_OK) {
    cli_error(&err);
    return CK_EXIT_IO;
  }
  return CK_EXIT_OK;
}

/* A year of exactly four digits at s: its value, or -1. */
static long year4(const char *s) {
  for (int i = 0; i < 4; i++)
    if (s[i] < '0' || s[i] > '9')
      return -1;
  return (s[0] - '0') * 1000L + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
         (s[3] - '0');
}

int cli_parse_years(const char *s, int *from, int *to) {
  size_t n = strlen(s);
  long a = n == 4 || n == 9 ? year4(s) : -1, b = a;
  if (n == 9)
    b = s[4] == '-' ? year4(s + 5) : -1;
  if (a < 0 || b < 0)
    return -1;
  if (a < 1990 || b > 2100 || a > b)
    return -2;
  *from = (int)a;
  *to = (int)b;
  return 0;
}

int cli_distinct_inputs(const char *cmd, const char *const *files, size_t n) {
  struct stat *st = calloc(n ? n : 1, sizeof *st);
  bool *ok = calloc(n ? n : 1, sizeof *ok);
  int rc = CK_EXIT_OK;
  if (st == NULL || ok == NULL) {
    free(st);
    free(ok);
    return cli_fail(CK_EXIT_IO, "%s: out of memory", cmd);
  }
  for (size_t i = 0; i < n && rc == CK_EXIT_OK; i++) {
    bool seen = stat(files[i], &st[i]) == 0;
    if (seen && S_ISDIR(st[i].st_mode)) {
      size_t n_dir = strlen(files[i]);
      while (n_dir > 1 && files[i][n_dir - 1] == '/')
        n_dir--;
      rc = cli_fail(CK_EXIT_USAGE,
                    "%s: %s is a directory; give the CSV "
                    "files inside it, e.g. %.*s/*.csv",
                    cmd, files[i], (int)n_dir, files[i]);
      break;
    }
    ok[i] = seen && S_ISREG(st[i].st_mode);
    for (size_t j = 0; j < i && ok[i] && rc == CK_EXIT_OK; j++)
      if (ok[j] && st[j].st_dev == st[i].st_dev && st[j].st_ino == st[i].st_ino)
        rc = cli_fail(CK_EXIT_USAGE,
                      "%s: %s is %s again; give each file "
                      "once",
                      cmd, files[i], files[j]);
  }
  free(st);
  free(ok);
  return rc;
}

int cli_parse_privacy(const char *cmd, const char *s, struct ck_config *cfg) {
  if (strcmp(s, "nces") == 0)
    cfg->policy = CK_PRIVACY_NCES;
  else if (strcmp(s, "strict") == 0)
    cfg->policy = CK_PRIVACY_STRICT;
  else
    return cli_fail(CK_EXIT_USAGE,
                    "%s: --privacy \"%s\" is not nces or "
                    "strict",
                    cmd, s);
  return CK_EXIT_OK;
}

int cli_parse_threads(const char *s, unsigned *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (end == s || *end != '\0' || errno != 0 || v < 1 || v > 64)
    return -1;
  *out = (unsigned)v;
  return 0;
}

long long cli_source_date_epoch(void) {
  const char *s = getenv("SOURCE_DATE_EPOCH");
  long long now = (long long)time(NULL);
  if (s == NULL || *s < '0' || *s > '9')
    return now;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  return errno == 0 && *end == '\0' ? v : now;
}

int cli_check_pdf(const char *cmd, const char *format, const char *outpath) {
  if (format == NULL || strcmp(format, "pdf") != 0)
    return CK_EXIT_OK;
  if ((outpath == NULL || strcmp(outpath, "-") == 0) && isatty(STDOUT_FILENO))
    return cli_fail(CK_EXIT_USAGE,
                    "%s: --format pdf writes a binary file: "
                    "give -o FILE.pdf",
                    cmd);
  char exe[4096];
  struct ck_error err;
  ck_error_clear(&err);
  if (ck_pdf_printer(exe, sizeof exe, &err) != CK_OK)
    return cli_error(&err);
  return CK_EXIT_OK;
}

int cli_build_report(const char *cmd, const struct cli_cohort_args *a,
                     const char *const *files, size_t n_files,
                     struct ck_config **cfg_out, struct ck_cohort **c_out,
                     struct ck_report **r_out) {
  int dup = cli_distinct_inputs(cmd, files, n_files);
  if (dup != CK_EXIT_OK)
    return dup;
  struct ck_ingest_options opt = {0};
  opt.tally = true; /* the report needs only some applicants one by one */
  if (a->years != NULL &&
      cli_parse_years(a->years, &opt.year_from, &opt.year_to) != 0)
    return cli_fail(CK_EXIT_USAGE,
                    "%s: --years \"%s\" is not A-B with "
                    "1990 <= A <= B <= 2100",
                    cmd, a->years);
  if (a->threads != NULL && cli_parse_threads(a->threads, &opt.threads) != 0)
    return cli_fail(CK_EXIT_USAGE,
                    "%s: --threads \"%s\" must be a whole "
                    "number 1-64",
                    cmd, a->threads);
  struct ck_config *cfg = ck_config_new();
  struct ck_cohort *c = NULL;
  struct ck_report *r = NULL;
  struct ck_error err;
  int rc = CK_EXIT_OK;
  ck_error_clear(&err);
  if (a->config != NULL && ck_config_load(cfg, a->config, &err) != CK_OK) {
    rc = cli_error(&err);
    goto out;
  }
  if (a->min_cell != NULL) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(a->min_cell, &end, 10);
    if (end == a->min_cell || *end != '\0' || errno != 0 ||
        a->min_cell[0] == '-' || v < CK_MIN_CELL_FLOOR || v > 1000000) {
      rc = cli_fail(CK_EXIT_USAGE,
                    "%s: --min-cell \"%s\" must be a whole "
                    "number of at least %d",
                    cmd, a->min_cell, CK_MIN_CELL_FLOOR);
      goto out;
    }
    cfg->min_cell = (size_t)v;
  }
  if (a->confidence != NULL) {
    char *end;
    double v = strtod(a->confidence, &end);
    if (end == a->confidence || *end != '\0' || !(v > 0.0 && v < 1.0)) {
      rc = cli_fail(CK_EXIT_USAGE,
                    "%s: --confidence \"%s\" must be "
                    "between 0 and 1, e.g. 0.95",
                    cmd, a->confidence);
      goto out;
    }
    cfg->confidence = v;
  }
  if (a->exact)
    cfg->clopper_pearson = true;
  rc = cli_apply_columns(cmd, cfg, &a->columns);
  if (rc != CK_EXIT_OK)
    goto out;
  if (a->privacy != NULL &&
      (rc = cli_parse_privacy(cmd, a->privacy, cfg)) != CK_EXIT_OK)
    goto out;
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
  ck_cohort_done(c);
  cli_note_ignored(c);
  const char *ledger = a->releases ? a->releases : cfg->releases;
  /* Without a ledger, which counts to withhold is decided while the exact
   * tests finish on the helper thread (docs/performance.md). */
  r = ledger == NULL ? ck_analyse_start(c, cfg, &err)
                     : ck_analyse(c, cfg, &err);
  if (r == NULL) {
    rc = cli_error(&err);
    goto out;
  }
  ck_report_set_generated(r, cli_source_date_epoch());
  if (ledger == NULL) {
    (void)ck_suppress_counts(r); /* its status is ck_suppress's, below */
    if (ck_analyse_wait(r, &err) != CK_OK) {
      rc = cli_error(&err);
      goto out;
    }
  }
  rc = cli_suppress(cmd, ledger, cfg, r);
out:
  if (rc != CK_EXIT_OK) {
    ck_report_free(r);
    ck_cohort_free(c);
    ck_config_free(cfg);
    return rc;
  }
  *cfg_out = cfg;
  *c_out = c;
  *r_out = r;
  return CK_EXIT_OK;
}
