/*
 * render_ask.c - the ask sheet as text, Markdown, HTML (one printable page
 * with an inline SVG chart) and JSON (docs/ask-json.md)
 * SPDX-License-Identifier: MIT
 *
 * Like the report renderers, these only format the built, suppressed sheet:
 * every count comes from a.model through the shared formatting helpers, so
 * a withheld count prints "withheld" (JSON null) whatever its size.
 */
#include "ckcohort/ask.h"
#include "render_util.h"
#include "util.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const program_names[4] = {"Academic", "Community", "Other",
                                             "(not given)"};
static const char *const program_ids[4] = {"academic", "community", "other",
                                           "not_given"};

/* Buffer printf for paragraphs. */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int n = vsnprintf(NULL, 0, f, ap);
  va_end(ap);
  char *s = ck_xmalloc((size_t)(n > 0 ? n : 0) + 1);
  va_start(ap, f);
  vsnprintf(s, (size_t)n + 1, f, ap);
  va_end(ap);
  return s;
}

static void para(struct ck_doc *d, char *owned) {
  d->ops->para(d, owned);
  free(owned);
}

static void itemf(struct ck_doc *d, char *owned) {
  d->in_list = true;
  d->ops->item(d, owned);
  free(owned);
}

static void heading(struct ck_doc *d, int level, const char *text) {
  d->in_list = false;
  d->ops->heading(d, level, text);
}

static void table(struct ck_doc *d, struct ck_table *t) {
  d->in_list = false;
  d->ops->table(d, t);
  ck_table_free(t);
}

/* "pass+0 to pass+2 (214-216 at today's mark)" and the open zones. */
static void band_text(char *buf, size_t cap, const struct ck_ask *a,
                      const struct ck_ask_band *b) {
  if (b->lo <= -300)
    snprintf(buf, cap, "below the pass mark (any failing score)");
  else if (b->hi >= 300)
    snprintf(buf, cap, "above pass+%d", b->lo - 1);
  else if (b->lo < 0)
    snprintf(buf, cap, "pass%d to pass%d (%d-%d at a pass mark of %d)", b->lo,
             b->hi, a->pass_mark + b->lo, a->pass_mark + b->hi, a->pass_mark);
  else
    snprintf(buf, cap, "pass+%d to pass+%d (%d-%d at a pass mark of %d)",
             b->lo, b->hi, a->pass_mark + b->lo, a->pass_mark + b->hi,
             a->pass_mark);
}

static void rung_text(char *buf, size_t cap, const struct ck_ask *a,
                      const struct ck_ask_rung *r) {
  char band[160];
  band_text(band, sizeof band, a, &r->band);
  if (r->level == CK_ASK_ALL)
    snprintf(buf, cap, "%s, any target specialty", band);
  else if (r->level == CK_ASK_TIER)
    snprintf(buf, cap, "%s, any %s-tier specialty", band, r->scope);
  else
    snprintf(buf, cap, "%s, target %s", band, r->scope);
}

static const char *query_line(char *buf, size_t cap, const struct ck_ask *a) {
  size_t n = (size_t)snprintf(buf, cap, "Score %d", a->q.score);
  if (a->q.practice > 0 && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, ", practice average %d",
                          a->q.practice);
  if (a->q.specialty && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, ", target %s (%s)",
                          a->specialty ? a->specialty : a->q.specialty,
                          a->tier == CK_TIER_NONE
                              ? (a->specialty_known ? "no tier"
                                                    : "not in the specialty "
                                                      "table: no tier")
                              : ck_tier_name(a->tier));
  if (a->q.weeks >= 0 && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, ", %d protected weeks",
                          a->q.weeks);
  if (a->q.eras_submitted && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, ", ERAS submitted");
  else if (a->q.applying_this_cycle && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, ", applying this cycle");
  if (n < cap)
    snprintf(buf + n, cap - n, ".");
  return buf;
}

