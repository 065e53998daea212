#!/bin/sh
# The rejects CSV matches, and no temporary file is left behind.
set -e
diff -u expected-rejects.csv rejects.csv
test ! -e rejects.csv.tmp
n=$(ls -a | grep -c '\.tmp$' || true)
test "$n" = 0
