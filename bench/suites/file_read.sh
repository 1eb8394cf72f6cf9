#!/usr/bin/env bash
# bench/suites/file_read.sh — read a 1 GiB file in 128 KiB chunks, 16 reads
# in flight: cio (bench_file_read_cio) against a hand-written liburing
# reader (peer_file_read_uring), `dd bs=128K` and `cat > /dev/null`.
# The file (random bytes) is made in a temporary directory under
# build-bench/, i.e. on the repository's disk, and deleted afterwards.
# Warm pass: page cache warm (one untimed warm-up read first); every reader
# runs FILE_READ_RUNS times (default 3), the best counts. Cold pass (only as
# root, when /proc/sys/vm/drop_caches is writable): the page cache is
# dropped before each run. Every reader is timed the same way, by wall
# clock around the whole process (exec, open, reads, close, exit);
# GB/s = 10^9 bytes per second.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS=${FILE_READ_RUNS:-3} MIB=${FILE_READ_MIB:-1024}
tmp=$(mktemp -d "$BENCH_ROOT/build-bench/file-read-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
f="$tmp/data.bin"
df -h "$tmp" | tail -1 | awk '{ print "file system: " $1 " (" $4 " free) for " d }' d="$tmp"
dd if=/dev/urandom of="$f" bs=1M count="$MIB" status=none
sync "$f"
bytes=$(stat -c %s "$f")

readers=(cio liburing dd cat)
read_once() {
  case $1 in
    cio) "$BENCH_BIN/bench_file_read_cio" "$f" 131072 16 >/dev/null ;;
    liburing) "$BENCH_BIN/peer_file_read_uring" "$f" 131072 16 >/dev/null ;;
    dd) dd if="$f" of=/dev/null bs=128K status=none ;;
    cat) cat "$f" > /dev/null ;;
  esac
}
# best NAME COLD: the best GB/s of RUNS runs (dropping caches first if COLD).
best() {
  local b=0 t0 t1 g
  for _ in $(seq "$RUNS"); do
    [ "$2" = 1 ] && { sync; echo 3 > /proc/sys/vm/drop_caches; }
    t0=$(date +%s%N); read_once "$1"; t1=$(date +%s%N)
    g=$(awk -v n="$bytes" -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f", n / ns }')
    b=$(awk -v a="$g" -v b="$b" 'BEGIN { print (a > b) ? a : b }')
  done
  echo "$b"
}
# pass LABEL COLD: runs every reader and prints the table and a result line.
pass() {
  declare -A gb
  for r in "${readers[@]}"; do gb[$r]=$(best "$r" "$2"); done
  printf '%-6s %-9s %8s %12s\n' pass reader GB/s cio/reader
  for r in "${readers[@]}"; do
    printf '%-6s %-9s %8s %12s\n' "$1" "$r" "${gb[$r]}" "$(ratio "${gb[cio]}" "${gb[$r]}")"
  done
  echo "result file_read pass=$1 bytes=$bytes chunk=131072 inflight=16 runs=$RUNS" \
       "cio_gbps=${gb[cio]} liburing_gbps=${gb[liburing]} dd_gbps=${gb[dd]} cat_gbps=${gb[cat]}" \
       "cio_over_liburing=$(ratio "${gb[cio]}" "${gb[liburing]}")" \
       "cio_over_dd=$(ratio "${gb[cio]}" "${gb[dd]}") cio_over_cat=$(ratio "${gb[cio]}" "${gb[cat]}")"
}

# the programs' own figure (timed from open to close), once, for reference
read_once cio >/dev/null   # warm-up: brings the whole file into the page cache
echo "cio:      $("$BENCH_BIN/bench_file_read_cio" "$f" 131072 16)"
echo "liburing: $("$BENCH_BIN/peer_file_read_uring" "$f" 131072 16)"
pass warm 0
if [ -w /proc/sys/vm/drop_caches ] && (sync; echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null; then
  pass cold 1
else
  echo "cold pass skipped: cannot write /proc/sys/vm/drop_caches (needs root)"
fi
