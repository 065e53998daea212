/*
 * report_model.h - building a report model: the library's side of report.h
 * SPDX-License-Identifier: MIT
 *
 * The full form of struct ck_report, which the analysis stage fills, the
 * suppression engine marks and the renderers, the export and the ask
 * sheet read; and the functions that build one.  The analysis stage adds
 * cells and constraints; the suppression engine and its tests read the
 * ranges an attacker can derive.  A client program gets a finished model
 * from ck_analyse() and reads it through report.h's accessors, so these
 * stay out of the installed headers.
 */
#ifndef CKCOHORT_REPORT_MODEL_H
#define CKCOHORT_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include "ckcohort/config.h"
#include "ckcohort/report.h"

/* One count of students. */
struct ck_cell {
  long value;        /* the true count (never printed unless shown) */
  uint8_t shown;     /* enum ck_shown: CK_SHOWN or CK_HIDDEN_* */
  bool may_be_empty; /* a withheld group size a reader cannot tell from
                         an empty group's (ck_report_open_categories): at
                         least 0, not 1 */
  bool outcome;      /* an outcome count (matched, unmatched, ...): 0 is
                        as telling as 1, so 0 is withheld too */
  uint8_t priority;  /* how much withholding it costs, 1 (default) to
                        255: analyse raises it for the headline numbers */
  bool internal;     /* never printed (a slack that turns "a <= b" into
                        b = a + slack): a reader knows only that it is
                        >= 0, and it needs no protection of its own */
  bool locked;       /* value already known to the reader (published by
                        an earlier release, or a consortium member's own
                        data): the engine treats it as a shown constant;
                        never withheld, never chosen as a complement;
                        renderers never print it unless a report field
                        points at it */
  bool unprinted;    /* never printed, and not a slack: a count of the
                        students one population has and another does not
                        (the new students between two releases).  The
                        reader knows it only through relations; it is safe
                        while its range holds 0, starts at min_cell, or
                        spans min_cell values */
  bool prior;        /* a count another report withheld (an earlier release
                        of a release ledger), joined to this run's model by
                        known.c: what that report alone left of it is what
                        it must keep; this run's coded ranges and the
                        outcome counts nces shows are no excuse to narrow
                        it (suppress.c, rule 2b) */
};

/* Priorities (struct ck_cell.priority): complementary counts are taken
 * lowest priority first.  Detail is 1; the headline groups' counts are
 * CK_PRIORITY_HEADLINE and above, in the order analyse sets. */
#define CK_PRIORITY_HEADLINE 100

/* total = sum of parts, all cell indices. */
struct ck_constraint {
  size_t total;
  size_t first; /* index into report->parts */
  size_t n_parts;
};

/* Why an adjusted estimate could not be computed (with CK_NOT_ENOUGH_DATA). */
enum ck_adj_problem {
  CK_ADJ_FINE = 0,
  CK_ADJ_NO_DATA,         /* too few applicants, or no variation in outcome */
  CK_ADJ_SEPARATION,      /* some terms predict the outcome perfectly for
                             some applicants: no finite estimate exists */
  CK_ADJ_NOT_CONVERGED,   /* IRLS did not converge in 25 iterations */
  CK_ADJ_GROUP_COLLINEAR, /* the group is fully explained by other terms */
  CK_ADJ_ZERO_CELLS       /* MH: every stratum lacks a discordant pair, so
                             the odds ratio is 0 or infinite */
};

#define CK_ADJ_MAX_COEF 8

struct ck_adj_coef {
  const char *id;            /* static: "intercept", "group", "score",
                                "tier_middle", ..., "year" */
  const char *label;         /* static display label */
  double estimate, se, z, p; /* log-odds scale; 0 when aliased */
  bool aliased;              /* dropped: collinear with earlier terms */
  bool diverging;            /* moved by the separating direction */
};

/* The adjusted form of one raw comparison (same a, b). */
struct ck_adjusted {
  const char *id;        /* id of the raw comparison */
  enum ck_group_id a, b; /* indicator = 1 for a */
  unsigned terms;        /* enum ck_adjust_term bits (adjust.h) */
  long smallest_cell;    /* never printed: smallest group x outcome
                            count within a stratum the model uses
                            (tier levels when tier is a term; groups
                            absent from a stratum do not count) */
  long mh_smallest_cell; /* never printed: the same over tier strata */

