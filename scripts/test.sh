#!/usr/bin/env bash
# test.sh - install dependencies, build the plain and the sanitizer trees,
# and run every test in both through ctest (README command 2): the plain
# tree includes the valgrind memcheck test and the slow attack and ledger
# tests (label "slow"), which the sanitizer tree leaves out; a ThreadSanitizer tree
# runs the parallel parser's tests; then a short smoke run of each
# libFuzzer harness (clang; FUZZ_SECONDS each, default 6; 0 skips).
# The last lines it prints are a summary: tests passed, failed and skipped
# per tree, the fuzz runs, and the time taken (also when a step fails).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh fuzz
export LC_ALL=C
jobs=$(nproc)
summary=()
log=$(mktemp)
print_summary() {
  local st=$?
  echo
  echo "== summary =="
  for l in "${summary[@]}"; do echo "$l"; done
  printf 'total %dm%02ds on %s cores: %s\n' $((SECONDS / 60)) $((SECONDS % 60)) \
    "$jobs" "$([ $st = 0 ] && echo ok || echo "FAILED (exit $st)")"
  rm -f "$log"
}
trap print_summary EXIT
# formatting first: it takes a second and names the files
if bash scripts/check-format.sh; then
  summary+=("format: every C file follows .clang-format")
else
  summary+=("format: FAILED (scripts/check-format.sh --fix)"); exit 1
fi
# tree_tests TREE CTEST-ARGS...: run ctest in TREE and note its counts
tree_tests() {
  local tree=$1 st
  shift
  set +e
  (cd "$tree" && "$@") 2>&1 | tee "$log"
  st=${PIPESTATUS[0]}
  set -e
  local line skipped
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of' "$log" | tail -1)
  skipped=$(grep -cE '\*\*\*Skipped|Not Run' "$log" || true)
  summary+=("$tree: ${line:-no ctest summary} ($skipped skipped)")
  return "$st"
}
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCKCOHORT_SHARED=ON >/dev/null
cmake --build build -j"$jobs"
tree_tests build ctest --output-on-failure -j"$jobs"
bash scripts/test-package.sh build
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCKCOHORT_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  tree_tests build-asan ctest --output-on-failure -j"$jobs" -LE slow
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCKCOHORT_TSAN=ON >/dev/null
cmake --build build-tsan -j"$jobs" --target ckcohort test_parallel test_analyse test_fpstore
TSAN_OPTIONS=halt_on_error=1 \
  tree_tests build-tsan ctest --output-on-failure -j"$jobs" -R 'unit.test_parallel|unit.test_analyse|unit.test_fpstore|script.test_threads'
secs=${FUZZ_SECONDS:-6}
if [ "$secs" -gt 0 ]; then
  for h in fuzz_ingest fuzz_blocks fuzz_config fuzz_report; do
    echo "fuzz smoke: $h for ${secs}s"
    FUZZ_SEEDS_MAX=${FUZZ_SEEDS_MAX:-60} bash scripts/fuzz.sh "$h" "$secs" 2>&1 | tee "$log"
    runs=$(grep -oE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
    summary+=("fuzz $h: ${runs} runs in ${secs}s, no crash")
  done
else
  summary+=("fuzz: skipped (FUZZ_SECONDS=0)")
fi
