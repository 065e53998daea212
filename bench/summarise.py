#!/usr/bin/env python3
"""summarise.py - scripts/bench.sh's tables (stdlib only).

    summarise.py RESULTS.tsv

RESULTS.tsv: one line per timed run, tab-separated: rows, command id, wall
seconds, max RSS KiB, in-process query seconds (or "-").  Prints a plain
table, the ratios, and the same as Markdown (for docs/benchmarks.md).
SPDX-License-Identifier: MIT
"""
import statistics
import sys

LABELS = [  # command id, label
    ("libcsv", "libcsv parse (baseline)"),
    ("wc", "wc -l"),
    ("validate", "ckcohort validate --quiet"),
    ("validate1", "ckcohort validate --quiet --threads 1"),
    ("report", "ckcohort report --format json"),
    ("report1", "ckcohort report --format json --threads 1"),
    ("duckdb", "DuckDB (node script)"),
    ("pandas", "pandas (python3 script)"),
    ("node_noop", "node + load DuckDB module only"),
    ("pandas_noop", "python3 + import pandas only"),
]
RATIOS = [  # label, numerator, denominator (command ids or derived)
    ("ckcohort report / DuckDB", "report", "duckdb"),
    ("ckcohort report / DuckDB minus node startup", "report", "duckdb_net"),
    ("ckcohort report / pandas", "report", "pandas"),
    ("ckcohort report / libcsv parse", "report", "libcsv"),
    ("ckcohort validate / libcsv parse", "validate", "libcsv"),
    ("ckcohort validate --threads 1 / libcsv parse", "validate1", "libcsv"),
    ("ckcohort report --threads 1 / DuckDB", "report1", "duckdb"),
]


def main(argv):
    runs = {}
    with open(argv[1], encoding="utf-8") as fh:
        for line in fh:
            rows, cmd, wall, kb, q = line.rstrip("\n").split("\t")
            r = runs.setdefault(int(rows), {}).setdefault(cmd, {"wall": [], "kb": [], "q": []})
            r["wall"].append(float(wall))
            r["kb"].append(float(kb))
            if q != "-":
                r["q"].append(float(q))
    med = statistics.median
    table, ratios = [], []
    for rows in sorted(runs):
        m = {c: med(v["wall"]) for c, v in runs[rows].items()}
        if "duckdb" in m and "node_noop" in m:
            m["duckdb_net"] = m["duckdb"] - m["node_noop"]
        for cid, label in LABELS:
            if cid not in runs[rows]:
                continue
            v = runs[rows][cid]
            q = med(v["q"]) if v["q"] else None
            table.append((rows, label, m[cid], med(v["kb"]) / 1024, q, len(v["wall"])))
            if cid == "duckdb" and "duckdb_net" in m:
                table.append((rows, "DuckDB minus node startup", m["duckdb_net"], None, None, None))
        for label, a, b in RATIOS:
            if a in m and b in m and m[b] > 0:
                ratios.append((rows, label, m[a] / m[b]))

    fmt_q = lambda q: "-" if q is None else f"{q:.3f}"
    fmt_mib = lambda x: "-" if x is None else f"{x:.1f}"
    print(f"{'rows':>9}  {'command':<32} {'median s':>9} {'peak MiB':>9} {'query s':>8} {'runs':>4}")
    for rows, label, s, mib, q, n in table:
        print(f"{rows:>9}  {label:<32} {s:>9.3f} {fmt_mib(mib):>9} {fmt_q(q):>8} {n or '':>4}")
    print()
    print(f"{'rows':>9}  {'ratio of medians':<46} {'x':>7}")
    for rows, label, x in ratios:
        print(f"{rows:>9}  {label:<46} {x:>7.2f}")

    print("\nMarkdown:\n")
    print("| rows | command | median s | median peak MiB | in-process query s |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for rows, label, s, mib, q, _ in table:
        print(f"| {rows:,} | {label} | {s:.3f} | {fmt_mib(mib)} | {fmt_q(q)} |")
    print()
    print("| rows | ratio of median wall times | × |")
    print("| ---: | --- | ---: |")
    for rows, label, x in ratios:
        print(f"| {rows:,} | {label} | {x:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
