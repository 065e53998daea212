#!/usr/bin/env bash
# bench_pool.sh - time `ckcohort pool` on N school summaries (default 150,
# every US MD school) and check the targets: under 1 s and under 100 MiB.
# Schools are generated with the three profiles in turn (small, large, do;
# 60-400 applicants a year over 2017-2026) and summarised once, untimed;
# then pool runs RUNS times (text and json alternating) under /usr/bin/time,
# with and without --members-not-readers (the check of "the pool minus one
# school" is what costs: every school whose subtraction would leave a small
# count goes into the suppression's linear programs).  Prints median wall
# and CPU time and median peak RSS.  Not part of the tests.
# usage: scripts/bench_pool.sh [N] [RUNS] [DIR]   (docs/exchange.md, "Scale")
# DIR keeps the summaries between runs (made if missing).
set -euo pipefail
n=${1:-150} runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/ckcohort
[ -x "$bin" ] || { echo "build first: cmake --build build" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
keep=${3:-$tmp}
mkdir -p "$keep"
profiles=(small large "do")
for i in $(seq 1 "$n"); do
  [ -s "$keep/s$i.json" ] && continue
  p=${profiles[$((i % 3))]}
  "$bin" generate --school-profile "$p" --id-prefix "K$i-" --seed "$i" \
    --out "$tmp/s$i" >/dev/null
  "$bin" summarize --school "school $i" -o "$keep/s$i.json" "$tmp/s$i"/*.csv
  rm -rf "$tmp/s$i"
done
files=()
for i in $(seq 1 "$n"); do files+=("$keep/s$i.json"); done
bytes=$(cat "${files[@]}" | wc -c)
rows=$(python3 -c "
import json,sys
print(sum(json.load(open(f))['rows']['accepted'] for f in sys.argv[1:]))" "${files[@]}")
echo "$n summaries, $((bytes / 1024)) KiB, $rows applicants"
for mode in members-checked members-not-readers; do
  opt=()
  [ $mode = members-not-readers ] && opt=(--members-not-readers)
  : >"$tmp/times"
  for r in $(seq 1 "$runs"); do
    for fmt in text json; do
      /usr/bin/time -f "%e %M %U %S" -o "$tmp/t" "$bin" pool "${opt[@]}" \
        --format $fmt "${files[@]}" -o "$tmp/out.$fmt"
      cat "$tmp/t" >>"$tmp/times"
    done
  done
  [ $mode = members-checked ] && cp "$tmp/out.json" "$tmp/checked.json"
  echo "== $mode"
  sort -n "$tmp/times" | awk '{t[NR]=$1} END {print "median wall time:", t[int((NR+1)/2)], "s"}'
  awk '{print $3 + $4}' "$tmp/times" | sort -n | awk '{t[NR]=$1} END {print "median CPU time:", t[int((NR+1)/2)], "s"}'
  sort -n -k2 "$tmp/times" | awk '{m[NR]=$2} END {printf "median peak RSS: %.1f MiB\n", m[int((NR+1)/2)]/1024}'
  awk '$3 + $4 >= 1.0 {slow++} $2 >= 102400 {big++} END {
    printf "runs over 1 s CPU: %d, over 100 MiB: %d (of %d)\n", slow, big, NR }' "$tmp/times"
done
python3 -c "
import json,sys
print('schools taken as known (members checked):', json.load(open(sys.argv[1]))['consortium']['members_known'])" "$tmp/checked.json" 2>/dev/null || true
