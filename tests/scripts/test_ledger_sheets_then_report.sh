#!/usr/bin/env bash
# test_ledger_sheets_then_report.sh BIN SRCROOT - ask sheets of last
# year's students, then this year's report, in one release ledger
# (docs/privacy.md, Releases):
#  1. the report is checked with the sheets' published grid groups and
#     published (it used to stop with exit 3), the ledger gains its entry,
#     and it says it was checked against the sheets' release;
#  2. a forged sheet entry that claims its sheets published the grid's
#     small groups (taken from a run with --min-cell 3) makes the same
#     report stop with exit 3, naming the entry and a narrowed count:
#     nothing written, the ledger as it was;
#  3. a sheet entry of an earlier ckcohort (no grid groups, no counts) is
#     refused with its reason, as is an ask run of this year's students
#     after last year's sheets (two grids are not checked together yet) or
#     of last year's files alone after this year's report; last year's
#     students read with --years from all the files are asked again;
#  4. sheets, a report of the same students, more sheets: all published,
#     the report checked with the sheets, the later sheets keeping every
#     group the earlier ones published.
set -euo pipefail
bin=$1 root=$2
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
all=("$root"/sample-data/class-20*.csv)
old=("${all[@]:0:${#all[@]}-1}")
printf 'score,specialty\n216,\n216,Pediatrics\n218,Internal Medicine\n222,Family Medicine\n205,\n' >"$tmp/q.csv"
ask() { "$bin" ask --releases "$1" --questions "$tmp/q.csv" --date 2025-10-09 --format json "${@:2}"; }
snapshot() { (cd "$1" && sha256sum -- *); }
# refused LED CMD...: CMD stops with exit 3, prints nothing on stdout and
# leaves LED as it was; its messages are shown and kept in $tmp/err
refused() {
  local led=$1 before rc
  shift
  before=$(snapshot "$led")
  set +e
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  set -e
  cat "$tmp/err"
  [ $rc = 3 ] && [ ! -s "$tmp/out" ] && [ "$(snapshot "$led")" = "$before" ]
}

# 1. sheets, then next year's report: published and recorded
led=$tmp/led
ask "$led" "${old[@]}" >"$tmp/sheets.json"
"$py" - "$led" <<'PY'
import json, os, sys
led = sys.argv[1]
names = sorted(n for n in os.listdir(led) if n[0] != ".")
assert len(names) == 5 and all(n.endswith("-ask.json") for n in names), names
e = json.load(open(os.path.join(led, names[0])))
assert e["grid"] and e["counts"], "an ask entry keeps its grid groups and its report's counts"
for g in e["grid"]:
    assert len(g) == 4 and isinstance(g[0], int) and isinstance(g[1], int), g
print(f"ask entry: {len(e['grid'])} grid groups, {len(e['counts'])} report counts")
PY
"$bin" report --releases "$led" -o "$tmp/r.txt" "${all[@]}"
[ "$(ls "$led" | sed -n '$=')" = 6 ] && ls "$led" | tail -1 | grep -q -- '-report.json$'
tr '\n' ' ' <"$tmp/r.txt" | grep -q 'Checked against 5 earlier releases in the release ledger, 5 of them ask sheets'

echo "1. report after the sheets: published, ledger of 6 entries, checked against 5"

# 2. forged: the sheets 'published' the small groups of a --min-cell 3 grid
ask "$tmp/led3" --min-cell 3 "${old[@]}" >/dev/null
led=$tmp/forged
ask "$led" "${old[@]}" >/dev/null
"$py" - "$led" "$tmp/led3" <<'PY'
import json, os, sys
led, led3 = sys.argv[1], sys.argv[2]
small = json.load(open(os.path.join(led3, sorted(os.listdir(led3))[-1])))["grid"]
for n in os.listdir(led):
    if n.endswith("-ask.json"):
        p = os.path.join(led, n)
        e = json.load(open(p))
        e["grid"] = small
        json.dump(e, open(p, "w"), indent=1, sort_keys=True)
print(f"forged: {len(small)} grid groups claimed published")
PY
refused "$led" "$bin" report --releases "$led" --format json -o "$tmp/forged.json" "${all[@]}"
[ ! -e "$tmp/forged.json" ]
grep -q -- '-ask.json: read with the 5 ask sheet(s) of Match years 2017-2025 of 9 file(s) recorded in the ledger, this run would narrow' "$tmp/err"
grep -q 'nothing was written' "$tmp/err"
echo "2. forged sheets: refused (exit 3), nothing written, ledger unchanged"

# 3a. an ask entry of an earlier ckcohort: no grid groups, no counts
led=$tmp/oldformat
ask "$led" "${old[@]}" >/dev/null
"$py" - "$led" <<'PY'
import json, os, sys
led = sys.argv[1]
for n in os.listdir(led):
    if n.endswith("-ask.json"):
        p = os.path.join(led, n)
        e = json.load(open(p))
        del e["grid"]
        e["counts"], e["statistics"] = {}, {}
        json.dump(e, open(p, "w"), indent=1, sort_keys=True)
