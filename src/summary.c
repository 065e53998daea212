/*
 * summary.c - the exchange file: one school's sufficient statistics as JSON
 * SPDX-License-Identifier: MIT
 *
 * Format in docs/exchange.md, JSON Schema in docs/exchange.schema.json.
 * Tables are arrays of arrays (one short array per key) so that 150 schools'
 * files are read in well under a second.  Reading checks every value it
 * uses: a summary comes from another school, so it is untrusted input.
 */
#include "ckcohort/summary.h"
#include "util.h"
#include "config_internal.h"
#include "report_model.h"
#include "cohort.h"

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static const char *const notice =
    "CONFIDENTIAL TO THE CONSORTIUM. Holds small counts of one school's "
    "students (no student ID, no row). Send only to the consortium's "
    "coordinator under the data-use agreement; never publish. The public "
    "sees only pooled reports (ckcohort pool).";

static const char *const program_ids[4] = {"none", "academic", "community",
                                           "other"};
static const char *const design_ids[CK_DG_COUNT] = {
    "low_pass_retook", "low_pass_no_retake", "failed_then_passed"};
static const char *const term_ids[3] = {"score", "tier", "year"};

/* ---- specialty digest --------------------------------------------------- */

static int alias_cmp(const void *a, const void *b) {
  return strcmp(((const struct ck_alias *)a)->key,
                ((const struct ck_alias *)b)->key);
}

void ck_specialty_digest(const struct ck_config *cfg, char out[65]) {
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  memset(out, 0, 65);
  if (md == NULL || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
    EVP_MD_CTX_free(md);
    return; /* an empty digest never equals another school's */
  }
  char line[512];
  for (size_t i = 0; i < cfg->n_specialties; i++) {
    int n = snprintf(line, sizeof line, "specialty\t%s\t%d\n",
                     cfg->specialties[i].name, (int)cfg->specialties[i].tier);
    EVP_DigestUpdate(md, line, n > 0 ? strlen(line) : 0);
  }
  struct ck_alias *al = ck_xcalloc(cfg->n_aliases + 1, sizeof *al);
  if (cfg->n_aliases)
    memcpy(al, cfg->aliases, cfg->n_aliases * sizeof *al);
  qsort(al, cfg->n_aliases, sizeof *al, alias_cmp);
  for (size_t i = 0; i < cfg->n_aliases; i++) {
    int s = al[i].specialty;
    snprintf(line, sizeof line, "alias\t%s\t%s\n", al[i].key,
             s >= 0 && (size_t)s < cfg->n_specialties ? cfg->specialties[s].name
                                                      : "");
    EVP_DigestUpdate(md, line, strlen(line));
  }
  free(al);
  if (EVP_DigestFinal_ex(md, d, &len))
    for (unsigned i = 0; i < len && i < 32; i++)
      snprintf(out + 2 * i, 3, "%02x", d[i]);
  EVP_MD_CTX_free(md);
}

/* ---- writing ----------------------------------------------------------- */

static json_t *jsize(size_t v) { return json_integer((json_int_t)v); }

static json_t *definitions(const struct ck_config *cfg, int from, int to) {
  json_t *d = json_object();
  json_t *pm = json_array();
  for (size_t i = 0; i < cfg->n_pass_marks; i++) {
    char day[16];
    int y, m, dd;
    ck_civil_from_days(cfg->pass_marks[i].from, &y, &m, &dd);
    snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, dd);
    json_array_append_new(pm, json_pack("{s:s,s:i}", "from", day, "mark",
                                        cfg->pass_marks[i].mark));
  }
  json_object_set_new(d, "pass_marks", pm);
  char und[8];
  snprintf(und, sizeof und, "%02d-%02d", cfg->undated_month, cfg->undated_day);
  json_object_set_new(d, "undated_attempt", json_string(und));
  json_object_set_new(d, "low_pass_margin", json_integer(cfg->low_pass_margin));
  json_object_set_new(
      d, "score_change",
      json_pack("{s:i,s:i,s:i,s:i}", "lower_max", cfg->change_lower_max,
                "slightly_higher_min", cfg->change_slight_min,
                "moderately_higher_min", cfg->change_moderate_min,
                "significantly_higher_min", cfg->change_significant_min));
  json_object_set_new(d, "band_average_min",
                      json_integer(cfg->band_average_min));
  json_object_set_new(d, "band_competitive_min",
                      json_integer(cfg->band_competitive_min));
  char digest[65];
  ck_specialty_digest(cfg, digest);
  json_object_set_new(d, "specialty_table_sha256", json_string(digest));
  json_object_set_new(d, "years",
                      from ? json_pack("[i,i]", from, to) : json_null());
  json_t *pp = json_array();
  for (size_t i = 0; i < cfg->n_practice_points; i++)
    json_array_append_new(pp, json_integer(cfg->practice_points[i]));
  json_object_set_new(d, "practice_points", pp);
  json_t *terms = json_array();
  for (int i = 0; i < 3; i++)
    if (cfg->adjust_terms & (1u << i))
      json_array_append_new(terms, json_string(term_ids[i]));
  json_object_set_new(d, "adjust_terms", terms);
  json_object_set_new(d, "confidence", json_real(cfg->confidence));
  json_object_set_new(d, "exact_intervals", json_boolean(cfg->clopper_pearson));
  return d;
}

