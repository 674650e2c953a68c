#!/usr/bin/env bash
# End-to-end: data-parallel training over MPI is deterministic. Trains the same small model (same seed, global
# batch 32 cut into 4 parts, dropout on) with `mpirun --oversubscribe -np 1`, `-np 2` and `-np 4`, and in one
# process without MPI (`--batch-parts 4`), and checks that the four models have bit-identical weights and the
# same header (training record with every epoch's losses) apart from the date and the measured speeds. Also checks that only rank 0
# wrote (one model, one checkpoint, one loss curve per run) and that more ranks than parts is a clean error;
# then the same for a sharded corpus cache streamed from disk (`shard-corpus`, `train --shards`) and for a
# stateful model (`--architecture stateful`).
#
# Usage: Tests/Cluster/mpi-train.sh   (run by .ci/run after `swift test`; builds the MPI tool with
#        TUNESMITH_MPI=1 unless TUNESMITH_MPI_TOOL=path is given; TUNESMITH=path of a build without MPI also checks
#        that it refuses to run under an MPI launcher). Prints one "skipped: ..." line and exits 0
#        where Open MPI is not installed (mpirun, libopenmpi-dev).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

skip() { echo "mpi training test skipped: $*"; exit 0; }
fail() { echo "mpi training test FAILED: $*" >&2; exit 1; }

command -v mpirun >/dev/null || skip "mpirun missing (apt-get install -y openmpi-bin libopenmpi-dev)"
pkg-config --exists ompi-c || skip "Open MPI headers missing (apt-get install -y libopenmpi-dev)"

work="$(mktemp -d /tmp/tunesmith-mpi-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# Copies of the tools: the MPI build below replaces the debug build's binary, and a later `swift build`
# without TUNESMITH_MPI replaces it again.
plain=""
if [ -n "${TUNESMITH:-}" ] && [ -x "$TUNESMITH" ]; then cp "$TUNESMITH" "$work/plain-tunesmith"; plain="$work/plain-tunesmith"; fi
tool="${TUNESMITH_MPI_TOOL:-}"
if [ -z "$tool" ]; then
  TUNESMITH_MPI=1 swift build --product tunesmith >&2
  tool="$(TUNESMITH_MPI=1 swift build --show-bin-path)/tunesmith"
fi
[ -x "$tool" ] || fail "no tunesmith at $tool"
cp "$tool" "$work/tunesmith"
tool="$work/tunesmith"

args=(train --corpus Samples/Corpus --limit 4 --architecture categorical --units 16 --look-back 8 --epochs 2
      --batch-size 32 --dropout 0.1 --seed 7 --threads 2 --force)
mpi=(mpirun --oversubscribe --allow-run-as-root --bind-to none)
start=$(date +%s)
"$tool" "${args[@]}" --batch-parts 4 -o "$work/alone.tsmodel" >/dev/null
for n in 1 2 4; do
  mkdir "$work/np$n"
  "${mpi[@]}" -np "$n" "$tool" "${args[@]}" -o "$work/np$n/model.tsmodel" >"$work/np$n/log" 2>&1 ||
    { cat "$work/np$n/log" >&2; fail "mpirun -np $n failed"; }
  written="$(ls "$work/np$n" | tr '\n' ' ')"
  [ "$written" = "log model.loss.svg model.tsmodel model.tsmodel.checkpoint " ] || fail "-np $n wrote [$written]"
  [ "$(grep -c '^epoch ' "$work/np$n/log")" -eq 2 ] || fail "-np $n: expected rank 0 alone to print 2 epoch lines"
done

# A model file: magic, version, UInt32 header length H (offset 12), H bytes of JSON header, the blobs, CRC-32.
header_length() { od -An -tu4 -j12 -N4 "$1" | tr -d ' '; }
weights() { tail -c +$((16 + $(header_length "$1") + 1)) "$1" | head -c -4 | sha256sum | cut -d' ' -f1; }
header() { head -c $((16 + $(header_length "$1"))) "$1" | tail -c "$(header_length "$1")" | sed -E 's/"date":"[^"]*"//; s/"samplesPerSecond":[0-9.e+-]*//g'; }

