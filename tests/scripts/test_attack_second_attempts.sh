#!/usr/bin/env bash
# test_attack_second_attempts.sh BIN SRCROOT - the failing-score sheet's
# table of failed-then-passed applicants by second-attempt band, and every
# sheet's protected-weeks table (issue 15), read by the independent attacker
# (attacker.py) together with the report and failing-score sheets over a
# generated cohort (seed 9, 400 a class, 2019-2026) and sample-data:
#   * the attacker finds nothing more with the new tables than without
#     them (the same sheets with second_attempts and weeks removed: the
#     report's own open leaks of issue 12 are the same in both runs);
#   * the bands shown are the counts computed here from the CSV rows;
#   * control (where the cohort allows one: not on sample-data, whose two
#     other hidden bands stay two unknowns): a sheet edited to show one
#     more band, which with the total and the bands shown leaves a band of
#     1..10, is caught.
source "$(dirname "$0")/attack_lib.sh"

# truth.py CSV...: failed-then-passed by second-attempt band, from the rows
cat >"$tmp/truth.py" <<'PY'
import csv, datetime, json, sys
marks = [(datetime.date(1900,1,1),189),(datetime.date(2012,7,1),196),
         (datetime.date(2013,7,1),203),(datetime.date(2014,7,1),209),
         (datetime.date(2022,7,1),214),(datetime.date(2025,7,1),218)]
def mark(d, year):
    d = datetime.date.fromisoformat(d) if d else datetime.date(year-1,8,1)
    return [m for f, m in marks if f <= d][-1]
c = {}
for f in sys.argv[1:]:
    for r in csv.DictReader(open(f)):
        yr = int(r["match_year"]); s1 = int(r["step2_attempt_1"])
        if s1 >= mark(r["step2_date_1"], yr):
            continue
        later = [(int(r["step2_attempt_%d" % k]), r["step2_date_%d" % k])
                 for k in (2, 3, 4) if r["step2_attempt_%d" % k]]
        if not any(s >= mark(d, yr) for s, d in later):
            continue
        d2 = later[0][0] - mark(later[0][1], yr)
        b = "-1" if d2 < 0 else "9" if d2 < 10 else "19" if d2 < 20 else "None"
        c[b] = c.get(b, 0) + 1
        c["all"] = c.get("all", 0) + 1
print(json.dumps(c))
PY

# strip.py IN OUT: the sheet without the two new tables
cat >"$tmp/strip.py" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j.pop("second_attempts", None)
j.pop("weeks", None)
json.dump(j, open(sys.argv[2], "w"))
PY

findings() { # attacker output -> "N" judged findings
  sed -n 's/^== .*: \([0-9]*\) finding(s) judged.*/\1/p' "$1"
}