static json_t *suff_json(const struct ck_suff *s) {
  json_t *o = json_object();
  json_t *in = json_array();
  for (size_t i = 0; i < s->n_inputs; i++) {
    const struct ck_suff_input *p = &s->inputs[i];
    /* header names only (a pooled report names them as a school's own
     * report does), never a value of those columns */
    json_t *ign = json_array();
    for (size_t k = 0; k < p->n_ignored; k++)
      json_array_append_new(ign, json_string(p->ignored[k]));
    json_array_append_new(
        in, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "path", p->path,
                      "sha256", p->sha256, "rows", jsize(p->read), "accepted",
                      jsize(p->accepted), "excluded", jsize(p->excluded),
                      "rejected", jsize(p->rejected), "ignored_columns", ign));
  }
  json_object_set_new(o, "inputs", in);
  json_t *rej = json_object();
  for (size_t i = 0; i < s->n_reasons; i++)
    json_object_set_new(rej, s->reasons[i].what, jsize(s->reasons[i].n));
  json_object_set_new(
      o, "rows",
      json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "read",
                jsize(s->read), "accepted", jsize(s->accepted), "excluded",
                jsize(s->excluded), "rejected", jsize(s->rejected), "warnings",
                jsize(s->warnings), "blank", jsize(s->blank),
                "excluded_no_score", jsize(s->excluded_no_score),
                "excluded_years", jsize(s->excluded_years), "retake_after_pass",
                jsize(s->retake_after_pass),
                "retake_after_pass_low_pass_retook", jsize(s->lpr_flagged),
                "rejected_by_column", rej));
  json_t *sp = json_array();
  for (size_t i = 0; i < s->n_specs; i++) {
    const char *t = ck_tier_id(s->specs[i].tier);
    json_array_append_new(sp,
                          json_pack("[s,s]", s->specs[i].name, t ? t : "none"));
  }
  json_object_set_new(o, "specialties", sp);

  json_t *c = json_array();
  for (size_t i = 0; i < s->n_counts; i++) {
    const struct ck_suff_count *k = &s->counts[i];
    json_array_append_new(
        c, json_pack("[i,s,i,i,i,i,s,I]", k->year,
                     ck_group_key((enum ck_group_id)k->leaf), k->target,
                     k->matched, k->matched_target, k->matched_specialty,
                     program_ids[k->program & 3], (json_int_t)k->n));
  }
  json_object_set_new(o, "counts", c);
  json_t *h = json_array();
  for (size_t i = 0; i < s->n_changes; i++) {
    const struct ck_suff_change *k = &s->changes[i];
    json_array_append_new(h, json_pack("[s,i,I]",
                                       ck_group_key((enum ck_group_id)k->leaf),
                                       k->change, (json_int_t)k->n));
  }
  json_object_set_new(o, "score_change", h);
  json_t *pr = json_array();
  for (int g = 0; g < CK_G_COUNT; g++) {
    const struct ck_suff_pairs *p = &s->pairs[g];
    if (p->n == 0)
      continue;
    json_array_append_new(
        pr, json_pack("[s,I,I,I,I,I,I,i,i]", ck_group_key((enum ck_group_id)g),
                      (json_int_t)p->n, (json_int_t)p->sx, (json_int_t)p->sy,
                      (json_int_t)p->sxx, (json_int_t)p->sxy,
                      (json_int_t)p->syy, p->x_min, p->x_max));
  }
  json_object_set_new(o, "practice_pairs", pr);
  json_t *ds = json_array();
  for (size_t i = 0; i < s->n_design; i++) {
    const struct ck_suff_design *k = &s->design[i];
    const char *t = ck_tier_id((enum ck_tier)k->tier);
    json_array_append_new(ds, json_pack("[s,i,s,i,i,I]", design_ids[k->group],
                                        k->matched, t ? t : "none", k->score,
                                        k->year, (json_int_t)k->n));
  }
  json_object_set_new(o, "design", ds);
  return o;
}

/* Top-level keys one per line, each table row on a line of its own: a
 * dean's office can read what it sends. */
static bool dump(FILE *out, json_t *root) {
  bool ok = fputs("{", out) != EOF;
  const char *key;
  json_t *val;
  bool first = true;
  json_object_foreach(root, key, val) {
    json_t *ks = json_string(key);
    char *kt = json_dumps(ks, JSON_ENCODE_ANY);
    json_decref(ks);
    ok =
        ok && kt != NULL && fprintf(out, "%s\n %s: ", first ? "" : ",", kt) > 0;
    free(kt);
    first = false;
    if (json_is_array(val) && json_array_size(val) > 0 &&
        json_is_array(json_array_get(val, 0))) {
      ok = ok && fputs("[", out) != EOF;
      for (size_t i = 0; ok && i < json_array_size(val); i++) {
        char *row = json_dumps(json_array_get(val, i), JSON_COMPACT);
        ok = row != NULL && fprintf(out, "%s\n  %s", i ? "," : "", row) > 0;
        free(row);
      }
      ok = ok && fputs("\n ]", out) != EOF;
    } else {
      char *v = json_dumps(val, JSON_ENCODE_ANY | JSON_COMPACT |
                                    JSON_REAL_PRECISION(17));
      ok = ok && v != NULL && fputs(v, out) != EOF;
      free(v);
    }
  }
  return ok && fputs("\n}\n", out) != EOF;
}

bool ck_report_shows_comparison(const struct ck_report *r, size_t i) {
  if (i >= r->n_comparisons)
    return false;
  const struct ck_comparison *k = &r->comparisons[i];
  const struct ck_group_row *a = &r->groups[k->a], *b = &r->groups[k->b];
  size_t cells[4] = {a->matched, a->unmatched, b->matched, b->unmatched};
  if (k->shown != CK_SHOWN)
    return false;
  for (int j = 0; j < 4; j++)
    if (cells[j] >= r->n_cells || r->cells[cells[j]].shown != CK_SHOWN)
      return false;
  return true;
}

