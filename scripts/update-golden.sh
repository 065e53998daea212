#!/usr/bin/env bash
# update-golden.sh [BIN] - rewrite tests/expected/ from the current build, for
# review with `git diff` before committing.  Never run in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/ckcohort}
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
files=(sample-data/class-20{17,18,19,20,21,22,23,24,25,26}.csv)
mkdir -p tests/expected
"$bin" validate --quiet "${files[@]}" >tests/expected/validate-sample.out 2>&1 || true
"$bin" validate sample-data/messy/class-2025-export.csv >tests/expected/validate-messy.out 2>&1 || true
"$bin" report "${files[@]}" >tests/expected/report-sample-text.out 2>&1
"$bin" report --format md "${files[@]}" >tests/expected/report-sample-md.out 2>&1
"$bin" report --format json "${files[@]}" >tests/expected/report-sample-json.out 2>&1
# golden cases: rewrite the expected files a case already has
for d in tests/cases/*/*/; do
  tmp=$(mktemp -d)
  cp -r "$d". "$tmp"/
  (cd "$tmp" && eval "set -- $(cat args)" && "$OLDPWD/$bin" "$@" >actual.out 2>actual.err) || true
  [ -f "$d/expected.out" ] && cp "$tmp/actual.out" "$d/expected.out"
  [ -f "$d/expected.err" ] && cp "$tmp/actual.err" "$d/expected.err"
  rm -rf "$tmp"
done
# ask sheets (tests/scripts/test_ask_sheets.sh)
ask() { local want=$1; shift; "$bin" ask "${files[@]}" "$@" >"tests/scripts/ask/$want"; }
ask em-216.out --score 216 --practice 238 --specialty EM
ask fail-205.out --score 205 --practice 225
ask im-250.out --score 250 --specialty "Internal Medicine"
ask derm-218.out --score 218 --specialty Dermatology --weeks 8
ask unknown-216.md --score 216 --specialty "Space Medicine" --format md
ask em-216.json --score 216 --practice 238 --specialty EM --format json
ask em-216.html --score 216 --practice 238 --specialty EM --format html
git status --short tests/expected tests/cases tests/scripts/ask
