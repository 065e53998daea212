#!/usr/bin/env bash
# run_case.sh BIN CASEDIR - run one golden case and diff its output.
# The case folder holds `args` (the command line after "ckcohort"),
# expected.out, expected.err and optionally expected.status (default 0).
# The command runs in a scratch copy of the case folder, or, when the case
# has a file `from-root`, in the source tree (for the commands the README
# and the man page show on sample-data/; such a case must not write files).
# Outputs are compared byte for byte; on a difference a unified diff is
# printed.  A missing expected.out or expected.err fails the case, unless
# the case's `ignore` file names that stream (a line "stdout" or "stderr":
# its check.sh looks at it instead).  An executable check.sh runs last in
# the scratch folder, with $CKCOHORT_BIN set to the binary.
# With CK_UPDATE_GOLDEN=1 the case's expected files are rewritten from the
# run instead (scripts/update-golden.sh), except streams named in `ignore`.
set -u
bin=$1 dir=$(cd "$2" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
export CKCOHORT_BIN=$bin
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$dir"/. "$tmp"/
run_in=$tmp
[ -f "$dir/from-root" ] && run_in=$root
cd "$run_in" || exit 1
eval "set -- $(cat "$dir/args")"
"$bin" "$@" >"$tmp/actual.out" 2>"$tmp/actual.err"
status=$?
cd "$tmp" || exit 1
ignored() { [ -f ignore ] && grep -qx "$1" ignore; }
if [ "${CK_UPDATE_GOLDEN:-0}" = 1 ]; then
  for s in out:stdout err:stderr; do
    ignored "${s#*:}" || cp "actual.${s%%:*}" "$dir/expected.${s%%:*}"
  done
  # an exit status of 0 needs no file; one that is there is kept current
  if [ "$status" != 0 ] || [ -f "$dir/expected.status" ]; then
    echo "$status" >"$dir/expected.status"
  fi
  exit 0
fi
want_status=0
[ -f expected.status ] && want_status=$(cat expected.status)
ok=1
if [ "$status" != "$want_status" ]; then
  echo "exit status $status, expected $want_status"; ok=0
fi
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
