#!/bin/sh
set -e
[ ! -e out.txt ]
