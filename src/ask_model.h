/*
 * ask_model.h - the ask sheet's grid helpers and checklist, inside the library
 * SPDX-License-Identifier: MIT
 *
 * A client builds a sheet with ck_ask_build() (ckcohort/ask.h), which
 * evaluates it; these stay out of the installed headers.
 */
#ifndef CKCOHORT_ASK_MODEL_H
#define CKCOHORT_ASK_MODEL_H

#include "ckcohort/ask.h"
#include "cohort.h"
#include "report_model.h"

/* Grid helpers (used by ask.c, ask_grid.c and the tests).  The fine band
 * holding `offset` under low-pass margin m: pass..pass+2, pass+3..pass+m, then
 * bands of 5 above; below the pass mark bands of 5 downward. */
struct ck_ask_band ck_ask_fine_band(int offset, int margin);
/* The zone holding `offset`: failed (< 0), low pass (0..m), above (> m). */
struct ck_ask_band ck_ask_zone(int offset, int margin);
/* The practice band holding p: 10 points, from 5 mod 10 (235..244). */
void ck_ask_practice_band(int p, int *lo, int *hi);
/* The band of a second attempt's offset d from its pass mark: failed again
 * (-300..-1), pass+0..+9, +10..+19, +20 and above (20..300). */
struct ck_ask_band ck_ask_second_band(int d);

/* Evaluate the checklist and reasons into a (fields q, tier, pass_mark,
 * band_top, practice_threshold and min_weeks must be set). */
void ck_ask_evaluate(struct ck_ask *a);

#endif
