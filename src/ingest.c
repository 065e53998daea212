/*
 * ingest.c - applicant CSV files -> accepted records, exclusions, rejects
 * SPDX-License-Identifier: MIT
 *
 * Bytes flow:  read buffer -> SHA-256 + byte count -> head check (BOM,
 * UTF-16) -> line splitter -> libcsv (strict) -> field callback (row
 * buffer) -> row callback (header or data row) -> a part (counts, kept
 * records, tally, issues, ID fingerprints) -> merged into the cohort.
 *
 * The careful path: the line splitter hands libcsv one piece at a time,
 * each ending right after a line break byte (or at the end of the chunk),
 * so that every callback knows the physical line it is on and the line
 * where the current record started.  libcsv silently skips blank lines; the
 * splitter counts them.  After a parse error (stray quote, field too long)
 * the parser is rebuilt and input resumes after the next line break.
 *
 * The block path (files, ID fingerprints): the file is read in blocks that
 * end on a line feed; the first block (the header) and any block the fast
 * parser gives up on go through the careful path, in file order, carrying
 * its state from block to block.  Every other block is parsed whole by a
 * fresh libcsv parser on a worker thread, which places each record on its
 * lines by counting the line feeds inside its fields and skipping the
 * block's blank lines (fast_row).  Its result is used only when the block
 * before it ended outside any record (so this block starts where a single
 * parser would start a record), the records' lines and the blank lines add
 * up to the block's line feeds (no record left open, none misplaced), and
 * there was no lone CR, parse error or overlong row.  Rejected rows keep
 * their bytes from the block; unknown specialty names are numbered per
 * block and renumbered in file order at the merge (part_number_names).
 * Otherwise the block is redone by the careful path.  By induction on the
 * blocks the result is the single-threaded one (docs/performance.md).
 *
 * Duplicate IDs: the block path keeps a 64-bit fingerprint per ID (8 bytes
 * instead of the ID) and looks for equal fingerprints at the end of each
 * file.  Any hit (a real duplicate, or a 1-in-2^64 accident) makes the
 * cohort read all its files again with the exact ID set, which names the
 * first holder of each duplicate.
 *
 * libcsv's realloc hook has no user pointer: the field size cap lives in a
 * thread-local variable set for the duration of each ingest call.
 */
#include "ckcohort/ingest.h"
#include "classify.h"
#include "header.h"
#include "ingest_impl.h"
#include "schema.h"
#include "util.h"
#include "config_internal.h"

#include <csv.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* ------------------------------------------------------ fingerprints -- */

/* ID fingerprints, spread over 256 parts by their top byte and kept in
 * chunks, so that growing never copies and checking one part at a time
 * needs only a small table. */
static void fp_add(struct fpstore *f, uint64_t h) {
  struct fp_part *p = &f->part[h >> 56];
  if (p->n == p->n_chunks * FP_CHUNK) {
    ck_grow((void **)&p->chunk, &p->cap_chunks, p->n_chunks + 1,
            sizeof *p->chunk);
    p->chunk[p->n_chunks++] = ck_xmalloc(FP_CHUNK * sizeof **p->chunk);
  }
  p->chunk[p->n / FP_CHUNK][p->n % FP_CHUNK] = h;
  p->n++;
  f->n++;
}

static void fp_free(struct fpstore *f) {
  for (size_t k = 0; k < FP_PARTS; k++) {
    for (size_t i = 0; i < f->part[k].n_chunks; i++)
      free(f->part[k].chunk[i]);
    free(f->part[k].chunk);
  }
  memset(f, 0, sizeof *f);
}

/* Whether two fingerprints are equal (fingerprints are never 0). */
static bool fp_any_equal(const struct fpstore *f) {
  uint64_t *t = NULL;
  size_t cap = 0;
  bool hit = false;
  for (size_t k = 0; k < FP_PARTS && !hit; k++) {
    const struct fp_part *p = &f->part[k];
    size_t need = 16;
    while (need < 2 * p->n)
      need *= 2;
    if (need > cap) {
      free(t);
      t = ck_xmalloc(need * sizeof *t);
      cap = need;
    }
    memset(t, 0, need * sizeof *t);
    for (size_t i = 0; i < p->n && !hit; i++) {
      uint64_t h = p->chunk[i / FP_CHUNK][i % FP_CHUNK];
      size_t j = (size_t)h & (need - 1);
      while (t[j] != 0 && t[j] != h)
        j = (j + 1) & (need - 1);
      hit = t[j] == h;
      t[j] = h;
    }
  }
  free(t);
  return hit;
}

/* ------------------------------------------------------------- tally -- */

