/*
 * cmd_generate.c - ckcohort generate (placeholder until its issue lands)
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

int cmd_generate(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return cli_fail(CK_EXIT_USAGE, "'generate' is not built yet");
}
