/*
 * config_file.c - load, check and write the INI settings file (inih)
 * SPDX-License-Identifier: MIT
 *
 * The format is documented key by key in docs/config.md.  Debian's libinih
 * is built without INI_HANDLER_LINENO, so the handler is not told the line
 * number; we read through ini_parse_stream with a reader that counts lines
 * of the FILE we opened, which gives the same numbers inih would.
 */
#include "ckcohort/config.h"
#include "util.h"
#include "config_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <ini.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CK_MAX_PASS_MARKS 64

/* Keys of the scalar settings, in file order; also indexes key_line[]. */
enum key_id {
  K_LOW_PASS_MARGIN,
  K_UNDATED,
  K_CHANGE_LOWER_MAX,
  K_CHANGE_SLIGHT_MIN,
  K_CHANGE_MODERATE_MIN,
  K_CHANGE_SIGNIFICANT_MIN,
  K_BAND_AVERAGE_MIN,
  K_BAND_COMPETITIVE_MIN,
  K_PRACTICE_POINTS,
  K_MIN_CELL,
  K_CONFIDENCE,
  K_INTERVALS,
  K_PRACTICE_THRESHOLD,
  K_MIN_WEEKS,
  K_ADJUST_TERMS,
  K_POLICY,
  K_BANDS,
  K_RELEASES,
  K_NKEYS
};

static const struct {
  const char *section, *name;
} keys[K_NKEYS] = {
    {"definitions", "low_pass_margin"},
    {"definitions", "undated_attempt"},
    {"definitions", "change_lower_max"},
    {"definitions", "change_slight_min"},
    {"definitions", "change_moderate_min"},
    {"definitions", "change_significant_min"},
    {"definitions", "band_average_min"},
    {"definitions", "band_competitive_min"},
    {"definitions", "practice_points"},
    {"privacy", "min_cell"},
    {"statistics", "confidence"},
    {"statistics", "intervals"},
    {"ask", "practice_threshold"},
    {"ask", "min_weeks"},
    {"adjustment", "terms"},
    {"privacy", "policy"},
    {"privacy", "bands"},
    {"privacy", "releases"},
};

struct loader {
  struct ck_config *cfg;
  const char *path;
  FILE *fp;
  long line;              /* line the reader returned last */
  bool too_long;          /* that line did not fit the buffer */
  bool pass_marks_seen;   /* [pass_marks] replaces the table on first key */
  long key_line[K_NKEYS]; /* line where each key was set, 0 = default */
  struct ck_error err;    /* first error found by the handler */
};

/* fgets-style reader that counts lines and refuses over-long ones and NUL
 * bytes (with fgets a NUL would silently cut the line short). */
static char *count_reader(char *buf, int num, void *stream) {
  struct loader *ld = stream;
  if (ld->too_long || num < 2)
    return NULL;
  int n = 0, c = EOF;
  while (n < num - 1 && (c = getc(ld->fp)) != EOF) {
    if (c == '\0') {
      ld->too_long = true; /* stop reading */
      ck_error_set(&ld->err, CK_ECONFIG, ld->path, ld->line + 1, "",
                   "line contains a NUL byte; is this a text file?");
      return NULL;
    }
    buf[n++] = (char)c;
    if (c == '\n')
      break;
  }
  if (n == 0)
    return NULL;
  buf[n] = '\0';
  ld->line++;
  if (n == num - 1 && buf[n - 1] != '\n') {
    c = getc(ld->fp);
    if (c != EOF) {
      ld->too_long = true;
      ck_error_set(&ld->err, CK_ECONFIG, ld->path, ld->line, "",
                   "line is longer than %d characters", num - 3);
      return NULL;
    }
  }
  return buf;
}

/* Record an error about section.name at the current line; returns 0, the
 * handler's "failed" value. */
