#!/usr/bin/env bash
# spawn: N tasks that return at once, all awaited; ns per task, cio vs Go
# goroutines + WaitGroup (GOMAXPROCS=1). Target: <= 150 ns and faster than Go.
# Each program runs two rounds: cold (first use of the memory) and warm.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${SPAWN_N:-1000000}
cio=$("$BENCH_BIN/bench_spawn" "$N"); echo "$cio"
c=$(field ns_per_task "$cio"); cc=$(field cold_ns_per_task "$cio"); ft=$(field first_touch_ns_per_page "$cio")
if have go; then
  go=$(GOMAXPROCS=1 "$(gobuild spawn)" "$N"); echo "$go"
  g=$(field ns_per_task "$go"); gc=$(field cold_ns_per_task "$go")
  echo "result spawn cio_ns_per_task=$c go_ns_per_task=$g go_over_cio=$(ratio "$g" "$c") cio_cold_ns_per_task=$cc go_cold_ns_per_task=$gc go_over_cio_cold=$(ratio "$gc" "$cc") host_first_touch_ns_per_page=$ft target_ns=150"
else
  echo "result spawn cio_ns_per_task=$c cio_cold_ns_per_task=$cc go=missing host_first_touch_ns_per_page=$ft target_ns=150"
fi
