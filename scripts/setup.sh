#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine (run as root).
#   scripts/setup.sh          -> what Kyso needs to build and run: compilers, the WebKitGTK
#                                libraries of the desktop app, and the built web UI
#   scripts/setup.sh --package -> plus what scripts/package.sh needs: mingw (Windows build),
#                                NSIS (Windows installer), osslsigncode (Authenticode)
#   scripts/setup.sh --test   -> plus the real components the tests drive: SoftHSM2, OpenSC,
#                                poppler (pdfsig), qpdf, NSS tools, xmlsec1 (XML signatures),
#                                mingw (Windows build), Xvfb + WebKitWebDriver + tauri-driver,
#                                Wine (64-bit) and 32-bit mingw for the installers' smoke tests,
#                                and a Python venv with pyHanko and selenium
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
want_test=0 want_package=0
[ "${1:-}" = "--test" ] && want_test=1 && want_package=1
[ "${1:-}" = "--package" ] && want_package=1

pkgs="build-essential pkg-config openssl libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev \
  librsvg2-dev libayatana-appindicator3-dev"
if [ $want_test = 1 ]; then
  pkgs="$pkgs softhsm2 opensc libp11-kit-dev poppler-utils qpdf sqlite3 libnss3-tools time faketime python3-venv gcc-mingw-w64-x86-64 xmlsec1 \
    xvfb xauth webkit2gtk-driver chromium chromium-driver"
fi
# Installers (scripts/package.sh) and their smoke tests. Wine without its recommendations
# (fonts, GStreamer, …): the tests run console programs and one dialog.
norec=""
[ $want_package = 1 ] && pkgs="$pkgs gcc-mingw-w64-x86-64 nsis osslsigncode"
[ $want_test = 1 ] && norec="wine wine64 gcc-mingw-w64-i686-win32 desktop-file-utils"
missing="" missing_norec=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
for p in $norec; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing_norec="$missing_norec $p"
done
if [ -n "$missing$missing_norec" ]; then
  echo "setup: installing Debian packages:$missing$missing_norec"
  apt-get update -qq
  [ -z "$missing" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  [ -z "$missing_norec" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing_norec >/dev/null
fi

# Web UI (npm registry only; the built files are embedded in the app).
lock_sum=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
if [ "$(cat ui/node_modules/.kyso-lock 2>/dev/null)" != "$lock_sum" ]; then
  echo "setup: installing the UI's npm packages"
  (cd ui && npm ci --no-audit --no-fund >/dev/null 2>&1)
  echo "$lock_sum" > ui/node_modules/.kyso-lock
fi
(cd ui && npm run build >/dev/null)

if [ $want_test = 1 ]; then
  venv=${KYSO_TEST_VENV:-$PWD/target/test-venv}
  want=$(sha256sum tests/requirements.txt | cut -d' ' -f1)
  if [ "$(cat "$venv/.requirements" 2>/dev/null)" != "$want" ]; then
    echo "setup: installing pyHanko, signxml and selenium into $venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r tests/requirements.txt
    echo "$want" > "$venv/.requirements"
  fi
  if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "setup: installing tauri-driver"
    cargo install tauri-driver --locked --quiet
  fi
fi
