#!/usr/bin/env bash
# bench_pool.sh - time `ckcohort pool` on N school summaries (default 150,
# every US MD school) and check the targets: under 1 s and under 100 MiB.
# Schools are generated with the three profiles in turn (small, large, do;
# 60-400 applicants a year over 2017-2026) and summarised once, untimed;
# then pool runs RUNS times (text and json alternating) under /usr/bin/time.
# Prints median wall time and median peak RSS.  Not part of the tests.
# usage: scripts/bench_pool.sh [N] [RUNS]     (docs/exchange.md, "Scale")
set -euo pipefail
n=${1:-150} runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/ckcohort
[ -x "$bin" ] || { echo "build first: cmake --build build" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
profiles=(small large do)
for i in $(seq 1 "$n"); do
  p=${profiles[$((i % 3))]}
  "$bin" generate --school-profile "$p" --id-prefix "K$i-" --seed "$i" \
    --out "$tmp/s$i" >/dev/null
  "$bin" summarize --school "school $i" -o "$tmp/s$i.json" "$tmp/s$i"/*.csv
  rm -rf "$tmp/s$i"
done
files=()
for i in $(seq 1 "$n"); do files+=("$tmp/s$i.json"); done
bytes=$(cat "${files[@]}" | wc -c)
rows=$(python3 -c "
import json,sys
print(sum(json.load(open(f))['rows']['accepted'] for f in sys.argv[1:]))" "${files[@]}")
echo "$n summaries, $((bytes / 1024)) KiB, $rows applicants"
: >"$tmp/times"
for r in $(seq 1 "$runs"); do
  for fmt in text json; do
    /usr/bin/time -f "%e %M" -o "$tmp/t" "$bin" pool --format $fmt \
      "${files[@]}" -o "$tmp/out.$fmt"
    cat "$tmp/t" >>"$tmp/times"
  done
done
sort -n "$tmp/times" | awk '{t[NR]=$1} END {print "median wall time:", t[int((NR+1)/2)], "s"}'
sort -n -k2 "$tmp/times" | awk '{m[NR]=$2} END {printf "median peak RSS: %.1f MiB\n", m[int((NR+1)/2)]/1024}'
awk '$1 >= 1.0 {slow++} $2 >= 102400 {big++} END {
  printf "runs over 1 s: %d, over 100 MiB: %d (of %d)\n", slow, big, NR }' "$tmp/times"
