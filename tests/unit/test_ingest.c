/*
 * test_ingest.c - the CSV reader and row validation, every fixture at every
 * chunk size from 1 to its length
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ckcohort/config.h"
#include "ckcohort/ingest.h"
#include "sb.h"
#include "config_internal.h"
#include "cohort.h"

static struct ck_config *cfg;

/* Short header (4 columns) and a full one (15 columns). */
#define SH "student_id,match_year,step2_attempt_1,matched\n"
#define FH                                                                     \
  "student_id,match_year,step2_attempt_1,step2_attempt_2,step2_attempt_3,"     \
  "step2_date_1,step2_date_2,practice_avg_1,target_specialty,matched,"         \
  "matched_specialty,program_type,matched_via_soap,reapplicant,"               \
  "dedicated_weeks\n"

struct res {
  struct ck_cohort *c;
  enum ck_status st[4];
  struct ck_error err[4];
};

static const char kind_char[] = "REWN";

/* Everything observable about a run, as text. */
static char *signature(const struct res *r, size_t nb) {
  struct sb b = {0};
  sb_printf(&b, "%s", "");
  const struct ck_cohort *c = r->c;
  for (size_t i = 0; i < nb; i++)
    sb_printf(&b, "st%d err[%d %s %ld %s %s]\n", r->st[i], r->err[i].code,
              r->err[i].file, r->err[i].line, r->err[i].column, r->err[i].text);
  sb_printf(&b, "tot %zu %zu %zu %zu %zu %zu\n", c->read, c->accepted,
            c->excluded, c->rejected, c->warnings, c->blank);
  for (size_t i = 0; i < c->n_inputs; i++) {
    const struct ck_input *in = &c->inputs[i];
    sb_printf(&b, "in %s %s %llu %zu %zu %zu %zu %zu %zu\n", in->path,
              in->sha256, (unsigned long long)in->bytes, in->read, in->accepted,
              in->excluded, in->rejected, in->warnings, in->blank);
  }
  for (size_t i = 0; i < c->n_issues; i++) {
    const struct ck_issue *is = &c->issues[i];
    sb_printf(&b, "issue %c %u %ld %s|%s|%s|%s\n", kind_char[is->kind],
              is->input, is->line, is->column ? is->column : "-",
              is->value ? is->value : "-", is->reason, is->raw ? is->raw : "-");
  }
  for (size_t i = 0; i < c->n_records; i++) {
    const struct ck_record *x = &c->records[i];
    sb_printf(&b, "rec %u %u %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d\n",
              x->input, x->line, x->score[0], x->score[1], x->score[2],
              x->score[3], x->date[0], x->date[1], x->practice[0],
              x->match_year, x->target, x->matched_specialty, x->n_attempts,
              x->matched, x->program, x->soap, x->reapplicant, x->flags);
  }
  return b.s;
}

static struct res ingest(const char *const *bufs, const size_t *lens, size_t nb,
                         const struct ck_ingest_options *opt, size_t chunk) {
  struct res r;
  memset(&r, 0, sizeof r);
  r.c = ck_cohort_new(cfg, opt);
  assert_non_null(r.c);
  for (size_t i = 0; i < nb; i++) {
    char name[32];
    snprintf(name, sizeof name, "in%zu.csv", i + 1);
    ck_error_clear(&r.err[i]);
    r.st[i] = ck_ingest_buffer(r.c, name, bufs[i], lens[i], chunk, &r.err[i]);
  }
  return r;
}

static void assert_accounting(const struct ck_cohort *c) {
  size_t read = 0;
  for (size_t i = 0; i < c->n_inputs; i++) {
    const struct ck_input *in = &c->inputs[i];
    assert_int_equal(in->read, in->accepted + in->excluded + in->rejected);
    read += in->read;
  }
  assert_int_equal(c->read, read);
  assert_int_equal(c->read, c->accepted + c->excluded + c->rejected);
  assert_int_equal(c->accepted, c->n_records);
  size_t k[4] = {0};
  for (size_t i = 0; i < c->n_issues; i++)
    k[c->issues[i].kind]++;
  assert_int_equal(k[CK_ISSUE_REJECT], c->rejected);
  assert_int_equal(k[CK_ISSUE_EXCLUDE], c->excluded);
  assert_int_equal(k[CK_ISSUE_WARNING], c->warnings);
}

/* Ingest at chunk 0 (all at once), then at every chunk size 1..len, and
 * require identical results; returns the chunk-0 run. */
static struct res run_n(const char *const *bufs, const size_t *lens, size_t nb,
                        const struct ck_ingest_options *opt) {
  struct res base = ingest(bufs, lens, nb, opt, 0);
  char *want = signature(&base, nb);
  assert_accounting(base.c);
  size_t max = 0;
  for (size_t i = 0; i < nb; i++)
    if (lens[i] > max)
      max = lens[i];
  for (size_t chunk = 1; chunk <= max; chunk++) {
    struct res r = ingest(bufs, lens, nb, opt, chunk);
    char *got = signature(&r, nb);
    if (strcmp(got, want) != 0) {
      print_error("chunk size %zu differs\n--- whole\n%s--- chunked\n%s", chunk,
                  want, got);
      fail();
    }
    free(got);
    ck_cohort_free(r.c);
  }
  free(want);
  return base;
}

