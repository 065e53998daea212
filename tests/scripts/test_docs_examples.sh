#!/usr/bin/env bash
# test_docs_examples.sh BIN SRCROOT - the commands the README and the man
# page show, run on sample-data/ from the source root, must print exactly
# the recorded outputs in tests/expected/ (scripts/update-golden.sh rewrites
# them for review), and every output line the README quotes must be among
# them, so the documentation cannot drift from the program.
set -uo pipefail
bin=$1 root=$2
cd "$root" || exit 1
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # name status command...
  local name=$1 want=$2
  shift 2
  "$@" >"$tmp/$name.out" 2>&1
  local got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL $name: exit status $got, expected $want"; fail=1
  fi
  if ! diff -u "tests/expected/$name.out" "$tmp/$name.out"; then
    echo "FAIL $name: output differs from tests/expected/$name.out"; fail=1
  fi
}
check validate-sample 0 "$bin" validate --quiet sample-data/class-20{17,18,19,20,21,22,23,24,25,26}.csv
check validate-messy 1 "$bin" validate sample-data/messy/class-2025-export.csv
check report-sample-text 0 "$bin" report sample-data/class-20{17,18,19,20,21,22,23,24,25,26}.csv
check report-sample-md 0 "$bin" report --format md sample-data/class-20{17,18,19,20,21,22,23,24,25,26}.csv
check report-sample-json 0 "$bin" report --format json sample-data/class-20{17,18,19,20,21,22,23,24,25,26}.csv
check report-lookalike 2 "$bin" report sample-data/lookalike/registrar-2024.csv
check validate-mapped 0 "$bin" validate --quiet sample-data/lookalike/registrar-2024.csv --column "Step 2 CK Score (2nd attempt)=step2_attempt_2"

# Every line of the README's text blocks that looks like program output
# must occur in one of the recorded outputs.
awk '/^```text$/{on=1; next} /^```$/{on=0} on' README.md |
  grep -v -e '^\$ ' -e '^ *\.\.\.$' -e '^$' >"$tmp/readme-lines"
cat "$tmp"/*.out >"$tmp/all-out"
while IFS= read -r line; do
  if ! grep -qxF -- "$line" "$tmp/all-out"; then
    echo "FAIL README line not in any output: $line"; fail=1
  fi
done <"$tmp/readme-lines"
[ $fail = 0 ] && echo "docs examples: all outputs and README lines match"
exit $fail
