#!/usr/bin/env bash
# Side-by-side training throughput of the stateful architecture: tunesmith (truncated BPTT over whole songs of
# Samples/Corpus, state carried between chunks) and Keras 3 on JAX (stateful LSTMs, the same layers, heads, batch,
# chunk and optimiser), both on the 2 cores, in one run. Reports notes (targets) per second and the ratio.
#
# Usage: Benchmarks/train/stateful.sh   Environment: TUNESMITH_BIN (prebuilt binary), UNITS (192), LAYERS (2),
# BATCH (16), CHUNK (32), EPOCHS (2: tunesmith's figure is its last epoch's). Creates Benchmarks/.venv-keras-jax.
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
units="${UNITS:-192}" layers="${LAYERS:-2}" batch="${BATCH:-16}" chunk="${CHUNK:-32}" epochs="${EPOCHS:-2}"
bench_out train-stateful
bench_venv "$root/Benchmarks/.venv-keras-jax" "keras, jax" keras jax jaxlib
bench_tunesmith
"$TUNESMITH" train --corpus "$root/Samples/Corpus" --architecture stateful --layers "$layers" --units "$units" --chunk "$chunk" \
    --timing categorical --styles --epochs "$epochs" --patience 0 --batch-size "$batch" --learning-rate 0.003 --threads 2 \
    -o "$out/model.tsmodel" --force > "$out/tunesmith.log"
ours=$(awk '/^epoch / { for (i = 1; i <= NF; i++) if ($i == "samples/s") v = $(i - 1) } END { gsub(",", "", v); print v }' "$out/tunesmith.log")
width=$("$TUNESMITH" model info "$out/model.tsmodel" | awk '/inputs per step/ { for (i = 1; i <= NF; i++) if ($i == "inputs") print $(i - 1) }')
steps=$(( 68000 / (batch * chunk) ))
theirs_json=$("$root/Benchmarks/.venv-keras-jax/bin/python" "$here/keras_stateful.py" "$width" "$units" "$layers" "$batch" "$chunk" "$steps")
theirs=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['notes_per_second'])" "$theirs_json")
echo "$theirs_json" > "$out/keras.json"
echo "stateful $layers x LSTM($units), batch $batch, chunk $chunk, $width inputs"
echo "tunesmith: $ours notes/s (last of $epochs epochs over Samples/Corpus)"
echo "keras/jax: $theirs notes/s ($steps steps of $batch x $chunk)"
python3 -c "import sys; print(f'ratio tunesmith / keras-jax: {float(sys.argv[1]) / float(sys.argv[2]):.2f}x')" "$ours" "$theirs"