static struct res run_opt(const char *buf, size_t len,
                          const struct ck_ingest_options *opt) {
  return run_n(&buf, &len, 1, opt);
}

#define RUN(lit)        run_opt((lit), sizeof(lit) - 1, NULL)
#define RUN_OPT(lit, o) run_opt((lit), sizeof(lit) - 1, (o))

/* Issues as "line kind column|value|reason" lines. */
static char *issues(const struct ck_cohort *c) {
  struct sb b = {0};
  sb_printf(&b, "%s", "");
  for (size_t i = 0; i < c->n_issues; i++) {
    const struct ck_issue *is = &c->issues[i];
    sb_printf(&b, "%ld %c %s|%s|%s\n", is->line, kind_char[is->kind],
              is->column ? is->column : "-", is->value ? is->value : "-",
              is->reason);
  }
  return b.s;
}

#define ASSERT_ISSUES(c, want)                                                 \
  do {                                                                         \
    char *got_ = issues(c);                                                    \
    assert_string_equal(got_, want);                                           \
    free(got_);                                                                \
  } while (0)

static void assert_counts(const struct ck_cohort *c, size_t read,
                          size_t accepted, size_t excluded, size_t rejected,
                          size_t blank) {
  assert_int_equal(c->read, read);
  assert_int_equal(c->accepted, accepted);
  assert_int_equal(c->excluded, excluded);
  assert_int_equal(c->rejected, rejected);
  assert_int_equal(c->blank, blank);
}

/* ---- tests ------------------------------------------------------------- */

static void bom_and_crlf(void **state) {
  (void)state;
  struct res r = RUN("\xEF\xBB\xBF"
                     "student_id,match_year,step2_attempt_1,matched\r\n"
                     "S1,2024,230,Y\r\nS2,2024,x,N\r\nS3,2023,215,n\r\n");
  assert_int_equal(r.st[0], CK_OK);
  assert_counts(r.c, 3, 2, 0, 1, 0);
  ASSERT_ISSUES(r.c, "3 R step2_attempt_1|x|is not a whole number 1–300\n");
  assert_int_equal(r.c->records[0].line, 2);
  assert_int_equal(r.c->records[1].line, 4);
  assert_int_equal(r.c->records[1].score[0], 215);
  assert_int_equal(r.c->records[1].matched, 0);
  ck_cohort_free(r.c);
}

static void bare_cr(void **state) {
  (void)state;
  struct res r = RUN("student_id,match_year,step2_attempt_1,matched\r"
                     "S1,2024,230,Y\rS2,2024,999,N\r\rS3,2023,215,n");
  assert_counts(r.c, 3, 2, 0, 1, 1);
  ASSERT_ISSUES(r.c, "3 R step2_attempt_1|999|is not a whole number 1–300\n");
  assert_int_equal(r.c->records[1].line, 5);
  ck_cohort_free(r.c);
}

static void quoted_fields(void **state) {
  (void)state;
  struct res r = RUN(SH "\"S,1\",2024,\"230\",Y\n"
                        "\"S\"\"2\",\"2024\",231,\"yes\"\n"
                        "\"S3\nsecond\r\nthird\",2024,232,Y\n"
                        "S4,2024,23x,Y\n"
                        "S5,\"20\n24\",240,Y\n"
                        "S6,2024,241,Y\n");
  assert_counts(r.c, 6, 4, 0, 2, 0);
  ASSERT_ISSUES(r.c, "7 R step2_attempt_1|23x|is not a whole number 1–300\n"
                     "8 R match_year|20\n24|is not a whole number 1990–2100\n");
  assert_int_equal(r.c->records[0].line, 2);
  assert_int_equal(r.c->records[1].line, 3);
  assert_int_equal(r.c->records[2].line, 4);
  assert_int_equal(r.c->records[3].line, 10);
  ck_cohort_free(r.c);
}

static void blank_lines(void **state) {
  (void)state;
  struct res r = RUN("\n" SH "\n\nS1,2024,230,Y\n   \n,,,\n\t\n"
                     "\"\",,\"\",\n\r\nS2,2024,231,Y\n\n");
  assert_counts(r.c, 2, 2, 0, 0, 9);
  assert_int_equal(r.c->records[0].line, 5);
  assert_int_equal(r.c->records[1].line, 11);
  assert_int_equal(r.c->inputs[0].blank, 9);
  ck_cohort_free(r.c);
}

