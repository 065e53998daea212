/*
 * render_meta.c - the "Across schools" section of a pooled report (ckcohort
 * pool): text, Markdown and HTML through the document ops, the forest plot
 * of the HTML page, and the JSON object.  Only formats struct ck_meta.
 * SPDX-License-Identifier: MIT
 */
#include "render_util.h"
#include "util.h"
#include "report_model.h"

#include <math.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define LN2 0.69314718055994530942

static char *xprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = ck_xmalloc((size_t)(n > 0 ? n : 0) + 1);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
  va_end(ap);
  return s;
}

static void para(struct ck_doc *d, char *s) {
  d->ops->para(d, s);
  free(s);
}

static void item(struct ck_doc *d, char *s) {
  d->ops->item(d, s);
  free(s);
}

/* "1.67 (95% CI 1.05–2.67)" */
static const char *or_ci_conf(char *buf, const struct ck_est *e,
                              const char *conf) {
  char a[CK_FMT_CAP], b[CK_FMT_CAP], c[CK_FMT_CAP];
  snprintf(buf, 4 * CK_FMT_CAP, "%s (%s CI %s–%s)",
           ck_fmt_ratio(a, e->estimate), conf, ck_fmt_ratio(b, e->lo),
           ck_fmt_ratio(c, e->hi));
  return buf;
}

static const char *or_ci(char *buf, const struct ck_est *e) {
  char a[CK_FMT_CAP], b[CK_FMT_CAP], c[CK_FMT_CAP];
  snprintf(buf, 3 * CK_FMT_CAP, "%s (%s–%s)", ck_fmt_ratio(a, e->estimate),
           ck_fmt_ratio(b, e->lo), ck_fmt_ratio(c, e->hi));
  return buf;
}

static void fit_item(struct ck_doc *d, const char *name,
                     const struct ck_meta_fit *f, const char *conf) {
  char o[4 * CK_FMT_CAP], p[CK_FMT_CAP], t[CK_FMT_CAP], a[CK_FMT_CAP],
      b[CK_FMT_CAP];
  item(d, xprintf("Random effects, %s: odds ratio %s, p %s%s; "
                  "between-school variance τ² = %s, I² = %.1f%%; "
                  "a new school's odds ratio: %s–%s (%s prediction interval)",
                  name, or_ci_conf(o, &f->odds_ratio, conf),
                  f->p < 0.001 ? "" : "= ", ck_fmt_p(p, f->p),
                  ck_fmt_coef(t, f->tau2), f->i2,
                  ck_fmt_ratio(a, f->prediction.lo),
                  ck_fmt_ratio(b, f->prediction.hi), conf));
}

