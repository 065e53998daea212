#!/usr/bin/python3
"""attacker.py - the independent attacker of ckcohort's published outputs.

    attacker.py --min-cell N --report NEW.json [--release OLD.json]...
                [--export DIR] [--ask SHEET.json]... [--case NAME]

It is written only from the documented meaning of the outputs (README.md,
docs/report-json.md, docs/ask-json.md, docs/ask.md, docs/export.md,
docs/privacy.md), never from ckcohort's sources: it is the reader the
privacy rules are meant to stop, holding everything a school publishes at
once -- the report JSON, the export CSVs, every ask sheet of a grid sweep,
and the reports of earlier yearly releases (cumulative Match years: each
earlier release describes a subset of the students of the newer one).

Attacks, all run together:

linear     Every count of every output is a variable (shown: fixed; withheld:
           >= 0, group sizes >= 1 since empty groups are shown, but for a
           score-change category beside a withheld one).  Every
           relation the documented meaning implies is written down: group
           hierarchy, n = matched + unmatched, target and program splits,
           the specialty / year tables summing to the headline, matched-into
           columns summing to the groups' matched counts, score-change
           categories = the low-pass-retook children; each ask group is a sum
           of grid cells kind x fine score band x target specialty x outcome
           (zone = its bands, tier = its specialties, everyone = all, a
           report group = a kind and zone union); a failing score's
           second_attempts bands sum to the grid's failed-then-passed, the
           weeks bands to the report's all-retakers n and their "gained" to
           its significantly_higher category; a newer release = the
           earlier one + the new students, per count.  Each matched grid
           cell splits by program type and by specialty matched into (its
           own target, every specialty the report's matched_into table or a
           sheet names, the rest): a sheet group's program_types[] sum to
           its matched count, its matched_into[] are parts of it (the list
           leaves out what cannot be shown: at most its matched count), its
           matched_target is its cells' own-target part; the report's
           matched_into / program-type columns, groups' academic and
           matched-target counts and specialty rows' matched-target counts
           are the same cells' sums; the practice-gain block splits the
           retakers with practice_avg_2 (the practice line's n) by practice
           band and gain >= 20, which with those without one are everyone
           with a second attempt and the significantly_higher category.  Coded rates (a rate
           shown only as a bound) add count >= bound x denominator.  Linear
           programming (SciPy HiGHS) then minimises and maximises every
           withheld count, every ask rung passed over and every
           new-students count.
nonlinear  Score-change statistics (mean, SD, quartiles of R type 7, share
           >= 20, the Wilcoxon normal approximation's number of non-zero
           changes) over integer changes: a MILP over "how many students had
           change v" bounds every withheld category count.  The practice
           regression's intercept, slope, sigma and prediction-interval
           half-widths give n*mean(practice) and n*mean(retake); between two
           releases their differences are sums over the new students.
none/all   A shown outcome count of 0 in a group known to be non-empty, or
           equal to its (known, non-empty) group total, tells every member's
           outcome (docs/privacy.md section 1).
export     Every export CSV number must be the JSON's number; a number the
           CSV shows and the JSON withholds is published.

Success for the attacker (exit status 1, every finding printed):
  * a withheld count narrowed to fewer than min_cell possible values (a
    coded count: narrower than its coded range and than min_cell);
  * a count nobody prints (an ask rung passed over, the new students of a
    release, a specialty a matched-into list leaves out) or a sheet's
    withheld matched-into figure narrowed to fewer than min_cell values
    that include 1..min_cell-1 (docs/privacy.md section 5), or a sheet's
    withheld outcome count pinned to 0 in a group with members, or to the
    whole group;
  * a none/all outcome as above;
  * a sum or mean over 1..min_cell-1 students recovered (one student: a value).
Exit 0: nothing found; exit 2: bad input.

ATTACK_VERBOSE=1 prints every bound, not only the leaks; ATTACK_PRINT_ALL=1
every finding (not the first 25 of each kind).
"""
import argparse
import csv
import glob
import json
import math
import os
import re
import sys
import time

import numpy as np
from scipy import sparse
from scipy.optimize import linprog, milp, LinearConstraint, Bounds
from scipy.stats import norm, t as student_t

INF = math.inf
VERBOSE = os.environ.get("ATTACK_VERBOSE") == "1"
FULL = os.environ.get("ATTACK_FULL") == "1"     # every category, not the first leak
BATCH_ROUNDS = int(os.environ.get("ATTACK_BATCH_ROUNDS", "6"))
NR, RT, TP, NP = "no_retake", "retook", "failed_then_passed", "failed_never_passed"
COLS = ("low_pass_no_retake", "low_pass_retook", "failed_then_passed")
NOT_GIVEN = ("(not given)", "not given", "not_given")


def log(msg):
    print(msg, flush=True)


# --------------------------------------------------------------------------
# the linear model
# --------------------------------------------------------------------------
class Model:
    """Variables with bounds, sparse linear equalities and inequalities."""

    def __init__(self):
        self.names, self.lo, self.hi = [], [], []
        self.index = {}
        self.eq, self.le = [], []     # ({var: coef}, rhs); le: sum <= rhs
        self.kind = {}                # var -> "withheld", "coded", "unprinted"
        self.coded = {}               # var -> (num var, den var, op, bound)
        self.same = {}                # key -> the same count's key in the
                                      # release before (a Match year both hold)
        self.link = {}                # key -> (the release before's key,
                                      # its new-students variable)
        self.outcome_total = {}       # a sheet count's key -> the row of the
                                      # group it is an outcome of

    def new(self, name, lo=0, hi=None):
        if name in self.index:
            raise SystemExit(f"attacker: variable {name} defined twice")
        i = len(self.names)
        self.names.append(name)
        self.lo.append(lo)
        self.hi.append(hi)
        self.index[name] = i
        return i

    def count(self, name, obj, key, size):
        """A count `key` of JSON object `obj` (None: not in this output)."""
        if obj is None or key not in obj:
            return self.new(name, 0, None)
        v = obj.get(key)
        if v is None:
            why = obj.get(key + "_suppressed")
            if why is None:
                raise SystemExit(f"attacker: {name}: null without {key}_suppressed")
            i = self.new(name, 1 if size else 0, None)
            self.kind[i] = "coded" if why == "coded" else "withheld"
            if why == "coded":
                self.coded_count(i, obj, key)
            return i
        return self.new(name, v, v)

    def coded_count(self, i, obj, key):
        for k in (key + "_bound", key + "_coded", key + "_range"):
            b = obj.get(k)
            if isinstance(b, list) and len(b) == 2:
                if b[0] is not None:
                    self.lo[i] = max(self.lo[i], b[0])
                if b[1] is not None:
                    self.hi[i] = b[1]
                return
            if b is not None:
                parsed = parse_bound(b)
                if parsed:
                    op, val = parsed
                    if op == ">=":
                        self.lo[i] = max(self.lo[i], math.ceil(val - 1e-9))
                    else:
                        self.hi[i] = math.floor(val + 1e-9)
                    return
        log(f"  note: coded count {self.names[i]} without a readable bound")

    def fixed(self, i):
        return self.hi[i] is not None and self.lo[i] == self.hi[i]

    def add_eq(self, row, rhs=0.0):
        self.eq.append((row, rhs))

    def sum_eq(self, total, parts):
        row = {total: 1.0}
        for p in parts:
            row[p] = row.get(p, 0.0) - 1.0
        self.eq.append((row, 0.0))

    def at_most(self, a, b):
        self.le.append(({a: 1.0, b: -1.0}, 0.0))

    def rate_code(self, num, den, obj, name):
        """A rate shown only as a bound: count >= (or <=) bound x denominator."""
        parsed = None
        for k in ("bound", "coded_bound", "coded", "note", "display", "text"):
            if k in obj and obj[k] is not None and not isinstance(obj[k], bool):
                parsed = parse_bound(obj[k], obj)
                if parsed:
                    break
        if not parsed and obj.get("estimate") is not None:
            op = obj.get("direction") or obj.get("op")
            if op in (">=", "<=", "at_least", "at_most"):
                parsed = (">=" if op in (">=", "at_least") else "<=", obj["estimate"])
        if not parsed:
            log(f"  note: coded rate {name} without a readable bound: ignored")
            return
        op, val = parsed
        sign = -1.0 if op == ">=" else 1.0     # num <= val*den  /  -num <= -val*den
        self.le.append(({num: sign, den: -sign * val}, 0.0))
        self.coded[num] = (num, den, op, val)
        if self.kind.get(num) == "withheld":
            self.kind[num] = "coded"

    def matrices(self):
        n = len(self.names)

        def mat(rows):
            if not rows:
                return None, None
            r, c, v, b = [], [], [], []
            for k, (row, rhs) in enumerate(rows):
                for j, coef in row.items():
                    r.append(k)
                    c.append(j)
                    v.append(coef)
                b.append(rhs)
            return sparse.csr_matrix((v, (r, c)), shape=(len(rows), n)), np.array(b)
        return mat(self.eq), mat(self.le)

    def bound(self, targets, min_cell=None, kinds=None):
        """{key: (lo, hi)} for every target (a {var: coef} row).

        Every solution found is a point every target's range contains, so a
        target whose values at the points seen already span min_cell values
        (or, for an unprinted count, include 0) needs no LP of its own: its
        (lo, hi) is then the span seen, a lower bound on the true range,
        marked with exact=False in self.inexact."""
        (aeq, beq), (aub, bub) = self.matrices()
        n = len(self.names)
        bounds = list(zip(self.lo, self.hi))
        keys = list(targets)
        rows = sparse.csr_matrix(
            ([c for k in keys for c in targets[k].values()],
             ([r for r, k in enumerate(keys) for _ in targets[k]],
              [j for k in keys for j in targets[k]])), shape=(len(keys), n))
        seen_lo = np.full(len(keys), np.inf)
        seen_hi = np.full(len(keys), -np.inf)
        self.inexact = set()
        self.lp_solved = 0

        def observe(x):
            vals = rows @ x
            np.minimum(seen_lo, vals, out=seen_lo)
            np.maximum(seen_hi, vals, out=seen_hi)

        def safe(r):
            if min_cell is None or seen_lo[r] == np.inf:
                return False
            if width(seen_lo[r], seen_hi[r]) >= min_cell:
                return True
            kind = kinds.get(keys[r]) if kinds is not None else None
            if kind in SHEET_KINDS:
                # judged by docs/privacy.md section 5 and for none / all:
                # values 0 and 1 or more seen leave it neither
                return seen_lo[r] < 0.5 and seen_hi[r] > 0.5
            return kind == "unprinted" and seen_lo[r] < 0.5

        # a few programs that push many targets at once, half of them up
        # and half down (then the other way round), before one program a
        # target: every point seen widens the ranges seen, and a target
        # whose range seen is already wide enough needs no program of its
        # own (the ranges found are the same; only fewer programs are solved)
        rng = np.random.default_rng(12)
        for rnd in range(BATCH_ROUNDS if min_cell is not None else 0):
            open_rows = [r for r in range(len(keys)) if not safe(r)]
            if len(open_rows) < 16:
                break
            w = np.ones(len(open_rows)) if rnd == 0 else rng.choice((-1.0, 1.0), len(open_rows))
            c0 = np.asarray(rows[open_rows].T @ w).ravel()
            for sign in (1.0, -1.0):
                res = linprog(sign * c0, A_ub=aub, b_ub=bub, A_eq=aeq, b_eq=beq,
                              bounds=bounds, method="highs")
                self.lp_solved += 1
                if res.status == 2:
                    raise Infeasible(res.message)
                if res.status == 0:
                    observe(res.x)
            if sum(1 for r in open_rows if not safe(r)) > 0.9 * len(open_rows):
                break

        out = {}
        for r, key in enumerate(keys):
            if safe(r):
                out[key] = (seen_lo[r], seen_hi[r])
                self.inexact.add(key)
                continue
            got = []
            for sign in (1.0, -1.0):
                c = np.zeros(n)
                for j, coef in targets[key].items():
                    c[j] = sign * coef
                res = linprog(c, A_ub=aub, b_ub=bub, A_eq=aeq, b_eq=beq,
                              bounds=bounds, method="highs")
                if res.status == 2:
                    # HiGHS's presolve has called feasible models infeasible
                    # (a report, last year's report and sheets of its
                    # students, 2026-12-01): ask the solver itself
                    res = linprog(c, A_ub=aub, b_ub=bub, A_eq=aeq, b_eq=beq,
                                  bounds=bounds, method="highs",
                                  options={"presolve": False})
                self.lp_solved += 1
                if res.status == 3:
                    got.append(-INF if sign > 0 else INF)
                elif res.status == 2:
                    raise Infeasible(res.message)
                elif res.status != 0:
                    raise SystemExit(f"attacker: linprog failed: {res.message}")
                else:
                    got.append(sign * res.fun)
                    observe(res.x)
                if sign > 0 and safe(r):
                    break
            if len(got) == 2:
                out[key] = (got[0], got[1])
            else:
                out[key] = (seen_lo[r], seen_hi[r])
                self.inexact.add(key)
        return out


