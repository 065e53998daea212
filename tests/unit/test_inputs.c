/*
 * test_inputs.c - headers are never silently misread (mappings, the
 * look-alike stop, every missing column at once), the one date parser,
 * ask refusing a tally-mode cohort, jansson on the library's allocator
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ckcohort/alloc.h"
#include "ckcohort/ask.h"
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "config_internal.h"
#include "cohort.h"

static const char *const rows = "S1,2024,212,235,Y\nS2,2024,220,,N\n";

/* Read header + rows; returns the status, err filled. */
static enum ck_status read_rows(struct ck_config *cfg, const char *header,
                                const char *body, struct ck_cohort **out,
                                struct ck_error *err) {
  char buf[1024];
  int n = snprintf(buf, sizeof buf, "%s\n%s", header, body);
  struct ck_cohort *c = ck_cohort_new(cfg, NULL);
  ck_error_clear(err);
  enum ck_status st = ck_ingest_buffer(c, "t.csv", buf, (size_t)n, 0, err);
  if (out)
    *out = c;
  else
    ck_cohort_free(c);
  return st;
}

static enum ck_status read_csv(struct ck_config *cfg, const char *header,
                               struct ck_cohort **out, struct ck_error *err) {
  return read_rows(cfg, header, rows, out, err);
}

static void lookalike_stops(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_error err;
  /* the registrar export: the retakes must not vanish */
  assert_int_equal(read_csv(cfg,
                            "Student ID,Match Year,Step 2 CK Score,"
                            "Step 2 CK Score (2nd attempt),Matched",
                            NULL, &err),
                   CK_EPARSE);
  assert_string_equal(err.text,
                      "column \"Step 2 CK Score (2nd attempt)\" is not "
                      "recognised; did you mean step2_attempt_2? Map it with "
                      "--column \"Step 2 CK Score (2nd attempt)="
                      "step2_attempt_2\" or in the config's [columns] "
                      "section. To leave it out, map it to ignore.");
  assert_int_equal(err.line, 0);
  /* a typo of a known name is a look-alike too */
  assert_int_equal(read_csv(cfg,
                            "student_id,match_year,step2_attempt_1,"
                            "step2_atempt_2,matched",
                            NULL, &err),
                   CK_EPARSE);
  assert_non_null(strstr(err.text, "did you mean step2_attempt_2?"));
  /* an unrelated column is only named */
  struct ck_cohort *c = NULL;
  assert_int_equal(read_rows(cfg,
                             "student_id,match_year,step2_attempt_1,"
                             "matched,Notes,Comments",
                             "S1,2024,212,Y,x,y\nS2,2024,220,N,,\n", &c, &err),
                   CK_OK);
  assert_int_equal(c->inputs[0].n_ignored, 2);
  assert_string_equal(c->inputs[0].ignored[0], "Notes");
  assert_string_equal(c->inputs[0].ignored[1], "Comments");
  assert_int_equal(c->accepted, 2);
  ck_cohort_free(c);
  ck_config_free(cfg);
}

static void mapping_reads_the_column(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_error err;
  ck_error_clear(&err);
  assert_int_equal(ck_config_map_column(cfg, "Step 2 CK Score (2nd attempt)",
                                        "step2_attempt_2", &err),
                   CK_OK);
  assert_int_equal(ck_config_map_column(cfg, "Step 2 CK Score (1st attempt)",
                                        "Step2 Attempt 1", &err),
                   CK_OK);
  struct ck_cohort *c = NULL;
  assert_int_equal(read_csv(cfg,
                            "Student ID,Match Year,Step 2 CK Score (1st "
                            "attempt),STEP 2 CK SCORE (2ND ATTEMPT),"
                            "Matched",
                            &c, &err),
                   CK_OK);
  assert_int_equal(c->accepted, 2);
  /* S1 retook: the second score was read, not dropped */
  assert_int_equal(c->records[0].n_attempts, 2);
  assert_int_equal(c->records[0].score[1], 235);
  ck_cohort_free(c);
  /* "ignore" leaves a look-alike out, named */
  assert_int_equal(ck_config_map_column(cfg, "Step 1 Score", "ignore", &err),
                   CK_OK);
  assert_int_equal(read_rows(cfg,
                             "student_id,match_year,step2_attempt_1,"
                             "step2_attempt_2,matched,Step 1 Score",
                             "S1,2024,212,235,Y,230\n", &c, &err),
                   CK_OK);
  assert_int_equal(c->inputs[0].n_ignored, 1);
  assert_string_equal(c->inputs[0].ignored[0], "Step 1 Score");
  ck_cohort_free(c);
  /* a mapping that makes two columns mean one is refused */
  assert_int_equal(read_csv(cfg,
                            "student_id,match_year,step2_attempt_2,"
                            "Step 2 CK Score (2nd attempt),"
                            "step2_attempt_1,matched",
                            NULL, &err),
                   CK_EPARSE);
  assert_non_null(strstr(err.text, "both mean step2_attempt_2"));
  /* unknown targets name the closest */
  ck_error_clear(&err);
  assert_int_equal(ck_config_map_column(cfg, "X", "step2_atempt_2", &err),
                   CK_ECONFIG);
  assert_non_null(strstr(err.text, "did you mean step2_attempt_2?"));
  ck_error_clear(&err);
  assert_int_equal(ck_config_map_column(cfg, "--", "matched", &err),
                   CK_ECONFIG);
  ck_config_free(cfg);

  /* the [columns] section does the same */
  cfg = ck_config_new();
  static const char ini[] = "[columns]\n"
                            "Step 2 CK Score (2nd attempt) = step2_attempt_2\n";
  ck_error_clear(&err);
  assert_int_equal(
      ck_config_load_buffer(cfg, "c.ini", ini, sizeof ini - 1, &err), CK_OK);
  assert_int_equal(cfg->n_column_maps, 1);
  assert_string_equal(cfg->column_maps[0].column, "step2_attempt_2");
  static const char bad[] = "[columns]\nFoo = nothing\n";
  ck_error_clear(&err);
  assert_int_equal(
      ck_config_load_buffer(cfg, "b.ini", bad, sizeof bad - 1, &err),
      CK_ECONFIG);
  assert_int_equal(err.line, 2);
  ck_config_free(cfg);
}