enum ck_status ck_summary_write(FILE *out, const struct ck_cohort *c,
                                const struct ck_config *cfg, const char *school,
                                const struct ck_report *own,
                                struct ck_error *err) {
  struct ck_suff *s = ck_suff_from_cohort(c, cfg);
  json_t *root = json_object();
  json_object_set_new(root, "format", json_string(CK_SUMMARY_FORMAT));
  json_object_set_new(root, "version", json_integer(CK_SUMMARY_VERSION));
  json_object_set_new(root, "confidential", json_string(notice));
  json_object_set_new(root, "school", json_string(school));
  json_object_set_new(
      root, "tool",
      json_pack("{s:s,s:s}", "name", "ckcohort", "version", ck_version()));
  json_object_set_new(root, "definitions",
                      definitions(cfg, s->years_from, s->years_to));
  json_object_set_new(root, "min_cell", jsize(cfg->min_cell));
  /* the policy own_report_shows was decided under; pool may use another */
  json_t *bands = json_array();
  for (size_t i = 0; i < cfg->n_bands; i++)
    json_array_append_new(bands, json_pack("{s:o,s:f}", "min_n",
                                           jsize(cfg->bands[i].min_n), "pct",
                                           cfg->bands[i].pct));
  json_object_set_new(root, "privacy",
                      json_pack("{s:s,s:o}", "policy",
                                ck_privacy_name(cfg->policy), "bands", bands));
  if (own != NULL) {
    json_t *sh = json_object();
    for (size_t i = 0; i < own->n_comparisons; i++)
      json_object_set_new(sh, own->comparisons[i].id,
                          json_boolean(ck_report_shows_comparison(own, i)));
    json_object_set_new(root, "own_report_shows", sh);
  }
  json_t *body = suff_json(s);
  json_object_update(root, body);
  json_decref(body);
  ck_suff_free(s);
  bool ok = dump(out, root);
  json_decref(root);
  if (!ok)
    return ck_error_set(err, CK_EIO, NULL, 0, NULL, "cannot write the summary");
  return CK_OK;
}

/* ---- reading ------------------------------------------------------------ */

struct rd {
  const char *name;
  struct ck_error *err;
  bool bad;
};

static bool fail(struct rd *r, const char *field, const char *msg) {
  if (!r->bad)
    ck_error_set(r->err, CK_EPARSE, r->name, 0, field, "%s", msg);
  r->bad = true;
  return false;
}

/* {"policy": "nces"|"strict", "bands": [{"min_n": N, "pct": P}, ...]} */
static bool read_privacy(struct rd *r, json_t *pv, struct ck_config *cfg) {
  const char *p = json_string_value(json_object_get(pv, "policy"));
  if (p != NULL && strcmp(p, "nces") == 0)
    cfg->policy = CK_PRIVACY_NCES;
  else if (p != NULL && strcmp(p, "strict") == 0)
    cfg->policy = CK_PRIVACY_STRICT;
  else
    return fail(r, "privacy.policy", "not \"nces\" or \"strict\"");
  json_t *b = json_object_get(pv, "bands");
  if (!json_is_array(b) || json_array_size(b) > CK_MAX_BANDS)
    return fail(r, "privacy.bands", "not a list of at most 8 bands");
  size_t prev = SIZE_MAX;
  for (size_t i = 0; i < json_array_size(b); i++) {
    json_t *e = json_array_get(b, i);
    json_t *n = json_object_get(e, "min_n"), *x = json_object_get(e, "pct");
    if (!json_is_integer(n) || json_integer_value(n) < 1 ||
        (size_t)json_integer_value(n) >= prev || !json_is_number(x) ||
        !(json_number_value(x) > 0 && json_number_value(x) < 0.5))
      return fail(r, "privacy.bands",
                  "a band is not {min_n >= 1, 0 < pct "
                  "< 0.5}, largest min_n first");
    prev = (size_t)json_integer_value(n);
    cfg->bands[i].min_n = prev;
    cfg->bands[i].pct = json_number_value(x);
  }
  cfg->n_bands = json_array_size(b);
  return true;
}

static bool get_int(struct rd *r, json_t *o, const char *key, long long lo,
                    long long hi, long long *v) {
  json_t *x = json_object_get(o, key);
  if (!json_is_integer(x) || json_integer_value(x) < lo ||
      json_integer_value(x) > hi) {
    char b[96];
    snprintf(b, sizeof b, "missing or not a whole number %lld-%lld", lo, hi);
    return fail(r, key, b);
  }
  *v = json_integer_value(x);
  return true;
}

static bool el_int(struct rd *r, json_t *a, size_t i, const char *field,
                   long long lo, long long hi, long long *v) {
  json_t *x = json_array_get(a, i);
  if (!json_is_integer(x) || json_integer_value(x) < lo ||
      json_integer_value(x) > hi)
    return fail(r, field, "a value is missing or out of range");
  *v = json_integer_value(x);
  return true;
}

static int find_id(const char *s, const char *const *ids, int n) {
  for (int i = 0; s && i < n; i++)
    if (ids[i] && strcmp(s, ids[i]) == 0)
      return i;
  return -1;
}

/* Tables are sorted with the group near the front of the key, so runs of
 * rows name the same group: the last answer is tried first. */
static int group_id(const char *s) {
  static _Thread_local int last = 0;
  if (s == NULL)
    return -1;
  if (strcmp(s, ck_group_key((enum ck_group_id)last)) == 0)
    return last;
  for (int g = 0; g < CK_G_COUNT; g++)
    if (strcmp(s, ck_group_key((enum ck_group_id)g)) == 0)
      return last = g;
  return -1;
}

static bool is_leaf(int g) {
  for (int k = 0; k < CK_G_COUNT; k++)
    if (ck_group_parent((enum ck_group_id)k) == g)
      return false;
  return g > CK_G_ALL;
}

