#!/bin/sh
# A header without rows is a report of zero rows, not an error.  (Only the
# provenance is checked: the rest of the report belongs to other tests.)
set -e
grep -q '^read  *0$' actual.out
grep -q '^rejected  *0$' actual.out
grep -q 'header.csv: 0 rows read, 0 accepted, 0 excluded, 0 rejected' actual.out
