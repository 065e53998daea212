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
    else if (ck_ledger_verify(l, r, cfg, &err) == CK_OK &&
             ck_ledger_carry(l, r) == CK_OK)
      ck_ledger_record(l, r, cfg, cmd, NULL, &err); /* as it is printed */
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

int cli_ask_report(const char *dir, const struct ck_config *cfg,
                   const struct ck_cohort *c, struct ck_ledger **ledger,
                   struct ck_report **out) {
  struct ck_error err;
  ck_error_clear(&err);
  struct ck_ledger *l = NULL;
  struct ck_report *r = NULL;
  *ledger = NULL;
  *out = NULL;
  /* the lock is held from reading the entries to recording the sheets */
  if (ck_ledger_open(dir, &l, &err) == CK_OK &&
      (r = ck_analyse(c, cfg, &err)) != NULL &&
      ck_ledger_check(l, r, cfg, "ask", &err) == CK_OK) {
    if (ck_suppress(r) == CK_OK) {
      *ledger = l;
      *out = r;
      return CK_EXIT_OK;
    }
    ck_report_free(r);
    ck_ledger_close(l);
    cli_fail(CK_EXIT_IO,
             "ask: the privacy check could not be finished: a count of "
             "the report or of the students added since an earlier release "
             "cannot be protected by withholding (docs/privacy.md, "
             "Releases)");
    return cli_fail(CK_EXIT_IO,
                    "ask: not checked against the release ledger %s; "
                    "nothing was written",
                    dir);
  }
  ck_report_free(r);
  ck_ledger_close(l);
  cli_error(&err);
  return cli_fail(CK_EXIT_IO,
                  "ask: not checked against the release ledger "
                  "%s; nothing was written",
                  dir);
}

int cli_ask_record(const char *dir, struct ck_ledger *l,
                   const struct ck_report *r, const struct ck_config *cfg,
                   const struct ck_ask_ctx *ctx,
                   const struct ck_ask *const *sheets, size_t n) {
  struct ck_error err;
  ck_error_clear(&err);
  for (size_t i = 0; i < n && err.code == CK_OK; i++) {
    char *json = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&json, &len);
    bool rendered = f != NULL;
    if (f != NULL) {
      enum ck_status st = ck_ask_render_json(f, sheets[i]);
      rendered = fclose(f) == 0 && st == CK_OK;
    }
    if (!rendered) {
      free(json);
      ck_ledger_close(l);
      return cli_fail(CK_EXIT_IO,
                      "ask: cannot render the sheet for the "
                      "release ledger %s; nothing was written",
                      dir);
    }
    ck_ask_ledger_record(l, r, cfg, ctx, json, &err);
    free(json);
  }
  ck_ledger_close(l);
  if (err.code == CK_OK)
    return CK_EXIT_OK;
  cli_error(&err);
  return cli_fail(CK_EXIT_IO,
                  "ask: not recorded in the release ledger "
                  "%s; nothing was written",
                  dir);
}
