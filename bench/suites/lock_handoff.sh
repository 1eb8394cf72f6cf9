#!/usr/bin/env bash
# lock_handoff: 100 tasks each acquiring and releasing one lock 10,000 times
# with a yield inside (every acquire waits, every release hands over); ns
# per handoff, cio vs asyncio.Lock (fewer iterations for Python:
# LOCK_PY_K; the per-handoff cost is what is compared).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
T=${LOCK_T:-100}
K=${LOCK_K:-10000}
PYK=${LOCK_PY_K:-1000}
cio=$("$BENCH_BIN/bench_lock_handoff" "$T" "$K"); echo "$cio"
py=$($PY "$BENCH_PEERS/lock_handoff.py" "$T" "$PYK"); echo "$py"
c=$(field ns_per_handoff "$cio"); p=$(field ns_per_handoff "$py")
echo "result lock_handoff cio_ns_per_handoff=$c asyncio_ns_per_handoff=$p asyncio_over_cio=$(ratio "$p" "$c")"