static int tier_of(const char *s) {
  if (s && strcmp(s, "none") == 0)
    return CK_TIER_NONE;
  for (int t = CK_TIER_FORGIVING; t <= CK_TIER_VERY_COMPETITIVE; t++)
    if (s && strcmp(s, ck_tier_id((enum ck_tier)t)) == 0)
      return t;
  return -1;
}

static bool read_definitions(struct rd *r, json_t *d, struct ck_summary *sum) {
  struct ck_config *cfg = sum->cfg;
  if (!json_is_object(d))
    return fail(r, "definitions", "missing or not an object");
  json_t *pm = json_object_get(d, "pass_marks");
  if (!json_is_array(pm) || json_array_size(pm) == 0 ||
      json_array_size(pm) > 64)
    return fail(r, "pass_marks", "missing or not a list of 1-64 marks");
  cfg->n_pass_marks = 0;
  cfg->pass_marks = ck_xrealloc(cfg->pass_marks,
                                json_array_size(pm) * sizeof *cfg->pass_marks);
  for (size_t i = 0; i < json_array_size(pm); i++) {
    json_t *e = json_array_get(pm, i);
    const char *from = json_string_value(json_object_get(e, "from"));
    long long mark;
    int y, m, dd, used = 0;
    if (from == NULL ||
        sscanf(from, "%4d-%2d-%2d%n", &y, &m, &dd, &used) != 3 ||
        from[used] != '\0' || ck_days_from_civil(y, m, dd) == CK_NO_DATE)
      return fail(r, "pass_marks", "a \"from\" is not a date YYYY-MM-DD");
    if (!get_int(r, e, "mark", 1, 300, &mark))
      return false;
    int32_t day = ck_days_from_civil(y, m, dd);
    if (i > 0 && day <= cfg->pass_marks[i - 1].from)
      return fail(r, "pass_marks", "dates are not in ascending order");
    cfg->pass_marks[i].from = day;
    cfg->pass_marks[i].mark = (int)mark;
    cfg->n_pass_marks++;
  }
  const char *und = json_string_value(json_object_get(d, "undated_attempt"));
  int um, ud, used = 0;
  if (und == NULL || sscanf(und, "%2d-%2d%n", &um, &ud, &used) != 2 ||
      und[used] != '\0' || um < 1 || um > 12 || ud < 1 || ud > 31)
    return fail(r, "undated_attempt", "missing or not MM-DD");
  cfg->undated_month = um;
  cfg->undated_day = ud;
  long long v;
  if (!get_int(r, d, "low_pass_margin", 0, 300, &v))
    return false;
  cfg->low_pass_margin = (int)v;
  json_t *sc = json_object_get(d, "score_change");
  long long a, b, c, e;
  if (!json_is_object(sc))
    return fail(r, "score_change", "missing or not an object");
  if (!get_int(r, sc, "lower_max", -300, 300, &a) ||
      !get_int(r, sc, "slightly_higher_min", -300, 300, &b) ||
      !get_int(r, sc, "moderately_higher_min", -300, 300, &c) ||
      !get_int(r, sc, "significantly_higher_min", -300, 300, &e))
    return false;
  cfg->change_lower_max = (int)a;
  cfg->change_slight_min = (int)b;
  cfg->change_moderate_min = (int)c;
  cfg->change_significant_min = (int)e;
  if (!get_int(r, d, "band_average_min", 1, 300, &a) ||
      !get_int(r, d, "band_competitive_min", 1, 300, &b))
    return false;
  cfg->band_average_min = (int)a;
  cfg->band_competitive_min = (int)b;
  const char *dig =
      json_string_value(json_object_get(d, "specialty_table_sha256"));
  if (dig == NULL || strlen(dig) != 64 || strspn(dig, "0123456789abcdef") != 64)
    return fail(r, "specialty_table_sha256",
                "missing or not 64 hexadecimal digits");
  sum->specialty_digest = ck_xstrdup(dig);
  json_t *yr = json_object_get(d, "years");
  if (json_is_array(yr) && json_array_size(yr) == 2) {
    long long f, t;
    if (!el_int(r, yr, 0, "years", 1990, 2100, &f) ||
        !el_int(r, yr, 1, "years", f, 2100, &t))
      return false;
    sum->suff->years_from = (int)f;
    sum->suff->years_to = (int)t;
  } else if (!json_is_null(yr)) {
    return fail(r, "years", "missing or not null or [from, to]");
  }
  json_t *pp = json_object_get(d, "practice_points");
  if (!json_is_array(pp) || json_array_size(pp) > CK_MAX_PRACTICE_POINTS)
    return fail(r, "practice_points", "missing or more than 8 points");
  cfg->n_practice_points = json_array_size(pp);
  for (size_t i = 0; i < cfg->n_practice_points; i++) {
    if (!el_int(r, pp, i, "practice_points", 1, 300, &v))
      return false;
    cfg->practice_points[i] = (int)v;
  }
  json_t *terms = json_object_get(d, "adjust_terms");
  if (!json_is_array(terms))
    return fail(r, "adjust_terms", "missing or not a list");
  cfg->adjust_terms = 0;
  for (size_t i = 0; i < json_array_size(terms); i++) {
    int t = find_id(json_string_value(json_array_get(terms, i)), term_ids, 3);
    if (t < 0)
      return fail(r, "adjust_terms", "not score, tier or year");
    cfg->adjust_terms |= 1u << t;
  }
  json_t *conf = json_object_get(d, "confidence");
  if (!json_is_number(conf) || !(json_number_value(conf) > 0) ||
      !(json_number_value(conf) < 1))
    return fail(r, "confidence", "missing or not between 0 and 1");
  cfg->confidence = json_number_value(conf);
  json_t *ex = json_object_get(d, "exact_intervals");
  if (!json_is_boolean(ex))
    return fail(r, "exact_intervals", "missing or not true/false");
  cfg->clopper_pearson = json_is_true(ex);
  return true;
}

