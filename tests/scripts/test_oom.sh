#!/usr/bin/env bash
# test_oom.sh BIN SRCDIR - out of memory anywhere is an error, not a crash.
# CKCOHORT_FAIL_ALLOC_AFTER=N makes the library's allocations fail after N
# (alloc.h); for N over each command's whole range the run must either
# succeed or exit 3 with "ckcohort: out of memory" as the last line on
# stderr, never die of a signal or a sanitizer report, and never leave a
# temporary file or a changed previous output behind.
set -u
bin=$1 src=$2
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
# Leak checking is pointless when the handler exits mid-run.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
messy=$src/sample-data/messy/class-2025-export.csv
ini=$src/tests/cases/config/overrides/site.ini
runs=0 oom=0

# try N ARGS... : one run with the hook at N; sets done=1 once it succeeds.
try() {
  local n=$1; shift
  echo previous >"$tmp/out/prev.txt"
  CKCOHORT_FAIL_ALLOC_AFTER=$n "$bin" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$?
  runs=$((runs + 1))
  if grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$tmp/stderr"; then
    cat "$tmp/stderr" >&2; fail "N=$n $*: sanitizer report"
  fi
  [ -z "$(find "$tmp/out" -maxdepth 1 -name '*.tmp*' -print -quit)" ] || fail "N=$n $*: temporary left"
  case $rc in
    0|1) done=1 ;;
    3) [ "$(tail -n 1 "$tmp/stderr")" = "ckcohort: out of memory" ] ||
         { cat "$tmp/stderr" >&2; fail "N=$n $*: exit 3 without the message"; }
       grep -qx previous "$tmp/out/prev.txt" || fail "N=$n $*: previous output changed"
       oom=$((oom + 1)) ;;
    *) cat "$tmp/stderr" >&2; fail "N=$n $*: exit $rc" ;;
  esac
}

# sweep STEP ARGS... : N = 1, 1+STEP, ... until a run succeeds.  From the
# first run that takes 2 s or more on (ask: every allocation after the
# grid's check pays the whole check, about 3 s) the step is 4 times STEP,
# and grows by half with every run after it (about 250 s of the plain
# tree's test command went to 3 s runs 52 allocations apart).
# Under the sanitizers every run costs far more to start: steps four times
# as long plus one (the plain tree sweeps the rest; with twice as long,
# 485 runs took 91 s of the sanitizer tree on 2026-12-02).
source "$(dirname "$0")/sanitizer_lib.sh"
asan=0
[ "$(sanitizer_of "$bin")" = asan ] && asan=1
sweep() {
  local step=$1; shift
  [ $asan = 1 ] && step=$((step * 4 + 1))
  local n=1 t0 widened=0
  done=0
  while [ "$n" -lt 200000 ]; do
    t0=$SECONDS
    try "$n" "$@"
    [ $done = 1 ] && return 0
    if [ $widened = 0 ] && [ $((SECONDS - t0)) -ge 2 ]; then
      widened=1
      step=$((step * 4))
    elif [ $widened = 1 ]; then
      step=$((step * 3 / 2)) # the allocations after the check: sampled
    fi
    n=$((n + step))
  done
  fail "$*: never succeeded"
}


mkdir -p "$tmp/out" "$tmp/gen"
sweep 3 validate --rejects "$tmp/out/prev.txt" "$messy"
sweep 2 config --config "$ini"
sweep 3 generate --seed 3 --years 2024-2024 --class-size 40 --messy --out "$tmp/gen"
sweep 17 report --min-cell 3 --format json -o "$tmp/out/prev.txt" "$messy"
sweep 41 report --format text -o "$tmp/out/prev.txt" "$src"/sample-data/class-202[45].csv
[ "$oom" -gt 0 ] || fail "the hook never fired"
if "$bin" export --help >/dev/null 2>&1; then
  sweep 13 export --min-cell 3 --out "$tmp/out" "$messy"
fi
if "$bin" ask --help >/dev/null 2>&1; then
  sweep 13 ask "$messy" --score 220 --min-cell 3 --date 2024-06-01 -o "$tmp/out/prev.txt"
fi
echo "ok: $runs runs, $oom ran out of memory cleanly"
