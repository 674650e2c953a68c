#!/usr/bin/env bash
# Render benchmark: tunesmith render vs `fluidsynth -ni -F OUT.wav -r 44100 FONT FILE` over ../shared/corpus/games.
# Needs: apt install fluidsynth timgm6mb-soundfont; builds tunesmith in release mode first.
# Usage: Benchmarks/render/run.sh [bench.py options]   (--help lists them; TUNESMITH=path skips the build)
bench_more_help() { python3 "$here/bench.py" --help; }
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
bench_tunesmith
exec python3 "$here/bench.py" --tunesmith "$TUNESMITH" "$@"
