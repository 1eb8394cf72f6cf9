#!/usr/bin/env bash
# bench/suites/crawl.sh — 2,000 GETs of 16 KiB files from a local nginx,
# 100 in flight: cio (libcurl on the loop) vs curl --parallel, Python
# gevent + urllib (the seeds' way) and Python asyncio + aiohttp.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
N=${CRAWL_N:-2000} INFLIGHT=${CRAWL_INFLIGHT:-100}
tmp=$(mktemp -d /tmp/cio-bench-crawl-XXXXXX)
nginx_pid=
cleanup() { [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

chmod 755 "$tmp"   # nginx workers run as nobody when started by root
mkdir -p "$tmp/www" "$tmp/logs"
$PY - "$tmp/www" "$N" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    with open(os.path.join(d, "f%05d.bin" % i), "wb") as f:
        f.write(os.urandom(16384))
PY
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$tmp/nginx.conf" <<CONF
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/octet-stream;
  client_body_temp_path $tmp/body; proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fcgi; uwsgi_temp_path $tmp/uwsgi; scgi_temp_path $tmp/scgi;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$port backlog=4096; root $tmp/www; }
}
CONF
nginx -p "$tmp" -c "$tmp/nginx.conf" -g 'daemon off;' 2>"$tmp/logs/stderr" &
nginx_pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/f00000.bin" && break; sleep 0.05; done

urls="$tmp/urls.txt" cfg="$tmp/curl.cfg"
for i in $(seq 0 $((N - 1))); do printf 'http://127.0.0.1:%d/f%05d.bin\n' "$port" "$i"; done > "$urls"
sed 's/.*/url = "&"\noutput = "\/dev\/null"/' "$urls" > "$cfg"

cio=$("$BENCH_BIN/bench_crawl" "$urls" "$INFLIGHT" || true)
echo "cio:     $cio"
cio_rps=$(field requests_per_s "$cio")

t0=$(date +%s%N)
curl -s --parallel --parallel-max "$INFLIGHT" -K "$cfg" >/dev/null 2>&1
t1=$(date +%s%N)
curl_rps=$(awk -v n="$N" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
echo "curl:    requests=$N seconds=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f", ns / 1e9 }') requests_per_s=$curl_rps"

gevent=$($PY "$BENCH_PEERS/crawl_gevent.py" "$urls" "$INFLIGHT" 2>/dev/null || echo "requests_per_s=0")
echo "gevent:  $gevent"
aiohttp=$($PY "$BENCH_PEERS/crawl_aiohttp.py" "$urls" "$INFLIGHT" 2>/dev/null || echo "requests_per_s=0")
echo "aiohttp: $aiohttp"

echo "crawl cio_rps=$cio_rps curl_parallel_rps=$curl_rps gevent_urllib_rps=$(field requests_per_s "$gevent") aiohttp_rps=$(field requests_per_s "$aiohttp")"
echo "crawl ratio_vs_curl=$(ratio "$cio_rps" "$curl_rps") (target >= 0.9)" \
     "ratio_vs_gevent=$(ratio "$cio_rps" "$(field requests_per_s "$gevent")") (target >= 3)" \
     "ratio_vs_aiohttp=$(ratio "$cio_rps" "$(field requests_per_s "$aiohttp")") (target >= 1.5)"
