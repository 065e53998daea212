#!/usr/bin/env bash
# test_export_sync.sh BIN SRCDIR - export replaces its files together: when
# the k-th file cannot be synced to disk (fsync fails, made to fail by a
# small LD_PRELOAD shim built here), no file of the previous export is
# replaced, whatever k, and no temporary file is left (issue 14).
set -u
bin=$1 src=$2
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
# the shim is not built with the sanitizers: let ASan start after it
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v cc >/dev/null || { echo "no C compiler: skipped"; exit 77; }
cat >"$tmp/shim.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
/* fsync fails with EIO on call number FAIL_FSYNC_AT (1-based) */
static int calls;
int fsync(int fd) {
  const char *k = getenv("FAIL_FSYNC_AT");
  if (k != NULL && ++calls == atoi(k)) {
    errno = EIO;
    return -1;
  }
  int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  return real(fd);
}
C
cc -shared -fPIC -o "$tmp/shim.so" "$tmp/shim.c" -ldl || fail "cannot build the shim"
data=("$src"/sample-data/class-202[3456].csv)

# the previous export, with other settings (so every file would change)
"$bin" export --out "$tmp/out" --min-cell 25 --exact "${data[@]}" || fail "first export"
(cd "$tmp/out" && sha256sum -- *) >"$tmp/before"
n=$(wc -l <"$tmp/before")
[ "$n" -ge 8 ] || fail "expected at least 8 files, got $n"

for k in $(seq 1 "$n"); do
  FAIL_FSYNC_AT=$k LD_PRELOAD="$tmp/shim.so" "$bin" export --out "$tmp/out" \
    "${data[@]}" 2>"$tmp/err"
  rc=$?
  [ $rc = 3 ] || { cat "$tmp/err" >&2; fail "k=$k: exit $rc, expected 3"; }
  grep -q "write failed" "$tmp/err" || { cat "$tmp/err" >&2; fail "k=$k: no message"; }
  (cd "$tmp/out" && sha256sum -c --quiet "$tmp/before") ||
    fail "k=$k: a file of the previous export was replaced"
  [ "$(ls -A "$tmp/out" | grep -c tmp)" = 0 ] || fail "k=$k: temporary file left"
done

# the shim without a failure: the export goes through and replaces them all
LD_PRELOAD="$tmp/shim.so" "$bin" export --out "$tmp/out" "${data[@]}" || fail "export"
(cd "$tmp/out" && sha256sum -c --quiet "$tmp/before" 2>/dev/null) &&
  fail "the files did not change: the test proves nothing"
echo "ok: $n files, fsync failing at each of 1..$n leaves the previous export"
