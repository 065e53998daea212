/*
 * render_doc.c - the content of the text and Markdown reports, written
 * through block ops (heading, paragraph, list item, table) so the two
 * formats say the same thing in the same order.  Only formats the model.
 * SPDX-License-Identifier: MIT
 */
#include "render_util.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char *xprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    n = 0;
  char *s = ck_xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

static void heading(struct ck_doc *d, int level, const char *text) {
  d->ops->heading(d, level, text);
  d->in_list = false;
}

static void para(struct ck_doc *d, char *owned) {
  d->ops->para(d, owned);
  d->in_list = false;
  free(owned);
}

static void item(struct ck_doc *d, char *owned) {
  d->ops->item(d, owned);
  d->in_list = true;
  free(owned);
}

static void table(struct ck_doc *d, struct ck_table *t) {
  d->ops->table(d, t);
  d->in_list = false;
  ck_table_free(t);
}

static void figure(struct ck_doc *d, const char *id,
                   const struct ck_report *r) {
  if (d->ops->figure == NULL)
    return;
  d->ops->figure(d, id, r);
  d->in_list = false;
}

/* Plain readings: one sentence after each statistical statement, for a
 * reader who is not a statistician.  `excludes` says whether the interval
 * leaves out "no difference" (0 for a difference, 1 for a ratio). */
static const char *chance(bool excludes) {
  return excludes ? "a difference unlikely to be chance alone"
                  : "well within what chance alone could give";
}

/* ---- 1. data and provenance ---- */

static void sec_provenance(struct ck_doc *d, const struct ck_report *r) {
  char b[CK_FMT_CAP], c[CK_FMT_CAP];
  heading(d, 1, "ckcohort report — Step 2 CK low pass and Match outcomes");
  heading(d, 2, "Data and provenance");
  para(d, xprintf("These are the analyst's own data-quality counts; they are "
                  "about rows, not students' outcomes, and are never "
                  "suppressed. Every row read is accepted, excluded (valid "
                  "but outside the analysis) or rejected (invalid)."));
  struct ck_table *t = ck_table_new("lr", "Rows", "count", NULL);
  char v[8][32];
  size_t vals[8] = {
      r->read,           r->accepted, r->excluded, r->excluded_no_score,
      r->excluded_years, r->rejected, r->blank,    r->warnings};
  for (size_t i = 0; i < 8; i++)
    snprintf(v[i], sizeof v[i], "%zu", vals[i]);
  ck_table_row(t, 0, "read", v[0]);
  ck_table_row(t, 0, "accepted", v[1]);
  ck_table_row(t, 0, "excluded", v[2]);
  ck_table_row(t, 1, "no first Step 2 CK score", v[3]);
  ck_table_row(t, 1, "outside the selected Match years", v[4]);
  ck_table_row(t, 0, "rejected", v[5]);
  ck_table_row(t, 0, "blank lines skipped", v[6]);
  ck_table_row(t, 0, "warnings", v[7]);
  table(d, t);

  if (r->n_reasons > 0) {
    t = ck_table_new("lr", "Why rows were left out", "rows", NULL);
    for (size_t i = 0; i < r->n_reasons; i++) {
      snprintf(b, sizeof b, "%zu", r->reasons[i].n);
      ck_table_row(t, 0, r->reasons[i].what ? r->reasons[i].what : "", b);
    }
    table(d, t);
  } else {
    para(d, xprintf("No rows were left out."));
  }

  char *years = r->year_min > 0
                    ? xprintf("Match years: %d–%d.", r->year_min, r->year_max)
                    : xprintf("Match years: none (no accepted rows).");
  if (r->years_from > 0 || r->years_to > 0) {
    char *y2 =
        xprintf("%s Years selected: %d–%d.", years, r->years_from, r->years_to);
    free(years);
    years = y2;
  }
  para(d, years);

  if (r->n_inputs > 0) {
    para(d, xprintf("Inputs:"));
    for (size_t i = 0; i < r->n_inputs; i++) {
      const struct ck_report_input *in = &r->inputs[i];
      char *text = xprintf("%s: %zu rows read, %zu accepted, %zu excluded, "
                           "%zu rejected; SHA-256 %s",
                           in->path ? in->path : "", in->read, in->accepted,
                           in->excluded, in->rejected, in->sha256);
      /* a column the run did not read is named, never silently dropped */
      for (size_t k = 0; k < in->n_ignored_columns; k++) {
        char *more =
            xprintf("%s%s \"%s\"", text,
                    k ? "," : "; columns not used:", in->ignored_columns[k]);
        free(text);
        text = more;
      }
      item(d, text);
    }
  }

  para(d, xprintf("Settings:"));
  item(d, xprintf("minimum cell size: %zu (groups of 1–%zu are withheld)",
                  r->min_cell, r->min_cell > 0 ? r->min_cell - 1 : 0));
  if (r->policy == CK_PRIVACY_NCES) {
    char bands[CK_FMT_CAP * 2];
    size_t len = 0;
    bands[0] = '\0';
    for (size_t i = 0; i < r->n_bands && len < sizeof bands; i++)
      len += (size_t)snprintf(bands + len, sizeof bands - len,
                              "%s%zu+: ≤ %g%% / ≥ %g%%", i ? "; " : "",
                              r->bands[i].min_n, r->bands[i].pct * 100.0,
                              100.0 - r->bands[i].pct * 100.0);
    item(d, xprintf("disclosure policy: nces (NCES 2011-603): rates of "
                    "groups of at least %zu shown, coded near 0%% and 100%% "
                    "by group size (%s)",
                    r->min_cell, bands));
  } else {
    item(d, xprintf("disclosure policy: strict: every count of 1–%zu and "
                    "every none/all outcome withheld",
                    r->min_cell > 0 ? r->min_cell - 1 : 0));
  }
  if (r->headline_protects)
    item(d, xprintf("some headline figures are withheld to protect a "
                    "smaller group"));
  item(d, xprintf("confidence level: %s", ck_fmt_conf(b, r->confidence)));
  item(d, xprintf("interval for proportions: %s",
                  r->clopper_pearson ? "Clopper–Pearson (exact)"
                                     : "Wilson score"));
  item(d, xprintf("low pass: first attempt passed, at most the pass mark "
                  "+ %d",
                  r->low_pass_margin));
  for (size_t i = 0; i < r->n_pass_marks; i++)
    item(d, xprintf("pass mark %d for tests from %s", r->pass_marks[i].mark,
                    ck_fmt_date(b, r->pass_marks[i].from)));
  ck_fmt_time(c, r->generated);
  para(d, c[0] ? xprintf("Tool: ckcohort %s; generated %s.",
                         r->tool_version ? r->tool_version : "", c)
               : xprintf("Tool: ckcohort %s.",
                         r->tool_version ? r->tool_version : ""));
}

