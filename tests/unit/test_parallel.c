/*
 * test_parallel.c - the block path (fast parsers on worker threads, ID
 * fingerprints) gives exactly what the careful single-threaded path gives
 * SPDX-License-Identifier: MIT
 *
 * The reference is ck_ingest_buffer: the careful line-splitting path with
 * whole IDs, the reader every other test checks.  Each fixture is written
 * to a file and read by ck_ingest_file with 1, 2 and 4 threads and blocks
 * of 1 MiB, 4,096 and 777 bytes (so block boundaries fall on many rows and
 * next to every oddity), with and without the tally, with and without the
 * rows' bytes kept; every count, issue, record, tally row, specialty name
 * and digest must be equal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "sb.h"
#include "cohort.h"

static struct ck_config *cfg;

/* What to mix into a generated cohort, each at a few row numbers. */
enum odd {
  ODD_NONE = 0,
  ODD_QUOTED = 1 << 0,   /* quoted specialty with a comma */
  ODD_NEWLINE = 1 << 1,  /* a line feed inside a quoted field */
  ODD_CRLF = 1 << 2,     /* every line ends CR LF */
  ODD_BLANK = 1 << 3,    /* blank and space-only lines */
  ODD_REJECT = 1 << 4,   /* bad values, wrong field count */
  ODD_DUP = 1 << 5,      /* a repeated student_id */
  ODD_UNKNOWN = 1 << 6,  /* specialty names the config does not know */
  ODD_UTF8 = 1 << 7,     /* non-ASCII text, and one invalid byte */
  ODD_STRAY = 1 << 8,    /* a stray quote (parse error, resync) */
  ODD_LONE_CR = 1 << 9,  /* a lone CR line break */
  ODD_EXCLUDE = 1 << 10, /* no first score */
  ODD_NO_FINAL_LF = 1 << 11,
  ODD_RQUOTE = 1 << 12 /* every text field quoted, as R's write.csv does */
};

/* Oddities the block path reads itself (docs/performance.md): with them
 * alone, only the header block and the blocks around a record that spans
 * a block boundary go to the careful path. */
#define ODD_FAST                                                               \
  (ODD_QUOTED | ODD_NEWLINE | ODD_CRLF | ODD_BLANK | ODD_REJECT |              \
   ODD_UNKNOWN | ODD_UTF8 | ODD_EXCLUDE | ODD_RQUOTE)

/* A text field: quoted with inner quotes doubled under ODD_RQUOTE, else as
 * it is (the caller quotes what needs it). */
static void text(struct sb *b, unsigned odd, const char *s) {
  if (!(odd & ODD_RQUOTE)) {
    sb_printf(b, "%s", s);
    return;
  }
  sb_printf(b, "\"");
  for (; *s; s++)
    sb_printf(b, *s == '"' ? "\"\"" : "%c", *s);
  sb_printf(b, "\"");
}

static const char *specs[] = {
    "Family Medicine", "Internal Medicine", "Pediatrics",        "Psychiatry",
    "General Surgery", "Dermatology",       "Emergency Medicine"};

