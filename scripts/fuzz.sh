#!/usr/bin/env bash
# fuzz.sh HARNESS SECONDS [libFuzzer options...] - build the libFuzzer
# harnesses with clang and run one of them (fuzz_ingest, fuzz_blocks, fuzz_config or
# fuzz_report) for SECONDS on its corpus build-fuzz/corpus/HARNESS, seeded
# from the repository's CSV and INI fixtures and the dictionary
# tests/fuzz/csv.dict.
# Findings go to build-fuzz/artifacts/HARNESS/, the final statistics
# (executions, cov, ft, corpus size) to build-fuzz/HARNESS.log.
# CKCOHORT_FUZZ_BUILD=DIR uses another build tree (a long run can go on
# while a short one is made); FUZZ_SEEDS_MAX=N reads at most N of the seeds,
# spread over them (scripts/test.sh's smoke runs).  Exit status: 0 no finding, else a finding.
# The whole script is one block, read before it runs: editing this file
# while a long run goes on cannot derail the run's last steps.
{
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
harness=${1:?usage: fuzz.sh fuzz_ingest|fuzz_blocks|fuzz_config|fuzz_report SECONDS [options]}
secs=${2:?usage: fuzz.sh HARNESS SECONDS [options]}
shift 2
case $harness in fuzz_ingest|fuzz_blocks|fuzz_config|fuzz_report) ;; *)
  echo "fuzz.sh: unknown harness '$harness'" >&2; exit 2;; esac
bash scripts/deps.sh fuzz   # clang and libFuzzer, for fuzzing only
cc=$(command -v clang || command -v clang-14)
b=${CKCOHORT_FUZZ_BUILD:-build-fuzz}   # build tree (another one lets a long run go on)
case $b in /*) ;; *) b=$root/$b ;; esac # relative to the project, or absolute
cmake -S . -B "$b" -DCMAKE_C_COMPILER="$cc" -DCKCOHORT_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$b" -j"$(nproc)" --target "$harness" >/dev/null

# Seed corpus: every CSV/INI fixture of the repository (the first 3000
# bytes of each).  fuzz_ingest's first two bytes
# choose the chunk size and options, so each CSV seed is stored twice: fed
# whole (00 00) and in 7-byte chunks with a 33-byte field cap (06 60).
corpus=$b/corpus/$harness
seeds=$b/seeds/$harness
rm -rf "$seeds"; mkdir -p "$corpus" "$seeds" "$b/artifacts/$harness"
# csv_seeds HEAD BYTES NAME [BYTES NAME]...: the first HEAD bytes of every
# CSV fixture, once behind each prefix BYTES (printf escapes), as sN-NAME.
csv_seeds() {
  local head=$1 i=0 f k
  shift
  while IFS= read -r -d '' f; do
    i=$((i + 1))
    for ((k = 1; k < $#; k += 2)); do
      # shellcheck disable=SC2059 # the prefix is a printf escape on purpose
      { printf "${!k}"; head -c "$head" "$f"; } >"$seeds/s$i-${*:k+1:1}"
    done
  done < <(find tests/data tests/cases sample-data -name '*.csv' -size -4M -print0 | sort -z)
}
i=0
if [ "$harness" = fuzz_blocks ]; then
  # bytes 0-1: 64-byte blocks, two threads and the tally; 200-byte blocks,
  # one thread, rows' bytes kept; 128-byte blocks, fields capped at 33 bytes
  csv_seeds 3000 '\000\003' b64 '\021\004' b200 '\010\040' cap33
  dict=tests/fuzz/csv.dict
elif [ "$harness" = fuzz_ingest ]; then
  csv_seeds 3000 '\000\000' whole '\006\140' chunk
  dict=tests/fuzz/csv.dict
elif [ "$harness" = fuzz_report ]; then
  # byte 0: min_cell 3 + (b & 15), Clopper-Pearson when b & 16
  csv_seeds 4000 '\000' plain '\022' cp
  dict=tests/fuzz/csv.dict
else
  while IFS= read -r -d '' f; do
    i=$((i + 1)); cp "$f" "$seeds/s$i.ini"
  done < <(find tests/cases tests/data -name '*.ini' -print0 | sort -z)
  # the default settings as written by ckcohort config
  cmake --build "$b" -j"$(nproc)" --target ckcohort >/dev/null
  "$b"/ckcohort config >"$seeds/defaults.ini"
  dict=tests/fuzz/csv.dict
fi
# A smoke run (scripts/test.sh) reads a spread sample of the seeds:
# fuzz_report loads about 7 a second, so all of them took 40 s of a 6 s run.
if [ -n "${FUZZ_SEEDS_MAX:-}" ]; then
  n=$(find "$seeds" -type f | wc -l)
  if [ "$n" -gt "$FUZZ_SEEDS_MAX" ]; then
    k=$(((n + FUZZ_SEEDS_MAX - 1) / FUZZ_SEEDS_MAX))
    find "$seeds" -type f | sort | awk -v k="$k" 'NR % k != 1 && k > 1' | xargs -r rm -f
  fi
fi
log=$b/$harness.log
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$b/tests/fuzz/$harness" "$corpus" "$seeds" -dict="$dict" -max_total_time="$secs" \
  -max_len=4096 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$b/artifacts/$harness/" "$@" 2>"$log.full" && rc=0 || rc=$?
# Keep the summary lines: the last status line (execs, cov, ft, corpus) and
# the final stats.
{ grep -E '^#[0-9]+' "$log.full" | tail -n 1 || true
  grep -E '^stat::|^Done' "$log.full" || true
  grep -E 'ERROR|SUMMARY|Test unit written|check failed' "$log.full" || true; } >"$log"
cat "$log"
exit "$rc"
}
