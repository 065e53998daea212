/*
 * export_xlsx.c - the export's Excel workbook (docs/export.md)
 * SPDX-License-Identifier: MIT
 *
 * libxlsxwriter keeps every sheet in memory until workbook_close(), so
 * cells may be written in any order: a withheld value is shaded after its
 * row is known to be withheld.  Errors of the individual write calls are
 * not checked one by one: libxlsxwriter records them and they surface at
 * workbook_close(), which is checked.
 */
#include "xlsx.h"
#include "render_util.h"
#include "util.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#define MAX_SHEETS 16

struct ck_xl_sheet {
  struct ck_xl *owner;
  lxw_worksheet *ws;
  lxw_row_t row;
  lxw_col_t ncols;  /* header width, for the filter */
  lxw_row_t header; /* row of the header */
  bool filter;
  double width[8]; /* wrapped columns' widths (characters), 0 = no wrap */
  unsigned lines;  /* most text lines of a cell in the cursor row */
};

struct ck_xl {
  lxw_workbook *wb;
  lxw_format *head, *title, *bold, *wrap, *pct, *whole, *dec, *gen, *withheld;
  struct ck_xl_sheet sheets[MAX_SHEETS];
  size_t n_sheets;
};

struct ck_xl *ck_xl_new(const char *path, long long created) {
  lxw_workbook *wb = workbook_new(path);
  if (wb == NULL)
    return NULL;
  struct ck_xl *x = ck_xcalloc(1, sizeof *x);
  x->wb = wb;
  /* a fixed document time makes the same report give the same bytes */
  lxw_doc_properties props = {0};
  char title[] = "ckcohort summary";
  char comments[] = "Aggregate Match outcomes; no student-level data.";
  props.title = title; /* copied by libxlsxwriter; it is not const-correct */
  props.comments = comments;
  props.created = (time_t)(created >= 0 ? created : 0);
  workbook_set_properties(wb, &props);

  x->head = workbook_add_format(wb);
  format_set_bold(x->head);
  format_set_bg_color(x->head, 0xD9E2F3);
  format_set_bottom(x->head, LXW_BORDER_THIN);
  format_set_text_wrap(x->head);
  format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);
  x->title = workbook_add_format(wb);
  format_set_bold(x->title);
  format_set_font_size(x->title, 14);
  x->bold = workbook_add_format(wb);
  format_set_bold(x->bold);
  format_set_align(x->bold, LXW_ALIGN_VERTICAL_TOP);
  x->wrap = workbook_add_format(wb);
  format_set_text_wrap(x->wrap);
  format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
  x->pct = workbook_add_format(wb);
  format_set_num_format(x->pct, "0.0%");
  x->whole = workbook_add_format(wb);
  format_set_num_format(x->whole, "0");
  x->dec = workbook_add_format(wb);
  format_set_num_format(x->dec, "0.00");
  x->gen = workbook_add_format(wb);
  format_set_num_format(x->gen, "General");
  x->withheld = workbook_add_format(wb);
  format_set_bg_color(x->withheld, 0xE7E6E6);
  format_set_pattern(x->withheld, LXW_PATTERN_SOLID);
  return x;
}

static struct ck_xl_sheet *add_sheet(struct ck_xl *x, const char *name) {
  if (x->n_sheets == MAX_SHEETS)
    return NULL; /* a programming error: export.c has fewer tables */
  struct ck_xl_sheet *s = &x->sheets[x->n_sheets++];
  memset(s, 0, sizeof *s);
  s->owner = x;
  s->ws = workbook_add_worksheet(x->wb, name);
  if (s->ws != NULL) {
    /* printed: landscape Letter, one page wide, header row repeated */
    worksheet_set_landscape(s->ws);
    worksheet_set_paper(s->ws, 1);
    worksheet_fit_to_pages(s->ws, 1, 0);
  }
  return s;
}

void ck_xl_header(struct ck_xl_sheet *s, const char *const *cols, size_t n) {
  if (s == NULL || s->ws == NULL)
    return;
  for (size_t c = 0; c < n; c++)
    worksheet_write_string(s->ws, s->row, (lxw_col_t)c, cols[c],
                           s->owner->head);
  s->row++;
}

