#!/usr/bin/env bash
# test_releases_attack.sh BIN SRCROOT - issue 12, leak 1: yearly releases with
# cumulative Match years.  A reader who holds each year's JSON report
# subtracts last year's from this year's (attack_releases.py: the new
# students' score changes, practice averages and second scores from means
# and regression lines; one LP over all releases for every count of new
# students).  Fails when anything about fewer than min_cell new students is
# recovered.
set -euo pipefail
bin=$1 root=$2
py=/usr/bin/python3
"$py" -c 'import scipy' 2>/dev/null || { echo "SciPy missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
fail=0

# releases NAME MIN_CELL DIR FIRST YEAR... : one report per YEAR (Match
# years FIRST to YEAR), then the attack on them all
releases() {
  local name=$1 mc=$2 dir=$3 first=$4
  shift 4
  local jsons=() y
  for y in "$@"; do
    "$bin" report --format json --min-cell "$mc" --years "$first-$y" \
      "$dir"/class-*.csv >"$tmp/$name-$y.json"
    jsons+=("$tmp/$name-$y.json")
  done
  echo "== $name (min cell $mc): releases ${*}"
  if ! "$py" "$root/tests/scripts/attack_releases.py" "$mc" "${jsons[@]}"; then
    echo "FAIL: $name: the attacker recovered new students' values"
    fail=1
  fi
}

# the case of the issue: 2017-2025, then 2017-2026
releases sample 11 "$root/sample-data" 2017 2025 2026
exit $fail
