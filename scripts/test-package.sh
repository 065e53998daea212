#!/usr/bin/env bash
# test-package.sh BUILDDIR - build the Debian package from a configured
# build tree (cpack), unpack it into a scratch root as dpkg would install
# it, and run the installed program and man page from there: the package
# holds /usr/bin/ckcohort and its man page, declares the run-time
# libraries it needs, and works.  Part of scripts/test.sh.
set -euo pipefail
build=$1
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail() { echo "FAIL: package: $*" >&2; exit 1; }
(cd "$build" && cpack -G DEB >/dev/null) || fail "cpack"
deb=$(ls -t "$build"/ckcohort_*.deb | head -n 1)
dpkg-deb -x "$deb" "$root"
deps=$(dpkg-deb -f "$deb" Depends)
for lib in libcsv3 libgsl27 libglpk40 libjansson4 libinih1 libxlsxwriter; do
  grep -q "$lib" <<<"$deps" || fail "Depends lacks $lib: $deps"
done
version=$("$root/usr/bin/ckcohort" --version) || fail "--version"
grep -q "^ckcohort $(dpkg-deb -f "$deb" Version)" <<<"$version" ||
  fail "--version says '$version', the package $(dpkg-deb -f "$deb" Version)"
page=$(MANWIDTH=80 man -l "$root/usr/share/man/man1/ckcohort.1" 2>/dev/null | col -b) ||
  fail "man -l failed"
grep -q '^NAME' <<<"$page" && grep -q 'ckcohort report \[options\]' <<<"$page" ||
  fail "man -l does not show the manual"
echo "package ok: $(basename "$deb"), Depends: $deps"
