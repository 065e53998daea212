/*
 * ingest_rows.c - the row rules: the header row, then each data row checked
 * column by column (the column table in schema.c), duplicates, exclusions,
 * specialties, warnings, and the accepted record or tally
 * SPDX-License-Identifier: MIT
 *
 * Rows come from csvread.c's callbacks, on the careful path or on a block
 * worker; what a row adds goes to st->out, a part merged in file order
 * (ingest.c: part_merge).
 */
#include "classify.h"
#include "config_internal.h"
#include "util.h"
#include "ckcohort/ingest.h"
#include "csvread.h"
#include "header.h"
#include "ingest_impl.h"
#include "schema.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static inline struct span field_at(const struct ingest *st, size_t i) {
  struct span v = {st->row + st->foff[i], st->foff[i + 1] - st->foff[i]};
  if (v.n == 2 && v.s[0] == 'N' && v.s[1] == 'A')
    return (struct span){v.s, 0}; /* R's missing value (write.csv) */
  /* unquoted fields come trimmed from libcsv: only quoted ones can have
   * spaces at either end */
  if (v.n == 0 ||
      ((unsigned char)v.s[0] > ' ' && (unsigned char)v.s[v.n - 1] > ' '))
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
    fatal(st, line, NULL, "header row is longer than %zu bytes", st->row_limit);
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
size_t specialty_key(const char *s, size_t n, char *key, size_t cap,
                     const char **k) {
  size_t kn = ck_normalise_key(s, n, key, cap);
  *k = key;
  if (kn == 0)
    *k = s, kn = n;
  return kn;
}

void unknown_specialty_note(const struct ck_config *cfg, const char *name,
                            char *buf, size_t cap) {
  int near = ck_config_specialty_near(cfg, name, strlen(name));
  if (near >= 0)
    snprintf(buf, cap,
             "unknown specialty \"%s\" kept without a tier; did you mean "
             "\"%s\"? (map it under [aliases])",
             name, cfg->specialties[near].name);
  else
    snprintf(buf, cap, "unknown specialty \"%s\" kept without a tier", name);
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
    char note[512];
    unknown_specialty_note(cfg, name, note, sizeof note);
    add_issue(st, CK_ISSUE_NOTE, 0, -1, name, strlen(name), "%s", note);
  }
  return (int)(cfg->n_specialties + e->a);
}

/* Once a reader has met a spelling its index no longer changes (an unknown
 * name's note is added the first time), so the memo keeps unknown names
 * too.  Each spelling has two slots: in one table a frequent name and a
 * rare one that share a slot would evict each other on every rare row (the
 * messy benchmark file has five such pairs among its 36 spellings). */
