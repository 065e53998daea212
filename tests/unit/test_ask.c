/*
 * test_ask.c - ask grid bands, checklist boundaries, the sheet over a small
 * cohort (policy, widening, withheld counts)
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ckcohort/analyse.h"
#include "ckcohort/ask.h"
#include "ask_grid.h"
#include "ask_model.h"
#include "config_internal.h"

static void fine_bands(void **state) {
  (void)state;
  struct ck_ask_band b = ck_ask_fine_band(0, 6); /* score at the pass mark */
  assert_int_equal(b.lo, 0);
  assert_int_equal(b.hi, 2);
  b = ck_ask_fine_band(2, 6);
  assert_int_equal(b.code, 0);
  b = ck_ask_fine_band(3, 6);
  assert_int_equal(b.lo, 3);
  assert_int_equal(b.hi, 6);
  b = ck_ask_fine_band(6, 6); /* pass + 6: still low pass */
  assert_int_equal(b.code, 1);
  b = ck_ask_fine_band(7, 6); /* pass + 7: first band above */
  assert_int_equal(b.code, 2);
  assert_int_equal(b.lo, 7);
  assert_int_equal(b.hi, 11);
  b = ck_ask_fine_band(12, 6);
  assert_int_equal(b.lo, 12);
  assert_int_equal(b.hi, 16);
  b = ck_ask_fine_band(-1, 6); /* one below the pass mark */
  assert_int_equal(b.lo, -5);
  assert_int_equal(b.hi, -1);
  b = ck_ask_fine_band(-5, 6);
  assert_int_equal(b.code, -1);
  b = ck_ask_fine_band(-6, 6);
  assert_int_equal(b.lo, -10);
  assert_int_equal(b.hi, -6);
  b = ck_ask_fine_band(1, 2); /* a margin below 3 keeps one low band */
  assert_int_equal(b.hi, 2);
  assert_false(b.zone);
}

static void zones_and_practice(void **state) {
  (void)state;
  assert_int_equal(ck_ask_zone(-1, 6).code, CK_GRID_ZONE_FAIL);
  assert_int_equal(ck_ask_zone(0, 6).code, CK_GRID_ZONE_LOW);
  assert_int_equal(ck_ask_zone(6, 6).code, CK_GRID_ZONE_LOW);
  assert_int_equal(ck_ask_zone(7, 6).code, CK_GRID_ZONE_ABOVE);
  assert_true(ck_ask_zone(7, 6).zone);
  int lo, hi;
  ck_ask_practice_band(238, &lo, &hi);
  assert_int_equal(lo, 235);
  assert_int_equal(hi, 244);
  ck_ask_practice_band(235, &lo, &hi);
  assert_int_equal(lo, 235);
  ck_ask_practice_band(234, &lo, &hi);
  assert_int_equal(lo, 225);
  assert_int_equal(hi, 234);
}

static struct ck_ask sheet(int score, int practice, int weeks,
                           enum ck_tier tier, bool cycle, bool eras) {
  struct ck_ask a;
  memset(&a, 0, sizeof a);
  a.q.score = score;
  a.q.practice = practice;
  a.q.weeks = weeks;
  a.q.specialty = tier == CK_TIER_NONE ? NULL : "X";
  a.q.applying_this_cycle = cycle;
  a.q.eras_submitted = eras;
  a.tier = tier;
  a.pass_mark = 214;
  a.low_pass_margin = 6;
  a.band_top = 220;
  a.passing = score >= 214;
  a.practice_threshold = 230;
  a.min_weeks = 6;
  ck_ask_evaluate(&a);
  return a;
}

