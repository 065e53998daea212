#!/usr/bin/env bash
# test_example_client.sh BIN SRCDIR - the public API in use, the way a
# client sees it: install the build tree into a scratch prefix, compile
# examples/cohort_summary.c with `pkg-config --cflags --libs ckcohort` from
# that prefix only (no -I into the source tree), run it on sample-data/ and
# check every figure it prints, and its JSON rendering, against
# `ckcohort report --format json` on the same files.  Also: the installed
# library exports only ck_ symbols (built with -fvisibility=hidden).  In a
# tree configured with -DCKCOHORT_SHARED=ON (scripts/test.sh's plain tree)
# the prefix holds libckcohort.so too, so the example links it: its SONAME
# is libckcohort.so.MAJOR, `nm -D --defined-only` lists exactly the
# functions the installed headers declare CK_API, and the example runs
# with the library from the prefix.
# Installs the component "dev" (library, headers, ckcohort.pc), which every
# tree has; skipped (77) in sanitizer trees, whose library needs the
# sanitizer runtimes.
set -eu
bin=$1 src=$2
build=$(dirname "$bin")
py=/usr/bin/python3
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
fail() { echo "FAIL: $*" >&2; exit 1; }
cache="$build/CMakeCache.txt"
if grep -Eq '^CKCOHORT_(SANITIZE|TSAN|FUZZ):BOOL=ON' "$cache"; then
  echo "skip: sanitizer tree"; exit 77
fi
command -v pkg-config >/dev/null || { echo "skip: no pkg-config"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$build" --component dev --prefix "$tmp/prefix" >"$tmp/install.log" ||
  fail "cmake --install: $(cat "$tmp/install.log")"
pc=$(find "$tmp/prefix" -name ckcohort.pc)
[ -n "$pc" ] || fail "no ckcohort.pc installed"
# the installed headers are exactly include/ckcohort/ (plus the generated version.h)
want=$(cd "$src/include/ckcohort" && ls *.h *.h.in | sed 's/\.h\.in$/.h/' | sort)
got=$(cd "$tmp/prefix/include/ckcohort" && ls | sort)
[ "$want" = "$got" ] || fail "installed headers: $got; expected: $want"

export PKG_CONFIG_PATH=$(dirname "$pc")
flags=$(pkg-config --cflags --libs ckcohort) || fail "pkg-config ckcohort"
case "$flags" in *"$src"*) fail "pkg-config points into the source tree: $flags";; esac
cc -std=c11 -Wall -Wextra -Werror -pedantic -o "$tmp/cohort_summary" \
  "$src/examples/cohort_summary.c" $flags 2>"$tmp/cc.err" ||
  fail "example does not build against the installed library: $(cat "$tmp/cc.err")"

# exported symbols of the installed static library: only the ck_ API
lib=$(find "$tmp/prefix" -name 'libckcohort.a' | head -1)
[ -n "$lib" ] || fail "no libckcohort.a installed"
readelf -sW "$lib" | awk '($5=="GLOBAL"||$5=="WEAK") && $7!="UND" && $6=="DEFAULT" {print $8}' |
  sort -u >"$tmp/exported"
[ -s "$tmp/exported" ] || fail "no exported symbols in $lib"
if grep -v '^ck_' "$tmp/exported" >"$tmp/stray"; then
  fail "$lib exports non-API symbols: $(tr '\n' ' ' <"$tmp/stray")"
fi
echo "libckcohort.a: $(wc -l <"$tmp/exported") exported symbols, all ck_"

# the functions the installed headers declare CK_API (a prototype may
# break its line after the return type)
$py - "$tmp/prefix/include/ckcohort" >"$tmp/declared" <<'PY'
import glob, re, sys
names = set()
for h in glob.glob(sys.argv[1] + "/*.h"):
    text = open(h).read()
    for m in re.finditer(r"\bCK_API\b([^;{]*?)\b(ck_\w+)\s*\(", text, re.S):
        names.add(m.group(2))
print("\n".join(sorted(names)))
PY
cmp -s "$tmp/declared" "$tmp/exported" ||
  fail "libckcohort.a exports differ from the CK_API declarations: $(diff "$tmp/declared" "$tmp/exported" | tr '\n' ' ')"

