/*
 * generate.c - synthetic applicant cohorts (GSL MT19937, integer arithmetic)
 * SPDX-License-Identifier: MIT
 *
 * Every random quantity is built from gsl_rng_get()/gsl_rng_uniform_int()
 * with integer arithmetic only (normal deviates are Irwin-Hall sums of twelve
 * 32-bit draws), so no libm or float formatting can make two machines
 * disagree.  Calibration and its sources: docs/generate.md.
 */
#include "ckcohort/generate.h"
#include "ckcohort/config.h"
#include "ckcohort/output.h"
#include "util.h"
#include "config_internal.h"

#include <errno.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define MAX_ATTEMPTS 4
#define MAX_CLASS    100000UL
#define MAX_ROWS     1000000000ULL
#define PERMILLE     1000
#define OUT_BUFFER   (1u << 20)

/* Specialties the generator aims at, with the mean Step 2 CK of matched US
 * MD seniors (NRMP Charting Outcomes 2024 where given, else the earlier
 * edition, else an assumption marked "a"), a popularity weight (roughly the
 * share of US MD seniors applying, in tenths of a percent) and a weight in
 * the list low scorers fall back on. */
static const struct spec {
  const char *name;
  int mean;
  unsigned pop, low, fallback;
  const char *messy; /* an alias or variant seen in real exports */
} specs[] = {
    {"Dermatology", 257, 15, 0, 0, "Derm"},
    {"Orthopaedic Surgery", 257, 35, 0, 0, "Orthopedic Surgery"},
    {"Diagnostic Radiology", 256, 45, 0, 0, "Radiology"},
    {"Otolaryngology", 255, 18, 0, 0, "ENT"},
    {"Plastic Surgery", 255, 9, 0, 0, "Plastics"},
    {"Neurological Surgery", 254, 12, 0, 0, "Neurosurgery"},
    {"Radiation Oncology", 254, 5, 0, 0, "Rad Onc"},
    {"Urology", 253, 15, 0, 0, "uro"},
    {"Interventional Radiology", 255, 6, 0, 0, "IR"},
    {"Vascular Surgery", 247, 4, 0, 0, "Vascular"},
    {"General Surgery", 252, 70, 0, 0, "Surgery, General"},
    {"Anesthesiology", 250, 70, 0, 0, "Anesthesia"},
    {"Internal Medicine", 250, 240, 250, 250, "IM"},
    {"Emergency Medicine", 249, 70, 90, 0, "EM"},
    {"Obstetrics and Gynecology", 249, 55, 0, 0, "OB/GYN"},
    {"Neurology", 249, 30, 0, 0, "neuro"},
    {"Pathology", 248, 15, 40, 50, "Path"},
    {"Internal Medicine-Pediatrics", 250, 15, 0, 0, "Med-Peds"},
    {"Transitional Year", 246, 5, 40, 50, "TY"},
    {"Preliminary Year", 244, 5, 60, 100, "Prelim"},
    {"Physical Medicine and Rehabilitation", 247, 20, 60, 50, "PM&R"},
    {"Pediatrics", 247, 90, 120, 150, "Peds"},
    {"Psychiatry", 246, 75, 110, 150, "Psych"},
    {"Child Neurology", 246, 5, 0, 0, "Child Neuro"},
    {"Family Medicine", 243, 100, 230, 250, "FM"},
};
#define NSPECS (sizeof specs / sizeof specs[0])

static const char *const columns[] = {
    "student_id",       "match_year",       "step2_attempt_1",
    "step2_attempt_2",  "step2_attempt_3",  "step2_attempt_4",
    "step2_date_1",     "step2_date_2",     "step2_date_3",
    "step2_date_4",     "practice_avg_1",   "practice_avg_2",
    "target_specialty", "matched",          "matched_specialty",
    "program_type",     "matched_via_soap", "reapplicant",
    "dedicated_weeks"};
#define NCOLS (sizeof columns / sizeof columns[0])

