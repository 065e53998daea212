#!/usr/bin/env bash
# a refused option writes nothing
[ ! -e out.txt ]