class Infeasible(Exception):
    pass


def parse_bound(text, obj=None):
    """'>= 0.95', '≥ 95%', '<=0.20', '≤ 5%' -> (op, fraction)."""
    if isinstance(text, (int, float)):
        op = (obj or {}).get("direction") or (obj or {}).get("op")
        if op in (">=", "at_least"):
            return (">=", float(text))
        if op in ("<=", "at_most"):
            return ("<=", float(text))
        return None
    if not isinstance(text, str):
        return None
    m = re.search(r"(>=|<=|≥|≤|>|<)\s*([0-9.]+)\s*(%?)", text)
    if not m:
        return None
    op = ">=" if m.group(1) in (">=", "≥", ">") else "<="
    val = float(m.group(2))
    if m.group(3) == "%":
        val /= 100.0
    return (op, val)


def width(lo, hi):
    if hi == INF or lo == -INF:
        return INF
    return math.floor(hi + 1e-6) - math.ceil(lo - 1e-6) + 1


def fmt_range(lo, hi):
    a = "-inf" if lo == -INF else str(math.ceil(lo - 1e-6))
    b = "inf" if hi == INF else str(math.floor(hi + 1e-6))
    return a if a == b else f"{a}..{b}"


# --------------------------------------------------------------------------
# one report
# --------------------------------------------------------------------------
def estimate_coded(est):
    return isinstance(est, dict) and (est.get("reason") == "coded" or est.get("coded") not in (None, False))


class Report:
    """The counts of one report JSON as variables of M, prefix ns."""

    def __init__(self, M, rep, ns):
        self.M, self.rep, self.ns = M, rep, ns
        self.v = {}             # stable key -> var
        self.partitions = []    # (label, total var, [(label, part var)])
        self.build()

    def var(self, key, obj, field, size=False):
        i = self.M.count(f"{self.ns}{key}", obj, field, size)
        self.v[key] = i
        return i

    def split(self, label, total, parts):
        self.M.sum_eq(total, [p for _, p in parts])
        self.partitions.append((self.ns + label, total, parts))

    def code(self, est, num, den, name):
        if estimate_coded(est):
            self.M.rate_code(num, den, est, self.ns + name)

    def build(self):
        M, rep = self.M, self.rep
        f = {}
        G = {g["id"]: g for g in rep["groups"]}
        for gid, g in G.items():
            d = {}
            d["n"] = self.var(f"{gid}.n", g, "n", True)
            d["m"] = self.var(f"{gid}.matched", g, "matched")
            d["u"] = self.var(f"{gid}.unmatched", g, "unmatched")
            t = g["matched_target"]
            d["wt"] = self.var(f"{gid}.with_target", t, "with_target")
            d["mt"] = self.var(f"{gid}.matched_target", t, "n")
            d["xt"] = self.var(f"{gid}.missed_target", t, "missed")
            a = g["academic_share"]
            d["wp"] = self.var(f"{gid}.with_program", a, "with_program")
            d["ac"] = self.var(f"{gid}.academic", a, "n")
            d["na"] = self.var(f"{gid}.not_academic", a, "not_academic")
            self.split(f"{gid} matched/unmatched", d["n"], [("matched", d["m"]), ("unmatched", d["u"])])
            self.split(f"{gid} target", d["wt"], [("matched target", d["mt"]), ("missed target", d["xt"])])
            self.split(f"{gid} program", d["wp"], [("academic", d["ac"]), ("not academic", d["na"])])
            M.at_most(d["wt"], d["n"])
            M.at_most(d["wp"], d["m"])
            M.at_most(d["mt"], d["m"])
            self.code(g.get("match_rate"), d["m"], d["n"], f"{gid}.match_rate")
            self.code(t.get("rate"), d["mt"], d["wt"], f"{gid}.target_rate")
            self.code(a.get("rate"), d["ac"], d["wp"], f"{gid}.academic_rate")
            f[gid] = d
        self.f = f
        for gid, g in G.items():
            kids = [k for k, h in G.items() if h.get("parent") == gid]
            if kids:
                for key in f[gid]:
                    M.sum_eq(f[gid][key], [f[k][key] for k in kids])

        rp = rep["retake_policy"]
        rap = self.var("retake_after_pass", rp, "retake_after_pass")
        if "low_pass_retook" in f:
            M.at_most(f["low_pass_retook"]["n"], rap)

        self.cat_range = {}
        for scope in ("score_change", "score_change_all_retakers"):
            s = rep[scope]
            n = self.var(f"{scope}.n", s, "n")
            parts = []
            for c in s["categories"]:
                parts.append((c["id"], self.var(f"{scope}.{c['id']}", c, "n", True)))
                self.cat_range[c["id"]] = label_range(c.get("label", ""))
            M.sum_eq(n, [p for _, p in parts])
        # an empty category is withheld, not shown as 0, beside a small one
        # (docs/privacy.md, "Empty score-change categories")
        for scope in ("score_change", "score_change_all_retakers"):
            if not open_block(rep, scope):
                continue
            for c in rep[scope]["categories"]:
                # a shown count stays fixed; a withheld one may be 0
                for i in ([self.v[f"{scope}.{c['id']}"]] +
                          ([f[gid]["n"], f[gid]["wt"]]
                           if scope == "score_change" and
                           (gid := "low_pass_retook_" + c["id"]) in f else [])):
                    if not M.fixed(i):
                        M.lo[i] = 0
        sc = rep["score_change"]
        if "low_pass_retook" in f:
            M.add_eq({self.v["score_change.n"]: 1.0, f["low_pass_retook"]["n"]: -1.0})
            for c in sc["categories"]:
                gid = "low_pass_retook_" + c["id"]
                if gid in f:
                    M.add_eq({self.v[f"score_change.{c['id']}"]: 1.0, f[gid]["n"]: -1.0})
                M.at_most(self.v[f"score_change.{c['id']}"],
                          self.v[f"score_change_all_retakers.{c['id']}"])
        M.at_most(self.v["score_change_all_retakers.n"], f["all"]["n"])
        if "failed_then_passed" in f and "low_pass_retook" in f:
            # everyone with a second attempt: failed-then-passed, low-pass
            # retakers, retakers above the band (and those who failed twice):
            # the first two are disjoint parts of it
            M.le.append(({f["failed_then_passed"]["n"]: 1.0, f["low_pass_retook"]["n"]: 1.0,
                          self.v["score_change_all_retakers.n"]: -1.0}, 0.0))
        rn = self.var("practice_regression.n", rep["practice_regression"], "n")
        ran = self.var("practice_regression_all_retakers.n",
                       rep["practice_regression_all_retakers"], "n")
        M.at_most(rn, self.v["score_change.n"])
        M.at_most(ran, self.v["score_change_all_retakers.n"])
        M.at_most(rn, ran)

        rows = {k: [] for k in ("n", "m", "u", "tn", "mt", "xt", "ln", "lm", "lu")}
        for row in rep["by_specialty"]:
            nm = row["specialty"]
            n = self.var(f"spec[{nm}].n", row, "n", True)
            m = self.var(f"spec[{nm}].matched", row, "matched")
            u = self.var(f"spec[{nm}].unmatched", row, "unmatched")
            self.split(f"specialty {nm} matched/unmatched", n, [("matched", m), ("unmatched", u)])
            self.code(row.get("match_rate"), m, n, f"spec[{nm}].match_rate")
            rows["n"].append(n)
            rows["m"].append(m)
            rows["u"].append(u)
            if not row.get("no_target"):
                t = row["matched_target"]
                mt = self.var(f"spec[{nm}].matched_target", t, "n")
                xt = self.var(f"spec[{nm}].missed_target", t, "missed")
                self.split(f"specialty {nm} target", n, [("matched target", mt), ("missed target", xt)])
                self.code(t.get("rate"), mt, n, f"spec[{nm}].target_rate")
                M.at_most(mt, m)
                rows["tn"].append(n)
                rows["mt"].append(mt)
                rows["xt"].append(xt)
            lp = row["low_pass"]
            ln = self.var(f"spec[{nm}].low_pass.n", lp, "n", True)
            lm = self.var(f"spec[{nm}].low_pass.matched", lp, "matched")
            lu = self.var(f"spec[{nm}].low_pass.unmatched", lp, "unmatched")
            self.split(f"specialty {nm} low pass", ln, [("matched", lm), ("unmatched", lu)])
            self.code(lp.get("match_rate"), lm, ln, f"spec[{nm}].low_pass.match_rate")
            M.at_most(ln, n)
            M.at_most(lm, m)
            M.at_most(lu, u)
            rows["ln"].append(ln)
            rows["lm"].append(lm)
            rows["lu"].append(lu)
        if rep["by_specialty"]:
            al, lpf = f["all"], f["low_pass"]
            for a, b in (("n", "n"), ("m", "m"), ("u", "u"), ("wt", "tn"), ("mt", "mt"), ("xt", "xt")):
                M.sum_eq(al[a], rows[b])
            for a, b in (("n", "ln"), ("m", "lm"), ("u", "lu")):
                M.sum_eq(lpf[a], rows[b])

        yn, ym, yu = [], [], []
        for row in rep["by_year"]:
            y = row["year"]
            n = self.var(f"year[{y}].n", row, "n", True)
            m = self.var(f"year[{y}].matched", row, "matched")
            u = self.var(f"year[{y}].unmatched", row, "unmatched")
            self.split(f"year {y}", n, [("matched", m), ("unmatched", u)])
            self.code(row.get("match_rate"), m, n, f"year[{y}].match_rate")
            yn.append(n)
            ym.append(m)
            yu.append(u)
        if rep["by_year"]:
            M.sum_eq(f["all"]["n"], yn)
            M.sum_eq(f["all"]["m"], ym)
            M.sum_eq(f["all"]["u"], yu)

        tot = rep.get("matched_into_totals", {})
        for col in COLS:
            t = self.var(f"into_total.{col}", tot, col)
            M.add_eq({t: 1.0, f[col]["m"]: -1.0})
            for table, key in (("matched_into", "specialty"),
                               ("matched_into_program_type", "program_type")):
                parts = []
                for row in rep[table]:
                    parts.append((row[key], self.var(f"{table}[{row[key]}].{col}", row, col)))
                    if table == "matched_into_program_type" and row[key] == "Academic":
                        M.add_eq({parts[-1][1]: 1.0, f[col]["ac"]: -1.0})
                self.split(f"{table} column {col}", t, parts)
                if table == "matched_into_program_type":
                    named = [p for (k, p) in parts if k not in ("Academic",) + NOT_GIVEN]
                    M.sum_eq(f[col]["na"], named)
        self.link_targets(f)

    def link_targets(self, f):
        """A matched member of a matched-into column who named target t and
        matched into m is one count in three tables: t's row of by_specialty
        (its low_pass block for the two low-pass columns), m's row of
        matched_into, and the column group's matched_target when m = t
        (docs/report-json.md).  Per column and target: the members matched
        into t, and into each matched_into row but not t (t's own named row
        holds only t; a target without a row of its own is in "Other
        (merged)")."""
        M, rep = self.M, self.rep
        rows = [row["specialty"] for row in rep.get("matched_into", [])]
        if not rows or not rep["by_specialty"]:
            return
        merged = "Other (merged)" if "Other (merged)" in rows else None
        ns = self.ns
        links = {}  # target -> {column: (its members, those matched into it)}
        for col in COLS:
            if col not in f:
                continue
            into_parts = {j: [] for j in rows}
            owns = []
            for row in rep["by_specialty"]:
                t = row["specialty"]
                none = bool(row.get("no_target"))
                own_row = None if none else (t if t in rows else merged)
                parts, o = [], None
                if own_row is not None:  # else nobody matched into t
                    o = M.new(f"{ns}link[{col},{t},own]")
                    parts.append(o)
                    owns.append(o)
                    into_parts[own_row].append(o)
                for j in rows:
                    if not none and j == t:
                        continue  # t's own row: only t, counted as own
                    e = M.new(f"{ns}link[{col},{t},into {j}]")
                    parts.append(e)
                    into_parts[j].append(e)
                tot = M.new(f"{ns}link[{col},{t}]")
                M.sum_eq(tot, parts)
                links.setdefault(t, {})[col] = (tot, o)
            for j in rows:
                M.sum_eq(self.v[f"matched_into[{j}].{col}"], into_parts[j])
            M.sum_eq(f[col]["mt"], owns)
        for row in rep["by_specialty"]:
            nm = row["specialty"]
            lk = links.get(nm, {})
            lp = [lk[c][0] for c in ("low_pass_no_retake", "low_pass_retook") if c in lk]
            if len(lp) == 2:
                M.sum_eq(self.v[f"spec[{nm}].low_pass.matched"], lp)
            allm = M.new(f"{ns}link[all columns,{nm}]")
            M.sum_eq(allm, [lk[c][0] for c in lk])
            M.at_most(allm, self.v[f"spec[{nm}].matched"])
            owns = [lk[c][1] for c in lk if lk[c][1] is not None]
            if owns and not row.get("no_target"):
                own = M.new(f"{ns}link[all columns,{nm},own]")
                M.sum_eq(own, owns)
                M.at_most(own, self.v[f"spec[{nm}].matched_target"])


