/*
 * test_ledger.c - the release ledger and the known sub-population
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "ckcohort/analyse.h"
#include "ckcohort/ingest.h"
#include "ckcohort/ledger.h"
#include "ckcohort/report.h"
#include "report_model.h"
#include "cohort.h"

#define FIXTURE CK_TEST_DATA "/analyse_fixture.csv"

/* ---- ck_report_add_known on hand-made models ---- */

/* One group: n = matched + unmatched, the fields of "all" pointing at them
 * (every other field points at cell 0, the n, whose key is taken first). */
static struct ck_report *group(long matched, long unmatched, size_t min_cell) {
  struct ck_report *r = ck_report_new();
  r->min_cell = min_cell;
  r->policy = CK_PRIVACY_STRICT; /* counts only: no coded rates here */
  size_t n = ck_report_cell(r, matched + unmatched, false);
  size_t m = ck_report_cell(r, matched, true);
  size_t u = ck_report_cell(r, unmatched, true);
  size_t parts[2] = {m, u};
  ck_report_constraint(r, n, parts, 2);
  r->groups[CK_G_ALL].n = n;
  r->groups[CK_G_ALL].matched = m;
  r->groups[CK_G_ALL].unmatched = u;
  r->score_change.id = "score_change";
  r->score_change_all.id = "score_change_all_retakers";
  r->regression.id = "practice_regression";
  r->regression_all.id = "practice_regression_all_retakers";
  return r;
}

/* Every withheld (or never printed, non-internal) count keeps min_cell
 * possible values against the LP attacker. */
static void assert_protected(const struct ck_report *r, size_t cell) {
  long *lo = malloc(r->n_cells * sizeof *lo),
       *hi = malloc(r->n_cells * sizeof *hi);
  ck_suppress_ranges(r, lo, hi);
  assert_true(hi[cell] == LONG_MAX ||
              hi[cell] - lo[cell] + 1 >= (long)r->min_cell);
  free(lo);
  free(hi);
}

static void one_new_student_is_protected(void **state) {
  (void)state;
  /* last year 30 = 25 + 5 published (min 3); this year one more matched */
  struct ck_report *known = group(25, 5, 3);
  ck_suppress(known);
  assert_int_equal(known->cells[0].shown, CK_SHOWN);
  struct ck_report *r = group(26, 5, 3);
  size_t before = r->n_cells;
  assert_int_equal(ck_report_add_known(r, known, true), CK_OK);
  /* 3 locked copies, 3 differences (n 1, matched 1, unmatched 0) */
  assert_int_equal(r->n_cells, before + 6);
  for (size_t i = before; i < before + 3; i++) {
    assert_true(r->cells[i].locked);
    assert_int_equal(r->cells[i].shown, CK_SHOWN);
  }
  size_t dn = before + 3;
  assert_int_equal(r->cells[dn].value, 1);
  assert_false(r->cells[dn].internal);
  ck_suppress(r);
  /* published alone, 31 and 26 would give the new student away */
  assert_false(r->cells[0].shown == CK_SHOWN && r->cells[1].shown == CK_SHOWN);
  for (size_t i = before; i < before + 3; i++)
    assert_int_equal(r->cells[i].shown, CK_SHOWN); /* never withheld */
  assert_protected(r, dn);
  assert_protected(r, dn + 1);
  ck_report_free(r);
  ck_report_free(known);
}

static void large_difference_needs_nothing(void **state) {
  (void)state;
  struct ck_report *known = group(25, 15, 11);
  ck_suppress(known);
  struct ck_report *r = group(45, 30, 11);
  assert_int_equal(ck_report_add_known(r, known, true), CK_OK);
  ck_suppress(r);
  /* 20 and 15 new students: both reports publish everything */
  for (size_t i = 0; i < 3; i++)
    assert_int_equal(r->cells[i].shown, CK_SHOWN);
  ck_report_free(r);
  ck_report_free(known);
}

static void not_a_sub_population(void **state) {
  (void)state;
  struct ck_report *known = group(25, 5, 3);
  struct ck_report *r = group(24, 6, 3); /* fewer matched than before */
  size_t before = r->n_cells, kb = r->n_constraints;
  struct ck_error err;
  ck_error_clear(&err);
  assert_int_equal(ck_report_add_nested(r, known, true, false, true, &err),
                   CK_EDATA);
  assert_string_equal(err.column, "group/all/matched");
  assert_non_null(strstr(err.text, "is 24 in this report and 25 in the other"));
  assert_int_equal(r->n_cells, before); /* nothing added */
  assert_int_equal(r->n_constraints, kb);
  assert_int_equal(ck_report_add_known(r, known, true), CK_EDATA);
  /* the other direction holds: r lies within a larger population */
  struct ck_report *big = group(30, 6, 3);
  ck_error_clear(&err);
  assert_int_equal(ck_report_add_nested(r, big, false, false, true, &err),
                   CK_OK);
  ck_report_free(big);
  ck_report_free(r);
  ck_report_free(known);
}

