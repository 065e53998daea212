/*
 * main.c - ckcohort command dispatcher
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/alloc.h"
#include "ckcohort/output.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
  const char *name;
  ck_cmd_fn fn;
  const char *summary;
} commands[] = {
    {"report", cmd_report, "the cohort report (text, Markdown, JSON, HTML)"},
    {"ask", cmd_ask, "one student's evidence sheet (applicants like them)"},
    {"export", cmd_export, "the report's tables as summary CSV files"},
    {"validate", cmd_validate, "check applicant CSV files, list every problem"},
    {"generate", cmd_generate,
     "write a synthetic cohort (one CSV per Match year)"},
    {"config", cmd_config, "show the effective settings"},
    {"summarize", cmd_summarize,
     "one school's summary for a consortium (no rows)"},
    {"pool", cmd_pool,
     "the report and a meta-analysis from schools' summaries"},
};

static void usage(FILE *out) {
  fprintf(out, "usage: ckcohort <command> [options] FILE...\n"
               "       ckcohort --help | --version\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\n'ckcohort <command> --help' describes each command; "
               "ckcohort(1) has the rest.\n"
               "exit status: 0 ok, 1 rows rejected, 2 usage or unusable "
               "input, 3 output or system error\n");
}

int cli_fail(int code, const char *fmt, ...) {
  va_list ap;
  fputs("ckcohort: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return code;
}

int cli_error(const struct ck_error *err) {
  fputs("ckcohort: ", stderr);
  if (err->file[0]) {
    fputs(err->file, stderr);
    if (err->line > 0)
      fprintf(stderr, ":%ld", err->line);
    fputs(": ", stderr);
  }
  if (err->column[0])
    fprintf(stderr, "%s: ", err->column);
  fprintf(stderr, "%s\n", err->text);
  switch (err->code) {
  case CK_EIO:
  case CK_ENOMEM:
  case CK_EINTERNAL:
    return err->file[0] && err->code == CK_EIO ? CK_EXIT_USAGE : CK_EXIT_IO;
  default:
    return CK_EXIT_USAGE;
  }
}

static void on_oom(void) {
  ck_output_cleanup(); /* no temporary file left behind */
  fputs("ckcohort: out of memory\n", stderr);
  exit(CK_EXIT_IO);
}

/* Interrupted: remove temporary output files, then die of the signal. */
static void on_signal(int sig) {
  ck_output_cleanup();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* A closed standard stream would let the next file opened take its number:
 * the listing on "standard output" would then land in the rejects file.
 * Hold 0, 1 and 2 with /dev/null opened read-only, so writes to a closed
 * stdout or stderr still fail (and are reported) instead of going anywhere. */
static void hold_std_fds(void) {
  for (int fd = 0; fd <= 2; fd++)
    if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
      int n = open("/dev/null", O_RDONLY);
      if (n >= 0 && n != fd) { /* cannot happen: lowest free number */
        dup2(n, fd);
        close(n);
      }
    }
}

int main(int argc, char **argv) {
  hold_std_fds();
  setlocale(LC_ALL, "C");
  ck_set_oom_handler(on_oom);
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* a signal the caller ignores (nohup, background jobs) stays ignored */
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
      sigaction(sigs[i], &sa, NULL);
  }
  /* Test hook (see alloc.h): fail allocations after N. */
  const char *fail_after = getenv("CKCOHORT_FAIL_ALLOC_AFTER");
  if (fail_after != NULL)
    ck_set_alloc_fail_after(strtoul(fail_after, NULL, 10));
  ck_init();
  if (argc < 2) {
    usage(stderr);
    return CK_EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return CK_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("ckcohort %s\n", ck_version());
    return CK_EXIT_OK;
  }
  int rc = -1;
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      rc = commands[i].fn(argc - 1, argv + 1);
  if (rc < 0) {
    const char *names[sizeof commands / sizeof commands[0]];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
      names[i] = commands[i].name;
    const char *near =
        cli_closest(argv[1], names, sizeof names / sizeof names[0]);
    if (near != NULL)
      return cli_fail(CK_EXIT_USAGE,
                      "'%s' is not a command; did you mean "
                      "%s? See 'ckcohort --help'",
                      argv[1], near);
    return cli_fail(CK_EXIT_USAGE,
                    "'%s' is not a command; see 'ckcohort "
                    "--help'",
                    argv[1]);
  }
  ck_library_cleanup();
  if (fflush(stdout) != 0 || ferror(stdout))
    return cli_fail(CK_EXIT_IO, "cannot write standard output");
  return rc;
}
