#!/usr/bin/env bash
# test_html_browser.sh BIN SRCDIR - the HTML report of sample-data in a real
# browser (headless Chromium, no network): the screenshot is not blank, the
# PDF has at least 2 pages, the page fetches nothing and logs no console
# error, and the file has no script and no http(s) links.  Keeps the PNG and
# PDF in $CKCOHORT_HTML_SHOTS when set (to look at them).
set -eu
bin=$1 src=$2
py=/usr/bin/python3
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
fail() { echo "FAIL: $*" >&2; exit 1; }
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ] || ! command -v pdfinfo >/dev/null; then
  echo "skip: chromium or pdfinfo missing (scripts/deps.sh installs them)"; exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${CKCOHORT_HTML_SHOTS:-$tmp}
mkdir -p "$out"
"$bin" report --format html -o "$tmp/report.html" "$src"/sample-data/class-*.csv ||
  fail "report --format html"

# self-contained: no script, nothing to fetch
grep -qi '<script' "$tmp/report.html" && fail "the page has a script"
grep -Eqi 'https?://' "$tmp/report.html" && fail "the page has an http(s) URL"
grep -Eqi '(src|href)=' "$tmp/report.html" && fail "the page links to something"
grep -qi '@import\|url(' "$tmp/report.html" && fail "the CSS fetches something"
[ "$(grep -c '<svg ' "$tmp/report.html")" -ge 6 ] || fail "fewer than 6 charts"
[ "$(grep -c 'role="img" aria-labelledby=' "$tmp/report.html")" = "$(grep -c '<svg ' "$tmp/report.html")" ] ||
  fail "a chart without role=img/aria-labelledby"

flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
       --disable-component-update --disable-sync --no-first-run --disable-quic
       "--host-resolver-rules=MAP * ~NOTFOUND" --hide-scrollbars
       --enable-logging=stderr --v=1)
run() { timeout 120 "$chrome" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$tmp")" "$@"; }
run --window-size=1200,3000 --screenshot="$out/report.png" "file://$tmp/report.html" \
  >/dev/null 2>"$tmp/shot.log" || fail "chromium screenshot: $(tail -3 "$tmp/shot.log")"
run --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "file://$tmp/report.html" \
  >/dev/null 2>"$tmp/pdf.log" || fail "chromium print: $(tail -3 "$tmp/pdf.log")"

pages=$(pdfinfo "$out/report.pdf" | awk '/^Pages:/ {print $2}')
[ "${pages:-0}" -ge 2 ] || fail "PDF has ${pages:-0} pages"
$py - "$out/report.png" <<'PY' || fail "screenshot looks blank"
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
px = im.getdata()
colours = len(set(px))
ink = sum(1 for p in px if p != (255, 255, 255))
share = ink / (im.width * im.height)
print(f"screenshot {im.width}x{im.height}: {colours} colours, {share:.1%} non-white")
# the Okabe-Ito blue of the charts must be on the page
blue = sum(1 for p in px if abs(p[0] - 0) < 12 and abs(p[1] - 114) < 12 and abs(p[2] - 178) < 12)
sys.exit(0 if colours >= 50 and share > 0.03 and blue > 100 else 1)
PY
for log in "$tmp/shot.log" "$tmp/pdf.log"; do
  grep -E 'Uncaught|ERROR:CONSOLE|CONSOLE\(' "$log" && fail "console message in $log"
  # a fetch by the page would be logged with its URL (the browser's own
  # service pings to Google hosts are not the page's, and cannot resolve)
  grep -Eo '(https?|ftp)://[^ "]+' "$log" | grep -Ev '(google\.com|googleapis\.com|gvt1\.com|chromium\.org)/' | head -1 |
    grep . && fail "a network request was logged"
done
echo "ok: $pages PDF pages; screenshot $out/report.png"
