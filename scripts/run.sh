#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds Kyso and runs it.
#   bash scripts/run.sh                       -> the desktop app (without a display: the self-check)
#   bash scripts/run.sh sign FILE.pdf ...     -> the CLI (any kyso command; see README)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/setup.sh"
export PATH="$HOME/.cargo/bin:$PATH"
cd "$here"
if [ $# -eq 0 ]; then
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "No display: the self-check instead of the window (run 'bash scripts/run.sh --help' for commands)." >&2
    cargo build --release -p kyso-cli >&2
    exec target/release/kyso doctor
  fi
  cargo build --release -p kyso-app >&2
  exec target/release/kyso-app
fi
cargo build --release -p kyso-cli >&2
exec target/release/kyso "$@"
