#!/usr/bin/env bash
# switch_many: T tasks (default 100,000) each yielding R times (default 20),
# round-robin, so every switch resumes a task whose stack has gone cold; ns
# per yield, cio vs Go goroutines calling runtime.Gosched (GOMAXPROCS=1).
# No target of its own: it guards the resume path against prefetching that
# helps one pattern and costs this one memory bandwidth (docs/performance.md).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
T=${SWITCH_MANY_T:-100000} R=${SWITCH_MANY_R:-20}
cio=$("$BENCH_BIN/bench_switch_many" "$T" "$R"); echo "$cio"
c=$(field ns_per_yield "$cio")
if have go; then
  go=$(GOMAXPROCS=1 "$(gobuild switch_many)" "$T" "$R"); echo "$go"
  g=$(field ns_per_yield "$go")
  echo "result switch_many cio_ns_per_yield=$c go_ns_per_yield=$g go_over_cio=$(ratio "$g" "$c") tasks=$T"
else
  echo "result switch_many cio_ns_per_yield=$c go=missing tasks=$T"
fi
