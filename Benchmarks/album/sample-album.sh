#!/usr/bin/env bash
# The sample album against FluidSynth, side by side in one run: `tunesmith album Samples/album.yaml` with every
# track 120 s long (4 tracks: generate + post-process + render to MIDI and FLAC, --jobs 2) against the fluidsynth
# CLI rendering the same four MIDI files to FLAC two at a time (same SoundFont, 44.1 kHz, reverb and chorus off).
# Target (issue 14): the album takes at most 1.0x the fluidsynth CLI's wall time. Beside it, the same album with
# `loudness: off` (the synthesizer's level: no gain, limiter or ReplayGain; loudness is still measured for the report)
# shows what normalising costs, and the CLI run largest file first as slots free up (xargs -P 2) shows what ordering
# the renders is worth (the album renders its heaviest tracks first).
#
# Usage: Benchmarks/album/sample-album.sh [--runs N] [--length 120s]   (writes Benchmarks/out/sample-album/report.md)
# Env: TUNESMITH=path/to/tunesmith (skip the build), MODEL=path (instead of the embedded default model).
# Needs fluidsynth (apt-get install -y fluidsynth).
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
runs=1
length=120s
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --length) length="$2"; shift 2 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
bench_out sample-album
rm -rf "${out:?}"/* 
bench_tunesmith
command -v fluidsynth >/dev/null || { echo "fluidsynth CLI missing (apt-get install -y fluidsynth)"; exit 1; }
font="$root/Sources/Rendering/Resources/TunesmithGM.sf2"

# The sample album with every track $length long (the spec's own tracks, seeds and settings otherwise).
sed -E "s/^  length: .*/  length: $length/" "$root/Samples/album.yaml" > "$out/album.yaml"
grep -q "length: $length" "$out/album.yaml" || { echo "could not set the length in Samples/album.yaml" >&2; exit 1; }
[ -n "${MODEL:-}" ] && sed -i -E "s|^settings:.*|settings:\n  model: $MODEL|" "$out/album.yaml"

# measure CMD...: prints "WALL CPU" (seconds; CPU = user + system of the command and its children).
measure() {
  python3 -c 'import sys, time, subprocess, resource
t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
w = time.perf_counter() - t; r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(w, r.ru_utime + r.ru_stime)' "$@"
}
load0=$(cut -d" " -f1 /proc/loadavg)

# Alternate the two, best of RUNS each.
cat > "$out/fluidsynth.sh" <<SH
# Two at a time: the album's four MIDI files in two concurrent pairs of renders.
render() { fluidsynth -ni -q -R 0 -C 0 -r 44100 -T flac -F "$out/fluidsynth/\$(basename "\${1%.mid}").flac" "$font" "\$1" >/dev/null 2>&1; }
mkdir -p "$out/fluidsynth"
set -- "$out"/album/*.mid
while [ \$# -gt 0 ]; do
  render "\$1" & p=\$!
  [ \$# -gt 1 ] && render "\$2"
  wait \$p
  shift \$(( \$# > 1 ? 2 : 1 ))
done
SH
# The CLI as a careful user would run it: two at a time as each slot frees up, the largest MIDI file first (so no heavy
# file renders alone at the end; the album orders its renders by their notes the same way).
cat > "$out/fluidsynth-sorted.sh" <<SH
mkdir -p "$out/fluidsynth-sorted"
ls -S "$out"/album/*.mid | xargs -d '\n' -P 2 -I{} sh -c 'fluidsynth -ni -q -R 0 -C 0 -r 44100 -T flac -F "$out/fluidsynth-sorted/\$(basename "\$1" .mid).flac" "$font" "\$1" >/dev/null 2>&1' _ {}
SH
# The generation's share: the same album written as MIDI only (generate + post-process, no audio).
sed -E "s/^  formats: .*/  formats: [mid]/" "$out/album.yaml" > "$out/album-mid.yaml"
# Without normalising: the synthesizer's own level (loudness still measured for the manifest).
sed -E "s/^settings:.*/settings:\n  loudness: off/" "$out/album.yaml" > "$out/album-raw.yaml"
grep -q "loudness: off" "$out/album-raw.yaml" || { echo "could not set loudness: off" >&2; exit 1; }
ts=(); fs=(); ms=(); rs=(); ss=()
for r in $(seq "$runs"); do
  rm -rf "$out/album-mid"
  ms+=("$(measure "$TUNESMITH" album "$out/album-mid.yaml" -o "$out/album-mid" --jobs 2)")
  rm -rf "$out/album"
  ts+=("$(measure "$TUNESMITH" album "$out/album.yaml" -o "$out/album" --jobs 2)")
  rm -rf "$out/fluidsynth"
  fs+=("$(measure bash "$out/fluidsynth.sh")")
  rm -rf "$out/fluidsynth-sorted"
  ss+=("$(measure bash "$out/fluidsynth-sorted.sh")")
  rm -rf "$out/album-raw"
  rs+=("$(measure "$TUNESMITH" album "$out/album-raw.yaml" -o "$out/album-raw" --jobs 2)")
