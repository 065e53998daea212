#!/usr/bin/env bash
# test_pdf.sh BIN SRCROOT - `report --format pdf` and `ask --format pdf` as a
# reader gets them, for sample-data/ and two generated cohorts (60 and 400
# applicants a year): page count within bounds; on every page the running
# header (title, cohort line: input files, applicants, Match years) and footer (generation date, "page N of M")
# read back by pdftotext; no page but the last less than a third full (ink
# rows of the page image, pdftoppm); in the HTML of every chart, no
# category label runs into the plot area (label widths measured with the
# DejaVu Sans font the page asks for, and in a Chromium screenshot of each
# chart with only its labels drawn); without chromium on PATH, exit 3, a
# message naming the package, and no file written.  With
# CKCOHORT_DOC_IMAGES=DIR, keeps a report page and the ask sheet's first
# page as PNGs there (the images in README.md and docs/).  A sanitizer
# build runs the sample-data report and one ask sheet, with the no-browser
# and temporary-folder checks: the generated cohorts, the second and the
# HTML sheet and the Chromium screenshots of the charts check the page,
# which the plain tree's run checks the same way, not new paths of the
# binary, and each costs a Chromium print or an ask's check.
set -u
bin=$1 src=$2
py=/usr/bin/python3
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
for t in chromium pdftotext pdfinfo pdftoppm; do
  command -v "$t" >/dev/null ||
    { echo "skip: $t missing (scripts/deps.sh installs chromium and poppler-utils)"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
S=$(ls "$src"/sample-data/class-*.csv)
source "$(dirname "$0")/sanitizer_lib.sh"
asan=0
[ "$(sanitizer_of "$bin")" = asan ] && asan=1
if [ "$asan" = 0 ]; then
  "$bin" generate --seed 7 --class-size 60 --out "$tmp/g60" >/dev/null || bad "generate 60"
  "$bin" generate --seed 8 --class-size 400 --out "$tmp/g400" >/dev/null || bad "generate 400"
fi
date=$(date -u -d @1700000000 +%F)

# check_pdf NAME PDF MIN MAX TITLE COHORT
check_pdf() {
  local name=$1 pdf=$2 min=$3 max=$4 title=$5 cohort=$6
  local pages
  pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  if [ -z "$pages" ] || [ "$pages" -lt "$min" ] || [ "$pages" -gt "$max" ]; then
    bad "$name: ${pages:-no} pages, expected $min-$max"; return
  fi
  for p in $(seq 1 "$pages"); do
    pdftotext -f "$p" -l "$p" -layout "$pdf" "$tmp/page.txt"
    grep -q "page $p of $pages" "$tmp/page.txt" || bad "$name p$p: no 'page $p of $pages'"
    grep -q "Generated $date" "$tmp/page.txt" || bad "$name p$p: no 'Generated $date'"
    grep -qF "$title" "$tmp/page.txt" || bad "$name p$p: no title '$title'"
    grep -qF "$cohort" "$tmp/page.txt" || bad "$name p$p: no cohort line '$cohort'"
  done
  rm -f "$tmp"/pg-*.png
  pdftoppm -png -r 30 "$pdf" "$tmp/pg"
  $py - "$name" "$tmp"/pg-*.png <<'PY' || fail=1
import sys
from PIL import Image
name, files = sys.argv[1], sorted(sys.argv[2:])
ok = True
for i, f in enumerate(files):
    im = Image.open(f).convert("L")
    w, h = im.size
    # the body lies between the running header and footer (17 mm and 16 mm
    # margins of 279 mm): ink rows there, as a share of the body's height
    top, bot = int(h * 0.075), int(h * 0.925)
    px = im.load()
    last = top
    for y in range(top, bot):
        if any(px[x, y] < 200 for x in range(0, w, 2)):
            last = y
    full = (last - top) / (bot - top)
    if i < len(files) - 1 and full < 1 / 3:
        print(f"FAIL: {name} page {i + 1} is {full:.0%} full")
        ok = False
print(f"{name}: {len(files)} pages, fullness of each page but the last checked")
sys.exit(0 if ok else 1)
PY
  echo "$name: $pages pages; header and footer on every page"
}

# labels_clear NAME HTML: every category label (class "cl") of a chart ends
# left of its plot area.
labels_clear() {
  $py - "$1" "$2" <<'PY' || fail=1
import re, sys, html
from PIL import ImageFont
name, page = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 12)
ok, n = True, 0
for svg in re.findall(r"<svg .*?</svg>", page, re.S):
    m = re.search(r'class="plot" data-x0="([\d.]+)"', svg)
    if not m:
        continue
    x0 = float(m.group(1))
    for x, text in re.findall(r'<text x="([\d.]+)" y="[\d.]+" class="cl">(.*?)</text>', svg):
        n += 1
        right = float(x) + font.getlength(html.unescape(text))
        if right > x0:
            print(f"FAIL: {name}: label '{html.unescape(text)}' ends at {right:.1f}, plot starts at {x0}")
            ok = False
print(f"{name}: {n} chart labels clear of the plot")
sys.exit(0 if ok else 1)
PY
}

