#!/usr/bin/env bash
# Render benchmark: tunesmith render vs `fluidsynth -ni -F OUT.wav -r 44100 FONT FILE` over ../shared/corpus/games.
# Needs: apt install fluidsynth timgm6mb-soundfont; builds tunesmith in release mode first.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product tunesmith >/dev/null
exec python3 Benchmarks/render/bench.py --tunesmith .build/release/tunesmith "$@"
