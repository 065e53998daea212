/*
 * config_internal.h - the configuration's helpers used inside the library
 * SPDX-License-Identifier: MIT
 *
 * Lookups, date arithmetic and the builders config_file.c uses: a client
 * configures through ckcohort/config.h (fields, ck_config_load,
 * ck_config_map_column) and never needs these.
 */
#ifndef CKCOHORT_CONFIG_INTERNAL_H
#define CKCOHORT_CONFIG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "ckcohort/config.h"

/* Pass mark in force on `date`; when date is CK_NO_DATE, on the undated day
 * of the year before match_year. */
int ck_config_pass_mark(const struct ck_config *cfg, int32_t date,
                        int match_year);

/* Index of the specialty called `name` (any alias, any case, spacing or
 * punctuation), or -1 when unknown. */
int ck_config_specialty_find(const struct ck_config *cfg, const char *name,
                             size_t len);

/* The specialty an unknown name is most likely a misspelling of: the one
 * whose name or alias (normalised) is within one edit or swap of it, two
 * for names of 8 letters and digits or more; -1 when none is, when two
 * specialties are equally near, or for names under 5 letters and digits. */
int ck_config_specialty_near(const struct ck_config *cfg, const char *name,
                             size_t len);

/* Add or replace an alias (key is normalised here).  Returns CK_OK,
 * CK_ENOMEM. */
enum ck_status ck_config_add_alias(struct ck_config *cfg, const char *alias,
                                   int specialty);

/* Add a specialty (or retier an existing one); returns its index or -1 when
 * memory runs out. */
int ck_config_add_specialty(struct ck_config *cfg, const char *name,
                            enum ck_tier tier);

/* Normalise a name for matching: keep ASCII letters and digits, lowercased,
 * drop everything else ("OB/GYN" -> "obgyn").  Writes at most cap-1 bytes
 * and a NUL; returns the length written. */
size_t ck_normalise_key(const char *s, size_t len, char *out, size_t cap);

/* Days since 1970-01-01 for a valid civil date, or CK_NO_DATE. */
int32_t ck_days_from_civil(int y, int m, int d);

/* Inverse of ck_days_from_civil. */
void ck_civil_from_days(int32_t days, int *y, int *m, int *d);

/* Category of a score change under cfg's thresholds. */
enum ck_change_cat ck_change_category(const struct ck_config *cfg, int change);

#endif