static void surrounding_spaces(void **state) {
  (void)state;
  struct res r = RUN(SH " S1 , 2024 ,\t230 , Y \n\" S2 \",\" 2024\",\" 231 \","
                        "\" no\"\n");
  assert_counts(r.c, 2, 2, 0, 0, 0);
  assert_int_equal(r.c->records[0].score[0], 230);
  assert_int_equal(r.c->records[1].score[0], 231);
  assert_int_equal(r.c->records[1].matched, 0);
  ck_cohort_free(r.c);
}

static void last_line_without_newline(void **state) {
  (void)state;
  struct res r = RUN(SH "S1,2024,230,Y\nS2,2024,231,maybe");
  assert_counts(r.c, 2, 1, 0, 1, 0);
  ASSERT_ISSUES(r.c, "3 R matched|maybe|is not a yes/no value\n");
  ck_cohort_free(r.c);
  r = RUN(SH "S1,2024,230,Y\n   ");
  assert_counts(r.c, 1, 1, 0, 0, 1);
  ck_cohort_free(r.c);
}

static void stray_quote_mid_file(void **state) {
  (void)state;
  struct ck_ingest_options o = {.keep_raw = true};
  struct res r = RUN_OPT(SH "S1,2024,230,Y\nS2,20\"24,231,Y\n"
                            "\"S3\"x,2024,232,Y\nS4,2024,233,Y\n"
                            "\"S5\nq\"z,1,2,3\nS6,2024,234,Y\n",
                         &o);
  assert_counts(r.c, 6, 3, 0, 3, 0);
  ASSERT_ISSUES(r.c, "3 R -|-|stray quote\n"
                     "4 R -|-|stray quote\n"
                     "6 R -|-|stray quote\n");
  assert_string_equal(r.c->issues[0].raw, "S2,20\"24,231,Y");
  assert_string_equal(r.c->issues[2].raw, "\"S5\nq\"z,1,2,3");
  assert_int_equal(r.c->records[1].line, 5);
  assert_int_equal(r.c->records[2].line, 8);
  ck_cohort_free(r.c);
}

static void unterminated_quote_at_eof(void **state) {
  (void)state;
  struct ck_ingest_options o = {.keep_raw = true};
  struct res r =
      RUN_OPT(SH "S1,2024,230,Y\nS2,2024,\"231,Y\nS3,2024,1,Y\n", &o);
  assert_int_equal(r.st[0], CK_OK);
  assert_counts(r.c, 2, 1, 0, 1, 0);
  ASSERT_ISSUES(r.c, "3 R -|-|unterminated quoted field\n");
  assert_string_equal(r.c->issues[0].raw, "S2,2024,\"231,Y\nS3,2024,1,Y");
  ck_cohort_free(r.c);
}

static void ragged_rows(void **state) {
  (void)state;
  struct res r = RUN(SH "S1,2024,230\nS2,2024,231,Y,extra\nS3,2024,232,Y\n"
                        "S4\n");
  assert_counts(r.c, 4, 1, 0, 3, 0);
  ASSERT_ISSUES(r.c, "2 R -|-|row has 3 fields, header has 4\n"
                     "3 R -|-|row has 5 fields, header has 4\n"
                     "5 R -|-|row has 1 field, header has 4\n");
  ck_cohort_free(r.c);
}

static void nul_byte(void **state) {
  (void)state;
  struct res r = RUN(SH "S\0001,2024,230,Y\nS2,2024,231,Y\n");
  assert_counts(r.c, 2, 1, 0, 1, 0);
  ASSERT_ISSUES(r.c, "2 R student_id|S\\x001|contains a NUL byte\n");
  ck_cohort_free(r.c);
}

static void invalid_utf8(void **state) {
  (void)state;
  struct res r = RUN("student_id,match_year,step2_attempt_1,matched,notes\n"
                     "S1,2024,230,Y,caf\xC3\xA9\n"
                     "S2,2024,231,Y,caf\xE9\n"
                     "S\xC0\xAF,2024,232,Y,\n");
  assert_counts(r.c, 3, 1, 0, 2, 0);
  ASSERT_ISSUES(r.c, "0 N -|notes|unknown column \"notes\" ignored\n"
                     "3 R notes|caf\\xE9|is not valid UTF-8\n"
                     "4 R student_id|S\\xC0\\xAF|is not valid UTF-8\n");
  ck_cohort_free(r.c);
}

static void utf16_file(void **state) {
  (void)state;
  struct res r = RUN("\xFF\xFE"
                     "i\0d\0,\0y\0\n\0");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_string_equal(r.err[0].text,
                      "file is UTF-16 (or binary), not UTF-8 text");
  assert_string_equal(r.err[0].file, "in1.csv");
  assert_int_equal(r.c->read, 0);
  ck_cohort_free(r.c);
  /* No BOM, but half the bytes are NUL. */
  r = RUN("s\0t\0u\0d\0e\0n\0t\0_\0i\0d\0\n\0S\0001\0\n\0");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_string_equal(r.err[0].text,
                      "file is UTF-16 (or binary), not UTF-8 text");
  ck_cohort_free(r.c);
}

