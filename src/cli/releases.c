/*
 * releases.c - the release ledger around suppression (--releases DIR)
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
#include "ckcohort/analyse.h"
#include "ckcohort/ask.h"
#include "ckcohort/ledger.h"

#include <stdlib.h>

int cli_suppress(const char *cmd, const char *dir, const struct ck_config *cfg,
                 struct ck_report *r) {
  if (dir == NULL) {
    if (ck_suppress(r) != CK_OK)
      return cli_fail(CK_EXIT_IO,
                      "%s: the privacy check could not be "
                      "finished; nothing was published",
                      cmd);
    return CK_EXIT_OK;
  }
  struct ck_ledger *l = NULL;
  struct ck_error err;
  ck_error_clear(&err);
  /* the lock is held from reading the entries to recording this one, so
   * concurrent runs are each checked against the other */
  bool unprotected = false;
  if (ck_ledger_open(dir, &l, &err) == CK_OK &&
      ck_ledger_check(l, r, cfg, cmd, &err) == CK_OK) {
    /* recorded before anything is written: a release that failed to be
     * written is still treated as published, never the other way round */
    if (ck_suppress(r) != CK_OK)
      unprotected = true;
    else
      ck_ledger_record(l, r, cfg, cmd, NULL, &err);
  }
  ck_ledger_close(l);
  if (err.code == CK_OK && !unprotected)
    return CK_EXIT_OK;
  /* fail closed: a run that cannot be checked publishes nothing */
  if (unprotected)
    cli_fail(CK_EXIT_IO,
             "%s: the privacy check could not be finished: a count of "
             "this run or of the students added since an earlier release "
             "cannot be protected by withholding (docs/privacy.md, "
             "Releases)",
             cmd);
  else
    cli_error(&err);
  return cli_fail(CK_EXIT_IO,
                  "%s: not checked against the release ledger "
                  "%s; nothing was written",
                  cmd, dir);
}

int cli_ask_release(const char *dir, const struct ck_config *cfg,
                    const struct ck_cohort *c, const struct ck_ask *a) {
  return cli_ask_release_many(dir, cfg, c, &a, 1);
}

int cli_ask_release_many(const char *dir, const struct ck_config *cfg,
                         const struct ck_cohort *c,
                         const struct ck_ask *const *sheets, size_t n) {
  if (dir == NULL)
    return CK_EXIT_OK;
  struct ck_error err;
  ck_error_clear(&err);
  struct ck_ledger *l = NULL;
  /* one lock for the whole batch: no other run's release comes between
   * two of its sheets */
  if (ck_ledger_open(dir, &l, &err) != CK_OK)
    n = 0;
  for (size_t i = 0; i < n && err.code == CK_OK; i++) {
    /* the population (digests, Match years) the sheet describes; a fresh
     * model per sheet, as ck_ledger_check adds the earlier releases to it */
    struct ck_report *r = ck_analyse(c, cfg, &err);
    char *json = NULL;
    size_t len = 0;
    FILE *f = r ? open_memstream(&json, &len) : NULL;
    bool rendered = f != NULL;
    if (f != NULL) {
      enum ck_status st = ck_ask_render_json(f, sheets[i]);
      rendered = fclose(f) == 0 && st == CK_OK;
    }
    if (r != NULL && !rendered) {
      ck_report_free(r);
      free(json);
      ck_ledger_close(l);
      return cli_fail(CK_EXIT_IO,
                      "ask: cannot render the sheet for the "
                      "release ledger %s; nothing was written",
                      dir);
    }
    if (r != NULL && ck_ledger_check(l, r, cfg, "ask", &err) == CK_OK)
      ck_ledger_record(l, r, cfg, "ask", json, &err);
    ck_report_free(r);
    free(json);
  }
  ck_ledger_close(l);
  if (err.code == CK_OK)
    return CK_EXIT_OK;
  cli_error(&err);
  return cli_fail(CK_EXIT_IO,
                  "ask: not checked against the release ledger "
                  "%s; nothing was written",
                  dir);
}
