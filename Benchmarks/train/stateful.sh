#!/usr/bin/env bash
# Side-by-side training throughput of the stateful architecture: tunesmith (truncated BPTT over whole songs of
# Samples/Corpus, state carried between chunks) and Keras 3 on JAX (stateful LSTMs, the same layers, heads, batch,
# chunk and optimiser), both on the 2 cores, in one run. Reports notes (targets) per second and the ratio.
#
# Usage: Benchmarks/train/stateful.sh   Environment: TUNESMITH_BIN (prebuilt binary), UNITS (128), LAYERS (2),
# BATCH (8), CHUNK (32), EPOCHS (2: tunesmith's figure is its last epoch's), TRAIN_ARGS (extra `train` options, e.g.
# "--pitch-one-hot --recall" for the default model's 310 inputs; Keras gets the same input width). Creates
# Benchmarks/.venv-keras-jax.
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
units="${UNITS:-128}" layers="${LAYERS:-2}" batch="${BATCH:-8}" chunk="${CHUNK:-32}" epochs="${EPOCHS:-2}"
bench_out train-stateful
bench_venv "$root/Benchmarks/.venv-keras-jax" "keras, jax" keras jax jaxlib
bench_tunesmith
/usr/bin/time -f "%U %S" -o "$out/tunesmith.cpu" "$TUNESMITH" train --corpus "$root/Samples/Corpus" --architecture stateful \
    --layers "$layers" --units "$units" --chunk "$chunk" --timing categorical --styles --epochs "$epochs" --patience 0 \
    --batch-size "$batch" --learning-rate 0.003 --validation 0 --threads 2 ${TRAIN_ARGS:-} -o "$out/model.tsmodel" --force > "$out/tunesmith.log"
# Wall: the last epoch's notes/s as printed. CPU: every epoch's notes over the whole process's user + system time
# (corpus reading included, so a slight underestimate of the training loop's rate).
ours=$(awk '/^epoch / { for (i = 1; i <= NF; i++) if ($i == "samples/s") v = $(i - 1) } END { gsub(",", "", v); print v }' "$out/tunesmith.log")
notes=$(awk '/^training on/ { gsub(/[(,]/, "", $5); print $5 }' "$out/tunesmith.log")
ours_cpu=$(awk -v n="$notes" -v e="$epochs" '{ printf "%.1f", n * e / ($1 + $2) }' "$out/tunesmith.cpu")
width=$("$TUNESMITH" model info "$out/model.tsmodel" | awk '/inputs per step/ { for (i = 1; i <= NF; i++) if ($i == "inputs") print $(i - 1) }')
steps=$(( 68000 / (batch * chunk) ))
theirs_json=$("$root/Benchmarks/.venv-keras-jax/bin/python" "$here/keras_stateful.py" "$width" "$units" "$layers" "$batch" "$chunk" "$steps")
echo "$theirs_json" > "$out/keras.json"
read -r theirs theirs_cpu < <(python3 -c "import json,sys; j=json.loads(sys.argv[1]); print(j['notes_per_second'], j['notes_per_cpu_second'])" "$theirs_json")
echo "stateful $layers x LSTM($units), batch $batch, chunk $chunk, $width inputs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tunesmith: $ours notes/s wall (last of $epochs epochs over Samples/Corpus, $notes notes each), $ours_cpu notes per CPU-s"
echo "keras/jax: $theirs notes/s wall ($steps steps of $batch x $chunk), $theirs_cpu notes per CPU-s"
python3 -c "import sys; a, b, c, d = map(float, sys.argv[1:]); print(f'ratio tunesmith / keras-jax: {a / b:.2f}x wall, {c / d:.2f}x CPU')" "$ours" "$theirs" "$ours_cpu" "$theirs_cpu"