static char *make_cohort(unsigned odd, size_t rows, size_t *len) {
  struct sb b = {0};
  const char *eol = odd & ODD_CRLF ? "\r\n" : "\n";
  sb_printf(&b,
            "student_id,match_year,step2_attempt_1,step2_attempt_2,"
            "step2_date_1,step2_date_2,practice_avg_1,practice_avg_2,"
            "target_specialty,matched,matched_specialty,program_type%s",
            eol);
  uint32_t s = 12345;
  for (size_t i = 0; i < rows; i++) {
    s = s * 1103515245u + 12345u;
    int year = 2017 + (int)(s >> 16) % 10;
    int score = 200 + (int)((s >> 8) % 80);
    bool retake = (s >> 4) % 13 == 0;
    int score2 = retake ? score + (int)((s >> 12) % 20) : 0;
    int tgt = (int)((s >> 20) % 7);
    bool matched = (s >> 3) % 5 != 0;
    bool same = (s >> 5) % 3 != 0;
    int got = same ? tgt : (tgt + 1) % 7;
    char id[32];
    snprintf(id, sizeof id, "P%06zu", i);
    if ((odd & ODD_DUP) && i % 997 == 500)
      snprintf(id, sizeof id, "P%06zu", i - 300);
    if ((odd & ODD_BLANK) && i % 211 == 7)
      sb_printf(&b, "%s", i % 2 ? eol : "   ");
    if ((odd & ODD_BLANK) && i % 211 == 7 && i % 2 == 0)
      sb_printf(&b, "%s", eol);
    const char *spec = specs[tgt];
    char tbuf[64];
    if ((odd & ODD_UNKNOWN) && i % 389 == 17) {
      snprintf(tbuf, sizeof tbuf, "Space Medicine %zu", i % 3);
      spec = tbuf;
    }
    if ((odd & ODD_UNKNOWN) && (odd & ODD_RQUOTE) && i % 389 == 200)
      spec = "Internal Medicine-Pediatrics (\"Med-Peds\")";
    if ((odd & ODD_UNKNOWN) && i % 389 == 300)
      spec = i % 2 ? "Ophthalmology" : "OPHTHALMOLOGY"; /* one key */
    if ((odd & ODD_UTF8) && i % 401 == 3)
      spec = "M\xC3\xA9"
             "decine";
    if ((odd & ODD_UTF8) && i % 401 == 9)
      spec = "Bad\xFF";
    char first[16];
    snprintf(first, sizeof first, "%d", score);
    if ((odd & ODD_EXCLUDE) && i % 307 == 11)
      first[0] = '\0';
    if ((odd & ODD_REJECT) && i % 293 == 13)
      snprintf(first, sizeof first, "%s", i % 2 ? "abc" : "999");
    char second[16] = "";
    if (retake)
      snprintf(second, sizeof second, "%d", score2);
    text(&b, odd, id);
    sb_printf(&b, ",%d,%s,%s,%d-0%d-1%d,%s,%d,%s,", year, first, second,
              year - 1, 1 + (int)(i % 9), (int)(i % 9), retake ? "" : "",
              score + 3, retake ? "" : "");
    if (odd & ODD_RQUOTE && !((odd & ODD_NEWLINE) && i % 503 == 21) &&
        !((odd & ODD_STRAY) && i % 499 == 31))
      text(&b, odd, spec);
    else if ((odd & ODD_QUOTED) && i % 101 == 5)
      sb_printf(&b, "\"%s, General\"", spec);
    else if ((odd & ODD_NEWLINE) && i % 503 == 21)
      sb_printf(&b, "\"%s\nsecond line\"", spec);
    else if ((odd & ODD_STRAY) && i % 499 == 31)
      sb_printf(&b, "Stray\"Quote");
    else
      sb_printf(&b, "%s", spec);
    sb_printf(&b, ",");
    text(&b, odd, matched ? "Y" : "N");
    sb_printf(&b, ",");
    if (matched)
      text(&b, odd, specs[got]);
    sb_printf(&b, ",");
    if (matched)
      text(&b, odd, "academic");
    if ((odd & ODD_REJECT) && i % 293 == 100)
      sb_printf(&b, ",extra");
    if ((odd & ODD_LONE_CR) && i % 601 == 41)
      sb_printf(&b, "\r");
    else if (!(odd & ODD_NO_FINAL_LF) || i + 1 < rows)
      sb_printf(&b, "%s", eol);
  }
  *len = b.n;
  return b.s;
}

static void same_issue(const struct ck_issue *a, const struct ck_issue *b) {
  assert_int_equal(a->kind, b->kind);
  assert_int_equal(a->input, b->input);
  assert_int_equal(a->line, b->line);
  assert_string_equal(a->column ? a->column : "-", b->column ? b->column : "-");
  assert_string_equal(a->value ? a->value : "-", b->value ? b->value : "-");
  assert_string_equal(a->reason, b->reason);
  assert_string_equal(a->raw ? a->raw : "-", b->raw ? b->raw : "-");
}

/* The same records and tally rows. */
static void same_kept(const struct ck_cohort *a, const struct ck_cohort *b) {
  assert_int_equal(a->n_records, b->n_records);
  if (a->n_records)
    assert_memory_equal(a->records, b->records,
                        a->n_records * sizeof *a->records);
  assert_int_equal(a->n_tally, b->n_tally);
  if (a->n_tally)
    assert_memory_equal(a->tally, b->tally, a->n_tally * sizeof *a->tally);
}

