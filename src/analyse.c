/*
 * analyse.c - cohort -> report model (statistics through stats.h only)
 * SPDX-License-Identifier: MIT
 *
 * Two steps.  ck_suff_from_cohort (suff.c) classifies every accepted
 * record once and reduces the cohort (its counted-only tally rows too) to
 * sufficient statistics (summary.h): counts by key, score-change
 * histograms, integer sums of practice/retake pairs, weighted design rows,
 * each table sorted by key.  ck_analyse_suff computes every section from
 * that alone, so a school's report and a consortium's pool of summaries
 * (pool.c) run the same code on the same kind of input.  Every count
 * becomes a cell and
 * every "total = sum of parts" a constraint, so that ck_suppress (run by the
 * caller) can check what a reader could work out.  Statistics that the data
 * cannot support (stats.h returns CK_EDATA) are marked CK_NOT_ENOUGH_DATA
 * with their numbers zeroed, so the model never holds NaN or an infinity
 * (except a Fisher odds ratio of 0 or +inf, which stats.h documents).
 * Output order is a pure function of the input: every sort is a total order
 * on values, never on addresses.
 */
#include "ckcohort/analyse.h"
#include "adjust.h"
#include "classify.h"
#include "stats.h"
#include "ckcohort/summary.h"
#include "util.h"
#include "report_model.h"
#include "config_internal.h"
#include "cohort.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ctx {
  struct ck_report *r;
  const struct ck_config *cfg;
  const struct ck_suff *s;
  enum ck_status status; /* first unexpected failure */
  struct ck_error *err;
  /* specialty index (n_specs: none given) -> its row of r->specialties,
   * CK_NO_CELL when nobody named it; set by specialties(), owned here */
  size_t *spec_row;
};

/* CK_OK -> true; CK_EDATA -> false ("not enough data"); anything else is a
 * failure of the numerical routine, remembered for the caller. */
static bool stat_ok(struct ctx *x, enum ck_status st, const char *what) {
  if (st == CK_OK)
    return true;
  if (st != CK_EDATA && x->status == CK_OK) {
    x->status = st == CK_ENOMEM ? CK_ENOMEM : CK_EINTERNAL;
    ck_error_set(x->err, x->status, NULL, 0, NULL, "%s failed (status %d)",
                 what, (int)st);
  }
  return false;
}

static bool est_finite(const struct ck_est *e) {
  return isfinite(e->estimate) && isfinite(e->lo) && isfinite(e->hi);
}

static size_t cell(struct ctx *x, size_t value, bool outcome) {
  return ck_report_cell(x->r, (long)value, outcome);
}

static long cval(const struct ctx *x, size_t c) { return x->r->cells[c].value; }

/* whole = part + (whole - part), the slack never printed: how "part <= whole"
 * reaches the suppression attack. */
static void at_most(struct ctx *x, size_t part, size_t whole) {
  long slack = x->r->cells[whole].value - x->r->cells[part].value;
  size_t parts[2] = {part, ck_report_internal_cell(x->r, slack)};
  ck_report_constraint(x->r, whole, parts, 2);
}

static void constraint2(struct ctx *x, size_t total, size_t a, size_t b) {
  size_t parts[2] = {a, b};
  ck_report_constraint(x->r, total, parts, 2);
}

/* x/n of two cells with the configured interval. */
static void set_rate(struct ctx *x, struct ck_rate *rate, size_t xc,
                     size_t nc) {
  memset(rate, 0, sizeof *rate);
  rate->x = xc;
  rate->n = nc;
  rate->shown = CK_NOT_ENOUGH_DATA;
  if (xc == CK_NO_CELL || nc == CK_NO_CELL || cval(x, nc) <= 0)
    return;
  size_t xv = (size_t)cval(x, xc), nv = (size_t)cval(x, nc);
  struct ck_est e;
  enum ck_status st = x->cfg->clopper_pearson
                          ? ck_prop_exact(xv, nv, x->cfg->confidence, &e)
                          : ck_prop_wilson(xv, nv, x->cfg->confidence, &e);
  if (stat_ok(x, st, "proportion interval") && est_finite(&e)) {
    rate->est = e;
    rate->shown = CK_SHOWN;
  }
}

/* ---- provenance -----------------------------------------------------------
 */

static int reason_cmp(const void *a, const void *b) {
  const struct ck_reason_count *p = a, *q = b;
  if (p->n != q->n)
    return p->n > q->n ? -1 : 1;
  return strcmp(p->what, q->what);
}

static void provenance(struct ctx *x) {
  struct ck_report *r = x->r;
  const struct ck_suff *s = x->s;
  const struct ck_config *cfg = x->cfg;

  r->tool_version = ck_version();
  r->generated = -1; /* the CLI sets it from SOURCE_DATE_EPOCH */
  r->n_inputs = s->n_inputs;
  r->inputs = ck_xcalloc(s->n_inputs ? s->n_inputs : 1, sizeof *r->inputs);
  for (size_t i = 0; i < s->n_inputs; i++) {
    const struct ck_suff_input *in = &s->inputs[i];
    struct ck_report_input *out = &r->inputs[i];
    out->path = ck_xstrdup(in->path);
    memcpy(out->sha256, in->sha256, sizeof out->sha256);
    out->read = in->read;
    out->accepted = in->accepted;
    out->excluded = in->excluded;
    out->rejected = in->rejected;
    out->n_ignored_columns = in->n_ignored;
    out->ignored_columns =
        ck_xcalloc(in->n_ignored ? in->n_ignored : 1, sizeof(char *));
    for (size_t k = 0; k < in->n_ignored; k++)
      out->ignored_columns[k] = ck_xstrdup(in->ignored[k]);
  }
  r->read = s->read;
  r->accepted = s->accepted;
  r->excluded = s->excluded;
  r->rejected = s->rejected;
  r->warnings = s->warnings;
  r->blank = s->blank;
  r->excluded_no_score = s->excluded_no_score;
  r->excluded_years = s->excluded_years;

  r->n_reasons = s->n_reasons;
  r->reasons = ck_xcalloc(s->n_reasons ? s->n_reasons : 1, sizeof *r->reasons);
  for (size_t i = 0; i < s->n_reasons; i++) {
    r->reasons[i].what = ck_xstrdup(s->reasons[i].what);
    r->reasons[i].n = s->reasons[i].n;
  }
  if (r->n_reasons > 1)
    qsort(r->reasons, r->n_reasons, sizeof *r->reasons, reason_cmp);

  r->year_min = r->year_max = 0;
  for (size_t i = 0; i < s->n_counts; i++) {
    int y = s->counts[i].year;
    if (i == 0 || y < r->year_min)
      r->year_min = y;
    if (i == 0 || y > r->year_max)
      r->year_max = y;
  }
  r->years_from = s->years_from;
  r->years_to = s->years_to;

  ck_report_privacy_from(r, cfg);
  r->confidence = cfg->confidence;
  r->clopper_pearson = cfg->clopper_pearson;
  r->low_pass_margin = cfg->low_pass_margin;
  r->band_average_min = cfg->band_average_min;
  r->band_competitive_min = cfg->band_competitive_min;
  r->n_pass_marks = cfg->n_pass_marks;
  r->pass_marks = ck_xcalloc(cfg->n_pass_marks ? cfg->n_pass_marks : 1,
                             sizeof *r->pass_marks);
  if (cfg->n_pass_marks)
    memcpy(r->pass_marks, cfg->pass_marks,
           cfg->n_pass_marks * sizeof *r->pass_marks);

  r->retake_after_pass = s->retake_after_pass;
  r->retake_after_pass_cell = cell(x, s->retake_after_pass, false);
}