static void checklist_boundaries(void **state) {
  (void)state;
  struct ck_ask a = sheet(220, 230, 6, CK_TIER_MIDDLE, false, false);
  assert_int_equal(a.checks[0].state, CK_ASK_MET); /* 220 <= 220 */
  assert_int_equal(a.checks[1].state, CK_ASK_MET); /* middle */
  assert_int_equal(a.checks[2].state, CK_ASK_MET); /* 230 >= 230 */
  assert_int_equal(a.checks[3].state, CK_ASK_MET); /* 6 >= 6 */
  /* no cycle flag: not given, never met (issue 15) */
  assert_int_equal(a.checks[4].state, CK_ASK_NOT_GIVEN);
  assert_int_equal(a.reasons[0].state, CK_ASK_NOT_GIVEN);
  assert_int_equal(a.checks[5].state, CK_ASK_NOT_GIVEN);
  assert_string_equal(a.checks[0].detail,
                      "220, threshold at most 220 (pass mark 214 + 6)");

  a = sheet(221, 229, 5, CK_TIER_VERY_COMPETITIVE, true, false);
  assert_int_equal(a.checks[0].state, CK_ASK_NOT_MET); /* pass + 7 */
  assert_int_equal(a.checks[1].state, CK_ASK_NOT_MET); /* very competitive */
  assert_int_equal(a.checks[2].state, CK_ASK_NOT_MET); /* 229 */
  assert_int_equal(a.checks[3].state, CK_ASK_NOT_MET); /* 5 weeks */
  assert_int_equal(a.checks[4].state, CK_ASK_NOT_MET); /* applying */
  assert_int_equal(a.reasons[0].state, CK_ASK_MET);    /* passed, same cycle */
  assert_int_equal(a.reasons[3].state, CK_ASK_MET);    /* no dedicated time */

  a = sheet(214, 0, -1, CK_TIER_NONE, false, true);
  assert_int_equal(a.checks[0].state, CK_ASK_MET); /* at the pass mark */
  assert_int_equal(a.checks[1].state, CK_ASK_NOT_GIVEN);
  assert_int_equal(a.checks[2].state, CK_ASK_NOT_GIVEN);
  assert_int_equal(a.checks[3].state, CK_ASK_NOT_GIVEN);
  assert_int_equal(a.checks[4].state, CK_ASK_NOT_MET); /* ERAS submitted */
  assert_int_equal(a.reasons[1].state, CK_ASK_NOT_GIVEN);
  assert_int_equal(a.reasons[2].state, CK_ASK_NOT_GIVEN);

  /* said so: not applying this cycle */
  a = sheet(220, 230, 6, CK_TIER_MIDDLE, false, false);
  a.q.not_applying = true;
  ck_ask_evaluate(&a);
  assert_int_equal(a.checks[4].state, CK_ASK_MET);
  assert_int_equal(a.reasons[0].state, CK_ASK_NOT_MET);

  a = sheet(205, 225, 8, CK_TIER_FORGIVING, true, false);
  assert_int_equal(a.reasons[0].state, CK_ASK_NOT_MET); /* not passed */
  assert_int_equal(a.reasons[1].state, CK_ASK_MET);     /* forgiving */
  assert_int_equal(a.reasons[2].state, CK_ASK_NOT_MET); /* 20 above 205 */
}

static void practice_gap(void **state) {
  (void)state;
  /* "much higher" is CK_ASK_BIG_GAP (10) or more above the score */
  struct ck_ask a = sheet(216, 225, 6, CK_TIER_MIDDLE, false, false);
  assert_int_equal(a.reasons[2].state, CK_ASK_MET); /* 9 above */
  a = sheet(216, 226, 6, CK_TIER_MIDDLE, false, false);
  assert_int_equal(a.reasons[2].state, CK_ASK_NOT_MET); /* 10 above */
}

/* A hand-made cohort: 40 low-pass applicants without a retake targeting
 * Family Medicine, 30 of whom matched; 5 more with a score of pass + 1 who
 * target Dermatology (a group too small to show), 2 of whom matched into
 * Family Medicine.  (Had no Dermatology applicant matched, "everyone's 30
 * matched are all Family Medicine applicants" would say so, and the grid
 * would refuse the whole-cohort group too.) */
