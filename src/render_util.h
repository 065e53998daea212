/*
 * render_util.h - private helpers shared by the renderers (never installed)
 * SPDX-License-Identifier: MIT
 *
 * One formatting helper per kind of number, so every format prints the same
 * number the same way.  All helpers write into a caller buffer (CK_FMT_CAP
 * bytes is always enough), return it, are locale-independent (the decimal
 * separator is always '.') and never print "nan" or "inf": a non-finite
 * value prints as "not enough data".  Nothing here computes a number that is
 * not in the report model; percentages are proportions times 100.
 */
#ifndef CK_RENDER_UTIL_H
#define CK_RENDER_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "ckcohort/report.h"
#include "report_model.h"

#define CK_FMT_CAP 96

/* Display strings of the display rules. */
#define CK_TXT_WITHHELD "withheld"
#define CK_TXT_NED      "not enough data"

/* A count cell: its value when shown, else "withheld" (small and
 * complementary counts look the same on purpose). */
const char *ck_fmt_count(char *buf, const struct ck_report *r, size_t cell);
/* True when cell exists and is shown. */
bool ck_cell_is_shown(const struct ck_report *r, size_t cell);
/* The effective state of a cell (CK_HIDDEN_DERIVED for a bad index). */
enum ck_shown ck_cell_state(const struct ck_report *r, size_t cell);

/* The effective state of a rate: its own state, made CK_HIDDEN_DERIVED when
 * a shown rate's count cells are not shown (belt and braces) and
 * CK_NOT_ENOUGH_DATA when a shown estimate is not finite. */
enum ck_shown ck_rate_state(const struct ck_report *r, const struct ck_rate *q);

/* A proportion as a percentage with one decimal: 0.834 -> "83.4%". */
const char *ck_fmt_pct(char *buf, double p);
/* The same without the sign: "83.4". */
const char *ck_fmt_pct_num(char *buf, double p);
/* Percentage points with sign and one decimal: 0.052 -> "+5.2". */
const char *ck_fmt_pp(char *buf, double d);
/* A score or score change with one decimal: "221.4". */
const char *ck_fmt_score(char *buf, double x);
/* A signed score change with one decimal: "+6.2", "-1.0", "0.0". */
const char *ck_fmt_change(char *buf, double x);
/* A p-value: "< 0.001" below 0.001, else three significant digits. */
const char *ck_fmt_p(char *buf, double p);
/* A ratio or coefficient with two decimals (odds ratio: 0 prints "0",
 * +infinity prints "∞"). */
const char *ck_fmt_ratio(char *buf, double x);
/* A statistic with two decimals (chi², r², slope). */
const char *ck_fmt_stat(char *buf, double x);
/* A regression coefficient or standard error with three decimals. */
const char *ck_fmt_coef(char *buf, double x);
/* The confidence level as a percentage: 0.95 -> "95%". */
const char *ck_fmt_conf(char *buf, double conf);
/* A date (days since epoch) as YYYY-MM-DD. */
const char *ck_fmt_date(char *buf, int32_t days);
/* Seconds since epoch as ISO 8601 UTC "2024-03-15T12:00:00Z"; "" when < 0. */
const char *ck_fmt_time(char *buf, long long t);
/* The same as a day, "2024-03-15" (UTC); "" when < 0. */
const char *ck_fmt_day(char *buf, long long t);
/* A count with thousands separators: 4804 -> "4,804". */
const char *ck_fmt_thousands(char *buf, size_t n);
/* The cohort line of a page header: "1,510 applicants, Match years
 * 2017–2026" (cap bytes). */
/* The printed pages' running header: "10 input files, " + the above, so a
 * forwarded page names the school's data it was made from. */
void ck_page_cohort_line(char *buf, size_t cap, size_t n_inputs,
                         size_t applicants, int year_min, int year_max);
void ck_cohort_line(char *buf, size_t cap, size_t applicants, int year_min,
                    int year_max);

/* A coded bound as a whole percent rounded outward (down for >=, up for
 * <=), so the published bound is never tighter than the model's. */
int ck_coded_percent(const struct ck_rate *q, enum ck_shown state);

/* A rate by the display rules: "83.4% (95% CI 76.1–89.0)", or compact
 * "83.4% (76.1–89.0)" for tables whose header names the interval; "≤ 20%",
 * "≥ 80%", "withheld", "not enough data". */
const char *ck_fmt_rate(char *buf, const struct ck_report *r,
                        const struct ck_rate *q, bool compact);

/* Stable JSON reason for a state: "withheld" (a withheld count),
 * "derived" (computed from withheld counts), "coded", "not_enough_data"
 * ("" for CK_SHOWN). */
/* Stable id of why an adjusted estimate could not be computed ("separation",
 * ...), or NULL for CK_ADJ_FINE.  Static storage. */
const char *ck_adj_problem_id(enum ck_adj_problem p);
const char *ck_shown_reason(enum ck_shown s);
/* Why a group's statistics are withheld although its size n (a cell) is
 * shown, as one sentence into buf (empty when why is CK_WHY_NONE or n is
 * withheld, which its own row shows): cats is the score-change category
 * cells (NULL for a regression). */
const char *ck_stats_why(char *buf, size_t cap, const struct ck_report *r,
                         enum ck_stat_why why, size_t n, const size_t *cats);
