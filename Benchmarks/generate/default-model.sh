#!/usr/bin/env bash
# Whole-process generation speed of the default model (issue 14's target: >= 20,000 notes/s for 100,000 notes):
# `tunesmith generate --length 100000n` writing a MIDI file, timed from process start to exit (model loading,
# generation and writing included; wall and CPU = user + system, since a loaded machine inflates wall time), median
# of RUNS; beside it, the generation-only CPU figure `--timing` prints.
# Stateful models step once per note; windowed models (the paper's, older files) re-read their window per note.
#
# Usage: Benchmarks/generate/default-model.sh [NOTES] [RUNS]      (defaults 100000 and 3)
# Env: TUNESMITH=path/to/tunesmith (skip the build), MODEL=path (default: the embedded default model).
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
notes="${1:-100000}"
runs="${2:-3}"
bench_out generate-default
bench_tunesmith
model_args=()
[ -n "${MODEL:-}" ] && model_args=(--model "$MODEL")

# run: prints "WALL CPU" of one whole tunesmith process (seconds; CPU = user + system), its --timing line to timing.txt.
run() {
  python3 -c 'import sys, time, subprocess, resource
t = time.perf_counter(); p = subprocess.run(sys.argv[2:], check=True, capture_output=True, text=True)
w = time.perf_counter() - t; r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(p.stdout); print(w, r.ru_utime + r.ru_stime)' "$out/timing.txt" "$@"
}
walls=(); cpus=(); gens=()
for i in $(seq 1 "$runs"); do
  read -r w c <<<"$(run "$TUNESMITH" generate ${model_args[@]+"${model_args[@]}"} --length "${notes}n" --seed "$i" -o "$out/piece.mid" --force --timing)"
  walls+=("$w"); cpus+=("$c")
  gens+=("$(grep '^timing:' "$out/timing.txt" | sed -E 's/timing: generate ([0-9.]+) ms, ([0-9.]+) ms CPU.*/\2/')")
done
wall=$(median "${walls[@]}")
cpu=$(median "${cpus[@]}")
gen=$(median "${gens[@]}")
echo "model: ${MODEL:-embedded default model}"
echo "machine: $(nproc) cores, 1-minute load average at the end $(cut -d' ' -f1 /proc/loadavg)"
echo "tunesmith generate --length ${notes}n, whole process (median of $runs): $(python3 -c "print(f'{$wall:.2f} s wall, {$notes / $wall:,.0f} notes/s; {$cpu:.2f} CPU-s, {$notes / $cpu:,.0f} notes per CPU-s')")   [wall: ${walls[*]}; CPU: ${cpus[*]}]"
echo "generation alone (--timing, median CPU): $(python3 -c "print(f'{$gen / 1000:.2f} CPU-s, {$notes / ($gen / 1000):,.0f} notes per CPU-s')")"
