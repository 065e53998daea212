#!/bin/sh
# What config prints loads back to the same settings, mappings included.
set -e
"$CKCOHORT_BIN" config --config columns.ini >printed.ini
"$CKCOHORT_BIN" config --config printed.ini >again.ini
cmp printed.ini again.ini
grep -qx "Step 2 CK Score (2nd attempt) = step2_attempt_2" again.ini
