#!/usr/bin/env bash
# switch: two tasks each yielding N times; ns per switch, cio vs Python
# asyncio `await asyncio.sleep(0)`. Target: <= 15 ns and >= 50x faster.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${SWITCH_N:-1000000}
cio=$("$BENCH_BIN/bench_switch" "$N"); echo "$cio"
py=$("$PY" "$BENCH_PEERS/switch.py" "$N"); echo "$py"
c=$(field ns_per_switch "$cio"); p=$(field ns_per_switch "$py")
echo "result switch cio_ns_per_switch=$c asyncio_ns_per_switch=$p asyncio_over_cio=$(ratio "$p" "$c") target_ns=15 target_speedup=50"
