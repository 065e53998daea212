#!/bin/sh
# The rejects file is as expected, has exactly `rejected` rows (as the csv
# module reads it), and no temporary file is left behind.
set -e
cmp expected-rejects.csv rejects.csv
rejected=$(sed -n 's/^read .*rejected \([0-9]*\),.*/\1/p' actual.out)
rows=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape"))) - 1)' rejects.csv)
[ "$rows" = "$rejected" ] || { echo "rejects.csv has $rows rows, summary says $rejected"; exit 1; }
[ -z "$(ls -A | grep '\.tmp')" ]