/* b read as a (whole) or with counts_only: then the same counts and
 * issues, but no digest, record or tally row. */
static void same_rows(const struct ck_cohort *a, const struct ck_cohort *b,
                      bool whole) {
  assert_int_equal(a->n_inputs, b->n_inputs);
  for (size_t i = 0; i < a->n_inputs; i++) {
    const struct ck_input *p = &a->inputs[i], *q = &b->inputs[i];
    assert_string_equal(p->path, q->path);
    assert_string_equal(whole ? p->sha256 : "", q->sha256);
    assert_int_equal(p->bytes, q->bytes);
    assert_int_equal(p->read, q->read);
    assert_int_equal(p->accepted, q->accepted);
    assert_int_equal(p->excluded, q->excluded);
    assert_int_equal(p->rejected, q->rejected);
    assert_int_equal(p->warnings, q->warnings);
    assert_int_equal(p->blank, q->blank);
  }
  assert_int_equal(a->read, b->read);
  assert_int_equal(a->accepted, b->accepted);
  assert_int_equal(a->excluded, b->excluded);
  assert_int_equal(a->rejected, b->rejected);
  assert_int_equal(a->warnings, b->warnings);
  assert_int_equal(a->blank, b->blank);
  assert_int_equal(a->excluded_no_score, b->excluded_no_score);
  assert_int_equal(a->excluded_years, b->excluded_years);
  assert_int_equal(a->retake_after_pass, b->retake_after_pass);
  assert_int_equal(a->n_issues, b->n_issues);
  for (size_t i = 0; i < a->n_issues; i++)
    same_issue(&a->issues[i], &b->issues[i]);
  if (!whole) {
    assert_int_equal(b->n_records, 0);
    assert_int_equal(b->n_tally, 0);
  } else {
    same_kept(a, b);
  }
  assert_int_equal(ck_cohort_specialty_count(a), ck_cohort_specialty_count(b));
  for (size_t i = 0; i < ck_cohort_specialty_count(a); i++)
    assert_string_equal(ck_cohort_specialty_name(a, (int)i),
                        ck_cohort_specialty_name(b, (int)i));
}

static void same_cohort(const struct ck_cohort *a, const struct ck_cohort *b) {
  same_rows(a, b, true);
}

static void check_fixture(unsigned odd, size_t rows) {
  size_t len;
  char *csv = make_cohort(odd, rows, &len);
  char path[] = "/tmp/ck_parallel_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, csv, len), (ssize_t)len);
  close(fd);
  static const unsigned threads[] = {1, 2, 4};
  static const size_t blocks[] = {0, 4096, 777};
  /* Under ThreadSanitizer only runs that share out blocks are worth its
   * cost (about 2 minutes for all): the equality of one thread and the
   * default block size is the plain and ASan trees' to check. */
  size_t t0 = 0, k0 = 0;
#ifdef __SANITIZE_THREAD__
  t0 = 1;
  k0 = 1;
#endif
  for (int tally = 0; tally < 2; tally++)
    for (int raw = 0; raw < 2; raw++) {
      struct ck_ingest_options o = {0};
      o.tally = tally;
      o.keep_raw = raw;
      struct ck_cohort *ref = ck_cohort_new(cfg, &o);
      struct ck_error err;
      enum ck_status want = ck_ingest_buffer(ref, path, csv, len, 0, &err);
      for (size_t t = t0; t < 3; t++)
        for (size_t k = k0; k < 3; k++) {
          o.threads = threads[t];
          o.block = blocks[k];
          struct ck_cohort *c = ck_cohort_new(cfg, &o);
          assert_int_equal(ck_ingest_file(c, path, &err), want);
          same_cohort(ref, c);
          if ((odd & ~(unsigned)ODD_FAST) == 0) {
            /* the header block, and two blocks per record with a line
             * break that may span a boundary */
            size_t fast, careful,
                spans = (odd & ODD_NEWLINE) ? rows / 503 + 1 : 0;
            ck_cohort_blocks(c, &fast, &careful);
            assert_true(careful <= 1 + 2 * spans);
            assert_true(fast >= 1);
          }
          ck_cohort_free(c);
        }
      /* the careful path alone, block by block, with fingerprints */
      o.threads = 2;
      o.block = 4096;
      o.careful = true;
      struct ck_cohort *c = ck_cohort_new(cfg, &o);
      assert_int_equal(ck_ingest_file(c, path, &err), want);
      same_cohort(ref, c);
      ck_cohort_free(c);
      /* counts only (validate): the same counts and issues */
      o.careful = false;
      o.block = 777;
      o.counts_only = true;
      c = ck_cohort_new(cfg, &o);
      assert_int_equal(ck_ingest_file(c, path, &err), want);
      same_rows(ref, c, false);
      ck_cohort_free(c);
      ck_cohort_free(ref);
    }
  unlink(path);
  free(csv);
}

