/*
 * test_classify.c - group boundaries, pass marks by date, change categories
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "classify.h"
#include "config_internal.h"

static struct ck_record rec_make(int year, int s1, int s2) {
  struct ck_record r;
  memset(&r, 0, sizeof r);
  for (int k = 0; k < CK_MAX_ATTEMPTS; k++)
    r.date[k] = CK_NO_DATE;
  r.match_year = (int16_t)year;
  r.target = -1;
  r.matched_specialty = -1;
  r.soap = r.reapplicant = r.dedicated_weeks = -1;
  r.score[0] = (int16_t)s1;
  r.n_attempts = 1;
  if (s2 > 0) {
    r.score[1] = (int16_t)s2;
    r.n_attempts = 2;
  }
  return r;
}

static enum ck_group_id leaf_of(const struct ck_config *c, int year, int s1,
                                int s2) {
  struct ck_record r = rec_make(year, s1, s2);
  struct ck_class k;
  ck_classify(c, &r, &k);
  return k.leaf;
}

/* Undated, Match 2024 -> 1 Aug 2023 -> pass mark 214, low pass 214..220. */
static void low_pass_band_boundaries(void **state) {
  (void)state;
  struct ck_config *c = ck_config_new();
  assert_int_equal(leaf_of(c, 2024, 213, 0), CK_G_FAILED_NEVER_PASSED);
  assert_int_equal(leaf_of(c, 2024, 214, 0), CK_G_LOW_PASS_NO_RETAKE);
  assert_int_equal(leaf_of(c, 2024, 220, 0), CK_G_LOW_PASS_NO_RETAKE);
  assert_int_equal(leaf_of(c, 2024, 221, 0), CK_G_ABOVE_BELOW_AVERAGE);
  assert_int_equal(leaf_of(c, 2024, 239, 0), CK_G_ABOVE_BELOW_AVERAGE);
  assert_int_equal(leaf_of(c, 2024, 240, 0), CK_G_ABOVE_AROUND_AVERAGE);
  assert_int_equal(leaf_of(c, 2024, 254, 0), CK_G_ABOVE_AROUND_AVERAGE);
  assert_int_equal(leaf_of(c, 2024, 255, 0), CK_G_ABOVE_COMPETITIVE);
  assert_int_equal(leaf_of(c, 2024, 300, 0), CK_G_ABOVE_COMPETITIVE);
  /* A larger margin moves the band top. */
  c->low_pass_margin = 10;
  assert_int_equal(leaf_of(c, 2024, 224, 0), CK_G_LOW_PASS_NO_RETAKE);
  assert_int_equal(leaf_of(c, 2024, 225, 0), CK_G_ABOVE_BELOW_AVERAGE);
  ck_config_free(c);
}

/* Undated rule: Match 2023 -> 1 Aug 2022 (214); Match 2022 -> 1 Aug 2021
 * (209); Match 2026 -> 1 Aug 2025 (218). */
static void undated_rule(void **state) {
  (void)state;
  struct ck_config *c = ck_config_new();
  struct ck_record r = rec_make(2022, 209, 0);
  struct ck_class k;
  ck_classify(c, &r, &k);
  assert_int_equal(k.pass_mark, 209);
  assert_int_equal(k.leaf, CK_G_LOW_PASS_NO_RETAKE);
  assert_int_equal(leaf_of(c, 2022, 215, 0), CK_G_LOW_PASS_NO_RETAKE);
  assert_int_equal(leaf_of(c, 2022, 216, 0), CK_G_ABOVE_BELOW_AVERAGE);
  assert_int_equal(leaf_of(c, 2023, 213, 0), CK_G_FAILED_NEVER_PASSED);
  assert_int_equal(leaf_of(c, 2026, 217, 0), CK_G_FAILED_NEVER_PASSED);
  assert_int_equal(leaf_of(c, 2026, 218, 0), CK_G_LOW_PASS_NO_RETAKE);
  assert_int_equal(leaf_of(c, 2026, 224, 0), CK_G_LOW_PASS_NO_RETAKE);
  assert_int_equal(leaf_of(c, 2026, 225, 0), CK_G_ABOVE_BELOW_AVERAGE);
  /* Undated day is configurable. */
  c->undated_month = 7;
  c->undated_day = 1;
  assert_int_equal(leaf_of(c, 2026, 214, 0), CK_G_FAILED_NEVER_PASSED);
  c->undated_month = 6;
  c->undated_day = 30;
  assert_int_equal(leaf_of(c, 2026, 214, 0), CK_G_LOW_PASS_NO_RETAKE);
  ck_config_free(c);
}

