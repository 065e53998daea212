#!/usr/bin/env bash
# refused before anything is read or written
[ ! -e rej.csv ]
