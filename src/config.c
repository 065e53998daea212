/*
 * config.c - compiled-in defaults, pass marks by date, specialty aliases
 * SPDX-License-Identifier: MIT
 *
 * Default values and their sources are listed in docs/config.md.  Loading a
 * config file is in config_file.c.
 */
#include "ckcohort/config.h"
#include "util.h"
#include "config_internal.h"
#include "ckcohort/ckcohort.h"

#include <stdlib.h>
#include <string.h>

/* Pass marks: USMLE Step 2 CK minimum passing score by first test date. */
static const struct {
  int y, m, d, mark;
} default_pass_marks[] = {
    {1900, 1, 1, 189}, {2012, 7, 1, 196}, {2013, 7, 1, 203},
    {2014, 7, 1, 209}, {2022, 7, 1, 214}, {2025, 7, 1, 218},
};

/* Tiers follow the national mean Step 2 CK of matched US MD seniors
 * (NRMP Charting Outcomes 2024): >= 253 very competitive, 248-252 middle,
 * <= 247 forgiving. */
static const struct {
  const char *name;
  enum ck_tier tier;
  const char *aliases; /* '|'-separated, normalised on load */
} default_specialties[] = {
    {"Dermatology", CK_TIER_VERY_COMPETITIVE, "derm"},
    {"Orthopaedic Surgery", CK_TIER_VERY_COMPETITIVE,
     "ortho|orthopedics|orthopaedics|orthopedic surgery|orthopedic"},
    {"Diagnostic Radiology", CK_TIER_VERY_COMPETITIVE,
     "radiology|dr|rads|radiology diagnostic"},
    {"Otolaryngology", CK_TIER_VERY_COMPETITIVE,
     "ent|otolaryngology head and neck surgery|ear nose and throat"},
    {"Plastic Surgery", CK_TIER_VERY_COMPETITIVE,
     "plastics|plastic surgery integrated|integrated plastic surgery"},
    {"Neurological Surgery", CK_TIER_VERY_COMPETITIVE,
     "neurosurgery|nsgy|neuro surgery"},
    {"Radiation Oncology", CK_TIER_VERY_COMPETITIVE, "rad onc|radonc"},
    {"Urology", CK_TIER_VERY_COMPETITIVE, "uro"},
    {"Interventional Radiology", CK_TIER_VERY_COMPETITIVE,
     "ir|interventional radiology integrated"},
    {"Vascular Surgery", CK_TIER_VERY_COMPETITIVE,
     "vascular|vsurg|vascular surgery integrated"},
    {"General Surgery", CK_TIER_MIDDLE,
     "surgery|surgery general|gen surg|gs|surgery categorical"},
    {"Anesthesiology", CK_TIER_MIDDLE, "anesthesia|anaesthesia|gas"},
    {"Internal Medicine", CK_TIER_MIDDLE,
     "im|medicine|internal med|medicine categorical"},
    {"Emergency Medicine", CK_TIER_MIDDLE, "em|emergency med|emergency"},
    {"Obstetrics and Gynecology", CK_TIER_MIDDLE,
     "obgyn|ob/gyn|ob-gyn|ob gyn|obstetrics gynecology|obstetrics & "
     "gynecology|obstetrics and gynaecology"},
    {"Neurology", CK_TIER_MIDDLE, "neuro|adult neurology"},
    {"Pathology", CK_TIER_MIDDLE, "path|pathology anatomic and clinical"},
    {"Internal Medicine-Pediatrics", CK_TIER_MIDDLE,
     "med-peds|medpeds|med peds|internal medicine/pediatrics"},
    {"Transitional Year", CK_TIER_MIDDLE, "ty|transitional"},
    {"Preliminary Year", CK_TIER_MIDDLE,
     "prelim|preliminary|preliminary medicine|preliminary surgery"},
    {"Physical Medicine and Rehabilitation", CK_TIER_FORGIVING,
     "pm&r|pmr|pm r|physiatry|physical medicine & rehabilitation|"
     "physical medicine rehabilitation"},
    {"Pediatrics", CK_TIER_FORGIVING,
     "peds|paediatrics|pediatrics categorical"},
    {"Psychiatry", CK_TIER_FORGIVING, "psych"},
    {"Child Neurology", CK_TIER_FORGIVING, "child neuro|pediatric neurology"},
    {"Family Medicine", CK_TIER_FORGIVING, "fm|family med|family practice|fp"},
};

