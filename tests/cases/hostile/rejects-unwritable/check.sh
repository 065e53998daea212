#!/bin/sh
# A failed write leaves no temporary file, and /dev/full is still the device.
set -e
[ -z "$(ls -A | grep '\.tmp')" ]
[ -c /dev/full ]
