#!/usr/bin/env bash
# Desktop app start-up and idle memory (release build, under Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
cargo build --release -p kyso-app
python3 scripts/bench-app.py "$@"