static int bad(struct loader *ld, const char *section, const char *name,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int bad(struct loader *ld, const char *section, const char *name,
               const char *fmt, ...) {
  char col[64], text[256];
  snprintf(col, sizeof col, "%s.%s", section, name);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  ck_error_set(&ld->err, CK_ECONFIG, ld->path, ld->line, col, "%s", text);
  return 0;
}

/* Whole number in [lo, hi]; on failure records the error and returns false. */
static bool parse_int(struct loader *ld, const char *section, const char *name,
                      const char *value, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(value, &end, 10);
  if (value[0] == '\0' || *end != '\0' || errno == ERANGE) {
    bad(ld, section, name, "\"%s\" is not a whole number", value);
    return false;
  }
  if (v < lo) {
    bad(ld, section, name, "\"%s\" must be at least %ld", value, lo);
    return false;
  }
  if (v > hi) {
    bad(ld, section, name, "\"%s\" must be at most %ld", value, hi);
    return false;
  }
  *out = v;
  return true;
}

/* "300:1, 100:2, 40:5, 11:10": group size from which a band applies and
 * its coding percentage, largest group first. */
static int parse_bands(struct loader *ld, const char *sec, const char *name,
                       const char *value) {
  struct ck_coding_band b[CK_MAX_BANDS];
  size_t n = 0;
  const char *s = value;
  while (*s) {
    char *end;
    errno = 0;
    long size = strtol(s, &end, 10);
    if (end == s || *end != ':' || errno == ERANGE || size < 1 ||
        size > 1000000)
      return bad(ld, sec, name,
                 "\"%s\" is not a list of SIZE:PERCENT "
                 "(e.g. 300:1, 100:2, 40:5, 11:10)",
                 value);
    s = end + 1;
    double pct = strtod(s, &end);
    if (end == s || !(pct > 0.0 && pct < 50.0))
      return bad(ld, sec, name,
                 "\"%s\": each percentage must be above 0 "
                 "and below 50",
                 value);
    if (n == CK_MAX_BANDS)
      return bad(ld, sec, name, "\"%s\": at most %d bands", value,
                 CK_MAX_BANDS);
    if (n > 0 && ((size_t)size >= b[n - 1].min_n || pct / 100.0 < b[n - 1].pct))
      return bad(ld, sec, name,
                 "\"%s\": list larger groups first, each "
                 "band with a percentage at least that of the one before",
                 value);
    b[n].min_n = (size_t)size;
    b[n].pct = pct / 100.0;
    n++;
    s = end;
    while (*s == ' ' || *s == '\t')
      s++;
    if (*s == ',')
      s++;
    else if (*s != '\0')
      return bad(ld, sec, name, "\"%s\" is not a list of SIZE:PERCENT", value);
    while (*s == ' ' || *s == '\t')
      s++;
  }
  if (n == 0)
    return bad(ld, sec, name, "\"%s\": give at least one band", value);
  memcpy(ld->cfg->bands, b, n * sizeof *b);
  ld->cfg->n_bands = n;
  return 1;
}

/* ISO date YYYY-MM-DD (when with_year) or MM-DD, read as a day of 2001 (a
 * common year: 02-29 is refused); CK_NO_DATE when invalid.  Both go through
 * the one date parser. */
static int32_t parse_date(const char *s, bool with_year, int *m, int *d) {
  char buf[16];
  size_t n = strlen(s);
  if (!with_year) {
    if (n != 5)
      return CK_NO_DATE;
    snprintf(buf, sizeof buf, "2001-%s", s);
    s = buf;
    n = 10;
  }
  int32_t day = ck_date_parse(s, n);
  if (day != CK_NO_DATE) {
    int y;
    ck_civil_from_days(day, &y, m, d);
  }
  return day;
}

static bool parse_tier(const char *value, enum ck_tier *tier) {
  char key[32];
  ck_normalise_key(value, strlen(value), key, sizeof key);
  static const struct {
    const char *key;
    enum ck_tier tier;
  } tiers[] = {{"verycompetitive", CK_TIER_VERY_COMPETITIVE},
               {"middle", CK_TIER_MIDDLE},
               {"forgiving", CK_TIER_FORGIVING},
               {"none", CK_TIER_NONE}};
  for (size_t i = 0; i < sizeof tiers / sizeof tiers[0]; i++)
    if (strcmp(key, tiers[i].key) == 0) {
      *tier = tiers[i].tier;
      return true;
    }
  return false;
}

static int on_pass_mark(struct loader *ld, const char *name,
                        const char *value) {
  struct ck_config *cfg = ld->cfg;
  int m, d;
  int32_t from = parse_date(name, true, &m, &d);
  if (from == CK_NO_DATE) {
    bad(ld, "pass_marks", name, "\"%s\" is not a date YYYY-MM-DD", name);
    return 0;
  }
  long mark;
  if (!parse_int(ld, "pass_marks", name, value, 1, 300, &mark))
    return 0;
  if (!ld->pass_marks_seen) {
    ld->pass_marks_seen = true;
    cfg->n_pass_marks = 0;
  }
  size_t i = 0;
  while (i < cfg->n_pass_marks && cfg->pass_marks[i].from < from)
    i++;
  if (i < cfg->n_pass_marks && cfg->pass_marks[i].from == from) {
    bad(ld, "pass_marks", name, "date \"%s\" is given twice", name);
    return 0;
  }
  if (cfg->n_pass_marks >= CK_MAX_PASS_MARKS) {
    bad(ld, "pass_marks", name, "\"%s\": more than %ld pass marks", name,
        (long)CK_MAX_PASS_MARKS);
    return 0;
  }
  cfg->pass_marks = ck_xrealloc(cfg->pass_marks, (cfg->n_pass_marks + 1) *
                                                     sizeof *cfg->pass_marks);
  memmove(cfg->pass_marks + i + 1, cfg->pass_marks + i,
          (cfg->n_pass_marks - i) * sizeof *cfg->pass_marks);
  cfg->pass_marks[i].from = from;
  cfg->pass_marks[i].mark = (int)mark;
  cfg->n_pass_marks++;
  return 1;
}

static int on_practice_points(struct loader *ld, const char *value) {
  int pts[CK_MAX_PRACTICE_POINTS];
  size_t n = 0;
  const char *p = value;
  for (;;) {
    while (*p == ' ' || *p == '\t')
      p++;
    char *end;
    errno = 0;
    long v = strtol(p, &end, 10);
    const char *q = end;
    while (*q == ' ' || *q == '\t')
      q++;
    if (end == p || errno == ERANGE || (*q != ',' && *q != '\0')) {
      bad(ld, "definitions", "practice_points",
          "\"%s\" is not a list of whole numbers separated by commas", value);
      return 0;
    }
    if (v < 1 || v > 300) {
      bad(ld, "definitions", "practice_points",
          "\"%s\": every point must be 1 to 300", value);
      return 0;
    }
    if (n == CK_MAX_PRACTICE_POINTS) {
      bad(ld, "definitions", "practice_points", "\"%s\": at most %ld points",
          value, (long)CK_MAX_PRACTICE_POINTS);
      return 0;
    }
    if (n > 0 && v <= pts[n - 1]) {
      bad(ld, "definitions", "practice_points",
          "\"%s\": points must be in increasing order", value);
      return 0;
    }
    pts[n++] = (int)v;
    if (*q == '\0')
      break;
    p = q + 1;
  }
  memcpy(ld->cfg->practice_points, pts, n * sizeof pts[0]);
  ld->cfg->n_practice_points = n;
  return 1;
}

/* "score, tier, year" in any order, any subset; "" or "none" for none. */
static int on_adjust_terms(struct loader *ld, const char *value) {
  static const struct {
    const char *name;
    unsigned bit;
  } names[] = {
      {"score", CK_ADJ_SCORE}, {"tier", CK_ADJ_TIER}, {"year", CK_ADJ_YEAR}};
  unsigned terms = 0;
  const char *p = value;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\0' || strcmp(p, "none") == 0) {
    ld->cfg->adjust_terms = 0;
    return 1;
  }
  for (;;) {
    while (*p == ' ' || *p == '\t')
      p++;
    size_t len = 0;
    while (p[len] != '\0' && p[len] != ',' && p[len] != ' ' && p[len] != '\t')
      len++;
    const char *q = p + len;
    while (*q == ' ' || *q == '\t')
      q++;
    size_t i = 0;
    while (
        i < sizeof names / sizeof names[0] &&
        (strlen(names[i].name) != len || strncmp(p, names[i].name, len) != 0))
      i++;
    if (len == 0 || i == sizeof names / sizeof names[0] ||
        (*q != ',' && *q != '\0'))
      return bad(ld, "adjustment", "terms",
                 "\"%s\" is not a list of score, tier, year separated by "
                 "commas (or none)",
                 value);
    if (terms & names[i].bit)
      return bad(ld, "adjustment", "terms", "\"%s\" names %s twice", value,
                 names[i].name);
    terms |= names[i].bit;
    if (*q == '\0')
      break;
    p = q + 1;
  }
  ld->cfg->adjust_terms = terms;
  return 1;
}

