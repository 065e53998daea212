/*
 * ask.h - one student's evidence sheet from a cohort, from a fixed grid
 * SPDX-License-Identifier: MIT
 *
 * The sheet answers "what happened to applicants like me?" only with groups
 * of a fixed grid (docs/ask.md): first-attempt score bands relative to the
 * pass mark in force on each attempt, target scope specialty -> tier -> all,
 * kind (no retake / retook / failed then passed / failed, never passed), all
 * Match years together.  Which counts of the grid may ever be published is
 * decided once per cohort, whatever the question (ck_ask_ctx_new), so that two
 * sheets cannot be subtracted to reach a group smaller than min_cell; each
 * sheet's counts are then suppressed again by ck_suppress like a report
 * table.  Counts live in `model` (a struct ck_report used as a cell store).
 */
#ifndef CKCOHORT_ASK_H
#define CKCOHORT_ASK_H

#include <stdbool.h>
#include <stdint.h>
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "ckcohort/ledger.h"
#include "ckcohort/report.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CK_ASK_SCHEMA_VERSION 1
#define CK_ASK_NCHECKS        6
#define CK_ASK_NREASONS       5
#define CK_ASK_MAX_STEPS      8
#define CK_ASK_MAX_GROUPS     3
#define CK_ASK_BIG_GAP                                                         \
  10 /* practice this far above the score: "much higher"                       \
      */

/* What the student told the advisor. */
struct ck_ask_query {
  int score;                /* first Step 2 CK score, 1..300 */
  int practice;             /* practice-exam average, 1..300, or 0 not given */
  const char *specialty;    /* target specialty as typed, or NULL */
  int weeks;                /* protected study weeks 0..52, or -1 not given */
  bool applying_this_cycle; /* applying in the current Match cycle */
  bool eras_submitted;      /* ERAS already submitted */
  int32_t today;            /* date whose pass mark applies (days since
                               1970-01-01); CK_NO_DATE: the latest mark */
  bool not_applying;        /* the student said they are not applying in
                               this cycle; with neither this nor the two
                               above, the cycle is "not given" */
};

enum ck_ask_state { CK_ASK_MET = 0, CK_ASK_NOT_MET, CK_ASK_NOT_GIVEN };

/* One checklist item or one reason, evaluated on the query. */
struct ck_ask_item {
  const char *id;          /* stable JSON id, e.g. "score_low_pass" */
  const char *text;        /* the article's item, in our words */
  enum ck_ask_state state; /* for reasons: MET = applies */
  char detail[160];        /* the threshold used and the student's value */
};

/* Grid coordinates. */
enum ck_ask_level { CK_ASK_SPECIALTY = 0, CK_ASK_TIER, CK_ASK_ALL };
enum ck_ask_kind {
  CK_ASK_NO_RETAKE = 0, /* first attempt passed, no second attempt */
  CK_ASK_RETOOK,        /* first attempt passed, second attempt */
  CK_ASK_THEN_PASSED,   /* first attempt failed, a later one passed */
  CK_ASK_NEVER_PASSED,  /* first attempt failed, none passed */
  CK_ASK_NKIND
};

/* A score range of the grid, as offsets from the pass mark in force on each
 * applicant's first attempt (0 = exactly the pass mark). */
struct ck_ask_band {
  int lo, hi; /* offsets, inclusive; -300 / +300 open ends */
  bool zone;  /* a whole zone (failed / low pass / above) */
  int code;   /* grid code (docs/ask.md) */
};

struct ck_ask_rung {
  struct ck_ask_band band;
  enum ck_ask_level level;
  char scope[128]; /* specialty name, tier name or "all" */
};

struct ck_ask_into {
  char *name; /* owned; matched specialty, or "(not given)" */
  size_t cell;
};

