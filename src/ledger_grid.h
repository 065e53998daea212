/*
 * ledger_grid.h - private: an ask sheet's grid groups in the release
 * ledger (ledger.c records them, ask.c hands them over)
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_LEDGER_GRID_H
#define CK_LEDGER_GRID_H

#include "ckcohort/ledger.h"
#include "ask_grid.h"

/* ck_ledger_record, with the grid groups the run published (by name) kept
 * in the entry, so that a later run of other files or Match years can put
 * them into its check (ck_ledger_verify). */
enum ck_status ck_ledger_record_grid(struct ck_ledger *l,
                                     const struct ck_report *r,
                                     const struct ck_config *cfg,
                                     const char *command, const char *published,
                                     const struct ck_gname *grid, size_t n,
                                     struct ck_error *err);

/* The grid groups recorded sheets of the run's own population published
 * (all of them, by name; strings borrowed from the ledger until
 * ck_ledger_close), as the last ck_ledger_check of an ask run found them.
 * *out owned by the caller (free). */
size_t ck_ledger_prior_grid(const struct ck_ledger *l, struct ck_gname **out);

#endif
