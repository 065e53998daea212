/*
 * schema.c - the input columns, their aliases and value parsers
 * SPDX-License-Identifier: MIT
 */
#include "schema.h"
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "cohort.h"
#include "config_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/*
 * The input columns.  Adding a column:
 *   1. a name in enum ck_col (schema.h), at the place where its value
 *      should be checked (a column with CK_COLF_MATCHED or
 *      CK_COLF_YES_MATCHED must come after CK_COL_MATCHED);
 *   2. a field in struct ck_record (include/ckcohort/ingest.h) if the
 *      value is kept;
 *   3. one row here: name, flags, kind (and range), field;
 *   4. its aliases in fixed_keys or numbered_keys below.
 * data_row (ingest_rows.c) then reads, checks and stores it; its messages
 * come from the kind ("is not a whole number LO–HI", "is not a yes/no
 * value", ...).  A rule that ties rows or columns together in a new way
 * (like the attempt order) is code in data_row, not a row here.  The
 * column is also in docs/input-format.md's table, and in generate.c if
 * generated files should have it.
 */
#define FIELD(f)                                                               \
  offsetof(struct ck_record, f), sizeof(((struct ck_record *)0)->f)
#define NONE CK_COL_NO_FIELD, 0
#define HDR  CK_COLF_HEADER
const struct ck_column ck_columns[CK_COL_N] = {
    [CK_COL_STUDENT_ID] = {"student_id", HDR | CK_COLF_VALUE, CK_KIND_ID, 0, 0,
                           0, NONE, 0},
    [CK_COL_MATCH_YEAR] = {"match_year", HDR | CK_COLF_VALUE, CK_KIND_INT, 1990,
                           2100, 0, FIELD(match_year), 0},
    [CK_COL_ATTEMPT1] = {"step2_attempt_1", HDR, CK_KIND_ATTEMPT, 1, 300, 0,
                         FIELD(score[0]), 0},
    [CK_COL_ATTEMPT2] = {"step2_attempt_2", 0, CK_KIND_ATTEMPT, 1, 300, 1,
                         FIELD(score[1]), 0},
    [CK_COL_ATTEMPT3] = {"step2_attempt_3", 0, CK_KIND_ATTEMPT, 1, 300, 2,
                         FIELD(score[2]), 0},
    [CK_COL_ATTEMPT4] = {"step2_attempt_4", 0, CK_KIND_ATTEMPT, 1, 300, 3,
                         FIELD(score[3]), 0},
    [CK_COL_DATE1] = {"step2_date_1", 0, CK_KIND_DATE, 0, 0, 0, FIELD(date[0]),
                      CK_NO_DATE},
    [CK_COL_DATE2] = {"step2_date_2", 0, CK_KIND_DATE, 0, 0, 1, FIELD(date[1]),
                      CK_NO_DATE},
    [CK_COL_DATE3] = {"step2_date_3", 0, CK_KIND_DATE, 0, 0, 2, FIELD(date[2]),
                      CK_NO_DATE},
    [CK_COL_DATE4] = {"step2_date_4", 0, CK_KIND_DATE, 0, 0, 3, FIELD(date[3]),
                      CK_NO_DATE},
    [CK_COL_PRACTICE1] = {"practice_avg_1", 0, CK_KIND_INT, 1, 300, 0,
                          FIELD(practice[0]), 0},
    [CK_COL_PRACTICE2] = {"practice_avg_2", 0, CK_KIND_INT, 1, 300, 0,
                          FIELD(practice[1]), 0},
    [CK_COL_TARGET] = {"target_specialty", 0, CK_KIND_SPECIALTY, 0, 0, 0,
                       FIELD(target), -1},
    [CK_COL_MATCHED] = {"matched", HDR | CK_COLF_VALUE, CK_KIND_BOOL, 0, 0, 0,
                        FIELD(matched), 0},
    [CK_COL_MATCHED_SPECIALTY] = {"matched_specialty", CK_COLF_MATCHED,
                                  CK_KIND_SPECIALTY, 0, 0, 0,
                                  FIELD(matched_specialty), -1},
    [CK_COL_PROGRAM] = {"program_type", CK_COLF_MATCHED, CK_KIND_PROGRAM, 0, 0,
                        0, FIELD(program), 0},
    [CK_COL_SOAP] = {"matched_via_soap", CK_COLF_YES_MATCHED, CK_KIND_BOOL, 0,
                     0, 0, FIELD(soap), -1},
    [CK_COL_REAPPLICANT] = {"reapplicant", 0, CK_KIND_BOOL, 0, 0, 0,
                            FIELD(reapplicant), -1},
    [CK_COL_WEEKS] = {"dedicated_weeks", 0, CK_KIND_INT, 0, 52, 0,
                      FIELD(dedicated_weeks), -1},
};
#undef FIELD
#undef NONE
#undef HDR

const char *ck_col_name(int col) {
  return col >= 0 && col < CK_COL_N ? ck_columns[col].name : "";
}

bool ck_col_required(int col) {
  return col >= 0 && col < CK_COL_N && (ck_columns[col].flags & CK_COLF_HEADER);
}

/* Normalised names (letters and digits only) without a number. */
static const struct {
  const char *key;
  int col;
} fixed_keys[] = {
    {"studentid", CK_COL_STUDENT_ID},
    {"id", CK_COL_STUDENT_ID},
    {"pseudoid", CK_COL_STUDENT_ID},
    {"applicantid", CK_COL_STUDENT_ID},
    {"pseudonymousid", CK_COL_STUDENT_ID},
    {"matchyear", CK_COL_MATCH_YEAR},
    {"year", CK_COL_MATCH_YEAR},
    {"cycle", CK_COL_MATCH_YEAR},
    {"matchcycle", CK_COL_MATCH_YEAR},
    {"step2ck", CK_COL_ATTEMPT1},
    {"step2ckscore", CK_COL_ATTEMPT1},
    {"step2score", CK_COL_ATTEMPT1},
    {"targetspecialty", CK_COL_TARGET},
    {"target", CK_COL_TARGET},
    {"specialty", CK_COL_TARGET},
    {"preferredspecialty", CK_COL_TARGET},
    {"appliedspecialty", CK_COL_TARGET},
    {"specialtyapplied", CK_COL_TARGET},
    {"matched", CK_COL_MATCHED},
    {"match", CK_COL_MATCHED},
    {"matchstatus", CK_COL_MATCHED},
    {"matchresult", CK_COL_MATCHED},
    {"matchedspecialty", CK_COL_MATCHED_SPECIALTY},
    {"matchspecialty", CK_COL_MATCHED_SPECIALTY},
    {"specialtymatched", CK_COL_MATCHED_SPECIALTY},
    {"programtype", CK_COL_PROGRAM},
    {"program", CK_COL_PROGRAM},
    {"matchedviasoap", CK_COL_SOAP},
    {"soap", CK_COL_SOAP},
    {"viasoap", CK_COL_SOAP},
    {"matchedsoap", CK_COL_SOAP},
    {"reapplicant", CK_COL_REAPPLICANT},
    {"reapplied", CK_COL_REAPPLICANT},
    {"reapplicantflag", CK_COL_REAPPLICANT},
    {"dedicatedweeks", CK_COL_WEEKS},
    {"weeks", CK_COL_WEEKS},
    {"studyweeks", CK_COL_WEEKS},
    {"protectedweeks", CK_COL_WEEKS},
};

/* Normalised prefixes followed by the attempt number N (1..max). */
static const struct {
  const char *prefix;
  int first_col, max;
} numbered_keys[] = {
    {"step2attempt", CK_COL_ATTEMPT1, 4},
    {"step2ck", CK_COL_ATTEMPT1, 4},
    {"step2ckattempt", CK_COL_ATTEMPT1, 4},
    {"step2score", CK_COL_ATTEMPT1, 4},
    {"step2ckscore", CK_COL_ATTEMPT1, 4},
    {"ckattempt", CK_COL_ATTEMPT1, 4},
    {"step2date", CK_COL_DATE1, 4},
    {"step2ckdate", CK_COL_DATE1, 4},
    {"ckdate", CK_COL_DATE1, 4},
    {"practiceavg", CK_COL_PRACTICE1, 2},
    {"practice", CK_COL_PRACTICE1, 2},
    {"practiceaverage", CK_COL_PRACTICE1, 2},
    {"nbmeavg", CK_COL_PRACTICE1, 2},
};

int ck_col_by_name(const char *s, size_t len) {
  char key[64], name[64];
  ck_normalise_key(s, len, key, sizeof key);
  if (key[0] == '\0')
    return -1;
  for (int k = 0; k < CK_COL_N; k++) {
    ck_normalise_key(ck_columns[k].name, strlen(ck_columns[k].name), name,
                     sizeof name);
    if (strcmp(key, name) == 0)
      return k;
  }
  return -1;
}

int ck_col_key(size_t i, char *out, size_t cap) {
  size_t nf = sizeof fixed_keys / sizeof fixed_keys[0];
  if (i < nf) {
    snprintf(out, cap, "%s", fixed_keys[i].key);
    return fixed_keys[i].col;
  }
  i -= nf;
  for (size_t k = 0; k < sizeof numbered_keys / sizeof numbered_keys[0]; k++) {
    size_t m = (size_t)numbered_keys[k].max;
    if (i < m) {
      snprintf(out, cap, "%s%zu", numbered_keys[k].prefix, i + 1);
      return numbered_keys[k].first_col + (int)i;
    }
    i -= m;
  }
  return -1;
}

int ck_col_lookup(const char *s, size_t len) {
  char key[64];
  size_t n = ck_normalise_key(s, len, key, sizeof key);
  if (n == 0 || n >= sizeof key - 1)
    return -1;
  for (size_t i = 0; i < sizeof fixed_keys / sizeof fixed_keys[0]; i++)
    if (strcmp(key, fixed_keys[i].key) == 0)
      return fixed_keys[i].col;
  char last = key[n - 1];
  if (n < 2 || last < '1' || last > '9')
    return -1;
  key[n - 1] = '\0';
  for (size_t i = 0; i < sizeof numbered_keys / sizeof numbered_keys[0]; i++)
    if (strcmp(key, numbered_keys[i].prefix) == 0)
      return last - '0' <= numbered_keys[i].max
                 ? numbered_keys[i].first_col + (last - '1')
                 : -1;
  return -1;
}

bool ck_parse_int(const char *s, size_t n, int lo, int hi, int *out) {
  if (n == 0 || n > 6)
    return false;
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (s[i] - '0');
  }
  if (v < lo || v > hi)
    return false;
  *out = v;
  return true;
}

