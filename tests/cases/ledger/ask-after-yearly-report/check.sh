#!/bin/sh
# the sheet is checked with the earlier (smaller) release and recorded
set -e
[ "$(ls led | tr '\n' ' ')" = "000001-report.json 000002-ask.json " ]
grep -q "checked against 1 earlier release" actual.out
