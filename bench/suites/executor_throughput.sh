# executor_throughput: 1,000,000 trivial jobs in waves of 1,000 on a
# 2-worker pool; jobs/s. cio (both wakeups) vs libuv (UV_THREADPOOL_SIZE=2).
. "$(dirname "$0")/lib.sh"
n=${EXECUTOR_JOBS:-1000000}
out=$("$BENCH_BIN/bench_executor_throughput" "$n")
cio_ev=$(field jobs_per_s "$(printf '%s\n' "$out" | grep mode=eventfd)")
cio_mr=$(field jobs_per_s "$(printf '%s\n' "$out" | grep mode=msg_ring)")
cio_best=$(field jobs_per_s "$(printf '%s\n' "$out" | grep mode=auto)")
cio_cpu=$(field cpu_ns_per_job "$(printf '%s\n' "$out" | grep mode=auto)")
echo "cio jobs_per_s=$cio_best cpu_ns_per_job=$cio_cpu (default wakeup; eventfd=$cio_ev msg_ring=${cio_mr:-n/a})"
if [ -x "$BENCH_BIN/peer_executor_throughput_uv" ]; then
  uv=$(UV_THREADPOOL_SIZE=2 "$BENCH_BIN/peer_executor_throughput_uv" "$n")
  uv_j=$(field jobs_per_s "$uv")
  uv_cpu=$(field cpu_ns_per_job "$uv")
  echo "libuv jobs_per_s=$uv_j cpu_ns_per_job=$uv_cpu"
  echo "ratio cio/libuv=$(ratio "$cio_best" "$uv_j") (target >= 2)"
  echo "cpu ratio libuv/cio=$(ratio "$uv_cpu" "$cio_cpu") (CPU per job; steadier on a shared machine)"
fi
