#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine (run as root).
#   scripts/setup.sh          -> what the CLI needs to build and run (Rust is assumed present)
#   scripts/setup.sh --test   -> plus the real components the tests drive: SoftHSM2, OpenSC,
#                                poppler (pdfsig), qpdf, NSS tools, and a Python venv with pyHanko
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

pkgs="build-essential pkg-config openssl"
if [ $want_test = 1 ]; then
  pkgs="$pkgs softhsm2 opensc poppler-utils qpdf libnss3-tools time python3-venv gcc-mingw-w64-x86-64"
fi
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

if [ $want_test = 1 ]; then
  venv=${KYSO_TEST_VENV:-$PWD/target/test-venv}
  want=$(sha256sum tests/requirements.txt | cut -d' ' -f1)
  if [ "$(cat "$venv/.requirements" 2>/dev/null)" != "$want" ]; then
    echo "setup: installing pyHanko into $venv (independent validator and peer)"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r tests/requirements.txt
    echo "$want" > "$venv/.requirements"
  fi
fi
