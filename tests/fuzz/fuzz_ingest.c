/*
 * fuzz_ingest.c - libFuzzer harness for the CSV reader (ck_ingest_buffer)
 * SPDX-License-Identifier: MIT
 *
 * Input layout: byte 0 picks the chunk size the reader is fed with (0 =
 * whole buffer, else 1..64 bytes: line breaks, quotes and UTF-8 sequences
 * then straddle chunk boundaries); byte 1 picks the field cap (0 = the
 * default 64 KiB, else 1..255 bytes so the cap path runs often) and whether
 * --years limits apply; the rest is split at a 0xFF 0xFE 0xFD marker (or
 * not) into two inputs of one cohort, so duplicate IDs and totals across
 * files are exercised.
 *
 * After every input the harness aborts unless nothing was lost:
 *   read == accepted + excluded + rejected, per input and in total;
 *   the issue list holds exactly `rejected` rejects and `excluded`
 *   exclusions, each with a reason, per input;
 *   the rejects CSV has a header plus exactly `rejected` records;
 *   every accepted record's fields are in their documented ranges.
 */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "cohort.h"

#include "check.h"

static struct ck_config *cfg;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  cfg = ck_config_new();
  return 0;
}

static void check_record(const struct ck_cohort *c, const struct ck_record *r) {
  CHECK(r->input < c->n_inputs);
  CHECK(r->line >= 1);
  CHECK(r->n_attempts >= 1 && r->n_attempts <= CK_MAX_ATTEMPTS);
  for (int k = 0; k < CK_MAX_ATTEMPTS; k++) {
    if (k < r->n_attempts)
      CHECK(r->score[k] >= 1 && r->score[k] <= 300);
    else
      CHECK(r->score[k] == 0 && r->date[k] == CK_NO_DATE);
  }
  for (int k = 0; k + 1 < CK_MAX_ATTEMPTS; k++)
    for (int j = k + 1; j < CK_MAX_ATTEMPTS; j++)
      if (r->date[k] != CK_NO_DATE && r->date[j] != CK_NO_DATE)
        CHECK(r->date[k] < r->date[j]);
  for (int k = 0; k < 2; k++)
    CHECK(r->practice[k] >= 0 && r->practice[k] <= 300);
  CHECK(r->match_year >= 1990 && r->match_year <= 2100);
  if (c->opt.year_from)
    CHECK(r->match_year >= c->opt.year_from);
  if (c->opt.year_to)
    CHECK(r->match_year <= c->opt.year_to);
  size_t nspec = ck_cohort_specialty_count(c);
  CHECK(r->target >= -1 && (r->target < 0 || (size_t)r->target < nspec));
  CHECK(r->matched_specialty >= -1 &&
        (r->matched_specialty < 0 || (size_t)r->matched_specialty < nspec));
  CHECK(r->matched == 0 || r->matched == 1);
  if (!r->matched)
    CHECK(r->matched_specialty == -1 && r->program == CK_PROGRAM_NONE &&
          r->soap != 1);
  CHECK(r->program >= CK_PROGRAM_NONE && r->program <= CK_PROGRAM_OTHER);
  CHECK(r->soap >= -1 && r->soap <= 1);
  CHECK(r->reapplicant >= -1 && r->reapplicant <= 1);
  CHECK(r->dedicated_weeks >= -1 && r->dedicated_weeks <= 52);
  CHECK((r->flags & ~CK_REC_RETAKE_AFTER_PASS) == 0);
  if (r->flags & CK_REC_RETAKE_AFTER_PASS)
    CHECK(r->n_attempts >= 2);
  (void)ck_cohort_specialty_name(c, r->target);
  (void)ck_cohort_specialty_name(c, r->matched_specialty);
}

/* Field by field: the struct has padding. */
static int same_record(const struct ck_record *x, const struct ck_record *y) {
  for (int i = 0; i < CK_MAX_ATTEMPTS; i++)
    if (x->date[i] != y->date[i] || x->score[i] != y->score[i])
      return 0;
  return x->practice[0] == y->practice[0] && x->practice[1] == y->practice[1] &&
         x->match_year == y->match_year && x->target == y->target &&
         x->matched_specialty == y->matched_specialty &&
         x->n_attempts == y->n_attempts && x->matched == y->matched &&
         x->program == y->program && x->soap == y->soap &&
         x->reapplicant == y->reapplicant &&
         x->dedicated_weeks == y->dedicated_weeks && x->flags == y->flags &&
         x->input == y->input && x->line == y->line;
}

static size_t csv_rows;
static void count_field(void *s, size_t n, void *u) {
  (void)s, (void)n, (void)u;
}
static void count_row(int ch, void *u) {
  (void)ch, (void)u;
  csv_rows++;
}

/* Records in the rejects CSV (header included). */
static size_t rejects_rows(const struct ck_cohort *c) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  CHECK(f != NULL);
  CHECK(ck_cohort_write_rejects(f, c) == CK_OK);
  CHECK(fclose(f) == 0);
  struct csv_parser p;
  CHECK(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) == 0);
  csv_rows = 0;
  CHECK(csv_parse(&p, buf, len, count_field, count_row, NULL) == len);
  CHECK(csv_fini(&p, count_field, count_row, NULL) == 0);
  csv_free(&p);
  free(buf);
  return csv_rows;
}