/* A NUL byte must not cut the rejected row short in the rejects file. */
static void nul_byte_raw_row_kept_whole(void **state) {
  (void)state;
  struct ck_ingest_options o = {.keep_raw = true};
  struct res r = RUN_OPT(SH "S\0001,2024,230,Y\nS2,2024,231,Y\n", &o);
  assert_int_equal(r.c->rejected, 1);
  assert_string_equal(r.c->issues[0].raw, "S\\x001,2024,230,Y");
  ck_cohort_free(r.c);
}

/* Headers that are not text: fail on the header, not on a missing column. */
static void header_not_text(void **state) {
  (void)state;
  struct res r = RUN("student_id,match_year,step2_attempt_1,matched,caf\xE9\n");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_string_equal(
      r.err[0].text, "header row is not valid UTF-8; is this a CSV text file?");
  assert_int_equal(r.err[0].line, 1);
  ck_cohort_free(r.c);
  r = RUN("student_id,match_year,step2_attempt_1,matched,x\0y\n");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_string_equal(
      r.err[0].text,
      "header row contains a NUL byte; is this a CSV text file?");
  ck_cohort_free(r.c);
}

/* Workbooks and compressed files are named as such. */
static void known_binary_kinds(void **state) {
  (void)state;
  struct res r = RUN("PK\x03\x04\x14\0\x06\0[Content_Types].xml");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_string_equal(r.err[0].text,
                      "file is a ZIP archive (an .xlsx or .ods workbook?), not "
                      "CSV text; save it as CSV UTF-8");
  ck_cohort_free(r.c);
  r = RUN("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0");
  assert_string_equal(r.err[0].text,
                      "file is an old Excel (.xls) workbook, not "
                      "CSV text; save it as CSV UTF-8");
  ck_cohort_free(r.c);
  r = RUN("\x1F\x8B\x08\0");
  assert_string_equal(
      r.err[0].text,
      "file is gzip-compressed, not CSV text; save it as CSV UTF-8");
  ck_cohort_free(r.c);
  r = RUN("%PDF-1.7\n");
  assert_string_equal(
      r.err[0].text,
      "file is a PDF document, not CSV text; save it as CSV UTF-8");
  assert_int_equal(r.c->read, 0);
  ck_cohort_free(r.c);
}

static void empty_files(void **state) {
  (void)state;
  struct res r = RUN("");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_string_equal(r.err[0].text, "file is empty (no header row)");
  ck_cohort_free(r.c);
  r = RUN("\xEF\xBB\xBF\r\n\n");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_int_equal(r.c->blank, 2);
  ck_cohort_free(r.c);
  r = RUN(SH);
  assert_int_equal(r.st[0], CK_OK);
  assert_counts(r.c, 0, 0, 0, 0, 0);
  ck_cohort_free(r.c);
}

static void header_aliases(void **state) {
  (void)state;
  struct res r = RUN(
      "Pseudo-ID,CYCLE,Step 2 CK Score,STEP2-CK-2,Step2 CK Date 1,"
      "ck date 2,NBME avg 1,Practice Average 2,Applied Specialty,Match Status,"
      "Specialty Matched,Program,Via SOAP,Reapplied,Protected Weeks,Comment\n"
      "S1,2025,200,240,2023-06-01,2024-01-15,205,238,EM,matched,EM,"
      "Academic,no,yes,8,hello\n");
  assert_int_equal(r.st[0], CK_OK);
  assert_counts(r.c, 1, 1, 0, 0, 0);
  ASSERT_ISSUES(r.c, "0 N -|Comment|unknown column \"Comment\" ignored\n");
  const struct ck_record *x = &r.c->records[0];
  assert_int_equal(x->match_year, 2025);
  assert_int_equal(x->score[0], 200);
  assert_int_equal(x->score[1], 240);
  assert_int_equal(x->n_attempts, 2);
  assert_int_equal(x->date[0], ck_days_from_civil(2023, 6, 1));
  assert_int_equal(x->date[1], ck_days_from_civil(2024, 1, 15));
  assert_int_equal(x->practice[0], 205);
  assert_int_equal(x->practice[1], 238);
  assert_string_equal(ck_cohort_specialty_name(r.c, x->target),
                      "Emergency Medicine");
  assert_int_equal(x->matched_specialty, x->target);
  assert_int_equal(x->matched, 1);
  assert_int_equal(x->program, CK_PROGRAM_ACADEMIC);
  assert_int_equal(x->soap, 0);
  assert_int_equal(x->reapplicant, 1);
  assert_int_equal(x->dedicated_weeks, 8);
  ck_cohort_free(r.c);
  /* Other spellings of the required columns. */
  r = RUN("ID,Year,step2ck,Match\nS1,2024,230,1\n");
  assert_counts(r.c, 1, 1, 0, 0, 0);
  ck_cohort_free(r.c);
  r = RUN("Applicant ID,Match Cycle,CK attempt 1,match result,"
          "Comments\nS1,2024,230,0,x\n");
  assert_counts(r.c, 1, 1, 0, 0, 0);
  ASSERT_ISSUES(r.c, "0 N -|Comments|unknown column \"Comments\" ignored\n");
  ck_cohort_free(r.c);
  /* one typo away from an alias: a look-alike, which stops the read */
  r = RUN("Applicant ID,Match Cycle,CK attempt 1,match result,"
          "studentid2\nS1,2024,230,0,x\n");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_non_null(strstr(r.err[0].text, "column \"studentid2\" is not "
                                        "recognised; it looks like "
                                        "student_id, which \"Applicant ID\" "
                                        "already gives"));
  ck_cohort_free(r.c);
}

