/*
 * csvread.c - the careful path's reader: head check (BOM, UTF-16, binary),
 * line splitter, strict libcsv and its field and row callbacks
 * SPDX-License-Identifier: MIT
 *
 * The line splitter hands libcsv one piece at a time, each ending right
 * after a line break byte (or at the end of the chunk), so that every
 * callback knows the physical line it is on and the line where the current
 * record started.  libcsv silently skips blank lines; the splitter counts
 * them.  After a parse error (stray quote, field too long) the parser is
 * rebuilt and input resumes after the next line break.  A finished row goes
 * to the row rules (ingest_rows.c); the block path's workers use the same
 * callbacks on whole blocks (ingest_blocks.c).
 *
 * libcsv's realloc hook has no user pointer: the field size cap lives in a
 * thread-local variable set for the duration of each ingest call.
 */
#include "csvread.h"
#include "ingest_impl.h"
#include "schema.h"
#include "util.h"

#include <csv.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

/* One field of a block read in place by split_block: as on_field, or, for
 * 7-bit ASCII, as fast_field does but reading 32 bytes only when the block
 * (end) has them. */
static inline void block_field(struct ingest *st, const char *f, size_t len,
                               const char *end) {
  if (st->check_utf8) {
    on_field((void *)(uintptr_t)f, len, st);
    return;
  }
  size_t idx = st->nf++;
  if (len <= 32 && idx < st->fast_idx_end && st->row_n <= st->fast_row_max &&
      end - f >= 32) {
    st->foff[idx] = st->row_n;
    memcpy(st->row + st->row_n, f, 32);
    st->row_n += len;
    st->foff[idx + 1] = st->row_n;
    return;
  }
  store_field(st, (const unsigned char *)f, len, idx);
  fast_limits(st);
}

/* Bytes that end an unquoted field or make it an error. */
static const unsigned char field_stop[256] = {
    ['\n'] = 1, ['\r'] = 1, [','] = 1, ['"'] = 1};

/* A word with 0x80 in each byte of x that is zero, and maybe in bytes above
 * such a byte (a borrow), never below the first one. */
static inline uint64_t zero_bytes(uint64_t x) {
  return (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
}

/* 0x80 in exactly the bytes of x that are zero. */
static inline uint64_t zero_bytes_exact(uint64_t x) {
  const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
  return ~(((x & low7) + low7) | x) & 0x8080808080808080ull;
}

/* How many bytes of a zero_bytes_exact mask are flagged (without a
 * popcount instruction the portable build would call libgcc for). */
static inline long flagged(uint64_t m) {
  return (long)(((m >> 7) * 0x0101010101010101ull) >> 56);
}

/* The first quote in [q, e), or e; *lf counts the line feeds before it. */
static inline const char *quote_end(const char *q, const char *e, long *lf) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t ones = 0x0101010101010101ull;
  while (e - q >= 8) {
    uint64_t x;
    memcpy(&x, q, 8);
    uint64_t mq = zero_bytes_exact(x ^ (ones * '"'));
    uint64_t ml = zero_bytes_exact(x ^ (ones * '\n'));
    if (mq != 0) {
      *lf += flagged(ml & ((mq & -mq) - 1));
      return q + (__builtin_ctzll(mq) >> 3);
    }
    *lf += flagged(ml);
    q += 8;
  }
#endif
  for (; q < e && *q != '"'; q++)
    *lf += *q == '\n';
  return q;
}

/* The first byte in [q, e) that ends an unquoted field (field_stop), or e:
 * eight bytes at a time while the block has them. */
static inline const char *unquoted_end(const char *q, const char *e) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t ones = 0x0101010101010101ull;
  while (e - q >= 8) {
    uint64_t x;
    memcpy(&x, q, 8);
    uint64_t m = zero_bytes(x ^ (ones * ',')) | zero_bytes(x ^ (ones * '"')) |
                 zero_bytes(x ^ (ones * '\n')) | zero_bytes(x ^ (ones * '\r'));
    if (m != 0) /* little-endian: the lowest flagged byte comes first */
      return q + (__builtin_ctzll(m) >> 3);
    q += 8;
  }
#endif
  while (q < e && !field_stop[(unsigned char)*q])
    q++;
  return q;
}

