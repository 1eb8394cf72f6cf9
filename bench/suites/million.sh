#!/usr/bin/env bash
# million: 1,000,000 tasks parked in cio_sleep at once; peak RSS, bytes per
# task and page tables, with the default 128 KiB stacks and with 16 KiB
# stacks, at the machine's vm.max_map_count (65530 by default), next to
# 1,000,000 Go goroutines parked in time.Sleep. Target: peak RSS <= 6 GiB.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${MILLION_N:-1000000}
cio=$("$BENCH_BIN/bench_million" "$N" 0); echo "$cio"
small=$("$BENCH_BIN/bench_million" "$N" 16); echo "$small"
c=$(field bytes_per_task "$cio"); s=$(field bytes_per_task "$small")
pt() { awk -v b="$(field page_tables_bytes "$1")" -v n="$N" 'BEGIN { printf "%.0f", b / n }'; }
line="result million cio_rss_peak_gib=$(field rss_peak_gib "$cio") cio_bytes_per_task=$c cio_page_table_bytes_per_task=$(pt "$cio")"
line="$line cio_16k_rss_peak_gib=$(field rss_peak_gib "$small") cio_16k_bytes_per_task=$s cio_16k_page_table_bytes_per_task=$(pt "$small")"
line="$line maps_at_peak=$(field maps_at_peak "$cio") max_map_count=$(field max_map_count "$cio")"
if have go; then
  go=$(GOMAXPROCS=1 "$(gobuild million)" "$N"); echo "$go"
  g=$(field bytes_per_task "$go")
  line="$line go_bytes_per_task=$g cio_over_go=$(ratio "$c" "$g")"
fi
echo "$line target_gib=6"
