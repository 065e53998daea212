/*
 * groups.h - the first-attempt groups every stage names
 * SPDX-License-Identifier: MIT
 *
 * Classification assigns applicants to these groups and the report model
 * has a row for each; both include this header, so neither has to include
 * the other.
 */
#ifndef CKCOHORT_GROUPS_H
#define CKCOHORT_GROUPS_H

#ifdef __cplusplus
extern "C" {
#endif

enum ck_group_id {
  CK_G_ALL = 0,
  CK_G_FAILED_FIRST,
  CK_G_FAILED_THEN_PASSED,
  CK_G_FAILED_NEVER_PASSED,
  CK_G_LOW_PASS,
  CK_G_LOW_PASS_NO_RETAKE,
  CK_G_LOW_PASS_RETOOK,
  CK_G_LPR_LOWER,   /* low_pass_retook_<category>, in */
  CK_G_LPR_SIMILAR, /* enum ck_change_cat order */
  CK_G_LPR_SLIGHTLY_HIGHER,
  CK_G_LPR_MODERATELY_HIGHER,
  CK_G_LPR_SIGNIFICANTLY_HIGHER,
  CK_G_ABOVE_BAND,
  CK_G_ABOVE_BELOW_AVERAGE,  /* band top + 1 .. band_average_min - 1 */
  CK_G_ABOVE_AROUND_AVERAGE, /* band_average_min .. competitive - 1 */
  CK_G_ABOVE_COMPETITIVE,    /* band_competitive_min and above */
  CK_G_COUNT
};

/* Stable id ("low_pass_no_retake") and label ("Low pass, no retake"). */
CK_API const char *ck_group_key(enum ck_group_id g);
CK_API const char *ck_group_label(enum ck_group_id g);
/* Parent group, or -1 for CK_G_ALL. */
CK_API int ck_group_parent(enum ck_group_id g);

#ifdef __cplusplus
}
#endif
#endif
