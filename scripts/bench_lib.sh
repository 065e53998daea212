# shellcheck shell=bash disable=SC2154
# bench_lib.sh - shared by bench_suppress.sh and bench_ask.sh: time a
# baseline binary and this build on the same cases, paired rounds, and
# print median CPU seconds and ratios.  Sourced; expects $tmp (a scratch
# directory), $base, $bin, $runs and the arrays cases[] and args[] (one
# string of words per case, no spaces inside a word).

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
