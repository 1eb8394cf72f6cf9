#!/bin/sh
# readme_check.sh ROOT — fails if tests/readme_snippet.c no longer holds the
# README's first C example verbatim.
root=$1
python3 - "$root" <<'PY'
import re, sys
root = sys.argv[1]
readme = open(f"{root}/README.md").read()
snippet = open(f"{root}/tests/readme_snippet.c").read()
m = re.search(r"```c\n(#include <cio.h>.*?)```", readme, re.S)
sys.exit(0 if m and snippet.endswith(m.group(1)) else "README example and tests/readme_snippet.c differ")
PY
