/*
 * classify.h - first-attempt groups, pass marks and score-change categories
 * SPDX-License-Identifier: MIT
 */
#ifndef CKCOHORT_CLASSIFY_H
#define CKCOHORT_CLASSIFY_H

#include <stdbool.h>
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "cohort.h"
#include "ckcohort/groups.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where one accepted record falls. */
struct ck_class {
  enum ck_group_id leaf;  /* the most specific group: FAILED_THEN_PASSED,
                             FAILED_NEVER_PASSED, LOW_PASS_NO_RETAKE,
                             LPR_<category>, or ABOVE_<band> */
  int pass_mark;          /* pass mark in force on attempt 1 */
  int change;             /* attempt 2 - attempt 1 when retook, else 0 */
  enum ck_change_cat cat; /* category of change when retook */
  bool retook;            /* has a second attempt */
  bool ever_passed;       /* some attempt reached its pass mark */
  bool matched_target;    /* matched and matched_specialty == target */
};

/* Classify one record under cfg (pass mark by attempt date, or the
 * undated rule; low-pass band pass..pass+margin; reference bands). */
void ck_classify(const struct ck_config *cfg, const struct ck_record *rec,
                 struct ck_class *out);

/* True when group g contains leaf group `leaf` (g == leaf included). */
bool ck_group_contains(enum ck_group_id g, enum ck_group_id leaf);

#ifdef __cplusplus
}
#endif
#endif
