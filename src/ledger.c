/*
 * ledger.c - the release ledger: one entry per published run, checked by
 * every later run (the reasoning is in docs/privacy.md "Releases")
 * SPDX-License-Identifier: MIT
 */
#include "ckcohort/ledger.h"
#include "ckcohort/analyse.h"
#include "ckcohort/ingest.h"
#include "ckcohort/render.h"
#include "util.h"
#include "report_model.h"
#include "cohort.h"
#include "ledger_grid.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#define LEDGER_FORMAT 1

struct entry {
  char *name;   /* "000003-report.json" */
  json_t *root; /* the whole entry, checked at load */
};

struct ck_ledger {
  char *dir;
  int lock_fd;
  struct entry *e;
  size_t n, cap;
  /* ask sheets of a population inside the checked run's, left by
   * ck_ledger_check for ck_ledger_verify (entry indices) */
  size_t *sheets, nsheets, sheets_cap;
};

/* strerror in the style of the other messages: lowercase */
static const char *why(int e, char *buf, size_t cap) {
  snprintf(buf, cap, "%s", strerror(e));
  if (buf[0] >= 'A' && buf[0] <= 'Z')
    buf[0] = (char)(buf[0] - 'A' + 'a');
  return buf;
}
#define WHY(e) why((e), (char[128]){0}, 128)

static char *path_join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = ck_xmalloc(n);
  snprintf(p, n, "%s/%s", dir, name);
  return p;
}

/* "NNNNNN-command.json": an entry; anything else (the lock, a temporary
 * file left by a crash, a README) is not one. */
static bool entry_name(const char *s, unsigned *num) {
  unsigned v = 0;
  for (int i = 0; i < 6; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (unsigned)(s[i] - '0');
  }
  if (s[6] != '-')
    return false;
  const char *c = s + 7;
  size_t n = strspn(c, "abcdefghijklmnopqrstuvwxyz");
  if (n == 0 || strcmp(c + n, ".json") != 0)
    return false;
  *num = v;
  return true;
}

static int by_name(const void *a, const void *b) {
  return strcmp(((const struct entry *)a)->name,
                ((const struct entry *)b)->name);
}

