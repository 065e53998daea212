#!/bin/sh
set -e
[ -f led/000001-export.json ] && [ -f led/000002-report.json ]
grep -q "Checked against 1 earlier release" actual.out