bool split_block(struct ingest *st, const char *s, size_t n, long *lines) {
  const char *p = s, *e = s + n;
  size_t maxf = st->c->opt.max_field;
  char *tmp = NULL; /* a quoted field with doubled quotes, unescaped */
  size_t tmp_cap = 0;
  bool ok = false;
  bool row_begun = false; /* libcsv's FIELD_NOT_BEGUN (after a comma) */
  bool rec_open = false;  /* a record has started and not ended */
  bool line_used = false; /* a record ended on this line (at a CR) */
  long line = 0, span = 0;
  while (p < e) {
    const char *f0 = p; /* the field's first byte, spaces included */
    while (p < e && (*p == ' ' || *p == '\t'))
      p++;
    if (p == e)
      goto out; /* spaces without a line break: only the careful path ends */
    char c = *p;
    if (c == '\r' || c == '\n') {
      p++;
      if (row_begun) { /* "a,\n": an empty last field */
        block_field(st, p, 0, e);
        goto row_end;
      }
      if (c == '\n') { /* a line of spaces, tabs and CRs, or a CRLF's LF */
        if (!line_used)
          st->out->blank++;
        line++;
        line_used = false;
      }
      continue;
    }
    if (!rec_open) {
      rec_open = true;
      st->rec_line = line;
      span = 0;
    }
    if (c == ',') {
      block_field(st, p, 0, e);
      row_begun = true;
      p++;
      continue;
    }
    const char *t; /* the byte that ends the field */
    if (c != '"') {
      const char *q = unquoted_end(p + 1, e);
      if (q == e || *q == '"')
        goto out; /* no line break, or a stray quote (libcsv: CSV_EPARSE) */
      t = q;
      while (q[-1] == ' ' || q[-1] == '\t') /* trailing spaces; p[0] is not */
        q--;
      /* libcsv's entry buffer holds every byte read since p: within the
       * field size cap when the whole stretch is */
      if ((size_t)(t - f0) > maxf)
        goto out;
      block_field(st, p, (size_t)(q - p), e);
    } else {
      const char *q = p + 1, *r;
      size_t tn = 0;
      bool doubled = false;
      for (;;) {
        r = quote_end(q, e, &span);
        if (r >= e - 1)
          goto out; /* unterminated in the block */
        if (r[1] != '"')
          break;
        /* "" stands for one quote: the bytes so far and it */
        size_t k = (size_t)(r + 1 - q);
        if (tn + k > tmp_cap)
          ck_grow((void **)&tmp, &tmp_cap, tn + k, 1);
        memcpy(tmp + tn, q, k);
        tn += k;
        doubled = true;
        q = r + 2;
      }
      t = r + 1;
      while (t < e && (*t == ' ' || *t == '\t'))
        t++;
      if (t == e || (*t != ',' && *t != '\r' && *t != '\n'))
        goto out; /* a byte after the closing quote: libcsv's CSV_EPARSE */
      if ((size_t)(t - f0) > maxf)
        goto out;
      if (doubled) {
        size_t k = (size_t)(r - q);
        if (tn + k > tmp_cap)
          ck_grow((void **)&tmp, &tmp_cap, tn + k, 1);
        if (k > 0)
          memcpy(tmp + tn, q, k);
        tn += k;
        block_field(st, tmp, tn, tmp + tn);
      } else {
        block_field(st, p + 1, (size_t)(r - p - 1), e);
      }
    }
    p = t + 1;
    c = *t;
    if (c == ',') {
      row_begun = true;
      continue;
    }
  row_end: /* c, the CR or LF before p, ends the record */
    st->rec_span = span;
    line += span;
    on_row(c, st);
    if (st->gave_up || st->status != CK_OK)
      goto out;
    row_begun = rec_open = false;
    line_used = c == '\r';
    if (c == '\n')
      line++;
  }
  ok = !rec_open;
  *lines = line;
out:
  free(tmp);
  return ok;
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

void on_row(int ch, void *data) {
  (void)ch;
  struct ingest *st = data;
  if (st->status != CK_OK)
    return;
  rules_row(st);
  row_reset(st);
  st->rec_open = false;
  st->raw_n = 0; /* a row ends on the last byte of a piece */
  if (st->chunk_plain)
    st->check_utf8 = false;  /* the next record's bytes are all plain */
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
void record_error(struct ingest *st, const char *reason) {
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
                            st->check_utf8 || !st->wide ? on_field : fast_field,
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
  if (n >= 2 &&
      ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF))) {
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
  if (st->md != NULL)
    EVP_DigestUpdate(st->md, s, n);
  st->in->bytes += n;
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

/* The end of the input: what the splitter and libcsv still hold. */
void reader_finish(struct ingest *st) {
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
}
