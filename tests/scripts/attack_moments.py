#!/usr/bin/python3
"""attack_moments.py MIN_CELL REPORT.json...

An independent attack on the non-linear statistics of a ckcohort JSON report
(docs/report-json.md), as a reader who knows what they mean would run it.

For each score-change section (low-pass retakers, all retakers) that
publishes its statistics, the unknowns are y_v, the number of students
whose score changed by v points (integers; |v| is at most the square root
of the sum of squares, so that range is exact).  What the section publishes
becomes integer linear constraints on y:
  - the size n:                     sum y_v = n
  - the mean (n times it):          sum v y_v = S
  - the SD:                         sum v^2 y_v = (n-1) sd^2 + S^2/n
  - each quartile (R type 7): the order statistics around position
    (n-1)p lie on either side of it (counts below / at most it);
  - every shown category count:     sum over the category's range = count;
  - the share with +20 or more:     its numerator;
  - low-pass retakers are some of all retakers: category by category,
    count(low pass) <= count(all) when the latter is shown.
(The Wilcoxon p is left out: a weaker attacker, so what it finds is real.)
For every withheld category count, scipy's MILP minimises and maximises it.
The report fails when one can take fewer than MIN_CELL values, or when a
section publishes statistics over fewer than MIN_CELL students.

It also checks the subtraction of two nested groups: when both sections (or
both regressions) publish statistics, their difference in size must be 0 or
at least MIN_CELL.  Prints one line per report; exits 1 on a finding.
"""
import json
import math
import re
import sys

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

MIN = int(sys.argv[1])


def cat_range(label):
    """(lo, hi) of a category from its documented label (ASCII "<= -5",
    "+20+" or typographic "≤ −5", "+20 or more")."""
    label = label.replace("\u2212", "-").replace("\u2264", "<=").replace(" or more", "+")
    m = re.search(r"<= ?([+-]?\d+)", label)
    if m:
        return (-10 ** 6, int(m.group(1)))
    m = re.search(r"([+-]?\d+) to ([+-]?\d+)", label)
    if m:
        return (int(m.group(1)), int(m.group(2)))
    m = re.search(r"([+-]?\d+)\+", label)
    if m:
        return (int(m.group(1)), 10 ** 6)
    raise SystemExit("unknown category label %r" % label)


def published(s):
    return s["mean"]["estimate"] is not None or s.get("wilcoxon_p") is not None


def attack(sec, outer=None):
    """Ranges of the withheld category counts of one section; [] if none."""
    n = sec["n"]
    if n is None or not published(sec) or sec["mean"]["estimate"] is None:
        return [], None
    S = round(sec["mean"]["estimate"] * n)
    Q = round((n - 1) * sec["sd"] ** 2 + S * S / n)
    R = int(math.isqrt(Q)) + 1
    vals = list(range(-R, R + 1))
    nv = len(vals)
    rows, lo, hi = [], [], []

    def row(coef, a, b):
        rows.append(coef)
        lo.append(a)
        hi.append(b)

    def ind(pred):
        return np.array([1.0 if pred(v) else 0.0 for v in vals])

    row(np.ones(nv), n, n)
    row(np.array(vals, float), S, S)
    row(np.array([v * v for v in vals], float), Q, Q)
    for p, q in ((0.25, sec["q1"]), (0.5, sec["median"]), (0.75, sec["q3"])):
        h = (n - 1) * p
        j = int(math.floor(h + 1e-9))
        frac = h - j
        # x_j <= q: at least j+1 values are <= q
        row(ind(lambda v: v <= q + 1e-9), j + 1, n)
        if frac < 1e-9:
            # x_j >= q too: at most j values are < q
            row(ind(lambda v: v < q - 1e-9), 0, j)
        else:
            # x_{j+1} >= q: at most j+1 values are < q
            row(ind(lambda v: v < q - 1e-9), 0, j + 1)
    cats = []
    for c in sec["categories"]:
        a, b = cat_range(c["label"])
        cats.append((c["id"], a, b, c["n"]))
        if c["n"] is not None:
            row(ind(lambda v, a=a, b=b: a <= v <= b), c["n"], c["n"])
    sh = sec.get("share_ge_20")
    if sh is not None:
        k = round(sh * n) if sh <= 1 else round(sh / 100 * n)
        row(ind(lambda v: v >= 20), k, k)
    if outer is not None:
        for (cid, a, b, _), oc in zip(cats, outer["categories"]):
            if oc["n"] is not None:
                row(ind(lambda v, a=a, b=b: a <= v <= b), 0, oc["n"])
    A = np.array(rows)
    cons = LinearConstraint(A, np.array(lo, float), np.array(hi, float))
    found = []
    for cid, a, b, v in cats:
        if v is not None:
            continue
        obj = ind(lambda x, a=a, b=b: a <= x <= b)
        got = []
        for sign in (1, -1):
            r = milp(sign * obj, constraints=cons, integrality=np.ones(nv),
                     bounds=Bounds(0, n), options={"time_limit": 30})
            if r.status != 0:
                got.append(None)
            else:
                got.append(round(sign * r.fun))
        found.append((cid, got[0], got[1]))
    return found, n


def main():
    bad = 0
    for path in sys.argv[2:]:
        rep = json.load(open(path))
        mc = rep["settings"]["min_cell"]
        assert mc == MIN, (mc, MIN)
        lp, al = rep["score_change"], rep["score_change_all_retakers"]
        notes = []
        for name, sec, outer in (("low-pass retakers", lp, al),
                                 ("all retakers", al, None)):
            if not published(sec):
                continue
            if sec["n"] is not None and 1 <= sec["n"] < MIN:
                notes.append("%s: statistics over %d students" % (name, sec["n"]))
            found, n = attack(sec, outer)
            for cid, a, b in found:
                if a is None or b is None:
                    notes.append("%s %s: no consistent table (attack broken)"
                                 % (name, cid))
                elif b - a + 1 < MIN:
                    notes.append("%s: withheld %s narrowed to %d..%d"
                                 % (name, cid, a, b))
            if found:
                print("  %s: attacked %d withheld categories of n=%d"
                      % (name, len(found), n))
        if published(lp) and published(al) and lp["n"] is not None and \
                al["n"] is not None and 1 <= al["n"] - lp["n"] < MIN:
            notes.append("score change: nested groups differ by %d students"
                         % (al["n"] - lp["n"]))
        ra, rb = rep["practice_regression"], rep["practice_regression_all_retakers"]
        if ra.get("intercept") is not None and rb.get("intercept") is not None \
                and ra["n"] is not None and rb["n"] is not None \
                and 1 <= rb["n"] - ra["n"] < MIN:
            notes.append("regression: nested groups differ by %d students"
                         % (rb["n"] - ra["n"]))
        print("%s: %s" % (path, "; ".join(notes) if notes else "nothing narrowed"))
        bad += bool(notes)
    sys.exit(1 if bad else 0)


main()