static struct ck_cohort *small_cohort(const struct ck_config *cfg) {
  static char buf[8192];
  size_t n = (size_t)snprintf(buf, sizeof buf,
                              "student_id,match_year,step2_attempt_1,"
                              "target_specialty,matched,matched_specialty\n");
  for (int i = 0; i < 40; i++)
    /* two matched specialties: a "matched into" row holding every
     * matched member would be an "all" outcome (withheld with its total) */
    n += (size_t)snprintf(buf + n, sizeof buf - n, "F%d,2024,%d,FM,%s,%s\n", i,
                          215 + i % 5, i < 30 ? "Y" : "N",
                          i >= 30 ? ""
                          : i % 2 ? "Family Medicine"
                                  : "Internal Medicine");
  for (int i = 0; i < 5; i++)
    n += (size_t)snprintf(buf + n, sizeof buf - n,
                          "D%d,2024,215,Dermatology,%s\n", i,
                          i < 2 ? "Y,Family Medicine" : "N,");
  struct ck_cohort *c = ck_cohort_new(cfg, NULL);
  assert_int_equal(ck_ingest_buffer(c, "t.csv", buf, n, 0, NULL), CK_OK);
  return c;
}

static void sheet_widens_and_withholds(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_cohort *c = small_cohort(cfg);
  struct ck_ask_query q = {
      215, 0, "Derm", -1, false, false, ck_days_from_civil(2024, 1, 1), false};
  struct ck_error err;
  ck_error_clear(&err);
  struct ck_ask *a = ck_ask_build(c, cfg, &q, &err);
  assert_non_null(a);
  assert_true(a->passing);
  assert_int_equal(a->pass_mark, 214);
  assert_string_equal(a->specialty, "Dermatology");
  assert_int_equal(a->tier, CK_TIER_VERY_COMPETITIVE);
  const struct ck_ask_group *g = &a->groups[0];
  assert_true(g->found);
  /* Dermatology (5) cannot be shown; the fine bands have 7 and 6
   * unmatched and the Family Medicine tier 10, so the ladder ends at the
   * whole low-pass band of everyone: 45 = 40 + 5, 32 matched, 13 not */
  assert_int_equal(g->used.level, CK_ASK_ALL);
  assert_true(g->used.band.zone);
  assert_int_equal(g->n_tried, 5);
  assert_int_equal(a->model->cells[g->n].shown, CK_SHOWN);
  assert_int_equal(a->model->cells[g->n].value, 45);
  assert_int_equal(a->model->cells[g->matched].value, 32);
  assert_int_equal(a->model->cells[g->unmatched].value, 13);
  assert_int_equal(a->model->cells[g->unmatched].shown, CK_SHOWN);
  /* nobody retook: nothing to show */
  assert_false(a->groups[1].found);
  /* a sheet whose counts were not through ck_suppress is refused by every
   * renderer, with nothing written */
  assert_true(a->model->checked);
  a->model->checked = false;
  const char *fmts[4] = {"text", "md", "json", "html"};
  for (int i = 0; i < 4; i++) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(ck_ask_renderer(fmts[i])(f, a), CK_EUSAGE);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(len, 0);
    free(buf);
  }
  ck_ask_free(a);

  /* a failing score: policy flips, groups are failed then passed */
  q.score = 200;
  a = ck_ask_build(c, cfg, &q, &err);
  assert_non_null(a);
  assert_false(a->passing);
  assert_string_equal(a->groups[0].id, "like_you_then_passed");
  assert_string_equal(a->groups[2].id, "contrast_low_pass_no_retake");
  ck_ask_free(a);

  /* bad query */
  q.score = 301;
  assert_null(ck_ask_build(c, cfg, &q, &err));
  assert_int_equal(err.code, CK_EUSAGE);
  ck_cohort_free(c);
  ck_config_free(cfg);
}

/* One context, many questions: each sheet renders exactly as the sheet of
 * ck_ask_build, whatever was asked before it (the context is only read). */