static void clean_rows(void **s) {
  (void)s;
  check_fixture(ODD_NONE, 20000);
}

static void each_oddity_alone(void **s) {
  (void)s;
  for (unsigned bit = 1; bit <= ODD_RQUOTE; bit <<= 1)
    check_fixture(bit, 3000);
}

/* What the files of schools hold, all at once, and nothing that needs the
 * careful path beyond the blocks around a quoted line break. */
static void realistic_export(void **s) {
  (void)s;
  check_fixture(ODD_FAST, 6000);
  check_fixture(ODD_FAST & ~(unsigned)ODD_CRLF, 6000);
  check_fixture(ODD_FAST & ~(unsigned)ODD_NEWLINE, 6000);
}

static void all_oddities_together(void **s) {
  (void)s;
  check_fixture(0x1FFFu, 6000);
  check_fixture(0x1FFFu & ~(unsigned)ODD_CRLF, 6000);
}

/* Two files, the second repeating an ID of the first: the fingerprints find
 * it and the cohort is read again with whole IDs, naming the first holder. */
static void duplicate_across_files(void **s) {
  (void)s;
  char p1[] = "/tmp/ck_par_a_XXXXXX", p2[] = "/tmp/ck_par_b_XXXXXX";
  size_t len;
  char *csv = make_cohort(ODD_NONE, 5000, &len);
  int fd = mkstemp(p1);
  assert_int_equal(write(fd, csv, len), (ssize_t)len);
  close(fd);
  fd = mkstemp(p2);
  const char *b2 = "student_id,match_year,step2_attempt_1,matched\n"
                   "Q1,2020,230,Y\nP004321,2021,240,N\nQ2,2021,250,Y\n";
  assert_int_equal(write(fd, b2, strlen(b2)), (ssize_t)strlen(b2));
  close(fd);
  struct ck_ingest_options o = {0};
  o.block = 4096;
  o.threads = 2;
  struct ck_cohort *c = ck_cohort_new(cfg, &o), *ref = ck_cohort_new(cfg, &o);
  struct ck_error err;
  assert_int_equal(ck_ingest_file(c, p1, &err), CK_OK);
  assert_int_equal(ck_ingest_file(c, p2, &err), CK_OK);
  assert_int_equal(ck_ingest_buffer(ref, p1, csv, len, 0, &err), CK_OK);
  assert_int_equal(ck_ingest_buffer(ref, p2, b2, strlen(b2), 0, &err), CK_OK);
  same_cohort(ref, c);
  assert_int_equal(c->rejected, 1);
  char want[128];
  snprintf(want, sizeof want, "is a duplicate of %s:4323", p1);
  assert_string_equal(c->issues[c->n_issues - 1].reason, want);
  ck_cohort_free(c);
  ck_cohort_free(ref);
  unlink(p1);
  unlink(p2);
  free(csv);
}

/* Unknown names met again in a second file are noted again there, once,
 * and keep their number from the first file; new ones are numbered after,
 * in the order the second file names them, whichever block they are in. */
