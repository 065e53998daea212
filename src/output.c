/*
 * output.c - atomic output files (temporary file + rename)
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "ckcohort/output.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ck_output {
  FILE *fp;
  char *path;  /* target, or NULL for standard output */
  char *tmp;   /* temporary file, or NULL when written in place */
  bool failed; /* ck_output_sync failed: the temporary file is gone */
};

/* Temporary files not yet renamed or removed, for ck_output_cleanup(), which
 * may run in a signal handler: only pointer stores and unlink(). */
#define MAX_PENDING 16
static char *volatile pending[MAX_PENDING];

static void pending_add(char *tmp) {
  for (size_t i = 0; i < MAX_PENDING; i++)
    if (pending[i] == NULL) {
      pending[i] = tmp;
      return;
    }
}

static void pending_drop(const char *tmp) {
  for (size_t i = 0; i < MAX_PENDING; i++)
    if (pending[i] == tmp)
      pending[i] = NULL;
}

void ck_output_cleanup(void) {
  for (size_t i = 0; i < MAX_PENDING; i++) {
    char *t = pending[i];
    if (t != NULL) {
      pending[i] = NULL;
      unlink(t);
    }
  }
}

static bool same_file_as_input(const struct stat *st, const char *const *in,
                               size_t n, const char **which) {
  for (size_t i = 0; i < n; i++) {
    struct stat s;
    if (in[i] && stat(in[i], &s) == 0 && s.st_dev == st->st_dev &&
        s.st_ino == st->st_ino) {
      *which = in[i];
      return true;
    }
  }
  return false;
}

struct ck_output *ck_output_open(const char *path, const char *const *inputs,
                                 size_t n_inputs, struct ck_error *err) {
  struct ck_output *o = ck_xcalloc(1, sizeof *o);
  if (path == NULL || strcmp(path, "-") == 0) {
    o->fp = stdout;
    return o;
  }
  if (path[0] == '\0') {
    ck_error_set(err, CK_EUSAGE, "", 0, NULL, "output file name is empty");
    free(o);
    return NULL;
  }
  o->path = ck_xstrdup(path);
  struct stat st;
  if (stat(path, &st) == 0) {
    const char *which = NULL;
    if (same_file_as_input(&st, inputs, n_inputs, &which)) {
      ck_error_set(err, CK_EUSAGE, path, 0, NULL,
                   "output is the input file '%s'; refusing to overwrite it",
                   which);
      goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
      ck_error_set(err, CK_EIO, path, 0, NULL, "is a directory");
      goto fail;
    }
    struct stat lst;
    if (S_ISREG(st.st_mode) && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
      /* Replace the file the link points to, not the link: a link such as
       * latest.txt or /dev/stdout must survive. */
      char *real = realpath(path, NULL);
      if (real == NULL) {
        ck_error_set(err, CK_EIO, path, 0, NULL, "cannot resolve: %s",
                     strerror(errno));
        goto fail;
      }
      free(o->path);
      o->path = ck_xstrdup(real);
      free(real);
      path = o->path;
    }
    if (!S_ISREG(st.st_mode)) {
      /* a device, pipe or terminal: write in place, never rename over it */
      o->fp = fopen(path, "wb");
      if (o->fp == NULL) {
        ck_error_set(err, CK_EIO, path, 0, NULL, "cannot open: %s",
                     strerror(errno));
        goto fail;
      }
      return o;
    }
  }
  size_t len = strlen(path) + sizeof ".tmp.XXXXXX";
  o->tmp = ck_xmalloc(len);
  snprintf(o->tmp, len, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(o->tmp);
  if (fd < 0) {
    ck_error_set(err, CK_EIO, path, 0, NULL, "cannot create a file here: %s",
                 strerror(errno));
    free(o->tmp);
    o->tmp = NULL;
    goto fail;
  }
  pending_add(o->tmp);
  /* mkstemp makes 0600; give the output the usual permissions */
  mode_t mask = umask(0);
  umask(mask);
  (void)fchmod(fd, 0666 & ~mask); /* on failure the file stays private */
  o->fp = fdopen(fd, "wb");
  if (o->fp == NULL) {
    close(fd);
    unlink(o->tmp);
    pending_drop(o->tmp);
    ck_error_set(err, CK_EIO, path, 0, NULL, "cannot open: %s",
                 strerror(errno));
    goto fail;
  }
  return o;
fail:
  free(o->tmp);
  free(o->path);
  free(o);
  return NULL;
}

FILE *ck_output_stream(struct ck_output *o) { return o->fp; }

static void release(struct ck_output *o) {
  pending_drop(o->tmp);
  free(o->path);
  free(o->tmp);
  free(o);
}

/* Flush, sync and close a file output (the data on disk, not yet in
 * place); on failure the temporary file is removed.  0 or an errno. */
static int sync_close(struct ck_output *o) {
  int failed = fflush(o->fp) != 0 || ferror(o->fp);
  int saved = errno;
  if (!failed && o->tmp && fsync(fileno(o->fp)) != 0) {
    failed = 1;
    saved = errno;
  }
  if (fclose(o->fp) != 0 && !failed) {
    failed = 1;
    saved = errno;
  }
  o->fp = NULL;
  if (failed && o->tmp)
    unlink(o->tmp);
  return failed ? (saved ? saved : EIO) : 0;
}

enum ck_status ck_output_sync(struct ck_output *o, struct ck_error *err) {
  if (o->fp == stdout || o->fp == NULL)
    return CK_OK;
  int e = sync_close(o);
  if (e == 0)
    return CK_OK;
  o->failed = true;
  return ck_error_set(err, CK_EIO, o->path ? o->path : "standard output", 0,
                      NULL, "write failed: %s", strerror(e));
}

enum ck_status ck_output_commit(struct ck_output *o, struct ck_error *err) {
  enum ck_status st = CK_OK;
  const char *name = o->path ? o->path : "standard output";
  if (o->fp == stdout) {
    if (fflush(stdout) != 0 || ferror(stdout))
      st = ck_error_set(err, CK_EIO, name, 0, NULL, "write failed: %s",
                        strerror(errno));
    release(o);
    return st;
  }
  int e = o->failed ? EIO : o->fp != NULL ? sync_close(o) : 0;
  if (o->failed) {
    st = ck_error_set(err, CK_EIO, name, 0, NULL,
                      "write failed: could not "
                      "be synced");
  } else if (e == 0 && o->tmp && rename(o->tmp, o->path) != 0) {
    e = errno;
    unlink(o->tmp);
  }
  if (e != 0)
    st = ck_error_set(err, CK_EIO, name, 0, NULL, "write failed: %s",
                      strerror(e));
  release(o);
  return st;
}

void ck_output_abort(struct ck_output *o) {
  if (o == NULL)
    return;
  if (o->fp && o->fp != stdout)
    fclose(o->fp);
  if (o->tmp && !o->failed)
    unlink(o->tmp);
  release(o);
}
