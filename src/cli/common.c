/*
 * common.c - what report and export share: options, settings, the cohort
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/analyse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    while (k < n_opts && (strlen(opts[k].name) != len ||
                          strncmp(a, opts[k].name, len) != 0))
      k++;
    if (k == n_opts)
      return cli_fail(CK_EXIT_USAGE, "%s: unknown option '%s'; see "
                      "'ckcohort %s --help'", cmd, a, cmd);
    if (opts[k].flag != NULL) {
      if (a[len] == '=')
        return cli_fail(CK_EXIT_USAGE, "%s: %.*s takes no value", cmd,
                        (int)len, a);
      *opts[k].flag = true;
    } else if (a[len] == '=') {
      *opts[k].value = a + len + 1;
    } else if (i + 1 < argc) {
      *opts[k].value = argv[++i];
    } else {
      return cli_fail(CK_EXIT_USAGE, "%s: %s needs a value", cmd, a);
    }
  }
  return CK_EXIT_OK;
}

int cli_parse_years(const char *s, int *from, int *to) {
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
    ok[i] = stat(files[i], &st[i]) == 0 && S_ISREG(st[i].st_mode);
    for (size_t j = 0; j < i && ok[i] && rc == CK_EXIT_OK; j++)
      if (ok[j] && st[j].st_dev == st[i].st_dev && st[j].st_ino == st[i].st_ino)
        rc = cli_fail(CK_EXIT_USAGE, "%s: %s is %s again; give each file "
                      "once", cmd, files[i], files[j]);
  }
  free(st);
  free(ok);
  return rc;
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
  if (s == NULL || *s < '0' || *s > '9')
    return -1;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  return errno == 0 && *end == '\0' ? v : -1;
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
    return cli_fail(CK_EXIT_USAGE, "%s: --years \"%s\" is not A-B with "
                    "1990 <= A <= B <= 2100", cmd, a->years);
  if (a->threads != NULL && cli_parse_threads(a->threads, &opt.threads) != 0)
    return cli_fail(CK_EXIT_USAGE, "%s: --threads \"%s\" must be a whole "
                    "number 1-64", cmd, a->threads);
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
      rc = cli_fail(CK_EXIT_USAGE, "%s: --min-cell \"%s\" must be a whole "
                    "number of at least %d", cmd, a->min_cell,
                    CK_MIN_CELL_FLOOR);
      goto out;
    }
    cfg->min_cell = (size_t)v;
  }
  if (a->confidence != NULL) {
    char *end;
    double v = strtod(a->confidence, &end);
    if (end == a->confidence || *end != '\0' || !(v > 0.0 && v < 1.0)) {
      rc = cli_fail(CK_EXIT_USAGE, "%s: --confidence \"%s\" must be "
                    "between 0 and 1, e.g. 0.95", cmd, a->confidence);
      goto out;
    }
    cfg->confidence = v;
  }
  if (a->exact)
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
  ck_cohort_done(c);
  r = ck_analyse(c, cfg, &err);
  if (r == NULL) {
    rc = cli_error(&err);
    goto out;
  }
  r->generated = cli_source_date_epoch();
  rc = cli_suppress(cmd, a->releases ? a->releases : cfg->releases, cfg, r);
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