PY
refused "$led" "$bin" report --releases "$led" -o "$tmp/old.txt" "${all[@]}"
[ ! -e "$tmp/old.txt" ]
grep -q 'this ask sheet was recorded by an earlier ckcohort, without the groups its grid published' "$tmp/err"
echo "3a. an earlier ckcohort's sheet entry: refused with its reason"

# 3b. this year's sheets after last year's sheets and this year's report:
#     refused (two grids are not checked together), naming what works;
#     last year's files alone are refused too (the report describes
#     class-2026.csv); all the files with last year's --years are the
#     sheets' own students: published and recorded, the same groups
led=$tmp/led
refused "$led" ask "$led" "${all[@]}"
grep -q 'sheets of two populations cannot yet be checked together' "$tmp/err"
grep -qF "add --years 2017-2025, or give the files it read (without $(basename "${all[-1]}"))" "$tmp/err"
refused "$led" ask "$led" "${old[@]}"
grep -qF "this release describes $(basename "${all[-1]}")" "$tmp/err"
n_before=$(ls "$led" | sed -n '$=')
ask "$led" --years 2017-2025 "${all[@]}" >"$tmp/again.json"
[ "$(ls "$led" | sed -n '$=')" = $((n_before + 5)) ]
"$py" - "$tmp/again.json" "$tmp/sheets.json" <<'PY'
import json, sys
new, old = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert len(new) == len(old) == 5
for n, o in zip(new, old):
    assert n["cohort"] == o["cohort"], (n["cohort"], o["cohort"])
    assert n["groups"] == o["groups"], "the same students' sheets show the same groups"
    assert n["settings"]["releases_checked"] > o["settings"]["releases_checked"]
print(f"{len(new)} sheets of {new[0]['cohort']['applicants']} applicants with --years 2017-2025: as last year's")
PY
echo "3b. this year's files: refused, naming --years; last year's files: refused; --years 2017-2025: published, as last year's sheets"

# 3c. three years on one ledger, a class file a year: the first year's
#     students asked each year after that year's report, with every file
#     and the first year's --years (the class files added since give no
#     applicant in those years); every run published
led=$tmp/three
y=("${all[@]:0:${#all[@]}-2}")       # 2017-2024
"$bin" report --releases "$led" -o /dev/null "${y[@]}"
"$bin" ask --releases "$led" --score 216 --date 2025-10-09 -o /dev/null "${y[@]}"
for n in 1 2; do
  y=("${all[@]:0:${#all[@]}-2+n}")
  "$bin" report --releases "$led" -o "$tmp/three-report-$n.txt" "${y[@]}"
  "$bin" ask --releases "$led" --years 2017-2024 --score 216 --date 2025-10-09 \
    -o "$tmp/three-sheet-$n.txt" "${y[@]}"
done
[ "$(ls "$led" | grep -c -- '-ask.json$')" = 3 ] && [ "$(ls "$led" | grep -c -- '-report.json$')" = 3 ]
tr '\n' ' ' <"$tmp/three-sheet-2.txt" | grep -q 'Match years 2017–2024'
tr '\n' ' ' <"$tmp/three-sheet-2.txt" | grep -q 'checked against 5 earlier releases'
echo "3c. three yearly reports, the first year's students asked after each: all published"

# 4. sheets, a report of the same students, more sheets: all published;
#    the report is checked with the sheets, the later sheets keep every
#    group the earlier ones published
led=$tmp/same
ask "$led" "${old[@]}" >/dev/null
"$bin" report --releases "$led" -o "$tmp/same.txt" "${old[@]}"
tr '\n' ' ' <"$tmp/same.txt" | grep -q 'Checked against 5 earlier releases in the release ledger, 5 of them ask sheets'
printf 'score,specialty\n230,Psychiatry\n212,Emergency Medicine\n' >"$tmp/q2.csv"
"$bin" ask --releases "$led" --questions "$tmp/q2.csv" --date 2025-10-09 --format json "${old[@]}" >/dev/null
"$py" - "$led" <<'PY'
import json, os, sys
led = sys.argv[1]
names = sorted(n for n in os.listdir(led) if n[0] != ".")
kinds = [n.split("-", 1)[1] for n in names]
assert kinds == ["ask.json"] * 5 + ["report.json"] + ["ask.json"] * 2, kinds
grid = lambda n: {json.dumps(g) for g in json.load(open(os.path.join(led, n)))["grid"]}
assert grid(names[0]) <= grid(names[-1]), "a later sheet dropped a group an earlier one published"
print(f"same students: {len(grid(names[0]))} groups before, {len(grid(names[-1]))} after")
PY
echo "4. sheets, their students' report, more sheets: published, groups kept"
