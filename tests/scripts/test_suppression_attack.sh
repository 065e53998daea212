#!/usr/bin/env bash
# test_suppression_attack.sh BIN SRCROOT - attack the JSON report of several
# cohorts with an independent linear-programming attacker (attack_report.py,
# SciPy) and fail if any withheld count can be narrowed below min_cell values.
set -euo pipefail
bin=$1 root=$2
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
attack() { # name min_cell files...: under both disclosure policies
  local name=$1 mc=$2 policy
  shift 2
  for policy in nces strict; do
    "$bin" report --format json --privacy $policy --min-cell "$mc" "$@" \
      >"$tmp/$name.$policy.json"
    echo "== $name (min cell $mc, $policy)"
    "$py" "$root/tests/scripts/attack_report.py" "$tmp/$name.$policy.json" "$mc"
  done
}
attack sample 11 "$root"/sample-data/*.csv
"$bin" generate --seed 5 --years 2021-2024 --class-size 40 \
  --retake-after-pass 0.3 --out "$tmp/small" >/dev/null
attack small-class 11 "$tmp"/small/*.csv
attack small-class-min5 5 "$tmp"/small/*.csv
"$bin" generate --seed 9 --years 2019-2020 --class-size 25 --out "$tmp/tiny" >/dev/null
attack tiny-class 11 "$tmp"/tiny/*.csv