void ck_doc_meta(struct ck_doc *d, const struct ck_report *r) {
  const struct ck_meta *m = r->meta;
  if (m == NULL)
    return;
  char conf[CK_FMT_CAP];
  ck_fmt_conf(conf, r->confidence);
  d->ops->heading(d, 2, "Across schools");
  para(d, xprintf("This report pools %zu schools' summaries%s. Everything "
                  "above is computed from their sum, with the same code as "
                  "the report on all their files together. Below, each "
                  "headline comparison school by school: a school's row is "
                  "shown only when that school's own report, under the same "
                  "rules, would show the comparison, and only shown rows "
                  "enter the pooled estimates.",
                  m->n_schools,
                  m->anonymised ? " (called School A, B, … in a random order)"
                                : ""));
  if (m->members_checked)
    para(d, xprintf("A member knows its own data and could subtract it: for "
                    "%zu of the schools that would leave a count of 1 to %zu "
                    "other students, so the report is protected against "
                    "that too and may withhold more than the report on all "
                    "the files would.",
                    m->n_known, r->min_cell - 1));
  else
    d->ops->para(d,
                 "For readers who are not members: the pool minus one school "
                 "was not checked (--members-not-readers); do not give this "
                 "report to a member school.");
  for (size_t c = 0; c < m->n_comparisons; c++) {
    const struct ck_meta_comparison *mc = &m->comparisons[c];
    d->ops->heading(d, 3, mc->label);
    char head[CK_FMT_CAP + 32];
    snprintf(head, sizeof head, "Odds ratio (%s CI)", conf);
    struct ck_table *t = ck_table_new("lr", "School", head, NULL);
    for (size_t i = 0; i < mc->n_rows; i++) {
      const struct ck_meta_school *s = &mc->rows[i];
      char o[3 * CK_FMT_CAP + 8];
      if (s->shown) {
        or_ci(o, &s->odds_ratio);
        if (s->corrected)
          strcat(o, " *");
      } else {
        snprintf(o, sizeof o, CK_TXT_WITHHELD);
      }
      ck_table_row(t, 0, m->schools[s->school], o);
    }
    d->ops->table(d, t);
    ck_table_free(t);
    if (d->ops->figure)
      d->ops->figure(d, mc->id, r);
    if (mc->shown != CK_SHOWN) {
      para(d, xprintf("Pooled across schools: %s (fewer than 2 schools whose "
                      "own report shows this comparison).",
                      CK_TXT_NED));
      continue;
    }
    char o[4 * CK_FMT_CAP], p[CK_FMT_CAP], q[CK_FMT_CAP], x[CK_FMT_CAP];
    para(d,
         xprintf("Pooled across the %zu schools whose row is shown:", mc->k));
    if (mc->mh_shown == CK_SHOWN)
      item(d, xprintf("Mantel–Haenszel, schools as strata: odds ratio %s, "
                      "χ² = %s, p %s%s",
                      or_ci_conf(o, &mc->mh_odds_ratio, conf),
                      ck_fmt_stat(x, mc->mh_chi2), mc->mh_p < 0.001 ? "" : "= ",
                      ck_fmt_p(p, mc->mh_p)));
    else
      item(d, xprintf("Mantel–Haenszel, schools as strata: %s", CK_TXT_NED));
    fit_item(d, "DerSimonian–Laird", &mc->dl, conf);
    fit_item(d, "REML", &mc->reml, conf);
    item(d, xprintf("Do schools differ? Cochran's Q = %s on %zu df, p %s%s",
                    ck_fmt_stat(q, mc->q), mc->k - 1,
                    mc->q_p < 0.001 ? "" : "= ", ck_fmt_p(p, mc->q_p)));
  }
  d->ops->heading(d, 3, "Methods (across schools)");
  para(
      d,
      xprintf(
          "Per school, the log odds ratio of matching (first group vs second) "
          "with variance 1/a + 1/b + 1/c + 1/d; a school with a zero cell has "
          "0.5 added to each of its four cells (marked *), as metafor's escalc "
          "does by default. Random-effects meta-analysis as metafor::rma "
          "(method \"DL\" and \"REML\", Wald-type %s intervals; REML by Fisher "
          "scoring); I² from the typical within-school variance; the "
          "prediction "
          "interval for a new school is exp(μ ± z·√(SE² + τ²)) (predict.rma). "
          "Mantel–Haenszel odds ratio with schools as strata, Robins–Breslow–"
          "Greenland interval, test without continuity correction "
          "(mantelhaen.test(correct = FALSE)). With few schools τ² is poorly "
          "estimated and the prediction interval is wide; Q has little power.",
          conf));
}

/* ---- HTML forest plot ------------------------------------------------------
 */

static void esc(FILE *o, const char *s) {
  for (; *s; s++)
    switch (*s) {
    case '<':
      fputs("&lt;", o);
      break;
    case '>':
      fputs("&gt;", o);
      break;
    case '&':
      fputs("&amp;", o);
      break;
    case '"':
      fputs("&quot;", o);
      break;
    default:
      fputc(*s, o);
    }
}

