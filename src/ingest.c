/*
 * ingest.c - applicant CSV files -> accepted records, exclusions, rejects
 * SPDX-License-Identifier: MIT
 *
 * Bytes flow:  read buffer -> SHA-256 + byte count -> head check (BOM,
 * UTF-16) -> line splitter -> libcsv (strict) -> field callback (row
 * buffer) -> row callback (header or data row).
 *
 * The line splitter hands libcsv one piece at a time, each ending right
 * after a line break byte (or at the end of the chunk), so that every
 * callback knows the physical line it is on and the line where the current
 * record started.  libcsv silently skips blank lines; the splitter counts
 * them.  After a parse error (stray quote, field too long) the parser is
 * rebuilt and input resumes after the next line break.
 *
 * libcsv's realloc hook has no user pointer: the field size cap lives in a
 * thread-local variable set for the duration of each ingest call.
 */
#include "ckcohort/ingest.h"
#include "schema.h"
#include "util.h"

#include <csv.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READ_CHUNK (64u * 1024u)
#define HEAD_BYTES 512u            /* first bytes checked for UTF-16/binary */
#define RAW_CAP (1024u * 1024u)    /* bytes of a rejected row kept */
#define ROW_FIELDS_CAP 4096u       /* fields of one row stored */

/* ---------------------------------------------------------------- sets -- */

/* Open-addressing hash set of byte strings kept in one arena; each entry
 * carries two 32-bit payloads. */
struct sset_entry {
  uint64_t h; /* 0 = empty slot */
  size_t off;
  uint32_t len, a, b;
};

struct sset {
  struct sset_entry *t;
  size_t cap, n; /* cap is a power of two */
  char *arena;
  size_t arena_len, arena_cap;
};

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  /* MurmurHash3's finaliser: FNV-1a alone leaves the low bits (the slot
   * index) clustered for sequential IDs such as P0000001, P0000002. */
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h | 1u;
}

static void sset_free(struct sset *s) {
  free(s->t);
  free(s->arena);
}

static void sset_rehash(struct sset *s) {
  size_t ncap = s->cap ? s->cap * 2 : 1024;
  struct sset_entry *nt = ck_xcalloc(ncap, sizeof *nt);
  for (size_t i = 0; i < s->cap; i++) {
    if (s->t[i].h == 0)
      continue;
    size_t j = (size_t)s->t[i].h & (ncap - 1);
    while (nt[j].h != 0)
      j = (j + 1) & (ncap - 1);
    nt[j] = s->t[i];
  }
  free(s->t);
  s->t = nt;
  s->cap = ncap;
}

/* Entry for key, or NULL (when insert is false and it is absent).  A new
 * entry has payloads a = b = 0; *added tells. */
static struct sset_entry *sset_find(struct sset *s, const char *k, size_t n,
                                    bool insert, bool *added) {
  if (added)
    *added = false;
  if (s->cap == 0) {
    if (!insert)
      return NULL;
    sset_rehash(s);
  }
  uint64_t h = hash_bytes(k, n);
  size_t j = (size_t)h & (s->cap - 1);
  while (s->t[j].h != 0) {
    if (s->t[j].h == h && s->t[j].len == n &&
        memcmp(s->arena + s->t[j].off, k, n) == 0)
      return &s->t[j];
    j = (j + 1) & (s->cap - 1);
  }
  if (!insert)
    return NULL;
  if ((s->n + 1) * 2 > s->cap) {
    sset_rehash(s);
    j = (size_t)h & (s->cap - 1);
    while (s->t[j].h != 0)
      j = (j + 1) & (s->cap - 1);
  }
  ck_grow((void **)&s->arena, &s->arena_cap, s->arena_len + n + 1, 1);
  memcpy(s->arena + s->arena_len, k, n);
  s->arena[s->arena_len + n] = '\0';
  s->t[j] = (struct sset_entry){h, s->arena_len, (uint32_t)n, 0, 0};
  s->arena_len += n + 1;
  s->n++;
  if (added)
    *added = true;
  return &s->t[j];
}

/* -------------------------------------------------------------- cohort -- */

struct ck_cohort_private {
  struct sset ids;         /* student_id -> a = input, b = line */
  struct sset specs;       /* unknown specialty key -> a = index, b = input+1 noted */
  char **spec_names;       /* display names of unknown specialties */
  size_t n_specs, cap_specs;
  size_t cap_records, cap_issues, cap_inputs;
};

struct ck_cohort *ck_cohort_new(const struct ck_config *cfg,
                                const struct ck_ingest_options *opt) {
  struct ck_cohort *c = ck_xcalloc(1, sizeof *c);
  c->cfg = cfg;
  if (opt)
    c->opt = *opt;
  if (c->opt.max_field == 0)
    c->opt.max_field = CK_FIELD_MAX_DEFAULT;
  c->priv = ck_xcalloc(1, sizeof *c->priv);
  return c;
}

