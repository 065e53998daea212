#!/usr/bin/python3
"""ask_report_joint.py BIN MIN_CELL CSV... - the annual report and every ask
sheet of one cohort, read together as an attacker holding both would.

Every published count of both outputs is written as a set of students
(kinds x first-score offsets x target scope x measure), report counts mapped
onto the ask grid's definitions.  It fails when a published count is
1..min_cell-1; when one set of students gets two values, or is shown by ask
while the report withholds it; when two published counts of nested sets
differ by 1..min_cell-1; or when a partition the report publishes (a
matched-into column and its total, a program-type column, a group and its
children, the specialty table) leaves a remainder of 1..min_cell-1 after
subtracting every part either output publishes.
"""
import csv, glob, json, os, subprocess, sys, tempfile

BIN, MIN, FILES = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
INF = 10 ** 6
NR, RT, TP, NP = "no_retake", "retook", "failed_then_passed", "failed_never_passed"
ALLK = frozenset([NR, RT, TP, NP])
M = 6                      # low-pass margin (checked against the report)
FAIL, LOW, ABOVE = (-INF, -1), (0, M), (M + 1, INF)
# This check's rule (no shown count of 1..MIN-1 anywhere) is the strict
# policy's; under nces small outcome counts of large groups are published
# by design and the report's own attacker (attack_report.py) checks them.
POLICY = ["--privacy", "strict"]
base = ["--date", "2024-01-01", "--min-cell", str(MIN)] + POLICY

def run(args):
    out = subprocess.run([BIN] + args, capture_output=True, text=True,
                         check=True, env=dict(os.environ, LC_ALL="C"))
    return json.loads(out.stdout)

rep = run(["report"] + FILES + ["--min-cell", str(MIN), "--format", "json"] + POLICY)
assert rep["settings"]["low_pass_margin"] == M and rep["settings"]["min_cell"] == MIN

shown, withheld, src = {}, {}, {}
tier_of = {}
bad = []
def key(kinds, rng, scope, meas):
    return (frozenset(kinds), rng[0], rng[1], scope, meas)
def put(k, v, who):
    if v is None:
        if who == "report":
            withheld[k] = True
        return
    if k in shown and shown[k] != v:
        bad.append("two values for %s: %r (%s) and %r (%s)"
                   % (fmt(k), shown[k], src[k], v, who))
    shown[k] = v
    src.setdefault(k, who)
    if who != src[k]:
        src[k] = "both"
def fmt(k):
    return "%s %s..%s %s %s" % ("+".join(sorted(k[0])), k[1], k[2], k[3], k[4])

# ---- the report -----------------------------------------------------------
ALL = ("all", "all")
WT = ("with_target", "")
GROUPS = {"all": (ALLK, (-INF, INF)), "failed_first": ({TP, NP}, FAIL),
          "failed_then_passed": ({TP}, FAIL), "failed_never_passed": ({NP}, FAIL),
          "low_pass": ({NR, RT}, LOW), "low_pass_no_retake": ({NR}, LOW),
          "low_pass_retook": ({RT}, LOW), "above_band": ({NR, RT}, ABOVE)}
P = lambda *t: ("program", frozenset(t))
I = lambda *t: ("into", frozenset(t))
for g in rep["groups"]:
    if g["id"] not in GROUPS: continue
    kk, rng = GROUPS[g["id"]]
    for f in ("n", "matched", "unmatched"):
        put(key(kk, rng, ALL, (f,)), g[f], "report")
    mt = g["matched_target"]
    put(key(kk, rng, WT, ("n",)), mt["with_target"], "report")
    put(key(kk, rng, ALL, ("matched_target",)), mt["n"], "report")
    put(key(kk, rng, WT, ("missed_target",)), mt["missed"], "report")
    if g["n"] is not None and mt["n"] is not None:   # ask's missed_target
        put(key(kk, rng, ALL, ("missed_target",)), g["n"] - mt["n"], "report")
    a = g["academic_share"]
    put(key(kk, rng, ALL, P("academic", "community", "other")), a["with_program"], "report")
    put(key(kk, rng, ALL, P("academic")), a["n"], "report")
    put(key(kk, rng, ALL, P("community", "other")), a["not_academic"], "report")
everywhere = [({NR}, LOW), ({RT}, LOW), ({TP}, FAIL), ({NP}, FAIL), ({NR}, ABOVE), ({RT}, ABOVE)]
spec_rows = []
for s in rep["by_specialty"]:
    sc = ("none", "") if s["no_target"] else ("specialty", s["specialty"])
    if s["tier"]: tier_of[s["specialty"]] = s["tier"]
    spec_rows.append(sc)
    for f in ("n", "matched", "unmatched"):
        put(key(ALLK, (-INF, INF), sc, (f,)), s[f], "report")
        put(key({NR, RT}, LOW, sc, (f,)), s["low_pass"][f], "report")
    if not s["no_target"]:
        put(key(ALLK, (-INF, INF), sc, ("matched_target",)), s["matched_target"]["n"], "report")
        put(key(ALLK, (-INF, INF), sc, ("missed_target",)), s["matched_target"]["missed"], "report")
