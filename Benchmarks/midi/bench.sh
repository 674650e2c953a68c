#!/usr/bin/env bash
# MIDI reading benchmark (issue 2 §5), run from the package root:
#   bash Benchmarks/midi/bench.sh [CORPUS_DIR]       (default ../shared/corpus)
# 1. Whole-process wall time of `tunesmith inspect CORPUS` (release build), best of 5;
# 2. in-process parse time of the same files with symusic and with mido (best of 3 / 1);
# 3. peak memory of `tunesmith dump` / `inspect` on a synthetic ~64 MB file, as a multiple of its size.
# Environment: TUNESMITH=path/to/release/tunesmith to skip the build; PYTHON=python with mido and
# symusic to skip the venv (default: creates Benchmarks/.venv-midi and pip-installs them).
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
cd "$root"
CORPUS=${1:-../shared/corpus}
OUT=Benchmarks/out/midi
mkdir -p "$OUT"
[ -d "$CORPUS" ] || { echo "error: corpus folder $CORPUS not found" >&2; exit 2; }

bench_tunesmith
if [ -z "${PYTHON:-}" ]; then
    bench_venv Benchmarks/.venv-midi "mido, symusic" mido symusic
    PYTHON=Benchmarks/.venv-midi/bin/python
fi
"$PYTHON" -c 'import mido, symusic' || { echo "error: $PYTHON lacks mido or symusic" >&2; exit 2; }

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
best=""
"$TUNESMITH" inspect "$CORPUS" > "$OUT/inspect.txt"   # warm the page cache
for i in 1 2 3 4 5; do
    t0=$(now); "$TUNESMITH" inspect "$CORPUS" > "$OUT/inspect.txt"; t1=$(now)
    t=$(calc "$t1 - $t0")
    if [ -z "$best" ] || [ "$(calc "($t < $best) ? 1 : 0")" = 1 ]; then best=$t; fi
done
totals=$(tail -1 "$OUT/inspect.txt")
read -r _ sym_s files sym_notes < <("$PYTHON" Benchmarks/midi/parse_python.py "$CORPUS" symusic 3)
read -r _ mido_s _ mido_notes < <("$PYTHON" Benchmarks/midi/parse_python.py "$CORPUS" mido 1)

printf '\nMIDI reading, %s files under %s (%s cores)\n' "$files" "$CORPUS" "$(nproc)"
printf '  tunesmith inspect (whole process, wall): %8.3f s   %s\n' "$best" "$totals"
printf '  symusic in-process parse:                %8.3f s   %s notes\n' "$sym_s" "$sym_notes"
printf '  mido in-process parse:                   %8.3f s   %s notes\n' "$mido_s" "$mido_notes"
printf '  tunesmith vs symusic: %.1fx faster; vs mido: %.1fx faster\n' \
    "$(calc "$sym_s / $best")" "$(calc "$mido_s / $best")"

BIG=$OUT/big.mid
"$PYTHON" Benchmarks/midi/make_big_midi.py "$BIG" 64
size=$(stat -c %s "$BIG")
base=$(/usr/bin/time -f %M "$TUNESMITH" --version 2>&1 >/dev/null | tail -1)
dump_kb=$(/usr/bin/time -f %M "$TUNESMITH" dump "$BIG" 2>&1 >/dev/null | tail -1)
insp_kb=$(/usr/bin/time -f %M "$TUNESMITH" inspect "$BIG" 2>&1 >/dev/null | tail -1)
printf '\nPeak memory reading a %.1f MB file (%s events): process baseline %d KB\n' \
    "$(calc "$size / 1000000")" "$(( (size - 14) / 4 ))" "$base"
printf '  tunesmith dump:    peak %7d KB = %.1fx the file size (%.1fx above the baseline)\n' \
    "$dump_kb" "$(calc "$dump_kb * 1024 / $size")" "$(calc "($dump_kb - $base) * 1024 / $size")"
printf '  tunesmith inspect: peak %7d KB = %.1fx the file size (%.1fx above the baseline)\n' \
    "$insp_kb" "$(calc "$insp_kb * 1024 / $size")" "$(calc "($insp_kb - $base) * 1024 / $size")"
rm -f "$BIG"