/* ---- groups ----------------------------------------------------------------
 */

enum {
  GF_N,
  GF_MATCHED,
  GF_UNMATCHED,
  GF_WITH_TARGET,
  GF_MATCHED_TARGET,
  GF_MISSED_TARGET,
  GF_WITH_PROGRAM,
  GF_ACADEMIC,
  GF_NOT_ACADEMIC,
  GF_NO_TARGET,
  GF_NO_PROGRAM,
  GF_COUNT
};

static size_t *group_field(struct ck_group_row *g, int f) {
  switch (f) {
  case GF_N:
    return &g->n;
  case GF_MATCHED:
    return &g->matched;
  case GF_UNMATCHED:
    return &g->unmatched;
  case GF_WITH_TARGET:
    return &g->with_target;
  case GF_MATCHED_TARGET:
    return &g->matched_target;
  case GF_MISSED_TARGET:
    return &g->missed_target;
  case GF_WITH_PROGRAM:
    return &g->with_program;
  case GF_ACADEMIC:
    return &g->academic;
  case GF_NO_TARGET:
    return &g->no_target;
  case GF_NO_PROGRAM:
    return &g->no_program;
  default:
    return &g->not_academic;
  }
}

static void groups(struct ctx *x) {
  struct ck_report *r = x->r;
  size_t cnt[CK_G_COUNT][GF_COUNT];
  memset(cnt, 0, sizeof cnt);
  bool in[CK_G_COUNT][CK_G_COUNT]; /* group g holds leaf l */
  for (int g = 0; g < CK_G_COUNT; g++)
    for (int l = 0; l < CK_G_COUNT; l++)
      in[g][l] = ck_group_contains((enum ck_group_id)g, (enum ck_group_id)l);
  for (size_t i = 0; i < x->s->n_counts; i++) {
    const struct ck_suff_count *rec = &x->s->counts[i];
    size_t v[GF_COUNT] = {0};
    v[GF_N] = 1;
    v[GF_MATCHED] = rec->matched ? 1 : 0;
    v[GF_UNMATCHED] = rec->matched ? 0 : 1;
    v[GF_WITH_TARGET] = rec->target >= 0;
    v[GF_MATCHED_TARGET] = rec->target >= 0 && rec->matched_target;
    v[GF_MISSED_TARGET] = rec->target >= 0 && !rec->matched_target;
    bool prog = rec->matched && rec->program != CK_PROGRAM_NONE;
    v[GF_WITH_PROGRAM] = prog;
    v[GF_ACADEMIC] = prog && rec->program == CK_PROGRAM_ACADEMIC;
    v[GF_NOT_ACADEMIC] = prog && rec->program != CK_PROGRAM_ACADEMIC;
    v[GF_NO_TARGET] = rec->target < 0;
    v[GF_NO_PROGRAM] = rec->matched && !prog;
    size_t w = (size_t)rec->n;
    for (int g = 0; g < CK_G_COUNT; g++)
      if (in[g][rec->leaf])
        for (int f = 0; f < GF_COUNT; f++)
          cnt[g][f] += v[f] * w;
  }
  for (int g = 0; g < CK_G_COUNT; g++) {
    struct ck_group_row *row = &r->groups[g];
    row->id = (enum ck_group_id)g;
    for (int f = 0; f < GF_COUNT; f++) {
      /* subsets by what was recorded before the Match (named a target or
       * not) are not outcomes: a 0 there tells nothing about the Match;
       * subsets of the matched (with or without a program type) are */
      bool outcome = f != GF_N && f != GF_WITH_TARGET && f != GF_NO_TARGET;
      *group_field(row, f) = cell(x, cnt[g][f], outcome);
    }
    set_rate(x, &row->match_rate, row->matched, row->n);
    set_rate(x, &row->target_rate, row->matched_target, row->with_target);
    set_rate(x, &row->academic_share, row->academic, row->with_program);
    constraint2(x, row->n, row->matched, row->unmatched);
    constraint2(x, row->with_target, row->matched_target, row->missed_target);
    constraint2(x, row->with_program, row->academic, row->not_academic);
    /* without these, a shown with_target equal to a withheld n gives it away */
    r->cells[row->no_target].internal = true;
    constraint2(x, row->n, row->with_target, row->no_target);
    constraint2(x, row->matched, row->with_program, row->no_program);
    at_most(x, row->matched_target, row->matched);
  }
  /* The headline groups' counts are the last to be withheld as
   * complements, in this order (first to go first): the question the report
   * exists for (low pass without a retake against failed then passed) and
   * everyone are kept longest.  Every other count is detail (priority 1). */
  static const struct {
    enum ck_group_id g;
    uint8_t priority;
  } key[] = {{CK_G_FAILED_FIRST, CK_PRIORITY_HEADLINE},
             {CK_G_ABOVE_BAND, CK_PRIORITY_HEADLINE + 1},
             {CK_G_LOW_PASS_RETOOK, CK_PRIORITY_HEADLINE + 2},
             {CK_G_LOW_PASS, CK_PRIORITY_HEADLINE + 3},
             {CK_G_LOW_PASS_NO_RETAKE, CK_PRIORITY_HEADLINE + 4},
             {CK_G_FAILED_THEN_PASSED, CK_PRIORITY_HEADLINE + 5},
             {CK_G_ALL, CK_PRIORITY_HEADLINE + 6}};
  for (size_t i = 0; i < sizeof key / sizeof key[0]; i++) {
    struct ck_group_row *row = &r->groups[key[i].g];
    r->cells[row->n].priority = key[i].priority;
    r->cells[row->matched].priority = key[i].priority;
    r->cells[row->unmatched].priority = key[i].priority;
  }
  /* Each parent is the sum of its children, field by field. */
  for (int p = 0; p < CK_G_COUNT; p++) {
    size_t kids[CK_G_COUNT], nk = 0;
    for (int g = 0; g < CK_G_COUNT; g++)
      if (ck_group_parent((enum ck_group_id)g) == p)
        kids[nk++] = (size_t)g;
    if (nk == 0)
      continue;
    for (int f = 0; f < GF_COUNT; f++) {
      size_t parts[CK_G_COUNT];
      for (size_t j = 0; j < nk; j++)
        parts[j] = *group_field(&r->groups[kids[j]], f);
      ck_report_constraint(r, *group_field(&r->groups[p], f), parts, nk);
    }
  }
}

/* Every low-pass retaker retook a passed Step, so the published count of
 * retakes after a pass is at least the low-pass-retook group: record
 * retake_after_pass = low_pass_retook + others, so that suppression knows. */
static void retake_policy_link(struct ctx *x) {
  struct ck_report *r = x->r;
  size_t lpr = (size_t)cval(x, r->groups[CK_G_LOW_PASS_RETOOK].n);
  size_t lpr_flagged = x->s->lpr_flagged;
  if (lpr == 0 || lpr_flagged != lpr || r->retake_after_pass < lpr)
    return;
  at_most(x, r->groups[CK_G_LOW_PASS_RETOOK].n, r->retake_after_pass_cell);
}

