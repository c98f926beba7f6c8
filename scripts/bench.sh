#!/usr/bin/env bash
# Benchmark table: Kyso vs the floor (openssl dgst -sha256) vs pyHanko, same run; with --xml
# (or --xml-only) also XML signatures beside xmlsec1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
cargo build --release -p kyso-cli
python3 scripts/bench.py "$@"
