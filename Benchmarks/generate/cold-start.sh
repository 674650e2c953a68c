#!/usr/bin/env bash
# Cold starts, judged as issue 14 asks: pieces generated without a primer (the main job's way), over SEEDS seeds at
# temperatures 0.5, 0.8 and 1.0, measured by `tunesmith evaluate`:
#   - loops: every piece's loopTailShare (exact periodic tail, pitch + step + length) must stay <= 0.35;
#   - at each temperature: mean in-key share (scaleConsistency, target >= 0.95) and repeated interval 4-grams
#     (repeatedIntervalNGramShare, target >= 0.35), median distinct pitches and chord share (chordOnsetFraction)
#     against the interquartile range of the reference corpus folder: of its whole pieces, and (for a length in notes)
#     of their first LENGTH notes (`evaluate --first-notes`), the same length as the generated pieces;
#   - drift: 5-minute pieces' thirdsOverlap (first vs last third metric distributions, target >= 0.7), beside the same
#     pieces with their time cut into 24 blocks played in a random order (shuffle_blocks.py, needs mido): a stationary
#     copy, whose overlap shows what the metric reads when nothing drifts.
#
# Usage: Benchmarks/generate/cold-start.sh [--seeds 20] [--length 200n] [--style NAME] [--reference DIR] [--long 3]
#   --reference: the corpus folder of the style (default ../shared/corpus/<style> or, without a style, ../shared/corpus)
# Env: TUNESMITH=path/to/tunesmith (skip the build), MODEL=path (default: the embedded default model), GENERATE_ARGS=
#      extra `generate` options for every piece (e.g. "--scale-memory 0.5"). Needs jq.
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
seeds=20; length=200n; style=""; reference=""; long=3
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --length) length="$2"; shift 2 ;;
    --style) style="$2"; shift 2 ;;
    --reference) reference="$2"; shift 2 ;;
    --long) long="$2"; shift 2 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v jq >/dev/null || { echo "error: jq is required (apt-get install jq)" >&2; exit 2; }
bench_out cold-start
rm -rf "${out:?}"/t-* "$out"/long
bench_tunesmith
shared="$root/../shared/corpus"
if [ -z "$reference" ]; then
  reference="$shared"
  if [ -n "$style" ]; then
    for d in "$shared/$style" "$shared/${style}s" "$shared/${style%s}"; do [ -d "$d" ] && { reference="$d"; break; }; done
  fi
fi
args=()
[ -n "${MODEL:-}" ] && args+=(--model "$MODEL")
[ -n "$style" ] && args+=(--style "$style")
# shellcheck disable=SC2206
[ -n "${GENERATE_ARGS:-}" ] && args+=(${GENERATE_ARGS})

# Reference quartiles (per-piece values of the corpus folder): whole pieces, and their first $length when it is notes.
"$TUNESMITH" evaluate "$reference" --json > "$out/reference.json"
cp "$out/reference.json" "$out/reference-cut.json"
case "$length" in *n) "$TUNESMITH" evaluate "$reference" --first-notes "${length%n}" --json > "$out/reference-cut.json" ;; esac
quartiles() {  # quartiles METRIC FILE -> "Q1 Q3"
  jq -r --arg m "$1" '[.pieces[] | select(.metrics) | .metrics[$m]] | sort | [.[(length * 0.25 | floor)], .[(length * 0.75 | floor)]] | map(tostring) | join(" ")' "$2"
}
read -r dq1 dq3 <<<"$(quartiles distinctPitches "$out/reference.json")"
read -r cq1 cq3 <<<"$(quartiles chordOnsetFraction "$out/reference.json")"
read -r ldq1 ldq3 <<<"$(quartiles distinctPitches "$out/reference-cut.json")"
read -r lcq1 lcq3 <<<"$(quartiles chordOnsetFraction "$out/reference-cut.json")"
echo "model: ${MODEL:-embedded default model}; style: ${style:-none}; reference: $reference ($(jq '.pieces | length' "$out/reference.json") pieces)"
echo "reference interquartile ranges, whole pieces: distinct pitches $dq1 ... $dq3, chord share $cq1 ... $cq3"
case "$length" in
  *n) echo "reference interquartile ranges, first ${length%n} notes: distinct pitches $ldq1 ... $ldq3, chord share $lcq1 ... $lcq3"
      echo "(in IQR: whole pieces / first ${length%n} notes)" ;;
  *)  echo "(in IQR: whole pieces / whole pieces again: --length $length is not a number of notes)" ;;
