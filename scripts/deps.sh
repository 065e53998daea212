#!/usr/bin/env bash
# deps.sh - install the Debian packages ckcohort needs to build and test.
# Installs only what is missing; uses sudo only when not root.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libcsv-dev libgsl-dev libglpk-dev libssl-dev
      libjansson-dev libinih-dev libxlsxwriter-dev libcmocka-dev python3 python3-scipy python3-openpyxl python3-jsonschema valgrind time bc
      chromium poppler-utils python3-pil  # --format pdf, test_pdf.sh, test_html_browser.sh
      dpkg-dev man-db bsdextrautils  # scripts/test-package.sh: cpack, man -l, col
      clang-format)                  # scripts/check-format.sh
# `deps.sh fuzz`: also clang and its libFuzzer runtime, used by scripts/fuzz.sh
# only (the normal build stays on gcc).
[ "${1:-}" = fuzz ] && pkgs+=(clang-14 libclang-rt-14-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=sudo
  else
    # a Debian installed with a root password has no sudo
    echo "deps: missing packages and no sudo; as root, run:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    echo "then run this command again." >&2
    exit 1
  fi
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