/* ---- comparisons ------------------------------------------------------------
 */

/* The three comparisons' Fisher tests take most of the analysis of a large
 * cohort (each root search of the exact interval sums the whole support,
 * which grows with the groups).  They are pure functions of four counts, so
 * they are computed apart from the rest: as jobs taken from a queue, by a
 * helper thread while this one computes the other sections, then by this
 * thread too once it is done.  Their results are used where compare() used
 * them, in the same order, so the report is the same with or without the
 * helper; a failure of one is reported as the first error if no other came
 * before it in that order (stat_ok's rule). */
struct fisher_job {
  size_t am, au, bm, bu; /* the 2 x 2 table */
  double conf;
  size_t support;  /* points of the conditional distribution: the job's size */
  bool want;       /* the difference was computed: the test is used */
  bool first;      /* no failure came before this test's use */
  struct ck_est d; /* the Newcombe difference, kept until the test is in */
  enum ck_status st;
  struct ck_fisher f;
};

#define N_COMPARISONS 3

struct fishers {
  struct fisher_job job[N_COMPARISONS];
  size_t order[N_COMPARISONS]; /* largest first: the queue */
  size_t next, done;
  bool threaded;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  pthread_t tid;
};

static void fisher_run(struct fisher_job *j) {
  j->st = ck_fisher_exact(j->am, j->au, j->bm, j->bu, j->conf, &j->f);
}

/* Take and run the next job; false when the queue is empty. */
static bool fisher_take(struct fishers *fs) {
  size_t i = N_COMPARISONS;
  if (fs->threaded)
    pthread_mutex_lock(&fs->mu);
  if (fs->next < N_COMPARISONS)
    i = fs->order[fs->next++];
  if (fs->threaded)
    pthread_mutex_unlock(&fs->mu);
  if (i == N_COMPARISONS)
    return false;
  fisher_run(&fs->job[i]);
  if (fs->threaded) {
    pthread_mutex_lock(&fs->mu);
    fs->done++;
    pthread_cond_broadcast(&fs->cv);
    pthread_mutex_unlock(&fs->mu);
  } else {
    fs->done++;
  }
  return true;
}

static void *fisher_helper(void *arg) {
  struct fishers *fs = arg;
  while (fisher_take(fs))
    ;
  return NULL;
}

/* Queue the tests of the comparisons a / b and start the helper when the
 * run may use a second thread. */
static void fisher_start(struct fishers *fs, struct ctx *x,
                         const enum ck_group_id a[], const enum ck_group_id b[],
                         bool helper) {
  memset(fs, 0, sizeof *fs);
  for (size_t i = 0; i < N_COMPARISONS; i++) {
    const struct ck_group_row *ga = &x->r->groups[a[i]];
    const struct ck_group_row *gb = &x->r->groups[b[i]];
    struct fisher_job *j = &fs->job[i];
    j->am = (size_t)cval(x, ga->matched);
    j->au = (size_t)cval(x, ga->unmatched);
    j->bm = (size_t)cval(x, gb->matched);
    j->bu = (size_t)cval(x, gb->unmatched);
    j->conf = x->cfg->confidence;
    size_t m = j->am + j->bm, n = j->au + j->bu, k = j->am + j->au;
    size_t lo = k > n ? k - n : 0, hi = k < m ? k : m;
    j->support = hi >= lo ? hi - lo + 1 : 0;
    fs->order[i] = i;
  }
  for (size_t i = 1; i < N_COMPARISONS; i++) /* stable: ties keep order */
    for (size_t k = i; k > 0 && fs->job[fs->order[k]].support >
                                    fs->job[fs->order[k - 1]].support;
         k--) {
      size_t t = fs->order[k];
      fs->order[k] = fs->order[k - 1];
      fs->order[k - 1] = t;
    }
  if (!helper)
    return;
  if (pthread_mutex_init(&fs->mu, NULL) != 0)
    return;
  if (pthread_cond_init(&fs->cv, NULL) != 0) {
    pthread_mutex_destroy(&fs->mu);
    return;
  }
  fs->threaded = true;
  if (pthread_create(&fs->tid, NULL, fisher_helper, fs) != 0) {
    fs->threaded = false;
    pthread_cond_destroy(&fs->cv);
    pthread_mutex_destroy(&fs->mu);
  }
}

/* Run what is left of the queue here, then wait for the helper's job. */
static void fisher_finish(struct fishers *fs) {
  while (fisher_take(fs))
    ;
  if (!fs->threaded)
    return;
  pthread_mutex_lock(&fs->mu);
  while (fs->done < N_COMPARISONS)
    pthread_cond_wait(&fs->cv, &fs->mu);
  pthread_mutex_unlock(&fs->mu);
  pthread_join(fs->tid, NULL);
  pthread_cond_destroy(&fs->cv);
  pthread_mutex_destroy(&fs->mu);
}

/* The comparison up to its Fisher test, which j holds once it is run. */
static void compare(struct ctx *x, struct ck_comparison *cmp, const char *id,
                    const char *label, enum ck_group_id a, enum ck_group_id b,
                    struct fisher_job *j) {
  const struct ck_group_row *ga = &x->r->groups[a], *gb = &x->r->groups[b];
  memset(cmp, 0, sizeof *cmp);
  cmp->id = id;
  cmp->label = label;
  cmp->a = a;
  cmp->b = b;
  cmp->shown = CK_NOT_ENOUGH_DATA;
  size_t am = (size_t)cval(x, ga->matched), au = (size_t)cval(x, ga->unmatched);
  size_t bm = (size_t)cval(x, gb->matched), bu = (size_t)cval(x, gb->unmatched);
  j->want = stat_ok(x,
                    ck_prop_diff_newcombe(am, am + au, bm, bm + bu,
                                          x->cfg->confidence, &j->d),
                    "newcombe difference") &&
            est_finite(&j->d);
  j->first = x->status == CK_OK;
}

/* The rest of compare(), once j's test is in.  *told: an earlier test's
 * failure is already the error told. */
static void compare_end(struct ctx *x, struct ck_comparison *cmp,
                        const struct fisher_job *j, bool *told) {
  if (!j->want)
    return;
  if (j->st != CK_OK) {
    if (j->st != CK_EDATA && j->first && !*told) {
      x->status = j->st == CK_ENOMEM ? CK_ENOMEM : CK_EINTERNAL;
      ck_error_set(x->err, x->status, NULL, 0, NULL, "%s failed (status %d)",
                   "fisher exact test", (int)j->st);
      *told = true;
    }
    return;
  }
  const struct ck_fisher *f = &j->f;
  if (!isfinite(f->p) || isnan(f->odds_ratio.estimate) ||
      isnan(f->odds_ratio.lo) || isnan(f->odds_ratio.hi))
    return;
  cmp->difference = j->d;
  cmp->fisher_p = f->p;
  cmp->odds_ratio = f->odds_ratio;
  cmp->shown = CK_SHOWN;
}

/* ---- score change
 * ------------------------------------------------------------ */

