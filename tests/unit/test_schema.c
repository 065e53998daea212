/*
 * test_schema.c - the column table's invariants, which data_row
 * (src/ingest_rows.c) relies on when it checks a row column by column
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ckcohort/ingest.h"
#include "schema.h"
#include "cohort.h"

/* Every field lies inside struct ck_record, 1, 2 or 4 bytes wide, and no
 * two columns share one. */
/* Dates as Excel saves them in the US are recognised (for the reject
 * reason only): M/D/YYYY and MM/DD/YYYY of a real day; nothing else. */
static void month_day_year(void **state) {
  (void)state;
  int y = 0, m = 0, d = 0;
#define MDY(s) ck_date_mdy((s), strlen(s), &y, &m, &d)
  assert_true(MDY("8/1/2023"));
  assert_int_equal(y, 2023);
  assert_int_equal(m, 8);
  assert_int_equal(d, 1);
  assert_true(MDY("12/31/2024"));
  assert_int_equal(m, 12);
  assert_int_equal(d, 31);
  assert_true(MDY("02/29/2024")); /* a leap day */
  assert_false(MDY("02/29/2023"));
  assert_false(MDY("13/1/2023")); /* day/month/year of 13 January */
  assert_false(MDY("8/1/23"));    /* a two-digit year */
  assert_false(MDY("2023/08/01"));
  assert_false(MDY("8-1-2023"));
  assert_false(MDY("8/1/2023/"));
  assert_false(MDY("/1/2023"));
  assert_false(MDY("8//2023"));
  assert_false(MDY("2023-08-01")); /* ISO is parsed, not explained */
#undef MDY
}

static void fields_in_record(void **state) {
  (void)state;
  unsigned char used[sizeof(struct ck_record)];
  memset(used, 0, sizeof used);
  for (int col = 0; col < CK_COL_N; col++) {
    const struct ck_column *k = &ck_columns[col];
    assert_non_null(k->name);
    assert_string_equal(ck_col_name(col), k->name);
    if (k->offset == CK_COL_NO_FIELD) {
      assert_int_equal(k->kind, CK_KIND_ID);
      continue;
    }
    assert_true(k->size == 1 || k->size == 2 || k->size == 4);
    assert_true(k->offset + k->size <= sizeof(struct ck_record));
    for (size_t b = 0; b < k->size; b++) {
      assert_int_equal(used[k->offset + b], 0);
      used[k->offset + b] = 1;
    }
  }
}

/* Rules that read matched come after it (the check order is the table
 * order); a column every row must fill is also required in the header. */
static void order_and_flags(void **state) {
  (void)state;
  for (int col = 0; col < CK_COL_N; col++) {
    unsigned f = ck_columns[col].flags;
    if (f & (CK_COLF_MATCHED | CK_COLF_YES_MATCHED))
      assert_true(col > CK_COL_MATCHED);
    if (f & CK_COLF_VALUE)
      assert_true(f & CK_COLF_HEADER);
    assert_int_equal(ck_col_required(col), (f & CK_COLF_HEADER) != 0);
  }
  const char *required[] = {"student_id", "match_year", "step2_attempt_1",
                            "matched"};
  int n = 0;
  for (int col = 0; col < CK_COL_N; col++)
    n += ck_col_required(col);
  assert_int_equal(n, 4);
  for (size_t i = 0; i < 4; i++)
    assert_true(
        ck_col_required(ck_col_by_name(required[i], strlen(required[i]))));
}

/* Attempts and their dates are numbered in order: data_row's "is given
 * but step2_attempt_(k-1) is empty" names the column before, and a date
 * names the attempt of the same number. */
static void attempts_in_order(void **state) {
  (void)state;
  int n_att = 0, n_date = 0;
  for (int col = 0; col < CK_COL_N; col++) {
    const struct ck_column *k = &ck_columns[col];
    if (k->kind == CK_KIND_ATTEMPT) {
      assert_int_equal(k->index, n_att);
      assert_int_equal(col, CK_COL_ATTEMPT1 + n_att);
      assert_int_equal(k->offset, offsetof(struct ck_record, score) +
                                      (size_t)n_att * sizeof(int16_t));
      n_att++;
    } else if (k->kind == CK_KIND_DATE) {
      assert_int_equal(k->index, n_date);
      assert_int_equal(k->absent, CK_NO_DATE);
      n_date++;
    }
  }
  assert_int_equal(n_att, CK_MAX_ATTEMPTS);
  assert_int_equal(n_date, CK_MAX_ATTEMPTS);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fields_in_record),
      cmocka_unit_test(order_and_flags),
      cmocka_unit_test(attempts_in_order),
      cmocka_unit_test(month_day_year),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
