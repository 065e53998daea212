#!/usr/bin/env bash
# test_attack_sweep.sh BIN SRCROOT - everything a school publishes, read
# together by the independent attacker (attacker.py): the report JSON, its
# export CSVs, a sample of ask sheets (every specialty at a few first-score
# bands) and the previous year's release, on sample-data and on generated
# cohorts with small and large classes and several seeds.  The test command
# runs a fixed sample; ATTACK_FULL=1 runs more seeds, sizes, min_cell 5 and
# every score band.
source "$(dirname "$0")/attack_lib.sh"

together() { # NAME MIN_CELL OFFSETS CSV...
  local name=$1 mc=$2 offs=$3 last
  shift 3
  # the Match years, from a report no ledger records (a school's releases
  # come oldest first)
  "$bin" report --format json --min-cell "$mc" "$@" >"$tmp/$name.json" || return 2
  last=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["match_years"]["last"])' "$tmp/$name.json")
  first=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["match_years"]["first"])' "$tmp/$name.json")
  # the earlier release: one Match year less (made before the newer one)
  report_json "$tmp/$name-prev.json" "$mc" --years "$first-$((last - 1))" "$@" || return 2
  report_json "$tmp/$name.json" "$mc" "$@" || return 2
  "$bin" export --min-cell "$mc" --out "$tmp/$name-export" "${ledger_args[@]}" "$@" >/dev/null || return 2
  local ask=()
  if [ -n "$offs" ]; then
    ask_sweep "$tmp/$name-ask" "$tmp/$name.json" "$offs" 2025-10-09 "$@" || return 2
    ask=(--ask-dir "$tmp/$name-ask")
  fi
  attacker --case "$name" --min-cell "$mc" --nmax "$nmax" --report "$tmp/$name.json" \
    --release "$tmp/$name-prev.json" --export "$tmp/$name-export" "${ask[@]}"
}
nmax=30
[ "$full" = 1 ] && nmax=200

case_run sweep-sample together sample 11 "0 7" "$root"/sample-data/class-*.csv
"$bin" generate --seed 5 --years 2021-2024 --class-size 40 --retake-after-pass 0.3 \
  --out "$tmp/small5" >/dev/null
case_run sweep-small-class-seed5 together small5 11 "" "$tmp"/small5/*.csv
"$bin" generate --seed 9 --years 2019-2026 --class-size 400 --retake-after-pass 0.1 \
  --out "$tmp/large9" >/dev/null
case_run sweep-large-class-seed9 together large9 11 "-1 3" "$tmp"/large9/*.csv
if [ "$full" = 1 ]; then
  offs="$(seq -45 5 -5 | tr '\n' ' ') -1 0 3 $(seq 7 5 87 | tr '\n' ' ')"
  case_run sweep-sample-every-band together samplef 11 "$offs" "$root"/sample-data/class-*.csv
  case_run sweep-sample-min5 together sample5 5 "-1 0 3 7" "$root"/sample-data/class-*.csv
  for seed in 21 22 23 24 25 26; do
    for size in 25 40 150 400; do
      "$bin" generate --seed $seed --years 2019-2026 --class-size $size \
        --retake-after-pass 0.15 --out "$tmp/f$seed-$size" >/dev/null
      case_run sweep-seed$seed-size$size together f$seed-$size 11 "-1 0 3 7" "$tmp"/f$seed-$size/*.csv
    done
  done
fi
finish
