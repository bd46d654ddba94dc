#!/usr/bin/env bash
# Inputs of a few bytes that used to crash aidcsim or exhaust the machine are refused: exit 2, a
# message with the file, line and column, within 1 s of CPU and under a 100 MiB address-space
# limit (a refusal that allocated first would end in std::bad_alloc, exit 1). Also: the size of
# -j, NaN in numeric options, a worker thread the system will not start, the positions of the
# sweep errors that had none, and `sweep merge` of a results line with 200,000 KPI names.
# Usage: inputs.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
sweeps=$source/tests/sweep

# AddressSanitizer reserves terabytes of address space for its shadow memory: under it the
# address-space limit cannot apply (the release and dev builds check it) and CPU time is longer.
memory_kib=102400 cpu_seconds=1.0
# (grep reads all of ldd's output: with pipefail, `grep -q` could end ldd by SIGPIPE and fail the test.)
if ldd "$aidcsim" 2>/dev/null | grep 'libasan' > /dev/null; then memory_kib=unlimited cpu_seconds=10.0; fi

# bounded FRAGMENT COMMAND…: exit 2, FRAGMENT on stderr, < 1 s of CPU, within 100 MiB.
bounded() {
  local fragment=$1
  shift
  local TIMEFORMAT='%R %U %S' got
  set +e
  { time (ulimit -v "$memory_kib"; "$@" > out.txt 2> err.txt); } 2> time.txt
  got=$?
  set -e
  [ "$got" = 2 ] || { cat out.txt err.txt; fail "$* exited $got, expected 2"; }
  grep -qF -- "$fragment" err.txt || { cat err.txt; fail "$*: stderr lacks '$fragment'"; }
  read -r real user sys < time.txt
  awk -v u="$user" -v s="$sys" -v max="$cpu_seconds" 'BEGIN { exit !(u + s < max) }' ||
    fail "$*: took $user s user + $sys s system"
  echo "  ${real}s: $(head -1 err.txt | cut -c1-160)"
}

# A sweep file: the base scenario, then the given lines.
sweep_file() {  # NAME LINES…
  local name=$1
  shift
  { echo "scenario: $sweeps/fixed_fleet.yaml"; printf '%s\n' "$@"; } > "$name"
}

echo "Morris levels that wrap to 0 (were SIGFPE in sweep, status, merge and analyze):"
sweep_file morris.yaml "design: morris" "samples: 2" "levels: 4294967296" "parameters:" \
  "  - path: demand[us].base" "    range: {from: 1e5, to: 2e5, count: 3}"
bounded "morris.yaml:4:9: levels: 4294967296 is not allowed; expected a whole number from 2 to 1000" \
  "$aidcsim" sweep morris.yaml -o morris
# A results directory whose sweep.yaml is that file (as if edited after the sweep ran).
"$aidcsim" sweep "$sweeps/small.yaml" -o planted -j 2 > /dev/null 2>&1
cp morris.yaml planted/sweep.yaml
for command in status merge analyze; do
  bounded "planted/sweep.yaml:4:9: levels: 4294967296 is not allowed" "$aidcsim" sweep "$command" planted
done

echo "manifests that claim the impossible:"
"$aidcsim" sweep "$sweeps/small.yaml" -o manifest -j 2 > /dev/null 2>&1
good=$(cat manifest/shard-0-of-1.manifest)
sed -i 's/^done .*/done 0-18446744073709551615/' manifest/shard-0-of-1.manifest
bounded "shard-0-of-1.manifest:4:6: expected sorted run ranges such as 0-3,8, of runs below" "$aidcsim" sweep status manifest
bounded "shard-0-of-1.manifest:4:6" "$aidcsim" sweep "$sweeps/small.yaml" -o manifest --resume
echo "$good" | sed 's/^results_bytes .*/results_bytes 10000000000/' > manifest/shard-0-of-1.manifest
bounded "shard-0-of-1.manifest:2:15: results_bytes 10000000000 is more than shard-0-of-1.results holds (" \
  "$aidcsim" sweep merge manifest
bounded "shard-0-of-1.manifest:2:15: results_bytes 10000000000" "$aidcsim" sweep "$sweeps/small.yaml" -o manifest --resume
{ echo "$good"; head -c 3000000 /dev/zero | tr '\0' '0'; } > manifest/shard-0-of-1.manifest
bounded "shard-0-of-1.manifest:1:1: 3000" "$aidcsim" sweep status manifest

echo "designs too large for memory, and their positions:"
{
  echo "scenario: $sweeps/fixed_fleet.yaml"
  echo "design: saltelli"
  echo "samples: 98000"
  echo "parameters:"
  for i in $(seq 1 100); do printf '  - path: p%d\n    distribution: uniform\n    min: 0\n    max: 1\n' "$i"; done
} > saltelli.yaml
echo "  saltelli.yaml: $(wc -c < saltelli.yaml) bytes"
bounded "saltelli.yaml:3:10: design: the design's run table (9996000 points × 100 parameters, 9996000 runs) needs an estimated 72.9 GB, more than the limit of 4 GB" \
  "$aidcsim" sweep saltelli.yaml -o saltelli
sweep_file many.yaml "design: monte_carlo" "samples: 20000000" "parameters:" \
  "  - path: demand[us].base" "    distribution: uniform" "    min: 1e5" "    max: 2e5"