title="ckcohort report — Step 2 CK low pass and Match outcomes"
"$bin" report --format pdf -o "$tmp/sample.pdf" $S || bad "report sample"
check_pdf sample "$tmp/sample.pdf" 8 18 "$title" "10 input files, 1,510 applicants, Match years 2017–2026"
# A chart's numbers are the table its section has just printed: on screen
# they are folded under the chart, in print left out (each table once).
# The all-retakers score-change table: one section table, one chart.
pdftotext "$tmp/sample.pdf" "$tmp/sample.txt"
n=$(grep -c 'Change (attempt 2 − attempt 1)' "$tmp/sample.txt")
[ "$n" = 2 ] || bad "sample: the score-change categories table printed $n times, expected 2 (one per section, none under a chart)"
grep -q "The chart's numbers" "$tmp/sample.txt" && bad "sample: a chart's folded numbers were printed"
cohorts="g60 g400"
[ "$asan" = 1 ] && cohorts=""
for c in $cohorts; do
  "$bin" report --format pdf -o "$tmp/$c.pdf" "$tmp/$c"/*.csv || bad "report $c"
  # the header's cohort line, from the files themselves
  line=$($py -c 'import csv, sys
n = sum(1 for f in sys.argv[1:] for _ in csv.DictReader(open(f)))
print(f"{len(sys.argv) - 1} input files, {n:,} applicants, Match years 2017–2026")' "$tmp/$c"/*.csv)
  check_pdf "$c" "$tmp/$c.pdf" 6 20 "$title" "$line"
done
for f in sample $cohorts; do
  case $f in sample) in=$S ;; *) in=$(ls "$tmp/$f"/*.csv) ;; esac
  "$bin" report --format html -o "$tmp/$f.html" $in || bad "html $f"
  labels_clear "report $f" "$tmp/$f.html"
done

# shot_labels NAME HTML: each chart with a label column, drawn by Chromium
# with only its category labels visible; the rightmost ink must lie left of
# the plot area (the rendered text, not an estimate of it).
shot_labels() {
  local name=$1 page=$2 k=0
  $py - "$page" "$tmp/shots" <<'PY' || { fail=1; return; }
import os, re, sys
page, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
style = re.search(r"<style>(.*?)</style>", page := open(page, encoding="utf-8").read(), re.S).group(1)
style = re.sub(r"@page\{.*", "", style, flags=re.S)
n = 0
for svg in re.findall(r"<svg .*?</svg>", page, re.S):
    m = re.search(r'class="plot" data-x0="([\d.]+)"', svg)
    if not m or 'class="cl"' not in svg:
        continue
    w = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    h = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(2))
    with open(f"{out}/{n}.html", "w", encoding="utf-8") as f:
        f.write(f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{style}"
                "body{margin:0;padding:0;max-width:none}svg{max-width:none}"
                "svg *:not(.cl){visibility:hidden}</style></head><body>"
                f"{svg}</body></html>")
    with open(f"{out}/{n}.txt", "w") as f:
        f.write(f"{m.group(1)} {w} {h}\n")
    n += 1
print(f"{n} charts with a label column")
PY
  for f in "$tmp"/shots/*.html; do
    [ -e "$f" ] || continue
    read -r x0 w h <"${f%.html}.txt"
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
      --user-data-dir="$tmp/shots/profile" "--host-resolver-rules=MAP * ~NOTFOUND" \
      --window-size="$w,$h" --screenshot="${f%.html}.png" "file://$f" >/dev/null 2>&1 ||
      { bad "$name: chromium screenshot of $f"; continue; }
    $py - "${f%.html}.png" "$x0" "$name" <<'PY' || fail=1
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("L")
x0, name = float(sys.argv[2]), sys.argv[3]
px, (w, h) = im.load(), im.size
right = max((x for x in range(w) for y in range(h) if px[x, y] < 160), default=-1)
if right < 0 or right >= x0:
    print(f"FAIL: {name}: labels drawn up to x={right}, plot starts at {x0}")
    sys.exit(1)
print(f"{name}: labels end at x={right} < plot at {x0} (Chromium screenshot)")
PY
    k=$((k + 1))
  done
  rm -rf "$tmp/shots"
}

sheet="Step 2 CK: evidence sheet for one student"
"$bin" ask $S --score 220 --specialty "Family Medicine" --weeks 8 --practice 235 \
  --date 2023-09-01 --format pdf -o "$tmp/ask-pass.pdf" || bad "ask pass"
check_pdf "ask passing" "$tmp/ask-pass.pdf" 1 5 "$sheet" "10 input files, 1,510 applicants, Match years 2017–2026"
if [ "$asan" = 0 ]; then
  "$bin" ask $S --score 205 --practice 225 --format pdf -o "$tmp/ask-fail.pdf" || bad "ask fail"
  check_pdf "ask failing" "$tmp/ask-fail.pdf" 1 5 "$sheet" "10 input files, 1,510 applicants, Match years 2017–2026"
  "$bin" ask $S --score 220 --specialty "Family Medicine" --format html -o "$tmp/ask.html" ||
    bad "ask html"
  labels_clear "ask" "$tmp/ask.html"
  shot_labels "ask" "$tmp/ask.html"
  shot_labels "report sample" "$tmp/sample.html"
fi

# no browser: a clear message, exit 3, nothing written
mkdir "$tmp/nobrowser"
PATH="$tmp/nobrowser" "$bin" report --format pdf -o "$tmp/none.pdf" $S 2>"$tmp/err"
st=$?
[ "$st" = 3 ] || bad "without chromium: exit $st, expected 3"
grep -q "install the Debian package chromium" "$tmp/err" || bad "without chromium: $(cat "$tmp/err")"
[ -e "$tmp/none.pdf" ] && bad "without chromium: a file was written"
PATH="$tmp/nobrowser" "$bin" ask $S --score 220 --format pdf -o "$tmp/none.pdf" 2>"$tmp/err"
[ $? = 3 ] && grep -q "chromium" "$tmp/err" || bad "ask without chromium: $(cat "$tmp/err")"

# the browser's temporary folder is gone after a run, also when the reader
# stops early (SIGPIPE while the PDF is written)
mkdir "$tmp/tmpdir"
TMPDIR="$tmp/tmpdir" "$bin" report --format pdf $S | head -c 100 >/dev/null
TMPDIR="$tmp/tmpdir" "$bin" ask $S --score 216 --format pdf -o "$tmp/tmpdir-ask.pdf" ||
  bad "ask pdf with TMPDIR"
[ -z "$(ls -A "$tmp/tmpdir")" ] || bad "temporary files left: $(ls "$tmp/tmpdir")"

if [ -n "${CKCOHORT_DOC_IMAGES:-}" ]; then
  mkdir -p "$CKCOHORT_DOC_IMAGES"
  pdftoppm -png -r 60 -f 3 -l 3 -singlefile "$tmp/sample.pdf" "$CKCOHORT_DOC_IMAGES/report-page"
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$tmp/ask-pass.pdf" "$CKCOHORT_DOC_IMAGES/ask-page"
  echo "images: $CKCOHORT_DOC_IMAGES/report-page.png, ask-page.png"
fi
[ $fail = 0 ] && echo "ok: PDF pages, headers, footers, fullness and chart labels"
exit $fail