static int on_scalar(struct loader *ld, enum key_id k, const char *value) {
  struct ck_config *cfg = ld->cfg;
  const char *sec = keys[k].section, *name = keys[k].name;
  long v = 0;
  ld->key_line[k] = ld->line;
  switch (k) {
  case K_UNDATED: {
    int m, d;
    if (parse_date(value, false, &m, &d) == CK_NO_DATE)
      return bad(ld, sec, name, "\"%s\" is not a month-day MM-DD", value);
    cfg->undated_month = m;
    cfg->undated_day = d;
    return 1;
  }
  case K_PRACTICE_POINTS:
    return on_practice_points(ld, value);
  case K_ADJUST_TERMS:
    return on_adjust_terms(ld, value);
  case K_RELEASES: {
    /* relative to the settings file, so a scheduled run finds the same
     * ledger from any working directory */
    if (value[0] == '\0')
      return bad(ld, sec, name, "\"\" is not a directory name");
    const char *slash = strrchr(ld->path, '/');
    size_t dl = value[0] != '/' && slash ? (size_t)(slash - ld->path) + 1 : 0;
    char *p = ck_xmalloc(dl + strlen(value) + 1);
    memcpy(p, ld->path, dl);
    strcpy(p + dl, value);
    free(cfg->releases);
    cfg->releases = p;
    return 1;
  }
  case K_CONFIDENCE: {
    char *end;
    errno = 0;
    double c = strtod(value, &end);
    if (value[0] == '\0' || *end != '\0' || errno == ERANGE || !isfinite(c))
      return bad(ld, sec, name, "\"%s\" is not a number", value);
    if (!(c > 0.0 && c < 1.0))
      return bad(ld, sec, name, "\"%s\" must be between 0 and 1 (exclusive)",
                 value);
    cfg->confidence = c;
    return 1;
  }
  case K_INTERVALS:
    if (strcmp(value, "wilson") == 0)
      cfg->clopper_pearson = false;
    else if (strcmp(value, "clopper-pearson") == 0)
      cfg->clopper_pearson = true;
    else
      return bad(ld, sec, name,
                 "\"%s\" must be \"wilson\" or \"clopper-pearson\"", value);
    return 1;
  case K_POLICY:
    if (strcmp(value, "nces") == 0)
      cfg->policy = CK_PRIVACY_NCES;
    else if (strcmp(value, "strict") == 0)
      cfg->policy = CK_PRIVACY_STRICT;
    else
      return bad(ld, sec, name, "\"%s\" must be \"nces\" or \"strict\"", value);
    return 1;
  case K_BANDS:
    return parse_bands(ld, sec, name, value);
  case K_MIN_CELL:
    if (!parse_int(ld, sec, name, value, CK_MIN_CELL_FLOOR, 1000000, &v))
      return 0;
    cfg->min_cell = (size_t)v;
    return 1;
  case K_LOW_PASS_MARGIN:
    if (!parse_int(ld, sec, name, value, 0, 100, &v))
      return 0;
    cfg->low_pass_margin = (int)v;
    return 1;
  case K_CHANGE_LOWER_MAX:
  case K_CHANGE_SLIGHT_MIN:
  case K_CHANGE_MODERATE_MIN:
  case K_CHANGE_SIGNIFICANT_MIN: {
    if (!parse_int(ld, sec, name, value, -299, 299, &v))
      return 0;
    int *dst[] = {&cfg->change_lower_max, &cfg->change_slight_min,
                  &cfg->change_moderate_min, &cfg->change_significant_min};
    *dst[k - K_CHANGE_LOWER_MAX] = (int)v;
    return 1;
  }
  case K_BAND_AVERAGE_MIN:
  case K_BAND_COMPETITIVE_MIN:
  case K_PRACTICE_THRESHOLD:
    if (!parse_int(ld, sec, name, value, 1, 300, &v))
      return 0;
    if (k == K_BAND_AVERAGE_MIN)
      cfg->band_average_min = (int)v;
    else if (k == K_BAND_COMPETITIVE_MIN)
      cfg->band_competitive_min = (int)v;
    else
      cfg->practice_threshold = (int)v;
    return 1;
  case K_MIN_WEEKS:
    if (!parse_int(ld, sec, name, value, 0, 52, &v))
      return 0;
    cfg->min_weeks = (int)v;
    return 1;
  case K_NKEYS:
    break;
  }
  return 0;
}