/* One group of the sheet: the first rung of its ladder that may be shown. */
struct ck_ask_group {
  const char *id; /* "like_you_no_retake", "like_you_retook",
                     "like_you_then_passed", "like_you_never_passed",
                     "contrast_failed_then_passed",
                     "contrast_low_pass_no_retake" */
  const char *label;
  enum ck_ask_kind kind;
  bool found;              /* false: no rung could be shown */
  struct ck_ask_rung used; /* valid when found */
  size_t n_tried;          /* rungs tried before `used` (or all, if none) */
  struct ck_ask_rung tried[CK_ASK_MAX_STEPS];
  size_t n, matched, unmatched;         /* cells */
  size_t matched_target, missed_target; /* matched into their own target */
  struct ck_rate match_rate, target_rate;
  size_t programs[4];       /* academic, community, other, not given */
  struct ck_ask_into *into; /* owned; only shown specialties are listed */
  size_t n_into;
};

struct ck_ask {
  const char *tool_version;
  long long generated;   /* SOURCE_DATE_EPOCH or -1; set by the CLI */
  struct ck_ask_query q; /* specialty points at `specialty_given` */
  char *specialty_given; /* owned copy, or NULL */
  char *id; /* owned: the advisor's own label of the question (a questions
               file's id column, ck_ask_set_id), or NULL; printed on the
               sheet so a reader can match sheets to questions.  Never a
               student_id of the cohort. */
  char *specialty;      /* owned canonical name, or NULL */
  bool specialty_known; /* in the config's table */
  char *specialty_near; /* owned: when not in the table, the specialty it is
                           probably a misspelling of, or NULL */
  enum ck_tier tier;
  int pass_mark;           /* in force on q.today */
  int32_t pass_mark_from;  /* first date of that mark */
  bool passing;            /* score >= pass_mark */
  int offset;              /* score - pass_mark */
  int band_top;            /* pass_mark + low_pass_margin */
  struct ck_ask_band band; /* the student's fine band */
  size_t min_cell;
  enum ck_privacy_policy policy; /* disclosure policy of the sheet */
  double confidence;
  int practice_threshold, min_weeks, low_pass_margin;
  size_t records; /* applicants in the cohort (not suppressed) */
  int year_min, year_max;

  struct ck_ask_item checks[CK_ASK_NCHECKS];
  struct ck_ask_item
      reasons[CK_ASK_NREASONS]; /* the article's "probably not" */

  struct ck_ask_group groups[CK_ASK_MAX_GROUPS];
  size_t n_groups;

  /* practice -> retake score, everyone with a second attempt and
   * practice_avg_2 (as the report's practice_regression_all_retakers) */
  size_t reg_n; /* cell */
  enum ck_shown reg_shown;
  struct ck_est prediction; /* at q.practice, with prediction interval */
  /* share who gained >= change_significant_min, among retakers whose
   * practice_avg_2 is in the student's practice band (or all of them) */
  bool gain_found, gain_widened;
  int gain_lo, gain_hi;            /* practice band used (0, 0 when widened) */
  size_t gain_n, gain_ge, gain_lt; /* cells */
  struct ck_rate gain_rate;
  int gain_min; /* the gain threshold, 20 */

  size_t retake_after_pass; /* cell: passed-then-retook records */

  struct ck_report *model; /* owned: cells and constraints, suppressed */

  /* Failing score: applicants who failed then passed, all of them ([0])
   * and by their second attempt's offset from its pass mark (failed again,
   * +0..+9, +10..+19, +20 and above); cells of the grid (docs/ask.md). */
  struct ck_ask_second {
    int lo, hi; /* offsets, inclusive; -300 / +300 open ends */
    size_t n, matched, unmatched;
    struct ck_rate match_rate;
  } second[5];
  size_t n_second; /* 5 for a failing score, 0 for a passing one */
  /* Retakers with dedicated_weeks: all of them ([0]), fewer than
   * min_weeks ([1]), at least min_weeks ([2]); who gained gain_min or more. */
  bool practice_in_data; /* some retaker has practice_avg_2 */
  bool weeks_in_data;    /* some retaker has dedicated_weeks */
  struct ck_ask_weeks {
    size_t n, ge, lt; /* cells */
    struct ck_rate rate;
  } weeks[3];
  size_t n_inputs;         /* input files of the cohort (the printed header) */
  bool ledger;             /* checked against a release ledger (--releases) */
  size_t releases_checked; /* ... against this many earlier releases */
};