# a reader adds the specialty rows of a tier up (issue 12, leak 3: the
# low-pass rows of the forgiving tier minus a sheet's "did not retake x
# forgiving tier" gave the tier's withheld retakers)
by_tier = {}
for r in rep["by_specialty"]:
    if not r["no_target"] and r["tier"]:
        by_tier.setdefault(r["tier"], []).append(r)
for t, rows in by_tier.items():
    for f in ("n", "matched", "unmatched"):
        for kk, rng, get in ((ALLK, (-INF, INF), lambda r: r[f]),
                             ({NR, RT}, LOW, lambda r: r["low_pass"][f])):
            vals = [get(r) for r in rows]
            if len(vals) > 1 and all(v is not None for v in vals):
                put(key(kk, rng, ("tier", t), (f,)), sum(vals), "report")
COLS = {"low_pass_no_retake": ({NR}, LOW), "low_pass_retook": ({RT}, LOW),
        "failed_then_passed": ({TP}, FAIL)}
named = [r["specialty"] for r in rep["matched_into"] if r["specialty"] != "Other (merged)"]
MERGED = ("into_other",)   # every specialty without a row of its own
into_rows = []
for r in rep["matched_into"]:
    meas = MERGED if r["specialty"] == "Other (merged)" else I(r["specialty"])
    into_rows.append(meas)
    for c, (kk, rng) in COLS.items():
        put(key(kk, rng, ALL, meas), r[c], "report")
PT = {"Academic": "academic", "Community": "community", "Other": "other",
      "(not given)": "not_given"}
for r in rep["matched_into_program_type"]:
    for c, (kk, rng) in COLS.items():
        put(key(kk, rng, ALL, P(PT[r["program_type"]])), r[c], "report")
for c, (kk, rng) in COLS.items():
    put(key(kk, rng, ALL, ("matched",)), rep["matched_into_totals"][c], "report")
PRACT = frozenset(["practice"])
put((PRACT, -INF, INF, ALL, ("n",)), rep["practice_regression_all_retakers"]["n"], "report")
put((frozenset(["policy"]), -INF, INF, ALL, ("retake_after_pass",)),
    rep["retake_policy"]["retake_after_pass"], "report")
report_keys = set(shown)

# ---- every ask sheet ------------------------------------------------------
specs = sorted({s["specialty"] for s in rep["by_specialty"] if not s["no_target"]})
specs += ["Space Medicine", None]
def band(o):
    if o < 0: return -1 - (-o - 1) // 5
    if o <= M: return 0 if o <= 2 else 1
    return 2 + (o - M - 1) // 5
lo_o, hi_o = -45, 87      # every band holding applicants, and empty ones around
picks, seen = [], set()
for o in range(lo_o, hi_o):
    if band(o) not in seen:
        seen.add(band(o)); picks.append(214 + o)
# The test command asks every band and every specialty, but only half of
# the band x specialty pairs (alternating); ASK_SWEEP_FULL=1 asks them all
# (by hand: about twice as long).
full = os.environ.get("ASK_SWEEP_FULL") == "1"
queries = []
for bi, s in enumerate(picks):
    for i, sp in enumerate(specs if -20 <= s - 214 <= 31 else [None]):
        if not full and sp is not None and (bi + i) % 2:
            continue
        a = ["--score", str(s), "--practice", str(150 + 10 * ((i + s) % 16))]
        queries.append(a + (["--specialty", sp] if sp else []))
queries += [["--score", "216", "--practice", str(p)] for p in range(5, 301, 10)]
# every question in one run (ask --questions: the report and the grid of
# the cohort are built once, not per sheet)
def ask_all(qs):
    with tempfile.TemporaryDirectory() as td:
        qf = os.path.join(td, "questions.csv")
        with open(qf, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["score", "practice", "specialty"])
            for a in qs:
                o = dict(zip(a[0::2], a[1::2]))
                w.writerow([o["--score"], o["--practice"], o.get("--specialty", "")])
        out = run(["ask"] + FILES + base + ["--format", "json", "--questions", qf])
    if len(out) != len(qs):
        sys.exit("%d sheets for %d questions" % (len(out), len(qs)))
    return out
