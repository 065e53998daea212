#!/usr/bin/env bash
# bench_cpu.sh - paired, interleaved timings of one file for issue 16's
# validate and --threads targets: the bare libcsv parse (bench/csvcount.c),
# validate and report with --threads 2 and 1.  Prints median wall seconds,
# median user+sys CPU seconds and median peak RSS per command, then uptime
# (the load the figures were taken under).  Not part of the tests;
# docs/benchmarks.md.
# usage: scripts/bench_cpu.sh RUNS FILE   (build/ckcohort must exist)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: scripts/bench_cpu.sh RUNS FILE" >&2; exit 2; }
runs=$1 file=$2
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BIN:-$root/build/ckcohort}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/csvcount" "$root/bench/csvcount.c" -lcsv
ids=(libcsv validate2 validate1 report2 report1)
declare -A W C M
for ((i = 0; i < runs; i++)); do
  for id in "${ids[@]}"; do
    case $id in
    libcsv) cmd=("$work/csvcount" "$file") ;;
    validate2) cmd=("$bin" validate --quiet --threads 2 "$file") ;;
    validate1) cmd=("$bin" validate --quiet --threads 1 "$file") ;;
    report2) cmd=("$bin" report --format json --threads 2 "$file") ;;
    report1) cmd=("$bin" report --format json --threads 1 "$file") ;;
    esac
    # validate exits 1 when rows were rejected: the timing still counts
    /usr/bin/time -o "$work/t" -f "%e %U %S %M" "${cmd[@]}" >/dev/null 2>&1 || true
    read -r w u s m < <(tail -1 "$work/t")  # after any "exited with" line
    W[$id]+="$w " C[$id]+="$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }') "
    M[$id]+="$((m / 1024)) "
  done
done
med() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 }
  END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
printf '%-10s %8s %8s %8s\n' command wall_s cpu_s peak_MiB
for id in "${ids[@]}"; do
  printf '%-10s %8s %8s %8s\n' "$id" "$(med <<<"${W[$id]}")" \
    "$(med <<<"${C[$id]}")" "$(med <<<"${M[$id]}")"
done
uptime
