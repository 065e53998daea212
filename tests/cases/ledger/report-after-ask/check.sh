#!/bin/sh
# a report of another population than a recorded sheet's is refused:
# nothing written, the ledger as it was
set -e
[ ! -e out.txt ]
[ "$(ls led)" = 000001-ask.json ]