static void statistic_of_few_new_students_withheld(void **state) {
  (void)state;
  for (int extra = 1; extra <= 11; extra += 10) {
    struct ck_report *known = group(19, 0, 11);
    struct ck_report *r = group(19 + extra, 0, 11);
    known->score_change.n = 0;
    r->score_change.n = 0;
    known->regression.n = 0;
    r->regression.n = 0;
    known->score_change.shown = known->regression.shown = CK_SHOWN;
    r->score_change.shown = r->regression.shown = CK_SHOWN;
    assert_int_equal(ck_report_add_known(r, known, true), CK_OK);
    /* one new student: mean * n minus mean * n is that student's change */
    enum ck_shown want = extra < 11 ? CK_HIDDEN_DERIVED : CK_SHOWN;
    assert_int_equal(r->score_change.shown, want);
    assert_int_equal(r->regression.shown, want);
    /* and the renderers are told why (docs/privacy.md section 4) */
    enum ck_stat_why why = extra < 11 ? CK_WHY_RELEASE : CK_WHY_NONE;
    assert_int_equal(r->score_change.why, why);
    assert_int_equal(r->regression.why, why);
    ck_report_free(r);
    ck_report_free(known);
  }
}

static void unpublished_statistic_is_no_reason(void **state) {
  (void)state;
  struct ck_report *known = group(19, 0, 11);
  struct ck_report *r = group(20, 0, 11);
  known->score_change.shown = CK_HIDDEN_DERIVED;
  known->score_change.wilcoxon_shown = CK_HIDDEN_DERIVED;
  r->score_change.shown = CK_SHOWN;
  assert_int_equal(ck_report_add_known(r, known, true), CK_OK);
  assert_int_equal(r->score_change.shown, CK_SHOWN);
  ck_report_free(r);
  ck_report_free(known);
}

/* ---- the ledger on disk ---- */

static char *tmpdir(void) {
  char *t = strdup("/tmp/ck_ledger_XXXXXX");
  assert_non_null(mkdtemp(t));
  return t;
}

