#!/bin/sh
# The report names the column it did not read (its name only: no value of
# it appears anywhere); -o report.txt picks the text format by its extension.
set -e
tr "\n" " " <report.txt | tr -s " " | grep -q "columns not used: \"Advisor notes\""
! grep -q "private remark" report.txt
