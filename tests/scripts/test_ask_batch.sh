#!/usr/bin/env bash
# test_ask_batch.sh BIN SRC - `ask --questions`: every sheet of a batch is
# the sheet of the same question asked alone.  On sample-data, questions
# that pass and fail, with and without a specialty (known, by alias,
# unknown), practice, weeks, each cycle, a date under another pass mark:
#   json  the batch's array, element by element, equals each single run's
#         object (parsed; the batch adds only query.id, the id cell; five
#         of the eight asked alone, all with ASK_BATCH_FULL=1);
#   text  the batch split at its form-feed lines is byte for byte the
#         single runs (a file without an id column: the id is printed);
#   md    the same, split at the "---" lines between sheets (text and md:
#         three of the questions, for time);
# and the options fill the empty cells: --date/--practice/--specialty with
# a batch equal the single runs given the same options.  With --releases
# every sheet is recorded as its own entry, as a single run records one.
set -u
bin=$1 src=$2
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 1
S=$(ls sample-data/class-*.csv)
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# score|practice|specialty|weeks|date|cycle, one question a line
cat >"$tmp/q.txt" <<'EOF'
216|238|EM|||
205||||2024-01-01|not_applying
250|260|Internal Medicine||2023-09-01|applying
212|||3|2023-09-01|eras_submitted
218|230|Dermatology|8|2025-10-09|
230||Space Medicine|||
196|||||
275|300|Peds|0||
EOF
to_csv() { # ID? : the questions file, with or without an id column
  local with_id=$1 i=0 sc pr sp wk dt cy
  [ "$with_id" = 1 ] && printf 'id,' ; echo "score,practice,specialty,weeks,date,cycle"
  while IFS='|' read -r sc pr sp wk dt cy; do
    i=$((i + 1))
    [ "$with_id" = 1 ] && printf '"adv %d, row %d",' "$i" "$((i + 1))"
    echo "$sc,$pr,$sp,$wk,$dt,$cy"
  done <"$tmp/q.txt"
}
to_csv 1 >"$tmp/qid.csv"
to_csv 0 >"$tmp/q.csv"
single() { # FORMAT N OUT [extra options]: question N of q.txt asked alone
  local fmt=$1 n=$2 out=$3 sc pr sp wk dt cy a
  shift 3
  IFS='|' read -r sc pr sp wk dt cy < <(sed -n "${n}p" "$tmp/q.txt")
  a=(--score "$sc")
  [ -n "$pr" ] && a+=(--practice "$pr")
  [ -n "$sp" ] && a+=(--specialty "$sp")
  [ -n "$wk" ] && a+=(--weeks "$wk")
  [ -n "$dt" ] && a+=(--date "$dt")
  case $cy in
  applying) a+=(--applying-this-cycle) ;;
  eras_submitted) a+=(--eras-submitted) ;;
  not_applying) a+=(--not-applying-this-cycle) ;;
  esac
  "$bin" ask $S "$@" "${a[@]}" --format "$fmt" >"$out"
}
nq=$(wc -l <"$tmp/q.txt")
# json: five of the eight asked alone (every question by hand with
# ASK_BATCH_FULL=1); the batch holds all eight, in order
jsub="1 2 5 6 8"
[ "${ASK_BATCH_FULL:-0}" = 1 ] && jsub=$(seq 1 "$nq")
for i in $jsub; do
  single json "$i" "$tmp/single-$i.json" || bad "single question $i (json) failed"
done
# text and md: three of the questions (a pass with a known specialty and
# a cycle, a failing score with weeks, an unknown specialty), which are
# the renderers' paths; every single run is a whole check (2-4 s each)
sub="3 4 6"
j=0
: >"$tmp/q3.csv"
head -1 "$tmp/q.csv" >"$tmp/q3.csv"
for i in $sub; do
  j=$((j + 1))
  sed -n "$((i + 1))p" "$tmp/q.csv" >>"$tmp/q3.csv"
  for fmt in text md; do
    single "$fmt" "$i" "$tmp/single-$j.$fmt" || bad "single question $i ($fmt) failed"
  done
done
"$bin" ask $S --questions "$tmp/qid.csv" --format json -o "$tmp/batch.json" ||
  bad "batch (json) failed"
