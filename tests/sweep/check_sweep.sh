#!/usr/bin/env bash
# A sweep checked before it runs, and a sweep directory kept whole:
#  - a misspelt path (also among tied `paths`), a selector that picks no item, two parameters
#    setting one value, a fractional duration, an untruncated normal on a share and an unknown
#    KPI each exit 2 with file:line:col and a suggestion, from `validate`, `sweep --dry-run` and
#    `sweep`, before any run and without writing a directory;
#  - a second sweep on a directory whose shard is running exits 2; a lock left by a killed
#    process is taken over; a lock that is a symbolic link is refused;
#  - a base scenario edited between shards is refused on --resume, by a new shard and by merge;
#  - a shard of another split is refused; merge names the missing shards;
#  - tools/slurm/submit-sweep (with a stand-in sbatch) writes `--shard $SLURM_ARRAY_TASK_ID/N` and
#    an afterany merge job, and a task resubmitted alone (`--array=2`) redoes exactly shard 2.
# Usage: check_sweep.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
cp "$source/tests/sweep/fixed_fleet.yaml" base.yaml

write() {  # FILE PARAMETER-LINES…: a saltelli sweep of base.yaml
  local file=$1; shift
  { printf 'scenario: base.yaml\ndesign: saltelli\nsamples: 4\nparameters:\n'; printf '%s\n' "$@"; } > "$file"
}
bad() {  # FILE MESSAGE: every way in exits 2 with MESSAGE and writes nothing
  expect_exit 2 "$2" "$aidcsim" validate "$1"
  expect_exit 2 "$2" "$aidcsim" sweep "$1" --dry-run
  expect_exit 2 "$2" "$aidcsim" sweep "$1" -o "out-$1"
  grep -q "nothing was run" err.txt || fail "$1: no 'nothing was run'"
  [ ! -e "out-$1" ] || fail "$1: a sweep that does not check wrote its directory"
}
write typo.yaml '  - path: agents[acme].strategy.target_shar' '    distribution: uniform' '    min: 0.5' '    max: 1'
bad typo.yaml "typo.yaml:5:11: parameters[0]: 'agents[acme].strategy.target_shar': \`agents[].strategy\` has no parameter 'target_shar' (did you mean 'target_share'?)"
write item.yaml '  - path: agents[acm].cash' '    values: [1e9]'
bad item.yaml "item.yaml:5:11: parameters[0].path: 'agents[acm].cash': agents has no item named 'acm' (did you mean 'acme'?)"
write selector.yaml '  - path: agents[kind=lab].cash' '    values: [1e9]'
bad selector.yaml "selector.yaml:5:11: parameters[0].path: 'agents[kind=lab].cash': agents has no item whose kind is 'lab'; kind takes: hyperscaler"
write tied.yaml '  - paths:' '      - demand[us].elasticity' '      - agents[acme].strategy.target_shar' '    values: [0.5]'
bad tied.yaml "tied.yaml:7:9: parameters[0]: 'agents[acme].strategy.target_shar': \`agents[].strategy\` has no parameter 'target_shar' (did you mean 'target_share'?)"
write overlap.yaml '  - path: agents[*].cash' '    values: [1e9]' '  - path: agents[acme].cash' '    values: [2e9]'
bad overlap.yaml "overlap.yaml:7:11: parameters[1]: 'agents[acme].cash': sets agents[acme].cash, which parameters[0] ('agents[*].cash') sets too"
write duration.yaml '  - path: agents[acme].strategy.adjustment_time' '    distribution: uniform' '    min: 4' '    max: 16'
bad duration.yaml "duration.yaml:6:19: parameters[0]: 'agents[acme].strategy.adjustment_time': is a duration, a whole number of quarters; a uniform distribution draws fractions"
grep -qF 'add `whole: true` to draw whole quarters' err.txt || fail "no whole: true suggestion"
write share.yaml '  - path: finance.secondary_discount' '    distribution: normal' '    mean: 0.3' '    sd: 0.2'
bad share.yaml "share.yaml:6:19: parameters[0]: 'finance.secondary_discount': takes a value from 0 to 1, but an untruncated normal distribution has no bounds"
grep -qF 'truncate it by adding min: 0 and max: 1' err.txt || fail "no truncation suggestion"
write range.yaml '  - path: demand[us].elasticity' '    distribution: uniform' '    min: 0' '    max: 2'
bad range.yaml "its min 0 (0 ) is outside what it takes: a value from 0.05 to 10"
write section.yaml '  - path: agents[acme].strategy' '    values: [1]'
bad section.yaml "names a section (\`agents[].strategy\`), not one value"
{ write kpi.yaml '  - path: demand[us].elasticity' '    values: [0.5, 1]'; sed -i 's/saltelli/grid/; /samples/d' kpi.yaml; echo 'outputs: {kpis: [end_idle_h100]}' >> kpi.yaml; }
bad kpi.yaml "kpi.yaml:6:18: outputs.kpis[0]: unknown KPI 'end_idle_h100' (did you mean 'end_idle_h100e'?)"