/* Header spellings of a real export (case, spaces, punctuation differ). */
static const char *const messy_columns[] = {
    "Student ID",       "Match Year",       "Step2 Attempt 1",
    "STEP2_ATTEMPT_2",  "step2 attempt 3",  "Step 2 Attempt 4",
    "Step2 Date 1",     "step2-date-2",     "Step2_Date_3",
    "STEP2 DATE 4",     " Practice Avg 1",  "Practice_Avg_2 ",
    "Target Specialty", "MATCHED",          "Matched Specialty",
    "Program Type",     "Matched via SOAP", "Reapplicant",
    "Dedicated Weeks"};

enum { PROG_ACADEMIC, PROG_COMMUNITY, PROG_OTHER };

struct applicant {
  int year;
  unsigned long seq;
  int n_att;
  int score[MAX_ATTEMPTS];
  int32_t date[MAX_ATTEMPTS];
  int practice[2]; /* 0 = none */
  int target;
  bool matched, soap, reapplicant;
  int matched_spec; /* -1 when unmatched */
  int program;
  int weeks; /* -1 = none */
};

/* ---- random numbers (integers only) ---------------------------------- */

static bool chance(gsl_rng *r, unsigned long per, unsigned long scale) {
  return gsl_rng_uniform_int(r, scale) < per;
}

static long div_round(int64_t num, int64_t den) {
  /* round half away from zero; den > 0 */
  return (long)(num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den));
}

/* mean + sd * Z, Z ~ Irwin-Hall(12) - 6 (mean 0, sd 1), rounded. */
static long normal(gsl_rng *r, long mean, long sd) {
  int64_t sum = 0;
  for (int i = 0; i < 12; i++)
    sum += (int64_t)gsl_rng_get(r);            /* 0 .. 2^32-1 */
  int64_t z = sum - 6 * (int64_t)0xffffffffLL; /* units of 2^-32 */
  return mean + div_round((int64_t)sd * z, (int64_t)1 << 32);
}

static int clip(long v, int lo, int hi) {
  return v < lo ? lo : v > hi ? hi : (int)v;
}

static size_t pick_weighted(gsl_rng *r, const unsigned *w, size_t n) {
  unsigned long total = 0;
  for (size_t i = 0; i < n; i++)
    total += w[i];
  if (total == 0)
    return n;
  unsigned long u = gsl_rng_uniform_int(r, total);
  for (size_t i = 0; i < n; i++) {
    if (u < w[i])
      return i;
    u -= w[i];
  }
  return n - 1;
}

/* ---- the applicant model --------------------------------------------- */

static int cohort_mean(int year) {
  return year <= 2021 ? 247 : year == 2022 ? 248 : year == 2023 ? 249 : 250;
}

/* Specialty an applicant with first score `score` applies to. */
static bool primary_care(const char *name) {
  static const char *const pc[] = {"Family Medicine", "Internal Medicine",
                                   "Pediatrics", "Psychiatry",
                                   "Emergency Medicine"};
  for (size_t i = 0; i < sizeof pc / sizeof pc[0]; i++)
    if (strcmp(name, pc[i]) == 0)
      return true;
  return false;
}

static int draw_target(gsl_rng *r, int score, unsigned pc_pct) {
  unsigned w[NSPECS];
  long aim = normal(r, score, 6);
  for (size_t i = 0; i < NSPECS; i++) {
    long d = specs[i].mean - aim;
    unsigned f = d <= -15 ? 2
                 : d <= 0 ? 10
                 : d <= 4 ? (unsigned)(10 - 2 * d)
                          : 0;
    w[i] = specs[i].pop * f;
    if (pc_pct && primary_care(specs[i].name))
      w[i] += w[i] * pc_pct / 100;
  }
  size_t k = pick_weighted(r, w, NSPECS);
  if (k == NSPECS) { /* below every specialty's mean: the forgiving list */
    for (size_t i = 0; i < NSPECS; i++)
      w[i] = specs[i].low;
    k = pick_weighted(r, w, NSPECS);
  }
  return (int)k;
}

