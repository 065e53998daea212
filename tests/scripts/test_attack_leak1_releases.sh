#!/usr/bin/env bash
# test_attack_leak1_releases.sh BIN SRCROOT - issue 12 leak 1, yearly
# releases: a school publishes every year with cumulative Match years; the
# attacker reads the releases together (each earlier one describes a subset
# of the next one's students) and subtracts: the new students' counts, and
# the score change and practice regression of 1..min_cell-1 new students.
# Without a release ledger, sample-data 2017-2026 minus 2017-2025 gives
# S2026-0100's row (change +2, practice 218, retake 221, first score 219);
# test_releases_attack.sh keeps that control.  Here every case runs with
# --releases (attack_lib.sh adds it when the binary has it).
source "$(dirname "$0")/attack_lib.sh"

# releases NAME MIN_CELL POLICY "YEARS" CSV...: reports 2017-Y for each Y,
# through one release ledger, then the attacker on them all.  Under strict
# every withheld count must keep min_cell values.  Under nces the policy
# itself shows the outcome counts of large groups, so a withheld outcome of
# a small group may be bounded by them ("at most the 3 who did not match")
# in one report alone: the judge there is what the releases add, the counts
# of the new students and the statistics of the differences.
releases() { # NAME MIN_CELL POLICY LAST_YEARS CSV...
  local name=$1 mc=$2 policy=$3 years=$4 y args=() judge rc
  shift 4
  for y in $years; do
    report_json "$tmp/$name-$y.json" "$mc" --privacy "$policy" --years "2017-$y" "$@" || return 2
    args+=(--release "$tmp/$name-$y.json")
  done
  unset 'args[${#args[@]}-1]'
  unset 'args[${#args[@]}-1]'
  judge=linear,release,statistics
  [ "$policy" = nces ] && judge=release,statistics
  ATTACK_PRINT_ALL=1 attacker --case "$name" --judge "$judge" --min-cell "$mc" \
    --nmax 0 --report "$tmp/$name-$y.json" "${args[@]}" | tee "$tmp/$name.out"
  rc=${PIPESTATUS[0]}
  # nces: every narrowed withheld count must be of the policy's own kind,
  # "0 to k" (at most k of a large group's shown outcome); none narrowed
  # away from 0, no count of new students narrowed
  if grep -E "^  (withheld|coded) " "$tmp/$name.out" | grep -vqE ": 0\.\.[0-9]+ \(" ||
    grep -q "unprinted new students" "$tmp/$name.out"; then
    echo "LEAK [$name]: a withheld count narrowed away from 0, or a count of new students narrowed"
    rc=1
  fi
  return "$rc"
}

for policy in strict nces; do
  case_run leak1-releases-sample-2025-2026-$policy releases s-$policy 11 $policy "2025 2026" "$root"/sample-data/class-*.csv
done
"$bin" generate --seed 11 --class-size 150 --retake-after-pass 0.12 --out "$tmp/g11" >/dev/null
case_run leak1-releases-seed11-2025-2026-nces releases g11 11 nces "2025 2026" "$tmp"/g11/*.csv
if [ "$full" = 1 ]; then
  case_run leak1-releases-seed11-2024-2026-strict releases g11s 11 strict "2024 2025 2026" "$tmp"/g11/*.csv
  case_run leak1-releases-sample-2019-2026 releases sf 11 strict "2019 2020 2021 2022 2023 2024 2025 2026" \
    "$root"/sample-data/class-*.csv
  for seed in 12 13 14 15 16; do
    for size in 40 150 400; do
      "$bin" generate --seed $seed --class-size $size --retake-after-pass 0.1 --out "$tmp/f$seed-$size" >/dev/null
      for policy in strict nces; do
        case_run leak1-releases-seed$seed-size$size-$policy releases f$seed-$size-$policy 11 $policy "2024 2025 2026" \
          "$tmp"/f$seed-$size/*.csv
      done
    done
  done
fi
finish
