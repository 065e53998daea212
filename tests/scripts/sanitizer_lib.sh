# shellcheck shell=bash
# sanitizer_lib.sh - sourced by the script tests that do less, or nothing,
# under a sanitizer (each run there costs several times a plain one).
# sanitizer_of BIN prints "asan" (AddressSanitizer, with UBSan), "tsan" or
# nothing for a plain build: the sanitizer runtime's entry point is a
# symbol the binary names.
sanitizer_of() {
  if grep -q __asan_init "$1" 2>/dev/null; then
    echo asan
  elif grep -q __tsan_init "$1" 2>/dev/null; then
    echo tsan
  fi
}
