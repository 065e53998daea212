#!/usr/bin/env bash
# test_moments_attack.sh BIN SRC - the non-linear statistics cannot narrow a
# withheld count (docs/privacy.md section 4): attack_moments.py runs integer
# programs over the published mean, SD, quartiles and shares of the score
# change on sample-data, on the cohort of issue 12 (seed 25, 150 a year,
# 12% retakes after a pass), on seeds 11-40 and on one large class.
#
# First it must catch the leak it was written for: the sections ckcohort
# published for sample-data before the rule (tests/data/attack/, taken from
# the report's JSON then: n 20, mean 7.9, SD 8.07, quartiles 3.5/9/13, all
# five categories withheld) narrow "lower" to 0..5 and "significantly
# higher" to 0..4.
set -eu
bin=$1 src=$2
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
attack="$src/tests/scripts/attack_moments.py"

if "$py" "$attack" 11 "$src/tests/data/attack/score-change-before-fix.json" \
    >"$tmp/before" 2>&1; then
  cat "$tmp/before"
  echo "the attacker missed the sample-data leak of issue 12" >&2
  exit 1
fi
grep -q "low-pass retakers: withheld lower narrowed to 0..5" "$tmp/before"
grep -q "withheld significantly_higher narrowed to 0..4" "$tmp/before"

"$bin" report "$src"/sample-data/class-*.csv --format json >"$tmp/sample.json"
"$bin" generate --seed 25 --class-size 150 --retake-after-pass 0.12 \
  --out "$tmp/s25" >/dev/null
"$bin" report "$tmp"/s25/*.csv --format json >"$tmp/s25.json"
"$bin" report "$tmp"/s25/*.csv --format json --min-cell 5 >"$tmp/s25-5.json"
for s in $(seq 11 40); do
  "$bin" generate --seed "$s" --out "$tmp/g$s" >/dev/null
  "$bin" report "$tmp/g$s"/*.csv --format json >"$tmp/seed$s.json"
  rm -rf "$tmp/g$s"
done
"$bin" generate --seed 3 --class-size 600 --retake-after-pass 0.15 \
  --out "$tmp/big" >/dev/null
"$bin" report "$tmp"/big/*.csv --format json >"$tmp/big.json"
"$py" "$attack" 11 "$tmp/sample.json" "$tmp/s25.json" "$tmp"/seed*.json \
  "$tmp/big.json"
"$py" "$attack" 5 "$tmp/s25-5.json"
# the rule must not withhold everything: the large class publishes its
# score change (every category shown) and both regressions
"$py" - "$tmp/big.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["score_change"]
assert s["mean"]["estimate"] is not None, "large class: score change withheld"
assert all(c["n"] is not None for c in s["categories"])
assert r["practice_regression"]["intercept"] is not None
assert r["practice_regression_all_retakers"]["intercept"] is not None
assert r["score_change_all_retakers"]["mean"]["estimate"] is not None
print("large class: score change of %d low-pass retakers published" % s["n"])
PY
