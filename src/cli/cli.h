/*
 * cli.h - shared pieces of the command-line layer (not part of the library)
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_CLI_H
#define CK_CLI_H

#include <stdio.h>
#include "ckcohort/ckcohort.h"

/* One subcommand: argv[0] is the subcommand name.  Returns an enum ck_exit. */
typedef int (*ck_cmd_fn)(int argc, char **argv);

int cmd_validate(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_ask(int argc, char **argv);

/* "ckcohort: <message>" on stderr; returns `code` for one-line call sites. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print a library error as "ckcohort: file:line: column: text" on stderr
 * and return the exit code that fits its status. */
int cli_error(const struct ck_error *err);

#endif