/* ---- 2. retake policy ---- */

static void sec_policy(struct ck_doc *d, const struct ck_report *r) {
  char n[CK_FMT_CAP];
  heading(d, 2, "Retake policy");
  const char *rule = "USMLE does not allow retaking a passed Step except to "
                     "meet a state board's time limit; in real data a second "
                     "attempt almost always follows a failed first attempt.";
  if (!ck_cell_is_shown(r, r->retake_after_pass_cell))
    para(d, xprintf("%s The number of records that show an attempt after a "
                    "passed attempt (flagged by validate) is withheld.",
                    rule));
  else if (r->cells[r->retake_after_pass_cell].value == 1)
    para(d, xprintf("%s 1 record shows an attempt after a passed attempt "
                    "(flagged by validate).",
                    rule));
  else
    para(d, xprintf("%s %s records show an attempt after a passed attempt "
                    "(flagged by validate).",
                    rule, ck_fmt_count(n, r, r->retake_after_pass_cell)));
}

/* ---- 3. headline table ---- */

static void sec_groups(struct ck_doc *d, const struct ck_report *r) {
  char conf[CK_FMT_CAP];
  ck_fmt_conf(conf, r->confidence);
  heading(d, 2, "Match outcomes by first-attempt group");
  char *h1 = xprintf("match rate (%s CI)", conf);
  char *h2 = xprintf("target (%s CI)", conf);
  char *h3 = xprintf("academic (%s CI)", conf);
  struct ck_table *t = ck_table_new("lrrrrrr", "Group", "n", "matched",
                                    "with target", h1, h2, h3, NULL);
  free(h1);
  free(h2);
  free(h3);
  for (int g = 0; g < CK_G_COUNT; g++) {
    const struct ck_group_row *row = &r->groups[g];
    char n[CK_FMT_CAP], m[CK_FMT_CAP], mr[CK_FMT_CAP], wt[CK_FMT_CAP],
        tr[CK_FMT_CAP], ac[CK_FMT_CAP];
    int depth = ck_group_depth((enum ck_group_id)g);
    /* "All" and its children flush left: the hierarchy starts below them */
    ck_table_row(t, depth > 0 ? depth - 1 : 0,
                 ck_group_label((enum ck_group_id)g),
                 ck_fmt_count(n, r, row->n), ck_fmt_count(m, r, row->matched),
                 ck_fmt_count(wt, r, row->with_target),
                 ck_fmt_rate(mr, r, &row->match_rate, true),
                 ck_fmt_rate(tr, r, &row->target_rate, true),
                 ck_fmt_rate(ac, r, &row->academic_share, true));
  }
  table(d, t);
  para(d, xprintf("With target: members who named a target specialty. "
                  "Target: the share of them who matched into it. Academic: "
                  "of the matched members whose program type is known, the "
                  "share in academic programs. Low pass: a first attempt "
                  "that passed by at most %d points. Above the band, by "
                  "first score: below average, under %d; around average, "
                  "%d–%d; competitive, %d or more.",
                  r->low_pass_margin, r->band_average_min, r->band_average_min,
                  r->band_competitive_min - 1, r->band_competitive_min));
  figure(d, "groups", r);
}

/* ---- 4. comparisons ---- */

/* A comparison whose group rate is coded: the range of differences the
 * code allows and the union of their intervals, in words a student reads. */
static char *ranged_comparison(const struct ck_comparison *k, const char *label,
                               const char *a, const char *b, const char *conf) {
  char lo[CK_FMT_CAP], hi[CK_FMT_CAP], cl[CK_FMT_CAP], ch[CK_FMT_CAP];
  ck_fmt_pp(lo, k->range.lo);
  ck_fmt_pp(hi, k->range.hi);
  ck_fmt_pp(cl, k->range_ci.lo);
  ck_fmt_pp(ch, k->range_ci.hi);
  bool less = k->range.hi<0, more = k->range.lo> 0;
  bool excl = k->range_ci.lo > 0 || k->range_ci.hi < 0;
  char *plain;
  if (less || more) {
    double x = fabs(less ? k->range.hi : k->range.lo) * 100.0,
           y = fabs(less ? k->range.lo : k->range.hi) * 100.0;
    plain = xprintf("In plain words: \u201c%s\u201d matched %s often than "
                    "\u201c%s\u201d, by %.1f to %.1f percentage points, %s.",
                    a, less ? "less" : "more", b, x, y,
                    excl ? "a difference unlikely to be chance alone"
                         : "though chance alone could give a difference of "
                           "that size");
  } else {
    plain = xprintf("In plain words: the data cannot say which of "
                    "\u201c%s\u201d and \u201c%s\u201d matched more often.",
                    a, b);
  }
  char *s = xprintf(
      "%s (%s minus %s): a group's match rate is shown only as its coded "
      "bound, so the difference is given as the range that bound allows: "
      "%s to %s percentage points (%s CI over that range %s to %s); "
      "Fisher's test and the odds ratio are withheld. %s",
      label, a, b, lo, hi, conf, cl, ch, plain);
  free(plain);
  return s;
}

/* A difference in match rate in words a student reads (no full stop):
 * shown comparisons and those repeated from an earlier release alike. */
static char *plain_difference(const struct ck_est *d, const char *a,
                              const char *b) {
  char de[CK_FMT_CAP];
  ck_fmt_pp(de, d->estimate);
  if (d->lo > 0 || d->hi < 0)
    return xprintf("\u201c%s\u201d matched %s often than \u201c%s\u201d, "
                   "by %s percentage points, %s",
                   a, d->estimate > 0 ? "more" : "less", b,
                   de[0] == '-' || de[0] == '+' ? de + 1 : de, chance(true));
  return xprintf("\u201c%s\u201d and \u201c%s\u201d matched about as "
                 "often: the difference, %s points, is %s",
                 a, b, de, chance(false));
}

/* A withheld comparison as an earlier release published it: the same
 * words as a shown one, labelled with that release's Match years. */
