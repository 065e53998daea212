/*
 * report.c - the report model: cells, constraints, group names, lifetime
 * SPDX-License-Identifier: MIT
 */
#include "ckcohort/report.h"
#include "ckcohort/pool.h"
#include "util.h"
#include "meta.h"
#include "report_model.h"

#include <stdlib.h>
#include <string.h>

static const struct {
  const char *key, *label;
  int parent;
} groups[CK_G_COUNT] = {
    [CK_G_ALL] = {"all", "All applicants with a first score", -1},
    [CK_G_FAILED_FIRST] = {"failed_first", "Failed first attempt", CK_G_ALL},
    [CK_G_FAILED_THEN_PASSED] = {"failed_then_passed", "Failed, then passed",
                                 CK_G_FAILED_FIRST},
    [CK_G_FAILED_NEVER_PASSED] = {"failed_never_passed", "Failed, never passed",
                                  CK_G_FAILED_FIRST},
    [CK_G_LOW_PASS] = {"low_pass", "Low pass on first attempt", CK_G_ALL},
    [CK_G_LOW_PASS_NO_RETAKE] = {"low_pass_no_retake", "Low pass, no retake",
                                 CK_G_LOW_PASS},
    [CK_G_LOW_PASS_RETOOK] = {"low_pass_retook", "Low pass, retook",
                              CK_G_LOW_PASS},
    [CK_G_LPR_LOWER] = {"low_pass_retook_lower", "Retook: lower (≤ −5)",
                        CK_G_LOW_PASS_RETOOK},
    [CK_G_LPR_SIMILAR] = {"low_pass_retook_similar",
                          "Retook: similar (−4 to +4)", CK_G_LOW_PASS_RETOOK},
    [CK_G_LPR_SLIGHTLY_HIGHER] = {"low_pass_retook_slightly_higher",
                                  "Retook: slightly higher (+5 to +10)",
                                  CK_G_LOW_PASS_RETOOK},
    [CK_G_LPR_MODERATELY_HIGHER] = {"low_pass_retook_moderately_higher",
                                    "Retook: moderately higher (+11 to +19)",
                                    CK_G_LOW_PASS_RETOOK},
    [CK_G_LPR_SIGNIFICANTLY_HIGHER] =
        {"low_pass_retook_significantly_higher",
         "Retook: significantly higher (+20 or more)", CK_G_LOW_PASS_RETOOK},
    [CK_G_ABOVE_BAND] = {"above_band", "Passed above the low-pass band",
                         CK_G_ALL},
    [CK_G_ABOVE_BELOW_AVERAGE] = {"above_band_below_average",
                                  "Above band: below average", CK_G_ABOVE_BAND},
    [CK_G_ABOVE_AROUND_AVERAGE] = {"above_band_around_average",
                                   "Above band: around average",
                                   CK_G_ABOVE_BAND},
    [CK_G_ABOVE_COMPETITIVE] = {"above_band_competitive",
                                "Above band: competitive", CK_G_ABOVE_BAND},
};

const char *ck_group_key(enum ck_group_id g) {
  return (unsigned)g < CK_G_COUNT ? groups[g].key : "unknown";
}

const char *ck_group_label(enum ck_group_id g) {
  return (unsigned)g < CK_G_COUNT ? groups[g].label : "unknown";
}

int ck_group_parent(enum ck_group_id g) {
  return (unsigned)g < CK_G_COUNT ? groups[g].parent : -1;
}

struct ck_report *ck_report_new(void) {
  struct ck_report *r = ck_xcalloc(1, sizeof *r);
  r->generated = -1;
  return r;
}

size_t ck_report_cell(struct ck_report *r, long value, bool outcome) {
  ck_grow((void **)&r->cells, &r->cap_cells, r->n_cells + 1, sizeof *r->cells);
  r->cells[r->n_cells].value = value;
  r->cells[r->n_cells].shown = CK_SHOWN;
  r->cells[r->n_cells].outcome = outcome;
  r->cells[r->n_cells].priority = 1;
  r->cells[r->n_cells].internal = false;
  r->cells[r->n_cells].locked = false;
  r->cells[r->n_cells].unprinted = false;
  r->cells[r->n_cells].prior = false;
  r->cells[r->n_cells].may_be_empty = false;
  r->checked = false; /* a new count has not been through ck_suppress */
  return r->n_cells++;
}