void ck_cohort_free(struct ck_cohort *c) {
  if (c == NULL)
    return;
  for (size_t i = 0; i < c->n_inputs; i++)
    free(c->inputs[i].path);
  for (size_t i = 0; i < c->n_issues; i++) {
    free(c->issues[i].column);
    free(c->issues[i].value);
    free(c->issues[i].reason);
    free(c->issues[i].raw);
  }
  struct ck_cohort_private *p = c->priv;
  for (size_t i = 0; i < p->n_specs; i++)
    free(p->spec_names[i]);
  free(p->spec_names);
  sset_free(&p->ids);
  sset_free(&p->specs);
  free(p);
  free(c->inputs);
  free(c->records);
  free(c->issues);
  free(c);
}

const char *ck_cohort_specialty_name(const struct ck_cohort *c, int i) {
  if (i < 0)
    return "";
  if ((size_t)i < c->cfg->n_specialties)
    return c->cfg->specialties[i].name;
  size_t k = (size_t)i - c->cfg->n_specialties;
  return k < c->priv->n_specs ? c->priv->spec_names[k] : "";
}

enum ck_tier ck_cohort_specialty_tier(const struct ck_cohort *c, int i) {
  if (i < 0 || (size_t)i >= c->cfg->n_specialties)
    return CK_TIER_NONE;
  return c->cfg->specialties[i].tier;
}

size_t ck_cohort_specialty_count(const struct ck_cohort *c) {
  return c->cfg->n_specialties + c->priv->n_specs;
}

/* -------------------------------------------------------------- reader -- */

static _Thread_local size_t field_cap = CK_FIELD_MAX_DEFAULT;

/* libcsv's entry buffer holds one field: refuse to grow it past the cap, so
 * csv_parse stops with CSV_ENOMEM instead of holding a huge field.  Below the
 * cap, running out of memory is not a long field: it goes to the library's
 * out-of-memory handler like every other allocation. */
static void *capped_realloc(void *p, size_t n) {
  if (n > field_cap)
    return NULL;
  return ck_xrealloc(p, n);
}

struct span {
  const char *s;
  size_t n;
};

struct ingest {
  struct ck_cohort *c;
  struct ck_input *in; /* refreshed whenever c->inputs may move */
  uint32_t input;
  const char *name;
  struct ck_error *err;
  enum ck_status status; /* first fatal error; stops everything */
  struct csv_parser p;
  bool parser_live;
  EVP_MD_CTX *md;

  unsigned char head[HEAD_BYTES];
  size_t head_n;
  bool head_done;

  long line;      /* physical line of the next byte */
  bool prev_cr;   /* last byte fed was CR */
  bool rec_open;  /* a record has started and not ended */
  long rec_line;  /* line where it started */
  bool skipping;  /* resynchronising after a parse error */
  const char *skip_reason;
  char skip_buf[96];

  char *raw; /* bytes of the current record (or current blank-ish line) */
  size_t raw_n, raw_cap;

  /* current row */
  char *row;
  size_t row_n, row_cap;
  size_t *foff; /* field i spans row[foff[i] .. foff[i+1]) */
  size_t foff_cap;
  size_t nf;           /* fields seen */
  bool overflow;       /* fields not all stored */
  long bad_field;      /* first field with a NUL or bad UTF-8, or -1 */
  bool bad_nul;

  /* header */
  bool header_done;
  size_t hdr_n;
  int *colmap; /* header field -> column, or -1 */
  char **hdr_names;
};

static void grow_input(struct ingest *st) { st->in = &st->c->inputs[st->input]; }

static char *escape_bytes(const char *s, size_t n) {
  /* Keep valid UTF-8 runs; show every other byte (and NUL) as \xNN. */
  char *out = ck_xmalloc(n * 4 + 1);
  size_t o = 0, i = 0;
  while (i < n) {
    unsigned char ch = (unsigned char)s[i];
    size_t k = ch < 0x80 ? 1 : ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;
    if (ch != 0 && i + k <= n &&
        ck_utf8_valid((const unsigned char *)s + i, k)) {
      memcpy(out + o, s + i, k);
      o += k;
      i += k;
    } else {
      static const char hex[] = "0123456789ABCDEF";
      out[o++] = '\\', out[o++] = 'x';
      out[o++] = hex[ch >> 4], out[o++] = hex[ch & 15];
      i++;
    }
  }
  out[o] = '\0';
  return out;
}

/* A rejected row's bytes as a C string.  A NUL byte would cut the string
 * (and the rejects file's row) short, so it becomes the text \x00, as in the
 * value column; every other byte is kept as read. */
static char *raw_copy(const char *raw, size_t n) {
  size_t nul = 0;
  for (size_t i = 0; i < n; i++)
    nul += raw[i] == '\0';
  char *out = ck_xmalloc(n + 3 * nul + 1), *o = out;
  for (size_t i = 0; i < n; i++) {
    if (raw[i] == '\0') {
      memcpy(o, "\\x00", 4);
      o += 4;
    } else {
      *o++ = raw[i];
    }
  }
  *o = '\0';
  return out;
}