static void summarise_changes(struct ctx *x, struct ck_score_change *s,
                              const double *d, size_t n) {
  s->shown = CK_NOT_ENOUGH_DATA;
  s->wilcoxon_shown = CK_NOT_ENOUGH_DATA;
  set_rate(x, &s->share_ge_20, s->categories[CK_CHANGE_SIGNIFICANTLY_HIGHER],
           s->n);
  struct ck_est m;
  double sd, med, q1, q3;
  if (stat_ok(x, ck_mean_t_sd(d, n, x->cfg->confidence, &m, &sd),
              "t interval") &&
      stat_ok(x, ck_quantile(d, n, 0.5, &med), "median") &&
      stat_ok(x, ck_quantile(d, n, 0.25, &q1), "quartile") &&
      stat_ok(x, ck_quantile(d, n, 0.75, &q3), "quartile") && est_finite(&m) &&
      isfinite(sd) && isfinite(med) && isfinite(q1) && isfinite(q3)) {
    s->mean = m;
    s->sd = sd;
    s->median = med;
    s->q1 = q1;
    s->q3 = q3;
    s->shown = CK_SHOWN;
  }
  double p;
  bool exact;
  if (stat_ok(x, ck_wilcoxon_signed_rank(d, n, &p, &exact), "wilcoxon test") &&
      isfinite(p)) {
    s->wilcoxon_p = p;
    s->wilcoxon_exact = exact;
    s->wilcoxon_shown = CK_SHOWN;
  }
}

static void score_change(struct ctx *x) {
  struct ck_report *r = x->r;
  size_t nrec = 0;
  for (size_t i = 0; i < x->s->n_changes; i++)
    nrec += (size_t)x->s->changes[i].n;
  double *lp = ck_xcalloc(nrec ? nrec : 1, sizeof *lp);
  double *all = ck_xcalloc(nrec ? nrec : 1, sizeof *all);
  size_t nlp = 0, nall = 0, cat_all[CK_CHANGE_NCAT] = {0};
  /* the histogram is in ascending order of change: so are the arrays */
  for (size_t i = 0; i < x->s->n_changes; i++) {
    const struct ck_suff_change *h = &x->s->changes[i];
    bool in_lp = ck_group_contains(CK_G_LOW_PASS_RETOOK, h->leaf);
    cat_all[ck_change_category(x->cfg, h->change)] += (size_t)h->n;
    for (uint64_t k = 0; k < h->n; k++) {
      all[nall++] = h->change;
      if (in_lp)
        lp[nlp++] = h->change;
    }
  }

  struct ck_score_change *s = &r->score_change;
  memset(s, 0, sizeof *s);
  s->id = "score_change";
  s->n = r->groups[CK_G_LOW_PASS_RETOOK].n;
  for (int c = 0; c < CK_CHANGE_NCAT; c++)
    s->categories[c] = r->groups[CK_G_LPR_LOWER + c].n;
  summarise_changes(x, s, lp, nlp);

  s = &r->score_change_all;
  memset(s, 0, sizeof *s);
  s->id = "score_change_all_retakers";
  s->n = cell(x, nall, false);
  for (int c = 0; c < CK_CHANGE_NCAT; c++)
    s->categories[c] = cell(x, cat_all[c], false);
  ck_report_constraint(r, s->n, s->categories, CK_CHANGE_NCAT);
  /* low-pass retakers are some of all retakers, who are some of everyone */
  for (int c = 0; c < CK_CHANGE_NCAT; c++)
    at_most(x, r->score_change.categories[c], s->categories[c]);
  at_most(x, s->n, r->groups[CK_G_ALL].n);
  /* everyone with a second attempt holds the failed-then-passed (a later
   * attempt passed) and the low-pass retakers, no one in both: the
   * reader's "all retakers >= failed then passed + low-pass retakers"
   * (docs/report-json.md), which narrowed a withheld low-pass-retaker count
   * to 3..5 from 18 and 13 shown (issue 12, test_attack_all_retakers) */
  size_t ftp = r->groups[CK_G_FAILED_THEN_PASSED].n;
  size_t lpr = r->groups[CK_G_LOW_PASS_RETOOK].n;
  long rest = cval(x, s->n) - cval(x, ftp) - cval(x, lpr);
  if (rest >= 0) {
    size_t parts[3] = {ftp, lpr, ck_report_internal_cell(r, rest)};
    ck_report_constraint(r, s->n, parts, 3);
  }
  summarise_changes(x, s, all, nall);

  free(lp);
  free(all);
}

/* ---- practice -> retake score
 * ---------------------------------------------------- */

/* `scope` is the cell counting every retaker in scope; the pairs are a
 * subset of it, recorded as scope = pairs + retakers without practice_avg_2
 * so that a published pair count cannot give away a withheld scope. */
static void fit(struct ctx *x, struct ck_regression *g, const char *id,
                bool low_pass_only, size_t scope) {
  struct ck_suff_pairs sum = {0};
  for (int leaf = 0; leaf < CK_G_COUNT; leaf++) {
    const struct ck_suff_pairs *p = &x->s->pairs[leaf];
    if (p->n == 0 ||
        (low_pass_only &&
         !ck_group_contains(CK_G_LOW_PASS_RETOOK, (enum ck_group_id)leaf)))
      continue;
    if (sum.n == 0 || p->x_min < sum.x_min)
      sum.x_min = p->x_min;
    if (sum.n == 0 || p->x_max > sum.x_max)
      sum.x_max = p->x_max;
    sum.n += p->n;
    sum.sx += p->sx;
    sum.sy += p->sy;
    sum.sxx += p->sxx;
    sum.sxy += p->sxy;
    sum.syy += p->syy;
  }
  size_t n = (size_t)sum.n;
  int lo = sum.x_min, hi = sum.x_max;
  memset(g, 0, sizeof *g);
  g->id = id;
  g->n = cell(x, n, false);
  at_most(x, g->n, scope);
  g->shown = CK_NOT_ENOUGH_DATA;
  g->x_min = lo;
  g->x_max = hi;
  struct ck_linfit f;
  if (stat_ok(x,
              ck_linfit_sums(n, sum.sx, sum.sy, sum.sxx, sum.sxy, sum.syy, &f),
              "least squares") &&
      isfinite(f.intercept) && isfinite(f.slope) && isfinite(f.r2) &&
      isfinite(f.sigma)) {
    bool ok = true;
    size_t np = x->cfg->n_practice_points;
    if (np > CK_MAX_PRACTICE_POINTS)
      np = CK_MAX_PRACTICE_POINTS;
    for (size_t j = 0; j < np && ok; j++) {
      g->pred[j].practice = x->cfg->practice_points[j];
      ok = stat_ok(x,
                   ck_linfit_predict(&f, g->pred[j].practice,
                                     x->cfg->confidence, &g->pred[j].fit),
                   "prediction interval") &&
           est_finite(&g->pred[j].fit);
    }
    if (ok) {
      g->n_pred = np;
      g->intercept = f.intercept;
      g->slope = f.slope;
      g->r2 = f.r2;
      g->sigma = f.sigma;
      g->shown = CK_SHOWN;
    } else {
      memset(g->pred, 0, sizeof g->pred);
    }
  }
}

/* ---- by target specialty
 * --------------------------------------------------------- */

