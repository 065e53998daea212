#!/bin/sh
# nothing written, the ledger as it was
set -e
[ ! -e out.txt ]
[ "$(ls led)" = 000001-report.json ]
