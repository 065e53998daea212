/*
 * fuzz_report.c - libFuzzer harness for the whole pipeline after reading:
 * CSV -> ingest -> analyse -> suppress -> render (text, md, json)
 * SPDX-License-Identifier: MIT
 *
 * Byte 0 picks min_cell (3..18) and the interval kind, so that small
 * fuzzed cohorts reach the statistics and the suppression programs; the rest
 * is one CSV file.  Whatever the data, the pipeline must return a report or
 * an error with a message, and every renderer must succeed into memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckcohort/analyse.h"
#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "ckcohort/render.h"
#include "ckcohort/report.h"

#include "check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  ck_init();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  struct ck_config *cfg = ck_config_new();
  cfg->min_cell = CK_MIN_CELL_FLOOR + (data[0] & 15);
  cfg->clopper_pearson = (data[0] & 16) != 0;
  struct ck_cohort *c = ck_cohort_new(cfg, NULL);
  struct ck_error err;
  ck_error_clear(&err);
  if (ck_ingest_buffer(c, "fuzz.csv", (const char *)data + 1, size - 1, 0,
                       &err) == CK_OK) {
    struct ck_report *r = ck_analyse(c, cfg, &err);
    if (r == NULL) {
      CHECK(err.code != CK_OK && err.text[0] != '\0');
    } else {
      CHECK(ck_suppress(r) == CK_OK);
      static const char *const formats[] = {"text", "md", "json"};
      for (size_t k = 0; k < 3; k++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        CHECK(f != NULL);
        CHECK(ck_renderer(formats[k])(f, r) == CK_OK);
        CHECK(fclose(f) == 0);
        CHECK(len > 0);
        free(buf);
      }
      ck_report_free(r);
    }
  }
  ck_cohort_free(c);
  ck_config_free(cfg);
  return 0;
}