bounded "many.yaml:3:10: design: the design has 20000000 runs; at most 10000000 are allowed" "$aidcsim" sweep many.yaml -o many
sweep_file corr.yaml "design: monte_carlo" "samples: 10" "parameters:" \
  "  - path: demand[us].base" "    distribution: uniform" "    min: 1e5" "    max: 2e5" \
  "  - path: demand[us].elasticity" "    distribution: uniform" "    min: 0.5" "    max: 1" \
  "  - path: demand[us].growth" "    distribution: uniform" "    min: 0.1" "    max: 0.2" \
  "correlations:" \
  "  - {between: [\"demand[us].base\", \"demand[us].elasticity\"], rho: 0.9}" \
  "  - {between: [\"demand[us].base\", \"demand[us].growth\"], rho: 0.9}" \
  "  - {between: [\"demand[us].elasticity\", \"demand[us].growth\"], rho: -0.9}"
bounded "corr.yaml:18:5: correlations: the correlations are not consistent" "$aidcsim" sweep corr.yaml -o corr
sweep_file set.yaml "design: grid" "set: [\"demand[us].base=abc\", \"no.such.key=1\"]" "parameters:" \
  "  - path: demand[us].elasticity" "    values: [0.5, 1]"
bounded "set.yaml:3:7: set[0]: demand[0].base: expected a count" "$aidcsim" sweep set.yaml -o set
grep -qF "set.yaml:3:30: set[1]: no: unknown key 'no'" err.txt || fail "set[1] has no position: $(cat err.txt)"

echo "a time series spanning 1000Q1 to 9999Q4 (report and compare):"
"$aidcsim" run "$source/scenarios/compact.yaml" -o run --log-level warn > /dev/null
cp -r run span
{
  echo "quarter,entity_kind,entity,metric,value"
  for year in $(seq 1000 1999); do echo "${year}Q1,global,world,installed_h100e,1"; done
  echo "9999Q4,global,world,installed_h100e,1"
} > span/timeseries.csv
bounded "span/timeseries.csv:252:1: quarter 1250Q1 is 1000 quarters after the first, 1000Q1; expected at most 1000" \
  "$aidcsim" report span -o span.html
bounded "span/timeseries.csv:252:1" "$aidcsim" compare run span -o span-compare.html
[ ! -e span.html ] && [ ! -e span-compare.html ] || fail "a refused report was written"

echo "-j and numeric options:"
for j in 0 -1 18446744073709551615 100000; do
  expect_exit 2 "--jobs: Value $j not in range 1 to" "$aidcsim" sweep "$sweeps/small.yaml" -o jobs -j "$j"
done
[ ! -e jobs ] || fail "a sweep with a refused -j created its directory"
expect_exit 2 "--confidence: 'nan' is not a finite number" "$aidcsim" sweep analyze planted --confidence nan
expect_exit 2 "--utilization-high: 'nan' is not a finite number" "$aidcsim" compare run run --utilization-high nan
expect_exit 2 "--utilization-low: 'inf' is not a finite number" "$aidcsim" compare run run --utilization-low inf
echo "  -j 0, -1, 2^64-1, 100000 and NaN or infinite fractions refused"

# Worker threads the system will not start: as an unprivileged user limited to 3 processes
# (root is exempt from that limit), 2 of 8 threads start; limited to 1, none does.
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
  echo "worker threads that cannot start:"
  mkdir -m 777 threads
  cp "$sweeps/lhs.yaml" "$sweeps/fixed_fleet.yaml" threads/ && chmod 644 threads/*.yaml
  as_nobody() { (cd threads && setpriv --reuid=65534 --regid=65534 --clear-groups -- bash -c 'ulimit -u "$0"; exec "$@"' "$@"); }
  set +e; as_nobody 3 "$aidcsim" sweep lhs.yaml -o some -j 8 > out.txt 2> err.txt; code=$?; set -e
  [ "$code" = 0 ] || fail "a sweep with 2 of 8 threads exited $code: $(cat err.txt)"
  grep -qE "only [1-7] of 8 worker threads could start \(Resource temporarily unavailable\)" err.txt ||
    fail "no note of the threads that did not start: $(cat err.txt)"
  grep -q "24 of 24 runs done" out.txt || fail "the sweep did not finish: $(cat out.txt)"
  echo "  $(grep 'worker threads' err.txt)"
  set +e; as_nobody 1 "$aidcsim" sweep lhs.yaml -o none -j 8 > out.txt 2> err.txt; code=$?; set -e
  [ "$code" = 1 ] && grep -qF "aidcsim sweep: cannot start a worker thread: Resource temporarily unavailable; nothing was run" err.txt ||
    fail "no thread at all: exited $code: $(cat err.txt)"
  echo "  $(cat err.txt)"
else
  echo "SKIP (threads that cannot start): needs root and setpriv to run as an unprivileged user"
fi

echo "sweep merge of a results line with 200,000 KPI names:"
"$aidcsim" sweep "$sweeps/small.yaml" -o wide -j 2 > /dev/null 2>&1
runs=$(grep -c . wide/shard-0-of-1.results)
python3 - wide "$runs" << 'EOF'
import sys
d, runs = sys.argv[1], int(sys.argv[2])
kpis = ";".join(f"k{i}={i}" for i in range(200000))
lines = "".join(f"{r}\tok\t{kpis}\n" for r in range(runs))
open(f"{d}/shard-0-of-1.results", "w").write(lines)
m = open(f"{d}/shard-0-of-1.manifest").read().splitlines()
m = [f"results_bytes {len(lines)}" if l.startswith("results_bytes") else l for l in m]
open(f"{d}/shard-0-of-1.manifest", "w").write("\n".join(m) + "\n")
EOF
TIMEFORMAT='%R'
{ time timeout 120 "$aidcsim" sweep merge wide > out.txt 2> err.txt; } 2> time.txt || fail "merge failed: $(cat err.txt)"
[ "$(head -1 wide/runs.csv | tr ',' '\n' | grep -c '^k')" = 200000 ] || fail "runs.csv lacks the 200,000 KPI columns"
echo "  $runs runs × 200,000 KPIs merged in $(cat time.txt) s"
echo ok