reference="$work/alone.tsmodel"
for n in 1 2 4; do
  for f in model.tsmodel model.tsmodel.checkpoint; do
    ref="$reference"; [ "$f" = model.tsmodel ] || ref="$reference.checkpoint"
    [ "$(weights "$work/np$n/$f")" = "$(weights "$ref")" ] || fail "-np $n: $f weights differ from the one-process run"
    [ "$(header "$work/np$n/$f")" = "$(header "$ref")" ] || fail "-np $n: $f header (training record) differs from the one-process run"
  done
done
# same_over_ranks NAME WHAT ARGS...: trains with `mpirun -np 1, 2 and 4` (NAME.tsmodel in each npN folder) and
# fails unless every run's weights and header equal -np 1's.
same_over_ranks() {
  local name="$1" what="$2"; shift 2
  for n in 1 2 4; do
    "${mpi[@]}" -np "$n" "$tool" "$@" -o "$work/np$n/$name.tsmodel" >"$work/np$n/$name.log" 2>&1 ||
      { cat "$work/np$n/$name.log" >&2; fail "mpirun -np $n $what failed"; }
    [ "$(weights "$work/np$n/$name.tsmodel")" = "$(weights "$work/np1/$name.tsmodel")" ] || fail "-np $n: $what model differs from -np 1"
    [ "$(header "$work/np$n/$name.tsmodel")" = "$(header "$work/np1/$name.tsmodel")" ] || fail "-np $n: $what model header differs from -np 1"
  done
}
# The same over a sharded corpus streamed from disk (each rank opens only its parts' shards).
"$tool" shard-corpus --corpus Samples/Corpus --limit 40 --songs 120 --parts 4 -o "$work/cache" >/dev/null
same_over_ranks stream "streamed (train --shards)" train --shards "$work/cache" --epochs 2 --max-batches 12 --batch-size 32 \
  --dropout 0.1 --seed 7 --threads 2 --force
# A stateful model (truncated BPTT over whole songs): song k of a batch is part k mod 4, whatever the ranks.
same_over_ranks stateful "stateful" train --corpus Samples/Corpus --limit 8 --architecture stateful --units 16 --chunk 8 --epochs 1 \
  --batch-size 8 --dropout 0.1 --seed 5 --force
# The fixed-point sum is the only difference from today's trainer: the default run (no --batch-parts) still trains.
"$tool" "${args[@]}" -o "$work/default.tsmodel" >/dev/null

# A tool built without MPI refuses to run under mpirun instead of training N independent copies.
if [ -n "$plain" ]; then
  refusal="$(OMPI_COMM_WORLD_SIZE=2 "$plain" "${args[@]}" -o "$work/plain.tsmodel" 2>&1)" && fail "the non-MPI tool trained under an MPI launcher"
  grep -q "built without MPI: rebuild with TUNESMITH_MPI=1" <<<"$refusal" || fail "unclear refusal of the non-MPI tool: $refusal"
  [ ! -e "$work/plain.tsmodel" ] || fail "the refused run left a model"
fi
out="$("${mpi[@]}" -np 4 "$tool" "${args[@]}" --batch-parts 2 -o "$work/bad.tsmodel" 2>&1)" && fail "4 ranks with 2 parts should fail"
grep -q "4 processes but the batch has only 2 parts" <<<"$out" || fail "unclear error for 4 ranks with 2 parts: $out"
[ ! -e "$work/bad.tsmodel" ] || fail "a failed run left a model"
echo "mpi training test passed: mpirun -np 1, 2 and 4 and one process give bit-identical models, in memory, streamed from shards and stateful ($(weights "$reference" | head -c 12)...; $(( $(date +%s) - start )) s)"