# What checks: truncated, whole, in range; the dry run says what it would do and writes nothing.
write good.yaml '  - path: finance.secondary_discount' '    distribution: normal' '    mean: 0.3' '    sd: 0.2' '    min: 0' '    max: 1' \
  '  - path: agents[acme].strategy.adjustment_time' '    distribution: uniform' '    min: 4' '    max: 16' '    whole: true'
"$aidcsim" validate good.yaml | tee out.txt
grep -q "good.yaml: ok: saltelli design, 16 points × 1 replication = 16 runs, 2 parameters" out.txt || fail "validate"
"$aidcsim" sweep good.yaml --dry-run -j 2 | tee out.txt
grep -q "one run of point 0: .* s, so about" out.txt && grep -q "disk: about" out.txt || fail "dry run estimates"
[ "$(ls -d out-* 2>/dev/null | wc -l)" = 0 ] || fail "a dry run wrote a directory"

# KPIs as expressions: checked (entity, period, statistic), run, merged with their names.
{ write expr.yaml '  - path: demand[us].elasticity' '    values: [0.5, 1]'; sed -i 's/saltelli/grid/; /samples/d' expr.yaml; echo 'outputs: {kpis: ["idle_h100e@uss:2030=mean"]}' >> expr.yaml; }
expect_exit 2 "expr.yaml:6:18: outputs.kpis[0]: 'uss' is no bloc, region, agent or vendor of the base scenario (did you mean 'us'?)" "$aidcsim" validate expr.yaml
grep -qF "its period is outside the runs' horizon, 2024Q1 to 2026Q4" err.txt || fail "no horizon check"
sed -i 's/@uss:2030=mean/@us:2025=mean", "utilization@acme=min/' expr.yaml
"$aidcsim" sweep expr.yaml -o expr > /dev/null
"$aidcsim" sweep merge expr > /dev/null
head -1 expr/runs.csv | grep -qF ',idle_h100e@us:2025=mean,utilization@acme=min,' || fail "runs.csv lacks the expression KPIs"
[ "$(cut -d, -f7 expr/runs.csv | tail -n +2 | grep -c '^[0-9]')" = 2 ] || fail "the expression KPIs have no values"

# A grid sweep of the small scenario to shard, lock and merge.
printf 'scenario: base.yaml\nseed: 5\ndesign: grid\nreplications: 2\nparameters:\n  - path: demand[us].elasticity\n    values: [0.5, 0.75, 1, 1.25]\n' > grid.yaml

# The lock: held while a shard runs; a second sweep on it exits 2, naming the holder.
slow=$source/tests/sweep/kill.yaml
"$aidcsim" sweep "$slow" -o locked -j 1 > /dev/null 2>&1 &
pid=$!
for _ in $(seq 500); do [ -e locked/shard-0-of-1.lock ] && break; sleep 0.01; done
[ -e locked/shard-0-of-1.lock ] || fail "no lock file while the sweep runs"
expect_exit 2 "is in use: shard 0/1 of this sweep is being run by pid $pid" "$aidcsim" sweep "$slow" -o locked -j 1 --resume
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
[ -e locked/shard-0-of-1.lock ] || fail "kill -9 should leave the lock file behind"
"$aidcsim" sweep "$slow" -o locked -j 2 --resume > /dev/null || fail "a lock left by a killed process blocks --resume"
[ ! -e locked/shard-0-of-1.lock ] || fail "the lock is not removed at the end"
mkdir linked && ln -s /tmp/elsewhere linked/shard-0-of-1.lock
expect_exit 2 "shard-0-of-1.lock is a symbolic link" "$aidcsim" sweep grid.yaml -o linked
[ ! -e /tmp/elsewhere ] || [ -L linked/shard-0-of-1.lock ] || fail "the lock followed a symbolic link"

