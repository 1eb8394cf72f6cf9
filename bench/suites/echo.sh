#!/usr/bin/env bash
# bench/suites/echo.sh — TCP echo over loopback: ECHO_CONNS connections
# (default 50) each ping-ponging 64-byte messages for ECHO_SECONDS (default
# 5, after a 0.5 s warm-up), load generator (bench_echo_load) pinned to core
# 0, server pinned to core 1. Servers: cio with streams (the headline) and
# with raw cio_recv/cio_send, hand-written liburing, libuv, Python asyncio
# (Protocol) and, if installed, uvloop. Round trips/s and p99 latency.
# Targets: cio >= 0.95x liburing, >= 1.3x libuv, >= 3x asyncio. Python runs
# with -P so that bench/peers/queue.py does not shadow the stdlib queue module.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SECS=${ECHO_SECONDS:-5} CONNS=${ECHO_CONNS:-50} MSG=${ECHO_MSGSIZE:-64}
SERVER_CPU=${ECHO_SERVER_CPU:-1} LOAD_CPU=${ECHO_LOAD_CPU:-0}
tmp=$(mktemp -d /tmp/cio-bench-echo-XXXXXX)
pid=
stop_server() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
  fi
}
trap 'stop_server; rm -rf "$tmp"' EXIT

# run NAME CMD...: starts the server (it picks a free port and prints
# "listening port=N" when ready), runs the load against it, stops it and
# prints the load generator's line prefixed with NAME.
run() {
  local name=$1; shift
  : > "$tmp/out"
  taskset -c "$SERVER_CPU" "$@" > "$tmp/out" 2>"$tmp/err" &
  pid=$!
  local port=
  for _ in $(seq 200); do   # up to 10 s (Python imports can be slow)
    port=$(sed -n 's/^listening port=\([0-9]*\).*/\1/p' "$tmp/out")
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$port" ]; then
    echo "$name: server did not start: $(cat "$tmp/err")" >&2
    stop_server
    printf '%-14s rtt_per_s=0 p99_us=0\n' "$name"
    return
  fi
  local out
  out=$(taskset -c "$LOAD_CPU" "$BENCH_BIN/bench_echo_load" 127.0.0.1 "$port" "$CONNS" "$SECS" "$MSG" || echo "rtt_per_s=0 p99_us=0")
  stop_server
  printf '%-14s %s\n' "$name" "$out"
}

results=()
add() { results+=("$1"); echo "$1"; }
add "$(run cio "$BENCH_BIN/bench_echo_cio" 0 stream)"
add "$(run cio_raw "$BENCH_BIN/bench_echo_cio" 0 raw)"
add "$(run liburing "$BENCH_BIN/peer_echo_uring" 0)"
if [ -x "$BENCH_BIN/peer_echo_uv" ]; then add "$(run libuv "$BENCH_BIN/peer_echo_uv" 0)"; fi
add "$(run asyncio "$PY" -P "$BENCH_PEERS/echo_asyncio.py" 0 asyncio)"
if $PY -c 'import uvloop' 2>/dev/null; then add "$(run uvloop "$PY" -P "$BENCH_PEERS/echo_asyncio.py" 0 uvloop)"; fi

# the table
rate() { for l in "${results[@]}"; do [ "${l%% *}" = "$1" ] && field rtt_per_s "$l" && return; done; echo 0; }
p99() { for l in "${results[@]}"; do [ "${l%% *}" = "$1" ] && field p99_us "$l" && return; done; echo 0; }
echo
printf '%-10s %12s %10s %12s\n' server rtt/s p99_us cio/server
c=$(rate cio)
for l in "${results[@]}"; do
  n=${l%% *}
  printf '%-10s %12s %10s %12s\n' "$n" "$(rate "$n")" "$(p99 "$n")" "$(ratio "$c" "$(rate "$n")")"
done
line="result echo conns=$CONNS msgsize=$MSG seconds=$SECS cio_rtt_per_s=$c cio_p99_us=$(p99 cio)"
line+=" cio_raw_rtt_per_s=$(rate cio_raw)"
line+=" cio_over_liburing=$(ratio "$c" "$(rate liburing)") (target>=0.95)"
line+=" cio_over_libuv=$(ratio "$c" "$(rate libuv)") (target>=1.3)"
line+=" cio_over_asyncio=$(ratio "$c" "$(rate asyncio)") (target>=3)"
$PY -c 'import uvloop' 2>/dev/null && line+=" cio_over_uvloop=$(ratio "$c" "$(rate uvloop)")"
echo "$line"