/* The reason of ck_stats_why that may be said (CK_WHY_NONE: none), for
 * renderers that word it otherwise (a chart's takeaway). */
enum ck_stat_why ck_stats_why_said(const struct ck_report *r,
                                   enum ck_stat_why why, size_t n,
                                   const size_t *cats);

/* Display width of a UTF-8 string (code points; all we print are
 * single-width). */
size_t ck_utf8_width(const char *s);

/* Depth of a group in the group tree (all = 0). */
int ck_group_depth(enum ck_group_id g);

/* Label of a score-change category ("lower (<= -5)"), from the group
 * labels so the two tables agree. */
const char *ck_change_label(enum ck_change_cat c);

/* ---- documents: the text and Markdown reports share one content
 * generator (render_doc.c) writing through a small set of block ops. ---- */

struct ck_table {
  size_t ncols, nrows, cap; /* rows include the header row 0 */
  char **cells;             /* nrows * ncols, owned */
  int *indent;              /* per row: indent level of column 0 */
  char align[16];           /* per column 'l' or 'r' */
};

struct ck_table *ck_table_new(const char *align, ...); /* headers, NULL-ended */
/* Add a row: indent level, then ncols strings (copied). */
void ck_table_row(struct ck_table *t, int indent, ...);
void ck_table_free(struct ck_table *t);

struct ck_doc;
struct ck_ask;
struct ck_doc_ops {
  void (*heading)(struct ck_doc *d, int level, const char *text);
  void (*para)(struct ck_doc *d, const char *text);
  void (*item)(struct ck_doc *d, const char *text);
  void (*table)(struct ck_doc *d, const struct ck_table *t);
  /* Optional (NULL in text and Markdown): a chart after a section's
   * tables.  id: "groups", "matched_into", "score_change",
   * "score_change_all_retakers", "practice_regression",
   * "practice_regression_all_retakers", "by_year". */
  void (*figure)(struct ck_doc *d, const char *id, const struct ck_report *r);
  /* Optional: the ask sheet's chart of its groups' match rates. */
  void (*ask_figure)(struct ck_doc *d, const struct ck_ask *a);
};
struct ck_doc {
  FILE *out;
  const struct ck_doc_ops *ops;
  bool in_list;
};

/* Write the whole report through d's ops.  Returns CK_OK or CK_EIO. */
enum ck_status ck_render_doc(struct ck_doc *d, const struct ck_report *r);

/* The ask sheet's content (render_ask.c) through d's ops.  CK_OK or
 * CK_EIO. */
enum ck_status ck_ask_doc(struct ck_doc *d, const struct ck_ask *a);

/* What every printed page shows in its header and footer. */
struct ck_page {
  const char *title;   /* the document's title */
  const char *cohort;  /* whose data: "1,510 applicants, Match years ..." */
  long long generated; /* seconds since the epoch, or -1 */
};

/* Run `body` with the text (80 columns) or Markdown block writers on out,
 * for documents other than the report (the ask sheet).  Returns body's
 * status, or CK_EIO when writing failed. */
typedef enum ck_status (*ck_doc_body_fn)(struct ck_doc *d, const void *arg);
enum ck_status ck_doc_run_text(FILE *out, ck_doc_body_fn body, const void *arg);
enum ck_status ck_doc_run_md(FILE *out, ck_doc_body_fn body, const void *arg);
/* The same as one self-contained HTML page (render_html.c): style sheet,
 * print layout, and page header and footer from pg. */
enum ck_status ck_doc_run_html(FILE *out, const struct ck_page *pg,
                               ck_doc_body_fn body, const void *arg);

/* Write text wrapped at `width` display columns; continuation lines start
 * with `indent` spaces, the first with `first` (already counted). */
void ck_wrap(FILE *out, const char *text, size_t width, const char *first,
             size_t indent);

/* Print an HTML page (html, len bytes) to PDF on out with the browser
 * ck_pdf_printer() (ckcohort/render.h) finds, in
 * a private temporary folder removed afterwards.  Returns CK_OK, or CK_EIO
 * with err set (no browser, the browser failed or timed out, out could not
 * be written: out may then hold part of a PDF, so write it through
 * ck_output and abort). */
enum ck_status ck_pdf_from_html(FILE *out, const char *html, size_t len,
                                struct ck_error *err);

/* The article every ask sheet weighs; one copy so each format names it alike
 * (issue 15: attribution on every sheet that cites it). */
#define CK_ARTICLE_TITLE                                                       \
  "Do I Need to Retake Step 2 CK If I Barely Passed? Pros and Cons"
#define CK_ARTICLE_SOURCE   "Residency Advisor"
#define CK_ARTICLE_DATE     "6 January 2026"
#define CK_ARTICLE_DATE_ISO "2026-01-06"
/* The "Across schools" section of a pooled report (render_meta.c): through
 * d's ops (nothing when r->meta is NULL), the HTML forest plot of the
 * comparison `id`, and the JSON object (caller owns it). */
void ck_doc_meta(struct ck_doc *d, const struct ck_report *r);
void ck_html_forest(FILE *out, const struct ck_report *r, const char *id);
struct json_t;
struct json_t *ck_json_meta(const struct ck_report *r);

#endif