static void missing_required_column(void **state) {
  (void)state;
  struct res r = RUN("student_id,match_year,step2_attempt_1,match_specialty\n"
                     "S1,2024,230,EM\n");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_string_equal(r.err[0].file, "in1.csv");
  assert_int_equal(r.err[0].line, 1);
  /* every missing column is named in the text, with its other names */
  assert_string_equal(r.err[0].column, "");
  assert_non_null(strstr(r.err[0].text, "required column missing: matched "
                                        "(accepted: matched, match, "
                                        "matchstatus, matchresult)."));
  assert_int_equal(r.c->read, 0);
  ck_cohort_free(r.c);
}

static void duplicate_headers(void **state) {
  (void)state;
  struct res r = RUN("ID,match_year,step2_attempt_1,matched,Student ID\n"
                     "S1,2024,230,Y,S1\n");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_int_equal(r.err[0].line, 1);
  assert_string_equal(r.err[0].column, "student_id");
  assert_string_equal(r.err[0].text, "columns \"ID\" and \"Student ID\" both "
                                     "mean student_id");
  ck_cohort_free(r.c);
  r = RUN("student_id,matched,match_year,step2_attempt_1,matched\n");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_string_equal(r.err[0].text, "columns \"matched\" and \"matched\" both "
                                     "mean matched");
  ck_cohort_free(r.c);
}

static void header_parse_error(void **state) {
  (void)state;
  struct res r = RUN("student_id,ma\"tch_year\nS1,2024\n");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_string_equal(r.err[0].text, "header row: stray quote");
  ck_cohort_free(r.c);
}

static void reject_reasons(void **state) {
  (void)state;
  struct res r =
      RUN(FH
          /* 2 */ "A1,2024,2l6,,,,,,,Y,,,,,\n"
                  /* 3 */ "A2,2024,301,,,,,,,Y,,,,,\n"
                  /* 4 */ "A3,1989,230,,,,,,,Y,,,,,\n"
                  /* 5 */ "A4,2024,230,,,,,,,maybe,,,,,\n"
                  /* 6 */ "A5,2024,230,,,2023-13-01,,,,Y,,,,,\n"
                  /* 7 */ "A6,2024,230,,,2023-02-29,,,,Y,,,,,\n"
                  /* 8 */ "A7,2025,230,,,2024-02-29,,,,Y,,,,,\n"
                  /* 9 */ "A8,2024,200,,240,,,,,Y,,,,,\n"
                  /* 10 */ "A9,2024,230,,,,2023-09-01,,,Y,,,,,\n"
                  /* 11 */ "B1,2024,200,240,,2023-09-01,2023-09-01,,,Y,,,,,\n"
                  /* 12 */ "B2,2024,230,,,,,,,N,Dermatology,,,,\n"
                  /* 13 */ "B3,2024,230,,,,,,,Y,,university,,,\n"
                  /* 14 */ "B4,2024,230,,,,,,,N,,community,,,\n"
                  /* 15 */ "B5,2024,230,,,,,,,N,,,yes,,\n"
                  /* 16 */ ",2024,230,,,,,,,Y,,,,,\n"
                  /* 17 */ "B6,2024,230,,,,,,,Y,,,,,53\n"
                  /* 18 */ "B7,2024,230,,,,,0,,Y,,,,,\n"
                  /* 19 */ "B8,2024,230,,,,,,,Y,,,sometimes,,\n"
                  /* 20 */ "B9,2024,230,,,,,,,Y,,,,x,\n"
                  /* 21 */ "C1,2024,230,,,2023/07/01,,,,Y,,,,,\n"
                  /* 22 */ "C2,2024,230,,,,,,,,,,,,\n"
                  /* 23 */ "C3,,230,,,,,,,Y,,,,,\n"
                  /* 24 */ "C4,2024,-5,,,,,,,Y,,,,,\n"
                  /* 25 */ "C5,2024,200,230,,,,,,N,,,no,no,0\n");
  assert_int_equal(r.st[0], CK_OK);
  ASSERT_ISSUES(
      r.c,
      "2 R step2_attempt_1|2l6|is not a whole number 1–300\n"
      "3 R step2_attempt_1|301|is not a whole number 1–300\n"
      "4 R match_year|1989|is not a whole number 1990–2100\n"
      "5 R matched|maybe|is not a yes/no value\n"
      "6 R step2_date_1|2023-13-01|is not a valid date YYYY-MM-DD\n"
      "7 R step2_date_1|2023-02-29|is not a valid date YYYY-MM-DD\n"
      "9 R step2_attempt_3|240|is given but step2_attempt_2 is empty\n"
      "10 R step2_date_2|2023-09-01|is given without step2_attempt_2\n"
      "11 R step2_date_2|2023-09-01|is not after step2_date_1 "
      "\"2023-09-01\"\n"
      "12 R matched_specialty|Dermatology|is given although matched is no\n"
      "13 R program_type|university|is not academic, community or other\n"
      "14 R program_type|community|is given although matched is no\n"
      "15 R matched_via_soap|yes|is yes although matched is no\n"
      "16 R student_id|-|required value is empty\n"
      "17 R dedicated_weeks|53|is not a whole number 0–52\n"
      "18 R practice_avg_1|0|is not a whole number 1–300\n"
      "19 R matched_via_soap|sometimes|is not a yes/no value\n"
      "20 R reapplicant|x|is not a yes/no value\n"
      "21 R step2_date_1|2023/07/01|is not a valid date YYYY-MM-DD\n"
      "22 R matched|-|required value is empty\n"
      "23 R match_year|-|required value is empty\n"
      "24 R step2_attempt_1|-5|is not a whole number 1–300\n");
  assert_counts(r.c, 24, 2, 0, 22, 0);
  assert_int_equal(r.c->records[0].line, 8);
  assert_int_equal(r.c->records[0].date[0], ck_days_from_civil(2024, 2, 29));
  assert_int_equal(r.c->records[1].line, 25);
  assert_int_equal(r.c->records[1].dedicated_weeks, 0);
  assert_int_equal(r.c->records[1].soap, 0);
  ck_cohort_free(r.c);
}

