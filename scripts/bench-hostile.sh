#!/usr/bin/env bash
# Hostile-input benchmark (issue 13): wall time and peak resident memory of the release
# `kyso verify` on every hostile shape of crates/kyso-core/tests/hostile_shapes at 1, 5 and
# 10 MB. Target: every shape under 2 s and 128 MB.
#
#   scripts/bench-hostile.sh [--before OLD_KYSO] [--after KYSO] [--no-build] [SIZES_MB…]
#
# --before: a `kyso` binary built from an earlier commit, measured beside the current one
#           (each run is capped at 2 GiB of address space and 60 s, so the old reader cannot
#           take the machine: a capped run shows as "OOM" or ">60 s").
# --after: the binary measured as "after" (default target/release/kyso).
# --no-build: use the binaries and the generator (target/release/examples/hostile_shapes, or
#           $KYSO_SHAPES) as they are.
set -euo pipefail
cd "$(dirname "$0")/.."

before=""
after=target/release/kyso
build=1
sizes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --before) before=$2; shift 2 ;;
    --after) after=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1 5 10)

if [ "$build" = 1 ]; then
  cargo build --release -p kyso-cli
  cargo build --release -p kyso-core --example hostile_shapes
fi
gen=${KYSO_SHAPES:-target/release/examples/hostile_shapes}
for t in "$after" "$gen" /usr/bin/time prlimit timeout; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$gen" "$dir" "${sizes[@]}" >/dev/null

# One run: prints "seconds peak_MB verdict".
measure() {
  local bin=$1 file=$2 out rc t mem verdict
  out=$(prlimit --as=$((2 << 30)) -- /usr/bin/time -f "KYSO-TIME %e %M" \
        timeout 60 "$bin" verify --offline --json "$file" 2>&1 >"$dir/report.json") && rc=0 || rc=$?
  t=$(sed -n 's/^KYSO-TIME \([0-9.]*\) .*/\1/p' <<<"$out")
  mem=$(sed -n 's/^KYSO-TIME [0-9.]* \([0-9]*\)/\1/p' <<<"$out")
  mem=$(( ${mem:-0} / 1024 ))
  if [ "$rc" = 124 ]; then
    echo ">60 ${mem} timeout"
  elif grep -q '"verdict"' "$dir/report.json" 2>/dev/null; then
    verdict=$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["files"][0]; print(f["verdict"] + ("/" + f["error"]["code"] if f["error"] else ""))' "$dir/report.json")
    echo "$t $mem $verdict"
  elif grep -qi "memory allocation\|out of memory\|Cannot allocate" <<<"$out"; then
    echo "$t $mem OOM(2GiB)"
  else
    echo "$t $mem crash(rc=$rc)"
  fi
}

printf '| shape | size | before: time (s) | before: peak (MB) | before: result | after: time (s) | after: peak (MB) | after: result |\n'
printf '|---|---|---|---|---|---|---|---|\n'
worst_t=0
worst_m=0
for f in $(ls "$dir"/*.pdf | sort -V); do
  name=$(basename "$f" .pdf)
  shape=${name%-*}
  size=${name##*-}
  if [ -n "$before" ]; then read -r bt bm bv < <(measure "$before" "$f"); else bt=-; bm=-; bv=-; fi
  read -r at am av < <(measure "$after" "$f")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$shape" "$size" "$bt" "$bm" "$bv" "$at" "$am" "$av"
  worst_t=$(python3 -c "print(max($worst_t, float('$at'.lstrip('>'))))")
  [ "$am" -gt "$worst_m" ] && worst_m=$am
done
echo
echo "worst after: ${worst_t} s, ${worst_m} MB (target: < 2 s, < 128 MB)"
