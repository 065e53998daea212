#!/usr/bin/env bash
# test_nothing_lost.sh BIN SRCDIR - on every CSV of the repository (the
# hostile corpus, every golden case, tests/data, sample-data), each alone:
# validate --rejects prints read = accepted + excluded + rejected, and the
# rejects file (read with Python's csv module) holds exactly `rejected`
# rows, each naming the file, a line and a reason.
set -u
bin=$1 src=$2
export LC_ALL=C
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 rows=0
while IFS= read -r -d '' f; do
  "$bin" validate --quiet --rejects "$tmp/rej.csv" "$f" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  case $rc in 0|1|2) ;; *) echo "FAIL: $f: exit $rc" >&2; cat "$tmp/err" >&2; exit 1;; esac
  python3 - "$f" "$tmp/out" "$tmp/rej.csv" <<'PY' || exit 1
import csv, re, sys
name, out, rej = sys.argv[1:]
m = re.search(r"^read (\d+), accepted (\d+), excluded (\d+), rejected (\d+),",
              open(out, encoding="utf-8", errors="replace").read(), re.M)
if not m:
    sys.exit("FAIL: %s: no summary line" % name)
read, acc, exc, rej_n = map(int, m.groups())
if read != acc + exc + rej_n:
    sys.exit("FAIL: %s: read %d != %d + %d + %d" % (name, read, acc, exc, rej_n))
with open(rej, newline="", encoding="utf-8", errors="surrogateescape") as fh:
    rows = list(csv.reader(fh))
if rows[0] != ["file", "line", "column", "value", "reason", "row"]:
    sys.exit("FAIL: %s: rejects header %r" % (name, rows[0]))
body = rows[1:]
if len(body) != rej_n:
    sys.exit("FAIL: %s: rejects file has %d rows, summary %d" % (name, len(body), rej_n))
for r in body:
    if len(r) != 6 or r[0] != name or not r[1].isdigit() or int(r[1]) < 1 or not r[4]:
        sys.exit("FAIL: %s: bad rejects row %r" % (name, r))
PY
  n=$((n + 1))
done < <(find "$src/tests/cases" "$src/tests/data" "$src/sample-data" -name '*.csv' \
           ! -name 'expected-*' -print0 | sort -z)
[ $n -gt 40 ] || { echo "FAIL: only $n files found" >&2; exit 1; }
echo "ok: $n files"
