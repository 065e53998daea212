#!/usr/bin/env bash
# test_attack_sheets_then_report.sh BIN ROOT - a yearly ledger that holds
# ask sheets: last year's report, a sweep of ask sheets of last year's
# students, then this year's report and export (one more Match year),
# all in one release ledger and read together by the independent attacker
# (the sheets tied to last year's report: --ask-of-release 0).  This
# year's report used to be refused (exit 3: a sheet's grid groups could
# not be checked against another population); it is now checked with the
# sheets' published groups (ck_ledger_verify) and must publish, and the
# attacker must recover nothing.  A refusal is an error of the case.  A
# second sweep of last year's students after this year's report (all the
# files, last year's --years) is read with the first.
source "$2/tests/scripts/attack_lib.sh"

# sheets_first NAME POLICY OFFSETS OFFSETS2 CSV... (the newest Match
# year's file last): last year's report, a sweep of its students' sheets
# (OFFSETS), this year's report and export; with OFFSETS2 (not "-") a
# second sweep of last year's students after this year's report: every
# file read with last year's --years (the ledger refuses both this year's
# population and last year's files alone), its groups checked with this
# year's report.  The attacker reads every sheet as one of last year's
# population.
sheets_first() {
  local name=$1 policy=$2 offs=$3 offs2=$4 judge=()
  shift 4
  local old=("${@:1:$#-1}")
  [ "$policy" = nces ] && judge=(--judge-added)
  report_json "$tmp/$name-prev.json" 11 --privacy "$policy" "${old[@]}" || return 2
  ask_sweep "$tmp/$name-ask" "$tmp/$name-prev.json" "$offs" 2025-10-09 \
    --privacy "$policy" "${old[@]}" || return 2
  [ "$refused" = 0 ] || { echo "the sheets were refused"; return 2; }
  report_json "$tmp/$name.json" 11 --privacy "$policy" "$@" || {
    echo "this year's report was refused after the sheets"; return 2; }
  "$bin" export --privacy "$policy" --min-cell 11 --out "$tmp/$name-export" \
    "${ledger_args[@]}" "$@" >/dev/null || return 2
  if [ "$offs2" != - ]; then
    local years
    years=$("$py" -c 'import json,sys; y=json.load(open(sys.argv[1]))["match_years"]; print(y["first"], y["last"], sep="-")' "$tmp/$name-prev.json")
    ask_sweep "$tmp/$name-ask2" "$tmp/$name-prev.json" "$offs2" 2025-10-09 \
      --privacy "$policy" --years "$years" "$@" || return 2
    [ "$refused" = 0 ] || { echo "the second sweep was refused"; return 2; }
    for f in "$tmp/$name-ask2"/*.json; do cp "$f" "$tmp/$name-ask/again-${f##*/}"; done
  fi
  ls "${ledger_args[1]}" | sed -n '$='  | sed 's/^/ledger entries: /'
  attacker --case "$name" --min-cell 11 --nmax 30 --report "$tmp/$name.json" \
    --release "$tmp/$name-prev.json" --ask-of-release 0 \
    --export "$tmp/$name-export" --ask-dir "$tmp/$name-ask" "${judge[@]}"
}

[ $ask_has_ledger = 1 ] || { echo "skip: ask has no --releases"; exit 77; }
sample=("$root"/sample-data/class-20*.csv)
"$bin" generate --seed 3 --years 2017-2026 --class-size 100 --out "$tmp/g3" >/dev/null
# the test command runs the sample data under strict and the small
# school's report alone (about 1 minute); ATTACK_FULL=1 also the small
# school's sheets, the school of 100 a class and the sample data under
# nces (about 5 minutes on 2 cores)
case_run sheets-sample-strict sheets_first sample-strict strict "-1 0 3" - "${sample[@]}"
# last year's students asked again after this year's report (2026-12-03)
case_run sheets-again-sample-strict sheets_first again-sample-strict strict "0" "-1 3" "${sample[@]}"
# a small school (held-out sweep of 2026-12-02): its report printed a
# low-pass missed-target count (17), the low-pass applicants matched into
# "Other (merged)" (27) and Internal Medicine's low-pass applicants (13),
# which with what the sheets' grid holds (a member matched into their own
# target is in that specialty's matched-into row) put seven withheld
# low-pass unmatched counts at 0..9, already from the report alone
# (attacker.py --ask-unread gave the same); the report's model now holds
# that relation (analyse.c, into_by_target) and withholds Internal
# Medicine's 13
"$bin" generate --seed 411 --years 2018-2026 --school-profile small --out "$tmp/s411" >/dev/null
# the sheets' case by hand (about 35 s); the report alone below shows it
[ "$full" = 1 ] &&
  case_run sheets-small411-strict sheets_first small411-strict strict "0" - "$tmp"/s411/class-20*.csv
# the same report alone: the attacker's report model holds the relation
# too (attacker.py, link_targets), so it needs no sheet to find it
alone() {
  report_json "$tmp/alone411.json" 11 --privacy strict "${@:1:$#-1}" || return 2
  attacker --case alone-small411-strict --min-cell 11 --nmax 30 --report "$tmp/alone411.json"
}
case_run report-alone-small411-strict alone "$tmp"/s411/class-20*.csv
if [ "$full" = 1 ]; then
  case_run sheets-g3-nces sheets_first g3-nces nces "0 4" - "$tmp"/g3/class-20*.csv
  case_run sheets-sample-nces sheets_first sample-nces nces "-1 0 3" - "${sample[@]}"
  case_run sheets-g3-strict sheets_first g3-strict strict "0 4" - "$tmp"/g3/class-20*.csv
  case_run sheets-again-g3-nces sheets_first again-g3-nces nces "0" "-1 4" "$tmp"/g3/class-20*.csv
fi
finish
