#!/usr/bin/env bash
# scripts/demo.sh — installs what the build needs (Debian packages), builds
# cio in Release and runs the main demo.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" demo
cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release -DCIO_BUILD_TESTS=OFF -DCIO_BUILD_BENCH=OFF >/dev/null
make -C "$root/build-release" -j"$(nproc)" >/dev/null
ex="$root/build-release/examples"
echo "== seed 001: gevent.joinall with sleeps of 2, 1 and 0 s"
"$ex/gevent_joinall"
echo "== seed 004: three tasks, without and with sleep(0)"
"$ex/gevent_interleave"
echo "== file copy with io_uring"
"$ex/file_copy"
