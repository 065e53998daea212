/*
 * render_ask.c - the ask sheet's content, written through the block ops of
 * the text, Markdown and HTML renderers (its JSON is in render_json.c)
 * SPDX-License-Identifier: MIT
 *
 * Like the report renderers, these only format the built, suppressed sheet:
 * every count comes from a.model through the shared formatting helpers, so
 * a withheld count prints "withheld" (JSON null) whatever its size.
 */
#include "ckcohort/ask.h"
#include "render_util.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const program_names[4] = {"Academic", "Community", "Other",
                                             "(not given)"};

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
  d->in_list = false;
  free(owned);
}

/* A list item; the list is attached to the paragraph before it in text
 * and Markdown. */
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
    snprintf(buf, cap, "pass%d to pass%d (%d–%d at a pass mark of %d)", b->lo,
             b->hi, a->pass_mark + b->lo, a->pass_mark + b->hi, a->pass_mark);
  else
    snprintf(buf, cap, "pass+%d to pass+%d (%d–%d at a pass mark of %d)", b->lo,
             b->hi, a->pass_mark + b->lo, a->pass_mark + b->hi, a->pass_mark);
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
  size_t n = 0;
  if (a->id != NULL) /* a questions file's id: the advisor's label */
    n = (size_t)snprintf(buf, cap, "Question %s: ", a->id);
  if (n < cap)
    n += (size_t)snprintf(buf + n, cap - n, "Score %d", a->q.score);
  if (a->q.practice > 0 && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, ", practice average %d",
                          a->q.practice);
  if (a->q.specialty && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, ", target %s (%s%s%s%s)",
                          a->specialty ? a->specialty : a->q.specialty,
                          a->tier == CK_TIER_NONE
                              ? (a->specialty_known ? "no tier"
                                                    : "not in the specialty "
                                                      "table: no tier")
                              : ck_tier_name(a->tier),
                          a->specialty_near ? "; did you mean " : "",
                          a->specialty_near ? a->specialty_near : "",
                          a->specialty_near ? "?" : "");
  if (a->q.weeks >= 0 && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, ", %d protected weeks", a->q.weeks);
  if (a->q.eras_submitted && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, ", ERAS submitted");
  else if (a->q.applying_this_cycle && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, ", applying this cycle");
  else if (a->q.not_applying && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, ", not applying this cycle");
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
                "another group.",
                a->min_cell));
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
                 "withheld to protect another group)",
                 t, a->min_cell));
  }
  struct ck_table *t = ck_table_new("lr", "Measure", "Value", NULL);
  ck_table_row(t, 0, "Applicants", ck_fmt_count(b1, m, g->n));
  ck_table_row(t, 0, "Matched", ck_fmt_count(b1, m, g->matched));
  ck_table_row(t, 0, "Not matched", ck_fmt_count(b1, m, g->unmatched));
  ck_table_row(t, 0, "Match rate", ck_fmt_rate(b2, m, &g->match_rate, false));
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
  if (ck_rate_state(m, &g->match_rate) == CK_SHOWN) {
    const struct ck_est *e = &g->match_rate.est;
    para(d, fmt("In plain words: about %.0f in 100 of these applicants "
                "matched; with this many, anything from about %.0f to %.0f "
                "in 100 fits the data.",
                100 * e->estimate, 100 * e->lo, 100 * e->hi));
  }
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
                "are not listed.",
                a->min_cell));
  }
}

static void second_label(char *lab, size_t cap, const struct ck_ask *a,
                         size_t i) {
  const struct ck_ask_second *s = &a->second[i];
  if (i == 0)
    snprintf(lab, cap, "All who failed, then passed");
  else if (s->hi < 0)
    snprintf(lab, cap, "Failed again (passed later)");
  else if (s->hi >= 300)
    snprintf(lab, cap, "pass+%d or more (%d or more)", s->lo,
             a->pass_mark + s->lo);
  else
    snprintf(lab, cap, "pass+%d to pass+%d (%d–%d)", s->lo, s->hi,
             a->pass_mark + s->lo, a->pass_mark + s->hi);
}

