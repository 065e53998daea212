/*
 * header.c - which input column each header cell is: the user's mappings,
 * the aliases, and the look-alike stop (a column that is probably an input
 * column under a name we do not know must not be ignored quietly)
 * SPDX-License-Identifier: MIT
 */
#include "header.h"
#include "schema.h"
#include "util.h"
#include "config_internal.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_CAP 64
#define IGNORE  "ignore" /* the mapping target that leaves a column out */

size_t ck_edit_distance(const char *a, const char *b) {
  /* optimal string alignment: insertions, deletions, substitutions and
   * swaps of two neighbours ("htlm" is one typo from "html") */
  size_t na = strnlen(a, KEY_CAP), nb = strnlen(b, KEY_CAP);
  static _Thread_local unsigned char d[KEY_CAP + 1][KEY_CAP + 1];
  for (size_t i = 0; i <= na; i++)
    d[i][0] = (unsigned char)i;
  for (size_t j = 0; j <= nb; j++)
    d[0][j] = (unsigned char)j;
  for (size_t i = 1; i <= na; i++) {
    for (size_t j = 1; j <= nb; j++) {
      unsigned best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1u < best)
        best = d[i - 1][j] + 1u;
      if (d[i][j - 1] + 1u < best)
        best = d[i][j - 1] + 1u;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1u < best)
        best = d[i - 2][j - 2] + 1u;
      d[i][j] = (unsigned char)best;
    }
  }
  return d[na][nb];
}

/* Typos allowed for a key of n characters to count as "near" a known one:
 * none for very short keys (id, ck), where one letter makes another word. */
static size_t near_limit(size_t n) { return n >= 8 ? 2 : n >= 4 ? 1 : 0; }

/* Closest known key (canonical names and aliases); -1 when none is within
 * `limit` edits. */
static int nearest_column(const char *key, size_t limit) {
  char k[KEY_CAP];
  int best = -1;
  size_t best_d = limit + 1;
  for (size_t i = 0;; i++) {
    int col = ck_col_key(i, k, sizeof k);
    if (col < 0)
      break;
    size_t d = ck_edit_distance(key, k);
    if (d < best_d)
      best_d = d, best = col;
  }
  for (int col = 0; col < CK_COL_N; col++) {
    const char *name = ck_col_name(col);
    ck_normalise_key(name, strlen(name), k, sizeof k);
    size_t d = ck_edit_distance(key, k);
    if (d < best_d)
      best_d = d, best = col;
  }
  return best;
}

static bool has(const char *key, const char *word) {
  return strstr(key, word) != NULL;
}

/* "ck" is a word of the header ("Step 2 CK", "CK-score"), not two letters
 * inside another ("checklist", "back"). */
