#!/usr/bin/env bash
# test.sh - install dependencies, build the plain and the sanitizer trees,
# and run every test in both through ctest (README command 2): the plain
# tree includes the valgrind memcheck test and the two privacy sweeps of ask
# (label "slow"), which the sanitizer tree leaves out; a ThreadSanitizer tree
# runs the parallel parser's tests; then a short smoke run of each
# libFuzzer harness (clang; FUZZ_SECONDS each, default 20; 0 skips).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh fuzz
export LC_ALL=C
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")
bash scripts/test-package.sh build
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCKCOHORT_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j"$jobs" -LE slow)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCKCOHORT_TSAN=ON >/dev/null
cmake --build build-tsan -j"$jobs" --target ckcohort test_parallel
(cd build-tsan && TSAN_OPTIONS=halt_on_error=1 \
   ctest --output-on-failure -R 'unit.test_parallel|script.test_threads')
secs=${FUZZ_SECONDS:-20}
if [ "$secs" -gt 0 ]; then
  for h in fuzz_ingest fuzz_blocks fuzz_config fuzz_report; do
    echo "fuzz smoke: $h for ${secs}s"
    bash scripts/fuzz.sh "$h" "$secs"
  done
fi