size_t ck_normalise_key(const char *s, size_t len, char *out, size_t cap) {
  size_t n = 0;
  if (cap == 0)
    return 0;
  for (size_t i = 0; i < len && n + 1 < cap; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 'A' && c <= 'Z')
      out[n++] = (char)(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out[n++] = (char)c;
  }
  out[n] = '\0';
  return n;
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no tables, no locale. */
int32_t ck_days_from_civil(int y, int m, int d) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
    return CK_NO_DATE;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > mdays[m - 1] + (m == 2 && leap))
    return CK_NO_DATE;
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + doe - 719468);
}

void ck_civil_from_days(int32_t z, int *y, int *m, int *d) {
  long zz = (long)z + 719468;
  long era = (zz >= 0 ? zz : zz - 146096) / 146097;
  long doe = zz - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long yy = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yy + (*m <= 2));
}

static int alias_cmp(const void *a, const void *b) {
  return strcmp(((const struct ck_alias *)a)->key,
                ((const struct ck_alias *)b)->key);
}

int ck_config_specialty_find(const struct ck_config *cfg, const char *name,
                             size_t len) {
  char key[128];
  ck_normalise_key(name, len, key, sizeof key);
  if (key[0] == '\0' || cfg->n_aliases == 0) /* bsearch wants non-NULL */
    return -1;
  struct ck_alias probe = {key, 0};
  const struct ck_alias *hit = bsearch(&probe, cfg->aliases, cfg->n_aliases,
                                       sizeof *cfg->aliases, alias_cmp);
  return hit ? hit->specialty : -1;
}

int ck_config_specialty_near(const struct ck_config *cfg, const char *name,
                             size_t len) {
  char key[128];
  size_t kn = ck_normalise_key(name, len, key, sizeof key);
  /* short names are too close to too many; ck_edit_distance reads only
   * the first 64 characters */
  if (kn < 5 || kn > 64)
    return -1;
  size_t cap = kn >= 8 ? 2 : 1, best = cap + 1;
  int hit = -1;
  bool tie = false;
  for (size_t i = 0; i < cfg->n_aliases; i++) {
    const char *k = cfg->aliases[i].key;
    size_t kl = strlen(k);
    if (kl > 64 || (kl > kn ? kl - kn : kn - kl) > cap)
      continue; /* too long to compare, or too many letters apart */
    size_t d = ck_edit_distance(key, k);
    if (d < best) {
      best = d;
      hit = cfg->aliases[i].specialty;
      tie = false;
    } else if (d == best && d <= cap && cfg->aliases[i].specialty != hit) {
      tie = true;
    }
  }
  return best <= cap && !tie ? hit : -1;
}

enum ck_status ck_config_add_alias(struct ck_config *cfg, const char *alias,
                                   int specialty) {
  char key[128];
  ck_normalise_key(alias, strlen(alias), key, sizeof key);
  if (key[0] == '\0')
    return CK_EUSAGE;
  for (size_t i = 0; i < cfg->n_aliases; i++) {
    if (strcmp(cfg->aliases[i].key, key) == 0) {
      cfg->aliases[i].specialty = specialty;
      return CK_OK;
    }
  }
  cfg->aliases =
      ck_xrealloc(cfg->aliases, (cfg->n_aliases + 1) * sizeof *cfg->aliases);
  cfg->aliases[cfg->n_aliases].key = ck_xstrdup(key);
  cfg->aliases[cfg->n_aliases].specialty = specialty;
  cfg->n_aliases++;
  qsort(cfg->aliases, cfg->n_aliases, sizeof *cfg->aliases, alias_cmp);
  return CK_OK;
}

int ck_config_add_specialty(struct ck_config *cfg, const char *name,
                            enum ck_tier tier) {
  int i = ck_config_specialty_find(cfg, name, strlen(name));
  if (i >= 0) {
    cfg->specialties[i].tier = tier;
    return i;
  }
  cfg->specialties = ck_xrealloc(
      cfg->specialties, (cfg->n_specialties + 1) * sizeof *cfg->specialties);
  i = (int)cfg->n_specialties++;
  cfg->specialties[i].name = ck_xstrdup(name);
  cfg->specialties[i].tier = tier;
  ck_config_add_alias(cfg, name, i);
  return i;
}

