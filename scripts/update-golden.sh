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
while read -r want args; do
  eval "set -- $args"
  "$bin" ask "${files[@]}" "$@" >"tests/scripts/ask/$want"
done <tests/scripts/ask/sheets.txt
git status --short tests/expected tests/cases tests/scripts/ask