void ck_html_forest(FILE *o, const struct ck_report *r, const char *id) {
  const struct ck_meta *m = r->meta;
  const struct ck_meta_comparison *mc = NULL;
  for (size_t c = 0; m && c < m->n_comparisons; c++)
    if (strcmp(m->comparisons[c].id, id) == 0)
      mc = &m->comparisons[c];
  if (mc == NULL)
    return;
  /* the log scale spans every shown interval, 1 and the pooled ones */
  double lo = 0, hi = 0; /* log scale */
  for (size_t i = 0; i < mc->n_rows; i++)
    if (mc->rows[i].shown) {
      lo = fmin(lo, log(mc->rows[i].odds_ratio.lo));
      hi = fmax(hi, log(mc->rows[i].odds_ratio.hi));
    }
  if (mc->shown == CK_SHOWN) {
    lo = fmin(lo, log(mc->reml.prediction.lo));
    hi = fmax(hi, log(mc->reml.prediction.hi));
  }
  lo = floor(lo / LN2) * LN2;
  hi = ceil(hi / LN2) * LN2;
  if (hi - lo < 2 * LN2)
    hi = lo + 2 * LN2;
  size_t rows = mc->n_rows + (mc->shown == CK_SHOWN ? 3 : 0);
  double left = 170, width = 360, rowh = 22, top = 10;
  double h = top + rowh * (double)rows + 50;
  fprintf(o, "<figure class=\"chart\"><figcaption><span class=\"ft\">Forest "
             "plot: ");
  esc(o, mc->label);
  fprintf(o,
          "</span><span class=\"tk\">Odds ratio of matching by school "
          "(squares, %g%% interval), pooled (diamonds; the line under "
          "REML: where a new school's odds ratio may fall). Log scale; "
          "right of 1 favours the first group.</span></figcaption>\n",
          r->confidence * 100);
  fprintf(o,
          "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"forest "
          "plot\" xmlns=\"http://www.w3.org/2000/svg\">\n",
          left + width + 20, h);
#define X(v) (left + width * ((v)-lo) / (hi - lo))
  double ybot = top + rowh * (double)rows;
  fprintf(o,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
          "stroke=\"#888\" stroke-dasharray=\"3,3\"/>\n",
          X(0), top, X(0), ybot);
  for (double t = lo; t <= hi + 1e-9; t += LN2) {
    fprintf(o,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"#111\"/>",
            X(t), ybot, X(t), ybot + 4);
    fprintf(o,
            "<text class=\"tl\" x=\"%.1f\" y=\"%.1f\" "
            "text-anchor=\"middle\">%g</text>\n",
            X(t), ybot + 16, exp(t) >= 1 ? round(exp(t)) : exp(t));
  }
  fprintf(o,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
          "stroke=\"#111\"/>\n",
          left, ybot, left + width, ybot);
  fprintf(o,
          "<text class=\"at\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
          "odds ratio</text>\n",
          left + width / 2, ybot + 34);
  for (size_t i = 0; i < mc->n_rows; i++) {
    const struct ck_meta_school *s = &mc->rows[i];
    double y = top + rowh * ((double)i + 0.5);
    fprintf(o, "<text x=\"4\" y=\"%.1f\">", y + 4);
    esc(o, m->schools[s->school]);
    fputs("</text>", o);
    if (!s->shown) {
      fprintf(o, "<text class=\"wl\" x=\"%.1f\" y=\"%.1f\">withheld</text>\n",
              left + 4, y + 4);
      continue;
    }
    double w = 4 + 6 / sqrt(s->vi > 0.01 ? s->vi / 0.01 : 1);
    fprintf(o,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"#111\"/><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
            "height=\"%.1f\" fill=\"#1f4e79\"/>\n",
            X(log(s->odds_ratio.lo)), y, X(log(s->odds_ratio.hi)), y,
            X(s->yi) - w / 2, y - w / 2, w, w);
  }
  if (mc->shown == CK_SHOWN) {
    const struct ck_meta_fit *f[2] = {&mc->dl, &mc->reml};
    const char *nm[2] = {"DerSimonian–Laird", "REML"};
    for (int k = 0; k < 2; k++) {
      double y = top + rowh * ((double)mc->n_rows + k + 0.5);
      fprintf(o, "<text x=\"4\" y=\"%.1f\" font-weight=\"bold\">%s</text>",
              y + 4, nm[k]);
      fprintf(o,
              "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
              "fill=\"#b35900\"/>\n",
              X(log(f[k]->odds_ratio.lo)), y, X(f[k]->mu), y - 6,
              X(log(f[k]->odds_ratio.hi)), y, X(f[k]->mu), y + 6);
    }
    double y = top + rowh * ((double)mc->n_rows + 2.5);
    fprintf(o,
            "<text x=\"4\" y=\"%.1f\">a new school (REML)</text>"
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"#b35900\" stroke-width=\"3\"/>\n",
            y + 4, X(log(mc->reml.prediction.lo)), y,
            X(log(mc->reml.prediction.hi)), y);
  }
#undef X
  fputs("</svg></figure>\n", o);
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *est(const struct ck_est *e) {
  return json_pack("{s:f,s:f,s:f}", "estimate", e->estimate, "ci_low", e->lo,
                   "ci_high", e->hi);
}

static json_t *fit_json(const struct ck_meta_fit *f, bool with_se) {
  json_t *o = json_pack(
      "{s:f,s:f,s:f,s:f,s:o,s:f,s:f,s:f,s:o}", "log_odds_ratio", f->mu, "se",
      f->se, "z", f->z, "p", f->p, "odds_ratio", est(&f->odds_ratio), "tau2",
      f->tau2, "i2_percent", f->i2, "h2", f->h2, "prediction_interval",
      json_pack("{s:f,s:f}", "low", f->prediction.lo, "high",
                f->prediction.hi));
  if (with_se) {
    json_object_set_new(o, "tau2_se", json_real(f->tau2_se));
    json_object_set_new(o, "iterations", json_integer(f->iterations));
  }
  return o;
}

json_t *ck_json_meta(const struct ck_report *r) {
  const struct ck_meta *m = r->meta;
  json_t *o = json_object();
  json_t *names = json_array();
  for (size_t i = 0; i < m->n_schools; i++)
    json_array_append_new(names, json_string(m->schools[i]));
  json_object_set_new(o, "schools", names);
  json_object_set_new(o, "anonymised", json_boolean(m->anonymised));
  json_object_set_new(o, "members_checked", json_boolean(m->members_checked));
  json_object_set_new(o, "members_known", json_integer((json_int_t)m->n_known));
  json_t *cs = json_array();
  for (size_t c = 0; c < m->n_comparisons; c++) {
    const struct ck_meta_comparison *mc = &m->comparisons[c];
    json_t *rows = json_array();
    for (size_t i = 0; i < mc->n_rows; i++) {
      const struct ck_meta_school *s = &mc->rows[i];
      json_t *row = json_pack("{s:s,s:b}", "school", m->schools[s->school],
                              "shown", s->shown);
      if (s->shown) {
        json_object_set_new(row, "log_odds_ratio", json_real(s->yi));
        json_object_set_new(row, "variance", json_real(s->vi));
        json_object_set_new(row, "odds_ratio", est(&s->odds_ratio));
        json_object_set_new(row, "zero_cell_corrected",
                            json_boolean(s->corrected));
      } else {
        json_object_set_new(row, "suppressed", json_string("withheld"));
      }
      json_array_append_new(rows, row);
    }
    json_t *x =
        json_pack("{s:s,s:s,s:s,s:s,s:o,s:I}", "id", mc->id, "label", mc->label,
                  "a", ck_group_key(mc->a), "b", ck_group_key(mc->b), "schools",
                  rows, "k", (json_int_t)mc->k);
    if (mc->shown == CK_SHOWN) {
      json_object_set_new(x, "heterogeneity",
                          json_pack("{s:f,s:I,s:f}", "q", mc->q, "df",
                                    (json_int_t)(mc->k - 1), "p", mc->q_p));
      json_object_set_new(x, "dersimonian_laird", fit_json(&mc->dl, false));
      json_object_set_new(x, "reml", fit_json(&mc->reml, true));
    } else {
      json_object_set_new(x, "not_enough_data", json_true());
    }
    if (mc->mh_shown == CK_SHOWN && mc->shown == CK_SHOWN)
      json_object_set_new(x, "mantel_haenszel",
                          json_pack("{s:o,s:f,s:f}", "odds_ratio",
                                    est(&mc->mh_odds_ratio), "chi2",
                                    mc->mh_chi2, "p", mc->mh_p));
    json_array_append_new(cs, x);
  }
  json_object_set_new(o, "comparisons", cs);
  return o;
}