/* A failing score's sheet: failed then passed, by the second attempt.  A
 * band is listed only when its size can be shown (a band not listed is not
 * a withheld cell but a row the grid does not publish); the total's
 * matched and not matched are the report's failed-then-passed group, shown
 * here only when the grid publishes them. */
static void second_section(struct ck_doc *d, const struct ck_ask *a) {
  const struct ck_report *m = a->model;
  char b1[CK_FMT_CAP], b2[CK_FMT_CAP], b3[CK_FMT_CAP], b4[CK_FMT_CAP];
  char lab[96], unlisted[400] = "";
  heading(d, 3, "Applicants who failed, then passed: by their second score");
  para(d, fmt("Everyone in the cohort who failed the first attempt and "
              "passed a later one (any first score, any target specialty), "
              "by how far their second attempt was from the pass mark in "
              "force on its date (earlier applicants, not a prediction of "
              "your retake):"));
  struct ck_table *t =
      ck_table_new("lrrrr", "Second attempt", "Applicants", "Matched",
                   "Not matched", "Match rate", NULL);
  size_t nu = 0;
  for (size_t i = 0; i < a->n_second; i++) {
    const struct ck_ask_second *s = &a->second[i];
    second_label(lab, sizeof lab, a, i);
    bool split = m->cells[s->matched].shown == CK_SHOWN &&
                 m->cells[s->unmatched].shown == CK_SHOWN;
    if (i > 0 && m->cells[s->n].shown != CK_SHOWN) {
      size_t used = strlen(unlisted);
      snprintf(unlisted + used, sizeof unlisted - used, "%s%s",
               nu++ ? "; " : "", lab);
      continue;
    }
    ck_table_row(t, 0, lab, ck_fmt_count(b1, m, s->n),
                 i == 0 && !split ? "" : ck_fmt_count(b2, m, s->matched),
                 i == 0 && !split ? "" : ck_fmt_count(b3, m, s->unmatched),
                 i == 0 && !split ? ""
                                  : ck_fmt_rate(b4, m, &s->match_rate, false));
  }
  table(d, t);
  para(d, fmt("Scores in brackets at a pass mark of %d.%s%s%s A band's "
              "matched and not matched are shown only when neither, nor "
              "anything worked out from them and the total, is below %zu.",
              a->pass_mark,
              nu ? " Not listed (fewer than the minimum, or kept back so "
                   "that no band can be worked out from the others and the "
                   "total): "
                 : "",
              unlisted, nu ? "." : "", a->min_cell));
}

