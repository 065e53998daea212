/*
 * cmd_config.c - ckcohort config: print the effective settings
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/config.h"

#include <string.h>

static void help(FILE *out) {
  fputs("usage: ckcohort config [--config FILE]\n"
        "\n"
        "Print the effective settings (the compiled-in defaults, overridden\n"
        "by FILE when given) in the config-file format, so the output can be\n"
        "saved, edited and passed back with --config.  docs/config.md\n"
        "describes every key.\n"
        "\n"
        "options:\n"
        "  --config FILE  read settings from FILE (INI format)\n"
        "  --help         show this help\n"
        "\n"
        "exit status: 0 ok, 2 usage error or bad config file, 3 output "
        "error\n",
        out);
}

int cmd_config(int argc, char **argv) {
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      help(stdout);
      return CK_EXIT_OK;
    } else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
      path = argv[++i];
    } else if (strncmp(argv[i], "--config=", 9) == 0) {
      path = argv[i] + 9;
    } else {
      cli_fail(CK_EXIT_USAGE, "config: unexpected argument '%s'", argv[i]);
      help(stderr);
      return CK_EXIT_USAGE;
    }
  }
  struct ck_config *cfg = ck_config_new();
  struct ck_error err;
  ck_error_clear(&err);
  int rc = CK_EXIT_OK;
  if (path != NULL && ck_config_load(cfg, path, &err) != CK_OK)
    rc = cli_error(&err);
  else if (ck_config_write(stdout, cfg) != CK_OK)
    rc = cli_fail(CK_EXIT_IO, "cannot write standard output");
  ck_config_free(cfg);
  return rc;
}