asked = shown_ask = 0
sheets = ask_all(queries)
for j in sheets:
    asked += 1
    sp = j["specialty"]
    if sp["name"] and sp["tier"]: tier_of[sp["name"]] = sp["tier"]
    put((frozenset(["policy"]), -INF, INF, ALL, ("retake_after_pass",)),
        j["cohort"]["retake_after_pass"], "ask")
    for g in j["groups"]:
        if not g["found"]: continue
        b, sc = g["group"]["band"], g["group"]["scope"]
        lo = b["from_offset"] if b["from_offset"] is not None else -INF
        hi = b["to_offset"] if b["to_offset"] is not None else INF
        scope = (sc["level"], sc["name"])
        k = lambda meas: key({g["kind"]}, (lo, hi), scope, meas)
        for f in ("n", "matched", "unmatched", "matched_target", "missed_target"):
            put(k((f,)), g[f], "ask")
        for p in g["program_types"]:
            put(k(P(p["type"])), p["n"], "ask")
        for p in g["matched_into"]:
            put(k(I(p["specialty"])), p["n"], "ask")
    ga = j["practice"]["gain"]
    if ga["found"]:
        lo = ga["band_from"] if not ga["widened"] else -INF
        hi = ga["band_to"] if not ga["widened"] else INF
        for f in ("n", "gained", "gained_less"):
            put((PRACT, lo, hi, ALL, (f,)), ga[f], "ask")
    put((PRACT, -INF, INF, ALL, ("n",)), j["practice"]["prediction"]["n"], "ask")

# ---- the checks -----------------------------------------------------------
for k, v in shown.items():
    if 1 <= v < MIN:
        bad.append("count %d shown (%s): %s" % (v, src[k], fmt(k)))
ask_only_withheld = 0
for k in shown:
    if k in withheld and src[k] != "report":
        bad.append("shown by ask (%d), withheld by the report: %s" % (shown[k], fmt(k)))
def s_sub(a, b):
    if a == b or b == ALL: return True
    if b == WT: return a[0] in ("specialty", "tier")
    return a[0] == "specialty" and b[0] == "tier" and tier_of.get(a[1]) == b[1]
def m_sub(a, b):
    if a == b or b == ("n",): return True
    if b == ("matched",): return a[0] in ("matched_target", "program", "into", "into_other")
    if b == ("missed_target",): return a == ("unmatched",)
    if a[0] == b[0] and a[0] in ("program", "into"): return a[1] <= b[1]
    if b == MERGED: return a[0] == "into" and not (a[1] & set(named))
    return False
def nested(a, b):
    return (a[0] <= b[0] and b[1] <= a[1] and a[2] <= b[2] and
            s_sub(a[3], b[3]) and m_sub(a[4], b[4]))
keys = list(shown)
PUB = ("report", "both")   # what the report publishes by itself
pairs = 0
for a in keys:
    for b in keys:
        # pairs within the report are the report's own (attack_report.py)
        if a != b and nested(a, b) and not (src[a] in PUB and src[b] in PUB):
            pairs += 1
            d = shown[b] - shown[a]
            if d < 0:
                bad.append("nested count larger than its container: %s %s" % (fmt(a), fmt(b)))
            elif 1 <= d < MIN:
                bad.append("difference %d between nested %s (%d, %s) and %s (%d, %s)"
                           % (d, fmt(a), shown[a], src[a], fmt(b), shown[b], src[b]))
# partitions the report publishes
parts_checked = 0
def partition(total, parts):
    global parts_checked
    if total not in shown: return
    parts_checked += 1
    rest = shown[total] - sum(shown.get(p, 0) for p in parts)
    if 1 <= rest < MIN:
        known = ["%s=%d" % (fmt(p), shown[p]) for p in parts if p in shown]
        bad.append("remainder %d of %s = %d after %s" % (rest, fmt(total), shown[total], "; ".join(known)))
for c, (kk, rng) in COLS.items():
    partition(key(kk, rng, ALL, ("matched",)), [key(kk, rng, ALL, m) for m in into_rows])
    partition(key(kk, rng, ALL, ("matched",)),
              [key(kk, rng, ALL, P(t)) for t in PT.values()])
for kk, rng in [GROUPS[g] for g in GROUPS]:
    for f in ("n", "matched", "unmatched"):
        partition(key(kk, rng, ALL, (f,)),
                  [key(k2, r2, ALL, (f,)) for k2, r2 in GROUPS.values()
                   if k2 < set(kk) and r2[0] >= rng[0] and r2[1] <= rng[1]
                   and len(k2) == 1])
    partition(key(kk, rng, ALL, ("n",)), [key(kk, rng, ALL, ("matched",)), key(kk, rng, ALL, ("unmatched",))])
for f in ("n", "matched", "unmatched"):
    partition(key(ALLK, (-INF, INF), ALL, (f,)), [key(ALLK, (-INF, INF), sc, (f,)) for sc in spec_rows])
    partition(key({NR, RT}, LOW, ALL, (f,)), [key({NR, RT}, LOW, sc, (f,)) for sc in spec_rows])
both = sum(1 for k in shown if src[k] == "both")
print("ask + report (min_cell %d): %d sheets, %d counts (%d from the report, %d "
      "in both), %d nested pairs, %d partitions checked"
      % (MIN, asked, len(shown), len(report_keys), both, pairs, parts_checked))
if bad:
    for b in bad[:15]: print("  " + b)
    sys.exit("%d problems" % len(bad))
if len(shown) < 20 or pairs < 20: sys.exit("too few counts to be a test")
