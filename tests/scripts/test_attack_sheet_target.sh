#!/usr/bin/env bash
# test_attack_sheet_target.sh BIN SRCROOT - a leak found by the
# held-out sweep of 2026-12-01 (issue 12; docs/privacy.md, Known gaps): a
# sheet's matched-into-target count read with two yearly releases (both
# cases closed).
#   generate --seed 151 --class-size 400 (no retakes after a pass), nces,
#   with one release ledger: report 2017-2025, report 2017-2026, export,
#   then ask --score 225 --specialty Anesthesiology --date 2025-10-09.
# The sheet answers from "did not retake, above pass+6, middle tier" and
# shows its matched-into-target count (1324).  The earlier release shows
# each middle specialty's matched-into-target count (Anesthesiology 134 of
# 158); the later report withholds Anesthesiology's (141 of 169).  Read
# together (attacker.py, every relation of docs/ask-json.md), the later
# count is 134..141 (8 values; the two releases alone leave 134..145) and
# the 11 new Anesthesiology applicants' missed-target count (4) is 4..11.
# The same school without the earlier release (report 2017-2026, export,
# then the sheets of --score 225 with --specialty "Internal Medicine" and
# --specialty "Family Medicine"): the first answers from the middle tier's
# "did not retake, above pass+6" group and lists 29 matched into Internal
# Medicine-Pediatrics, the second from the forgiving tier's, whose list
# leaves that specialty out; with the report, the withheld Internal
# Medicine-Pediatrics matched-into-target count (29) was pinned at 29 and
# its size and matched count (32, 32) put at 29..35: the grid had no
# relation "a group of one target: matched into target = matched into that
# specialty" (closed 2026-12-01, ask_grid.c build_constraints).
# Each case fails when the sheets' matched-into figures add a finding to
# what the same outputs give without them (attacker.py --no-sheet-detail:
# the releases also narrow counts through everyone with a second attempt,
# test_attack_all_retakers.sh's leak, which is judged there).
source "$(dirname "$0")/attack_lib.sh"

target() { # NAME POLICY SEED SIZE SCORE SPECIALTY
  local name=$1 policy=$2
  "$bin" generate --seed "$3" --class-size "$4" --out "$tmp/$name" >/dev/null || return 2
  local score=$5 spec=$6
  set -- --privacy "$policy" "$tmp/$name"/*.csv
  report_json "$tmp/$name-prev.json" 11 --years 2017-2025 "$@" || return 2
  report_json "$tmp/$name.json" 11 "$@" || return 2
  "$bin" export --min-cell 11 --out "$tmp/$name-export" "${ledger_args[@]}" "$@" >/dev/null || return 2
  mkdir -p "$tmp/$name-ask"
  ask_one "$tmp/$name-ask/s1.json" "$@" --score "$score" --specialty "$spec" \
    --date 2025-10-09 --min-cell 11 || return 2
  [ -s "$tmp/$name-ask/s1.json" ] || { echo "the sheet was refused"; return 2; }
  judge_detail "$name" --release "$tmp/$name-prev.json"
}

# pair NAME POLICY SEED SIZE SCORE SPECIALTY SPECIALTY: no earlier
# release; two sheets from one ask run
pair() {
  local name=$1 policy=$2
  "$bin" generate --seed "$3" --class-size "$4" --out "$tmp/$name" >/dev/null || return 2
  printf 'score,specialty\n%d,"%s"\n%d,"%s"\n' "$5" "$6" "$5" "$7" >"$tmp/$name.q.csv"
  set -- --privacy "$policy" "$tmp/$name"/*.csv
  report_json "$tmp/$name.json" 11 "$@" || return 2
  "$bin" export --min-cell 11 --out "$tmp/$name-export" "${ledger_args[@]}" "$@" >/dev/null || return 2
  mkdir -p "$tmp/$name-ask"
  ask_batch "$tmp/$name-ask" "$tmp/$name.q.csv" 2 "$@" --date 2025-10-09 --min-cell 11 || return 2
  [ -s "$tmp/$name-ask/s2.json" ] || { echo "the sheets were refused"; return 2; }
  judge_detail "$name"
}

# judge_detail NAME [ATTACKER ARGS]: what the sheets' matched-into figures
# add to the same outputs read without them
judge_detail() {
  local name=$1
  shift
  local how extra
  for how in detail plain; do
    extra=()
    [ $how = plain ] && extra=(--no-sheet-detail)
    ATTACK_PRINT_ALL=1 attacker --case "$name-$how" --min-cell 11 --nmax 0 --judge-added \
      --report "$tmp/$name.json" "$@" --export "$tmp/$name-export" \
      --ask-dir "$tmp/$name-ask" "${extra[@]}" >"$tmp/$name.$how"
    grep -E '^  ' "$tmp/$name.$how" | sort >"$tmp/$name.$how.f"
  done
  echo "findings without the sheet's matched-into figures: $(grep -c . "$tmp/$name.plain.f"); with them: $(grep -c . "$tmp/$name.detail.f")"
  if comm -23 "$tmp/$name.detail.f" "$tmp/$name.plain.f" | grep -q .; then
    echo "LEAK [$name]: what the sheet's matched-into figures add:"
    comm -23 "$tmp/$name.detail.f" "$tmp/$name.plain.f"
    return 1
  fi
  echo "the sheet's matched-into figures add nothing"
  return 0
}

case_run sheet-target-seed151-size400-nces-releases target s151 nces 151 400 225 Anesthesiology
case_run sheet-target-seed151-size400-nces-two-sheets pair p151 nces 151 400 225 \
  "Internal Medicine" "Family Medicine"
finish
