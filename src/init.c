/*
 * init.c - process set-up for the library
 * SPDX-License-Identifier: MIT
 */
#include "ckcohort/ckcohort.h"

#include <glpk.h>
#include <gsl/gsl_errno.h>

void ck_init(void) {
  /* GSL's default handler aborts the process; we check every status. */
  gsl_set_error_handler_off();
}

void ck_library_cleanup(void) {
  /* GLPK keeps an environment per thread once used; releasing it inside a
   * library call would destroy every GLPK problem of the host process, so
   * only the host (the CLI at exit) calls this. */
  glp_free_env();
}
