/*
 * test_config_file.c - INI settings: every error path, overrides, round trip
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ckcohort/config.h"
#include "config_internal.h"

/* Write text to a new temporary file; returns its malloc'd path. */
static char *temp_file(const char *text) {
  char *path = strdup("/tmp/ckcfgXXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
  return path;
}

/* Load text over the defaults; returns the status and fills err. */
static enum ck_status load_text(const char *text, struct ck_config **out,
                                struct ck_error *err) {
  char *path = temp_file(text);
  struct ck_config *cfg = ck_config_new();
  ck_error_clear(err);
  enum ck_status st = ck_config_load(cfg, path, err);
  unlink(path);
  free(path);
  if (out)
    *out = cfg;
  else
    ck_config_free(cfg);
  return st;
}

static void expect_error(const char *text, long line, const char *column,
                         const char *message) {
  struct ck_error err;
  assert_int_equal(load_text(text, NULL, &err), CK_ECONFIG);
  assert_int_equal(err.code, CK_ECONFIG);
  assert_int_equal(err.line, line);
  assert_string_equal(err.column, column);
  assert_string_equal(err.text, message);
  assert_true(strncmp(err.file, "/tmp/ckcfg", 10) == 0);
}

static void error_paths(void **state) {
  (void)state;
  expect_error("[privacy]\n; comment\n\nmin_cell = 2\n", 4, "privacy.min_cell",
               "\"2\" must be at least 3");
  expect_error("[nope]\nx = 1\n", 2, "nope.x", "unknown section [nope]");
  expect_error("[privacy]\nmin_cells = 11\n", 2, "privacy.min_cells",
               "unknown key \"min_cells\"");
  expect_error("min_cell = 11\n", 1, "min_cell", "key outside any section");
  expect_error("[definitions]\nlow_pass_margin = six\n", 2,
               "definitions.low_pass_margin", "\"six\" is not a whole number");
  expect_error("[definitions]\nlow_pass_margin = 101\n", 2,
               "definitions.low_pass_margin", "\"101\" must be at most 100");
  expect_error("[statistics]\nconfidence = 1\n", 2, "statistics.confidence",
               "\"1\" must be between 0 and 1 (exclusive)");
  expect_error("[statistics]\nconfidence = 0\n", 2, "statistics.confidence",
               "\"0\" must be between 0 and 1 (exclusive)");
  expect_error("[statistics]\nconfidence = 0.9x\n", 2, "statistics.confidence",
               "\"0.9x\" is not a number");
  expect_error("[statistics]\nintervals = exact\n", 2, "statistics.intervals",
               "\"exact\" must be \"wilson\" or \"clopper-pearson\"");
  expect_error("[aliases]\nAstro = Astrology\n", 2, "aliases.Astro",
               "\"Astrology\" is not a known specialty");
  expect_error("[specialties]\nDermatology = hard\n", 2,
               "specialties.Dermatology",
               "\"hard\" must be very competitive, middle, forgiving or none");
  expect_error("[pass_marks]\n2022-13-01 = 214\n", 2, "pass_marks.2022-13-01",
               "\"2022-13-01\" is not a date YYYY-MM-DD");
  expect_error("[pass_marks]\n2022-07-01 = 301\n", 2, "pass_marks.2022-07-01",
               "\"301\" must be at most 300");
  expect_error("[pass_marks]\n2022-07-01 = 214\n2022-07-01 = 215\n", 3,
               "pass_marks.2022-07-01", "date \"2022-07-01\" is given twice");
  expect_error("[definitions]\nundated_attempt = 02-29\n", 2,
               "definitions.undated_attempt",
               "\"02-29\" is not a month-day MM-DD");
  expect_error("[definitions]\npractice_points = 240, 230\n", 2,
               "definitions.practice_points",
               "\"240, 230\": points must be in increasing order");
  expect_error("[definitions]\npractice_points = 230, x\n", 2,
               "definitions.practice_points",
               "\"230, x\" is not a list of whole numbers separated by commas");
  /* Unordered thresholds: the key the file set is named, on its line. */
  expect_error("[definitions]\n\nchange_slight_min = 12\n", 3,
               "definitions.change_slight_min",
               "\"12\" must be less than definitions.change_moderate_min (11)");
  expect_error(
      "[definitions]\nchange_slight_min = 8\nchange_moderate_min = 8\n", 3,
      "definitions.change_moderate_min",
      "\"8\" must be greater than definitions.change_slight_min (8)");
  expect_error("[definitions]\nband_competitive_min = 240\n", 2,
               "definitions.band_competitive_min",
               "\"240\" must be greater than definitions.band_average_min "
               "(240)");
  /* Syntax errors come from inih with their line. */
  expect_error("[privacy]\nmin_cell = 11\njunk line\n", 3, "",
               "expected [section] or key = value");
  /* The first error wins even when a syntax error follows. */
  expect_error("[privacy]\nmin_cell = 1\njunk line\n", 2, "privacy.min_cell",
               "\"1\" must be at least 3");
}

static void missing_file(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_error err;
  ck_error_clear(&err);
  assert_int_equal(ck_config_load(cfg, "/nonexistent/ck.ini", &err), CK_EIO);
  assert_string_equal(err.file, "/nonexistent/ck.ini");
  ck_config_free(cfg);
}

static void overrides_applied(void **state) {
  (void)state;
  struct ck_config *cfg;
  struct ck_error err;
  assert_int_equal(
      load_text("[pass_marks]   ; replaces the table\n"
                "2000-01-01 = 200\n2020-01-01 = 220\n"
                "[definitions]\nlow_pass_margin = 4\nundated_attempt = 09-15\n"
                "practice_points = 225,250\n"
                "[privacy]\nmin_cell = 5\n"
                "[statistics]\nconfidence = 0.9\nintervals = clopper-pearson\n"
                "[ask]\npractice_threshold = 235\nmin_weeks = 8\n"
                "[specialties]\nSports Medicine = forgiving\n"
                "Emergency Medicine = very competitive\n"
                "[aliases]\nSM = Sports Medicine\n",
                &cfg, &err),
      CK_OK);
  assert_int_equal(cfg->n_pass_marks, 2);
  assert_int_equal(ck_config_pass_mark(cfg, ck_days_from_civil(2019, 1, 1), 0),
                   200);
  assert_int_equal(ck_config_pass_mark(cfg, ck_days_from_civil(2021, 1, 1), 0),
                   220);
  assert_int_equal(cfg->low_pass_margin, 4);
  assert_int_equal(cfg->undated_month, 9);
  assert_int_equal(cfg->undated_day, 15);
  assert_int_equal(cfg->n_practice_points, 2);
  assert_int_equal(cfg->practice_points[1], 250);
  assert_int_equal(cfg->min_cell, 5);
  assert_true(cfg->confidence == 0.9);
  assert_true(cfg->clopper_pearson);
  assert_int_equal(cfg->practice_threshold, 235);
  assert_int_equal(cfg->min_weeks, 8);
  int sm = ck_config_specialty_find(cfg, "sm", 2);
  assert_true(sm >= 0);
  assert_string_equal(cfg->specialties[sm].name, "Sports Medicine");
  assert_int_equal(cfg->specialties[sm].tier, CK_TIER_FORGIVING);
  int em = ck_config_specialty_find(cfg, "EM", 2);
  assert_int_equal(cfg->specialties[em].tier, CK_TIER_VERY_COMPETITIVE);
  assert_int_equal(ck_config_check(cfg, &err), CK_OK);
  ck_config_free(cfg);
}

static char *write_to_string(const struct ck_config *cfg) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  assert_int_equal(ck_config_write(f, cfg), CK_OK);
  assert_int_equal(fclose(f), 0);
  return buf;
}