done
best() { printf '%s\n' "$@" | sort -g | head -1; }
read -r tw tc <<<"$(best "${ts[@]}")"
read -r fw fc <<<"$(best "${fs[@]}")"
read -r mw mc <<<"$(best "${ms[@]}")"
read -r rw rc <<<"$(best "${rs[@]}")"
read -r sw sc <<<"$(best "${ss[@]}")"
count=$(ls "$out"/album/*.mid | wc -l)
flacs=$(ls "$out"/fluidsynth/*.flac | wc -l)
audio=$(python3 -c "import json; m=json.load(open('$out/album/manifest.json')); print(round(sum(t['durationSeconds'] for t in m['tracks']), 1))")
notes=$(python3 -c "import json; m=json.load(open('$out/album/manifest.json')); print(sum(t['notes'] for t in m['tracks']))")
# Each round runs the album and the CLI back to back: their ratio per round is robust to the machine's slower spells.
rounds=$(for i in "${!ts[@]}"; do echo "${ts[$i]%% *} ${fs[$i]%% *}"; done | tr '\n' ',')
python3 - "$out/report.md" "$tw" "$tc" "$fw" "$fc" "$runs" "$load0" "$count" "$flacs" "$audio" "$notes" "$length" "$mw" "$mc" "$rw" "$rc" "$rounds" "$sw" "$sc" <<'PY'
import os, sys, statistics
path, tw, tc, fw, fc = sys.argv[1], *map(float, sys.argv[2:6])
runs, load0, count, flacs, audio, notes, length = sys.argv[6:13]
mw, mc, rw, rc = map(float, sys.argv[13:17])
ratios = sorted(float(a) / float(b) for a, b in (r.split() for r in sys.argv[17].split(",") if r.strip()))
sw, sc = map(float, sys.argv[18:20])
q = len(ratios) // 4
lines = [
    f"# Sample album ({count} tracks x {length}) vs the fluidsynth CLI rendering its MIDI files two at a time",
    "",
    f"Machine: {os.cpu_count()} cores, 1-min load average {float(load0):.2f} at start, {os.getloadavg()[0]:.2f} at end; best of {runs} run(s); "
    f"{audio} s of music, {notes} notes; fluidsynth wrote {flacs} FLAC files.",
    "",
    "| run | wall time (s) | CPU time (s) |",
    "|---|---:|---:|",
    f"| tunesmith album Samples/album.yaml (length {length}, --jobs 2: generate, process, MIDI + FLAC, manifest, page) | {tw:.2f} | {tc:.2f} |",
    f"| fluidsynth CLI, the same {count} MIDI files to FLAC, two at a time | {fw:.2f} | {fc:.2f} |",
    f"| fluidsynth CLI, the same files two at a time as slots free up, largest file first | {sw:.2f} | {sc:.2f} |",
    f"| tunesmith album, the same album as MIDI only (generation + post-processing) | {mw:.2f} | {mc:.2f} |",
    f"| tunesmith album, the same album with loudness: off (MIDI + FLAC at the synthesizer's level, no gain, limiter or ReplayGain) | {rw:.2f} | {rc:.2f} |",
    "",
    f"tunesmith / fluidsynth = **{tw / fw:.2f}x** wall (target <= 1.0x), {tc / fc:.2f}x CPU; "
    f"with loudness: off {rw / fw:.2f}x wall, {rc / fc:.2f}x CPU; against the CLI largest file first {tw / sw:.2f}x wall.",
    f"Round by round (the album and the CLI run back to back): median {statistics.median(ratios):.2f}x wall "
    f"(quartiles {ratios[q]:.2f}-{ratios[-1 - q]:.2f}x over {len(ratios)} rounds).",
]
open(path, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
