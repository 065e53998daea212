#!/usr/bin/env bash
# test_pool.sh BIN SRCDIR - the consortium workflow end to end:
#  * three generated schools that differ in size, failure share and
#    specialty mix (one messy, one with low-pass retakes, one --years run);
#  * the central test: `pool` on their summaries equals `report` on all
#    their CSV files together, figure for figure, in text, md, json and
#    html (the pooled output only adds the "Across schools" section);
#  * each summary validates against docs/exchange.schema.json and holds no
#    student ID and no date but the pass-mark table's;
#  * refusals (exit 2, message naming the problem, -o not written):
#    different definitions, the same school twice, the same input twice,
#    an unknown version, a file that is not a summary, a file given twice.
set -eu
bin=$1 src=$2
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$tmp"

"$bin" generate --school-profile small --id-prefix N --seed 21 --out north \
  --years 2018-2025 --messy >/dev/null
"$bin" generate --school-profile large --id-prefix S --seed 22 --out south \
  --years 2018-2025 >/dev/null
"$bin" generate --school-profile "do" --id-prefix E --seed 23 --out east \
  --years 2018-2025 --retake-after-pass 0.4 >/dev/null

for s in north south east; do
  "$bin" summarize -o $s.json $s/*.csv || fail "summarize $s"
done

# The schools differ: size, failure share, specialty mix (true counts, from
# the summaries).
python3 - north.json south.json east.json <<'PY' || fail "schools do not differ"
import json, sys
rows = []
for f in sys.argv[1:]:
    s = json.load(open(f))
    names = [x[0] for x in s["specialties"]]
    n = sum(c[7] for c in s["counts"])
    ff = sum(c[7] for c in s["counts"] if c[1].startswith("failed"))
    pc = sum(c[7] for c in s["counts"] if c[2] >= 0 and names[c[2]] in
             ("Family Medicine", "Pediatrics", "Psychiatry"))
    rows.append((n, ff / n, pc / n))
    print(f, "n=%d failed=%.3f primary_care=%.3f" % rows[-1])
(nn, fn, pn), (ns, fs, ps), (ne, fe, pe) = rows
assert nn < ne < ns, "sizes"
assert fs < fn and fs < fe, "failure share"
assert pe > pn and pe > ps, "specialty mix"
PY

# Central test: pool == report on the union, every format.
all=(north/*.csv south/*.csv east/*.csv)
for fmt in text md json html; do
  "$bin" report --format $fmt "${all[@]}" >union.$fmt || fail "union $fmt"
  "$bin" pool --members-not-readers --format $fmt north.json south.json \
    east.json -o pool.$fmt || fail "pool $fmt"
done
# By default a member's own data count as known: the pool withholds more
# (the engine may choose other complements, so a count withheld in the
# union may be printed), and every figure both print is the same.
"$bin" pool --format json north.json south.json east.json -o member.json
python3 - <<'PY' || fail "member-protected pool prints a figure the union does not"
import json
u = json.load(open("union.json")); p = json.load(open("member.json"))
c = p.pop("consortium")
assert c["members_checked"] and c["members_known"] >= 1, c["members_known"]
more = fewer = 0
def walk(a, b, path):
    global more, fewer
    if isinstance(b, dict):
        for k in b:
            if k.endswith("_suppressed") or k in ("suppressed", "reason"):
                continue
            if k not in a:  # a section the union withholds whole
                fewer += 1
                continue
            walk(a[k], b[k], path + "/" + k)
    elif isinstance(b, list):
        if a is None or len(a) != len(b):
            fewer += 1
            return
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, "%s[%d]" % (path, i))
    elif b is None:
        more += a is not None
    elif a is None:
        fewer += 1
    else:
        assert a == b, (path, a, b)
walk(u, p, "")
assert more > 0, "nothing more withheld"
print("member protection: %d values withheld that the union prints, "
      "%d printed that it withholds" % (more, fewer))
PY
python3 - <<'PY' || fail "pooled JSON differs from the union report"
import json
u = json.load(open("union.json")); p = json.load(open("pool.json"))
assert "consortium" in p and "consortium" not in u
del p["consortium"]
assert u == p, [k for k in u if u[k] != p.get(k)]
PY
for fmt in text md; do
  n=$(stat -c %s union.$fmt)
  head -c "$n" pool.$fmt | cmp -s - union.$fmt ||
    fail "pooled $fmt does not start with the union report"
  tail -c +"$((n + 1))" pool.$fmt | grep -q "Across schools" ||
    fail "pooled $fmt has no Across schools section"
done
# HTML: the same page with the section inserted before </main>.
head -n -3 union.html >u.head
n=$(stat -c %s u.head)
head -c "$n" pool.html | cmp -s - u.head || fail "pooled html differs"
tail -n 3 pool.html | cmp -s - <(tail -n 3 union.html) || fail "html end"
grep -q "<svg[^>]*aria-label=\"forest plot\"" pool.html || fail "no forest plot"
grep -c "union" /dev/null >/dev/null || true

# The pool minus any one school: no printed group count minus a member's
# own count leaves 1-10 other students (the member knows its own counts,
# from its summary).  The control: without the protection it does.
cat >minus_one.py <<'PY'
import json, sys
rep = json.load(open(sys.argv[1]))
parent = {g["id"]: g["parent"] for g in rep["groups"]}
def leaves_of(g):
    kids = [k for k, p in parent.items() if p == g]
    return [g] if not kids else [l for k in kids for l in leaves_of(k)]
bad = 0
for f in sys.argv[2:]:
    s = json.load(open(f))
    for g in rep["groups"]:
        ls = set(leaves_of(g["id"]))
        own = {"n": 0, "matched": 0, "unmatched": 0}
        for c in s["counts"]:
            if c[1] in ls:
                own["n"] += c[7]
                own["matched" if c[3] else "unmatched"] += c[7]
        for k, v in own.items():
            if g[k] is not None and v > 0 and 1 <= g[k] - v <= 10:
                bad += 1
                print("%s: %s %s = %d, %s has %d" % (f, g["id"], k, g[k], f, v))
    names = [x[0] for x in s["specialties"]]
    for row in rep["by_specialty"]:
        own = {"n": 0, "matched": 0, "unmatched": 0}
        for c in s["counts"]:
            if c[2] >= 0 and names[c[2]] == row["specialty"]:
                own["n"] += c[7]
                own["matched" if c[3] else "unmatched"] += c[7]
        for k, v in own.items():
            if row.get(k) is not None and v > 0 and 1 <= row[k] - v <= 10:
                bad += 1
                print("%s: %s %s = %d, has %d" % (f, row["specialty"], k,
                                                  row[k], v))
sys.exit(1 if bad else 0)
PY
python3 minus_one.py member.json north.json south.json east.json ||
  fail "the pool minus one school gives a small count away"
python3 minus_one.py pool.json north.json south.json east.json >/dev/null &&
  fail "control: without the protection nothing would be given away"

# Order of the summaries does not matter to the figures (only to the
# inputs list, which follows the order given).
"$bin" pool --members-not-readers --format json east.json north.json south.json >p2.json
python3 - <<'PY' || fail "order changes the pooled figures"
import json
a = json.load(open("pool.json")); b = json.load(open("p2.json"))
for k in ("inputs", "consortium"):
    a.pop(k); b.pop(k)
assert a == b
PY

# --years: each school summarised with --years, the union with --years.
for s in north south east; do
  "$bin" summarize --years 2020-2023 -o y$s.json $s/*.csv
done
"$bin" report --format json --years 2020-2023 "${all[@]}" >uy.json
"$bin" pool --members-not-readers --format json ynorth.json ysouth.json yeast.json >py.json
python3 -c "
import json
u=json.load(open('uy.json')); p=json.load(open('py.json')); del p['consortium']
assert u == p" || fail "--years pool differs from the union"

# Schema, no IDs, no dates finer than the Match year.
python3 - "$src/docs/exchange.schema.json" north.json south.json east.json <<'PY' || fail "schema / content"
import json, re, sys, jsonschema
schema = json.load(open(sys.argv[1]))
v = jsonschema.Draft202012Validator(schema)
for f in sys.argv[2:]:
    text = open(f).read()
    v.validate(json.loads(text))
    assert "CONFIDENTIAL TO THE CONSORTIUM" in text.splitlines()[3], f
    assert not re.search(r'"[NSE]20[0-9]{2}-[0-9]{4}"', text), f + ": a student ID"
    marks = {m["from"] for m in json.loads(text)["definitions"]["pass_marks"]}
    dates = set(re.findall(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text))
    assert dates <= marks, f + ": dates " + str(dates - marks)
PY
# a broken summary fails the schema (the check is not vacuous)
python3 - "$src/docs/exchange.schema.json" north.json <<'PY' || fail "schema accepts a row"
import json, sys, jsonschema
s = json.load(open(sys.argv[2])); s["counts"][0].append("S2018-0001")
try:
    jsonschema.validate(s, json.load(open(sys.argv[1])))
except jsonschema.ValidationError:
    sys.exit(0)
sys.exit(1)
PY

# Refusals: exit 2, the message, nothing written.
refuse() { # refuse WHAT PATTERN ARGS...
  local what=$1 pat=$2
  shift 2
  rm -f out.txt
  set +e
  "$bin" pool -o out.txt "$@" >/dev/null 2>err.txt
  local rc=$?
  set -e
  [ $rc -eq 2 ] || fail "$what: exit $rc, not 2"
  grep -q -- "$pat" err.txt || fail "$what: message: $(cat err.txt)"
  [ ! -e out.txt ] || fail "$what: output written"
  ls | grep -q '\.tmp' && fail "$what: temporary left" || true
}
printf '[definitions]\nlow_pass_margin = 8\n' >m8.ini
"$bin" summarize --config m8.ini -o m8.json --school other north/*.csv
refuse "definitions" "low_pass_margin is 6 in the first and 8 in the second" \
  south.json m8.json
"$bin" summarize -o dup.json --school south east/class-2018.csv
refuse "same school" 'both school "south"' south.json dup.json
"$bin" summarize -o again.json --school west north/class-2019.csv
refuse "same input" "both hold input north/class-2019.csv" north.json again.json
sed 's/^ "version": 1,/ "version": 99,/' north.json >v99.json
refuse "version" "summary version 99 is not one this ckcohort reads" \
  v99.json south.json
refuse "not a summary" "not a ckcohort summary" north/class-2018.csv
refuse "same file twice" "again; give each file once" north.json north.json
python3 -c "
import json; s = json.load(open('north.json')); s['rows']['accepted'] -= 1
json.dump(s, open('bad.json', 'w'))"
refuse "inconsistent summary" "accepted + excluded + rejected is not read" \
  bad.json
python3 -c "
import json; s = json.load(open('north.json')); s['counts'][0][7] += 1
json.dump(s, open('bad2.json', 'w'))"
refuse "counts off" "do not add up to the accepted rows" bad2.json
python3 -c "
import json; s = json.load(open('north.json')); s['counts'][0][2] = 999
json.dump(s, open('bad3.json', 'w'))"
refuse "index out of range" "counts: target" bad3.json
head -c 2000 north.json >cut.json
refuse "truncated" "not a ckcohort summary: JSON error" cut.json
echo ok
