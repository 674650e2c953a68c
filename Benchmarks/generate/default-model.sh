#!/usr/bin/env bash
# Whole-process generation speed of the default model (issue 14's target: >= 20,000 notes/s for 100,000 notes):
# `tunesmith generate --length 100000n` writing a MIDI file, timed from process start to exit (model loading,
# generation and writing included), median of RUNS; beside it, the generation-only figure `--timing` prints.
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

walls=(); gens=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  line=$("$TUNESMITH" generate ${model_args[@]+"${model_args[@]}"} --length "${notes}n" --seed "$i" -o "$out/piece.mid" --force --timing | grep '^timing:')
  end=$(date +%s.%N)
  walls+=("$(python3 -c "print($end - $start)")")
  gens+=("$(echo "$line" | sed -E 's/timing: generate ([0-9.]+) ms.*/\1/')")
done
wall=$(median "${walls[@]}")
gen=$(median "${gens[@]}")
echo "model: ${MODEL:-embedded default model}"
echo "machine: $(nproc) cores, 1-minute load average at the end $(cut -d' ' -f1 /proc/loadavg)"
echo "tunesmith generate --length ${notes}n, whole process (median of $runs): $(python3 -c "print(f'{$wall:.2f} s, {$notes / $wall:,.0f} notes/s')")   [runs: ${walls[*]}]"
echo "generation alone (--timing, median): $(python3 -c "print(f'{$gen / 1000:.2f} s, {$notes / ($gen / 1000):,.0f} notes/s')")"
