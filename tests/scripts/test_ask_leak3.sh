#!/usr/bin/env bash
# test_ask_leak3.sh BIN SRC - issue 12, leak 3 ("ask minus the report"): in
# the cohort of `generate --seed 7 --class-size 400 --retake-after-pass
# 0.1` the report's low-pass rows of the forgiving specialties sum to 165;
# `ask --score 218 --specialty Pediatrics --date 2025-10-09` used to show
# "did not retake, pass+0..+6 x forgiving tier" n = 155, and 165 - 155 = 10
# low-pass retakers in the tier, a count the report withholds.  For every
# tier, kind of the low-pass zone and a score in each low-pass band, the
# sum of the report's rows of the tier minus what the sheets show of the
# tier's groups must not be 1..min_cell-1 (the same for everyone, all kinds).
set -eu
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
# the issue's cohort (10% retakes after a pass), and the same school as
# real data would have it (no retake after a pass): with 10% (and even 2%)
# each tier holds a few low-pass retakers, so the grid's linear check takes
# every low-pass tier group back (nothing is left to subtract); without
# retakes after a pass the tier groups are shown, and checked here
"$bin" generate --seed 7 --class-size 400 --retake-after-pass 0.1 \
  --out "$tmp/c10" >/dev/null
"$bin" generate --seed 7 --class-size 400 --out "$tmp/c0" >/dev/null
total=0
# min_cell 5 by hand (ATTACK_FULL=1): each run is a whole check
mcs=11
[ "${ATTACK_FULL:-0}" = 1 ] && mcs="11 5"
for cohort in c10 c0; do
for mc in $mcs; do
rm -rf "$tmp/c"; ln -s "$tmp/$cohort" "$tmp/c"
rm -rf "$tmp/$mc"; mkdir -p "$tmp/$mc"
echo "cohort $cohort, min_cell $mc" >&2
"$bin" report "$tmp"/c/*.csv --format json --min-cell $mc >"$tmp/$mc/report.json"
# every sheet from one run (ask --questions), saved one file per question
echo "score,specialty" >"$tmp/$mc/questions.csv"
names=()
for spec in Pediatrics "Internal Medicine" "General Surgery" Dermatology; do
  for score in 218 221 224 210 230; do
    echo "$score,$spec" >>"$tmp/$mc/questions.csv"
    names+=("$tmp/$mc/ask-$score-${spec// /_}.json")
  done
done
"$bin" ask "$tmp"/c/*.csv --questions "$tmp/$mc/questions.csv" --min-cell $mc \
  --date 2025-10-09 --format json >"$tmp/$mc/sheets.json"
/usr/bin/python3 -c 'import json, sys
a = json.load(open(sys.argv[1]))
assert len(a) == len(sys.argv) - 2, "%d sheets" % len(a)
for s, name in zip(a, sys.argv[2:]):
    json.dump(s, open(name, "w"))' "$tmp/$mc/sheets.json" "${names[@]}"
rm "$tmp/$mc/sheets.json"
n=$(/usr/bin/python3 - "$tmp/$mc" "$cohort" <<'PY'
import glob, json, sys
d = sys.argv[1]
rep = json.load(open(d + "/report.json"))
MIN = rep["settings"]["min_cell"]
M = rep["settings"]["low_pass_margin"]
rows = {}
for s in rep["by_specialty"]:
    if s["tier"]:
        rows.setdefault(s["tier"], []).append(s)
# what the sheets show of tier groups: (kind, from, to, tier, field) -> n
shown = {}
for f in glob.glob(d + "/ask-*.json"):
    j = json.load(open(f))
    for g in j["groups"]:
        if not g["found"] or g["group"]["scope"]["level"] != "tier":
            continue
        b = g["group"]["band"]
        for fld in ("n", "matched", "unmatched"):
            if g[fld] is not None:
                shown[(g["kind"], b["from_offset"], b["to_offset"],
                       g["group"]["scope"]["name"], fld)] = g[fld]
bad, checked = [], 0
for tier, rs in rows.items():
    for fld in ("n", "matched", "unmatched"):
        vals = [r["low_pass"][fld] for r in rs]
        if any(v is None for v in vals):
            continue
        total = sum(vals)
        parts = [shown.get((k, 0, M, tier, fld)) for k in ("no_retake", "retook")]
        if all(p is None for p in parts):
            continue
        checked += 1
        rest = total - sum(p for p in parts if p is not None)
        print("tier %s, low pass, %s: report rows %d, sheets %s, rest %d"
              % (tier, fld, total, parts, rest), file=sys.stderr)
        if 1 <= rest < MIN:
            bad.append("tier %s %s: %d - %s = %d" % (tier, fld, total, parts, rest))
if bad:
    sys.exit("report minus sheets gives a withheld count: " + "; ".join(bad))
if MIN == 11 and sys.argv[2] == "c10":
    # the question of the issue: the tier group of 155 is not shown
    g = json.load(open(d + "/ask-218-Pediatrics.json"))["groups"][0]
    assert not (g["found"] and g["group"]["scope"]["level"] == "tier"
                and g["n"] == 155), "the sheet still shows 155"
print("leak 3, min_cell %d: %d tier sums checked" % (MIN, checked), file=sys.stderr)
print(checked)
PY
)
total=$((total + n))
done
done
# at min_cell 5 tier groups are shown beside the report's rows
[ "$total" -gt 0 ] || { echo "no tier group shown: nothing was checked" >&2; exit 1; }
