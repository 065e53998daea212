/*
 * test_output.c - atomic output: whole or nothing, never over an input
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "ckcohort/output.h"

static char dir[64];

static int setup(void **state) {
  (void)state;
  strcpy(dir, "/tmp/ck-output-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd);
}

static size_t count_entries(void) {
  size_t n = 0;
  DIR *d = opendir(dir);
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.')
      n++;
  closedir(d);
  return n;
}

static void slurp(const char *path, char *buf, size_t cap) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  size_t n = fread(buf, 1, cap - 1, f);
  buf[n] = '\0';
  fclose(f);
}

static void commit_replaces_whole_file(void **state) {
  (void)state;
  char path[128], buf[64];
  snprintf(path, sizeof path, "%s/out.txt", dir);
  FILE *f = fopen(path, "w");
  fputs("old\n", f);
  fclose(f);
  struct ck_error err = {0};
  struct ck_output *o = ck_output_open(path, NULL, 0, &err);
  assert_non_null(o);
  fputs("new\n", ck_output_stream(o));
  slurp(path, buf, sizeof buf);
  assert_string_equal(buf, "old\n"); /* untouched until commit */
  assert_int_equal(ck_output_commit(o, &err), CK_OK);
  slurp(path, buf, sizeof buf);
  assert_string_equal(buf, "new\n");
  assert_int_equal(count_entries(), 1);
}

static void abort_leaves_previous_file_and_no_temp(void **state) {
  (void)state;
  char path[128], buf[64];
  snprintf(path, sizeof path, "%s/keep.txt", dir);
  FILE *f = fopen(path, "w");
  fputs("previous\n", f);
  fclose(f);
  size_t before = count_entries();
  struct ck_error err = {0};
  struct ck_output *o = ck_output_open(path, NULL, 0, &err);
  fputs("half", ck_output_stream(o));
  ck_output_abort(o);
  slurp(path, buf, sizeof buf);
  assert_string_equal(buf, "previous\n");
  assert_int_equal(count_entries(), before);
}

static size_t count_temps(void) {
  size_t n = 0;
  DIR *d = opendir(dir);
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    n += strstr(e->d_name, ".tmp") != NULL;
  closedir(d);
  return n;
}

static void refuses_an_input(void **state) {
  (void)state;
  char path[128], alias[128], buf[64];
  snprintf(path, sizeof path, "%s/in.csv", dir);
  snprintf(alias, sizeof alias, "%s/./in.csv", dir);
  FILE *f = fopen(path, "w");
  fputs("data\n", f);
  fclose(f);
  const char *inputs[] = {path};
  struct ck_error err = {0};
  assert_null(ck_output_open(alias, inputs, 1, &err));
  assert_int_equal(err.code, CK_EUSAGE);
  assert_non_null(strstr(err.text, "refusing to overwrite"));
  slurp(path, buf, sizeof buf);
  assert_string_equal(buf, "data\n");
}

static void dev_full_fails_in_place(void **state) {
  (void)state;
  struct ck_error err = {0};
  struct ck_output *o = ck_output_open("/dev/full", NULL, 0, &err);
  assert_non_null(o);
  for (int i = 0; i < 10000; i++)
    fputs("x", ck_output_stream(o));
  assert_int_equal(ck_output_commit(o, &err), CK_EIO);
  assert_string_equal(err.file, "/dev/full");
  struct stat st;
  assert_int_equal(stat("/dev/full", &st), 0);
  assert_true(S_ISCHR(st.st_mode)); /* still the device, not a file */
}

static void empty_name_refused(void **state) {
  (void)state;
  struct ck_error err = {0};
  assert_null(ck_output_open("", NULL, 0, &err));
  assert_int_equal(err.code, CK_EUSAGE);
  assert_string_equal(err.text, "output file name is empty");
}

static void unwritable_directory_fails(void **state) {
  (void)state;
  struct ck_error err = {0};
  assert_null(ck_output_open("/proc/ck-report.txt", NULL, 0, &err));
  assert_int_equal(err.code, CK_EIO);
  assert_non_null(strstr(err.text, "cannot create"));
}

/* A symbolic or hard link to an input is the input. */
static void refuses_an_input_through_links(void **state) {
  (void)state;
  char path[128], sym[128], hard[128], buf[64];
  snprintf(path, sizeof path, "%s/in2.csv", dir);
  snprintf(sym, sizeof sym, "%s/sym.csv", dir);
  snprintf(hard, sizeof hard, "%s/hard.csv", dir);
  FILE *f = fopen(path, "w");
  fputs("data\n", f);
  fclose(f);
  assert_int_equal(symlink("in2.csv", sym), 0);
  assert_int_equal(link(path, hard), 0);
  const char *inputs[] = {path};
  struct ck_error err = {0};
  assert_null(ck_output_open(sym, inputs, 1, &err));
  assert_int_equal(err.code, CK_EUSAGE);
  ck_error_clear(&err);
  assert_null(ck_output_open(hard, inputs, 1, &err));
  assert_int_equal(err.code, CK_EUSAGE);
  /* and the input given through a link, the output by its own name */
  const char *via_link[] = {sym};
  ck_error_clear(&err);
  assert_null(ck_output_open(path, via_link, 1, &err));
  assert_int_equal(err.code, CK_EUSAGE);
  slurp(path, buf, sizeof buf);
  assert_string_equal(buf, "data\n");
  unlink(sym), unlink(hard), unlink(path);
}

/* Writing through a symbolic link replaces the file it names and keeps the
 * link. */
static void symlink_output_keeps_the_link(void **state) {
  (void)state;
  char target[128], sym[128], buf[64];
  snprintf(target, sizeof target, "%s/report-1.txt", dir);
  snprintf(sym, sizeof sym, "%s/latest.txt", dir);
  FILE *f = fopen(target, "w");
  fputs("old\n", f);
  fclose(f);
  assert_int_equal(symlink("report-1.txt", sym), 0);
  struct ck_error err = {0};
  struct ck_output *o = ck_output_open(sym, NULL, 0, &err);
  assert_non_null(o);
  fputs("new\n", ck_output_stream(o));
  assert_int_equal(ck_output_commit(o, &err), CK_OK);
  struct stat st;
  assert_int_equal(lstat(sym, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  slurp(target, buf, sizeof buf);
  assert_string_equal(buf, "new\n");
  assert_int_equal(count_temps(), 0);
  unlink(sym), unlink(target);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(commit_replaces_whole_file),
      cmocka_unit_test(abort_leaves_previous_file_and_no_temp),
      cmocka_unit_test(refuses_an_input),
      cmocka_unit_test(dev_full_fails_in_place),
      cmocka_unit_test(unwritable_directory_fails),
      cmocka_unit_test(empty_name_refused),
      cmocka_unit_test(refuses_an_input_through_links),
      cmocka_unit_test(symlink_output_keeps_the_link),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