struct ck_xl_sheet *ck_xl_table(struct ck_xl *x, const char *name,
                                const char *const *cols, size_t n) {
  struct ck_xl_sheet *s = add_sheet(x, name);
  if (s == NULL || s->ws == NULL)
    return s;
  worksheet_set_row(s->ws, 0, LXW_DEF_ROW_HEIGHT, x->head);
  for (size_t c = 0; c < n; c++)
    worksheet_write_string(s->ws, 0, (lxw_col_t)c, cols[c], x->head);
  s->header = 0;
  s->ncols = (lxw_col_t)n;
  s->row = 1;
  s->filter = true;
  worksheet_freeze_panes(s->ws, 1, 0);
  worksheet_repeat_rows(s->ws, 0, 0);
  /* widths for the long-form columns (table, row_id, label, measure,
   * value, ci_low, ci_high, suppressed, reason, note) */
  static const double width[] = {22, 24, 38, 24, 12, 12, 12, 11, 16, 44};
  for (size_t c = 0; c < n && c < sizeof width / sizeof width[0]; c++)
    worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL);
  return s;
}

/* Lines a wrapped cell needs: neither Excel nor LibreOffice grows a row
 * for wrapped text on opening a file, so the height is set here. */
static void fit(struct ck_xl_sheet *s, unsigned col, const char *v) {
  if (col >= sizeof s->width / sizeof s->width[0] || s->width[col] <= 0)
    return;
  double chars = (double)ck_utf8_width(v); /* a width unit is one digit */
  unsigned n = (unsigned)ceil(chars / s->width[col]);
  if (n > s->lines)
    s->lines = n;
}

void ck_xl_text(struct ck_xl_sheet *s, unsigned col, const char *v) {
  if (s == NULL || s->ws == NULL || v == NULL || v[0] == '\0')
    return;
  worksheet_write_string(s->ws, s->row, (lxw_col_t)col, v, NULL);
  fit(s, col, v);
}

/* Measures written as proportions 0-1 (docs/export.md): shown as %. */
static bool proportion(const char *m) {
  static const char *const p[] = {"match_rate",          "target_rate",
                                  "academic_share",      "low_pass_match_rate",
                                  "share_ge_20",         "difference",
                                  "change_per_year",     "difference_range",
                                  "difference_range_ci", NULL};
  for (size_t i = 0; m != NULL && p[i] != NULL; i++)
    if (strcmp(m, p[i]) == 0)
      return true;
  return false;
}

static bool p_value(const char *m) {
  size_t n = m ? strlen(m) : 0;
  return m != NULL &&
         (strcmp(m, "p") == 0 || (n >= 2 && strcmp(m + n - 2, "_p") == 0));
}

void ck_xl_number(struct ck_xl_sheet *s, unsigned col, double v,
                  const char *measure) {
  if (s == NULL || s->ws == NULL || !isfinite(v))
    return;
  struct ck_xl *x = s->owner;
  /* p-values keep General: a fixed number of decimals would print a small
   * p as 0.0000 */
  lxw_format *f = proportion(measure)               ? x->pct
                  : p_value(measure)                ? x->gen
                  : v == floor(v) && fabs(v) < 1e15 ? x->whole
                                                    : x->dec;
  worksheet_write_number(s->ws, s->row, (lxw_col_t)col, v, f);
}

void ck_xl_integer(struct ck_xl_sheet *s, unsigned col, long v) {
  if (s == NULL || s->ws == NULL)
    return;
  worksheet_write_number(s->ws, s->row, (lxw_col_t)col, (double)v,
                         s->owner->whole);
}