  /* logistic regression */
  enum ck_shown shown;
  enum ck_adj_problem problem;
  size_t n_coef;
  struct ck_adj_coef coef[CK_ADJ_MAX_COEF];
  struct ck_est odds_ratio; /* exp(group coefficient), Wald interval */
  double lrt_chi2, lrt_p;   /* likelihood-ratio test of the group, 1 df */
  double deviance, null_deviance;
  size_t df_residual;
  int iterations;
  bool dropped; /* some term was collinear and dropped */

  /* Mantel-Haenszel by tier */
  enum ck_shown mh_shown;
  enum ck_adj_problem mh_problem;
  size_t mh_strata;
  struct ck_est mh_odds_ratio; /* RBG interval */
  double mh_chi2, mh_p;
  enum ck_shown bd_shown; /* Breslow-Day (Tarone) */
  double bd_chi2, bd_p;
  size_t bd_df;
};

/* Why a group's statistics are withheld while they exist (a renderer says
 * so: a shown n beside withheld statistics needs its reason). */
enum ck_stat_why {
  CK_WHY_NONE = 0,   /* shown, or not enough data */
  CK_WHY_GROUP,      /* the group's size is withheld */
  CK_WHY_CATEGORIES, /* a score-change category count is withheld */
  CK_WHY_NESTED,     /* the statistics of a group inside it are shown, and
                        the two differ by 1..min_cell-1 members */
  CK_WHY_RELEASE     /* an earlier release published them, and this
                        population differs from its by 1..min_cell-1 */
};

struct ck_score_change {
  const char *id;      /* "score_change", "score_change_all_retakers" */
  size_t n;            /* cell: applicants with a second attempt in scope */
  enum ck_shown shown; /* the summary statistics below */
  struct ck_est mean;  /* mean change (attempt 2 - attempt 1), t interval */
  double sd, median, q1, q3;  /* quantiles: R type 7 */
  struct ck_rate share_ge_20; /* x = categories[SIGNIFICANTLY_HIGHER] */
  enum ck_shown wilcoxon_shown;
  double wilcoxon_p;
  bool wilcoxon_exact;
  size_t categories[CK_CHANGE_NCAT]; /* cells */
  enum ck_stat_why why; /* when shown or wilcoxon_shown is withheld */
};

struct ck_prediction {
  int practice;      /* practice average */
  struct ck_est fit; /* fitted retake score and 95% prediction interval */
};

struct ck_regression {
  const char *id; /* "practice_regression",
                     "practice_regression_all_retakers" */
  size_t n;       /* cell: pairs (practice_avg_2, attempt 2) */
  enum ck_shown shown;
  double intercept, slope, r2, sigma;
  int x_min, x_max; /* range of practice averages used */
  size_t n_pred;
  struct ck_prediction pred[CK_MAX_PRACTICE_POINTS];
  enum ck_stat_why why; /* when shown is withheld */
};

struct ck_specialty_row {
  char *name; /* owned; "(none given)" for no target */
  enum ck_tier tier;
  bool is_none;                 /* the row of applicants without a target */
  size_t n, matched, unmatched; /* all applicants targeting it */
  struct ck_rate match_rate;
  size_t matched_target, missed_target;  /* matched into this target or not */
  struct ck_rate target_rate;            /* matched_target / n */
  size_t lp_n, lp_matched, lp_unmatched; /* low-pass applicants only */
  struct ck_rate lp_match_rate;
};

struct ck_year_row {
  int year;
  int pass_mark; /* pass mark on the undated default day */
  size_t n, matched, unmatched;
  struct ck_rate match_rate;
};

struct ck_trend {
  enum ck_shown shown;
  double chi2, p;         /* R prop.trend.test over the shown years */
  double change_per_year; /* weighted least-squares slope of the rate */
};

/* What matched applicants matched into, by first-attempt group. */
enum ck_into_col {
  CK_INTO_NO_RETAKE = 0,
  CK_INTO_RETOOK,
  CK_INTO_FAILED_THEN_PASSED,
  CK_INTO_NCOL
};

struct ck_into_row {
  char *name; /* owned; specialty, "Other (merged)" or
                 "(not given)" */
  enum ck_tier tier;
  size_t cells[CK_INTO_NCOL];
};

struct ck_report_input {
  char *path; /* owned */
  char sha256[65];
  size_t read, accepted, excluded, rejected;
  char **ignored_columns; /* header names of the columns not used
                             (names only, never values); owned */
  size_t n_ignored_columns;
};