static bool has_ck_word(const char *s, size_t n) {
  for (size_t i = 0; i + 1 < n; i++) {
    bool start =
        i == 0 || !((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z');
    bool end =
        i + 2 >= n || !((s[i + 2] | 0x20) >= 'a' && (s[i + 2] | 0x20) <= 'z');
    if (start && end && (s[i] | 0x20) == 'c' && (s[i + 1] | 0x20) == 'k')
      return true;
  }
  return false;
}

/* Words that make an unknown header "look like" an input column. */
static const char *const signal_words[] = {
    "step2",    "score", "attempt", "retake", "second",    "2nd",
    "practice", "nbme",  "uwsa",    "match",  "specialty", "program"};

static bool looks_like_input(const struct ck_header_cell *h, const char *key) {
  if (key[0] == '\0')
    return false;
  for (size_t i = 0; i < sizeof signal_words / sizeof signal_words[0]; i++)
    if (has(key, signal_words[i]))
      return true;
  return has_ck_word(h->s, h->n) ||
         nearest_column(key, near_limit(strlen(key))) >= 0;
}

/* Attempt number a header speaks of ("2nd", "second", "retake", a digit
 * other than Step 2's), or 0. */
static int ordinal(const char *key) {
  static const struct {
    const char *word;
    int n;
  } words[] = {{"1st", 1},    {"first", 1}, {"2nd", 2}, {"second", 2},
               {"3rd", 3},    {"third", 3}, {"4th", 4}, {"fourth", 4},
               {"retake", 2}, {"repeat", 2}};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (has(key, words[i].word))
      return words[i].n;
  char k[KEY_CAP];
  snprintf(k, sizeof k, "%s", key);
  char *p;
  while ((p = strstr(k, "step2")) != NULL)
    memset(p, 'x', 5);
  for (p = k; *p; p++)
    if (*p >= '1' && *p <= '4')
      return *p - '0';
  return 0;
}

/* The column an unrecognised header most probably means, or -1. */
static int suggest(const struct ck_header_cell *h, const char *key) {
  if (has(key, "step1") && !has(key, "step2"))
    return -1; /* Step 1 is another exam: no column of ours */
  int n = ordinal(key);
  bool ck = has(key, "step2") || has_ck_word(h->s, h->n) || has(key, "score") ||
            has(key, "attempt") || has(key, "retake");
  if (has(key, "date") && (ck || n > 0 || has(key, "exam") || has(key, "test")))
    return CK_COL_DATE1 + (n >= 1 && n <= 4 ? n - 1 : 0);
  if (has(key, "practice") || has(key, "nbme") || has(key, "uwsa") ||
      has(key, "selfassess"))
    return CK_COL_PRACTICE1 + (n == 2 ? 1 : 0);
  if (has(key, "specialty"))
    return has(key, "match") ? CK_COL_MATCHED_SPECIALTY : CK_COL_TARGET;
  if (has(key, "program"))
    return CK_COL_PROGRAM;
  if (has(key, "soap"))
    return CK_COL_SOAP;
  if (ck)
    return CK_COL_ATTEMPT1 + (n >= 1 && n <= 4 ? n - 1 : 0);
  if (has(key, "match"))
    return has(key, "year") || has(key, "yr") || has(key, "cycle")
               ? CK_COL_MATCH_YEAR
               : CK_COL_MATCHED;
  size_t len = strlen(key);
  return nearest_column(key, len / 3 > 2 ? len / 3 : 2);
}

/* Append to a message buffer, never past its end. */
struct msg {
  char *s;
  size_t cap, n;
};

static void put(struct msg *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void put(struct msg *m, const char *fmt, ...) {
  if (m->n >= m->cap)
    return;
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(m->s + m->n, m->cap - m->n, fmt, ap);
  va_end(ap);
  if (k > 0)
    m->n = m->n + (size_t)k < m->cap ? m->n + (size_t)k : m->cap;
}

static bool looks_like_step1(const char *shown) {
  char key[KEY_CAP];
  ck_normalise_key(shown, strlen(shown), key, sizeof key);
  return has(key, "step1") && !has(key, "step2");
}

/* The look-alike stop: what the cell probably is and how to say so. */
static void lookalike_message(struct msg *m, const char *shown, int guess,
                              long taken_by,
                              const struct ck_header_cell *cells) {
  if (guess >= 0 && taken_by < 0) {
    put(m,
        "column \"%s\" is not recognised; did you mean %s? Map it with "
        "--column \"%s=%s\" or in the config's [columns] section.",
        shown, ck_col_name(guess), shown, ck_col_name(guess));
  } else if (guess >= 0) {
    put(m,
        "column \"%s\" is not recognised; it looks like %s, which "
        "\"%s\" already gives. Map it with --column \"%s=COLUMN\" or in the "
        "config's [columns] section.",
        shown, ck_col_name(guess), cells[taken_by].shown, shown);
  } else if (looks_like_step1(shown)) {
    put(m,
        "column \"%s\" is not recognised; ckcohort reads no Step 1 "
        "column. Map it with --column \"%s=%s\" or in the config's "
        "[columns] section.",
        shown, shown, IGNORE);
    return;
  } else {
    put(m,
        "column \"%s\" is not recognised but looks like an input column. "
        "Map it with --column \"%s=COLUMN\" or in the config's [columns] "
        "section (docs/input-format.md lists the columns).",
        shown, shown);
  }
  put(m, " To leave it out, map it to %s.", IGNORE);
}

/* The names accepted for column k, for the missing-columns message. */
static void accepted_names(struct msg *m, int k) {
  char key[KEY_CAP];
  put(m, "%s (accepted: %s", ck_col_name(k), ck_col_name(k));
  for (size_t i = 0;; i++) {
    int col = ck_col_key(i, key, sizeof key);
    if (col < 0)
      break;
    char canon[KEY_CAP];
    ck_normalise_key(ck_col_name(k), strlen(ck_col_name(k)), canon,
                     sizeof canon);
    if (col == k && strcmp(key, canon) != 0)
      put(m, ", %s", key);
  }
  put(m, ")");
}

/* Column of the user's mapping for this header: a column, -1 for "ignore",
 * -2 when the user did not map it. */
static int mapped(const struct ck_config *cfg, const char *key) {
  for (size_t i = cfg->n_column_maps; i-- > 0;) {
    if (strcmp(cfg->column_maps[i].key, key) != 0)
      continue;
    const char *c = cfg->column_maps[i].column;
    return strcmp(c, IGNORE) == 0 ? -1 : ck_col_by_name(c, strlen(c));
  }
  return -2;
}

enum ck_status ck_header_resolve(const struct ck_config *cfg, const char *file,
                                 long line, const struct ck_header_cell *cells,
                                 size_t n, int *colmap, struct ck_error *err) {
  long seen[CK_COL_N];
  for (int k = 0; k < CK_COL_N; k++)
    seen[k] = -1;
  bool *user = ck_xcalloc(n ? n : 1, sizeof *user); /* mapped by the user */
  char key[KEY_CAP];
  enum ck_status st = CK_OK;
  for (size_t i = 0; i < n && st == CK_OK; i++) {
    ck_normalise_key(cells[i].s, cells[i].n, key, sizeof key);
    int col = cfg != NULL && key[0] ? mapped(cfg, key) : -2;
    user[i] = col != -2;
    if (col == -2)
      col = ck_col_lookup(cells[i].s, cells[i].n);
    colmap[i] = col;
    if (col < 0)
      continue;
    if (seen[col] >= 0) {
      char what[300];
      snprintf(what, sizeof what, "columns \"%.100s\" and \"%.100s\"",
               cells[seen[col]].shown, cells[i].shown);
      st = ck_error_set(err, CK_EPARSE, file, line, ck_col_name(col),
                        "%s both mean %s", what, ck_col_name(col));
    }
    seen[col] = (long)i;
  }
  char text[sizeof err->text];
  struct msg m = {text, sizeof text, 0};
  size_t n_look = 0;
  for (size_t i = 0; i < n && st == CK_OK; i++) {
    if (colmap[i] >= 0 || user[i])
      continue;
    ck_normalise_key(cells[i].s, cells[i].n, key, sizeof key);
    if (!looks_like_input(&cells[i], key))
      continue;
    int guess = suggest(&cells[i], key);
    if (n_look++ == 0) {
      lookalike_message(&m, cells[i].shown, guess,
                        guess >= 0 ? seen[guess] : -1, cells);
    } else {
      put(&m, "%s \"%s\"", n_look == 2 ? " Also not recognised:" : ",",
          cells[i].shown);
      if (guess >= 0 && seen[guess] < 0)
        put(&m, " (%s?)", ck_col_name(guess));
    }
  }
  if (st == CK_OK && n_look > 1)
    put(&m, ".");
  if (st == CK_OK && n_look > 0) {
    /* the required columns still missing are named too, all of them */
    size_t k_miss = 0;
    for (int k = 0; k < CK_COL_N; k++)
      if (ck_col_required(k) && seen[k] < 0)
        put(&m, "%s%s",
            k_miss++ ? ", " : " Required columns missing: ", ck_col_name(k));
    if (k_miss > 0)
      put(&m, " (docs/input-format.md lists the names accepted).");
    st = ck_error_set(err, CK_EPARSE, file, 0, NULL, "%s", text);
  }
  size_t n_miss = 0;
  for (int k = 0; k < CK_COL_N && st == CK_OK; k++) {
    if (!ck_col_required(k) || seen[k] >= 0)
      continue;
    put(&m, "%s", n_miss++ ? "; " : "");
    accepted_names(&m, k);
  }
  if (st == CK_OK && n_miss > 0)
    st = ck_error_set(err, CK_EPARSE, file, line, NULL,
                      "required column%s missing: %s. Names match ignoring "
                      "case, spaces and punctuation; docs/input-format.md "
                      "lists every column and alias, and --column "
                      "HEADER=COLUMN maps another name",
                      n_miss > 1 ? "s" : "", text);
  free(user);
  return st;
}

enum ck_status ck_config_map_column(struct ck_config *cfg, const char *header,
                                    const char *column, struct ck_error *err) {
  char key[KEY_CAP], want[KEY_CAP];
  size_t hn = header ? strlen(header) : 0;
  if (header == NULL || ck_normalise_key(header, hn, key, sizeof key) == 0)
    return ck_error_set(err, CK_ECONFIG, "", 0, "columns",
                        "\"%s\" is not a header name (it has no letters or "
                        "digits)",
                        header ? header : "");
  if (hn >= KEY_CAP * 4 || strlen(key) >= KEY_CAP - 1)
    return ck_error_set(err, CK_ECONFIG, "", 0, "columns",
                        "header \"%.60s...\" is too long", header);
  if (column == NULL)
    column = "";
  ck_normalise_key(column, strlen(column), want, sizeof want);
  int col = ck_col_by_name(column, strlen(column));
  if (col < 0 && strcmp(want, IGNORE) != 0) {
    size_t lim = strlen(want) / 3 > 2 ? strlen(want) / 3 : 2;
    int near = want[0] ? nearest_column(want, lim) : -1;
    if (want[0] && ck_edit_distance(want, IGNORE) <= 2)
      return ck_error_set(err, CK_ECONFIG, "", 0, "columns",
                          "\"%s\" is not a column; did you mean %s?", column,
                          IGNORE);
    if (near >= 0)
      return ck_error_set(err, CK_ECONFIG, "", 0, "columns",
                          "\"%s\" is not a column; did you mean %s? "
                          "(or %s to leave \"%s\" out)",
                          column, ck_col_name(near), IGNORE, header);
    return ck_error_set(err, CK_ECONFIG, "", 0, "columns",
                        "\"%s\" is not a column (docs/input-format.md lists "
                        "them; %s leaves \"%s\" out)",
                        column, IGNORE, header);
  }
  cfg->column_maps = ck_xrealloc(
      cfg->column_maps, (cfg->n_column_maps + 1) * sizeof *cfg->column_maps);
  struct ck_column_map *mp = &cfg->column_maps[cfg->n_column_maps++];
  mp->header = ck_xstrdup(header);
  mp->key = ck_xstrdup(key);
  mp->column = ck_xstrdup(col >= 0 ? ck_col_name(col) : IGNORE);
  return CK_OK;
}