void ck_xl_withheld(struct ck_xl_sheet *s, unsigned col, const char *reason) {
  if (s == NULL || s->ws == NULL)
    return;
  struct ck_xl *x = s->owner;
  worksheet_write_blank(s->ws, s->row, (lxw_col_t)col, x->withheld);
  char note[160];
  const char *why =
      strcmp(reason, "withheld") == 0
          ? "a count of students withheld to protect privacy (small, or one "
            "that would give a small count back)"
      : strcmp(reason, "derived") == 0
          ? "computed from a withheld count, so withheld too"
      : strcmp(reason, "coded") == 0
          ? "a rate near 0% or 100%: only its bound is given (note column)"
          : "too few applicants or no variation to compute it";
  snprintf(note, sizeof note, "Empty: %s.", why);
  worksheet_write_comment(s->ws, s->row, (lxw_col_t)col, note);
}

void ck_xl_next_row(struct ck_xl_sheet *s) {
  if (s == NULL)
    return;
  if (s->lines > 1 && s->ws != NULL)
    worksheet_set_row(s->ws, s->row, 15.0 * s->lines, NULL);
  s->lines = 0;
  s->row++;
}

/* ---- the About sheet ---- */

static void kv(struct ck_xl *x, struct ck_xl_sheet *s, const char *k,
               const char *v) {
  worksheet_write_string(s->ws, s->row, 0, k, x->bold);
  worksheet_write_string(s->ws, s->row, 1, v, x->wrap);
  fit(s, 1, v);
  ck_xl_next_row(s);
}

struct ck_xl_sheet *ck_xl_about(struct ck_xl *x, const struct ck_report *r) {
  struct ck_xl_sheet *s = add_sheet(x, "About");
  if (s == NULL || s->ws == NULL)
    return s;
  lxw_worksheet *ws = s->ws;
  /* key and value above; the dictionary's five columns below */
  static const double w[] = {30, 66, 30, 16, 80};
  for (lxw_col_t c = 0; c < 5; c++) {
    worksheet_set_column(ws, c, c, w[c], x->wrap);
    s->width[c] = w[c];
  }

  worksheet_write_string(
      ws, 0, 0, "ckcohort summary: Match outcomes after USMLE Step 2 CK",
      x->title);
  s->row = 2;
  char b[CK_FMT_CAP], line[512];
  kv(x, s, "Tool", r->tool_version ? r->tool_version : "");
  kv(x, s, "Generated",
     r->generated >= 0 ? ck_fmt_time(b, r->generated) : "(not recorded)");
  if (r->year_min > 0) {
    snprintf(line, sizeof line, "%d to %d", r->year_min, r->year_max);
    kv(x, s, "Match years", line);
  }
  snprintf(line, sizeof line,
           "%zu read, %zu accepted, %zu excluded, %zu rejected (sheet rows)",
           r->read, r->accepted, r->excluded, r->rejected);
  kv(x, s, "Rows", line);
  snprintf(line, sizeof line, "%zu", r->min_cell);
  kv(x, s, "Minimum group size (min_cell)", line);
  snprintf(line, sizeof line, "%g%% (%s)", r->confidence * 100.0,
           r->clopper_pearson ? "Clopper-Pearson intervals for proportions"
                              : "Wilson score intervals for proportions");
  kv(x, s, "Confidence level", line);
  snprintf(line, sizeof line,
           "first attempt passed and scored at most pass mark + %d",
           r->low_pass_margin);
  kv(x, s, "Low pass", line);
  size_t len = 0;
  line[0] = '\0';
  for (size_t i = 0; i < r->n_pass_marks && len < sizeof line; i++) {
    /* the first mark's start is the table's "since ever" sentinel */
    bool first = i == 0 && r->n_pass_marks > 1;
    len += (size_t)snprintf(line + len, sizeof line - len, "%s%d %s %s",
                            i ? "; " : "", r->pass_marks[i].mark,
                            first ? "before" : "from",
                            ck_fmt_date(b, r->pass_marks[first ? 1 : i].from));
  }
  kv(x, s, "Pass marks", line);
  kv(x, s, "Privacy",
     "No cell holds a student's record. Counts that could single out a "
     "student are left empty (shaded, with a note): small counts and those "
     "that would give a small count back, and every statistic computed from "
     "them. Empty cells do not say which is which. See docs/privacy.md.");
  kv(x, s, "Formulas", "None: every cell is a value.");
  s->row++;
  worksheet_write_string(ws, s->row++, 0, "Inputs", x->bold);
  /* rows per file are numbers on the rows sheet; here what identifies
   * each file */
  static const char *const ih[] = {"file",
                                   "SHA-256 (rows per file: sheet rows)"};
  for (lxw_col_t c = 0; c < 2; c++)
    worksheet_write_string(ws, s->row, c, ih[c], x->head);
  s->row++;
  for (size_t i = 0; i < r->n_inputs; i++) {
    const struct ck_report_input *in = &r->inputs[i];
    worksheet_write_string(ws, s->row, 0, in->path ? in->path : "", NULL);
    worksheet_write_string(ws, s->row, 1, in->sha256, NULL);
    fit(s, 0, in->path ? in->path : "");
    ck_xl_next_row(s);
  }
  s->row++;
  worksheet_write_string(ws, s->row++, 0, "Data dictionary", x->bold);
  return s;
}

