#!/usr/bin/env bash
# test_ask_report_joint.sh BIN SRC - the annual report and every ask sheet
# of the same cohort read together (ask_report_joint.py): on sample-data and
# on a generated cohort, at min_cell 11 and 5; and on the cohort of issue 12,
# leak 3 (seed 7, 400 a year, 10% retakes after a pass), where the report's
# low-pass rows of the forgiving tier minus a sheet's tier group gave 10.
set -eu
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
"$bin" generate --seed 3 --years 2019-2024 --class-size 100 \
  --retake-after-pass 0.2 --out "$tmp/c" >/dev/null
fail=0
for mc in 11 5; do
  /usr/bin/python3 "$src/tests/scripts/ask_report_joint.py" "$bin" "$mc" \
    "$src"/sample-data/class-*.csv || fail=1
  /usr/bin/python3 "$src/tests/scripts/ask_report_joint.py" "$bin" "$mc" \
    "$tmp"/c/*.csv || fail=1
done
"$bin" generate --seed 7 --class-size 400 --retake-after-pass 0.1 \
  --out "$tmp/s7" >/dev/null
/usr/bin/python3 "$src/tests/scripts/ask_report_joint.py" "$bin" 11 \
  "$tmp"/s7/*.csv || fail=1
exit $fail
