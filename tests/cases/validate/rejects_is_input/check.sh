#!/bin/sh
# The input is left untouched (BOM and all) and no temporary file is made.
set -e
head -c 3 class-2024.csv | od -An -tx1 | grep -q 'ef bb bf'
test -z "$(ls -A | grep '\.tmp')"
