#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds Kyso and runs the CLI.
#   bash scripts/run.sh                       -> lists tokens and certificates
#   bash scripts/run.sh sign FILE.pdf ...     -> any kyso command (see README)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/setup.sh"
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release -p kyso-cli --manifest-path "$here/Cargo.toml" >&2
if [ $# -eq 0 ]; then set -- tokens; fi
exec "$here/target/release/kyso" "$@"
