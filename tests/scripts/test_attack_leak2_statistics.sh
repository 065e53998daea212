#!/usr/bin/env bash
# test_attack_leak2_statistics.sh BIN SRCROOT - issue 12 leak 2, distribution
# statistics over withheld categories: the score change's mean, SD,
# quartiles, share >= 20 and Wilcoxon p (normal approximation) are published
# while its category counts are withheld; a MILP over how many students had
# each integer change bounds every withheld category.  On today's main:
# sample-data lower 1..4 (true 1); seed 25 lower 1..2 (true 1).
source "$(dirname "$0")/attack_lib.sh"

stats() { # NAME MIN_CELL CSV...
  local name=$1 mc=$2
  shift 2
  report_json "$tmp/$name.json" "$mc" "$@" || return 2
  attacker --case "$name" --judge statistics --min-cell "$mc" --nmax "$nmax" \
    --report "$tmp/$name.json"
}
nmax=40
[ "$full" = 1 ] && nmax=200

case_run leak2-statistics-sample stats sample 11 "$root"/sample-data/class-*.csv
"$bin" generate --seed 25 --class-size 150 --retake-after-pass 0.12 --out "$tmp/g25" >/dev/null
case_run leak2-statistics-seed25 stats g25 11 "$tmp"/g25/*.csv
if [ "$full" = 1 ]; then
  for seed in $(seq 11 40); do
    "$bin" generate --seed $seed --class-size 150 --retake-after-pass 0.12 --out "$tmp/f$seed" >/dev/null
    case_run leak2-statistics-seed$seed stats f$seed 11 "$tmp"/f$seed/*.csv
  done
fi
finish
