#!/usr/bin/env bash
# Builds Kyso's installers offline into dist/ (Debian 12, as root; run by scripts/test.sh):
#   dist/Kyso-<v>-x64-setup.exe     Windows 64-bit installer (NSIS, packaging/windows/kyso.nsi):
#                                   the app + WebView2Loader.dll, kyso.exe on the PATH, Start menu,
#                                   PDF right-click menu, uninstaller; Authenticode-signed
#   dist/kyso_<v>_amd64.deb         Debian/Ubuntu package: app, CLI, desktop entry, icon;
#                                   dependencies (WebKitGTK …) computed by dpkg-shlibdeps
#   dist/kyso_<v>_amd64.deb.p7s     detached CMS signature of the .deb (organisation certificate)
#   dist/SHA256SUMS                 checksums of everything above
#
#   bash scripts/package.sh [--sign-p12 FILE.p12] [--sign-pass-env VAR] [--timestamp URL]
#                           [--update-key RELEASE-PUBLIC.pem] [--update-url URL] [--no-build]
#
# --sign-p12: the organisation's code-signing certificate and key (PKCS#12); its password is
#   read from the environment variable named by --sign-pass-env (default KYSO_SIGN_PASSWORD),
#   never from the command line. Without it the installers are built UNSIGNED (with a warning).
# --timestamp: an RFC 3161 timestamp server for the Authenticode signatures (production:
#   signatures then stay valid after the certificate expires).
# --update-key / --update-url: Kyso's release public key (Ed25519, PEM) and the signed update
#   manifest's address, compiled into the builds; without a key the builds do not update
#   themselves. Never pass a test key here: these are release builds.
# --no-build: package the binaries already in target/ (after a build with the same options).
#
# Cargo is called without a lock; on a shared machine run the whole script under
# `flock /tmp/kyso-cargo.lock`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"

sign_p12="" pass_env=KYSO_SIGN_PASSWORD tsa="" update_key="" update_url="" build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sign-p12) sign_p12=$(realpath "$2"); shift 2 ;;
    --sign-pass-env) pass_env=$2; shift 2 ;;
    --timestamp) tsa=$2; shift 2 ;;
    --update-key) update_key=$(realpath "$2"); shift 2 ;;
    --update-url) update_url=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "package.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
win=x86_64-pc-windows-gnu
dist=$root/dist
work=$root/target/package
rm -rf "$dist" "$work"
mkdir -p "$dist" "$work"

for tool in makensis osslsigncode dpkg-deb dpkg-shlibdeps openssl x86_64-w64-mingw32-gcc; do
  command -v "$tool" >/dev/null || { echo "package.sh: $tool is missing (bash scripts/setup.sh --test installs it)" >&2; exit 2; }
done

