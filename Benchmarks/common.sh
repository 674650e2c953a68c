# Shared preamble of the benchmark scripts. Source it first thing, passing the script's arguments:
#     . "$(dirname "${BASH_SOURCE[0]}")/../common.sh" "$@"
# It turns on strict mode (set -euo pipefail), sets `here` (the script's folder) and `root` (the package
# root), and answers -h/--help by printing the script's header comment (then running the script's function
# bench_more_help, if it defined one before sourcing) and exiting.
# Functions:
#   bench_out NAME          sets `out` to Benchmarks/out/NAME and creates it
#   bench_tunesmith [DIR]   sets TUNESMITH to the release tunesmith: $TUNESMITH or $TUNESMITH_BIN if given (a
#                           prebuilt binary), else `swift build -c release --product tunesmith` with scratch path
#                           $SCRATCH (default DIR, else .build; relative to the package root), build output on stderr
#   bench_venv DIR IMPORTS PACKAGE...   makes the Python venv DIR unless `import IMPORTS` already works in it,
#                           and pip-installs the packages into it
#   median VALUE...  /  fastest VALUE...   of numbers
set -euo pipefail
bench_script="${BASH_SOURCE[1]}"
here="$(cd "$(dirname "$bench_script")" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bench_help() {  # the calling script's header comment, without the '#'
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$bench_script"
}
case "${1:-}" in -h|--help) bench_help; if declare -F bench_more_help >/dev/null; then bench_more_help; fi; exit 0 ;; esac

bench_out() {
  out="$root/Benchmarks/out/$1"
  mkdir -p "$out"
}

bench_tunesmith() {
  TUNESMITH="${TUNESMITH:-${TUNESMITH_BIN:-}}"
  [ -n "$TUNESMITH" ] && return
  local scratch="${SCRATCH:-${1:-.build}}"
  [[ "$scratch" = /* ]] || scratch="$root/$scratch"
  (cd "$root" && swift build -c release --scratch-path "$scratch" --product tunesmith >&2)
  TUNESMITH="$(cd "$root" && swift build -c release --scratch-path "$scratch" --show-bin-path)/tunesmith"
}

bench_venv() {
  local dir="$1" imports="$2"
  shift 2
  if [ ! -x "$dir/bin/python" ] || ! "$dir/bin/python" -c "import $imports" 2>/dev/null; then
    [ -x "$dir/bin/python" ] || python3 -m venv "$dir" >&2
    "$dir/bin/pip" install -q "$@" >&2
  fi
}

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
fastest() { printf '%s\n' "$@" | sort -g | head -1; }
