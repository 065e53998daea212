/*
 * csvcount.c - the baseline for scripts/bench.sh: a bare libcsv parse of a
 * file (callbacks only count fields and rows), read in 64 KiB chunks like
 * ckcohort.  It is the mandated parser's own limit.
 * SPDX-License-Identifier: MIT
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

struct counts {
  size_t fields, rows;
};

static void on_field(void *s, size_t len, void *data) {
  (void)s;
  (void)len;
  ((struct counts *)data)->fields++;
}

static void on_row(int c, void *data) {
  (void)c;
  ((struct counts *)data)->rows++;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: csvcount FILE\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (f == NULL) {
    perror(argv[1]);
    return 2;
  }
  struct csv_parser p;
  struct counts c = {0, 0};
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
    return 3;
  static char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    if (csv_parse(&p, buf, n, on_field, on_row, &c) != n) {
      fprintf(stderr, "csvcount: %s\n", csv_strerror(csv_error(&p)));
      return 1;
    }
  }
  csv_fini(&p, on_field, on_row, &c);
  csv_free(&p);
  fclose(f);
  printf("rows %zu fields %zu\n", c.rows, c.fields);
  return 0;
}
