/*
 * ingest_blocks.c - the block path: a file read in blocks, parsed on worker
 * threads by fresh libcsv parsers and merged in file order (ingest.c's
 * header says when a block's fast result is used; docs/performance.md why
 * the result is the single-threaded one)
 * SPDX-License-Identifier: MIT
 */
#include "ingest_impl.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct job {
  char *buf;
  size_t n, cap;
  bool fast;     /* may be parsed by the fast path */
  bool done;     /* the fast path has finished with it */
  bool ok;       /* ... and its part may be used */
  long newlines; /* line feeds in the block */
  struct part part;
};

struct pool {
  pthread_mutex_t mu;
  pthread_cond_t work, done;
  struct job *jobs;
  size_t n_jobs;
  size_t put, take; /* sequence numbers: queued up to put, taken up to take */
  bool stop;
  const struct ingest *proto;
  size_t n_threads;
  pthread_t *tid;
};

/* Parse one block from a fresh parser (see the top of the file for when its
 * result is used). */
static void fast_block(const struct ingest *proto, struct job *j) {
  const char *s = j->buf;
  size_t n = j->n;
  j->ok = false;
  bool plain = plain_bytes(s, n);
  /* a lone CR is a line break of its own: careful path */
  for (const char *p = memchr(s, '\r', n); p != NULL;
       p = memchr(p + 1, '\r', (size_t)(s + n - p - 1)))
    if (p + 1 >= s + n || p[1] != '\n')
      return;

  struct ingest w;
  reader_init(&w, proto->c);
  w.input = proto->input;
  w.name = proto->name;
  w.out = &j->part;
  w.worker = true;
  w.check_utf8 = !plain;
  w.header_done = true;
  w.hdr_n = proto->hdr_n;
  w.colmap = proto->colmap;
  w.hdr_names = proto->hdr_names;
  w.blk = s;
  w.blk_n = n;
  w.foff_cap = 32;
  w.foff = ck_xmalloc(w.foff_cap * sizeof *w.foff);
  w.row_cap = 4096;
  w.row = ck_xmalloc(w.row_cap);
  fast_limits(&w);
  bool parsed = split_block(&w, s, n, &j->newlines);
  parser_stop(&w);
  free(w.row);
  free(w.foff);
  free(w.raw);
  ck_strset_free(&w.wspecs);
  j->ok = parsed && !w.gave_up && w.status == CK_OK;
}

static void *worker_main(void *arg) {
  struct pool *pl = arg;
  pthread_mutex_lock(&pl->mu);
  for (;;) {
    while (!pl->stop && pl->take == pl->put)
      pthread_cond_wait(&pl->work, &pl->mu);
    if (pl->take == pl->put) /* stopping, nothing left */
      break;
    struct job *j = &pl->jobs[pl->take++ % pl->n_jobs];
    pthread_mutex_unlock(&pl->mu);
    if (j->fast)
      fast_block(pl->proto, j);
    pthread_mutex_lock(&pl->mu);
    j->done = true;
    pthread_cond_broadcast(&pl->done);
  }
  pthread_mutex_unlock(&pl->mu);
  return NULL;
}

unsigned ingest_threads(const struct ck_cohort *c) {
  unsigned t = c->opt.threads;
  if (t == 0) {
    long k = sysconf(_SC_NPROCESSORS_ONLN);
    t = k > 0 ? (unsigned)k : 1u;
  }
  if (t > THREADS_MAX)
    t = THREADS_MAX;
  /* the allocation-failure test hook counts allocations in order */
  if (ck_alloc_fail_armed())
    t = 1;
  return t;
}

/* Read up to `want` more bytes into j (after what it holds). */
static size_t read_more(FILE *f, struct job *j, size_t want) {
  if (j->n + want > j->cap) {
    j->cap = j->n + want;
    j->buf = ck_xrealloc(j->buf, j->cap);
  }
  size_t got = 0;
  while (got < want) {
    size_t k = fread(j->buf + j->n + got, 1, want - got, f);
    if (k == 0)
      break;
    got += k;
  }
  j->n += got;
  return got;
}

struct blockrun {
  struct ingest st;
  bool prev_clean; /* everything merged so far ended outside any record */
};

/* Fold job j into the cohort, in file order. */
static void merge_job(struct blockrun *br, struct job *j) {
  struct ingest *st = &br->st;
  /* the part's unknown names must fit in the int16 specialty numbers */
  bool fits = j->part.n_unk == 0 ||
              st->c->cfg->n_specialties + st->c->priv->n_specs + j->part.n_unk <
                  INT16_MAX;
  if (br->prev_clean && j->fast && j->ok && fits && st->status == CK_OK) {
    part_merge(st->c, st->input, &j->part, st->line);
    st->line += j->newlines;
    st->c->priv->fast_blocks++;
    return;
  }
  part_free(&j->part);
  st->c->priv->careful_blocks++;
  feed_bytes(st, j->buf, j->n);
  part_merge(st->c, st->input, &st->own, 0);
  br->prev_clean = j->n > 0 && j->buf[j->n - 1] == '\n' && !st->rec_open &&
                   !st->skipping && st->header_done;
}

