#!/usr/bin/env bash
# bench_suppress.sh - time the suppression (the disclosure check) of
# build/ckcohort against a baseline binary, in the same invocation, on
# cohorts of several shapes, and check that both publish the same bytes.
#
# usage: scripts/bench_suppress.sh BASELINE [RUNS]
#   BASELINE  another ckcohort binary (e.g. one built from an earlier commit:
#             git worktree add /tmp/old <commit> && cmake -S /tmp/old -B
#             /tmp/old/build && cmake --build /tmp/old/build --target ckcohort)
#   RUNS      paired rounds (default 5); each round runs baseline, then this
#             build, on every case
#   BENCH_LEDGER_YEARS  the ledger sequence's last Match years (default
#             "2023 2024 2025 2026"; the first is recorded unchecked, each
#             later one checked against all before it); the 2017-2026 run
#             against three releases takes minutes
#
# Cases: `report --format json` under strict and nces on the sample data and
# on generated schools (400 a year with retakes after a pass; a small school;
# 250 a year, min-cell 5), and the yearly sequence of the sample data with a
# release ledger: 2017-2023 first, then 2017-2024, 2017-2025 and 2017-2026,
# each checked against every earlier one (docs/privacy.md section 7).
# Prints, per case, the median user+system CPU seconds of each binary and
# their ratio (this build / baseline).  Outputs are compared byte for byte
# (SOURCE_DATE_EPOCH fixes the time stamp): a difference is reported and
# makes the exit status 1.  Not part of the tests.
set -euo pipefail
# shellcheck source=scripts/bench_lib.sh
source "$(dirname "$0")/bench_lib.sh"
bench_init "scripts/bench_suppress.sh BASELINE [RUNS]" "$@"
"$bin" generate --seed 7 --class-size 400 --retake-after-pass 0.1 --out "$tmp/s7" >/dev/null
"$bin" generate --seed 411 --years 2018-2026 --school-profile small --out "$tmp/s411" >/dev/null
"$bin" generate --seed 432 --years 2018-2026 --class-size 250 --retake-after-pass 0.08 \
  --out "$tmp/s432" >/dev/null
sample=("$root"/sample-data/class-20*.csv)
for pol in strict nces; do
  add "sample $pol" report --format json --privacy $pol "${sample[@]}"
  add "seed 7, 400 a year, $pol" report --format json --privacy $pol "$tmp"/s7/*.csv
  add "seed 411, small school, $pol" report --format json --privacy $pol "$tmp"/s411/*.csv
done
add "seed 432, 250 a year, strict, min-cell 5" report --format json --privacy strict \
  --min-cell 5 "$tmp"/s432/*.csv
read -r -a years <<<"${BENCH_LEDGER_YEARS:-2023 2024 2025 2026}"
for i in "${!years[@]}"; do cases+=("ledger: 2017-${years[$i]} against $i earlier"); done

# the yearly sequence, each release checked against the ones before it
# shellcheck disable=SC2317 # bench_rounds calls it
ledger() { # TAG BINARY
  local tag=$1 b=$2 i k
  rm -rf "$tmp/ledger-$tag"
  mkdir "$tmp/ledger-$tag"
  for i in "${!years[@]}"; do
    k=$((${#args[@]} + i))
    time_one "$tag" "$k" "$tmp/$tag.out.$k" "$b" report --format json \
      --releases "$tmp/ledger-$tag" --years "2017-${years[$i]}" "${sample[@]}"
  done
}
bench_rounds ledger
print_table $bad
exit $bad
