#!/usr/bin/env bash
# check.sh PREFIX — builds a tiny program against an installed cio twice,
# with find_package(cio) and with pkg-config, and runs both.
set -euo pipefail
prefix=$1 here=$(cd "$(dirname "$0")" && pwd) work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake -S "$here" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
make -C "$work/cmake" >/dev/null
LD_LIBRARY_PATH="$prefix/lib:$prefix/lib64:$prefix/lib/x86_64-linux-gnu" "$work/cmake/consumer"
pcdir=$(dirname "$(find "$prefix" -name cio.pc | head -1)")
cc -o "$work/pc" "$here/consumer.c" $(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs cio)
LD_LIBRARY_PATH="$(dirname "$(find "$prefix" -name 'libcio.so' | head -1)")" "$work/pc"
