/*
 * init.c - process set-up for the library
 * SPDX-License-Identifier: MIT
 */
#include "ckcohort/ckcohort.h"
#include "util.h"

#include <glpk.h>
#include <gsl/gsl_errno.h>
#include <jansson.h>
#include <stdlib.h>

/* jansson takes a plain malloc; ours never returns NULL (it calls the
 * out-of-memory handler), so an inner JSON value can no longer fail into
 * a bare null in a document that is then written and exits 0. */
static void *json_alloc(size_t n) { return ck_xmalloc(n); }

void ck_init(void) {
  /* GSL's default handler aborts the process; we check every status. */
  gsl_set_error_handler_off();
  json_set_alloc_funcs(json_alloc, free);
}

void ck_library_cleanup(void) {
  /* GLPK keeps an environment per thread once used; releasing it inside a
   * library call would destroy every GLPK problem of the host process, so
   * only the host (the CLI at exit) calls this. */
  glp_free_env();
}