static struct ck_issue *add_issue(struct ingest *st, enum ck_issue_kind kind,
                                  long line, int col, const char *val,
                                  size_t vn, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static struct ck_issue *add_issue(struct ingest *st, enum ck_issue_kind kind,
                                  long line, int col, const char *val,
                                  size_t vn, const char *fmt, ...) {
  struct ck_cohort *c = st->c;
  ck_grow((void **)&c->issues, &c->priv->cap_issues, c->n_issues + 1,
          sizeof *c->issues);
  struct ck_issue *is = &c->issues[c->n_issues++];
  memset(is, 0, sizeof *is);
  is->kind = kind;
  is->input = st->input;
  is->line = line;
  is->column = col >= 0 ? ck_xstrdup(ck_col_name(col)) : NULL;
  is->value = val ? ck_xstrndup(val, vn) : NULL;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  is->reason = ck_xstrdup(buf);
  switch (kind) {
  case CK_ISSUE_REJECT: {
    st->in->rejected++, c->rejected++;
    if (c->opt.keep_raw) {
      size_t n = st->raw_n;
      while (n > 0 && (st->raw[n - 1] == '\n' || st->raw[n - 1] == '\r'))
        n--;
      is->raw = raw_copy(st->raw, n);
    }
    break;
  }
  case CK_ISSUE_EXCLUDE:
    st->in->excluded++, c->excluded++;
    break;
  case CK_ISSUE_WARNING:
    st->in->warnings++, c->warnings++;
    break;
  case CK_ISSUE_NOTE:
    break;
  }
  return is;
}

static void fatal(struct ingest *st, long line, const char *column,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void fatal(struct ingest *st, long line, const char *column,
                  const char *fmt, ...) {
  if (st->status != CK_OK)
    return;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  st->status = CK_EPARSE;
  ck_error_set(st->err, CK_EPARSE, st->name, line, column, "%s", buf);
}

static void row_reset(struct ingest *st) {
  st->row_n = 0;
  st->nf = 0;
  st->overflow = false;
  st->bad_field = -1;
  st->bad_nul = false;
}

static void on_field(void *field, size_t len, void *data) {
  struct ingest *st = data;
  if (st->status != CK_OK)
    return;
  const unsigned char *f = field;
  size_t idx = st->nf++;
  if (st->bad_field < 0) {
    for (size_t i = 0; i < len; i++) {
      if (f[i] == 0 || f[i] >= 0x80) {
        if (memchr(f, 0, len) != NULL) {
          st->bad_field = (long)idx, st->bad_nul = true;
        } else if (!ck_utf8_valid(f, len)) {
          st->bad_field = (long)idx;
        }
        break;
      }
    }
  }
  if (st->overflow || idx >= ROW_FIELDS_CAP ||
      st->row_n + len > 16 * st->c->opt.max_field) {
    st->overflow = true;
    return;
  }
  if (idx + 2 > st->foff_cap)
    ck_grow((void **)&st->foff, &st->foff_cap, idx + 2, sizeof *st->foff);
  if (st->row_n + len + 1 > st->row_cap)
    ck_grow((void **)&st->row, &st->row_cap, st->row_n + len + 1, 1);
  st->foff[idx] = st->row_n;
  memcpy(st->row + st->row_n, f, len);
  st->row_n += len;
  st->foff[idx + 1] = st->row_n;
}

static struct span field_at(const struct ingest *st, size_t i) {
  struct span v = {st->row + st->foff[i], st->foff[i + 1] - st->foff[i]};
  while (v.n > 0 && (v.s[0] == ' ' || v.s[0] == '\t'))
    v.s++, v.n--;
  while (v.n > 0 && (v.s[v.n - 1] == ' ' || v.s[v.n - 1] == '\t'))
    v.n--;
  return v;
}

/* ------------------------------------------------------------- header -- */

static void header_row(struct ingest *st) {
  long line = st->rec_line;
  if (st->nf > ROW_FIELDS_CAP) {
    fatal(st, line, NULL, "header row has %zu fields, more than %u", st->nf,
          ROW_FIELDS_CAP);
    return;
  }
  if (st->overflow) {
    fatal(st, line, NULL, "header row is longer than %zu bytes",
          16 * st->c->opt.max_field);
    return;
  }
  if (st->bad_field >= 0) {
    fatal(st, line, NULL, "header row %s; is this a CSV text file?",
          st->bad_nul ? "contains a NUL byte" : "is not valid UTF-8");
    return;
  }
  st->hdr_n = st->nf;
  st->colmap = ck_xcalloc(st->nf, sizeof *st->colmap);
  st->hdr_names = ck_xcalloc(st->nf, sizeof *st->hdr_names);
  long seen[CK_COL_N];
  for (int k = 0; k < CK_COL_N; k++)
    seen[k] = -1;
  for (size_t i = 0; i < st->nf; i++) {
    struct span v = field_at(st, i);
    st->hdr_names[i] = escape_bytes(v.s, v.n);
    int col = ck_col_lookup(v.s, v.n);
    st->colmap[i] = col;
    if (col < 0)
      continue;
    if (seen[col] >= 0) {
      char what[300];
      snprintf(what, sizeof what, "columns \"%.100s\" and \"%.100s\"",
               st->hdr_names[seen[col]], st->hdr_names[i]);
      fatal(st, line, ck_col_name(col), "%s both mean %s", what,
            ck_col_name(col));
      return;
    }
    seen[col] = (long)i;
  }
  for (int k = 0; k < CK_COL_N; k++) {
    if (ck_col_required(k) && seen[k] < 0) {
      fatal(st, line, ck_col_name(k), "required column \"%s\" is missing",
            ck_col_name(k));
      return;
    }
  }
  for (size_t i = 0; i < st->nf; i++)
    if (st->colmap[i] < 0)
      add_issue(st, CK_ISSUE_NOTE, 0, -1, st->hdr_names[i],
                strlen(st->hdr_names[i]), "unknown column \"%s\" ignored",
                st->hdr_names[i]);
  st->header_done = true;
}

/* ----------------------------------------------------------- data rows -- */

static int specialty_index(struct ingest *st, struct span v, bool *full) {
  const struct ck_config *cfg = st->c->cfg;
  int i = ck_config_specialty_find(cfg, v.s, v.n);
  if (i >= 0)
    return i;
  struct ck_cohort_private *p = st->c->priv;
  char key[256];
  size_t kn = ck_normalise_key(v.s, v.n, key, sizeof key);
  const char *k = key;
  if (kn == 0)
    k = v.s, kn = v.n;
  struct sset_entry *e = sset_find(&p->specs, k, kn, false, NULL);
  if (e == NULL) {
    if (cfg->n_specialties + p->n_specs >= INT16_MAX) {
      *full = true;
      return -1;
    }
    e = sset_find(&p->specs, k, kn, true, NULL);
    e->a = (uint32_t)p->n_specs;
    ck_grow((void **)&p->spec_names, &p->cap_specs, p->n_specs + 1,
            sizeof *p->spec_names);
    p->spec_names[p->n_specs++] = ck_xstrndup(v.s, v.n);
  }
  if (e->b != st->input + 1) {
    e->b = st->input + 1;
    const char *name = p->spec_names[e->a];
    add_issue(st, CK_ISSUE_NOTE, 0, -1, name, strlen(name),
              "unknown specialty \"%s\" kept without a tier", name);
  }
  return (int)(cfg->n_specialties + e->a);
}

#define REJECT(col, v, ...)                                                    \
  do {                                                                         \
    add_issue(st, CK_ISSUE_REJECT, line, (col), (v).s, (v).n, __VA_ARGS__);    \
    return;                                                                    \
  } while (0)

static void data_row(struct ingest *st) {
  struct ck_cohort *c = st->c;
  const struct ck_config *cfg = c->cfg;
  long line = st->rec_line;
  if (!st->overflow && st->bad_field < 0) {
    bool empty = true;
    for (size_t i = 0; i < st->nf && empty; i++)
      empty = field_at(st, i).n == 0;
    if (empty) {
      st->in->blank++, c->blank++;
      return;
    }
  }
  st->in->read++, c->read++;
  struct span none = {NULL, 0};
  /* Field count first: too many fields also stops storing the row. */
  if (st->nf != st->hdr_n)
    REJECT(-1, none, "row has %zu field%s, header has %zu", st->nf,
           st->nf == 1 ? "" : "s", st->hdr_n);
  if (st->overflow)
    REJECT(-1, none, "row longer than %zu bytes", 16 * c->opt.max_field);
  if (st->bad_field >= 0) {
    size_t i = (size_t)st->bad_field;
    struct span v = field_at(st, i);
    char *esc = escape_bytes(v.s, v.n);
    int col = st->colmap[i];
    struct ck_issue *is =
        add_issue(st, CK_ISSUE_REJECT, line, col, esc, strlen(esc), "%s",
                  st->bad_nul ? "contains a NUL byte" : "is not valid UTF-8");
    if (col < 0) /* an ignored column: name it as in the header */
      is->column = ck_xstrdup(st->hdr_names[i]);
    free(esc);
    return;
  }

  struct span val[CK_COL_N];
  bool has[CK_COL_N] = {false};
  for (int k = 0; k < CK_COL_N; k++)
    val[k] = none;
  for (size_t i = 0; i < st->nf; i++) {
    int col = st->colmap[i];
    if (col >= 0) {
      val[col] = field_at(st, i);
      has[col] = val[col].n > 0;
    }
  }

  struct ck_record r;
  memset(&r, 0, sizeof r);
  r.target = r.matched_specialty = -1;
  r.soap = r.reapplicant = r.dedicated_weeks = -1;
  r.input = st->input;
  r.line = (uint32_t)line;
  int v;

  if (!has[CK_COL_STUDENT_ID])
    REJECT(CK_COL_STUDENT_ID, none, "required value is empty");
  if (!has[CK_COL_MATCH_YEAR])
    REJECT(CK_COL_MATCH_YEAR, none, "required value is empty");
  if (!ck_parse_int(val[CK_COL_MATCH_YEAR].s, val[CK_COL_MATCH_YEAR].n, 1990,
                    2100, &v))
    REJECT(CK_COL_MATCH_YEAR, val[CK_COL_MATCH_YEAR],
           "is not a whole number 1990–2100");
  r.match_year = (int16_t)v;

  int n_att = 0;
  for (int k = 0; k < CK_MAX_ATTEMPTS; k++) {
    int col = CK_COL_ATTEMPT1 + k;
    if (!has[col])
      continue;
    if (!ck_parse_int(val[col].s, val[col].n, 1, 300, &v))
      REJECT(col, val[col], "is not a whole number 1–300");
    if (n_att != k)
      REJECT(col, val[col], "is given but %s is empty", ck_col_name(col - 1));
    r.score[k] = (int16_t)v;
    n_att = k + 1;
  }
  r.n_attempts = (int8_t)n_att;
  int last_dated = -1;
  for (int k = 0; k < CK_MAX_ATTEMPTS; k++) {
    int col = CK_COL_DATE1 + k;
    r.date[k] = CK_NO_DATE;
    if (!has[col])
      continue;
    r.date[k] = ck_parse_date(val[col].s, val[col].n);
    if (r.date[k] == CK_NO_DATE)
      REJECT(col, val[col], "is not a valid date YYYY-MM-DD");
    if (k >= n_att)
      REJECT(col, val[col], "is given without %s",
             ck_col_name(CK_COL_ATTEMPT1 + k));
    if (last_dated >= 0 && r.date[k] <= r.date[last_dated])
      REJECT(col, val[col], "is not after %s \"%.*s\"",
             ck_col_name(CK_COL_DATE1 + last_dated),
             (int)val[CK_COL_DATE1 + last_dated].n,
             val[CK_COL_DATE1 + last_dated].s);
    last_dated = k;
  }
  for (int k = 0; k < 2; k++) {
    int col = CK_COL_PRACTICE1 + k;
    if (!has[col])
      continue;
    if (!ck_parse_int(val[col].s, val[col].n, 1, 300, &v))
      REJECT(col, val[col], "is not a whole number 1–300");
    r.practice[k] = (int16_t)v;
  }
  if (!has[CK_COL_MATCHED])
    REJECT(CK_COL_MATCHED, none, "required value is empty");
  int b = ck_parse_bool(val[CK_COL_MATCHED].s, val[CK_COL_MATCHED].n);
  if (b < 0)
    REJECT(CK_COL_MATCHED, val[CK_COL_MATCHED], "is not a yes/no value");
  r.matched = (int8_t)b;
  if (has[CK_COL_MATCHED_SPECIALTY] && !r.matched)
    REJECT(CK_COL_MATCHED_SPECIALTY, val[CK_COL_MATCHED_SPECIALTY],
           "is given although matched is no");
  if (has[CK_COL_PROGRAM]) {
    int pt = ck_parse_program(val[CK_COL_PROGRAM].s, val[CK_COL_PROGRAM].n);
    if (pt < 0)
      REJECT(CK_COL_PROGRAM, val[CK_COL_PROGRAM],
             "is not academic, community or other");
    if (!r.matched)
      REJECT(CK_COL_PROGRAM, val[CK_COL_PROGRAM],
             "is given although matched is no");
    r.program = (int8_t)pt;
  }
  if (has[CK_COL_SOAP]) {
    b = ck_parse_bool(val[CK_COL_SOAP].s, val[CK_COL_SOAP].n);
    if (b < 0)
      REJECT(CK_COL_SOAP, val[CK_COL_SOAP], "is not a yes/no value");
    if (b == 1 && !r.matched)
      REJECT(CK_COL_SOAP, val[CK_COL_SOAP], "is yes although matched is no");
    r.soap = (int8_t)b;
  }
  if (has[CK_COL_REAPPLICANT]) {
    b = ck_parse_bool(val[CK_COL_REAPPLICANT].s, val[CK_COL_REAPPLICANT].n);
    if (b < 0)
      REJECT(CK_COL_REAPPLICANT, val[CK_COL_REAPPLICANT],
             "is not a yes/no value");
    r.reapplicant = (int8_t)b;
  }
  if (has[CK_COL_WEEKS]) {
    if (!ck_parse_int(val[CK_COL_WEEKS].s, val[CK_COL_WEEKS].n, 0, 52, &v))
      REJECT(CK_COL_WEEKS, val[CK_COL_WEEKS], "is not a whole number 0–52");
    r.dedicated_weeks = (int8_t)v;
  }

  /* Valid row: the first holder of an ID keeps it. */
  struct span id = val[CK_COL_STUDENT_ID];
  bool added;
  struct sset_entry *e = sset_find(&c->priv->ids, id.s, id.n, true, &added);
  if (!added)
    REJECT(CK_COL_STUDENT_ID, id, "is a duplicate of %s:%u",
           c->inputs[e->a].path, (unsigned)e->b);
  e->a = st->input;
  e->b = (uint32_t)line;

  if (n_att == 0) {
    add_issue(st, CK_ISSUE_EXCLUDE, line, CK_COL_ATTEMPT1, NULL, 0,
              "no first Step 2 CK score");
    c->excluded_no_score++;
    return;
  }
  if ((c->opt.year_from && r.match_year < c->opt.year_from) ||
      (c->opt.year_to && r.match_year > c->opt.year_to)) {
    add_issue(st, CK_ISSUE_EXCLUDE, line, CK_COL_MATCH_YEAR,
              val[CK_COL_MATCH_YEAR].s, val[CK_COL_MATCH_YEAR].n,
              "is outside the selected years");
    c->excluded_years++;
    return;
  }

  bool full = false;
  if (has[CK_COL_TARGET])
    r.target = (int16_t)specialty_index(st, val[CK_COL_TARGET], &full);
  if (has[CK_COL_MATCHED_SPECIALTY] && !full)
    r.matched_specialty =
        (int16_t)specialty_index(st, val[CK_COL_MATCHED_SPECIALTY], &full);
  if (full) {
    REJECT(has[CK_COL_MATCHED_SPECIALTY] ? CK_COL_MATCHED_SPECIALTY
                                         : CK_COL_TARGET,
           none, "too many distinct specialty names");
  }

  for (int k = 0; k + 1 < n_att; k++) {
    if (r.score[k] >= ck_config_pass_mark(cfg, r.date[k], r.match_year)) {
      int col = CK_COL_ATTEMPT1 + k + 1;
      add_issue(st, CK_ISSUE_WARNING, line, col, val[col].s, val[col].n,
                "follows a passed attempt; USMLE does not allow retaking a "
                "passed Step except to meet a state board's time limit");
      r.flags |= CK_REC_RETAKE_AFTER_PASS;
      c->retake_after_pass++;
      break;
    }
  }
  ck_grow((void **)&c->records, &c->priv->cap_records, c->n_records + 1,
          sizeof *c->records);
  c->records[c->n_records++] = r;
  st->in->accepted++, c->accepted++;
}

#undef REJECT

static void on_row(int ch, void *data) {
  (void)ch;
  struct ingest *st = data;
  if (st->status != CK_OK)
    return;
  if (!st->header_done)
    header_row(st);
  else
    data_row(st);
  row_reset(st);
  st->rec_open = false;
  st->raw_n = 0; /* a row ends on the last byte of a piece */
}

/* ------------------------------------------------------------ splitter -- */

static void raw_append(struct ingest *st, const char *s, size_t n) {
  if (st->raw_n >= RAW_CAP)
    return;
  if (n > RAW_CAP - st->raw_n)
    n = RAW_CAP - st->raw_n;
  ck_grow((void **)&st->raw, &st->raw_cap, st->raw_n + n + 1, 1);
  memcpy(st->raw + st->raw_n, s, n);
  st->raw_n += n;
}

static void parser_start(struct ingest *st) {
  csv_init(&st->p, CSV_STRICT | CSV_STRICT_FINI);
  csv_set_realloc_func(&st->p, capped_realloc);
  csv_set_blk_size(&st->p, 1024);
  st->parser_live = true;
}

static void parser_stop(struct ingest *st) {
  if (st->parser_live)
    csv_free(&st->p);
  st->parser_live = false;
}

/* The record being read is unusable: reject it (or, for the header, fail). */
static void record_error(struct ingest *st, const char *reason) {
  if (!st->header_done) {
    fatal(st, st->rec_line, NULL, "header row: %s", reason);
    return;
  }
  st->in->read++, st->c->read++;
  add_issue(st, CK_ISSUE_REJECT, st->rec_line, -1, NULL, 0, "%s", reason);
}

/* One piece: bytes up to and including at most one line break, which is
 * then its last byte. */
static void feed_piece(struct ingest *st, const char *s, size_t n) {
  unsigned char last = (unsigned char)s[n - 1];
  bool brk = last == '\n' || last == '\r';
  bool crlf_tail = brk && last == '\n' && n == 1 && st->prev_cr;

  if (st->skipping) {
    raw_append(st, s, n);
    if (brk) {
      record_error(st, st->skip_reason);
      st->skipping = false;
      st->rec_open = false;
      st->raw_n = 0;
    }
  } else {
    if (!st->rec_open) {
      for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') {
          st->rec_open = true;
          st->rec_line = st->line;
          break;
        }
      }
    }
    bool was_open = st->rec_open;
    raw_append(st, s, n);
    size_t done = csv_parse(&st->p, s, n, on_field, on_row, st);
    if (done < n && st->status == CK_OK) {
      int e = csv_error(&st->p);
      if (e == CSV_EPARSE) {
        st->skip_reason = "stray quote";
      } else {
        snprintf(st->skip_buf, sizeof st->skip_buf,
                 "field longer than %zu bytes", st->c->opt.max_field);
        st->skip_reason = st->skip_buf;
      }
      parser_stop(st); /* error noted first; the partial row is dropped */
      parser_start(st);
      row_reset(st);
      if (brk) {
        record_error(st, st->skip_reason);
        st->rec_open = false;
        st->raw_n = 0;
      } else {
        st->skipping = true;
      }
    } else if (!was_open && brk) {
      if (!crlf_tail) {
        st->in->blank++, st->c->blank++;
      }
      st->raw_n = 0;
    }
  }
  if (brk) {
    if (!crlf_tail)
      st->line++;
    st->prev_cr = last == '\r';
  } else {
    st->prev_cr = false;
  }
}