/* A less competitive specialty than `target` for a match elsewhere. */
static int draw_fallback(gsl_rng *r, int target) {
  unsigned w[NSPECS];
  for (size_t i = 0; i < NSPECS; i++)
    w[i] = (int)i != target && (specs[i].mean < specs[target].mean ||
                                specs[target].fallback > 0)
               ? specs[i].fallback
               : 0;
  size_t k = pick_weighted(r, w, NSPECS);
  if (k == NSPECS) /* target is the least competitive: a preliminary year */
    for (k = 0; k < NSPECS && strcmp(specs[k].name, "Preliminary Year"); k++)
      ;
  return (int)k;
}

static void draw_applicant(gsl_rng *r, const struct ck_config *cfg,
                           const struct ck_gen_options *opt, int year,
                           unsigned long seq, struct applicant *a) {
  unsigned long retake_after_pass = opt->retake_after_pass;
  memset(a, 0, sizeof *a);
  a->year = year;
  a->seq = seq;
  a->matched_spec = -1;
  a->weeks = -1;

  /* First attempt: summer or early fall of the year before the Match. */
  a->date[0] =
      ck_days_from_civil(year - 1, 6, 1) + (int32_t)gsl_rng_uniform_int(r, 122);
  int pass = ck_config_pass_mark(cfg, a->date[0], year);
  /* Mixture: a main normal plus a low tail just above the pass mark, with
   * the main mean moved up so the overall mean stays at cohort_mean(). */
  const long tail_pm = 140, tail_off = 3, tail_sd = 4, main_sd = 14;
  long mean = cohort_mean(year) + opt->mean_shift;
  long shift =
      div_round(tail_pm * (mean - pass - tail_off), PERMILLE - tail_pm);
  if (chance(r, tail_pm, PERMILLE))
    a->score[0] =
        clip(normal(r, pass + tail_off + opt->mean_shift / 2, tail_sd), 1, 300);
  else
    a->score[0] = clip(normal(r, mean + shift, main_sd), 1, 300);
  a->n_att = 1;

  bool failed = a->score[0] < pass;
  bool low = !failed && a->score[0] <= pass + cfg->low_pass_margin;

  /* Retakes after a fail: gain ~ N(20, 10), 5-10 weeks apart, up to 4. */
  while (a->score[a->n_att - 1] <
         ck_config_pass_mark(cfg, a->date[a->n_att - 1], year)) {
    if (a->n_att == MAX_ATTEMPTS || (a->n_att >= 2 && chance(r, 250, PERMILLE)))
      break;
    int k = a->n_att++;
    a->date[k] = a->date[k - 1] + 35 + (int32_t)gsl_rng_uniform_int(r, 36);
    a->score[k] = clip(normal(r, a->score[k - 1] + 20, 10), 1, 300);
  }
  bool passed_later =
      failed && a->score[a->n_att - 1] >=
                    ck_config_pass_mark(cfg, a->date[a->n_att - 1], year);

  /* Passed-then-retook (illustrative; USMLE policy forbids it).  The draws
   * are made for every low pass so the rest of the cohort does not depend
   * on the rate. */
  if (low) {
    bool retake = chance(r, retake_after_pass, CK_GEN_PPM);
    int32_t gap = 42 + (int32_t)gsl_rng_uniform_int(r, 64);
    long gain = normal(r, 8, 10);
    if (retake) {
      a->date[1] = a->date[0] + gap;
      a->score[1] = clip(a->score[0] + gain, 1, 300);
      a->n_att = 2;
    }
  }

  a->practice[0] = clip(normal(r, a->score[0] + 3, 8), 1, 300);
  if (a->n_att >= 2) {
    a->practice[1] = clip(normal(r, a->score[1] + 3, 8), 1, 300);
    a->weeks = 2 + (int)gsl_rng_uniform_int(r, 9);
  }
  a->reapplicant = chance(r, failed || low ? 80 : 25, PERMILLE);
  a->target = draw_target(r, a->score[0], opt->primary_care);

  /* Match probability by group (per mille). */
  long pm;
  if (failed)
    pm = passed_later ? 760 : 100;
  else if (low)
    pm = 850;
  else
    pm = a->score[0] < 230   ? 900
         : a->score[0] < 240 ? 925
         : a->score[0] < 250 ? 945
                             : 965;
  if (a->reapplicant)
    pm -= 50;
  a->matched = chance(r, (unsigned long)pm, PERMILLE);
  if (!a->matched)
    return;
  bool weak = failed || low;
  a->soap = chance(r, failed ? 120 : low ? 80 : 25, PERMILLE);
  long into = failed                                     ? 600
              : low                                      ? 700
              : a->score[0] >= specs[a->target].mean - 5 ? 900
                                                         : 750;
  if (a->soap)
    into = 300;
  a->matched_spec = chance(r, (unsigned long)into, PERMILLE)
                        ? a->target
                        : draw_fallback(r, a->target);
  unsigned long u = gsl_rng_uniform_int(r, PERMILLE);
  unsigned long acad = weak ? 380 : 500, comm = weak ? 500 : 400;
  a->program = u < acad          ? PROG_ACADEMIC
               : u < acad + comm ? PROG_COMMUNITY
                                 : PROG_OTHER;
}

