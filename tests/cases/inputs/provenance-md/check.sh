#!/bin/sh
# The report names the column it did not read (its name only: no value of
# it appears anywhere); -o report.md picks the md format by its extension.
set -e
grep -q "columns not used: \"Advisor notes\"" report.md
! grep -q "private remark" report.md
