#!/bin/sh
# the ledger beside the settings file
set -e
[ -f conf/ledger/000001-report.json ]
[ ! -e ledger ]
