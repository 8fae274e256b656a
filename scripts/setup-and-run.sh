#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the default
# scenario set (scenarios/*.scn) with a one-line-per-scenario summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "built: build/tools/hypsim"
bash scripts/build-linux.sh riscv64 --guest-dir build/guest
bash scripts/build-linux.sh arm64 --guest-dir build/guest
exec ./build/tools/hypsim run --guest-dir build/guest scenarios/*.scn
