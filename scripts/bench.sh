#!/usr/bin/env bash
# bench.sh [ROWS...] - time ckcohort against a bare libcsv parse of the same
# file (the baseline: bench/csvcount.c) and `wc -l`, on generated cohorts.
# Each command runs 5 times, alternating; prints the median wall time, peak
# memory (max RSS) and the ratio to the baseline.  Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=("$@")
[ ${#rows[@]} -gt 0 ] || rows=(100000 1000000)
runs=5
bash scripts/deps.sh >/dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/csvcount" bench/csvcount.c -lcsv
bin=build/ckcohort
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # label command... -> "label median_s maxrss_kb"
  local label=$1
  shift
  : >"$work/t"
  "$@" >/dev/null 2>&1 || true   # warm the page cache
  for _ in $(seq $runs); do
    /usr/bin/time -f "%e %M" -o "$work/one" "$@" >/dev/null 2>&1 || true
    cat "$work/one" >>"$work/t"
  done
  printf '%s %s %s\n' "$label" "$(cut -d' ' -f1 "$work/t" | median)" \
    "$(cut -d' ' -f2 "$work/t" | median)"
}
printf '%-10s %-28s %10s %12s %10s\n' rows command "median s" "max RSS MiB" "x libcsv"
for n in "${rows[@]}"; do
  "$bin" generate --seed 1 --rows "$n" --out "$work/$n" >/dev/null
  f="$work/$n/cohort-$n.csv"
  base=$(measure base "$work/csvcount" "$f")
  b=$(echo "$base" | cut -d' ' -f2)
  for spec in "libcsv parse (baseline)|$work/csvcount $f" \
              "wc -l|wc -l $f" \
              "ckcohort validate|$bin validate --quiet $f" \
              "ckcohort report --format json|$bin report --format json $f"; do
    label=${spec%%|*}
    read -r -a cmd <<<"${spec#*|}"
    out=$(measure x "${cmd[@]}")
    s=$(echo "$out" | cut -d' ' -f2)
    kb=$(echo "$out" | cut -d' ' -f3)
    printf '%-10s %-28s %10s %12.1f %10.2f\n' "$n" "$label" "$s" \
      "$(echo "$kb / 1024" | bc -l)" "$(echo "$s / $b" | bc -l)"
  done
done
