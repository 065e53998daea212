#!/usr/bin/env python3
"""paired.py - time shell commands in paired rounds and print medians.

usage: bench/paired.py ROUNDS LABEL=COMMAND [LABEL=COMMAND ...]

Each round runs every COMMAND once, in the order given (so a slow minute of
the machine falls on all of them alike), with stdout discarded.  Prints,
per command, the median wall time and the median CPU time (user + system
of the command and its children) over the rounds, each also as a ratio to
the first command's median, and the fastest wall time.  A command that
exits non-zero stops the script (append `; true` to time one that fails on
purpose).  Not part of the tests; docs/benchmarks.md shows its use.
"""
import resource
import statistics
import subprocess
import sys
import time


def main(argv):
    if len(argv) < 3 or not argv[1].isdigit() or int(argv[1]) < 1:
        sys.stderr.write(__doc__)
        return 2
    rounds = int(argv[1])
    cmds = []
    for a in argv[2:]:
        label, sep, cmd = a.partition("=")
        if not sep or not label or not cmd:
            sys.stderr.write(f"paired.py: not LABEL=COMMAND: {a}\n")
            return 2
        cmds.append((label, cmd))
    wall = {l: [] for l, _ in cmds}
    cpu = {l: [] for l, _ in cmds}
    for _ in range(rounds):
        for label, cmd in cmds:
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            done = subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL)
            t1 = time.perf_counter()
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                sys.stderr.write(f"paired.py: {label}: exit status {done.returncode}\n")
                return 1
            wall[label].append(t1 - t0)
            cpu[label].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    w0 = statistics.median(wall[cmds[0][0]])
    c0 = statistics.median(cpu[cmds[0][0]])
    print(f"{rounds} paired rounds; ratios to {cmds[0][0]}")
    for label, _ in cmds:
        w = statistics.median(wall[label])
        c = statistics.median(cpu[label])
        print(f"{label:20s} wall {w * 1000:8.1f} ms ({w / w0:.3f})  "
              f"cpu {c * 1000:8.1f} ms ({c / c0 if c0 else 0:.3f})  "
              f"fastest {min(wall[label]) * 1000:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
