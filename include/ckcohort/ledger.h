/*
 * ledger.h - releases: what earlier runs published, and checking against it
 * SPDX-License-Identifier: MIT
 *
 * A dean's office publishes every year.  A reader who holds two releases
 * subtracts one from the other: the difference of two cumulative reports
 * describes the students of one Match year, perhaps one student.  The
 * ledger (a directory, `--releases DIR`) keeps one entry per published run:
 * its JSON report and the population it describes (the inputs' SHA-256
 * digests, the Match years, the settings that define its groups).  A later
 * run rebuilds each earlier population from its own inputs and puts both
 * reports into one model (ck_report_add_nested), so that ck_suppress
 * protects every count of the students in one population and not the
 * other as a group of its own; statistics the earlier release published
 * for a group that gained or lost 1..min_cell-1 members are withheld.
 *
 * Entries are written whole or not at all (temporary file, fsync, link to
 * a new name, fsync of the directory) and runs on one ledger take turns
 * (an exclusive lock on DIR/.lock from ck_ledger_open to ck_ledger_close),
 * so concurrent runs are each checked against the other's release.  An
 * entry holds no student row or ID.  Format: docs/privacy.md "Releases".
 */
#ifndef CKCOHORT_LEDGER_H
#define CKCOHORT_LEDGER_H

#include <stdbool.h>
#include <stdio.h>
#include "ckcohort/ckcohort.h"
#include "ckcohort/config.h"
#include "ckcohort/report.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ck_ledger;

/* Open (creating it when missing) the ledger directory `dir`, wait for the
 * lock and read every entry.  An entry that cannot be read or is not a
 * complete release entry is an error naming it (CK_EDATA), as is a
 * directory that cannot be created, locked or read (CK_EIO): a run must
 * not go on unchecked.  On success *out is owned by the caller
 * (ck_ledger_close). */
enum ck_status ck_ledger_open(const char *dir, struct ck_ledger **out,
                              struct ck_error *err);

/* Release the lock and free; NULL is allowed. */
void ck_ledger_close(struct ck_ledger *l);

/* Number of entries read, and the file name of entry i ("000003-report.json",
 * valid until ck_ledger_close). */
size_t ck_ledger_count(const struct ck_ledger *l);
const char *ck_ledger_entry(const struct ck_ledger *l, size_t i);

/* Check the not yet suppressed report r (built from `files` under cfg with
 * the Match-year filter r->years_from..r->years_to) against every entry:
 * each earlier population is rebuilt from the files of r with the entry's
 * digests, its published counts are compared with the rebuilt ones, and
 * the rebuilt report is added to r with ck_report_add_nested.  Fails
 * closed (CK_EDATA, err->file naming the entry) when an entry's population
 * cannot be rebuilt (a file with its digest is not among the inputs), was
 * made with other settings, neither contains nor lies within r's, or does
 * not reproduce what the entry says was published.  `command` is
 * "report", "export" or "ask"; an ask run's r (the report its grid is
 * checked with) takes in earlier reports and exports like a report does.
 * An entry of an ask sheet of the same population needs nothing more; one
 * of a population inside r's is left for ck_ledger_verify (a report or an
 * export; an ask run cannot yet be checked against another population's
 * sheets, and an entry recorded without its grid groups cannot be checked
 * by another population at all: both fail). */
enum ck_status ck_ledger_check(struct ck_ledger *l, struct ck_report *r,
                               const struct ck_config *cfg, const char *command,
                               struct ck_error *err);

