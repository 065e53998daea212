#!/usr/bin/python3
"""attack_report.py REPORT.json MIN_CELL

An independent attack on a ckcohort JSON report, as a reader who knows how
the report's counts relate would run it.  Every count in the report becomes
a variable: shown counts are fixed, withheld counts are only known to be
>= 0 (outcome counts) or >= 1 (group sizes: empty groups are shown, but
for a score-change category beside a small one).  The
relations a reader can deduce from the report's definitions become linear
equalities and inequalities.  For every withheld count, linear programming
(SciPy's HiGHS) finds the smallest and largest value consistent with
everything published.  The report fails the attack when some withheld
count can take fewer than MIN_CELL values, except where the policy allows
less: a rate published as a coded bound ("<=0.10", ">=0.90") tells the
reader that its count lies in the coded range (nothing narrower may be
derived), and a count bounded by those published ranges and empty groups
alone, however much else were withheld, is as wide as any report could
make it (reported as "capped", not a failure).  Under the nces policy the
outcome counts of groups of MIN_CELL or more outside the coded ranges are
published by the policy, so a withheld outcome count bounded by them (and
the coded ranges and empty groups) alone is capped as well.

This does not use ckcohort's own constraint list: the relations below are
written from the report's documented meaning (docs/report-json.md).
"""
import json
import math
import sys

from scipy.optimize import linprog


class Attack:
    def __init__(self):
        self.names = []      # variable names
        self.lo = []
        self.hi = []
        self.value = {}      # name -> shown value
        self.eq = []         # list of ({var: coef}, rhs)
        self.le = []         # list of ({var: coef}, rhs): sum <= rhs
        self.zones = {}      # name -> (lo, hi): range told by a coded rate
        self.outcome = set() # names of outcome counts

    def var(self, name, obj, key, outcome):
        """A count `key` of JSON object `obj`; returns its variable index."""
        i = len(self.names)
        self.names.append(name)
        if outcome:
            self.outcome.add(name)
        v = obj.get(key)
        if v is None:
            if obj.get(key + "_suppressed") is None:
                raise SystemExit(f"{name}: null without {key}_suppressed")
            self.lo.append(0 if outcome else 1)
            self.hi.append(None)
        else:
            self.lo.append(v)
            self.hi.append(v)
            self.value[name] = v
        return i

    def free(self, name):
        """A count the report never prints (a reader can still reason on it)."""
        i = len(self.names)
        self.names.append(name)
        self.lo.append(0)
        self.hi.append(None)
        return i

    def sum_eq(self, total, parts):
        row = {total: 1.0}
        for p in parts:
            row[p] = row.get(p, 0.0) - 1.0
        self.eq.append((row, 0.0))

    def same(self, a, b):
        self.eq.append(({a: 1.0, b: -1.0}, 0.0))

    def at_most(self, a, b):
        """a <= b"""
        self.le.append(({a: 1.0, b: -1.0}, 0.0))

    def zone(self, x, comp, n, rate):
        """Rate `rate` (JSON) of count x out of shown n, complement comp."""
        code = rate.get("coded") if isinstance(rate, dict) else None
        if code is None or n is None:
            return
        b = float(code[2:])
        if code.startswith("<="):
            zx = (0, math.floor(b * n + 1e-9))
        else:
            zx = (math.ceil(b * n - 1e-9), n)
        for v, (lo, hi) in ((x, zx), (comp, (n - zx[1], n - zx[0]))):
            if v is None or self.names[v] in self.value:
                raise SystemExit(f"{self.names[v]}: coded but shown")
            self.lo[v] = max(self.lo[v], lo)
            self.hi[v] = hi
            self.zones[self.names[v]] = (lo, hi)

    def ranges(self, only=None, free_shown=False, groups_only=False):
        """Ranges of withheld counts (of `only`, when given); with
        free_shown, every shown count above 0 is unknown too (with
        groups_only, only the group sizes among them)."""
        n = len(self.names)

        def mat(rows):
            a = [[0.0] * n for _ in rows]
            b = []
            for k, (row, rhs) in enumerate(rows):
                for j, c in row.items():
                    a[k][j] += c
                b.append(rhs)
            return a, b

        aeq, beq = mat(self.eq)
        aub, bub = mat(self.le)
        bounds = list(zip(self.lo, self.hi))
        if free_shown:
            bounds = [(0, None) if self.value.get(nm, 0) > 0 and
                      not (groups_only and nm in self.outcome) else b
                      for nm, b in zip(self.names, bounds)]
        out = {}
        for i, name in enumerate(self.names):
            if name in self.value or name.startswith("~"):
                continue
            if only is not None and name not in only:
                continue
            got = []
            for sign in (1.0, -1.0):
                c = [0.0] * n
                c[i] = sign
                res = linprog(c, A_ub=aub or None, b_ub=bub or None,
                              A_eq=aeq or None, b_eq=beq or None,
                              bounds=bounds, method="highs")
                if res.status == 3:          # unbounded
                    got.append(-math.inf if sign > 0 else math.inf)
                elif res.status != 0:
                    raise SystemExit(f"{name}: linprog failed: {res.message}")
                else:
                    got.append(sign * res.fun)
            lo, hi = got[0], got[1]
            out[name] = (lo, hi)
        return out