static void duplicate_ids_across_files(void **state) {
  (void)state;
  const char *bufs[] = {SH "S1,2024,230,Y\nS2,2024,x,Y\nS3,2024,231,Y\n",
                        SH "S3,2025,240,Y\nS2,2025,241,Y\nS1,2025,242,N\n"
                           "S4,2025,,N\nS4,2025,243,Y\n"};
  size_t lens[] = {strlen(bufs[0]), strlen(bufs[1])};
  struct res r = run_n(bufs, lens, 2, NULL);
  ASSERT_ISSUES(r.c, "3 R step2_attempt_1|x|is not a whole number 1–300\n"
                     "2 R student_id|S3|is a duplicate of in1.csv:4\n"
                     "4 R student_id|S1|is a duplicate of in1.csv:2\n"
                     "5 E step2_attempt_1|-|no first Step 2 CK score\n"
                     "6 R student_id|S4|is a duplicate of in2.csv:5\n");
  assert_counts(r.c, 8, 3, 1, 4, 0);
  assert_int_equal(r.c->inputs[1].read, 5);
  assert_int_equal(r.c->inputs[1].rejected, 3);
  assert_int_equal(r.c->issues[1].input, 1);
  ck_cohort_free(r.c);
}

static void exclusions(void **state) {
  (void)state;
  struct ck_ingest_options o = {.year_from = 2023, .year_to = 2024};
  struct res r = RUN_OPT(SH "S1,2024,230,Y\nS2,2022,231,Y\nS3,2023,,N\n"
                            "S4,2025,232,N\nS5,2021,,N\n",
                         &o);
  ASSERT_ISSUES(r.c, "3 E match_year|2022|is outside the selected years\n"
                     "4 E step2_attempt_1|-|no first Step 2 CK score\n"
                     "5 E match_year|2025|is outside the selected years\n"
                     "6 E step2_attempt_1|-|no first Step 2 CK score\n");
  assert_counts(r.c, 5, 1, 4, 0, 0);
  assert_int_equal(r.c->excluded_no_score, 2);
  assert_int_equal(r.c->excluded_years, 2);
  ck_cohort_free(r.c);
}

static void retake_policy_warning(void **state) {
  (void)state;
  struct res r =
      RUN("student_id,match_year,step2_attempt_1,step2_attempt_2,step2_date_1,"
          "matched\n"
          "S1,2024,216,231,2023-07-10,Y\n" /* passed (214), retook: warning */
          "S2,2024,210,231,2023-07-10,Y\n" /* failed, retook: fine */
          "S3,2024,212,231,2022-06-30,Y\n" /* passed under 209 */
          "S4,2026,216,231,,Y\n"           /* undated: 2025-08-01, mark 218 */
          "S5,2025,214,,,Y\n");
  assert_counts(r.c, 5, 5, 0, 0, 0);
  ASSERT_ISSUES(r.c,
                "2 W step2_attempt_2|231|follows a passed attempt; USMLE does "
                "not allow retaking a passed Step except to meet a state "
                "board's time limit\n"
                "4 W step2_attempt_2|231|follows a passed attempt; USMLE does "
                "not allow retaking a passed Step except to meet a state "
                "board's time limit\n");
  assert_int_equal(r.c->warnings, 2);
  assert_int_equal(r.c->retake_after_pass, 2);
  assert_int_equal(r.c->records[0].flags, CK_REC_RETAKE_AFTER_PASS);
  assert_int_equal(r.c->records[1].flags, 0);
  assert_int_equal(r.c->records[3].flags, 0);
  ck_cohort_free(r.c);
}

