#!/usr/bin/env bash
# SIGINT and SIGTERM during `report`, `compare`, `calibrate` and `sweep merge`, sent at many
# moments (while reading, formatting and writing), once or twice in a row: the command exits 0
# (the signal came after its file was written) or 128 + the signal, the file under its final
# name is either the earlier one or the new one whole (the same bytes here: the inputs do not
# change), and no temporary NAME.tmp.<pid> is left.
# Usage: interrupt_writers.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"

no_temporaries() { [ -z "$(find . -name '*.tmp.*')" ] || fail "$1: temporaries left: $(find . -name '*.tmp.*')"; }

# interrupt_at WHAT FILE REFERENCE SIGNALS DELAY COMMAND…: starts COMMAND, sends SIGNALS (e.g.
# "INT" or "INT INT") after DELAY seconds, and checks the outcome.
interrupt_at() {
  local what=$1 file=$2 reference=$3 signals=$4 delay=$5 signal
  shift 5
  env --default-signal=INT,TERM "$@" > out.txt 2> err.txt &
  local pid=$!
  sleep "$delay"
  for signal in $signals; do kill -s "$signal" "$pid" 2> /dev/null || true; done
  set +e; wait "$pid"; local code=$?; set -e
  case $code in
    0 | 130 | 143) ;;
    *) fail "$what, $signals after ${delay}s: exited $code; stderr: $(cat err.txt)" ;;
  esac
  if [ "$code" != 0 ] && [ -s err.txt ]; then
    grep -qE "interrupted by SIG(INT|TERM) while .*(nothing written|no file was left half written)$" err.txt ||
      fail "$what, $signals after ${delay}s: unexpected stderr: $(cat err.txt)"
  fi
  cmp -s "$file" "$reference" || fail "$what, $signals after ${delay}s: $file is not the whole file"
  no_temporaries "$what, $signals after ${delay}s"
  printf '%s ' "$code"
}

"$aidcsim" run "$source/scenarios/baseline.yaml" --set run.end=2060Q4 -o long --log-level warn > /dev/null
"$aidcsim" run "$source/scenarios/compact.yaml" -o short --log-level warn > /dev/null
"$aidcsim" report long -o reference-report.html > /dev/null
"$aidcsim" compare long short -o reference-compare.html > /dev/null
cp reference-report.html long/report.html
cp reference-compare.html compare.html

delays="0.1 0.8 1.5"
for signals in INT TERM "INT INT"; do
  printf 'report, %s: exits ' "$signals"
  for delay in $delays; do
    interrupt_at report long/report.html reference-report.html "$signals" "$delay" "$aidcsim" report long
  done
  echo
  printf 'compare, %s: exits ' "$signals"
  for delay in 0.1 1.5; do
    interrupt_at compare compare.html reference-compare.html "$signals" "$delay" "$aidcsim" compare long short -o compare.html
  done
  echo
done

targets=$work/targets.csv
printf 'quarter,entity_kind,entity,metric,value\n2024Q4,bloc,us,price_usd_per_h100e_hour,2.2\n2025Q4,bloc,us,price_usd_per_h100e_hour,3.1\n' > "$targets"
calibrate=("$aidcsim" calibrate "$source/tests/calibrate/fixed_fleet.yaml" --targets "$targets"
           --params "demand[us].base=1e5:3e5" -o fit.yaml --report fit.md --seeds 4 --log-level warn)
"${calibrate[@]}" > /dev/null
cp fit.yaml reference-fit.yaml
for signals in INT TERM "INT INT"; do
  printf 'calibrate, %s: exits ' "$signals"
  for delay in 0.02 0.1; do
    interrupt_at calibrate fit.yaml reference-fit.yaml "$signals" "$delay" "${calibrate[@]}"
  done
  echo
done

"$aidcsim" sweep "$source/tests/sweep/small.yaml" -o sweep -j 2 > /dev/null 2>&1
"$aidcsim" sweep merge sweep > /dev/null
cp sweep/runs.csv reference-runs.csv
for signals in INT TERM "INT INT"; do
  printf 'sweep merge, %s: exits ' "$signals"
  for delay in 0.005 0.02; do
    interrupt_at "sweep merge" sweep/runs.csv reference-runs.csv "$signals" "$delay" "$aidcsim" sweep merge sweep
  done
  echo
done
echo ok
