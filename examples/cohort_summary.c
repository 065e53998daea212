/*
 * cohort_summary.c - a client of libckcohort, built against the installed
 * headers and library only:
 *
 *   cc cohort_summary.c $(pkg-config --cflags --libs --static ckcohort)
 *   ./a.out report.json class-*.csv
 *
 * Reads the CSV files, builds and suppresses a report, prints a few
 * headline figures through the report's accessors (the model is opaque;
 * they show only what the privacy check let through) and writes the JSON
 * rendering (docs/report-json.md) to the first argument.  Exit status 0,
 * or 1 with a message on stderr.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <ckcohort/analyse.h>
#include <ckcohort/ckcohort.h>
#include <ckcohort/config.h>
#include <ckcohort/groups.h>
#include <ckcohort/ingest.h>
#include <ckcohort/render.h>
#include <ckcohort/report.h>

/* A count of the model is a cell index: the library gives its value only
 * when the report shows it. */
static void print_count(const struct ck_report *r, const char *name,
                        size_t cell) {
  long v;
  if (ck_report_count(r, cell, &v) != CK_SHOWN)
    printf(" %s=withheld", name);
  else
    printf(" %s=%ld", name, v);
}

static void print_est(const char *name, enum ck_shown shown,
                      const struct ck_est *e) {
  if (shown != CK_SHOWN)
    printf(" %s=withheld", name);
  else
    printf(" %s=%.6f [%.6f, %.6f]", name, e->estimate, e->lo, e->hi);
}

static int fail(const struct ck_error *err) {
  fprintf(stderr, "cohort_summary: %s%s%s\n", err->file,
          err->file[0] ? ": " : "", err->text);
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: cohort_summary OUT.json FILE.csv...\n");
    return 1;
  }
  ck_init();
  struct ck_error err;
  ck_error_clear(&err);
  struct ck_config *cfg = ck_config_new(); /* the defaults of config.h */
  struct ck_ingest_options opt;
  memset(&opt, 0, sizeof opt);
  opt.tally = true; /* as `ckcohort report` does */
  struct ck_cohort *c = ck_cohort_new(cfg, &opt);
  struct ck_report *r = NULL;
  int rc = 1;
  for (int i = 2; i < argc; i++)
    if (ck_ingest_file(c, argv[i], &err) != CK_OK) {
      rc = fail(&err);
      goto out;
    }
  ck_cohort_done(c);
  r = ck_analyse(c, cfg, &err);
  if (r == NULL) {
    rc = fail(&err);
    goto out;
  }
  if (ck_suppress(r) != CK_OK) { /* renderers refuse an unchecked model */
    fprintf(stderr, "cohort_summary: the privacy check failed\n");
    goto out;
  }

  printf("ckcohort %s\n", ck_version());
  struct ck_row_counts rows = ck_report_rows(r);
  printf("rows read=%zu accepted=%zu rejected=%zu\n", rows.read, rows.accepted,
         rows.rejected);
  for (int g = 0; g < CK_G_COUNT; g++) {
    const struct ck_group_row *row = ck_report_group(r, (enum ck_group_id)g);
    printf("group %s:", ck_group_key(row->id));
    print_count(r, "n", row->n);
    print_count(r, "matched", row->matched);
    print_est("match_rate", row->match_rate.shown, &row->match_rate.est);
    printf("\n");
  }
  for (size_t i = 0; i < ck_report_comparison_count(r); i++) {
    const struct ck_comparison *cmp = ck_report_comparison(r, i);
    printf("comparison %s:", cmp->id);
    print_est("difference", cmp->shown, &cmp->difference);
    printf("\n");
  }

  FILE *out = fopen(argv[1], "w");
  if (out == NULL) {
    perror(argv[1]);
    goto out;
  }
  enum ck_status st = ck_render_json(out, r);
  if (fclose(out) != 0 || st != CK_OK) {
    fprintf(stderr, "cohort_summary: %s: could not write the report\n",
            argv[1]);
    goto out;
  }
  rc = 0;
out:
  ck_report_free(r);
  ck_cohort_free(c);
  ck_config_free(cfg);
  ck_library_cleanup();
  return rc;
}
