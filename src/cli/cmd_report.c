/*
 * cmd_report.c - ckcohort report (placeholder until its issue lands)
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

int cmd_report(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return cli_fail(CK_EXIT_USAGE, "'report' is not built yet");
}
