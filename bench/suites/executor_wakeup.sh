# executor_wakeup: eventfd vs MSG_RING, side by side. (1) latency from a
# call_soon_threadsafe on another thread to the callback on a sleeping loop;
# (2) job round trips with the loop's pre-sleep spin off (CIO_SPIN_NS=0), so
# every round trip pays a worker wake-up and a loop wake-up.
. "$(dirname "$0")/lib.sh"
"$BENCH_BIN/bench_executor_wakeup" "${EXECUTOR_PINGS:-20000}"
CIO_SPIN_NS=0 "$BENCH_BIN/bench_executor_roundtrip" "${EXECUTOR_ROUNDTRIPS_NOSPIN:-50000}" | sed 's/^/nospin /'
