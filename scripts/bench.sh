#!/usr/bin/env bash
# bench.sh - time ckcohort against DuckDB, pandas, a bare libcsv parse and
# `wc -l` on generated cohorts, after checking that ckcohort, DuckDB and
# pandas agree on a shared query.  Not part of the tests.  docs/benchmarks.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/bench.sh [-h] [-r RUNS] [ROWS...]

Generates three cohorts per ROWS (default: 100000 1000000 5000000) in a
temporary folder: "clean" with `build/ckcohort generate --seed 1 --rows N`,
"retakes" with `... --retake-after-pass 0.3` (clean, with as many retakes
after a pass as the messy file: the same statistics to compute) and "messy"
with `... --realistic` (written as R's write.csv writes: quoted text,
unknown specialties, rows without a first score, rejects, retakes after a
pass); per file:
  1. runs every command once, untimed (warm-up), and checks that the shared
     query's results from DuckDB and pandas agree with each other and with
     ckcohort's `report --format json` (bench/check_agreement.py); any
     disagreement stops the script with exit status 1;
  2. runs RUNS timed rounds, the commands alternating round-robin, each
     on each kind of file in turn (paired runs):
     libcsv parse (bench/csvcount.c), wc -l, ckcohort validate --quiet,
     ckcohort report --format json (each also with --threads 1; the
     default is one thread per CPU), two `report --threads 1` at once (what
     two cores give work that needs no coordination: the ceiling for
     --threads 2 on this machine), DuckDB (node + @duckdb/node-api),
     pandas (python3), and the two start-up baselines (node loading the
     DuckDB module; python3 importing pandas).
Prints the median wall time, median peak RSS and ratios, as a plain table
and as Markdown.  Before the timed files, the agreement check also runs once
on a file with low-pass retakers (generate --retake-after-pass), because the
plain generated cohorts have none.

Installs what is missing: Debian packages with apt-get (scripts/deps.sh,
python3-pandas, time), and @duckdb/node-api with npm into a cache folder
outside the git tree.  Builds build/ (RelWithDebInfo).

Options:
  -r RUNS   timed rounds per file (default 5; env BENCH_RUNS)
  -h        this help

Environment:
  BENCH_RUNS           timed rounds (as -r)
  BENCH_CACHE          cache folder for DuckDB's npm package
                       (default ${XDG_CACHE_HOME:-~/.cache}/ckcohort-bench)
  BENCH_TMPDIR         where the generated files go (default ${TMPDIR:-/tmp});
                       5,000,000 rows need about 460 MB
  BENCH_CHECK_RETAKE   --retake-after-pass rate of the extra check file
                       (default 0.3; 0 skips that check)
  BENCH_KINDS          which files per ROWS (default "clean retakes messy")
  DUCKDB_NODE_API      npm version of @duckdb/node-api (default 1.5.6-r.1)
EOF
}

runs=${BENCH_RUNS:-5}
while getopts 'hr:' opt; do
  case $opt in
  h) usage; exit 0 ;;
  r) runs=$OPTARG ;;
  *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
rows=("$@")
[ ${#rows[@]} -gt 0 ] || rows=(100000 1000000 5000000)
for n in "$runs" "${rows[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench: not a positive whole number: $n" >&2; exit 2; }
done
check_retake=${BENCH_CHECK_RETAKE:-0.3}
read -r -a kinds <<<"${BENCH_KINDS:-clean retakes messy}"
for k in "${kinds[@]}"; do
  case $k in
  clean | retakes | messy) ;;
  *) echo "bench: BENCH_KINDS: not clean, retakes or messy: $k" >&2; exit 2 ;;
  esac
done
duckdb_version=${DUCKDB_NODE_API:-1.5.6-r.1}
cache=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ckcohort-bench}

cd "$(dirname "$0")/.."
root=$PWD
log() { printf 'bench: %s\n' "$*" >&2; }

# --- 1. dependencies -------------------------------------------------------
# Debian's python3 (which has python3-pandas), not whatever python3 is first
# on PATH (pyenv, a venv).
py=/usr/bin/python3
bash scripts/deps.sh >&2
missing=()
for p in python3-pandas time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# DuckDB: @duckdb/node-api; its native binary is the npm package
# @duckdb/node-bindings-linux-x64 (an optional dependency), so npm is all it
# needs.  Installed once per version into the cache, outside the git tree.
export DUCKDB_NODE_DIR="$cache/duckdb-node-api-$duckdb_version"
installed=$(node -p "try { require('$DUCKDB_NODE_DIR/node_modules/@duckdb/node-api/package.json').version } catch (e) { '' }")
if [ "$installed" != "$duckdb_version" ]; then
  log "installing @duckdb/node-api@$duckdb_version into $DUCKDB_NODE_DIR"
  mkdir -p "$DUCKDB_NODE_DIR"
  printf '{"private": true}\n' >"$DUCKDB_NODE_DIR/package.json"
  npm install --prefix "$DUCKDB_NODE_DIR" --no-audit --no-fund --loglevel=error \
    "@duckdb/node-api@$duckdb_version" >&2
fi
node bench/duckdb_query.cjs --noop
"$py" bench/pandas_query.py --noop

# --- build ---------------------------------------------------------------
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
bin=$root/build/ckcohort

work=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/ckcohort-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
cc -O2 -o "$work/csvcount" bench/csvcount.c -lcsv
"$bin" config >"$work/config.ini"

