#!/usr/bin/env bash
# Data-parallel scaling benchmark on a corpus that does not fit in memory: `tunesmith shard-corpus` turns the
# shared corpus into 100,000 songs (its songs, then copies transposed by 12 intervals and re-timed by 5 tempo
# factors) encoded into 4 shard files, then `mpirun -np 1` and `-np 2` train the same model on them
# (`train --shards`, each rank streaming only its shards), every rank bound to its own core. Reports cache
# build songs/s, training samples/s and songs/s (songs' worth of training windows per second), peak memory of
# every rank, the 1 -> 2 rank speed-up, the bytes every step exchanges, and the time a 16-node run would take
# per step from the measured compute and communication cost. Also checks the 1- and 2-rank models are identical.
#
# Usage: Benchmarks/train/scaling.sh [BATCHES]   (default 300 batches per run; writes Benchmarks/out/train-scaling/report.md)
# Environment: CORPUS (default ../shared/corpus), SONGS (default 100000), TUNESMITH_BIN (a prebuilt TUNESMITH_MPI=1
#              release binary), SCRATCH (swift build scratch path, default .build-mpi), LINK_GBPS (network of the
#              16-node estimate, default 10 Gb/s Ethernet), LINK_LATENCY_US (default 25 us per message).
# Needs: libopenmpi-dev and openmpi-bin (mpirun), /usr/bin/time.
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
corpus="${CORPUS:-$root/../shared/corpus}"
songs="${SONGS:-100000}"
batches="${1:-300}"
link_gbps="${LINK_GBPS:-10}"
latency_us="${LINK_LATENCY_US:-25}"
bench_out train-scaling
[ -d "$corpus" ] || { echo "corpus not found at $corpus" >&2; exit 1; }
command -v mpirun >/dev/null || { echo "mpirun missing (apt-get install -y openmpi-bin libopenmpi-dev)" >&2; exit 1; }

if [ -z "${TUNESMITH_BIN:-}" ]; then
  scratch="${SCRATCH:-.build-mpi}"
  (cd "$root" && TUNESMITH_MPI=1 swift build -c release --scratch-path "$scratch" --product tunesmith >&2)
  TUNESMITH_BIN="$(cd "$root" && TUNESMITH_MPI=1 swift build -c release --scratch-path "$scratch" --show-bin-path)/tunesmith"
fi
bin="$TUNESMITH_BIN"
model=(--architecture categorical --units 128 --look-back 32)
train=(train "${model[@]}" --batch-size 64 --batch-parts 4 --epochs 1 --max-batches "$batches" --seed 1 --force)
mpi=(mpirun --allow-run-as-root --oversubscribe --bind-to core --map-by core)

# 1. The 100,000-song cache.
cache="$out/cache"
/usr/bin/time -f "%e %M" -o "$out/build.time" "$bin" shard-corpus --corpus "$corpus" --songs "$songs" --parts 4 --architecture categorical \
    -o "$cache" --force | tee "$out/build.log"
read -r build_seconds build_kb < "$out/build.time"
cache_mib=$(du -sm "$cache" | cut -f1)

# 2. Training: 1 rank on one core, then 2 ranks on one core each; every rank's peak resident memory.
run() {  # run N
  local n=$1
  rm -f "$out"/rss-np"$n"-*
  cut -d' ' -f1 /proc/loadavg > "$out/load-np$n"
  "${mpi[@]}" -np "$n" sh -c '/usr/bin/time -f "%M %U %S %e" -o "$0-$OMPI_COMM_WORLD_RANK" "$@"' "$out/rss-np$n" \
      "$bin" "${train[@]}" --shards "$cache" -o "$out/model-np$n.tsmodel" > "$out/train-np$n.log"
}
run 1
run 2

python3 - "$out" "$cache/index.json" "$bin" "$batches" "$build_seconds" "$build_kb" "$cache_mib" "$link_gbps" "$latency_us" <<'PY' | tee "$out/report.md"
import json, re, subprocess, sys, glob, hashlib, struct
out, index_path, binary, batches = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
build_s, build_kb, cache_mib, gbps, latency_us = float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), float(sys.argv[8]), float(sys.argv[9])
index = json.load(open(index_path))
songs = sum(len(p) for p in index["parts"])
notes = sum(sum(p) for p in index["parts"])
look_back = 32
windows = sum(max(0, n - look_back) for p in index["parts"] for n in p)
per_song = windows / songs

def epoch_rate(n):
    line = [l for l in open(f"{out}/train-np{n}.log") if l.startswith("epoch ")][-1]
    return float(re.search(r"([0-9.,]+) samples/s", line).group(1).replace(",", ""))

def ranks(n):  # per rank: peak resident KiB, user s, system s, wall s
    return [[float(x) for x in open(f).read().split()[-4:]] for f in sorted(glob.glob(f"{out}/rss-np{n}-*"))]

def rss(n):
    return [r[0] / 1024 for r in ranks(n)]