struct spec_acc {
  int index; /* specialty index, -1 for the none row */
  const char *name;
  enum ck_tier tier;
  size_t n, matched, matched_target, lp_n, lp_matched;
};

static int spec_cmp(const void *a, const void *b) {
  const struct spec_acc *p = a, *q = b;
  if ((p->index < 0) != (q->index < 0))
    return p->index < 0 ? 1 : -1;
  if (p->tier != q->tier)
    return p->tier > q->tier ? -1 : 1; /* very competitive first, none last */
  int s = strcmp(p->name, q->name);
  if (s != 0)
    return s;
  return p->index < q->index ? -1 : p->index > q->index;
}

static void specialties(struct ctx *x) {
  struct ck_report *r = x->r;
  const struct ck_suff *su = x->s;
  size_t ns = su->n_specs;
  /* slot ns is the none row */
  struct spec_acc *acc = ck_xcalloc(ns + 1, sizeof *acc);
  bool *present = ck_xcalloc(ns + 1, sizeof *present);
  for (size_t i = 0; i < su->n_counts; i++) {
    const struct ck_suff_count *rec = &su->counts[i];
    size_t w = (size_t)rec->n;
    size_t s = rec->target >= 0 ? (size_t)rec->target : ns;
    bool lp = ck_group_contains(CK_G_LOW_PASS, rec->leaf);
    present[s] = true;
    acc[s].n += w;
    acc[s].matched += rec->matched ? w : 0;
    acc[s].matched_target += rec->matched_target ? w : 0;
    acc[s].lp_n += lp ? w : 0;
    acc[s].lp_matched += lp && rec->matched ? w : 0;
  }
  size_t nrows = 0;
  for (size_t s = 0; s <= ns; s++) {
    if (!present[s])
      continue;
    struct spec_acc a = acc[s];
    if (s == ns) {
      a.index = -1;
      a.name = "(none given)";
      a.tier = CK_TIER_NONE;
    } else {
      a.index = (int)s;
      a.name = su->specs[s].name;
      a.tier = su->specs[s].tier;
    }
    acc[nrows++] = a;
  }
  qsort(acc, nrows, sizeof *acc, spec_cmp);
  x->spec_row = ck_xcalloc(ns + 1, sizeof *x->spec_row);
  for (size_t s = 0; s <= ns; s++)
    x->spec_row[s] = CK_NO_CELL;
  for (size_t i = 0; i < nrows; i++)
    x->spec_row[acc[i].index < 0 ? ns : (size_t)acc[i].index] = i;

  r->specialties = ck_xcalloc(nrows ? nrows : 1, sizeof *r->specialties);
  r->n_specialties = nrows;
  size_t *p_n = ck_xcalloc(nrows + 1, sizeof *p_n);
  size_t *p_m = ck_xcalloc(nrows + 1, sizeof *p_m);
  size_t *p_u = ck_xcalloc(nrows + 1, sizeof *p_u);
  size_t *p_ln = ck_xcalloc(nrows + 1, sizeof *p_ln);
  size_t *p_lm = ck_xcalloc(nrows + 1, sizeof *p_lm);
  size_t *p_lu = ck_xcalloc(nrows + 1, sizeof *p_lu);
  size_t *p_tn = ck_xcalloc(nrows + 1, sizeof *p_tn);
  size_t *p_mt = ck_xcalloc(nrows + 1, sizeof *p_mt);
  size_t *p_xt = ck_xcalloc(nrows + 1, sizeof *p_xt);
  size_t nt = 0;
  for (size_t i = 0; i < nrows; i++) {
    const struct spec_acc *a = &acc[i];
    struct ck_specialty_row *row = &r->specialties[i];
    row->name = ck_xstrdup(a->index < 0 ? "(none given)" : a->name);
    row->tier = a->tier;
    row->is_none = a->index < 0;
    row->n = p_n[i] = cell(x, a->n, false);
    row->matched = p_m[i] = cell(x, a->matched, true);
    row->unmatched = p_u[i] = cell(x, a->n - a->matched, true);
    constraint2(x, row->n, row->matched, row->unmatched);
    set_rate(x, &row->match_rate, row->matched, row->n);
    if (row->is_none) {
      /* No target, so "matched into the target" does not apply. */
      row->matched_target = row->missed_target = CK_NO_CELL;
      set_rate(x, &row->target_rate, CK_NO_CELL, CK_NO_CELL);
    } else {
      row->matched_target = p_mt[nt] = cell(x, a->matched_target, true);
      row->missed_target = p_xt[nt] = cell(x, a->n - a->matched_target, true);
      p_tn[nt++] = row->n;
      constraint2(x, row->n, row->matched_target, row->missed_target);
      set_rate(x, &row->target_rate, row->matched_target, row->n);
    }
    row->lp_n = p_ln[i] = cell(x, a->lp_n, false);
    row->lp_matched = p_lm[i] = cell(x, a->lp_matched, true);
    row->lp_unmatched = p_lu[i] = cell(x, a->lp_n - a->lp_matched, true);
    constraint2(x, row->lp_n, row->lp_matched, row->lp_unmatched);
    /* the low-pass applicants are some of the row's applicants */
    at_most(x, row->lp_n, row->n);
    at_most(x, row->lp_matched, row->matched);
    at_most(x, row->lp_unmatched, row->unmatched);
    if (!row->is_none)
      at_most(x, row->matched_target, row->matched);
    set_rate(x, &row->lp_match_rate, row->lp_matched, row->lp_n);
  }
  if (nrows > 0) {
    const struct ck_group_row *all = &r->groups[CK_G_ALL];
    const struct ck_group_row *low = &r->groups[CK_G_LOW_PASS];
    ck_report_constraint(r, all->n, p_n, nrows);
    ck_report_constraint(r, all->matched, p_m, nrows);
    ck_report_constraint(r, all->unmatched, p_u, nrows);
    ck_report_constraint(r, low->n, p_ln, nrows);
    ck_report_constraint(r, low->matched, p_lm, nrows);
    ck_report_constraint(r, low->unmatched, p_lu, nrows);
    if (nt > 0) {
      ck_report_constraint(r, all->with_target, p_tn, nt);
      ck_report_constraint(r, all->matched_target, p_mt, nt);
      ck_report_constraint(r, all->missed_target, p_xt, nt);
    }
  }
  free(p_n);
  free(p_m);
  free(p_u);
  free(p_ln);
  free(p_lm);
  free(p_lu);
  free(p_tn);
  free(p_mt);
  free(p_xt);
  free(acc);
  free(present);
}

/* ---- by Match year and trend
 * ---------------------------------------------------- */

