#!/usr/bin/env bash
# a refused format writes nothing
[ ! -e sheets.html ]