def label_range(label):
    """'lower (<= -5)' -> (None, -5); 'similar (-4 to +4)' -> (-4, 4); '(+20+)' -> (20, None)."""
    m = re.search(r"<=\s*([+-]?\d+)", label)
    if m:
        return (None, int(m.group(1)))
    m = re.search(r"([+-]?\d+)\s*to\s*([+-]?\d+)", label)
    if m:
        return (int(m.group(1)), int(m.group(2)))
    m = re.search(r"([+-]?\d+)\+", label)
    if m:
        return (int(m.group(1)), None)
    return None


# --------------------------------------------------------------------------
# export CSVs: the same numbers as the JSON
# --------------------------------------------------------------------------
GROUP_MEASURES = {"n": "n", "matched": "matched", "unmatched": "unmatched",
                  "with_target": "with_target", "matched_target": "matched_target",
                  "missed_target": "missed_target", "with_program": "with_program",
                  "academic": "academic", "not_academic": "not_academic"}
SPEC_MEASURES = {"n": "n", "matched": "matched", "unmatched": "unmatched",
                 "matched_target": "matched_target", "missed_target": "missed_target",
                 "low_pass_n": "low_pass.n", "low_pass_matched": "low_pass.matched",
                 "low_pass_unmatched": "low_pass.unmatched"}


def export_key(table, row_id, measure):
    if table == "groups" and measure in GROUP_MEASURES:
        return f"{row_id}.{GROUP_MEASURES[measure]}"
    if table == "by_specialty" and measure in SPEC_MEASURES:
        return f"spec[{row_id}].{SPEC_MEASURES[measure]}"
    if table == "by_year" and measure in ("n", "matched", "unmatched"):
        return f"year[{row_id}].{measure}"
    if table in ("matched_into", "matched_into_program_type") and measure in COLS:
        return f"{table}[{row_id}].{measure}"
    if table == "matched_into_totals" and measure in COLS:
        return f"into_total.{measure}"
    if table in ("score_change", "score_change_all_retakers") and measure == "n":
        return f"{table}.n" if row_id == "summary" else f"{table}.{row_id}"
    if table.startswith("practice_regression") and measure == "n":
        return f"{table}.n"
    return None


