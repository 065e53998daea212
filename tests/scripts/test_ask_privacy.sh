#!/usr/bin/env bash
# test_ask_privacy.sh BIN SRC - every question the ask grid allows, over a
# synthetic cohort (min_cell 5, so that many groups are shown): no count shown by any sheet is 1..min_cell-1, the
# same group always shows the same count, and no two shown counts of nested
# groups (one contains the other) differ by 1..min_cell-1, so no pair of
# sheets can be subtracted to reach a group smaller than the minimum.  The
# failing-score table by second attempt and the protected-weeks table are
# checked the same way (their "all" rows contain their bands).  All the
# questions are asked in one run (ask --questions).
set -eu
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
"$bin" generate --seed 3 --years 2019-2024 --class-size 100 \
  --retake-after-pass 0.2 --out "$tmp/c" >/dev/null
/usr/bin/python3 - "$bin" "$tmp/c" <<'PY'
import csv, glob, json, os, subprocess, sys
bin, d = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(d + "/*.csv"))
MIN = 5
specs = ["Dermatology", "Orthopaedic Surgery", "Diagnostic Radiology",
         "Otolaryngology", "Plastic Surgery", "Neurological Surgery",
         "Radiation Oncology", "Urology", "Interventional Radiology",
         "Vascular Surgery", "General Surgery", "Anesthesiology",
         "Internal Medicine", "Emergency Medicine",
         "Obstetrics and Gynecology", "Neurology", "Pathology",
         "Internal Medicine-Pediatrics", "Transitional Year",
         "Preliminary Year", "Physical Medicine and Rehabilitation",
         "Pediatrics", "Psychiatry", "Child Neurology", "Family Medicine",
         "Space Medicine", None]
# one score per fine band of the grid at a pass mark of 214 (margin 6);
# each sheet now also builds the report, so bands far below any score are
# left out (they widen exactly as the lowest band with applicants)
scores = sorted(set([214 + o for o in range(-45, 87)]))  # every band with applicants
seen_bands, picks = set(), []
def band(o):
    if o < 0: return -1 - (-o - 1) // 5
    if o <= 6: return 0 if o <= 2 else 1
    return 2 + (o - 7) // 5
for s in scores:
    b = band(s - 214)
    if b not in seen_bands:
        seen_bands.add(b); picks.append(s)
counts = {}   # key -> value
tier_of = {}
runs = 0
def put(key, v):
    if v is None: return
    if key in counts and counts[key] != v:
        sys.exit("inconsistent count for %r: %r vs %r" % (key, counts[key], v))
    counts[key] = v
# every question goes into one questions file and one run (ask
# --questions: the report and the grid are built once, not per sheet)
def run_all(questions):
    global runs
    qf = os.path.join(os.path.dirname(d), "questions.csv")
    with open(qf, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["score", "practice", "specialty"])
        for s, p, sp in questions:
            w.writerow([s, p, sp or ""])
    out = subprocess.run([bin, "ask"] + files + ["--date", "2024-01-01",
                          "--format", "json", "--min-cell", str(MIN),
                          "--questions", qf], capture_output=True,
                         text=True, check=True).stdout
    sheets = json.loads(out)
    if len(sheets) != len(questions):
        sys.exit("%d sheets for %d questions" % (len(sheets), len(questions)))
    runs += len(sheets)
    return sheets
def collect(j):
    sp = j["specialty"]
    if sp["name"] and sp["tier"]: tier_of[sp["name"]] = sp["tier"]
    for g in j["groups"]:
        if not g["found"]: continue
        b, sc = g["group"]["band"], g["group"]["scope"]
        lo = b["from_offset"] if b["from_offset"] is not None else -10**6
        hi = b["to_offset"] if b["to_offset"] is not None else 10**6
        base = ("g", g["kind"], lo, hi, sc["level"], sc["name"])
        for k in ["n", "matched", "unmatched", "matched_target", "missed_target"]:
            put(base + (k,), g[k])
        for p in g["program_types"]:
            put(base + ("program:" + p["type"],), p["n"])
        for p in g["matched_into"]:
            put(base + ("into:" + p["specialty"],), p["n"])
    ga = j["practice"]["gain"]
    if ga["found"]:
        lo = ga["band_from"] if not ga["widened"] else -10**6
        hi = ga["band_to"] if not ga["widened"] else 10**6
        for k in ["n", "gained", "gained_less"]:
            put(("p", "retakers", lo, hi, "all", "all", k), ga[k])
    put(("p", "retakers", -10**6, 10**6, "all", "all", "n"),
        j["practice"]["prediction"]["n"])
    # failing scores: failed then passed by second attempt (all of them =
    # the fail zone's failed-then-passed group, everyone)
    sa = j.get("second_attempts") or {}
    for r in ([sa["all"]] if sa else []) + sa.get("bands", []):
        lo = r.get("from_offset", -10**6)
        hi = r.get("to_offset", 10**6)
        lo = -10**6 if lo is None else lo
        hi = 10**6 if hi is None else hi
        for k in ["n", "matched", "unmatched"]:
            if k not in r: continue
            put(("s", "second", lo, hi, "all", "all", k), r[k])
            if r is sa["all"]:
                put(("g", "failed_then_passed", -10**6, -1, "all", "all", k), r[k])
    w = j.get("weeks") or {}
    span = {"all": (0, 52), "fewer": (0, w.get("min_weeks", 6) - 1),
            "at_least": (w.get("min_weeks", 6), 52)}
    for r in w.get("bands") or []:
        lo, hi = span[r["band"]]
        for k in ["n", "gained", "gained_less"]:
            put(("w", "weeks", lo, hi, "all", "all", k), r[k])
# every band and every specialty, half of their pairs (alternating);
# ASK_SWEEP_FULL=1 asks them all (by hand: about twice as long)
import os
full = os.environ.get("ASK_SWEEP_FULL") == "1"
questions = []
for bi, s in enumerate(picks):
    for i, sp in enumerate(specs):
        if not full and sp is not None and (bi + i) % 2:
            continue
        questions.append((s, 150 + 10 * ((i + s) % 16), sp))
for p in range(5, 301, 10):
    questions.append((216, p, None))
for j in run_all(questions):
    collect(j)
def o_sub(a, b):
    if a == b or b == "n": return True
    if b == "matched": return a == "matched_target" or a.startswith(("program:", "into:"))
    return b == "missed_target" and a == "unmatched"
def s_sub(a, b):
    if a[:2] == b[:2] or b[0] == "all": return True
    return a[0] == "specialty" and b[0] == "tier" and tier_of.get(a[1]) == b[1]
def nested(a, b):
    return (a[0] == b[0] and a[1] == b[1] and b[2] <= a[2] and a[3] <= b[3]
            and s_sub(a[4:6], b[4:6]) and o_sub(a[6], b[6]))
keys = list(counts)
bad = [k for k in keys if 1 <= counts[k] < MIN]
if bad: sys.exit("small counts shown: %r" % bad[:5])
pairs = 0
for a in keys:
    for b in keys:
        if a != b and nested(a, b):
            pairs += 1
            d = counts[b] - counts[a]
            if d < 0: sys.exit("nested count larger than its container: %r %r" % (a, b))
            if 1 <= d < MIN:
                sys.exit("difference %d between nested %r and %r" % (d, a, b))
print("ask privacy: %d sheets, %d distinct counts, %d nested pairs checked"
      % (runs, len(keys), pairs))
if len(keys) < 20 or pairs < 20: sys.exit("too few counts to be a test")
PY
