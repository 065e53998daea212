#!/usr/bin/env bash
# run_case.sh BIN CASEDIR - run one golden case and diff its output.
# The case folder holds `args` (the command line after "ckcohort", run with
# the case folder as working directory), expected.out, and optionally
# expected.err and expected.status (default 0).  Outputs are compared
# byte for byte; on a difference a unified diff is printed.  An executable
# check.sh runs last in the same folder, with $CKCOHORT_BIN set to the binary.
set -u
bin=$1 dir=$2
export CKCOHORT_BIN=$bin
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$dir"/. "$tmp"/
cd "$tmp" || exit 1
eval "set -- $(cat args)"
"$bin" "$@" >actual.out 2>actual.err
status=$?
want_status=0
[ -f expected.status ] && want_status=$(cat expected.status)
ok=1
if [ "$status" != "$want_status" ]; then
  echo "exit status $status, expected $want_status"; ok=0
fi
if [ -f expected.out ] && ! diff -u expected.out actual.out; then ok=0; fi
if [ -f expected.err ] && ! diff -u expected.err actual.err; then ok=0; fi
if [ -x check.sh ] && ! ./check.sh; then echo "check.sh failed"; ok=0; fi
[ $ok = 1 ]
