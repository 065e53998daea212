/*
 * init.c - process set-up for the library
 * SPDX-License-Identifier: MIT
 */
#include "ckcohort/ckcohort.h"

#include <gsl/gsl_errno.h>

void ck_init(void) {
  /* GSL's default handler aborts the process; we check every status. */
  gsl_set_error_handler_off();
}
