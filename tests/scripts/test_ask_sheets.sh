#!/usr/bin/env bash
# test_ask_sheets.sh BIN SRC - the numbers of one ask sheet on sample-data
# (216, practice 238, EM), read from `ckcohort ask --format json`, against an
# independent computation over the CSV files in Python.  The sheets'
# golden outputs are cases like any other: tests/cases/ask/sheet-*/.
set -u
bin=$1 src=$2
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
cd "$src" || exit 1
S=$(ls sample-data/class-*.csv)
fail=0
# Independent check: pass mark by first test date (undated: 1 August of the
# year before the Match), offsets, groups, Wilson intervals and the
# least-squares prediction interval, computed here from the CSV rows
# (GSL and SciPy t quantiles agree to about 2e-11 relative: tolerance 1e-7).
BIN=$bin /usr/bin/python3 - $S <<'PY' || fail=1
import csv, datetime, json, math, subprocess, sys, os
from scipy import stats
files = sys.argv[1:]
marks = [(datetime.date(1900,1,1),189),(datetime.date(2012,7,1),196),
         (datetime.date(2013,7,1),203),(datetime.date(2014,7,1),209),
         (datetime.date(2022,7,1),214),(datetime.date(2025,7,1),218)]
def mark(d, year):
    d = datetime.date.fromisoformat(d) if d else datetime.date(year-1,8,1)
    return [m for f, m in marks if f <= d][-1]
rows = [r for f in files for r in csv.DictReader(open(f))]
nr = {"n":0,"m":0}; ftp = {"n":0,"m":0}; x=[]; y=[]; ge = 0
for r in rows:
    s1 = int(r["step2_attempt_1"]); yr = int(r["match_year"])
    p1 = mark(r["step2_date_1"], yr); off = s1 - p1
    later = [(int(r["step2_attempt_%d" % k]), r["step2_date_%d" % k])
             for k in (2,3,4) if r["step2_attempt_%d" % k]]
    matched = r["matched"].strip().upper() in ("Y","YES","TRUE","1","MATCHED")
    if 0 <= off <= 6 and not later:
        nr["n"] += 1; nr["m"] += matched
    if off < 0 and any(s >= mark(d, yr) for s, d in later):
        ftp["n"] += 1; ftp["m"] += matched
    if later and r["practice_avg_2"]:
        x.append(int(r["practice_avg_2"])); y.append(later[0][0])
        ge += later[0][0] - s1 >= 20
def wilson(k, n, z=stats.norm.ppf(0.975)):
    p = k/n; c = p + z*z/(2*n); h = z*math.sqrt(p*(1-p)/n + z*z/(4*n*n))
    return (c-h)/(1+z*z/n), (c+h)/(1+z*z/n)
n = len(x); xb = sum(x)/n; yb = sum(y)/n
sxx = sum((a-xb)**2 for a in x); b = sum((a-xb)*(c-yb) for a, c in zip(x, y))/sxx
a0 = yb - b*xb; s = math.sqrt(sum((c-a0-b*a)**2 for a, c in zip(x, y))/(n-2))
fit = a0 + b*238; se = s*math.sqrt(1 + 1/n + (238-xb)**2/sxx)
t = stats.t.ppf(0.975, n-2)
j = json.loads(subprocess.run([os.environ["BIN"], "ask"] + files + ["--score",
    "216", "--practice", "238", "--specialty", "EM", "--format", "json"],
    capture_output=True, text=True, check=True).stdout)
g0, g2 = j["groups"][0], j["groups"][2]
assert g0["group"]["band"]["code"] == 1001 and g0["group"]["scope"]["level"] == "all", g0["group"]
assert (g0["n"], g0["matched"]) == (nr["n"], nr["m"]), (g0["n"], g0["matched"], nr)
assert (g2["n"], g2["matched"]) == (ftp["n"], ftp["m"]), (g2["n"], g2["matched"], ftp)
for g, d in ((g0, nr), (g2, ftp)):
    lo, hi = wilson(d["m"], d["n"])
    assert abs(g["match_rate"]["ci_low"] - lo) < 1e-9 and abs(g["match_rate"]["ci_high"] - hi) < 1e-9, (g["match_rate"], lo, hi)
p = j["practice"]
assert p["prediction"]["n"] == n and p["gain"]["n"] == n and p["gain"]["gained"] == ge, (p, n, ge)
assert abs(p["prediction"]["estimate"] - fit) < 1e-7
assert abs(p["prediction"]["pi_low"] - (fit - t*se)) < 1e-7, (p["prediction"], fit - t*se)
assert abs(p["prediction"]["pi_high"] - (fit + t*se)) < 1e-7
print("independent check: no retake %d/%d, failed then passed %d/%d, "
      "prediction %.4f (%.4f-%.4f) from %d pairs, gained>=20 %d"
      % (nr["m"], nr["n"], ftp["m"], ftp["n"], fit, fit-t*se, fit+t*se, n, ge))
PY
exit $fail
