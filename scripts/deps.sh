#!/usr/bin/env bash
# scripts/deps.sh [build|test|bench|demo] — installs the Debian packages cio
# needs for that purpose when any is missing (apt-get, as root or via sudo).
set -euo pipefail
base=(build-essential cmake pkg-config liburing-dev libcurl4-openssl-dev)
case "${1:-build}" in
  build|demo) want=("${base[@]}") ;;
  test) want=("${base[@]}" valgrind python3 gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user) ;;
  bench) want=("${base[@]}" libuv1-dev python3 python3-gevent python3-aiohttp python3-uvloop golang-go nginx-light curl) ;;
  *) echo "usage: $0 [build|test|bench|demo]" >&2; exit 2 ;;
esac
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
