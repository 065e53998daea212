#!/usr/bin/env python3
"""pandas_query.py - the shared query of scripts/bench.sh in pandas.

    python3 pandas_query.py FILE.csv   print the result as JSON on stdout
    python3 pandas_query.py --noop     import pandas and exit (startup baseline)

Shared query: rows whose first Step 2 CK attempt is a low pass (the pass mark
in force on step2_date_1, or on the undated day of the year before
match_year; pass <= score <= pass + margin), grouped by (retook =
step2_attempt_2 present, target_specialty): n, matched (matched == "Y"), and
of change = step2_attempt_2 - step2_attempt_1 the mean, sd (n - 1) and median;
plus the retake groups pooled over targets.  Definitions: query-params.json.
SPDX-License-Identifier: MIT
"""
import json
import math
import os
import sys
import time

import numpy as np
import pandas as pd

COLS = ["match_year", "step2_attempt_1", "step2_attempt_2", "step2_date_1",
        "target_specialty", "matched"]


def stats(change):
    """n-independent stats of a Series of changes (NaN for non-retakers)."""
    c = change.dropna()
    f = lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
    if len(c) == 0:
        return None, None, None
    return f(c.mean()), f(c.std(ddof=1)) if len(c) > 1 else None, f(c.median())


def main(argv):
    if len(argv) == 2 and argv[1] == "--noop":
        return 0
    if len(argv) != 2:
        print("usage: pandas_query.py FILE.csv | --noop", file=sys.stderr)
        return 2
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "query-params.json"), encoding="utf-8") as fh:
        params = json.load(fh)

    t0 = time.perf_counter()
    df = pd.read_csv(argv[1], usecols=COLS,
                     dtype={"match_year": "int32", "step2_attempt_1": "float64",
                            "step2_attempt_2": "float64", "step2_date_1": "object",
                            "target_specialty": "object", "matched": "object"})
    # Date of the first attempt; undated: the configured day of the year
    # before the Match year.
    d = pd.to_datetime(df["step2_date_1"], format="%Y-%m-%d")
    um, ud = (int(x) for x in params["undated_attempt"].split("-"))
    if d.isna().any():
        undated = pd.to_datetime(pd.DataFrame({"year": df["match_year"] - 1,
                                               "month": um, "day": ud}))
        d = d.fillna(undated)
    marks = sorted(params["pass_marks"], key=lambda p: p["from"])
    starts = np.array([np.datetime64(p["from"], "ns") for p in marks])
    values = np.array([p["mark"] for p in marks])
    # The mark of the last start <= date; before the first start: the first mark.
    idx = np.searchsorted(starts, d.to_numpy(dtype="datetime64[ns]"), side="right") - 1
    pass_mark = values[np.clip(idx, 0, None)]

    s1 = df["step2_attempt_1"].to_numpy()
    low_mask = (s1 >= pass_mark) & (s1 <= pass_mark + params["low_pass_margin"])
    low = pd.DataFrame({
        "retook": df["step2_attempt_2"].notna().to_numpy()[low_mask],
        "target": df["target_specialty"].to_numpy()[low_mask],
        "m": (df["matched"] == params["matched_value"]).to_numpy()[low_mask],
        "change": (df["step2_attempt_2"] - df["step2_attempt_1"]).to_numpy()[low_mask],
    })

    out = {"engine": "pandas", "groups": [], "pooled": []}
    g = low.groupby(["retook", "target"], dropna=False, sort=True)
    agg = g.agg(n=("m", "size"), matched=("m", "sum"), mean=("change", "mean"),
                sd=("change", "std"), median=("change", "median"))
    num = lambda v: None if pd.isna(v) else float(v)
    for (retook, target), r in agg.iterrows():
        out["groups"].append({
            "target": None if pd.isna(target) else target, "retook": bool(retook),
            "n": int(r["n"]), "matched": int(r["matched"]),
            "mean": num(r["mean"]), "sd": num(r["sd"]), "median": num(r["median"])})
    for retook, part in low.groupby("retook", sort=True):
        mean, sd, median = stats(part["change"])
        out["pooled"].append({"retook": bool(retook), "n": int(len(part)),
                              "matched": int(part["m"].sum()),
                              "mean": mean, "sd": sd, "median": median})
    out["query_seconds"] = time.perf_counter() - t0
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