/* Dated attempts: the date, not the Match year, picks the mark. */
static void pass_mark_change_dates(void **state) {
  (void)state;
  struct ck_config *c = ck_config_new();
  struct ck_record r = rec_make(2023, 212, 0);
  struct ck_class k;
  r.date[0] = ck_days_from_civil(2022, 6, 30);
  ck_classify(c, &r, &k);
  assert_int_equal(k.pass_mark, 209);
  assert_int_equal(k.leaf, CK_G_LOW_PASS_NO_RETAKE);
  r.date[0] = ck_days_from_civil(2022, 7, 1);
  ck_classify(c, &r, &k);
  assert_int_equal(k.pass_mark, 214);
  assert_int_equal(k.leaf, CK_G_FAILED_NEVER_PASSED);

  r = rec_make(2026, 216, 0);
  r.date[0] = ck_days_from_civil(2025, 6, 30);
  ck_classify(c, &r, &k);
  assert_int_equal(k.pass_mark, 214);
  assert_int_equal(k.leaf, CK_G_LOW_PASS_NO_RETAKE);
  r.date[0] = ck_days_from_civil(2025, 7, 1);
  ck_classify(c, &r, &k);
  assert_int_equal(k.pass_mark, 218);
  assert_int_equal(k.leaf, CK_G_FAILED_NEVER_PASSED);
  /* 221 is above the band under 214 but a low pass under 218. */
  r.score[0] = 221;
  ck_classify(c, &r, &k);
  assert_int_equal(k.leaf, CK_G_LOW_PASS_NO_RETAKE);
  r.date[0] = ck_days_from_civil(2025, 6, 30);
  ck_classify(c, &r, &k);
  assert_int_equal(k.leaf, CK_G_ABOVE_BELOW_AVERAGE);
  ck_config_free(c);
}

static void failed_then_passed(void **state) {
  (void)state;
  struct ck_config *c = ck_config_new();
  struct ck_class k;
  /* Failed 210 under 214, passed 214 on the second try. */
  struct ck_record r = rec_make(2024, 210, 214);
  ck_classify(c, &r, &k);
  assert_int_equal(k.leaf, CK_G_FAILED_THEN_PASSED);
  assert_true(k.retook);
  assert_int_equal(k.change, 4);
  assert_true(k.ever_passed);
  /* 213 on attempt 2: still failed. */
  r = rec_make(2024, 210, 213);
  ck_classify(c, &r, &k);
  assert_int_equal(k.leaf, CK_G_FAILED_NEVER_PASSED);
  assert_false(k.ever_passed);
  /* Passed only on the fourth attempt. */
  r = rec_make(2024, 200, 205);
  r.score[2] = 211;
  r.score[3] = 216;
  r.n_attempts = 4;
  ck_classify(c, &r, &k);
  assert_int_equal(k.leaf, CK_G_FAILED_THEN_PASSED);

  /* Attempt 1 on 2022-06-15 (209): 207 fails.  Attempt 2 on 2022-07-01
   * (214): 212 would have passed under 209 but fails under 214. */
  r = rec_make(2023, 207, 212);
  r.date[0] = ck_days_from_civil(2022, 6, 15);
  r.date[1] = ck_days_from_civil(2022, 7, 1);
  ck_classify(c, &r, &k);
  assert_int_equal(k.pass_mark, 209);
  assert_int_equal(k.leaf, CK_G_FAILED_NEVER_PASSED);
  r.date[1] = ck_days_from_civil(2022, 6, 30);
  ck_classify(c, &r, &k);
  assert_int_equal(k.leaf, CK_G_FAILED_THEN_PASSED);
  /* Attempt 2 undated in a Match-2026 record: 1 Aug 2025 -> 218. */
  r = rec_make(2026, 210, 217);
  r.date[0] = ck_days_from_civil(2025, 6, 1);
  ck_classify(c, &r, &k);
  assert_int_equal(k.pass_mark, 214);
  assert_int_equal(k.leaf, CK_G_FAILED_NEVER_PASSED);
  r.score[1] = 218;
  ck_classify(c, &r, &k);
  assert_int_equal(k.leaf, CK_G_FAILED_THEN_PASSED);
  ck_config_free(c);
}

