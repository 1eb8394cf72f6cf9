#!/usr/bin/env bash
# nop: 64 tasks each awaiting 100,000 io_uring no-ops (64 in flight, one
# submit per loop iteration); ns per op, cio vs a hand-written liburing loop
# doing the same batches. Target: cio <= 1.5x liburing.
# Both programs are single-threaded: each runs pinned to the same CPU, five
# times, alternating, and the best run of each counts (unpinned runs moved
# between ~91 and ~123 ns as the scheduler moved them).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
K=${NOP_K:-100000} RUNS=${NOP_RUNS:-5}
pin=(); have taskset && pin=(taskset -c "$(( $(nproc) - 1 ))")
c= r=
for _ in $(seq "$RUNS"); do
  cio=$("${pin[@]}" "$BENCH_BIN/bench_nop" "$K" 64); echo "$cio"
  raw=$("${pin[@]}" "$BENCH_BIN/peer_nop_uring" "$K" 64); echo "$raw"
  c=$(min "$c" "$(field ns_per_op "$cio")"); r=$(min "$r" "$(field ns_per_op "$raw")")
done
echo "result nop cio_ns_per_op=$c liburing_ns_per_op=$r cio_over_liburing=$(ratio "$c" "$r") runs=$RUNS target_ratio=1.5"