static void group_section(struct ck_doc *d, const struct ck_ask *a,
                          const struct ck_ask_group *g) {
  const struct ck_report *m = a->model;
  char b1[CK_FMT_CAP], b2[CK_FMT_CAP], rung[400];
  heading(d, 3, g->label);
  if (!g->found) {
    para(d, fmt("No group of the grid could be shown: each one tried had "
                "fewer than %zu applicants or was withheld to protect "
                "another group.", a->min_cell));
    for (size_t i = 0; i < g->n_tried; i++) {
      rung_text(rung, sizeof rung, a, &g->tried[i]);
      itemf(d, fmt("tried: %s", rung));
    }
    return;
  }
  rung_text(rung, sizeof rung, a, &g->used);
  para(d, fmt("Group used: first score %s.", rung));
  for (size_t i = 0; i < g->n_tried; i++) {
    char t[400];
    rung_text(t, sizeof t, a, &g->tried[i]);
    itemf(d, fmt("widened from: %s (not shown: fewer than %zu applicants, or "
                 "withheld to protect another group)", t, a->min_cell));
  }
  struct ck_table *t = ck_table_new("lr", "Measure", "Value", NULL);
  ck_table_row(t, 0, "Applicants", ck_fmt_count(b1, m, g->n));
  ck_table_row(t, 0, "Matched", ck_fmt_count(b1, m, g->matched));
  ck_table_row(t, 0, "Not matched", ck_fmt_count(b1, m, g->unmatched));
  ck_table_row(t, 0, "Match rate (95% CI)",
               ck_fmt_rate(b2, m, &g->match_rate, false));
  ck_table_row(t, 0, "Matched into the specialty they applied to",
               ck_fmt_count(b1, m, g->matched_target));
  ck_table_row(t, 0, "  share of the group",
               ck_fmt_rate(b2, m, &g->target_rate, false));
  for (int p = 0; p < 4; p++) {
    char lab[64];
    snprintf(lab, sizeof lab, "Matched, program type: %s", program_names[p]);
    ck_table_row(t, 0, lab, ck_fmt_count(b1, m, g->programs[p]));
  }
  table(d, t);
  if (g->n_into == 0) {
    para(d, fmt("Specialties matched into: none can be listed (each has "
                "fewer than %zu of this group or is withheld).",
                a->min_cell));
  } else {
    struct ck_table *s = ck_table_new("lr", "Matched into", "Applicants", NULL);
    for (size_t i = 0; i < g->n_into; i++)
      ck_table_row(s, 0, g->into[i].name, ck_fmt_count(b1, m, g->into[i].cell));
    table(d, s);
    para(d, fmt("Specialties with fewer than %zu of this group (or withheld) "
                "are not listed.", a->min_cell));
  }
}

static enum ck_status body(struct ck_doc *d, const void *arg) {
  const struct ck_ask *a = arg;
  const struct ck_report *m = a->model;
  char b1[CK_FMT_CAP], b2[CK_FMT_CAP], b3[CK_FMT_CAP], q[512];

  heading(d, 1, "Step 2 CK: evidence sheet for one student");
  para(d, fmt("%s Cohort: %zu applicants, Match %d-%d. Counts below %zu are "
              "never shown.", query_line(q, sizeof q, a), a->records,
              a->year_min, a->year_max, a->min_cell));

  heading(d, 2, "1. USMLE retake policy");
  if (a->passing)
    para(d, fmt("A score of %d is a pass: the pass mark in force on %s is %d "
                "(since %s). USMLE does not allow retaking a passed Step, "
                "except to meet a state board's time limit for completing "
                "the exams. Retaking to raise a passing score is not an "
                "option; the checklist below is the article's framework, and "
                "the data the school can always answer is low pass versus "
                "failed then passed.",
                a->q.score, ck_fmt_date(b1, a->q.today == CK_NO_DATE
                                                ? a->pass_mark_from
                                                : a->q.today),
                a->pass_mark, ck_fmt_date(b2, a->pass_mark_from)));
  else
    para(d, fmt("A score of %d is below the pass mark in force on %s (%d, "
                "since %s): a retake is required to pass Step 2 CK. The "
                "group to compare with is applicants who failed their first "
                "attempt and then passed.",
                a->q.score, ck_fmt_date(b1, a->q.today == CK_NO_DATE
                                                ? a->pass_mark_from
                                                : a->q.today),
                a->pass_mark, ck_fmt_date(b2, a->pass_mark_from)));

