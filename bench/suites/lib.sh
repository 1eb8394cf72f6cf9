# bench/suites/lib.sh — helpers sourced by suites (not a suite itself).
# ratio A B: prints A/B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
# field NAME OUTPUT: the value of "NAME=value" in a benchmark's output.
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }
have() { command -v "$1" >/dev/null 2>&1; }
PY=/usr/bin/python3