struct ck_reason_count {
  char *what; /* owned; "rejected: step2_attempt_1" etc. */
  size_t n;
};

struct ck_meta_school {
  size_t school; /* index into ck_meta.schools */
  long a_matched, a_unmatched, b_matched, b_unmatched;
  bool shown;               /* passes the policy on the school's own data */
  bool corrected;           /* a zero cell: 0.5 added to each cell */
  double yi, vi;            /* log odds ratio and its variance */
  struct ck_est odds_ratio; /* exp(yi), Woolf interval */
};

/* A random-effects fit of the shown schools' log odds ratios (metafor rma). */
struct ck_meta_fit {
  double mu, se, z, p;      /* pooled log odds ratio */
  struct ck_est odds_ratio; /* exp(mu) and its interval */
  double tau2, tau2_se;     /* between-school variance (tau2_se: DL 0) */
  double i2, h2;            /* I^2 in percent, H^2 */
  struct ck_est prediction; /* odds ratio interval for a new school */
  int iterations;           /* REML Fisher-scoring steps (DL 0) */
};

struct ck_meta_comparison {
  const char *id, *label; /* static, as the raw comparison */
  enum ck_group_id a, b;
  struct ck_meta_school *rows; /* owned; one per school */
  size_t n_rows, k;            /* k: shown rows, the ones pooled */
  enum ck_shown shown;         /* CK_SHOWN when k >= 2 and the fits worked */
  double q, q_p;               /* Cochran's Q on k - 1 df */
  struct ck_meta_fit dl, reml; /* DerSimonian-Laird, REML */
  enum ck_shown mh_shown;      /* Mantel-Haenszel, schools as strata */
  struct ck_est mh_odds_ratio;
  double mh_chi2, mh_p;
};

struct ck_meta {
  char **schools; /* owned; display names (anonymised or not) */
  size_t n_schools;
  bool anonymised;
  bool members_checked; /* the pool minus each school was checked */
  size_t n_known;       /* schools whose own data the pool's
                           suppression took as known (the others'
                           differences were all 0 or >= min_cell) */
  size_t n_comparisons;
  struct ck_meta_comparison comparisons[CK_MAX_COMPARISONS];
};

/* A comparison this release withholds, as an earlier release in the
 * release ledger published it (ck_ledger_carry): printed beside
 * "withheld", with that release's Match years, it repeats what its readers
 * hold already and tells them nothing new. */
struct ck_carried {
  bool present;
  int first, last;   /* that release's Match years */
  char entry[48];    /* its ledger entry, "000001-report.json" */
  double confidence; /* its confidence level */
  struct ck_est difference, odds_ratio;
  bool or_unbounded; /* the odds ratio's upper limit is infinite */
  double fisher_p;
  long a_n, a_matched, b_n, b_matched; /* as published; -1: withheld */
};

/* The exact tests ck_analyse_start leaves running (analyse.c). */
struct ck_tests;
/* Wait for t's tests and free them; NULL does nothing.  For
 * ck_report_free, when ck_analyse_wait never came. */
void ck_tests_free(struct ck_tests *t);

struct ck_report {
  /* provenance and data quality (the analyst's own counts: not suppressed) */
  const char *tool_version;
  long long generated; /* SOURCE_DATE_EPOCH if set, else -1 (omitted) */
  struct ck_report_input *inputs;
  size_t n_inputs;
  size_t read, accepted, excluded, rejected, warnings, blank;
  size_t excluded_no_score, excluded_years;
  size_t retake_after_pass; /* a count of students: shown via its cell */
  size_t retake_after_pass_cell;
  struct ck_reason_count *reasons;
  size_t n_reasons;
  int year_min, year_max;   /* Match years present among accepted rows */
  int years_from, years_to; /* --years filter, 0 when none */

  /* settings used */
  size_t min_cell;
  enum ck_privacy_policy policy;
  struct ck_coding_band bands[CK_MAX_BANDS];
  size_t n_bands;
  bool headline_protects; /* set by ck_suppress: a headline count was
                             withheld to protect another group */
  double confidence;
  bool clopper_pearson;
  int low_pass_margin;
  int band_average_min, band_competitive_min; /* above-band sub-bands */
  struct ck_pass_mark *pass_marks;            /* owned copy */
  size_t n_pass_marks;

  /* counts and their sum constraints */
  struct ck_cell *cells;
  size_t n_cells, cap_cells;
  struct ck_constraint *constraints;
  size_t n_constraints, cap_constraints;
  size_t *parts;
  size_t n_parts_used, cap_parts;