/* ---- buffered CSV output --------------------------------------------- */

struct out {
  FILE *fp;
  char *buf;
  bool crlf;
  size_t col;     /* fields written on the current row */
  bool quote_all; /* text fields always quoted, as R's write.csv does */
  const char *id_prefix;
};

static void put_raw(struct out *o, const char *s) { fputs(s, o->fp); }

static void sep(struct out *o) {
  if (o->col++ > 0)
    putc(',', o->fp);
}

static void put_int(struct out *o, long v) {
  char tmp[24], *p = tmp + sizeof tmp;
  unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
  *--p = '\0';
  do
    *--p = (char)('0' + u % 10);
  while ((u /= 10) > 0);
  if (v < 0)
    *--p = '-';
  fputs(p, o->fp);
}

/* One text field, quoted when it holds a comma, quote or line break (or
 * always, with quote_all). */
static void field(struct out *o, const char *s) {
  sep(o);
  if (!o->quote_all && strpbrk(s, ",\"\r\n") == NULL) {
    fputs(s, o->fp);
    return;
  }
  putc('"', o->fp);
  for (; *s; s++) {
    if (*s == '"')
      putc('"', o->fp);
    putc(*s, o->fp);
  }
  putc('"', o->fp);
}

static void field_int(struct out *o, long v) {
  sep(o);
  put_int(o, v);
}

static void field_date(struct out *o, int32_t days) {
  int y, m, d;
  char b[16];
  ck_civil_from_days(days, &y, &m, &d);
  b[0] = (char)('0' + y / 1000 % 10);
  b[1] = (char)('0' + y / 100 % 10);
  b[2] = (char)('0' + y / 10 % 10);
  b[3] = (char)('0' + y % 10);
  b[4] = '-';
  b[5] = (char)('0' + m / 10);
  b[6] = (char)('0' + m % 10);
  b[7] = '-';
  b[8] = (char)('0' + d / 10);
  b[9] = (char)('0' + d % 10);
  b[10] = '\0';
  sep(o);
  fputs(b, o->fp); /* R writes a Date column without quotes */
}

static void end_row(struct out *o) {
  put_raw(o, o->crlf ? "\r\n" : "\n");
  o->col = 0;
}

static void student_id(char *buf, size_t cap, const char *prefix, int year,
                       unsigned long seq) {
  snprintf(buf, cap, "%s%04d-%04lu", prefix ? prefix : "S", year, seq);
}

/* ---- rows: clean and messy ------------------------------------------- */

enum defect {
  D_NONE = -1,
  D_NOT_NUMBER, /* "2l6" */
  D_OUT_OF_RANGE,
  D_BAD_DATE,
  D_BAD_BOOL,
  D_DUPLICATE_ID,
  D_ATTEMPT_GAP,
  D_NO_FIRST_SCORE, /* valid but excluded */
  D_COUNT
};