static char *json_of(const struct ck_ask *a) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  assert_int_equal(ck_ask_render_json(f, a), CK_OK);
  fclose(f);
  return buf;
}

/* Sheets a and b render the same JSON; both are freed. */
static void assert_same_sheet(struct ck_ask *a, struct ck_ask *b) {
  assert_non_null(a);
  assert_non_null(b);
  char *ja = json_of(a), *jb = json_of(b);
  assert_string_equal(ja, jb);
  free(ja);
  free(jb);
  ck_ask_free(a);
  ck_ask_free(b);
}

static void context_sheets_equal_single(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_cohort *c = small_cohort(cfg);
  struct ck_error err;
  ck_error_clear(&err);
  struct ck_ask_ctx *x = ck_ask_ctx_new(c, cfg, &err);
  assert_non_null(x);
  struct ck_ask_query qs[3] = {
      {215, 0, "Derm", -1, false, false, ck_days_from_civil(2024, 1, 1), false},
      {200, 240, NULL, 8, true, false, ck_days_from_civil(2024, 1, 1), false},
      {230, 0, "Family Medicine", -1, false, false, CK_NO_DATE, true}};
  for (int round = 0; round < 2; round++) {
    for (int i = 0; i < 3; i++) {
      assert_same_sheet(ck_ask_ctx_build(x, &qs[i], &err),
                        ck_ask_build(c, cfg, &qs[i], &err));
    }
  }
  /* a bad question is refused, the context stays usable */
  struct ck_ask_query bad = qs[0];
  bad.weeks = 53;
  assert_null(ck_ask_ctx_build(x, &bad, &err));
  assert_int_equal(err.code, CK_EUSAGE);
  ck_error_clear(&err);
  struct ck_ask *a = ck_ask_ctx_build(x, &qs[0], &err);
  assert_non_null(a);
  ck_ask_set_id(a, "advisee 1");
  assert_string_equal(a->id, "advisee 1");
  ck_ask_free(a);
  ck_ask_ctx_free(x);
  ck_cohort_free(c);
  ck_config_free(cfg);
}

/* A context from a given report: refused unless ck_suppress checked it
 * (an unchecked model would let the grid show what the report withholds);
 * from the checked report, the same sheets as ck_ask_ctx_new's. */
static void context_from_checked_report_only(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_cohort *c = small_cohort(cfg);
  struct ck_error err;
  ck_error_clear(&err);
  struct ck_report *r = ck_analyse(c, cfg, &err);
  assert_non_null(r);
  assert_null(ck_ask_ctx_new_from(c, cfg, r, &err));
  assert_int_equal(err.code, CK_EUSAGE);
  assert_non_null(strstr(err.text, "not been checked"));
  assert_null(ck_ask_ctx_new_from(c, cfg, NULL, &err));
  assert_int_equal(err.code, CK_EUSAGE);
  ck_error_clear(&err);
  assert_int_equal(ck_suppress(r), CK_OK);
  struct ck_ask_ctx *x = ck_ask_ctx_new_from(c, cfg, r, &err);
  ck_report_free(r); /* only read during the call */
  assert_non_null(x);
  struct ck_ask_query q = {
      215, 0, "Derm", -1, false, false, ck_days_from_civil(2024, 1, 1), false};
  struct ck_ask *a = ck_ask_ctx_build(x, &q, &err);
  assert_non_null(a);
  assert_false(a->ledger);
  assert_same_sheet(a, ck_ask_build(c, cfg, &q, &err));
  ck_ask_ctx_free(x);
  ck_cohort_free(c);
  ck_config_free(cfg);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fine_bands),
      cmocka_unit_test(zones_and_practice),
      cmocka_unit_test(checklist_boundaries),
      cmocka_unit_test(practice_gap),
      cmocka_unit_test(sheet_widens_and_withholds),
      cmocka_unit_test(context_sheets_equal_single),
      cmocka_unit_test(context_from_checked_report_only),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
