#!/bin/sh
# A ragged row is rejected and counted in the report; the report goes on.
set -e
grep -q '^read  *4$' actual.out
grep -q '^accepted  *3$' actual.out
grep -q '^rejected  *1$' actual.out
grep -q 'ragged.csv: 4 rows read, 3 accepted, 0 excluded, 1 rejected' actual.out