def build(rep):
    A = Attack()
    G = {}
    fields = {}
    for g in rep["groups"]:
        gid = g["id"]
        f = {}
        f["n"] = A.var(f"{gid}.n", g, "n", False)
        f["m"] = A.var(f"{gid}.matched", g, "matched", True)
        f["u"] = A.var(f"{gid}.unmatched", g, "unmatched", True)
        t = g["matched_target"]
        f["wt"] = A.var(f"{gid}.with_target", t, "with_target", False)
        f["mt"] = A.var(f"{gid}.matched_target", t, "n", True)
        f["xt"] = A.var(f"{gid}.missed_target", t, "missed", True)
        a = g["academic_share"]
        f["wp"] = A.var(f"{gid}.with_program", a, "with_program", True)
        f["ac"] = A.var(f"{gid}.academic", a, "n", True)
        f["na"] = A.var(f"{gid}.not_academic", a, "not_academic", True)
        A.sum_eq(f["n"], [f["m"], f["u"]])
        A.sum_eq(f["wt"], [f["mt"], f["xt"]])
        A.sum_eq(f["wp"], [f["ac"], f["na"]])
        A.zone(f["m"], f["u"], g.get("n"), g["match_rate"])
        A.zone(f["mt"], f["xt"], t.get("with_target"), t.get("rate"))
        A.zone(f["ac"], f["na"], a.get("with_program"), a.get("rate"))
        A.at_most(f["wt"], f["n"])
        A.at_most(f["wp"], f["m"])
        A.at_most(f["mt"], f["m"])
        G[gid] = g
        fields[gid] = f
    for gid, g in G.items():
        kids = [k for k, h in G.items() if h.get("parent") == gid]
        if kids:
            for key in fields[gid]:
                A.sum_eq(fields[gid][key], [fields[k][key] for k in kids])

    # the retake policy: every low-pass retaker retook after a pass
    rp = rep["retake_policy"]
    rap = A.var("retake_after_pass", rp, "retake_after_pass", False)
    A.at_most(fields["low_pass_retook"]["n"], rap)

    # score change: the low-pass scope is the low-pass-retook group
    cats = {}
    for scope in ("score_change", "score_change_all_retakers"):
        s = rep[scope]
        n = A.var(f"{scope}.n", s, "n", False)
        parts = []
        for c in s["categories"]:
            parts.append(A.var(f"{scope}.{c['id']}", c, "n", False))
            cats[(scope, c["id"])] = parts[-1]
        A.sum_eq(n, parts)
        cats[(scope, "n")] = n
    # an empty category is withheld, not shown as 0, in a block where a
    # category is withheld as small (docs/privacy.md, "Empty score-change
    # categories"): where no category shows 0, a withheld one may be empty
    for scope in ("score_change", "score_change_all_retakers"):
        cs = rep[scope]["categories"]
        if any(c.get("n") == 0 for c in cs) or all(c.get("n") is not None for c in cs):
            continue
        for c in cs:
            vs = [cats[(scope, c["id"])]]
            if scope == "score_change":
                f = fields["low_pass_retook_" + c["id"]]
                vs += [f["n"], f["wt"]]
            for i in vs:
                if A.names[i] not in A.value:   # a shown count stays fixed
                    A.lo[i] = 0
    A.same(cats[("score_change", "n")], fields["low_pass_retook"]["n"])
    for c in rep["score_change"]["categories"]:
        A.same(cats[("score_change", c["id"])],
               fields["low_pass_retook_" + c["id"]]["n"])
        A.at_most(cats[("score_change", c["id"])],
                  cats[("score_change_all_retakers", c["id"])])
    A.at_most(cats[("score_change_all_retakers", "n")], fields["all"]["n"])
    rn = A.var("practice_regression.n", rep["practice_regression"], "n", False)
    ran = A.var("practice_regression_all.n",
                rep["practice_regression_all_retakers"], "n", False)
    A.at_most(rn, cats[("score_change", "n")])
    A.at_most(ran, cats[("score_change_all_retakers", "n")])
    A.at_most(rn, ran)

    # by specialty: rows partition everyone
    rows = {k: [] for k in ("n", "m", "u", "tn", "mt", "xt", "ln", "lm", "lu")}
    for row in rep["by_specialty"]:
        nm = row["specialty"]
        n = A.var(f"spec[{nm}].n", row, "n", False)
        m = A.var(f"spec[{nm}].matched", row, "matched", True)
        u = A.var(f"spec[{nm}].unmatched", row, "unmatched", True)
        A.sum_eq(n, [m, u])
        A.zone(m, u, row.get("n"), row["match_rate"])
        rows["n"].append(n)
        rows["m"].append(m)
        rows["u"].append(u)
        if not row.get("no_target"):
            t = row["matched_target"]
            mt = A.var(f"spec[{nm}].matched_target", t, "n", True)
            xt = A.var(f"spec[{nm}].missed_target", t, "missed", True)
            A.sum_eq(n, [mt, xt])
            A.zone(mt, xt, row.get("n"), t.get("rate"))
            A.at_most(mt, m)
            rows["tn"].append(n)
            rows["mt"].append(mt)
            rows["xt"].append(xt)
        lp = row["low_pass"]
        ln = A.var(f"spec[{nm}].low_pass.n", lp, "n", False if lp.get("n") != 0 else True)
        lm = A.var(f"spec[{nm}].low_pass.matched", lp, "matched", True)
        lu = A.var(f"spec[{nm}].low_pass.unmatched", lp, "unmatched", True)
        A.sum_eq(ln, [lm, lu])
        A.zone(lm, lu, lp.get("n"), lp.get("match_rate"))
        A.at_most(ln, n)
        A.at_most(lm, m)
        A.at_most(lu, u)
        rows["ln"].append(ln)
        rows["lm"].append(lm)
        rows["lu"].append(lu)
    if rep["by_specialty"]:
        al, lpf = fields["all"], fields["low_pass"]
        A.sum_eq(al["n"], rows["n"])
        A.sum_eq(al["m"], rows["m"])
        A.sum_eq(al["u"], rows["u"])
        A.sum_eq(al["wt"], rows["tn"])
        A.sum_eq(al["mt"], rows["mt"])
        A.sum_eq(al["xt"], rows["xt"])
        A.sum_eq(lpf["n"], rows["ln"])
        A.sum_eq(lpf["m"], rows["lm"])
        A.sum_eq(lpf["u"], rows["lu"])

    # by year: rows partition everyone
    yn, ym, yu = [], [], []
    for row in rep["by_year"]:
        y = row["year"]
        n = A.var(f"year[{y}].n", row, "n", False)
        m = A.var(f"year[{y}].matched", row, "matched", True)
        u = A.var(f"year[{y}].unmatched", row, "unmatched", True)
        A.sum_eq(n, [m, u])
        A.zone(m, u, row.get("n"), row["match_rate"])
        yn.append(n)
        ym.append(m)
        yu.append(u)
    if rep["by_year"]:
        A.sum_eq(fields["all"]["n"], yn)
        A.sum_eq(fields["all"]["m"], ym)
        A.sum_eq(fields["all"]["u"], yu)

    # what matched applicants matched into, by column group
    cols = {"low_pass_no_retake": "low_pass_no_retake",
            "low_pass_retook": "low_pass_retook",
            "failed_then_passed": "failed_then_passed"}
    tot = rep.get("matched_into_totals", {})
    for col, gid in cols.items():
        t = A.var(f"into_total.{col}", tot, col, True)
        A.same(t, fields[gid]["m"])
        for table, key in (("matched_into", "specialty"),
                           ("matched_into_program_type", "program_type")):
            parts = []
            for row in rep[table]:
                parts.append(A.var(f"{table}[{row[key]}].{col}", row, col, True))
                if table == "matched_into_program_type":
                    if row[key] == "Academic":
                        A.same(parts[-1], fields[gid]["ac"])
            A.sum_eq(t, parts)
            if table == "matched_into_program_type":
                named = [p for row, p in zip(rep[table], parts)
                         if row[key] not in ("Academic", "(not given)")]
                A.sum_eq(fields[gid]["na"], named)
    return A


