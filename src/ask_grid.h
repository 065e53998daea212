/*
 * ask_grid.h - private: the `ask` grid of groups and its publication
 * decisions (ask_grid.c), used by ask.c and the unit tests
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_ASK_GRID_H
#define CK_ASK_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ckcohort/ask.h"
#include "hashmap.h"

/* Range codes: fine bands are small integers (docs/ask.md); zones: */
#define CK_GRID_ZONE_FAIL  1000
#define CK_GRID_ZONE_LOW   1001
#define CK_GRID_ZONE_ABOVE 1002
#define CK_GRID_OPEN       300
/* Practice groups: r is the band's low end, or CK_GRID_PRACTICE_ALL. */
#define CK_GRID_PRACTICE     CK_ASK_NKIND
#define CK_GRID_PRACTICE_ALL CK_GRID_ZONE_FAIL
/* Failed then passed, by the second attempt's score (any first score, every
 * target): r is the band's low offset from the pass mark in force on the
 * second attempt (ck_ask_second_band), CK_GRID_ZONE_FAIL for all of them,
 * who are exactly the THEN_PASSED applicants of the fail zone. */
#define CK_GRID_SECOND (CK_ASK_NKIND + 1)
/* Retakers (a second attempt) by dedicated_weeks: r 0 = fewer than [ask]
 * min_weeks, 1 = at least, 2 = none recorded, CK_GRID_WEEKS_ALL = all with
 * weeks (0 + 1), CK_GRID_WEEKS_RETAKERS = every retaker (ALL + 2: the
 * report's score_change_all_retakers); outcomes CK_GO_GE / CK_GO_LT as for
 * the practice groups (GE: the report's "significantly higher"). */
#define CK_GRID_WEEKS          (CK_ASK_NKIND + 2)
#define CK_GRID_WEEKS_ALL      CK_GRID_ZONE_FAIL
#define CK_GRID_WEEKS_RETAKERS CK_GRID_ZONE_LOW
#define CK_GRID_NKIND          (CK_ASK_NKIND + 3)
/* Scopes: specialty indices 0..S-1, then these. */
#define CK_GRID_NOTARGET(g) ((int)(g)->S)
#define CK_GRID_TIER(g, t)  ((int)(g)->S + (int)(t))
#define CK_GRID_ALL(g)      ((int)(g)->S + 4)
/* Counts the report publishes or withholds that are no single grid group
 * (a sum of grid groups): kind CK_GRID_EXTRA, r = their number. */
#define CK_GRID_EXTRA CK_GRID_NKIND
#define CK_GRID_NLIST (CK_GRID_NKIND + 1)

/* Outcomes of a group. */
enum {
  CK_GO_N = 0,    /* members */
  CK_GO_M,        /* matched */
  CK_GO_U,        /* not matched */
  CK_GO_MT,       /* matched into their own target */
  CK_GO_XT,       /* did not */
  CK_GO_PROG,     /* + 0..3: matched into academic, community, other,
                     program type not given */
  CK_GO_GE = 10,  /* practice groups: gained >= the significant change */
  CK_GO_LT,       /* gained less */
  CK_GO_INTO = 16 /* + specialty index (S: not given): matched into it */
};

struct ck_gcell {
  uint64_t key;
  int k, r, s, o;
  long v;                 /* true count */
  bool split;             /* an outcome split of a group: 0 tells too */
  bool known;             /* an attacker knows it exactly */
  bool pub;               /* published */
  bool forbid;            /* never to be published nor worked out: the
                             report withholds it or a group holding it */
  bool seed;              /* the report tells it (or it follows exactly) */
  bool phantom;           /* nobody is in it: no count of the cohort's, a
                             part of the grid's sums only (add_phantoms) */
  bool prior;             /* published by an earlier run's sheets of the
                             same students (release ledger): never taken
                             back, and known to the report-alone program */
  size_t box_first, nbox; /* CK_GRID_EXTRA: the grid groups it sums */
};

/* A grid group by its coordinates (it need not have a cell). */
struct ck_gbox {
  int k, r, s, o;
};

/* A group nobody is in has no cell, so a sum over the cells there are
 * leaves it out: an open sum.  A reader does not know which groups are
 * empty (a sheet never shows one), so for a reader an open sum is only
 * total >= parts; ask_check.c's report-alone program reads it so. */
struct ck_gcon {
  size_t total, first, n; /* total = sum of parts[first .. first+n-1] */
  bool open;              /* a part nobody is in is left out */
};

