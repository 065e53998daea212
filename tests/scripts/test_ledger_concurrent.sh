#!/usr/bin/env bash
# test_ledger_concurrent.sh BIN SRCROOT - runs sharing one release ledger
# take turns: three reports started at once leave three whole entries
# (000001..000003), no temporary file, and each run after the first is
# checked against every release recorded before it.
set -euo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
files=("$root"/sample-data/class-20*.csv)
pids=()
for y in 2024 2025 2026; do
  "$bin" report --releases "$tmp/led" --years "2017-$y" "${files[@]}" \
    >"$tmp/$y.txt" 2>"$tmp/$y.err" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
ls -A "$tmp/led"
[ "$(ls -A "$tmp/led" | tr '\n' ' ')" = ".lock 000001-report.json 000002-report.json 000003-report.json " ]
for f in "$tmp"/led/0*.json; do
  /usr/bin/python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); assert e["ckcohort_release"]==1' "$f"
done
# runs took turns: one was first, the others saw 1 and 2 earlier releases
got=$(cat "$tmp"/20*.txt | tr '\n' ' ' | grep -oE 'The first release in its release|Checked against [0-9]+ earlier' | sort | tr '\n' ';')
echo "$got"
[ "$got" = "Checked against 1 earlier;Checked against 2 earlier;The first release in its release;" ]
echo ok