/* ---- charts ---- */

struct point {
  const char *label;
  double est, lo, hi;
};

/* One interval chart: the data block at (row, 0) of sheet s, then the
 * chart beside it.  Returns the next free row. */
static lxw_row_t interval_chart(struct ck_xl *x, struct ck_xl_sheet *s,
                                lxw_row_t row, const char *title,
                                const char *axis, const struct point *p,
                                size_t n, const char *why_none,
                                const char *caption) {
  lxw_worksheet *ws = s->ws;
  worksheet_write_string(ws, row++, 0, title, x->bold);
  if (n == 0) {
    worksheet_write_string(ws, row++, 0, why_none, NULL);
    return row + 1;
  }
  const char *const h[] = {axis, "match rate", "CI low", "CI high"};
  for (lxw_col_t c = 0; c < 4; c++)
    worksheet_write_string(ws, row, c, h[c], x->head);
  lxw_row_t first = row + 1;
  for (size_t i = 0; i < n; i++) {
    lxw_row_t rr = first + (lxw_row_t)i;
    worksheet_write_string(ws, rr, 0, p[i].label, NULL);
    worksheet_write_number(ws, rr, 1, p[i].est, x->pct);
    worksheet_write_number(ws, rr, 2, p[i].lo, x->pct);
    worksheet_write_number(ws, rr, 3, p[i].hi, x->pct);
  }
  lxw_row_t last = first + (lxw_row_t)n - 1;
  worksheet_write_string(ws, last + 1, 0, caption, NULL);
  /* The interval is a floating bar: an invisible bar up to the lower limit,
   * then the interval in two stacked parts that meet at the estimate, each
   * outlined, so the line across the bar is the match rate.  The parts are
   * written as values (no formulas).  libxlsxwriter 1.1 has no custom error
   * bars or combined charts, and LibreOffice does not draw Excel's
   * high-low lines; stacked bars draw the same everywhere. */
  worksheet_write_string(ws, row, 4, "chart: CI low to rate", x->head);
  worksheet_write_string(ws, row, 5, "chart: rate to CI high", x->head);
  for (size_t i = 0; i < n; i++) {
    worksheet_write_number(ws, first + (lxw_row_t)i, 4, p[i].est - p[i].lo,
                           x->pct);
    worksheet_write_number(ws, first + (lxw_row_t)i, 5, p[i].hi - p[i].est,
                           x->pct);
  }
  lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN_STACKED);
  lxw_chart_fill nofill = {.none = LXW_TRUE};
  lxw_chart_line noline = {.none = LXW_TRUE};
  lxw_chart_fill bandfill = {.color = 0x9DC3E6};
  lxw_chart_line outline = {.color = 0x1F3864, .width = 1.25};
  static const char *const names[] = {"CI low", "95% interval, below the rate",
                                      "95% interval, above the rate"};
  static const lxw_col_t cols[] = {2, 4, 5};
  for (int k = 0; k < 3; k++) {
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    chart_series_set_categories(se, "Charts", first, 0, last, 0);
    chart_series_set_values(se, "Charts", first, cols[k], last, cols[k]);
    chart_series_set_name(se, names[k]);
    chart_series_set_fill(se, k == 0 ? &nofill : &bandfill);
    chart_series_set_line(se, k == 0 ? &noline : &outline);
  }
  chart_set_series_gap(ch, 150);
  chart_title_set_name(ch, title);
  chart_axis_set_name(ch->y_axis, "match rate");
  chart_axis_set_num_format(ch->y_axis, "0%");
  chart_axis_set_min(ch->y_axis, 0);
  chart_axis_set_max(ch->y_axis, 1);
  chart_axis_set_name(ch->x_axis, axis);
  chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
  lxw_chart_options o = {
      .x_offset = 10, .y_offset = 0, .x_scale = 1.6, .y_scale = 1.3};
  worksheet_insert_chart_opt(ws, row, 7, ch, &o);
  /* leave room for the chart (about 20 rows tall) */
  lxw_row_t end = last + 3;
  return end > row + 22 ? end : row + 22;
}