static int specialty_index(struct ingest *st, struct span v, bool *full) {
  struct spec_memo *m = NULL;
  uint64_t h = 0;
  if (v.n <= sizeof m->s) {
    h = memo_hash(v.s, v.n);
    struct spec_memo *m1 = &st->memo[h & (SPEC_CACHE - 1)];
    struct spec_memo *m2 = &st->memo[(h >> 32) & (SPEC_CACHE - 1)];
    if (m1->h == h && m1->len == v.n && memcmp(m1->s, v.s, v.n) == 0)
      return m1->index;
    if (m2->h == h && m2->len == v.n && memcmp(m2->s, v.s, v.n) == 0)
      return m2->index;
    m = m1->h == 0 || m2->h != 0 ? m1 : m2;
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
  if (st->c->opt.counts_only)
    return;
  if (st->c->opt.tally) {
    struct ck_class k;
    ck_classify(st->c->cfg, r, &k);
    if (!k.retook && k.leaf != CK_G_FAILED_THEN_PASSED &&
        !ck_group_contains(CK_G_LOW_PASS, k.leaf)) {
      struct ck_tally_row t = {r->match_year,
                               r->target,
                               (uint8_t)k.leaf,
                               (uint8_t)(r->matched != 0),
                               (uint8_t)k.matched_target,
                               (uint8_t)r->program,
                               1};
      tally_add(&o->tally, &t);
      return;
    }
  }
  ck_grow((void **)&o->recs, &o->cap_recs, o->n_recs + 1, sizeof *o->recs);
  o->recs[o->n_recs++] = *r;
}

/* Value v into r's field for column k (k->size bytes wide). */
static inline void put_field(struct ck_record *r, const struct ck_column *k,
                             int32_t v) {
  char *f = (char *)r + k->offset;
  if (k->size == 1) {
    int8_t b = (int8_t)v;
    memcpy(f, &b, 1);
  } else if (k->size == 2) {
    int16_t h = (int16_t)v;
    memcpy(f, &h, 2);
  } else {
    memcpy(f, &v, 4);
  }
}

static void make_plan(struct ingest *st) {
  size_t field[CK_COL_N];
  for (int col = 0; col < CK_COL_N; col++)
    field[col] = UINT16_MAX;
  for (size_t i = 0; i < st->hdr_n && i < UINT16_MAX; i++)
    if (st->colmap[i] >= 0) /* at most one field per column (header.c) */
      field[st->colmap[i]] = i;
  memset(&st->blank, 0, sizeof st->blank);
  st->n_plan = 0;
  for (int col = 0; col < CK_COL_N; col++) {
    const struct ck_column *k = &ck_columns[col];
    if (k->offset != CK_COL_NO_FIELD)
      put_field(&st->blank, k, k->absent);
    if (field[col] != UINT16_MAX || (k->flags & CK_COLF_VALUE)) {
      st->plan_field[st->n_plan] = (uint16_t)field[col];
      st->plan[st->n_plan++] = (int8_t)col;
    }
  }
  st->plan_ready = true;
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

  if (!st->plan_ready)
    make_plan(st);
  struct span val[CK_COL_N]; /* set for the plan's columns only */
  bool has[CK_COL_N] = {false};

  struct ck_record r = st->blank;
  r.input = st->input;
  r.line = (uint32_t)line;
  int n_att = 0, last_dated = -1, last_spec = -1;
  /* Each column in table order (schema.c): the first rule broken rejects
   * the row with that rule's message.  Columns the header lacks keep their
   * absent value (the required ones are in every header). */
  for (size_t p = 0; p < st->n_plan; p++) {
    int col = st->plan[p];
    const struct ck_column *k = &ck_columns[col];
    size_t fi = st->plan_field[p];
    struct span x = fi == UINT16_MAX ? none : field_at(st, fi);
    val[col] = x;
    has[col] = x.n > 0;
    int32_t v = k->absent;
    if (!has[col]) {
      if (k->flags & CK_COLF_VALUE)
        REJECT(col, none, "required value is empty");
      continue;
    }
    int iv;
    /* an if-chain, most frequent kinds first: a switch's indirect jump
     * mispredicted on most columns (7% more CPU for validate, perf) */
    enum ck_col_kind kind = k->kind;
    if (kind == CK_KIND_INT || kind == CK_KIND_ATTEMPT) {
      if (!ck_parse_int(x.s, x.n, k->lo, k->hi, &iv))
        REJECT(col, x, "is not a whole number %d–%d", k->lo, k->hi);
      v = iv;
      if (kind == CK_KIND_ATTEMPT) {
        if (n_att != k->index)
          REJECT(col, x, "is given but %s is empty", ck_col_name(col - 1));
        n_att = k->index + 1;
      }
    } else if (kind == CK_KIND_BOOL) {
      v = ck_parse_bool(x.s, x.n);
      if (v < 0)
        REJECT(col, x, "is not a yes/no value");
    } else if (kind == CK_KIND_DATE) {
      v = ck_parse_date(x.s, x.n);
      int y, m, d;
      if (v == CK_NO_DATE && ck_date_mdy(x.s, x.n, &y, &m, &d))
        REJECT(col, x,
               "is not a valid date YYYY-MM-DD (if it is month/day/year, "
               "as Excel saves dates, write it %04d-%02d-%02d)",
               y, m, d);
      if (v == CK_NO_DATE)
        REJECT(col, x, "is not a valid date YYYY-MM-DD");
      if (k->index >= n_att)
        REJECT(col, x, "is given without %s",
               ck_col_name(CK_COL_ATTEMPT1 + k->index));
      if (last_dated >= 0 && v <= r.date[ck_columns[last_dated].index])
        REJECT(col, x, "is not after %s \"%.*s\"", ck_col_name(last_dated),
               (int)val[last_dated].n, val[last_dated].s);
      last_dated = col;
    } else if (kind == CK_KIND_SPECIALTY) {
      last_spec = col; /* looked up once the row is valid */
    } else if (kind == CK_KIND_PROGRAM) {
      v = ck_parse_program(x.s, x.n);
      if (v < 0)
        REJECT(col, x, "is not academic, community or other");
    } /* CK_KIND_ID: kept as text, checked for duplicates below */
    if ((k->flags & CK_COLF_MATCHED) && !r.matched)
      REJECT(col, x, "is given although matched is no");
    if ((k->flags & CK_COLF_YES_MATCHED) && v == 1 && !r.matched)
      REJECT(col, x, "is yes although matched is no");
    if (k->offset != CK_COL_NO_FIELD && kind != CK_KIND_SPECIALTY)
      put_field(&r, k, v);
  }
  r.n_attempts = (int8_t)n_att;

  /* Valid row: the first holder of an ID keeps it. */
  struct span id = val[CK_COL_STUDENT_ID];
  if (c->priv->exact) {
    bool added;
    struct ck_strset_entry *e =
        ck_strset_find(&c->priv->ids, id.s, id.n, true, &added);
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
  for (int col = 0; col <= last_spec && !full; col++) {
    if (ck_columns[col].kind == CK_KIND_SPECIALTY && has[col])
      put_field(&r, &ck_columns[col], specialty_index(st, val[col], &full));
  }
  if (full) /* named at the last specialty column given, as always */
    REJECT(last_spec, none, "too many distinct specialty names");

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
void rules_row(struct ingest *st) {
  if (!st->header_done)
    header_row(st);
  else
    data_row(st);
}