static void feed_text(struct ingest *st, const char *s, size_t n) {
  size_t i = 0;
  while (i < n && st->status == CK_OK) {
    size_t j = i;
    while (j < n && s[j] != '\n' && s[j] != '\r')
      j++;
    if (j < n)
      j++;
    feed_piece(st, s + i, j - i);
    i = j;
  }
}

/* Decide on the first bytes: BOM, UTF-16 or binary. */
static void head_flush(struct ingest *st) {
  st->head_done = true;
  const unsigned char *h = st->head;
  size_t n = st->head_n;
  if (n >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) ||
                 (h[0] == 0xFE && h[1] == 0xFF))) {
    fatal(st, 0, NULL, "file is UTF-16 (or binary), not UTF-8 text");
    return;
  }
  static const struct {
    const char *magic;
    size_t n;
    const char *what;
  } kinds[] = {
      {"PK\x03\x04", 4, "a ZIP archive (an .xlsx or .ods workbook?)"},
      {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "an old Excel (.xls) workbook"},
      {"\x1F\x8B", 2, "gzip-compressed"},
      {"%PDF-", 5, "a PDF document"},
  };
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    if (n >= kinds[k].n && memcmp(h, kinds[k].magic, kinds[k].n) == 0) {
      fatal(st, 0, NULL, "file is %s, not CSV text; save it as CSV UTF-8",
            kinds[k].what);
      return;
    }
  }
  size_t nul = 0;
  for (size_t i = 0; i < n; i++)
    nul += h[i] == 0;
  if (nul >= 2 && nul * 4 >= n) {
    fatal(st, 0, NULL, "file is UTF-16 (or binary), not UTF-8 text");
    return;
  }
  size_t skip = n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF ? 3 : 0;
  feed_text(st, (const char *)h + skip, n - skip);
}

