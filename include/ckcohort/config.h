/*
 * config.h - every threshold and table the analysis uses, with defaults
 * SPDX-License-Identifier: MIT
 *
 * Defaults are compiled in (ck_config_new); a config file (INI, read with
 * inih) overrides them key by key; the CLI applies command-line overrides
 * last.  Dates are days since 1970-01-01 (proleptic Gregorian).
 */
#ifndef CKCOHORT_CONFIG_H
#define CKCOHORT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include "ckcohort/ckcohort.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CK_NO_DATE             INT32_MIN
#define CK_MIN_CELL_FLOOR      3 /* min_cell may never be set lower */
#define CK_MAX_PRACTICE_POINTS 8

enum ck_tier {
  CK_TIER_NONE = 0,            /* unknown specialty: no tier */
  CK_TIER_FORGIVING = 1,       /* matched mean Step 2 CK <= 247 */
  CK_TIER_MIDDLE = 2,          /* 248..252 */
  CK_TIER_VERY_COMPETITIVE = 3 /* >= 253 */
};

/* Covariate terms of the adjusted model (config [adjustment] terms). */
enum ck_adjust_term {
  CK_ADJ_SCORE = 1u << 0, /* first-attempt Step 2 CK score, linear */
  CK_ADJ_TIER = 1u << 1,  /* target-specialty tier, dummy-coded */
  CK_ADJ_YEAR = 1u << 2   /* Match year, linear */
};
#define CK_ADJ_ALL (CK_ADJ_SCORE | CK_ADJ_TIER | CK_ADJ_YEAR)

struct ck_pass_mark {
  int32_t from; /* first test date (days since epoch) this mark applies to */
  int mark;     /* minimum passing score, 1..300 */
};

struct ck_specialty {
  char *name; /* canonical display name, owned by the config */
  enum ck_tier tier;
};

struct ck_alias {
  char *key;     /* normalised alias (lowercase letters and digits only) */
  int specialty; /* index into ck_config.specialties */
};

/* A header the user mapped (--column HEADER=COLUMN, or [columns]). */
struct ck_column_map {
  char *header; /* as the user wrote it; owned */
  char *key;    /* normalised header; owned */
  char *column; /* canonical column name, or "ignore"; owned */
};

/* Score-change categories of a retaker, after the seed article. */
enum ck_change_cat {
  CK_CHANGE_LOWER = 0,            /* change <= -5 */
  CK_CHANGE_SIMILAR,              /* -4 .. +4 */
  CK_CHANGE_SLIGHTLY_HIGHER,      /* +5 .. +10 */
  CK_CHANGE_MODERATELY_HIGHER,    /* +11 .. +19 */
  CK_CHANGE_SIGNIFICANTLY_HIGHER, /* >= +20 */
  CK_CHANGE_NCAT
};

/* Disclosure policy (docs/privacy.md). */
enum ck_privacy_policy {
  CK_PRIVACY_NCES = 0, /* group sizes below min_cell withheld; rates of
                          larger groups shown, top/bottom coded by the
                          group-size bands (NCES 2011-603) */
  CK_PRIVACY_STRICT    /* every count 1..min_cell-1, and every none/all
                          outcome, withheld */
};

/* One row of the top/bottom-coding table: groups of at least min_n members
 * show a rate at or below pct as "<= pct" and at or above 1 - pct as
 * ">= 1 - pct".  The table is sorted by min_n, largest first. */
struct ck_coding_band {
  size_t min_n;
  double pct; /* 0 < pct < 0.5 */
};
#define CK_MAX_BANDS 8

/* "nces" or "strict". */
CK_API const char *ck_privacy_name(enum ck_privacy_policy p);