esac
echo
printf '%-6s %6s %9s %9s %8s %10s %9s %12s %10s\n' temp pieces "in-key" "4-grams" "pitches" "in IQR" chords "in IQR" "max loop"
worst=0
for t in 0.5 0.8 1.0; do
  dir="$out/t-$t"; mkdir -p "$dir"
  for s in $(seq 1 "$seeds"); do
    "$TUNESMITH" generate ${args[@]+"${args[@]}"} --seed "$s" --temperature "$t" --length "$length" -o "$dir/seed-$s.mid" --force > /dev/null
  done
  "$TUNESMITH" evaluate "$dir" --json > "$dir.json"
  row=$(jq -r '[.pieces[].metrics] as $m | def median(f): ([$m[] | f] | sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end);
    [($m | length), ([$m[].scaleConsistency] | add / length), ([$m[].repeatedIntervalNGramShare] | add / length),
     median(.distinctPitches), median(.chordOnsetFraction), ([$m[].loopTailShare] | max), ([$m[] | select(.loopTailShare > 0.35)] | length)] | map(tostring) | join(" ")' "$dir.json")
  read -r n key gram pitches chords loop over <<<"$row"
  within() { awk -v v="$1" -v a="$2" -v b="$3" 'BEGIN { print (v >= a && v <= b) ? "yes" : "no" }'; }
  inp="$(within "$pitches" "$dq1" "$dq3")/$(within "$pitches" "$ldq1" "$ldq3")"
  inc="$(within "$chords" "$cq1" "$cq3")/$(within "$chords" "$lcq1" "$lcq3")"
  printf '%-6s %6s %9.3f %9.3f %8s %10s %9.3f %12s %10.3f  (%s over 0.35)\n' "$t" "$n" "$key" "$gram" "$pitches" "$inp" "$chords" "$inc" "$loop" "$over"
done
echo
if [ "$long" -gt 0 ]; then
  mkdir -p "$out/long"
  for s in $(seq 1 "$long"); do
    "$TUNESMITH" generate ${args[@]+"${args[@]}"} --seed "$s" --length 300s -o "$out/long/seed-$s.mid" --force > /dev/null
  done
  "$TUNESMITH" evaluate "$out/long" --json > "$out/long.json"
  held() {  # held FILE -> "K of N hold (>= 0.7), median M"
    jq -r '[.pieces[].metrics.thirdsOverlap] | sort | "\([.[] | select(. >= 0.7)] | length) of \(length) hold (>= 0.7), median \(.[length / 2 | floor] * 1000 | round / 1000)"' "$1"
  }
  echo "5-minute cold starts (seeds 1-$long, default temperature): thirdsOverlap $(jq -r '[.pieces[].metrics.thirdsOverlap * 1000 | round / 1000] | map(tostring) | join(", ")' "$out/long.json"); notes $(jq -r '[.pieces[].metrics.noteCount] | map(tostring) | join(", ")' "$out/long.json")"
  echo "  $(held "$out/long.json")"
  # The yardstick: the same pieces with their 24 time blocks in a random order (no drift left), when mido is there.
  if python3 -c 'import mido' 2>/dev/null; then
    rm -rf "$out/long-shuffled"
    python3 "$here/shuffle_blocks.py" "$out/long" "$out/long-shuffled"
    "$TUNESMITH" evaluate "$out/long-shuffled" --json > "$out/long-shuffled.json"
    echo "  the same pieces, time blocks shuffled (stationary): $(held "$out/long-shuffled.json")"
  fi
fi
