/*
 * ingest_impl.h - what ingest.c (cohort, parts, issues, merging),
 * ingest_rows.c (row rules), csvread.c (line splitter, libcsv callbacks)
 * and ingest_blocks.c (the block path's thread pool and fast parser) share;
 * private to those files
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_INGEST_IMPL_H
#define CK_INGEST_IMPL_H

#include "ckcohort/ingest.h"
#include "cohort.h"
#include "csvread.h"
#include "fpstore.h"
#include "hashmap.h"
#include "schema.h"

#include <csv.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define READ_CHUNK     (64u * 1024u)
#define FIRST_BLOCK    (64u * 1024u) /* block 0 (the header): careful path */
#define BLOCK_DEFAULT  (1024u * 1024u)
#define THREADS_MAX    8u
#define HEAD_BYTES     512u /* first bytes checked for UTF-16/binary */
#define RAW_CAP        (1024u * 1024u) /* bytes of a rejected row kept */
#define ROW_FIELDS_CAP 4096u           /* fields of one row stored */

/* Accepted rows counted per key (ck_cohort.tally). */
struct tally {
  struct ck_tally_row *rows;
  size_t n, cap_rows;
  struct ck_u64map map; /* key + 1 -> index in rows */
};

/* What one stretch of input adds to the cohort.  Lines are absolute, or
 * (from a worker) 0-based within the block, fixed when merged. */
struct part {
  size_t read, accepted, excluded, rejected, warnings, blank;
  size_t excluded_no_score, excluded_years, retake_after_pass;
  struct ck_record *recs;
  size_t n_recs, cap_recs;
  struct ck_issue *issues;
  size_t n_issues, cap_issues;
  struct tally tally;
  uint64_t *fps; /* ID fingerprints, spread over c's store when merged */
  size_t n_fps, cap_fps;
  /* A worker's unknown specialty names, in the order the block first names
   * them: name i stands as n_specialties + i in recs and tally until the
   * merge numbers it in file order (unk_note[i]: the issue that notes it). */
  char **unk;
  size_t *unk_note;
  size_t n_unk, cap_unk, cap_unk_note;
};

struct ck_cohort_private {
  bool exact;           /* IDs kept whole (else fingerprints) */
  bool done;            /* ck_cohort_done: no more inputs */
  struct ck_strset ids; /* exact: student_id -> a = input, b = line */
  struct fpstore fps;   /* otherwise: one fingerprint per ID */
  struct tally tally;   /* c->tally lives in tally.rows */
  struct ck_strset
      specs;         /* unknown specialty key -> a = index, b = input+1 noted */
  char **spec_names; /* display names of unknown specialties */
  size_t n_specs, cap_specs;
  size_t cap_records, cap_issues, cap_inputs;
  size_t fast_blocks, careful_blocks; /* ck_cohort_blocks */
};

struct span {
  const char *s;
  size_t n;
};

/* Specialty names repeat on almost every row: remember recent lookups of
 * known names by their exact bytes. */
#define SPEC_CACHE 256u
struct spec_memo {
  uint64_t h; /* 0 = empty */
  int16_t index;
  uint8_t len;
  char s[45];
};

struct ingest {
  struct ck_cohort *c;
  struct spec_memo memo[SPEC_CACHE];
  struct part *out; /* where this stretch's rows go */
  struct part own;  /* the careful path's part */
  bool worker;      /* fast path on a block: give up rather than reject */
  bool gave_up;     /* the block must be redone by the careful path */
  bool check_utf8;  /* false: the block is 7-bit ASCII without NUL */
  bool wide;        /* fast_field may copy fields (its parser's buffer
                       grows in whole blocks: max_field + 1 >= 1,024) */
  bool chunk_plain; /* careful path: the bytes being fed are 7-bit ASCII
                       without NUL, so a record ending there clears
                       check_utf8 for the next one */
  size_t row_limit; /* longest row stored, bytes */
  size_t fast_idx_end, fast_row_max; /* fast_field's bounds (fast_limits) */
  /* fast path: where the block's records are (split_block) */
  const char *blk; /* the block's bytes */
  size_t blk_n;
  long rec_span;  /* line feeds inside the current record */
  long seek_line; /* block line that starts at seek_pos (raw bytes) */
  size_t seek_pos;
  struct ck_strset wspecs; /* unknown specialty key -> the part's name index */
  struct ck_input *in;     /* refreshed whenever c->inputs may move */
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

