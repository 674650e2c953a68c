#!/usr/bin/env bash
# Peak memory of stateful training on a 20,000-file corpus: the shared corpus transposed (0, +1, -1, ... semitones,
# written by transpose_corpus.py with mido), read once into a song cache and streamed in batches. Runs one epoch of
# `tunesmith train --architecture stateful --cache` under /usr/bin/time -v and reports the peak resident memory
# (target: under 1 GB), the cache size, the notes trained and the wall time.
#
# Usage: Benchmarks/train/memory.sh [FILES]   (default 20000)
# Environment: CORPUS (default ../shared/corpus), TUNESMITH_BIN (prebuilt binary), UNITS (default 64: the memory of the
# network is small beside the data's; a bigger network only makes the epoch longer), EPOCHS (default 1).
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
corpus_src="${CORPUS:-$root/../shared/corpus}"
files="${1:-20000}"
bench_out train-memory
[ -d "$corpus_src" ] || { echo "corpus not found at $corpus_src" >&2; exit 1; }
bench_tunesmith
big="$out/corpus-$files"
if [ "$(find "$big" -name '*.mid' 2>/dev/null | wc -l)" -ne "$files" ]; then
  rm -rf "$big"
  python3 "$here/transpose_corpus.py" "$corpus_src" "$big" "$files"
fi
echo "corpus: $(find "$big" -name '*.mid' | wc -l) files, $(du -sh "$big" | cut -f1)"
rm -f "$out/songs.tscache"
/usr/bin/time -v "$TUNESMITH" train --corpus "$big" --cache "$out/songs.tscache" --architecture stateful --units "${UNITS:-64}" \
    --chunk 32 --timing categorical --styles --transpose 5 --epochs "${EPOCHS:-1}" --batch-size 16 --threads 2 --validation 0.01 \
    -o "$out/model.tsmodel" --force > "$out/train.log" 2> "$out/time.log"
cat "$out/train.log"
peak_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/time.log")
wall=$(awk -F'): ' '/Elapsed \(wall clock\)/ { print $2 }' "$out/time.log")
echo "song cache: $(du -h "$out/songs.tscache" | cut -f1)"
echo "peak resident memory: $(( peak_kb / 1024 )) MB (target < 1024 MB); wall time $wall"