static bool is_hex64(const char *s) {
  if (strlen(s) != 64)
    return false;
  for (size_t i = 0; i < 64; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return true;
}

/* What a complete entry holds; the first thing missing, or NULL. */
static const char *entry_problem(json_t *root) {
  if (!json_is_object(root))
    return "not a JSON object";
  json_t *v = json_object_get(root, "ckcohort_release");
  if (!json_is_integer(v) || json_integer_value(v) != LEDGER_FORMAT)
    return "no \"ckcohort_release\": 1";
  const char *cmd = json_string_value(json_object_get(root, "command"));
  if (cmd == NULL || (strcmp(cmd, "report") != 0 &&
                      strcmp(cmd, "export") != 0 && strcmp(cmd, "ask") != 0))
    return "\"command\" is not report, export or ask";
  json_t *pop = json_object_get(root, "population");
  if (!json_is_object(pop))
    return "no \"population\"";
  json_t *in = json_object_get(pop, "inputs");
  if (!json_is_array(in) || json_array_size(in) == 0)
    return "no \"population.inputs\"";
  size_t i;
  json_t *x;
  json_array_foreach(in, i, x) {
    const char *d = json_string_value(json_object_get(x, "sha256"));
    if (d == NULL || !is_hex64(d) ||
        !json_is_string(json_object_get(x, "name")))
      return "an input without \"name\" and a 64-digit \"sha256\"";
  }
  static const char *const ints[] = {"years_from", "years_to", "year_min",
                                     "year_max", "min_cell"};
  for (size_t k = 0; k < 5; k++)
    if (!json_is_integer(json_object_get(pop, ints[k])))
      return "\"population\" without its Match years";
  if (!json_is_string(json_object_get(pop, "settings")))
    return "no \"population.settings\"";
  json_t *counts = json_object_get(root, "counts");
  if (!json_is_object(counts))
    return "no \"counts\"";
  const char *key;
  json_object_foreach(counts, key, x) {
    if (!json_is_null(x) && !(json_is_integer(x) && json_integer_value(x) >= 0))
      return "a count that is neither null nor a whole number >= 0";
  }
  json_t *stats = json_object_get(root, "statistics");
  if (!json_is_object(stats))
    return "no \"statistics\"";
  json_object_foreach(stats, key, x) {
    if (!json_is_boolean(x))
      return "a statistic that is not true or false";
  }
  if (!json_is_object(json_object_get(root, "published")))
    return "no \"published\"";
  json_t *grid = json_object_get(root, "grid");
  if (grid != NULL) {
    if (!json_is_array(grid))
      return "\"grid\" is not a list";
    json_array_foreach(grid, i, x) {
      json_t *s = json_array_get(x, 2), *o = json_array_get(x, 3);
      if (json_array_size(x) != 4 || !json_is_integer(json_array_get(x, 0)) ||
          !json_is_integer(json_array_get(x, 1)) ||
          !(json_is_integer(s) || json_is_string(s)) ||
          !(json_is_integer(o) || json_is_string(o) || json_is_null(o)))
        return "a \"grid\" group that is not [kind, band, scope, outcome]";
    }
  }
  return NULL;
}

enum ck_status ck_ledger_open(const char *dir, struct ck_ledger **out,
                              struct ck_error *err) {
  *out = NULL;
  if (mkdir(dir, 0777) != 0 && errno != EEXIST)
    return ck_error_set(err, CK_EIO, dir, 0, NULL,
                        "cannot create the release ledger: %s", WHY(errno));
  char *lock = path_join(dir, ".lock");
  int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  int e = errno;
  free(lock);
  if (fd < 0)
    return ck_error_set(err, CK_EIO, dir, 0, NULL,
                        "cannot open the release ledger's lock: %s", WHY(e));
  struct flock fl;
  memset(&fl, 0, sizeof fl);
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  while (fcntl(fd, F_SETLKW, &fl) != 0) {
    if (errno != EINTR) {
      e = errno;
      close(fd);
      return ck_error_set(err, CK_EIO, dir, 0, NULL,
                          "cannot lock the release ledger: %s", WHY(e));
    }
  }
  struct ck_ledger *l = ck_xcalloc(1, sizeof *l);
  l->dir = ck_xstrdup(dir);
  l->lock_fd = fd;
  DIR *d = opendir(dir);
  if (d == NULL) {
    e = errno;
    ck_ledger_close(l);
    return ck_error_set(err, CK_EIO, dir, 0, NULL,
                        "cannot read the release ledger: %s", WHY(e));
  }
  struct dirent *de;
  unsigned num;
  while ((de = readdir(d)) != NULL) {
    if (!entry_name(de->d_name, &num))
      continue;
    ck_grow((void **)&l->e, &l->cap, l->n + 1, sizeof *l->e);
    l->e[l->n].name = ck_xstrdup(de->d_name);
    l->e[l->n].root = NULL;
    l->n++;
  }
  closedir(d);
  if (l->n > 1)
    qsort(l->e, l->n, sizeof *l->e, by_name);
  for (size_t i = 0; i < l->n; i++) {
    char *p = path_join(dir, l->e[i].name);
    json_error_t je;
    l->e[i].root = json_load_file(p, JSON_REJECT_DUPLICATES, &je);
    const char *why = l->e[i].root ? entry_problem(l->e[i].root) : NULL;
    if (l->e[i].root == NULL || why != NULL) {
      ck_error_set(err, CK_EDATA, p, l->e[i].root ? 0 : je.line, NULL,
                   "not a complete release entry (%s); a run cannot be "
                   "checked against a release it cannot read: restore the "
                   "entry from a backup, or if that release was never "
                   "published, move the file out of the ledger",
                   why ? why : je.text);
      free(p);
      ck_ledger_close(l);
      return CK_EDATA;
    }
    free(p);
  }
  *out = l;
  return CK_OK;
}

void ck_ledger_close(struct ck_ledger *l) {
  if (l == NULL)
    return;
  for (size_t i = 0; i < l->n; i++) {
    free(l->e[i].name);
    json_decref(l->e[i].root);
  }
  free(l->e);
  free(l->sheets);
  if (l->lock_fd >= 0)
    close(l->lock_fd); /* releases the lock */
  free(l->dir);
  free(l);
}

size_t ck_ledger_count(const struct ck_ledger *l) { return l ? l->n : 0; }

const char *ck_ledger_entry(const struct ck_ledger *l, size_t i) {
  return l && i < l->n ? l->e[i].name : NULL;
}

/* The settings that decide who is in which group or row, in the
 * config-file format (min_cell too: it decides which specialties keep a
 * "matched into" row of their own); the confidence level and the interval
 * method only change intervals and may differ between releases. */
static char *population_settings(const struct ck_config *cfg) {
  struct ck_config c = *cfg;
  c.confidence = 0.95;
  c.clopper_pearson = false;
  c.releases = NULL;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (f == NULL)
    return NULL;
  enum ck_status st = ck_config_write(f, &c);
  if (fclose(f) != 0 || st != CK_OK) {
    free(buf);
    return NULL;
  }
  return buf;
}

/* Effective Match years of a population: its filter, else the years present. */
static void span(int from, int to, int ymin, int ymax, int *lo, int *hi) {
  if (from != 0 || to != 0) {
    *lo = from;
    *hi = to;
  } else {
    *lo = ymin;
    *hi = ymax;
  }
}

static const char *short_hash(const char *h, char *buf) {
  snprintf(buf, 13, "%s", h);
  return buf;
}

/* Settings line where a and b first differ, as "there X, here Y". */
static void first_difference(const char *a, const char *b, char *out,
                             size_t cap) {
  while (*a && *b) {
    size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
    if (la != lb || memcmp(a, b, la) != 0) {
      snprintf(out, cap, "there \"%.*s\", here \"%.*s\"",
               (int)(la > 80 ? 80 : la), a, (int)(lb > 80 ? 80 : lb), b);
      return;
    }
    a += la + (a[la] != '\0');
    b += lb + (b[lb] != '\0');
  }
  snprintf(out, cap, "one has more settings than the other");
}

/* The students of an earlier population, read again from this run's files
 * with its digests (tally: as a report reads them; without: one by one, as
 * the ask grid needs); *at gets the settings with its min_cell. */
static struct ck_cohort *rebuild_cohort(const struct ck_report *r, json_t *pop,
                                        const struct ck_config *cfg,
                                        struct ck_config *at, bool tally,
                                        const char *path,
                                        struct ck_error *err) {
  json_t *in = json_object_get(pop, "inputs");
  struct ck_ingest_options opt = {0};
  opt.tally = tally;
  opt.threads = 1;
  opt.year_from = (int)json_integer_value(json_object_get(pop, "years_from"));
  opt.year_to = (int)json_integer_value(json_object_get(pop, "years_to"));
  /* min_cell decides which specialties keep a row of their own */
  *at = *cfg;
  at->min_cell = (size_t)json_integer_value(json_object_get(pop, "min_cell"));
  struct ck_cohort *c = ck_cohort_new(at, &opt);
  struct ck_error e2;
  ck_error_clear(&e2);
  for (size_t i = 0; i < r->n_inputs; i++) {
    bool wanted = false;
    size_t j;
    json_t *x;
    json_array_foreach(in, j, x) {
      if (strcmp(json_string_value(json_object_get(x, "sha256")),
                 r->inputs[i].sha256) == 0)
        wanted = true;
    }
    if (wanted && ck_ingest_file(c, r->inputs[i].path, &e2) != CK_OK) {
      ck_cohort_free(c);
      ck_error_set(err, CK_EDATA, path, 0, NULL,
                   "the population of this release cannot be rebuilt: %s: %s",
                   e2.file, e2.text);
      return NULL;
    }
  }
  ck_cohort_done(c);
  return c;
}

/* The earlier population's report, rebuilt from this run's files. */
static struct ck_report *rebuild(const struct ck_report *r, json_t *pop,
                                 const struct ck_config *cfg, const char *path,
                                 struct ck_error *err) {
  struct ck_config at;
  struct ck_cohort *c = rebuild_cohort(r, pop, cfg, &at, true, path, err);
  if (c == NULL)
    return NULL;
  struct ck_error e2;
  ck_error_clear(&e2);
  struct ck_report *k = ck_analyse(c, &at, &e2);
  ck_cohort_free(c);
  if (k == NULL)
    ck_error_set(err, e2.code, path, 0, NULL,
                 "the population of this release cannot be rebuilt: %s",
                 e2.text);
  return k;
}

/* Mark in k what the entry says was published, checking every count. */
static enum ck_status replay(struct ck_report *k, json_t *root,
                             const char *path, struct ck_error *err) {
  json_t *counts = json_object_get(root, "counts");
  char **keys = ck_report_cell_keys(k);
  enum ck_status st = CK_OK;
  size_t seen = 0;
  for (size_t i = 0; i < k->n_cells && st == CK_OK; i++) {
    struct ck_cell *c = &k->cells[i];
    if (keys[i] == NULL) {
      if (!c->internal)
        c->shown = CK_HIDDEN_COMPLEMENT; /* no field shows it */
      continue;
    }
    json_t *v = json_object_get(counts, keys[i]);
    seen++;
    if (v == NULL) {
      st = ck_error_set(err, CK_EDATA, path, 0, keys[i],
                        "these inputs give a count the release does not have "
                        "(%s): its population cannot be rebuilt from them",
                        keys[i]);
    } else if (json_is_null(v)) {
      /* small, or an outcome of 0: what the release withheld for its own
       * sake (a complement was withheld to protect those) */
      bool small = (c->value >= 1 && c->value < (long)k->min_cell) ||
                   (c->value == 0 && c->outcome);
      c->shown = small ? CK_HIDDEN_SMALL : CK_HIDDEN_COMPLEMENT;
    } else if (json_integer_value(v) != c->value) {
      st = ck_error_set(err, CK_EDATA, path, 0, keys[i],
                        "the release published %s = %lld, these inputs give "
                        "%ld: the data changed since, so its population cannot "
                        "be rebuilt from them",
                        keys[i], (long long)json_integer_value(v), c->value);
    } else {
      c->shown = CK_SHOWN;
    }
  }
  if (st == CK_OK && seen != json_object_size(counts))
    st = ck_error_set(err, CK_EDATA, path, 0, NULL,
                      "the release has counts these inputs do not give: its "
                      "population cannot be rebuilt from them");
  ck_report_cell_keys_free(keys, k->n_cells);
  if (st != CK_OK)
    return st;
  /* an empty category that release withheld beside a small one: withheld
   * for its own sake too, and a reader of it could not tell it was empty */
  ck_report_open_categories(k);
  for (size_t i = 0; i < k->n_cells; i++)
    if (k->cells[i].may_be_empty && k->cells[i].value == 0 &&
        k->cells[i].shown != CK_SHOWN)
      k->cells[i].shown = CK_HIDDEN_SMALL;
  json_t *stats = json_object_get(root, "statistics");
#define STAT(name, field)                                                      \
  do {                                                                         \
    json_t *b = json_object_get(stats, name);                                  \
    field = b != NULL && json_is_true(b) ? CK_SHOWN : CK_HIDDEN_DERIVED;       \
  } while (0)
  STAT("score_change", k->score_change.shown);
  STAT("score_change", k->score_change.wilcoxon_shown);
  STAT("score_change_all_retakers", k->score_change_all.shown);
  STAT("score_change_all_retakers", k->score_change_all.wilcoxon_shown);
  STAT("practice_regression", k->regression.shown);
  STAT("practice_regression_all_retakers", k->regression_all.shown);
  for (size_t i = 0; i < k->n_adjusted && i < CK_MAX_COMPARISONS; i++) {
    char name[128];
    snprintf(name, sizeof name, "adjusted/%s", k->adjusted[i].id);
    STAT(name, k->adjusted[i].shown);
    k->adjusted[i].mh_shown = k->adjusted[i].shown;
  }
#undef STAT
  return CK_OK;
}

static bool digest_in(const char *d, json_t *in) {
  size_t j;
  json_t *x;
  json_array_foreach(in, j, x) {
    if (strcmp(json_string_value(json_object_get(x, "sha256")), d) == 0)
      return true;
  }
  return false;
}

/* Two entries that tell a reader the same counts and statistics of the
 * same population. */
static bool same_release(json_t *a, json_t *b) {
  static const char *const parts[] = {"population", "counts", "statistics"};
  for (size_t k = 0; k < 3; k++)
    if (!json_equal(json_object_get(a, parts[k]), json_object_get(b, parts[k])))
      return false;
  return true;
}

enum ck_status ck_ledger_check(struct ck_ledger *l, struct ck_report *r,
                               const struct ck_config *cfg, const char *command,
                               struct ck_error *err) {
  r->ledger = true;
  l->nsheets = 0;
  r->releases_checked = 0;
  char *here = population_settings(cfg);
  if (here == NULL)
    return ck_error_set(err, CK_ENOMEM, NULL, 0, NULL, "out of memory");
  int r_lo, r_hi;
  span(r->years_from, r->years_to, r->year_min, r->year_max, &r_lo, &r_hi);
  enum ck_status st = CK_OK;
  for (size_t i = 0; i < l->n && st == CK_OK; i++) {
    json_t *root = l->e[i].root;
    json_t *pop = json_object_get(root, "population");
    json_t *in = json_object_get(pop, "inputs");
    char *path = path_join(l->dir, l->e[i].name);
    const char *there = json_string_value(json_object_get(pop, "settings"));
    const char *ecmd = json_string_value(json_object_get(root, "command"));
    /* 1. the same definitions of every group */
    if (strcmp(there, here) != 0) {
      char diff[256];
      first_difference(there, here, diff, sizeof diff);
      st = ck_error_set(err, CK_EDATA, path, 0, NULL,
                        "this release was made with other settings (%s): a "
                        "run whose groups are defined otherwise cannot be "
                        "checked against it; use that release's settings",
                        diff);
      free(path);
      break;
    }
    /* 2. every file it describes, unchanged, among this run's inputs */
    size_t j;
    json_t *x;
    json_array_foreach(in, j, x) {
      const char *d = json_string_value(json_object_get(x, "sha256"));
      bool found = false;
      for (size_t k = 0; k < r->n_inputs && !found; k++)
        found = strcmp(r->inputs[k].sha256, d) == 0;
      if (!found && st == CK_OK) {
        char h[13];
        st = ck_error_set(err, CK_EDATA, path, 0, NULL,
                          "this release describes %s (SHA-256 %s...), which "
                          "is not among this run's inputs (a corrected, "
                          "renamed-and-changed or missing file): its "
                          "population cannot be rebuilt, so this run cannot be "
                          "checked against it; give that file as it was",
                          json_string_value(json_object_get(x, "name")),
                          short_hash(d, h));
      }
    }
    /* 3. one population inside the other */
    int e_lo, e_hi;
    span((int)json_integer_value(json_object_get(pop, "years_from")),
         (int)json_integer_value(json_object_get(pop, "years_to")),
         (int)json_integer_value(json_object_get(pop, "year_min")),
         (int)json_integer_value(json_object_get(pop, "year_max")), &e_lo,
         &e_hi);
    /* r's students are those of the entry's files when every file of r's
     * is one of them (step 2 put all of theirs among r's) or gives r no
     * applicant (next year's class file read with last year's --years):
     * such a file changes no count */
    bool its_files = st == CK_OK;
    for (size_t k = 0; k < r->n_inputs && its_files; k++)
      its_files =
          digest_in(r->inputs[k].sha256, in) || r->inputs[k].accepted == 0;
    bool part = e_lo >= r_lo && e_hi <= r_hi;               /* it in r */
    bool whole = its_files && r_lo >= e_lo && r_hi <= e_hi; /* r in it */
    bool equal = its_files && e_lo == r_lo && e_hi == r_hi;
    if (st == CK_OK && !part && !whole)
      st = ck_error_set(err, CK_EDATA, path, 0, NULL,
                        "this release describes Match years %d-%d of %zu "
                        "file(s), this run %d-%d of %zu: neither population "
                        "contains the other, and ckcohort cannot check a run "
                        "against such a release",
                        e_lo, e_hi, json_array_size(in), r_lo, r_hi,
                        r->n_inputs);
    /* An earlier sheet's grid groups are not counts of a report: they are
     * checked after this run's suppression (ck_ledger_verify), with the
     * sheet's population read again.  An ask run itself is checked like a
     * report: its grid is checked with this model, which then holds every
     * earlier report's counts (ck_ask_ctx_new_from); two grids of two
     * populations are not one program yet. */
    bool ask = strcmp(ecmd, "ask") == 0;
    /* sheets of these very students: a report or export may still print a
     * count their grid groups and its own withheld ones give away, and is
     * checked with them like one of more students */
    if (st == CK_OK && ask && equal && json_object_get(root, "grid") != NULL) {
      /* an ask run builds on them instead (ck_ledger_prior_grid) */
      ck_grow((void **)&l->sheets, &l->sheets_cap, l->nsheets + 1,
              sizeof *l->sheets);
      l->sheets[l->nsheets++] = i;
    }
    if (st == CK_OK && ask && !equal) {
      if (strcmp(command, "ask") == 0) {
        /* what the user can do: ask about that sheet's students, whose
         * sheets this ledger checks together (the files it did not read
         * named, so they can be left out) */
        char extra[300] = "";
        size_t used = 0, named = 0, more = 0;
        for (size_t k = 0; k < r->n_inputs; k++) {
          if (digest_in(r->inputs[k].sha256, in))
            continue;
          const char *b = strrchr(r->inputs[k].path, '/');
          b = b != NULL ? b + 1 : r->inputs[k].path;
          int w = named < 3 ? snprintf(extra + used, sizeof extra - used,
                                       "%s%s", named ? ", " : "", b)
                            : -1;
          if (w >= 0 && (size_t)w < sizeof extra - used) {
            used += (size_t)w;
            named++;
          } else {
            more++;
          }
        }
        if (more > 0 && used + 16 < sizeof extra)
          snprintf(extra + used, sizeof extra - used, " and %zu more", more);
        /* --years keeps working after a report of all the files is
         * recorded, when leaving files out no longer does */
        char how[420], yrs[40] = "";
        if (part && (e_lo > r_lo || e_hi < r_hi))
          snprintf(yrs, sizeof yrs, "add --years %d-%d", e_lo, e_hi);
        if (yrs[0] != '\0' && named == 0) /* the same files */
          snprintf(how, sizeof how, "%s", yrs);
        else
          snprintf(how, sizeof how, "%s%sgive the files it read%s%s%s", yrs,
                   yrs[0] != '\0' ? ", or " : "", named ? " (without " : "",
                   extra, named ? ")" : "");
        st = ck_error_set(
            err, CK_EDATA, path, 0, NULL,
            "this release is an ask sheet of another population (the sheet: "
            "Match years %d-%d of %zu file(s); this run: %d-%d of %zu): "
            "sheets of two populations cannot yet be checked together "
            "(docs/privacy.md, Known gaps); to answer from that sheet's "
            "students, %s",
            e_lo, e_hi, json_array_size(in), r_lo, r_hi, r->n_inputs, how);
      } else if (!part)
        st = ck_error_set(err, CK_EDATA, path, 0, NULL,
                          "this release is an ask sheet of more students than "
                          "this run (the sheet: Match years %d-%d of %zu "
                          "file(s); this run: %d-%d of %zu): a run cannot yet "
                          "be checked against a sheet of a larger population",
                          e_lo, e_hi, json_array_size(in), r_lo, r_hi,
                          r->n_inputs);
      else if (json_object_get(root, "grid") == NULL)
        st = ck_error_set(err, CK_EDATA, path, 0, NULL,
                          "this ask sheet was recorded by an earlier ckcohort, "
                          "without the groups its grid published, so a run of "
                          "other files or Match years cannot be checked "
                          "against it");
      else {
        ck_grow((void **)&l->sheets, &l->sheets_cap, l->nsheets + 1,
                sizeof *l->sheets);
        l->sheets[l->nsheets++] = i;
      }
    }
    /* An ask run's entry keeps the report its grid was checked with,
     * which that check took to be known to a reader: this run is checked
     * against it as against a published report (an entry recorded without
     * it, by an earlier ckcohort, only when it is of this population) */
    bool counts = json_object_size(json_object_get(root, "counts")) > 0;
    /* the same counts of the same students once: the sheets of one run
     * each repeat their report */
    bool again = false;
    for (size_t m = 0; m < i && !again; m++)
      again = same_release(l->e[m].root, root);
    if (st == CK_OK && (!ask || counts) && !again) {
      struct ck_report *k = rebuild(r, pop, cfg, path, err);
      if (k == NULL)
        st = err->code;
      if (st == CK_OK)
        st = replay(k, root, path, err);
      if (st == CK_OK) {
        struct ck_error e2;
        ck_error_clear(&e2);
        if (ck_report_add_nested(r, k, part, equal, true, &e2) != CK_OK)
          st = ck_error_set(err, CK_EDATA, path, 0, e2.column,
                            "the population of this release is not nested "
                            "in this run's: %s",
                            e2.text);
      }
      ck_report_free(k);
    }
    if (st == CK_OK)
      r->releases_checked++;
    free(path);
  }
  free(here);
  return st;
}

/* The entry of a suppressed report: no student row or ID, only counts,
 * settings and digests. */
static json_t *entry_json(const struct ck_report *r,
                          const struct ck_config *cfg, const char *command,
                          json_t *published, const struct ck_gname *grid,
                          size_t ngrid) {
  json_t *root = json_object();
  json_object_set_new(root, "ckcohort_release", json_integer(LEDGER_FORMAT));
  json_object_set_new(root, "tool_version", json_string(ck_version()));
  json_object_set_new(root, "command", json_string(command));
  long long now = r->generated >= 0 ? r->generated : (long long)time(NULL);
  json_object_set_new(root, "recorded", json_integer((json_int_t)now));
  json_t *pop = json_object();
  json_t *in = json_array();
  for (size_t i = 0; i < r->n_inputs; i++) {
    json_t *x = json_object();
    const char *slash = strrchr(r->inputs[i].path, '/');
    json_object_set_new(x, "name",
                        json_string(slash ? slash + 1 : r->inputs[i].path));
    json_object_set_new(x, "sha256", json_string(r->inputs[i].sha256));
    json_array_append_new(in, x);
  }
  json_object_set_new(pop, "inputs", in);
  json_object_set_new(pop, "years_from", json_integer(r->years_from));
  json_object_set_new(pop, "years_to", json_integer(r->years_to));
  json_object_set_new(pop, "year_min", json_integer(r->year_min));
  json_object_set_new(pop, "year_max", json_integer(r->year_max));
  json_object_set_new(pop, "min_cell", json_integer((json_int_t)r->min_cell));
  char *s = population_settings(cfg);
  json_object_set_new(pop, "settings", json_string(s ? s : ""));
  free(s);
  json_object_set_new(root, "population", pop);
  /* an ask run's too: the report its grid was checked with, which a later
   * run of other files rebuilds to check the grid again */
  json_t *counts = json_object();
  {
    char **keys = ck_report_cell_keys(r);
    for (size_t i = 0; i < r->n_cells; i++) {
      if (keys[i] == NULL)
        continue;
      const struct ck_cell *c = &r->cells[i];
      json_object_set_new(counts, keys[i],
                          c->shown == CK_SHOWN && !c->internal
                              ? json_integer((json_int_t)c->value)
                              : json_null());
    }
    ck_report_cell_keys_free(keys, r->n_cells);
  }
  json_object_set_new(root, "counts", counts);
  json_t *stats = json_object();
  {
    json_object_set_new(
        stats, "score_change",
        json_boolean(r->score_change.shown == CK_SHOWN ||
                     r->score_change.wilcoxon_shown == CK_SHOWN));
    json_object_set_new(
        stats, "score_change_all_retakers",
        json_boolean(r->score_change_all.shown == CK_SHOWN ||
                     r->score_change_all.wilcoxon_shown == CK_SHOWN));
    json_object_set_new(stats, "practice_regression",
                        json_boolean(r->regression.shown == CK_SHOWN));
    json_object_set_new(stats, "practice_regression_all_retakers",
                        json_boolean(r->regression_all.shown == CK_SHOWN));
    for (size_t i = 0; i < r->n_adjusted && i < CK_MAX_COMPARISONS; i++) {
      char name[128];
      snprintf(name, sizeof name, "adjusted/%s", r->adjusted[i].id);
      json_object_set_new(stats, name,
                          json_boolean(r->adjusted[i].shown == CK_SHOWN ||
                                       r->adjusted[i].mh_shown == CK_SHOWN));
    }
  }
  json_object_set_new(root, "statistics", stats);
  if (grid != NULL) {
    /* [kind, band, specialty or scope, outcome]: names, not the numbers
     * one read of the files gives them (docs/privacy.md, Releases) */
    json_t *a = json_array();
    for (size_t i = 0; i < ngrid; i++) {
      const struct ck_gname *y = &grid[i];
      json_t *x = json_array();
      json_array_append_new(x, json_integer(y->k));
      json_array_append_new(x, json_integer(y->r));
      json_array_append_new(x, y->s < 0 ? json_string(y->s_name)
                                        : json_integer(y->s));
      json_array_append_new(x, y->o < CK_GO_INTO ? json_integer(y->o)
                               : y->o_name       ? json_string(y->o_name)
                                                 : json_null());
      json_array_append_new(a, x);
    }
    json_object_set_new(root, "grid", a);
  }
  json_object_set_new(root, "published", published);
  return root;
}

static json_t *report_json(const struct ck_report *r) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (f == NULL)
    return NULL;
  enum ck_status st = ck_render_json(f, r);
  if (fclose(f) != 0 || st != CK_OK) {
    free(buf);
    return NULL;
  }
  json_t *j = json_loadb(buf, len, 0, NULL);
  free(buf);
  return j;
}

