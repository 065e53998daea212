#!/usr/bin/env bash
# test_example_client.sh BIN SRCDIR - the public API in use, the way a
# client sees it: install the build tree into a scratch prefix, compile
# examples/cohort_summary.c with `pkg-config --cflags --libs ckcohort` from
# that prefix only (no -I into the source tree), run it on sample-data/ and
# check every figure it prints, and its JSON rendering, against
# `ckcohort report --format json` on the same files.  Also: the installed
# library exports only ck_ symbols (built with -fvisibility=hidden).
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

# exported symbols of the installed library: only the ck_ API
lib=$(find "$tmp/prefix" -name 'libckcohort.a' -o -name 'libckcohort.so' | head -1)
readelf -sW "$lib" | awk '($5=="GLOBAL"||$5=="WEAK") && $7!="UND" && $6=="DEFAULT" {print $8}' |
  sort -u >"$tmp/exported"
[ -s "$tmp/exported" ] || fail "no exported symbols in $lib"
if grep -v '^ck_' "$tmp/exported" >"$tmp/stray"; then
  fail "$lib exports non-API symbols: $(tr '\n' ' ' <"$tmp/stray")"
fi
echo "$(wc -l <"$tmp/exported") exported symbols, all ck_"

cd "$src"  # relative input paths: the JSON names them as given
data=(sample-data/class-*.csv)
"$tmp/cohort_summary" "$tmp/example.json" "${data[@]}" >"$tmp/example.out" ||
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