/* Retakers by protected study weeks, or why the data cannot say. */
static void weeks_section(struct ck_doc *d, const struct ck_ask *a) {
  const struct ck_report *m = a->model;
  char b1[CK_FMT_CAP], b2[CK_FMT_CAP], b3[CK_FMT_CAP];
  heading(d, 3, "Protected study weeks and the retake");
  if (!a->weeks_in_data) {
    para(d, fmt("The school's data cannot answer how many weeks of study "
                "helped: no applicant who retook has protected study weeks "
                "recorded (column dedicated_weeks)."));
    return;
  }
  para(d, fmt("Applicants who took Step 2 CK a second time (nearly all "
              "after failing the first) and have "
              "protected study weeks recorded (dedicated_weeks), by "
              "whether they had at least %d weeks, and how many gained %d "
              "points or more on the second attempt (weeks were not "
              "assigned, and students who took more time may differ in "
              "other ways):",
              a->min_weeks, a->gain_min));
  char gained[48];
  snprintf(gained, sizeof gained, "Gained %d or more", a->gain_min);
  struct ck_table *t = ck_table_new("lrrr", "Protected weeks", "Retakers",
                                    gained, "Share", NULL);
  char unlisted[160] = "";
  size_t nu = 0, listed = 0;
  for (int i = 0; i < 3; i++) {
    const struct ck_ask_weeks *w = &a->weeks[i];
    char lab[64];
    if (i == 0)
      snprintf(lab, sizeof lab, "All with weeks recorded");
    else
      snprintf(lab, sizeof lab, i == 1 ? "Fewer than %d" : "%d or more",
               a->min_weeks);
    if (m->cells[w->n].shown != CK_SHOWN) { /* not a withheld cell: a row
                                                the grid does not publish */
      size_t used = strlen(unlisted);
      snprintf(unlisted + used, sizeof unlisted - used, "%s%s",
               nu++ ? "; " : "", lab);
      continue;
    }
    listed++;
    ck_table_row(t, 0, lab, ck_fmt_count(b1, m, w->n),
                 ck_fmt_count(b2, m, w->ge),
                 ck_fmt_rate(b3, m, &w->rate, false));
  }
  if (listed > 0)
    table(d, t);
  else
    ck_table_free(t);
  if (nu > 0)
    para(d, fmt("Not listed (fewer than %zu, or kept back so that it cannot "
                "be worked out from another count): %s.",
                a->min_cell, unlisted));
  const struct ck_rate *lt = &a->weeks[1].rate, *ge = &a->weeks[2].rate;
  if (ck_rate_state(m, lt) == CK_SHOWN && ck_rate_state(m, ge) == CK_SHOWN) {
    bool apart = lt->est.hi < ge->est.lo || ge->est.hi < lt->est.lo;
    para(d, fmt("In plain words: about %.0f in 100 retakers with fewer than "
                "%d weeks gained %d points or more, and about %.0f in 100 "
                "with %d weeks or more; %s",
                100 * lt->est.estimate, a->min_weeks, a->gain_min,
                100 * ge->est.estimate, a->min_weeks,
                apart ? "the intervals do not overlap, so the data do tell "
                        "the two apart (which is still not proof that the "
                        "weeks caused it)."
                      : "the intervals overlap, so these data cannot tell "
                        "the two apart."));
  }
  int mine = a->q.weeks >= a->min_weeks ? 2 : 1;
  if (a->q.weeks >= 0 && m->cells[a->weeks[mine].n].shown != CK_SHOWN)
    para(d, fmt("You gave %d protected weeks; that row is not listed.",
                a->q.weeks));
  else if (a->q.weeks >= 0)
    para(d, a->q.weeks >= a->min_weeks
                ? fmt("You gave %d protected weeks: the \"%d or more\" row.",
                      a->q.weeks, a->min_weeks)
                : fmt("You gave %d protected weeks: the \"Fewer than %d\" "
                      "row.",
                      a->q.weeks, a->min_weeks));
  else
    para(d, fmt("Protected weeks: not given (give --weeks)."));
}

/* One row per fact the student gave (or did not): the article's checklist
 * (reasons for a retake) and its "probably not" list (against) share
 * facts, so each fact is shown once, on the one side the article puts it,
 * and anything the student did not supply is "not given". */
