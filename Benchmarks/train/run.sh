#!/usr/bin/env bash
# Side-by-side training benchmark: the paper model on the same features in tunesmith, Keras 3 / TensorFlow CPU
# and Keras 3 / JAX, at batch 32 and 256. Prints samples/s (steady-state epochs), peak memory and the
# validation loss after the same number of epochs.
#
# Usage: Benchmarks/train/run.sh [EPOCHS]   (default 3; corpus: 150 chorales + the game files of ../shared/corpus)
# Environment: CORPUS (default ../shared/corpus), TUNESMITH_BIN (prebuilt binary), SCRATCH (swift build scratch path).
# Creates Benchmarks/.venv-keras-tf and Benchmarks/.venv-keras-jax on first use (large pip installs).
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
corpus_src="${CORPUS:-$root/../shared/corpus}"
epochs="${1:-3}"
bench_out train

[ -d "$corpus_src/chorales" ] || { echo "corpus not found at $corpus_src" >&2; exit 1; }

bench_venv "$root/Benchmarks/.venv-keras-tf" keras tensorflow-cpu keras
bench_venv "$root/Benchmarks/.venv-keras-jax" keras keras jax jaxlib

# The benchmark corpus: the first 150 chorales and every game file.
bench_corpus="$out/corpus"
rm -rf "$bench_corpus"; mkdir -p "$bench_corpus/chorales" "$bench_corpus/games"
ls "$corpus_src/chorales"/*.mid | head -150 | xargs -I{} cp {} "$bench_corpus/chorales/"
cp "$corpus_src/games"/*.mid "$bench_corpus/games/"

# TUNESMITH_BIN selects a prebuilt binary; otherwise build release (scratch path: $SCRATCH or .build).
bench_tunesmith
bin="$TUNESMITH"
"$bin" train --corpus "$bench_corpus" --export-features "$out/features.json" --force

results="$out/results.jsonl"
: > "$results"
for bs in 32 256; do
    # tunesmith: steady-state samples/s = mean of epochs 2..N as printed; validation loss of the last epoch.
    log="$out/tunesmith-b$bs.log"
    /usr/bin/time -f "%M %U %S" -o "$out/tunesmith-b$bs.rss" "$bin" train --corpus "$bench_corpus" --epochs "$epochs" \
        --batch-size "$bs" --patience 0 --force -o "$out/model-b$bs.tsm" > "$log"
    python3 - "$log" "$out/tunesmith-b$bs.rss" "$bs" "$epochs" >> "$results" <<'PY'
import json, re, sys
log, rss, bs, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
lines = [l for l in open(log) if l.startswith("epoch ")]
sps = [float(re.search(r"([\d,]+) samples/s", l).group(1).replace(",", "")) for l in lines]
val = float(re.search(r"val ([\d.]+)", lines[-1]).group(1))
steady = sps[1:] or sps
rss_kb, user, sys_ = open(rss).read().split()[-3:]
samples = int(re.search(r"\(([\d,]+) samples\)", open(log).read()).group(1).replace(",", ""))
# CPU efficiency over the whole run (corpus reading and validation included: conservative).
per_cpu = samples * len(lines) / (float(user) + float(sys_))
print(json.dumps({"backend": "tunesmith", "batch_size": bs, "epochs": epochs, "samples_per_second": round(sum(steady) / len(steady)),
                  "samples_per_cpu_second": round(per_cpu), "validation_loss": val, "peak_rss_mib": round(int(rss_kb) / 1024, 1)}))
PY
    KERAS_BACKEND=tensorflow "$root/Benchmarks/.venv-keras-tf/bin/python" "$here/keras_paper.py" "$out/features.json" \
        --batch-size "$bs" --epochs "$epochs" | tail -1 >> "$results"
    KERAS_BACKEND=jax "$root/Benchmarks/.venv-keras-jax/bin/python" "$here/keras_paper.py" "$out/features.json" \
        --batch-size "$bs" --epochs "$epochs" | tail -1 >> "$results"
done

python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"{'implementation':<22}{'batch':>6}{'samples/s':>12}{'samples/cpu-s':>15}{'val loss':>10}{'peak MiB':>10}")
for r in rows:
    print(f"{r['backend']:<22}{r['batch_size']:>6}{r['samples_per_second']:>12,}{r.get('samples_per_cpu_second', 0):>15,}{r['validation_loss']:>10.4f}{r['peak_rss_mib']:>10}")
print(f"load average during the run: {open('/proc/loadavg').read().split()[0]} (2 cores; wall-clock figures need an idle machine)")
for bs in (32, 256):
    ts = [r for r in rows if r["batch_size"] == bs and r["backend"] == "tunesmith"][0]
    best = max((r for r in rows if r["batch_size"] == bs and r["backend"] != "tunesmith"), key=lambda r: r["samples_per_second"])
    print(f"batch {bs}: tunesmith / fastest Keras ({best['backend']}) = {ts['samples_per_second'] / best['samples_per_second']:.2f}x")
PY