static void check_cohort(const struct ck_cohort *c) {
  size_t sum[6] = {0};
  CHECK(c->n_records == c->accepted);
  for (size_t i = 0; i < c->n_inputs; i++) {
    const struct ck_input *in = &c->inputs[i];
    CHECK(in->read == in->accepted + in->excluded + in->rejected);
    size_t rej = 0, exc = 0, warn = 0, acc = 0;
    for (size_t k = 0; k < c->n_issues; k++) {
      const struct ck_issue *is = &c->issues[k];
      CHECK(is->input < c->n_inputs);
      CHECK(is->reason != NULL && is->reason[0] != '\0');
      if (is->input != i)
        continue;
      if (is->kind == CK_ISSUE_REJECT) {
        rej++;
        CHECK(is->line >= 1);
      } else if (is->kind == CK_ISSUE_EXCLUDE) {
        exc++;
        CHECK(is->line >= 1);
      } else if (is->kind == CK_ISSUE_WARNING) {
        warn++;
      }
    }
    for (size_t k = 0; k < c->n_records; k++)
      acc += c->records[k].input == i;
    CHECK(rej == in->rejected && exc == in->excluded && warn == in->warnings);
    CHECK(acc == in->accepted);
    sum[0] += in->read, sum[1] += in->accepted, sum[2] += in->excluded;
    sum[3] += in->rejected, sum[4] += in->warnings, sum[5] += in->blank;
  }
  CHECK(sum[0] == c->read && sum[1] == c->accepted && sum[2] == c->excluded);
  CHECK(sum[3] == c->rejected && sum[4] == c->warnings && sum[5] == c->blank);
  CHECK(c->read == c->accepted + c->excluded + c->rejected);
  CHECK(c->excluded == c->excluded_no_score + c->excluded_years);
  CHECK(c->retake_after_pass <= c->accepted);
  for (size_t k = 0; k < c->n_records; k++)
    check_record(c, &c->records[k]);
  CHECK(rejects_rows(c) == c->rejected + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  size_t chunk = data[0] == 0 ? 0 : (size_t)(data[0] % 64) + 1;
  struct ck_ingest_options opt = {0};
  opt.keep_raw = true;
  if (data[1] & 0x80) {
    opt.year_from = 2018;
    opt.year_to = 2022;
  }
  opt.max_field = data[1] & 0x40 ? (size_t)(data[1] & 0x3F) + 1 : 0;
  const char *buf = (const char *)data + 2;
  size_t len = size - 2;

  /* Split into two inputs at the first FF FE FD marker, if any. */
  size_t cut = len;
  for (size_t i = 0; i + 2 < len; i++)
    if ((unsigned char)buf[i] == 0xFF && (unsigned char)buf[i + 1] == 0xFE &&
        (unsigned char)buf[i + 2] == 0xFD) {
      cut = i;
      break;
    }

  struct ck_cohort *c = ck_cohort_new(cfg, &opt);
  CHECK(c != NULL);
  struct ck_error err;
  ck_error_clear(&err);
  enum ck_status st = ck_ingest_buffer(c, "fuzz-a.csv", buf, cut, chunk, &err);
  if (st != CK_OK)
    CHECK(err.code == st && err.text[0] != '\0');
  check_cohort(c);
  if (cut < len) {
    ck_error_clear(&err);
    st = ck_ingest_buffer(c, "fuzz-b.csv", buf + cut + 3, len - cut - 3, chunk,
                          &err);
    if (st != CK_OK)
      CHECK(err.code == st && err.text[0] != '\0');
    check_cohort(c);
  }

  /* The same first input fed whole must give the same result: the reader's
   * line splitting and the head check must not depend on chunk bounds. */
  struct ck_cohort *w = ck_cohort_new(cfg, &opt);
  struct ck_error err2;
  ck_error_clear(&err2);
  ck_error_clear(&err);
  enum ck_status s1 = ck_ingest_buffer(w, "fuzz-a.csv", buf, cut, 0, &err2);
  struct ck_cohort *k = ck_cohort_new(cfg, &opt);
  enum ck_status s2 = ck_ingest_buffer(k, "fuzz-a.csv", buf, cut, chunk, &err);
  CHECK(s1 == s2 && err.line == err2.line && strcmp(err.text, err2.text) == 0);
  const struct ck_input *a = &w->inputs[0], *b = &k->inputs[0];
  CHECK(a->read == b->read && a->accepted == b->accepted &&
        a->excluded == b->excluded && a->rejected == b->rejected &&
        a->warnings == b->warnings && a->blank == b->blank);
  /* After a fatal error reading stops where the chunk ends, so the digest
   * and byte count describe the whole input only on success. */
  if (s1 == CK_OK)
    CHECK(strcmp(a->sha256, b->sha256) == 0 && a->bytes == b->bytes);
  CHECK(w->n_issues == k->n_issues);
  for (size_t i = 0; i < w->n_issues; i++)
    CHECK(w->issues[i].line == k->issues[i].line &&
          strcmp(w->issues[i].reason, k->issues[i].reason) == 0);
  CHECK(w->n_records == k->n_records);
  for (size_t i = 0; i < w->n_records; i++)
    CHECK(same_record(&w->records[i], &k->records[i]));
  ck_cohort_free(w);
  ck_cohort_free(k);
  ck_cohort_free(c);
  return 0;
}
