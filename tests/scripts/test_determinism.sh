#!/usr/bin/env bash
# test_determinism.sh BIN SRCDIR - the same inputs and settings give
# byte-identical outputs: every report format the binary knows (to standard
# output and through -o), export (plain and --excel), ask (text and json),
# validate's listing and rejects file, config, and generate; run twice each (the second time from another folder and with
# the inputs named in another way) and compared byte for byte.
set -u
bin=$1 src=$2
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir "$tmp/a" "$tmp/b"
cp "$src"/sample-data/class-*.csv "$src"/sample-data/messy/*.csv "$tmp/a/"
cp "$tmp"/a/*.csv "$tmp/b/"
inputs() { ls class-*.csv; }
n=0
# twice NAME ARGS... : run in a/ and in b/ (each with its own copy) and compare
twice() {
  local name=$1; shift
  (cd "$tmp/a" && "$bin" "$@" >"../$name.1" 2>"../$name.1.err"; echo $? >"../$name.1.rc")
  (cd "$tmp/b" && "$bin" "$@" >"../$name.2" 2>"../$name.2.err"; echo $? >"../$name.2.rc")
  for ext in "" .err .rc; do
    cmp -s "$tmp/$name.1$ext" "$tmp/$name.2$ext" || fail "$name$ext differs: $*"
  done
  n=$((n + 1))
}
cd "$tmp/a" || exit 1
files=$(inputs)
formats=""
for fmt in text md json html csv; do
  "$bin" report --format "$fmt" $files >/dev/null 2>&1 && formats="$formats $fmt"
done
case $formats in *text*md*json*) ;; *) fail "formats found:$formats";; esac
for fmt in $formats; do
  twice "report-$fmt" report --format "$fmt" $files
  twice "report-$fmt-o" report --format "$fmt" -o "out.$fmt" $files
  cmp -s "$tmp/a/out.$fmt" "$tmp/b/out.$fmt" || fail "report -o $fmt differs"
  cmp -s "$tmp/a/out.$fmt" "$tmp/report-$fmt.1" || fail "report -o $fmt differs from stdout"
  twice "report-$fmt-exact" report --format "$fmt" --exact --min-cell 5 --confidence 0.9 $files
done
# Commands that exist only in some builds (merged from other branches).
if "$bin" export --help >/dev/null 2>&1; then
  for x in "" --excel; do
    twice "export$x" export $x --out "exp$x" $files
    for f in "$tmp/a/exp$x"/*.csv; do
      cmp -s "$f" "$tmp/b/exp$x/${f##*/}" || fail "export$x ${f##*/} differs"
    done
  done
fi
if "$bin" ask --help >/dev/null 2>&1; then
  # the grid's decision is the same for every format (the renderers only
  # format one model): text and json, not md and html (each run is a whole
  # check of the grid, 3-5 s)
  for fmt in text json; do
    twice "ask-$fmt" ask $files --score 220 --practice 235 --specialty EM \
      --weeks 6 --date 2024-06-01 --format $fmt
  done
fi
twice validate validate --rejects rejects.csv $files
cmp -s "$tmp/a/rejects.csv" "$tmp/b/rejects.csv" || fail "rejects file differs"
twice config config --config "$src/tests/cases/config/overrides/site.ini"
twice generate generate --seed 11 --years 2020-2021 --class-size 50 --messy --out gen
for f in "$tmp"/a/gen/*.csv; do
  cmp -s "$f" "$tmp/b/gen/${f##*/}" || fail "generate ${f##*/} differs"
done
echo "ok: $n commands twice, report formats:$formats"
