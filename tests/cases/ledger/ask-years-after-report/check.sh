#!/bin/sh
# last year's students asked again after this year's report: every file
# with last year's --years (next.csv gives no applicant then) is the
# population of the recorded sheet, checked against the report too, and
# recorded
set -e
[ "$(ls led | tr '\n' ' ')" = "000001-ask.json 000002-report.json 000003-ask.json " ]
grep -q "checked against 2 earlier releases" actual.out
grep -q "Match year 2023\." actual.out
