#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root) and runs every check and test: formatting,
# lints, unit tests, end-to-end tests against a real SoftHSM2 token and the independent
# validators, the UI's unit tests, the desktop app in a real WebKit window, the local signing
# bridge from headless Chromium, and the Windows
# cross-build of the core and CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"

echo "== cargo fmt --check"
cargo fmt --all --check
echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo test"
cargo test --workspace
echo "== fuzzing: each target 30 s on fuzz/corpus (nightly, cargo-fuzz; fails on crash/OOM/timeout)"
bash fuzz/run.sh --seconds 30
echo "== UI unit tests (vitest, mocked IPC)"
(cd ui && npx vitest run)
echo "== desktop app end-to-end (Xvfb + tauri-driver + WebKitWebDriver)"
cargo build -p kyso-cli -p kyso-app --features kyso-app/e2e
target/test-venv/bin/python -m pytest -q tests/app
echo "== local signing bridge (kyso serve, pages in headless Chromium; release build has no test switch)"
cargo build --release -p kyso-cli
target/test-venv/bin/python -m pytest -q tests/bridge
echo "== Windows build of core and CLI"
if rustup target add x86_64-pc-windows-gnu >/dev/null 2>&1; then
  cargo build --target x86_64-pc-windows-gnu -p kyso-cli
else
  echo "WARNING: could not install the Windows target; the Windows build was not checked" >&2
fi
