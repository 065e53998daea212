/*
 * ask.c - one student's evidence sheet: policy, the article's checklist,
 * and "applicants like you" from the fixed grid (ask_grid.c)
 * SPDX-License-Identifier: MIT
 */
#include "ckcohort/ask.h"
#include "ckcohort/analyse.h"
#include "classify.h"
#include "stats.h"
#include "ask_grid.h"
#include "ledger_grid.h"
#include "util.h"
#include "report_model.h"
#include "ask_model.h"
#include "config_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ck_ask_state_name(enum ck_ask_state s, bool reason) {
  switch (s) {
  case CK_ASK_MET:
    return reason ? "applies" : "met";
  case CK_ASK_NOT_MET:
    return reason ? "does not apply" : "not met";
  default:
    return "not given";
  }
}

const char *ck_ask_state_id(enum ck_ask_state s, bool reason) {
  switch (s) {
  case CK_ASK_MET:
    return reason ? "applies" : "met";
  case CK_ASK_NOT_MET:
    return reason ? "does_not_apply" : "not_met";
  default:
    return "not_given";
  }
}

const char *ck_ask_level_id(enum ck_ask_level l) {
  return l == CK_ASK_SPECIALTY ? "specialty"
         : l == CK_ASK_TIER    ? "tier"
                               : "all";
}

const char *ck_ask_kind_id(enum ck_ask_kind k) {
  static const char *ids[] = {"no_retake", "retook", "failed_then_passed",
                              "failed_never_passed"};
  return (unsigned)k < CK_ASK_NKIND ? ids[k] : "unknown";
}

/* ---- the article's checklist (section 6), on what the student gave ---- */