static int handler(void *user, const char *section, const char *name,
                   const char *value) {
  struct loader *ld = user;
  if (ld->err.code != CK_OK)
    return 0; /* keep the first error; inih goes on reading */
  if (strcmp(section, "pass_marks") == 0)
    return on_pass_mark(ld, name, value);
  if (strcmp(section, "specialties") == 0) {
    enum ck_tier tier;
    if (!parse_tier(value, &tier))
      return bad(ld, section, name,
                 "\"%s\" must be very competitive, middle, forgiving or none",
                 value);
    char key[128];
    if (ck_normalise_key(name, strlen(name), key, sizeof key) == 0)
      return bad(ld, section, name, "\"%s\" is not a specialty name", name);
    return ck_config_add_specialty(ld->cfg, name, tier) >= 0;
  }
  if (strcmp(section, "columns") == 0) {
    struct ck_error e;
    ck_error_clear(&e);
    if (ck_config_map_column(ld->cfg, name, value, &e) != CK_OK)
      return bad(ld, section, name, "%s", e.text);
    return 1;
  }
  if (strcmp(section, "aliases") == 0) {
    int idx = ck_config_specialty_find(ld->cfg, value, strlen(value));
    if (idx < 0)
      return bad(ld, section, name, "\"%s\" is not a known specialty", value);
    if (ck_config_add_alias(ld->cfg, name, idx) != CK_OK)
      return bad(ld, section, name, "\"%s\" is not a usable alias", name);
    return 1;
  }
  bool section_known = false;
  for (int k = 0; k < K_NKEYS; k++) {
    if (strcmp(section, keys[k].section) != 0)
      continue;
    section_known = true;
    if (strcmp(name, keys[k].name) == 0)
      return on_scalar(ld, (enum key_id)k, value);
  }
  if (!section_known && section[0] == '\0') {
    ck_error_set(&ld->err, CK_ECONFIG, ld->path, ld->line, name,
                 "key outside any section");
    return 0;
  }
  if (!section_known) {
    bad(ld, section, name, "unknown section [%s]", section);
    return 0;
  }
  bad(ld, section, name, "unknown key \"%s\"", name);
  return 0;
}