static bool read_rows(struct rd *r, json_t *o, struct ck_suff *s) {
  json_t *in = json_object_get(o, "inputs");
  if (!json_is_array(in) || json_array_size(in) == 0)
    return fail(r, "inputs", "missing or empty");
  s->n_inputs = json_array_size(in);
  s->inputs = ck_xcalloc(s->n_inputs, sizeof *s->inputs);
  for (size_t i = 0; i < s->n_inputs; i++) {
    json_t *e = json_array_get(in, i);
    const char *path = json_string_value(json_object_get(e, "path"));
    const char *sha = json_string_value(json_object_get(e, "sha256"));
    long long rd, ac, ex, rj;
    if (path == NULL)
      return fail(r, "inputs", "an input has no path");
    s->inputs[i].path = ck_xstrdup(path);
    if (sha == NULL || strlen(sha) != 64 ||
        strspn(sha, "0123456789abcdef") != 64)
      return fail(r, "inputs", "an input's sha256 is not 64 hex digits");
    memcpy(s->inputs[i].sha256, sha, 65);
    if (!get_int(r, e, "rows", 0, 1LL << 40, &rd) ||
        !get_int(r, e, "accepted", 0, rd, &ac) ||
        !get_int(r, e, "excluded", 0, rd, &ex) ||
        !get_int(r, e, "rejected", 0, rd, &rj))
      return false;
    if (ac + ex + rj != rd)
      return fail(r, "inputs",
                  "an input's accepted + excluded + rejected is not its rows");
    s->inputs[i].read = (size_t)rd;
    s->inputs[i].accepted = (size_t)ac;
    s->inputs[i].excluded = (size_t)ex;
    s->inputs[i].rejected = (size_t)rj;
    /* optional (summaries written before it named none) */
    json_t *ign = json_object_get(e, "ignored_columns");
    if (ign != NULL && !json_is_array(ign))
      return fail(r, "inputs", "an input's ignored_columns is not a list");
    size_t ni = json_array_size(ign);
    s->inputs[i].ignored = ck_xcalloc(ni ? ni : 1, sizeof(char *));
    for (size_t k = 0; k < ni; k++) {
      const char *h = json_string_value(json_array_get(ign, k));
      if (h == NULL || strlen(h) > 1024)
        return fail(r, "inputs", "an ignored column is not a short string");
      s->inputs[i].ignored[s->inputs[i].n_ignored++] = ck_xstrdup(h);
    }
  }
  json_t *rows = json_object_get(o, "rows");
  if (!json_is_object(rows))
    return fail(r, "rows", "missing or not an object");
  static const char *const keys[] = {"read",
                                     "accepted",
                                     "excluded",
                                     "rejected",
                                     "warnings",
                                     "blank",
                                     "excluded_no_score",
                                     "excluded_years",
                                     "retake_after_pass",
                                     "retake_after_pass_low_pass_retook"};
  size_t *dst[] = {&s->read,
                   &s->accepted,
                   &s->excluded,
                   &s->rejected,
                   &s->warnings,
                   &s->blank,
                   &s->excluded_no_score,
                   &s->excluded_years,
                   &s->retake_after_pass,
                   &s->lpr_flagged};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    long long v;
    if (!get_int(r, rows, keys[i], 0, 1LL << 40, &v))
      return false;
    *dst[i] = (size_t)v;
  }
  if (s->accepted + s->excluded + s->rejected != s->read)
    return fail(r, "rows", "accepted + excluded + rejected is not read");
  /* The tables below are sized by these counts (the score-change histogram
   * is expanded in memory): a school is far below this. */
  if (s->accepted > CK_SUMMARY_MAX_APPLICANTS)
    return fail(r, "rows", "more than 50,000,000 accepted rows");
  json_t *rej = json_object_get(rows, "rejected_by_column");
  if (!json_is_object(rej))
    return fail(r, "rejected_by_column", "missing or not an object");
  s->reasons = ck_xcalloc(json_object_size(rej) + 1, sizeof *s->reasons);
  const char *key;
  json_t *val;
  json_object_foreach(rej, key, val) {
    if (!json_is_integer(val) || json_integer_value(val) < 1)
      return fail(r, "rejected_by_column", "a count is not positive");
    s->reasons[s->n_reasons].what = ck_xstrdup(key);
    s->reasons[s->n_reasons++].n = (size_t)json_integer_value(val);
  }
  return true;
}

