/*
 * test_ask_grid.c - the grid's second-attempt and protected-weeks groups
 * (issue 15): counted as the records say, tied to the groups they are part
 * of, and published only as the grid's rules allow
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
#include "ckcohort/report.h"
#include "ask_grid.h"
#include "ask_model.h"
#include "classify.h"
#include "config_internal.h"

static const char *const years[] = {"2017", "2018", "2019", "2020", "2021",
                                    "2022", "2023", "2024", "2025", "2026"};

static long cell(const struct ck_grid *g, int k, int r, int o) {
  size_t i = ck_grid_find(g, k, r, CK_GRID_ALL(g), o);
  return i == CK_NO_CELL ? 0 : g->c[i].v;
}

static bool pub(const struct ck_grid *g, int k, int r, int o) {
  size_t i = ck_grid_find(g, k, r, CK_GRID_ALL(g), o);
  return i != CK_NO_CELL && g->c[i].pub;
}

static void second_and_weeks(void **state) {
  (void)state;
  struct ck_config *cfg = ck_config_new();
  struct ck_cohort *c = ck_cohort_new(cfg, NULL);
  struct ck_error err;
  ck_error_clear(&err);
  for (size_t y = 0; y < sizeof years / sizeof years[0]; y++) {
    char path[512];
    snprintf(path, sizeof path, CK_TEST_DATA "/../../sample-data/class-%s.csv",
             years[y]);
    assert_int_equal(ck_ingest_file(c, path, &err), CK_OK);
  }
  struct ck_report *rep = ck_analyse(c, cfg, &err);
  assert_non_null(rep);
  ck_suppress(rep);
  struct ck_grid *g = ck_grid_new(c, cfg, rep);
  /* every report count mapped onto the grid is the same students' count:
   * the weeks groups' whole (every retaker) and its "gained 20 or more"
   * are the report's score_change_all_retakers n and category */
  assert_int_equal(g->report_mismatch, 0);

  /* independent counts from the records */
  long tp[4][3] = {{0}}, wk[3][3] = {{0}}, ntp = 0;
  for (size_t i = 0; i < c->n_records; i++) {
    const struct ck_record *rec = &c->records[i];
    struct ck_class k;
    ck_classify(cfg, rec, &k);
    if (rec->score[0] < k.pass_mark && k.ever_passed) {
      int d2 = rec->score[1] -
               ck_config_pass_mark(cfg, rec->date[1], rec->match_year);
      int b = d2 < 0 ? 0 : d2 < 10 ? 1 : d2 < 20 ? 2 : 3;
      tp[b][0]++;
      tp[b][rec->matched ? 1 : 2]++;
      ntp++;
    }
    if (k.retook) {
      int w = rec->dedicated_weeks;
      int b = w < 0 ? 2 : w >= cfg->min_weeks ? 1 : 0;
      wk[b][0]++;
      wk[b][k.change >= cfg->change_significant_min ? 1 : 2]++;
    }
  }
  assert_true(ntp > 0);
  static const int los[4] = {-CK_GRID_OPEN, 0, 10, 20};
  for (int o = CK_GO_N; o <= CK_GO_U; o++) {
    long sum = 0;
    for (int b = 0; b < 4; b++) {
      assert_int_equal(cell(g, CK_GRID_SECOND, los[b], o), tp[b][o]);
      sum += tp[b][o];
      /* published: never 1..min_cell-1 */
      if (pub(g, CK_GRID_SECOND, los[b], o))
        assert_true(tp[b][o] >= (long)g->min_cell);
    }
    /* all of them = the fail zone's failed-then-passed, every target */
    assert_int_equal(cell(g, CK_GRID_SECOND, CK_GRID_ZONE_FAIL, o), sum);
    assert_int_equal(cell(g, CK_ASK_THEN_PASSED, CK_GRID_ZONE_FAIL, o), sum);
  }
  /* sample-data: 46 failed then passed; the bands below 11 are withheld,
   * and so is any band that with the others and the total would leave 1-10 */
  assert_int_equal(ntp, 46);
  int shown = 0;
  for (int b = 0; b < 4; b++)
    shown += pub(g, CK_GRID_SECOND, los[b], CK_GO_N);
  assert_true(shown < 4);
  long rest = ntp;
  for (int b = 0; b < 4; b++)
    if (pub(g, CK_GRID_SECOND, los[b], CK_GO_N))
      rest -= tp[b][0];
  assert_true(rest == 0 || rest >= (long)g->min_cell);
  /* a band's size shown without its split leaves the split wide: its
   * unmatched count anywhere in max(0, n - M)..min(n, U), M and U of all */
  long M = tp[0][1] + tp[1][1] + tp[2][1] + tp[3][1];
  long U = tp[0][2] + tp[1][2] + tp[2][2] + tp[3][2];
  for (int b = 0; b < 4; b++)
    if (pub(g, CK_GRID_SECOND, los[b], CK_GO_N) &&
        !pub(g, CK_GRID_SECOND, los[b], CK_GO_U)) {
      long n = tp[b][0], lo = n - M > 0 ? n - M : 0, hi = n < U ? n : U;
      assert_true(hi - lo + 1 >= (long)g->min_cell);
    }

  static const int outs[3] = {CK_GO_N, CK_GO_GE, CK_GO_LT};
  for (int o = 0; o < 3; o++) {
    for (int b = 0; b < 3; b++)
      assert_int_equal(cell(g, CK_GRID_WEEKS, b, outs[o]), wk[b][o]);
    assert_int_equal(cell(g, CK_GRID_WEEKS, CK_GRID_WEEKS_ALL, outs[o]),
                     wk[0][o] + wk[1][o]);
    assert_int_equal(cell(g, CK_GRID_WEEKS, CK_GRID_WEEKS_RETAKERS, outs[o]),
                     wk[0][o] + wk[1][o] + wk[2][o]);
  }
  ck_grid_free(g);
  ck_report_free(rep);
  ck_cohort_free(c);
  ck_config_free(cfg);
}

static void second_bands(void **state) {
  (void)state;
  struct ck_ask_band b = ck_ask_second_band(-1);
  assert_int_equal(b.lo, -CK_GRID_OPEN);
  assert_int_equal(b.hi, -1);
  b = ck_ask_second_band(0);
  assert_int_equal(b.lo, 0);
  assert_int_equal(b.hi, 9);
  b = ck_ask_second_band(19);
  assert_int_equal(b.lo, 10);
  assert_int_equal(b.hi, 19);
  b = ck_ask_second_band(20);
  assert_int_equal(b.lo, 20);
  assert_int_equal(b.hi, CK_GRID_OPEN);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(second_bands),
      cmocka_unit_test(second_and_weeks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