struct ck_grid {
  size_t S; /* specialty indices of the cohort */
  size_t min_cell;
  enum ck_tier *tier;     /* per specialty index */
  int code_min, code_max; /* fine band codes present, and one beyond */
  bool *skip_code; /* per first kind x code (from code_min): a band nobody
                      of the kind is in, summed into the zone's first one */
  struct ck_gcell *c;
  size_t n, cap;
  struct ck_u64map cells; /* packed key + 1 -> index in c */
  struct ck_gcon *con;
  size_t ncon, ccap;
  size_t *parts, nparts, pcap;
  size_t *inc_first, *inc; /* constraints of each cell */
  size_t *known[CK_GRID_NLIST], nknown[CK_GRID_NLIST], kcap[CK_GRID_NLIST];
  struct ck_gbox *box; /* the groups of CK_GRID_EXTRA cells */
  size_t nbox, bcap;
  bool seeding; /* learning what the report publishes: no checks */
  size_t report_seeded, report_forbidden, report_mismatch; /* for tests */
  /* what decide() published, set by set in its order (ask_check.c may
   * take sets back): set j is cells plog[pfirst[j] .. pfirst[j+1]-1] */
  size_t *plog, nplog, plcap;
  size_t *pfirst, npset, pfcap;
  /* the linear-programming check (ask_check.c), for tests and --verbose */
  size_t check_targets, check_lps, check_narrowed, check_retracted;
  bool check_failed; /* the check could not finish: nothing published */
  /* ck_grid_verify: judge the published groups, never take one back;
   * the first count found narrowed (a grid cell, or a report column past
   * them: verify_rc is its report cell, CK_NO_CELL if none), its range and
   * the range the report alone leaves it */
  bool verify;
  size_t verify_col, verify_rc;
  long verify_lo, verify_hi, verify_blo, verify_bhi;
  /* the report's count of records with an attempt after a passed one
   * (every retaker of a passing zone is one), or -1 when it is withheld or
   * there is no report: a bound the check's program knows as a reader does */
  long rap;
  /* while ck_grid_check() runs, per report cell mapped onto one grid
   * group: true when the report's count also holds groups nobody is in */
  bool *map_open;
};

/* Count every group of the grid over c and decide what may be published.
 * `report` is the suppressed report of the same cohort and settings, or
 * NULL: every count it publishes that is a grid group or a sum of them is
 * known before the grid decides, and every count it withholds, and every
 * grid group inside one, is never published nor left to be worked out.
 * Caller frees with ck_grid_free(). */
struct ck_grid *ck_grid_new(const struct ck_cohort *c,
                            const struct ck_config *cfg,
                            const struct ck_report *report);
void ck_grid_free(struct ck_grid *g);
/* The grid's published counts checked by linear programming against the
 * report's: every count no sheet prints (a rung passed over, a withheld
 * group) whose true value is 1..2*min_cell-3 keeps a range that holds 0,
 * starts at min_cell or spans min_cell values, or the range the report
 * alone leaves it; otherwise published sets are taken back, the latest
 * that suffices first.  When a program cannot be solved everything is
 * taken back (check_failed).  Called by ck_grid_new(). */
void ck_grid_check(struct ck_grid *g, const struct ck_report *report,
                   const size_t *map);
/* A grid group by name, for the release ledger: another read of the same
 * files (in any order) numbers the specialties otherwise.  s < 0: the
 * specialty s_name; else a scope's offset past the specialties (no target,
 * a tier, everyone).  o >= CK_GO_INTO: matched into o_name (NULL: the
 * specialty matched into was not given).  Names are borrowed from the
 * cohort. */
struct ck_gname {
  int k, r, s, o;
  const char *s_name, *o_name;
};
/* ck_grid_new, with the groups earlier sheets of the same cohort and
 * settings published (pub, n; release ledger) already published: decide()
 * and the check build on them and never take one back.  *missing: names
 * these files do not give (the data changed; nothing is decided then). */
struct ck_grid *ck_grid_new_after(const struct ck_cohort *c,
                                  const struct ck_config *cfg,
                                  const struct ck_report *report,
                                  const struct ck_gname *pub, size_t n,
                                  size_t *missing);
/* The published groups of g, by name; *out owned by the caller (free). */
size_t ck_grid_names(const struct ck_grid *g, const struct ck_cohort *c,
                     struct ck_gname **out);
/* The grid of c, with what an earlier run published (pub, n) instead of
 * decide()'s choice, checked against `report` (a model holding what a
 * reader knows, marked checked) without taking anything back: afterwards
 * check_failed says the check could not finish, check_narrowed how many
 * counts the published groups narrow beyond the report alone (verify_*:
 * the first).  *missing: names these files do not give (the data
 * changed).  Caller frees with ck_grid_free(). */
struct ck_grid *ck_grid_verify(const struct ck_cohort *c,
                               const struct ck_config *cfg,
                               const struct ck_report *report,
                               const struct ck_gname *pub, size_t n,
                               size_t *missing);
/* A grid count in words ("retook, first score pass+3..+4, Pediatrics:
 * matched"), for messages. */
void ck_grid_label(const struct ck_grid *g, const struct ck_cohort *c, size_t i,
                   char *buf, size_t cap);
/* Index of a cell, or CK_NO_CELL when the grid has no such count (0). */
size_t ck_grid_find(const struct ck_grid *g, int k, int r, int s, int o);
/* The same, phantoms too (the programs of ask_check.c need them). */
size_t ck_grid_cell(const struct ck_grid *g, int k, int r, int s, int o);
/* True when the students counted by cell a are a subset of cell b's. */
bool ck_grid_nested(const struct ck_grid *g, size_t a, size_t b);

#endif