  heading(d, 2, "2. The article's checklist");
  para(d, fmt("The article \"Do I Need to Retake Step 2 CK If I Barely "
              "Passed?\" suggests considering a retake only when most of "
              "these hold. They are evaluated on what you gave; this is the "
              "article's framework, not advice from this tool."));
  struct ck_table *t = ck_table_new("lll", "Checklist item", "Result",
                                    "Threshold and value", NULL);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < CK_ASK_NCHECKS; i++) {
    const struct ck_ask_item *it = &a->checks[i];
    counts[it->state]++;
    ck_table_row(t, 0, it->text, ck_ask_state_name(it->state, false),
                 it->detail);
  }
  table(d, t);
  para(d, fmt("Met: %d, not met: %d, not given: %d.", counts[0], counts[1],
              counts[2]));
  para(d, fmt("The article's reasons to probably not retake:"));
  t = ck_table_new("lll", "Reason", "For you", "Why", NULL);
  for (int i = 0; i < CK_ASK_NREASONS; i++) {
    const struct ck_ask_item *it = &a->reasons[i];
    ck_table_row(t, 0, it->text, ck_ask_state_name(it->state, true),
                 it->detail);
  }
  table(d, t);

  heading(d, 2, "3. Applicants like you");
  para(d, fmt("Groups come from a fixed grid: first score relative to the "
              "pass mark in force on each applicant's own test date, target "
              "specialty, then its tier, then everyone; all Match years "
              "together. Each group is widened along the grid until it can "
              "be shown (at least %zu applicants, and no other answer of "
              "the grid could be subtracted from it to reach a smaller "
              "group).", a->min_cell));
  for (size_t i = 0; i < a->n_groups; i++)
    group_section(d, a, &a->groups[i]);

  heading(d, 3, "Practice average and the retake score");
  if (a->q.practice <= 0) {
    para(d, fmt("No practice average given: give --practice to see the "
                "predicted retake score."));
  } else {
    if (a->reg_shown == CK_SHOWN)
      para(d, fmt("Predicted retake score for a practice average of %d: %s "
                  "(95%% prediction interval %s-%s), from a straight line "
                  "fitted to the %s applicants with a second attempt and a "
                  "practice average before it.",
                  a->q.practice, ck_fmt_score(b1, a->prediction.estimate),
                  ck_fmt_score(b2, a->prediction.lo),
                  ck_fmt_score(b3, a->prediction.hi),
                  ck_fmt_count(q, m, a->reg_n)));
    else
      para(d, fmt("Predicted retake score: %s (applicants with a second "
                  "attempt and a practice average: %s).",
                  a->reg_shown == CK_NOT_ENOUGH_DATA ? CK_TXT_NED
                                                     : CK_TXT_WITHHELD,
                  ck_fmt_count(b1, m, a->reg_n)));
    if (!a->gain_found)
      para(d, fmt("Share of retakers with a similar practice average who "
                  "gained %d or more: withheld.", a->gain_min));
    else if (a->gain_widened)
      para(d, fmt("Of all %s retakers with a practice average (the band "
                  "around yours could not be shown), %s gained %d points or "
                  "more: %s.",
                  ck_fmt_count(b1, m, a->gain_n),
                  ck_fmt_count(b2, m, a->gain_ge), a->gain_min,
                  ck_fmt_rate(q, m, &a->gain_rate, false)));
    else
      para(d, fmt("Of the %s retakers whose practice average before the "
                  "retake was %d-%d, %s gained %d points or more: %s.",
                  ck_fmt_count(b1, m, a->gain_n), a->gain_lo, a->gain_hi,
                  ck_fmt_count(b2, m, a->gain_ge), a->gain_min,
                  ck_fmt_rate(q, m, &a->gain_rate, false)));
  }

  heading(d, 2, "4. What was widened, and caveats");
  for (size_t i = 0; i < a->n_groups; i++) {
    const struct ck_ask_group *g = &a->groups[i];
    if (!g->found)
      itemf(d, fmt("%s: nothing could be shown.", g->label));
    else if (g->n_tried == 0)
      itemf(d, fmt("%s: not widened.", g->label));
    else
      itemf(d, fmt("%s: widened %zu step%s along the grid.", g->label,
                   g->n_tried, g->n_tried == 1 ? "" : "s"));
  }
  itemf(d, fmt("Observational data: students chose whether to retake, so a "
               "difference between groups is not the effect of retaking."));
  itemf(d, fmt("Small numbers: intervals are wide, and a school's own "
               "history is a few hundred applicants at most."));
  itemf(d, fmt("Records of a retake after a passed attempt in this cohort: "
               "%s. USMLE policy makes them rare in real data; in synthetic "
               "data they are illustrative only.",
               ck_fmt_count(b1, m, a->retake_after_pass)));
  itemf(d, fmt("Withheld means fewer than %zu applicants, or a count kept "
               "back so that it, or a smaller group, cannot be worked out "
               "from this or another sheet.", a->min_cell));
  return CK_OK;
}