static void article_table(struct ck_doc *d, const struct ck_ask *a) {
  const struct ck_ask_query *q = &a->q;
  char v[160], why[200];
  struct ck_table *t = ck_table_new("lll", "Fact", "You gave",
                                    "How the article counts it", NULL);
  snprintf(v, sizeof v, "%d (pass mark %d; low pass up to %d)", q->score,
           a->pass_mark, a->band_top);
  ck_table_row(t, 0, "First score", v,
               q->score <= a->band_top
                   ? "for a retake: a low pass is the case it discusses"
                   : "against: above the low-pass band it discusses");
  if (q->specialty == NULL || a->tier == CK_TIER_NONE) {
    ck_table_row(t, 0, "Target specialty",
                 q->specialty == NULL ? "not given"
                                      : "not in the specialty table (no tier)",
                 q->specialty == NULL ? "not given"
                                      : "cannot be placed: the specialty has "
                                        "no tier");
  } else {
    snprintf(v, sizeof v, "%s (%s tier)", a->specialty ? a->specialty : "",
             ck_tier_name(a->tier));
    ck_table_row(t, 0, "Target specialty", v,
                 a->tier == CK_TIER_FORGIVING
                     ? "against: a forgiving specialty does not need a "
                       "higher score"
                 : a->tier == CK_TIER_MIDDLE
                     ? "for a retake: a middle-tier target a big score jump "
                       "could bring within reach"
                     : "against: very competitive, out of reach even after "
                       "a big jump");
  }
  if (q->practice > 0) {
    snprintf(v, sizeof v, "%d", q->practice);
    snprintf(why, sizeof why,
             q->practice >= a->practice_threshold
                 ? "for a retake: at least %d, consistently high"
                 : "against: below the %d it calls consistently high",
             a->practice_threshold);
    ck_table_row(t, 0, "Practice-exam average", v, why);
  } else {
    ck_table_row(t, 0, "Practice-exam average", "not given", "not given");
  }
  if (q->weeks >= 0) {
    snprintf(v, sizeof v, "%d", q->weeks);
    snprintf(why, sizeof why,
             q->weeks >= a->min_weeks
                 ? "for a retake: at least %d weeks of real study time"
                 : "against: fewer than %d weeks of real study time",
             a->min_weeks);
    ck_table_row(t, 0, "Protected study weeks", v, why);
  } else {
    ck_table_row(t, 0, "Protected study weeks", "not given", "not given");
  }
  if (q->eras_submitted || q->applying_this_cycle)
    ck_table_row(t, 0, "Application cycle",
                 q->eras_submitted ? "ERAS submitted" : "applying this cycle",
                 "against: mid-cycle, a retake score may come too late");
  else if (q->not_applying)
    ck_table_row(t, 0, "Application cycle", "not applying this cycle",
                 "for a retake: not mid-cycle, a new score has time to "
                 "be seen");
  else
    ck_table_row(t, 0, "Application cycle", "not given", "not given");
  ck_table_row(t, 0, "Why retake, and a second low score being seen",
               "not given",
               "for you to weigh: the article counts "
               "wanting to feel better against, and accepting the risk for");
  d->in_list = false;
  d->ops->table(d, t);
  ck_table_free(t);
}

static enum ck_status body(struct ck_doc *d, const void *arg) {
  const struct ck_ask *a = arg;
  const struct ck_report *m = a->model;
  char b1[CK_FMT_CAP], b2[CK_FMT_CAP], b3[CK_FMT_CAP], q[512];

  heading(d, 1, "Step 2 CK: evidence sheet for one student");
  char cohort[200], gen[CK_FMT_CAP];
  ck_cohort_line(cohort, sizeof cohort, a->records, a->year_min, a->year_max);
  ck_fmt_day(gen, a->generated);
  para(d, fmt("%s Cohort: %s. Counts below %zu are never shown. Disclosure "
              "policy: %s (docs/privacy.md).%s%s%s",
              query_line(q, sizeof q, a), cohort, a->min_cell,
              ck_privacy_name(a->policy), gen[0] ? " Generated " : "", gen,
              gen[0] ? "." : ""));

  heading(d, 2, "1. The USMLE rule");
  const char *on = ck_fmt_date(b1, a->q.today == CK_NO_DATE ? a->pass_mark_from
                                                            : a->q.today);
  if (a->passing)
    para(d,
         fmt("A score of %d is a pass: the pass mark in force on %s is %d "
             "(since %s). USMLE does not allow retaking a passed Step, "
             "except to meet a state board's time limit for completing "
             "the exams, so this score cannot be retaken to raise it. "
             "Everything below describes what happened to earlier "
             "applicants; none of it is a recommendation.",
             a->q.score, on, a->pass_mark, ck_fmt_date(b2, a->pass_mark_from)));
  else
    para(d,
         fmt("A score of %d is below the pass mark in force on %s (%d, "
             "since %s): a retake is required to pass Step 2 CK. This "
             "sheet is about that retake: what happened to earlier "
             "applicants who failed their first attempt, and what "
             "second attempts looked like.",
             a->q.score, on, a->pass_mark, ck_fmt_date(b2, a->pass_mark_from)));

