#!/usr/bin/env bash
# scripts/demo.sh [cio-crawl flags] — installs what the build needs (Debian
# packages), builds cio in Release and runs the crawler demo (tools/cio-crawl):
# a local static HTTP server, 500 downloads through Pool(n) with libcurl on the
# io_uring loop, checksums on the executor, and the sequential/concurrent
# comparison of seed 001. Fully offline.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" demo
cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release -DCIO_BUILD_TESTS=OFF -DCIO_BUILD_BENCH=OFF >/dev/null
make -C "$root/build-release" -j"$(nproc)" cio-crawl >/dev/null
exec "$root/build-release/tools/cio-crawl" "$@"
