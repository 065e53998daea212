#!/usr/bin/env bash
# run-sample.sh - install dependencies, build, and run the main job on
# sample-data/ (README command 1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
./build/ckcohort validate --quiet sample-data/*.csv
./build/ckcohort report sample-data/*.csv
