#!/usr/bin/env bash
# test_attack_leak3_ask_minus_report.sh BIN SRCROOT - issue 12 leak 3, ask
# sheets read with the report: each ask group is a sum of grid cells (kind x
# score band x target specialty x outcome), the report's groups and
# specialty rows are other sums of the same cells (tier = its specialties,
# zone = its bands, everyone = every kind and zone).  On today's main:
# seed 7, ask --score 218 --specialty Pediatrics shows no-retake x low pass
# x forgiving tier = 155, the report's forgiving rows' low-pass counts sum
# to 165: retook x low pass x forgiving = 10, a rung the sheet passed over;
# sample-data, two sheets (score 225, Child Neurology and Anesthesiology)
# and the report bound the low-pass-retook unmatched count to 3..9.
source "$(dirname "$0")/attack_lib.sh"

sheets() { # NAME MIN_CELL "score|specialty;..." CSV...
  local name=$1 mc=$2 qs=$3 q i=0 sc sp
  shift 3
  report_json "$tmp/$name.json" "$mc" "$@" || return 2
  mkdir -p "$tmp/$name-ask"
  IFS=';' read -ra qq <<<"$qs"
  for q in "${qq[@]}"; do
    i=$((i + 1))
    sc=${q%%|*} sp=${q#*|}
    ask_one "$tmp/$name-ask/s$i.json" "$@" --score "$sc" ${sp:+--specialty "$sp"} \
      --date 2025-10-09 --min-cell "$mc" || return 2
  done
  [ $refused = 0 ] || echo "ask: $refused sheets refused (nothing published)"
  attacker --case "$name" --judge linear,ask --min-cell "$mc" --nmax 0 --report "$tmp/$name.json" \
    --ask-dir "$tmp/$name-ask"
}
sweep() { # NAME MIN_CELL OFFSETS CSV...
  local name=$1 mc=$2 offs=$3
  shift 3
  report_json "$tmp/$name.json" "$mc" "$@" || return 2
  ask_sweep "$tmp/$name-ask" "$tmp/$name.json" "$offs" 2025-10-09 "$@" || return 2
  attacker --case "$name" --judge linear,ask --min-cell "$mc" --nmax 0 --report "$tmp/$name.json" \
    --ask-dir "$tmp/$name-ask"
}

"$bin" generate --seed 7 --class-size 400 --retake-after-pass 0.1 --out "$tmp/g7" >/dev/null
case_run leak3-ask-minus-report-seed7 sheets g7 11 "218|Pediatrics" "$tmp"/g7/*.csv
case_run leak3-ask-two-sheets-sample sheets sample 11 "225|Child Neurology;225|Anesthesiology" \
  "$root"/sample-data/class-*.csv
if [ "$full" = 1 ]; then
  offs=$(seq -45 5 -5; echo -1 0 3; seq 7 5 87)
  case_run leak3-ask-sweep-sample sweep swp 11 "$offs" "$root"/sample-data/class-*.csv
  case_run leak3-ask-sweep-seed7 sweep sw7 11 "$offs" "$tmp"/g7/*.csv
fi
finish