def attack_export(M, R, folder, findings):
    """Cross-check every export count against the JSON; fix what it shows."""
    seen = shown_more = 0
    for path in sorted(glob.glob(os.path.join(folder, "*.csv"))):
        if os.path.basename(path) == "data_dictionary.csv":
            continue
        with open(path, newline="", encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                key = export_key(row["table"], row["row_id"], row["measure"])
                if key is None:
                    continue
                seen += 1
                if key not in R.v:
                    findings.append(("export", f"export {row['table']}/{row['row_id']}/"
                                     f"{row['measure']} has no JSON counterpart"))
                    continue
                i = R.v[key]
                val = row["value"]
                if val == "":
                    if row.get("reason") == "coded":
                        parsed = parse_bound(row.get("note", ""))
                        if parsed and not M.fixed(i):
                            log(f"  export: {key} coded {row.get('note')}")
                    continue
                v = float(val)
                if M.fixed(i):
                    if abs(M.lo[i] - v) > 1e-9:
                        findings.append(("export", f"{key}: export {v:g}, JSON {M.lo[i]:g}"))
                    continue
                shown_more += 1
                findings.append(("export", f"export shows {key} = {v:g}, which the JSON report withholds"))
                M.lo[i] = M.hi[i] = int(round(v))
    log(f"export: {seen} counts read, {shown_more} shown that the JSON withholds")


# --------------------------------------------------------------------------
# ask sheets: the grid of kind x fine band x target specialty x outcome
# --------------------------------------------------------------------------
class Grid:
    def __init__(self, M, R, margin, ranges, into=None):
        self.M, self.R = M, R
        rep = R.rep
        self.margin = margin
        self.specs = []
        self.tier = {}
        for row in rep["by_specialty"]:
            self.specs.append(row["specialty"])
            self.tier[row["specialty"]] = row.get("tier")
        self.no_target = [row["specialty"] for row in rep["by_specialty"] if row.get("no_target")]
        # score atoms: the pieces between every offset at which a zone or a
        # band of any sheet starts or ends (fine bands no sheet tells apart
        # are one atom: the same sums, far fewer variables)
        cuts = {0, margin + 1}
        for lo, hi in ranges:
            if lo != -INF:
                cuts.add(lo)
            if hi != INF:
                cuts.add(hi + 1)
        cuts = sorted(cuts)
        edges = [-INF] + cuts + [INF]
        self.bands = {}
        for k in range(len(edges) - 1):
            a, b = edges[k], edges[k + 1]
            self.bands[k] = (a, b - 1 if b != INF else INF)
        self.x = {}
        for code in self.bands:
            kinds = (TP, NP) if self.bands[code][1] < 0 else (NR, RT)
            for k in kinds:
                for s in self.specs:
                    for o in ("m", "u"):
                        self.x[(k, code, s, o)] = M.new(f"grid[{k},{code},{s},{o}]")
        self.report_rows, self.report_vars = {}, {}
        self.detail = into is not None
        if self.detail:
            self.build_detail(into)
        self.link_report()

    def build_detail(self, named):
        """What a group's matched members matched into (docs/ask-json.md:
        program_types[], matched_into[], matched_target): every matched
        cell splits by program type (academic, community, other, not
        given) and by the specialty matched into.  Kept apart are the
        cell's own target (its matched_target), every row of the report's
        matched_into table and every specialty a sheet lists; the rest of a
        cell's matched members are one part, "(rest)": no output names
        their specialties, so no sum tells them apart."""
        M = self.M
        self.into_names = sorted(named) + [REST]
        self.pt, self.mi, self.parts = {}, {}, {}
        for (k, code, s, o), i in self.x.items():
            if o != "m":
                continue
            row = {i: 1.0}
            for t in PROGRAM_TYPES:
                j = self.pt[(k, code, s, t)] = M.new(f"grid[{k},{code},{s},type {t}]")
                row[j] = -1.0
            M.add_eq(row)
            row = {i: 1.0}
            names = self.into_names
            if s not in self.no_target and s not in named:
                names = [s] + names
            self.parts[(k, code, s)] = []
            for name in names:
                j = self.mi[(k, code, s, name)] = M.new(f"grid[{k},{code},{s},into {name}]")
                self.parts[(k, code, s)].append((name, j))
                row[j] = -1.0
            M.add_eq(row)

    def keys(self, kinds, lo, hi, specs):
        """The matched cells (kind, band, target) of kinds x lo..hi x specs."""
        out = []
        for code, (a, b) in self.bands.items():
            if a < lo or b > hi:
                continue
            for k in kinds:
                for s in specs:
                    if (k, code, s, "m") in self.x:
                        out.append((k, code, s))
        return out

    def detail_rows(self, kinds, lo, hi, specs):
        """{measure: row} of a group's matched-into counts: matched_target
        (matched into its own target), missed_target (named a target and
        did not match into it), with_target, each program type, and
        into:NAME for every specialty kept apart."""
        ks = self.keys(kinds, lo, hi, specs)
        real = [c for c in ks if c[2] not in self.no_target]
        rows = {"matched_target": {self.mi[(k, c, s, s)]: 1.0 for (k, c, s) in real}}
        wt = {}
        for (k, c, s) in real:
            wt[self.x[(k, c, s, "m")]] = 1.0
            wt[self.x[(k, c, s, "u")]] = 1.0
        rows["with_target"] = wt
        miss = dict(wt)
        for i in rows["matched_target"]:
            miss[i] = miss.get(i, 0.0) - 1.0
        rows["missed_target"] = miss
        for t in PROGRAM_TYPES:
            rows[f"type:{t}"] = {self.pt[(k, c, s, t)]: 1.0 for (k, c, s) in ks}
        rows["with_program"] = {self.pt[(k, c, s, t)]: 1.0 for (k, c, s) in ks
                                for t in PROGRAM_TYPES if t != "not_given"}
        rows["not_academic"] = {self.pt[(k, c, s, t)]: 1.0 for (k, c, s) in ks
                                for t in ("community", "other")}
        for name in self.into_names:
            rows[f"into:{name}"] = {self.mi[(k, c, s, name)]: 1.0 for (k, c, s) in ks}
        # every matched-into part of these cells, to sum what a list leaves out
        rows["into_parts"] = [p for c in ks for p in self.parts[c]]
        return rows

    def cells(self, kinds, lo, hi, specs, outs):
        row = {}
        for (k, code, s, o), i in self.x.items():
            a, b = self.bands[code]
            if k in kinds and s in specs and o in outs and a >= lo and b <= hi:
                row[i] = 1.0
        return row

    def link(self, var, row):
        # a report count over exactly these grid cells: a rung a sheet
        # passes over with the same cells is the report's count, printed
        # (or withheld) there, not a count nobody prints
        self.report_rows.setdefault(rkey(row), var)
        self.report_vars.setdefault(rkey(row), []).append(var)
        r = dict(row)
        r[var] = r.get(var, 0.0) - 1.0
        self.M.add_eq(r)

    def link_report(self):
        M, v = self.margin, self.R.v
        everyone = self.specs
        groups = {"all": ({NR, RT, TP, NP}, -INF, INF),
                  "failed_first": ({TP, NP}, -INF, -1),
                  "failed_then_passed": ({TP}, -INF, -1),
                  "failed_never_passed": ({NP}, -INF, -1),
                  "low_pass": ({NR, RT}, 0, M),
                  "low_pass_no_retake": ({NR}, 0, M),
                  "low_pass_retook": ({RT}, 0, M),
                  "above_band": ({NR, RT}, M + 1, INF)}
        for gid, (kinds, lo, hi) in groups.items():
            if f"{gid}.n" not in v:
                continue
            for key, outs in (("n", "mu"), ("matched", "m"), ("unmatched", "u")):
                self.link(v[f"{gid}.{key}"], self.cells(kinds, lo, hi, everyone, outs))
            if self.detail:
                d = self.detail_rows(kinds, lo, hi, everyone)
                for key, meas in (("with_target", "with_target"),
                                  ("matched_target", "matched_target"),
                                  ("missed_target", "missed_target"),
                                  ("with_program", "with_program"),
                                  ("academic", "type:academic"),
                                  ("not_academic", "not_academic")):
                    if f"{gid}.{key}" in v:
                        self.link(v[f"{gid}.{key}"], d[meas])
        if self.detail:
            # the matched-into tables: each column is a kind x zone of the
            # grid; a named row is that specialty (or program type) in the
            # column; "Other (merged)" is what the named rows leave of the
            # column's total, which the report's own sums already say
            cols = {"low_pass_no_retake": ({NR}, 0, M), "low_pass_retook": ({RT}, 0, M),
                    "failed_then_passed": ({TP}, -INF, -1)}
            for col, (kinds, lo, hi) in cols.items():
                d = self.detail_rows(kinds, lo, hi, everyone)
                for row in self.R.rep["matched_into"]:
                    key = f"matched_into[{row['specialty']}].{col}"
                    if key in v and f"into:{row['specialty']}" in d:
                        self.link(v[key], d[f"into:{row['specialty']}"])
                for row in self.R.rep["matched_into_program_type"]:
                    key = f"matched_into_program_type[{row['program_type']}].{col}"
                    t = program_type(row["program_type"])
                    if key in v and t:
                        self.link(v[key], d[f"type:{t}"])
            for s in self.specs:
                if s in self.no_target:
                    continue
                d = self.detail_rows({NR, RT, TP, NP}, -INF, INF, [s])
                if f"spec[{s}].matched_target" in v:
                    self.link(v[f"spec[{s}].matched_target"], d["matched_target"])
        # every passed-then-retook record has an attempt after a passed one
        r = self.cells({RT}, -INF, INF, everyone, "mu")
        r[v["retake_after_pass"]] = -1.0
        self.R.M.le.append((r, 0.0))
        # everyone with a second attempt (score_change_all_retakers): every
        # passed-then-retook and failed-then-passed applicant, and those who
        # failed and never passed who took it twice
        if "score_change_all_retakers.n" in v:
            sc = v["score_change_all_retakers.n"]
            r = self.cells({RT, TP}, -INF, INF, everyone, "mu")
            r[sc] = -1.0
            self.R.M.le.append((r, 0.0))
            r = {i: -1.0 for i in self.cells({RT, TP, NP}, -INF, INF, everyone, "mu")}
            r[sc] = 1.0
            self.R.M.le.append((r, 0.0))
        for s in self.specs:
            for key, outs in (("n", "mu"), ("matched", "m"), ("unmatched", "u")):
                self.link(v[f"spec[{s}].{key}"], self.cells({NR, RT, TP, NP}, -INF, INF, [s], outs))
                self.link(v[f"spec[{s}].low_pass.{key}"], self.cells({NR, RT}, 0, M, [s], outs))

    def scope_specs(self, scope):
        level, name = scope["level"], scope["name"]
        if level == "all":
            return self.specs
        if level == "tier":
            return [s for s in self.specs if self.tier.get(s) == name]
        return [s for s in self.specs if s == name]

    def row_for(self, kind, rung, outs):
        b, sc = rung["band"], rung["scope"]
        lo = b["from_offset"] if b["from_offset"] is not None else -INF
        hi = b["to_offset"] if b["to_offset"] is not None else INF
        return self.cells({kind}, lo, hi, self.scope_specs(sc), outs)


REST = "(rest)"
# a sheet's count the sheet withholds, or that no output prints, among its
# matched-into figures (judged as docs/privacy.md section 5 judges a count
# no output prints, and for none / all)
SHEET_KINDS = ("withheld on a sheet", "unprinted on a sheet")
PROGRAM_TYPES = ("academic", "community", "other", "not_given")


def rkey(row):
    """A row's identity: its variables with their coefficients."""
    return frozenset(row.items())


def program_type(label):
    """'Academic', 'academic' -> 'academic'; '(not given)', 'not_given' -> 'not_given'."""
    t = label.strip("()").strip().lower().replace(" ", "_")
    return t if t in PROGRAM_TYPES else None


def sheet_into_names(sheets):
    """Every specialty some sheet lists in a group's matched_into."""
    out = set()
    for path in sheets:
        for g in json.load(open(path))["groups"]:
            for e in g.get("matched_into") or []:
                out.add(e["specialty"])
    return out


def sheet_ranges(sheets):
    out = set()
    for path in sheets:
        for g in json.load(open(path))["groups"]:
            for rung in (g.get("widened_from") or []) + ([g["group"]] if g.get("group") else []):
                b = rung["band"]
                out.add((-INF if b["from_offset"] is None else b["from_offset"],
                         INF if b["to_offset"] is None else b["to_offset"]))
    return out


def rung_label(kind, rung):
    b, sc = rung["band"], rung["scope"]
    lo = "" if b["from_offset"] is None else f"{b['from_offset']:+d}"
    hi = "" if b["to_offset"] is None else f"{b['to_offset']:+d}"
    return f"{kind} x pass{lo}..{hi} x {sc['level']} {sc['name']}"


def ask_fix(M, key, row, val, shown, findings):
    """A count a sheet shows: the same on every sheet, and fixed."""
    if key in shown:
        if shown[key] != val:
            findings.append(("ask", f"{key}: two sheets show {shown[key]} and {val}"))
        return
    shown[key] = val
    if not getattr(M, "ask_unread", False):
        M.add_eq(row, float(val))


def ask_extras(M, R, grid, j, targets, shown, findings):
    """A failing score's second_attempts and every sheet's weeks table
    (docs/ask-json.md): failed-then-passed applicants (any first score,
    every target) by their second attempt's band, which together are the
    grid's failed-then-passed cells; retakers by protected weeks (fewer than
    min_weeks / at least / none recorded), which together are the report's
    score_change_all_retakers n, and whose "gained" counts together are its
    significantly_higher category."""
    sa = j.get("second_attempts")
    if sa:
        listed = sa.get("bands") or []
        unlisted = sa.get("not_listed") or []
        if not hasattr(grid, "y2"):
            grid.y2 = {}
            for r in listed + unlisted:
                b = (r["from_offset"], r["to_offset"])
                for o in "mu":
                    grid.y2[(b, o)] = M.new(f"second[{b},{o}]")
            for o in "mu":
                row = grid.cells({TP}, -INF, -1, grid.specs, o)
                for (b, oo), i in grid.y2.items():
                    if oo == o:
                        row[i] = row.get(i, 0.0) - 1.0
                M.add_eq(row)
        rows = [("all", sa["all"])] if sa.get("all") else []
        rows += [("band", r) for r in listed] + [("unlisted", r) for r in unlisted]
        for what, r in rows:
            b = (r.get("from_offset"), r.get("to_offset"))
            for meas, outs in (("n", "mu"), ("matched", "m"), ("unmatched", "u")):
                if what == "all":
                    row = grid.cells({TP}, -INF, -1, grid.specs, outs)
                else:
                    row = {grid.y2[(b, o)]: 1.0 for o in outs}
                key = f"ask: failed_then_passed by second attempt {b} {meas}"
                if what == "all":   # the same count as that ask group's
                    zone = {"band": {"from_offset": None, "to_offset": -1},
                            "scope": {"level": "all", "name": "all"}}
                    key = f"ask: {rung_label(TP, zone)} {meas}"
                if what == "unlisted":
                    # a band the sheet does not print: like a rung passed over
                    targets.setdefault(key, ("unprinted", row))
                elif meas not in r:
                    continue      # not part of this row (docs/ask-json.md)
                elif r[meas] is None:
                    if any(M.fixed(rv) for rv in
                           grid.report_vars.get(rkey(row), [])):
                        continue  # withheld here, printed by the report
                    if key not in targets:
                        targets[key] = ("withheld", row)
                        grid.extra_withheld = getattr(grid, "extra_withheld", 0) + 1
                else:
                    ask_fix(M, key, row, r[meas], shown, findings)
            n, m, u = r.get("n"), r.get("matched"), r.get("unmatched")
            if n and ((m is not None and m in (0, n)) or (u is not None and u in (0, n))):
                findings.append(("none/all", f"second attempt {b}: matched {m}, "
                                             f"unmatched {u} of {n}"))
    wk = j.get("weeks") or {}
    if wk.get("bands") or wk.get("not_listed"):
        if not hasattr(grid, "wk"):
            grid.wk = {(b, o): M.new(f"weeks[{b},{o}]")
                       for b in ("fewer", "at_least", "none") for o in ("ge", "lt")}
            v = R.v
            if "score_change_all_retakers.n" in v:
                row = {i: 1.0 for i in grid.wk.values()}
                row[v["score_change_all_retakers.n"]] = -1.0
                M.add_eq(row)
            sig = "score_change_all_retakers.significantly_higher"
            if sig in v and wk.get("min_gain") == 20:
                row = {i: 1.0 for (b, o), i in grid.wk.items() if o == "ge"}
                row[v[sig]] = -1.0
                M.add_eq(row)
    if wk.get("bands") or wk.get("not_listed"):
        parts = {"all": ("fewer", "at_least"), "fewer": ("fewer",),
                 "at_least": ("at_least",)}
        for band in wk.get("not_listed") or []:
            for meas, outs in (("n", ("ge", "lt")), ("gained", ("ge",)),
                               ("gained_less", ("lt",))):
                row = {grid.wk[(b, o)]: 1.0 for b in parts[band] for o in outs}
                targets.setdefault(f"ask: retakers by protected weeks {band} {meas}",
                                   ("unprinted", row))
        for r in wk.get("bands") or []:
            for meas, outs in (("n", ("ge", "lt")), ("gained", ("ge",)),
                               ("gained_less", ("lt",))):
                row = {grid.wk[(b, o)]: 1.0 for b in parts[r["band"]] for o in outs}
                key = f"ask: retakers by protected weeks {r['band']} {meas}"
                if r.get(meas) is None:
                    if any(M.fixed(rv) for rv in
                           grid.report_vars.get(rkey(row), [])):
                        continue  # withheld here, printed by the report
                    if key not in targets:
                        targets[key] = ("withheld", row)
                        grid.extra_withheld = getattr(grid, "extra_withheld", 0) + 1
                else:
                    ask_fix(M, key, row, r[meas], shown, findings)
            n, ge, lt = r.get("n"), r.get("gained"), r.get("gained_less")
            if n and ((ge is not None and ge in (0, n)) or (lt is not None and lt in (0, n))):
                findings.append(("none/all", f"weeks {r['band']}: gained {ge}, "
                                             f"less {lt} of {n}"))


def attack_asks(M, R, grid, sheets, targets, findings, unread=False):
    """Fix what the sheets show; collect what they pass over or withhold.
    unread: collect the same counts without fixing what the sheets show."""
    M.ask_unread = unread
    shown = {}
    withheld = passed = 0
    for path in sheets:
        j = json.load(open(path))
        for g in j["groups"]:
            kind = g["kind"]
            for rung in g.get("widened_from") or []:
                label = rung_label(kind, rung)
                for meas, outs in (("n", "mu"), ("matched", "m"), ("unmatched", "u")):
                    key = f"ask: {label} {meas} (rung passed over)"
                    row = grid.row_for(kind, rung, outs)
                    if rkey(row) in grid.report_rows:
                        continue  # the report's own count: judged there
                    if key not in targets:
                        targets[key] = ("unprinted", row)
                        passed += 1
            if not g.get("found") or not g.get("group"):
                continue
            label = rung_label(kind, g["group"])
            for meas, outs in (("n", "mu"), ("matched", "m"), ("unmatched", "u")):
                row = grid.row_for(kind, g["group"], outs)
                key = f"ask: {label} {meas}"
                if g.get(meas) is None:
                    rvs = grid.report_vars.get(rkey(row), [])
                    if any(M.fixed(rv) for rv in rvs):
                        continue  # withheld here, printed by the report
                    if key not in targets:
                        targets[key] = ("withheld", row)
                        withheld += 1
                    continue
                val = g[meas]
                if key in shown:
                    if shown[key] != val:
                        findings.append(("ask", f"{key}: two sheets show {shown[key]} and {val}"))
                    continue
                shown[key] = val
                if not row:
                    if val != 0:
                        findings.append(("ask", f"{key} = {val} for a set the grid has no cells for"))
                    continue
                if not unread:
                    M.add_eq(row, float(val))
            if grid.detail:
                ask_group_detail(M, grid, kind, g, label, targets, shown, findings)
            ask_none_all(g, label, findings)
        ask_extras(M, R, grid, j, targets, shown, findings)
        if grid.detail:
            ask_practice(M, R, grid, j, targets, shown, findings)
        rap = j.get("cohort", {}).get("retake_after_pass")
        if rap is not None and not unread:
            i = R.v["retake_after_pass"]
            if not M.fixed(i):
                findings.append(("ask", f"ask shows retake_after_pass = {rap}, the report withholds it"))
                M.lo[i] = M.hi[i] = rap
    # a count one sheet leaves out and another prints is printed
    for key in shown:
        if key in targets and targets[key][0] == "unprinted":
            del targets[key]
    log(f"ask: {len(sheets)} sheets, {len(shown)} distinct group counts shown, "
        f"{withheld + getattr(grid, 'extra_withheld', 0)} withheld, "
        f"{passed} counts of rungs passed over")


def ask_publish(M, grid, key, row, val, targets, shown, findings, total=None):
    """One count of a sheet: printed (fixed, the same on every sheet) or
    withheld (a target, unless the report prints the same count).  total:
    the row of the group it is an outcome of (its matched count, ...), for
    none / all."""
    if not row:
        if val not in (None, 0):
            findings.append(("ask", f"{key} = {val} for a set the grid has no cells for"))
        return
    if val is None:
        if any(M.fixed(rv) for rv in grid.report_vars.get(rkey(row), [])):
            return        # withheld here, printed by the report
        if key not in targets:
            targets[key] = ("withheld on a sheet", row)
            grid.extra_withheld = getattr(grid, "extra_withheld", 0) + 1
            if total:
                M.outcome_total[key] = total
        return
    ask_fix(M, key, row, val, shown, findings)


def ask_unprinted(M, key, row, targets, total=None):
    """A sheet's count no output prints (a specialty a matched-into list
    leaves out, a practice band passed over)."""
    if row and key not in targets:
        targets[key] = ("unprinted on a sheet", row)
        if total:
            M.outcome_total[key] = total


def ask_group_detail(M, grid, kind, g, label, targets, shown, findings):
    """A shown group's matched-into figures (docs/ask-json.md, groups[]):
    matched_target (matched into the specialty applied to) and
    missed_target (the rest of those who named one); program_types[]
    (academic, community, other, not given: together its matched count);
    matched_into[] (the specialties that can be shown, each with its count:
    the list may leave specialties out, so together they are at most its
    matched count).  Each is a sum of the grid's matched cells.  What the
    list leaves out (its matched count minus the listed ones), and each
    specialty some output names but this list leaves out, are counts
    nobody prints."""
    rung = g["group"]
    b = rung["band"]
    lo = b["from_offset"] if b["from_offset"] is not None else -INF
    hi = b["to_offset"] if b["to_offset"] is not None else INF
    specs = grid.scope_specs(rung["scope"])
    d = grid.detail_rows({kind}, lo, hi, specs)
    matched = grid.cells({kind}, lo, hi, specs, "m")
    for meas in ("matched_target", "missed_target"):
        if meas in g:
            ask_publish(M, grid, f"ask: {label} {meas}", d[meas], g[meas],
                        targets, shown, findings, d["with_target"])
    for e in g.get("program_types") or []:
        t = program_type(e["type"])
        if t is None:
            log(f"  note: {label}: program type {e['type']!r} not in the documents: ignored")
            continue
        ask_publish(M, grid, f"ask: {label} program type {t}", d[f"type:{t}"], e.get("n"),
                    targets, shown, findings, None if t == "not_given" else matched)
    listed = set()
    for e in g.get("matched_into") or []:
        name = e["specialty"]
        listed.add(name)
        ask_publish(M, grid, f"ask: {label} matched into {name}", d[f"into:{name}"],
                    e.get("n"), targets, shown, findings, matched)
    for name in grid.into_names:
        if name not in listed and name != REST:
            ask_unprinted(M, f"ask: {label} matched into {name}", d[f"into:{name}"],
                          targets, matched)
    ask_unprinted(M, f"ask: {label} matched into specialties not listed",
                  {i: 1.0 for name, i in d["into_parts"] if name not in listed}, targets)


def ask_none_all(g, label, findings):
    """A printed outcome count of 0, or equal to its printed group, in a
    group with members: every member's outcome (docs/privacy.md section 1)."""
    if not g.get("found") or not g.get("group"):
        return
    n, m = g.get("n"), g.get("matched")
    parts = []
    if n:
        parts.append(("n", n, [("matched", g.get("matched")), ("unmatched", g.get("unmatched"))]))
        mt, xt = g.get("matched_target"), g.get("missed_target")
        if mt is not None and xt is not None and mt + xt == n:
            parts.append(("n", n, [("matched_target", mt), ("missed_target", xt)]))
    if m:
        parts.append(("matched", m, [(f"program type {e['type']}", e.get("n"))
                                     for e in g.get("program_types") or []
                                     if program_type(e["type"]) != "not_given"]
                      + [(f"matched into {e['specialty']}", e.get("n"))
                         for e in g.get("matched_into") or []]))
    for tname, tot, ps in parts:
        for pname, v in ps:
            if v is None:
                continue
            if v == 0:
                findings.append(("none/all", f"ask: {label}: {pname} 0 of {tname} {tot} (none of them)"))
            elif v == tot:
                findings.append(("none/all", f"ask: {label}: {pname} {v} = {tname} {tot} (all of them)"))


def practice_band(p):
    """The practice band of docs/ask.md: 10 points from 5 mod 10 (235-244)."""
    a = p - (p - 5) % 10
    return (a, a + 9)


def sheet_practice_bands(sheets):
    out = set()
    for path in sheets:
        j = json.load(open(path))
        gain = (j.get("practice") or {}).get("gain") or {}
        if gain.get("band_from") is not None:
            out.add((gain["band_from"], gain["band_to"]))
        p = (j.get("query") or {}).get("practice")
        if p is not None:
            out.add(practice_band(p))
    return sorted(out)


def ask_practice(M, R, grid, j, targets, shown, findings):
    """The sheet's practice block (docs/ask-json.md, practice; docs/ask.md):
    the prediction's n is the report's practice_regression_all_retakers n
    (everyone with a second attempt and practice_avg_2); the gain counts
    split those retakers by practice band (10 points from 5 mod 10) and by
    a change of at least min_gain; widened, they are all of them.  With
    the retakers who have no practice_avg_2, the bands are everyone with a
    second attempt (score_change_all_retakers n), and their gains of 20 or
    more its significantly_higher category."""
    pr = j.get("practice") or {}
    v = R.v
    pred = pr.get("prediction") or {}
    rn = "practice_regression_all_retakers.n"
    if rn in v and pred.get("n") is not None:
        ask_fix(M, "ask: practice line n", {v[rn]: 1.0}, pred["n"], shown, findings)
    gain = pr.get("gain") or {}
    if not hasattr(grid, "pg"):
        grid.pg = {}
        for band in grid.practice_bands + ["rest", "none"]:
            for o in ("ge", "lt"):
                grid.pg[(band if isinstance(band, str) else tuple(band), o)] = \
                    M.new(f"practice[{band},{o}]")
        row = {i: 1.0 for i in grid.pg.values()}
        if "score_change_all_retakers.n" in v:
            row[v["score_change_all_retakers.n"]] = -1.0
            M.add_eq(row)
        lo_sig = (R.cat_range.get("significantly_higher") or (None,))[0]
        sig = "score_change_all_retakers.significantly_higher"
        if sig in v and lo_sig is not None and gain.get("min_gain") == lo_sig:
            row = {i: 1.0 for (b, o), i in grid.pg.items() if o == "ge"}
            row[v[sig]] = -1.0
            M.add_eq(row)
        if rn in v:
            row = {i: 1.0 for (b, o), i in grid.pg.items() if b != "none"}
            row[v[rn]] = -1.0
            M.add_eq(row)
    if not gain:
        return
    meas_outs = (("n", ("ge", "lt")), ("gained", ("ge",)), ("gained_less", ("lt",)))
    own = practice_band(j["query"]["practice"]) if (j.get("query") or {}).get("practice") is not None else None
    if gain.get("found") and not gain.get("widened") and gain.get("band_from") is not None:
        band = (gain["band_from"], gain["band_to"])
        for meas, outs in meas_outs:
            row = {grid.pg[(band, o)]: 1.0 for o in outs}
            ask_publish(M, grid, f"ask: practice gain {band} {meas}", row, gain.get(meas),
                        targets, shown, findings,
                        None if meas == "n" else {grid.pg[(band, o)]: 1.0 for o in ("ge", "lt")})
    else:
        if own is not None:
            for meas, outs in meas_outs:
                row = {grid.pg[(own, o)]: 1.0 for o in outs}
                ask_unprinted(M, f"ask: practice gain {own} {meas}", row, targets,
                              None if meas == "n" else
                              {grid.pg[(own, o)]: 1.0 for o in ("ge", "lt")})
        if gain.get("found"):
            tot = {i: 1.0 for (b, o), i in grid.pg.items() if b != "none"}
            for meas, outs in meas_outs:
                row = {i: 1.0 for (b, o), i in grid.pg.items() if b != "none" and o in outs}
                ask_publish(M, grid, f"ask: practice gain all with practice {meas}", row,
                            gain.get(meas), targets, shown, findings,
                            None if meas == "n" else tot)
    n, ge, lt = gain.get("n"), gain.get("gained"), gain.get("gained_less")
    if gain.get("found") and n and ((ge is not None and ge in (0, n)) or
                                    (lt is not None and lt in (0, n))):
        findings.append(("none/all", f"practice gain: gained {ge}, less {lt} of {n}"))


# --------------------------------------------------------------------------
# releases: an earlier report describes a subset of the newer one's students
# --------------------------------------------------------------------------
def link_releases(M, new, old, targets, tag):
    """new count = old count + new students' count, for every stable key."""
    years_old = {row["year"] for row in old.rep["by_year"]}
    # the merged matched-into row holds every specialty without a row of
    # its own: the same specialties in both releases when both name the
    # same rows, and then it is the same kind of count in both
    def named(rep):
        return {row["specialty"] for row in rep.get("matched_into", [])
                if row["specialty"] != "Other (merged)"}
    same_merged = named(new.rep) == named(old.rep)
    linked = known = 0
    for key, i in new.v.items():
        if key not in old.v or ("Other (merged)" in key and not same_merged):
            continue
        j = old.v[key]
        m = re.match(r"year\[(\d+)\]", key)
        d = M.new(f"new[{tag}]:{key}", 0, None)
        if m and int(m.group(1)) in years_old:
            M.hi[d] = 0     # the same Match year's students in both releases
            M.same[new.ns + key] = old.ns + key
            if M.fixed(j) and not M.fixed(i):
                # the earlier release published it: the reader knows it
                # already, withholding it again hides nothing and leaks nothing
                targets.pop(new.ns + key, None)
                known += 1
        M.add_eq({i: 1.0, j: -1.0, d: -1.0})
        M.link[new.ns + key] = (old.ns + key, d)
        linked += 1
        if M.hi[d] != 0:
            targets[f"new students ({tag}): {key}"] = ("unprinted", {d: 1.0})
    log(f"releases: {tag}: {linked} counts linked (newer = earlier + new students)"
        + (f"; {known} withheld counts the earlier release published are not judged" if known else ""))


# --------------------------------------------------------------------------
# the regression's moments and the score change's sum
# --------------------------------------------------------------------------
def regression_moments(reg, conf):
    """n, sum x, sum y from the line, sigma and prediction-interval widths."""
    n = reg.get("n")
    preds = [p for p in reg.get("predictions") or [] if p.get("pi_low") is not None]
    if not n or n < 4 or reg.get("sigma") in (None, 0) or len(preds) < 3 \
            or reg.get("intercept") is None or reg.get("slope") is None:
        return None
    a, b, s = reg["intercept"], reg["slope"], reg["sigma"]
    tq = student_t.ppf(0.5 + conf / 2, n - 2)
    rows, rhs = [], []
    for p in preds:
        h = (p["pi_high"] - p["pi_low"]) / 2
        k = (h / (tq * s)) ** 2 - 1 - 1.0 / n     # = (x - xbar)^2 / Sxx
        x = p["practice"]
        rows.append([k, 2 * x, -1.0])               # k*Sxx + 2x*xbar - xbar^2 = x^2
        rhs.append(x * x)
    sol, *_ = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)
    sxx, xbar = sol[0], sol[1]
    if sxx <= 0:
        return None
    ybar = a + b * xbar
    return {"n": n, "sx": n * xbar, "sy": n * ybar, "sxx": sxx}


