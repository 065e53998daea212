/*
 * render_json.c - the report as JSON (the public contract in
 * docs/report-json.md; schema_version 1)
 * SPDX-License-Identifier: MIT
 *
 * Withheld values, one rule everywhere:
 *  - a scalar (count, p-value, statistic) is a number, or null with a
 *    sibling "<key>_suppressed": "<reason>" ("withheld" for every withheld
 *    count, whatever its size: see docs/privacy.md);
 *  - an estimate with an interval is an object {"estimate", "ci_low",
 *    "ci_high", "suppressed"} whose numbers are null when "suppressed" is
 *    true, with "reason";
 *  - a row object carries "suppressed": true when any scalar directly in it
 *    is null.
 * Reals are written with 15 significant digits (DBL_DIG): every decimal
 * written reads back to a double within 1e-15 relative of the computed one,
 * and prints as "0.834", not "0.83399999999999996".  JSON escaping is
 * jansson's.
 */
#include "ckcohort/ask.h"
#include "ckcohort/render.h"
#include "render_util.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define REAL_PRECISION 15

static json_t *real_or_null(double x) {
  return isfinite(x) ? json_real(x) : json_null();
}

static void set(json_t *o, const char *key, json_t *v) {
  json_object_set_new(o, key, v != NULL ? v : json_null());
}

/* key: null, key_suppressed: reason; marks the holder. */
static void withheld(json_t *o, const char *key, enum ck_shown s, bool *any) {
  char k[128];
  set(o, key, json_null());
  snprintf(k, sizeof k, "%s_suppressed", key);
  set(o, k, json_string(ck_shown_reason(s)));
  if (any)
    *any = true;
}

static void count(json_t *o, const char *key, const struct ck_report *r,
                  size_t cell, bool *any) {
  enum ck_shown s = ck_cell_state(r, cell);
  if (s == CK_SHOWN) {
    set(o, key, json_integer((json_int_t)r->cells[cell].value));
    return;
  }
  withheld(o, key, s, any);
}

/* A scalar governed by state s (CK_SHOWN and finite: the number). */
static void scalar(json_t *o, const char *key, double x, enum ck_shown s,
                   bool *any) {
  if (s == CK_SHOWN && isfinite(x))
    set(o, key, json_real(x));
  else
    withheld(o, key, s == CK_SHOWN ? CK_NOT_ENOUGH_DATA : s, any);
}

static json_t *est_obj(double e, double lo, double hi, enum ck_shown s) {
  json_t *o = json_object();
  bool ok = s == CK_SHOWN && isfinite(e) && isfinite(lo) && isfinite(hi);
  set(o, "estimate", ok ? json_real(e) : json_null());
  set(o, "ci_low", ok ? json_real(lo) : json_null());
  set(o, "ci_high", ok ? json_real(hi) : json_null());
  set(o, "suppressed", json_boolean(!ok));
  if (!ok)
    set(o, "reason",
        json_string(ck_shown_reason(s == CK_SHOWN ? CK_NOT_ENOUGH_DATA : s)));
  return o;
}

static json_t *rate_obj(const struct ck_report *r, const struct ck_rate *q) {
  enum ck_shown s = ck_rate_state(r, q);
  json_t *o = est_obj(q->est.estimate, q->est.lo, q->est.hi, s);
  if (s == CK_CODED_LE || s == CK_CODED_GE) {
    int pc = ck_coded_percent(q, s);
    char b[32];
    snprintf(b, sizeof b, "%s%d.%02d", s == CK_CODED_LE ? "<=" : ">=", pc / 100,
             pc % 100);
    set(o, "coded", json_string(b));
    set(o, "bound", json_real(pc / 100.0));
  }
  return o;
}

static json_t *tier_json(enum ck_tier t) {
  const char *s = ck_tier_id(t);
  return s ? json_string(s) : json_null();
}

static json_t *str(const char *s) { return json_string(s ? s : ""); }

