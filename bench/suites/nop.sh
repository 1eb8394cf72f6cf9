#!/usr/bin/env bash
# nop: 64 tasks each awaiting 100,000 io_uring no-ops (64 in flight, one
# submit per loop iteration); ns per op, cio vs a hand-written liburing loop
# doing the same batches. Target: cio <= 1.5x liburing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
K=${NOP_K:-100000}
cio=$("$BENCH_BIN/bench_nop" "$K" 64); echo "$cio"
raw=$("$BENCH_BIN/peer_nop_uring" "$K" 64); echo "$raw"
c=$(field ns_per_op "$cio"); r=$(field ns_per_op "$raw")
echo "result nop cio_ns_per_op=$c liburing_ns_per_op=$r cio_over_liburing=$(ratio "$c" "$r") target_ratio=1.5"