/* Cross-field rules.  Fills a and b with the two keys involved. */
static enum ck_status check_rules(const struct ck_config *cfg,
                                  const long *key_line, struct ck_error *err,
                                  enum key_id *a, enum key_id *b) {
  static const enum key_id order[] = {K_CHANGE_LOWER_MAX, K_CHANGE_SLIGHT_MIN,
                                      K_CHANGE_MODERATE_MIN,
                                      K_CHANGE_SIGNIFICANT_MIN};
  const int vals[] = {cfg->change_lower_max, cfg->change_slight_min,
                      cfg->change_moderate_min, cfg->change_significant_min};
  char col[64];
  *a = *b = K_NKEYS;
  if (cfg->min_cell < CK_MIN_CELL_FLOOR) {
    *a = *b = K_MIN_CELL;
    return ck_error_set(err, CK_ECONFIG, "", 0, "privacy.min_cell",
                        "\"%zu\" must be at least %d", cfg->min_cell,
                        CK_MIN_CELL_FLOOR);
  }
  if (!(cfg->confidence > 0.0 && cfg->confidence < 1.0)) {
    *a = *b = K_CONFIDENCE;
    return ck_error_set(err, CK_ECONFIG, "", 0, "statistics.confidence",
                        "\"%g\" must be between 0 and 1 (exclusive)",
                        cfg->confidence);
  }
  for (size_t i = 1; i < 4; i++) {
    if (vals[i] > vals[i - 1])
      continue;
    *a = order[i - 1];
    *b = order[i];
    /* Name the key the file set: the other one kept its default. */
    if (key_line != NULL && key_line[*b] == 0 && key_line[*a] > 0) {
      snprintf(col, sizeof col, "definitions.%s", keys[*a].name);
      return ck_error_set(err, CK_ECONFIG, "", 0, col,
                          "\"%d\" must be less than definitions.%s (%d)",
                          vals[i - 1], keys[*b].name, vals[i]);
    }
    snprintf(col, sizeof col, "definitions.%s", keys[*b].name);
    return ck_error_set(err, CK_ECONFIG, "", 0, col,
                        "\"%d\" must be greater than definitions.%s (%d)",
                        vals[i], keys[*a].name, vals[i - 1]);
  }
  if (cfg->band_competitive_min <= cfg->band_average_min) {
    *a = K_BAND_AVERAGE_MIN;
    *b = K_BAND_COMPETITIVE_MIN;
    if (key_line != NULL && key_line[*b] == 0 && key_line[*a] > 0)
      return ck_error_set(
          err, CK_ECONFIG, "", 0, "definitions.band_average_min",
          "\"%d\" must be less than definitions.band_competitive_min (%d)",
          cfg->band_average_min, cfg->band_competitive_min);
    return ck_error_set(
        err, CK_ECONFIG, "", 0, "definitions.band_competitive_min",
        "\"%d\" must be greater than definitions.band_average_min (%d)",
        cfg->band_competitive_min, cfg->band_average_min);
  }
  if (cfg->n_pass_marks == 0)
    return ck_error_set(err, CK_ECONFIG, "", 0, "pass_marks",
                        "the pass-mark table is empty");
  for (size_t i = 1; i < cfg->n_pass_marks; i++)
    if (cfg->pass_marks[i].from <= cfg->pass_marks[i - 1].from)
      return ck_error_set(err, CK_ECONFIG, "", 0, "pass_marks",
                          "dates are not in increasing order");
  return CK_OK;
}