static bool rate_point(const struct ck_report *r, const struct ck_rate *q,
                       const char *label, struct point *p) {
  if (ck_rate_state(r, q) != CK_SHOWN || !isfinite(q->est.estimate) ||
      !isfinite(q->est.lo) || !isfinite(q->est.hi))
    return false;
  *p = (struct point){label, q->est.estimate, q->est.lo, q->est.hi};
  return true;
}

void ck_xl_charts(struct ck_xl *x, const struct ck_report *r) {
  struct ck_xl_sheet *s = add_sheet(x, "Charts");
  if (s == NULL || s->ws == NULL)
    return;
  worksheet_set_column(s->ws, 0, 0, 30, NULL);
  worksheet_set_column(s->ws, 1, 3, 11, NULL);
  worksheet_set_column(s->ws, 4, 5, 20, NULL);
  struct point g[CK_G_COUNT];
  size_t ng = 0;
  for (int i = 0; i < CK_G_COUNT; i++)
    if (rate_point(r, &r->groups[i].match_rate,
                   ck_group_label((enum ck_group_id)i), &g[ng]))
      ng++;
  char cap[240];
  snprintf(cap, sizeof cap,
           "The line across each bar is the match rate; the bar is its %g%% "
           "confidence interval. Rates that are withheld, coded as a bound or "
           "cannot be computed are left out.",
           r->confidence * 100.0);
  lxw_row_t row = interval_chart(
      x, s, 0, "Match rate by first-attempt group", "group", g, ng,
      "No chart: every group's match rate is withheld or cannot be computed.",
      cap);
  struct point *y = ck_xcalloc(r->n_years + 1, sizeof *y);
  char(*yl)[16] = ck_xcalloc(r->n_years + 1, sizeof *yl);
  size_t ny = 0;
  for (size_t i = 0; i < r->n_years; i++) {
    snprintf(yl[ny], sizeof yl[ny], "%d", r->years[i].year);
    if (rate_point(r, &r->years[i].match_rate, yl[ny], &y[ny]))
      ny++;
  }
  interval_chart(x, s, row, "Match rate by Match year", "Match year", y, ny,
                 "No chart: every year's match rate is withheld or cannot be "
                 "computed.",
                 cap);
  /* libxlsxwriter copies strings when the cell is written */
  free(y);
  free(yl);
}

enum ck_status ck_xl_close(struct ck_xl *x, const char *what,
                           struct ck_error *err) {
  if (x == NULL)
    return ck_error_set(err, CK_EIO, what, 0, NULL,
                        "cannot start the workbook");
  for (size_t i = 0; i < x->n_sheets; i++) {
    struct ck_xl_sheet *s = &x->sheets[i];
    if (s->ws != NULL && s->filter && s->row > s->header + 1)
      worksheet_autofilter(s->ws, s->header, 0, s->row - 1, s->ncols - 1);
  }
  lxw_error e = workbook_close(x->wb);
  free(x);
  if (e != LXW_NO_ERROR)
    return ck_error_set(err, CK_EIO, what, 0, NULL,
                        "cannot write the workbook: %s", lxw_strerror(e));
  return CK_OK;
}