# The base scenario's hash: recorded per shard, checked on --resume, by a new shard and by merge.
"$aidcsim" sweep grid.yaml -o hashed --shard 0/2 > /dev/null
grep -q '^base_hash fnv1a64:' hashed/shard-0-of-2.manifest || fail "no base_hash in the manifest"
cp base.yaml base.orig
sed -i 's/growth: 40%/growth: 41%/' base.yaml
expect_exit 2 "ran another base scenario" "$aidcsim" sweep grid.yaml -o hashed --shard 0/2 --resume
expect_exit 2 "ran another base scenario" "$aidcsim" sweep grid.yaml -o hashed --shard 1/2
cp -r hashed mixed
"$aidcsim" sweep grid.yaml -o fresh --shard 1/2 > /dev/null
cp fresh/shard-1-of-2.* mixed/
expect_exit 2 "ran different base scenarios" "$aidcsim" sweep merge mixed
cp base.orig base.yaml
"$aidcsim" sweep grid.yaml -o hashed --shard 1/2 > /dev/null

# Another split is refused; merge names what is missing.
expect_exit 2 "holds shard-0-of-2 of a split into 2 shards; this is shard 0/1" "$aidcsim" sweep grid.yaml -o hashed
"$aidcsim" sweep grid.yaml -o partial --shard 1/4 > /dev/null
expect_exit 1 "incomplete shards: 0/4 (2 of 2 runs missing), 2/4 (2 of 2 runs missing), 3/4 (2 of 2 runs missing)" "$aidcsim" sweep merge partial
grep -qF -- "--shard K/4 --resume (K = 0,2,3)" err.txt || fail "merge does not say how to redo the shards"
"$aidcsim" sweep merge hashed > /dev/null
"$aidcsim" sweep grid.yaml -o whole -j 2 > /dev/null
"$aidcsim" sweep merge whole > /dev/null
cmp whole/runs.csv hashed/runs.csv || fail "two shards merge to other bytes than one"

# submit-sweep with a stand-in sbatch: the generated scripts, and one task resubmitted alone.
mkdir bin
printf '#!/bin/sh\necho "$@" >> %s/sbatch.log\necho 100\n' "$PWD" > bin/sbatch && chmod +x bin/sbatch
PATH=$PWD/bin:$PATH AIDCSIM=$aidcsim "$source/tools/slurm/submit-sweep" grid.yaml slurm --tasks 4 > /dev/null
grep -qF -- '--shard "$SLURM_ARRAY_TASK_ID/4"' slurm/sweep.sbatch || fail "sweep.sbatch does not name the shard"
grep -q -- "--dependency=afterany:100" sbatch.log || fail "the merge job does not run after failed tasks"
for k in 0 1 2 3; do  # each task as the array runs it
  SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=0 SLURM_CPUS_PER_TASK=1 bash slurm/sweep.sbatch > /dev/null
done
rm slurm/shard-2-of-4.*
expect_exit 1 "sbatch --array=2 " bash slurm/merge.sbatch
# `sbatch --array=2` alone: Slurm says task 2, of a count of 1 from a minimum of 2.
SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=1 SLURM_ARRAY_TASK_MIN=2 SLURM_CPUS_PER_TASK=1 bash slurm/sweep.sbatch > /dev/null
[ -e slurm/shard-2-of-4.manifest ] || fail "the resubmitted task did not redo shard 2 of 4"
bash slurm/merge.sbatch > /dev/null
cmp whole/runs.csv slurm/runs.csv || fail "the resubmitted shard merges to other bytes"
echo ok
