/*
 * cmd_config.c - ckcohort config: print the effective settings
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/config.h"

#include <stdlib.h>
#include <string.h>

static void help(FILE *out) {
  fputs("usage: ckcohort config [--config FILE] [--column H=C]...\n"
        "\n"
        "Print the effective settings (the compiled-in defaults, overridden\n"
        "by FILE when given) in the config-file format, so the output can be\n"
        "saved, edited and passed back with --config.  docs/config.md\n"
        "describes every key.\n"
        "\n"
        "options:\n"
        "  --config FILE  read settings from FILE (INI format)\n"
        "  --column H=C   add a header mapping, as report takes it\n"
        "  --help         show this help\n"
        "\n"
        "exit status: 0 ok, 2 usage error or bad config file, 3 output "
        "error\n",
        out);
}

int cmd_config(int argc, char **argv) {
  const char *path = NULL;
  struct cli_list columns = {0};
  const struct cli_option opts[] = {{"--config", &path, NULL, NULL},
                                    {"--column", NULL, NULL, &columns}};
  size_t n_args = 0;
  int rc;
  const char **args =
      cli_args("config", argc, argv, opts, sizeof opts / sizeof opts[0],
               &n_args, help, &rc);
  if (args == NULL)
    goto done;
  if (n_args > 0) {
    cli_fail(CK_EXIT_USAGE, "config: unexpected argument '%s'", args[0]);
    help(stderr);
    rc = CK_EXIT_USAGE;
  }
  if (rc != CK_EXIT_OK)
    goto done;
  struct ck_config *cfg = ck_config_new();
  struct ck_error err;
  ck_error_clear(&err);
  if (path != NULL && ck_config_load(cfg, path, &err) != CK_OK)
    rc = cli_error(&err);
  else if ((rc = cli_apply_columns("config", cfg, &columns)) != CK_EXIT_OK)
    ;
  else if (ck_config_write(stdout, cfg) != CK_OK)
    rc = cli_fail(CK_EXIT_IO, "cannot write standard output");
  ck_config_free(cfg);
done:
  free(columns.values);
  free(args);
  return rc;
}