duck_ver=$(node -e "
const { createRequire } = require('module');
const { version } = createRequire('$DUCKDB_NODE_DIR/package.json')('@duckdb/node-api');
console.log(version());")
pandas_ver=$("$py" -c 'import pandas; print(pandas.__version__)')
log "$("$bin" --version 2>/dev/null | head -1) (commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src include || echo ', modified'))," \
  "DuckDB $duck_ver (@duckdb/node-api $duckdb_version, node $(node --version)), pandas $pandas_ver"

# Timings share the machine: say so when something else is using it.
load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load" 'BEGIN { exit !(l >= 0.5) }'; then
  log "WARNING: load average $load before the runs: other processes will skew the timings"
fi

# --- commands --------------------------------------------------------------
ids=(libcsv wc validate validate1 report report1 report1x2 duckdb pandas node_noop pandas_noop)
# command ID FILE: set the array `cmd` to command ID's argv on FILE.
command_for() {
  case $1 in
  libcsv) cmd=("$work/csvcount" "$2") ;;
  wc) cmd=(wc -l "$2") ;;
  validate) cmd=("$bin" validate --quiet "$2") ;;
  report) cmd=("$bin" report --format json "$2") ;;
  validate1) cmd=("$bin" validate --quiet --threads 1 "$2") ;;
  report1) cmd=("$bin" report --format json --threads 1 "$2") ;;
  report1x2) # two single-threaded reports side by side, as one command
    cmd=(bash -c '"$0" report --format json --threads 1 "$1" >/dev/null & p=$!
      "$0" report --format json --threads 1 "$1" >/dev/null && wait "$p"' "$bin" "$2") ;;
  duckdb) cmd=(node bench/duckdb_query.cjs "$2") ;;
  pandas) cmd=("$py" bench/pandas_query.py "$2") ;;
  node_noop) cmd=(node bench/duckdb_query.cjs --noop) ;;
  pandas_noop) cmd=("$py" bench/pandas_query.py --noop) ;;
  esac
}

# ok ID STATUS: whether command ID ended well (validate exits 1 when rows
# were rejected, as in the messy files).
ok() {
  [ "$2" -eq 0 ] || { [ "$2" -eq 1 ] && [[ $1 == validate* ]]; }
}

# run ID FILE OUT: run once, stdout to OUT; fail loudly on a bad exit.
run() {
  local st=0
  command_for "$1" "$2"
  "${cmd[@]}" >"$3" 2>"$work/stderr" || st=$?
  if ! ok "$1" "$st"; then
    log "FAILED: ${cmd[*]}"
    cat "$work/stderr" >&2
    exit 1
  fi
}

# check LABEL FILE: the shared query in all three, compared (untimed).
check() {
  local id
  for id in report duckdb pandas; do
    run "$id" "$2" "$work/$id.json"
  done
  "$py" bench/check_agreement.py "$1" "$work/report.json" "$work/duckdb.json" \
    "$work/pandas.json" "$work/config.ini"
}

# timed LABEL ID FILE: one timed run appended to results.tsv (LABEL: rows
# and kind).  Wall time from bash's $EPOCHREALTIME (microseconds, no fork)
# around GNU time, which gives the max RSS and the CPU seconds, user + system
# (its own %e has 0.01 s steps); the 1-minute load average before the run.
# On a shared machine the CPU seconds are the steadier measure.
timed() {
  local t0 t1 wall rss cpu q=- st=0 load
  command_for "$2" "$3"
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" "${cmd[@]}" >"$work/out" 2>"$work/stderr" || st=$?
  if ! ok "$2" "$st"; then
    log "FAILED: ${cmd[*]}"
    cat "$work/stderr" >&2
    exit 1
  fi
  t1=$EPOCHREALTIME
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
  rss=$(tail -n 1 "$work/time" | cut -d' ' -f2)
  cpu=$(tail -n 1 "$work/time" | awk '{ printf "%.2f", $3 + $4 }')
  case $2 in
  duckdb | pandas)
    q=$("$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))["query_seconds"])' "$work/out") ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$wall" "$rss" "$q" "$load" "$cpu" >>"$work/results.tsv"
}

: >"$work/results.tsv"
if [ "$check_retake" != 0 ]; then
  "$bin" generate --seed 1 --rows 100000 --retake-after-pass "$check_retake" \
    --out "$work/retake" >/dev/null
  check "100000 rows, --retake-after-pass $check_retake" "$work/retake/cohort-100000.csv"
  rm -rf "$work/retake"
fi

for n in "${rows[@]}"; do
  for k in "${kinds[@]}"; do
    case $k in
    clean) extra=() ;;
    retakes) extra=(--retake-after-pass 0.3) ;; # --realistic's default rate
    messy) extra=(--realistic) ;;
    esac
    "$bin" generate --seed 1 --rows "$n" "${extra[@]}" --out "$work/$n-$k" >/dev/null
    f="$work/$n-$k/cohort-$n.csv"
    log "$n rows, $k: $(du -h "$f" | cut -f1); warm-up round and agreement check"
    for id in libcsv wc validate node_noop pandas_noop; do
      run "$id" "$f" /dev/null
    done
    check "$n rows, $k" "$f"
  done
  for r in $(seq "$runs"); do
    log "$n rows: round $r/$runs (load average $(cut -d" " -f1 /proc/loadavg))"
    for id in "${ids[@]}"; do
      for k in "${kinds[@]}"; do
        timed "$n $k" "$id" "$work/$n-$k/cohort-$n.csv"
      done
    done
  done
  rm -rf "${work:?}/$n-"*
done

echo
"$py" bench/summarise.py "$work/results.tsv"
