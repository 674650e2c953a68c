#!/usr/bin/env bash
# Times the full post-processing pipeline (scale + quantize + chords) over a 10,000-note piece
# with the release build of `tunesmith process`. Usage: Benchmarks/processing/run.sh [NOTES] [RUNS]
# Env: TUNESMITH=path/to/tunesmith to skip the build.
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
notes="${1:-10000}"
runs="${2:-5}"
bench_out processing
bench_tunesmith
python3 "$here/make_piece.py" "$out/piece.mid" --notes "$notes" --seed 1 >&2
pipeline=(--process scale:key=auto,mode=major --process quantize:grid=1/16,strength=1 --process chords:style=seventh,every=bar)
process_ms=()
wall_ms=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  line=$("$TUNESMITH" process "$out/piece.mid" -o "$out/processed.mid" --force --timing "${pipeline[@]}" | grep '^timing:')
  stop=$(date +%s%N)
  process_ms+=("$(echo "$line" | sed -E 's/.*process ([0-9.]+) ms.*/\1/')")
  wall_ms+=("$(( (stop - start) / 1000000 ))")
done
echo "pipeline: ${pipeline[*]}"
echo "input: $notes notes ($out/piece.mid), runs: $runs"
echo "processing only: median $(median "${process_ms[@]}") ms, fastest $(fastest "${process_ms[@]}") ms   [runs: ${process_ms[*]}]"
echo "whole command incl. process start, read and write: median $(median "${wall_ms[@]}") ms, fastest $(fastest "${wall_ms[@]}") ms"
echo "machine load (1-minute average): $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores"