/* Everything of a sheet that does not depend on the question, for cohort c
 * and settings cfg (cfg as used to read c; c read without opt.tally: every
 * applicant kept): the suppressed report, the grid and what may be
 * published of it, the cohort's practice -> retake-score line.  Built
 * once, it answers any number of questions with ck_ask_ctx_build, each
 * sheet the same as ck_ask_build would give.  The context borrows c and
 * cfg: both must outlive it, unchanged.  Caller frees with
 * ck_ask_ctx_free().  Returns NULL with err set: CK_EUSAGE when c was read
 * with tally on; CK_EINTERNAL when the grid's privacy check (linear
 * programming) could not be finished; the analysis's errors. */
struct ck_ask_ctx;
CK_API struct ck_ask_ctx *ck_ask_ctx_new(const struct ck_cohort *c,
                                         const struct ck_config *cfg,
                                         struct ck_error *err);
/* The same with the report given: report (borrowed, only read during the
 * call) is ck_analyse's model of c under cfg, already checked by
 * ck_suppress, and possibly holding what a reader already knows (earlier
 * releases added by ck_ledger_check before ck_suppress): the grid is then
 * checked with all of it.  CK_EUSAGE when report is NULL or unchecked. */
CK_API struct ck_ask_ctx *ck_ask_ctx_new_from(const struct ck_cohort *c,
                                              const struct ck_config *cfg,
                                              const struct ck_report *report,
                                              struct ck_error *err);
/* The sheet for query q from context x (only read: one context may serve
 * questions one after another; q and its strings are copied).  Caller
 * frees with ck_ask_free().  Returns NULL with err set (CK_EUSAGE) when the
 * score or practice is outside 1..300 or weeks outside 0..52, or
 * not_applying is set with applying_this_cycle or eras_submitted. */
CK_API struct ck_ask *ck_ask_ctx_build(const struct ck_ask_ctx *x,
                                       const struct ck_ask_query *q,
                                       struct ck_error *err);
/* ck_ask_ctx_new_from with the release ledger l that ck_ledger_check
 * checked rep against: the grid groups earlier sheets of the same students
 * published (recorded there) count as published already, so that every
 * sheet of these students, old and new, is checked together; they are
 * never taken back.  Fails (CK_EDATA) when one of them is not a group of
 * these files.  l is only read. */
CK_API struct ck_ask_ctx *ck_ask_ctx_new_after(const struct ck_cohort *c,
                                               const struct ck_config *cfg,
                                               const struct ck_report *rep,
                                               const struct ck_ledger *l,
                                               struct ck_error *err);
/* Free a context; NULL is allowed.  Sheets built from it stay valid. */
CK_API void ck_ask_ctx_free(struct ck_ask_ctx *x);
/* Record one sheet of x in the release ledger l (ck_ledger_record with
 * command "ask"): sheet_json is the sheet as published (ck_ask_render_json),
 * r the checked report x was made from (ck_ask_ctx_new_from).  The entry
 * also keeps the report's counts and every grid group x publishes, by
 * name, so that a later report or export of more files or Match years is
 * checked with them (ck_ledger_verify).  Only reads x, r and sheet_json. */
CK_API enum ck_status
ck_ask_ledger_record(struct ck_ledger *l, const struct ck_report *r,
                     const struct ck_config *cfg, const struct ck_ask_ctx *x,
                     const char *sheet_json, struct ck_error *err);

/* One sheet: ck_ask_ctx_new, ck_ask_ctx_build and ck_ask_ctx_free (a bad
 * query is refused before the report is built).  Caller frees with
 * ck_ask_free().  Returns NULL with err set as those two do. */
CK_API struct ck_ask *ck_ask_build(const struct ck_cohort *c,
                                   const struct ck_config *cfg,
                                   const struct ck_ask_query *q,
                                   struct ck_error *err);

/* Label sheet a with a copy of id (NULL: none), e.g. a questions file's
 * id cell; the renderers print it. */