static bool read_tables(struct rd *r, json_t *o, struct ck_suff *s) {
  json_t *sp = json_object_get(o, "specialties");
  if (!json_is_array(sp) || json_array_size(sp) > 30000)
    return fail(r, "specialties", "missing or not a list");
  s->n_specs = 0;
  s->specs = ck_xcalloc(json_array_size(sp) + 1, sizeof *s->specs);
  for (size_t i = 0; i < json_array_size(sp); i++) {
    json_t *e = json_array_get(sp, i);
    const char *name = json_string_value(json_array_get(e, 0));
    int tier = tier_of(json_string_value(json_array_get(e, 1)));
    if (name == NULL || name[0] == '\0' || tier < 0)
      return fail(r, "specialties", "an entry is not [name, tier]");
    for (size_t j = 0; j < i; j++)
      if (strcmp(s->specs[j].name, name) == 0)
        return fail(r, "specialties", "a name is listed twice");
    s->specs[i].name = ck_xstrdup(name);
    s->specs[i].tier = (enum ck_tier)tier;
    s->n_specs++;
  }
  long long ns = (long long)s->n_specs;

  json_t *c = json_object_get(o, "counts");
  if (!json_is_array(c))
    return fail(r, "counts", "missing or not a list");
  s->n_counts = json_array_size(c);
  s->counts = ck_xcalloc(s->n_counts + 1, sizeof *s->counts);
  uint64_t total = 0;
  for (size_t i = 0; i < s->n_counts; i++) {
    json_t *e = json_array_get(c, i);
    struct ck_suff_count *k = &s->counts[i];
    long long y, t, m, mt, ms, n;
    int leaf = group_id(json_string_value(json_array_get(e, 1)));
    int prog = find_id(json_string_value(json_array_get(e, 6)), program_ids, 4);
    if (json_array_size(e) != 8 || leaf < 0 || !is_leaf(leaf) || prog < 0)
      return fail(r, "counts",
                  "an entry is not [year, leaf group, target, matched, "
                  "matched_target, matched_specialty, program, n]");
    if (!el_int(r, e, 0, "counts: year", 1990, 2100, &y) ||
        !el_int(r, e, 2, "counts: target", -1, ns - 1, &t) ||
        !el_int(r, e, 3, "counts: matched", 0, 1, &m) ||
        !el_int(r, e, 4, "counts: matched_target", 0, m && t >= 0, &mt) ||
        !el_int(r, e, 5, "counts: matched_specialty", -1, m ? ns - 1 : -1,
                &ms) ||
        !el_int(r, e, 7, "counts: n", 1, 1LL << 40, &n))
      return false;
    k->year = (int16_t)y;
    k->leaf = (uint8_t)leaf;
    k->target = (int16_t)t;
    k->matched = (uint8_t)m;
    k->matched_target = (uint8_t)mt;
    k->matched_specialty = (int16_t)ms;
    k->program = (uint8_t)prog;
    k->n = (uint64_t)n;
    total += (uint64_t)n;
  }
  if (total != s->accepted)
    return fail(r, "counts",
                "the counts do not add up to the "
                "accepted rows");

  json_t *h = json_object_get(o, "score_change");
  if (!json_is_array(h))
    return fail(r, "score_change", "missing or not a list");
  s->n_changes = json_array_size(h);
  s->changes = ck_xcalloc(s->n_changes + 1, sizeof *s->changes);
  uint64_t retakers = 0;
  for (size_t i = 0; i < s->n_changes; i++) {
    json_t *e = json_array_get(h, i);
    long long ch, n;
    int leaf = group_id(json_string_value(json_array_get(e, 0)));
    if (json_array_size(e) != 3 || leaf < 0 || !is_leaf(leaf))
      return fail(r, "score_change", "an entry is not [leaf group, change, n]");
    if (!el_int(r, e, 1, "score_change: change", -299, 299, &ch) ||
        !el_int(r, e, 2, "score_change: n", 1, 1LL << 40, &n))
      return false;
    s->changes[i].leaf = (uint8_t)leaf;
    s->changes[i].change = (int16_t)ch;
    s->changes[i].n = (uint64_t)n;
    retakers += (uint64_t)n;
    if (retakers > s->accepted)
      return fail(r, "score_change", "more retakers than accepted rows");
  }

  json_t *pr = json_object_get(o, "practice_pairs");
  if (!json_is_array(pr))
    return fail(r, "practice_pairs", "missing or not a list");
  for (size_t i = 0; i < json_array_size(pr); i++) {
    json_t *e = json_array_get(pr, i);
    int leaf = group_id(json_string_value(json_array_get(e, 0)));
    long long v[8];
    if (json_array_size(e) != 9 || leaf < 0 || !is_leaf(leaf) ||
        s->pairs[leaf].n != 0)
      return fail(r, "practice_pairs",
                  "an entry is not [leaf group, n, sum_x, sum_y, sum_xx, "
                  "sum_xy, sum_yy, x_min, x_max], one per group");
    if (!el_int(r, e, 1, "practice_pairs: n", 1, 1LL << 32, &v[0]))
      return false;
    long long lim = v[0] * 300, lim2 = v[0] * 90000;
    if (!el_int(r, e, 2, "practice_pairs: sum_x", v[0], lim, &v[1]) ||
        !el_int(r, e, 3, "practice_pairs: sum_y", v[0], lim, &v[2]) ||
        !el_int(r, e, 4, "practice_pairs: sum_xx", v[0], lim2, &v[3]) ||
        !el_int(r, e, 5, "practice_pairs: sum_xy", v[0], lim2, &v[4]) ||
        !el_int(r, e, 6, "practice_pairs: sum_yy", v[0], lim2, &v[5]) ||
        !el_int(r, e, 7, "practice_pairs: x_min", 1, 300, &v[6]) ||
        !el_int(r, e, 8, "practice_pairs: x_max", v[6], 300, &v[7]))
      return false;
    if ((uint64_t)v[0] > s->accepted)
      return fail(r, "practice_pairs", "more pairs than accepted rows");
    struct ck_suff_pairs *p = &s->pairs[leaf];
    p->n = (uint64_t)v[0];
    p->sx = v[1];
    p->sy = v[2];
    p->sxx = v[3];
    p->sxy = v[4];
    p->syy = v[5];
    p->x_min = (int)v[6];
    p->x_max = (int)v[7];
  }

  total = 0;
  json_t *ds = json_object_get(o, "design");
  if (!json_is_array(ds))
    return fail(r, "design", "missing or not a list");
  s->n_design = json_array_size(ds);
  s->design = ck_xcalloc(s->n_design + 1, sizeof *s->design);
  for (size_t i = 0; i < s->n_design; i++) {
    json_t *e = json_array_get(ds, i);
    int g = find_id(json_string_value(json_array_get(e, 0)), design_ids,
                    CK_DG_COUNT);
    int tier = tier_of(json_string_value(json_array_get(e, 2)));
    long long m, sc, y, n;
    if (json_array_size(e) != 6 || g < 0 || tier < 0)
      return fail(r, "design",
                  "an entry is not [group, matched, tier, score, year, n]");
    if (!el_int(r, e, 1, "design: matched", 0, 1, &m) ||
        !el_int(r, e, 3, "design: score", 1, 300, &sc) ||
        !el_int(r, e, 4, "design: year", 1990, 2100, &y) ||
        !el_int(r, e, 5, "design: n", 1, 1LL << 40, &n))
      return false;
    total += (uint64_t)n;
    if (total > s->accepted)
      return fail(r, "design",
                  "more design rows' applicants than accepted rows");
    struct ck_suff_design *d = &s->design[i];
    d->group = (uint8_t)g;
    d->matched = (uint8_t)m;
    d->tier = (uint8_t)tier;
    d->score = (int16_t)sc;
    d->year = (int16_t)y;
    d->n = (uint64_t)n;
  }
  ck_suff_sort(s);
  return true;
}