struct ck_config {
  struct ck_pass_mark *pass_marks; /* sorted by from, ascending; owned */
  size_t n_pass_marks;
  int undated_month, undated_day; /* undated attempt: this day of the year
                                     before the Match year (default Aug 1) */
  int low_pass_margin;            /* low pass: pass <= score <= pass+margin */
  /* Lower bounds of categories SLIGHTLY..SIGNIFICANTLY and the upper bound of
   * LOWER: change <= change_lower_max is LOWER, >= change_slight_min is
   * SLIGHTLY_HIGHER, and so on.  Defaults -5, 5, 11, 20. */
  int change_lower_max, change_slight_min, change_moderate_min,
      change_significant_min;
  int band_average_min;     /* reference band "around average": 240 */
  int band_competitive_min; /* reference band "competitive": 255 */
  int practice_points[CK_MAX_PRACTICE_POINTS]; /* 230 235 240 245 */
  size_t n_practice_points;
  int practice_threshold;        /* ask checklist: practice >= 230 */
  int min_weeks;                 /* ask checklist: >= 6 protected weeks */
  size_t min_cell;               /* smallest group shown, default 11 */
  enum ck_privacy_policy policy; /* default CK_PRIVACY_NCES */
  struct ck_coding_band bands[CK_MAX_BANDS]; /* default 300: 1%, 100: 2%,
                                       40: 5%, 11: 10% */
  size_t n_bands;
  char *releases;                   /* release ledger directory (ledger.h),
                                       owned; NULL: none */
  double confidence;                /* default 0.95 */
  bool clopper_pearson;             /* exact intervals for proportions */
  unsigned adjust_terms;            /* covariates of the adjusted model:
                                       enum ck_adjust_term bits (adjust.h);
                                       default score, tier, year */
  struct ck_specialty *specialties; /* owned */
  size_t n_specialties;
  struct ck_alias *aliases; /* owned, sorted by key */
  size_t n_aliases;
  struct ck_column_map *column_maps; /* owned, in the order given; a later
                                        mapping of the same header wins */
  size_t n_column_maps;
};

/* New config holding the compiled-in defaults.  Caller frees with
 * ck_config_free().  Returns NULL only when memory runs out. */
CK_API struct ck_config *ck_config_new(void);

/* Free a config and everything it owns; NULL is allowed. */
CK_API void ck_config_free(struct ck_config *cfg);

/* Override *cfg from an INI file (format in docs/config.md).  On error sets
 * err with file, line and key and returns CK_ECONFIG or CK_EIO; *cfg may then
 * be partly updated and should be discarded. */
CK_API enum ck_status ck_config_load(struct ck_config *cfg, const char *path,
                                     struct ck_error *err);

/* As ck_config_load, from len bytes of memory; `name` is used in messages.
 * For tests and fuzzing.  buf is only read. */
CK_API enum ck_status ck_config_load_buffer(struct ck_config *cfg,
                                            const char *name, const char *buf,
                                            size_t len, struct ck_error *err);

/* Check cross-field rules (min_cell >= 3, 0 < confidence < 1, ordered
 * thresholds).  Returns CK_OK or CK_ECONFIG with err set. */
CK_API enum ck_status ck_config_check(const struct ck_config *cfg,
                                      struct ck_error *err);

/* Write the effective settings to out in the config-file format, so the
 * output can be saved and loaded again.  Returns CK_OK or CK_EIO. */
CK_API enum ck_status ck_config_write(FILE *out, const struct ck_config *cfg);

/* Map the input header `header` (matched ignoring case, spaces and
 * punctuation, like every header) to the canonical column `column`, or to
 * "ignore" to leave it out without the look-alike stop.  A later mapping of
 * the same header replaces an earlier one.  Returns CK_OK, or CK_ECONFIG
 * with err naming the problem (an empty header, an unknown column: the text
 * names the closest column). */
CK_API enum ck_status ck_config_map_column(struct ck_config *cfg,
                                           const char *header,
                                           const char *column,
                                           struct ck_error *err);

/* The one date parser: exactly YYYY-MM-DD (ten characters, digits and two
 * hyphens, a real day of the proleptic Gregorian calendar) -> days since
 * 1970-01-01, or CK_NO_DATE.  Used for input cells, config keys and --date. */
CK_API int32_t ck_date_parse(const char *s, size_t len);

/* Display names: "very competitive", "middle", "forgiving", "none". */
CK_API const char *ck_tier_name(enum ck_tier t);
/* Stable ids for machine-readable outputs: "very_competitive", "middle",
 * "forgiving"; NULL for CK_TIER_NONE.  Static storage. */
CK_API const char *ck_tier_id(enum ck_tier t);
/* Stable ids: "lower", "similar", "slightly_higher", ... */
CK_API const char *ck_change_cat_id(enum ck_change_cat c);

#ifdef __cplusplus
}
#endif
#endif
