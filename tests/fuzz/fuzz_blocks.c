/*
 * fuzz_blocks.c - libFuzzer harness: the block path (ck_ingest_file, fast
 * parsers on worker threads, ID fingerprints) against the careful path
 * (ck_ingest_buffer), which fuzz_ingest checks on its own
 * SPDX-License-Identifier: MIT
 *
 * Input layout: byte 0 picks the block size (64 + 8 * b bytes, so a few
 * hundred rows cross many block boundaries), byte 1 the options (bit 0:
 * two threads, else one; bit 1: the tally; bit 2: keep rejected rows'
 * bytes; bit 3: --years 2018-2022; bit 4: every block through the careful
 * path, with fingerprints; bit 5: fields capped at 33 bytes, rows at 528,
 * so the block path's own size checks meet the careful path's; bit 6:
 * counts only, as validate reads); the rest is the file.  The two paths
 * must agree on the status and error, every count, every issue (kind, line,
 * column, value, reason, row bytes), every record, every tally row, every
 * specialty name, and on success the digest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "cohort.h"

#include "check.h"

static struct ck_config *cfg;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void cleanup(void) { unlink(path); }

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  cfg = ck_config_new();
  snprintf(path, sizeof path, "/tmp/fuzz_blocks_XXXXXX");
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  atexit(cleanup);
  return 0;
}

static bool same_str(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  struct ck_ingest_options opt = {0};
  opt.block = 64 + 8 * (size_t)data[0];
  opt.threads = data[1] & 1 ? 2 : 1;
  opt.tally = (data[1] & 2) != 0;
  opt.keep_raw = (data[1] & 4) != 0;
  opt.careful = (data[1] & 16) != 0;
  if (data[1] & 32)
    opt.max_field = 33;
  opt.counts_only = (data[1] & 64) != 0;
  if (data[1] & 8) {
    opt.year_from = 2018;
    opt.year_to = 2022;
  }
  const char *buf = (const char *)data + 2;
  size_t len = size - 2;
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  CHECK(fwrite(buf, 1, len, f) == len);
  CHECK(fclose(f) == 0);

  struct ck_cohort *a = ck_cohort_new(cfg, &opt), *b = ck_cohort_new(cfg, &opt);
  struct ck_error ea, eb;
  ck_error_clear(&ea);
  ck_error_clear(&eb);
  enum ck_status sa = ck_ingest_buffer(a, path, buf, len, 0, &ea);
  enum ck_status sb = ck_ingest_file(b, path, &eb);
  CHECK(sa == sb);
  CHECK(ea.line == eb.line && strcmp(ea.text, eb.text) == 0);
  CHECK(a->n_inputs == 1 && b->n_inputs == 1);
  const struct ck_input *p = &a->inputs[0], *q = &b->inputs[0];
  CHECK(p->read == q->read && p->accepted == q->accepted &&
        p->excluded == q->excluded && p->rejected == q->rejected &&
        p->warnings == q->warnings && p->blank == q->blank);
  if (sa == CK_OK)
    CHECK(strcmp(p->sha256, q->sha256) == 0 && p->bytes == q->bytes);
  CHECK(a->excluded_no_score == b->excluded_no_score &&
        a->excluded_years == b->excluded_years &&
        a->retake_after_pass == b->retake_after_pass);
  CHECK(a->n_issues == b->n_issues);
  for (size_t i = 0; i < a->n_issues; i++) {
    const struct ck_issue *x = &a->issues[i], *y = &b->issues[i];
    CHECK(x->kind == y->kind && x->line == y->line);
    CHECK(same_str(x->column, y->column) && same_str(x->value, y->value) &&
          same_str(x->reason, y->reason) && same_str(x->raw, y->raw));
  }
  CHECK(a->n_records == b->n_records);
  CHECK(a->n_records == 0 ||
        memcmp(a->records, b->records, a->n_records * sizeof *a->records) == 0);
  CHECK(a->n_tally == b->n_tally);
  CHECK(a->n_tally == 0 ||
        memcmp(a->tally, b->tally, a->n_tally * sizeof *a->tally) == 0);
  CHECK(ck_cohort_specialty_count(a) == ck_cohort_specialty_count(b));
  for (size_t i = 0; i < ck_cohort_specialty_count(a); i++)
    CHECK(strcmp(ck_cohort_specialty_name(a, (int)i),
                 ck_cohort_specialty_name(b, (int)i)) == 0);
  ck_cohort_free(a);
  ck_cohort_free(b);
  return 0;
}