def cpu_per_1000(n):  # CPU seconds of all ranks per 1,000 samples trained
    return sum(r[1] + r[2] for r in ranks(n)) / (batches * 64) * 1000

def load(n):
    return open(f"{out}/load-np{n}").read().strip()

def weights(path):
    b = open(path, "rb").read()
    h = struct.unpack_from("<I", b, 12)[0]
    return hashlib.sha256(b[16 + h:-4]).hexdigest()

info = subprocess.run([binary, "model", "info", f"{out}/model-np1.tsmodel"], capture_output=True, text=True).stdout
params = int(re.search(r"total parameters: ([0-9,]+)", info).group(1).replace(",", ""))
r1, r2 = epoch_rate(1), epoch_rate(2)
batch = 64
step1, step2 = batch / r1, batch / r2
# Per step every rank exchanges: the fixed-point gradient (8 bytes per parameter, MPI_Allreduce SUM of int64),
# the largest gradient (one double, MAX) and the parts' losses plus stop flags (4 x 4 + ranks doubles).
grad_bytes = params * 8
step_bytes = grad_bytes + 8 + (4 * 4 + 2) * 8
comm2 = max(0.0, step2 - step1 / 2)           # measured: what 2 ranks lose against a perfect halving
nodes = 16
link = gbps * 1e9 / 8
ring = 2 * (nodes - 1) / nodes * step_bytes / link   # bandwidth term of a ring allreduce
lat = 3 * 2 * (nodes - 1) * latency_us * 1e-6         # 3 allreduces per step, 2(n-1) messages each
print(f"# Data-parallel training on a sharded {songs:,}-song corpus\n")
print(f"Cache: {songs:,} songs ({index['sourceSongs']:,} source files), {notes:,} notes, {windows:,} training windows "
      f"({per_song:.0f} per song), {cache_mib:,} MiB in {len(index['parts'])} shards; built in {build_s:.0f} s "
      f"({songs / build_s:,.0f} songs/s), peak memory {build_kb / 1024:,.0f} MiB.\n")
print(f"Model: categorical LSTM(128), look-back 32, {params:,} parameters; global batch 64 in 4 parts, {batches} batches per run, "
      f"every rank bound to one core.\n")
print("| ranks | samples/s | songs/s | time per step | CPU-s per 1,000 samples (all ranks) | cores obtained | peak memory per rank (MiB) | load average at start |")
print("|---|---|---|---|---|---|---|---|")
for n, r, s in ((1, r1, step1), (2, r2, step2)):
    print(f"| {n} | {r:,.0f} | {r / per_song:,.2f} | {s * 1000:.1f} ms | {cpu_per_1000(n):.2f} | {cpu_per_1000(n) * r / 1000:.2f} | {', '.join(f'{m:,.0f}' for m in rss(n))} | {load(n)} |")
print(f"\nScaling 1 -> 2 ranks: {r2 / r1:.2f}x in wall time (ideal 2.00x); CPU time per sample 2 ranks / 1 rank: "
      f"{cpu_per_1000(2) / cpu_per_1000(1):.2f}x (1.00x: no work added by the split and the exchange). Models of 1 and 2 ranks bit-identical: "
      f"{'yes' if weights(f'{out}/model-np1.tsmodel') == weights(f'{out}/model-np2.tsmodel') else 'NO'}.\n")
print(f"Communication per step: {step_bytes:,} bytes per rank ({grad_bytes:,} of gradient) in 3 MPI_Allreduce calls; "
      f"{step_bytes * batches / 1e6:,.1f} MB over these {batches} steps. The 2-rank step time minus half the 1-rank step: "
      f"{comm2 * 1000:.2f} ms per step; where the cores obtained (CPU time / wall time) are about the same for 1 and 2 ranks, "
      f"the machine was saturated by other work and this mostly measures a rank waiting for its partner's share of the cores.\n")
# 16 nodes, one rank per node, 16 parts: the same per-part work as here (batch 64 / 4 parts = 16 rows per part),
# global batch 256; each node's compute per step = one part = a quarter of the 1-rank step measured here.
part_s = step1 / 4
t16 = part_s + ring + lat
print(f"16-node estimate (one rank per node, --batch-parts 16, 16 rows per part: global batch 256): compute {part_s * 1000:.1f} ms "
      f"(one part, measured) + ring allreduce {ring * 1000:.2f} ms ({gbps:g} Gb/s: 2 x 15/16 x {step_bytes:,} bytes) + latency "
      f"{lat * 1000:.2f} ms (3 x 30 messages x {latency_us:g} us) = {t16 * 1000:.1f} ms per step of 256 samples: "
      f"{256 / t16:,.0f} samples/s, {256 / t16 / r1:.1f}x one rank here; communication is {(ring + lat) / t16 * 100:.0f} % of the step. "
      f"An epoch of the {songs:,} songs ({windows:,} windows) would take {windows / (256 / t16) / 3600:.1f} h.")
PY
