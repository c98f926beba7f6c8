#!/usr/bin/env bash
# Writes Kyso's signed update manifest for a release: manifest.json and manifest.json.sig
# (the raw 64-byte Ed25519 signature, made by OpenSSL, over the manifest's exact bytes).
# Kyso accepts it only if the signature verifies under a release key built into it, the
# version is newer than the one running, and each installer matches its size and SHA-256.
#
#   bash scripts/make-update-manifest.sh --key RELEASE-PRIVATE.pem --version 0.2.0 \
#        --base-url https://kyso.example.vn/releases/0.2.0 --out DIR \
#        [--notes-vi TEXT] [--notes-en TEXT] [--released YYYY-MM-DD] \
#        [--windows Kyso-0.2.0-x64-setup.exe] [--linux kyso_0.2.0_amd64.deb]
#
# The release key: `openssl genpkey -algorithm ed25519 -out release.pem` (keep it offline);
# its public half, `openssl pkey -in release.pem -pubout -out release.pub.pem`, goes to
# `scripts/package.sh --update-key release.pub.pem`. Publish manifest.json and
# manifest.json.sig side by side at the address given to --update-url.
set -euo pipefail
key="" version="" base="" out="" notes_vi="" notes_en="" released=$(date -u +%F) windows="" linux=""
while [ $# -gt 0 ]; do
  case "$1" in
    --key) key=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --base-url) base=${2%/}; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --notes-vi) notes_vi=$2; shift 2 ;;
    --notes-en) notes_en=$2; shift 2 ;;
    --released) released=$2; shift 2 ;;
    --windows) windows=$2; shift 2 ;;
    --linux) linux=$2; shift 2 ;;
    *) echo "make-update-manifest.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$key" ] && [ -n "$version" ] && [ -n "$base" ] && [ -n "$out" ] || {
  echo "usage: make-update-manifest.sh --key PEM --version V --base-url URL --out DIR [--windows EXE] [--linux DEB]" >&2; exit 2; }
mkdir -p "$out"
python3 - "$out/manifest.json" "$version" "$released" "$notes_vi" "$notes_en" "$base" "$windows" "$linux" <<'PY'
import hashlib, json, os, sys
path, version, released, vi, en, base, windows, linux = sys.argv[1:]
installers = []
for platform, f in (("windows-x86_64", windows), ("linux-x86_64", linux)):
    if f:
        data = open(f, "rb").read()
        installers.append({"platform": platform, "url": "%s/%s" % (base, os.path.basename(f)),
                           "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
manifest = {"product": "kyso", "version": version, "released": released,
            "notes": {"vi": vi, "en": en}, "installers": installers}
with open(path, "w", encoding="utf-8") as f:
    json.dump(manifest, f, ensure_ascii=False, indent=2)
    f.write("\n")
PY
openssl pkeyutl -sign -inkey "$key" -rawin -in "$out/manifest.json" -out "$out/manifest.json.sig"
echo "$out/manifest.json (+ .sig)"
