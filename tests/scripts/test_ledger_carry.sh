#!/usr/bin/env bash
# test_ledger_carry.sh BIN SRCROOT - a yearly report that withholds a
# headline comparison its release ledger's earlier report showed prints
# that comparison as the earlier report published it, labelled with its
# Match years (ck_ledger_carry): the sample data's 2017-2025 report shows
# all three comparisons; the 2017-2026 report, checked against it,
# withholds all three (the 2026 class adds 1 low-pass retaker and 4
# failed-then-passed applicants) and must repeat each one's difference,
# interval, Fisher p, odds ratio and group counts exactly as 2017-2025
# published them, in its JSON, its text and its own ledger entry.  Without
# a ledger nothing is carried.
set -euo pipefail
bin=$1 root=$2
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
all=("$root"/sample-data/class-20*.csv)
"$bin" report --releases "$tmp/led" --years 2017-2025 --format json -o "$tmp/r25.json" "${all[@]}"
"$bin" report --releases "$tmp/led" --format json -o "$tmp/r26.json" "${all[@]}"
"$bin" report --format json -o "$tmp/alone.json" "${all[@]}"
"$py" - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
r25 = json.load(open(f"{tmp}/r25.json"))
r26 = json.load(open(f"{tmp}/r26.json"))
alone = json.load(open(f"{tmp}/alone.json"))
entry = json.load(open(f"{tmp}/led/000002-report.json"))["published"]
groups = {g["id"]: g for g in r25["groups"]}
carried = 0
for old, new, rec, solo in zip(r25["comparisons"], r26["comparisons"],
                               entry["comparisons"], alone["comparisons"]):
    assert "as_published_earlier" not in solo, "carried without a ledger"
    if not new["suppressed"] or old["suppressed"]:
        assert "as_published_earlier" not in new, new["id"]
        continue
    e = new["as_published_earlier"]
    assert e == rec["as_published_earlier"], "the ledger entry differs from the output"
    assert e["release"] == "000001-report.json" and e["match_years"] == {"first": 2017, "last": 2025}, e
    assert e["difference"]["estimate"] == old["difference"]["estimate"], e
    assert e["difference"]["ci_low"] == old["difference"]["ci_low"], e
    assert e["difference"]["ci_high"] == old["difference"]["ci_high"], e
    assert e["fisher_p"] == old["fisher_p"], e
    for k in ("estimate", "ci_low", "ci_high", "unbounded"):
        assert e["odds_ratio"][k] == old["odds_ratio"][k], (k, e)
    assert (e["a_n"], e["a_matched"]) == (groups[old["a"]]["n"], groups[old["a"]]["matched"]), e
    assert (e["b_n"], e["b_matched"]) == (groups[old["b"]]["n"], groups[old["b"]]["matched"]), e
    carried += 1
assert carried == 3, f"{carried} of 3 withheld comparisons carried"
print(f"carried: {carried} comparisons, equal to the 2017-2025 release's")
PY
"$bin" report --releases "$tmp/led2" --years 2017-2025 -o /dev/null "${all[@]}"
"$bin" report --releases "$tmp/led2" -o "$tmp/r26.txt" "${all[@]}"
tr '\n' ' ' <"$tmp/r26.txt" | tr -s ' ' | grep -q 'withheld: the match rate of a group is withheld. As already published for Match years 2017–2025 (release ledger entry 000001-report.json): 85 of 99 matched against 28 of 42; difference in match rate +19.2 percentage points'
echo "text: the comparison as 2017-2025 published it"