enum ck_status ck_ledger_record(struct ck_ledger *l, const struct ck_report *r,
                                const struct ck_config *cfg,
                                const char *command, const char *published,
                                struct ck_error *err) {
  return ck_ledger_record_grid(l, r, cfg, command, published, NULL, 0, err);
}

enum ck_status ck_ledger_record_grid(struct ck_ledger *l,
                                     const struct ck_report *r,
                                     const struct ck_config *cfg,
                                     const char *command, const char *published,
                                     const struct ck_gname *grid, size_t ngrid,
                                     struct ck_error *err) {
  json_t *pub = published ? json_loads(published, 0, NULL) : report_json(r);
  if (!json_is_object(pub)) {
    json_decref(pub);
    return ck_error_set(err, CK_EINTERNAL, l->dir, 0, NULL,
                        "the published output is not a JSON object; nothing "
                        "recorded");
  }
  json_t *root = entry_json(r, cfg, command, pub, grid, ngrid);
  char *text = json_dumps(root, JSON_INDENT(1) | JSON_SORT_KEYS);
  if (text == NULL) {
    json_decref(root);
    return ck_error_set(err, CK_ENOMEM, l->dir, 0, NULL, "out of memory");
  }
  size_t len = strlen(text);
  char *tmp = path_join(l->dir, ".tmp-XXXXXX");
  int fd = mkstemp(tmp);
  enum ck_status st = CK_OK;
  int e = 0;
  if (fd < 0) {
    e = errno;
  } else {
    size_t off = 0;
    while (off < len && e == 0) {
      ssize_t w = write(fd, text + off, len - off);
      if (w < 0 && errno != EINTR)
        e = errno;
      else if (w > 0)
        off += (size_t)w;
    }
    if (e == 0 && (write(fd, "\n", 1) != 1 || fsync(fd) != 0))
      e = errno ? errno : EIO;
    if (close(fd) != 0 && e == 0)
      e = errno;
  }
  free(text);
  /* a new name, never an existing one: link() fails rather than replace */
  unsigned next = 1, num;
  for (size_t i = 0; i < l->n; i++)
    if (entry_name(l->e[i].name, &num) && num >= next)
      next = num + 1;
  char name[64];
  while (e == 0) {
    if (next > 999999) {
      e = ENOSPC;
      break;
    }
    snprintf(name, sizeof name, "%06u-%s.json", next, command);
    char *final = path_join(l->dir, name);
    int rc = link(tmp, final);
    int le = errno;
    free(final);
    if (rc == 0)
      break;
    if (le != EEXIST)
      e = le;
    next++;
  }
  if (fd >= 0)
    unlink(tmp);
  if (e == 0) {
    int dfd = open(l->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fsync(dfd) != 0)
      e = errno;
    if (dfd >= 0)
      close(dfd);
  }
  free(tmp);
  if (e != 0) {
    json_decref(root);
    st = ck_error_set(err, CK_EIO, l->dir, 0, NULL,
                      "cannot record this release in the ledger: %s; nothing "
                      "was published",
                      WHY(e));
    return st;
  }
  ck_grow((void **)&l->e, &l->cap, l->n + 1, sizeof *l->e);
  l->e[l->n].name = ck_xstrdup(name);
  l->e[l->n].root = root;
  l->n++;
  return CK_OK;
}