  long line;     /* physical line of the next byte */
  bool prev_cr;  /* last byte fed was CR */
  bool rec_open; /* a record has started and not ended */
  long rec_line; /* line where it started */
  bool skipping; /* resynchronising after a parse error */
  const char *skip_reason;
  char skip_buf[96];

  char *raw; /* bytes of the current record (or current blank-ish line) */
  size_t raw_n, raw_cap;

  /* current row */
  char *row;
  size_t row_n, row_cap;
  size_t *foff; /* field i spans row[foff[i] .. foff[i+1]) */
  size_t foff_cap;
  size_t nf;      /* fields seen */
  bool overflow;  /* fields not all stored */
  long bad_field; /* first field with a NUL or bad UTF-8, or -1 */
  bool bad_nul;

  /* header */
  bool header_done;
  size_t hdr_n;
  int *colmap; /* header field -> column, or -1 */
  char **hdr_names;

  /* data_row's plan, made from colmap on the first data row (so also by
   * each block worker): the columns the header has, in table order, with
   * the field each is in, and a record holding every field's absent
   * value. */
  bool plan_ready;
  uint8_t n_plan;
  int8_t plan[CK_COL_N];
  uint16_t plan_field[CK_COL_N]; /* UINT16_MAX: not in the header */
  struct ck_record blank;
};

static inline void grow_input(struct ingest *st) {
  st->in = &st->c->inputs[st->input]; /* c->inputs may have moved */
}

/* ingest.c: parts, issues, the cohort */
void part_free(struct part *p);
/* Add part p to the cohort as rows of input `input`; a worker's lines are
 * 0-based in its block, which starts on line `base` (0 for the careful
 * path's absolute lines).  p is left empty. */
void part_merge(struct ck_cohort *c, uint32_t input, struct part *p, long base);
void ingest_begin(struct ingest *st, struct ck_cohort *c, const char *name,
                  struct ck_error *err);
enum ck_status ingest_end(struct ingest *st);
void read_failed(struct ingest *st, const char *path, int e);
/* An issue about input st->input in st->out (a reject keeps the row's
 * bytes when c->opt.keep_raw).  Returns it, owned by st->out. */
struct ck_issue *add_issue(struct ingest *st, enum ck_issue_kind kind,
                           long line, int col, const char *val, size_t vn,
                           const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* The first fatal error of the input (later ones are dropped). */
void fatal(struct ingest *st, long line, const char *column, const char *fmt,
           ...) __attribute__((format(printf, 4, 5)));
void tally_add(struct tally *t, const struct ck_tally_row *row);
/* Valid UTF-8 runs kept, every other byte (and NUL) as \xNN; caller frees. */
char *escape_bytes(const char *s, size_t n);

/* ingest_rows.c: the row rules */
/* The row just read (header or data) into st->out. */
void rules_row(struct ingest *st);
/* The note for an unknown specialty name, into buf (cap bytes), with the
 * known specialty it is probably a misspelling of; one wording for the
 * block path's merge and the careful path. */
void unknown_specialty_note(const struct ck_config *cfg, const char *name,
                            char *buf, size_t cap);

/* The key unknown specialty names are told apart by, in key[cap] or s. */
size_t specialty_key(const char *s, size_t n, char *key, size_t cap,
                     const char **k);

/* ingest_blocks.c: threads for a file (--threads; by default one per
 * online CPU, at most THREADS_MAX; one under the allocation-failure hook). */
unsigned ingest_threads(const struct ck_cohort *c);

/* ingest_blocks.c: one file through the block path (fingerprints). */
enum ck_status ingest_blocks(struct ck_cohort *c, const char *path, FILE *f,
                             struct ck_error *err);

#endif
