# shellcheck shell=bash
# attack_leak3_lib.sh - sourced by the leak-3 attack tests after
# attack_lib.sh (not a test): a case of ask sheets read with the report,
# judged by what the sheets add to what the report alone gives
# (attacker.py --ask-unread): under nces the report publishes some outcome
# bounds by design; under strict the report alone can give counts away
# through a relation its engine does not know (everyone with a second
# attempt, test_attack_all_retakers.sh), which is that test's finding,
# not the sheets'.

# judge NAME POLICY MIN_CELL: the attacker on the report alone and on the
# report with every sheet of $tmp/NAME-ask
judge() {
  local name=$1 policy=$2 mc=$3 rc
  ATTACK_PRINT_ALL=1 attacker --case "$name" --judge linear,ask --min-cell "$mc" --nmax 0 \
    --report "$tmp/$name.json" --ask-dir "$tmp/$name-ask" | tee "$tmp/$name.out"
  rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] && return 0
  ATTACK_PRINT_ALL=1 attacker --case "$name-report-alone" --judge linear,ask --min-cell "$mc" --nmax 0 \
    --report "$tmp/$name.json" --ask-dir "$tmp/$name-ask" --ask-unread >"$tmp/$name.alone" 2>&1
  grep -E '^  [a-z]+ .*values < |^  ask: ' "$tmp/$name.alone" | sort >"$tmp/$name.a"
  grep -E '^  [a-z]+ .*values < |^  ask: ' "$tmp/$name.out" | sort >"$tmp/$name.b"
  echo "$policy: the report alone has $(wc -l <"$tmp/$name.a") finding(s), with the sheets $(wc -l <"$tmp/$name.b")"
  if comm -13 "$tmp/$name.a" "$tmp/$name.b" | grep -q .; then
    echo "LEAK [$name]: findings the sheets add to the report's own:"
    comm -13 "$tmp/$name.a" "$tmp/$name.b"
    return 1
  fi
  echo "$policy: the sheets add nothing to what the report alone gives"
  return 0
}

sheets() { # NAME POLICY MIN_CELL "score|specialty;..." CSV...
  local name=$1 policy=$2 mc=$3 qs=$4 q i=0 sc sp
  shift 4
  report_json "$tmp/$name.json" "$mc" --privacy "$policy" "$@" || return 2
  mkdir -p "$tmp/$name-ask"
  IFS=';' read -ra qq <<<"$qs"
  for q in "${qq[@]}"; do
    i=$((i + 1))
    sc=${q%%|*} sp=${q#*|}
    ask_one "$tmp/$name-ask/s$i.json" "$@" --privacy "$policy" --score "$sc" ${sp:+--specialty "$sp"} \
      --date 2025-10-09 --min-cell "$mc" || return 2
  done
  [ $refused = 0 ] || echo "ask: $refused sheets refused (nothing published)"
  judge "$name" "$policy" "$mc"
}
sweep() { # NAME POLICY MIN_CELL OFFSETS CSV...
  local name=$1 policy=$2 mc=$3 offs=$4
  shift 4
  report_json "$tmp/$name.json" "$mc" --privacy "$policy" "$@" || return 2
  ask_sweep "$tmp/$name-ask" "$tmp/$name.json" "$offs" 2025-10-09 --privacy "$policy" "$@" || return 2
  judge "$name" "$policy" "$mc"
}
