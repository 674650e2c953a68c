#!/usr/bin/env bash
# Copies every committed model in Samples/Models (the canonical copies) into the Generation module's
# resources (Sources/Generation/Resources), so the built tunesmith finds the default model from any
# working directory. GenerationTests fails if a copy differs from its original.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/../../Sources/Generation/Resources"
mkdir -p "$dest"
for model in "$here"/*.tsmodel; do
  cp "$model" "$dest/$(basename "$model")"
  echo "copied $(basename "$model") -> Sources/Generation/Resources/"
done