/* Wait for the oldest job in the ring, fold it in, and count it merged. */
static void merge_oldest(struct pool *pl, struct blockrun *br, size_t *merged) {
  struct job *old = &pl->jobs[*merged % pl->n_jobs];
  pthread_mutex_lock(&pl->mu);
  while (!old->done)
    pthread_cond_wait(&pl->done, &pl->mu);
  pthread_mutex_unlock(&pl->mu);
  merge_job(br, old);
  (*merged)++;
}

enum ck_status ingest_blocks(struct ck_cohort *c, const char *path, FILE *f,
                             struct ck_error *err) {
  struct blockrun br;
  ingest_begin(&br.st, c, path, err);
  struct ingest *st = &br.st;
  br.prev_clean = false;
  size_t bsize = c->opt.block ? c->opt.block : BLOCK_DEFAULT;
  unsigned nt = ingest_threads(c);
  struct pool pl;
  memset(&pl, 0, sizeof pl);
  pl.n_jobs = nt > 1 ? 2 * (size_t)nt + 2 : 1;
  pl.jobs = ck_xcalloc(pl.n_jobs, sizeof *pl.jobs);
  pl.proto = st;
  bool threaded = false;
  size_t merged = 0, seq = 0;
  char *carry = NULL;
  size_t carry_n = 0, carry_cap = 0;
  bool eof = false;
  int rerr = 0;

  while (st->status == CK_OK && !eof) {
    if (threaded && seq - merged == pl.n_jobs) { /* ring full: oldest first */
      merge_oldest(&pl, &br, &merged);
      continue;
    }
    struct job *j = &pl.jobs[seq % pl.n_jobs];
    j->n = 0;
    j->done = j->ok = false;
    if (carry_n) {
      if (carry_n > j->cap) {
        j->cap = carry_n;
        j->buf = ck_xrealloc(j->buf, j->cap);
      }
      memcpy(j->buf, carry, carry_n);
      j->n = carry_n;
    }
    size_t fresh = j->n;
    size_t got =
        read_more(f, j, seq == 0 && bsize > FIRST_BLOCK ? FIRST_BLOCK : bsize);
    if (got == 0) {
      eof = true;
      if (ferror(f))
        rerr = errno ? errno : EIO;
    }
    digest(st, j->buf + fresh, got);
    carry_n = 0;
    if (j->n == 0)
      break;
    if (!eof) { /* end the block on its last line feed; the rest waits */
      size_t last = j->n;
      while (last > 0 && j->buf[last - 1] != '\n')
        last--;
      if (last > 0) {
        size_t keep = last;
        carry_n = j->n - keep;
        if (carry_n > carry_cap) {
          carry_cap = carry_n;
          carry = ck_xrealloc(carry, carry_cap);
        }
        if (carry_n > 0)
          memcpy(carry, j->buf + keep, carry_n);
        j->n = keep;
      }
    }
    j->fast = seq > 0 && st->header_done && j->buf[j->n - 1] == '\n' &&
              !c->opt.careful;
    if (seq == 0 || !threaded) {
      if (j->fast && nt == 1)
        fast_block(st, j);
      else if (j->fast && seq > 0 && !threaded) {
        /* the first block that could go parallel: start the workers */
        pl.tid = ck_xcalloc(nt, sizeof *pl.tid);
        pthread_mutex_init(&pl.mu, NULL);
        pthread_cond_init(&pl.work, NULL);
        pthread_cond_init(&pl.done, NULL);
        pl.put = pl.take = seq; /* sequence numbers start here */
        size_t started = 0;
        for (size_t t = 0; t < nt; t++)
          if (pthread_create(&pl.tid[t], NULL, worker_main, &pl) == 0)
            started++;
          else
            break;
        pl.n_threads = started;
        if (started == 0) { /* no threads: all on this one */
          pthread_cond_destroy(&pl.done);
          pthread_cond_destroy(&pl.work);
          pthread_mutex_destroy(&pl.mu);
          free(pl.tid);
          pl.tid = NULL;
          nt = 1;
          fast_block(st, j);
        } else {
          threaded = true;
        }
      }
      if (!threaded) {
        merge_job(&br, j);
        seq++;
        merged = seq;
        continue;
      }
    }
    pthread_mutex_lock(&pl.mu);
    pl.put = seq + 1; /* a careful block passes through the queue as a no-op */
    pthread_cond_signal(&pl.work);
    pthread_mutex_unlock(&pl.mu);
    seq++;
  }
  if (threaded) {
    while (merged < seq)
      merge_oldest(&pl, &br, &merged);
    pthread_mutex_lock(&pl.mu);
    pl.stop = true;
    pthread_cond_broadcast(&pl.work);
    pthread_mutex_unlock(&pl.mu);
    for (size_t t = 0; t < pl.n_threads; t++)
      pthread_join(pl.tid[t], NULL);
    pthread_cond_destroy(&pl.done);
    pthread_cond_destroy(&pl.work);
    pthread_mutex_destroy(&pl.mu);
    free(pl.tid);
  }
  for (size_t k = 0; k < pl.n_jobs; k++) {
    part_free(&pl.jobs[k].part);
    free(pl.jobs[k].buf);
  }
  free(pl.jobs);
  free(carry);
  read_failed(st, path, rerr);
  return ingest_end(st);
}