def change_sum(sc):
    if sc.get("n") is None or (sc.get("mean") or {}).get("estimate") is None:
        return None
    return sc["n"] * sc["mean"]["estimate"]


def attack_release_values(new, old, conf, min_cell, findings, tag):
    """Sums over the new students recovered by subtraction."""
    for scope, reg_key in (("score_change", "practice_regression"),
                           ("score_change_all_retakers", "practice_regression_all_retakers")):
        a, b = new.rep[scope], old.rep[scope]
        ra, rb = new.rep[reg_key], old.rep[reg_key]
        if a.get("n") is None or b.get("n") is None:
            continue
        k = a["n"] - b["n"]
        if not 1 <= k < min_cell:
            continue
        parts = []
        sa, sb = change_sum(a), change_sum(b)
        if sa is not None and sb is not None:
            parts.append(f"sum of changes {sa - sb:+.1f}")
        ma, mb = regression_moments(ra, conf), regression_moments(rb, conf)
        if ma and mb and ma["n"] - mb["n"] == k:
            parts.append(f"sum of practice averages {ma['sx'] - mb['sx']:.1f}")
            parts.append(f"sum of retake scores {ma['sy'] - mb['sy']:.1f}")
            if sa is not None and sb is not None:
                parts.append(f"sum of first scores {(ma['sy'] - mb['sy']) - (sa - sb):.1f}")
        if not parts:
            continue
        who = "one student's values" if k == 1 else f"sums over {k} new students"
        findings.append(("release", f"{tag}: {scope}: n {a['n']} - {b['n']} = {k} new; "
                         f"{who} recovered: " + ", ".join(parts)))