static uint64_t tally_key(const struct ck_tally_row *t) {
  return (uint64_t)(uint16_t)t->match_year |
         (uint64_t)(uint16_t)t->target << 16 | (uint64_t)t->leaf << 32 |
         (uint64_t)t->matched << 40 | (uint64_t)t->matched_target << 41 |
         (uint64_t)t->program << 42;
}

static void tally_add(struct tally *t, const struct ck_tally_row *row) {
  bool added;
  size_t i = ck_u64map_put(&t->map, tally_key(row) + 1, t->n, &added);
  if (!added) {
    t->rows[i].n += row->n;
    return;
  }
  ck_grow((void **)&t->rows, &t->cap_rows, t->n + 1, sizeof *t->rows);
  t->rows[t->n++] = *row;
}

static void tally_free(struct tally *t) {
  free(t->rows);
  ck_u64map_free(&t->map);
  memset(t, 0, sizeof *t);
}

/* -------------------------------------------------------------- parts -- */

/* Texts that repeat on many rows point to static storage, not to a copy
 * each (a 5,000,000-row export can hold 130,000 retake-after-pass
 * warnings): canonical column names, and these reasons. */
static const char retake_after_pass[] =
    "follows a passed attempt; USMLE does not allow retaking a passed Step "
    "except to meet a state board's time limit";
static const char *const fixed_reasons[] = {
    retake_after_pass,
    "no first Step 2 CK score",
    "is outside the selected years",
};
#define N_FIXED (sizeof fixed_reasons / sizeof fixed_reasons[0])

static bool fixed_column(const char *s) {
  for (int k = 0; k < CK_COL_N; k++)
    if (s == ck_col_name(k))
      return true;
  return false;
}

static bool fixed_reason(const char *s) {
  for (size_t k = 0; k < N_FIXED; k++)
    if (s == fixed_reasons[k])
      return true;
  return false;
}

/* A reason as text the issue owns, or the static copy of a fixed one. */
static char *reason_text(const char *buf) {
  for (size_t k = 0; k < N_FIXED; k++)
    if (strcmp(buf, fixed_reasons[k]) == 0)
      return (char *)fixed_reasons[k];
  return ck_xstrdup(buf);
}

static void issue_free(struct ck_issue *is) {
  if (!fixed_column(is->column))
    free(is->column);
  free(is->value);
  if (!fixed_reason(is->reason))
    free(is->reason);
  free(is->raw);
}

static void input_ignored_free(struct ck_input *in) {
  for (size_t i = 0; i < in->n_ignored; i++)
    free(in->ignored[i]);
  free(in->ignored);
  in->ignored = NULL;
  in->n_ignored = in->cap_ignored = 0;
}

void part_free(struct part *p) {
  for (size_t i = 0; i < p->n_issues; i++)
    issue_free(&p->issues[i]);
  free(p->issues);
  free(p->recs);
  tally_free(&p->tally);
  free(p->fps);
  for (size_t i = 0; i < p->n_unk; i++)
    free(p->unk[i]);
  free(p->unk);
  free(p->unk_note);
  memset(p, 0, sizeof *p);
}

/* -------------------------------------------------------------- cohort -- */

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
  for (size_t i = 0; i < c->n_inputs; i++) {
    free(c->inputs[i].path);
    input_ignored_free(&c->inputs[i]);
  }
  for (size_t i = 0; i < c->n_issues; i++)
    issue_free(&c->issues[i]);
  struct ck_cohort_private *p = c->priv;
  fp_free(&p->fps);
  tally_free(&p->tally);
  for (size_t i = 0; i < p->n_specs; i++)
    free(p->spec_names[i]);
  free(p->spec_names);
  ck_strset_free(&p->ids);
  ck_strset_free(&p->specs);
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

