#!/usr/bin/env bash
# run_case.sh BIN CASEDIR - run one golden case and diff its output.
# The case folder holds `args` (the command line after "ckcohort", run with
# the case folder as working directory), expected.out, expected.err and
# optionally expected.status (default 0).  Outputs are compared byte for
# byte; on a difference a unified diff is printed.  A missing expected.out
# or expected.err fails the case, unless the case's `ignore` file names
# that stream (a line "stdout" or "stderr": its check.sh looks at it
# instead).  An executable check.sh runs last in the same folder, with
# $CKCOHORT_BIN set to the binary.
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
ignored() { [ -f ignore ] && grep -qx "$1" ignore; }
for s in out:stdout err:stderr; do
  f=expected.${s%%:*} name=${s#*:}
  if [ -f "$f" ]; then
    diff -u "$f" "actual.${s%%:*}" || ok=0
  elif ! ignored "$name"; then
    echo "missing $f (or a line \"$name\" in ignore); the $name was:"
    cat "actual.${s%%:*}"; ok=0
  fi
done
if [ -x check.sh ] && ! ./check.sh; then echo "check.sh failed"; ok=0; fi
[ $ok = 1 ]