static void rmtree(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char p[512];
  while (d && (e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    unlink(p);
  }
  if (d)
    closedir(d);
  rmdir(dir);
}

static size_t files_in(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  size_t n = 0;
  while (d && (e = readdir(d)) != NULL)
    n += e->d_name[0] != '.' || strncmp(e->d_name, ".tmp", 4) == 0;
  if (d)
    closedir(d);
  return n;
}

static struct ck_report *fixture_report(const struct ck_config *cfg, int from,
                                        int to) {
  struct ck_ingest_options opt = {0};
  opt.tally = true;
  opt.threads = 1;
  opt.year_from = from;
  opt.year_to = to;
  struct ck_cohort *c = ck_cohort_new(cfg, &opt);
  struct ck_error err;
  ck_error_clear(&err);
  assert_int_equal(ck_ingest_file(c, FIXTURE, &err), CK_OK);
  ck_cohort_done(c);
  struct ck_report *r = ck_analyse(c, cfg, &err);
  assert_non_null(r);
  ck_cohort_free(c);
  return r;
}

static void record_then_check(void **state) {
  (void)state;
  char *dir = tmpdir();
  struct ck_config *cfg = ck_config_new();
  cfg->min_cell = 3;
  struct ck_ledger *l = NULL;
  struct ck_error err;
  ck_error_clear(&err);
  assert_int_equal(ck_ledger_open(dir, &l, &err), CK_OK);
  assert_int_equal(ck_ledger_count(l), 0);
  struct ck_report *r = fixture_report(cfg, 2023, 2023);
  assert_int_equal(ck_ledger_check(l, r, cfg, "report", &err), CK_OK);
  assert_true(r->ledger);
  assert_int_equal(r->releases_checked, 0);
  ck_suppress(r);
  assert_int_equal(ck_ledger_record(l, r, cfg, "report", NULL, &err), CK_OK);
  assert_string_equal(ck_ledger_entry(l, 0), "000001-report.json");
  ck_ledger_close(l);
  ck_report_free(r);
  assert_int_equal(files_in(dir), 1); /* the entry, no temporary file */

  /* the next year: checked against the first, recorded as the second */
  ck_error_clear(&err);
  assert_int_equal(ck_ledger_open(dir, &l, &err), CK_OK);
  assert_int_equal(ck_ledger_count(l), 1);
  r = fixture_report(cfg, 2023, 2024);
  size_t before = r->n_cells;
  assert_int_equal(ck_ledger_check(l, r, cfg, "report", &err), CK_OK);
  assert_int_equal(r->releases_checked, 1);
  assert_true(r->n_cells > before); /* the earlier release is in the model */
  ck_suppress(r);
  assert_int_equal(ck_ledger_record(l, r, cfg, "export", NULL, &err), CK_OK);
  assert_string_equal(ck_ledger_entry(l, 1), "000002-export.json");
  ck_ledger_close(l);
  ck_report_free(r);

  /* the entries hold digests and counts, no student ID ("s01".."s32") */
  char p[512], buf[1 << 16];
  snprintf(p, sizeof p, "%s/000002-export.json", dir);
  FILE *f = fopen(p, "r");
  assert_non_null(f);
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  assert_non_null(strstr(buf, "\"sha256\""));
  assert_null(strstr(buf, "\"s01\""));
  assert_null(strstr(buf, "s01,"));
  ck_config_free(cfg);
  rmtree(dir);
  free(dir);
}

static void write_file(const char *dir, const char *name, const char *text) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void corrupt_entry_is_an_error(void **state) {
  (void)state;
  static const char *const bad[] = {
      "{\"ckcohort_release\": 1, \"command\": \"rep", /* cut short */
      "[]",
      "{\"ckcohort_release\": 2}",
      "{\"ckcohort_release\": 1, \"command\": \"report\"}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char *dir = tmpdir();
    write_file(dir, "000001-report.json", bad[i]);
    write_file(dir, ".tmp-abcdef", "half");    /* a crash's leftover: ignored */
    write_file(dir, "README", "not an entry"); /* ignored */
    struct ck_ledger *l = (struct ck_ledger *)1;
    struct ck_error err;
    ck_error_clear(&err);
    assert_int_equal(ck_ledger_open(dir, &l, &err), CK_EDATA);
    assert_null(l);
    assert_non_null(strstr(err.file, "000001-report.json"));
    assert_non_null(strstr(err.text, "not a complete release entry"));
    rmtree(dir);
    free(dir);
  }
}

static void settings_mismatch_fails_closed(void **state) {
  (void)state;
  char *dir = tmpdir();
  struct ck_config *cfg = ck_config_new();
  cfg->min_cell = 3;
  struct ck_ledger *l = NULL;
  struct ck_error err;
  ck_error_clear(&err);
  assert_int_equal(ck_ledger_open(dir, &l, &err), CK_OK);
  struct ck_report *r = fixture_report(cfg, 0, 0);
  assert_int_equal(ck_ledger_check(l, r, cfg, "report", &err), CK_OK);
  ck_suppress(r);
  assert_int_equal(ck_ledger_record(l, r, cfg, "report", NULL, &err), CK_OK);
  ck_report_free(r);

  /* the confidence level and interval method change only intervals */
  cfg->confidence = 0.9;
  cfg->clopper_pearson = true;
  r = fixture_report(cfg, 0, 0);
  if (ck_ledger_check(l, r, cfg, "report", &err) != CK_OK)
    fail_msg("%s: %s: %s", err.file, err.column, err.text);
  ck_report_free(r);
  /* the low-pass band decides who is in which group: not fine */
  cfg->low_pass_margin = 8;
  r = fixture_report(cfg, 0, 0);
  assert_int_equal(ck_ledger_check(l, r, cfg, "report", &err), CK_EDATA);
  assert_non_null(strstr(err.file, "000001-report.json"));
  assert_non_null(strstr(err.text, "low_pass_margin = 6"));
  assert_non_null(strstr(err.text, "low_pass_margin = 8"));
  ck_report_free(r);
  /* min_cell decides which specialties keep a "matched into" row */
  cfg->low_pass_margin = 6;
  cfg->min_cell = 5;
  r = fixture_report(cfg, 0, 0);
  ck_error_clear(&err);
  assert_int_equal(ck_ledger_check(l, r, cfg, "report", &err), CK_EDATA);
  assert_non_null(strstr(err.text, "min_cell = 3"));
  ck_report_free(r);
  ck_ledger_close(l);
  ck_config_free(cfg);
  rmtree(dir);
  free(dir);
}

static void unwritable_ledger_records_nothing(void **state) {
  (void)state;
  char *dir = tmpdir();
  struct ck_config *cfg = ck_config_new();
  struct ck_ledger *l = NULL;
  struct ck_error err;
  ck_error_clear(&err);
  assert_int_equal(ck_ledger_open(dir, &l, &err), CK_OK);
  /* the directory goes away under the run (root writes anywhere else) */
  rmtree(dir);
  struct ck_report *r = fixture_report(cfg, 0, 0);
  ck_suppress(r);
  assert_int_equal(ck_ledger_record(l, r, cfg, "report", NULL, &err), CK_EIO);
  assert_non_null(strstr(err.text, "cannot record this release"));
  assert_int_equal(ck_ledger_count(l), 0);
  ck_ledger_close(l);
  ck_report_free(r);
  ck_config_free(cfg);
  rmtree(dir);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(one_new_student_is_protected),
      cmocka_unit_test(large_difference_needs_nothing),
      cmocka_unit_test(not_a_sub_population),
      cmocka_unit_test(statistic_of_few_new_students_withheld),
      cmocka_unit_test(unpublished_statistic_is_no_reason),
      cmocka_unit_test(record_then_check),
      cmocka_unit_test(corrupt_entry_is_an_error),
      cmocka_unit_test(settings_mismatch_fails_closed),
      cmocka_unit_test(unwritable_ledger_records_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