/* ---- ask sheets of an earlier population (ck_ledger_verify) ------------ */

static void pop_span(json_t *pop, int *lo, int *hi) {
  span((int)json_integer_value(json_object_get(pop, "years_from")),
       (int)json_integer_value(json_object_get(pop, "years_to")),
       (int)json_integer_value(json_object_get(pop, "year_min")),
       (int)json_integer_value(json_object_get(pop, "year_max")), lo, hi);
}

/* Every input of population a is one of b's. */
static bool files_within(json_t *a, json_t *b) {
  json_t *ia = json_object_get(a, "inputs"), *ib = json_object_get(b, "inputs");
  size_t j;
  json_t *x;
  json_array_foreach(ia, j, x) {
    if (!digest_in(json_string_value(json_object_get(x, "sha256")), ib))
      return false;
  }
  return true;
}

/* What a reader of the sheets' population kpop also holds: every earlier
 * report and export, rebuilt from r's files and put into k as
 * ck_ledger_check puts them into a run's model. */
static enum ck_status nest_reports(struct ck_ledger *l, struct ck_report *k,
                                   json_t *kroot, const struct ck_report *r,
                                   const struct ck_config *cfg,
                                   struct ck_error *err) {
  json_t *kpop = json_object_get(kroot, "population");
  int k_lo, k_hi;
  pop_span(kpop, &k_lo, &k_hi);
  enum ck_status st = CK_OK;
  for (size_t i = 0; i < l->n && st == CK_OK; i++) {
    json_t *root = l->e[i].root;
    bool again = json_object_size(json_object_get(root, "counts")) == 0 ||
                 same_release(root, kroot);
    for (size_t j = 0; j < i && !again; j++)
      again = same_release(l->e[j].root, root);
    if (again)
      continue;
    json_t *pop = json_object_get(root, "population");
    int e_lo, e_hi;
    pop_span(pop, &e_lo, &e_hi);
    bool part = files_within(pop, kpop) && e_lo >= k_lo && e_hi <= k_hi;
    bool whole = files_within(kpop, pop) && k_lo >= e_lo && k_hi <= e_hi;
    char *path = path_join(l->dir, l->e[i].name);
    if (!part && !whole) {
      st = ck_error_set(err, CK_EDATA, path, 0, NULL,
                        "this release and the ask sheets recorded in the "
                        "ledger describe populations neither of which "
                        "contains the other, so the sheets cannot be "
                        "checked again with it");
      free(path);
      break;
    }
    struct ck_report *e = rebuild(r, pop, cfg, path, err);
    if (e == NULL)
      st = err->code;
    if (st == CK_OK)
      st = replay(e, root, path, err);
    struct ck_error e2;
    ck_error_clear(&e2);
    if (st == CK_OK &&
        ck_report_add_nested(k, e, part, part && whole, true, &e2) != CK_OK)
      st = ck_error_set(err, CK_EDATA, path, 0, e2.column,
                        "the population of this release is not nested in "
                        "the ask sheets': %s",
                        e2.text);
    ck_report_free(e);
    free(path);
  }
  return st;
}

