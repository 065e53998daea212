#!/usr/bin/python3
"""attack_releases.py MIN_CELL OLD.json NEW.json [NEWER.json ...]

The yearly-release attack (issue 12, leak 1): a reader holds every JSON
report a dean's office published, in the order published, each describing a
population that contains the one before (cumulative Match years).  Two
attacks, written from the documented meaning of the outputs
(docs/report-json.md), not from ckcohort's own code:

1. Subtraction of non-linear statistics.  A mean published over n and over
   n + k students gives the sum of the k new students' values
   (mean' * (n + k) - mean * n); a least-squares line with its sigma and
   prediction intervals gives n * mean(x) and n * mean(y) (the interval
   half-width is t * sigma * sqrt(1 + 1/n + (x - xbar)^2 / Sxx), a quadratic
   in x whose vertex is xbar), so the new students' sums of practice
   averages and second scores.  Any such statistic published in both
   releases with 1 <= k < MIN_CELL is a failure: it describes fewer than
   MIN_CELL students.  When k = 1 the values are that student's own.

2. One linear program over all releases.  Every count of every release is
   a variable (attack_report.build, shown counts fixed, withheld ones
   bounded as printed), and for every count present in two releases the
   difference new - old is a variable >= 0 (the earlier population is part
   of the later one).  For every difference the LP (SciPy HiGHS) finds its
   smallest and largest value.  A difference with fewer than MIN_CELL
   possible values, not all of them >= MIN_CELL and not exactly {0} (under
   the nces policy: nor starting at 0, the policy's own "at most k"), is a
   failure: a count of 1..MIN_CELL-1 new students recovered or narrowed
   by subtraction.  The number of differences pinned to one value is
   printed too.

Exit status 1 when anything was recovered, else 0.
"""
import json
import math
import os
import sys

from scipy.optimize import linprog
from scipy.sparse import coo_matrix
from scipy.stats import t as student_t

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attack_report  # noqa: E402


MERGED = "[Other (merged)]"


def line_sums(reg, conf):
    """n*xbar, n*ybar of a published regression, or None when not shown."""
    n = reg.get("n")
    if n is None or reg.get("sigma") is None or reg.get("slope") is None:
        return None
    preds = [p for p in reg.get("predictions", [])
             if p.get("pi_low") is not None and p.get("pi_high") is not None]
    if len(preds) < 3 or n < 3:
        return None
    tq = student_t.ppf(0.5 + conf / 2.0, n - 2)
    xs, qs = [], []
    for p in preds:
        h = (p["pi_high"] - p["pi_low"]) / 2.0
        qs.append((h / (tq * reg["sigma"])) ** 2 - 1.0 - 1.0 / n)
        xs.append(float(p["practice"]))
    # least squares quadratic q = c2 x^2 + c1 x + c0 (x centred for accuracy)
    x0 = sum(xs) / len(xs)
    u = [x - x0 for x in xs]
    import numpy as np
    A = np.array([[ui * ui, ui, 1.0] for ui in u])
    c2, c1, _ = np.linalg.lstsq(A, np.array(qs), rcond=None)[0]
    if c2 <= 0:
        return None
    xbar = x0 - c1 / (2.0 * c2)
    ybar = reg["intercept"] + reg["slope"] * xbar
    return n * xbar, n * ybar


def nonlinear(old, new, min_cell):
    bad = 0
    conf_old = old["settings"]["confidence"]
    conf_new = new["settings"]["confidence"]
    for scope in ("score_change", "score_change_all_retakers"):
        a, b = old[scope], new[scope]
        if a.get("n") is None or b.get("n") is None:
            continue
        k = b["n"] - a["n"]
        ma, mb = a["mean"]["estimate"], b["mean"]["estimate"]
        if ma is None or mb is None or not (1 <= k < min_cell):
            continue
        s = mb * b["n"] - ma * a["n"]
        bad += 1
        print(f"RECOVERED {scope}: {k} new student(s), sum of their score "
              f"changes {s:+.2f}" + (f" (that student's change: {round(s):+d})"
                                     if k == 1 else ""))
    for scope in ("practice_regression", "practice_regression_all_retakers"):
        a, b = old[scope], new[scope]
        sa, sb = line_sums(a, conf_old), line_sums(b, conf_new)
        if sa is None or sb is None:
            continue
        k = b["n"] - a["n"]
        if not (1 <= k < min_cell):
            continue
        dx, dy = sb[0] - sa[0], sb[1] - sa[1]
        bad += 1
        print(f"RECOVERED {scope}: {k} new student(s), sum of practice "
              f"averages {dx:.2f}, of second scores {dy:.2f}" +
              (f" (that student: practice {round(dx)}, second score "
               f"{round(dy)})" if k == 1 else ""))
    return bad