struct messy {
  gsl_rng *r;
  int bool_style; /* per file: 0 Y/N, 1 yes/no, 2 TRUE/FALSE, 3 1/0 */
  char prev_id[64];
  bool realistic; /* --realistic: canonical spellings, mess per row */
};

/* Free-text specialties of real exports that the default table does not
 * know: other specialties, misspellings, annotations (--realistic). */
static const char *const unknown_specs[] = {
    "Internal Medicine-Pediatrics (\"Med-Peds\")",
    "Ophthalmology",
    "Internal Medicne",
    "Pediatircs",
    "Emergency Medicne",
    "Famly Medicine",
    "Anesthesiology - Critical Care",
    "General Surgery (prelim)",
    "Psychiatry/Neurology",
    "Undecided",
};
#define NUNKNOWN (sizeof unknown_specs / sizeof unknown_specs[0])

static const char *bool_text(const struct messy *m, bool v, bool is_matched,
                             unsigned long roll) {
  static const char *const styles[4][2] = {
      {"N", "Y"}, {"no", "yes"}, {"FALSE", "TRUE"}, {"0", "1"}};
  if (m == NULL || m->realistic)
    return v ? "Y" : "N";
  if (is_matched && roll < 100)
    return v ? "Matched" : "Unmatched";
  if (roll < 200)
    return styles[(m->bool_style + 1) % 4][v];
  return styles[m->bool_style][v];
}

static void spec_field(struct out *o, struct messy *m, int k) {
  if (m == NULL) {
    field(o, specs[k].name);
    return;
  }
  unsigned long roll = gsl_rng_uniform_int(m->r, PERMILLE);
  char b[96];
  if (m->realistic) { /* 3% free text the table does not know */
    field(o, roll < 30 ? unknown_specs[roll % NUNKNOWN] : specs[k].name);
    return;
  }
  if (roll < 300) {
    field(o, specs[k].messy);
  } else if (roll < 350) { /* shouting export */
    size_t i = 0;
    for (const char *s = specs[k].name; *s && i + 1 < sizeof b; s++)
      b[i++] = (*s >= 'a' && *s <= 'z') ? (char)(*s - 'a' + 'A') : *s;
    b[i] = '\0';
    field(o, b);
  } else if (roll < 400) { /* padded */
    snprintf(b, sizeof b, " %s ", specs[k].name);
    field(o, b);
  } else {
    field(o, specs[k].name);
  }
}