static bool eq_nocase(const char *s, size_t n, const char *lit) {
  size_t i = 0;
  for (; i < n && lit[i]; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != lit[i])
      return false;
  }
  return i == n && lit[i] == '\0';
}

int ck_parse_bool(const char *s, size_t n) {
  if (n == 1) { /* the common case, one letter or digit */
    switch (s[0]) {
    case 'y':
    case 'Y':
    case '1':
      return 1;
    case 'n':
    case 'N':
    case '0':
      return 0;
    default:
      return -1;
    }
  }
  static const char *yes[] = {"y", "yes", "true", "1", "matched"};
  static const char *no[] = {"n", "no", "false", "0", "unmatched"};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
    if (eq_nocase(s, n, yes[i]))
      return 1;
    if (eq_nocase(s, n, no[i]))
      return 0;
  }
  return -1;
}

int32_t ck_date_parse(const char *s, size_t n) {
  if (s == NULL || n != 10 || s[4] != '-' || s[7] != '-')
    return CK_NO_DATE;
  int y, m, d;
  if (!ck_parse_int(s, 4, 1, 9999, &y) || !ck_parse_int(s + 5, 2, 1, 12, &m) ||
      !ck_parse_int(s + 8, 2, 1, 31, &d))
    return CK_NO_DATE;
  return ck_days_from_civil(y, m, d);
}

