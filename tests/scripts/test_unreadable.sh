#!/usr/bin/env bash
# test_unreadable.sh BIN SRCDIR - an input without read permission and an
# output folder without write permission fail with a message (exit 2 and
# 3).  Root ignores permission bits, so as root the commands run as user
# nobody through setpriv; without setpriv the test is skipped (exit 77).
set -u
bin=$1
export LC_ALL=C
fail() { echo "FAIL: $*" >&2; exit 1; }
run=()
if [ "$(id -u)" = 0 ]; then
  command -v setpriv >/dev/null || { echo "skipped as root: no setpriv"; exit 77; }
  run=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
fi
tmp=$(mktemp -d /tmp/ck-unreadable-XXXXXX)
trap 'chmod -R u+rwx "$tmp"; rm -rf "$tmp"' EXIT
# The binary must be reachable by nobody: copy it beside the data.
cp "$bin" "$tmp/ckcohort"
chmod 755 "$tmp" "$tmp/ckcohort"
printf 'student_id,match_year,step2_attempt_1,matched\nS1,2024,230,Y\n' >"$tmp/in.csv"
chmod 000 "$tmp/in.csv"
"${run[@]}" "$tmp/ckcohort" validate "$tmp/in.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 2 ] || { cat "$tmp/err"; fail "unreadable input: exit $rc"; }
grep -qx "ckcohort: $tmp/in.csv: cannot open: permission denied" "$tmp/err" ||
  { cat "$tmp/err"; fail "unreadable input: message"; }
chmod 644 "$tmp/in.csv"
mkdir "$tmp/ro"
echo previous >"$tmp/ro/r.txt"
chmod 555 "$tmp/ro"   # nobody may write, the owner included (755 left the owner its write bit)
"${run[@]}" "$tmp/ckcohort" report -o "$tmp/ro/r.txt" "$tmp/in.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 3 ] || { cat "$tmp/err"; fail "read-only folder: exit $rc"; }
grep -q "^ckcohort: $tmp/ro/r.txt: cannot create a file here: Permission denied" "$tmp/err" ||
  { cat "$tmp/err"; fail "read-only folder: message"; }
[ "$(cat "$tmp/ro/r.txt")" = previous ] || fail "previous output changed"
[ "$(ls "$tmp/ro")" = r.txt ] || fail "temporary left in the read-only folder"
echo ok
