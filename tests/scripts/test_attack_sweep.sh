#!/usr/bin/env bash
# test_attack_sweep.sh BIN SRCROOT - everything a school publishes, read
# together by the independent attacker (attacker.py): the report JSON, its
# export CSVs, a sample of ask sheets (every specialty at a few first-score
# bands) and the previous year's release, on sample-data and on generated
# cohorts with small and large classes and several seeds.  Each case runs
# under both policies: strict must give the attacker nothing; under nces,
# which publishes some outcome bounds of large groups by design ("0 to k"
# of a coded rate), a report's count is a finding only when everything
# together narrows it beyond what that report alone gives
# (attacker.py --judge-added), and counts no output prints are judged as
# under strict.  The test command runs a fixed sample; ATTACK_FULL=1 runs
# more seeds, sizes, min_cell 5 and every score band.
source "$(dirname "$0")/attack_lib.sh"

together() { # NAME POLICY MIN_CELL OFFSETS CSV...
  local name=$1 policy=$2 mc=$3 offs=$4 last judge=()
  shift 4
  set -- --privacy "$policy" "$@"
  [ "$policy" = nces ] && judge=(--judge-added)
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
    --release "$tmp/$name-prev.json" --export "$tmp/$name-export" "${ask[@]}" "${judge[@]}"
}
nmax=30
[ "$full" = 1 ] && nmax=200
mid_offs=8 # one low band and one above it by hand (ATTACK_FULL=1)
[ "$full" = 1 ] && mid_offs="-6 8"

"$bin" generate --seed 5 --years 2021-2024 --class-size 40 --retake-after-pass 0.3 \
  --out "$tmp/small5" >/dev/null
# 100 a class, no retakes after a pass: the joint case of 2026-12-01 (its
# export showed counts the report withheld; its sheets could not be made
# with the ledger, and made without it they gave counts away)
"$bin" generate --seed 3 --years 2017-2026 --class-size 100 --out "$tmp/mid3" >/dev/null
[ "$full" = 1 ] && "$bin" generate --seed 9 --years 2019-2026 --class-size 400 \
  --retake-after-pass 0.1 --out "$tmp/large9" >/dev/null
for policy in strict nces; do
  # strict, which publishes less, on the small class only, but with
  # ATTACK_FULL=1 on every cohort
  if [ $policy = nces ] || [ "$full" = 1 ]; then
    case_run sweep-sample-$policy together sample-$policy $policy 11 "0 7" "$root"/sample-data/class-*.csv
    # by hand only since 2026-12-02 (about 90 s: the report's model
    # links targets to what they matched into); the sample data's case
    # above reads the same kinds of output
    [ "$full" = 1 ] &&
      case_run sweep-mid-class-seed3-$policy together mid3-$policy $policy 11 "$mid_offs" "$tmp"/mid3/*.csv
  fi
  case_run sweep-small-class-seed5-$policy together small5-$policy $policy 11 "" "$tmp"/small5/*.csv
  # 400 a class: about 4 minutes of CPU per policy, by hand only
  [ "$full" = 1 ] &&
    case_run sweep-large-class-seed9-$policy together large9-$policy $policy 11 "-1 3" "$tmp"/large9/*.csv
done
if [ "$full" = 1 ]; then
  offs="$(seq -45 5 -5 | tr '\n' ' ') -1 0 3 $(seq 7 5 87 | tr '\n' ' ')"
  case_run sweep-sample-every-band together samplef nces 11 "$offs" "$root"/sample-data/class-*.csv
  case_run sweep-sample-min5 together sample5 nces 5 "-1 0 3 7" "$root"/sample-data/class-*.csv
  for seed in 21 22 23 24 25 26; do
    for size in 25 40 150 400; do
      "$bin" generate --seed $seed --years 2019-2026 --class-size $size \
        --retake-after-pass 0.15 --out "$tmp/f$seed-$size" >/dev/null
      for policy in strict nces; do
        case_run sweep-seed$seed-size$size-$policy together f$seed-$size-$policy $policy 11 "-1 0 3 7" "$tmp"/f$seed-$size/*.csv
      done
    done
  done
fi
finish