def joint_lp(reports, min_cell):
    """One LP over all releases; returns (differences, pinned, narrowed)."""
    nces = reports[-1].get("settings", {}).get("privacy", {}).get("policy") == "nces"
    n = 0
    lo, hi, names = [], [], []
    eq, le = [], []
    index = []          # per release: name -> variable
    for j, rep in enumerate(reports):
        A = attack_report.build(rep)
        off = n
        index.append({nm: off + i for i, nm in enumerate(A.names)})
        names += [f"r{j}:{nm}" for nm in A.names]
        lo += A.lo
        hi += A.hi
        for row, rhs in A.eq:
            eq.append(({off + i: c for i, c in row.items()}, rhs))
        for row, rhs in A.le:
            le.append(({off + i: c for i, c in row.items()}, rhs))
        n += len(A.names)
    diffs = []          # (name, variable)
    for j in range(1, len(reports)):
        for i in range(j):
            for nm, v in index[j].items():
                if nm.startswith("~") or nm not in index[i] or MERGED in nm:
                    continue
                d = n
                n += 1
                names.append(f"r{j}-r{i}:{nm}")
                lo.append(0)
                hi.append(None)
                eq.append(({v: 1.0, index[i][nm]: -1.0, d: -1.0}, 0.0))
                if i == j - 1:
                    diffs.append((f"{nm} (release {j} - release {i})", d))
            # "Other (merged)" holds the specialties with few matched
            # applicants: the later release's merged row plus the rows it
            # names that the earlier one merged holds the earlier merged row
            # (when every row named earlier is named later)
            old_rows = {r["specialty"] for r in reports[i]["matched_into"]}
            new_rows = {r["specialty"] for r in reports[j]["matched_into"]}
            if not (old_rows - {"Other (merged)"}) <= new_rows:
                continue
            for col in ("low_pass_no_retake", "low_pass_retook",
                        "failed_then_passed"):
                parts = [index[j][f"matched_into[{sp}].{col}"]
                         for sp in new_rows
                         if sp == "Other (merged)" or sp not in old_rows]
                if not parts:
                    continue
                d = n
                n += 1
                names.append(f"r{j}-r{i}:merged.{col}")
                lo.append(0)
                hi.append(None)
                row = {p: 1.0 for p in parts}
                row[d] = -1.0
                o = index[i].get(f"matched_into[Other (merged)].{col}")
                if o is not None:
                    row[o] = -1.0
                eq.append((row, 0.0))
                if i == j - 1:
                    diffs.append((f"merged row + rows named since, {col} "
                                  f"(release {j} - release {i})", d))

    def mat(rows):
        if not rows:
            return None, None
        r, c, x = [], [], []
        for k, (row, _) in enumerate(rows):
            for j, v in row.items():
                r.append(k)
                c.append(j)
                x.append(v)
        a = coo_matrix((x, (r, c)), shape=(len(rows), n)).tocsr()
        return a, [rhs for _, rhs in rows]

    aeq, beq = mat(eq)
    aub, bub = mat(le)
    bounds = list(zip(lo, hi))
    pinned = narrowed = 0
    for name, d in diffs:
        got = []
        for sign in (1.0, -1.0):
            c = [0.0] * n
            c[d] = sign
            res = linprog(c, A_ub=aub, b_ub=bub, A_eq=aeq, b_eq=beq,
                          bounds=bounds, method="highs")
            if res.status == 3:
                got.append(math.inf)
            elif res.status != 0:
                raise SystemExit(f"{name}: linprog failed: {res.message}")
            else:
                got.append(sign * res.fun)
        a, b = got[0], got[1]
        a_i = math.ceil(a - 1e-6)
        b_i = math.inf if b == math.inf else math.floor(b + 1e-6)
        if a_i == b_i:
            pinned += 1
        width = math.inf if b_i == math.inf else b_i - a_i + 1
        # nces shows the outcome counts of large groups, which bound a
        # small group's outcome from above ("at most the 3 who did not
        # match"): for new students too, a range from 0 tells of none of
        # them that they had it (attacker.py's rule for unprinted counts)
        from_zero = nces and a_i == 0
        if (width < min_cell and a_i < min_cell and not (a_i == 0 and b_i == 0)
                and not from_zero):
            narrowed += 1
            print(f"NARROWED {name}: {a_i}..{b_i} ({width} values)")
        elif width < min_cell and from_zero and b_i > 0:
            print(f"bounded from 0 (nces) {name}: {a_i}..{b_i}")
    return len(diffs), pinned, narrowed


def main():
    min_cell = int(sys.argv[1])
    reports = [json.load(open(p)) for p in sys.argv[2:]]
    bad = 0
    for j in range(1, len(reports)):
        for i in range(j):
            bad += nonlinear(reports[i], reports[j], min_cell)
    ndiff, pinned, narrowed = joint_lp(reports, min_cell)
    print(f"releases: {len(reports)}, differences {ndiff}, pinned {pinned}, "
          f"narrowed below {min_cell} values {narrowed}, "
          f"statistics recovered {bad}")
    return 1 if bad or narrowed else 0


if __name__ == "__main__":
    sys.exit(main())
