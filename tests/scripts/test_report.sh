#!/usr/bin/env bash
# test_report.sh BIN SRCDIR - ckcohort report end to end on sample-data:
# byte-identical output on repeated runs (every format), -o replaces a
# regular file whole and leaves no temporary, rows rejected are not fatal.
set -eu
bin=$1 src=$2
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
data=("$src"/sample-data/class-*.csv)
[ -f "${data[0]}" ] || fail "no sample-data"

for fmt in text md json; do
  "$bin" report --format "$fmt" "${data[@]}" >"$tmp/a.$fmt" || fail "$fmt run 1"
  "$bin" report --format "$fmt" "${data[@]}" >"$tmp/b.$fmt" || fail "$fmt run 2"
  cmp -s "$tmp/a.$fmt" "$tmp/b.$fmt" || fail "$fmt output differs between runs"
  [ -s "$tmp/a.$fmt" ] || fail "$fmt output empty"
done

"$bin" report --format json "${data[@]}" -o "$tmp/out.json" || fail "-o run"
cmp -s "$tmp/a.json" "$tmp/out.json" || fail "-o output differs from stdout"
echo stale >"$tmp/out.json"
"$bin" report --format json -o "$tmp/out.json" "${data[@]}" || fail "-o over file"
cmp -s "$tmp/a.json" "$tmp/out.json" || fail "-o did not replace the file"
ls "$tmp" | grep -q '\.tmp' && fail "temporary file left behind"

# Same options through --opt=value spelling.
"$bin" report --format=json --min-cell=11 "${data[@]}" >"$tmp/c.json"
cmp -s "$tmp/a.json" "$tmp/c.json" || fail "--opt=value spelling differs"

# A rejected row is reported, not fatal.
if [ -d "$src/sample-data/messy" ]; then
  "$bin" report --format json "$src"/sample-data/messy/*.csv >"$tmp/m.json" ||
    fail "messy export: exit $?"
fi

# Failed output to a directory that does not exist: exit 3, nothing written.
set +e
"$bin" report -o "$tmp/no/such/dir/r.txt" "${data[@]}" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" = 3 ] || fail "unwritable -o gave exit $rc"
grep -q '^ckcohort: ' "$tmp/err" || fail "no message for unwritable -o"
echo "ok"
