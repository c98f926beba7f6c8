#!/usr/bin/env bash
# Runs the fuzz targets (cargo-fuzz, libFuzzer, nightly toolchain) on the corpus kept in
# fuzz/corpus/<target>, each for a fixed time, and fails on any crash, out-of-memory or
# timeout. The limits are the document budget's: no single allocation over 128 MB, 512 MB
# resident at most (AddressSanitizer's own bookkeeping included), 10 s per input.
#
#   fuzz/run.sh [--seconds N] [--runs N] [--fast] [--refresh-corpus] [--extra DIR]… [TARGET…]
#
# --seconds: per target (default 30; CI uses the default).
# --runs: stop a target after N executions (long runs: --runs 10000000).
# --fast: a build without AddressSanitizer (fuzz/target-fast), 3–8× more executions a second.
#   The core forbids unsafe code, so ASan could only catch a memory error inside a
#   dependency; panics, timeouts and the 512 MB resident limit are caught either way, single
#   allocations over 128 MB only with ASan (CI's runs keep it).
# --no-build: use the targets as last built.
# --refresh-corpus: remake the seeds (fuzz/make-seeds.sh) and minimise them, with what the
#   run found, back into fuzz/corpus/ (cargo fuzz cmin).
# --extra DIR: more seed inputs (e.g. ../shared/corpus/signed), read but never copied into
#   the repository.
# The run itself works on a copy of the corpus: new inputs it finds stay out of the tree
# unless --refresh-corpus is given. Crash inputs land in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=30
runs=-1
fast=0
refresh=0
build=1
extra=()
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --fast) fast=1; shift ;;
    --refresh-corpus) refresh=1; shift ;;
    --no-build) build=0; shift ;;
    --extra) extra+=("$(cd "$2" && pwd)"); shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(pdf_verify pdf_xref content_text cms_parse ocsp_tsp bridge_request)

if [ "$build" = 1 ]; then
  if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
  fi
  if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
  fi
  # The fuzz crate keeps its own lock file; start it from the workspace's so both build the
  # same dependency versions.
  [ -f fuzz/Cargo.lock ] || cp Cargo.lock fuzz/Cargo.lock
  if [ "$fast" = 1 ]; then
    (cd fuzz && cargo +nightly fuzz build -s none --target-dir target-fast)
  else
    cargo +nightly fuzz build
  fi
fi
bin=fuzz/target/x86_64-unknown-linux-gnu/release
if [ "$fast" = 1 ]; then
  bin=fuzz/target-fast/x86_64-unknown-linux-gnu/release
fi

limits() {
  case "$1" in
    pdf_verify|pdf_xref) echo "-max_len=65536 -dict=fuzz/dict/pdf.dict" ;;
    content_text) echo "-max_len=16384 -dict=fuzz/dict/pdf.dict" ;;
    cms_parse|ocsp_tsp) echo "-max_len=16384 -dict=fuzz/dict/der.dict" ;;
    bridge_request) echo "-max_len=4096 -dict=fuzz/dict/json.dict" ;;
  esac
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in "${targets[@]}"; do
  mkdir -p "$work/$t" "fuzz/artifacts/$t"
  cp -r "fuzz/corpus/$t/." "$work/$t/" 2>/dev/null || true
  log=$work/$t.log
  # shellcheck disable=SC2046
  if ASAN_OPTIONS=quarantine_size_mb=16:detect_leaks=0 "$bin/$t" "$work/$t" "${extra[@]}" \
      $(limits "$t") -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=512 -malloc_limit_mb=128 \
      -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  echo "$t: $result, ${execs:-?} executions, ${cov:-?} edges, ${seconds}s"
  if [ "$result" = FAILED ]; then
    grep -E "ERROR|panicked|Test unit written|out-of-memory|timeout" "$log" | head -20
  fi
done

if [ "$refresh" = 1 ]; then
  bash fuzz/make-seeds.sh "$work/seeds"
  for t in "${targets[@]}"; do
    # Minimise (libFuzzer -merge=1: the smallest set with the same coverage) into a fresh
    # folder, then replace the kept corpus with it.
    rm -rf "$work/min-$t"
    mkdir -p "$work/min-$t" "fuzz/corpus/$t"
    # shellcheck disable=SC2046
    ASAN_OPTIONS=detect_leaks=0 "$bin/$t" -merge=1 $(limits "$t") "$work/min-$t" \
      "fuzz/corpus/$t" "$work/seeds/$t" "$work/$t" >/dev/null 2>&1
    rm -rf "fuzz/corpus/$t"
    mv "$work/min-$t" "fuzz/corpus/$t"
    echo "corpus $t: $(ls "fuzz/corpus/$t" | wc -l) files, $(du -sk "fuzz/corpus/$t" | cut -f1) KB"
  done
fi
exit $status