enum ck_status ck_ask_render_text(FILE *out, const struct ck_ask *a) {
  return ck_doc_run_text(out, body, a);
}

enum ck_status ck_ask_render_md(FILE *out, const struct ck_ask *a) {
  return ck_doc_run_md(out, body, a);
}

/* ---- HTML: one printable page ------------------------------------------- */

struct html_doc {
  struct ck_doc d; /* first member */
  bool list_open;
};

/* The one escaping helper of this format. */
static void h_escape(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    switch (*p) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\'': fputs("&#39;", out); break;
    default:
      fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, out);
    }
  }
}

static void h_close_list(struct ck_doc *d) {
  struct html_doc *h = (struct html_doc *)d;
  if (h->list_open)
    fputs("</ul>\n", d->out);
  h->list_open = false;
}

static void h_heading(struct ck_doc *d, int level, const char *text) {
  h_close_list(d);
  fprintf(d->out, "<h%d>", level);
  h_escape(d->out, text);
  fprintf(d->out, "</h%d>\n", level);
}

static void h_para(struct ck_doc *d, const char *text) {
  h_close_list(d);
  fputs("<p>", d->out);
  h_escape(d->out, text);
  fputs("</p>\n", d->out);
}

static void h_item(struct ck_doc *d, const char *text) {
  struct html_doc *h = (struct html_doc *)d;
  if (!h->list_open)
    fputs("<ul>\n", d->out);
  h->list_open = true;
  fputs("<li>", d->out);
  h_escape(d->out, text);
  fputs("</li>\n", d->out);
}

static void h_table(struct ck_doc *d, const struct ck_table *t) {
  h_close_list(d);
  fputs("<table>\n", d->out);
  for (size_t i = 0; i < t->nrows; i++) {
    fputs("<tr>", d->out);
    for (size_t c = 0; c < t->ncols; c++) {
      const char *tag = i == 0 ? "th" : "td";
      fprintf(d->out, "<%s%s>", tag, t->align[c] == 'r' ? " class=\"r\"" : "");
      h_escape(d->out, t->cells[i * t->ncols + c]);
      fprintf(d->out, "</%s>", tag);
    }
    fputs("</tr>\n", d->out);
  }
  fputs("</table>\n", d->out);
}

static const struct ck_doc_ops html_ops = {h_heading, h_para, h_item, h_table,
                                           NULL};

