/*
 * test_ask_questions.c - the questions file of `ask --questions`
 * (src/ask_questions.c): what a good file gives, and where a bad one is
 * said to be wrong (file, line, column, value)
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
#include "ckcohort/ask.h"
#include "ckcohort/config.h"

static char path[64];

static void write_file(const char *text) {
  snprintf(path, sizeof path, "/tmp/ck-questions-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void good_file(void **state) {
  (void)state;
  /* BOM, CRLF, columns in another order and case, a quoted specialty
   * with a comma, spaces around cells, empty cells */
  write_file("\xEF\xBB\xBF"
             "Cycle,ID,score,Specialty,practice,weeks,date\r\n"
             "applying,a-1,216,\"Internal Medicine, any\",238,4,2024-01-01\r\n"
             ",, 205 ,,,,\r\n"
             "not_applying,a 3,250,EM,,0,\r\n");
  struct ck_ask_query dflt = {0, 0, "Pediatrics", 6, false, true, 19000, false};
  struct ck_error err;
  ck_error_clear(&err);
  struct ck_ask_questions *qs = ck_ask_questions_read(path, &dflt, &err);
  unlink(path);
  assert_non_null(qs);
  assert_int_equal(qs->n, 3);
  const struct ck_ask_question *q = qs->v;
  assert_int_equal(q[0].q.score, 216);
  assert_int_equal(q[0].q.practice, 238);
  assert_int_equal(q[0].q.weeks, 4);
  assert_string_equal(q[0].q.specialty, "Internal Medicine, any");
  assert_ptr_equal(q[0].q.specialty, q[0].specialty);
  assert_true(q[0].q.applying_this_cycle);
  assert_false(q[0].q.eras_submitted); /* the cell replaces the default */
  assert_int_equal(q[0].q.today, ck_date_parse("2024-01-01", 10));
  assert_string_equal(q[0].id, "a-1");
  assert_int_equal(q[0].line, 2);
  /* empty cells take the defaults */
  assert_int_equal(q[1].q.score, 205);
  assert_int_equal(q[1].q.practice, 0);
  assert_int_equal(q[1].q.weeks, 6);
  assert_string_equal(q[1].q.specialty, "Pediatrics");
  assert_true(q[1].q.eras_submitted);
  assert_int_equal(q[1].q.today, 19000);
  assert_null(q[1].id);
  assert_int_equal(q[1].line, 3);
  assert_int_equal(q[2].q.weeks, 0);
  assert_true(q[2].q.not_applying);
  assert_false(q[2].q.eras_submitted);
  assert_string_equal(q[2].id, "a 3");
  ck_ask_questions_free(qs);

  /* without defaults an empty cell is "not given" */
  write_file("score,practice,weeks,specialty,date,cycle\n220,,,,,\n");
  qs = ck_ask_questions_read(path, NULL, &err);
  unlink(path);
  assert_non_null(qs);
  assert_int_equal(qs->n, 1);
  assert_int_equal(qs->v[0].q.practice, 0);
  assert_int_equal(qs->v[0].q.weeks, -1);
  assert_null(qs->v[0].q.specialty);
  assert_int_equal(qs->v[0].q.today, CK_NO_DATE);
  assert_false(qs->v[0].q.applying_this_cycle || qs->v[0].q.eras_submitted ||
               qs->v[0].q.not_applying);
  ck_ask_questions_free(qs);
}

static void bad_files(void **state) {
  (void)state;
  static const struct {
    const char *text;
    enum ck_status code;
    long line;
    const char *column, *says;
  } cases[] = {
      {"id,practice\na,230\n", CK_EPARSE, 1, "score", "no score column"},
      {"score,scroe\n216,1\n", CK_EPARSE, 1, "",
       "column 2: unknown column "
       "\"scroe\""},
      {"score,Score\n216,1\n", CK_EPARSE, 1, "score",
       "column 2: \"Score\" is "
       "column 1 again"},
      {"score\n216\n2l6\n", CK_EDATA, 3, "score",
       "column 1: \"2l6\" is not a whole number 1-300"},
      {"id,score\na,301\n", CK_EDATA, 2, "score", "column 2: \"301\""},
      {"id,score\na,+216\n", CK_EDATA, 2, "score", "\"+216\" is not a whole"},
      {"id,score\na,\n", CK_EDATA, 2, "score", "column 2: no score"},
      {"score,practice\n216,0\n", CK_EDATA, 2, "practice",
       "column 2: \"0\" is not a whole number 1-300"},
      {"score,weeks\n216,53\n", CK_EDATA, 2, "weeks",
       "\"53\" is not a whole number 0-52"},
      {"score,date\n216,2024-02-30\n", CK_EDATA, 2, "date",
       "column 2: \"2024-02-30\" is not a date YYYY-MM-DD"},
      {"score,cycle\n216,Applying\n", CK_EDATA, 2, "cycle",
       "\"Applying\" is not applying, eras_submitted or not_applying"},
      {"score,id\n216,a,extra\n", CK_EPARSE, 2, "",
       "the row has 3 fields, "
       "the header 2"},
      {"score,id\n216,\"a\n", CK_EPARSE, 2, "", "not CSV"},
      {"score\n", CK_EDATA, 2, "", "no questions after the header"},
      {"", CK_EPARSE, 1, "", "empty: no header"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    write_file(cases[i].text);
    struct ck_error err;
    ck_error_clear(&err);
    struct ck_ask_questions *qs = ck_ask_questions_read(path, NULL, &err);
    unlink(path);
    if (qs != NULL || err.code != cases[i].code || err.line != cases[i].line ||
        strcmp(err.column, cases[i].column) != 0 ||
        strstr(err.text, cases[i].says) == NULL || strcmp(err.file, path) != 0)
      fail_msg("case %zu: %d %s:%ld: %s: %s", i, err.code, err.file, err.line,
               err.column, err.text);
  }
  /* the command line's cycle options can contradict each other */
  write_file("score\n216\n");
  struct ck_ask_query dflt = {0, 0, NULL, -1, true, false, CK_NO_DATE, true};
  struct ck_error err;
  ck_error_clear(&err);
  assert_null(ck_ask_questions_read(path, &dflt, &err));
  unlink(path);
  assert_int_equal(err.code, CK_EDATA);
  assert_non_null(strstr(err.text, "contradicts applying this cycle"));
  /* a file that is not there */
  ck_error_clear(&err);
  assert_null(ck_ask_questions_read(path, NULL, &err));
  assert_int_equal(err.code, CK_EIO);
  assert_string_equal(err.file, path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(good_file),
      cmocka_unit_test(bad_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
