#!/bin/sh
# A typed specialty one swap from Pediatrics is not taken for it (the
# sheet keeps the name as typed, without a tier) but the sheet asks; the
# JSON says it in specialty.did_you_mean.
set -e
grep -q '"did_you_mean": "Pediatrics"' sheet.json
grep -q '"known": false' sheet.json
"$CKCOHORT_BIN" ask in.csv --score 216 --specialty "Pediatircs" \
  --date 2024-01-01 >sheet.txt
tr '\n' ' ' <sheet.txt | grep -q 'target Pediatircs (not in the specialty table: no tier; did you mean *Pediatrics?)'
