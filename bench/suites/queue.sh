#!/usr/bin/env bash
# queue: one producer and one consumer task passing 1,000,000 ints through a
# queue of size 128; ns per item, cio vs asyncio.Queue (Debian python3) and a
# Go buffered channel with GOMAXPROCS=1. Targets: >= 20x faster than
# asyncio, faster than Go. (asyncio moves fewer items: the per-item cost is
# what is compared; QUEUE_PY_N to change.)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${QUEUE_N:-1000000}
PYN=${QUEUE_PY_N:-200000}
cio=$("$BENCH_BIN/bench_queue" "$N" 128); echo "$cio"
c=$(field ns_per_item "$cio")
py=$($PY "$BENCH_PEERS/queue_asyncio.py" "$PYN" 128); echo "$py"
p=$(field ns_per_item "$py")
line="result queue cio_ns_per_item=$c asyncio_ns_per_item=$p asyncio_over_cio=$(ratio "$p" "$c")"
if have go; then
  gobin=$(mktemp -d)
  GO111MODULE=off GOCACHE="$gobin/cache" go build -o "$gobin/queue" "$BENCH_PEERS/queue.go"
  go=$(GOMAXPROCS=1 "$gobin/queue" "$N" 128); echo "$go"
  rm -rf "$gobin"
  g=$(field ns_per_item "$go")
  line="$line go_ns_per_item=$g go_over_cio=$(ratio "$g" "$c")"
fi
echo "$line target_asyncio_over_cio=20 target_go_over_cio=1"