# --- the release key and update address, compiled in ---------------------------------------
if [ -n "$update_key" ]; then
  KYSO_UPDATE_KEY=$(openssl pkey -pubin -in "$update_key" -outform DER | tail -c 32 | od -An -tx1 | tr -d ' \n')
  [ ${#KYSO_UPDATE_KEY} = 64 ] || { echo "package.sh: $update_key is not an Ed25519 public key" >&2; exit 2; }
  export KYSO_UPDATE_KEY
fi
[ -n "$update_url" ] && export KYSO_UPDATE_URL=$update_url

# --- build -----------------------------------------------------------------------------------
if [ $build = 1 ]; then
  (cd ui && npm run build >/dev/null)
  rustup target add $win >/dev/null 2>&1 || true
  echo "== package: release build (Linux)"
  cargo build --release -p kyso-cli -p kyso-app
  echo "== package: release build (Windows, $win)"
  cargo build --release --target $win -p kyso-cli -p kyso-app
fi
wv2=$(find "target/$win/release/build" -path '*webview2-com-sys-*/out/x64/WebView2Loader.dll' -printf '%T@ %p\n' 2>/dev/null \
  | sort -n | tail -1 | cut -d' ' -f2-)
[ -n "$wv2" ] || { echo "package.sh: WebView2Loader.dll not found in the Windows build" >&2; exit 1; }

# --- signing helpers -------------------------------------------------------------------------
if [ -n "$sign_p12" ]; then
  [ -n "${!pass_env:-}" ] || { echo "package.sh: set the certificate password in \$$pass_env" >&2; exit 2; }
  umask 077
  passfile=$work/.pass
  printf '%s' "${!pass_env}" > "$passfile"
  openssl pkcs12 -in "$sign_p12" -passin "file:$passfile" -nokeys -clcerts -out "$work/.signer.pem" 2>/dev/null
  openssl pkcs12 -in "$sign_p12" -passin "file:$passfile" -nokeys -cacerts -out "$work/.chain.pem" 2>/dev/null
  openssl pkcs12 -in "$sign_p12" -passin "file:$passfile" -nocerts -noenc -out "$work/.key.pem" 2>/dev/null
  umask 022
  trap 'rm -f "$work/.pass" "$work/.key.pem"' EXIT
  # Signs a Windows executable in place (Authenticode, SHA-256; also NSIS's uninstaller).
  cat > "$work/sign-exe.sh" <<EOF
#!/bin/sh
set -e
osslsigncode sign -pkcs12 "$sign_p12" -readpass "$passfile" -h sha256 -n "Kyso" \\
  -i "https://github.com/kyso-vn/kyso" ${tsa:+-ts "$tsa"} -in "\$1" -out "\$1.signed" >/dev/null
mv "\$1.signed" "\$1"
EOF
  chmod +x "$work/sign-exe.sh"
else
  echo "WARNING: no --sign-p12: the installers are NOT signed (Windows SmartScreen will warn)" >&2
fi

# --- Windows installer -----------------------------------------------------------------------
echo "== package: Windows installer"
stage=$work/windows
mkdir -p "$stage"
cp "target/$win/release/kyso-app.exe" "target/$win/release/kyso.exe" "$stage/"
cp "$wv2" "$stage/WebView2Loader.dll"
cp src-tauri/icons/icon.ico "$stage/kyso.ico"
{ cat /usr/share/common-licenses/Apache-2.0; printf '\n\n== Liberation Serif (embedded fonts) ==\n\n'; cat assets/fonts/LICENSE-LiberationSerif.txt; } \
  | sed 's/$/\r/' > "$stage/LICENSE.txt"
sed 's/$/\r/' packaging/windows/README.txt > "$stage/README.txt"
nsis_sign=()
if [ -n "$sign_p12" ]; then
  "$work/sign-exe.sh" "$stage/kyso-app.exe"
  "$work/sign-exe.sh" "$stage/kyso.exe"
  nsis_sign=("-DSIGN_UNINSTALLER=$work/sign-exe.sh")
fi
setup=$dist/Kyso-$version-x64-setup.exe
makensis -V2 -WX -DVERSION="$version" -DSRCDIR="$stage" -DOUTFILE="$setup" "${nsis_sign[@]}" packaging/windows/kyso.nsi
[ -n "$sign_p12" ] && "$work/sign-exe.sh" "$setup"

# --- Debian package --------------------------------------------------------------------------
echo "== package: Debian package"
deb_root=$work/deb
install -Dm755 target/release/kyso "$deb_root/usr/bin/kyso"
install -Dm755 target/release/kyso-app "$deb_root/usr/bin/kyso-app"
install -Dm644 packaging/linux/vn.kyso.Kyso.desktop "$deb_root/usr/share/applications/vn.kyso.Kyso.desktop"
install -Dm644 src-tauri/icons/icon.png "$deb_root/usr/share/icons/hicolor/128x128/apps/vn.kyso.Kyso.png"
install -Dm644 /usr/share/common-licenses/Apache-2.0 "$deb_root/usr/share/doc/kyso/LICENSE"
install -Dm644 assets/fonts/LICENSE-LiberationSerif.txt "$deb_root/usr/share/doc/kyso/LICENSE-LiberationSerif.txt"
printf 'Kyso — ký số văn bản\nLicense: Apache-2.0 (see LICENSE); embedded fonts: SIL OFL 1.1 (LICENSE-LiberationSerif.txt)\n' \
  > "$deb_root/usr/share/doc/kyso/copyright"
# Runtime dependencies from the libraries the programs link (WebKitGTK, GTK, libsoup …).
mkdir -p "$work/shlibs/debian"
printf 'Source: kyso\n\nPackage: kyso\nArchitecture: amd64\n' > "$work/shlibs/debian/control"
depends=$(cd "$work/shlibs" && dpkg-shlibdeps -O -e "$deb_root/usr/bin/kyso-app" -e "$deb_root/usr/bin/kyso" 2>/dev/null \
  | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "package.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
size_kb=$(du -sk "$deb_root/usr" | cut -f1)
mkdir -p "$deb_root/DEBIAN"
sed -e "s/@VERSION@/$version/" -e "s/@DEPENDS@/$depends/" -e "s/@SIZE@/$size_kb/" packaging/linux/control.in \
  > "$deb_root/DEBIAN/control"
deb=$dist/kyso_${version}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$deb_root" "$deb" >/dev/null
if [ -n "$sign_p12" ]; then
  chain=()
  [ -s "$work/.chain.pem" ] && chain=(-certfile "$work/.chain.pem")
  openssl cms -sign -binary -md sha256 -in "$deb" -signer "$work/.signer.pem" -inkey "$work/.key.pem" \
    "${chain[@]}" -outform DER -out "$deb.p7s"
fi

# --- checksums ---------------------------------------------------------------------------------
(cd "$dist" && sha256sum -- * > SHA256SUMS)
echo "== package: done ($version)"
(cd "$dist" && ls -l --block-size=K -- *)
