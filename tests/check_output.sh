#!/bin/sh
# check_output.sh BINARY EXPECTED — runs an example in a scratch directory and
# compares its standard output with the expected text.
set -u
bin=$1 exp=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
"$bin" >out.txt 2>err.txt
rc=$?
if [ $rc -eq 77 ]; then cat out.txt; exit 77; fi
if [ $rc -ne 0 ]; then echo "exit code $rc"; cat err.txt; exit 1; fi
diff -u "$exp" out.txt
