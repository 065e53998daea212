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
      "  --realistic              a large export as other tools write it:\n"
      "                           text quoted as by R's write.csv, 3%\n"
      "                           unknown or misspelt specialties, 0.3%\n"
      "                           rows without a first score, 1 in 10,000\n"
      "                           rejected, retakes after a pass (default\n"
      "                           rate 0.3); for benchmarks with --rows\n"
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
  const char *seed = NULL, *years = NULL, *class_size = NULL, *rows = NULL,
             *out = NULL, *rate = NULL, *profile = NULL, *prefix = NULL;
  const struct cli_option opts[] = {{"--seed", &seed, NULL, NULL},
                                    {"--years", &years, NULL, NULL},
                                    {"--class-size", &class_size, NULL, NULL},
                                    {"--rows", &rows, NULL, NULL},
                                    {"--out", &out, NULL, NULL},
                                    {"--retake-after-pass", &rate, NULL, NULL},
                                    {"--messy", NULL, &o.messy, NULL},
                                    {"--realistic", NULL, &o.realistic, NULL},
                                    {"--school-profile", &profile, NULL, NULL},
                                    {"--id-prefix", &prefix, NULL, NULL}};
  size_t n_args = 0;
  int rc;
  const char **args =
      cli_args("generate", argc, argv, opts, sizeof opts / sizeof opts[0],
               &n_args, help, &rc);
  if (args == NULL)
    return rc;
  const char *extra = n_args > 0 ? args[0] : NULL;
  free(args);
  unsigned long long n;
  if (extra != NULL)
    return usage_error("unexpected argument '%s'", extra);
  if (seed != NULL) {
    if (!parse_ulong(seed, 0xffffffffULL, &n))
      return usage_error("--seed \"%s\" is not a whole number "
                         "0-4294967295",
                         seed);
    o.seed = (unsigned long)n;
  }
  /* the profile first: the options below refine it */
  if (profile != NULL && !ck_gen_profile(&o, profile))
    return usage_error("--school-profile \"%s\" is not small, large "
                       "or do",
                       profile);
  if (prefix != NULL) {
    size_t len = strlen(prefix);
    if (len == 0 || len > 16 ||
        strspn(prefix, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                       "0123456789-_") != len)
      return usage_error("--id-prefix \"%s\" must be 1-16 letters, "
                         "digits, - or _",
                         prefix);
    o.id_prefix = prefix;
  }
  if (years != NULL) {
    int y = cli_parse_years(years, &o.year_from, &o.year_to);
    if (y == -1)
      return usage_error("--years \"%s\" is not A-B", years);
    if (y != 0)
      return usage_error("--years \"%s\" must lie in 1990-2100, "
                         "first not after last",
                         years);
  }
  if (class_size != NULL) {
    if (!parse_ulong(class_size, 100000, &n) || n == 0)
      return usage_error("--class-size \"%s\" is not a whole "
                         "number 1-100000",
                         class_size);
    o.class_size = (unsigned long)n;
  }
  if (rows != NULL) {
    if (!parse_ulong(rows, 1000000000ULL, &n) || n == 0)
      return usage_error("--rows \"%s\" is not a whole number "
                         "1-1000000000",
                         rows);
    o.rows = n;
  }
  if (out != NULL) {
    if (out[0] == '\0')
      return usage_error("--out needs a folder");
    o.out_dir = out;
  }
  if (rate != NULL && !ck_gen_parse_rate(rate, &o.retake_after_pass))
    return usage_error("--retake-after-pass \"%s\" is not a "
                       "rate 0-1 (at most 6 decimals) or N%%",
                       rate);
  if (o.realistic && rate == NULL)
    o.retake_after_pass = CK_GEN_PPM * 3 / 10; /* many such warnings */
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
