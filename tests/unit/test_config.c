/*
 * test_config.c - compiled-in defaults: pass marks, specialties, dates
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ckcohort/config.h"
#include "config_internal.h"

static void pass_mark_by_date(void **state) {
  (void)state;
  struct ck_config *c = ck_config_new();
  assert_int_equal(ck_config_pass_mark(c, ck_days_from_civil(2012, 6, 30), 0),
                   189);
  assert_int_equal(ck_config_pass_mark(c, ck_days_from_civil(2012, 7, 1), 0),
                   196);
  assert_int_equal(ck_config_pass_mark(c, ck_days_from_civil(2022, 6, 30), 0),
                   209);
  assert_int_equal(ck_config_pass_mark(c, ck_days_from_civil(2022, 7, 1), 0),
                   214);
  assert_int_equal(ck_config_pass_mark(c, ck_days_from_civil(2025, 7, 1), 0),
                   218);
  /* Undated: 1 August of the year before the Match year. */
  assert_int_equal(ck_config_pass_mark(c, CK_NO_DATE, 2023), 214);
  assert_int_equal(ck_config_pass_mark(c, CK_NO_DATE, 2022), 209);
  assert_int_equal(ck_config_pass_mark(c, CK_NO_DATE, 2026), 218);
  ck_config_free(c);
}

static void specialty_aliases(void **state) {
  (void)state;
  struct ck_config *c = ck_config_new();
  const char *names[] = {"EM", "Emergency Med", " emergency medicine "};
  int em = ck_config_specialty_find(c, "Emergency Medicine", 18);
  assert_true(em >= 0);
  for (size_t i = 0; i < 3; i++)
    assert_int_equal(ck_config_specialty_find(c, names[i], strlen(names[i])),
                     em);
  int ob = ck_config_specialty_find(c, "OB/GYN", 6);
  assert_true(ob >= 0);
  assert_string_equal(c->specialties[ob].name, "Obstetrics and Gynecology");
  assert_int_equal(c->specialties[ob].tier, CK_TIER_MIDDLE);
  int gs = ck_config_specialty_find(c, "Surgery, General", 16);
  assert_string_equal(c->specialties[gs].name, "General Surgery");
  int derm = ck_config_specialty_find(c, "derm", 4);
  assert_int_equal(c->specialties[derm].tier, CK_TIER_VERY_COMPETITIVE);
  int fm = ck_config_specialty_find(c, "Family Medicine", 15);
  assert_int_equal(c->specialties[fm].tier, CK_TIER_FORGIVING);
  assert_int_equal(ck_config_specialty_find(c, "Astrology", 9), -1);
  assert_int_equal(ck_config_specialty_find(c, "  ", 2), -1);
  ck_config_free(c);
}

/* Unknown names near one specialty: its index; far from all, short, or
 * equally near two: -1. */
static void specialty_near(void **state) {
  (void)state;
  struct ck_config *c = ck_config_new();
#define NEAR(name) ck_config_specialty_near(c, (name), strlen(name))
  int fm = ck_config_specialty_find(c, "Family Medicine", 15);
  int im = ck_config_specialty_find(c, "Internal Medicine", 17);
  int pd = ck_config_specialty_find(c, "Pediatrics", 10);
  assert_true(fm >= 0 && im >= 0 && pd >= 0);
  assert_int_equal(NEAR("Famly Medicine"), fm);   /* a letter missing */
  assert_int_equal(NEAR("Internal Medicne"), im); /* the same */
  assert_int_equal(NEAR("Pediatircs"), pd);       /* two letters swapped */
  assert_int_equal(NEAR("FAMILY  MEDICNIE"), fm); /* case, spaces, a swap */
  assert_int_equal(NEAR("Ophthalmology"), -1);    /* not in the table */
  assert_int_equal(NEAR("Undecided"), -1);
  assert_int_equal(NEAR("Psychiatry/Neurology"), -1);
  assert_int_equal(NEAR("Internal Medicine-Pediatrics (\"Med-Peds\")"), -1);
  assert_int_equal(NEAR("Pedz"), -1); /* under 5 letters: no guess */
  /* "eurology" is one edit from Neurology and from Urology: no guess */
  assert_int_equal(NEAR("Eurology"), -1);
  assert_int_equal(NEAR("Urolgy"), ck_config_specialty_find(c, "Urology", 7));
#undef NEAR
  ck_config_free(c);
}

static void civil_dates(void **state) {
  (void)state;
  assert_int_equal(ck_days_from_civil(1970, 1, 1), 0);
  assert_int_equal(ck_days_from_civil(2000, 3, 1), 11017);
  assert_int_equal(ck_days_from_civil(2024, 2, 29), 19782);
  assert_int_equal(ck_days_from_civil(2023, 2, 29), CK_NO_DATE);
  assert_int_equal(ck_days_from_civil(2023, 13, 1), CK_NO_DATE);
  int y, m, d;
  ck_civil_from_days(19782, &y, &m, &d);
  assert_int_equal(y, 2024);
  assert_int_equal(m, 2);
  assert_int_equal(d, 29);
}

static void change_categories(void **state) {
  (void)state;
  struct ck_config *c = ck_config_new();
  assert_int_equal(ck_change_category(c, -5), CK_CHANGE_LOWER);
  assert_int_equal(ck_change_category(c, -4), CK_CHANGE_SIMILAR);
  assert_int_equal(ck_change_category(c, 4), CK_CHANGE_SIMILAR);
  assert_int_equal(ck_change_category(c, 5), CK_CHANGE_SLIGHTLY_HIGHER);
  assert_int_equal(ck_change_category(c, 10), CK_CHANGE_SLIGHTLY_HIGHER);
  assert_int_equal(ck_change_category(c, 11), CK_CHANGE_MODERATELY_HIGHER);
  assert_int_equal(ck_change_category(c, 19), CK_CHANGE_MODERATELY_HIGHER);
  assert_int_equal(ck_change_category(c, 20), CK_CHANGE_SIGNIFICANTLY_HIGHER);
  ck_config_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pass_mark_by_date), cmocka_unit_test(specialty_aliases),
      cmocka_unit_test(specialty_near),    cmocka_unit_test(civil_dates),
      cmocka_unit_test(change_categories),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