static void item(struct ck_ask_item *it, const char *id, const char *text,
                 enum ck_ask_state st, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#include <stdarg.h>
static void item(struct ck_ask_item *it, const char *id, const char *text,
                 enum ck_ask_state st, const char *fmt, ...) {
  va_list ap;
  it->id = id;
  it->text = text;
  it->state = st;
  va_start(ap, fmt);
  vsnprintf(it->detail, sizeof it->detail, fmt, ap);
  va_end(ap);
}

void ck_ask_evaluate(struct ck_ask *a) {
  const struct ck_ask_query *q = &a->q;
  bool practice = q->practice > 0, weeks = q->weeks >= 0;
  bool cycle = q->applying_this_cycle || q->eras_submitted;
  const char *tn = ck_tier_name(a->tier);

  item(&a->checks[0], "score_low_pass", "Your score is a low pass or lower",
       q->score <= a->band_top ? CK_ASK_MET : CK_ASK_NOT_MET,
       "%d, threshold at most %d (pass mark %d + %d)", q->score, a->band_top,
       a->pass_mark, a->low_pass_margin);
  if (a->tier == CK_TIER_NONE)
    item(&a->checks[1], "target_attainable",
         "Your target specialty is still within reach with a big score jump",
         CK_ASK_NOT_GIVEN, "%s",
         q->specialty == NULL ? "no target specialty given"
                              : "specialty has no tier in the config");
  else
    item(&a->checks[1], "target_attainable",
         "Your target specialty is still within reach with a big score jump",
         a->tier == CK_TIER_VERY_COMPETITIVE ? CK_ASK_NOT_MET : CK_ASK_MET,
         "tier %s; middle or forgiving counts as within reach", tn);
  if (practice)
    item(&a->checks[2], "practice_high",
         "Your practice exams (NBME/UWSA) were consistently high",
         q->practice >= a->practice_threshold ? CK_ASK_MET : CK_ASK_NOT_MET,
         "%d, threshold at least %d", q->practice, a->practice_threshold);
  else
    item(&a->checks[2], "practice_high",
         "Your practice exams (NBME/UWSA) were consistently high",
         CK_ASK_NOT_GIVEN, "threshold at least %d", a->practice_threshold);
  if (weeks)
    item(&a->checks[3], "protected_weeks",
         "You have enough protected weeks to study again",
         q->weeks >= a->min_weeks ? CK_ASK_MET : CK_ASK_NOT_MET,
         "%d weeks, threshold at least %d", q->weeks, a->min_weeks);
  else
    item(&a->checks[3], "protected_weeks",
         "You have enough protected weeks to study again", CK_ASK_NOT_GIVEN,
         "threshold at least %d weeks", a->min_weeks);
  /* Absent flags are not a "no": only --not-applying-this-cycle says the
   * student is out of the cycle, so the item is "not given" without it. */
  item(&a->checks[4], "not_mid_cycle",
       "You are not in a cycle with ERAS submitted or interviews coming",
       cycle             ? CK_ASK_NOT_MET
       : q->not_applying ? CK_ASK_MET
                         : CK_ASK_NOT_GIVEN,
       "%s",
       q->eras_submitted        ? "ERAS already submitted"
       : q->applying_this_cycle ? "applying this cycle"
       : q->not_applying        ? "not applying this cycle"
                                : "no application cycle given");
  item(&a->checks[5], "accept_risk",
       "You can live with a second underwhelming score being seen",
       CK_ASK_NOT_GIVEN, "for the student to answer");

  item(&a->reasons[0], "same_cycle_after_pass",
       "You already passed and are in the same application cycle",
       !a->passing || q->not_applying ? CK_ASK_NOT_MET
       : cycle                        ? CK_ASK_MET
                                      : CK_ASK_NOT_GIVEN,
       "%s",
       !a->passing       ? "the score is below the pass mark"
       : cycle           ? "passed, applying this cycle"
       : q->not_applying ? "passed, not applying this cycle"
                         : "passed; no application cycle given");
  if (a->tier == CK_TIER_NONE)
    item(&a->reasons[1], "forgiving_target",
         "Your target is forgiving of a low score (FM, many IM programs, "
         "psychiatry, pediatrics)",
         CK_ASK_NOT_GIVEN, "no tier");
  else
    item(&a->reasons[1], "forgiving_target",
         "Your target is forgiving of a low score (FM, many IM programs, "
         "psychiatry, pediatrics)",
         a->tier == CK_TIER_FORGIVING ? CK_ASK_MET : CK_ASK_NOT_MET, "tier %s",
         tn);
  if (practice)
    item(&a->reasons[2], "practice_not_higher",
         "Your practice tests were never much higher than your real score",
         q->practice < q->score + CK_ASK_BIG_GAP ? CK_ASK_MET : CK_ASK_NOT_MET,
         "practice %d vs score %d; much higher means %d or more above",
         q->practice, q->score, CK_ASK_BIG_GAP);
  else
    item(&a->reasons[2], "practice_not_higher",
         "Your practice tests were never much higher than your real score",
         CK_ASK_NOT_GIVEN, "no practice average given");
  if (weeks)
    item(&a->reasons[3], "no_dedicated_time",
         "You cannot set aside real, dedicated study time",
         q->weeks < a->min_weeks ? CK_ASK_MET : CK_ASK_NOT_MET,
         "%d weeks, fewer than %d counts", q->weeks, a->min_weeks);
  else
    item(&a->reasons[3], "no_dedicated_time",
         "You cannot set aside real, dedicated study time", CK_ASK_NOT_GIVEN,
         "no weeks given");
  item(&a->reasons[4], "feel_better",
       "You mainly want to feel better about the number", CK_ASK_NOT_GIVEN,
       "for the student to answer");
}

/* ---- building the sheet ------------------------------------------------ */

/* What every question over one cohort and settings shares: built once by
 * ck_ask_ctx_new, then only read (the grid's publication decisions must be
 * the same for every sheet, or two sheets could be subtracted). */
struct ck_ask_ctx {
  const struct ck_cohort *c;   /* borrowed */
  const struct ck_config *cfg; /* borrowed */
  struct ck_grid *g; /* owned; only read after ck_grid_new (struct build
                        holds it const) */
  size_t min_cell;
  int year_min, year_max;
  bool rap_in_report; /* the report shows retake_after_pass */
  bool reg_in_report; /* ... and its regression of all retakers */
  bool practice_in_data, weeks_in_data;
  bool fit_ok;             /* practice -> retake score fitted (fit valid) */
  bool ledger;             /* the report was checked against a release ledger */
  size_t releases_checked; /* ... and this many earlier releases in it */
  struct ck_linfit fit;
};

struct build {
  struct ck_ask *a;
  const struct ck_cohort *c;
  const struct ck_config *cfg;
  const struct ck_grid *g;
  const struct ck_ask_ctx *x;
};

/* A model cell for grid cell gi (0 and withheld when the grid has none). */
static size_t mcell(struct build *b, size_t gi, bool outcome) {
  long v = gi == CK_NO_CELL ? 0 : b->g->c[gi].v;
  size_t i = ck_report_cell(b->a->model, v, outcome);
  if (gi == CK_NO_CELL || !b->g->c[gi].pub)
    b->a->model->cells[i].shown = CK_HIDDEN_COMPLEMENT;
  return i;
}

static void rung_scope(struct build *b, struct ck_ask_rung *r,
                       enum ck_ask_level level) {
  r->level = level;
  const char *s = level == CK_ASK_ALL    ? "all"
                  : level == CK_ASK_TIER ? ck_tier_name(b->a->tier)
                  : b->a->specialty      ? b->a->specialty
                                         : b->a->specialty_given;
  snprintf(r->scope, sizeof r->scope, "%s", s ? s : "");
}

static int scope_code(struct build *b, enum ck_ask_level level, int spec) {
  if (level == CK_ASK_ALL)
    return CK_GRID_ALL(b->g);
  if (level == CK_ASK_TIER)
    return CK_GRID_TIER(b->g, b->a->tier);
  return spec;
}

static void fill_group(struct build *b, struct ck_ask_group *grp, int k, int r,
                       int s) {
  const struct ck_grid *g = b->g;
  struct ck_report *m = b->a->model;
  grp->n = mcell(b, ck_grid_find(g, k, r, s, CK_GO_N), false);
  grp->matched = mcell(b, ck_grid_find(g, k, r, s, CK_GO_M), true);
  grp->unmatched = mcell(b, ck_grid_find(g, k, r, s, CK_GO_U), true);
  grp->matched_target = mcell(b, ck_grid_find(g, k, r, s, CK_GO_MT), true);
  grp->missed_target = mcell(b, ck_grid_find(g, k, r, s, CK_GO_XT), true);
  size_t p2[2] = {grp->matched, grp->unmatched};
  ck_report_constraint(m, grp->n, p2, 2);
  p2[0] = grp->matched_target;
  p2[1] = grp->missed_target;
  ck_report_constraint(m, grp->n, p2, 2);
  for (int p = 0; p < 4; p++)
    grp->programs[p] = mcell(b, ck_grid_find(g, k, r, s, CK_GO_PROG + p), true);
  ck_report_constraint(m, grp->matched, grp->programs, 4);
  size_t *parts = ck_xcalloc(g->S + 1, sizeof *parts), np = 0;
  grp->into = ck_xcalloc(g->S + 1, sizeof *grp->into);
  size_t *into_cell = ck_xcalloc(g->S + 1, sizeof *into_cell);
  for (size_t sp = 0; sp <= g->S; sp++) {
    size_t gi = ck_grid_find(g, k, r, s, CK_GO_INTO + (int)sp);
    into_cell[sp] = CK_NO_CELL;
    if (gi == CK_NO_CELL)
      continue;
    into_cell[sp] = parts[np++] = mcell(b, gi, true);
  }
  if (np > 0)
    ck_report_constraint(m, grp->matched, parts, np);
  /* names are attached after suppression: only shown ones are listed */
  for (size_t sp = 0; sp <= g->S; sp++) {
    if (into_cell[sp] == CK_NO_CELL)
      continue;
    struct ck_ask_into *in = &grp->into[grp->n_into++];
    in->cell = into_cell[sp];
    const char *nm =
        sp == g->S ? "(not given)" : ck_cohort_specialty_name(b->c, (int)sp);
    in->name = ck_xstrdup(nm ? nm : "");
  }
  free(into_cell);
  free(parts);
}

/* Walk the ladder of one group: the first rung whose size, matched and
 * unmatched counts are all published is used. */
static void ladder(struct build *b, struct ck_ask_group *grp,
                   enum ck_ask_kind kind, const struct ck_ask_band *fine,
                   struct ck_ask_band zone, int spec) {
  struct ck_ask *a = b->a;
  grp->kind = kind;
  for (int lv = CK_ASK_SPECIALTY; lv <= CK_ASK_ALL; lv++) {
    if (lv == CK_ASK_SPECIALTY && a->q.specialty == NULL)
      continue;
    if (lv == CK_ASK_TIER && a->tier == CK_TIER_NONE)
      continue;
    for (int z = fine ? 0 : 1; z <= 1; z++) {
      struct ck_ask_rung r;
      memset(&r, 0, sizeof r);
      r.band = z ? zone : *fine;
      rung_scope(b, &r, (enum ck_ask_level)lv);
      int s = scope_code(b, (enum ck_ask_level)lv, spec);
      bool ok = s >= 0;
      for (int o = CK_GO_N; ok && o <= CK_GO_U; o++) {
        size_t gi = ck_grid_find(b->g, kind, r.band.code, s, o);
        ok = gi != CK_NO_CELL && b->g->c[gi].pub;
      }
      if (ok) {
        grp->found = true;
        grp->used = r;
        fill_group(b, grp, kind, r.band.code, s);
        return;
      }
      if (grp->n_tried < CK_ASK_MAX_STEPS)
        grp->tried[grp->n_tried++] = r;
    }
  }
}

static void set_rate(struct build *b, struct ck_rate *rate, size_t x,
                     size_t n) {
  const struct ck_report *m = b->a->model;
  memset(rate, 0, sizeof *rate);
  rate->x = x;
  rate->n = n;
  rate->shown = CK_HIDDEN_DERIVED;
  if (x == CK_NO_CELL || n == CK_NO_CELL || m->cells[x].shown != CK_SHOWN ||
      m->cells[n].shown != CK_SHOWN)
    return;
  rate->shown = CK_NOT_ENOUGH_DATA;
  struct ck_est e;
  size_t xv = (size_t)m->cells[x].value, nv = (size_t)m->cells[n].value;
  enum ck_status st = b->cfg->clopper_pearson
                          ? ck_prop_exact(xv, nv, b->cfg->confidence, &e)
                          : ck_prop_wilson(xv, nv, b->cfg->confidence, &e);
  if (st == CK_OK && isfinite(e.estimate) && isfinite(e.lo) && isfinite(e.hi)) {
    rate->est = e;
    rate->shown = CK_SHOWN;
  }
}

/* Practice -> retake score over everyone with a second attempt and
 * practice_avg_2 (R: lm(step2_attempt_2 ~ practice_avg_2) and predict with
 * interval = "prediction"); the line is the cohort's, fitted once. */
static void fit_practice(struct ck_ask_ctx *x, const struct ck_cohort *c) {
  double *px = ck_xcalloc(c->n_records + 1, sizeof *px);
  double *py = ck_xcalloc(c->n_records + 1, sizeof *py);
  size_t n = 0;
  for (size_t i = 0; i < c->n_records; i++) {
    const struct ck_record *rec = &c->records[i];
    if (rec->n_attempts < 2 || rec->score[1] <= 0 || rec->practice[1] <= 0)
      continue;
    px[n] = rec->practice[1];
    py[n] = rec->score[1];
    n++;
  }
  x->fit_ok = ck_linfit(px, py, n, &x->fit) == CK_OK;
  free(px);
  free(py);
}

static void regression(struct build *b) {
  struct ck_ask *a = b->a;
  a->reg_shown = CK_NOT_ENOUGH_DATA;
  if (a->q.practice <= 0 || !b->x->fit_ok)
    return;
  struct ck_est e;
  if (ck_linfit_predict(&b->x->fit, a->q.practice, b->cfg->confidence, &e) ==
          CK_OK &&
      isfinite(e.estimate) && isfinite(e.lo) && isfinite(e.hi)) {
    a->prediction = e;
    a->reg_shown = CK_SHOWN;
  }
}

static void gains(struct build *b) {
  struct ck_ask *a = b->a;
  const struct ck_grid *g = b->g;
  a->gain_min = b->cfg->change_significant_min;
  a->gain_n = a->gain_ge = a->gain_lt = CK_NO_CELL;
  if (a->q.practice <= 0)
    return;
  int lo, hi;
  ck_ask_practice_band(a->q.practice, &lo, &hi);
  int rs[2] = {lo, CK_GRID_PRACTICE_ALL};
  for (int i = 0; i < 2; i++) {
    size_t c[3];
    bool ok = true;
    for (int o = 0; o < 3; o++) {
      static const int outs[3] = {CK_GO_N, CK_GO_GE, CK_GO_LT};
      c[o] = ck_grid_find(g, CK_GRID_PRACTICE, rs[i], CK_GRID_ALL(g), outs[o]);
      ok = ok && c[o] != CK_NO_CELL && g->c[c[o]].pub;
    }
    if (!ok)
      continue;
    a->gain_found = true;
    a->gain_widened = i == 1;
    a->gain_lo = i == 0 ? lo : 0;
    a->gain_hi = i == 0 ? hi : 0;
    a->gain_n = mcell(b, c[0], false);
    a->gain_ge = mcell(b, c[1], true);
    a->gain_lt = mcell(b, c[2], true);
    size_t p2[2] = {a->gain_ge, a->gain_lt};
    ck_report_constraint(a->model, a->gain_n, p2, 2);
    return;
  }
}

/* Failed then passed by the second attempt (a failing score's sheet): the
 * grid's counts, and in the sheet's model the same sums the grid knows, so
 * that ck_suppress sees the bands and their total together. */
static void second_attempts(struct build *b) {
  struct ck_ask *a = b->a;
  const struct ck_grid *g = b->g;
  static const int los[5] = {CK_GRID_ZONE_FAIL, -CK_GRID_OPEN, 0, 10, 20};
  size_t parts[3][4];
  for (int i = 0; i < 5; i++) {
    struct ck_ask_second *s = &a->second[i];
    struct ck_ask_band band = ck_ask_second_band(los[i]);
    s->lo = i == 0 ? -CK_GRID_OPEN : band.lo;
    s->hi = i == 0 ? CK_GRID_OPEN : band.hi;
    size_t *cells[3] = {&s->n, &s->matched, &s->unmatched};
    for (int o = CK_GO_N; o <= CK_GO_U; o++) {
      *cells[o] =
          mcell(b, ck_grid_find(g, CK_GRID_SECOND, los[i], CK_GRID_ALL(g), o),
                o != CK_GO_N);
      if (i > 0)
        parts[o][i - 1] = *cells[o];
    }
    size_t p2[2] = {s->matched, s->unmatched};
    ck_report_constraint(a->model, s->n, p2, 2);
  }
  for (int o = CK_GO_N; o <= CK_GO_U; o++)
    ck_report_constraint(a->model,
                         o == CK_GO_N   ? a->second[0].n
                         : o == CK_GO_M ? a->second[0].matched
                                        : a->second[0].unmatched,
                         parts[o], 4);
  a->n_second = 5;
}

/* Retakers by protected weeks: all with dedicated_weeks, then fewer than
 * min_weeks and at least min_weeks; who gained gain_min or more. */
static void weeks_evidence(struct build *b) {
  struct ck_ask *a = b->a;
  const struct ck_grid *g = b->g;
  static const int rs[3] = {CK_GRID_WEEKS_ALL, 0, 1};
  size_t parts[3][2];
  for (int i = 0; i < 3; i++) {
    static const int outs[3] = {CK_GO_N, CK_GO_GE, CK_GO_LT};
    struct ck_ask_weeks *w = &a->weeks[i];
    size_t *cells[3] = {&w->n, &w->ge, &w->lt};
    for (int o = 0; o < 3; o++) {
      *cells[o] = mcell(
          b, ck_grid_find(g, CK_GRID_WEEKS, rs[i], CK_GRID_ALL(g), outs[o]),
          o != 0);
      if (i > 0)
        parts[o][i - 1] = *cells[o];
    }
    size_t p2[2] = {w->ge, w->lt};
    ck_report_constraint(a->model, w->n, p2, 2);
  }
  ck_report_constraint(a->model, a->weeks[0].n, parts[0], 2);
  ck_report_constraint(a->model, a->weeks[0].ge, parts[1], 2);
  ck_report_constraint(a->model, a->weeks[0].lt, parts[2], 2);
}

static int find_specialty(const struct ck_cohort *c,
                          const struct ck_config *cfg, const char *name) {
  int i = ck_config_specialty_find(cfg, name, strlen(name));
  if (i >= 0)
    return i;
  char want[256], have[256];
  ck_normalise_key(name, strlen(name), want, sizeof want);
  size_t n = ck_cohort_specialty_count(c);
  for (size_t s = 0; s < n; s++) {
    const char *nm = ck_cohort_specialty_name(c, (int)s);
    if (nm == NULL)
      continue;
    ck_normalise_key(nm, strlen(nm), have, sizeof have);
    if (want[0] && strcmp(want, have) == 0)
      return (int)s;
  }
  return -1;
}

static void today_mark(struct ck_ask *a, const struct ck_config *cfg) {
  size_t k = cfg->n_pass_marks - 1;
  if (a->q.today != CK_NO_DATE) {
    k = 0;
    for (size_t i = 0; i < cfg->n_pass_marks; i++)
      if (cfg->pass_marks[i].from <= a->q.today)
        k = i;
  }
  a->pass_mark = cfg->pass_marks[k].mark;
  a->pass_mark_from = cfg->pass_marks[k].from;
}

static bool query_ok(const struct ck_ask_query *q, struct ck_error *err) {
  if (q->score < 1 || q->score > 300 || q->practice < 0 || q->practice > 300 ||
      q->weeks < -1 || q->weeks > 52) {
    ck_error_set(err, CK_EUSAGE, NULL, 0, NULL,
                 "score and practice must be 1-300, weeks 0-52");
    return false;
  }
  if (q->not_applying && (q->applying_this_cycle || q->eras_submitted)) {
    ck_error_set(err, CK_EUSAGE, NULL, 0, NULL,
                 "not applying this cycle contradicts applying this cycle "
                 "or ERAS submitted");
    return false;
  }
  return true;
}

struct ck_ask_ctx *ck_ask_ctx_new(const struct ck_cohort *c,
                                  const struct ck_config *cfg,
                                  struct ck_error *err) {
  if (c == NULL || cfg == NULL || cfg->n_pass_marks == 0) {
    ck_error_set(err, CK_EUSAGE, NULL, 0, NULL, "no cohort or config");
    return NULL;
  }
  if (c->opt.tally)
    return ck_ask_ctx_new_from(c, cfg, NULL, err); /* its error */
  /* The report of the same cohort and settings, as published: the sheet
   * never shows what it withholds, nor anything that, with what it shows,
   * narrows a count below min_cell (docs/ask.md). */
  struct ck_report *rep = ck_analyse(c, cfg, err);
  if (rep == NULL)
    return NULL;
  if (ck_suppress(rep) != CK_OK) {
    ck_report_free(rep);
    ck_error_set(err, CK_EINTERNAL, NULL, 0, NULL,
                 "the privacy check of the report could not be finished; "
                 "no sheet was made");
    return NULL;
  }
  struct ck_ask_ctx *x = ck_ask_ctx_new_from(c, cfg, rep, err);
  ck_report_free(rep);
  return x;
}

static struct ck_ask_ctx *ctx_new(const struct ck_cohort *c,
                                  const struct ck_config *cfg,
                                  const struct ck_report *rep,
                                  const struct ck_gname *prior, size_t nprior,
                                  struct ck_error *err);

struct ck_ask_ctx *ck_ask_ctx_new_from(const struct ck_cohort *c,
                                       const struct ck_config *cfg,
                                       const struct ck_report *rep,
                                       struct ck_error *err) {
  return ctx_new(c, cfg, rep, NULL, 0, err);
}

struct ck_ask_ctx *ck_ask_ctx_new_after(const struct ck_cohort *c,
                                        const struct ck_config *cfg,
                                        const struct ck_report *rep,
                                        const struct ck_ledger *l,
                                        struct ck_error *err) {
  struct ck_gname *prior = NULL;
  size_t n = ck_ledger_prior_grid(l, &prior);
  struct ck_ask_ctx *x = ctx_new(c, cfg, rep, prior, n, err);
  free(prior);
  return x;
}

static struct ck_ask_ctx *ctx_new(const struct ck_cohort *c,
                                  const struct ck_config *cfg,
                                  const struct ck_report *rep,
                                  const struct ck_gname *prior, size_t nprior,
                                  struct ck_error *err) {
  if (c == NULL || cfg == NULL || cfg->n_pass_marks == 0) {
    ck_error_set(err, CK_EUSAGE, NULL, 0, NULL, "no cohort or config");
    return NULL;
  }
  /* The grid counts applicants one by one: a tally-mode cohort has kept
   * only some of them (most are counted per key), so the sheet would speak
   * of a fraction of the cohort as if it were all of it. */
  if (c->opt.tally) {
    ck_error_set(err, CK_EUSAGE, NULL, 0, NULL,
                 "the cohort was read with tally on (only some applicants "
                 "kept one by one); read it without tally for ask");
    return NULL;
  }
  /* an unchecked model would let the grid publish what the report
   * withholds */
  if (rep == NULL || !rep->checked) {
    ck_error_set(err, CK_EUSAGE, NULL, 0, NULL,
                 "the report of the cohort has not been checked by "
                 "ck_suppress");
    return NULL;
  }
  struct ck_ask_ctx *x = ck_xcalloc(1, sizeof *x);
  x->ledger = rep->ledger;
  x->releases_checked = rep->releases_checked;
  x->c = c;
  x->cfg = cfg;
  x->min_cell =
      cfg->min_cell < CK_MIN_CELL_FLOOR ? CK_MIN_CELL_FLOOR : cfg->min_cell;
  for (size_t i = 0; i < c->n_records; i++) {
    const struct ck_record *rec = &c->records[i];
    int y = rec->match_year;
    if (i == 0 || y < x->year_min)
      x->year_min = y;
    if (i == 0 || y > x->year_max)
      x->year_max = y;
    /* whether the data can answer at all: a column nobody filled in */
    if (rec->n_attempts < 2 || rec->score[1] <= 0)
      continue;
    x->practice_in_data |= rec->practice[1] > 0;
    x->weeks_in_data |= rec->dedicated_weeks >= 0;
  }
  x->rap_in_report = rep->cells[rep->retake_after_pass_cell].shown == CK_SHOWN;
  x->reg_in_report = rep->regression_all.shown != CK_HIDDEN_DERIVED;
  fit_practice(x, c);
  size_t missing = 0;
  x->g = ck_grid_new_after(c, cfg, rep, prior, nprior, &missing);
  if (missing > 0) {
    ck_error_set(err, CK_EDATA, NULL, 0, NULL,
                 "%zu group(s) earlier sheets of these students published "
                 "(release ledger) are not groups of these files: the data "
                 "changed since; no sheet was made",
                 missing);
    ck_ask_ctx_free(x);
    return NULL;
  }
  if (x->g->check_failed) {
    /* the grid withholds everything then; a sheet of nothing but
     * "withheld" would read as an answer, so no sheet is made */
    ck_error_set(err, CK_EINTERNAL, NULL, 0, NULL,
                 "the privacy check of the ask grid could not be finished "
                 "(a linear program failed); no sheet was made");
    ck_ask_ctx_free(x);
    return NULL;
  }
  return x;
}

enum ck_status
ck_ask_ledger_record(struct ck_ledger *l, const struct ck_report *r,
                     const struct ck_config *cfg, const struct ck_ask_ctx *x,
                     const char *sheet_json, struct ck_error *err) {
  if (l == NULL || r == NULL || x == NULL || sheet_json == NULL)
    return ck_error_set(err, CK_EUSAGE, NULL, 0, NULL,
                        "no ledger, report, context or sheet");
  struct ck_gname *names = NULL;
  size_t n = ck_grid_names(x->g, x->c, &names);
  enum ck_status st =
      ck_ledger_record_grid(l, r, cfg, "ask", sheet_json, names, n, err);
  free(names);
  return st;
}

void ck_ask_ctx_free(struct ck_ask_ctx *x) {
  if (x == NULL)
    return;
  ck_grid_free(x->g);
  free(x);
}

struct ck_ask *ck_ask_ctx_build(const struct ck_ask_ctx *x,
                                const struct ck_ask_query *q,
                                struct ck_error *err) {
  if (x == NULL || q == NULL) {
    ck_error_set(err, CK_EUSAGE, NULL, 0, NULL, "no context or query");
    return NULL;
  }
  if (!query_ok(q, err))
    return NULL;
  const struct ck_cohort *c = x->c;
  const struct ck_config *cfg = x->cfg;
  struct ck_ask *a = ck_xcalloc(1, sizeof *a);
  a->tool_version = ck_version();
  a->generated = -1;
  a->q = *q;
  a->min_cell = x->min_cell;
  a->policy = cfg->policy;
  a->confidence = cfg->confidence;
  a->practice_threshold = cfg->practice_threshold;
  a->min_weeks = cfg->min_weeks;
  a->low_pass_margin = cfg->low_pass_margin;
  a->records = c->n_records;
  a->n_inputs = c->n_inputs;
  a->ledger = x->ledger;
  a->releases_checked = x->releases_checked;
  a->year_min = x->year_min;
  a->year_max = x->year_max;
  today_mark(a, cfg);
  a->passing = q->score >= a->pass_mark;
  a->offset = q->score - a->pass_mark;
  a->band_top = a->pass_mark + cfg->low_pass_margin;
  a->band = ck_ask_fine_band(a->offset, cfg->low_pass_margin);

  int spec = -1;
  a->tier = CK_TIER_NONE;
  if (q->specialty != NULL) {
    a->specialty_given = ck_xstrdup(q->specialty);
    a->q.specialty = a->specialty_given;
    int ci = ck_config_specialty_find(cfg, q->specialty, strlen(q->specialty));
    a->specialty_known = ci >= 0;
    spec = find_specialty(c, cfg, q->specialty);
    if (ci >= 0) {
      a->specialty = ck_xstrdup(cfg->specialties[ci].name);
      a->tier = cfg->specialties[ci].tier;
    } else if (spec >= 0) {
      a->specialty = ck_xstrdup(ck_cohort_specialty_name(c, spec));
    } else {
      a->specialty = ck_xstrdup(q->specialty); /* kept as given, no tier */
    }
    /* a typed name the table does not know is most often a typo: the
     * sheet asks (the table's names only, nothing of the cohort) */
    int near = ci < 0 ? ck_config_specialty_near(cfg, q->specialty,
                                                 strlen(q->specialty))
                      : -1;
    if (near >= 0)
      a->specialty_near = ck_xstrdup(cfg->specialties[near].name);
  }
  ck_ask_evaluate(a);

  a->model = ck_report_new();
  ck_report_privacy_from(a->model, cfg);
  a->model->min_cell = a->min_cell;
  a->model->confidence = cfg->confidence;
  a->model->clopper_pearson = cfg->clopper_pearson;
  struct build b = {a, c, cfg, x->g, x};

  struct ck_ask_band zone = ck_ask_zone(a->offset, cfg->low_pass_margin);
  if (a->passing) {
    a->groups[0].id = "like_you_no_retake";
    a->groups[0].label = "Applicants like you who did not retake";
    ladder(&b, &a->groups[0], CK_ASK_NO_RETAKE, &a->band, zone, spec);
    a->groups[1].id = "like_you_retook";
    a->groups[1].label = "Applicants like you who retook after passing";
    ladder(&b, &a->groups[1], CK_ASK_RETOOK, &a->band, zone, spec);
    a->groups[2].id = "contrast_failed_then_passed";
    a->groups[2].label = "Contrast: failed the first attempt, then passed";
    ladder(&b, &a->groups[2], CK_ASK_THEN_PASSED, NULL, ck_ask_zone(-1, 0),
           spec);
  } else {
    a->groups[0].id = "like_you_then_passed";
    a->groups[0].label = "Applicants like you who failed, then passed";
    ladder(&b, &a->groups[0], CK_ASK_THEN_PASSED, &a->band, zone, spec);
    a->groups[1].id = "like_you_never_passed";
    a->groups[1].label = "Applicants like you who failed and never passed";
    ladder(&b, &a->groups[1], CK_ASK_NEVER_PASSED, &a->band, zone, spec);
    a->groups[2].id = "contrast_low_pass_no_retake";
    a->groups[2].label = "Contrast: low pass on the first attempt, no retake";
    ladder(&b, &a->groups[2], CK_ASK_NO_RETAKE, NULL,
           ck_ask_zone(0, cfg->low_pass_margin), spec);
  }
  a->n_groups = 3;

  size_t reg = ck_grid_find(b.g, CK_GRID_PRACTICE, CK_GRID_PRACTICE_ALL,
                            CK_GRID_ALL(b.g), CK_GO_N);
  a->reg_n = mcell(&b, reg, false);
  regression(&b);
  gains(&b);
  if (!a->passing)
    second_attempts(&b);
  weeks_evidence(&b);
  a->practice_in_data = x->practice_in_data;
  a->weeks_in_data = x->weeks_in_data;
  a->retake_after_pass =
      ck_report_cell(a->model, (long)c->retake_after_pass, false);
  if (!x->rap_in_report)
    a->model->cells[a->retake_after_pass].shown = CK_HIDDEN_COMPLEMENT;

  ck_suppress(a->model);

  for (size_t i = 0; i < a->n_groups; i++) {
    struct ck_ask_group *grp = &a->groups[i];
    if (!grp->found)
      continue;
    set_rate(&b, &grp->match_rate, grp->matched, grp->n);
    set_rate(&b, &grp->target_rate, grp->matched_target, grp->n);
    size_t keep = 0;
    for (size_t j = 0; j < grp->n_into; j++) {
      if (a->model->cells[grp->into[j].cell].shown == CK_SHOWN)
        grp->into[keep++] = grp->into[j];
      else
        free(grp->into[j].name);
    }
    grp->n_into = keep;
  }
  /* the same line as the report's regression of all retakers: withheld
   * with it (its n, or the rules for non-linear statistics) */
  if ((a->model->cells[a->reg_n].shown != CK_SHOWN || !x->reg_in_report) &&
      a->reg_shown == CK_SHOWN)
    a->reg_shown = CK_HIDDEN_DERIVED;
  if (a->reg_shown != CK_SHOWN)
    memset(&a->prediction, 0, sizeof a->prediction);
  if (a->gain_found)
    set_rate(&b, &a->gain_rate, a->gain_ge, a->gain_n);
  for (size_t i = 0; i < a->n_second; i++)
    set_rate(&b, &a->second[i].match_rate, a->second[i].matched,
             a->second[i].n);
  for (int i = 0; i < 3; i++)
    set_rate(&b, &a->weeks[i].rate, a->weeks[i].ge, a->weeks[i].n);
  return a;
}

struct ck_ask *ck_ask_build(const struct ck_cohort *c,
                            const struct ck_config *cfg,
                            const struct ck_ask_query *q,
                            struct ck_error *err) {
  if (c == NULL || cfg == NULL || q == NULL || cfg->n_pass_marks == 0) {
    ck_error_set(err, CK_EUSAGE, NULL, 0, NULL, "no cohort, config or query");
    return NULL;
  }
  /* a bad question is refused before the report and the grid are built
   * (a tally-mode cohort first, as ck_ask_ctx_new says) */
  if (!c->opt.tally && !query_ok(q, err))
    return NULL;
  struct ck_ask_ctx *x = ck_ask_ctx_new(c, cfg, err);
  if (x == NULL)
    return NULL;
  struct ck_ask *a = ck_ask_ctx_build(x, q, err);
  ck_ask_ctx_free(x);
  return a;
}

void ck_ask_set_id(struct ck_ask *a, const char *id) {
  if (a == NULL)
    return;
  free(a->id);
  a->id = id ? ck_xstrdup(id) : NULL;
}

void ck_ask_free(struct ck_ask *a) {
  if (a == NULL)
    return;
  for (size_t i = 0; i < a->n_groups; i++) {
    for (size_t j = 0; j < a->groups[i].n_into; j++)
      free(a->groups[i].into[j].name);
    free(a->groups[i].into);
  }
  free(a->specialty_given);
  free(a->specialty);
  free(a->specialty_near);
  free(a->id);
  ck_report_free(a->model);
  free(a);
}