static char *carried_text(const struct ck_carried *c, const char *a,
                          const char *b) {
  char conf[CK_FMT_CAP], de[CK_FMT_CAP], dl[CK_FMT_CAP], dh[CK_FMT_CAP],
      p[CK_FMT_CAP], oe[CK_FMT_CAP], ol[CK_FMT_CAP], oh[CK_FMT_CAP];
  ck_fmt_conf(conf, isfinite(c->confidence) ? c->confidence : 0.95);
  ck_fmt_pp(de, c->difference.estimate);
  char sizes[256] = "";
  if (c->a_n >= 0 && c->a_matched >= 0 && c->b_n >= 0 && c->b_matched >= 0)
    snprintf(sizes, sizeof sizes, "%ld of %ld matched against %ld of %ld; ",
             c->a_matched, c->a_n, c->b_matched, c->b_n);
  char *plain = plain_difference(&c->difference, a, b);
  char *s = xprintf(
      "As already published for Match years %d\u2013%d (release ledger "
      "entry %s): %sdifference in match rate %s "
      "percentage points (%s CI %s to %s); Fisher's exact test p %s%s; odds "
      "ratio %s (%s CI %s to %s). In plain words, for those years: %s.",
      c->first, c->last, c->entry, sizes, de, conf,
      ck_fmt_pp(dl, c->difference.lo), ck_fmt_pp(dh, c->difference.hi),
      c->fisher_p < 0.001 ? "" : "= ", ck_fmt_p(p, c->fisher_p),
      ck_fmt_ratio(oe, c->odds_ratio.estimate), conf,
      ck_fmt_ratio(ol, c->odds_ratio.lo),
      c->or_unbounded ? "infinity" : ck_fmt_ratio(oh, c->odds_ratio.hi), plain);
  free(plain);
  return s;
}

static void sec_comparisons(struct ck_doc *d, const struct ck_report *r) {
  char conf[CK_FMT_CAP];
  ck_fmt_conf(conf, r->confidence);
  heading(d, 2, "Comparisons");
  para(d, xprintf("Observational: applicants chose whether to retake, so "
                  "these differences describe what happened, not the "
                  "effect of retaking."));
  for (size_t i = 0; i < r->n_comparisons && i < CK_MAX_COMPARISONS; i++) {
    const struct ck_comparison *k = &r->comparisons[i];
    const char *a = ck_group_label(k->a), *b = ck_group_label(k->b);
    const char *label = k->label ? k->label : (k->id ? k->id : "");
    bool ok = k->shown == CK_SHOWN && isfinite(k->difference.estimate) &&
              isfinite(k->difference.lo) && isfinite(k->difference.hi) &&
              isfinite(k->fisher_p) && !isnan(k->odds_ratio.estimate) &&
              !isnan(k->odds_ratio.lo) && !isnan(k->odds_ratio.hi);
    const struct ck_carried *c = &r->carried[i];
    char *earlier = !ok && c->present ? carried_text(c, a, b) : NULL;
    if (!ok && k->ranged) {
      char *t = ranged_comparison(k, label, a, b, conf);
      if (earlier) {
        item(d, xprintf("%s %s", t, earlier));
        free(t);
      } else {
        item(d, t);
      }
      free(earlier);
      continue;
    }
    if (!ok) {
      const char *why = k->shown == CK_NOT_ENOUGH_DATA || k->shown == CK_SHOWN
                            ? CK_TXT_NED
                            : "withheld: the match rate of a group is "
                              "withheld";
      item(d, xprintf("%s (%s minus %s): %s.%s%s", label, a, b, why,
                      earlier ? " " : "", earlier ? earlier : ""));
      free(earlier);
      continue;
    }
    char de[CK_FMT_CAP], dl[CK_FMT_CAP], dh[CK_FMT_CAP], p[CK_FMT_CAP],
        oe[CK_FMT_CAP], ol[CK_FMT_CAP], oh[CK_FMT_CAP];
    ck_fmt_pp(de, k->difference.estimate);
    char *said = plain_difference(&k->difference, a, b);
    char *plain = xprintf("In plain words: %s.", said);
    free(said);
    item(d, xprintf("%s (%s minus %s): difference in match rate %s "
                    "percentage points (%s CI %s to %s); Fisher's exact test "
                    "p %s%s; odds ratio %s (%s CI %s to %s). %s",
                    label, a, b, de, conf, ck_fmt_pp(dl, k->difference.lo),
                    ck_fmt_pp(dh, k->difference.hi),
                    k->fisher_p < 0.001 ? "" : "= ", ck_fmt_p(p, k->fisher_p),
                    ck_fmt_ratio(oe, k->odds_ratio.estimate), conf,
                    ck_fmt_ratio(ol, k->odds_ratio.lo),
                    ck_fmt_ratio(oh, k->odds_ratio.hi), plain));
    free(plain);
  }
  if (r->n_comparisons == 0)
    para(d, xprintf("No comparisons in this report."));
}

/* ---- 4b. adjusted comparisons ---- */

static const char *adj_why(enum ck_shown s, enum ck_adj_problem pr) {
  if (s != CK_SHOWN && s != CK_NOT_ENOUGH_DATA)
    return "withheld: a group, or a group's matched or unmatched count "
           "within a specialty tier, is too small to publish";
  switch (pr) {
  case CK_ADJ_SEPARATION:
    return "cannot be estimated: complete or quasi-complete separation "
           "(some terms predict the outcome perfectly for some applicants, "
           "so the maximum-likelihood estimates do not exist and any "
           "printed value would be meaningless)";
  case CK_ADJ_NOT_CONVERGED:
    return "cannot be estimated: the fit did not converge in 25 iterations";
  case CK_ADJ_GROUP_COLLINEAR:
    return "cannot be estimated: group membership is fully determined by "
           "the other terms";
  case CK_ADJ_ZERO_CELLS:
    return "cannot be estimated: the odds ratio is 0 or infinite (no "
           "tier has applicants on both sides of both outcomes)";
  default:
    return CK_TXT_NED " (too few applicants, or everyone had the same "
                      "outcome)";
  }
}