  /* sections */
  struct ck_group_row groups[CK_G_COUNT];
  struct ck_comparison comparisons[CK_MAX_COMPARISONS];
  size_t n_comparisons;
  struct ck_carried carried[CK_MAX_COMPARISONS];   /* per comparison */
  struct ck_adjusted adjusted[CK_MAX_COMPARISONS]; /* one per comparison */
  size_t n_adjusted;
  struct ck_score_change score_change;     /* low-pass retakers */
  struct ck_score_change score_change_all; /* everyone with attempt 2 */
  struct ck_regression regression;         /* low-pass retakers */
  struct ck_regression regression_all;     /* everyone with attempt 2 */
  struct ck_specialty_row *specialties;
  size_t n_specialties;
  struct ck_year_row *years;
  size_t n_years;
  struct ck_trend trend;
  struct ck_into_row *into; /* matched specialty */
  size_t n_into;
  struct ck_into_row programs[4];   /* academic, community, other, not given */
  size_t into_totals[CK_INTO_NCOL]; /* cells: matched applicants per column */

  /* Set only by ck_suppress, cleared by every new cell or constraint:
   * suppression is a stage no output can skip.  Every renderer, the export
   * and the ask sheet's renderers refuse a model without it (CK_EUSAGE,
   * nothing written). */
  bool checked;
  /* Set by ck_suppress_counts: which counts are withheld is decided (its
   * status in counts_ok) for the cells, constraints and policy noted here;
   * ck_suppress then only derives.  Cleared by ck_suppress. */
  bool counts_done, counts_ok;
  size_t counts_cells, counts_constraints, counts_min_cell;
  enum ck_privacy_policy counts_policy;
  /* Owned: the exact tests ck_analyse_start left running, NULL once
   * ck_analyse_wait (or ck_report_free) has them. */
  struct ck_tests *tests;
  bool ledger;             /* checked against a release ledger */
  size_t releases_checked; /* earlier releases it was checked against */
  size_t sheets_checked;   /* of them, ask sheets whose published grid
                              groups were checked with its counts
                              (ck_ledger_verify) */
  struct ck_meta *meta;    /* owned; across schools (pool only), else NULL */
};

/* New empty report.  Caller frees with ck_report_free(). */
struct ck_report *ck_report_new(void);
/* Add a count cell; returns its index. */
size_t ck_report_cell(struct ck_report *r, long value, bool outcome);
/* Add a count that no output prints, used to state "part <= whole" as
 * whole = part + internal; returns its index. */
size_t ck_report_internal_cell(struct ck_report *r, long value);
/* Record total = sum of parts[0..n-1] (cell indices). */
void ck_report_constraint(struct ck_report *r, size_t total,
                          const size_t *parts, size_t n);

struct ck_suff;
/* ck_analyse_suff without the adjusted comparisons (n_adjusted 0, their
 * logistic fits are most of its time): every cell and relation is the
 * same, so it serves checks that read only counts (the pool's choice of
 * which members to check).  Never rendered.  Caller frees with
 * ck_report_free(). */
struct ck_report *ck_analyse_suff_counts(const struct ck_suff *s,
                                         const struct ck_config *cfg,
                                         struct ck_error *err);

/* Copy the privacy settings (min_cell, policy, bands) of cfg into r. */
void ck_report_privacy_from(struct ck_report *r, const struct ck_config *cfg);

/* The score-change blocks (the low-pass retakers' categories, every
 * retaker's) in which an empty category is withheld, not shown as 0: those
 * where no category is shown as 0 and one is withheld below min_cell.
 * There a withheld category, and the target and program-type sizes of a
 * withheld low-pass category group, may be empty for all a reader knows:
 * sets may_be_empty on them.  ck_suppress calls it once its small counts
 * are withheld; a model rebuilt from a release, once its shown flags are
 * replayed (docs/privacy.md, "Empty score-change categories"). */
void ck_report_open_categories(struct ck_report *r);

/* The range [lo, hi] an attacker can derive for every cell from the shown
 * cells, the constraints and the published bounds of withheld cells
 * (small: [0 or 1, min-1]; complement: [min, inf)).  lo/hi are arrays of
 * r->n_cells; hi is LONG_MAX when unbounded.  Used by ck_suppress and tests. */
void ck_suppress_ranges(const struct ck_report *r, long *lo, long *hi);

#endif
