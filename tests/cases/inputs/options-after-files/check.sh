#!/bin/sh
# Options after the file name are read as options: the rejects CSV is
# written and matches, and no temporary file is left behind.
set -e
diff -u expected-rejects.csv rejects.csv
test ! -e rejects.csv.tmp
n=$(ls -a | grep -c '\.tmp$' || true)
test "$n" = 0