# --------------------------------------------------------------------------
# score-change statistics over integer changes (MILP)
# --------------------------------------------------------------------------
def q7_pairs(n, p, q, vals):
    """(j, [(a, b)]): R type-7 quantile q = y[j] + f (y[j+1] - y[j])."""
    h = (n - 1) * p
    j = int(math.floor(h + 1e-12))
    f = h - j
    pairs = []
    for a in vals:
        if f < 1e-12:
            if abs(a - q) < 1e-6:
                pairs.append((a, a))
            continue
        b = a + (q - a) / f
        if abs(b - round(b)) < 1e-6 and round(b) >= a and round(b) in vals:
            pairs.append((a, int(round(b))))
    return j, pairs


def wilcoxon_nonzero(n, p, method):
    """Numbers of non-zero changes consistent with a normal-approximation p.

    With nz non-zero changes, a tie term T = sum(t^3 - t) (a multiple of 6)
    and the signed-rank sum V (a multiple of 1/2), R's continuity-corrected
    z is (|V - nz(nz+1)/4| - 1/2) / sqrt(nz(nz+1)(2nz+1)/24 - T/48); p gives
    |z|, so every (nz, T) leaves at most two V, kept when they are halves."""
    if p is None or method != "normal_approximation" or not 0 < p < 1:
        return None
    z = norm.isf(p / 2)
    ok = set()
    for nz in range(1, n + 1):
        mu = nz * (nz + 1) / 4.0
        tie = np.arange(0, nz ** 3 - nz + 1, 6, dtype=float)
        var = nz * (nz + 1) * (2 * nz + 1) / 24.0 - tie / 48.0
        var = var[var > 0]
        if not len(var):
            continue
        d = z * np.sqrt(var) + 0.5               # |V - mu|
        for v in (mu + d, mu - d):
            twice = np.round(2 * v)
            good = (np.abs(2 * v - twice) < 1e-6) & (twice >= 0) & (twice <= nz * (nz + 1))
            for k in np.nonzero(good)[0]:
                zz = (abs(twice[k] / 2 - mu) - 0.5) / math.sqrt(var[k])
                if abs(2 * norm.sf(zz) - p) <= 1e-9 * p:
                    ok.add(nz)
                    break
    return ok


def open_block(rep, scope):
    """docs/privacy.md: in a score-change block where a category is withheld
    as small, empty categories are withheld too; so where no category shows
    0 and one is withheld, a withheld category may be empty."""
    cs = rep.get(scope, {}).get("categories", [])
    return (not any(c.get("n") == 0 for c in cs)
            and any(c.get("n") is None for c in cs))


