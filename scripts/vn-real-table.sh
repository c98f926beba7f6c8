#!/usr/bin/env bash
# Prints, for every document in ../shared/corpus/vn-real, its signature verdict and its legal
# verdict as a clerk on a new computer with the network off gets them: fresh config and data
# folders (only the trust store shipped with Kyso), `kyso verify --offline --json`.
# Usage: bash scripts/vn-real-table.sh [KYSO_BINARY]   (default target/release/kyso)
set -euo pipefail
cd "$(dirname "$0")/.."
kyso=${1:-target/release/kyso}
corpus=../shared/corpus/vn-real/pdfs
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 0; }
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
echo "| document | signatures: indication / sub-indication | signers (system, class) | legal verdict | checks not passed |"
echo "|---|---|---|---|---|"
for f in "$corpus"/*.pdf; do
  rm -rf "$fresh"/*
  KYSO_CONFIG_DIR="$fresh/config" KYSO_DATA_DIR="$fresh/data" \
    "$kyso" verify --offline --json "$f" > "$fresh/out.json" 2>/dev/null || true
  python3 - "$f" "$fresh/out.json" <<'P'
import json, os, sys, collections
name, out = os.path.basename(sys.argv[1]), json.load(open(sys.argv[2]))
f = out["files"][0]
sigs = f.get("signatures", [])
ind = collections.Counter(
    s["indication"] + ("/" + s["sub_indication"] if s.get("sub_indication") else "") for s in sigs)
verdicts = ", ".join(f"{n}× {k}" for k, n in ind.items()) or (f.get("error") or {}).get("code", f["verdict"])
who = []
for s in sigs:
    c, sig = s.get("certificate") or {}, s.get("signer") or {}
    entry = f"{sig.get('common_name', '?')} ({c.get('system', '?')}, {c.get('class', '?')})"
    if entry not in who:
        who.append(entry)
legal = f.get("legal") or {}
bad = [f"{c['code']}={c['result']}" for c in legal.get("checks", []) if c["result"] != "pass"]
print(f"| {name} | {verdicts} | {'; '.join(who)} | {legal.get('verdict', '—')} | {', '.join(bad)} |")
P
done
