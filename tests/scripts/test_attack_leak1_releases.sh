#!/usr/bin/env bash
# test_attack_leak1_releases.sh BIN SRCROOT - issue 12 leak 1, yearly
# releases: a school publishes every year with cumulative Match years; the
# attacker reads the releases together (each earlier one describes a subset
# of the next one's students) and subtracts: the new students' counts, and
# the score change and practice regression of 1..min_cell-1 new students.
# On today's main: sample-data 2017-2026 minus 2017-2025 gives S2026-0100's
# row (change +2, practice 218, retake 221, first score 219).
source "$(dirname "$0")/attack_lib.sh"

releases() { # NAME MIN_CELL LAST_YEARS CSV...  (reports 2017-Y for each Y)
  local name=$1 mc=$2 years=$3 y args=()
  shift 3
  for y in $years; do
    report_json "$tmp/$name-$y.json" "$mc" --years "2017-$y" "$@" || return 2
    args+=(--release "$tmp/$name-$y.json")
  done
  unset 'args[${#args[@]}-1]'
  unset 'args[${#args[@]}-1]'
  attacker --case "$name" --judge linear,release --min-cell "$mc" --nmax 0 \
    --report "$tmp/$name-$y.json" "${args[@]}"
}

case_run leak1-releases-sample-2025-2026 releases s 11 "2025 2026" "$root"/sample-data/class-*.csv
"$bin" generate --seed 11 --class-size 150 --retake-after-pass 0.12 --out "$tmp/g11" >/dev/null
case_run leak1-releases-seed11-2024-2026 releases g11 11 "2024 2025 2026" "$tmp"/g11/*.csv
if [ "$full" = 1 ]; then
  case_run leak1-releases-sample-2019-2026 releases sf 11 "2019 2020 2021 2022 2023 2024 2025 2026" \
    "$root"/sample-data/class-*.csv
  for seed in 12 13 14 15 16; do
    for size in 40 150 400; do
      "$bin" generate --seed $seed --class-size $size --retake-after-pass 0.1 --out "$tmp/f$seed-$size" >/dev/null
      case_run leak1-releases-seed$seed-size$size releases f$seed-$size 11 "2023 2024 2025 2026" \
        "$tmp"/f$seed-$size/*.csv
    done
  done
fi
finish