/* The grid groups of an entry, by name (strings borrowed from the entry). */
static size_t grid_names(json_t *root, struct ck_gname **v, size_t *cap,
                         size_t n) {
  json_t *grid = json_object_get(root, "grid");
  size_t i;
  json_t *x;
  json_array_foreach(grid, i, x) {
    ck_grow((void **)v, cap, n + 1, sizeof **v);
    struct ck_gname *y = &(*v)[n++];
    memset(y, 0, sizeof *y);
    y->k = (int)json_integer_value(json_array_get(x, 0));
    y->r = (int)json_integer_value(json_array_get(x, 1));
    json_t *s = json_array_get(x, 2), *o = json_array_get(x, 3);
    y->s = json_is_string(s) ? -1 : (int)json_integer_value(s);
    y->s_name = json_string_value(s);
    y->o = json_is_integer(o) ? (int)json_integer_value(o) : CK_GO_INTO;
    y->o_name = json_string_value(o);
  }
  return n;
}

/* Check r, as suppressed, with the sheets of one earlier population: that
 * population's grid with what its sheets published, the report those
 * sheets were checked with, every earlier report, and r's published
 * counts; nothing the grid published may narrow a count more than the
 * reports alone do. */
static enum ck_status verify_sheets(struct ck_ledger *l, size_t first,
                                    const bool *mine, size_t nmine,
                                    const struct ck_report *r,
                                    const struct ck_config *cfg,
                                    struct ck_error *err) {
  json_t *root = l->e[l->sheets[first]].root;
  json_t *pop = json_object_get(root, "population");
  char *path = path_join(l->dir, l->e[l->sheets[first]].name);
  struct ck_gname *names = NULL;
  size_t n = 0, cap = 0;
  for (size_t a = first; a < l->nsheets; a++)
    if (mine[a])
      n = grid_names(l->e[l->sheets[a]].root, &names, &cap, n);
  struct ck_config at;
  struct ck_cohort *c = rebuild_cohort(r, pop, cfg, &at, false, path, err);
  struct ck_report *k = NULL;
  struct ck_grid *g = NULL;
  enum ck_status st = c != NULL ? CK_OK : err->code;
  struct ck_error e2;
  ck_error_clear(&e2);
  if (st == CK_OK && (k = ck_analyse(c, &at, &e2)) == NULL)
    st = ck_error_set(err, e2.code, path, 0, NULL,
                      "the population of this ask sheet cannot be rebuilt: %s",
                      e2.text);
  if (st == CK_OK)
    st = replay(k, root, path, err);
  if (st == CK_OK)
    st = nest_reports(l, k, root, r, cfg, err);
  int lo, hi;
  pop_span(pop, &lo, &hi);
  int r_lo, r_hi;
  span(r->years_from, r->years_to, r->year_min, r->year_max, &r_lo, &r_hi);
  bool same = lo == r_lo && hi == r_hi &&
              json_array_size(json_object_get(pop, "inputs")) == r->n_inputs;
  if (st == CK_OK &&
      ck_report_add_nested(k, r, false, same, true, &e2) != CK_OK)
    st = ck_error_set(err, CK_EDATA, path, 0, e2.column,
                      "this run's population does not contain the ask "
                      "sheet's: %s",
                      e2.text);
  size_t files = json_array_size(json_object_get(pop, "inputs"));
  size_t missing = 0;
  if (st == CK_OK) {
    /* what was published, judged as published: no new suppression */
    k->checked = true;
    g = ck_grid_verify(c, &at, k, names, n, &missing);
  }
  if (st != CK_OK) {
    /* err says why */
  } else if (missing > 0) {
    st = ck_error_set(err, CK_EDATA, path, 0, NULL,
                      "%zu group(s) the ask sheets of Match years %d-%d "
                      "published are not groups of these files: the data "
                      "changed since, so the sheets cannot be checked again",
                      missing, lo, hi);
  } else if (g->check_failed) {
    st = ck_error_set(err, CK_EDATA, path, 0, NULL,
                      "the check of this run with the ask sheets of Match "
                      "years %d-%d could not be finished (a linear program "
                      "failed)",
                      lo, hi);
  } else if (g->check_narrowed > 0) {
    char what[256];
    if (g->verify_col < g->n) {
      ck_grid_label(g, c, g->verify_col, what, sizeof what);
    } else if (g->verify_rc != CK_NO_CELL && k->cells[g->verify_rc].unprinted) {
      snprintf(what, sizeof what,
               "a count of the students this run adds to the sheets' "
               "population");
    } else {
      char **keys = ck_report_cell_keys(k);
      snprintf(what, sizeof what, "%s",
               g->verify_rc != CK_NO_CELL && keys[g->verify_rc] != NULL
                   ? keys[g->verify_rc]
                   : "a count this run withholds");
      ck_report_cell_keys_free(keys, k->n_cells);
    }
    char hi1[32], hi2[32];
    snprintf(hi1, sizeof hi1, "%ld", g->verify_hi);
    snprintf(hi2, sizeof hi2, "%ld", g->verify_bhi);
    st = ck_error_set(
        err, CK_EDATA, path, 0, NULL,
        "read with the %zu ask sheet(s) of Match years %d-%d of %zu file(s) "
        "recorded in the ledger, this run would narrow %zu count(s) nobody "
        "prints beyond what the reports alone allow (the first: %s, to "
        "%ld..%s where the reports leave %ld..%s); a recorded sheet cannot "
        "be taken back, and this run does not yet withhold more to make "
        "room",
        nmine, lo, hi, files, g->check_narrowed, what, g->verify_lo,
        g->verify_hi == LONG_MAX ? "any" : hi1, g->verify_blo,
        g->verify_bhi == LONG_MAX ? "any" : hi2);
  }
  ck_grid_free(g);
  ck_report_free(k);
  ck_cohort_free(c);
  free(names);
  free(path);
  return st;
}

