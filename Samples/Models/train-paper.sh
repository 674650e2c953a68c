#!/usr/bin/env bash
# Reproduces Samples/Models/paper.tsmodel: the paper architecture trained by `tunesmith train` on the
# licence-clean sample corpus Samples/Corpus, then copies it into the Generation module's resources.
# Usage: Samples/Models/train-paper.sh   (env TUNESMITH=path/to/tunesmith to skip the release build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ -z "${TUNESMITH:-}" ]; then
  (cd "$root" && swift build -c release --product tunesmith >&2)
  TUNESMITH="$(cd "$root" && swift build -c release --show-bin-path)/tunesmith"
fi
cd "$root"
"$TUNESMITH" train --corpus Samples/Corpus --architecture paper --epochs 40 --patience 10 --batch-size 32 \
  --optimizer adam --learning-rate 0.0003 --validation 0.1 --seed 1 --threads 2 -o Samples/Models/paper.tsmodel --force
rm -f Samples/Models/paper.tsmodel.checkpoint
"$here/sync-resources.sh"
