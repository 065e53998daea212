/*
 * cmd_config.c - ckcohort config (placeholder until its issue lands)
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

int cmd_config(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return cli_fail(CK_EXIT_USAGE, "'config' is not built yet");
}
