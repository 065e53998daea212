/*
 * ingest.c - applicant CSV files -> accepted records, exclusions, rejects
 * SPDX-License-Identifier: MIT
 *
 * Bytes flow:  read buffer -> SHA-256 + byte count -> head check (BOM,
 * UTF-16) -> line splitter -> libcsv (strict) -> field callback (row
 * buffer) -> row callback (header or data row) -> a part (counts, kept
 * records, tally, issues, ID fingerprints) -> merged into the cohort.
 *
 * Modules: csvread.c reads (head check, line splitter, libcsv callbacks:
 * the careful path), ingest_rows.c holds the row rules (driven by the
 * column table in schema.c), ingest_blocks.c the block path's thread pool,
 * and this file the cohort, the parts rows go to, issues and merging.
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
 */
#include "ckcohort/ingest.h"
#include "classify.h"
#include "header.h"
#include "csvread.h"
#include "ingest_impl.h"
#include "schema.h"
#include "util.h"
#include "config_internal.h"

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

/* ------------------------------------------------------------- tally -- */

static uint64_t tally_key(const struct ck_tally_row *t) {
  return (uint64_t)(uint16_t)t->match_year |
         (uint64_t)(uint16_t)t->target << 16 | (uint64_t)t->leaf << 32 |
         (uint64_t)t->matched << 40 | (uint64_t)t->matched_target << 41 |
         (uint64_t)t->program << 42;
}

void tally_add(struct tally *t, const struct ck_tally_row *row) {
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

struct ck_row_counts ck_cohort_rows(const struct ck_cohort *c) {
  struct ck_row_counts n = {c->read,     c->accepted, c->excluded,
                            c->rejected, c->warnings, c->blank};
  return n;
}

size_t ck_cohort_input_count(const struct ck_cohort *c) { return c->n_inputs; }

const char *ck_cohort_input_path(const struct ck_cohort *c, size_t i) {
  return i < c->n_inputs ? c->inputs[i].path : NULL;
}

const char *const *ck_cohort_input_ignored(const struct ck_cohort *c, size_t i,
                                           size_t *n) {
  if (i >= c->n_inputs || c->inputs[i].n_ignored == 0) {
    *n = 0;
    return NULL;
  }
  *n = c->inputs[i].n_ignored;
  return (const char *const *)c->inputs[i].ignored;
}

size_t ck_cohort_issue_count(const struct ck_cohort *c) { return c->n_issues; }

const struct ck_issue *ck_cohort_issue(const struct ck_cohort *c, size_t i) {
  return i < c->n_issues ? &c->issues[i] : NULL;
}

/* ------------------------------------------------------------ issues -- */

char *escape_bytes(const char *s, size_t n) {
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

struct ck_issue *add_issue(struct ingest *st, enum ck_issue_kind kind,
                           long line, int col, const char *val, size_t vn,
                           const char *fmt, ...) {
  struct ck_cohort *c = st->c;
  struct part *o = st->out;
  ck_grow((void **)&o->issues, &o->cap_issues, o->n_issues + 1,
          sizeof *o->issues);
  struct ck_issue *is = &o->issues[o->n_issues++];
  memset(is, 0, sizeof *is);
  is->kind = kind;
  is->input = st->input;
  is->line = line;
  is->column =
      col >= 0 && col < CK_COL_N ? (char *)ck_col_name(col) : NULL; /* static */
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

void fatal(struct ingest *st, long line, const char *column, const char *fmt,
           ...) {
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
    size_t kn =
        specialty_key(p->unk[i], strlen(p->unk[i]), key, sizeof key, &k);
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
      unknown_specialty_note(c->cfg, name, buf, sizeof buf);
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

void ingest_begin(struct ingest *st, struct ck_cohort *c, const char *name,
                  struct ck_error *err) {
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
  if (c->opt.counts_only)
    return; /* no digest (st->md stays NULL) */
  st->md = EVP_MD_CTX_new();
  if (st->md == NULL || !EVP_DigestInit_ex(st->md, EVP_sha256(), NULL)) {
    st->status = CK_ENOMEM;
    ck_error_set(err, CK_ENOMEM, name, 0, NULL, "cannot start SHA-256");
  }
}

enum ck_status ingest_end(struct ingest *st) {
  reader_finish(st);
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
static enum ck_status restart_exact(struct ck_cohort *c, struct ck_error *err) {
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
  if (fp_any_equal(&c->priv->fps, ingest_threads(c))) {
    enum ck_status again = restart_exact(c, err);
    if (again != CK_OK || st == CK_OK)
      st = again;
  }
  return st;
}