static void unknown_names_across_files(void **s) {
  (void)s;
  char p1[] = "/tmp/ck_par_u_XXXXXX", p2[] = "/tmp/ck_par_v_XXXXXX";
  size_t len1;
  char *csv1 = make_cohort(ODD_UNKNOWN | ODD_RQUOTE, 3000, &len1);
  struct sb b = {0};
  sb_printf(&b, "student_id,match_year,step2_attempt_1,target_specialty,"
                "matched,matched_specialty\n");
  static const char *names[] = {
      "Undecided",      "ophthalmology",
      "Pediatrics",     "Space Medicine 2",
      "Famly Medicine", "\"Internal Medicine-Pediatrics (\"\"Med-Peds\"\")\""};
  for (size_t i = 0; i < 2000; i++) {
    const char *t = i % 97 == 50 ? names[(i / 97) % 6] : specs[i % 7];
    sb_printf(&b, "Q%06zu,2021,%zu,%s,Y,%s\n", i, 200 + i % 60, t,
              i % 3 ? t : "Pediatrics");
  }
  int fd = mkstemp(p1);
  assert_int_equal(write(fd, csv1, len1), (ssize_t)len1);
  close(fd);
  fd = mkstemp(p2);
  assert_int_equal(write(fd, b.s, b.n), (ssize_t)b.n);
  close(fd);
  static const unsigned threads[] = {1, 2};
  static const size_t blocks[] = {0, 4096, 777};
  for (size_t t = 0; t < 2; t++)
    for (size_t k = 0; k < 3; k++) {
      struct ck_ingest_options o = {0};
      o.threads = threads[t];
      o.block = blocks[k];
      o.tally = k == 1;
      struct ck_cohort *c = ck_cohort_new(cfg, &o),
                       *ref = ck_cohort_new(cfg, &o);
      struct ck_error err;
      assert_int_equal(ck_ingest_file(c, p1, &err), CK_OK);
      assert_int_equal(ck_ingest_file(c, p2, &err), CK_OK);
      assert_int_equal(ck_ingest_buffer(ref, p1, csv1, len1, 0, &err), CK_OK);
      assert_int_equal(ck_ingest_buffer(ref, p2, b.s, b.n, 0, &err), CK_OK);
      same_cohort(ref, c);
      size_t fast;
      ck_cohort_blocks(c, &fast, NULL);
      assert_true(fast >= 1);
      ck_cohort_free(c);
      ck_cohort_free(ref);
    }
  unlink(p1);
  unlink(p2);
  free(csv1);
  free(b.s);
}

/* The block path's splitter (csvread.c: split_block) against libcsv on the
 * careful path, row shape by row shape: trimmed unquoted fields, spaces
 * around quoted ones, doubled and empty quotes, line breaks and a
 * whitespace-only line inside quotes, CRLF, blank and all-empty rows, NA, a
 * trailing comma; with `hard`, also what libcsv stops on (a stray quote, a
 * byte or a second quote after a closing quote), and in every case fields
 * over a 24-byte cap. */
static char *edge_rows(bool hard, size_t rows, size_t *len) {
  /* each row: before the ID, the ID, after it */
  static const char *easy[][2] = {
      {"  ", " \t,2021, 230\t,Pediatrics,Y,Pediatrics\n"},
      {"", ",2021,231,  \"Family Medicine\"  ,Y,\"Pediatrics\"\t\n"},
      {"",
       ",2021,232,\"Internal Medicine-Pediatrics (\"\"Med-Peds\"\")\",Y,\n"},
      {"", ",2021,233,\"\",N,\n"},
      {" \t \n", ",2021,234,Psychiatry,N,\n\r\n"},
      {"", ",2021,235,\"Pedi\natrics\n  \n\",Y,Pediatrics\r\n"},
      {"", ",2021,NA,Pediatrics,N,\n"},
      {"", ",2021,236,Pediatrics,Y,Pediatrics,\n"},
      {",,,,,\n", ",2021,237,Dermatology,N,\n"},
      {"", ",2021,238,\"A quoted name longer than the cap\",Y,\n"},
      {"", ",2021,239,An unquoted name longer than the cap,Y,\n"},
  };
  static const char *bad[][2] = {
      {"", ",2021,240,Stray\"Quote,Y,\n"},
      {"", ",2021,241,\"Closed\"x,Y,\n"},
      {"", ",2021,242,\"Closed\"  \"again\",Y,\n"},
  };
  size_t n_easy = sizeof easy / sizeof easy[0],
         n_bad = sizeof bad / sizeof bad[0];
  struct sb b = {0};
  sb_printf(&b, "student_id,match_year,step2_attempt_1,target_specialty,"
                "matched,matched_specialty\n");
  for (size_t i = 0; i < rows; i++) {
    if (i % 5 == 2) {
      size_t k = (i / 5) % (n_easy + (hard ? n_bad : 0));
      const char *const *r = k < n_easy ? easy[k] : bad[k - n_easy];
      sb_printf(&b, "%sQ%06zu%s", r[0], i, r[1]);
    } else {
      sb_printf(&b, "Q%06zu,2020,%zu,%s,Y,%s\n", i, 200 + i % 60, specs[i % 7],
                specs[(i + 1) % 7]);
    }
  }
  *len = b.n;
  return b.s;
}

