#!/usr/bin/env bash
# bench/run.sh [SUITE...] — builds the benchmarks (Release, in build-bench/) and
# runs the named suites (default: all of bench/suites/*.sh). Each suite
# measures cio and its peers in the same run and prints ratios.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
"$root/scripts/deps.sh" bench
cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
      -DCIO_BUILD_TESTS=OFF -DCIO_BUILD_EXAMPLES=ON >/dev/null
make -C "$root/build-bench" -j"$(nproc)" >/dev/null
export BENCH_BIN="$root/build-bench/bench" BENCH_ROOT="$root" BENCH_PEERS="$here/peers"
suites=("$@")
if [ ${#suites[@]} -eq 0 ]; then
  for f in "$here"/suites/*.sh; do
    [ "$(basename "$f")" = lib.sh ] || suites+=("$(basename "$f" .sh)")
  done
fi
for s in "${suites[@]}"; do
  echo "== $s"
  bash "$here/suites/$s.sh"
done