static void all_missing_named(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_error err;
  assert_int_equal(read_csv(cfg, "id,step2_attempt_1", NULL, &err), CK_EPARSE);
  assert_int_equal(err.line, 1);
  assert_non_null(strstr(err.text, "required columns missing: match_year "
                                   "(accepted: match_year, year, "
                                   "cycle, matchcycle); matched (accepted: "
                                   "matched, match, matchstatus, "
                                   "matchresult)."));
  assert_non_null(strstr(err.text, "docs/input-format.md"));
  ck_config_free(cfg);
}

static void one_date_parser(void **state) {
  (void)state;
  assert_int_equal(ck_date_parse("2024-01-01", 10),
                   ck_days_from_civil(2024, 1, 1));
  static const char *const bad[] = {"+202-1-011", " 2024-1-1x", "2024-1-01",
                                    "2023-02-29", "2024-13-01", "20240101",
                                    "2024-01-1 ", "-024-01-01"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(ck_date_parse(bad[i], strlen(bad[i])), CK_NO_DATE);
  assert_int_equal(ck_date_parse(NULL, 0), CK_NO_DATE);
}

static void edit_distance(void **state) {
  (void)state;
  assert_int_equal(ck_edit_distance("kitten", "sitting"), 3);
  assert_int_equal(ck_edit_distance("htlm", "html"), 1); /* a swap */
  assert_int_equal(ck_edit_distance("", "md"), 2);
  assert_int_equal(ck_edit_distance("studnetid", "studentid"), 1);
  assert_int_equal(ck_edit_distance("same", "same"), 0);
}

static void ask_refuses_tally(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_ingest_options opt = {0};
  opt.tally = true;
  struct ck_cohort *c = ck_cohort_new(cfg, &opt);
  struct ck_error err;
  ck_error_clear(&err);
  assert_int_equal(ck_ingest_file(c,
                                  CK_TEST_DATA "/../../sample-data/"
                                               "class-2024.csv",
                                  &err),
                   CK_OK);
  assert_true(c->n_records < c->accepted); /* most applicants only counted */
  struct ck_ask_query q = {
      215, 0, NULL, -1, false, false, ck_days_from_civil(2024, 1, 1), false};
  assert_null(ck_ask_build(c, cfg, &q, &err));
  assert_int_equal(err.code, CK_EUSAGE);
  assert_non_null(strstr(err.text, "tally"));
  ck_cohort_free(c);
  ck_config_free(cfg);
}

static void oom_exit(void) { _exit(3); }

/* jansson allocates through ck_xmalloc: an allocation that fails reaches
 * the out-of-memory handler (the CLI exits 3) instead of becoming a NULL
 * value in a document that is then written.  In a child process, so that
 * what the run abandons is not reported as a leak. */
static void json_uses_our_allocator(void **state) {
  (void)state;
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    ck_init();
    ck_set_oom_handler(oom_exit);
    ck_set_alloc_fail_after(1);
    json_t *o = json_object();
    for (int i = 0; i < 100; i++)
      json_object_set_new(o, i % 2 ? "a" : "b", json_string("a value"));
    _exit(o == NULL ? 1 : 0);
  }
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(lookalike_stops),
      cmocka_unit_test(mapping_reads_the_column),
      cmocka_unit_test(all_missing_named),
      cmocka_unit_test(one_date_parser),
      cmocka_unit_test(edit_distance),
      cmocka_unit_test(ask_refuses_tally),
      cmocka_unit_test(json_uses_our_allocator),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