static void splitter_as_libcsv(void **s) {
  (void)s;
  for (int hard = 0; hard < 2; hard++) {
    size_t len;
    char *csv = edge_rows(hard, 3000, &len);
    char path[] = "/tmp/ck_par_edge_XXXXXX";
    int fd = mkstemp(path);
    assert_int_equal(write(fd, csv, len), (ssize_t)len);
    close(fd);
    static const size_t blocks[] = {0, 777, 200};
    for (int cap = 0; cap < 2; cap++)
      for (int raw = 0; raw < 2; raw++) {
        struct ck_ingest_options o = {0};
        o.max_field = cap ? 24 : 0;
        o.keep_raw = raw;
        struct ck_cohort *ref = ck_cohort_new(cfg, &o);
        struct ck_error err;
        enum ck_status want = ck_ingest_buffer(ref, path, csv, len, 0, &err);
        assert_true(ref->rejected > 0 && ref->blank > 0 && ref->accepted > 0);
        for (unsigned t = 1; t <= 2; t++)
          for (size_t k = 0; k < 3; k++) {
            o.threads = t;
            o.block = blocks[k];
            struct ck_cohort *c = ck_cohort_new(cfg, &o);
            assert_int_equal(ck_ingest_file(c, path, &err), want);
            same_cohort(ref, c);
            size_t fast, careful;
            ck_cohort_blocks(c, &fast, &careful);
            if (!hard && !cap) { /* the header block, and the blocks
                                    around a quoted line break at a
                                    boundary (17 of 718 at 200 bytes) */
              assert_true(fast >= 1);
              assert_true(careful <= 1 + fast / 10);
            }
            ck_cohort_free(c);
          }
        ck_cohort_free(ref);
      }
    unlink(path);
    free(csv);
  }
}

/* After ck_cohort_done nothing more is read, and what was read stays. */
static void done_then_nothing_more(void **s) {
  (void)s;
  size_t len;
  char *csv = make_cohort(ODD_NONE, 300, &len);
  char path[] = "/tmp/ck_par_done_XXXXXX";
  int fd = mkstemp(path);
  assert_int_equal(write(fd, csv, len), (ssize_t)len);
  close(fd);
  struct ck_cohort *c = ck_cohort_new(cfg, NULL);
  struct ck_error err;
  assert_int_equal(ck_ingest_file(c, path, &err), CK_OK);
  size_t accepted = c->accepted;
  ck_cohort_done(c);
  ck_cohort_done(c); /* twice is harmless */
  assert_int_equal(ck_ingest_file(c, path, &err), CK_EUSAGE);
  assert_int_equal(ck_ingest_buffer(c, path, csv, len, 0, &err), CK_EUSAGE);
  assert_int_equal(c->n_inputs, 1);
  assert_int_equal(c->accepted, accepted);
  assert_int_equal(c->n_records, accepted);
  ck_cohort_free(c);
  ck_cohort_done(NULL);
  unlink(path);
  free(csv);
}

int main(void) {
  cfg = ck_config_new();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(clean_rows),
      cmocka_unit_test(each_oddity_alone),
      cmocka_unit_test(all_oddities_together),
      cmocka_unit_test(realistic_export),
      cmocka_unit_test(splitter_as_libcsv),
      cmocka_unit_test(unknown_names_across_files),
      cmocka_unit_test(duplicate_across_files),
      cmocka_unit_test(done_then_nothing_more),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  ck_config_free(cfg);
  return rc;
}
