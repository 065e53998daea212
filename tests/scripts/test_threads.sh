#!/usr/bin/env bash
# test_threads.sh BIN SRCDIR - the command line gives the same bytes for
# every --threads: report (json and text), validate (listing, summary,
# --rejects file, exit status), summarize (the sufficient statistics, built
# from slices of the records on as many threads) and export, on a generated
# 120,000-row file (about 120 parallel blocks), a 60,000-row export written as other tools
# write it (generate --realistic: quoted text, unknown specialties, rejects,
# quoted line breaks), the messy sample export and a file whose
# rows carry every oddity the fast parser hands back to the careful one.
# The library-level proof, block by block, is tests/unit/test_parallel.c.
set -eu
bin=$1 src=$2
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# under ThreadSanitizer (every access checked) and AddressSanitizer a
# third of the rows: still 40 blocks and more per file
big=120000 real=60000 counts="1 2 3 8" others="2 3 8"
source "$(dirname "$0")/sanitizer_lib.sh"
# under a sanitizer every run costs 10-50 times more: fewer rows and no
# third thread (about 2 minutes of the ThreadSanitizer tree before)
[ -n "$(sanitizer_of "$bin")" ] && big=40000 real=20000 counts="1 2 8" others="2 8"
"$bin" generate --seed 5 --rows $big --out "$tmp/big" >/dev/null
"$bin" generate --seed 6 --messy --years 2024-2025 --out "$tmp/messy" >/dev/null
"$bin" generate --seed 8 --realistic --rows $real --out "$tmp/real" >/dev/null
# oddities after the first 64 KiB block: quoted line breaks, CRLF, blank
# lines, a duplicate ID, a stray quote, a bad score, an unknown specialty
{
  head -n 2000 "$tmp/big/cohort-$big.csv"
  printf 'X1,2024,230,,,,2023-05-01,,,,240,,"Family\nMedicine",Y,Family Medicine,academic,N,N,\r\n'
  printf '\n   \n'
  sed -n 2p "$tmp/big/cohort-$big.csv"
  printf 'X2,2024,23"0,,,,,,,,,,Pediatrics,N,,,,,\n'
  printf 'X3,2024,999,,,,,,,,,,Pediatrics,N,,,,,\n'
  printf 'X4,2024,231,,,,,,,,,,Space Medicine,N,,,,,\n'
  sed -n "2001,$((big / 3))p" "$tmp/big/cohort-$big.csv"
} >"$tmp/odd.csv"

for f in "$tmp/big/cohort-$big.csv" "$tmp/odd.csv" "$tmp/real/cohort-$real.csv" \
  "$tmp"/messy/*.csv; do
  for t in $counts; do
    st=0
    "$bin" validate --threads "$t" --rejects "$tmp/rej-$t.csv" "$f" \
      >"$tmp/val-$t.out" 2>&1 || st=$?
    echo "$st" >>"$tmp/val-$t.out"
    "$bin" report --threads "$t" --format json "$f" >"$tmp/rep-$t.json" 2>&1 || true
    "$bin" report --threads "$t" "$f" >"$tmp/rep-$t.txt" 2>&1 || true
    "$bin" summarize --threads "$t" --school s -o "$tmp/sum-$t.json" "$f" \
      >/dev/null 2>&1 || true
    rm -rf "$tmp/exp-$t"
    "$bin" export --threads "$t" --out "$tmp/exp-$t" "$f" >/dev/null 2>&1 || true
  done
  for t in $others; do
    for o in val-$t.out rej-$t.csv rep-$t.json rep-$t.txt sum-$t.json; do
      cmp -s "$tmp/${o/-$t/-1}" "$tmp/$o" || fail "$(basename "$f"): $o differs from --threads 1"
    done
    diff -r "$tmp/exp-1" "$tmp/exp-$t" >/dev/null || fail "$(basename "$f"): export differs with --threads $t"
  done
done
"$bin" validate --threads 0 "$tmp/odd.csv" >/dev/null 2>"$tmp/err" && fail "--threads 0 accepted"
grep -q 'must be a whole number 1-64' "$tmp/err" || fail "--threads 0: $(cat "$tmp/err")"
echo "ok: same output for --threads $counts"
