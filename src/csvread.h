/*
 * csvread.h - the careful path's reader (csvread.c): head check, line
 * splitter, strict libcsv and its callbacks; private to src/ingest*.c and
 * src/csvread.c
 * SPDX-License-Identifier: MIT
 */
#ifndef CK_CSVREAD_H
#define CK_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>

struct ck_cohort;
struct ingest;

/* What every reader of c's rows starts from, careful or fast: no row yet,
 * the limits of c's options, a fresh strict parser. */
void reader_init(struct ingest *st, struct ck_cohort *c);
/* Bytes after the digest: the head check, then the line splitter. */
void feed_bytes(struct ingest *st, const char *s, size_t n);
/* SHA-256 and byte count of the input's bytes. */
void digest(struct ingest *st, const char *s, size_t n);
/* The end of the input: flushes the head check, the splitter and libcsv;
 * frees the parser. */
void reader_finish(struct ingest *st);
/* libcsv callbacks (data is the struct ingest).  fast_field: for blocks of
 * 7-bit ASCII without NUL when st->wide (see csvread.c). */
void on_row(int ch, void *data);
void on_field(void *field, size_t len, void *data);
void fast_field(void *field, size_t len, void *data);
void fast_limits(struct ingest *st);
void parser_stop(struct ingest *st);
/* A block of whole lines read in place, field for field and row for row as
 * a fresh strict libcsv parser (parser_start) would hand them to on_field or
 * fast_field and to on_row, with the block's line numbers (0-based: rec_line,
 * rec_span) and its blank lines counted as the careful path's splitter
 * counts them; *lines: line feeds in the block.  Returns false where that
 * parser would stop or leave a record open (stray quote, field over the
 * size cap, unterminated quoted field), or once the rows give up or fail:
 * the block is then the careful path's.  No lone CR may be in s. */
bool split_block(struct ingest *st, const char *s, size_t n, long *lines);
/* The record being read is unusable: reject it (or, for the header, fail). */
void record_error(struct ingest *st, const char *reason);
/* Whether s[0..n) is 7-bit ASCII without NUL. */
bool plain_bytes(const char *s, size_t n);

#endif