enum ck_status ck_config_check(const struct ck_config *cfg,
                               struct ck_error *err) {
  enum key_id a, b;
  return check_rules(cfg, NULL, err, &a, &b);
}

/* Load from an open stream; closes fp. */
static enum ck_status load_stream(struct ck_config *cfg, const char *path,
                                  FILE *fp, struct ck_error *err) {
  struct loader ld;
  memset(&ld, 0, sizeof ld);
  ld.cfg = cfg;
  ld.path = path;
  ld.fp = fp;
  int rc = ini_parse_stream(count_reader, &ld, handler, &ld);
  enum ck_status st = CK_OK;
  if (ferror(ld.fp)) {
    st = ck_error_set(err, CK_EIO, path, 0, "", "cannot read: %s",
                      strerror(errno));
    goto done;
  }
  /* inih reports a syntax error by line; the handler's error may be later. */
  if (rc > 0 && (ld.err.code == CK_OK || rc < ld.err.line)) {
    st = ck_error_set(err, CK_ECONFIG, path, rc, "",
                      "expected [section] or key = value");
    goto done;
  }
  if (ld.err.code != CK_OK) {
    st = ck_error_set(err, ld.err.code, ld.err.file, ld.err.line, ld.err.column,
                      "%s", ld.err.text);
    goto done;
  }
  if (rc < 0) {
    st = ck_error_set(err, CK_ENOMEM, path, 0, "", "out of memory");
    goto done;
  }
  struct ck_error cross;
  ck_error_clear(&cross);
  enum key_id a, b;
  if (check_rules(cfg, ld.key_line, &cross, &a, &b) != CK_OK) {
    long la = a < K_NKEYS ? ld.key_line[a] : 0;
    long lb = b < K_NKEYS ? ld.key_line[b] : 0;
    st = ck_error_set(err, cross.code, path, la > lb ? la : lb, cross.column,
                      "%s", cross.text);
  }
done:
  fclose(ld.fp);
  return st;
}

enum ck_status ck_config_load(struct ck_config *cfg, const char *path,
                              struct ck_error *err) {
  FILE *fp = fopen(path, "r");
  if (fp == NULL)
    return ck_error_set(err, CK_EIO, path, 0, "", "cannot open: %s",
                        strerror(errno));
  return load_stream(cfg, path, fp, err);
}

enum ck_status ck_config_load_buffer(struct ck_config *cfg, const char *name,
                                     const char *buf, size_t len,
                                     struct ck_error *err) {
  if (cfg == NULL || name == NULL || (buf == NULL && len > 0))
    return ck_error_set(err, CK_EUSAGE, name, 0, "", "bad arguments");
  /* fmemopen refuses size 0 on older C libraries; an empty file is a file
   * of one empty line as far as the INI reader is concerned. */
  static const char empty[] = "\n";
  FILE *fp = len > 0 ? fmemopen((void *)buf, len, "r")
                     : fmemopen((void *)empty, 1, "r");
  if (fp == NULL)
    return ck_error_set(err, CK_ENOMEM, name, 0, "", "out of memory");
  return load_stream(cfg, name, fp, err);
}

/* Shortest decimal that reads back as the same double. */
static void write_double(FILE *out, double v) {
  char buf[40];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (strtod(buf, NULL) == v)
      break;
  }
  fputs(buf, out);
}

