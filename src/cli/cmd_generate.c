/*
 * cmd_generate.c - ckcohort generate: write a synthetic cohort
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/generate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out) {
  fputs(
      "usage: ckcohort generate [options]\n"
      "\n"
      "Write a synthetic applicant cohort, one CSV per Match year\n"
      "(DIR/class-YYYY.csv), calibrated to public national figures\n"
      "(docs/generate.md).  The same options give byte-identical files.\n"
      "\n"
      "options:\n"
      "  --seed N                 random seed, 0-4294967295 (default 1)\n"
      "  --years A-B              Match years (default 2017-2026)\n"
      "  --class-size N           applicants per year, +-5% (default 150)\n"
      "  --out DIR                output folder, created if missing "
      "(default .)\n"
      "  --retake-after-pass RATE share of low-pass applicants given a\n"
      "                           retake of a passed attempt, 0-1 or N%\n"
      "                           (default 0; USMLE policy forbids such\n"
      "                           retakes, the records are illustrative)\n"
      "  --messy                  mix in what real exports contain: BOM,\n"
      "                           CRLF, header and specialty aliases, quoted\n"
      "                           commas, spaces, blank lines and one invalid\n"
      "                           row of each kind\n"
      "  --rows N                 write one file DIR/cohort-N.csv with N rows\n"
      "                           spread over the years (benchmarks)\n"
      "  --school-profile P       a school unlike the default: small (60 a\n"
      "                           year, lower scores), large (400 a year,\n"
      "                           higher), do (lower, more primary care);\n"
      "                           --class-size given after it still applies\n"
      "  --id-prefix P            student IDs start with P (default S;\n"
      "                           letters, digits, - and _, at most 16), so\n"
      "                           generated schools can be pooled\n"
      "  --help                   show this help\n"
      "\n"
      "exit status: 0 ok, 2 usage error, 3 output could not be written\n",
      out);
}

static bool parse_ulong(const char *s, unsigned long long max,
                        unsigned long long *v) {
  char *end;
  if (s[0] < '0' || s[0] > '9')
    return false;
  errno = 0;
  unsigned long long x = strtoull(s, &end, 10);
  if (*end != '\0' || errno == ERANGE || x > max)
    return false;
  *v = x;
  return true;
}

static void on_file(void *ctx, const char *path, unsigned long long rows) {
  (void)ctx;
  printf("wrote %s (%llu rows)\n", path, rows);
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...) {
  va_list ap;
  fputs("ckcohort: generate: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\nsee 'ckcohort generate --help'\n", stderr);
  return CK_EXIT_USAGE;
}

int cmd_generate(int argc, char **argv) {
  struct ck_gen_options o;
  ck_gen_options_init(&o);
  o.on_file = on_file;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    unsigned long long n;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      help(stdout);
      return CK_EXIT_OK;
    } else if (strcmp(a, "--messy") == 0) {
      o.messy = true;
      continue;
    }
    if (strncmp(a, "--", 2) != 0)
      return usage_error("unexpected argument '%s'", a);
    if (v == NULL)
      return usage_error("option '%s' needs a value", a);
    i++;
    if (strcmp(a, "--seed") == 0) {
      if (!parse_ulong(v, 0xffffffffULL, &n))
        return usage_error("--seed \"%s\" is not a whole number "
                           "0-4294967295", v);
      o.seed = (unsigned long)n;
    } else if (strcmp(a, "--years") == 0) {
      int from, to, used = 0;
      if (sscanf(v, "%4d-%4d%n", &from, &to, &used) != 2 || v[used] != '\0') {
        if (sscanf(v, "%4d%n", &from, &used) != 1 || v[used] != '\0')
          return usage_error("--years \"%s\" is not A-B", v);
        to = from;
      }
      if (from < 1990 || to > 2100 || from > to)
        return usage_error("--years \"%s\" must lie in 1990-2100, "
                           "first not after last", v);
      o.year_from = from;
      o.year_to = to;
    } else if (strcmp(a, "--class-size") == 0) {
      if (!parse_ulong(v, 100000, &n) || n == 0)
        return usage_error("--class-size \"%s\" is not a whole "
                           "number 1-100000", v);
      o.class_size = (unsigned long)n;
    } else if (strcmp(a, "--rows") == 0) {
      if (!parse_ulong(v, 1000000000ULL, &n) || n == 0)
        return usage_error("--rows \"%s\" is not a whole number "
                           "1-1000000000", v);
      o.rows = n;
    } else if (strcmp(a, "--out") == 0) {
      if (v[0] == '\0')
        return usage_error("--out needs a folder");
      o.out_dir = v;
    } else if (strcmp(a, "--school-profile") == 0) {
      if (!ck_gen_profile(&o, v))
        return usage_error("--school-profile \"%s\" is not small, large "
                           "or do", v);
    } else if (strcmp(a, "--id-prefix") == 0) {
      size_t len = strlen(v);
      if (len == 0 || len > 16 ||
          strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789-_") != len)
        return usage_error("--id-prefix \"%s\" must be 1-16 letters, "
                           "digits, - or _", v);
      o.id_prefix = v;
    } else if (strcmp(a, "--retake-after-pass") == 0) {
      if (!ck_gen_parse_rate(v, &o.retake_after_pass))
        return usage_error("--retake-after-pass \"%s\" is not a "
                           "rate 0-1 (at most 6 decimals) or N%%", v);
    } else {
      return usage_error("unknown option '%s'", a);
    }
  }
  struct ck_error err;
  ck_error_clear(&err);
  if (ck_generate(&o, &err) != CK_OK) {
    if (err.code == CK_EIO)
      err.code = CK_ENOMEM; /* output problem: exit 3, not 2 */
    return err.code == CK_EUSAGE ? (cli_error(&err), CK_EXIT_USAGE)
                                 : (cli_error(&err), CK_EXIT_IO);
  }
  return CK_EXIT_OK;
}
