#!/usr/bin/env bash
# bench_ask.sh - time `ckcohort ask` (most of it the grid check of
# src/ask_check.c) of build/ckcohort against a baseline binary, in the same
# invocation, on schools of several sizes, and check that both publish the
# same bytes.
#
# usage: scripts/bench_ask.sh BASELINE [RUNS]
#   BASELINE  another ckcohort binary (e.g. one built from an earlier commit:
#             git worktree add /tmp/old <commit> && cmake -S /tmp/old -B
#             /tmp/old/build && cmake --build /tmp/old/build --target ckcohort)
#   RUNS      paired rounds (default 5); each round runs baseline, then this
#             build, on every case
#
# Cases: one question on the sample data (all ten classes; one class
# alone), on a generated school of 60 a class and one of 400 a class with
# retakes after a pass; the three questions of examples/questions.csv in
# one run; and a release ledger of two sheets then the report checked
# against them (docs/privacy.md section 7).  Prints, per case, the median
# user+system CPU seconds of each binary and their ratio (this build /
# baseline).  Outputs and the ledgers' entries (but for the time each was
# recorded) are compared byte for byte: a difference is reported and makes
# the exit status 1.  Not part of the tests.
set -euo pipefail
# shellcheck source=scripts/bench_lib.sh
source "$(dirname "$0")/bench_lib.sh"
bench_init "scripts/bench_ask.sh BASELINE [RUNS]" "$@"
"$bin" generate --seed 5 --class-size 60 --out "$tmp/s5" >/dev/null
"$bin" generate --seed 7 --class-size 400 --retake-after-pass 0.1 --out "$tmp/s7" >/dev/null
sample=("$root"/sample-data/class-20*.csv)
q=(--date 2025-10-09 --format json)
add "sample data, 218, Pediatrics" ask --score 218 --specialty Pediatrics "${q[@]}" "${sample[@]}"
add "sample data, one class, 220" ask --score 220 "${q[@]}" "$root/sample-data/class-2024.csv"
add "seed 5, 60 a class, 218, Pediatrics" ask --score 218 --specialty Pediatrics "${q[@]}" "$tmp"/s5/*.csv
add "seed 7, 400 a class, 218, Pediatrics" ask --score 218 --specialty Pediatrics "${q[@]}" "$tmp"/s7/*.csv
add "sample data, examples/questions.csv" ask --questions "$root/examples/questions.csv" \
  --format json "${sample[@]}"
led=("ledger: sheet 1" "ledger: sheet 2" "ledger: report after both")
cases+=("${led[@]}")

# the ledger's cases, then (after this build's) the two ledgers compared
# shellcheck disable=SC2317 # bench_rounds calls it
ledger() { # TAG BINARY
  local tag=$1 b=$2 L=$tmp/ledger-$1 k=${#args[@]}
  rm -rf "$L"
  mkdir "$L"
  time_one "$tag" "$k" "$tmp/$tag.out.$k" "$b" ask --releases "$L" --score 218 \
    --specialty Pediatrics "${q[@]}" "${sample[@]}"
  time_one "$tag" $((k + 1)) "$tmp/$tag.out.$((k + 1))" "$b" ask --releases "$L" \
    --score 212 --specialty Surgery "${q[@]}" "${sample[@]}"
  time_one "$tag" $((k + 2)) "$tmp/$tag.out.$((k + 2))" "$b" report --releases "$L" \
    --format json "${sample[@]}"
  grep -hv '"recorded"' "$L"/* >"$tmp/$tag.ledger"
  if [ "$tag" = new ] && ! sed "s|$tmp/ledger-base|L|g" "$tmp/base.ledger" |
    cmp -s - <(sed "s|$tmp/ledger-new|L|g" "$tmp/new.ledger"); then
    echo "bench_ask: the ledgers' entries differ" >&2
    bad=1
  fi
}
bench_rounds ledger
print_table $bad
exit $bad
