#!/bin/sh
# one whole entry, no temporary file, no student ID
set -e
ls -A led | sort | tr "\n" " " | grep -qx ".lock 000001-report.json "
grep -q "\"sha256\"" led/000001-report.json
! grep -qE "\"a[0-9]\"|a[0-9],20" led/000001-report.json