static char *adj_terms(unsigned terms) {
  static const char *const names[] = {"first-attempt score",
                                      "target-specialty tier", "Match year"};
  const char *t[3];
  size_t n = 0;
  for (unsigned i = 0; i < 3; i++)
    if (terms & (1u << i))
      t[n++] = names[i];
  if (n == 0)
    return xprintf("nothing (the group alone: a check of the raw odds ratio)");
  if (n == 1)
    return xprintf("%s", t[0]);
  if (n == 2)
    return xprintf("%s and %s", t[0], t[1]);
  return xprintf("%s, %s and %s", t[0], t[1], t[2]);
}

static void adjusted_one(struct ck_doc *d, const struct ck_report *r,
                         const struct ck_adjusted *k, const char *label) {
  char conf[CK_FMT_CAP], e[CK_FMT_CAP], lo[CK_FMT_CAP], hi[CK_FMT_CAP],
      p[CK_FMT_CAP], c2[CK_FMT_CAP], dv[CK_FMT_CAP], nd[CK_FMT_CAP];
  ck_fmt_conf(conf, r->confidence);
  heading(d, 3, label);
  const char *a = ck_group_label(k->a), *b = ck_group_label(k->b);
  bool ok = k->shown == CK_SHOWN && isfinite(k->odds_ratio.estimate) &&
            isfinite(k->odds_ratio.lo) && isfinite(k->odds_ratio.hi) &&
            isfinite(k->lrt_p);
  if (!ok) {
    item(d, xprintf("Logistic regression: %s.", adj_why(k->shown, k->problem)));
    if (k->shown == CK_NOT_ENOUGH_DATA && k->problem == CK_ADJ_SEPARATION) {
      char terms[256] = "";
      for (size_t j = 0; j < k->n_coef && j < CK_ADJ_MAX_COEF; j++)
        if (k->coef[j].diverging && j > 0 && k->coef[j].label) {
          size_t used = strlen(terms);
          snprintf(terms + used, sizeof terms - used, "%s%s", used ? ", " : "",
                   k->coef[j].label);
        }
      if (terms[0])
        item(d, xprintf("Terms involved in the separation: %s.", terms));
    }
  } else {
    item(d, xprintf("Logistic regression: odds of matching, %s versus %s, "
                    "adjusted: %s (%s CI %s to %s); likelihood-ratio test of "
                    "the group p %s%s (chi² %s, 1 df); deviance %s on %zu "
                    "degrees of freedom (null deviance %s); converged in %d "
                    "iterations.",
                    a, b, ck_fmt_ratio(e, k->odds_ratio.estimate), conf,
                    ck_fmt_ratio(lo, k->odds_ratio.lo),
                    ck_fmt_ratio(hi, k->odds_ratio.hi),
                    k->lrt_p < 0.001 ? "" : "= ", ck_fmt_p(p, k->lrt_p),
                    ck_fmt_stat(c2, k->lrt_chi2), ck_fmt_stat(dv, k->deviance),
                    k->df_residual, ck_fmt_stat(nd, k->null_deviance),
                    k->iterations));
    para(d, xprintf("In plain words: taking the other terms into account, "
                    "the odds of matching for \u201c%s\u201d were %s times "
                    "those for \u201c%s\u201d, %s.",
                    a, e, b,
                    chance(k->odds_ratio.lo > 1 || k->odds_ratio.hi < 1)));
    struct ck_table *t = ck_table_new("lrrrr", "Term", "log-odds", "SE",
                                      "odds ratio", "p", NULL);
    char dropped[256] = "";
    for (size_t j = 0; j < k->n_coef && j < CK_ADJ_MAX_COEF; j++) {
      const struct ck_adj_coef *q = &k->coef[j];
      const char *name = j == 1 ? a : (q->label ? q->label : "");
      if (q->aliased) {
        size_t used = strlen(dropped);
        snprintf(dropped + used, sizeof dropped - used, "%s%s",
                 used ? ", " : "", name);
        ck_table_row(t, 0, name, "dropped", "", "", "");
        continue;
      }
      char ce[CK_FMT_CAP], cs[CK_FMT_CAP], co[CK_FMT_CAP], cp[CK_FMT_CAP];
      ck_table_row(
          t, 0, name, ck_fmt_coef(ce, q->estimate), ck_fmt_coef(cs, q->se),
          j == 0 ? "" : ck_fmt_ratio(co, exp(q->estimate)), ck_fmt_p(cp, q->p));
    }
    table(d, t);
    if (dropped[0])
      para(d, xprintf("Dropped as collinear with the terms before them "
                      "(their effect cannot be told apart): %s.",
                      dropped));
  }
  bool mh = k->mh_shown == CK_SHOWN && isfinite(k->mh_odds_ratio.estimate) &&
            isfinite(k->mh_odds_ratio.lo) && isfinite(k->mh_odds_ratio.hi) &&
            isfinite(k->mh_p);
  if (!mh) {
    item(d, xprintf("Mantel–Haenszel by tier: %s.",
                    adj_why(k->mh_shown, k->mh_problem)));
    return;
  }
  char *bd;
  if (k->bd_shown == CK_SHOWN && isfinite(k->bd_chi2) && isfinite(k->bd_p)) {
    char bc[CK_FMT_CAP], bp[CK_FMT_CAP];
    bd = xprintf("Breslow–Day test that the odds ratio is the same in every "
                 "tier (Tarone's correction): chi² %s, %zu df, p %s%s",
                 ck_fmt_stat(bc, k->bd_chi2), k->bd_df,
                 k->bd_p < 0.001 ? "" : "= ", ck_fmt_p(bp, k->bd_p));
  } else {
    bd = xprintf("Breslow–Day test: %s",
                 k->mh_strata < 2 ? "needs two tiers or more" : CK_TXT_NED);
  }
  item(d, xprintf("Mantel–Haenszel odds ratio over %zu %s: %s (%s CI %s "
                  "to %s); Mantel–Haenszel test p %s%s (chi² %s, 1 df). %s.",
                  k->mh_strata, k->mh_strata == 1 ? "tier" : "tiers",
                  ck_fmt_ratio(e, k->mh_odds_ratio.estimate), conf,
                  ck_fmt_ratio(lo, k->mh_odds_ratio.lo),
                  ck_fmt_ratio(hi, k->mh_odds_ratio.hi),
                  k->mh_p < 0.001 ? "" : "= ", ck_fmt_p(p, k->mh_p),
                  ck_fmt_stat(c2, k->mh_chi2), bd));
  free(bd);
  para(d, xprintf("In plain words: comparing applicants within the same "
                  "tier, the odds of matching for \u201c%s\u201d were %s "
                  "times those for \u201c%s\u201d, %s.",
                  a, e, b,
                  chance(k->mh_odds_ratio.lo > 1 || k->mh_odds_ratio.hi < 1)));
}

