#!/usr/bin/env bash
# update-golden.sh [BIN] - rewrite the golden cases' expected outputs
# (tests/cases/*/*/expected.out, .err, .status) from the current build, for
# review with `git diff` before committing.  Never run in CI.  Each case runs
# exactly as tests/run_case.sh runs it (CK_UPDATE_GOLDEN=1); streams named
# in a case's `ignore` file are left alone.
set -euo pipefail
case ${1:-} in
-h | --help)
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
  ;;
-*)
  echo "update-golden.sh: unknown option '$1' (usage: update-golden.sh [BIN])" >&2
  exit 2
  ;;
esac
cd "$(dirname "$0")/.."
bin=${1:-build/ckcohort}
# a missing or non-executable BIN would write its error into every case
if [ ! -x "$bin" ] || [ -d "$bin" ]; then
  echo "update-golden.sh: $bin is not an executable (build first, or name BIN)" >&2
  exit 2
fi
bin_abs=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
for dir in tests/cases/*/*/; do
  [ -f "$dir/args" ] || continue
  CK_UPDATE_GOLDEN=1 tests/run_case.sh "$bin_abs" "$dir"
done
git status --short tests/cases
