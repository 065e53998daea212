/*
 * test_accessors.c - the public accessors of the opaque cohort and report:
 * they give what the fields hold, NULL or "not shown" for a bad index, and
 * nothing of a report the privacy check has not marked
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "ckcohort/report.h"
#include "cohort.h"
#include "report_model.h"

static const char csv[] =
    "student_id,match_year,step2_attempt_1,matched,Notes\n"
    "S1,2024,230,Y,first\n"
    "S2,2024,abc,N,second\n"
    "S3,1850,240,Y,third\n"
    ",,,,\n";

static void cohort_accessors_match_the_fields(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_cohort *c = ck_cohort_new(cfg, NULL);
  assert_int_equal(ck_cohort_input_count(c), 0);
  assert_int_equal(ck_cohort_issue_count(c), 0);
  assert_null(ck_cohort_input_path(c, 0));
  assert_int_equal(ck_ingest_buffer(c, "one.csv", csv, sizeof csv - 1, 0, NULL),
                   CK_OK);

  struct ck_row_counts n = ck_cohort_rows(c);
  /* S1 accepted, S2 rejected (score), S3 rejected (year), one blank row */
  assert_int_equal(n.read, 3);
  assert_int_equal(n.accepted, 1);
  assert_int_equal(n.rejected, 2);
  assert_int_equal(n.excluded, 0);
  assert_int_equal(n.blank, 1);
  assert_int_equal(n.read, c->read);
  assert_int_equal(n.warnings, c->warnings);

  assert_int_equal(ck_cohort_input_count(c), 1);
  assert_string_equal(ck_cohort_input_path(c, 0), "one.csv");
  assert_null(ck_cohort_input_path(c, 1));
  size_t k = 99;
  const char *const *ign = ck_cohort_input_ignored(c, 0, &k);
  assert_int_equal(k, 1);
  assert_string_equal(ign[0], "Notes");
  k = 99;
  assert_null(ck_cohort_input_ignored(c, 1, &k));
  assert_int_equal(k, 0);

  assert_int_equal(ck_cohort_issue_count(c), c->n_issues);
  assert_true(ck_cohort_issue_count(c) >= 2);
  for (size_t i = 0; i < ck_cohort_issue_count(c); i++)
    assert_ptr_equal(ck_cohort_issue(c, i), &c->issues[i]);
  assert_null(ck_cohort_issue(c, ck_cohort_issue_count(c)));
  ck_cohort_free(c);
  ck_config_free(cfg);
}

static void report_shows_nothing_before_the_check(void **state) {
  (void)state;
  struct ck_report *r = ck_report_new();
  r->min_cell = 11;
  r->policy = CK_PRIVACY_STRICT;
  r->read = 40;
  r->accepted = 30;
  size_t t = ck_report_cell(r, 30, false);
  size_t parts[2] = {ck_report_cell(r, 25, false), ck_report_cell(r, 5, false)};
  ck_report_constraint(r, t, parts, 2);
  size_t slack = ck_report_internal_cell(r, 7);

  long v = -1;
  assert_int_equal(ck_report_count(r, t, &v), CK_HIDDEN_DERIVED);
  assert_int_equal(v, -1);
  assert_null(ck_report_group(r, CK_G_ALL));
  assert_null(ck_report_comparison(r, 0));
  assert_int_equal(ck_report_rows(r).read, 40); /* never withheld */

  assert_int_equal(ck_suppress(r), CK_OK);
  assert_int_equal(ck_report_count(r, t, &v), CK_SHOWN);
  assert_int_equal(v, 30);
  v = -1;
  assert_int_equal(ck_report_count(r, parts[0], &v), CK_HIDDEN_COMPLEMENT);
  assert_int_equal(ck_report_count(r, parts[1], &v), CK_HIDDEN_SMALL);
  assert_int_equal(v, -1); /* a withheld value never reaches the caller */
  assert_int_equal(ck_report_count(r, slack, &v), CK_NOT_ENOUGH_DATA);
  assert_int_equal(ck_report_count(r, CK_NO_CELL, &v), CK_NOT_ENOUGH_DATA);
  assert_int_equal(ck_report_count(r, r->n_cells, &v), CK_NOT_ENOUGH_DATA);
  assert_int_equal(v, -1);

  assert_ptr_equal(ck_report_group(r, CK_G_ALL), &r->groups[CK_G_ALL]);
  assert_null(ck_report_group(r, CK_G_COUNT));
  assert_int_equal(ck_report_comparison_count(r), 0);
  assert_null(ck_report_comparison(r, 0));
  assert_int_equal(ck_report_rows(r).accepted, 30);

  /* a new cell after the check: nothing is shown until it runs again */
  ck_report_cell(r, 50, false);
  assert_int_equal(ck_report_count(r, t, &v), CK_HIDDEN_DERIVED);
  assert_null(ck_report_group(r, CK_G_ALL));

  assert_int_equal(r->generated, -1);
  ck_report_set_generated(r, 1700000000);
  assert_int_equal(r->generated, 1700000000);
  ck_report_set_generated(r, -5);
  assert_int_equal(r->generated, -1);
  ck_report_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cohort_accessors_match_the_fields),
      cmocka_unit_test(report_shows_nothing_before_the_check),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
