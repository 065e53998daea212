/*
 * cmd_validate.c - ckcohort validate (placeholder until its issue lands)
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

int cmd_validate(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return cli_fail(CK_EXIT_USAGE, "'validate' is not built yet");
}