/* Match rate of each shown group with its interval, as horizontal bars. */
static void h_chart(FILE *out, const struct ck_ask *a) {
  const int W = 640, left = 250, right = 20, row = 34, top = 28;
  int h = top + (int)a->n_groups * row + 24;
  int plot = W - left - right;
  fprintf(out, "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
               "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
               "aria-label=\"Match rate of applicants like you\">\n",
          W, h, W, h);
  fprintf(out, "<text x=\"0\" y=\"16\" class=\"at\">Match rate with 95%% "
               "interval</text>\n");
  for (int p = 0; p <= 100; p += 25) {
    int x = left + plot * p / 100;
    fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                 "class=\"grid\"/><text x=\"%d\" y=\"%d\" class=\"tl\" "
                 "text-anchor=\"middle\">%d%%</text>\n",
            x, top - 4, x, h - 20, x, h - 6, p);
  }
  for (size_t i = 0; i < a->n_groups; i++) {
    const struct ck_ask_group *g = &a->groups[i];
    int y = top + (int)i * row;
    fprintf(out, "<text x=\"0\" y=\"%d\" class=\"cl\">", y + 18);
    h_escape(out, g->label);
    fputs("</text>\n", out);
    if (!g->found || ck_rate_state(a->model, &g->match_rate) != CK_SHOWN) {
      fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"tl\">withheld</text>\n",
              left + 4, y + 18);
      continue;
    }
    const struct ck_est *e = &g->match_rate.est;
    double x0 = left, xe = left + plot * e->estimate;
    double xl = left + plot * e->lo, xh = left + plot * e->hi;
    fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" "
                 "class=\"bar\"/>\n", x0, y + 6, xe - x0);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                 "class=\"ci\"/>\n", xl, y + 14, xh, y + 14);
  }
  fputs("</svg></figure>\n", out);
}

enum ck_status ck_ask_render_html(FILE *out, const struct ck_ask *a) {
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>Step 2 CK evidence sheet</title>\n<style>\n", out);
  fputs(ck_html_css(), out); /* the report's style */
  fputs("svg .bar{fill:#0072B2}svg .ci{stroke:#000;stroke-width:2}"
        "svg .grid{stroke:#d9d9d9}\n"
        "@media print{body{font-size:9.5pt}h2{margin-top:.8em}}\n"
        "</style>\n</head>\n<body>\n",
        out);
  struct html_doc h = {{out, &html_ops, false}, false};
  enum ck_status s = body(&h.d, a);
  h_close_list(&h.d);
  h_chart(out, a);
  fputs("</body>\n</html>\n", out);
  if (fflush(out) != 0 || ferror(out))
    return CK_EIO;
  return s;
}

/* ---- JSON ---------------------------------------------------------------- */

static void jset(json_t *o, const char *k, json_t *v) {
  json_object_set_new(o, k, v ? v : json_null());
}

static void jcount(json_t *o, const char *k, const struct ck_report *m,
                   size_t cell) {
  if (ck_cell_is_shown(m, cell)) {
    jset(o, k, json_integer((json_int_t)m->cells[cell].value));
    return;
  }
  char key[96];
  jset(o, k, json_null());
  snprintf(key, sizeof key, "%s_suppressed", k);
  jset(o, key, json_string("withheld"));
}

static json_t *jrate(const struct ck_report *m, const struct ck_rate *q) {
  json_t *o = json_object();
  enum ck_shown s = ck_rate_state(m, q);
  bool ok = s == CK_SHOWN;
  jset(o, "estimate", ok ? json_real(q->est.estimate) : json_null());
  jset(o, "ci_low", ok ? json_real(q->est.lo) : json_null());
  jset(o, "ci_high", ok ? json_real(q->est.hi) : json_null());
  jset(o, "suppressed", json_boolean(!ok));
  if (!ok)
    jset(o, "reason", json_string(ck_shown_reason(s)));
  return o;
}

static json_t *jband(const struct ck_ask_band *b) {
  json_t *o = json_object();
  jset(o, "code", json_integer(b->code));
  jset(o, "zone", json_boolean(b->zone));
  jset(o, "from_offset", b->lo <= -300 ? json_null() : json_integer(b->lo));
  jset(o, "to_offset", b->hi >= 300 ? json_null() : json_integer(b->hi));
  return o;
}

static json_t *jrung(const struct ck_ask_rung *r) {
  json_t *o = json_object();
  jset(o, "band", jband(&r->band));
  json_t *s = json_object();
  jset(s, "level", json_string(ck_ask_level_id(r->level)));
  jset(s, "name", json_string(r->scope));
  jset(o, "scope", s);
  return o;
}

