/*
 * schema.h - the input columns, their aliases and value parsers (private)
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_SCHEMA_H
#define CK_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ckcohort/config.h"

enum ck_col {
  CK_COL_STUDENT_ID,
  CK_COL_MATCH_YEAR,
  CK_COL_ATTEMPT1,
  CK_COL_ATTEMPT2,
  CK_COL_ATTEMPT3,
  CK_COL_ATTEMPT4,
  CK_COL_DATE1,
  CK_COL_DATE2,
  CK_COL_DATE3,
  CK_COL_DATE4,
  CK_COL_PRACTICE1,
  CK_COL_PRACTICE2,
  CK_COL_TARGET,
  CK_COL_MATCHED,
  CK_COL_MATCHED_SPECIALTY,
  CK_COL_PROGRAM,
  CK_COL_SOAP,
  CK_COL_REAPPLICANT,
  CK_COL_WEEKS,
  CK_COL_N
};

/* How a column's value is read and checked (ingest_rows.c: data_row). */
enum ck_col_kind {
  CK_KIND_ID,       /* text; the first row with an ID keeps it */
  CK_KIND_INT,      /* whole number lo..hi */
  CK_KIND_ATTEMPT,  /* score lo..hi of attempt `index`; attempts in order */
  CK_KIND_DATE,     /* YYYY-MM-DD of attempt `index`: needs that attempt,
                       later than the previous date given */
  CK_KIND_BOOL,     /* yes/no (ck_parse_bool) */
  CK_KIND_PROGRAM,  /* academic/community/other (ck_parse_program) */
  CK_KIND_SPECIALTY /* a specialty name, looked up once the row is valid */
};

enum ck_col_flag {
  CK_COLF_HEADER = 1u,     /* must be in the header */
  CK_COLF_VALUE = 2u,      /* must have a value on every row */
  CK_COLF_MATCHED = 4u,    /* any value needs matched = yes */
  CK_COLF_YES_MATCHED = 8u /* the value yes needs matched = yes */
};

#define CK_COL_NO_FIELD ((size_t)-1)

/* One input column: its canonical name, rules, and where its value goes
 * in struct ck_record (offset and width in bytes: 1, 2 or 4; the value
 * `absent` when the cell is empty or the column missing). */
struct ck_column {
  const char *name;
  unsigned flags; /* enum ck_col_flag */
  enum ck_col_kind kind;
  int lo, hi;          /* CK_KIND_INT, CK_KIND_ATTEMPT */
  int index;           /* CK_KIND_ATTEMPT, CK_KIND_DATE: attempt - 1 */
  size_t offset, size; /* CK_COL_NO_FIELD: not in the record */
  int32_t absent;
};

/* The column table, in enum ck_col order, which is also the order in
 * which a row's values are checked (the first failure is the reject). */
extern const struct ck_column ck_columns[CK_COL_N];

/* Canonical name of a column ("step2_attempt_1"). */
const char *ck_col_name(int col);
/* Whether the column must be present in the header. */
bool ck_col_required(int col);
/* Canonical column for a header cell (case, spacing and punctuation
 * ignored, aliases accepted), or -1 when unknown. */
int ck_col_lookup(const char *s, size_t len);

/* Column whose canonical name is s (case, spacing, punctuation ignored;
 * aliases are not names), or -1. */
int ck_col_by_name(const char *s, size_t len);
/* The i-th header key the reader knows (normalised: "step2ck",
 * "step2attempt3", ...) written to out; returns its column, or -1 past the
 * last key.  For suggestions and the list of accepted names. */
int ck_col_key(size_t i, char *out, size_t cap);

/* Whole number of at most 6 digits within [lo, hi]: true and *out. */
bool ck_parse_int(const char *s, size_t n, int lo, int hi, int *out);
/* Y/N, yes/no, true/false, 1/0, matched/unmatched (any case): 1, 0, or -1. */
int ck_parse_bool(const char *s, size_t n);
/* ISO date YYYY-MM-DD: ck_date_parse (config.h), the one date parser. */
#define ck_parse_date ck_date_parse

/* Whether s is a valid calendar date written month/day/year (M/D/YYYY or
 * MM/DD/YYYY, as Excel saves dates in the US): never accepted, only named
 * in the reject reason with its ISO form.  Fills *y, *m, *d when it is. */
bool ck_date_mdy(const char *s, size_t n, int *y, int *m, int *d);
/* academic/community/other (any case): enum ck_program, or -1. */
int ck_parse_program(const char *s, size_t n);
/* Whether s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool ck_utf8_valid(const unsigned char *s, size_t n);

#endif
