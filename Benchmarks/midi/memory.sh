#!/usr/bin/env bash
# Note-model memory benchmark (issue 17 §4), run from the package root:
#   bash Benchmarks/midi/memory.sh [EVENTS]          (default 1000000)
# Writes a synthetic file of EVENTS events (16 tracks of note_on/note_off pairs, make_big_midi.py), then measures
# the peak resident memory (`/usr/bin/time -v`, "Maximum resident set size") of, side by side in the same run:
#   tunesmith process BIG.mid -o OUT.mid --process quantize:grid=1/16   (read into Performance, quantise, write MIDI)
#   symusic  Score(BIG).resample(tpq=4, min_dur=1).dump_midi(OUT)       (its quantisation to a 1/16 grid)
#   mido     MidiFile(BIG).save(OUT)                                    (read every event, write them back)
# and each tool's process baseline (`tunesmith --version`; Python importing the library), and reports the peaks,
# the bytes per event above the baseline and the ratios.
# Environment: TUNESMITH=path/to/release/tunesmith to skip the build; PYTHON=python with mido and symusic to skip
# the venv (default: Benchmarks/.venv-midi, created with both).
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
cd "$root"
EVENTS=${1:-1000000}
bench_out midi
bench_tunesmith
if [ -z "${PYTHON:-}" ]; then
    bench_venv Benchmarks/.venv-midi "mido, symusic" mido symusic
    PYTHON=Benchmarks/.venv-midi/bin/python
fi
"$PYTHON" -c 'import mido, symusic' || { echo "error: $PYTHON lacks mido or symusic" >&2; exit 2; }

BIG=$out/memory-big.mid
# make_big_midi.py writes 4 bytes per event: SIZE_MB = EVENTS * 4 / 1e6.
"$PYTHON" Benchmarks/midi/make_big_midi.py "$BIG" "$(awk "BEGIN { print $EVENTS * 4 / 1000000 }")"
events=$(( ($(stat -c %s "$BIG") - 14 - 16 * 12) / 4 ))
peak() {  # peak resident KB of a command (its output discarded)
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }'
}
ts_base=$(peak "$TUNESMITH" --version)
ts_peak=$(peak "$TUNESMITH" process "$BIG" -o "$out/memory-tunesmith.mid" --force --process quantize:grid=1/16)
sym_base=$(peak "$PYTHON" -c 'import symusic')
sym_peak=$(peak "$PYTHON" -c "import sys, symusic; symusic.Score(sys.argv[1]).resample(tpq=4, min_dur=1).dump_midi(sys.argv[2])" "$BIG" "$out/memory-symusic.mid")
mido_base=$(peak "$PYTHON" -c 'import mido')
mido_peak=$(peak "$PYTHON" -c "import sys, mido; mido.MidiFile(sys.argv[1]).save(sys.argv[2])" "$BIG" "$out/memory-mido.mid")
notes_out=$("$TUNESMITH" inspect --json "$out/memory-tunesmith.mid" | "$PYTHON" -c 'import json, sys; d = json.load(sys.stdin); f = d["files"][0] if "files" in d else d[0]; print(f.get("notes", "?"))' 2>/dev/null || echo "?")
rm -f "$BIG"

row() {  # name peak base
    printf '  %-58s peak %7.1f MB  (%5.1f MB baseline, %5.1f bytes/event above it)\n' "$1" \
        "$(awk "BEGIN { print $2 / 1024 }")" "$(awk "BEGIN { print $3 / 1024 }")" "$(awk "BEGIN { print ($2 - $3) * 1024 / $events }")"
}
printf '\nPeak memory processing a file of %d events (%d notes; tunesmith wrote %s notes)\n' "$events" "$((events / 2))" "$notes_out"
row "tunesmith process --process quantize:grid=1/16" "$ts_peak" "$ts_base"
row "symusic Score -> resample(tpq=4) -> dump_midi" "$sym_peak" "$sym_base"
row "mido MidiFile -> save" "$mido_peak" "$mido_base"
printf '  tunesmith / symusic: %.2fx the peak; tunesmith / mido: %.2fx the peak\n' \
    "$(awk "BEGIN { print $ts_peak / $sym_peak }")" "$(awk "BEGIN { print $ts_peak / $mido_peak }")"
