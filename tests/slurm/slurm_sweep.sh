#!/usr/bin/env bash
# A sweep on a real (one-node) Slurm cluster: installs slurm-wlm and munge from Debian if missing,
# starts munged, slurmctld and slurmd on localhost from a configuration in a temporary directory,
# submits the sweep as a 4-task array plus its merge job (tools/slurm/submit-sweep) with task 2
# made to fail (its results file is a directory), checks that the merge job still ran
# (afterany) and named the missing shard, resubmits task 2 alone (`sbatch --array=2`), merges
# again, and checks that the merged results are byte-identical to a local -j 2 run. Stops the
# daemons it started, by their PIDs. Exit 77 (skipped) when not root and Slurm is missing.
# Usage: slurm_sweep.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
spec=$source/tests/sweep/small.yaml

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then echo "slurm and munge are missing and this is not root: skipped"; exit 77; fi
  echo "installing slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

rm -rf "$work"
mkdir -p "$work"
work=$(realpath "$work")
tmp=$(mktemp -d /tmp/aidc-slurm.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/munge"
chmod 700 "$tmp/munge"

# munged on its own socket and key, so a system munged (if any) is left alone.
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
munged --foreground --force --socket="$tmp/munge/munge.socket" --key-file="$tmp/munge/munge.key" \
       --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed" &
pids+=($!)

port=$((20000 + RANDOM % 20000))
cat > "$tmp/slurm.conf" <<CONF
ClusterName=aidctest
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
: > "$tmp/cgroup.conf"
export SLURM_CONF=$tmp/slurm.conf
# slurmd (22.05) initializes its cgroup plugin even with task/none: without a cgroup file system
# (a bare chroot) it cannot start here.
if ! grep -q " /sys/fs/cgroup " /proc/mounts; then
  echo "no cgroup file system mounted on /sys/fs/cgroup: slurmd cannot start on this machine; skipped"
  exit 77
fi
for _ in $(seq 50); do [ -S "$tmp/munge/munge.socket" ] && break; sleep 0.1; done

slurmctld -D -i -f "$tmp/slurm.conf" &
ctld_pid=$!
pids+=($ctld_pid)
slurmd -D -N localhost -f "$tmp/slurm.conf" &
slurmd_pid=$!
pids+=($slurmd_pid)

for i in $(seq 60); do
  state=$(timeout 3 sinfo -h -n localhost -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  for p in $ctld_pid $slurmd_pid; do
    if ! kill -0 "$p" 2>/dev/null; then
      echo "a Slurm daemon (pid $p) stopped at start:"
      tail -20 "$tmp/slurmctld.log" "$tmp/slurmd.log" || true
      exit 1
    fi
  done
  if [ "$i" = 60 ]; then
    echo "the node did not come up (state '$state')"
    tail -20 "$tmp/slurmctld.log" "$tmp/slurmd.log" || true
    exit 1
  fi
  sleep 1
done
echo "slurm is up: node localhost $state"

# The reference: the same sweep, locally, on two threads.
"$aidcsim" sweep "$spec" -o "$work/local" -j 2
"$aidcsim" sweep merge "$work/local"

wait_jobs() {  # JOB-ID…: until none is queued or running (2 minutes at most)
  local ids
  ids=$(IFS=,; echo "$*")
  for i in $(seq 120); do
    [ -z "$(timeout 3 squeue -h -j "$ids" 2>/dev/null)" ] && return 0
    sleep 1
  done
  echo "jobs $ids did not finish in 2 minutes"; squeue; exit 1
}

# Task 2 fails: its results file is a directory, which the shard refuses to write into.
mkdir -p "$work/slurm/shard-2-of-4.results"
AIDCSIM=$aidcsim "$source/tools/slurm/submit-sweep" "$spec" "$work/slurm" --tasks 4 --partition=test
read -r array_id merge_id < "$work/slurm/slurm-jobs"
wait_jobs "$array_id" "$merge_id"
ls "$work/slurm"
grep -q -- '--shard "$SLURM_ARRAY_TASK_ID/4"' "$work/slurm/sweep.sbatch" || { echo "sweep.sbatch does not name the shard"; exit 1; }
cat "$work/slurm/slurm-${array_id}_2.out" || true
[ ! -f "$work/slurm/runs.csv" ] || { echo "runs.csv was merged although task 2 failed"; exit 1; }
# The merge job ran although a task failed (afterany), and named what is missing.
merge_log=$(ls "$work"/slurm/slurm-merge-*.out)
cat "$merge_log"
grep -q "incomplete shard: 2/4" "$merge_log" || { echo "the merge job did not name the failed shard"; exit 1; }
grep -q "sbatch --array=2 " "$merge_log" || { echo "the merge job did not say how to resubmit it"; exit 1; }

# Resubmitted alone, as the merge job says: exactly shard 2 of 4 is redone; then the merge.
rmdir "$work/slurm/shard-2-of-4.results"
resubmitted=$(sbatch --parsable --array=2 "$work/slurm/sweep.sbatch")
wait_jobs "${resubmitted%%;*}"
merged=$(sbatch --parsable "$work/slurm/merge.sbatch")
wait_jobs "${merged%%;*}"
cat "$work"/slurm/slurm-merge-"${merged%%;*}".out || true
[ -f "$work/slurm/runs.csv" ] || { echo "no runs.csv: the merge job did not run"; cat "$work"/slurm/slurm-*.out; exit 1; }
ls "$work/slurm"/shard-*-of-4.manifest | wc -l | grep -qx 4 || { echo "expected 4 shards"; exit 1; }
ls "$work/slurm"/shard-*-of-1.* 2>/dev/null && { echo "the resubmitted task ran as shard 0/1"; exit 1; }
cmp "$work/local/runs.csv" "$work/slurm/runs.csv"
cmp "$work/local/series.csv" "$work/slurm/series.csv"
echo "ok: a failed task resubmitted alone, and the Slurm array's merged results are byte-identical to the local run"
