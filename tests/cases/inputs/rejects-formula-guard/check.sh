#!/bin/sh
# The rejects CSV matches (every cell from the input that starts with = + - @
# tab or CR carries a leading single quote, as export writes), and no temporary file is left behind.
set -e
diff -u expected-rejects.csv rejects.csv
test ! -e rejects.csv.tmp
n=$(ls -a | grep -c '\.tmp$' || true)
test "$n" = 0
