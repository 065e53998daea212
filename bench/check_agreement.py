#!/usr/bin/env python3
"""check_agreement.py - scripts/bench.sh's agreement check (stdlib only).

    check_agreement.py LABEL REPORT.json DUCKDB.json PANDAS.json CONFIG.ini

REPORT.json is `ckcohort report --format json FILE`, DUCKDB.json and
PANDAS.json the peers' shared-query results on the same FILE, CONFIG.ini
`ckcohort config` (the definitions in force).  Checks:

 0. the peers' definitions (query-params.json) are ckcohort's: pass marks,
    low_pass_margin, undated_attempt;
 1. DuckDB == pandas on every (retook, target) group and pooled group:
    n and matched exactly, mean/sd/median to 1e-9 relative;
 2. per target specialty, each peer's low-pass n and matched summed over
    retake status == ckcohort's by_specialty[].low_pass n and matched
    ("(none given)" is the peers' empty target);
 3. each peer's retook group pooled over targets == ckcohort's score_change:
    n exactly, mean/sd/median to 1e-9 relative.

A value ckcohort withholds for privacy (null with *_suppressed "withheld")
cannot be compared and is counted; a value missing for any other reason is
a disagreement.  Prints one summary line; exits 1 on any disagreement.
SPDX-License-Identifier: MIT
"""
import json
import math
import os
import sys

REL = 1e-9
NO_TARGET = "(none given)"


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL, abs_tol=REL)


def load(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def parse_config(path):
    """The [pass_marks] and [definitions] sections of `ckcohort config`."""
    marks, defs, section = [], {}, None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.split(";")[0].strip() if line.lstrip().startswith(";") else line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                section = line.strip("[]")
                continue
            key, _, value = (s.strip() for s in line.partition("="))
            if section == "pass_marks":
                marks.append({"from": key, "mark": int(value)})
            elif section == "definitions":
                defs[key] = value
    return marks, defs


def main(argv):
    if len(argv) != 6:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    label, report, duck, pand, config = argv[1], load(argv[2]), load(argv[3]), load(argv[4]), argv[5]
    params = load(os.path.join(os.path.dirname(os.path.abspath(__file__)), "query-params.json"))
    errors, compared, withheld = [], 0, 0

    def fail(msg):
        errors.append(msg)

    # 0. definitions
    marks, defs = parse_config(config)
    if marks != params["pass_marks"]:
        fail(f"pass marks: ckcohort config {marks} != query-params.json {params['pass_marks']}")
    if int(defs.get("low_pass_margin", -1)) != params["low_pass_margin"]:
        fail(f"low_pass_margin: ckcohort {defs.get('low_pass_margin')} != {params['low_pass_margin']}")
    if defs.get("undated_attempt") != params["undated_attempt"]:
        fail(f"undated_attempt: ckcohort {defs.get('undated_attempt')} != {params['undated_attempt']}")
    s = report["settings"]
    if s["low_pass_margin"] != params["low_pass_margin"] or s["pass_marks"] != params["pass_marks"]:
        fail("report settings (pass_marks, low_pass_margin) differ from query-params.json")

    # 1. DuckDB == pandas
    def keyed(res):
        g = {("group", x["retook"], x["target"]): x for x in res["groups"]}
        g.update({("pooled", x["retook"], None): x for x in res["pooled"]})
        return g

    kd, kp = keyed(duck), keyed(pand)
    if set(kd) != set(kp):
        fail(f"groups differ: only DuckDB {sorted(set(kd) - set(kp), key=str)}, "
             f"only pandas {sorted(set(kp) - set(kd), key=str)}")
    for k in sorted(set(kd) & set(kp), key=str):
        for f in ("n", "matched"):
            compared += 1
            if kd[k][f] != kp[k][f]:
                fail(f"DuckDB != pandas {k} {f}: {kd[k][f]} != {kp[k][f]}")
        for f in ("mean", "sd", "median"):
            compared += 1
            if not close(kd[k][f], kp[k][f]):
                fail(f"DuckDB != pandas {k} {f}: {kd[k][f]!r} != {kp[k][f]!r}")

    # 2. per target: low-pass n and matched
    ck = {}
    for row in report["by_specialty"]:
        name = NO_TARGET if row.get("no_target") else row["specialty"]
        ck[name] = row["low_pass"]
    for peer_name, res in (("DuckDB", duck), ("pandas", pand)):
        per = {}
        for x in res["groups"]:
            t = NO_TARGET if x["target"] is None else x["target"]
            n, m = per.get(t, (0, 0))
            per[t] = (n + x["n"], m + x["matched"])
        for t in sorted(set(per) | set(ck)):
            n, m = per.get(t, (0, 0))
            lp = ck.get(t)
            if lp is None:
                fail(f"{peer_name}: target {t!r} (low pass n={n}) not in ckcohort's by_specialty")
                continue
            for f, v in (("n", n), ("matched", m)):
                if lp.get(f) is None:
                    if lp.get(f + "_suppressed") == "withheld":
                        withheld += 1
                    else:
                        fail(f"ckcohort by_specialty {t!r} low_pass.{f} is null "
                             f"({lp.get(f + '_suppressed')}); {peer_name} has {v}")
                    continue
                compared += 1
                if lp[f] != v:
                    fail(f"{peer_name} != ckcohort: {t!r} low-pass {f}: {v} != {lp[f]}")

    # 3. retook, pooled over targets == score_change
    sc = report["score_change"]
    ck_sc = {"n": sc["n"], "mean": sc["mean"]["estimate"], "sd": sc["sd"], "median": sc["median"]}
    ck_why = {"n": sc.get("n_suppressed"),
              "mean": sc["mean"].get("reason") if sc["mean"]["suppressed"] else None,
              "sd": sc.get("sd_suppressed"), "median": sc.get("median_suppressed")}
    for peer_name, res in (("DuckDB", duck), ("pandas", pand)):
        pooled = next((x for x in res["pooled"] if x["retook"]), None)
        if pooled is None:
            pooled = {"n": 0, "mean": None, "sd": None, "median": None}
        for f in ("n", "mean", "sd", "median"):
            mine, theirs, why = pooled[f], ck_sc[f], ck_why[f]
            if theirs is None and why in ("withheld", "derived"):
                withheld += 1
                continue
            compared += 1
            if f == "n":
                ok = mine == theirs
            elif theirs is None:  # not_enough_data: the peer must have none either
                ok = mine is None or (f == "sd" and pooled["n"] < 2)
            else:
                ok = close(mine, theirs)
            if not ok:
                fail(f"{peer_name} != ckcohort score_change.{f}: {mine!r} != {theirs!r} ({why or 'shown'})")

    retook_n = ck_sc["n"] if ck_sc["n"] is not None else "withheld"
    if errors:
        print(f"AGREEMENT CHECK FAILED ({label}): {len(errors)} disagreement(s)", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print(f"agreement ({label}): ckcohort == DuckDB == pandas: {compared} values compared, "
          f"{withheld} withheld by ckcohort; low-pass retakers n = {retook_n}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