enum ck_status ck_summary_read_buffer(const char *name, const char *buf,
                                      size_t len, struct ck_summary **out,
                                      struct ck_error *err) {
  *out = NULL;
  json_error_t je;
  json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
  if (root == NULL)
    return ck_error_set(err, CK_EPARSE, name, je.line > 0 ? je.line : 0, NULL,
                        "not a ckcohort summary: JSON error: %s", je.text);
  struct rd r = {name, err, false};
  const char *fmt = json_string_value(json_object_get(root, "format"));
  if (!json_is_object(root) || fmt == NULL ||
      strcmp(fmt, CK_SUMMARY_FORMAT) != 0) {
    json_decref(root);
    return ck_error_set(err, CK_EPARSE, name, 0, "format",
                        "not a ckcohort summary (\"format\" is not \"%s\")",
                        CK_SUMMARY_FORMAT);
  }
  json_t *ver = json_object_get(root, "version");
  if (!json_is_integer(ver) || json_integer_value(ver) != CK_SUMMARY_VERSION) {
    char v[64] = "missing";
    if (json_is_integer(ver))
      snprintf(v, sizeof v, "%lld", (long long)json_integer_value(ver));
    json_decref(root);
    return ck_error_set(err, CK_EPARSE, name, 0, "version",
                        "summary version %s is not one this ckcohort reads "
                        "(%d); write it again with ckcohort %s summarize",
                        v, CK_SUMMARY_VERSION, ck_version());
  }
  struct ck_summary *s = ck_xcalloc(1, sizeof *s);
  s->version = CK_SUMMARY_VERSION;
  s->cfg = ck_config_new();
  s->suff = ck_xcalloc(1, sizeof *s->suff);
  if (s->cfg == NULL) {
    ck_summary_free(s);
    json_decref(root);
    return ck_error_set(err, CK_ENOMEM, name, 0, NULL, "out of memory");
  }
  const char *school = json_string_value(json_object_get(root, "school"));
  const char *tool = json_string_value(
      json_object_get(json_object_get(root, "tool"), "version"));
  long long mc;
  bool ok = true;
  if (school == NULL || school[0] == '\0')
    ok = fail(&r, "school", "missing or empty");
  else if (tool == NULL)
    ok = fail(&r, "tool", "missing its version");
  else if (!json_is_string(json_object_get(root, "confidential")))
    ok = fail(&r, "confidential", "the confidentiality notice is missing");
  if (ok) {
    s->school = ck_xstrdup(school);
    s->tool_version = ck_xstrdup(tool);
    ok = get_int(&r, root, "min_cell", CK_MIN_CELL_FLOOR, 1000000, &mc) &&
         read_definitions(&r, json_object_get(root, "definitions"), s) &&
         read_rows(&r, root, s->suff) && read_tables(&r, root, s->suff);
    if (ok)
      s->cfg->min_cell = (size_t)mc;
  }
  json_t *pv = json_object_get(root, "privacy");
  if (ok && pv != NULL)
    ok = read_privacy(&r, pv, s->cfg);
  json_t *sh = json_object_get(root, "own_report_shows");
  if (ok && sh != NULL) {
    static const char *const ids[CK_MAX_COMPARISONS] = {
        "retook_vs_no_retake", "low_pass_vs_failed_then_passed",
        "no_retake_vs_failed_then_passed"};
    for (int i = 0; ok && i < CK_MAX_COMPARISONS; i++) {
      json_t *b = json_object_get(sh, ids[i]);
      if (!json_is_boolean(b))
        ok = fail(&r, "own_report_shows", "not true/false for each comparison");
      else
        s->own_shows[i] = json_is_true(b);
    }
    if (ok)
      s->own_min_cell = s->cfg->min_cell;
  }
  json_decref(root);
  if (!ok) {
    ck_summary_free(s);
    return CK_EPARSE;
  }
  *out = s;
  return CK_OK;
}

enum ck_status ck_summary_read(const char *path, struct ck_summary **out,
                               struct ck_error *err) {
  *out = NULL;
  FILE *fp = fopen(path, "rb");
  if (fp == NULL)
    return ck_error_set(err, CK_EIO, path, 0, NULL, "cannot open: %s",
                        strerror(errno));
  size_t cap = 1 << 16, len = 0;
  char *buf = ck_xmalloc(cap);
  size_t got;
  while ((got = fread(buf + len, 1, cap - len, fp)) > 0) {
    len += got;
    if (len == cap) {
      if (cap >= (size_t)1 << 30) {
        free(buf);
        fclose(fp);
        return ck_error_set(err, CK_EPARSE, path, 0, NULL,
                            "larger than 1 GiB: not a summary");
      }
      cap *= 2;
      buf = ck_xrealloc(buf, cap);
    }
  }
  bool rerr = ferror(fp);
  fclose(fp);
  if (rerr) {
    free(buf);
    return ck_error_set(err, CK_EIO, path, 0, NULL, "cannot read");
  }
  enum ck_status st = ck_summary_read_buffer(path, buf, len, out, err);
  free(buf);
  return st;
}