enum ck_status ck_config_write(FILE *out, const struct ck_config *cfg) {
  int y, m, d;
  fputs("; ckcohort settings: load with --config FILE\n"
        "; lines starting with ';' or '#' are comments\n\n"
        "[pass_marks]\n"
        "; first test date = minimum passing score from that date on;\n"
        "; when present, this section replaces the whole table\n",
        out);
  for (size_t i = 0; i < cfg->n_pass_marks; i++) {
    ck_civil_from_days(cfg->pass_marks[i].from, &y, &m, &d);
    fprintf(out, "%04d-%02d-%02d = %d\n", y, m, d, cfg->pass_marks[i].mark);
  }
  fprintf(out,
          "\n[definitions]\n"
          "low_pass_margin = %d\n"
          "; month-day of an undated attempt, in the year before the Match "
          "year\n"
          "undated_attempt = %02d-%02d\n"
          "change_lower_max = %d\n"
          "change_slight_min = %d\n"
          "change_moderate_min = %d\n"
          "change_significant_min = %d\n"
          "band_average_min = %d\n"
          "band_competitive_min = %d\n"
          "practice_points = ",
          cfg->low_pass_margin, cfg->undated_month, cfg->undated_day,
          cfg->change_lower_max, cfg->change_slight_min,
          cfg->change_moderate_min, cfg->change_significant_min,
          cfg->band_average_min, cfg->band_competitive_min);
  for (size_t i = 0; i < cfg->n_practice_points; i++)
    fprintf(out, "%s%d", i ? ", " : "", cfg->practice_points[i]);
  fprintf(out,
          "\n\n[privacy]\nmin_cell = %zu\n; nces or strict "
          "(docs/privacy.md)\npolicy = %s\n; nces top/bottom coding: "
          "GROUP_SIZE:PERCENT, largest group first\nbands = ",
          cfg->min_cell, ck_privacy_name(cfg->policy));
  for (size_t i = 0; i < cfg->n_bands; i++) {
    fprintf(out, "%s%zu:%g", i ? ", " : "", cfg->bands[i].min_n,
            cfg->bands[i].pct * 100.0);
  }
  if (cfg->releases != NULL)
    fprintf(out, "\nreleases = %s", cfg->releases);
  fprintf(out, "\n\n[statistics]\nconfidence = ");
  write_double(out, cfg->confidence);
  fprintf(out,
          "\n; wilson or clopper-pearson\n"
          "intervals = %s\n\n"
          "[ask]\npractice_threshold = %d\nmin_weeks = %d\n\n"
          "[adjustment]\n"
          "; covariates of the adjusted comparisons: score, tier, year "
          "(or none)\n"
          "terms = ",
          cfg->clopper_pearson ? "clopper-pearson" : "wilson",
          cfg->practice_threshold, cfg->min_weeks);
  static const char *const term_names[] = {"score", "tier", "year"};
  size_t nt = 0;
  for (unsigned i = 0; i < 3; i++)
    if (cfg->adjust_terms & (1u << i))
      fprintf(out, "%s%s", nt++ ? ", " : "", term_names[i]);
  fprintf(out,
          "%s\n\n[specialties]\n"
          "; name = tier (very competitive | middle | forgiving | none)\n",
          nt ? "" : "none");
  for (size_t i = 0; i < cfg->n_specialties; i++)
    fprintf(out, "%s = %s\n", cfg->specialties[i].name,
            ck_tier_name(cfg->specialties[i].tier));
  fputs("\n[aliases]\n"
        "; alias = canonical specialty name; names match ignoring case,\n"
        "; spaces and punctuation\n",
        out);
  for (size_t i = 0; i < cfg->n_aliases; i++) {
    const struct ck_alias *a = &cfg->aliases[i];
    const char *name = cfg->specialties[a->specialty].name;
    char key[128];
    ck_normalise_key(name, strlen(name), key, sizeof key);
    if (strcmp(key, a->key) != 0)
      fprintf(out, "%s = %s\n", a->key, name);
  }
  fputs("\n[columns]\n"
        "; input header = canonical column (or ignore), for exports whose\n"
        "; names the reader does not know; same as --column HEADER=COLUMN\n",
        out);
  for (size_t i = 0; i < cfg->n_column_maps; i++)
    fprintf(out, "%s = %s\n", cfg->column_maps[i].header,
            cfg->column_maps[i].column);
  return ferror(out) ? CK_EIO : CK_OK;
}
