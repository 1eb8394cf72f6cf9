# bench/suites/lib.sh — helpers sourced by suites (not a suite itself).
# ratio A B: prints A/B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
# field NAME OUTPUT: the value of "NAME=value" in a benchmark's output.
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }
have() { command -v "$1" >/dev/null 2>&1; }
# min A B: the smaller number (B when A is empty).
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }
PY=/usr/bin/python3
# gobuild NAME: builds $BENCH_PEERS/NAME.go (GOPATH mode, no network) into
# $BENCH_BIN/go/ and prints the binary's path.
gobuild() {
  mkdir -p "$BENCH_BIN/go"
  GO111MODULE=off go build -o "$BENCH_BIN/go/$1" "$BENCH_PEERS/$1.go" >&2
  printf '%s\n' "$BENCH_BIN/go/$1"
}