static void years(struct ctx *x) {
  struct ck_report *r = x->r;
  r->trend.shown = CK_NOT_ENOUGH_DATA;
  if (x->s->n_counts == 0)
    return;
  size_t span = (size_t)(r->year_max - r->year_min + 1);
  size_t *yn = ck_xcalloc(span, sizeof *yn);
  size_t *ym = ck_xcalloc(span, sizeof *ym);
  for (size_t i = 0; i < x->s->n_counts; i++) {
    const struct ck_suff_count *rec = &x->s->counts[i];
    size_t k = (size_t)(rec->year - r->year_min);
    size_t w = (size_t)rec->n;
    yn[k] += w;
    ym[k] += rec->matched ? w : 0;
  }
  size_t rows = 0;
  for (size_t k = 0; k < span; k++)
    rows += yn[k] > 0;
  r->years = ck_xcalloc(rows, sizeof *r->years);
  r->n_years = rows;
  size_t *pn = ck_xcalloc(rows, sizeof *pn);
  size_t *pm = ck_xcalloc(rows, sizeof *pm);
  size_t *pu = ck_xcalloc(rows, sizeof *pu);
  size_t *tx = ck_xcalloc(rows, sizeof *tx);
  size_t *tn = ck_xcalloc(rows, sizeof *tn);
  double *ts = ck_xcalloc(rows, sizeof *ts);
  size_t j = 0;
  for (size_t k = 0; k < span; k++) {
    if (yn[k] == 0)
      continue;
    struct ck_year_row *y = &r->years[j];
    y->year = r->year_min + (int)k;
    y->pass_mark = ck_config_pass_mark(x->cfg, CK_NO_DATE, y->year);
    y->n = pn[j] = cell(x, yn[k], false);
    y->matched = pm[j] = cell(x, ym[k], true);
    y->unmatched = pu[j] = cell(x, yn[k] - ym[k], true);
    constraint2(x, y->n, y->matched, y->unmatched);
    set_rate(x, &y->match_rate, y->matched, y->n);
    tx[j] = ym[k];
    tn[j] = yn[k];
    ts[j] = y->year;
    j++;
  }
  ck_report_constraint(r, r->groups[CK_G_ALL].n, pn, rows);
  ck_report_constraint(r, r->groups[CK_G_ALL].matched, pm, rows);
  ck_report_constraint(r, r->groups[CK_G_ALL].unmatched, pu, rows);

  double chi2, p;
  if (stat_ok(x, ck_prop_trend(tx, tn, ts, rows, &chi2, &p), "trend test") &&
      isfinite(chi2) && isfinite(p)) {
    /* Weighted least-squares slope of the yearly rate on the year, weights
     * n: sum w (t - tbar)(p - pbar) / sum w (t - tbar)^2. */
    double sw = 0, st = 0, sp = 0;
    for (size_t i = 0; i < rows; i++) {
      double w = (double)tn[i];
      sw += w;
      st += w * ts[i];
      sp += (double)tx[i];
    }
    double tbar = st / sw, pbar = sp / sw, sxy = 0, sxx = 0;
    for (size_t i = 0; i < rows; i++) {
      double w = (double)tn[i], dt = ts[i] - tbar;
      sxy += w * dt * ((double)tx[i] / w - pbar);
      sxx += w * dt * dt;
    }
    if (sxx > 0 && isfinite(sxy / sxx)) {
      r->trend.chi2 = chi2;
      r->trend.p = p;
      r->trend.change_per_year = sxy / sxx;
      r->trend.shown = CK_SHOWN;
    }
  }
  free(yn);
  free(ym);
  free(pn);
  free(pm);
  free(pu);
  free(tx);
  free(tn);
  free(ts);
}

/* ---- what matched applicants matched into
 * --------------------------------------- */

/* the group of each matched-into column */
static const enum ck_group_id into_group[CK_INTO_NCOL] = {
    CK_G_LOW_PASS_NO_RETAKE, CK_G_LOW_PASS_RETOOK, CK_G_FAILED_THEN_PASSED};

static int into_col(enum ck_group_id leaf) {
  if (leaf == CK_G_LOW_PASS_NO_RETAKE)
    return CK_INTO_NO_RETAKE;
  if (ck_group_contains(CK_G_LOW_PASS_RETOOK, leaf))
    return CK_INTO_RETOOK;
  if (leaf == CK_G_FAILED_THEN_PASSED)
    return CK_INTO_FAILED_THEN_PASSED;
  return -1;
}

struct into_acc {
  int index;
  const char *name;
  enum ck_tier tier;
  size_t v[CK_INTO_NCOL];
};

static int into_cmp(const void *a, const void *b) {
  const struct into_acc *p = a, *q = b;
  if (p->tier != q->tier)
    return p->tier > q->tier ? -1 : 1;
  int s = strcmp(p->name, q->name);
  if (s != 0)
    return s;
  return p->index < q->index ? -1 : p->index > q->index;
}

/* A matched member of a matched-into column who named target t and matched
 * into specialty m is counted in three tables: t's low-pass row of the
 * by-specialty table, m's row of the matched-into table, and the group's
 * matched-into-target count when m = t.  Cells never printed tie them
 * together: without them the suppression did not see that the three bound
 * a target's low-pass unmatched count (held-out cohort of 2026-12-02:
 * `generate --seed 411 --school-profile small`, strict; a low-pass
 * missed-target count of 17, 27 matched into "Other (merged)" and 13
 * low-pass Internal Medicine applicants put seven withheld low-pass
 * unmatched counts at 0..9).  row_of: a specialty's matched-into row (ns:
 * none given; CK_NO_CELL: no row, so nobody is in it). */
