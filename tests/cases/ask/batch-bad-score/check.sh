#!/usr/bin/env bash
# the earlier output stays whole: nothing is written over it
[ "$(cat out.json)" = "an earlier output" ]
