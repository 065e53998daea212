#!/usr/bin/env bash
# test_hostile_big.sh BIN SRCDIR - inputs too big to commit, made here:
# a 10 MB field (rejected by the 64 KiB field cap, with bounded memory),
# 10,000 columns (in the header: refused; in a row: rejected), a file that
# grows while it is read, and a FIFO fed by a writer.  Each run must end
# with a clear message and consistent accounting, never a crash.
set -u
bin=$1 src=$2
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
H='student_id,match_year,step2_attempt_1,matched'
# summary FILE: "read accepted excluded rejected" from validate's output
summary() { sed -n 's/^read \([0-9]*\), accepted \([0-9]*\), excluded \([0-9]*\), rejected \([0-9]*\),.*/\1 \2 \3 \4/p' "$1"; }
identity() {
  set -- $(summary "$1")
  [ $# = 4 ] || fail "no summary line in $1"
  [ "$1" = $(($2 + $3 + $4)) ] || fail "read $1 != $2 + $3 + $4"
}
# The CLI sanitizer build reports its own memory; /usr/bin/time needs a plain one.
plain=1
source "$(dirname "$0")/sanitizer_lib.sh"
[ -n "$(sanitizer_of "$bin")" ] && plain=0

# --- a 10 MB field ------------------------------------------------------
python3 - "$tmp/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("student_id,match_year,step2_attempt_1,matched,notes\n")
    f.write("B1,2024,230,Y,ok\n")
    f.write('B2,2024,231,Y,"' + "x" * (10 * 1024 * 1024) + '"\n')
    f.write("B3,2024,232,Y," + "y" * (10 * 1024 * 1024) + "\n")
    f.write("B4,2024,233,N,ok\n")
PY
if [ $plain = 1 ] && [ -x /usr/bin/time ]; then
  /usr/bin/time -v "$bin" validate --rejects "$tmp/rej.csv" "$tmp/big.csv" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/err")
  echo "10 MB fields: peak RSS ${rss} KiB"
  [ "${rss:-999999}" -lt 65536 ] || fail "peak RSS ${rss} KiB for a 20 MB file"
else
  "$bin" validate --rejects "$tmp/rej.csv" "$tmp/big.csv" >"$tmp/out" 2>"$tmp/err"
  rc=$?
fi
[ $rc = 1 ] || { cat "$tmp/err"; fail "10 MB field: exit $rc"; }
identity "$tmp/out"
grep -qx 'big.csv:3: field longer than 65536 bytes' <(sed "s|$tmp/||" "$tmp/out") ||
  { cat "$tmp/out"; fail "10 MB quoted field not rejected as too long"; }
grep -qx 'big.csv:4: field longer than 65536 bytes' <(sed "s|$tmp/||" "$tmp/out") ||
  fail "10 MB unquoted field not rejected as too long"
[ "$(summary "$tmp/out")" = "4 2 0 2" ] || fail "10 MB: counts $(summary "$tmp/out")"
# The rejects file keeps at most 1 MiB of each row.
[ "$(stat -c %s "$tmp/rej.csv")" -lt $((3 * 1024 * 1024)) ] || fail "rejects file too big"

# --- 10,000 columns -------------------------------------------------------
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
extra = ",".join("c%d" % i for i in range(9996))
open(d + "/wide-header.csv", "w").write(
    "student_id,match_year,step2_attempt_1,matched," + extra + "\nW1,2024,230,Y" + "," * 9996 + "\n")
open(d + "/wide-row.csv", "w").write(
    "student_id,match_year,step2_attempt_1,matched\nW1,2024,230,Y\nW2,2024,230,Y" + ",z" * 9996 + "\nW3,2024,231,N\n")
PY
"$bin" validate "$tmp/wide-header.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 2 ] || fail "10,000-column header: exit $rc"
grep -qx "ckcohort: $tmp/wide-header.csv:1: header row has 10000 fields, more than 4096" "$tmp/err" ||
  { cat "$tmp/err"; fail "10,000-column header: message"; }
"$bin" validate "$tmp/wide-row.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] || fail "10,000-field row: exit $rc"
grep -qx "$tmp/wide-row.csv:3: row has 10000 fields, header has 4" "$tmp/out" ||
  { cat "$tmp/out"; fail "10,000-field row: message"; }
[ "$(summary "$tmp/out")" = "3 2 0 1" ] || fail "10,000 fields: counts $(summary "$tmp/out")"

# A row of 24 fields, 20 of 60,000 bytes: each under the field cap, together
# over the 1 MiB row cap.
python3 - "$tmp/long-row.csv" <<'PY'
import sys
cols = ["student_id", "match_year", "step2_attempt_1", "matched"] + ["n%d" % i for i in range(20)]
with open(sys.argv[1], "w") as f:
    f.write(",".join(cols) + "\n")
    f.write("L1,2024,230,Y" + ",x" * 20 + "\n")
    f.write("L2,2024,230,Y" + ("," + "y" * 60000) * 20 + "\n")
PY
"$bin" validate "$tmp/long-row.csv" >"$tmp/out" 2>"$tmp/err"
[ $? = 1 ] || fail "1 MiB row: exit"
grep -qx "$tmp/long-row.csv:3: row longer than 1048576 bytes" "$tmp/out" ||
  { cat "$tmp/out"; fail "1 MiB row: message"; }
[ "$(summary "$tmp/out")" = "2 1 0 1" ] || fail "1 MiB row: counts"

# --- a file that grows while it is read ----------------------------------
"$bin" generate --seed 5 --years 2020-2020 --rows 200000 --out "$tmp/g" >/dev/null ||
  fail "generate"
f=$(ls "$tmp"/g/*.csv)
( for i in $(seq 1 200); do
    printf 'X%05d,2020,230,Y\n' "$i" >>"$f"   # ragged: rejected, never lost
  done ) &
writer=$!
"$bin" validate --quiet "$f" >"$tmp/out" 2>"$tmp/err"
rc=$?
wait $writer
case $rc in 0|1) ;; *) cat "$tmp/err"; fail "growing file: exit $rc";; esac
identity "$tmp/out"
set -- $(summary "$tmp/out")
[ "$1" -ge 200000 ] && [ "$1" -le 200200 ] || fail "growing file: read $1"
echo "growing file: read $1 rows (200000 at the start, 200 appended meanwhile)"

# --- a FIFO fed by a writer ----------------------------------------------
mkfifo "$tmp/fifo.csv"
head -n 5001 "$f" >"$tmp/part.csv"
cat "$tmp/part.csv" >"$tmp/fifo.csv" &
writer=$!
"$bin" validate --quiet "$tmp/fifo.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
wait $writer
[ $rc = 0 ] || { cat "$tmp/err"; fail "FIFO: exit $rc"; }
[ "$(summary "$tmp/out")" = "5000 5000 0 0" ] || fail "FIFO: counts $(summary "$tmp/out")"
# A file truncated while read: whatever is read is accounted for.
cp "$f" "$tmp/t.csv"
( sleep 0.05; truncate -s 100000 "$tmp/t.csv" ) &
"$bin" validate --quiet "$tmp/t.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
wait
case $rc in 0|1) ;; *) cat "$tmp/err"; fail "truncated file: exit $rc";; esac
identity "$tmp/out"
echo ok