void ck_cohort_blocks(const struct ck_cohort *c, size_t *fast,
                      size_t *careful) {
  if (fast)
    *fast = c->priv->fast_blocks;
  if (careful)
    *careful = c->priv->careful_blocks;
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

/* The fast path's current record as the careful path keeps it for a
 * reject: from the start of its first line through its last line break, at
 * most RAW_CAP bytes.  Rejects are few and come in file order, so one
 * forward scan of the block finds them all. */
static bool record_bytes(struct ingest *st, const char **s, size_t *n) {
  const char *b = st->blk, *e = st->blk + st->blk_n;
  while (st->seek_line < st->rec_line) {
    const char *p = memchr(b + st->seek_pos, '\n', st->blk_n - st->seek_pos);
    if (p == NULL)
      return false;
    st->seek_pos = (size_t)(p - b) + 1;
    st->seek_line++;
  }
  const char *start = b + st->seek_pos, *end = start;
  for (long k = 0; k <= st->rec_span; k++) {
    const char *p = memchr(end, '\n', (size_t)(e - end));
    if (p == NULL)
      return false;
    end = p + 1;
  }
  *s = start;
  *n = (size_t)(end - start) < RAW_CAP ? (size_t)(end - start) : RAW_CAP;
  return true;
}

static struct ck_issue *add_issue(struct ingest *st, enum ck_issue_kind kind,
                                  long line, int col, const char *val,
                                  size_t vn, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static struct ck_issue *add_issue(struct ingest *st, enum ck_issue_kind kind,
                                  long line, int col, const char *val,
                                  size_t vn, const char *fmt, ...) {
  struct ck_cohort *c = st->c;
  struct part *o = st->out;
  ck_grow((void **)&o->issues, &o->cap_issues, o->n_issues + 1,
          sizeof *o->issues);
  struct ck_issue *is = &o->issues[o->n_issues++];
  memset(is, 0, sizeof *is);
  is->kind = kind;
  is->input = st->input;
  is->line = line;
  is->column = col >= 0 && col < CK_COL_N ? (char *)ck_col_name(col)
                                           : NULL; /* static */
  is->value = val ? ck_xstrndup(val, vn) : NULL;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  is->reason = reason_text(buf);
  switch (kind) {
  case CK_ISSUE_REJECT: {
    o->rejected++;
    if (c->opt.keep_raw) {
      const char *r = st->raw;
      size_t n = st->raw_n;
      if (st->worker && !record_bytes(st, &r, &n))
        st->gave_up = true;
      while (n > 0 && (r[n - 1] == '\n' || r[n - 1] == '\r'))
        n--;
      is->raw = raw_copy(r, n);
    }
    break;
  }
  case CK_ISSUE_EXCLUDE:
    o->excluded++;
    break;
  case CK_ISSUE_WARNING:
    o->warnings++;
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

/* Store field idx of the current row (or note that the row is too big). */
static void store_field(struct ingest *st, const unsigned char *f, size_t len,
                        size_t idx) {
  if (st->overflow || idx >= ROW_FIELDS_CAP ||
      st->row_n + len > st->row_limit) {
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

void on_field(void *field, size_t len, void *data) {
  struct ingest *st = data;
  if (st->status != CK_OK)
    return;
  const unsigned char *f = field;
  size_t idx = st->nf++;
  if (st->bad_field < 0 && st->check_utf8) {
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
  store_field(st, f, len, idx);
}

/* The fast path's field callback, for blocks of 7-bit ASCII without NUL
 * (nothing to check per field).  A field of 1..32 bytes is copied as 32:
 * libcsv hands every field from the start of its entry buffer, which is
 * never smaller than its block size once it holds a byte (1,024, set in
 * parser_start), and the row buffer keeps 32 bytes of room, so both stay
 * inside their allocations. */
void fast_field(void *field, size_t len, void *data) {
  struct ingest *st = data;
  size_t idx = st->nf++;
  if (len <= 32 && idx < st->fast_idx_end && st->row_n <= st->fast_row_max) {
    st->foff[idx] = st->row_n;
    if (len > 0)
      memcpy(st->row + st->row_n, field, 32);
    st->row_n += len;
    st->foff[idx + 1] = st->row_n;
    return;
  }
  store_field(st, field, len, idx);
  fast_limits(st);
}

/* fast_field's bounds in two numbers: field idx fits when idx <
 * fast_idx_end (room in foff, under ROW_FIELDS_CAP, no overflow), a field
 * of up to 32 bytes when row_n <= fast_row_max (32 bytes of room in row,
 * under row_limit).  Recomputed whenever a buffer grows or a row ends. */
void fast_limits(struct ingest *st) {
  st->fast_idx_end = st->fast_row_max = 0;
  if (st->overflow || st->foff_cap < 2 || st->row_cap < 33 ||
      st->row_limit < 32)
    return; /* every field through store_field */
  size_t e = st->foff_cap - 1;
  st->fast_idx_end = e < ROW_FIELDS_CAP ? e : ROW_FIELDS_CAP;
  size_t a = st->row_cap - 33, b = st->row_limit - 32;
  st->fast_row_max = a < b ? a : b;
}

static inline struct span field_at(const struct ingest *st, size_t i) {
  struct span v = {st->row + st->foff[i], st->foff[i + 1] - st->foff[i]};
  if (v.n == 2 && v.s[0] == 'N' && v.s[1] == 'A')
    return (struct span){v.s, 0}; /* R's missing value (write.csv) */
  /* unquoted fields come trimmed from libcsv: only quoted ones can have
   * spaces at either end */
  if (v.n == 0 || ((unsigned char)v.s[0] > ' ' &&
                   (unsigned char)v.s[v.n - 1] > ' '))
    return v;
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
          st->row_limit);
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
  struct ck_header_cell *cells = ck_xcalloc(st->nf, sizeof *cells);
  for (size_t i = 0; i < st->nf; i++) {
    struct span v = field_at(st, i);
    st->hdr_names[i] = escape_bytes(v.s, v.n);
    cells[i] = (struct ck_header_cell){v.s, v.n, st->hdr_names[i]};
  }
  enum ck_status hs = ck_header_resolve(st->c->cfg, st->name, line, cells,
                                        st->nf, st->colmap, st->err);
  free(cells);
  if (hs != CK_OK) {
    st->status = hs;
    return;
  }
  /* every column not used is named: in the listing and the provenance */
  for (size_t i = 0; i < st->nf; i++) {
    if (st->colmap[i] >= 0)
      continue;
    char unnamed[48];
    const char *name = st->hdr_names[i];
    if (name[0] == '\0') {
      snprintf(unnamed, sizeof unnamed, "(column %zu, no name)", i + 1);
      name = unnamed;
    }
    add_issue(st, CK_ISSUE_NOTE, 0, -1, name, strlen(name),
              "unknown column \"%s\" ignored", name);
    grow_input(st);
    ck_grow((void **)&st->in->ignored, &st->in->cap_ignored,
            st->in->n_ignored + 1, sizeof *st->in->ignored);
    st->in->ignored[st->in->n_ignored++] = ck_xstrdup(name);
  }
  st->header_done = true;
}

/* ----------------------------------------------------------- data rows -- */

/* Slot hash for the memo (its entries are compared whole): length and the
 * first and last eight bytes. */
static uint64_t memo_hash(const char *s, size_t n) {
  uint64_t a = 0, b = 0;
  if (n >= 8) {
    memcpy(&a, s, 8);
    memcpy(&b, s + n - 8, 8);
  } else {
    for (size_t i = 0; i < n; i++)
      a = a << 8 | (unsigned char)s[i];
  }
  uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ull) ^ n) * 0xff51afd7ed558ccdull;
  return (h ^ (h >> 29)) | 1u;
}

/* The key unknown names are told apart by: normalised, or the bytes as
 * they are when they cannot be (too long). */
static size_t specialty_key(const char *s, size_t n, char *key, size_t cap,
                            const char **k) {
  size_t kn = ck_normalise_key(s, n, key, cap);
  *k = key;
  if (kn == 0)
    *k = s, kn = n;
  return kn;
}

/* A worker's unknown name: numbered within its part; the merge gives it
 * its number in the cohort (part_number_names). */
static int local_specialty(struct ingest *st, struct span v) {
  size_t nk = st->c->cfg->n_specialties;
  struct part *o = st->out;
  char key[256];
  const char *k;
  size_t kn = specialty_key(v.s, v.n, key, sizeof key, &k);
  bool added;
  struct ck_strset_entry *e = ck_strset_find(&st->wspecs, k, kn, true, &added);
  if (added) {
    if (nk + o->n_unk >= INT16_MAX) {
      st->gave_up = true; /* the careful path says "too many" */
      return -1;
    }
    e->a = (uint32_t)o->n_unk;
    ck_grow((void **)&o->unk, &o->cap_unk, o->n_unk + 1, sizeof *o->unk);
    ck_grow((void **)&o->unk_note, &o->cap_unk_note, o->n_unk + 1,
            sizeof *o->unk_note);
    o->unk_note[o->n_unk] = o->n_issues;
    o->unk[o->n_unk++] = ck_xstrndup(v.s, v.n);
    /* where the careful path would note the name; kept or dropped, and
     * worded, by the merge */
    add_issue(st, CK_ISSUE_NOTE, 0, -1, NULL, 0, "unknown specialty");
  }
  return (int)(nk + e->a);
}

/* The careful path's unknown name: numbered in the cohort at once, noted
 * the first time each input names it. */
static int cohort_specialty(struct ingest *st, struct span v, bool *full) {
  const struct ck_config *cfg = st->c->cfg;
  struct ck_cohort_private *p = st->c->priv;
  char key[256];
  const char *k;
  size_t kn = specialty_key(v.s, v.n, key, sizeof key, &k);
  struct ck_strset_entry *e = ck_strset_find(&p->specs, k, kn, false, NULL);
  if (e == NULL) {
    if (cfg->n_specialties + p->n_specs >= INT16_MAX) {
      *full = true;
      return -1;
    }
    e = ck_strset_find(&p->specs, k, kn, true, NULL);
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

/* Once a reader has met a spelling its index no longer changes (an unknown
 * name's note is added the first time), so the memo keeps unknown names
 * too. */
static int specialty_index(struct ingest *st, struct span v, bool *full) {
  struct spec_memo *m = NULL;
  uint64_t h = 0;
  if (v.n <= sizeof m->s) {
    h = memo_hash(v.s, v.n);
    m = &st->memo[h & (SPEC_CACHE - 1)];
    if (m->h == h && m->len == v.n && memcmp(m->s, v.s, v.n) == 0)
      return m->index;
  }
  int i = ck_config_specialty_find(st->c->cfg, v.s, v.n);
  if (i < 0)
    i = st->worker ? local_specialty(st, v) : cohort_specialty(st, v, full);
  if (i >= 0 && m != NULL) {
    m->h = h;
    m->len = (uint8_t)v.n;
    m->index = (int16_t)i;
    memcpy(m->s, v.s, v.n);
  }
  return i;
}

/* An accepted row: kept whole, or (with opt.tally, when no statistic needs
 * it one by one) only counted under its key. */
static void accept(struct ingest *st, const struct ck_record *r) {
  struct part *o = st->out;
  o->accepted++;
  if (st->c->opt.tally) {
    struct ck_class k;
    ck_classify(st->c->cfg, r, &k);
    if (!k.retook && k.leaf != CK_G_FAILED_THEN_PASSED &&
        !ck_group_contains(CK_G_LOW_PASS, k.leaf)) {
      struct ck_tally_row t = {r->match_year, r->target, (uint8_t)k.leaf,
                               (uint8_t)(r->matched != 0),
                               (uint8_t)k.matched_target,
                               (uint8_t)r->program, 1};
      tally_add(&o->tally, &t);
      return;
    }
  }
  ck_grow((void **)&o->recs, &o->cap_recs, o->n_recs + 1, sizeof *o->recs);
  o->recs[o->n_recs++] = *r;
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
      st->out->blank++;
      return;
    }
  }
  st->out->read++;
  struct span none = {NULL, 0};
  /* Field count first: too many fields also stops storing the row. */
  if (st->nf != st->hdr_n)
    REJECT(-1, none, "row has %zu field%s, header has %zu", st->nf,
           st->nf == 1 ? "" : "s", st->hdr_n);
  if (st->overflow)
    REJECT(-1, none, "row longer than %zu bytes", st->row_limit);
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
  if (c->priv->exact) {
    bool added;
    struct ck_strset_entry *e = ck_strset_find(&c->priv->ids, id.s, id.n, true, &added);
    if (!added)
      REJECT(CK_COL_STUDENT_ID, id, "is a duplicate of %s:%u",
             c->inputs[e->a].path, (unsigned)e->b);
    e->a = st->input;
    e->b = (uint32_t)line;
  } else {
    struct part *o = st->out;
    if (o->n_fps == o->cap_fps)
      ck_grow((void **)&o->fps, &o->cap_fps, o->n_fps + 1, sizeof *o->fps);
    o->fps[o->n_fps++] = ck_hash_bytes(id.s, id.n);
  }

  if (n_att == 0) {
    add_issue(st, CK_ISSUE_EXCLUDE, line, CK_COL_ATTEMPT1, NULL, 0,
              "no first Step 2 CK score");
    st->out->excluded_no_score++;
    return;
  }
  if ((c->opt.year_from && r.match_year < c->opt.year_from) ||
      (c->opt.year_to && r.match_year > c->opt.year_to)) {
    add_issue(st, CK_ISSUE_EXCLUDE, line, CK_COL_MATCH_YEAR,
              val[CK_COL_MATCH_YEAR].s, val[CK_COL_MATCH_YEAR].n,
              "is outside the selected years");
    st->out->excluded_years++;
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
      st->out->retake_after_pass++;
      break;
    }
  }
  accept(st, &r);
}

#undef REJECT

void on_row(int ch, void *data) {
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
  if (st->chunk_plain)
    st->check_utf8 = false; /* the next record's bytes are all plain */
  if (st->fast_idx_end == 0) /* the row overflowed: it has been reset */
    fast_limits(st);
}

/* ------------------------------------------------------------ splitter -- */

static void raw_append(struct ingest *st, const char *s, size_t n) {
  if (st->raw_n >= RAW_CAP)
    return;
  if (n > RAW_CAP - st->raw_n)
    n = RAW_CAP - st->raw_n;
  if (!st->c->opt.keep_raw) { /* only whether a line had bytes counts */
    st->raw_n += n;
    return;
  }
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

void parser_stop(struct ingest *st) {
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
  st->out->read++;
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
    size_t done = csv_parse(&st->p, s, n,
                            st->check_utf8 || !st->wide ? on_field
                                                        : fast_field,
                            on_row, st);
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
        st->out->blank++;
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

/* 7-bit ASCII without NUL: no field made of these bytes needs a UTF-8
 * check.  Eight bytes at a time, for a high bit or a zero byte. */
bool plain_bytes(const char *s, size_t n) {
  uint64_t hi = 0, zero = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    memcpy(&x, s + i, 8);
    hi |= x;
    zero |= (x - 0x0101010101010101ull) & ~x;
  }
  for (; i < n; i++) {
    unsigned char b = (unsigned char)s[i];
    hi |= b;
    zero |= b == 0 ? 0x80u : 0u;
  }
  return ((hi | zero) & 0x8080808080808080ull) == 0;
}

/* Split into pieces that end on a line break (LF or CR).  A field that
 * started in earlier bytes may hold non-plain ones: check_utf8 is cleared
 * only when a record ends inside plain bytes (on_row). */
static void feed_text(struct ingest *st, const char *s, size_t n) {
  st->chunk_plain = plain_bytes(s, n);
  if (!st->chunk_plain)
    st->check_utf8 = true;
  const char *e = s + n, *p = s;
  const char *cr = memchr(s, '\r', n);
  while (p < e && st->status == CK_OK) {
    const char *lf = memchr(p, '\n', (size_t)(e - p));
    const char *end = lf ? lf + 1 : e;
    if (cr != NULL && cr < p)
      cr = memchr(p, '\r', (size_t)(e - p));
    if (cr != NULL && cr < end)
      end = cr + 1;
    feed_piece(st, p, (size_t)(end - p));
    p = end;
  }
  st->chunk_plain = false;
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

/* Bytes after the digest: the head check, then the line splitter. */
void feed_bytes(struct ingest *st, const char *s, size_t n) {
  if (st->status != CK_OK || n == 0)
    return;
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

void digest(struct ingest *st, const char *s, size_t n) {
  EVP_DigestUpdate(st->md, s, n);
  st->in->bytes += n;
}

static void feed(struct ingest *st, const char *s, size_t n) {
  if (st->status != CK_OK || n == 0)
    return;
  digest(st, s, n);
  feed_bytes(st, s, n);
}

/* Number a worker part's unknown names in the cohort, in the order the
 * block first named them (so in file order, blocks being merged in file
 * order), as the careful path would have when it met them: new names get
 * the next numbers, and the note stays where the name was first met if
 * this input has not named it before (else it is dropped: reason NULL).
 * Fills map[i] with name i's index.  The caller has checked that the
 * numbers fit (merge_job). */
static void part_number_names(struct ck_cohort *c, uint32_t input,
                              struct part *p, int16_t *map) {
  struct ck_cohort_private *cp = c->priv;
  for (size_t i = 0; i < p->n_unk; i++) {
    char key[256];
    const char *k;
    size_t kn = specialty_key(p->unk[i], strlen(p->unk[i]), key, sizeof key,
                              &k);
    bool added;
    struct ck_strset_entry *e = ck_strset_find(&cp->specs, k, kn, true, &added);
    if (added) {
      e->a = (uint32_t)cp->n_specs;
      ck_grow((void **)&cp->spec_names, &cp->cap_specs, cp->n_specs + 1,
              sizeof *cp->spec_names);
      cp->spec_names[cp->n_specs++] = p->unk[i];
      p->unk[i] = NULL;
    }
    map[i] = (int16_t)(c->cfg->n_specialties + e->a);
    struct ck_issue *is = &p->issues[p->unk_note[i]];
    if (!fixed_reason(is->reason))
      free(is->reason);
    is->reason = NULL;
    if (e->b != input + 1) {
      e->b = input + 1;
      const char *name = cp->spec_names[e->a];
      char buf[512];
      snprintf(buf, sizeof buf, "unknown specialty \"%s\" kept without a tier",
               name);
      is->value = ck_xstrdup(name);
      is->reason = ck_xstrdup(buf);
    }
  }
}

/* Add part p to the cohort as rows of input `input`; a worker's lines are
 * 0-based in its block, which starts on line `base` (0 for the careful
 * path's absolute lines).  p is left empty. */
void part_merge(struct ck_cohort *c, uint32_t input, struct part *p,
                       long base) {
  int16_t *map = NULL;
  size_t nk = c->cfg->n_specialties;
  if (p->n_unk > 0) {
    map = ck_xmalloc(p->n_unk * sizeof *map);
    part_number_names(c, input, p, map);
  }
  struct ck_input *in = &c->inputs[input];
  in->read += p->read, c->read += p->read;
  in->accepted += p->accepted, c->accepted += p->accepted;
  in->excluded += p->excluded, c->excluded += p->excluded;
  in->rejected += p->rejected, c->rejected += p->rejected;
  in->warnings += p->warnings, c->warnings += p->warnings;
  in->blank += p->blank, c->blank += p->blank;
  c->excluded_no_score += p->excluded_no_score;
  c->excluded_years += p->excluded_years;
  c->retake_after_pass += p->retake_after_pass;
  if (p->n_issues) {
    ck_grow((void **)&c->issues, &c->priv->cap_issues,
            c->n_issues + p->n_issues, sizeof *c->issues);
    for (size_t i = 0; i < p->n_issues; i++) {
      if (p->issues[i].reason == NULL) { /* a note the input already has */
        issue_free(&p->issues[i]);
        continue;
      }
      struct ck_issue *is = &c->issues[c->n_issues++];
      *is = p->issues[i];
      if (is->kind != CK_ISSUE_NOTE) /* notes are about the file: line 0 */
        is->line += base;
    }
    p->n_issues = 0;
  }
  if (p->n_recs) {
    ck_grow((void **)&c->records, &c->priv->cap_records,
            c->n_records + p->n_recs, sizeof *c->records);
    for (size_t i = 0; i < p->n_recs; i++) {
      struct ck_record *r = &c->records[c->n_records++];
      *r = p->recs[i];
      r->line = (uint32_t)(r->line + base);
      if (map && r->target >= (int)nk)
        r->target = map[r->target - (int)nk];
      if (map && r->matched_specialty >= (int)nk)
        r->matched_specialty = map[r->matched_specialty - (int)nk];
    }
  }
  for (size_t i = 0; i < p->tally.n; i++) {
    struct ck_tally_row t = p->tally.rows[i];
    if (map && t.target >= (int)nk)
      t.target = map[t.target - (int)nk];
    tally_add(&c->priv->tally, &t);
  }
  free(map);
  c->tally = c->priv->tally.rows;
  c->n_tally = c->priv->tally.n;
  for (size_t i = 0; i < p->n_fps; i++)
    fp_add(&c->priv->fps, p->fps[i]);
  part_free(p);
}

/* What every reader of c's rows starts from, careful or fast: no row yet,
 * the limits of c's options, a fresh strict parser. */
void reader_init(struct ingest *st, struct ck_cohort *c) {
  memset(st, 0, sizeof *st);
  st->c = c;
  st->check_utf8 = true;
  st->bad_field = -1;
  st->row_limit = 16 * c->opt.max_field;
  /* fast_field's wide copies need libcsv's buffer to grow in whole blocks */
  st->wide = c->opt.max_field + 1 >= 1024;
  /* libcsv grows its buffer before looking at each byte, including the one
   * that ends the field: a field of max_field bytes needs max_field + 1. */
  field_cap = c->opt.max_field + 1;
  parser_start(st);
}

void ingest_begin(struct ingest *st, struct ck_cohort *c,
                         const char *name, struct ck_error *err) {
  reader_init(st, c);
  st->out = &st->own;
  st->name = name;
  st->err = err;
  ck_grow((void **)&c->inputs, &c->priv->cap_inputs, c->n_inputs + 1,
          sizeof *c->inputs);
  st->input = (uint32_t)c->n_inputs++;
  grow_input(st);
  memset(st->in, 0, sizeof *st->in);
  st->in->path = ck_xstrdup(name);
  st->line = 1;
  st->md = EVP_MD_CTX_new();
  if (st->md == NULL || !EVP_DigestInit_ex(st->md, EVP_sha256(), NULL)) {
    st->status = CK_ENOMEM;
    ck_error_set(err, CK_ENOMEM, name, 0, NULL, "cannot start SHA-256");
  }
}

enum ck_status ingest_end(struct ingest *st) {
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
      st->out->blank++;
  }
  parser_stop(st);
  if (st->status == CK_OK && !st->header_done)
    fatal(st, 0, NULL, "file is empty (no header row)");
  part_merge(st->c, st->input, &st->own, 0);
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

/* strerror(e) as a clause: "no such file or directory". */
static void error_clause(int e, char *buf, size_t n) {
  snprintf(buf, n, "%s", strerror(e));
  if (buf[0] >= 'A' && buf[0] <= 'Z')
    buf[0] = (char)(buf[0] - 'A' + 'a');
}

/* A read error after the reading started (the first one wins). */
void read_failed(struct ingest *st, const char *path, int e) {
  if (e == 0 || st->status != CK_OK)
    return;
  char msg[128];
  error_clause(e, msg, sizeof msg);
  st->status = CK_EIO;
  ck_error_set(st->err, CK_EIO, path, 0, NULL, "cannot read: %s", msg);
}

/* ------------------------------------------------------------ entries -- */

/* One file through the careful path alone (exact ID mode). */
static enum ck_status ingest_careful(struct ck_cohort *c, const char *path,
                                     FILE *f, struct ck_error *err) {
  char *buf = ck_xmalloc(READ_CHUNK);
  struct ingest st;
  ingest_begin(&st, c, path, err);
  c->priv->careful_blocks++;
  size_t n;
  while (st.status == CK_OK && (n = fread(buf, 1, READ_CHUNK, f)) > 0)
    feed(&st, buf, n);
  int rerr = ferror(f) ? (errno ? errno : EIO) : 0;
  free(buf);
  read_failed(&st, path, rerr);
  return ingest_end(&st);
}

static FILE *open_input(const char *path, struct ck_error *err,
                        enum ck_status *st) {
  FILE *f = fopen(path, "rb");
  char msg[128];
  if (f == NULL) {
    error_clause(errno, msg, sizeof msg);
    *st = ck_error_set(err, CK_EIO, path, 0, NULL, "cannot open: %s", msg);
    return NULL;
  }
  struct stat sb;
  if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
    fclose(f);
    *st = ck_error_set(err, CK_EIO, path, 0, NULL, "is a directory");
    return NULL;
  }
  return f;
}

/* Forget everything read and read the files again with whole IDs, so that
 * duplicates are found and named exactly. */
static enum ck_status restart_exact(struct ck_cohort *c,
                                    struct ck_error *err) {
  size_t n = c->n_inputs;
  char **paths = ck_xcalloc(n ? n : 1, sizeof *paths);
  for (size_t i = 0; i < n; i++) {
    paths[i] = c->inputs[i].path;
    input_ignored_free(&c->inputs[i]); /* named again on the new reading */
  }
  for (size_t i = 0; i < c->n_issues; i++)
    issue_free(&c->issues[i]);
  struct ck_cohort_private *p = c->priv;
  for (size_t i = 0; i < p->n_specs; i++)
    free(p->spec_names[i]);
  p->n_specs = 0;
  ck_strset_free(&p->specs);
  memset(&p->specs, 0, sizeof p->specs);
  fp_free(&p->fps);
  tally_free(&p->tally);
  c->n_inputs = c->n_records = c->n_issues = c->n_tally = 0;
  c->tally = NULL;
  c->read = c->accepted = c->excluded = c->rejected = c->warnings = 0;
  c->blank = c->excluded_no_score = c->excluded_years = 0;
  c->retake_after_pass = 0;
  p->exact = true;
  enum ck_status st = CK_OK;
  for (size_t i = 0; i < n && st == CK_OK; i++) {
    FILE *f = open_input(paths[i], err, &st);
    if (f != NULL) {
      st = ingest_careful(c, paths[i], f, err);
      fclose(f);
    }
  }
  for (size_t i = 0; i < n; i++)
    free(paths[i]);
  free(paths);
  return st;
}

enum ck_status ck_ingest_buffer(struct ck_cohort *c, const char *name,
                                const char *buf, size_t len, size_t chunk,
                                struct ck_error *err) {
  if (c == NULL || name == NULL || (buf == NULL && len > 0) || c->priv->done)
    return ck_error_set(err, CK_EUSAGE, name, 0, NULL, "bad arguments");
  /* a buffer cannot be read again: its IDs are kept whole from the start */
  if (!c->priv->exact) {
    enum ck_status st = restart_exact(c, err);
    if (st != CK_OK)
      return st;
  }
  struct ingest st;
  ingest_begin(&st, c, name, err);
  c->priv->careful_blocks++;
  if (chunk == 0)
    chunk = len ? len : 1;
  for (size_t off = 0; off < len && st.status == CK_OK; off += chunk)
    feed(&st, buf + off, len - off < chunk ? len - off : chunk);
  return ingest_end(&st);
}

void ck_cohort_done(struct ck_cohort *c) {
  if (c == NULL)
    return;
  c->priv->done = true;
  fp_free(&c->priv->fps);
  ck_strset_free(&c->priv->ids);
  memset(&c->priv->ids, 0, sizeof c->priv->ids);
#ifdef __GLIBC__
  malloc_trim(0); /* the fingerprints' chunks go back before the analysis */
#endif
}

enum ck_status ck_ingest_file(struct ck_cohort *c, const char *path,
                              struct ck_error *err) {
  if (c == NULL || path == NULL || c->priv->done)
    return ck_error_set(err, CK_EUSAGE, path, 0, NULL, "bad arguments");
  enum ck_status st = CK_OK;
  FILE *f = open_input(path, err, &st);
  if (f == NULL)
    return st;
  if (c->priv->exact) {
    st = ingest_careful(c, path, f, err);
    fclose(f);
    return st;
  }
  st = ingest_blocks(c, path, f, err);
  fclose(f);
  if (fp_any_equal(&c->priv->fps)) {
    enum ck_status again = restart_exact(c, err);
    if (again != CK_OK || st == CK_OK)
      st = again;
  }
  return st;
}
