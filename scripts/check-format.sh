#!/usr/bin/env bash
# check-format.sh [--fix] - every C source and header of the project follows
# .clang-format (clang-format 14, Debian package clang-format).  Without
# arguments it changes nothing and exits 1 when a file differs, printing
# what clang-format would change; --fix rewrites the files in place.
set -euo pipefail
cd "$(dirname "$0")/.."
cf=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$cf" ]; then
  echo "check-format: clang-format not found (apt-get install clang-format)" >&2
  exit 2
fi
mapfile -t files < <(git ls-files -- '*.c' '*.h' '*.h.in' | grep -v '^sample-data/')
if [ "${1:-}" = --fix ]; then
  "$cf" -i "${files[@]}"
  exit 0
fi
if ! "$cf" --dry-run --Werror "${files[@]}" 2>"${TMPDIR:-/tmp}/check-format.$$"; then
  head -40 "${TMPDIR:-/tmp}/check-format.$$"
  n=$(grep -c 'clang-format-violations' "${TMPDIR:-/tmp}/check-format.$$" || true)
  rm -f "${TMPDIR:-/tmp}/check-format.$$"
  echo "check-format: $n places differ from .clang-format; run scripts/check-format.sh --fix" >&2
  exit 1
fi
rm -f "${TMPDIR:-/tmp}/check-format.$$"
echo "check-format: ${#files[@]} files follow .clang-format"