def attack_score_change(rep, scope, R, M, lin, min_cell, findings, nmax):
    """Bound every withheld category count of one score-change block."""
    sc = rep[scope]
    n = sc.get("n")
    mean = (sc.get("mean") or {}).get("estimate")
    cats = [(c["id"], c.get("n"), label_range(c.get("label", ""))) for c in sc["categories"]]
    hidden = [c for c in cats if c[1] is None]
    if n is None or mean is None or not hidden or n < 2 or n > nmax:
        return
    sd = sc.get("sd")
    S = round(n * mean)
    if abs(S - n * mean) > 1e-6 * max(1, abs(S)):
        return
    spread = math.sqrt(n - 1) * sd if sd is not None else 60
    vlo, vhi = math.floor(mean - spread) - 1, math.ceil(mean + spread) + 1
    vals = list(range(vlo, vhi + 1))
    V = len(vals)
    A, lb, ub = [], [], []
    integrality = [1] * V                      # column v: how many students changed by v

    def add(row, lo, hi):
        A.append(row)
        lb.append(lo)
        ub.append(hi)

    def vec(fn):
        return [fn(v) for v in vals]

    add(vec(lambda v: 1), n, n)
    add(vec(lambda v: v), S, S)
    if sd is not None:
        Q = (n - 1) * sd * sd + S * S / n
        Qr = round(Q)
        if abs(Q - Qr) > 1e-4 * max(1.0, Q):
            return
        add(vec(lambda v: v * v), Qr, Qr)
    share = sc.get("share_ge_20")
    if share is not None:
        k = round(share * n)
        add(vec(lambda v: 1 if v >= 20 else 0), k, k)
    # the category counts: shown ones fixed; withheld ones within the LP range
    for cid, cn, rng in cats:
        if rng is None:
            return
        a = -10 ** 9 if rng[0] is None else rng[0]
        b = 10 ** 9 if rng[1] is None else rng[1]
        row = vec(lambda v: 1 if a <= v <= b else 0)
        if cn is not None:
            add(row, cn, cn)
        else:
            floor = 0 if open_block(rep, scope) else 1
            lo, hi = lin.get(f"{scope}.{cid}", (floor, n))
            add(row, max(floor, math.ceil(lo - 1e-6)), min(n, math.floor(hi + 1e-6)))
    # quantiles (type 7): choose one (y[j], y[j+1]) pair per quantile
    extra = []                                   # (row over [c..., z...], lo, hi)
    zcols = []
    for key, p in (("q1", 0.25), ("median", 0.5), ("q3", 0.75)):
        q = sc.get(key)
        if q is None:
            continue
        j, pairs = q7_pairs(n, p, q, set(vals))
        if not pairs:
            return
        zs = []
        for (a, b) in pairs:
            z = len(zcols)
            zcols.append((key, a, b))
            zs.append(z)
            big = n
            # y[j] = a: #(< a) <= j and #(<= a) >= j + 1
            # y[j+1] = b: #(< b) <= j + 1 and #(<= b) >= j + 2 (when j + 1 < n)
            conds = [(lambda v, a=a: v < a, None, j), (lambda v, a=a: v <= a, j + 1, None)]
            if j + 1 < n:
                conds += [(lambda v, b=b: v < b, None, j + 1), (lambda v, b=b: v <= b, j + 2, None)]
            for pred, lo, hi in conds:
                row = vec(lambda v: 1 if pred(v) else 0)
                if hi is not None:       # sum <= hi + big (1 - z)
                    extra.append((row, z, "le", hi, big))
                else:                    # sum >= lo - big (1 - z)
                    extra.append((row, z, "ge", lo, big))
        extra.append((None, zs, "one", 1, 0))
    nz_ok = wilcoxon_nonzero(n, sc.get("wilcoxon_p"), sc.get("wilcoxon_method"))
    zero_row = vec(lambda v: 1 if v == 0 else 0)
    ncols = V + len(zcols)
    Af, lbf, ubf = [], [], []
    for row, lo, hi in zip(A, lb, ub):
        Af.append(row + [0] * len(zcols))
        lbf.append(lo)
        ubf.append(hi)
    for row, z, how, val, big in extra:
        if how == "one":
            r = [0] * ncols
            for zz in z:
                r[V + zz] = 1
            Af.append(r)
            lbf.append(1)
            ubf.append(1)
            continue
        r = row + [0] * len(zcols)
        if how == "le":
            r[V + z] = big          # sum + big z <= hi + big
            Af.append(r)
            lbf.append(-np.inf)
            ubf.append(val + big)
        else:
            r[V + z] = -big         # sum - big z >= lo - big
            Af.append(r)
            lbf.append(val - big)
            ubf.append(np.inf)
    if nz_ok:
        zeros = sorted(n - k for k in nz_ok)
        Af.append(zero_row + [0] * len(zcols))
        lbf.append(zeros[0])
        ubf.append(zeros[-1])
    integ = np.array(integrality + [1] * len(zcols))
    bnds = Bounds(np.zeros(ncols), np.array([n] * V + [1] * len(zcols), dtype=float))
    cons = LinearConstraint(np.array(Af, dtype=float), np.array(lbf, dtype=float),
                            np.array(ubf, dtype=float))

    def solve(obj):
        res = milp(np.array(obj, dtype=float), constraints=cons, integrality=integ,
                   bounds=bnds, options={"time_limit": 10})
        if res.status != 0 or res.x is None:
            return None
        return res.fun

    used = ["mean", "sd" if sd is not None else None, "quartiles",
            "share_ge_20" if share is not None else None,
            f"Wilcoxon non-zero count {sorted(nz_ok)}" if nz_ok else None]
    used = ", ".join(u for u in used if u)
    if solve([0] * ncols) is None:
        log(f"  {scope}: no integer vector fits ({used}); skipped")
        return
    for cid, cn, rng in hidden:
        a = -10 ** 9 if rng[0] is None else rng[0]
        b = 10 ** 9 if rng[1] is None else rng[1]
        row = vec(lambda v: 1 if a <= v <= b else 0) + [0] * len(zcols)
        lo = solve(row)
        hi = solve([-x for x in row])
        if lo is None or hi is None:
            continue
        lo, hi = round(lo), round(-hi)
        w = hi - lo + 1
        msg = f"{scope}.{cid}: {lo}..{hi} from n {n}, {used}"
        if VERBOSE or w < min_cell:
            log("  " + msg)
        if w < min_cell:
            extra_msg = ""
            if lo == hi == 1:
                val_row = vec(lambda v: v if a <= v <= b else 0) + [0] * len(zcols)
                # that one student's change
                cons2 = LinearConstraint(np.array(Af + [row], dtype=float),
                                         np.array(lbf + [1], dtype=float),
                                         np.array(ubf + [1], dtype=float))
                r1 = milp(np.array(val_row, dtype=float), constraints=cons2, integrality=integ,
                          bounds=bnds, options={"time_limit": 10})
                r2 = milp(-np.array(val_row, dtype=float), constraints=cons2, integrality=integ,
                          bounds=bnds, options={"time_limit": 10})
                if r1.status == 0 and r2.status == 0:
                    extra_msg = (f"; that one student's change is in "
                                 f"{round(r1.fun)}..{round(-r2.fun)}")
            findings.append(("statistics", f"withheld {msg}: {w} values < {min_cell}{extra_msg}"))
            if not FULL:
                log(f"  {scope}: first narrowed category found; ATTACK_FULL=1 bounds the rest")
                return


# --------------------------------------------------------------------------
# none / all outcomes
# --------------------------------------------------------------------------
def attack_none_all(M, R, ranges, findings, inexact=()):
    for label, total, parts in R.partitions:
        tlo, thi = ranges.get(total, (M.lo[total], M.hi[total]))
        if total in inexact and any(M.fixed(p) and plabel not in NOT_GIVEN
                                    for plabel, p in parts):
            # the span seen in other programs' solutions, not the true
            # range: bound this group exactly before judging it
            keep = M.inexact
            tlo, thi = M.bound({"t": {total: 1.0}})["t"]
            M.inexact = keep
        if thi is None:
            thi = INF
        if tlo < 1 - 1e-6:
            continue                      # the group may be empty
        for plabel, p in parts:
            if not M.fixed(p) or plabel in NOT_GIVEN:
                continue
            v = M.lo[p]
            if v == 0:
                findings.append(("none/all", f"{label}: '{plabel}' shown as 0 in a group of "
                                 f"{fmt_range(tlo, thi)} (none of them)"))
            elif abs(thi - v) < 1e-6 and abs(tlo - v) < 1e-6:
                findings.append(("none/all", f"{label}: '{plabel}' = {v} = the whole group "
                                 f"(all of them)"))


def judge_added(args, rep, olds, found, mc, findings, same=None):
    """--judge-added: each narrowed count of report S is bounded again with
    S alone; it is a finding only when the combined range is narrower.  A
    count that is the same count in another release (a Match year both
    releases hold, or a count whose new students are proven none: the same
    students) is judged against the narrowest of those releases alone: what
    one release already gave of it, the other repeating it leaks nothing
    new."""
    same = same or {}
    sources = [("", rep)] + [(f"r{k}:", O.rep) for k, (_, O) in enumerate(olds)]
    partners = {}
    for key in found:
        k, chain = key, []
        while k in same:
            k = same[k]
            chain.append(k)
        partners[key] = chain
    wanted = set(found) | {k for chain in partners.values() for k in chain}
    alone = {}
    for ns, src in sources:
        keys = [k for k in wanted
                if (k.startswith(ns) if ns else not re.match(r"r\d+:", k))]
        if not keys:
            continue
        M2 = Model()
        R2 = Report(M2, src, ns)
        rows = {ns + key: {i: 1.0} for key, i in R2.v.items() if ns + key in keys}
        alone.update(M2.bound(rows) if rows else {})
    added = 0
    for ns, src in sources:
        keys = [k for k in found
                if (k.startswith(ns) if ns else not re.match(r"r\d+:", k))]
        for key in keys:
            lo, hi = found[key]
            a = alone.get(key)
            for k in partners[key]:
                b = alone.get(k)
                if b is not None and (a is None or width(*b) < width(*a)):
                    a = b
            if a is not None and width(*a) <= width(lo, hi):
                if VERBOSE:
                    log(f"  the report's own (alone {fmt_range(*a)}): {key}: {fmt_range(lo, hi)}")
                continue
            added += 1
            findings.append(("linear", f"added {key}: {fmt_range(lo, hi)}, alone "
                             f"{fmt_range(*a) if a else 'not bounded'} (combining narrows it)"))
    return added


def build_model(args, rep, mc, unread):
    """Everything published, as one model: the report, the earlier
    releases, the export and the sheets (with unread, the sheets' groups
    without what they show: the baseline of what the sheets add)."""
    M = Model()
    findings = []
    R = Report(M, rep, "")
    targets = {}            # label -> (kind, {var: coef})
    for key, i in R.v.items():
        if M.kind.get(i) in ("withheld", "coded"):
            targets[key] = (M.kind[i], {i: 1.0})
    olds = []
    for k, path in enumerate(args.release):
        old = json.load(open(path))
        O = Report(M, old, f"r{k}:")
        olds.append((path, O))
        for key, i in O.v.items():
            if M.kind.get(i) in ("withheld", "coded"):
                targets[f"r{k}:{key}"] = (M.kind[i], {i: 1.0})
    # releases oldest first: each one is a subset of the next
    chain = [O for _, O in olds] + [R]
    for a, b in zip(chain, chain[1:]):
        ya, yb = a.rep["match_years"], b.rep["match_years"]
        tag = f"{ya['first']}-{ya['last']} -> {yb['first']}-{yb['last']}"
        link_releases(M, b, a, targets, tag)
        attack_release_values(b, a, rep["settings"]["confidence"], mc, findings, tag)
    if args.export:
        attack_export(M, R, args.export, findings)
    sheets = list(args.ask)
    if args.ask_dir:
        sheets += sorted(glob.glob(os.path.join(args.ask_dir, "*.json")))
    if sheets:
        # the population the sheets describe: its report's counts are sums
        # of the sheets' grid cells
        P = R if args.ask_of_release is None else olds[args.ask_of_release][1]
        into = None
        if not args.no_sheet_detail:
            into = sheet_into_names(sheets) | {
                row["specialty"] for row in P.rep["matched_into"]
                if row["specialty"] != "Other (merged)"}
        grid = Grid(M, P, rep["settings"]["low_pass_margin"], sheet_ranges(sheets), into)
        grid.named = into or set()
        grid.practice_bands = sheet_practice_bands(sheets)
        attack_asks(M, P, grid, sheets, targets, findings, unread)
    return M, R, olds, targets, findings


def judge_unread(args, rep, mc, found, findings):
    """--judge-added: a count of the sheets' grid that no output prints is
    bounded again from everything but what the sheets show; it is a finding
    only when the sheets narrow it further.  Under nces the report prints
    outcome counts of large groups, so a grid group can be the report's own
    count in another form (low-pass Internal Medicine unmatched 5 printed,
    no low-pass retakers: "did not retake x low band x Internal Medicine"
    unmatched is 5), which the report is judged for, not the sheets."""
    M2, _, _, targets2, _ = build_model(args, rep, mc, True)
    keys = [k for k in found if k in targets2 and targets2[k][1]]
    base = M2.bound({k: targets2[k][1] for k in keys}, mc,
                    {k: targets2[k][0] for k in keys}) if keys else {}
    added = 0
    for key, (lo, hi) in found.items():
        a = base.get(key)
        if a is not None and key not in M2.inexact and width(*a) <= width(lo, hi):
            if VERBOSE:
                log(f"  without the sheets too (unread {fmt_range(*a)}): {key}: {fmt_range(lo, hi)}")
            continue
        added += 1
        findings.append(("linear", f"unprinted {key}: {fmt_range(lo, hi)}, without the sheets "
                         f"{fmt_range(*a) if a else 'not bounded'} (the sheets narrow it)"))
    return added


