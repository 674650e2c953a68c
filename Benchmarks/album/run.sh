#!/usr/bin/env bash
# Album export benchmark: an album of 8 tracks x 60 s to FLAC, `tunesmith album --jobs 2` vs `--jobs 1`
# (target: jobs 2 takes <= 0.6x the wall time of jobs 1 on a 2-core machine), and time per track against
# rendering the same tracks' MIDI files one by one with the fluidsynth CLI (same SoundFont, 44.1 kHz,
# reverb and chorus off, FLAC output).
#
# Usage: Benchmarks/album/run.sh [--runs N]     (writes Benchmarks/out/album/report.md)
# Needs: swift, fluidsynth (apt-get install -y fluidsynth), the committed Samples/Models/paper.tsmodel.
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
cd "$root"
ROOT=$root
RUNS=1
[[ "${1:-}" == "--runs" ]] && RUNS=$2
OUT=$ROOT/Benchmarks/out/album
rm -rf "$OUT" && mkdir -p "$OUT"

bench_tunesmith .build-album
TS=$TUNESMITH
FONT=$ROOT/Sources/Rendering/Resources/TunesmithGM.sf2
command -v fluidsynth >/dev/null || { echo "fluidsynth CLI missing (apt-get install -y fluidsynth)"; exit 1; }

spec() {  # spec FORMATS
  cat <<YAML
album: Benchmark Album
artist: Tunesmith Benchmarks
settings:
  model: $ROOT/Samples/Models/paper.tsmodel
  length: 60s
  tempo: 120
  formats: [$1]
tracks: {count: 8, seed: 1000}
YAML
}
spec flac > "$OUT/flac.yaml"
spec mid > "$OUT/mid.yaml"

# measure CMD...: prints "WALL CPU" (seconds; CPU = user + system of the command and its children).
measure() {
  python3 -c 'import sys, time, subprocess, resource
t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
w = time.perf_counter() - t; r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(w, r.ru_utime + r.ru_stime)' "$@"
}
best() { sort -g | head -1; }
LOAD0=$(cut -d" " -f1 /proc/loadavg)

# tunesmith album, --jobs 1 and --jobs 2 (fresh folder each run; best of RUNS).
declare -A T C
for jobs in 1 2; do
  for r in $(seq "$RUNS"); do
    rm -rf "$OUT/j$jobs"
    measure "$TS" album "$OUT/flac.yaml" -o "$OUT/j$jobs" --jobs $jobs
  done | best > "$OUT/t$jobs"
  T[$jobs]=$(cut -d" " -f1 "$OUT/t$jobs"); C[$jobs]=$(cut -d" " -f2 "$OUT/t$jobs")
done
cmp -s "$OUT/j1/manifest.json" "$OUT/j2/manifest.json" && SAME=yes || SAME=no

# The same tracks as MIDI, then fluidsynth CLI one by one.
"$TS" album "$OUT/mid.yaml" -o "$OUT/mid" --jobs 2 > /dev/null
mkdir -p "$OUT/fluidsynth"
cat > "$OUT/fluidsynth.sh" <<SH
for f in "$OUT"/mid/*.mid; do
  fluidsynth -ni -q -R 0 -C 0 -g 0.2 -r 44100 -T flac -F "$OUT/fluidsynth/\$(basename "\${f%.mid}").flac" "$FONT" "\$f" >/dev/null 2>&1
done
SH
for r in $(seq "$RUNS"); do measure bash "$OUT/fluidsynth.sh"; done | best > "$OUT/tfs"
TFS=$(cut -d" " -f1 "$OUT/tfs"); CFS=$(cut -d" " -f2 "$OUT/tfs")

AUDIO=$(python3 -c "import json; m=json.load(open('$OUT/j1/manifest.json')); print(sum(t['durationSeconds'] for t in m['tracks']))")
python3 - "$OUT" "${T[1]}" "${T[2]}" "$TFS" "$AUDIO" "$SAME" "$RUNS" "${C[1]}" "${C[2]}" "$CFS" "$LOAD0" <<'PY'
import os, sys
out, t1, t2, tfs, audio, same, runs = sys.argv[1], *map(float, sys.argv[2:6]), sys.argv[6], sys.argv[7]
c1, c2, cfs, load0 = map(float, sys.argv[8:12])
load = os.getloadavg()
rows = [
    ("tunesmith album --jobs 1", t1, c1), ("tunesmith album --jobs 2", t2, c2), ("fluidsynth CLI, one track at a time", tfs, cfs),
]
lines = [
    "# Album benchmark: 8 tracks x 60 s to FLAC (paper model, bundled TunesmithGM.sf2, 44.1 kHz, reverb/chorus off)",
    "",
    f"Machine: {os.cpu_count()} cores, 1-min load average {load0:.2f} at start, {load[0]:.2f} at end; best of {runs} run(s); music {audio:.0f} s in total.",
    "",
    "| run | wall time (s) | per track (s) | x real time | CPU time (s) | CPU / wall |",
    "|---|---:|---:|---:|---:|---:|",
]
for name, t, c in rows:
    lines.append(f"| {name} | {t:.2f} | {t/8:.2f} | {audio/t:.1f} | {c:.2f} | {c/t:.2f} |")
lines += ["", f"--jobs 2 / --jobs 1 = **{t2/t1:.2f}x** (target <= 0.6x); identical manifests (same bytes) for jobs 1 and 2: {same}.",
          f"tunesmith --jobs 1 per track (generate + render + FLAC + SHA-256 + manifest + page) vs fluidsynth CLI per track (render only): {t1/8:.2f} s vs {tfs/8:.2f} s."]
open(os.path.join(out, "report.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