static void sec_adjusted(struct ck_doc *d, const struct ck_report *r) {
  heading(d, 2, "Adjusted comparisons");
  if (r->n_adjusted == 0) {
    para(d, xprintf("No adjusted comparisons in this report."));
    return;
  }
  char *terms = adj_terms(r->adjusted[0].terms);
  para(d, xprintf("The groups differ in more than the retake: in "
                  "first-attempt score, target specialty and Match year. "
                  "Each comparison above is repeated here adjusted for %s "
                  "by logistic regression, and, as a check that needs no "
                  "model, by the Mantel–Haenszel odds ratio within "
                  "specialty tiers (forgiving, middle, very competitive, "
                  "none). An odds ratio above 1 favours the first-named "
                  "group.",
                  terms));
  free(terms);
  para(d, xprintf("Adjustment removes only the differences the data measure. "
                  "Differences they do not record (letters, clinical grades, "
                  "research, interviews, motivation, why an applicant "
                  "retook) remain, so adjusted figures are still not the "
                  "effect of retaking."));
  for (size_t i = 0; i < r->n_adjusted && i < CK_MAX_COMPARISONS; i++) {
    const struct ck_adjusted *k = &r->adjusted[i];
    const char *label = k->id ? k->id : "";
    for (size_t j = 0; j < r->n_comparisons && j < CK_MAX_COMPARISONS; j++)
      if (r->comparisons[j].a == k->a && r->comparisons[j].b == k->b &&
          r->comparisons[j].label)
        label = r->comparisons[j].label;
    adjusted_one(d, r, k, label);
  }
}

/* ---- 5. by target specialty ---- */

static void sec_specialties(struct ck_doc *d, const struct ck_report *r) {
  char conf[CK_FMT_CAP];
  ck_fmt_conf(conf, r->confidence);
  heading(d, 2, "By target specialty");
  if (r->n_specialties == 0) {
    para(d, xprintf("No target specialties in the data."));
    return;
  }
  char *h1 = xprintf("match rate (%s CI)", conf);
  char *h2 = xprintf("into target (%s CI)", conf);
  char *h3 = xprintf("low-pass rate (%s CI)", conf);
  struct ck_table *t = ck_table_new("llrrrrr", "Target specialty", "tier", "n",
                                    h1, h2, "low-pass n", h3, NULL);
  free(h1);
  free(h2);
  free(h3);
  for (size_t i = 0; i < r->n_specialties; i++) {
    const struct ck_specialty_row *s = &r->specialties[i];
    char n[CK_FMT_CAP], mr[CK_FMT_CAP], tr[CK_FMT_CAP], ln[CK_FMT_CAP],
        lr[CK_FMT_CAP];
    ck_table_row(
        t, 0, s->name ? s->name : "", ck_tier_name(s->tier),
        ck_fmt_count(n, r, s->n), ck_fmt_rate(mr, r, &s->match_rate, true),
        ck_fmt_rate(tr, r, &s->target_rate, true), ck_fmt_count(ln, r, s->lp_n),
        ck_fmt_rate(lr, r, &s->lp_match_rate, true));
  }
  table(d, t);
  para(d, xprintf("Into target: the share who matched into the specialty "
                  "they targeted. Low-pass: applicants with a low pass on "
                  "the first attempt. Tiers follow the national mean Step 2 CK "
                  "of matched US MD "
                  "seniors; \"none\" marks a specialty the alias table does "
                  "not know."));
  /* A name the table does not know equals only itself: a misspelt target
   * never equals the specialty its applicants matched into, and its "into
   * target" says almost no one did, which a reader must not take at its
   * word. */
  const char *unknown[3];
  size_t n_unknown = 0;
  for (size_t i = 0; i < r->n_specialties; i++) {
    const struct ck_specialty_row *s = &r->specialties[i];
    if (s->tier == CK_TIER_NONE && !s->is_none && s->name != NULL) {
      if (n_unknown < 3)
        unknown[n_unknown] = s->name;
      n_unknown++;
    }
  }
  char more[48] = "";
  if (n_unknown > 3)
    snprintf(more, sizeof more, " and %zu more", n_unknown - 3);
  if (n_unknown > 0)
    para(d,
         xprintf(
             "Specialties the alias table does not know (here: %s%s%s%s%s%s) "
             "are compared by name: an applicant counts as matched into "
             "such a target only when the specialty matched into has the "
             "same name (case and punctuation aside), so a misspelling of "
             "a known specialty shows almost no one matched into it. Add "
             "such spellings to the [aliases] section of a settings file "
             "(docs/config.md) and run the report again.",
             unknown[0], n_unknown > 1 ? (n_unknown > 2 ? ", " : " and ") : "",
             n_unknown > 1 ? unknown[1] : "",
             n_unknown > 2 ? (n_unknown > 3 ? ", " : " and ") : "",
             n_unknown > 2 ? unknown[2] : "", more));
}

/* ---- 6. what low-pass applicants matched into ---- */

static struct ck_table *into_table(const char *first) {
  return ck_table_new("lrrr", first, "Low pass, no retake", "Low pass, retook",
                      "Failed, then passed", NULL);
}

static void into_row(struct ck_table *t, const struct ck_report *r,
                     const char *name, const size_t *cells) {
  char a[CK_FMT_CAP], b[CK_FMT_CAP], c[CK_FMT_CAP];
  ck_table_row(t, 0, name, ck_fmt_count(a, r, cells[CK_INTO_NO_RETAKE]),
               ck_fmt_count(b, r, cells[CK_INTO_RETOOK]),
               ck_fmt_count(c, r, cells[CK_INTO_FAILED_THEN_PASSED]));
}

static void sec_into(struct ck_doc *d, const struct ck_report *r) {
  heading(d, 2, "What low-pass applicants matched into");
  para(d, xprintf("Matched applicants by the specialty and program type they "
                  "matched into. Specialties with few applicants are merged "
                  "into \"Other (merged)\"."));
  if (r->n_into > 0) {
    struct ck_table *t = into_table("Matched specialty");
    for (size_t i = 0; i < r->n_into; i++)
      into_row(t, r, r->into[i].name ? r->into[i].name : "", r->into[i].cells);
    into_row(t, r, "All matched", r->into_totals);
    table(d, t);
  } else {
    para(d, xprintf("No matched specialties in the data."));
  }
  struct ck_table *t = into_table("Program type");
  size_t rows = 0;
  for (size_t i = 0; i < 4; i++)
    if (r->programs[i].name != NULL) {
      into_row(t, r, r->programs[i].name, r->programs[i].cells);
      rows++;
    }
  if (rows > 0) {
    into_row(t, r, "All matched", r->into_totals);
    table(d, t);
  } else {
    ck_table_free(t);
  }
  figure(d, "matched_into", r);
}

