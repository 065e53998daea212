#!/usr/bin/env bash
# test_outputs.sh BIN SRCDIR - output files are whole or untouched:
# refused when they are an input (same name, symbolic link, hard link);
# a failed or interrupted run leaves the previous file and no temporary;
# devices are written in place (/dev/full fails with exit 3 and stays a
# device); a symbolic link given as output keeps pointing at the new file.
set -u
bin=$1 src=$2
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
no_temp() { ! ls -A "$1" | grep -q '\.tmp' || fail "temporary left in $1: $(ls -A "$1")"; }
cd "$tmp" || exit 1
cp "$src"/sample-data/class-2024.csv in.csv
sum=$(sha256sum in.csv)
ln -s in.csv sym.csv
ln in.csv hard.csv
for out in in.csv ./in.csv sym.csv hard.csv "$tmp/in.csv"; do
  for cmd in "report -o $out" "validate --rejects $out"; do
    $bin $cmd in.csv >/dev/null 2>err
    rc=$?
    [ $rc = 2 ] || fail "$cmd: exit $rc"
    grep -q "refusing to overwrite it" err || { cat err; fail "$cmd: message"; }
  done
done
# The settings file is an input too, for every command that writes a file.
cp "$src/tests/cases/config/overrides/site.ini" site.ini
ini_sum=$(sha256sum site.ini)
$bin report --config site.ini -o ./site.ini in.csv 2>err
[ $? = 2 ] || fail "report -o = --config"
if $bin ask --help >/dev/null 2>&1; then
  $bin ask in.csv --score 220 --config site.ini -o site.ini 2>err
  [ $? = 2 ] || fail "ask -o = --config"
fi
if $bin export --help >/dev/null 2>&1; then
  mkdir exp && cp site.ini exp/groups.csv
  $bin export --config exp/groups.csv --out exp in.csv 2>err
  [ $? = 2 ] || { cat err; fail "export over --config"; }
  cmp -s exp/groups.csv site.ini || fail "export overwrote --config"
  no_temp exp
fi
[ "$(sha256sum site.ini)" = "$ini_sum" ] || fail "settings file changed"

# the input named through a link, the output by its own name
$bin report -o in.csv sym.csv >/dev/null 2>err && fail "input via symlink overwritten"
[ "$(sha256sum in.csv)" = "$sum" ] || fail "input changed"
[ -L sym.csv ] || fail "symlink replaced"
no_temp .

# A failed run (unusable input) leaves the previous output as it was.
printf '\xff\xfei\0d\0\n\0' >utf16.csv
echo previous >report.txt
$bin report -o report.txt utf16.csv 2>err
[ $? = 2 ] || fail "utf16 input: exit"
[ "$(cat report.txt)" = previous ] || fail "previous report changed"
echo previous >rejects.csv
$bin validate --rejects rejects.csv utf16.csv >/dev/null 2>err
[ $? = 2 ] || fail "validate utf16: exit"
# validate still writes what it found (no rejected rows) in one piece
[ "$(cat rejects.csv)" = "file,line,column,value,reason,row" ] || fail "rejects content"
no_temp .

# /dev/full: exit 3, a message, and the device is still a device.
for cmd in "report -o /dev/full in.csv" "validate --rejects /dev/full in.csv" \
           "config --config /dev/null"; do
  if [ "${cmd%% *}" = config ]; then $bin $cmd >/dev/full 2>err; else $bin $cmd >/dev/null 2>err; fi
  rc=$?
  [ $rc = 3 ] || fail "$cmd: exit $rc"
  grep -q "^ckcohort: .*No space left on device\|^ckcohort: cannot write standard output" err ||
    { cat err; fail "$cmd: message"; }
  [ -c /dev/full ] || fail "/dev/full is no longer a character device"
done
$bin report in.csv >/dev/full 2>err
[ $? = 3 ] || fail "report >/dev/full: exit"

# Standard output closed: exit 3 with a message, and the listing does not
# leak into the rejects file (which would otherwise get descriptor 1).
printf 'student_id,match_year,step2_attempt_1,matched\nR1,2024\n' >ragged.csv
$bin validate --rejects rej.csv "$src"/sample-data/class-*.csv ragged.csv >&- 2>err
[ $? = 3 ] || fail "closed stdout: exit"
grep -qx "ckcohort: cannot write standard output" err || { cat err; fail "closed stdout: message"; }
[ "$(wc -l <rej.csv)" = 2 ] || { head -3 rej.csv; fail "closed stdout: listing leaked into rej.csv"; }
$bin report in.csv >&- 2>err
[ $? = 3 ] || fail "report, closed stdout: exit"

# A symbolic link as output: the file it names is replaced, the link kept.
echo old >target.txt
ln -s target.txt latest.txt
$bin report -o latest.txt in.csv || fail "report -o link"
[ -L latest.txt ] || fail "link replaced by a file"
grep -q "ckcohort report" target.txt || fail "target not written"
# /dev/stdout when standard output is a file: the file gets the report and
# /dev/stdout stays a link.
$bin report -o /dev/stdout in.csv >so.txt || fail "-o /dev/stdout"
cmp -s so.txt target.txt || fail "-o /dev/stdout content"
[ -L /dev/stdout ] || fail "/dev/stdout replaced"
$bin report -o /dev/stdout in.csv | cmp -s - target.txt || fail "-o /dev/stdout pipe"
no_temp .

# Interrupted: SIGTERM during a long write leaves no temporary behind.
mkdir gen
$bin generate --seed 1 --years 2024-2024 --rows 20000000 --out gen >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do ls gen | grep -q tmp && break; sleep 0.05; done
kill -TERM $pid
wait $pid
rc=$?
[ $rc = 143 ] || fail "generate killed: exit $rc (finished too soon?)"
no_temp gen
[ -z "$(ls gen)" ] || fail "a partial file was left: $(ls gen)"
echo ok