static void feed(struct ingest *st, const char *s, size_t n) {
  if (st->status != CK_OK || n == 0)
    return;
  EVP_DigestUpdate(st->md, s, n);
  st->in->bytes += n;
  if (!st->head_done) {
    size_t k = HEAD_BYTES - st->head_n;
    if (k > n)
      k = n;
    memcpy(st->head + st->head_n, s, k);
    st->head_n += k;
    s += k, n -= k;
    if (st->head_n < HEAD_BYTES)
      return;
    head_flush(st);
  }
  feed_text(st, s, n);
}

static void ingest_begin(struct ingest *st, struct ck_cohort *c,
                         const char *name, struct ck_error *err) {
  memset(st, 0, sizeof *st);
  st->c = c;
  st->name = name;
  st->err = err;
  ck_grow((void **)&c->inputs, &c->priv->cap_inputs, c->n_inputs + 1,
          sizeof *c->inputs);
  st->input = (uint32_t)c->n_inputs++;
  grow_input(st);
  memset(st->in, 0, sizeof *st->in);
  st->in->path = ck_xstrdup(name);
  st->line = 1;
  st->bad_field = -1;
  st->md = EVP_MD_CTX_new();
  if (st->md == NULL || !EVP_DigestInit_ex(st->md, EVP_sha256(), NULL)) {
    st->status = CK_ENOMEM;
    ck_error_set(err, CK_ENOMEM, name, 0, NULL, "cannot start SHA-256");
  }
  /* libcsv grows its buffer before looking at each byte, including the one
   * that ends the field: a field of max_field bytes needs max_field + 1. */
  field_cap = c->opt.max_field + 1;
  parser_start(st);
}

