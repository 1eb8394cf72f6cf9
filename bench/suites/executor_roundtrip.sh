# executor_roundtrip: 100,000 sequential awaits of a trivial job on a
# 2-worker pool. cio (both wakeups) vs libuv uv_queue_work
# (UV_THREADPOOL_SIZE=2) vs Python asyncio run_in_executor (20,000: it is slow).
. "$(dirname "$0")/lib.sh"
n=${EXECUTOR_ROUNDTRIPS:-100000}
out=$("$BENCH_BIN/bench_executor_roundtrip" "$n")
cio_ev=$(field us_per_roundtrip "$(printf '%s\n' "$out" | grep mode=eventfd)")
cio_mr=$(field us_per_roundtrip "$(printf '%s\n' "$out" | grep mode=msg_ring)")
cio_best=$(field us_per_roundtrip "$(printf '%s\n' "$out" | grep mode=auto)")
echo "cio us_per_roundtrip=$cio_best (default wakeup; eventfd=$cio_ev msg_ring=${cio_mr:-n/a})"
if [ -x "$BENCH_BIN/peer_executor_roundtrip_uv" ]; then
  uv=$(UV_THREADPOOL_SIZE=2 "$BENCH_BIN/peer_executor_roundtrip_uv" "$n")
  uv_us=$(field us_per_roundtrip "$uv")
  echo "libuv us_per_roundtrip=$uv_us"
  echo "ratio libuv/cio=$(ratio "$uv_us" "$cio_best") (higher is better for cio; target >= 2)"
fi
if [ -x "$PY" ]; then
  py=$("$PY" "$BENCH_PEERS/executor_roundtrip.py" 20000)
  py_us=$(field us_per_roundtrip "$py")
  echo "python-asyncio us_per_roundtrip=$py_us"
  echo "ratio python/cio=$(ratio "$py_us" "$cio_best") (target >= 10)"
fi