static void write_row(struct out *o, const struct applicant *a, struct messy *m,
                      enum defect def) {
  char id[64];
  student_id(id, sizeof id, o->id_prefix, a->year, a->seq);
  if (def == D_DUPLICATE_ID && m->prev_id[0])
    field(o, m->prev_id);
  else
    field(o, id);
  if (m)
    snprintf(m->prev_id, sizeof m->prev_id, "%s", id);
  field_int(o, a->year);

  /* Attempts and dates. */
  for (int k = 0; k < MAX_ATTEMPTS; k++) {
    bool have = k < a->n_att;
    if (def == D_NO_FIRST_SCORE)
      have = false;
    if (def == D_ATTEMPT_GAP && k == 1) {
      sep(o); /* attempt 2 missing, attempt 3 present */
      continue;
    }
    if (def == D_ATTEMPT_GAP && k == 2) {
      field_int(o, a->score[0] < 290 ? a->score[0] + 10 : a->score[0]);
      continue;
    }
    if (!have) {
      sep(o);
    } else if (k == 0 && def == D_NOT_NUMBER) {
      char b[24];
      snprintf(b, sizeof b, "%dl%d", a->score[0] / 100 % 10, a->score[0] % 10);
      field(o, b);
    } else if (k == 0 && def == D_OUT_OF_RANGE) {
      field_int(o, a->score[0] + 100 > 300 ? a->score[0] + 100 : 312);
    } else if (m && !m->realistic && gsl_rng_uniform_int(m->r, PERMILLE) < 50) {
      char b[16];
      snprintf(b, sizeof b, " %d ", a->score[k]);
      field(o, b);
    } else {
      field_int(o, a->score[k]);
    }
  }
  for (int k = 0; k < MAX_ATTEMPTS; k++) {
    bool have = k < a->n_att && def != D_NO_FIRST_SCORE;
    if (def == D_ATTEMPT_GAP && k >= 1 && k <= 2) {
      if (k == 1)
        sep(o);
      else
        field_date(o, a->date[0] + 60);
      continue;
    }
    if (!have) {
      sep(o);
    } else if (k == 0 && def == D_BAD_DATE) {
      char b[32];
      snprintf(b, sizeof b, "%04d-13-45", a->year - 1);
      field(o, b);
    } else {
      field_date(o, a->date[k]);
    }
  }
  for (int k = 0; k < 2; k++) {
    if (a->practice[k] > 0 && def != D_NO_FIRST_SCORE)
      field_int(o, a->practice[k]);
    else
      sep(o);
  }
  spec_field(o, m, a->target);
  unsigned long roll = m ? gsl_rng_uniform_int(m->r, PERMILLE) : PERMILLE;
  if (def == D_BAD_BOOL)
    field(o, "maybe");
  else
    field(o, bool_text(m, a->matched, true, roll));
  if (a->matched_spec >= 0)
    spec_field(o, m, a->matched_spec);
  else
    sep(o);
  static const char *const prog[2][3] = {{"academic", "community", "other"},
                                         {"Academic", "COMMUNITY", "Other"}};
  if (a->matched)
    field(o, prog[m && !m->realistic && roll % 3 == 0][a->program]);
  else
    sep(o);
  field(o, bool_text(m, a->soap, false, roll));
  field(o, bool_text(m, a->reapplicant, false, roll));
  if (a->weeks >= 0)
    field_int(o, a->weeks);
  else
    sep(o);
  if (m) { /* the export's free-text column, ignored by ckcohort */
    unsigned long n = gsl_rng_uniform_int(m->r, PERMILLE);
    field(o, n < 20   ? "moved to another campus, returned"
             : n < 25 ? "leave of absence\nresumed clinical year"
             : n < 40 ? "see advisor note \"A\""
                      : "");
  }
  end_row(o);
}

/* ---- files ----------------------------------------------------------- */

static enum ck_status make_dirs(const char *dir, struct ck_error *err) {
  char *p = ck_xstrdup(dir);
  enum ck_status st = CK_OK;
  for (char *s = p + 1;; s++) {
    bool end = *s == '\0';
    if (*s == '/' || end) {
      char c = *s;
      *s = '\0';
      if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        st = ck_error_set(err, CK_EIO, p, 0, "", "cannot create folder: %s",
                          strerror(errno));
        break;
      }
      *s = c;
    }
    if (end)
      break;
  }
  struct stat sb;
  if (st == CK_OK && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)))
    st = ck_error_set(err, CK_EIO, dir, 0, "", "not a folder");
  free(p);
  return st;
}

struct span {
  int year;
  unsigned long n;
};