so=$(find "$tmp/prefix" -name 'libckcohort.so' | head -1)
run_env=()
if grep -q '^CKCOHORT_SHARED:BOOL=ON' "$cache"; then
  [ -n "$so" ] || fail "CKCOHORT_SHARED=ON but no libckcohort.so installed"
fi
if [ -n "$so" ]; then
  soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
  major=$(sed -n 's/^CMAKE_PROJECT_VERSION_MAJOR:STATIC=//p' "$cache")
  [ "$soname" = "libckcohort.so.${major:-0}" ] || fail "SONAME $soname, expected libckcohort.so.${major:-0}"
  [ -e "$(dirname "$so")/$soname" ] || fail "no $soname installed beside $so"
  nm -D --defined-only "$so" | awk '{print $3}' | sort -u >"$tmp/dynamic"
  if grep -v '^ck_' "$tmp/dynamic" >"$tmp/stray"; then
    fail "$so exports non-API symbols: $(tr '\n' ' ' <"$tmp/stray")"
  fi
  cmp -s "$tmp/declared" "$tmp/dynamic" ||
    fail "$so exports differ from the CK_API declarations: $(diff "$tmp/declared" "$tmp/dynamic" | tr '\n' ' ')"
  echo "$soname: $(wc -l <"$tmp/dynamic") dynamic symbols (nm -D --defined-only), all ck_, = the CK_API declarations"
  # the example links the shared library, found in the prefix only
  run_env=(env "LD_LIBRARY_PATH=$(dirname "$so")")
  "${run_env[@]}" ldd "$tmp/cohort_summary" >"$tmp/ldd"
  grep -q "libckcohort.so.${major:-0} => $(dirname "$so")/" "$tmp/ldd" ||
    fail "example does not use the installed shared library: $(cat "$tmp/ldd")"
else
  echo "static library only (configure with -DCKCOHORT_SHARED=ON for libckcohort.so)"
fi

cd "$src"  # relative input paths: the JSON names them as given
data=(sample-data/class-*.csv)
"${run_env[@]}" "$tmp/cohort_summary" "$tmp/example.json" "${data[@]}" >"$tmp/example.out" ||
  fail "example client failed"
"$bin" report --format json "${data[@]}" >"$tmp/cli.json" 2>/dev/null ||
  fail "ckcohort report"
cat "$tmp/example.out"

$py - "$tmp/example.out" "$tmp/example.json" "$tmp/cli.json" <<'PY'
import json, re, sys
out, ex_json, cli_json = sys.argv[1:]
cli = json.load(open(cli_json))
ex = json.load(open(ex_json))
bad = []
# The JSON rendering through the API equals the CLI's, but for the time
# stamp (the CLI takes SOURCE_DATE_EPOCH, the example leaves it unset).
for d in (cli, ex):
    d.pop("generated", None)
if ex != cli:
    bad.append("example's JSON differs from `ckcohort report --format json`")

def est(rate):
    if rate.get("suppressed") or rate["estimate"] is None:
        return "withheld"
    return "%.6f [%.6f, %.6f]" % (rate["estimate"], rate["ci_low"], rate["ci_high"])

def count(v):
    return "withheld" if v is None else str(v)

want = ["ckcohort " + cli["tool"]["version"],
        "rows read=%d accepted=%d rejected=%d" % (
            cli["rows"]["read"], cli["rows"]["accepted"], cli["rows"]["rejected"])]
for g in cli["groups"]:
    want.append("group %s: n=%s matched=%s match_rate=%s" % (
        g["id"], count(g["n"]), count(g["matched"]), est(g["match_rate"])))
for c in cli["comparisons"]:
    want.append("comparison %s: difference=%s" % (c["id"], est(c["difference"])))
got = open(out).read().splitlines()
if got != want:
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            bad.append("line %d: example %r, CLI JSON %r" % (i + 1, a, b))
    if len(got) != len(want):
        bad.append("%d lines printed, %d expected" % (len(got), len(want)))
shown = sum(1 for l in got if "withheld" not in l)
for b in bad:
    print("FAIL:", b)
if bad:
    sys.exit(1)
print("ok: %d figures lines equal the CLI's JSON (%d with nothing withheld); "
      "JSON identical" % (len(got), shown))
PY
