#!/usr/bin/env bash
# test_releases_attack.sh BIN SRCROOT - issue 12, leak 1: yearly releases with
# cumulative Match years.  A reader who holds each year's JSON report
# subtracts last year's from this year's (attack_releases.py: the new
# students' score changes, practice averages and second scores from means
# and regression lines; one LP over all releases for every count of new
# students).  Fails when anything about fewer than min_cell new students is
# recovered.  Without a ledger the attack must succeed on sample-data (it
# recovers S2026-0100's practice average and second score: the
# attacker works); with --releases every release sequence must resist it,
# and no ledger entry may hold a student ID.
set -euo pipefail
bin=$1 root=$2
py=/usr/bin/python3
"$py" -c 'import scipy' 2>/dev/null || { echo "SciPy missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
fail=0

# Under strict, whose rule this attacker's is (fewer than MIN_CELL values
# for a count of new students is a failure).  Under nces two releases'
# coded rates also bound new students' counts ("at least 9 of the 12 new
# students matched", from two "at least 90%"s): the policy's own kind of
# statement, judged by test_attack_leak1_releases.sh with attacker.py.
# releases NAME MIN_CELL DIR FIRST YEAR... : one report per YEAR (Match
# years FIRST to YEAR) with the ledger $tmp/NAME.ledger, then the attack on
# them all
releases() {
  local name=$1 mc=$2 dir=$3 first=$4
  shift 4
  local jsons=() y
  for y in "$@"; do
    "$bin" report --format json --min-cell "$mc" --years "$first-$y" \
      --privacy strict --releases "$tmp/$name.ledger" "$dir"/class-*.csv \
      >"$tmp/$name-$y.json"
    jsons+=("$tmp/$name-$y.json")
  done
  if grep -lE '"S[0-9]{4}-[0-9]{4}"|[A-Z][0-9]{4}-[0-9]{4}' "$tmp/$name.ledger"/*.json; then
    echo "FAIL: $name: a ledger entry holds a student ID"
    fail=1
  fi
  echo "== $name (min cell $mc): releases ${*}"
  if ! "$py" "$root/tests/scripts/attack_releases.py" "$mc" "${jsons[@]}"; then
    echo "FAIL: $name: the attacker recovered new students' values"
    fail=1
  fi
}

# control: without a ledger the attacker recovers S2026-0100 in full
for y in 2025 2026; do
  "$bin" report --format json --years "2017-$y" "$root"/sample-data/class-*.csv \
    >"$tmp/plain-$y.json"
done
"$py" "$root/tests/scripts/attack_releases.py" 11 "$tmp/plain-2025.json" \
  "$tmp/plain-2026.json" >"$tmp/plain.out" || true
# (the score-change mean of so few is withheld since leak 2 was closed; the
# practice regression still gives that student away)
for want in "that student: practice 218, second score 221"; do
  if ! grep -qF "$want" "$tmp/plain.out"; then
    echo "FAIL: control: the attack without a ledger did not recover '$want'"
    fail=1
  fi
done
grep -v NARROWED "$tmp/plain.out" | sed 's/^/control: /'

# the case of the issue: 2017-2025, then 2017-2026
releases sample 11 "$root/sample-data" 2017 2025 2026
# generated cohorts, small and large classes, a release every year
"$bin" generate --seed 3 --years 2021-2024 --class-size 60 \
  --retake-after-pass 0.2 --out "$tmp/g60" >/dev/null
releases g60 11 "$tmp/g60" 2021 2022 2023 2024
# 150 a class by hand (ATTACK_FULL=1; the full sequence 2023 2024 2025
# also passes: 5 min by hand on 1 Dec)
if [ "${ATTACK_FULL:-0}" = 1 ]; then
  "$bin" generate --seed 8 --years 2022-2025 --class-size 150 \
    --retake-after-pass 0.1 --out "$tmp/g150" >/dev/null
  releases g150 11 "$tmp/g150" 2022 2024 2025
fi
exit $fail
