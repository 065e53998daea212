# shellcheck shell=bash disable=SC2154,SC2034
# bench_lib.sh - shared by bench_suppress.sh and bench_ask.sh: time a
# baseline binary and this build on the same cases, paired rounds, check
# that both publish the same bytes, and print median CPU seconds and
# ratios.  Sourced; bench_init sets $base, $runs, $root, $bin, $tmp (a
# scratch directory) and empties the arrays cases[] and args[] (one string
# of words per case, no spaces inside a word), which add() fills.

# bench_init USAGE ARGS...: BASELINE [RUNS] from ARGS, this build, the
# tools, a scratch directory removed on exit and a fixed time stamp
bench_init() {
  local usage=$1 me
  me=$(basename "$0" .sh)
  shift
  if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $usage" >&2
    exit 2
  fi
  base=$1
  runs=${2:-5}
  root=$(cd "$(dirname "$0")/.." && pwd)
  bin=$root/build/ckcohort
  [ -x "$bin" ] || { echo "build first: cmake --build build" >&2; exit 2; }
  [ -x "$base" ] || { echo "$me: $base: not an executable" >&2; exit 2; }
  [ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  export SOURCE_DATE_EPOCH=1700000000
  cases=()
  args=()
  bad=0
}

# add NAME ARGS...: one case, run by run_cases
add() {
  cases+=("$1")
  shift
  args+=("$*")
}

# time_one TAG CASE-INDEX OUT ARGS...: user+system CPU seconds appended to
# $tmp/TAG.CASE-INDEX; a failing run stops the benchmark
time_one() {
  local tag=$1 k=$2 out=$3
  shift 3
  /usr/bin/time -f "%U %S" -o "$tmp/t" "$@" >"$out" 2>"$tmp/err" || {
    echo "$(basename "$0"): failed ($tag): $*" >&2
    cat "$tmp/err" >&2
    exit 2
  }
  awk '{print $1 + $2}' "$tmp/t" >>"$tmp/$tag.$k"
}

# run_cases TAG BINARY: every case of args[] once
run_cases() {
  local tag=$1 b=$2 k
  for k in "${!args[@]}"; do
    # shellcheck disable=SC2086 # args[k] holds words without spaces
    time_one "$tag" "$k" "$tmp/$tag.out.$k" "$b" ${args[$k]}
  done
}

# same_outputs: every case's output of both builds compared, the ledger
# folders' names made equal; a difference is told and sets bad=1
same_outputs() {
  local k
  for k in "${!cases[@]}"; do
    if ! sed "s|$tmp/ledger-base|L|g" "$tmp/base.out.$k" |
      cmp -s - <(sed "s|$tmp/ledger-new|L|g" "$tmp/new.out.$k"); then
      echo "$(basename "$0" .sh): outputs differ: ${cases[$k]}" >&2
      bad=1
    fi
  done
}

# bench_rounds SEQUENCE: $runs paired rounds; in each, every case of
# args[] and then SEQUENCE TAG BINARY (cases of several commands in a row,
# such as a release ledger) by the baseline (TAG base), then by this build
# (TAG new), and the outputs compared
bench_rounds() {
  local seq=$1 r tag b
  for r in $(seq 1 "$runs"); do
    echo "round $r/$runs (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
    for tag in base new; do
      b=$base
      [ $tag = new ] && b=$bin
      run_cases $tag "$b"
      "$seq" $tag "$b"
    done
    same_outputs
  done
}

median() { sort -n "$1" | awk '{t[NR]=$1} END {print t[int((NR+1)/2)]}'; }

# print_table BAD: the medians, their ratios and whether outputs matched
print_table() {
  local k mb mn
  printf '| case | %s | this build | ratio |\n| --- | ---: | ---: | ---: |\n' "$(basename "$base")"
  for k in "${!cases[@]}"; do
    mb=$(median "$tmp/base.$k")
    mn=$(median "$tmp/new.$k")
    awk -v c="${cases[$k]}" -v b="$mb" -v n="$mn" \
      'BEGIN {printf "| %s | %.2f s | %.2f s | %.2f |\n", c, b, n, (b > 0 ? n / b : 0)}'
  done
  echo "median user+system CPU seconds of $runs paired rounds; outputs $([ "$1" = 0 ] && echo identical || echo DIFFER)"
}
