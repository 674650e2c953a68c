#!/usr/bin/env bash
# Validation loss after the same number of epochs, over several initialisation seeds on ONE song split:
# tunesmith (`train --init-seed S`) and Keras 3 / JAX (`keras_paper.py --seed S`) on the features that
# Benchmarks/train/run.sh exported (run it first). One seed says little: the spread between seeds is
# larger than the difference between the implementations.
#
# Usage: Benchmarks/train/seeds.sh [EPOCHS] [SEEDS]   (defaults 3 and "1 2 3 4 5"; batch sizes 32 and 256)
# Environment: TUNESMITH_BIN (default .build/release/tunesmith).
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
epochs="${1:-3}"
seeds="${2:-1 2 3 4 5}"
bench_out train
bin="${TUNESMITH_BIN:-$root/.build/release/tunesmith}"
[ -f "$out/features.json" ] && [ -d "$out/corpus" ] || { echo "run Benchmarks/train/run.sh first (it exports the features)" >&2; exit 1; }
[ -x "$root/Benchmarks/.venv-keras-jax/bin/python" ] || { echo "missing Benchmarks/.venv-keras-jax (made by run.sh)" >&2; exit 1; }
results="$out/seeds.tsv"
: > "$results"
for bs in 32 256; do
  for s in $seeds; do
    v=$("$bin" train --corpus "$out/corpus" --epochs "$epochs" --batch-size "$bs" --patience 0 --init-seed "$s" \
          --force -o "$out/seed-model.tsm" | grep '^epoch ' | tail -1 | sed -E 's/.*val ([0-9.]+).*/\1/')
    printf 'tunesmith\t%s\t%s\t%s\n' "$bs" "$s" "$v" >> "$results"
    v=$(KERAS_BACKEND=jax "$root/Benchmarks/.venv-keras-jax/bin/python" "$here/keras_paper.py" "$out/features.json" \
          --batch-size "$bs" --epochs "$epochs" --seed "$s" | tail -1 | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["validation_loss"], 4))')
    printf 'keras-jax\t%s\t%s\t%s\n' "$bs" "$s" "$v" >> "$results"
  done
done
rm -f "$out/seed-model.tsm" "$out/seed-model.tsm.checkpoint" "$out/seed-model.loss.svg"
python3 - "$results" <<'PY'
import statistics as st, sys
rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
print(f"{'implementation':<12}{'batch':>6}  {'validation loss per seed':<44}{'mean':>8}{'sd':>8}")
for bs in ("32", "256"):
    for impl in ("tunesmith", "keras-jax"):
        v = [float(r[3]) for r in rows if r[0] == impl and r[1] == bs]
        print(f"{impl:<12}{bs:>6}  {' '.join(f'{x:.4f}' for x in v):<44}{st.mean(v):>8.4f}{st.stdev(v) if len(v) > 1 else 0:>8.4f}")
PY
