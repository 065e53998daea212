#!/usr/bin/env bash
# a refused questions file writes nothing
[ ! -e out.txt ]
