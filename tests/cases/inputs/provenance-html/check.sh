#!/bin/sh
# The report names the column it did not read (its name only: no value of
# it appears anywhere); -o report.html picks the html format by its extension.
set -e
head -c 15 report.html | grep -qi "<!doctype html" && grep -q "columns not used: &quot;Advisor notes&quot;\|columns not used: \"Advisor notes\"" report.html
! grep -q "private remark" report.html
