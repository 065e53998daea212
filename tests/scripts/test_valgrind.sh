#!/usr/bin/env bash
# test_valgrind.sh BIN SRCDIR - the commands under valgrind memcheck: zero
# errors and zero leaks (every leak kind counts) on sample-data, the messy
# export and hostile-corpus files, including failing runs.  Only for the
# plain build: a sanitizer build is skipped (exit 77), as is a machine
# without valgrind.
set -u
bin=$1 src=$2
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
command -v valgrind >/dev/null || { echo "skipped: no valgrind"; exit 77; }
source "$(dirname "$0")/sanitizer_lib.sh"
if [ -n "$(sanitizer_of "$bin")" ]; then
  echo "skipped: sanitizer build (valgrind runs in the plain tree)"; exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
h=$src/tests/cases/hostile
n=0
# vg EXPECTED-STATUS ARGS...
vg() {
  local want=$1; shift
  n=$((n + 1))
  local log=$tmp/vg.$n.log
  valgrind --quiet --leak-check=full --show-leak-kinds=all \
    --errors-for-leak-kinds=all --error-exitcode=99 --track-fds=no \
    --log-file="$log" "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ $rc = 99 ] && { cat "$log" >&2; fail "valgrind errors: $*"; }
  [ "$rc" = "$want" ] || { cat "$tmp/err" "$log" >&2; fail "exit $rc, expected $want: $*"; }
  # --quiet prints nothing at all when there are no errors and no leaks.
  [ -s "$log" ] && { cat "$log" >&2; fail "valgrind reported: $*"; }
  return 0
}
cd "$tmp" || exit 1
vg 0 --help
vg 0 config
vg 0 config --config "$src/tests/cases/config/overrides/site.ini"
vg 2 config --config "$src/tests/cases/config/bad-min-cell/bad.ini"
vg 0 validate "$src"/sample-data/class-*.csv
vg 1 validate --rejects rej.csv "$src"/sample-data/messy/*.csv
vg 1 validate --rejects rej.csv "$h"/nul-bytes/nul.csv "$h"/invalid-utf8/latin1.csv \
  "$h"/ragged/ragged.csv "$h"/stray-quote/stray.csv "$h"/unterminated-quote/open.csv
vg 2 validate "$h"/utf16-le/le.csv "$h"/binary/data.csv "$h"/xlsx/book.csv \
  "$h"/empty/empty.csv "$h"/alias-collision/alias.csv nothere.csv .
vg 3 validate --rejects /dev/full "$h"/nul-bytes/nul.csv
# header mapping (issue 14): the look-alike stop, --column, [columns],
# every missing column named, unused columns in the provenance
i=$src/tests/cases/inputs
vg 2 report "$src"/sample-data/lookalike/registrar-2024.csv
vg 0 report --format json -o m.json --column "Step 2 CK Score (2nd attempt)=step2_attempt_2" \
  "$src"/sample-data/lookalike/registrar-2024.csv
vg 0 validate --quiet --config "$i"/config-columns-section/columns.ini "$i"/config-columns-section/export.csv
vg 0 config --config "$i"/config-shows-columns/columns.ini
vg 2 validate "$i"/missing-all-required/a.csv
vg 1 validate --rejects rej.csv "$i"/r-write-csv/r.csv "$i"/rejects-formula-guard/a.csv
for fmt in text md json; do
  vg 0 report --format $fmt -o "r.$fmt" "$src"/sample-data/class-*.csv "$src"/sample-data/messy/*.csv
done
vg 0 report --exact --min-cell 3 "$h"/ragged-report/ragged.csv
vg 2 report "$h"/utf16-report/le.csv
vg 3 report -o /dev/full "$src"/sample-data/class-2024.csv
if "$bin" report --format html "$src"/sample-data/class-2024.csv >/dev/null 2>&1; then
  vg 0 report --format html -o r.html "$src"/sample-data/class-*.csv
fi
if "$bin" report --help 2>&1 | grep -q -- --releases; then
  # a release ledger: read, checked against, recorded (one class read
  # twice, 17 s; two populations nest a program valgrind takes 70 s over,
  # and the ASan tree runs those in test_ledger_*)
  mkdir -p led
  vg 0 report --releases led -o r1.txt "$src"/sample-data/class-2026.csv
  vg 0 report --releases led --format json -o r2.json "$src"/sample-data/class-2026.csv
  [ "$(ls led | grep -c 'report\.json$')" = 2 ] || fail "ledger: not 2 entries"

fi
if "$bin" export --help >/dev/null 2>&1; then
  vg 0 export --excel --out exp "$src"/sample-data/class-*.csv
fi
if "$bin" ask --help >/dev/null 2>&1; then
  vg 2 ask "$src"/sample-data/class-*.csv --score 400
fi
if "$bin" ask --help 2>&1 | grep -q -- --questions; then
  # many questions from one context (a failing score with weeks: the
  # second-attempt bands and the weeks table; a practice average: the
  # prediction); one ask under valgrind is about 70 s, nearly all of it
  # GLPK's simplex in the grid's check, so this is the only one that
  # reaches a sheet; a bad questions file
  vg 0 ask "$src"/sample-data/class-*.csv --questions "$src"/examples/questions.csv \
    --format json
  printf 'id,score\na,216\nb,2l6\n' >bad-questions.csv
  vg 2 ask "$src"/sample-data/class-*.csv --questions bad-questions.csv
fi
vg 0 generate --seed 2 --years 2023-2024 --class-size 60 --messy --out gen
# the block path with worker threads (12,000 rows: three blocks), and the
# re-read with whole IDs after a duplicate
"$bin" generate --seed 3 --rows 12000 --out big >/dev/null
vg 0 report --threads 2 --format json big/cohort-12000.csv
{ cat big/cohort-12000.csv; sed -n 2p big/cohort-12000.csv; } >dup.csv
vg 1 validate --threads 2 dup.csv
echo "ok: $n runs under memcheck, 0 errors, 0 leaks"