static void change_categories(void **state) {
  (void)state;
  struct ck_config *c = ck_config_new();
  static const struct {
    int s2;
    enum ck_group_id leaf;
  } cases[] = {
      {200, CK_G_LPR_LOWER},                /* -16 */
      {211, CK_G_LPR_LOWER},                /* -5 */
      {212, CK_G_LPR_SIMILAR},              /* -4 */
      {216, CK_G_LPR_SIMILAR},              /* 0 */
      {220, CK_G_LPR_SIMILAR},              /* +4 */
      {221, CK_G_LPR_SLIGHTLY_HIGHER},      /* +5 */
      {226, CK_G_LPR_SLIGHTLY_HIGHER},      /* +10 */
      {227, CK_G_LPR_MODERATELY_HIGHER},    /* +11 */
      {235, CK_G_LPR_MODERATELY_HIGHER},    /* +19 */
      {236, CK_G_LPR_SIGNIFICANTLY_HIGHER}, /* +20 */
      {280, CK_G_LPR_SIGNIFICANTLY_HIGHER}, /* +64 */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct ck_record r = rec_make(2024, 216, cases[i].s2);
    struct ck_class k;
    ck_classify(c, &r, &k);
    assert_int_equal(k.leaf, cases[i].leaf);
    assert_int_equal(k.change, cases[i].s2 - 216);
    assert_int_equal((int)k.cat, (int)(cases[i].leaf - CK_G_LPR_LOWER));
    assert_true(ck_group_contains(CK_G_LOW_PASS_RETOOK, k.leaf));
    assert_true(ck_group_contains(CK_G_LOW_PASS, k.leaf));
    assert_false(ck_group_contains(CK_G_LOW_PASS_NO_RETAKE, k.leaf));
  }
  /* Low pass at the band edges with a retake. */
  assert_int_equal(leaf_of(c, 2024, 214, 234), CK_G_LPR_SIGNIFICANTLY_HIGHER);
  assert_int_equal(leaf_of(c, 2024, 220, 215), CK_G_LPR_LOWER);
  /* A retake after a pass above the band stays above the band. */
  assert_int_equal(leaf_of(c, 2024, 230, 250), CK_G_ABOVE_BELOW_AVERAGE);
  ck_config_free(c);
}

static void matched_target_flag(void **state) {
  (void)state;
  struct ck_config *c = ck_config_new();
  struct ck_record r = rec_make(2024, 230, 0);
  struct ck_class k;
  r.matched = 1;
  r.target = 3;
  r.matched_specialty = 3;
  ck_classify(c, &r, &k);
  assert_true(k.matched_target);
  r.matched_specialty = 4;
  ck_classify(c, &r, &k);
  assert_false(k.matched_target);
  r.matched_specialty = 3;
  r.matched = 0;
  ck_classify(c, &r, &k);
  assert_false(k.matched_target);
  r.matched = 1;
  r.target = -1;
  r.matched_specialty = -1;
  ck_classify(c, &r, &k);
  assert_false(k.matched_target);
  ck_config_free(c);
}

static void group_containment(void **state) {
  (void)state;
  for (int g = 0; g < CK_G_COUNT; g++) {
    assert_true(ck_group_contains(CK_G_ALL, (enum ck_group_id)g));
    assert_true(ck_group_contains((enum ck_group_id)g, (enum ck_group_id)g));
  }
  assert_true(ck_group_contains(CK_G_FAILED_FIRST, CK_G_FAILED_THEN_PASSED));
  assert_true(ck_group_contains(CK_G_FAILED_FIRST, CK_G_FAILED_NEVER_PASSED));
  assert_false(ck_group_contains(CK_G_LOW_PASS, CK_G_FAILED_THEN_PASSED));
  assert_true(ck_group_contains(CK_G_ABOVE_BAND, CK_G_ABOVE_COMPETITIVE));
  assert_false(ck_group_contains(CK_G_ABOVE_COMPETITIVE, CK_G_ABOVE_BAND));
  assert_false(ck_group_contains(CK_G_LPR_LOWER, CK_G_LPR_SIMILAR));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(low_pass_band_boundaries),
      cmocka_unit_test(undated_rule),
      cmocka_unit_test(pass_mark_change_dates),
      cmocka_unit_test(failed_then_passed),
      cmocka_unit_test(change_categories),
      cmocka_unit_test(matched_target_flag),
      cmocka_unit_test(group_containment),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