static json_t *jitems(const struct ck_ask_item *it, int n, bool reason) {
  json_t *arr = json_array();
  for (int i = 0; i < n; i++) {
    json_t *o = json_object();
    jset(o, "id", json_string(it[i].id));
    jset(o, "text", json_string(it[i].text));
    jset(o, "state", json_string(ck_ask_state_id(it[i].state, reason)));
    jset(o, "detail", json_string(it[i].detail));
    json_array_append_new(arr, o);
  }
  return arr;
}

static json_t *jgroup(const struct ck_ask *a, const struct ck_ask_group *g) {
  const struct ck_report *m = a->model;
  json_t *o = json_object();
  jset(o, "id", json_string(g->id));
  jset(o, "label", json_string(g->label));
  jset(o, "kind", json_string(ck_ask_kind_id(g->kind)));
  jset(o, "found", json_boolean(g->found));
  json_t *tried = json_array();
  for (size_t i = 0; i < g->n_tried; i++)
    json_array_append_new(tried, jrung(&g->tried[i]));
  jset(o, "widened_from", tried);
  if (!g->found) {
    jset(o, "group", json_null());
    return o;
  }
  jset(o, "group", jrung(&g->used));
  jcount(o, "n", m, g->n);
  jcount(o, "matched", m, g->matched);
  jcount(o, "unmatched", m, g->unmatched);
  jset(o, "match_rate", jrate(m, &g->match_rate));
  jcount(o, "matched_target", m, g->matched_target);
  jcount(o, "missed_target", m, g->missed_target);
  jset(o, "target_rate", jrate(m, &g->target_rate));
  json_t *pr = json_array();
  for (int p = 0; p < 4; p++) {
    json_t *r = json_object();
    jset(r, "type", json_string(program_ids[p]));
    jcount(r, "n", m, g->programs[p]);
    json_array_append_new(pr, r);
  }
  jset(o, "program_types", pr);
  json_t *in = json_array();
  for (size_t i = 0; i < g->n_into; i++) {
    json_t *r = json_object();
    jset(r, "specialty", json_string(g->into[i].name));
    jcount(r, "n", m, g->into[i].cell);
    json_array_append_new(in, r);
  }
  jset(o, "matched_into", in);
  return o;
}

enum ck_status ck_ask_render_json(FILE *out, const struct ck_ask *a) {
  const struct ck_report *m = a->model;
  char b[CK_FMT_CAP];
  json_t *root = json_object();
  jset(root, "schema_version", json_integer(CK_ASK_SCHEMA_VERSION));
  json_t *tool = json_object();
  jset(tool, "name", json_string("ckcohort"));
  jset(tool, "version", json_string(a->tool_version));
  jset(root, "tool", tool);
  if (a->generated >= 0)
    jset(root, "generated", json_string(ck_fmt_time(b, a->generated)));

  json_t *q = json_object();
  jset(q, "score", json_integer(a->q.score));
  jset(q, "practice", a->q.practice > 0 ? json_integer(a->q.practice) : NULL);
  jset(q, "specialty", a->q.specialty ? json_string(a->q.specialty) : NULL);
  jset(q, "weeks", a->q.weeks >= 0 ? json_integer(a->q.weeks) : NULL);
  jset(q, "applying_this_cycle", json_boolean(a->q.applying_this_cycle));
  jset(q, "eras_submitted", json_boolean(a->q.eras_submitted));
  jset(root, "query", q);

  json_t *sp = json_object();
  jset(sp, "name", a->specialty ? json_string(a->specialty) : NULL);
  jset(sp, "known", json_boolean(a->specialty_known));
  jset(sp, "tier", a->tier == CK_TIER_NONE ? NULL
                                           : json_string(ck_tier_name(a->tier)));
  jset(root, "specialty", sp);