static enum ck_status ingest_end(struct ingest *st) {
  if (st->status == CK_OK && !st->head_done)
    head_flush(st);
  if (st->status == CK_OK) {
    if (st->skipping) {
      record_error(st, st->skip_reason);
      st->skipping = false;
    } else if (st->parser_live) {
      if (csv_fini(&st->p, on_field, on_row, st) != 0 && st->status == CK_OK)
        record_error(st, "unterminated quoted field");
    }
    /* A last line of spaces without a line break is a blank line too. */
    if (!st->rec_open && st->raw_n > 0 && st->status == CK_OK)
      st->in->blank++, st->c->blank++;
  }
  parser_stop(st);
  if (st->status == CK_OK && !st->header_done)
    fatal(st, 0, NULL, "file is empty (no header row)");
  if (st->md) {
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dn = 0;
    if (EVP_DigestFinal_ex(st->md, d, &dn) && dn == 32)
      for (unsigned i = 0; i < dn; i++)
        snprintf(st->in->sha256 + 2 * i, 3, "%02x", d[i]);
    EVP_MD_CTX_free(st->md);
  }
  for (size_t i = 0; i < st->hdr_n; i++)
    free(st->hdr_names[i]);
  free(st->hdr_names);
  free(st->colmap);
  free(st->raw);
  free(st->row);
  free(st->foff);
  return st->status;
}

