#!/usr/bin/env bash
# test_ask_small_school.sh BIN SRC - a school of 60 a class gets an answer.
# generate --seed 31 --class-size 60 (ten Match years, 602 applicants):
# the report prints its 41 low-pass applicants who did not retake (36
# matched, 5 not).  A sheet for a low pass (220 at a pass mark of 218) in
# Internal Medicine used to show no group at all, since every count of a
# group had to be min_cell or more; a count the report prints may now be
# repeated (docs/ask.md, "Ladder").  Checked: the sheet shows that group,
# its counts equal the report's, and every count under min_cell it shows is
# one the report prints with the same value.
set -u
bin=$1
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" generate --seed 31 --class-size 60 --out "$tmp/c" >/dev/null || exit 1
"$bin" report --format json "$tmp"/c/*.csv >"$tmp/r.json" || exit 1
"$bin" ask --score 220 --specialty "Internal Medicine" --date 2025-10-09 \
  --format json "$tmp"/c/*.csv >"$tmp/s.json" || exit 1
/usr/bin/python3 - "$tmp/r.json" "$tmp/s.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
mc = s["settings"]["min_cell"]
rep = {g["id"]: g for g in r["groups"]}["low_pass_no_retake"]
g = {g["id"]: g for g in s["groups"]}["like_you_no_retake"]
if not g["found"]:
    sys.exit("the sheet shows no group of applicants like the student")
band, scope = g["group"]["band"], g["group"]["scope"]
if (band["from_offset"], band["to_offset"], scope["level"]) != (0, 6, "all"):
    sys.exit("unexpected group %r" % g["group"])
for k in ["n", "matched", "unmatched"]:
    if g[k] != rep[k]:
        sys.exit("%s: sheet %r, report %r" % (k, g[k], rep[k]))
into = {row["specialty"]: row["low_pass_no_retake"] for row in r["matched_into"]}
small = [(k, g[k]) for k in ["n", "matched", "unmatched", "matched_target",
                             "missed_target"] if isinstance(g[k], int) and 1 <= g[k] < mc]
for k, v in small:
    if k in ("n", "matched", "unmatched") and rep[k] == v:
        continue
    sys.exit("%s = %d shown, under min_cell and not the report's" % (k, v))
for row in g["matched_into"]:
    if 1 <= row["n"] < mc and into.get(row["specialty"]) != row["n"]:
        sys.exit("matched into %s = %d shown, not the report's %r"
                 % (row["specialty"], row["n"], into.get(row["specialty"])))
print("60 a class: like the student, did not retake: %d applicants, %d matched, "
      "%d not (the report's low pass, no retake); %d matched into their target"
      % (g["n"], g["matched"], g["unmatched"], g["matched_target"]))
PY
