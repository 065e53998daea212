# shellcheck shell=bash
# attack_lib.sh - sourced by tests/scripts/test_attack_*.sh (not a test).
# Runs ckcohort to make what a school would publish and hands it to the
# independent attacker (attacker.py).  Every case prints what the attacker
# tried and found; a case fails when the attacker recovers anything.
#   ATTACK_FULL=1     the long sweeps (more seeds, every ask band) by hand
#   ATTACK_VERBOSE=1  every bound, not only the leaks
set -u
bin=$1 root=$2
py=/usr/bin/python3
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
if ! "$py" -c 'import scipy.optimize, numpy' 2>/dev/null; then
  echo "skip: /usr/bin/python3 with SciPy is needed (apt-get install python3-scipy)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2034 # read by the test scripts
full=${ATTACK_FULL:-0}
failed=()
attacker() { "$py" "$root/tests/scripts/attacker.py" "$@"; }

# ledger: the --releases option when the binary has it (a release ledger
# checks each run against the earlier ones); otherwise plain reports
# (one ledger per case: each case is one school's population)
ledger_args=() ask_ledger_args=()
has_ledger=0 ask_has_ledger=0
if "$bin" report --help 2>&1 | grep -q -- '--releases'; then
  has_ledger=1
  "$bin" ask --help 2>&1 | grep -q -- '--releases' && ask_has_ledger=1
fi
# ask --questions: many sheets from one run (one report and grid)
ask_has_questions=0
"$bin" ask --help 2>&1 | grep -q -- '--questions' && ask_has_questions=1
echo "release ledger (--releases): $([ $has_ledger = 1 ] && echo used || echo 'not in this binary: plain reports')"

# case NAME COMMAND...: run one named case, record it when it fails
case_run() {
  local name=$1 start end rc
  shift
  if [ $has_ledger = 1 ]; then
    mkdir -p "$tmp/ledger-$name"
    ledger_args=(--releases "$tmp/ledger-$name")
    [ $ask_has_ledger = 1 ] && ask_ledger_args=("${ledger_args[@]}")
  fi
  start=$EPOCHREALTIME
  echo "---- case $name"
  "$@"
  rc=$?
  end=$EPOCHREALTIME
  printf -- '---- case %s: %s (%s s)\n' "$name" \
    "$(case $rc in 0) echo 'nothing recovered' ;; 1) echo 'LEAK' ;; *) echo "ERROR (status $rc)" ;; esac)" \
    "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
  [ $rc = 0 ] || failed+=("$name")
}

# report_json OUT MIN_CELL [report args...] CSV...
report_json() {
  local out=$1 mc=$2
  shift 2
  "$bin" report --format json --min-cell "$mc" "${ledger_args[@]}" "$@" >"$out"
}

# ask_sweep OUTDIR REPORT.json OFFSETS DATE CSV...: one sheet per first score
# (pass mark of DATE + each offset) x (no specialty and every specialty of
# the report), as OUTDIR/s1.json, s2.json, ... in that order; all asked in
# one run (ask --questions) when the binary has it
ask_sweep() {
  local out=$1 rep=$2 offs=$3 date=$4 mark specs i=0 o sp mc q
  shift 4
  mkdir -p "$out"
  mc=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["settings"]["min_cell"])' "$rep")
  mark=$("$py" -c 'import json,sys
m=[p for p in json.load(open(sys.argv[1]))["settings"]["pass_marks"] if p["from"] <= sys.argv[2]]
print(m[-1]["mark"])' "$rep" "$date")
  specs=$("$py" -c 'import json,sys
[print(s["specialty"]) for s in json.load(open(sys.argv[1]))["by_specialty"] if not s["no_target"]]' "$rep")
  refused=0
  q=$out.questions.csv
  # each question also gives a practice average (205..274 in turn), so the
  # sheets' practice-gain blocks cover several practice bands
  echo "score,practice,specialty" >"$q"
  for o in $offs; do
    [ $((mark + o)) -ge 1 ] && [ $((mark + o)) -le 300 ] || continue   # scores are 1-300
    i=$((i + 1))
    echo "$((mark + o)),$((205 + 10 * (i % 7) + i % 10))," >>"$q"
    while IFS= read -r sp; do
      [ -n "$sp" ] || continue
      i=$((i + 1))
      printf '%d,%d,"%s"\n' $((mark + o)) $((205 + 10 * (i % 7) + i % 10)) "${sp//\"/\"\"}" >>"$q"
    done <<<"$specs"
  done
  if [ $ask_has_questions = 1 ]; then
    [ $i = 0 ] || ask_batch "$out" "$q" "$i" "$@" --date "$date" --min-cell "$mc" || return 2
  else
    # a binary without --questions: one run per sheet
    "$py" -c 'import csv,sys
for r in csv.DictReader(open(sys.argv[1])): print(r["score"] + "|" + r["practice"] + "|" + r["specialty"])' "$q" |
      { i=0
        while IFS='|' read -r o pr sp; do
          i=$((i + 1))
          ask_one "$out/s$i.json" "$@" --score "$o" --practice "$pr" ${sp:+--specialty "$sp"} --date "$date" \
            --min-cell "$mc" || exit 2
        done
        echo $refused >"$out.refused"; } || return 2
    refused=$(cat "$out.refused")
  fi
  echo "ask sweep: $i sheets (offsets $offs from the pass mark of $date), $refused refused"
}

# ask_batch OUTDIR QUESTIONS.csv N ARGS...: the N sheets of a questions
# file from one run, as OUTDIR/s1.json ... sN.json; a run that stops with
# status 3 (it could not check the sheets, e.g. against the release ledger)
# publishes nothing: all N are refused
ask_batch() {
  local out=$1 q=$2 n=$3 rc
  shift 3
  "$bin" ask "${ask_ledger_args[@]}" "$@" --questions "$q" --format json \
    >"$out.all.json" 2>"$out.err"
  rc=$?
  if [ $rc = 3 ]; then
    sed 's/^/  refused: /' "$out.err"
    refused=$((refused + n))
    rm -f "$out.all.json" "$out.err"
    return 0
  fi
  [ $rc = 0 ] || { cat "$out.err"; return 1; }
  "$py" -c 'import json,sys
a = json.load(open(sys.argv[1]))
if len(a) != int(sys.argv[3]): sys.exit("%d sheets for %s questions" % (len(a), sys.argv[3]))
for i, s in enumerate(a, 1):
    json.dump(s, open("%s/s%d.json" % (sys.argv[2], i), "w"), indent=2)' \
    "$out.all.json" "$out" "$n" || return 1
  rm -f "$out.all.json" "$out.err"
}

# ask_one OUT ARGS...: one sheet; a run that stops with status 3 (it could
# not check the sheet, e.g. against the release ledger) publishes nothing
ask_one() {
  local out=$1 rc
  shift
  "$bin" ask "${ask_ledger_args[@]}" "$@" --format json >"$out" 2>"$out.err"
  rc=$?
  if [ $rc = 3 ]; then
    [ $refused -gt 0 ] || sed 's/^/  refused: /' "$out.err"
    refused=$((refused + 1))
    rm -f "$out" "$out.err"
    return 0
  fi
  [ $rc = 0 ] || { cat "$out.err"; return 1; }
  rm -f "$out.err"
}
refused=0

finish() {
  if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED cases: ${failed[*]}"
    exit 1
  fi
  echo "all cases: nothing recovered"
  exit 0
}
