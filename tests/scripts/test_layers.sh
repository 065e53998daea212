#!/usr/bin/env bash
# test_layers.sh BIN SRCDIR - the include graph points one way
# (check_layers.py says which way).
set -eu
exec /usr/bin/python3 "$2/tests/scripts/check_layers.py" "$2"