/* ---- 7. score change ---- */

static void score_change(struct ck_doc *d, const struct ck_report *r,
                         const struct ck_score_change *s, const char *title) {
  char conf[CK_FMT_CAP], n[CK_FMT_CAP], a[CK_FMT_CAP], b[CK_FMT_CAP],
      c[CK_FMT_CAP];
  ck_fmt_conf(conf, r->confidence);
  heading(d, 3, title);
  struct ck_table *t = ck_table_new("ll", "Statistic", "value", NULL);
  ck_table_row(t, 0, "n", ck_fmt_count(n, r, s->n));
  bool ok = s->shown == CK_SHOWN;
  const char *why =
      s->shown == CK_NOT_ENOUGH_DATA ? CK_TXT_NED : CK_TXT_WITHHELD;
  char *lbl = xprintf("mean change (%s CI)", conf);
  char *v;
  if (ok && isfinite(s->mean.estimate) && isfinite(s->mean.lo) &&
      isfinite(s->mean.hi)) {
    v = xprintf("%s (%s to %s)", ck_fmt_change(a, s->mean.estimate),
                ck_fmt_change(b, s->mean.lo), ck_fmt_change(c, s->mean.hi));
  } else {
    v = xprintf("%s", ok ? CK_TXT_NED : why);
  }
  ck_table_row(t, 0, lbl, v);
  free(lbl);
  free(v);
  ck_table_row(t, 0, "standard deviation", ok ? ck_fmt_score(a, s->sd) : why);
  if (ok && isfinite(s->median) && isfinite(s->q1) && isfinite(s->q3))
    v = xprintf("%s [%s, %s]", ck_fmt_change(a, s->median),
                ck_fmt_change(b, s->q1), ck_fmt_change(c, s->q3));
  else
    v = xprintf("%s", ok ? CK_TXT_NED : why);
  ck_table_row(t, 0, "median [Q1, Q3]", v);
  free(v);
  lbl = xprintf("share +20 or more (%s CI)", conf);
  ck_table_row(t, 0, lbl, ck_fmt_rate(a, r, &s->share_ge_20, true));
  free(lbl);
  if (s->wilcoxon_shown == CK_SHOWN && isfinite(s->wilcoxon_p))
    v = xprintf("%s (%s)", ck_fmt_p(a, s->wilcoxon_p),
                s->wilcoxon_exact ? "exact" : "normal approximation");
  else
    v = xprintf("%s", s->wilcoxon_shown == CK_SHOWN ||
                              s->wilcoxon_shown == CK_NOT_ENOUGH_DATA
                          ? CK_TXT_NED
                          : CK_TXT_WITHHELD);
  ck_table_row(t, 0, "Wilcoxon signed-rank p", v);
  free(v);
  table(d, t);
  char why_buf[400];
  if (*ck_stats_why(why_buf, sizeof why_buf, r, s->why, s->n, s->categories))
    para(d, xprintf("%s", why_buf));

  if (ok && isfinite(s->mean.estimate) && isfinite(s->mean.lo) &&
      isfinite(s->mean.hi))
    para(d, xprintf("In plain words: on average they scored %s points %s on "
                    "the second attempt than on the first (somewhere between "
                    "%s and %s, %s sure).",
                    ck_fmt_score(a, fabs(s->mean.estimate)),
                    s->mean.estimate >= 0 ? "higher" : "lower",
                    ck_fmt_change(b, s->mean.lo), ck_fmt_change(c, s->mean.hi),
                    conf));
  t = ck_table_new("lr", "Change (attempt 2 − attempt 1)", "n", NULL);
  for (int k = 0; k < CK_CHANGE_NCAT; k++)
    ck_table_row(t, 0, ck_change_label((enum ck_change_cat)k),
                 ck_fmt_count(n, r, s->categories[k]));
  table(d, t);
}

static void sec_score_change(struct ck_doc *d, const struct ck_report *r) {
  heading(d, 2, "Score change of retakers");
  score_change(d, r, &r->score_change, "Low-pass retakers");
  figure(d, "score_change", r);
  score_change(d, r, &r->score_change_all,
               "All applicants with a second attempt");
  figure(d, "score_change_all_retakers", r);
}

/* ---- 8. practice average -> retake score ---- */

static void regression(struct ck_doc *d, const struct ck_report *r,
                       const struct ck_regression *g, const char *title) {
  char conf[CK_FMT_CAP], n[CK_FMT_CAP], a[CK_FMT_CAP], b[CK_FMT_CAP],
      c[CK_FMT_CAP], e[CK_FMT_CAP];
  ck_fmt_conf(conf, r->confidence);
  heading(d, 3, title);
  bool ok = g->shown == CK_SHOWN && isfinite(g->intercept) &&
            isfinite(g->slope) && isfinite(g->r2) && isfinite(g->sigma);
  if (!ok) {
    char why_buf[400];
    ck_stats_why(why_buf, sizeof why_buf, r, g->why, g->n, NULL);
    para(d, xprintf("n = %s pairs of practice average and retake score; "
                    "line: %s.%s%s",
                    ck_fmt_count(n, r, g->n),
                    g->shown == CK_SHOWN || g->shown == CK_NOT_ENOUGH_DATA
                        ? CK_TXT_NED
                        : CK_TXT_WITHHELD,
                    *why_buf ? " " : "", why_buf));
    return;
  }
  /* The lowest and highest practice average are single students' values,
   * so they are not printed; predictions outside them are only flagged. */
  para(d, xprintf("n = %s pairs of practice average and retake score. "
                  "Line: retake score = %s + %s × "
                  "practice average; r² = %s; residual standard error %s.",
                  ck_fmt_count(n, r, g->n), ck_fmt_score(a, g->intercept),
                  ck_fmt_stat(b, g->slope), ck_fmt_stat(c, g->r2),
                  ck_fmt_score(e, g->sigma)));
  para(d, xprintf("In plain words: each extra practice-exam point went with "
                  "about %s points more on the retake, and practice averages "
                  "account for %.0f%% of the spread in retake scores. The "
                  "prediction interval below is where about %s of single "
                  "retakers with that practice average scored.",
                  ck_fmt_stat(b, g->slope), 100.0 * g->r2, conf));
  char *h = xprintf("%s prediction interval", conf);
  struct ck_table *t = ck_table_new("rrrl", "Practice",
                                    "predicted retake score", h, "note", NULL);
  free(h);
  for (size_t i = 0; i < g->n_pred && i < CK_MAX_PRACTICE_POINTS; i++) {
    const struct ck_prediction *p = &g->pred[i];
    char x[CK_FMT_CAP], pi[2 * CK_FMT_CAP + 8];
    snprintf(x, sizeof x, "%d", p->practice);
    if (isfinite(p->fit.lo) && isfinite(p->fit.hi))
      snprintf(pi, sizeof pi, "%s–%s", ck_fmt_score(b, p->fit.lo),
               ck_fmt_score(c, p->fit.hi));
    else
      snprintf(pi, sizeof pi, "%s", CK_TXT_NED);
    ck_table_row(t, 0, x, ck_fmt_score(a, p->fit.estimate), pi,
                 p->practice < g->x_min || p->practice > g->x_max
                     ? "outside the data"
                     : "");
  }
  table(d, t);
}

