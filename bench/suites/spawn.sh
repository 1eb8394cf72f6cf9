#!/usr/bin/env bash
# spawn: N tasks that return at once, all awaited; ns per task, cio vs Go
# goroutines + WaitGroup (GOMAXPROCS=1). Target: <= 150 ns and faster than Go.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${SPAWN_N:-1000000}
cio=$("$BENCH_BIN/bench_spawn" "$N"); echo "$cio"
c=$(field ns_per_task "$cio")
if have go; then
  go=$(GOMAXPROCS=1 "$(gobuild spawn)" "$N"); echo "$go"
  g=$(field ns_per_task "$go")
  echo "result spawn cio_ns_per_task=$c go_ns_per_task=$g go_over_cio=$(ratio "$g" "$c") target_ns=150"
else
  echo "result spawn cio_ns_per_task=$c go=missing target_ns=150"
fi
