#!/usr/bin/env bash
# test_run_case.sh BIN SRC - the golden-case runner itself: a case passes
# only when every stream matches; a missing expected.out or expected.err
# fails it unless its `ignore` file names that stream; a wrong exit status
# fails it; CK_UPDATE_GOLDEN=1 writes the expected files, but not an
# ignored stream's.
set -u
bin=$1 src=$2
run=$src/tests/run_case.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
c=$tmp/case
mkdir "$c"
echo 'validate --quiet in.csv' >"$c/args"
printf 'student_id,match_year,step2_attempt_1,matched\nS1,2024,230,Y\n' >"$c/in.csv"
want_out='read 1, accepted 1, excluded 0, rejected 0, warnings 0'
# no expected files at all: fails, and says which is missing
bash "$run" "$bin" "$c" >"$tmp/log" 2>&1 && fail "case without expected files passed"
grep -q 'missing expected.out' "$tmp/log" || fail "no word of the missing expected.out: $(cat "$tmp/log")"
echo "$want_out" >"$c/expected.out"
bash "$run" "$bin" "$c" >"$tmp/log" 2>&1 && fail "case without expected.err passed"
grep -q 'missing expected.err' "$tmp/log" || fail "no word of the missing expected.err"
: >"$c/expected.err"
bash "$run" "$bin" "$c" >"$tmp/log" 2>&1 || fail "complete case failed: $(cat "$tmp/log")"
# a stdout difference fails
echo 'read 2' >"$c/expected.out"
bash "$run" "$bin" "$c" >/dev/null 2>&1 && fail "wrong expected.out passed"
# ignoring stdout: no expected.out needed, and updating leaves it absent
rm "$c/expected.out"
echo stdout >"$c/ignore"
bash "$run" "$bin" "$c" >"$tmp/log" 2>&1 || fail "ignored stdout still checked: $(cat "$tmp/log")"
CK_UPDATE_GOLDEN=1 bash "$run" "$bin" "$c" || fail "update failed"
[ -e "$c/expected.out" ] && fail "update wrote an ignored stream"
rm "$c/ignore"
CK_UPDATE_GOLDEN=1 bash "$run" "$bin" "$c" || fail "update failed"
[ "$(cat "$c/expected.out")" = "$want_out" ] || fail "update wrote $(cat "$c/expected.out")"
[ -e "$c/expected.status" ] && fail "update wrote a status file for exit 0"
# a wrong exit status fails
echo 2 >"$c/expected.status"
bash "$run" "$bin" "$c" >"$tmp/log" 2>&1 && fail "wrong exit status passed"
grep -q 'exit status 0, expected 2' "$tmp/log" || fail "no word of the status: $(cat "$tmp/log")"
echo "ok: missing streams, differences and statuses fail; ignore and update behave"