static void sec_regression(struct ck_doc *d, const struct ck_report *r) {
  heading(d, 2, "Practice average before the retake and retake score");
  regression(d, r, &r->regression, "Low-pass retakers");
  figure(d, "practice_regression", r);
  regression(d, r, &r->regression_all, "All applicants with a second attempt");
  figure(d, "practice_regression_all_retakers", r);
}

/* ---- 9. by Match year ---- */

static void sec_years(struct ck_doc *d, const struct ck_report *r) {
  char conf[CK_FMT_CAP];
  ck_fmt_conf(conf, r->confidence);
  heading(d, 2, "Match rate by Match year");
  if (r->n_years == 0) {
    para(d, xprintf("No Match years in the data."));
    return;
  }
  char *h = xprintf("match rate (%s CI)", conf);
  struct ck_table *t =
      ck_table_new("rrrrr", "Match year", "pass mark", "n", "matched", h, NULL);
  free(h);
  for (size_t i = 0; i < r->n_years; i++) {
    const struct ck_year_row *y = &r->years[i];
    char yr[16], pm[16], n[CK_FMT_CAP], m[CK_FMT_CAP], mr[CK_FMT_CAP];
    snprintf(yr, sizeof yr, "%d", y->year);
    snprintf(pm, sizeof pm, "%d", y->pass_mark);
    ck_table_row(t, 0, yr, pm, ck_fmt_count(n, r, y->n),
                 ck_fmt_count(m, r, y->matched),
                 ck_fmt_rate(mr, r, &y->match_rate, true));
  }
  table(d, t);
  const struct ck_trend *tr = &r->trend;
  if (tr->shown == CK_SHOWN && isfinite(tr->chi2) && isfinite(tr->p) &&
      isfinite(tr->change_per_year)) {
    char a[CK_FMT_CAP], b[CK_FMT_CAP], c[CK_FMT_CAP];
    para(d, xprintf("Trend across Match years (chi-squared test for trend): "
                    "chi² = %s, p %s%s; change per year %s percentage "
                    "points.",
                    ck_fmt_stat(a, tr->chi2), tr->p < 0.001 ? "" : "= ",
                    ck_fmt_p(b, tr->p), ck_fmt_pp(c, tr->change_per_year)));
    para(d, xprintf("In plain words: the match rate %s by about %s "
                    "percentage points a year, %s.",
                    tr->change_per_year >= 0 ? "rose" : "fell",
                    ck_fmt_pct_num(a, fabs(tr->change_per_year)),
                    tr->p < 1 - r->confidence
                        ? "a trend unlikely to be chance alone"
                        : "well within what chance alone could give"));
  } else {
    para(d, xprintf("Trend across Match years: %s.",
                    tr->shown == CK_SHOWN || tr->shown == CK_NOT_ENOUGH_DATA
                        ? CK_TXT_NED
                        : CK_TXT_WITHHELD));
  }
  figure(d, "by_year", r);
}

/* ---- 10. methods and caveats ---- */