"$bin" ask $S --questions "$tmp/q3.csv" --format text >"$tmp/batch.text" ||
  bad "batch (text) failed"
"$bin" ask $S --questions "$tmp/q3.csv" --format md >"$tmp/batch.md" ||
  bad "batch (md) failed"

/usr/bin/python3 - "$tmp" "$nq" "$j" "$(wc -w <<<"$jsub")" <<'PY' || fail=1
import json, sys
d, n, n3, alone = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
bad = []
checked = 0
batch = json.load(open(d + "/batch.json"))
if not isinstance(batch, list) or len(batch) != n:
    sys.exit("json: %d sheets, %d questions" % (len(batch), n))
for i, sheet in enumerate(batch, 1):
    want_id = "adv %d, row %d" % (i, i + 1)
    if sheet["query"].pop("id", None) != want_id:
        bad.append("json sheet %d: query.id is not %r" % (i, want_id))
    try:
        one = json.load(open("%s/single-%d.json" % (d, i)))
    except FileNotFoundError:
        continue  # not asked alone in this run
    checked += 1
    if sheet != one:
        keys = [k for k in one if sheet.get(k) != one[k]]
        bad.append("json sheet %d differs from the single run in %s" % (i, keys))
for fmt, sep in (("text", b"\f\n"), ("md", b"\n---\n\n")):
    raw = open("%s/batch.%s" % (d, fmt), "rb").read()
    singles = [open("%s/single-%d.%s" % (d, i, fmt), "rb").read()
               for i in range(1, n3 + 1)]
    if raw != sep.join(singles):
        parts = raw.split(sep)
        which = [i + 1 for i in range(min(len(parts), n3)) if parts[i] != singles[i]]
        bad.append("%s: the batch is not the single sheets joined by %r "
                   "(%d parts; differing: %s)" % (fmt, sep, len(parts), which))
if bad:
    sys.exit("\n".join(bad))
if checked != alone:
    sys.exit("json: %d sheets compared, %d asked alone" % (checked, alone))
print("batch: %d questions in json (%d asked alone), %d in text and md, "
      "equal to the single runs" % (n, checked, n3))
PY

# the options are the defaults of empty cells (here: every cell but score)
printf 'score\n216\n205\n' >"$tmp/scores.csv"
dflt=(--date 2024-01-01 --practice 238 --specialty EM --weeks 4 --applying-this-cycle)
"$bin" ask $S --questions "$tmp/scores.csv" "${dflt[@]}" --format json >"$tmp/d.json" ||
  bad "batch with defaults failed"
for sc in 216 205; do
  "$bin" ask $S --score $sc "${dflt[@]}" --format json >"$tmp/d-$sc.json" ||
    bad "single with defaults failed"
done
/usr/bin/python3 - "$tmp" <<'PY' || fail=1
import json, sys
d = sys.argv[1]
b = json.load(open(d + "/d.json"))
ones = [json.load(open("%s/d-%d.json" % (d, s))) for s in (216, 205)]
if b != ones:
    sys.exit("options as defaults: the batch differs from the single runs")
print("options fill the empty cells: 2 sheets equal to the single runs")
PY

# a cell given wins over the option
printf 'score,specialty,cycle\n216,Dermatology,not_applying\n' >"$tmp/over.csv"
"$bin" ask $S --questions "$tmp/over.csv" --specialty EM --date 2024-01-01 \
  --format json >"$tmp/over.json" || bad "batch overriding options failed"
/usr/bin/python3 -c '
import json, sys
q = json.load(open(sys.argv[1]))[0]["query"]
assert q["specialty"] == "Dermatology" and q["not_applying_this_cycle"], q
print("a given cell wins over the option")' "$tmp/over.json" || fail=1

# --releases: one entry per sheet, as single runs record one each
mkdir -p "$tmp/led"
"$bin" report $S --releases "$tmp/led" --format json >/dev/null ||
  bad "report with --releases failed"
"$bin" ask $S --questions "$tmp/q.csv" --releases "$tmp/led" --format json \
  >"$tmp/led.json" || bad "batch with --releases failed"
entries=$(ls "$tmp/led" | grep -c -- '-ask\.json$')
[ "$entries" = "$nq" ] || bad "--releases: $entries ask entries for $nq sheets"
echo "--releases: $entries ask entries for $nq sheets"
exit $fail
