#!/usr/bin/env bash
# --messy output: recorded bytes, a UTF-8 BOM, CRLF on every line, blank
# lines, a quoted field with a comma and the "2l6"-style score.
set -eu
(cd out && sha256sum -c --quiet ../expected.sha256)
f=out/class-2025.csv
[ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' ')" = efbbbf ]
[ "$(grep -c $'\r$' "$f")" = "$(wc -l <"$f")" ]
grep -q $'^\r$' "$f"
grep -q '"Surgery, General"\|"see advisor note ""A"""\|"moved to another campus, returned"' "$f"
grep -Eq '^S2025-[0-9]{4},2025,[0-9]l[0-9],' "$f"
