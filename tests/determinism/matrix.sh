#!/usr/bin/env bash
# The same scenario and seed give the same bytes.
#
#   matrix.sh within AIDCSIM SOURCE_DIR WORK_DIR
#     every output file of `aidcsim run --report` (run.json without wall_time_s) is the same in
#     two runs of each scenario and seed of the matrix below; the sweep tests/determinism/sweep.yaml
#     merges to the same runs.csv, series.csv and analysis.md with -j 1, 2 and 4 and in 1, 2 and 3
#     shards.
#   matrix.sh across AIDCSIM OTHER_AIDCSIM SOURCE_DIR WORK_DIR
#     the same files from two builds of the same source (Debug and Release): only run.json's
#     build_type and wall_time_s and the build type named in report.html's footer may differ.
#     Skipped (77) if OTHER_AIDCSIM does not exist.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
mode=$1
shift
if [ "$mode" = across ]; then
  if [ ! -x "$2" ]; then
    echo "SKIP: no other build at $2; build it (cmake --preset release && cmake --build --preset release)"
    echo "      and run this test again to compare the two builds' outputs"
    exit 77
  fi
  aidcsim=$(realpath "$1") other=$(realpath "$2")
  shift 2
else
  aidcsim=$(realpath "$1") other=
  shift
fi
source=$(realpath "$1") work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# scenario file (under scenarios/) and seed
matrix=(
  "baseline.yaml 42" "baseline.yaml 7"
  "compact.yaml 42" "compact.yaml 1"
  "power-crunch.yaml 3"
  "credit-crunch.yaml 5"
  "efficiency-shock.yaml 11"
)

# The bytes of FILE that must not change: run.json without the wall time (and without the build
# type when builds are compared), report.html without the build type.
stable_bytes() {
  case "$(basename "$1")" in
    run.json) grep -v -e '"wall_time_s":' ${other:+-e '"build_type":'} "$1" ;;
    report.html) if [ -n "$other" ]; then sed -E 's/ \((Debug|Release|RelWithDebInfo|MinSizeRel) build\)/ (… build)/g' "$1"; else cat "$1"; fi ;;
    *) cat "$1" ;;
  esac
}

files_compared=0
# same_files DIR_A DIR_B WHAT [FILE…]: the same files (all of them if none named), the same bytes.
same_files() {
  local a=$1 b=$2 what=$3
  shift 3
  local names
  if [ $# -gt 0 ]; then
    names=$(printf '%s\n' "$@")
  else
    names=$(cd "$a" && find . -type f | sort)
    [ "$names" = "$(cd "$b" && find . -type f | sort)" ] || fail "$what: $a and $b hold different files"
    [ -n "$names" ] || fail "$what: $a is empty"
  fi
  local f
  while read -r f; do
    if ! cmp -s <(stable_bytes "$a/$f") <(stable_bytes "$b/$f"); then
      diff <(stable_bytes "$a/$f") <(stable_bytes "$b/$f") | head -n 10 || true
      fail "$what: $f differs between $a and $b"
    fi
    files_compared=$((files_compared + 1))
  done <<< "$names"
}

run() {  # BINARY OUT SCENARIO SEED
  "$1" run "$source/scenarios/$3" --seed "$4" -o "$2" --report --log-level warn > /dev/null
}

sweep_spec=$source/tests/determinism/sweep.yaml
sweep_files=(runs.csv series.csv analysis.md)
# Each variant of the sweep goes to VARIANT/sweep, and is merged and analysed from VARIANT: the
# analysis names the directory it read ("sweep/sweep.yaml").
sweep() {  # BINARY VARIANT OPTIONS…
  local binary=$1 variant=$2
  shift 2
  mkdir "$variant"
  (cd "$variant" && "$binary" sweep "$sweep_spec" -o sweep "$@" > /dev/null 2>&1)
  finish_sweep "$binary" "$variant"
}
sharded_sweep() {  # BINARY VARIANT SHARDS
  local k
  mkdir "$2"
  for ((k = 0; k < $3; k++)); do (cd "$2" && "$1" sweep "$sweep_spec" -o sweep --shard "$k/$3" -j 1 > /dev/null 2>&1); done
  finish_sweep "$1" "$2"
}
finish_sweep() {  # BINARY VARIANT
  (cd "$2" && "$1" sweep merge sweep > /dev/null && "$1" sweep analyze sweep --bootstrap 200 > /dev/null)
  [ "$(grep -c ",ok," "$2/sweep/runs.csv")" = 16 ] || fail "$2: the sweep did not record its 16 runs as ok"
}

runs=0
for entry in "${matrix[@]}"; do
  read -r scenario seed <<< "$entry"
  name=${scenario%.yaml}-$seed
  run "$aidcsim" "a/$name" "$scenario" "$seed"
  if [ -z "$other" ]; then
    run "$aidcsim" "b/$name" "$scenario" "$seed"
    same_files "a/$name" "b/$name" "$scenario, seed $seed, run twice"
  else
    run "$other" "b/$name" "$scenario" "$seed"
    same_files "a/$name" "b/$name" "$scenario, seed $seed, by $aidcsim and $other"
  fi
  runs=$((runs + 2))
done
# Another seed gives other results (so the comparisons above could fail).
cmp -s a/baseline-42/timeseries.csv a/baseline-7/timeseries.csv && fail "seeds 42 and 7 give the same baseline run"

if [ -z "$other" ]; then
  sweep "$aidcsim" j1 -j 1
  for jobs in 2 4; do
    sweep "$aidcsim" "j$jobs" -j "$jobs"
    same_files j1/sweep "j$jobs/sweep" "the sweep with -j 1 and -j $jobs" "${sweep_files[@]}"
  done
  for shards in 2 3; do
    sharded_sweep "$aidcsim" "shards$shards" "$shards"
    same_files j1/sweep "shards$shards/sweep" "the sweep whole and in $shards shards" "${sweep_files[@]}"
  done
  variants="-j 1, 2, 4 and 1, 2, 3 shards"
else
  sweep "$aidcsim" this -j 2
  sweep "$other" other -j 2
  same_files this/sweep other/sweep "the sweep by $aidcsim and $other" "${sweep_files[@]}"
  variants="both builds"
fi
echo "ok: $runs runs of ${#matrix[@]} scenario-seed pairs and the sweep ($variants): $files_compared files compared, all identical"
