#!/usr/bin/env bash
# End-to-end: the README's Slurm recipe on a real one-node cluster (Scripts/slurm-local). Renders a small
# album once unsharded, then through Scripts/slurm/album-submit (an `sbatch --array=1-4` of
# Scripts/slurm/album.sbatch, each task `tunesmith album ... --shard $i/4`, then `tunesmith album merge` as a
# job depending on all of them) and checks the merged album is byte-identical to the unsharded one:
# manifest.json, index.html, album.m3u8 and every MIDI and FLAC file. It also checks that the README's
# Slurm section shows exactly these two script files.
#
# Usage: Tests/Cluster/slurm-album.sh   (run by .ci/run after `swift test`; TUNESMITH=path to use a given
#        tool, else the debug build's). Prints one "skipped: ..." line and exits 0 where Slurm cannot run
#        (not root, slurm-wlm or munge not installed).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

skip() { echo "slurm album test skipped: $*"; exit 0; }
fail() { echo "slurm album test FAILED: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root to start slurmctld and slurmd"
for c in munged slurmctld slurmd sbatch scontrol; do
  command -v "$c" >/dev/null || skip "$c missing (apt-get install -y slurm-wlm munge)"
done

# The README must show the files this test runs, verbatim (as an indented block).
for f in Scripts/slurm/album.sbatch Scripts/slurm/album-submit; do
  block="$(sed 's/^/    /; s/^ *$//' "$f")"
  python3 - "$block" <<'PY' || fail "README.md's Slurm section does not show $f verbatim"
import sys
sys.exit(0 if sys.argv[1] in open("README.md", encoding="utf-8").read() else 1)
PY
done

tool="${TUNESMITH:-$(swift build --show-bin-path)/tunesmith}"
[ -x "$tool" ] || fail "no tunesmith at $tool (swift build first)"
tool="$(realpath "$tool")"

work="$(mktemp -d /tmp/tunesmith-slurm-test.XXXXXX)"
chmod 755 "$work"   # munged wants its socket's folders reachable by every user
export SLURM_LOCAL_DIR="$work/cluster" SLURM_LOCAL_PORT="${SLURM_LOCAL_PORT:-6827}"
cleanup() { Scripts/slurm-local down >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

# A small album: 4 short tracks, MIDI and FLAC, the default model.
cat >"$work/album.yaml" <<'YAML'
album: Slurm Check
artist: Tunesmith CI
comment: Tests/Cluster/slurm-album.sh
settings:
  length: 4s
  tempo: 120
  processors: ["scale"]
  formats: [mid, flac]
tracks:
  - {title: One, seed: 11}
  - {title: Two, seed: 22, program: 46}
  - {title: Three, seed: 33, temperature: 0.5}
  - {title: Four, seed: 44, tempo: 90}
YAML

start=$(date +%s)
"$tool" album "$work/album.yaml" -o "$work/whole" --jobs 2 >/dev/null

eval "$(Scripts/slurm-local up)"
mkdir -p "$work/bin" "$work/jobs"
ln -s "$tool" "$work/bin/tunesmith"
export PATH="$work/bin:$PATH"
merge=$(cd "$work/jobs" && "$root/Scripts/slurm/album-submit" "$work/album.yaml" "$work/sharded")

state=""
for ((i = 0; i < 1200; i++)); do   # up to 10 minutes
  state="$(scontrol show job "$merge" 2>/dev/null | grep -oE 'JobState=[A-Z_]+' | cut -d= -f2 || true)"
  case "$state" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) break ;; esac
  sleep 0.5
done
if [ "$state" != COMPLETED ]; then
  for f in "$work"/jobs/slurm-*.out; do echo "== $f" >&2; tail -n 5 "$f" >&2; done 2>/dev/null || true
  fail "merge job $merge ended as ${state:-unknown}"
fi

shards=$(ls "$work/sharded" | grep -cE '^manifest\.shard-[1-4]-of-4\.json$' || true)
[ "$shards" -eq 4 ] || fail "expected 4 shard manifests, found $shards"
expected="$(ls "$work/whole")"
got="$(ls "$work/sharded" | grep -vE '^manifest\.shard-')"
[ "$expected" = "$got" ] || fail "file lists differ: unsharded [$(echo $expected)] merged [$(echo $got)]"
for kind in manifest.json index.html album.m3u8 '*.mid' '*.flac'; do
  n=0
  for f in "$work"/whole/$kind; do
    [ -e "$f" ] || fail "the unsharded album has no $kind"
    cmp -s "$f" "$work/sharded/$(basename "$f")" || fail "$(basename "$f") differs between the unsharded and the merged album"
    n=$((n + 1))
  done
done
echo "slurm album test passed: 4 array tasks + dependent merge, $(echo "$got" | wc -l) files byte-identical to the unsharded album ($(( $(date +%s) - start )) s)"