/* write -> load into fresh defaults -> write gives the same text. */
static void round_trip(void **state) {
  (void)state;
  const char *inputs[] = {
      "",
      "[pass_marks]\n2010-01-01 = 190\n[statistics]\nconfidence = 0.99\n"
      "intervals = clopper-pearson\n[definitions]\nchange_lower_max = -8\n"
      "practice_points = 220, 230, 240, 250, 260\nundated_attempt = 12-31\n"
      "[specialties]\nSports Medicine = none\n[aliases]\nSports Med = "
      "Sports Medicine\n",
      "[statistics]\nconfidence = 0.123456789\n",
  };
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    struct ck_config *cfg;
    struct ck_error err;
    assert_int_equal(load_text(inputs[i], &cfg, &err), CK_OK);
    char *first = write_to_string(cfg);
    struct ck_config *again;
    assert_int_equal(load_text(first, &again, &err), CK_OK);
    char *second = write_to_string(again);
    assert_string_equal(first, second);
    assert_true(again->confidence == cfg->confidence);
    assert_int_equal(again->n_specialties, cfg->n_specialties);
    assert_int_equal(again->n_aliases, cfg->n_aliases);
    assert_int_equal(again->n_pass_marks, cfg->n_pass_marks);
    free(first);
    free(second);
    ck_config_free(cfg);
    ck_config_free(again);
  }
}