static void into_by_target(struct ctx *x, const size_t *row_of, size_t n_named,
                           size_t nrow) {
  struct ck_report *r = x->r;
  const struct ck_suff *su = x->s;
  size_t ns = su->n_specs, nt = ns + 1; /* target ns: none given */
  if (nrow == 0 || x->spec_row == NULL)
    return;
  /* slot (k * nt + t) * w + j: column k, target t, matched into row j but
   * not into t; slot j = nrow: matched into t */
  size_t w = nrow + 1, nslot = (size_t)CK_INTO_NCOL * nt * w;
  size_t *v = ck_xcalloc(nslot, sizeof *v);
  for (size_t i = 0; i < su->n_counts; i++) {
    const struct ck_suff_count *rec = &su->counts[i];
    int col = into_col((enum ck_group_id)rec->leaf);
    if (col < 0 || !rec->matched)
      continue;
    size_t t = rec->target >= 0 ? (size_t)rec->target : ns;
    size_t m =
        rec->matched_specialty >= 0 ? (size_t)rec->matched_specialty : ns;
    v[((size_t)col * nt + t) * w + (rec->matched_target ? nrow : row_of[m])] +=
        (size_t)rec->n;
  }
  /* each target's by-specialty row (every target anyone named has one: a
   * target without one has no members, and a reader knows it) */
  const size_t *spec_row = x->spec_row;
  size_t *cellv = ck_xcalloc(nslot, sizeof *cellv);
  for (size_t i = 0; i < nslot; i++)
    cellv[i] = CK_NO_CELL;
  size_t *parts = ck_xcalloc(nt * w + 1, sizeof *parts);
  size_t *col_t = ck_xcalloc((size_t)CK_INTO_NCOL * nt, sizeof *col_t);
  for (size_t t = 0; t < nt; t++) {
    if (spec_row[t] == CK_NO_CELL)
      continue;
    for (int k = 0; k < CK_INTO_NCOL; k++) {
      size_t base = ((size_t)k * nt + t) * w, np = 0;
      long total = 0;
      for (size_t j = 0; j < w; j++) {
        /* none given: nothing to match into; t in no row of the table:
         * nobody matched into it; a named row of t's own specialty holds
         * only t, so "into it, not t" is empty */
        if (j == nrow ? t == ns || row_of[t] == CK_NO_CELL
                      : t < ns && j == row_of[t] && j < n_named)
          continue;
        cellv[base + j] = ck_report_internal_cell(r, (long)v[base + j]);
        parts[np++] = cellv[base + j];
        total += (long)v[base + j];
      }
      col_t[(size_t)k * nt + t] = ck_report_internal_cell(r, total);
      ck_report_constraint(r, col_t[(size_t)k * nt + t], parts, np);
    }
  }
  for (int k = 0; k < CK_INTO_NCOL; k++) {
    /* each matched-into cell: its members by target */
    for (size_t j = 0; j < nrow; j++) {
      size_t np = 0;
      for (size_t t = 0; t < nt; t++) {
        size_t base = ((size_t)k * nt + t) * w;
        if (cellv[base + j] != CK_NO_CELL)
          parts[np++] = cellv[base + j];
        if (t < ns && row_of[t] == j && cellv[base + nrow] != CK_NO_CELL)
          parts[np++] = cellv[base + nrow];
      }
      ck_report_constraint(r, r->into[j].cells[k], parts, np);
    }
    /* the group's matched into its target */
    size_t np = 0;
    for (size_t t = 0; t < ns; t++)
      if (cellv[((size_t)k * nt + t) * w + nrow] != CK_NO_CELL)
        parts[np++] = cellv[((size_t)k * nt + t) * w + nrow];
    ck_report_constraint(r, r->groups[into_group[k]].matched_target, parts, np);
  }
  /* by target: the low-pass row's matched are the first two columns'; with
   * the third they are some of the row's matched, and those matched into
   * the target some of the row's matched into the target */
  for (size_t t = 0; t < nt; t++) {
    if (spec_row[t] == CK_NO_CELL)
      continue;
    const struct ck_specialty_row *sr = &r->specialties[spec_row[t]];
    size_t c3[CK_INTO_NCOL], o3[CK_INTO_NCOL], no = 0;
    long cs = 0, os = 0;
    for (int k = 0; k < CK_INTO_NCOL; k++) {
      c3[k] = col_t[(size_t)k * nt + t];
      cs += cval(x, c3[k]);
      size_t o = cellv[((size_t)k * nt + t) * w + nrow];
      if (o != CK_NO_CELL) {
        o3[no++] = o;
        os += cval(x, o);
      }
    }
    constraint2(x, sr->lp_matched, c3[CK_INTO_NO_RETAKE], c3[CK_INTO_RETOOK]);
    size_t all3 = ck_report_internal_cell(r, cs);
    ck_report_constraint(r, all3, c3, CK_INTO_NCOL);
    at_most(x, all3, sr->matched);
    if (no > 0 && sr->matched_target != CK_NO_CELL) {
      size_t own3 = ck_report_internal_cell(r, os);
      ck_report_constraint(r, own3, o3, no);
      at_most(x, own3, sr->matched_target);
    }
  }
  free(col_t);
  free(parts);
  free(cellv);
  free(v);
}

static void into(struct ctx *x) {
  struct ck_report *r = x->r;
  const struct ck_suff *su = x->s;
  size_t ns = su->n_specs;
  struct into_acc *acc = ck_xcalloc(ns + 1, sizeof *acc); /* ns: not given */
  size_t prog[4][CK_INTO_NCOL];
  memset(prog, 0, sizeof prog);
  for (size_t i = 0; i < su->n_counts; i++) {
    const struct ck_suff_count *rec = &su->counts[i];
    int col = into_col((enum ck_group_id)rec->leaf);
    if (col < 0 || !rec->matched)
      continue;
    size_t s =
        rec->matched_specialty >= 0 ? (size_t)rec->matched_specialty : ns;
    acc[s].v[col] += (size_t)rec->n;
    int p;
    switch (rec->program) {
    case CK_PROGRAM_ACADEMIC:
      p = 0;
      break;
    case CK_PROGRAM_COMMUNITY:
      p = 1;
      break;
    case CK_PROGRAM_OTHER:
      p = 2;
      break;
    default:
      p = 3;
      break;
    }
    prog[p][col] += (size_t)rec->n;
  }

  /* Named specialties with at least min_cell matched applicants keep their
   * own row; the rest merge into "Other (merged)". */
  struct into_acc other = {-2, "Other (merged)", CK_TIER_NONE, {0}};
  size_t n_other = 0, rows = 0;
  for (size_t s = 0; s < ns; s++) {
    size_t tot = 0;
    for (int k = 0; k < CK_INTO_NCOL; k++)
      tot += acc[s].v[k];
    if (tot == 0)
      continue;
    if (tot < x->cfg->min_cell) {
      for (int k = 0; k < CK_INTO_NCOL; k++)
        other.v[k] += acc[s].v[k];
      n_other++;
      continue;
    }
    struct into_acc a = acc[s];
    a.index = (int)s;
    a.name = su->specs[s].name;
    a.tier = su->specs[s].tier;
    acc[rows++] = a;
  }
  qsort(acc, rows, sizeof *acc, into_cmp);
  struct into_acc none = acc[ns];
  size_t none_tot = none.v[0] + none.v[1] + none.v[2];

  size_t total_rows = rows + (n_other > 0) + (none_tot > 0);
  r->into = ck_xcalloc(total_rows ? total_rows : 1, sizeof *r->into);
  r->n_into = total_rows;
  for (size_t i = 0; i < total_rows; i++) {
    const struct into_acc *a = i < rows                     ? &acc[i]
                               : (i == rows && n_other > 0) ? &other
                                                            : &none;
    struct ck_into_row *row = &r->into[i];
    row->name = ck_xstrdup(a == &none ? "(not given)" : a->name);
    row->tier = a->tier;
    for (int k = 0; k < CK_INTO_NCOL; k++)
      row->cells[k] = cell(x, a->v[k], true);
  }

  static const char *prog_names[4] = {"Academic", "Community", "Other",
                                      "(not given)"};
  for (int p = 0; p < 4; p++) {
    r->programs[p].name = ck_xstrdup(prog_names[p]);
    r->programs[p].tier = CK_TIER_NONE;
    for (int k = 0; k < CK_INTO_NCOL; k++)
      r->programs[p].cells[k] = cell(x, prog[p][k], true);
  }
  /* The academic and not-given rows are the groups' own academic and
   * no-program counts under another name: one cell each, so both tables
   * show or withhold them together; community + other is not academic. */
  for (int k = 0; k < CK_INTO_NCOL; k++) {
    const struct ck_group_row *g = &r->groups[into_group[k]];
    r->programs[0].cells[k] = g->academic;
    r->programs[3].cells[k] = g->no_program;
    constraint2(x, g->not_academic, r->programs[1].cells[k],
                r->programs[2].cells[k]);
  }

  size_t *parts = ck_xcalloc(total_rows + 4, sizeof *parts);
  for (int k = 0; k < CK_INTO_NCOL; k++) {
    r->into_totals[k] = r->groups[into_group[k]].matched;
    if (total_rows > 0) {
      for (size_t i = 0; i < total_rows; i++)
        parts[i] = r->into[i].cells[k];
      ck_report_constraint(r, r->into_totals[k], parts, total_rows);
    }
    for (int p = 0; p < 4; p++)
      parts[p] = r->programs[p].cells[k];
    ck_report_constraint(r, r->into_totals[k], parts, 4);
  }
  free(parts);

  /* acc[0..rows) are the named rows, in r->into's order */
  size_t *row_of = ck_xcalloc(ns + 1, sizeof *row_of); /* ns: not given */
  for (size_t s = 0; s < ns; s++)
    row_of[s] = n_other > 0 ? rows : CK_NO_CELL;
  for (size_t i = 0; i < rows; i++)
    row_of[acc[i].index] = i;
  row_of[ns] = none_tot > 0 ? rows + (n_other > 0) : CK_NO_CELL;
  into_by_target(x, row_of, rows, total_rows);
  free(row_of);
  free(acc);
}