second() { # NAME MIN_CELL CSV...
  local name=$1 mc=$2 i=0 o sp
  shift 2
  local d=$tmp/$name
  mkdir -p "$d/ask" "$d/plain" "$d/tampered"
  "$bin" report --format json --min-cell "$mc" "$@" >"$d/report.json" || return 2
  # every sheet from one run (ask --questions), saved as s1.json, s2.json...
  echo "score,specialty" >"$d/questions.csv"
  for o in -40 -25 -15 -10 -6 -3 -1; do
    for sp in "" "Family Medicine" "Internal Medicine" "Emergency Medicine"; do
      i=$((i + 1))
      echo "$((214 + o)),$sp" >>"$d/questions.csv"
    done
  done
  "$bin" ask "$@" --questions "$d/questions.csv" --date 2023-09-01 --min-cell "$mc" \
    --format json >"$d/sheets.json" || return 2
  "$py" -c 'import json, sys
a = json.load(open(sys.argv[1]))
if len(a) != int(sys.argv[3]): sys.exit("%d sheets" % len(a))
for i, s in enumerate(a, 1):
    json.dump(s, open("%s/s%d.json" % (sys.argv[2], i), "w"), indent=2)' \
    "$d/sheets.json" "$d/ask" "$i" || return 2
  for i in $(seq 1 "$i"); do
    "$py" "$tmp/strip.py" "$d/ask/s$i.json" "$d/plain/s$i.json" || return 2
  done
  # shown bands against the rows
  "$py" "$tmp/truth.py" "$@" >"$d/truth.json" || return 2
  "$py" - "$d/ask/s1.json" "$d/truth.json" <<'PY' || return 1
import json, sys
j = json.load(open(sys.argv[1]))["second_attempts"]; t = json.load(open(sys.argv[2]))
rows = [("all", j["all"])] + [(str(r["to_offset"]), r) for r in j["bands"]]
for key, r in rows:
    if r["n"] is not None and r["n"] != t.get(key, 0):
        sys.exit(f"second attempt {key}: sheet {r['n']}, rows {t.get(key, 0)}")
print(f"second attempts: {len(j['bands'])} of 4 bands listed, "
      f"{len(j['not_listed'])} not; the sizes shown equal the rows ({t})")
PY
  # the two tables are the question here: the groups' matched-into
  # figures, which double the attacker's time, are left out
  # (test_attack_sheet_detail.sh and the sweeps read them)
  attacker --case "$name" --min-cell "$mc" --report "$d/report.json" --ask-dir "$d/ask" \
    --no-sheet-detail >"$d/new.log" 2>&1
  attacker --case "$name-plain" --min-cell "$mc" --report "$d/report.json" \
    --ask-dir "$d/plain" --no-sheet-detail >"$d/plain.log" 2>&1
  local a b
  a=$(findings "$d/new.log") b=$(findings "$d/plain.log")
  grep -E '^ask:' "$d/new.log"
  echo "attacker: $a findings with the new tables, $b without"
  [ -n "$a" ] && [ "$a" = "$b" ] || { tail -30 "$d/new.log"; return 1; }
  # control: show a withheld band whose value, with the total and the bands
  # shown, pins another band to 1..min_cell-1
  "$py" - "$d/ask/s1.json" "$d/truth.json" "$d/tampered/s1.json" "$mc" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2])); mc = int(sys.argv[4])
sa = j["second_attempts"]
hidden = [str(r["to_offset"]) for r in sa["not_listed"]]
for r in sa["not_listed"]:
    k = str(r["to_offset"])
    others = [h for h in hidden if h != k]
    if len(others) == 1 and 1 <= t.get(others[0], 0) < mc:
        sa["not_listed"].remove(r)
        sa["bands"].append(dict(r, n=t.get(k, 0)))
        json.dump(j, open(sys.argv[3], "w"))
        print(f"control: band {k} listed as {t.get(k, 0)}, leaving band {others[0]} = {t[others[0]]}")
        sys.exit(0)
print("control: no band to show (nothing withheld that would pin another)")
sys.exit(3)
PY
  local st=$?
  [ $st = 3 ] && return 0 # no control possible on this cohort
  [ $st = 0 ] || return 2
  ATTACK_PRINT_ALL=1 attacker --case "$name-control" --min-cell "$mc" \
    --report "$d/report.json" --ask-dir "$d/tampered" --no-sheet-detail >"$d/control.log" 2>&1
  local c
  c=$(findings "$d/control.log")
  echo "control: $c findings"
  grep 'by second attempt' "$d/control.log"
  grep -q 'by second attempt' "$d/control.log" && ! grep -q 'by second attempt' "$d/new.log" ||
    { echo "control not caught"; tail -20 "$d/control.log"; return 1; }
  return 0
}

# 400 a class and min_cell 5 by hand (ATTACK_FULL=1): the test command's
# time went to the grid's check
if [ "$full" = 1 ]; then
  "$bin" generate --seed 9 --years 2019-2026 --class-size 400 --retake-after-pass 0.1 \
    --out "$tmp/large9" >/dev/null
  case_run second-large9 second large9 11 "$tmp"/large9/*.csv
fi
case_run second-sample second sample 11 "$root"/sample-data/class-*.csv
[ "$full" = 1 ] &&
  case_run second-sample-min5 second sample5 5 "$root"/sample-data/class-*.csv
"$bin" generate --seed 23 --years 2019-2026 --class-size 150 --retake-after-pass 0.15 \
  --out "$tmp/s23" >/dev/null
case_run second-seed23-size150 second s23 11 "$tmp"/s23/*.csv
finish
