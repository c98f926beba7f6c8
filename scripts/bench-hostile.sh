#!/usr/bin/env bash
# Hostile-input benchmark (issue 13): wall time and peak resident memory of the release
# `kyso verify` on every hostile shape of crates/kyso-core/tests/hostile_shapes at 1, 5 and
# 10 MB. Target: every shape under 2 s and 128 MB.
#
# Beside it, in the same run and under the same caps: the floor (`openssl dgst -sha256` of
# the file: reading and hashing it once, the least any check must do) and two peers that
# parse the same file to check its signatures, poppler's `pdfsig` and pyHanko's
# `sign validate` (skipped when not installed; pyHanko from $KYSO_PYHANKO or the test venv).
#
#   scripts/bench-hostile.sh [--before OLD_KYSO] [--after KYSO] [--no-build] [--no-peers]
#                            [--only SHAPE,SHAPE…] [SIZES_MB…]
#
# --before: a `kyso` binary built from an earlier commit, measured beside the current one
#           (each run is capped at 2 GiB of address space and 60 s, so the old reader cannot
#           take the machine: a capped run shows as "OOM" or ">60 s").
# --after: the binary measured as "after" (default target/release/kyso).
# --only: measure just these shapes.
# --no-build: use the binaries and the generator (target/release/examples/hostile_shapes, or
#           $KYSO_SHAPES) as they are.
set -euo pipefail
cd "$(dirname "$0")/.."

before=""
after=target/release/kyso
build=1
peers=1
only=""
sizes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --before) before=${2:?--before needs a kyso binary}; shift 2 ;;
    --after) after=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-peers) peers=0; shift ;;
    --only) only=${2:?--only needs SHAPE,SHAPE…}; shift 2 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1 5 10)

if [ "$build" = 1 ]; then
  cargo build --release -p kyso-cli
  cargo build --release -p kyso-core --example hostile_shapes
fi
gen=${KYSO_SHAPES:-target/release/examples/hostile_shapes}
for t in "$after" "$gen" /usr/bin/time prlimit timeout openssl python3; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done

pyhanko=${KYSO_PYHANKO:-target/test-venv/bin/pyhanko}
have() { [ "$peers" = 1 ] && command -v "$1" >/dev/null; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$gen" "$dir" "${sizes[@]}" >/dev/null

# Runs one command under the caps; sets T (seconds), M (peak MB) and RC (exit status, 124
# for the 60 s timeout). Output goes to $dir/out.
run_capped() {
  # time writes to its own file, so a tool's stderr cannot garble the figures.
  ERR=$(prlimit --as=$((2 << 30)) -- /usr/bin/time -o "$dir/time" -f "%e %M" \
        timeout 60 "$@" 2>&1 >"$dir/out") && RC=0 || RC=$?
  # Its last line: a first one says how a failing command ended.
  read -r T M < <(tail -n 1 "$dir/time") || true
  [[ "${T:-}" =~ ^[0-9.]+$ ]] || T="?"
  [[ "${M:-}" =~ ^[0-9]+$ ]] || M=0
  M=$(( M / 1024 ))
}

# One kyso run: prints "seconds peak_MB verdict".
measure() {
  local bin=$1 file=$2 verdict
  run_capped "$bin" verify --offline --json "$file"
  if [ "$RC" = 124 ]; then
    echo ">60 ${M} timeout"
  elif grep -q '"verdict"' "$dir/out" 2>/dev/null; then
    verdict=$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["files"][0]; print(f["verdict"] + ("/" + f["error"]["code"] if f["error"] else ""))' "$dir/out") \
      || verdict=unreadable-report
    echo "$T $M $verdict"
  elif grep -qi "memory allocation\|out of memory\|Cannot allocate\|MemoryError\|bad_alloc" <<<"$ERR"; then
    echo "$T $M OOM(2GiB)"
  else
    echo "$T $M crash(rc=$RC)"
  fi
}

# One floor or peer run: prints "seconds peak_MB outcome". Peers say "no signature" or
# "cannot read this file" each in their own words; the common ones are named here, anything
# else shows as the exit status.
measure_other() {
  local said
  run_capped "$@"
  said="$ERR$(cat "$dir/out" 2>/dev/null)"
  if [ "$RC" = 124 ]; then
    echo ">60 ${M} timeout"
  elif grep -qi "memory allocation\|out of memory\|Cannot allocate\|MemoryError\|bad_alloc" <<<"$said"; then
    echo "$T $M OOM(2GiB)"
  elif [ "$RC" -gt 128 ]; then
    echo "$T $M killed by signal $((RC - 128))"
  elif grep -q "exceeds the limit" <<<"$said"; then
    echo "$T $M refused (decode limit)"
  elif grep -qi "Couldn't read xref\|Failed to read PDF\|Couldn't open" <<<"$said"; then
    echo "$T $M cannot read"
  elif grep -q "does not contain any signatures\|is not signed" <<<"$said"; then
    echo "$T $M no signature"
  else
    echo "$T $M exit $RC"
  fi
}

# A table cell; the floor's "exit 0" goes without saying.
cell() {
  if [ "$1" = - ]; then echo "—"
  elif [ "$3" = "exit 0" ] && [ "${4:-}" = floor ]; then echo "$1 s, $2 MB"
  else echo "$1 s, $2 MB, $3"; fi
}

printf '| shape | size | floor: sha-256 | before | kyso verify | peer: pdfsig | peer: pyHanko validate |\n'
printf '|---|---|---|---|---|---|---|\n'
worst_t=0
worst_m=0
for f in $(ls "$dir"/*.pdf | sort -V); do
  name=$(basename "$f" .pdf)
  shape=${name%-*}
  size=${name##*-}
  if [ -n "$only" ] && [[ ",$only," != *",$shape,"* ]]; then continue; fi
  read -r ft fm fv < <(measure_other openssl dgst -sha256 "$f")
  if [ -n "$before" ]; then read -r bt bm bv < <(measure "$before" "$f"); else bt=-; bm=-; bv=-; fi
  read -r at am av < <(measure "$after" "$f")
  if have pdfsig; then read -r pt pm pv < <(measure_other pdfsig "$f"); else pt=-; pm=-; pv=-; fi
  if have "$pyhanko"; then
    read -r ht hm hv < <(measure_other "$pyhanko" sign validate --no-revocation-check "$f")
  else ht=-; hm=-; hv=-; fi
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$shape" "$size" "$(cell "$ft" "$fm" "$fv" floor)" \
    "$(cell "$bt" "$bm" "$bv")" "$(cell "$at" "$am" "$av")" "$(cell "$pt" "$pm" "$pv")" "$(cell "$ht" "$hm" "$hv")"
  [ "$at" = "?" ] || worst_t=$(python3 -c "print(max($worst_t, float('$at'.lstrip('>'))))")
  [ "$am" -gt "$worst_m" ] && worst_m=$am
done
echo
echo "worst kyso verify: ${worst_t} s, ${worst_m} MB (target: < 2 s, < 128 MB)"
