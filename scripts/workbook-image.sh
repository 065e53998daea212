#!/usr/bin/env bash
# workbook-image.sh [BIN] - render export's summary.xlsx for sample-data/ with
# LibreOffice (headless) and write the Charts sheet as
# docs/images/workbook-charts.png, the picture in docs/export.md.  Installs
# libreoffice-calc-nogui when missing.  Not part of the test command (a
# LibreOffice start takes seconds and the package is large); run it after a
# change to the workbook and look at the picture.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/ckcohort}
if ! command -v soffice >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    libreoffice-calc-nogui poppler-utils
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SOURCE_DATE_EPOCH=1700000000 "$bin" export --out "$tmp/out" sample-data/class-*.csv >/dev/null
(cd "$tmp" && HOME="$tmp" timeout 180 soffice --headless --convert-to pdf out/summary.xlsx >/dev/null)
# the Charts sheet is the page whose text has the first chart's title
page=$(for p in $(seq 1 "$(pdfinfo "$tmp/summary.pdf" | awk '/^Pages/ {print $2}')"); do
  pdftotext -f "$p" -l "$p" "$tmp/summary.pdf" - | grep -q 'Match rate by first-attempt group' && { echo "$p"; break; }
done)
[ -n "$page" ] || { echo "workbook-image: no Charts page found" >&2; exit 1; }
mkdir -p docs/images
pdftoppm -png -r 110 -f "$page" -l "$page" -W 1300 -H 620 -singlefile "$tmp/summary.pdf" docs/images/workbook-charts
echo "wrote docs/images/workbook-charts.png (page $page of the LibreOffice PDF)"
