#!/usr/bin/env bash
# Limits benchmark (issue 8 §2): hostile and huge MIDI files read, dumped, converted to notes and
# written back by the release `tunesmith`, each within a stated time and memory bound, measured
# with /usr/bin/time: CPU seconds (user + system, the bounded figure: stable on a shared machine),
# wall seconds and peak resident memory.
#
#   Benchmarks/limits/run.sh [--bin PATH/TO/tunesmith] [--only NAME]
#
# Without --bin it builds `swift build -c release` (scratch path $SCRATCH, default .build).
# Files are generated once into Benchmarks/out/limits by make_hostile.py.
# Prints one row per file and command; exits 1 if any run fails or exceeds its bound.
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
out="$root/Benchmarks/out/limits"
bin=""
only=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    *) echo "usage: $0 [--bin PATH] [--only FILE-NAME]" >&2; exit 2 ;;
  esac
done
if [[ -z "$bin" ]]; then
  bench_tunesmith
  bin="$TUNESMITH"
fi
[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time is required (apt install time)" >&2; exit 2; }
python3 "$here/make_hostile.py" "$out" >/dev/null

# file | events | inspect bound: CPU seconds, MB | dump/process/render bound: CPU seconds, MB
# (inspect reads and summarises; dump also prints every event as JSON; process and render also build
# the note model and write a MIDI file back).
bounds=(
  "million-events.mid        1,000,001   1    100   3    300"
  "100mb-notes.mid           26,214,416  20   2500  60   6000"
  "sysex-only.mid            10,001      1    100   3    200"
  "tempo-1.mid               200,002     1    100   1    100"
  "tempo-16777215.mid        200,002     1    100   1    100"
  "tpb-1.mid                 200,001     1    100   1    100"
  "tpb-32767.mid             200,001     1    100   1    100"
  "never-released.mid        1,000,001   1    100   3    300"
  "stacked-identical.mid     2,000,001   2    200   5    400"
  "ten-hours.mid             576,002     1    100   2    200"
)
commands=(inspect dump process render)
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
failed=0
printf '%-24s %12s %10s %-8s %8s %8s %8s  %s\n' file bytes events command cpu-s wall-s peak-MB result
for row in "${bounds[@]}"; do
  read -r name events read_s read_mb full_s full_mb <<<"$row"
  [[ -n "$only" && "$name" != "$only" ]] && continue
  file="$out/$name"
  bytes=$(stat -c %s "$file")
  for cmd in "${commands[@]}"; do
    max_s=$full_s; max_mb=$full_mb
    case "$cmd" in
      inspect) args=(inspect "$file"); max_s=$read_s; max_mb=$read_mb ;;
      dump)    args=(dump "$file") ;;
      process) args=(process "$file" -o "$tmp/p.mid" --force --process quantize:grid=1/16) ;;
      render)  args=(render "$file" -o "$tmp/r.mid" --force) ;;
    esac
    set +e
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$bin" "${args[@]}" >/dev/null 2>"$tmp/err"
    rc=$?
    set -e
    read -r wall user sys kb < <(tail -1 "$tmp/time")
    secs=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u + s}')
    mb=$(( kb / 1024 ))
    verdict=ok
    if [[ $rc -ne 0 ]]; then verdict="FAILED (exit $rc: $(head -c 200 "$tmp/err" | head -1))"; failed=1
    elif awk -v s="$secs" -v m="$max_s" 'BEGIN{exit !(s > m)}'; then verdict="SLOW (bound ${max_s} CPU s)"; failed=1
    elif [[ $mb -gt $max_mb ]]; then verdict="BIG (bound ${max_mb} MB)"; failed=1
    fi
    printf '%-24s %12s %10s %-8s %8s %8s %8s  %s\n' "$name" "$bytes" "$events" "$cmd" "$secs" "$wall" "$mb" "$verdict"
  done
done
exit $failed
