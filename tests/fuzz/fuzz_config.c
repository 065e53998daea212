/*
 * fuzz_config.c - libFuzzer harness for the settings file reader
 * SPDX-License-Identifier: MIT
 *
 * Loads the input over the defaults with ck_config_load_buffer.  An error
 * must come with a message.  A file that loads and passes the cross-field
 * check must round-trip: ck_config_write's output loads again, passes the
 * check, and writes back byte for byte the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckcohort/config.h"

#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *write_config(const struct ck_config *cfg, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  CHECK(f != NULL);
  CHECK(ck_config_write(f, cfg) == CK_OK);
  CHECK(fclose(f) == 0);
  return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct ck_config *cfg = ck_config_new();
  CHECK(cfg != NULL);
  struct ck_error err;
  ck_error_clear(&err);
  enum ck_status st =
      ck_config_load_buffer(cfg, "fuzz.ini", (const char *)data, size, &err);
  if (st != CK_OK) {
    CHECK(err.code == st && err.text[0] != '\0');
    CHECK(strcmp(err.file, "fuzz.ini") == 0);
    ck_config_free(cfg);
    return 0;
  }
  CHECK(ck_config_check(cfg, &err) == CK_OK);
  size_t n1 = 0, n2 = 0;
  char *w1 = write_config(cfg, &n1);
  struct ck_config *again = ck_config_new();
  ck_error_clear(&err);
  st = ck_config_load_buffer(again, "written.ini", w1, n1, &err);
  if (st != CK_OK) {
    fprintf(stderr, "reload failed: %s:%ld: %s: %s\n%.*s\n", err.file, err.line,
            err.column, err.text, (int)n1, w1);
    abort();
  }
  char *w2 = write_config(again, &n2);
  if (n1 != n2 || memcmp(w1, w2, n1) != 0) {
    fprintf(stderr, "round trip differs:\n%.*s\n---\n%.*s\n", (int)n1, w1,
            (int)n2, w2);
    abort();
  }
  free(w1);
  free(w2);
  ck_config_free(again);
  ck_config_free(cfg);
  return 0;
}