static void unknown_specialty(void **state) {
  (void)state;
  const char *bufs[] = {
      "student_id,match_year,step2_attempt_1,target_specialty,matched,"
      "matched_specialty\n"
      "S1,2024,230,Astrology,Y,astrology\n"
      "S2,2024,230,OB/GYN,Y,Astro-logy\n"
      "S3,2024,230,Alchemy,N,\n",
      "student_id,match_year,step2_attempt_1,target_specialty,matched\n"
      "S4,2024,230,ASTROLOGY,N\n"};
  size_t lens[] = {strlen(bufs[0]), strlen(bufs[1])};
  struct res r = run_n(bufs, lens, 2, NULL);
  ASSERT_ISSUES(
      r.c, "0 N -|Astrology|unknown specialty \"Astrology\" kept without a "
           "tier\n"
           "0 N -|Alchemy|unknown specialty \"Alchemy\" kept without a tier\n"
           "0 N -|Astrology|unknown specialty \"Astrology\" kept without a "
           "tier\n");
  assert_counts(r.c, 4, 4, 0, 0, 0);
  size_t n = cfg->n_specialties;
  assert_int_equal(ck_cohort_specialty_count(r.c), n + 2);
  const struct ck_record *x = r.c->records;
  assert_int_equal(x[0].target, (int)n);
  assert_int_equal(x[0].matched_specialty, (int)n);
  assert_int_equal(x[1].matched_specialty, (int)n);
  assert_int_equal(x[2].target, (int)n + 1);
  assert_int_equal(x[3].target, (int)n);
  assert_string_equal(ck_cohort_specialty_name(r.c, (int)n), "Astrology");
  assert_string_equal(ck_cohort_specialty_name(r.c, (int)n + 1), "Alchemy");
  assert_int_equal(ck_cohort_specialty_tier(r.c, (int)n), CK_TIER_NONE);
  assert_string_equal(ck_cohort_specialty_name(r.c, x[1].target),
                      "Obstetrics and Gynecology");
  assert_int_equal(ck_cohort_specialty_tier(r.c, x[1].target), CK_TIER_MIDDLE);
  assert_string_equal(ck_cohort_specialty_name(r.c, -1), "");
  ck_cohort_free(r.c);
}

static void field_size_cap(void **state) {
  (void)state;
  struct ck_ingest_options o = {.max_field = 16};
  struct res r = RUN_OPT(SH "S1,2024,230,Y\n"
                            "S2,2024,230,\"0123456789abcdefX\"\n"
                            "0123456789abcdef,2024,231,Y\n"
                            "S3,2024,0123456789abcdefXYZ,Y\n"
                            "S4,2024,232,Y\n",
                         &o);
  assert_counts(r.c, 5, 3, 0, 2, 0);
  ASSERT_ISSUES(r.c, "3 R -|-|field longer than 16 bytes\n"
                     "5 R -|-|field longer than 16 bytes\n");
  ck_cohort_free(r.c);
}

static void huge_field(void **state) {
  (void)state;
  size_t big = 10u * 1024 * 1024;
  const char *head = SH "S1,2024,230,Y\nS2,2024,230,\"";
  const char *tail = "\"\nS3,2024,231,Y\n";
  size_t hn = strlen(head), tn = strlen(tail);
  char *buf = malloc(hn + big + tn);
  assert_non_null(buf);
  memcpy(buf, head, hn);
  memset(buf + hn, 'x', big);
  memcpy(buf + hn + big, tail, tn);
  struct ck_ingest_options o = {.keep_raw = true};
  struct ck_cohort *c = ck_cohort_new(cfg, &o);
  struct ck_error err;
  ck_error_clear(&err);
  assert_int_equal(
      ck_ingest_buffer(c, "big.csv", buf, hn + big + tn, 65536, &err), CK_OK);
  assert_counts(c, 3, 2, 0, 1, 0);
  assert_string_equal(c->issues[0].reason, "field longer than 65536 bytes");
  assert_int_equal(c->issues[0].line, 3);
  assert_int_equal(strlen(c->issues[0].raw), 1024u * 1024u);
  assert_accounting(c);
  ck_cohort_free(c);
  free(buf);
}

