#!/usr/bin/env python3
"""summarise.py - scripts/bench.sh's tables (stdlib only).

    summarise.py RESULTS.tsv

RESULTS.tsv: one line per timed run, tab-separated: rows (and, after a
space, the kind of file: clean, retakes or messy), command id, wall seconds, max RSS
KiB, in-process query seconds (or "-"), and optionally the 1-minute load
average before the run and the CPU seconds (user + system).  Prints a plain table, the ratios (within a file,
and messy over clean and over retakes), the load averages, and the same as Markdown (for
docs/benchmarks.md).
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
    ("report1x2", "two of report --threads 1 at once"),
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
    ("ckcohort report --threads 1 / report (2 threads)", "report1", "report"),
    ("ckcohort validate --threads 1 / validate (2 threads)", "validate1", "validate"),
    # what two cores give two runs that share nothing: 2 x one run's time
    # over the time of two at once (2.0 on an idle machine with two whole
    # cores; lower where the two CPUs share a core or memory bandwidth)
    ("two cores' ceiling: report --threads 1 / (two at once / 2)", "report1", "report1x2_each"),
    ("report --threads 2 speedup / that ceiling", "report1x2_each", "report"),
]
CPU_RATIOS = [  # the same on CPU seconds (user + system)
    ("CPU: ckcohort validate --threads 1 / libcsv parse", "validate1", "libcsv"),
    ("CPU: ckcohort validate / libcsv parse", "validate", "libcsv"),
    ("CPU: ckcohort report / DuckDB", "report", "duckdb"),
]
ACROSS = [  # messy over clean, same rows: label, command id
    ("ckcohort report", "report"),
    ("ckcohort validate", "validate"),
    ("DuckDB", "duckdb"),
    ("pandas", "pandas"),
]
# The clean file the messy one is set against: the generator's default (no
# retakes after a pass), and the same with --realistic's share of them, so
# that only the mess differs.
BASES = [("clean", "messy / clean"), ("retakes", "messy / clean with retakes")]


def key_of(label):
    """'1000000 messy' -> (1000000, 'messy'); a bare row count is clean."""
    parts = label.split()
    return int(parts[0]), parts[1] if len(parts) > 1 else "clean"


def main(argv):
    runs, loads = {}, {}
    with open(argv[1], encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            rows, cmd, wall, kb, q = f[:5]
            if len(f) > 5:
                loads.setdefault(key_of(rows)[0], []).append(float(f[5]))
            r = runs.setdefault(key_of(rows), {}).setdefault(
                cmd, {"wall": [], "kb": [], "q": [], "cpu": []})
            if len(f) > 6:
                r["cpu"].append(float(f[6]))
            r["wall"].append(float(wall))
            r["kb"].append(float(kb))
            if q != "-":
                r["q"].append(float(q))
    med = statistics.median
    table, ratios, meds = [], [], {}
    for rows in sorted(runs, key=lambda k: (k[0], k[1] != "clean")):
        m = {c: med(v["wall"]) for c, v in runs[rows].items()}
        meds[rows] = m
        if "duckdb" in m and "node_noop" in m:
            m["duckdb_net"] = m["duckdb"] - m["node_noop"]
        if "report1x2" in m:
            m["report1x2_each"] = m["report1x2"] / 2
        for cid, label in LABELS:
            if cid not in runs[rows]:
                continue
            v = runs[rows][cid]
            q = med(v["q"]) if v["q"] else None
            cpu = med(v["cpu"]) if v["cpu"] else None
            table.append((rows, label, m[cid], med(v["kb"]) / 1024, q, len(v["wall"]), cpu))
            if cid == "duckdb" and "duckdb_net" in m:
                table.append((rows, "DuckDB minus node startup", m["duckdb_net"], None, None, None,
                              None))
        c = {cid: med(v["cpu"]) for cid, v in runs[rows].items() if v["cpu"]}
        for label, a, b in CPU_RATIOS:
            if a in c and b in c and c[b] > 0:
                ratios.append((rows, label, c[a] / c[b]))
        for label, a, b in RATIOS:
            if a in m and b in m and m[b] > 0:
                ratios.append((rows, label, m[a] / m[b]))
    for (n, kind), m in meds.items():
        for base, what in BASES:
            c = meds.get((n, base))
            if kind != "messy" or not c:
                continue
            for label, cid in ACROSS:
                if cid in m and cid in c and c[cid] > 0:
                    ratios.append(((n, ""), f"{label}: {what}", m[cid] / c[cid]))
    ratios.sort(key=lambda r: (r[0][0], r[0][1] == "", r[0][1] != "clean"))
    show = lambda k: f"{k[0]} {k[1]}".strip()
    mshow = lambda k: f"{k[0]:,} {k[1]}".strip()

    fmt_q = lambda q: "-" if q is None else f"{q:.3f}"
    fmt_mib = lambda x: "-" if x is None else f"{x:.1f}"
    print(f"{'rows':>15}  {'command':<41} {'median s':>9} {'peak MiB':>9} {'query s':>8} "
          f"{'CPU s':>6} {'runs':>4}")
    for rows, label, s, mib, q, n, cpu in table:
        print(f"{show(rows):>15}  {label:<41} {s:>9.3f} {fmt_mib(mib):>9} {fmt_q(q):>8} "
              f"{fmt_q(cpu):>6} {n or '':>4}")
    print()
    print(f"{'rows':>15}  {'ratio of medians':<52} {'x':>7}")
    for rows, label, x in ratios:
        print(f"{show(rows):>15}  {label:<52} {x:>7.2f}")
    if loads:
        print()
        for n in sorted(loads):
            v = loads[n]
            print(f"{n:>15}  load average before the runs: median {med(v):.2f}, "
                  f"{min(v):.2f}-{max(v):.2f}")

    print("\nMarkdown:\n")
    print("| rows | command | median s | median peak MiB | in-process query s | median CPU s |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for rows, label, s, mib, q, _, cpu in table:
        print(f"| {mshow(rows)} | {label} | {s:.3f} | {fmt_mib(mib)} | {fmt_q(q)} | {fmt_q(cpu)} |")
    print()
    print("| rows | ratio of median wall times | × |")
    print("| ---: | --- | ---: |")
    for rows, label, x in ratios:
        print(f"| {mshow(rows)} | {label} | {x:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
