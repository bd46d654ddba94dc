#!/usr/bin/env bash
# Noise does not swamp sensitivity: on the baseline (with its demand noise), a parameter that
# does nothing (finance.secondary_discount between 0.29 and 0.31) beside one that matters (US
# demand elasticity) gets a Sobol total index below 0.05 by default (common random numbers);
# with independent seeds and replications, `analyze` measures the noise, marks the dummy's index
# as noise and warns.
# Usage: noise.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
cat > dummy.yaml <<'SWEEP'
set: [run.end=2028Q4]
design: saltelli
samples: 64
seed: 1
parameters:
  - path: finance.secondary_discount
    distribution: uniform
    min: 0.29
    max: 0.31
  - path: demand[us].elasticity
    distribution: uniform
    min: 0.6
    max: 1.4
outputs: {kpis: [end_idle_h100e, end_installed_h100e]}
SWEEP
total_index() {  # FILE KPI PARAMETER: the total index of PARAMETER in KPI's table
  awk -v kpi="## $2" -v p="$3" '$0 == kpi {on = 1; next} /^## / {on = 0}
    on && index($0, "| " p " |") == 1 {split($0, f, "|"); gsub(/[ a-df-z()]/, "", f[5]); print f[5]; exit}' "$1"
}
"$aidcsim" sweep dummy.yaml -o common -j 2 > /dev/null
"$aidcsim" sweep analyze common --bootstrap 200 > common.md
for kpi in end_idle_h100e end_installed_h100e; do
  st=$(total_index common.md $kpi finance.secondary_discount)
  real=$(total_index common.md $kpi 'demand[us].elasticity')
  echo "common random numbers, $kpi: dummy ST = $st, elasticity ST = $real"
  awk -v s="$st" 'BEGIN {exit !(s != "" && s < 0.05)}' || { cat common.md; fail "the dummy's total index for $kpi is $st, not below 0.05"; }
  awk -v s="$real" 'BEGIN {exit !(s != "" && s > 0.5)}' || { cat common.md; fail "elasticity's total index for $kpi is $real"; }
done
grep -q "Noise: not measured (one replication per point); seeds are common" common.md || fail "no noise line"

# Independent seeds, two replications: the noise is measured and the dummy's index flagged.
sed -e 's/samples: 64/samples: 32/' -e 's/^seed: 1/seed: 1\nseeds: independent\nreplications: 2/' dummy.yaml > independent.yaml
"$aidcsim" sweep independent.yaml -o independent -j 2 > /dev/null
"$aidcsim" sweep analyze independent --bootstrap 200 --kpis end_idle_h100e > independent.md
grep -q "Noise: the replications of a design point differ by a standard deviation of" independent.md || { cat independent.md; fail "no noise share"; }
grep -qF "Warning: noise dominates the total index of finance.secondary_discount" independent.md || { cat independent.md; fail "no noise warning"; }
echo ok
