#!/usr/bin/env bash
# Tolerant reading of damaged files (CI check, not a benchmark): for every .mid in DIR, `TOOL dump FILE` must
# exit 0 within 5 s, print at least one `warning:` line on stderr, no crash text, and a dump whose first
# line is a header. Prints one line per failing file, then "N read with warnings, M failed"; exit 1 if any failed.
#   usage: Benchmarks/midi/check_tolerant.sh TOOL DIR
set -u
tool=$1 dir=$2
ok=0 bad=0
err=$(mktemp) out=$(mktemp)
for f in "$dir"/*.mid; do
    timeout 5 "$tool" dump "$f" >"$out" 2>"$err"
    rc=$?
    why=""
    if [ $rc -ne 0 ]; then why="exit status $rc: $(head -1 "$err")"
    elif ! grep -q "warning:" "$err"; then why="no warning on stderr"
    elif grep -q "Fatal error" "$err"; then why="crash text on stderr"
    elif ! head -1 "$out" | grep -q '^{"format":'; then why="no header line"
    fi
    if [ -n "$why" ]; then echo "FAIL $f: $why"; bad=$((bad + 1)); else ok=$((ok + 1)); fi
done
rm -f "$err" "$out"
echo "$ok read with warnings, $bad failed"
[ $bad -eq 0 ]
