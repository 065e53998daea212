#!/usr/bin/env bash
# test_docs_examples.sh BIN SRCROOT - the README cannot drift from the
# program: every line of the README's text blocks that looks like program
# output must occur in the recorded output of a golden case in
# tests/cases/docs/ (the commands the README and the man page show, run on
# sample-data/ from the source root; tests/run_case.sh checks those outputs
# byte for byte and scripts/update-golden.sh rewrites them for review).
set -uo pipefail
bin=$1 root=$2
cd "$root" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
[ -x "$bin" ] || { echo "FAIL: no binary $bin"; exit 1; }
cat tests/cases/docs/*/expected.out tests/cases/docs/*/expected.err >"$tmp/all-out"
[ -s "$tmp/all-out" ] || { echo "FAIL: no recorded outputs in tests/cases/docs"; exit 1; }
awk '/^```text$/{on=1; next} /^```$/{on=0} on' README.md |
  grep -v -e '^\$ ' -e '^ *\.\.\.$' -e '^$' >"$tmp/readme-lines"
n=0
while IFS= read -r line; do
  n=$((n + 1))
  if ! grep -qxF -- "$line" "$tmp/all-out"; then
    echo "FAIL README line not in any output: $line"; fail=1
  fi
done <"$tmp/readme-lines"
[ "$n" -gt 0 ] || { echo "FAIL: no README output lines found"; fail=1; }
[ $fail = 0 ] && echo "docs examples: all $n README output lines are in tests/cases/docs"
exit $fail
