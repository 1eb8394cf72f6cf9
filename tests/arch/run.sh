#!/usr/bin/env bash
# tests/arch/run.sh — builds switch_test.c for x86-64 (native) and aarch64
# (cross-compiled, run under qemu-aarch64), and checks both print the same.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
src=("$root/tests/arch/switch_test.c" "$root/coro/coro.c" "$root/coro/ctx_asm.c" "$root/base/alloc.c" "$root/base/error.c")
flags=(-std=gnu11 -O2 -D_GNU_SOURCE -DCIO_CTX_ASM -I"$root" -I"$root/include" -lm)
cc "${src[@]}" "$root/coro/switch_x86_64.S" "${flags[@]}" -o "$out/x86_64"
aarch64-linux-gnu-gcc -static "${src[@]}" "$root/coro/switch_aarch64.S" "${flags[@]}" -o "$out/aarch64"
"$out/x86_64" > "$out/x86_64.txt"
qemu-aarch64 "$out/aarch64" > "$out/aarch64.txt"
cat "$out/aarch64.txt"
diff "$out/x86_64.txt" "$out/aarch64.txt"