def judge_pins(args, rep, mc, M, pins, targets, findings):
    """A sheet's outcome count (a program type, a specialty matched into,
    matched into the target, a practice band's gain) that everything read
    together pins to 0 in a group proven to have members, or to the whole
    group: every member's outcome (docs/privacy.md section 1).  The
    unlisted specialties of a matched-into list pinned to 0 are not counted
    (a list shows only the specialties that can be shown, so a specialty
    nobody matched into is left out by design, and section 5 lets a count
    nobody prints be narrowed to a range holding 0); withheld counts are.
    Under --judge-added only what the sheets add counts."""
    totals = {f"total of {k}": M.outcome_total[k] for k in pins}
    keep = M.inexact, M.lp_solved
    trange = M.bound(totals)
    M.inexact, M.lp_solved = keep[0], keep[1] + M.lp_solved
    got = {}
    for key, v in pins.items():
        tlo, thi = trange[f"total of {key}"]
        if v < 0.5 and tlo >= 1 - 1e-6:
            if targets[key][0] == "unprinted on a sheet":
                continue
            got[key] = f"{key}: 0 of a group of {fmt_range(tlo, thi)} (none of them)"
        elif v >= 0.5 and abs(thi - v) < 1e-6 and abs(tlo - v) < 1e-6:
            got[key] = f"{key}: {fmt_range(v, v)} = its whole group (all of them)"
    if got and args.judge_added and not args.ask_unread:
        M2, _, _, targets2, _ = build_model(args, rep, mc, True)
        keys = [k for k in got if k in targets2]
        base = M2.bound({k: targets2[k][1] for k in keys}) if keys else {}
        for k in keys:
            if width(*base[k]) == 1:
                if VERBOSE:
                    log(f"  without the sheets too: {got[k]}")
                del got[k]
    for msg in got.values():
        findings.append(("none/all", "worked out: " + msg))
    return len(got)


# --------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-cell", type=int, required=True)
    ap.add_argument("--report", required=True, help="the newest report JSON")
    ap.add_argument("--release", action="append", default=[],
                    help="an earlier release's report JSON (a subset of the students)")
    ap.add_argument("--export", help="the export CSV folder of the newest report")
    ap.add_argument("--ask", action="append", default=[], help="an ask sheet (JSON)")
    ap.add_argument("--ask-dir", help="a folder of ask sheets (*.json)")
    ap.add_argument("--ask-of-release", type=int, default=None, metavar="K",
                    help="the sheets describe the K-th --release's students "
                         "(0 = the first), not the newest report's")
    ap.add_argument("--ask-unread", action="store_true",
                    help="model the sheets' counts but do not read their values: "
                         "what the report alone gives of the same counts (the "
                         "baseline for what the sheets add)")
    ap.add_argument("--judge-added", action="store_true",
                    help="a withheld or coded count of a report is a finding only "
                         "when everything together narrows it more than that "
                         "report alone does (the nces policy publishes some "
                         "outcome bounds by design: what combining adds is the "
                         "leak); counts no output prints are judged as before")
    ap.add_argument("--no-sheet-detail", action="store_true",
                    help="leave out the sheets' program types, matched-into lists, "
                         "matched-into-target counts and practice-gain block (the "
                         "attacker before they were modelled: for comparison)")
    ap.add_argument("--case", default="attack")
    ap.add_argument("--judge", default="",
                    help="comma-separated finding kinds that fail this case (linear, "
                         "statistics, release, none/all, export, ask); default all; "
                         "others are printed as found elsewhere")
    ap.add_argument("--nmax", type=int, default=200,
                    help="largest score-change group for the MILP")
    args = ap.parse_args()
    t0 = time.time()
    mc = args.min_cell
    rep = json.load(open(args.report))
    if rep["settings"]["min_cell"] != mc:
        raise SystemExit(f"attacker: report min_cell {rep['settings']['min_cell']} != {mc}")
    log(f"== {args.case}: min_cell {mc}, Match years {rep['match_years']['first']}-"
        f"{rep['match_years']['last']}, {rep['rows']['accepted']} applicants")
    M, R, olds, targets, findings = build_model(args, rep, mc, args.ask_unread)

    # linear attack
    t1 = time.time()
    rows = {k: r for k, (_, r) in targets.items() if r}
    try:
        ranges = M.bound(rows, mc, {k: kind for k, (kind, _) in targets.items()})
    except Infeasible as e:
        findings.append(("linear", f"the published numbers contradict each other: {e}"))
        ranges = {}
    seen_only = set(getattr(M, "inexact", ()))   # ranges seen, not bounded
    pinned = small_pinned = narrowed = maybe = derivable = 0
    pins = {}       # a sheet's outcome count pinned to one value
    alone_of = {}  # --judge-added: findings left to compare with their report alone
    unread_of = {}  # --judge-added: sheet counts left to compare without the sheets
    by_var = {}
    inexact_vars = set()
    for key, (lo, hi) in ranges.items():
        kind = targets[key][0]
        row = targets[key][1]
        if len(row) == 1:
            by_var[next(iter(row))] = (lo, hi)
            if key in seen_only:
                inexact_vars.add(next(iter(row)))
        w = width(lo, hi)
        if key in seen_only:
            if VERBOSE:
                log(f"  {kind} {key}: at least {fmt_range(lo, hi)} (safe)")
            continue
        if w == 1:
            pinned += 1
            if 1 <= lo < mc:
                small_pinned += 1
        leak = False
        if kind == "withheld":
            leak = w < mc
        elif kind == "coded":
            i = next(iter(row))
            num, den, op, val = M.coded.get(i, (i, None, None, None))
            coded_w = INF
            if den is not None and M.fixed(den):
                d = M.lo[den]
                cl = math.ceil(val * d - 1e-9) if op == ">=" else 0
                ch = d if op == ">=" else math.floor(val * d + 1e-9)
                coded_w = ch - cl + 1
            leak = w < mc and w < coded_w
        else:
            # unprinted (a rung passed over, new students): only a count of
            # 1..min_cell-1 is protected, and the truth is not known here, so
            # a leak is a count proven non-empty, possibly small and narrowed
            leak = w < mc and 1 - 1e-6 <= lo <= mc - 1 + 1e-6
            if not leak and w < mc and hi >= 1 - 1e-6 and lo <= mc - 1 + 1e-6:
                maybe += 1
                if VERBOSE:
                    log(f"  possible (may be 0): {key}: {fmt_range(lo, hi)}")
        if kind in SHEET_KINDS and w == 1 and key in M.outcome_total:
            pins[key] = lo      # judged for none / all below
        if kind == "withheld on a sheet" and w < mc and lo >= mc - 1e-6:
            derivable += 1      # withheld, but not a count of 1..min_cell-1
            if VERBOSE:
                log(f"  withheld on a sheet, worked out (not small): {key}: {fmt_range(lo, hi)}")
        if leak and args.judge_added and key.startswith("ask: ") and not args.ask_unread:
            unread_of[key] = (lo, hi)
            leak = False
        if leak and args.judge_added and kind in ("withheld", "coded"):
            alone_of[key] = (lo, hi)
            leak = False
        if leak:
            narrowed += 1
            findings.append(("linear", f"{kind} {key}: {fmt_range(lo, hi)} ({w} values < {mc})"))
        elif VERBOSE:
            log(f"  {kind} {key}: {fmt_range(lo, hi)}")
    if alone_of:
        # a count whose new students are proven none is the same count as
        # the release before's, as a Match year both hold is
        same = dict(M.same)
        same_rows = {k: {M.link[k][1]: 1.0} for k in alone_of
                if k in M.link and k not in same}
        if same_rows:
            for k, (lo, hi) in M.bound(same_rows).items():
                if hi < 0.5:
                    same[k] = M.link[k][0]
        narrowed += judge_added(args, rep, olds, alone_of, mc, findings, same)
    if unread_of:
        narrowed += judge_unread(args, rep, mc, unread_of, findings)
    if pins:
        narrowed += judge_pins(args, rep, mc, M, pins, targets, findings)
    log(f"linear: {len(M.names)} variables, {len(M.eq)} equalities, {len(M.le)} inequalities; "
        f"{len(rows)} unknown counts bounded ({M.lp_solved} LPs) in {time.time() - t1:.1f}s: {pinned} pinned exactly "
        f"({small_pinned} of them 1..{mc - 1}), {narrowed} narrowed below {mc} values; "
        f"{maybe} unprinted counts narrowed that may be 0 (not counted)"
        + (f"; {derivable} counts a sheet withholds worked out at {mc} or more "
           "(not small: not counted)" if derivable else ""))
    for tag_key in ("new students",):
        sub = [(k, r) for k, r in ranges.items() if k.startswith(tag_key)]
        n_new = len(sub)
        if sub:
            sub = [(k, r) for k, r in sub if k not in seen_only]
            pin = [k for k, (lo, hi) in sub if width(lo, hi) == 1]
            small = [k for k, (lo, hi) in sub if width(lo, hi) == 1 and 1 <= lo < mc]
            log(f"releases: {len(pin)} of {n_new} new-students counts pinned exactly, "
                f"{len(small)} of them 1..{mc - 1}")

    # none / all
    R_ranges = {i: r for i, r in by_var.items()}
    attack_none_all(M, R, R_ranges, findings, inexact_vars)
    for _, O in olds:
        attack_none_all(M, O, R_ranges, findings, inexact_vars)

    # non-linear statistics
    t2 = time.time()
    # exact ranges only: a range seen (M.inexact) may be narrower than the
    # true one, which would narrow the integer programs unsoundly
    lin = {k: r for k, r in ranges.items() if k not in seen_only}
    attack_score_change(rep, "score_change", R, M, lin, mc, findings, args.nmax)
    attack_score_change(rep, "score_change_all_retakers", R, M, lin, mc, findings, args.nmax)
    for k, (path, O) in enumerate(olds):
        linr = {key[len(f"r{k}:"):]: r for key, r in ranges.items()
                if key.startswith(f"r{k}:") and key not in seen_only}
        attack_score_change(O.rep, "score_change", O, M, linr, mc, findings, args.nmax)
        attack_score_change(O.rep, "score_change_all_retakers", O, M, linr, mc, findings, args.nmax)
    log(f"statistics: score-change MILPs in {time.time() - t2:.1f}s")

    judged = set(k for k in args.judge.split(",") if k)
    kinds = {}
    for kind, msg in findings:
        kinds.setdefault(kind, []).append(msg)
    fail = 0
    for kind, msgs in kinds.items():
        if judged and kind not in judged:
            log(f"also found [{args.case}] {kind}: {len(msgs)} finding(s) "
                f"(another leak's case judges these)")
        else:
            log(f"LEAK [{args.case}] {kind}: {len(msgs)} finding(s)")
            fail += len(msgs)
        shown_max = len(msgs) if os.environ.get("ATTACK_PRINT_ALL") == "1" else 25
        for m in msgs[:shown_max]:
            log(f"  {m}")
        if len(msgs) > shown_max:
            log(f"  ... {len(msgs) - shown_max} more")
    log(f"== {args.case}: {fail} finding(s) judged, {len(findings) - fail} others, "
        f"in {time.time() - t0:.1f}s")
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
