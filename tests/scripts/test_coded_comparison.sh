#!/usr/bin/env bash
# test_coded_comparison.sh BIN SRC - a comparison whose group rate is shown
# only as its coded bound (nces) is given as the range of differences over
# every matched count the bound allows, with the union of their Newcombe
# intervals.  Checked against an independent computation in SciPy from the
# report's own published numbers (group sizes, shown matched counts, coded
# bounds): on a generated school of ~100 a class (generate --seed 3
# --class-size 100), where failed-then-passed is 26 with a match rate coded
# ">= 90%" and low pass is 83 of 100.  Worked by hand with SciPy
# (scipy.stats.norm.ppf(0.975), Wilson intervals, Newcombe method 10):
# matched 24, 25, 26 of 26 give differences -9.31, -13.15, -17.00 points and
# intervals (-19.50, +8.24), (-22.27, +3.08), (-25.55, -2.75): the range is
# -17.0 to -9.3, its interval -25.5 to +8.2.  Under strict nothing is coded
# and no range is given.
set -eu
bin=$1
py=/usr/bin/python3
"$py" -c 'import scipy' 2>/dev/null || { echo "skip: python3-scipy is needed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
"$bin" generate --seed 3 --class-size 100 --out "$tmp/c" >/dev/null
"$bin" report --format json "$tmp"/c/*.csv >"$tmp/nces.json"
"$bin" report --format json --privacy strict "$tmp"/c/*.csv >"$tmp/strict.json"
"$bin" report "$tmp"/c/*.csv >"$tmp/nces.txt"
"$py" - "$tmp/nces.json" "$tmp/strict.json" <<'PY'
import json, math, sys
from scipy.stats import norm
rep = json.load(open(sys.argv[1]))
z = norm.ppf(1 - (1 - rep["settings"]["confidence"]) / 2)
G = {g["id"]: g for g in rep["groups"]}

def wilson(x, n):
    p = x / n
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return c - h, c + h

def counts(g):
    """the matched counts a reader knows: one, or the coded range"""
    n, r = g["n"], g["match_rate"]
    if n is None:
        return None
    if not r["suppressed"]:
        return n, [g["matched"]]
    if r.get("reason") != "coded":
        return None
    b = r["bound"] * n
    if r["coded"].startswith(">="):
        return n, list(range(math.ceil(b - 1e-9), n + 1))
    return n, list(range(0, math.floor(b + 1e-9) + 1))

ranged = 0
for c in rep["comparisons"]:
    ga, gb = counts(G[c["a"]]), counts(G[c["b"]])
    coded = any(G[k]["match_rate"].get("reason") == "coded" for k in (c["a"], c["b"]))
    want = None
    if c["difference"]["suppressed"] and coded and ga and gb:
        (na, xas), (nb, xbs) = ga, gb
        d, lo, hi = [], [], []
        for xa in xas:
            for xb in xbs:
                pa, pb = xa / na, xb / nb
                la, ua = wilson(xa, na)
                lb, ub = wilson(xb, nb)
                d.append(pa - pb)
                lo.append(pa - pb - math.sqrt((pa - la) ** 2 + (ub - pb) ** 2))
                hi.append(pa - pb + math.sqrt((ua - pa) ** 2 + (pb - lb) ** 2))
        want = (min(d), max(d), min(lo), max(hi))
    got = c["difference_range"]
    if want is None:
        if got is not None:
            sys.exit(f"{c['id']}: a range where none is due: {got}")
        continue
    if got is None:
        sys.exit(f"{c['id']}: no range, SciPy gives {want}")
    g = (got["low"], got["high"], got["ci_low"], got["ci_high"])
    if any(abs(a - b) > 1e-9 for a, b in zip(g, want)):
        sys.exit(f"{c['id']}: range {g}, SciPy {want}")
    ranged += 1
    print(f"{c['id']}: {g[0]*100:+.1f} to {g[1]*100:+.1f} points, "
          f"CI {g[2]*100:+.1f} to {g[3]*100:+.1f} = SciPy")
if ranged < 2:
    sys.exit(f"expected the two failed-then-passed comparisons ranged, got {ranged}")
strict = json.load(open(sys.argv[2]))
bad = [c["id"] for c in strict["comparisons"] if c["difference_range"] is not None]
if bad:
    sys.exit(f"strict publishes ranges: {bad}")
print("coded comparisons: %d ranged, equal to SciPy; none under strict" % ranged)
PY
tr -s ' \n' '  ' <"$tmp/nces.txt" |
  grep -q "the range that bound allows: -17.0 to -9.3 percentage points (95% CI over that range -25.5 to +8.2)" || { echo "text report lacks the range"; grep -A6 "Low pass vs failed" "$tmp/nces.txt"; exit 1; }
echo "text report: the range is printed"
