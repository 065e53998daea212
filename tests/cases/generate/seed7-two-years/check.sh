#!/usr/bin/env bash
# The files match the recorded SHA-256 (same bytes on every machine) and a
# second run gives the same bytes; no temporary file is left behind.
set -eu
(cd out && sha256sum -c --quiet ../expected.sha256)
[ -z "$(find out -name '*.tmp')" ]
"$CKCOHORT_BIN" generate --seed 7 --years 2023-2024 --class-size 20 --out again >/dev/null
cmp out/class-2023.csv again/class-2023.csv
cmp out/class-2024.csv again/class-2024.csv
