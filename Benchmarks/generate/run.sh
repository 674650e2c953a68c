#!/usr/bin/env bash
# Generation speed, side by side in one run: `tunesmith generate` (release build) vs the same model
# stepped note by note in Keras 3 with predict_on_batch; plus a deterministic parity check of the first
# notes (temperature 0, same three-note primer in both), and the processing pipeline over a 10,000-note
# piece (Benchmarks/processing/run.sh).
#
# Usage: Benchmarks/generate/run.sh [TUNESMITH_NOTES] [KERAS_NOTES] [RUNS]
# Env: TUNESMITH=path/to/tunesmith (skip the build), MODEL=path (default Samples/Models/paper.tsmodel),
#      VENV=python venv with keras + tensorflow-cpu (default Benchmarks/.venv-keras-tf; created if missing).
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
notes="${1:-200000}"
keras_notes="${2:-2000}"
runs="${3:-5}"
model="${MODEL:-$root/Samples/Models/paper.tsmodel}"
venv="${VENV:-$root/Benchmarks/.venv-keras-tf}"
bench_out generate
bench_tunesmith
bench_venv "$venv" keras tensorflow-cpu keras

# 1. tunesmith: generation time only (--timing: wall and process CPU), default sampling, median of RUNS.
rates=()
cpu_rates=()
for i in $(seq 1 "$runs"); do
  line=$("$TUNESMITH" generate --model "$model" --length "${notes}n" --seed "$i" -o "$out/tunesmith.mid" --force --timing | grep '^timing:')
  ms=$(echo "$line" | sed -E 's/timing: generate ([0-9.]+) ms, ([0-9.]+) ms CPU \(([0-9]+) notes.*/\1 \2 \3/')
  read -r wall cpu count <<<"$ms"
  rates+=("$(python3 -c "print(round($count / ($wall / 1000)))")")
  cpu_rates+=("$(python3 -c "print(round($count / ($cpu / 1000)))")")
done
swift_rate=$(median "${rates[@]}")
swift_cpu_rate=$(median "${cpu_rates[@]}")

# 2. Keras: the same model, one predict_on_batch per note.
keras_json=$(KERAS_BACKEND=tensorflow "$venv/bin/python" "$here/keras_generate.py" "$model" --notes "$keras_notes" --dump "$out/keras.json")
field() { echo "$keras_json" | "$venv/bin/python" -c "import json,sys; v=json.load(sys.stdin)['$1']; print(round(v) if isinstance(v, float) else v)"; }
keras_rate=$(field notes_per_second)
keras_cpu_rate=$(field notes_per_cpu_second)
keras_tool=$(field tool)

# 3. Parity: temperature 0 from the same primer; compare the first notes' pitch and velocity.
python3 "$here/make_primer.py" "$out/primer.mid"
"$TUNESMITH" generate --model "$model" --primer "$out/primer.mid" --temperature 0 --length "${keras_notes}n" --stream \
  --seed 1 > "$out/tunesmith.jsonl"
parity=$(python3 - "$out/tunesmith.jsonl" "$out/keras.json" <<'PY'
import json, math, sys
ours = [json.loads(l) for l in open(sys.argv[1])]
# Rebuild Keras's onsets the way tunesmith places them (first note at tick 0, 120 BPM primer: 2 beats per
# model second, 480 ticks per beat); notes sounding at once come out in pitch order, a repeated pitch once.
keras, beats, tick, chord = [], 0.0, None, {}
for i, (p, v, dt) in enumerate(json.load(open(sys.argv[2]))):
    beats = 0.0 if i == 0 else beats + dt * 2
    t = math.floor(beats * 480 + 0.5)
    if t != tick:
        keras += [(tick, q, chord[q]) for q in sorted(chord)]
        tick, chord = t, {}
    chord.setdefault(p, v)
n = min(len(ours), len(keras), 200)
same = 0
for a, (t, p, v) in zip(ours[:n], keras[:n]):
    if (a["start_tick"], a["pitch"], a["velocity"]) != (t, p, v):
        break
    same += 1
print(f"{same} of the first {n} notes identical (onset tick, pitch, velocity)")
PY
)

echo "model: $model"
echo "machine load (1-minute average) at the end: $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores"
echo "tunesmith generate ($notes notes, generation only, median of $runs): $swift_rate notes/s wall, $swift_cpu_rate notes per CPU second   [wall runs: ${rates[*]}]"
echo "$keras_tool ($keras_notes notes): $keras_rate notes/s wall, $keras_cpu_rate notes per CPU second"
echo "speed-up: $(python3 -c "print(f'{$swift_rate / $keras_rate:.0f}x wall, {$swift_cpu_rate / $keras_cpu_rate:.0f}x CPU')")"
echo "parity at temperature 0: $parity"
echo
echo "processing pipeline over a 10,000-note piece (Benchmarks/processing/run.sh):"
TUNESMITH="$TUNESMITH" "$root/Benchmarks/processing/run.sh" 10000 "$runs"
