#!/usr/bin/env bash
# fuzz.sh HARNESS SECONDS [libFuzzer options...] - build the libFuzzer
# harnesses with clang (tree build-fuzz) and run one of them
# (fuzz_ingest or fuzz_config) for SECONDS on its corpus
# build-fuzz/corpus/HARNESS, seeded from the test fixtures.  Crashes are
# written to build-fuzz/artifacts/HARNESS/; the final statistics go to
# build-fuzz/HARNESS.log (CKCOHORT_FUZZ_BUILD=DIR: another tree).  Exit status: 0 no finding, 1 a finding.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
harness=${1:?usage: fuzz.sh fuzz_ingest|fuzz_config SECONDS [options]}
secs=${2:?usage: fuzz.sh HARNESS SECONDS [options]}
shift 2
case $harness in fuzz_ingest|fuzz_config) ;; *)
  echo "fuzz.sh: unknown harness '$harness'" >&2; exit 2;; esac
# clang and its libFuzzer runtime are needed for fuzzing only.
for p in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || {
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang-14 libclang-rt-14-dev
    break; }
done
cc=$(command -v clang || command -v clang-14)
b=${CKCOHORT_FUZZ_BUILD:-build-fuzz}   # build tree (another one lets a long run go on)
cmake -S . -B $b -DCMAKE_C_COMPILER="$cc" -DCKCOHORT_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build $b -j1 --target "$harness" >/dev/null

# Seed corpus: every CSV/INI fixture of the repository (small ones whole,
# sample-data cut to its first 40 lines).  fuzz_ingest's first two bytes
# choose the chunk size and options, so each CSV seed is stored twice: fed
# whole (00 00) and in 7-byte chunks with a 33-byte field cap (06 60).
corpus=$b/corpus/$harness
seeds=$b/seeds/$harness
rm -rf "$seeds"; mkdir -p "$corpus" "$seeds" "$b/artifacts/$harness"
i=0
if [ "$harness" = fuzz_ingest ]; then
  while IFS= read -r -d '' f; do
    i=$((i + 1))
    { printf '\000\000'; head -c 3000 "$f"; } >"$seeds/s$i-whole"
    { printf '\006\140'; head -c 3000 "$f"; } >"$seeds/s$i-chunk"
  done < <(find tests/data tests/cases sample-data -name '*.csv' -size -4M -print0 | sort -z)
  dict=tests/fuzz/csv.dict
else
  while IFS= read -r -d '' f; do
    i=$((i + 1)); cp "$f" "$seeds/s$i.ini"
  done < <(find tests/cases tests/data -name '*.ini' -print0 | sort -z)
  # the default settings as written by ckcohort config
  cmake --build $b -j1 --target ckcohort >/dev/null
  $b/ckcohort config >"$seeds/defaults.ini"
  dict=tests/fuzz/csv.dict
fi
log=$root/$b/$harness.log
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$b/tests/fuzz/$harness" "$corpus" "$seeds" -dict="$dict" -max_total_time="$secs" \
  -max_len=4096 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$b/artifacts/$harness/" "$@" 2>"$log.full" && rc=0 || rc=$?
# Keep the summary lines: the last status line (execs, cov, ft, corpus) and
# the final stats.
{ grep -E '^#[0-9]+' "$log.full" | tail -n 1; grep -E '^stat::' "$log.full"; \
  grep -E 'ERROR|SUMMARY|Test unit written|check failed' "$log.full" || true; } >"$log"
cat "$log"
exit $rc