size_t ck_ledger_prior_grid(const struct ck_ledger *l, struct ck_gname **out) {
  struct ck_gname *v = NULL;
  size_t n = 0, cap = 0;
  for (size_t a = 0; l != NULL && a < l->nsheets; a++)
    n = grid_names(l->e[l->sheets[a]].root, &v, &cap, n);
  *out = v;
  return n;
}

enum ck_status ck_ledger_verify(struct ck_ledger *l, struct ck_report *r,
                                const struct ck_config *cfg,
                                struct ck_error *err) {
  if (r != NULL)
    r->sheets_checked = 0;
  if (l == NULL || l->nsheets == 0)
    return CK_OK;
  if (r == NULL || !r->checked)
    return ck_error_set(err, CK_EUSAGE, l->dir, 0, NULL,
                        "the run's report has not been through ck_suppress");
  bool *done = ck_xcalloc(l->nsheets, sizeof *done);
  bool *mine = ck_xcalloc(l->nsheets, sizeof *mine);
  enum ck_status st = CK_OK;
  /* one check per population, with the groups of all its sheets: a
   * reader holds them at once (sheets checked with other reports of the
   * same students bring those reports' counts in through nest_reports) */
  for (size_t a = 0; a < l->nsheets && st == CK_OK; a++) {
    if (done[a])
      continue;
    json_t *ra = l->e[l->sheets[a]].root;
    size_t nmine = 0;
    for (size_t b = a; b < l->nsheets; b++) {
      json_t *rb = l->e[l->sheets[b]].root;
      mine[b] = !done[b] && json_equal(json_object_get(ra, "population"),
                                       json_object_get(rb, "population"));
      done[b] |= mine[b];
      nmine += mine[b];
    }
    st = verify_sheets(l, a, mine, nmine, r, cfg, err);
  }
  if (st == CK_OK)
    r->sheets_checked = l->nsheets;
  free(done);
  free(mine);
  return st;
}