/* Write one CSV holding the applicants of `spans` (drawn in order). */
static enum ck_status write_file(const struct ck_gen_options *opt,
                                 const struct ck_config *cfg, gsl_rng *r,
                                 gsl_rng *mr, const char *name,
                                 const struct span *spans, size_t nspans,
                                 struct ck_error *err) {
  size_t plen = strlen(opt->out_dir) + strlen(name) + 8;
  char *path = ck_xmalloc(plen);
  snprintf(path, plen, "%s/%s", opt->out_dir, name);
  struct out o = {NULL, NULL,           opt->messy && !opt->realistic,
                  0,    opt->realistic, opt->id_prefix};
  struct messy m = {mr, 0, "", opt->realistic};
  struct messy *mp = opt->messy || opt->realistic ? &m : NULL;
  enum ck_status st = CK_OK;
  unsigned long long total = 0;
  for (size_t i = 0; i < nspans; i++)
    total += spans[i].n;

  /* Whole or not at all, like every output file (output.h). */
  struct ck_output *out = ck_output_open(path, NULL, 0, err);
  if (out == NULL) {
    st = CK_EIO;
    goto done;
  }
  o.fp = ck_output_stream(out);
  o.buf = ck_xmalloc(OUT_BUFFER);
  setvbuf(o.fp, o.buf, _IOFBF, OUT_BUFFER);

  /* Where the defects and blank lines go (messy only). */
  unsigned long long at[D_COUNT] = {0}, blank[2] = {0, 0};
  if (mp && m.realistic) {
    /* R's write.csv writes no blank line */
  } else if (mp) {
    m.bool_style = (int)gsl_rng_uniform_int(mr, 4);
    for (int k = 0; k < D_COUNT; k++)
      at[k] = total >= D_COUNT + 1
                  ? (unsigned long long)(k + 1) * total / (D_COUNT + 1)
                  : (unsigned long long)k + 1;
    blank[0] = total / 3 + 1;
    blank[1] = total;
    put_raw(&o, "\xEF\xBB\xBF");
  }
  const char *const *hdr = mp && !m.realistic ? messy_columns : columns;
  for (size_t c = 0; c < NCOLS; c++)
    field(&o, hdr[c]);
  if (mp)
    field(&o, "Notes");
  end_row(&o);

  unsigned long long row = 0;
  for (size_t i = 0; i < nspans; i++) {
    for (unsigned long s = 1; s <= spans[i].n; s++) {
      struct applicant a;
      draw_applicant(r, cfg, opt, spans[i].year, s, &a);
      row++;
      enum defect def = D_NONE;
      if (mp && m.realistic) {
        /* 0.3% without a first score; 1 in 10,000 rejected.  The kinds
         * keep the columns the benchmark's peers read typed, on rows that
         * are no low pass (first score 230 or more), so that DuckDB and
         * pandas, which apply no row rules, still agree with ckcohort
         * (docs/benchmarks.md); and no repeated ID, which makes ckcohort
         * read the file twice (docs/performance.md). */
        unsigned long roll = gsl_rng_uniform_int(mr, 10000);
        static const enum defect bad[] = {D_OUT_OF_RANGE, D_BAD_BOOL,
                                          D_ATTEMPT_GAP};
        if (roll < 30)
          def = D_NO_FIRST_SCORE;
        else if (roll == 30 && a.score[0] >= 230)
          def = bad[row % 3];
      } else if (mp) {
        for (int k = 0; k < D_COUNT; k++)
          if (at[k] == row)
            def = (enum defect)k;
      }
      if (mp) {
        if (row == blank[0] || row == blank[1])
          end_row(&o);
      }
      write_row(&o, &a, mp, def);
    }
  }
  if (mp && !m.realistic)
    end_row(&o); /* trailing blank line */

  o.fp = NULL;
  st = ck_output_commit(out, err); /* frees out; its buffer is ours */
  if (st != CK_OK)
    goto done;
  if (opt->on_file)
    opt->on_file(opt->ctx, path, total);
done:
  free(o.buf);
  free(path);
  return st;
}

bool ck_gen_profile(struct ck_gen_options *o, const char *name) {
  if (strcmp(name, "small") == 0) {
    o->class_size = 60;
    o->mean_shift = -3;
  } else if (strcmp(name, "large") == 0) {
    o->class_size = 400;
    o->mean_shift = 2;
  } else if (strcmp(name, "do") == 0) {
    o->class_size = 150;
    o->mean_shift = -5;
    o->primary_care = 150;
  } else {
    return false;
  }
  return true;
}

void ck_gen_options_init(struct ck_gen_options *o) {
  memset(o, 0, sizeof *o);
  o->seed = 1;
  o->year_from = 2017;
  o->year_to = 2026;
  o->class_size = 150;
  o->out_dir = ".";
}

