#!/usr/bin/env bash
# scripts/test.sh — installs what the tests need (Debian packages) and runs
# the whole suite in every configuration CI checks:
#   debug      -Werror, every test under 4 io_uring ring configurations
#   release    optimised (LTO, the pools' inline fast paths), every ring configuration
#   asan       AddressSanitizer + UndefinedBehaviorSanitizer
#   tsan       ThreadSanitizer (the tests labelled "threads")
#   ucontext   the portable context-switch fallback
#   valgrind   the core tests under memcheck (stacks registered with Valgrind)
#   arch       the context switch on x86-64 and on aarch64 (cross-built, under qemu)
#   install    install to a prefix, build a consumer with find_package and pkg-config
# Usage: scripts/test.sh [config...]   (default: all)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" test || exit 1
jobs=$(nproc)
passed=0 failed=0 failures=()

configure_build() { # dir, cmake args...
  local dir=$1; shift
  cmake -S "$root" -B "$root/$dir" -DCIO_WERROR=ON -DCIO_BUILD_BENCH=OFF "$@" >/dev/null &&
    make -C "$root/$dir" -j"$jobs" 2>&1 | grep -E "warning:|error:" ; return "${PIPESTATUS[0]}"
}

run_ctest() { # name, dir, ctest args...
  local name=$1 dir=$2; shift 2
  echo "=== $name"
  local log; log=$(mktemp)
  ctest --test-dir "$root/$dir" -j"$jobs" --output-on-failure "$@" 2>&1 | tee "$log" | tail -n 40
  # What failed, wherever in the log it is (the tail above can cut it off).
  grep -E "CHECK failed|runtime error|ERROR: AddressSanitizer|WARNING: ThreadSanitizer|Timeout" "$log" | head -n 20
  local p f
  p=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2 \1/p' "$log" | awk '{print $1-$2}')
  f=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of.*/\1/p' "$log")
  [ -z "$p" ] && { p=0; f=1; }
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" -ne 0 ] && failures+=("$name")
  rm -f "$log"
}

cfg_debug()    { configure_build build-debug -DCMAKE_BUILD_TYPE=Debug && run_ctest debug build-debug; }
cfg_release()  { configure_build build-relwd -DCMAKE_BUILD_TYPE=RelWithDebInfo && run_ctest release build-relwd; }
cfg_asan()     { configure_build build-asan -DCMAKE_BUILD_TYPE=Debug -DCIO_SANITIZE=address,undefined &&
                 ASAN_OPTIONS=detect_leaks=1 run_ctest asan+ubsan build-asan; }
cfg_tsan()     { configure_build build-tsan -DCMAKE_BUILD_TYPE=Debug -DCIO_SANITIZE=thread &&
                 TSAN_OPTIONS=halt_on_error=1 run_ctest tsan build-tsan -L threads; }
cfg_ucontext() { configure_build build-ucontext -DCMAKE_BUILD_TYPE=Debug -DCIO_UCONTEXT=ON &&
                 run_ctest ucontext build-ucontext -E '\.(coop|plain|tiny)$'; }
cfg_valgrind() {
  echo "=== valgrind"
  [ -d "$root/build-debug" ] || configure_build build-debug -DCMAKE_BUILD_TYPE=Debug || return 1
  for t in test_task test_loop test_cancel; do
    if valgrind -q --error-exitcode=3 "$root/build-debug/tests/$t" >/dev/null 2>"$root/build-debug/$t.vg"; then
      passed=$((passed + 1)); echo "valgrind $t: ok"
    else
      failed=$((failed + 1)); failures+=("valgrind $t"); tail -20 "$root/build-debug/$t.vg"
    fi
  done
}
cfg_arch() {
  echo "=== arch"
  if "$root/tests/arch/run.sh"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=(arch); fi
}
cfg_install()  {
  echo "=== install"
  local prefix; prefix=$(mktemp -d)
  if configure_build build-release -DCMAKE_BUILD_TYPE=Release -DCIO_BUILD_TESTS=OFF -DCMAKE_INSTALL_PREFIX="$prefix" &&
     cmake --install "$root/build-release" >/dev/null &&
     "$root/tests/consumer/check.sh" "$prefix"; then
    passed=$((passed + 1)); echo "install: consumer builds and runs"
  else
    failed=$((failed + 1)); failures+=(install)
  fi
  rm -rf "$prefix"
}

configs=("$@")
[ ${#configs[@]} -eq 0 ] && configs=(debug release asan tsan ucontext valgrind arch install)
for c in "${configs[@]}"; do
  "cfg_$c" || { [ "$c" = install ] || { failed=$((failed + 1)); failures+=("$c (build)"); }; }
done
echo
[ ${#failures[@]} -gt 0 ] && echo "failed configurations: ${failures[*]}"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
