/*
 * classify.c - first-attempt groups, pass marks and score-change categories
 * SPDX-License-Identifier: MIT
 *
 * Definitions (DESIGN "Definitions"): the pass mark is the one in force on
 * each attempt's own date (undated attempts fall on the config's undated day
 * of the year before the Match year).  A first attempt below its pass mark is
 * a fail; pass..pass+margin is a low pass; anything higher is "above the
 * band", split into the reference bands.
 */
#include "classify.h"
#include "config_internal.h"

#include <string.h>

void ck_classify(const struct ck_config *cfg, const struct ck_record *rec,
                 struct ck_class *out) {
  memset(out, 0, sizeof *out);
  int n = rec->n_attempts;
  if (n < 1)
    n = 1;
  if (n > CK_MAX_ATTEMPTS)
    n = CK_MAX_ATTEMPTS;

  int first = rec->score[0];
  int pass = ck_config_pass_mark(cfg, rec->date[0], rec->match_year);
  out->pass_mark = pass;

  for (int k = 0; k < n; k++) {
    if (rec->score[k] <= 0)
      continue;
    int mark =
        k == 0 ? pass : ck_config_pass_mark(cfg, rec->date[k], rec->match_year);
    if (rec->score[k] >= mark)
      out->ever_passed = true;
  }

  out->retook = n >= 2 && rec->score[1] > 0;
  if (out->retook) {
    out->change = rec->score[1] - first;
    out->cat = ck_change_category(cfg, out->change);
  }

  if (first < pass) {
    out->leaf =
        out->ever_passed ? CK_G_FAILED_THEN_PASSED : CK_G_FAILED_NEVER_PASSED;
  } else if (first <= pass + cfg->low_pass_margin) {
    out->leaf = out->retook ? (enum ck_group_id)(CK_G_LPR_LOWER + out->cat)
                            : CK_G_LOW_PASS_NO_RETAKE;
  } else if (first < cfg->band_average_min) {
    out->leaf = CK_G_ABOVE_BELOW_AVERAGE;
  } else if (first < cfg->band_competitive_min) {
    out->leaf = CK_G_ABOVE_AROUND_AVERAGE;
  } else {
    out->leaf = CK_G_ABOVE_COMPETITIVE;
  }

  out->matched_target = rec->matched && rec->target >= 0 &&
                        rec->matched_specialty >= 0 &&
                        rec->matched_specialty == rec->target;
}

bool ck_group_contains(enum ck_group_id g, enum ck_group_id leaf) {
  int cur = (int)leaf;
  int guard = CK_G_COUNT + 1;
  while (cur >= 0 && guard-- > 0) {
    if (cur == (int)g)
      return true;
    cur = ck_group_parent((enum ck_group_id)cur);
  }
  return false;
}