  json_t *pol = json_object();
  jset(pol, "pass_mark", json_integer(a->pass_mark));
  jset(pol, "pass_mark_from", json_string(ck_fmt_date(b, a->pass_mark_from)));
  jset(pol, "date", a->q.today == CK_NO_DATE
                        ? NULL
                        : json_string(ck_fmt_date(b, a->q.today)));
  jset(pol, "passing", json_boolean(a->passing));
  jset(pol, "offset", json_integer(a->offset));
  jset(pol, "low_pass_top", json_integer(a->band_top));
  jset(pol, "retake_allowed_after_pass", json_false());
  jset(pol, "student_band", jband(&a->band));
  jset(root, "policy", pol);

  json_t *set = json_object();
  jset(set, "min_cell", json_integer((json_int_t)a->min_cell));
  jset(set, "confidence", json_real(a->confidence));
  jset(set, "practice_threshold", json_integer(a->practice_threshold));
  jset(set, "min_weeks", json_integer(a->min_weeks));
  jset(set, "low_pass_margin", json_integer(a->low_pass_margin));
  jset(root, "settings", set);

  json_t *co = json_object();
  jset(co, "applicants", json_integer((json_int_t)a->records));
  jset(co, "year_min", json_integer(a->year_min));
  jset(co, "year_max", json_integer(a->year_max));
  jcount(co, "retake_after_pass", m, a->retake_after_pass);
  jset(root, "cohort", co);

  jset(root, "checklist", jitems(a->checks, CK_ASK_NCHECKS, false));
  jset(root, "reasons_not_to_retake", jitems(a->reasons, CK_ASK_NREASONS, true));

  json_t *gs = json_array();
  for (size_t i = 0; i < a->n_groups; i++)
    json_array_append_new(gs, jgroup(a, &a->groups[i]));
  jset(root, "groups", gs);

  json_t *pr = json_object();
  jset(pr, "practice", a->q.practice > 0 ? json_integer(a->q.practice) : NULL);
  json_t *reg = json_object();
  jcount(reg, "n", m, a->reg_n);
  bool ok = a->reg_shown == CK_SHOWN;
  jset(reg, "estimate", ok ? json_real(a->prediction.estimate) : NULL);
  jset(reg, "pi_low", ok ? json_real(a->prediction.lo) : NULL);
  jset(reg, "pi_high", ok ? json_real(a->prediction.hi) : NULL);
  jset(reg, "suppressed", json_boolean(!ok));
  if (!ok)
    jset(reg, "reason", json_string(a->q.practice <= 0
                                        ? "not_given"
                                        : ck_shown_reason(a->reg_shown)));
  jset(pr, "prediction", reg);
  json_t *gain = json_object();
  jset(gain, "min_gain", json_integer(a->gain_min));
  jset(gain, "found", json_boolean(a->gain_found));
  if (a->gain_found) {
    jset(gain, "widened", json_boolean(a->gain_widened));
    jset(gain, "band_from", a->gain_widened ? NULL : json_integer(a->gain_lo));
    jset(gain, "band_to", a->gain_widened ? NULL : json_integer(a->gain_hi));
    jcount(gain, "n", m, a->gain_n);
    jcount(gain, "gained", m, a->gain_ge);
    jcount(gain, "gained_less", m, a->gain_lt);
    jset(gain, "rate", jrate(m, &a->gain_rate));
  }
  jset(pr, "gain", gain);
  jset(root, "practice", pr);

  int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                     JSON_REAL_PRECISION(15));
  json_decref(root);
  if (rc != 0 || fputc('\n', out) == EOF || fflush(out) != 0 || ferror(out))
    return CK_EIO;
  return CK_OK;
}

ck_ask_render_fn ck_ask_renderer(const char *format) {
  static const struct {
    const char *name;
    ck_ask_render_fn fn;
  } table_[] = {{"text", ck_ask_render_text},
                {"md", ck_ask_render_md},
                {"json", ck_ask_render_json},
                {"html", ck_ask_render_html},
                {"pdf", ck_ask_render_pdf}};
  for (size_t i = 0; i < sizeof table_ / sizeof table_[0]; i++)
    if (format != NULL && strcmp(format, table_[i].name) == 0)
      return table_[i].fn;
  return NULL;
}