void ck_summary_free(struct ck_summary *s) {
  if (s == NULL)
    return;
  free(s->school);
  free(s->tool_version);
  free(s->specialty_digest);
  ck_config_free(s->cfg);
  ck_suff_free(s->suff);
  free(s);
}

/* ---- can two summaries be pooled? ---------------------------------------- */

static enum ck_status differ(struct ck_error *err, const char *a_name,
                             const char *b_name, const char *setting,
                             const char *va, const char *vb) {
  return ck_error_set(err, CK_EUSAGE, NULL, 0, setting,
                      "%s and %s were made with different definitions: "
                      "%s is %s in the first and %s in the second; make both "
                      "summaries with the same settings",
                      a_name, b_name, setting, va, vb);
}

static void marks_text(const struct ck_config *c, char *out, size_t cap) {
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < c->n_pass_marks && used + 24 < cap; i++) {
    int y, m, d;
    ck_civil_from_days(c->pass_marks[i].from, &y, &m, &d);
    used += (size_t)snprintf(out + used, cap - used, "%s%04d-%02d-%02d=%d",
                             i ? " " : "", y, m, d, c->pass_marks[i].mark);
  }
}

enum ck_status ck_summary_compatible(const struct ck_summary *a,
                                     const char *a_name,
                                     const struct ck_summary *b,
                                     const char *b_name, struct ck_error *err) {
  const struct ck_config *x = a->cfg, *y = b->cfg;
  char va[256], vb[256];
  if (strcmp(a->school, b->school) == 0)
    return ck_error_set(err, CK_EUSAGE, NULL, 0, "school",
                        "%s and %s are both school \"%s\": give each school "
                        "once",
                        a_name, b_name, a->school);
  for (size_t i = 0; i < a->suff->n_inputs; i++)
    for (size_t j = 0; j < b->suff->n_inputs; j++)
      if (strcmp(a->suff->inputs[i].sha256, b->suff->inputs[j].sha256) == 0)
        return ck_error_set(
            err, CK_EUSAGE, NULL, 0, "inputs",
            "%s and %s both hold input %s (%s): its students would be "
            "counted twice",
            a_name, b_name, b->suff->inputs[j].path, b->suff->inputs[j].sha256);
#define INT_SETTING(name, field)                                               \
  if (x->field != y->field) {                                                  \
    snprintf(va, sizeof va, "%d", (int)x->field);                              \
    snprintf(vb, sizeof vb, "%d", (int)y->field);                              \
    return differ(err, a_name, b_name, name, va, vb);                          \
  }
  marks_text(x, va, sizeof va);
  marks_text(y, vb, sizeof vb);
  if (strcmp(va, vb) != 0)
    return differ(err, a_name, b_name, "pass_marks", va, vb);
  if (x->undated_month != y->undated_month ||
      x->undated_day != y->undated_day) {
    snprintf(va, sizeof va, "%02d-%02d", x->undated_month, x->undated_day);
    snprintf(vb, sizeof vb, "%02d-%02d", y->undated_month, y->undated_day);
    return differ(err, a_name, b_name, "undated_attempt", va, vb);
  }
  INT_SETTING("low_pass_margin", low_pass_margin)
  INT_SETTING("score_change.lower_max", change_lower_max)
  INT_SETTING("score_change.slightly_higher_min", change_slight_min)
  INT_SETTING("score_change.moderately_higher_min", change_moderate_min)
  INT_SETTING("score_change.significantly_higher_min", change_significant_min)
  INT_SETTING("band_average_min", band_average_min)
  INT_SETTING("band_competitive_min", band_competitive_min)
  if (strcmp(a->specialty_digest, b->specialty_digest) != 0)
    return differ(err, a_name, b_name, "specialty_table_sha256",
                  a->specialty_digest, b->specialty_digest);
  if (a->suff->years_from != b->suff->years_from ||
      a->suff->years_to != b->suff->years_to) {
    snprintf(va, sizeof va, "%d-%d", a->suff->years_from, a->suff->years_to);
    snprintf(vb, sizeof vb, "%d-%d", b->suff->years_from, b->suff->years_to);
    return differ(err, a_name, b_name, "years",
                  a->suff->years_from ? va : "all",
                  b->suff->years_from ? vb : "all");
  }
  bool pp = x->n_practice_points == y->n_practice_points;
  for (size_t i = 0; pp && i < x->n_practice_points; i++)
    pp = x->practice_points[i] == y->practice_points[i];
  if (!pp)
    return differ(err, a_name, b_name, "practice_points", "one list",
                  "another");
  INT_SETTING("adjust_terms (bits score=1 tier=2 year=4)", adjust_terms)
  if (x->confidence != y->confidence) {
    snprintf(va, sizeof va, "%g", x->confidence);
    snprintf(vb, sizeof vb, "%g", y->confidence);
    return differ(err, a_name, b_name, "confidence", va, vb);
  }
  if (x->clopper_pearson != y->clopper_pearson)
    return differ(err, a_name, b_name, "exact_intervals",
                  x->clopper_pearson ? "true" : "false",
                  y->clopper_pearson ? "true" : "false");
#undef INT_SETTING
  return CK_OK;
}