bool ck_date_mdy(const char *s, size_t n, int *y, int *m, int *d) {
  const char *a = memchr(s, '/', n);
  const char *b = a ? memchr(a + 1, '/', (size_t)(s + n - a - 1)) : NULL;
  if (a == NULL || b == NULL)
    return false;
  size_t ml = (size_t)(a - s), dl = (size_t)(b - a - 1),
         yl = (size_t)(s + n - b - 1);
  if (ml < 1 || ml > 2 || dl < 1 || dl > 2 || yl != 4)
    return false;
  return ck_parse_int(s, ml, 1, 12, m) && ck_parse_int(a + 1, dl, 1, 31, d) &&
         ck_parse_int(b + 1, 4, 1, 9999, y) &&
         ck_days_from_civil(*y, *m, *d) != CK_NO_DATE;
}

int ck_parse_program(const char *s, size_t n) {
  if (n == 0 ||
      ((s[0] | 0x20) != 'a' && (s[0] | 0x20) != 'c' && (s[0] | 0x20) != 'o'))
    return -1;
  /* the spellings exports use, before the case-blind comparison */
  if (n == 8 && memcmp(s, "academic", 8) == 0)
    return CK_PROGRAM_ACADEMIC;
  if (n == 9 && memcmp(s, "community", 9) == 0)
    return CK_PROGRAM_COMMUNITY;
  if (eq_nocase(s, n, "academic"))
    return CK_PROGRAM_ACADEMIC;
  if (eq_nocase(s, n, "community"))
    return CK_PROGRAM_COMMUNITY;
  if (eq_nocase(s, n, "other"))
    return CK_PROGRAM_OTHER;
  return -1;
}

bool ck_utf8_valid(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t k;
    unsigned min;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
      k = 1, cp = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      k = 2, cp = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      k = 3, cp = c & 0x07u, min = 0x10000;
    } else {
      return false;
    }
    if (n - i <= k)
      return false;
    for (size_t j = 1; j <= k; j++) {
      if ((s[i + j] & 0xC0) != 0x80)
        return false;
      cp = (cp << 6) | (s[i + j] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += k + 1;
  }
  return true;
}
