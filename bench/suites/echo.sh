#!/usr/bin/env bash
# bench/suites/echo.sh — TCP echo over loopback: ECHO_CONNS connections
# (default 50) each ping-ponging 64-byte messages for ECHO_SECONDS (default
# 5, after a 0.5 s warm-up), load generator (bench_echo_load) pinned to core
# 0, server pinned to core 1. Servers: cio with streams (the headline) and
# with raw cio_recv/cio_send, hand-written liburing, libuv, Python asyncio
# (Protocol) and, if installed, uvloop. Round trips/s, p50/p99 latency and
# the server's CPU time per round trip; ECHO_ROUNDS rounds, best counts.
# Targets: cio >= 0.95x liburing, >= 1.3x libuv, >= 3x asyncio. Python runs
# with -P: this folder's modules never shadow the stdlib.
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

# cpu_ns PID: CPU time of all the process's threads so far, in ns (the
# scheduler's exact run time from schedstat, not tick-sampled like
# /proc/PID/stat, whose 10 ms ticks misattribute a server that sleeps and
# wakes 100,000 times a second).
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }'; }

# run NAME CMD...: starts the server (it picks a free port and prints
# "listening port=N" when ready), runs the load against it, stops it and
# prints the load generator's line prefixed with NAME, plus the server's
# CPU use during the load (server_cpu_pct) and per round trip
# (server_cpu_us_per_rtt, over all round trips including the warm-up).
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
    printf '%-9s rtt_per_s=0 p99_us=0\n' "$name"
    return
  fi
  local out c0 c1 t0 t1
  c0=$(cpu_ns "$pid"); t0=$(date +%s%N)
  out=$(taskset -c "$LOAD_CPU" "$BENCH_BIN/bench_echo_load" 127.0.0.1 "$port" "$CONNS" "$SECS" "$MSG" || echo "rtt_per_s=0 p99_us=0")
  c1=$(cpu_ns "$pid"); t1=$(date +%s%N)
  stop_server
  local all; all=$(field rtts_with_warmup "$out")
  printf '%-9s %s server_cpu_pct=%s server_cpu_us_per_rtt=%s\n' "$name" "$out" \
    "$(awk -v c=$((c1 - c0)) -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", 100 * c / ns }')" \
    "$(awk -v c=$((c1 - c0)) -v n="${all:-0}" 'BEGIN { if (n > 0) printf "%.2f", c / 1e3 / n; else print "n/a" }')"
}

# ECHO_ROUNDS rounds (default 2) over all servers, in turn, so that a burst
# of other work on the machine hits one round of one server, not a whole
# run; each server's best round counts.
servers=(cio cio_raw liburing)
[ -x "$BENCH_BIN/peer_echo_uv" ] && servers+=(libuv)
servers+=(asyncio)
$PY -c 'import uvloop' 2>/dev/null && servers+=(uvloop)
start() {
  case $1 in
    cio) run cio "$BENCH_BIN/bench_echo_cio" 0 stream ;;
    cio_raw) run cio_raw "$BENCH_BIN/bench_echo_cio" 0 raw ;;
    liburing) run liburing "$BENCH_BIN/peer_echo_uring" 0 ;;
    libuv) run libuv "$BENCH_BIN/peer_echo_uv" 0 ;;
    asyncio|uvloop) run "$1" "$PY" -P "$BENCH_PEERS/echo_asyncio.py" 0 "$1" ;;
  esac
}
declare -A best
for round in $(seq "${ECHO_ROUNDS:-2}"); do
  for s in "${servers[@]}"; do
    l=$(start "$s")
    echo "round=$round $l"
    r=$(field rtt_per_s "$l")
    if [ -z "${best[$s]:-}" ] || awk -v a="${r:-0}" -v b="$(field rtt_per_s "${best[$s]}")" 'BEGIN { exit !(a > b) }'; then
      best[$s]=$l
    fi
  done
done

# the table (best round of each server). cio/server compares round trips/s;
# cpu server/cio compares the server's CPU per round trip (> 1: cio needs
# less), which the other work on a shared machine disturbs less.
rate() { field rtt_per_s "${best[$1]:-}" | grep . || echo 0; }
cpu() { field server_cpu_us_per_rtt "${best[$1]:-}" | grep . || echo 0; }
echo
printf '%-9s %10s %9s %9s %11s %11s %15s\n' server rtt/s p50_us p99_us cpu_us/rtt cio/server "cpu server/cio"
c=$(rate cio)
for s in "${servers[@]}"; do
  printf '%-9s %10s %9s %9s %11s %11s %15s\n' "$s" "$(rate "$s")" "$(field p50_us "${best[$s]}")" \
    "$(field p99_us "${best[$s]}")" "$(cpu "$s")" "$(ratio "$c" "$(rate "$s")")" "$(ratio "$(cpu "$s")" "$(cpu cio)")"
done
line="result echo conns=$CONNS msgsize=$MSG seconds=$SECS cio_rtt_per_s=$c cio_p99_us=$(field p99_us "${best[cio]}")"
line+=" cio_raw_rtt_per_s=$(rate cio_raw)"
line+=" cio_over_liburing=$(ratio "$c" "$(rate liburing)") (target>=0.95)"
line+=" cio_over_libuv=$(ratio "$c" "$(rate libuv)") (target>=1.3)"
line+=" cio_over_asyncio=$(ratio "$c" "$(rate asyncio)") (target>=3)"
[ -n "${best[uvloop]:-}" ] && line+=" cio_over_uvloop=$(ratio "$c" "$(rate uvloop)")"
line+=" cpu_per_rtt_liburing_over_cio=$(ratio "$(cpu liburing)" "$(cpu cio)")"
line+=" cpu_per_rtt_libuv_over_cio=$(ratio "$(cpu libuv)" "$(cpu cio)")"
line+=" cpu_per_rtt_asyncio_over_cio=$(ratio "$(cpu asyncio)" "$(cpu cio)")"
echo "$line"