/* ---- comparisons an earlier release published (ck_ledger_carry) -------- */

static double jnum(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_number(v) ? json_number_value(v) : NAN;
}

static long jcount(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

static json_t *by_id(json_t *array, const char *id) {
  size_t i;
  json_t *x;
  json_array_foreach(array, i, x) {
    const char *s = json_string_value(json_object_get(x, "id"));
    if (s != NULL && strcmp(s, id) == 0)
      return x;
  }
  return NULL;
}

enum ck_status ck_ledger_carry(const struct ck_ledger *l, struct ck_report *r) {
  if (l == NULL || r == NULL)
    return CK_EUSAGE;
  int r_lo, r_hi;
  span(r->years_from, r->years_to, r->year_min, r->year_max, &r_lo, &r_hi);
  for (size_t i = 0; i < r->n_comparisons && i < CK_MAX_COMPARISONS; i++) {
    const struct ck_comparison *k = &r->comparisons[i];
    struct ck_carried *c = &r->carried[i];
    memset(c, 0, sizeof *c);
    if (k->shown == CK_SHOWN || k->id == NULL)
      continue;
    json_t *best = NULL;
    size_t best_at = 0;
    int best_lo = 0, best_hi = 0;
    for (size_t e = 0; e < l->n; e++) {
      json_t *root = l->e[e].root;
      if (strcmp(json_string_value(json_object_get(root, "command")), "ask") ==
          0)
        continue;
      /* a release of this run's students or fewer (every entry nests with
       * this run's population: ck_ledger_check) */
      json_t *pop = json_object_get(root, "population");
      json_t *in = json_object_get(pop, "inputs");
      bool within = true;
      size_t j;
      json_t *x;
      json_array_foreach(in, j, x) {
        bool found = false;
        const char *d = json_string_value(json_object_get(x, "sha256"));
        for (size_t m = 0; m < r->n_inputs && !found; m++)
          found = strcmp(r->inputs[m].sha256, d) == 0;
        within = within && found;
      }
      int e_lo, e_hi;
      pop_span(pop, &e_lo, &e_hi);
      if (!within || e_lo < r_lo || e_hi > r_hi)
        continue;
      json_t *cmp = by_id(
          json_object_get(json_object_get(root, "published"), "comparisons"),
          k->id);
      json_t *dif = json_object_get(cmp, "difference");
      if (cmp == NULL || !isfinite(jnum(dif, "estimate")) ||
          !isfinite(jnum(cmp, "fisher_p")))
        continue;
      /* the latest Match years, then the latest entry */
      if (best == NULL || e_hi > best_hi ||
          (e_hi == best_hi && e_lo <= best_lo)) {
        best = root;
        best_at = e;
        best_lo = e_lo;
        best_hi = e_hi;
      }
    }
    if (best == NULL)
      continue;
    json_t *pub = json_object_get(best, "published");
    json_t *cmp = by_id(json_object_get(pub, "comparisons"), k->id);
    json_t *dif = json_object_get(cmp, "difference");
    json_t *orr = json_object_get(cmp, "odds_ratio");
    c->present = true;
    c->first = best_lo;
    c->last = best_hi;
    snprintf(c->entry, sizeof c->entry, "%s", l->e[best_at].name);
    c->confidence = jnum(json_object_get(pub, "settings"), "confidence");
    c->difference = (struct ck_est){jnum(dif, "estimate"), jnum(dif, "ci_low"),
                                    jnum(dif, "ci_high")};
    c->odds_ratio = (struct ck_est){jnum(orr, "estimate"), jnum(orr, "ci_low"),
                                    jnum(orr, "ci_high")};
    c->or_unbounded = json_is_true(json_object_get(orr, "unbounded"));
    c->fisher_p = jnum(cmp, "fisher_p");
    json_t *groups = json_object_get(pub, "groups");
    json_t *ga = by_id(groups, ck_group_key(k->a));
    json_t *gb = by_id(groups, ck_group_key(k->b));
    c->a_n = jcount(ga, "n");
    c->a_matched = jcount(ga, "matched");
    c->b_n = jcount(gb, "n");
    c->b_matched = jcount(gb, "matched");
  }
  return CK_OK;
}
