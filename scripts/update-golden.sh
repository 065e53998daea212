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
"$bin" report sample-data/lookalike/registrar-2024.csv >tests/expected/report-lookalike.out 2>&1 || true
"$bin" validate --quiet sample-data/lookalike/registrar-2024.csv --column "Step 2 CK Score (2nd attempt)=step2_attempt_2" >tests/expected/validate-mapped.out 2>&1
# golden cases: rewrite each case's expected.out/.err/.status from a run as
# tests/run_case.sh does it (streams named in the case's `ignore` are left
# alone)
bin_abs=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
for dir in tests/cases/*/*/; do
  [ -f "$dir/args" ] || continue
  tmp=$(mktemp -d)
  cp -r "$dir"/. "$tmp"/
  (cd "$tmp" && eval "set -- $(cat args)" && rc=0 &&
   { CKCOHORT_BIN=$bin_abs "$bin_abs" "$@" >actual.out 2>actual.err || rc=$?; } &&
   echo "$rc" >actual.status)
  for s in out:stdout err:stderr; do
    [ -f "$dir/ignore" ] && grep -qx "${s#*:}" "$dir/ignore" && continue
    cp "$tmp/actual.${s%%:*}" "$dir/expected.${s%%:*}"
  done
  # an exit status of 0 needs no file; one that is there is kept current
  if [ "$(cat "$tmp/actual.status")" != 0 ] || [ -f "$dir/expected.status" ]; then
    cp "$tmp/actual.status" "$dir/expected.status"
  fi
  rm -rf "$tmp"
done
# ask sheets (tests/scripts/test_ask_sheets.sh)
while read -r want args; do
  eval "set -- $args"
  "$bin" ask "${files[@]}" "$@" >"tests/scripts/ask/$want"
done <tests/scripts/ask/sheets.txt
git status --short tests/expected tests/cases tests/scripts/ask
