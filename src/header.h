/*
 * header.h - which input column each header cell is (private)
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_HEADER_H
#define CK_HEADER_H

#include <stddef.h>
#include "ckcohort/ckcohort.h"
#include "ckcohort/config.h"

/* One header cell: its bytes as read (trimmed) and as shown in messages. */
struct ck_header_cell {
  const char *s;
  size_t n;
  const char *shown; /* escaped for printing (control bytes as \xNN) */
};

/* Match the header cells of `file` (the header starts at `line`) against
 * the canonical columns: the user's mappings (cfg->column_maps) first, then
 * the names and aliases of schema.c.  Fills colmap[i] with the column of
 * cell i, or -1 for a cell not used.  Fails with CK_EPARSE and err set when
 * two cells mean one column, when a cell that is not used looks like an
 * input column (the look-alike rule in docs/input-format.md: the message
 * says what it probably is and how to map it), or when required columns
 * are missing (all named, with the names accepted for each). */
enum ck_status ck_header_resolve(const struct ck_config *cfg, const char *file,
                                 long line, const struct ck_header_cell *cells,
                                 size_t n, int *colmap, struct ck_error *err);

#endif