size_t ck_report_internal_cell(struct ck_report *r, long value) {
  size_t i = ck_report_cell(r, value, true);
  r->cells[i].internal = true;
  return i;
}

void ck_report_privacy_from(struct ck_report *r, const struct ck_config *cfg) {
  r->min_cell = cfg->min_cell;
  r->policy = cfg->policy;
  r->n_bands = cfg->n_bands < CK_MAX_BANDS ? cfg->n_bands : CK_MAX_BANDS;
  memcpy(r->bands, cfg->bands, r->n_bands * sizeof *r->bands);
}

void ck_report_constraint(struct ck_report *r, size_t total,
                          const size_t *parts, size_t n) {
  ck_grow((void **)&r->constraints, &r->cap_constraints, r->n_constraints + 1,
          sizeof *r->constraints);
  ck_grow((void **)&r->parts, &r->cap_parts, r->n_parts_used + n,
          sizeof *r->parts);
  memcpy(r->parts + r->n_parts_used, parts, n * sizeof *parts);
  struct ck_constraint *k = &r->constraints[r->n_constraints++];
  k->total = total;
  k->first = r->n_parts_used;
  k->n_parts = n;
  r->n_parts_used += n;
  r->checked = false;
}

struct ck_row_counts ck_report_rows(const struct ck_report *r) {
  struct ck_row_counts n = {r->read,     r->accepted, r->excluded,
                            r->rejected, r->warnings, r->blank};
  return n;
}

enum ck_shown ck_report_count(const struct ck_report *r, size_t cell,
                              long *value) {
  /* an internal cell is a slack of the constraints, not a published count */
  if (cell >= r->n_cells || r->cells[cell].internal)
    return CK_NOT_ENOUGH_DATA;
  if (!r->checked)
    return CK_HIDDEN_DERIVED;
  if (r->cells[cell].shown == CK_SHOWN)
    *value = r->cells[cell].value;
  return (enum ck_shown)r->cells[cell].shown;
}

const struct ck_group_row *ck_report_group(const struct ck_report *r,
                                           enum ck_group_id g) {
  if (!r->checked || (unsigned)g >= CK_G_COUNT)
    return NULL;
  return &r->groups[g];
}

size_t ck_report_comparison_count(const struct ck_report *r) {
  return r->n_comparisons;
}

const struct ck_comparison *ck_report_comparison(const struct ck_report *r,
                                                 size_t i) {
  return r->checked && i < r->n_comparisons ? &r->comparisons[i] : NULL;
}

void ck_report_set_generated(struct ck_report *r, long long epoch) {
  r->generated = epoch < 0 ? -1 : epoch;
}

void ck_report_free(struct ck_report *r) {
  if (r == NULL)
    return;
  ck_tests_free(r->tests);
  for (size_t i = 0; i < r->n_inputs; i++) {
    free(r->inputs[i].path);
    for (size_t k = 0; k < r->inputs[i].n_ignored_columns; k++)
      free(r->inputs[i].ignored_columns[k]);
    free(r->inputs[i].ignored_columns);
  }
  free(r->inputs);
  for (size_t i = 0; i < r->n_reasons; i++)
    free(r->reasons[i].what);
  free(r->reasons);
  free(r->pass_marks);
  free(r->cells);
  free(r->constraints);
  free(r->parts);
  for (size_t i = 0; i < r->n_specialties; i++)
    free(r->specialties[i].name);
  free(r->specialties);
  free(r->years);
  for (size_t i = 0; i < r->n_into; i++)
    free(r->into[i].name);
  free(r->into);
  for (size_t i = 0; i < 4; i++)
    free(r->programs[i].name);
  ck_meta_free(r->meta);
  free(r);
}