enum ck_status ck_ingest_buffer(struct ck_cohort *c, const char *name,
                                const char *buf, size_t len, size_t chunk,
                                struct ck_error *err) {
  if (c == NULL || name == NULL || (buf == NULL && len > 0))
    return ck_error_set(err, CK_EUSAGE, name, 0, NULL, "bad arguments");
  struct ingest st;
  ingest_begin(&st, c, name, err);
  if (chunk == 0)
    chunk = len ? len : 1;
  for (size_t off = 0; off < len && st.status == CK_OK; off += chunk)
    feed(&st, buf + off, len - off < chunk ? len - off : chunk);
  return ingest_end(&st);
}

static void lower_first(char *s) {
  if (s[0] >= 'A' && s[0] <= 'Z')
    s[0] = (char)(s[0] - 'A' + 'a');
}

enum ck_status ck_ingest_file(struct ck_cohort *c, const char *path,
                              struct ck_error *err) {
  if (c == NULL || path == NULL)
    return ck_error_set(err, CK_EUSAGE, path, 0, NULL, "bad arguments");
  FILE *f = fopen(path, "rb");
  char msg[128];
  if (f == NULL) {
    snprintf(msg, sizeof msg, "%s", strerror(errno));
    lower_first(msg);
    return ck_error_set(err, CK_EIO, path, 0, NULL, "cannot open: %s", msg);
  }
  struct stat sb;
  if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
    fclose(f);
    return ck_error_set(err, CK_EIO, path, 0, NULL, "is a directory");
  }
  char *buf = ck_xmalloc(READ_CHUNK);
  struct ingest st;
  ingest_begin(&st, c, path, err);
  size_t n;
  while (st.status == CK_OK && (n = fread(buf, 1, READ_CHUNK, f)) > 0)
    feed(&st, buf, n);
  int rerr = ferror(f) ? errno : 0;
  fclose(f);
  free(buf);
  if (rerr != 0 && st.status == CK_OK) {
    snprintf(msg, sizeof msg, "%s", strerror(rerr));
    lower_first(msg);
    st.status = CK_EIO;
    ck_error_set(err, CK_EIO, path, 0, NULL, "cannot read: %s", msg);
  }
  return ingest_end(&st);
}