bool ck_gen_parse_rate(const char *s, unsigned long *ppm) {
  unsigned long whole = 0, frac = 0, scale = CK_GEN_PPM;
  const char *p = s;
  bool digits = false;
  while (*p >= '0' && *p <= '9' && whole <= 100) {
    whole = whole * 10 + (unsigned long)(*p++ - '0');
    digits = true;
  }
  if (*p == '.') {
    p++;
    while (*p >= '0' && *p <= '9') {
      if (scale == 1)
        return false; /* more than 6 decimals */
      scale /= 10;
      frac += (unsigned long)(*p++ - '0') * scale;
      digits = true;
    }
  }
  unsigned long v = whole * CK_GEN_PPM + frac;
  if (*p == '%') {
    p++;
    v /= 100;
  }
  if (!digits || *p != '\0' || v > CK_GEN_PPM)
    return false;
  *ppm = v;
  return true;
}

enum ck_status ck_generate(const struct ck_gen_options *opt,
                           struct ck_error *err) {
  if (opt->year_from < 1990 || opt->year_to > 2100 ||
      opt->year_from > opt->year_to)
    return ck_error_set(err, CK_EUSAGE, "", 0, "",
                        "years must be 1990-2100, "
                        "first not after last");
  if (opt->class_size < 1 || opt->class_size > MAX_CLASS)
    return ck_error_set(err, CK_EUSAGE, "", 0, "",
                        "class size must be 1 to %lu", MAX_CLASS);
  if (opt->rows > MAX_ROWS)
    return ck_error_set(err, CK_EUSAGE, "", 0, "", "rows must be at most %llu",
                        MAX_ROWS);
  if (opt->retake_after_pass > CK_GEN_PPM)
    return ck_error_set(err, CK_EUSAGE, "", 0, "",
                        "retake-after-pass rate must be 0 to 1");

  struct ck_config *cfg = ck_config_new();
  enum ck_status st = CK_OK;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng *mr = gsl_rng_alloc(gsl_rng_mt19937);
  size_t ny = (size_t)(opt->year_to - opt->year_from + 1);
  struct span *spans = ck_xcalloc(ny, sizeof *spans);
  if (r == NULL || mr == NULL) {
    st = ck_error_set(err, CK_ENOMEM, "", 0, "", "out of memory");
    goto done;
  }
  for (size_t i = 0; i < NSPECS; i++)
    if (ck_config_specialty_find(cfg, specs[i].name, strlen(specs[i].name)) <
        0) {
      st = ck_error_set(err, CK_EINTERNAL, "", 0, "",
                        "generator specialty '%s' is not in the table",
                        specs[i].name);
      goto done;
    }
  gsl_rng_set(r, opt->seed & 0xffffffffUL);
  /* The mess has its own stream, so --messy changes presentation only. */
  gsl_rng_set(mr, (opt->seed ^ 0x9e3779b9UL) & 0xffffffffUL);
  st = make_dirs(opt->out_dir, err);
  if (st != CK_OK)
    goto done;

  if (opt->rows > 0) {
    for (size_t i = 0; i < ny; i++) {
      spans[i].year = opt->year_from + (int)i;
      spans[i].n = (unsigned long)(opt->rows / ny + (i < opt->rows % ny));
    }
    char name[64];
    snprintf(name, sizeof name, "cohort-%llu.csv", opt->rows);
    st = write_file(opt, cfg, r, mr, name, spans, ny, err);
    goto done;
  }
  /* Class sizes vary by up to +-5% around class_size. */
  unsigned long d = opt->class_size / 20;
  for (size_t i = 0; i < ny; i++) {
    spans[i].year = opt->year_from + (int)i;
    spans[i].n = opt->class_size - d + gsl_rng_uniform_int(r, 2 * d + 1);
  }
  for (size_t i = 0; i < ny && st == CK_OK; i++) {
    char name[64];
    snprintf(name, sizeof name, "class-%d.csv", spans[i].year);
    st = write_file(opt, cfg, r, mr, name, &spans[i], 1, err);
  }
done:
  free(spans);
  gsl_rng_free(r);
  gsl_rng_free(mr);
  ck_config_free(cfg);
  return st;
}
