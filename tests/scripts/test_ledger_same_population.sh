#!/usr/bin/env bash
# test_ledger_same_population.sh BIN SRCROOT - a school's year in one
# release ledger: last year's report, this year's report, its export and
# a batch of ask sheets.  The export describes the same students as the
# report, so it must show no count the report withheld (each withheld
# count was withheld for a reason: with last year's report, the export's
# copy of it would have given the new students' count, issue 12); the
# sheets are checked with both reports (not refused) and recorded.
# sample-data under strict, and a generated school of 100 a class under
# nces (before the fix, its export showed 2 academic counts the report
# withheld).
set -euo pipefail
bin=$1 root=$2
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
"$bin" generate --seed 63 --years 2017-2026 --class-size 100 --out "$tmp/g63" >/dev/null
printf 'score,specialty\n225,\n225,Pediatrics\n218,Internal Medicine\n205,\n' >"$tmp/q.csv"
fail=0
for run in sample:strict g63:nces; do
  school=${run%:*} policy=${run#*:}
  if [ $school = sample ]; then files=("$root"/sample-data/class-*.csv); else files=("$tmp"/g63/*.csv); fi
  {
    led=$tmp/led-$school-$policy
    "$bin" report --privacy $policy --releases "$led" --years 2017-2025 "${files[@]}" >/dev/null
    "$bin" report --privacy $policy --releases "$led" "${files[@]}" >/dev/null
    "$bin" export --privacy $policy --releases "$led" --out "$tmp/exp-$school-$policy" "${files[@]}" >/dev/null
    "$bin" ask --privacy $policy --releases "$led" --questions "$tmp/q.csv" --date 2025-10-09 \
      --format json "${files[@]}" >"$tmp/ask.json"
    grep -q '"releases_checked": 3' "$tmp/ask.json"
    "$py" - "$led" "$school-$policy" <<'PY' || fail=1
import json, os, sys
led, name = sys.argv[1], sys.argv[2]
names = sorted(n for n in os.listdir(led) if n[0] != ".")
kinds = [n.split("-", 1)[1] for n in names]
assert kinds == ["report.json", "report.json", "export.json"] + ["ask.json"] * 4, kinds
rep = json.load(open(os.path.join(led, names[1])))["counts"]
exp = json.load(open(os.path.join(led, names[2])))["counts"]
extra = sorted(k for k, v in exp.items() if v is not None and rep.get(k) is None)
differ = sorted(k for k, v in exp.items() if v is not None and rep.get(k) not in (None, v))
print("%s: report shows %d counts, export %d; export-only %d, different %d"
      % (name, sum(v is not None for v in rep.values()),
         sum(v is not None for v in exp.values()), len(extra), len(differ)))
for k in extra[:10]:
    print("  export shows %s = %s, which the report withholds" % (k, exp[k]))
sys.exit(1 if extra or differ else 0)
PY
  }
done
[ $fail = 0 ]
echo ok