struct ck_config *ck_config_new(void) {
  struct ck_config *c = ck_xcalloc(1, sizeof *c);
  size_t np = sizeof default_pass_marks / sizeof default_pass_marks[0];
  c->pass_marks = ck_xcalloc(np, sizeof *c->pass_marks);
  for (size_t i = 0; i < np; i++) {
    c->pass_marks[i].from =
        ck_days_from_civil(default_pass_marks[i].y, default_pass_marks[i].m,
                           default_pass_marks[i].d);
    c->pass_marks[i].mark = default_pass_marks[i].mark;
  }
  c->n_pass_marks = np;
  c->undated_month = 8;
  c->undated_day = 1;
  c->low_pass_margin = 6;
  c->change_lower_max = -5;
  c->change_slight_min = 5;
  c->change_moderate_min = 11;
  c->change_significant_min = 20;
  c->band_average_min = 240;
  c->band_competitive_min = 255;
  static const int pts[] = {230, 235, 240, 245};
  c->n_practice_points = sizeof pts / sizeof pts[0];
  memcpy(c->practice_points, pts, sizeof pts);
  c->practice_threshold = 230;
  c->min_weeks = 6;
  c->min_cell = 11;
  c->policy = CK_PRIVACY_NCES;
  /* docs/privacy.md: the bands districts adopted after NCES 2011-603, and
   * a coarser one (10%) for groups of min_cell to 39 */
  static const struct ck_coding_band bands[] = {
      {300, 0.01}, {100, 0.02}, {40, 0.05}, {11, 0.10}};
  c->n_bands = sizeof bands / sizeof bands[0];
  memcpy(c->bands, bands, sizeof bands);
  c->confidence = 0.95;
  c->clopper_pearson = false;
  c->adjust_terms = CK_ADJ_ALL;

  size_t ns = sizeof default_specialties / sizeof default_specialties[0];
  for (size_t i = 0; i < ns; i++) {
    int idx = ck_config_add_specialty(c, default_specialties[i].name,
                                      default_specialties[i].tier);
    const char *a = default_specialties[i].aliases;
    while (a && *a) {
      const char *bar = strchr(a, '|');
      size_t len = bar ? (size_t)(bar - a) : strlen(a);
      char buf[128];
      snprintf(buf, sizeof buf, "%.*s", (int)len, a);
      ck_config_add_alias(c, buf, idx);
      a = bar ? bar + 1 : NULL;
    }
  }
  return c;
}

void ck_config_free(struct ck_config *cfg) {
  if (cfg == NULL)
    return;
  for (size_t i = 0; i < cfg->n_specialties; i++)
    free(cfg->specialties[i].name);
  for (size_t i = 0; i < cfg->n_aliases; i++)
    free(cfg->aliases[i].key);
  free(cfg->specialties);
  free(cfg->aliases);
  for (size_t i = 0; i < cfg->n_column_maps; i++) {
    free(cfg->column_maps[i].header);
    free(cfg->column_maps[i].key);
    free(cfg->column_maps[i].column);
  }
  free(cfg->column_maps);
  free(cfg->pass_marks);
  free(cfg->releases);
  free(cfg);
}

int ck_config_pass_mark(const struct ck_config *cfg, int32_t date,
                        int match_year) {
  if (date == CK_NO_DATE)
    date = ck_days_from_civil(match_year - 1, cfg->undated_month,
                              cfg->undated_day);
  int mark = cfg->n_pass_marks ? cfg->pass_marks[0].mark : 0;
  for (size_t i = 0; i < cfg->n_pass_marks; i++)
    if (date >= cfg->pass_marks[i].from)
      mark = cfg->pass_marks[i].mark;
  return mark;
}

const char *ck_privacy_name(enum ck_privacy_policy p) {
  return p == CK_PRIVACY_STRICT ? "strict" : "nces";
}

const char *ck_tier_name(enum ck_tier t) {
  switch (t) {
  case CK_TIER_VERY_COMPETITIVE:
    return "very competitive";
  case CK_TIER_MIDDLE:
    return "middle";
  case CK_TIER_FORGIVING:
    return "forgiving";
  case CK_TIER_NONE:
    break;
  }
  return "none";
}

const char *ck_tier_id(enum ck_tier t) {
  switch (t) {
  case CK_TIER_VERY_COMPETITIVE:
    return "very_competitive";
  case CK_TIER_MIDDLE:
    return "middle";
  case CK_TIER_FORGIVING:
    return "forgiving";
  case CK_TIER_NONE:
    break;
  }
  return NULL;
}

const char *ck_change_cat_id(enum ck_change_cat c) {
  static const char *ids[CK_CHANGE_NCAT] = {
      "lower", "similar", "slightly_higher", "moderately_higher",
      "significantly_higher"};
  return (unsigned)c < CK_CHANGE_NCAT ? ids[c] : "unknown";
}

enum ck_change_cat ck_change_category(const struct ck_config *cfg, int change) {
  if (change <= cfg->change_lower_max)
    return CK_CHANGE_LOWER;
  if (change >= cfg->change_significant_min)
    return CK_CHANGE_SIGNIFICANTLY_HIGHER;
  if (change >= cfg->change_moderate_min)
    return CK_CHANGE_MODERATELY_HIGHER;
  if (change >= cfg->change_slight_min)
    return CK_CHANGE_SLIGHTLY_HIGHER;
  return CK_CHANGE_SIMILAR;
}