/* ------------------------------------------------------------- rejects -- */

static int put_field(FILE *out, const char *s, size_t n, bool last) {
  bool q = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
  for (size_t i = 0; i < n && !q; i++)
    q = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (q) {
    if (putc('"', out) == EOF)
      return -1;
    for (size_t i = 0; i < n; i++) {
      if (s[i] == '"' && putc('"', out) == EOF)
        return -1;
      if (putc(s[i], out) == EOF)
        return -1;
    }
    if (putc('"', out) == EOF)
      return -1;
  } else if (n > 0 && fwrite(s, 1, n, out) != n) {
    return -1;
  }
  return putc(last ? '\n' : ',', out) == EOF ? -1 : 0;
}

static int put_str(FILE *out, const char *s, bool last) {
  return put_field(out, s ? s : "", s ? strlen(s) : 0, last);
}

enum ck_status ck_cohort_write_rejects(FILE *out, const struct ck_cohort *c) {
  if (fputs("file,line,column,value,reason,row\n", out) == EOF)
    return CK_EIO;
  for (size_t i = 0; i < c->n_issues; i++) {
    const struct ck_issue *is = &c->issues[i];
    if (is->kind != CK_ISSUE_REJECT)
      continue;
    char line[32];
    snprintf(line, sizeof line, "%ld", is->line);
    if (put_str(out, c->inputs[is->input].path, false) ||
        put_str(out, line, false) || put_str(out, is->column, false) ||
        put_str(out, is->value, false) || put_str(out, is->reason, false) ||
        put_str(out, is->raw, true))
      return CK_EIO;
  }
  return ferror(out) ? CK_EIO : CK_OK;
}