/* After ck_suppress(r), before anything is written: check r as suppressed
 * with the ask sheets ck_ledger_check found of a population inside r's
 * (other files or Match years).  For each such population, its students
 * are read again from r's files, the report its sheets were checked with
 * is rebuilt and every earlier report, and r's published counts, are put
 * into it; the grid groups the sheets published must then narrow no count
 * nobody prints (r's withheld counts, the students r adds, the grid's
 * unpublished groups) beyond what those reports alone allow
 * (docs/privacy.md, Releases).  CK_OK, or CK_EDATA naming the ledger entry
 * and the first count narrowed; a sheet cannot be taken back, so the run
 * must then publish nothing.  CK_OK at once when there are no such
 * sheets.  Sets r->sheets_checked (the report's "Releases" paragraph says
 * how many of the releases were such sheets); r is otherwise only read. */
enum ck_status ck_ledger_verify(struct ck_ledger *l, struct ck_report *r,
                                const struct ck_config *cfg,
                                struct ck_error *err);

/* After ck_suppress(r): for every raw comparison r withholds, keep in r
 * the latest earlier report or export in the ledger, of r's students or
 * fewer (the latest Match years first), that published it: its
 * difference, interval, Fisher p, odds ratio, the two groups' sizes and
 * matched counts, its Match years and entry name.  The renderers print it
 * beside "withheld", labelled with those Match years: a dean's yearly
 * report whose new class is too small to add to a group still shows the
 * comparison its readers already hold.  Repeats published values only.
 * CK_OK (CK_EUSAGE for NULL). */
enum ck_status ck_ledger_carry(const struct ck_ledger *l, struct ck_report *r);

/* Record the suppressed report r as a new entry: `published` holds the
 * bytes the run publishes when they are JSON (NULL: r's JSON rendering is
 * used), the population and settings come from r and cfg.  Written
 * atomically; on success the entry's file name is in ck_ledger_entry(l,
 * ck_ledger_count(l) - 1). */
enum ck_status ck_ledger_record(struct ck_ledger *l, const struct ck_report *r,
                                const struct ck_config *cfg,
                                const char *command, const char *published,
                                struct ck_error *err);

/* Tell r's suppression what a reader already knows: `known` is the report
 * model of a sub-population of r's population (an earlier release, or one
 * consortium member's own data).  For every count of r with a counterpart
 * in `known` (matched by the stable key of ck_report_cell_keys) adds a
 * locked cell holding the known value (only the values `known` published,
 * when only_published; its withheld counts are added as withheld counts
 * the engine keeps protected), a difference cell (r's value minus known's:
 * the new students) and the relation r = known + difference; known's own
 * sums come along.  Difference cells are never printed and are protected
 * like any count.  A statistic known published (score change, regression,
 * adjusted model) is withheld in r when its group's difference has
 * 1..min_cell-1 members.  Returns CK_OK, or CK_EDATA when some count of
 * known is larger than r's (not a sub-population), changing nothing; r keeps
 * ownership of what it adds; `known` is only read.  Call before
 * ck_suppress. */
enum ck_status ck_report_add_known(struct ck_report *r,
                                   const struct ck_report *known,
                                   bool only_published);

/* As ck_report_add_known, in either direction: other_is_part says that
 * `other` is a sub-population of r (r = other + difference); otherwise r is
 * one of `other` (other = r + difference).  same says the two are the
 * same students (same files, same Match years): a reader then knows every
 * difference is 0, so a count one withheld the other cannot show.  The
 * error names the first count that contradicts the nesting (err->column is
 * its key). */
enum ck_status ck_report_add_nested(struct ck_report *r,
                                    const struct ck_report *other,
                                    bool other_is_part, bool same,
                                    bool only_published, struct ck_error *err);

/* The stable key of every cell of r ("group/low_pass/matched",
 * "specialty/Pediatrics/n", "year/2026/unmatched", "into/Family
 * Medicine/low_pass_retook", ...), NULL for cells no report field shows.
 * Returns an array of r->n_cells strings, freed with
 * ck_report_cell_keys_free(keys, r->n_cells). */
char **ck_report_cell_keys(const struct ck_report *r);
void ck_report_cell_keys_free(char **keys, size_t n);

#ifdef __cplusplus
}
#endif
#endif