CK_API void ck_ask_set_id(struct ck_ask *a, const char *id);

/* Free a sheet; NULL is allowed. */
CK_API void ck_ask_free(struct ck_ask *a);

/* One question of a questions file (ck_ask_questions_read). */
struct ck_ask_question {
  struct ck_ask_query q; /* q.specialty points at `specialty` */
  char *specialty;       /* owned, or NULL: not given */
  char *id;              /* owned: the id cell (the advisor's label, never a
                            student_id of the cohort), or NULL: none */
  long line;             /* the file's line the question's row starts on */
};

struct ck_ask_questions {
  struct ck_ask_question *v; /* owned: n questions, in file order */
  size_t n;
};

/* Read the questions file at path (docs/ask.md, "Many questions"): CSV
 * with a header naming score (required) and any of practice, specialty,
 * weeks, date (YYYY-MM-DD), cycle (applying, eras_submitted,
 * not_applying) and id, in any order, any case.  An empty cell is "not
 * given", or the matching field of `defaults` when that is not NULL
 * (defaults->score is not used; its specialty is copied).  Values are
 * checked as ck_ask_ctx_build checks a query.  Caller frees with
 * ck_ask_questions_free().  Returns NULL with err naming the file, the
 * line, the column and the value: CK_EIO (cannot be read), CK_EPARSE (not
 * CSV, an unknown or repeated column, no score column, a row whose number
 * of fields is not the header's), CK_EDATA (a bad value, no question),
 * CK_ENOMEM (over 16 MiB or 100,000 questions). */
CK_API struct ck_ask_questions *
ck_ask_questions_read(const char *path, const struct ck_ask_query *defaults,
                      struct ck_error *err);
/* Free what ck_ask_questions_read returned; NULL is allowed. */
CK_API void ck_ask_questions_free(struct ck_ask_questions *qs);

/* Display name of a state: "met", "not met", "not given" (reasons: "applies",
 * "does not apply", "not given" when `reason`). */
CK_API const char *ck_ask_state_name(enum ck_ask_state s, bool reason);
/* JSON ids: "met"/"not_met"/"not_given", "applies"/"does_not_apply". */
CK_API const char *ck_ask_state_id(enum ck_ask_state s, bool reason);
CK_API const char *ck_ask_level_id(enum ck_ask_level l); /* "specialty", ... */
CK_API const char *ck_ask_kind_id(enum ck_ask_kind k);   /* "no_retake", ... */

/* Renderers of a built sheet: text (80 columns), Markdown, JSON
 * (docs/ask-json.md), HTML (one printable page).  CK_OK or CK_EIO. */
typedef enum ck_status (*ck_ask_render_fn)(FILE *out, const struct ck_ask *a);
CK_API enum ck_status ck_ask_render_text(FILE *out, const struct ck_ask *a);
CK_API enum ck_status ck_ask_render_md(FILE *out, const struct ck_ask *a);
CK_API enum ck_status ck_ask_render_json(FILE *out, const struct ck_ask *a);
CK_API enum ck_status ck_ask_render_html(FILE *out, const struct ck_ask *a);
/* The HTML sheet printed to PDF by headless Chromium (render.h). */
CK_API enum ck_status ck_ask_render_pdf(FILE *out, const struct ck_ask *a);
/* Many sheets in one output, in order: JSON, one array of sheet objects;
 * text, sheets separated by a line holding a form feed; Markdown, by a
 * thematic break ("---").  CK_OK, CK_EIO, or CK_EUSAGE for another format
 * (an HTML or PDF page holds one sheet) or a sheet not suppressed. */
CK_API enum ck_status ck_ask_render_many(FILE *out, const char *format,
                                         const struct ck_ask *const *sheets,
                                         size_t n);
CK_API enum ck_status
ck_ask_render_json_many(FILE *out, const struct ck_ask *const *sheets,
                        size_t n);
/* Renderer for "text", "md", "json", "html", "pdf", or NULL. */
CK_API ck_ask_render_fn ck_ask_renderer(const char *format);

#ifdef __cplusplus
}
#endif
#endif