static void check_rules(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_error err;
  ck_error_clear(&err);
  assert_int_equal(ck_config_check(cfg, &err), CK_OK);
  cfg->min_cell = 2;
  assert_int_equal(ck_config_check(cfg, &err), CK_ECONFIG);
  assert_string_equal(err.column, "privacy.min_cell");
  cfg->min_cell = 11;
  cfg->confidence = 1.0;
  ck_error_clear(&err);
  assert_int_equal(ck_config_check(cfg, &err), CK_ECONFIG);
  assert_string_equal(err.column, "statistics.confidence");
  cfg->confidence = 0.95;
  cfg->change_significant_min = 11;
  ck_error_clear(&err);
  assert_int_equal(ck_config_check(cfg, &err), CK_ECONFIG);
  assert_string_equal(err.column, "definitions.change_significant_min");
  ck_config_free(cfg);
}

/* From memory: the same result and messages as from a file, by name. */
static void load_from_buffer(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_error err;
  ck_error_clear(&err);
  static const char text[] = "[privacy]\nmin_cell = 20\n";
  assert_int_equal(
      ck_config_load_buffer(cfg, "mem.ini", text, sizeof text - 1, &err),
      CK_OK);
  assert_int_equal(cfg->min_cell, 20);
  assert_int_equal(ck_config_load_buffer(cfg, "empty.ini", NULL, 0, &err),
                   CK_OK);
  assert_int_equal(cfg->min_cell, 20);
  static const char bad[] = "[privacy]\n\nmin_cell = 2"; /* no final newline */
  assert_int_equal(
      ck_config_load_buffer(cfg, "bad.ini", bad, sizeof bad - 1, &err),
      CK_ECONFIG);
  assert_string_equal(err.file, "bad.ini");
  assert_int_equal(err.line, 3);
  assert_string_equal(err.text, "\"2\" must be at least 3");
  /* A NUL byte is an error, not the end of the line. */
  static const char nul[] = "[privacy]\nmin_cell = 20\0 junk\n";
  ck_error_clear(&err);
  assert_int_equal(
      ck_config_load_buffer(cfg, "nul.ini", nul, sizeof nul - 1, &err),
      CK_ECONFIG);
  assert_int_equal(err.line, 2);
  assert_string_equal(err.text,
                      "line contains a NUL byte; is this a text file?");
  ck_config_free(cfg);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(error_paths),       cmocka_unit_test(missing_file),
      cmocka_unit_test(overrides_applied), cmocka_unit_test(round_trip),
      cmocka_unit_test(check_rules),       cmocka_unit_test(load_from_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
