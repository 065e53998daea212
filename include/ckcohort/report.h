/*
 * report.h - the report model: every number any output shows, in one place
 * SPDX-License-Identifier: MIT
 *
 * Pipeline: ck_analyse (analyse.h) builds a struct ck_report -> ck_suppress
 * marks what may be shown -> renderers (render.h) only format the const
 * model.  No renderer computes a number.
 *
 * Counts of students live in one table of cells; rows refer to them by
 * index (read one with ck_report_count).  Every published count that is
 * the sum of other published counts is recorded as a constraint (total =
 * sum of parts), so that ck_suppress can check, as an attacker would, that
 * no withheld count can be worked out from what is published.
 *
 * The model is opaque (its full form is the library's own): a client reads
 * it through the functions below, which show only what ck_suppress let
 * through, or through a renderer.
 */
#ifndef CKCOHORT_REPORT_H
#define CKCOHORT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include "ckcohort/ckcohort.h"
#include "ckcohort/groups.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CK_SCHEMA_VERSION  1
#define CK_NO_CELL         ((size_t)-1)
#define CK_MAX_COMPARISONS 3

/* Why a value is or is not shown. */
enum ck_shown {
  CK_SHOWN = 0,
  CK_HIDDEN_SMALL,      /* a count of 1..min_cell-1 (0 too for outcome
                           counts): printed as "1–10" ("0–10") */
  CK_HIDDEN_COMPLEMENT, /* withheld so that a small count cannot be
                           worked out from totals: printed "withheld" */
  CK_HIDDEN_DERIVED,    /* a statistic of a group that is withheld or
                           below min_cell */
  CK_CODED_LE,          /* a rate shown only as "<= bound" */
  CK_CODED_GE,          /* a rate shown only as ">= bound" */
  CK_NOT_ENOUGH_DATA    /* cannot be computed (n too small, no variation) */
};

/* A proportion x/n of two cells. */
struct ck_rate {
  size_t x, n;         /* cell indices */
  struct ck_est est;   /* estimate and confidence interval */
  enum ck_shown shown; /* CK_SHOWN, CK_CODED_LE/GE (bound set),
                          CK_HIDDEN_DERIVED, CK_NOT_ENOUGH_DATA */
  double bound;        /* for CK_CODED_*: the bound, 0..1 */
};

struct ck_group_row {
  enum ck_group_id id;
  size_t n, matched, unmatched; /* cells */
  struct ck_rate match_rate;    /* matched / n */
  size_t with_target, matched_target,
      missed_target;          /* members who named a
                             target; matched into it or not */
  size_t no_target;           /* n = with_target + no_target */
  struct ck_rate target_rate; /* matched_target / with_target */
  size_t with_program, academic,
      not_academic;              /* matched members with a
                                     program type; academic or not */
  size_t no_program;             /* matched = with_program + no_program */
  struct ck_rate academic_share; /* academic / with_program */
};

struct ck_comparison {
  const char *id; /* "retook_vs_no_retake",
                     "low_pass_vs_failed_then_passed",
                     "no_retake_vs_failed_then_passed" */
  const char *label;
  enum ck_group_id a, b;    /* difference is a minus b */
  enum ck_shown shown;      /* CK_SHOWN only when both rates are shown */
  struct ck_est difference; /* Newcombe hybrid score interval */
  double fisher_p;          /* two-sided */
  struct ck_est odds_ratio; /* conditional MLE, exact interval */
  /* When a group's match rate is shown only as its coded bound (nces) and
   * the other's is shown or coded too: the difference over every matched
   * count the bounds allow, lowest (range.lo) to highest (range.hi), and
   * the union of their intervals (range_ci.lo to range_ci.hi); estimates
   * unused.  Set by ck_suppress (shown stays CK_HIDDEN_DERIVED): a function
   * of published numbers only, so it shows the answer's direction and size
   * without the withheld count. */
  bool ranged;
  struct ck_est range, range_ci;
};

/* The report model.  Opaque: built by ck_analyse, checked by ck_suppress,
 * read through the functions below and the renderers. */
struct ck_report;

/* Free a report and everything it owns; NULL is allowed. */
CK_API void ck_report_free(struct ck_report *r);

/* Rows read by ingest, in total over the inputs (never withheld). */
CK_API struct ck_row_counts ck_report_rows(const struct ck_report *r);

/* Count `cell` as a reader may see it: returns CK_SHOWN and sets *value,
 * or returns why it is not shown (CK_HIDDEN_SMALL, CK_HIDDEN_COMPLEMENT)
 * and leaves *value alone.  CK_NO_CELL and indices that are not a
 * published cell of r give CK_NOT_ENOUGH_DATA; before ck_suppress has checked r
 * nothing is shown (CK_HIDDEN_DERIVED). */
CK_API enum ck_shown ck_report_count(const struct ck_report *r, size_t cell,
                                     long *value);

/* Row g of the group table: cells (read them with ck_report_count) and
 * rates (a rate not CK_SHOWN holds no estimate).  NULL before ck_suppress
 * has checked r, or for g outside the enum.  Borrowed: valid until
 * ck_report_free(). */
CK_API const struct ck_group_row *ck_report_group(const struct ck_report *r,
                                                  enum ck_group_id g);

/* Number of raw comparisons between groups (at most 3). */
CK_API size_t ck_report_comparison_count(const struct ck_report *r);

/* Comparison i (0 <= i < ck_report_comparison_count): its difference and
 * test are meaningful only when `shown` is CK_SHOWN.  NULL before
 * ck_suppress has checked r, or for any other i.  Borrowed: valid until
 * ck_report_free(). */
CK_API const struct ck_comparison *
ck_report_comparison(const struct ck_report *r, size_t i);

/* Set the generation time the outputs print (seconds since 1970-01-01
 * UTC; -1, the default, leaves it out, so that output is reproducible).
 * The command sets it from SOURCE_DATE_EPOCH. */
CK_API void ck_report_set_generated(struct ck_report *r, long long epoch);

/* Withhold what must not be shown under r's policy (docs/privacy.md): small
 * groups (and, strict, small and none/all outcome counts), rates coded by
 * group-size band (nces), enough complementary counts, chosen by a fixed
 * priority, that no withheld count can be narrowed below min_cell values
 * (a coded count: below its coded range) from what is published, and the
 * statistics of withheld groups.  Runs once, before any renderer;
 * marks the model `checked` (renderers refuse an unchecked one).  Returns
 * CK_OK; when a check cannot be finished (the solver fails) every count
 * and statistic of r is withheld and CK_EINTERNAL is returned: nothing
 * unverified is ever left shown.  Leaves GLPK's environment allocated for
 * the host process (ck_library_cleanup releases it). */
CK_API enum ck_status ck_suppress(struct ck_report *r);

/* The part of ck_suppress that decides which counts are withheld, and the
 * coding of rates: it reads counts and relations only, never a test's
 * result, so it may run on a model from ck_analyse_start while its exact
 * tests are still running (analyse.h).  Returns the status ck_suppress
 * will return.  ck_suppress must still follow, before any renderer; it
 * does only the rest when r has gained no count or relation and kept its
 * min_cell and policy since. */
CK_API enum ck_status ck_suppress_counts(struct ck_report *r);

#ifdef __cplusplus
}
#endif
#endif
