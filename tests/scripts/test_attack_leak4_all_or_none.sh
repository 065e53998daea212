#!/usr/bin/env bash
# test_attack_leak4_all_or_none.sh BIN SRCROOT - issue 12 leak 4, an outcome
# every member shares: a hand-made cohort (sample-data with every matched
# failed-then-passed applicant sent to a community Family Medicine program,
# attack_fixture_all_fm.py) must not be reported as "academic 0.0%" nor with
# a matched-into row equal to all matched; nor may any report show an
# outcome count of 0 in a group known to be non-empty (docs/privacy.md 1).
source "$(dirname "$0")/attack_lib.sh"

fixture() { # NAME MIN_CELL SRC_DIR
  local name=$1 mc=$2 src=$3
  # the source data only make the fixture: not a release of this school
  "$bin" report --format json --min-cell "$mc" "$src"/*.csv \
    >"$tmp/$name-src.json" 2>/dev/null || return 2
  "$py" "$root/tests/scripts/attack_fixture_all_fm.py" "$tmp/$name-src.json" "$src" "$tmp/$name" || return 2
  report_json "$tmp/$name.json" "$mc" "$tmp/$name"/*.csv || return 2
  attacker --case "$name" --judge none/all --min-cell "$mc" --nmax 0 --report "$tmp/$name.json"
}

case_run leak4-all-community-family-medicine-sample fixture fm 11 "$root/sample-data"

# nces, generated (scripts/utility.sh's school 1006, its first three Match
# years): the one low-pass retaker who matched went to an academic
# program; community 0 and other 0 were shown as splits of the withheld
# "not academic" count (0), so together "all of them academic"
generated() { # NAME POLICY SEED SIZE YEARS RAP
  local name=$1 policy=$2
  "$bin" generate --seed "$3" --class-size "$4" --years "$5" --retake-after-pass "$6" \
    --out "$tmp/$name" >/dev/null || return 2
  report_json "$tmp/$name.json" 11 --privacy "$policy" --years 2023-2025 "$tmp/$name"/*.csv || return 2
  attacker --case "$name" --judge none/all --min-cell 11 --nmax 0 --report "$tmp/$name.json"
}
case_run leak4-empty-split-nces-seed1006 generated g1006 nces 1006 207 2023-2026 7%
if [ "$full" = 1 ]; then
  for seed in 1 2 3 4 5; do
    "$bin" generate --seed $seed --class-size 300 --out "$tmp/g$seed" >/dev/null
    case_run leak4-all-community-family-medicine-seed$seed fixture fm$seed 11 "$tmp/g$seed"
  done
fi
finish