static void sec_methods(struct ck_doc *d, const struct ck_report *r) {
  size_t mc = r->min_cell, top = mc > 0 ? mc - 1 : 0;
  heading(d, 2, "Methods and caveats");
  para(d, xprintf("Observational data. Applicants chose whether to retake, "
                  "and those who did differ from those who did not in ways "
                  "the data do not record. Differences between groups "
                  "describe what happened to them; they are not effects of "
                  "retaking."));
  if (r->policy == CK_PRIVACY_NCES)
    para(d, xprintf("Small numbers (policy nces, after NCES 2011-603). "
                    "Every group of 1 to %zu students is withheld, and so "
                    "is every count that would give one back. A group of %zu "
                    "or more shows its rates, except that a rate close to 0%% "
                    "or 100%% is shown only as a bound (\"≤ 5%%\", \"≥ "
                    "95%%\"; the closer bands for larger groups are listed "
                    "under Settings), with its counts and every interval, "
                    "test or trend that would give them back withheld: no "
                    "rate says that all, none, or all but a few members had "
                    "an outcome. Complementary counts are chosen detail "
                    "first and headline figures last, and checked by "
                    "solving for every withheld count exactly: none can be "
                    "narrowed to fewer than %zu possible values, nor a coded "
                    "count within its coded range. Intervals are wide when "
                    "groups are small; read them before the point "
                    "estimates.",
                    top, mc, mc));
  else
    para(d,
         xprintf("Small numbers. Every count of 1 to %zu students (a group, "
                 "a specialty, a year, a \"matched into\" category, or an "
                 "outcome such as the number matched or not matched, where 0 "
                 "is as telling as 1) is withheld, with the rates and "
                 "statistics computed from it. Further counts are withheld "
                 "wherever the published totals would give a withheld count "
                 "back, checked by solving for it exactly: no withheld count "
                 "can be narrowed to fewer than %zu possible values. Every "
                 "withheld count is shown the same way, \"withheld\", "
                 "because a label such as \"1–%zu\" would tell which ones "
                 "are small and help narrow them. Intervals are wide when "
                 "groups are small; read them before the point estimates.",
                 top, mc, top));
  if (r->ledger && r->releases_checked == 0)
    para(d, xprintf("Releases. The first release in its release ledger: "
                    "recorded there, so that every later run is checked "
                    "against it."));
  else if (r->ledger && r->sheets_checked > 0)
    para(d, xprintf("Releases. Checked against %zu earlier release%s in the "
                    "release ledger, %zu of them ask sheets, whose "
                    "published groups were checked again "
                    "with this report's counts: no count, mean or line of 1 "
                    "to %zu students in this report's population and not an "
                    "earlier one's (or the other way round) can be worked out "
                    "by subtracting one release from another, nor any count "
                    "nobody prints narrowed with the sheets beyond what the "
                    "reports alone allow, and this release is recorded there "
                    "for the next run.",
                    r->releases_checked, r->releases_checked == 1 ? "" : "s",
                    r->sheets_checked, top));
  else if (r->ledger)
    para(d, xprintf("Releases. Checked against %zu earlier release%s in the "
                    "release ledger: no count, mean or line of 1 to %zu "
                    "students in this report's population and not an earlier "
                    "one's (or the other way round) can be worked out by "
                    "subtracting one release from another, and this release "
                    "is recorded there for the next run.",
                    r->releases_checked, r->releases_checked == 1 ? "" : "s",
                    top));
  else
    para(d, xprintf("Releases. Not checked against earlier releases (no "
                    "release ledger): a reader who also holds a report of a "
                    "smaller or larger population, such as last year's, may "
                    "work out counts and scores of the students in one and "
                    "not the other by subtraction."));
  para(d, xprintf("Methods, each matching an R function so any number can be "
                  "checked:"));
  item(d, xprintf("match rates: %s",
                  r->clopper_pearson
                      ? "Clopper–Pearson exact interval (binom.test)"
                      : "Wilson score interval (prop.test(correct = FALSE))"));
  item(d, xprintf("difference in match rate: Newcombe's hybrid score "
                  "interval (method 10 of Newcombe 1998)"));
  item(d, xprintf("Fisher's exact test, two-sided, and the conditional "
                  "maximum-likelihood odds ratio with its exact interval "
                  "(fisher.test)"));
  item(d, xprintf("mean score change with a t interval (t.test); median and "
                  "quartiles of type 7 (quantile(type = 7))"));
  item(d, xprintf("Wilcoxon signed-rank test (wilcox.test(paired = TRUE)): "
                  "exact for small samples without ties, otherwise the normal "
                  "approximation with continuity correction"));
  item(d, xprintf("practice average to retake score: least-squares line "
                  "and prediction interval (lm + predict(interval = "
                  "\"prediction\"))"));
  item(d, xprintf("trend over Match years: chi-squared test for trend in "
                  "proportions (prop.trend.test)"));
  item(d, xprintf("adjusted comparisons: logistic regression fitted by "
                  "iteratively reweighted least squares (glm(family = "
                  "binomial)) with a Wald interval for the odds ratio and a "
                  "likelihood-ratio test of the group (anova(test = "
                  "\"LRT\")); score and year enter as straight lines, tier "
                  "as categories with forgiving as reference and applicants "
                  "without a tier as their own category; separation is "
                  "detected by a linear program. Mantel–Haenszel odds ratio "
                  "with the Robins–Breslow–Greenland interval and the test "
                  "without continuity correction (mantelhaen.test(correct = "
                  "FALSE)); Breslow–Day test with Tarone's correction"));
}

/* ---- 11. glossary ---- */

static void sec_glossary(struct ck_doc *d, const struct ck_report *r) {
  char conf[CK_FMT_CAP];
  ck_fmt_conf(conf, r->confidence);
  heading(d, 2, "Glossary");
  item(d, xprintf("Confidence interval (CI): the range of values the data "
                  "are consistent with; a %s CI misses the true value about "
                  "once in %.0f.",
                  conf, 1.0 / (1.0 - r->confidence)));
  item(d, xprintf("Percentage points: the difference between two "
                  "percentages (90%% vs 85%% is 5 points)."));
  item(d, xprintf("Odds ratio: how many times higher the odds of matching "
                  "are in one group than another; 1 means no difference."));
  item(d, xprintf("p-value: how often a difference at least this large would "
                  "appear by chance if the groups really did not differ; "
                  "small (under 0.05) means chance alone is an unlikely "
                  "explanation."));
  item(d, xprintf("Log-odds and SE: the logistic regression's coefficients "
                  "on the log scale and their standard errors (the "
                  "uncertainty of each); the odds-ratio column is the same "
                  "number made readable."));
  item(d, xprintf("Deviance: how far the fitted model is from the data; "
                  "lower is closer."));
  item(d, xprintf("Mantel–Haenszel: an odds ratio computed within each "
                  "specialty tier and then combined. Breslow–Day test "
                  "(with Tarone's correction): whether that odds ratio "
                  "differs between tiers."));
  item(d, xprintf("Prediction interval: the range a single new applicant's "
                  "score is expected to fall in; wider than a CI, which is "
                  "about an average."));
  item(d, xprintf("r²: the share of the spread in retake scores that the "
                  "practice average accounts for (0 to 1)."));
  item(d, xprintf("Wilcoxon signed-rank test: whether scores changed between "
                  "attempts, without assuming a bell-shaped spread."));
  item(d, xprintf("Withheld: a count of 1 to %zu students, or one that would "
                  "give such a count back, with everything computed from "
                  "it.",
                  r->min_cell > 0 ? r->min_cell - 1 : 0));
}

enum ck_status ck_render_doc(struct ck_doc *d, const struct ck_report *r) {
  if (d == NULL || r == NULL || d->out == NULL || !r->checked)
    return CK_EUSAGE;
  sec_provenance(d, r);
  sec_policy(d, r);
  sec_groups(d, r);
  sec_comparisons(d, r);
  sec_adjusted(d, r);
  sec_specialties(d, r);
  sec_into(d, r);
  sec_score_change(d, r);
  sec_regression(d, r);
  sec_years(d, r);
  sec_methods(d, r);
  sec_glossary(d, r);
  ck_doc_meta(d, r); /* pooled reports only */
  if (fflush(d->out) != 0 || ferror(d->out))
    return CK_EIO;
  return CK_OK;
}