def main():
    rep = json.load(open(sys.argv[1]))
    min_cell = int(sys.argv[2])
    A = build(rep)
    bad = 0
    withheld = 0
    narrow = {}
    coded_ok = 0
    for name, (lo, hi) in sorted(A.ranges().items()):
        withheld += 1
        width = math.inf if hi == math.inf else math.floor(hi + 1e-6) - math.ceil(lo - 1e-6) + 1
        if width >= min_cell:
            continue
        z = A.zones.get(name)
        if z is not None:
            if lo <= z[0] + 1e-6 and hi >= z[1] - 1e-6:
                coded_ok += 1
                continue
            bad += 1
            print(f"NARROWED {name}: {lo:g}..{hi:g} inside its coded "
                  f"range {z[0]}..{z[1]}")
            continue
        narrow[name] = (lo, hi, width)
    capped = 0
    nces = rep["settings"].get("privacy", {}).get("policy") == "nces"
    if narrow:
        cap = A.ranges(only=set(narrow), free_shown=True)
        # nces publishes the outcome counts of groups of min_cell or more
        # outside the coded ranges: what they bound is the policy's own
        gcap = (A.ranges(only=set(narrow) & A.outcome, free_shown=True,
                         groups_only=True) if nces else {})
        for name, (lo, hi, width) in sorted(narrow.items()):
            clo, chi = cap[name]
            glo, ghi = gcap.get(name, (math.inf, -math.inf))
            if (lo <= clo + 1e-6 and hi >= chi - 1e-6) or \
               (lo <= glo + 1e-6 and hi >= ghi - 1e-6):
                capped += 1
                print(f"capped {name}: {lo:g}..{hi:g}, bounded so by coded "
                      f"ranges, empty groups{' and shown outcomes' if nces else ''} alone")
                continue
            bad += 1
            print(f"NARROWED {name}: {lo:g}..{hi:g} ({width} values)")
    print(f"attack: {len(A.names)} counts, {withheld} withheld "
          f"({len(A.zones)} in coded ranges, {coded_ok} narrower than "
          f"{min_cell} values but exactly their coded range, {capped} capped), "
          f"{len(A.eq)} equalities, {len(A.le)} inequalities, {bad} narrowed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