static json_t *j_inputs(const struct ck_report *r) {
  json_t *a = json_array();
  for (size_t i = 0; i < r->n_inputs; i++) {
    const struct ck_report_input *in = &r->inputs[i];
    json_t *o = json_object();
    set(o, "path", str(in->path));
    set(o, "sha256", str(in->sha256));
    set(o, "rows", json_integer((json_int_t)in->read));
    set(o, "accepted", json_integer((json_int_t)in->accepted));
    set(o, "excluded", json_integer((json_int_t)in->excluded));
    set(o, "rejected", json_integer((json_int_t)in->rejected));
    json_t *ign = json_array();
    for (size_t k = 0; k < in->n_ignored_columns; k++)
      json_array_append_new(ign, str(in->ignored_columns[k]));
    set(o, "ignored_columns", ign);
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *j_rows(const struct ck_report *r) {
  json_t *o = json_object();
  set(o, "read", json_integer((json_int_t)r->read));
  set(o, "accepted", json_integer((json_int_t)r->accepted));
  set(o, "excluded", json_integer((json_int_t)r->excluded));
  set(o, "rejected", json_integer((json_int_t)r->rejected));
  set(o, "blank", json_integer((json_int_t)r->blank));
  set(o, "excluded_no_score", json_integer((json_int_t)r->excluded_no_score));
  set(o, "excluded_years", json_integer((json_int_t)r->excluded_years));
  set(o, "warnings", json_integer((json_int_t)r->warnings));
  return o;
}

static json_t *j_settings(const struct ck_report *r) {
  char b[CK_FMT_CAP];
  json_t *o = json_object();
  set(o, "min_cell", json_integer((json_int_t)r->min_cell));
  json_t *pv = json_object();
  set(pv, "policy", json_string(ck_privacy_name(r->policy)));
  if (r->policy == CK_PRIVACY_NCES) {
    json_t *bands = json_array();
    for (size_t i = 0; i < r->n_bands; i++)
      json_array_append_new(bands, json_pack("{s:I,s:f}", "min_group",
                                             (json_int_t)r->bands[i].min_n,
                                             "coded_share", r->bands[i].pct));
    set(pv, "bands", bands);
  }
  set(pv, "headline_withheld_to_protect", json_boolean(r->headline_protects));
  set(o, "privacy", pv);
  set(o, "confidence", real_or_null(r->confidence));
  set(o, "low_pass_margin", json_integer(r->low_pass_margin));
  set(o, "interval_method",
      json_string(r->clopper_pearson ? "clopper_pearson" : "wilson"));
  json_t *pm = json_array();
  for (size_t i = 0; i < r->n_pass_marks; i++)
    json_array_append_new(pm, json_pack("{s:s,s:i}", "from",
                                        ck_fmt_date(b, r->pass_marks[i].from),
                                        "mark", r->pass_marks[i].mark));
  set(o, "pass_marks", pm);
  return o;
}

static json_t *j_group(const struct ck_report *r, enum ck_group_id g) {
  const struct ck_group_row *row = &r->groups[g];
  bool any = false;
  json_t *o = json_object();
  set(o, "id", json_string(ck_group_key(g)));
  set(o, "label", json_string(ck_group_label(g)));
  int p = ck_group_parent(g);
  set(o, "parent",
      p >= 0 ? json_string(ck_group_key((enum ck_group_id)p)) : json_null());
  count(o, "n", r, row->n, &any);
  count(o, "matched", r, row->matched, &any);
  count(o, "unmatched", r, row->unmatched, &any);
  set(o, "match_rate", rate_obj(r, &row->match_rate));
  json_t *t = json_object();
  bool tany = false;
  count(t, "with_target", r, row->with_target, &tany);
  count(t, "n", r, row->matched_target, &tany);
  count(t, "missed", r, row->missed_target, &tany);
  set(t, "rate", rate_obj(r, &row->target_rate));
  set(t, "suppressed", json_boolean(tany));
  set(o, "matched_target", t);
  json_t *a = json_object();
  bool aany = false;
  count(a, "with_program", r, row->with_program, &aany);
  count(a, "n", r, row->academic, &aany);
  count(a, "not_academic", r, row->not_academic, &aany);
  set(a, "rate", rate_obj(r, &row->academic_share));
  set(a, "suppressed", json_boolean(aany));
  set(o, "academic_share", a);
  set(o, "suppressed", json_boolean(any));
  return o;
}

static json_t *j_comparison(const struct ck_report *r,
                            const struct ck_comparison *k) {
  json_t *o = json_object();
  bool any = false;
  enum ck_shown s = k->shown;
  if (s == CK_SHOWN &&
      (!isfinite(k->difference.estimate) || !isfinite(k->difference.lo) ||
       !isfinite(k->difference.hi) || !isfinite(k->fisher_p) ||
       isnan(k->odds_ratio.estimate) || isnan(k->odds_ratio.lo) ||
       isnan(k->odds_ratio.hi)))
    s = CK_NOT_ENOUGH_DATA;
  set(o, "id", str(k->id));
  set(o, "label", str(k->label));
  set(o, "a", json_string(ck_group_key(k->a)));
  set(o, "b", json_string(ck_group_key(k->b)));
  set(o, "difference",
      est_obj(k->difference.estimate, k->difference.lo, k->difference.hi, s));
  scalar(o, "fisher_p", k->fisher_p, s, &any);
  json_t *orr = json_object();
  bool ok = s == CK_SHOWN;
  bool unbounded = false;
  const char *names[3] = {"estimate", "ci_low", "ci_high"};
  double v[3] = {k->odds_ratio.estimate, k->odds_ratio.lo, k->odds_ratio.hi};
  for (int i = 0; i < 3; i++) {
    if (ok && isfinite(v[i]))
      set(orr, names[i], json_real(v[i]));
    else {
      set(orr, names[i], json_null());
      if (ok)
        unbounded = true; /* +infinity */
    }
  }
  set(orr, "unbounded", json_boolean(unbounded));
  set(orr, "suppressed", json_boolean(!ok));
  if (!ok)
    set(orr, "reason", json_string(ck_shown_reason(s)));
  set(o, "odds_ratio", orr);
  /* a coded group rate: the differences its bound allows (estimate null) */
  if (k->ranged && s != CK_SHOWN) {
    json_t *rg = json_object();
    set(rg, "low", json_real(k->range.lo));
    set(rg, "high", json_real(k->range.hi));
    set(rg, "ci_low", json_real(k->range_ci.lo));
    set(rg, "ci_high", json_real(k->range_ci.hi));
    set(o, "difference_range", rg);
  } else {
    set(o, "difference_range", json_null());
  }
  set(o, "suppressed", json_boolean(any));
  if (any)
    set(o, "reason", json_string(ck_shown_reason(s)));
  /* withheld here, as an earlier release published it (ck_ledger_carry) */
  const struct ck_carried *c = &r->carried[k - r->comparisons];
  if (s != CK_SHOWN && c->present) {
    json_t *e = json_object();
    set(e, "release", json_string(c->entry));
    json_t *y = json_object();
    set(y, "first", json_integer(c->first));
    set(y, "last", json_integer(c->last));
    set(e, "match_years", y);
    set(e, "confidence", json_real(c->confidence));
    set(e, "difference",
        est_obj(c->difference.estimate, c->difference.lo, c->difference.hi,
                CK_SHOWN));
    set(e, "fisher_p", json_real(c->fisher_p));
    json_t *oc = json_object();
    set(oc, "estimate",
        isfinite(c->odds_ratio.estimate) ? json_real(c->odds_ratio.estimate)
                                         : json_null());
    set(oc, "ci_low",
        isfinite(c->odds_ratio.lo) ? json_real(c->odds_ratio.lo) : json_null());
    set(oc, "ci_high",
        isfinite(c->odds_ratio.hi) ? json_real(c->odds_ratio.hi) : json_null());
    set(oc, "unbounded", json_boolean(c->or_unbounded));
    set(e, "odds_ratio", oc);
    long cnt[4] = {c->a_n, c->a_matched, c->b_n, c->b_matched};
    const char *keys[4] = {"a_n", "a_matched", "b_n", "b_matched"};
    for (int i = 0; i < 4; i++)
      set(e, keys[i], cnt[i] >= 0 ? json_integer(cnt[i]) : json_null());
    set(o, "as_published_earlier", e);
  }
  return o;
}

/* Suppressed block: "suppressed": true, "reason", and "problem" when the
 * data, not privacy, are the cause. */
static void adj_state(json_t *o, enum ck_shown s, enum ck_adj_problem p) {
  set(o, "suppressed", json_boolean(s != CK_SHOWN));
  if (s == CK_SHOWN)
    return;
  set(o, "reason", json_string(ck_shown_reason(s)));
  const char *id = s == CK_NOT_ENOUGH_DATA ? ck_adj_problem_id(p) : NULL;
  set(o, "problem", id ? json_string(id) : json_null());
}

static json_t *j_adjusted(const struct ck_adjusted *k) {
  json_t *o = json_object();
  set(o, "id", str(k->id));
  set(o, "a", json_string(ck_group_key(k->a)));
  set(o, "b", json_string(ck_group_key(k->b)));
  json_t *terms = json_array();
  static const char *const tn[] = {"score", "tier", "year"};
  for (unsigned i = 0; i < 3; i++)
    if (k->terms & (1u << i))
      json_array_append_new(terms, json_string(tn[i]));
  set(o, "terms", terms);

  json_t *lg = json_object();
  bool ok = k->shown == CK_SHOWN;
  set(lg, "odds_ratio",
      est_obj(k->odds_ratio.estimate, k->odds_ratio.lo, k->odds_ratio.hi,
              k->shown));
  scalar(lg, "lrt_chi2", k->lrt_chi2, k->shown, NULL);
  scalar(lg, "lrt_p", k->lrt_p, k->shown, NULL);
  scalar(lg, "deviance", k->deviance, k->shown, NULL);
  scalar(lg, "null_deviance", k->null_deviance, k->shown, NULL);
  set(lg, "df_residual",
      ok ? json_integer((json_int_t)k->df_residual) : json_null());
  set(lg, "iterations", ok ? json_integer(k->iterations) : json_null());
  json_t *coefs = json_array();
  json_t *sep = json_array();
  for (size_t j = 0; j < k->n_coef && j < CK_ADJ_MAX_COEF; j++) {
    const struct ck_adj_coef *q = &k->coef[j];
    if (k->shown == CK_NOT_ENOUGH_DATA && q->diverging && j > 0)
      json_array_append_new(sep, str(q->id));
    if (!ok)
      continue;
    json_t *c = json_object();
    set(c, "term", str(q->id));
    set(c, "label", str(q->label));
    set(c, "aliased", json_boolean(q->aliased));
    set(c, "estimate", q->aliased ? json_null() : real_or_null(q->estimate));
    set(c, "se", q->aliased ? json_null() : real_or_null(q->se));
    set(c, "z", q->aliased ? json_null() : real_or_null(q->z));
    set(c, "p", q->aliased ? json_null() : real_or_null(q->p));
    json_array_append_new(coefs, c);
  }
  set(lg, "coefficients", coefs);
  if (json_array_size(sep) > 0)
    set(lg, "separating_terms", sep);
  else
    json_decref(sep);
  adj_state(lg, k->shown, k->problem);
  set(o, "logistic", lg);

  json_t *mh = json_object();
  bool mok = k->mh_shown == CK_SHOWN;
  set(mh, "strata", mok ? json_integer((json_int_t)k->mh_strata) : json_null());
  set(mh, "odds_ratio",
      est_obj(k->mh_odds_ratio.estimate, k->mh_odds_ratio.lo,
              k->mh_odds_ratio.hi, k->mh_shown));
  scalar(mh, "chi2", k->mh_chi2, k->mh_shown, NULL);
  scalar(mh, "p", k->mh_p, k->mh_shown, NULL);
  json_t *bd = json_object();
  scalar(bd, "chi2", k->bd_chi2, k->bd_shown, NULL);
  set(bd, "df",
      k->bd_shown == CK_SHOWN ? json_integer((json_int_t)k->bd_df)
                              : json_null());
  scalar(bd, "p", k->bd_p, k->bd_shown, NULL);
  set(bd, "suppressed", json_boolean(k->bd_shown != CK_SHOWN));
  set(mh, "breslow_day_tarone", bd);
  adj_state(mh, k->mh_shown, k->mh_problem);
  set(o, "mantel_haenszel", mh);
  return o;
}

/* Why a block's statistics are withheld beside a shown n: the reason the
 * text formats print (ck_stats_why_said decides which may be said), as an
 * id a program can test; null when none is said. */
static json_t *why_json(const struct ck_report *r, enum ck_stat_why why,
                        size_t n, const size_t *cats) {
  switch (ck_stats_why_said(r, why, n, cats)) {
  case CK_WHY_CATEGORIES:
    return json_string("categories");
  case CK_WHY_NESTED:
    return json_string("nested");
  case CK_WHY_RELEASE:
    return json_string("release");
  default:
    return json_null();
  }
}

static json_t *j_score_change(const struct ck_report *r,
                              const struct ck_score_change *s) {
  json_t *o = json_object();
  bool any = false;
  count(o, "n", r, s->n, &any);
  enum ck_shown st = s->shown;
  set(o, "mean", est_obj(s->mean.estimate, s->mean.lo, s->mean.hi, st));
  scalar(o, "sd", s->sd, st, &any);
  scalar(o, "median", s->median, st, &any);
  scalar(o, "q1", s->q1, st, &any);
  scalar(o, "q3", s->q3, st, &any);
  enum ck_shown rs = ck_rate_state(r, &s->share_ge_20);
  scalar(o, "share_ge_20", s->share_ge_20.est.estimate, rs, &any);
  set(o, "share_ge_20_interval", rate_obj(r, &s->share_ge_20));
  scalar(o, "wilcoxon_p", s->wilcoxon_p, s->wilcoxon_shown, &any);
  set(o, "wilcoxon_method",
      s->wilcoxon_shown == CK_SHOWN && isfinite(s->wilcoxon_p)
          ? json_string(s->wilcoxon_exact ? "exact" : "normal_approximation")
          : json_null());
  json_t *cats = json_array();
  for (int c = 0; c < CK_CHANGE_NCAT; c++) {
    json_t *co = json_object();
    bool cany = false;
    set(co, "id", json_string(ck_change_cat_id((enum ck_change_cat)c)));
    set(co, "label", json_string(ck_change_label((enum ck_change_cat)c)));
    count(co, "n", r, s->categories[c], &cany);
    set(co, "suppressed", json_boolean(cany));
    json_array_append_new(cats, co);
  }
  set(o, "categories", cats);
  set(o, "statistics_withheld_because",
      why_json(r, s->why, s->n, s->categories));
  set(o, "suppressed", json_boolean(any));
  return o;
}

static json_t *j_regression(const struct ck_report *r,
                            const struct ck_regression *g) {
  json_t *o = json_object();
  bool any = false;
  enum ck_shown st = g->shown;
  count(o, "n", r, g->n, &any);
  scalar(o, "intercept", g->intercept, st, &any);
  scalar(o, "slope", g->slope, st, &any);
  scalar(o, "r_squared", g->r2, st, &any);
  scalar(o, "sigma", g->sigma, st, &any);
  bool ok = st == CK_SHOWN;
  /* no practice_min/max: the extremes are single students' values */
  json_t *pa = json_array();
  for (size_t i = 0; ok && i < g->n_pred && i < CK_MAX_PRACTICE_POINTS; i++) {
    const struct ck_prediction *p = &g->pred[i];
    json_t *po = json_object();
    set(po, "practice", json_integer(p->practice));
    set(po, "estimate", real_or_null(p->fit.estimate));
    set(po, "pi_low", real_or_null(p->fit.lo));
    set(po, "pi_high", real_or_null(p->fit.hi));
    set(po, "extrapolated",
        json_boolean(p->practice < g->x_min || p->practice > g->x_max));
    json_array_append_new(pa, po);
  }
  set(o, "predictions", pa);
  set(o, "statistics_withheld_because", why_json(r, g->why, g->n, NULL));
  set(o, "suppressed", json_boolean(any));
  return o;
}

static json_t *j_specialties(const struct ck_report *r) {
  json_t *a = json_array();
  for (size_t i = 0; i < r->n_specialties; i++) {
    const struct ck_specialty_row *s = &r->specialties[i];
    json_t *o = json_object();
    bool any = false;
    set(o, "specialty", str(s->name));
    set(o, "tier", tier_json(s->tier));
    set(o, "no_target", json_boolean(s->is_none));
    count(o, "n", r, s->n, &any);
    count(o, "matched", r, s->matched, &any);
    count(o, "unmatched", r, s->unmatched, &any);
    set(o, "match_rate", rate_obj(r, &s->match_rate));
    json_t *t = json_object();
    bool tany = false;
    count(t, "n", r, s->matched_target, &tany);
    count(t, "missed", r, s->missed_target, &tany);
    set(t, "rate", rate_obj(r, &s->target_rate));
    set(t, "suppressed", json_boolean(tany));
    set(o, "matched_target", t);
    json_t *l = json_object();
    bool lany = false;
    count(l, "n", r, s->lp_n, &lany);
    count(l, "matched", r, s->lp_matched, &lany);
    count(l, "unmatched", r, s->lp_unmatched, &lany);
    set(l, "match_rate", rate_obj(r, &s->lp_match_rate));
    set(l, "suppressed", json_boolean(lany));
    set(o, "low_pass", l);
    set(o, "suppressed", json_boolean(any));
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *j_years(const struct ck_report *r) {
  json_t *a = json_array();
  for (size_t i = 0; i < r->n_years; i++) {
    const struct ck_year_row *y = &r->years[i];
    json_t *o = json_object();
    bool any = false;
    set(o, "year", json_integer(y->year));
    set(o, "pass_mark", json_integer(y->pass_mark));
    count(o, "n", r, y->n, &any);
    count(o, "matched", r, y->matched, &any);
    count(o, "unmatched", r, y->unmatched, &any);
    set(o, "match_rate", rate_obj(r, &y->match_rate));
    set(o, "suppressed", json_boolean(any));
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *j_trend(const struct ck_report *r) {
  const struct ck_trend *t = &r->trend;
  json_t *o = json_object();
  bool any = false;
  scalar(o, "chi2", t->chi2, t->shown, &any);
  scalar(o, "p", t->p, t->shown, &any);
  scalar(o, "change_per_year", t->change_per_year, t->shown, &any);
  set(o, "suppressed", json_boolean(any));
  return o;
}

static const char *const into_keys[CK_INTO_NCOL] = {
    "low_pass_no_retake", "low_pass_retook", "failed_then_passed"};

static json_t *into_obj(const struct ck_report *r, const char *namekey,
                        const char *name, const struct ck_into_row *row,
                        const size_t *cells) {
  json_t *o = json_object();
  bool any = false;
  if (namekey != NULL)
    set(o, namekey, str(name));
  if (row != NULL && strcmp(namekey, "specialty") == 0)
    set(o, "tier", tier_json(row->tier));
  for (int c = 0; c < CK_INTO_NCOL; c++)
    count(o, into_keys[c], r, cells[c], &any);
  set(o, "suppressed", json_boolean(any));
  return o;
}

enum ck_status ck_render_json(FILE *out, const struct ck_report *r) {
  if (out == NULL || r == NULL || !r->checked)
    return CK_EUSAGE;
  char b[CK_FMT_CAP];
  json_t *root = json_object();
  set(root, "schema_version", json_integer(CK_SCHEMA_VERSION));
  set(root, "tool",
      json_pack("{s:s,s:s}", "name", "ckcohort", "version",
                r->tool_version ? r->tool_version : ""));
  if (r->generated >= 0)
    set(root, "generated", json_string(ck_fmt_time(b, r->generated)));
  set(root, "inputs", j_inputs(r));
  set(root, "rows", j_rows(r));
  json_t *reasons = json_array();
  for (size_t i = 0; i < r->n_reasons; i++)
    json_array_append_new(reasons, json_pack("{s:o,s:I}", "reason",
                                             str(r->reasons[i].what), "rows",
                                             (json_int_t)r->reasons[i].n));
  set(root, "rejected_by", reasons);
  json_t *years = json_object();
  set(years, "first",
      r->year_min > 0 ? json_integer(r->year_min) : json_null());
  set(years, "last", r->year_min > 0 ? json_integer(r->year_max) : json_null());
  set(years, "selected_from",
      r->years_from > 0 ? json_integer(r->years_from) : json_null());
  set(years, "selected_to",
      r->years_to > 0 ? json_integer(r->years_to) : json_null());
  set(root, "match_years", years);
  set(root, "settings", j_settings(r));

  json_t *groups = json_array();
  for (int g = 0; g < CK_G_COUNT; g++)
    json_array_append_new(groups, j_group(r, (enum ck_group_id)g));
  set(root, "groups", groups);

  json_t *cmp = json_array();
  for (size_t i = 0; i < r->n_comparisons && i < CK_MAX_COMPARISONS; i++)
    json_array_append_new(cmp, j_comparison(r, &r->comparisons[i]));
  set(root, "comparisons", cmp);
  json_t *adj = json_array();
  for (size_t i = 0; i < r->n_adjusted && i < CK_MAX_COMPARISONS; i++)
    json_array_append_new(adj, j_adjusted(&r->adjusted[i]));
  set(root, "adjusted_comparisons", adj);

  json_t *pol = json_object();
  bool pany = false;
  count(pol, "retake_after_pass", r, r->retake_after_pass_cell, &pany);
  set(pol, "statement",
      json_string("USMLE does not allow retaking a passed Step except to "
                  "meet a state board's time limit; in real data a second "
                  "attempt almost always follows a failed first attempt."));
  set(pol, "suppressed", json_boolean(pany));
  set(root, "retake_policy", pol);

  set(root, "score_change", j_score_change(r, &r->score_change));
  set(root, "score_change_all_retakers",
      j_score_change(r, &r->score_change_all));
  set(root, "practice_regression", j_regression(r, &r->regression));
  set(root, "practice_regression_all_retakers",
      j_regression(r, &r->regression_all));
  set(root, "by_specialty", j_specialties(r));
  set(root, "by_year", j_years(r));
  set(root, "trend", j_trend(r));

  json_t *into = json_array();
  for (size_t i = 0; i < r->n_into; i++)
    json_array_append_new(into, into_obj(r, "specialty", r->into[i].name,
                                         &r->into[i], r->into[i].cells));
  set(root, "matched_into", into);
  json_t *prog = json_array();
  for (size_t i = 0; i < 4; i++)
    if (r->programs[i].name != NULL)
      json_array_append_new(prog,
                            into_obj(r, "program_type", r->programs[i].name,
                                     &r->programs[i], r->programs[i].cells));
  set(root, "matched_into_program_type", prog);
  set(root, "matched_into_totals",
      into_obj(r, NULL, NULL, NULL, r->into_totals));
  if (r->meta != NULL)
    set(root, "consortium", ck_json_meta(r)); /* pooled reports only */

  int rc = json_dumpf(root, out,
                      JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                          JSON_REAL_PRECISION(REAL_PRECISION));
  json_decref(root);
  if (rc != 0 || fputc('\n', out) == EOF || fflush(out) != 0 || ferror(out))
    return CK_EIO;
  return CK_OK;
}

/* ---- the ask sheet (docs/ask-json.md) ---- */

static const char *const program_ids[4] = {"academic", "community", "other",
                                           "not_given"};

static json_t *jband(const struct ck_ask_band *b) {
  json_t *o = json_object();
  set(o, "code", json_integer(b->code));
  set(o, "zone", json_boolean(b->zone));
  set(o, "from_offset", b->lo <= -300 ? json_null() : json_integer(b->lo));
  set(o, "to_offset", b->hi >= 300 ? json_null() : json_integer(b->hi));
  return o;
}

static json_t *jrung(const struct ck_ask_rung *r) {
  json_t *o = json_object();
  set(o, "band", jband(&r->band));
  json_t *s = json_object();
  set(s, "level", json_string(ck_ask_level_id(r->level)));
  set(s, "name", json_string(r->scope));
  set(o, "scope", s);
  return o;
}

static json_t *jitems(const struct ck_ask_item *it, int n, bool reason) {
  json_t *arr = json_array();
  for (int i = 0; i < n; i++) {
    json_t *o = json_object();
    set(o, "id", json_string(it[i].id));
    set(o, "text", json_string(it[i].text));
    set(o, "state", json_string(ck_ask_state_id(it[i].state, reason)));
    set(o, "detail", json_string(it[i].detail));
    json_array_append_new(arr, o);
  }
  return arr;
}

static json_t *jgroup(const struct ck_ask *a, const struct ck_ask_group *g) {
  const struct ck_report *m = a->model;
  json_t *o = json_object();
  set(o, "id", json_string(g->id));
  set(o, "label", json_string(g->label));
  set(o, "kind", json_string(ck_ask_kind_id(g->kind)));
  set(o, "found", json_boolean(g->found));
  json_t *tried = json_array();
  for (size_t i = 0; i < g->n_tried; i++)
    json_array_append_new(tried, jrung(&g->tried[i]));
  set(o, "widened_from", tried);
  if (!g->found) {
    set(o, "group", json_null());
    return o;
  }
  set(o, "group", jrung(&g->used));
  count(o, "n", m, g->n, NULL);
  count(o, "matched", m, g->matched, NULL);
  count(o, "unmatched", m, g->unmatched, NULL);
  set(o, "match_rate", rate_obj(m, &g->match_rate));
  count(o, "matched_target", m, g->matched_target, NULL);
  count(o, "missed_target", m, g->missed_target, NULL);
  set(o, "target_rate", rate_obj(m, &g->target_rate));
  json_t *pr = json_array();
  for (int p = 0; p < 4; p++) {
    json_t *r = json_object();
    set(r, "type", json_string(program_ids[p]));
    count(r, "n", m, g->programs[p], NULL);
    json_array_append_new(pr, r);
  }
  set(o, "program_types", pr);
  json_t *in = json_array();
  for (size_t i = 0; i < g->n_into; i++) {
    json_t *r = json_object();
    set(r, "specialty", json_string(g->into[i].name));
    count(r, "n", m, g->into[i].cell, NULL);
    json_array_append_new(in, r);
  }
  set(o, "matched_into", in);
  return o;
}

static bool ask_checked(const struct ck_ask *a) {
  return a != NULL && a->model != NULL && a->model->checked;
}

static json_t *ask_obj(const struct ck_ask *a) {
  const struct ck_report *m = a->model;
  char b[CK_FMT_CAP];
  json_t *root = json_object();
  set(root, "schema_version", json_integer(CK_ASK_SCHEMA_VERSION));
  json_t *tool = json_object();
  set(tool, "name", json_string("ckcohort"));
  set(tool, "version", json_string(a->tool_version));
  set(root, "tool", tool);
  if (a->generated >= 0)
    set(root, "generated", json_string(ck_fmt_time(b, a->generated)));

  json_t *q = json_object();
  set(q, "score", json_integer(a->q.score));
  set(q, "practice", a->q.practice > 0 ? json_integer(a->q.practice) : NULL);
  set(q, "specialty", a->q.specialty ? json_string(a->q.specialty) : NULL);
  set(q, "weeks", a->q.weeks >= 0 ? json_integer(a->q.weeks) : NULL);
  set(q, "applying_this_cycle", json_boolean(a->q.applying_this_cycle));
  set(q, "eras_submitted", json_boolean(a->q.eras_submitted));
  set(q, "not_applying_this_cycle", json_boolean(a->q.not_applying));
  if (a->id != NULL) /* a questions file's id: the advisor's label */
    set(q, "id", json_string(a->id));
  set(root, "query", q);

  json_t *sp = json_object();
  set(sp, "name", a->specialty ? json_string(a->specialty) : NULL);
  set(sp, "known", json_boolean(a->specialty_known));
  set(sp, "did_you_mean",
      a->specialty_near ? json_string(a->specialty_near) : NULL);
  set(sp, "tier",
      a->tier == CK_TIER_NONE ? NULL : json_string(ck_tier_name(a->tier)));
  set(root, "specialty", sp);

  json_t *pol = json_object();
  set(pol, "pass_mark", json_integer(a->pass_mark));
  set(pol, "pass_mark_from", json_string(ck_fmt_date(b, a->pass_mark_from)));
  set(pol, "date",
      a->q.today == CK_NO_DATE ? NULL
                               : json_string(ck_fmt_date(b, a->q.today)));
  set(pol, "passing", json_boolean(a->passing));
  set(pol, "offset", json_integer(a->offset));
  set(pol, "low_pass_top", json_integer(a->band_top));
  set(pol, "retake_allowed_after_pass", json_false());
  set(pol, "student_band", jband(&a->band));
  set(root, "policy", pol);

  json_t *st = json_object();
  set(st, "min_cell", json_integer((json_int_t)a->min_cell));
  set(st, "privacy", json_pack("{s:s}", "policy", ck_privacy_name(a->policy)));
  set(st, "confidence", json_real(a->confidence));
  set(st, "practice_threshold", json_integer(a->practice_threshold));
  set(st, "min_weeks", json_integer(a->min_weeks));
  set(st, "low_pass_margin", json_integer(a->low_pass_margin));
  set(st, "release_ledger", json_boolean(a->ledger));
  set(st, "releases_checked",
      a->ledger ? json_integer((json_int_t)a->releases_checked) : NULL);
  set(root, "settings", st);

  json_t *coh = json_object();
  set(coh, "applicants", json_integer((json_int_t)a->records));
  set(coh, "year_min", json_integer(a->year_min));
  set(coh, "year_max", json_integer(a->year_max));
  count(coh, "retake_after_pass", m, a->retake_after_pass, NULL);
  set(root, "cohort", coh);

  json_t *art = json_object();
  set(art, "title", json_string(CK_ARTICLE_TITLE));
  set(art, "source", json_string(CK_ARTICLE_SOURCE));
  set(art, "published", json_string(CK_ARTICLE_DATE_ISO));
  set(root, "article", art);

  set(root, "checklist", jitems(a->checks, CK_ASK_NCHECKS, false));
  /* the same items by state, so a reader need not filter: an item the
   * student did not supply is in not_given, never in met */
  json_t *by = json_object();
  static const char *const state_keys[3] = {"met", "not_met", "not_given"};
  for (int state = CK_ASK_MET; state <= CK_ASK_NOT_GIVEN; state++) {
    json_t *ids = json_array();
    for (int i = 0; i < CK_ASK_NCHECKS; i++)
      if ((int)a->checks[i].state == state)
        json_array_append_new(ids, json_string(a->checks[i].id));
    set(by, state_keys[state], ids);
  }
  set(root, "checklist_by_state", by);
  set(root, "reasons_not_to_retake", jitems(a->reasons, CK_ASK_NREASONS, true));

  json_t *gs = json_array();
  for (size_t i = 0; i < a->n_groups; i++)
    json_array_append_new(gs, jgroup(a, &a->groups[i]));
  set(root, "groups", gs);

  json_t *pr = json_object();
  set(pr, "practice", a->q.practice > 0 ? json_integer(a->q.practice) : NULL);
  json_t *reg = json_object();
  count(reg, "n", m, a->reg_n, NULL);
  bool ok = a->reg_shown == CK_SHOWN;
  set(reg, "estimate", ok ? json_real(a->prediction.estimate) : NULL);
  set(reg, "pi_low", ok ? json_real(a->prediction.lo) : NULL);
  set(reg, "pi_high", ok ? json_real(a->prediction.hi) : NULL);
  set(reg, "suppressed", json_boolean(!ok));
  if (!ok)
    set(reg, "reason",
        json_string(a->q.practice <= 0 ? "not_given"
                                       : ck_shown_reason(a->reg_shown)));
  set(pr, "prediction", reg);
  json_t *gain = json_object();
  set(gain, "min_gain", json_integer(a->gain_min));
  set(gain, "found", json_boolean(a->gain_found));
  if (a->gain_found) {
    set(gain, "widened", json_boolean(a->gain_widened));
    set(gain, "band_from", a->gain_widened ? NULL : json_integer(a->gain_lo));
    set(gain, "band_to", a->gain_widened ? NULL : json_integer(a->gain_hi));
    count(gain, "n", m, a->gain_n, NULL);
    count(gain, "gained", m, a->gain_ge, NULL);
    count(gain, "gained_less", m, a->gain_lt, NULL);
    set(gain, "rate", rate_obj(m, &a->gain_rate));
  }
  set(pr, "gain", gain);
  set(pr, "in_data", json_boolean(a->practice_in_data));
  set(root, "practice", pr);

  /* failing score: failed then passed, by the second attempt; a band the
   * grid does not publish is named in not_listed, with no count */
  if (a->n_second == 0) {
    set(root, "second_attempts", json_null());
  } else {
    json_t *sa = json_object(), *bands = json_array(), *nl = json_array();
    for (size_t i = 0; i < a->n_second; i++) {
      const struct ck_ask_second *s = &a->second[i];
      json_t *o = json_object();
      if (i > 0) {
        set(o, "from_offset", s->lo <= -300 ? NULL : json_integer(s->lo));
        set(o, "to_offset", s->hi >= 300 ? NULL : json_integer(s->hi));
      }
      if (i > 0 && m->cells[s->n].shown != CK_SHOWN) {
        json_array_append_new(nl, o);
        continue;
      }
      count(o, "n", m, s->n, NULL);
      bool split = m->cells[s->matched].shown == CK_SHOWN &&
                   m->cells[s->unmatched].shown == CK_SHOWN;
      if (i > 0 || split) {
        count(o, "matched", m, s->matched, NULL);
        count(o, "unmatched", m, s->unmatched, NULL);
        set(o, "match_rate", rate_obj(m, &s->match_rate));
      }
      if (i == 0)
        set(sa, "all", o);
      else
        json_array_append_new(bands, o);
    }
    set(sa, "bands", bands);
    set(sa, "not_listed", nl);
    set(root, "second_attempts", sa);
  }
  json_t *wk = json_object();
  set(wk, "in_data", json_boolean(a->weeks_in_data));
  set(wk, "min_weeks", json_integer(a->min_weeks));
  set(wk, "min_gain", json_integer(a->gain_min));
  json_t *wb = json_array(), *wnl = json_array();
  for (int i = 0; a->weeks_in_data && i < 3; i++) {
    static const char *const ids[3] = {"all", "fewer", "at_least"};
    const struct ck_ask_weeks *w = &a->weeks[i];
    if (m->cells[w->n].shown != CK_SHOWN) {
      json_array_append_new(wnl, json_string(ids[i]));
      continue;
    }
    json_t *o = json_object();
    set(o, "band", json_string(ids[i]));
    count(o, "n", m, w->n, NULL);
    count(o, "gained", m, w->ge, NULL);
    count(o, "gained_less", m, w->lt, NULL);
    set(o, "rate", rate_obj(m, &w->rate));
    json_array_append_new(wb, o);
  }
  set(wk, "bands", wb);
  set(wk, "not_listed", wnl);
  set(root, "weeks", wk);
  return root;
}

static enum ck_status dump(FILE *out, json_t *root) {
  int rc = json_dumpf(root, out,
                      JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                          JSON_REAL_PRECISION(15));
  json_decref(root);
  if (rc != 0 || fputc('\n', out) == EOF || fflush(out) != 0 || ferror(out))
    return CK_EIO;
  return CK_OK;
}

enum ck_status ck_ask_render_json(FILE *out, const struct ck_ask *a) {
  if (out == NULL || !ask_checked(a))
    return CK_EUSAGE;
  return dump(out, ask_obj(a));
}

enum ck_status ck_ask_render_json_many(FILE *out,
                                       const struct ck_ask *const *sheets,
                                       size_t n) {
  if (out == NULL || (n > 0 && sheets == NULL))
    return CK_EUSAGE;
  for (size_t i = 0; i < n; i++)
    if (!ask_checked(sheets[i]))
      return CK_EUSAGE;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, ask_obj(sheets[i]));
  return dump(out, arr);
}