/* ---- entry point
 * ------------------------------------------------------------------ */

/* A helper thread only when the run may use more than one (the cohort's
 * --threads, by default one per CPU) and allocations need not come in a
 * fixed order (the allocation-failure test hook). */
static bool second_thread(const struct ck_cohort *c) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  unsigned t =
      c->opt.threads ? c->opt.threads : (cpus > 0 ? (unsigned)cpus : 1u);
  return t > 1 && cpus > 1 && !ck_alloc_fail_armed();
}

static struct ck_report *analyse(const struct ck_suff *s,
                                 const struct ck_config *cfg, bool adjusted,
                                 bool helper, bool leave, struct ck_error *err);

static struct ck_report *from_cohort(const struct ck_cohort *c,
                                     const struct ck_config *cfg, bool leave,
                                     struct ck_error *err) {
  if (c == NULL || cfg == NULL) {
    ck_error_set(err, CK_EUSAGE, NULL, 0, NULL, "no cohort or config");
    return NULL;
  }
  struct ck_suff *s = ck_suff_from_cohort(c, cfg);
  struct ck_report *r = analyse(s, cfg, true, second_thread(c), leave, err);
  ck_suff_free(s);
  return r;
}

struct ck_report *ck_analyse(const struct ck_cohort *c,
                             const struct ck_config *cfg,
                             struct ck_error *err) {
  return from_cohort(c, cfg, false, err);
}

struct ck_report *ck_analyse_start(const struct ck_cohort *c,
                                   const struct ck_config *cfg,
                                   struct ck_error *err) {
  return from_cohort(c, cfg, true, err);
}

/* What r->tests holds between ck_analyse_start and ck_analyse_wait. */
struct ck_tests {
  struct fishers fs;
};

/* The tests' results into the comparisons, in their order (compare_end's
 * rule for the first error told), then the tests freed. */
static enum ck_status tests_end(struct ck_report *r, struct ck_tests *t,
                                struct ck_error *err) {
  struct ctx x = {r, NULL, NULL, CK_OK, err, NULL};
  fisher_finish(&t->fs);
  bool told = false;
  for (size_t i = 0; i < N_COMPARISONS; i++)
    compare_end(&x, &r->comparisons[i], &t->fs.job[i], &told);
  free(t);
  return x.status;
}

enum ck_status ck_analyse_wait(struct ck_report *r, struct ck_error *err) {
  if (r == NULL || r->tests == NULL)
    return CK_OK;
  struct ck_tests *t = r->tests;
  r->tests = NULL;
  return tests_end(r, t, err);
}

void ck_tests_free(struct ck_tests *t) {
  if (t == NULL)
    return;
  fisher_finish(&t->fs);
  free(t);
}

/* leave: with a helper running the tests, return once every count is in
 * and leave the tests to ck_analyse_wait (r->tests). */
static struct ck_report *analyse(const struct ck_suff *s,
                                 const struct ck_config *cfg, bool adjusted,
                                 bool helper, bool leave,
                                 struct ck_error *err) {
  if (s == NULL || cfg == NULL) {
    ck_error_set(err, CK_EUSAGE, NULL, 0, NULL, "no statistics or config");
    return NULL;
  }
  struct ck_report *r = ck_report_new();
  struct ctx x = {r, cfg, s, CK_OK, err, NULL};

  provenance(&x);
  groups(&x);
  retake_policy_link(&x);
  static const char *const id[N_COMPARISONS] = {
      "retook_vs_no_retake", "low_pass_vs_failed_then_passed",
      "no_retake_vs_failed_then_passed"};
  /* In real data nobody retakes a passed Step, so the third is the same as
   * the second; with records that break the policy it is the clean form of
   * the seed's question, and it survives when the low-pass-retook group has
   * to be withheld. */
  static const char *const label[N_COMPARISONS] = {
      "Low pass: retook vs did not retake", "Low pass vs failed then passed",
      "Low pass, no retake vs failed then passed"};
  static const enum ck_group_id ga[N_COMPARISONS] = {
      CK_G_LOW_PASS_RETOOK, CK_G_LOW_PASS, CK_G_LOW_PASS_NO_RETAKE};
  static const enum ck_group_id gb[N_COMPARISONS] = {CK_G_LOW_PASS_NO_RETAKE,
                                                     CK_G_FAILED_THEN_PASSED,
                                                     CK_G_FAILED_THEN_PASSED};
  /* on the heap: the helper holds it, and may outlive this call */
  struct ck_tests *tests = ck_xmalloc(sizeof *tests);
  struct fishers *fs = &tests->fs;
  fisher_start(fs, &x, ga, gb, helper);
  r->n_comparisons = N_COMPARISONS;
  for (size_t i = 0; i < N_COMPARISONS; i++)
    compare(&x, &r->comparisons[i], id[i], label[i], ga[i], gb[i], &fs->job[i]);
  /* the same comparisons adjusted for score, tier and year */
  for (size_t i = 0; adjusted && i < r->n_comparisons && x.status == CK_OK;
       i++) {
    const struct ck_comparison *k = &r->comparisons[i];
    enum ck_status st = ck_adjust_design(
        &r->adjusted[i], s->design, s->n_design, cfg, k->id, k->a, k->b, err);
    if (st != CK_OK)
      x.status = st;
    else
      r->n_adjusted = i + 1;
  }
  score_change(&x);
  fit(&x, &r->regression, "practice_regression", true,
      r->groups[CK_G_LOW_PASS_RETOOK].n);
  fit(&x, &r->regression_all, "practice_regression_all_retakers", false,
      r->score_change_all.n);
  at_most(&x, r->regression.n, r->regression_all.n);
  specialties(&x);
  years(&x);
  into(&x);
  free(x.spec_row);
  if (leave && fs->threaded && x.status == CK_OK) {
    r->tests = tests;
    return r;
  }
  enum ck_status st = tests_end(r, tests, err);
  if (x.status == CK_OK)
    x.status = st;
  if (x.status != CK_OK) {
    ck_report_free(r);
    return NULL;
  }
  return r;
}

struct ck_report *ck_analyse_suff(const struct ck_suff *s,
                                  const struct ck_config *cfg,
                                  struct ck_error *err) {
  return analyse(s, cfg, true, false, false, err);
}

struct ck_report *ck_analyse_suff_counts(const struct ck_suff *s,
                                         const struct ck_config *cfg,
                                         struct ck_error *err) {
  return analyse(s, cfg, false, false, false, err);
}