  heading(d, 2, "2. What the article weighs, and why it does not apply");
  if (a->passing) {
    para(d, fmt("The article \"%s\" (%s, %s) weighs a retake after a low "
                "pass. Its reasoning assumes a passed Step can be retaken, "
                "which USMLE rules do not allow, so it does not apply here. "
                "For reference, this is how it would read what you gave; "
                "each fact appears once, on the side the article puts it.",
                CK_ARTICLE_TITLE, CK_ARTICLE_SOURCE, CK_ARTICLE_DATE));
    article_table(d, a);
  } else {
    para(d, fmt("The article \"%s\" (%s, %s) is about retaking after a "
                "low pass. With a failing score the retake is required, so "
                "its reasons for and against retaking do not apply.",
                CK_ARTICLE_TITLE, CK_ARTICLE_SOURCE, CK_ARTICLE_DATE));
  }

  heading(d, 2, "3. Applicants like you");
  para(d, fmt("Groups come from a fixed grid: first score relative to the "
              "pass mark in force on each applicant's own test date, target "
              "specialty, then its tier, then everyone; all Match years "
              "together. Each group is widened along the grid until it can "
              "be shown (at least %zu applicants, and no other answer of "
              "the grid could be subtracted from it to reach a smaller "
              "group).",
              a->min_cell));
  for (size_t i = 0; i < a->n_groups; i++)
    group_section(d, a, &a->groups[i]);
  if (d->ops->ask_figure != NULL) {
    d->ops->ask_figure(d, a);
    d->in_list = false;
  }
  if (a->n_second > 0)
    second_section(d, a);

  heading(d, 3,
          a->passing ? "Second attempts of applicants who failed and "
                       "retook"
                     : "Practice average and the retake score");
  if (a->passing)
    para(d, fmt("These figures come from applicants who took Step 2 CK a "
                "second time, which under USMLE rules means nearly all of "
                "them had failed the first attempt. They describe those "
                "retakes; they are not a prediction for a passing score, "
                "which cannot be retaken."));
  if (!a->practice_in_data) {
    para(d, fmt("The school's data cannot answer how practice scores relate "
                "to retake scores: no applicant who retook has a practice "
                "average before the retake recorded (column "
                "practice_avg_2)."));
  } else if (a->q.practice <= 0) {
    para(d, fmt("Practice average: not given, so no retake score is "
                "estimated (give --practice)."));
  } else {
    if (a->reg_shown == CK_SHOWN) {
      para(d, fmt("Retake score of applicants who failed and retook, "
                  "estimated for a practice average of %d: %s (95%% "
                  "prediction interval %s–%s), from a straight line fitted "
                  "to the %s applicants with a second attempt and a practice "
                  "average before it.",
                  a->q.practice, ck_fmt_score(b1, a->prediction.estimate),
                  ck_fmt_score(b2, a->prediction.lo),
                  ck_fmt_score(b3, a->prediction.hi),
                  ck_fmt_count(q, m, a->reg_n)));
      para(d, fmt("In plain words: about %s of retakers with that practice "
                  "average would be expected to score between %s and %s.",
                  ck_fmt_conf(b1, a->confidence),
                  ck_fmt_score(b2, a->prediction.lo),
                  ck_fmt_score(b3, a->prediction.hi)));
      if (!a->passing)
        para(d, fmt("%s",
                    a->pass_mark <= a->prediction.lo
                        ? "The whole range is at or above the pass mark: "
                          "such retakers would be expected to pass."
                    : a->pass_mark > a->prediction.hi
                        ? "The whole range is below the pass mark: most such "
                          "retakers would be expected not to pass."
                        : "The pass mark falls inside this range: some such "
                          "retakers would be expected to score below it."));
    } else {
      para(d, fmt("Retake score for a practice average of %d: %s (applicants "
                  "with a second attempt and a practice average: %s).",
                  a->q.practice,
                  a->reg_shown == CK_NOT_ENOUGH_DATA ? CK_TXT_NED
                                                     : CK_TXT_WITHHELD,
                  ck_fmt_count(b1, m, a->reg_n)));
    }
    if (!a->gain_found)
      para(d, fmt("Share of retakers (applicants who failed and retook) with "
                  "a similar practice average who gained %d points or more: "
                  "withheld.",
                  a->gain_min));
    else if (a->gain_widened)
      para(d,
           fmt("Of all %s retakers (applicants who failed and retook) "
               "with a practice average (the band around yours could not "
               "be shown), %s gained %d points or more: %s.",
               ck_fmt_count(b1, m, a->gain_n), ck_fmt_count(b2, m, a->gain_ge),
               a->gain_min, ck_fmt_rate(q, m, &a->gain_rate, false)));
    else
      para(d, fmt("Of the %s retakers (applicants who failed and retook) "
                  "whose practice average before the retake was %d–%d, %s "
                  "gained %d points or more: %s.",
                  ck_fmt_count(b1, m, a->gain_n), a->gain_lo, a->gain_hi,
                  ck_fmt_count(b2, m, a->gain_ge), a->gain_min,
                  ck_fmt_rate(q, m, &a->gain_rate, false)));
  }