static void sha256_and_bytes(void **state) {
  (void)state;
  struct res r = RUN("abc");
  assert_int_equal(r.st[0], CK_EPARSE);
  assert_string_equal(r.c->inputs[0].sha256,
                      "ba7816bf8f01cfea414140de5dae2223"
                      "b00361a396177a9cb410ff61f20015ad");
  assert_int_equal(r.c->inputs[0].bytes, 3);
  ck_cohort_free(r.c);
}

static void rejects_csv(void **state) {
  (void)state;
  struct ck_ingest_options o = {.keep_raw = true};
  struct res r = RUN_OPT(SH "S1,2024,230,Y\r\n\"S,2\",2024,2l6,Y\r\n"
                            "S3,2024,2\"4,Y\r\n",
                         &o);
  char *text = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&text, &n);
  assert_non_null(f);
  assert_int_equal(ck_cohort_write_rejects(f, r.c), CK_OK);
  fclose(f);
  assert_string_equal(text,
                      "file,line,column,value,reason,row\n"
                      "in1.csv,3,step2_attempt_1,2l6,is not a whole number "
                      "1–300,\"\"\"S,2\"\",2024,2l6,Y\"\n"
                      "in1.csv,4,,,stray quote,\"S3,2024,2\"\"4,Y\"\n");
  free(text);
  ck_cohort_free(r.c);
}

static void missing_file(void **state) {
  (void)state;
  struct ck_cohort *c = ck_cohort_new(cfg, NULL);
  struct ck_error err;
  ck_error_clear(&err);
  assert_int_equal(ck_ingest_file(c, "/nonexistent/x.csv", &err), CK_EIO);
  assert_string_equal(err.file, "/nonexistent/x.csv");
  assert_string_equal(err.text, "cannot open: no such file or directory");
  assert_int_equal(c->n_inputs, 0);
  ck_cohort_free(c);
}

static void file_matches_buffer(void **state) {
  (void)state;
  /* The file reader and the buffer reader agree (64 KiB chunks vs whole). */
  char path[] = "/tmp/ck_test_ingest_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "wb");
  struct sb b = {0};
  sb_printf(&b, "\xEF\xBB\xBF" SH);
  for (int i = 0; i < 20000; i++)
    sb_printf(&b, "S%d,%d,%d,%s\r\n", i, 2020 + i % 5, 180 + i % 100,
              i % 7 ? "Y" : "N");
  sb_printf(&b, "S1,2024,230,Y\n\"x\n");
  assert_int_equal(fwrite(b.s, 1, b.n, f), b.n);
  fclose(f);
  struct ck_cohort *c1 = ck_cohort_new(cfg, NULL),
                   *c2 = ck_cohort_new(cfg, NULL);
  assert_int_equal(ck_ingest_file(c1, path, NULL), CK_OK);
  assert_int_equal(ck_ingest_buffer(c2, path, b.s, b.n, 0, NULL), CK_OK);
  struct res r1 = {.c = c1}, r2 = {.c = c2};
  char *s1 = signature(&r1, 0), *s2 = signature(&r2, 0);
  assert_string_equal(s1, s2);
  assert_counts(c1, 20002, 20000, 0, 2, 0);
  assert_int_equal(c1->issues[0].line, 20002);
  assert_int_equal(c1->issues[1].line, 20003);
  free(s1);
  free(s2);
  free(b.s);
  ck_cohort_free(c1);
  ck_cohort_free(c2);
  remove(path);
}

static int setup(void **state) {
  (void)state;
  cfg = ck_config_new();
  return cfg ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  ck_config_free(cfg);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bom_and_crlf),
      cmocka_unit_test(bare_cr),
      cmocka_unit_test(quoted_fields),
      cmocka_unit_test(blank_lines),
      cmocka_unit_test(surrounding_spaces),
      cmocka_unit_test(last_line_without_newline),
      cmocka_unit_test(stray_quote_mid_file),
      cmocka_unit_test(unterminated_quote_at_eof),
      cmocka_unit_test(nul_byte_raw_row_kept_whole),
      cmocka_unit_test(header_not_text),
      cmocka_unit_test(known_binary_kinds),
      cmocka_unit_test(ragged_rows),
      cmocka_unit_test(nul_byte),
      cmocka_unit_test(invalid_utf8),
      cmocka_unit_test(utf16_file),
      cmocka_unit_test(empty_files),
      cmocka_unit_test(header_aliases),
      cmocka_unit_test(missing_required_column),
      cmocka_unit_test(duplicate_headers),
      cmocka_unit_test(header_parse_error),
      cmocka_unit_test(reject_reasons),
      cmocka_unit_test(duplicate_ids_across_files),
      cmocka_unit_test(exclusions),
      cmocka_unit_test(retake_policy_warning),
      cmocka_unit_test(unknown_specialty),
      cmocka_unit_test(field_size_cap),
      cmocka_unit_test(huge_field),
      cmocka_unit_test(sha256_and_bytes),
      cmocka_unit_test(rejects_csv),
      cmocka_unit_test(missing_file),
      cmocka_unit_test(file_matches_buffer),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