  weeks_section(d, a);

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
               "from this or another sheet.",
               a->min_cell));
  if (a->ledger)
    itemf(d, fmt("Releases: checked against %zu earlier release%s in the "
                 "release ledger (reports, exports and sheets): no count this "
                 "sheet withholds can be worked out from them and it "
                 "together, and the sheet is recorded there.",
                 a->releases_checked, a->releases_checked == 1 ? "" : "s"));
  else
    itemf(d, fmt("Releases: not checked against earlier releases (no "
                 "release ledger): with last year's report beside it, a "
                 "reader may work out counts this sheet withholds."));
  return CK_OK;
}

/* A sheet whose counts have not been through ck_suppress is refused. */
static bool checked(const struct ck_ask *a) {
  return a != NULL && a->model != NULL && a->model->checked;
}

enum ck_status ck_ask_doc(struct ck_doc *d, const struct ck_ask *a) {
  return body(d, a);
}

enum ck_status ck_ask_render_text(FILE *out, const struct ck_ask *a) {
  if (!checked(a))
    return CK_EUSAGE;
  return ck_doc_run_text(out, body, a);
}

enum ck_status ck_ask_render_md(FILE *out, const struct ck_ask *a) {
  if (!checked(a))
    return CK_EUSAGE;
  return ck_doc_run_md(out, body, a);
}

enum ck_status ck_ask_render_many(FILE *out, const char *format,
                                  const struct ck_ask *const *sheets,
                                  size_t n) {
  if (format != NULL && strcmp(format, "json") == 0)
    return ck_ask_render_json_many(out, sheets, n);
  bool md = format != NULL && strcmp(format, "md") == 0;
  if (out == NULL || (!md && (format == NULL || strcmp(format, "text") != 0)))
    return CK_EUSAGE;
  for (size_t i = 0; i < n; i++)
    if (!checked(sheets[i]))
      return CK_EUSAGE;
  for (size_t i = 0; i < n; i++) {
    /* a page break between text sheets (one printed sheet a page), a
     * thematic break between Markdown ones */
    if (i > 0 && fputs(md ? "\n---\n\n" : "\f\n", out) == EOF)
      return CK_EIO;
    enum ck_status st = md ? ck_ask_render_md(out, sheets[i])
                           : ck_ask_render_text(out, sheets[i]);
    if (st != CK_OK)
      return st;
  }
  return fflush(out) == 0 && !ferror(out) ? CK_OK : CK_EIO;
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
