#!/usr/bin/env bash
# `aidcsim sweep retry`: the runs recorded as failed run again and their records are replaced.
# A sharded sweep with records marked failed by hand (as a run that fails for a reason outside the
# sweep, a full disk, would leave them) is retried shard by shard and merges to the bytes of a
# clean sweep; --dry-run lists the runs and changes nothing; a retry stopped by SIGINT exits 130,
# leaves every run recorded once or pending, and finishes when run again; a directory with a
# link planted under a shard file's name, a locked shard, another base scenario: exit 2, nothing
# changed. (Runs that fail again are tested in sweep_test.cpp, Retry.*.)
# Usage: retry_sweep.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
cp "$source/tests/sweep/small.yaml" "$source/tests/sweep/fixed_fleet.yaml" .
base=$work/fixed_fleet.yaml

# The reference: 12 runs (6 points × 2 replications), a series kept, in one go.
"$aidcsim" sweep small.yaml -o ref -j 2 > /dev/null
"$aidcsim" sweep merge ref > /dev/null

# The same sweep in two shards (runs 0-5 and 6-11).
"$aidcsim" sweep small.yaml -o sh --shard 0/2 -j 2 > /dev/null
"$aidcsim" sweep small.yaml -o sh --shard 1/2 -j 2 > /dev/null

# mark_failed DIR SHARD RUNS…: rewrites those runs' records as failed ("error: …"), and the
# manifest to match (its results byte count, its failed list); their series stay where they are.
mark_failed() {
  local dir=$1 stem=$2; shift 2
  local list=" $* "
  awk -F'\t' -v OFS='\t' -v list="$list" \
    'index(list, " " $1 " ") { $2 = "failed"; $3 = "error: cannot write /scratch/run: No space left on device" } { print }' \
    "$dir/$stem.results" > "$dir/$stem.results.new"
  mv "$dir/$stem.results.new" "$dir/$stem.results"
  local bytes; bytes=$(stat -c %s "$dir/$stem.results")
  sed -i -e "s/^results_bytes .*/results_bytes $bytes/" -e "s/^failed.*/failed $(echo "$*" | tr ' ' ',')/" \
    "$dir/$stem.manifest"
}
mark_failed sh shard-0-of-2 2 4
mark_failed sh shard-1-of-2 9
"$aidcsim" sweep status sh | tee status.txt
grep -q "9 done, 3 failed, 0 pending" status.txt || fail "the runs marked failed are not shown as failed"

# The spec in DIR names its base scenario relative to the sweep file it was copied from.
expect_exit 2 "cannot read the base scenario" "$aidcsim" sweep retry sh

# --dry-run: the runs, by shard; nothing changes.
snapshot() { (cd "$1" && find . -type f -o -type l | sort | xargs sha256sum); }
before=$(snapshot sh)
"$aidcsim" sweep retry sh --scenario "$base" --dry-run | tee dry.txt
grep -qx "shard 0/2: 2 failed runs to retry (2,4)" dry.txt || fail "dry run: shard 0"
grep -qx "shard 1/2: 1 failed run to retry (9)" dry.txt || fail "dry run: shard 1"
grep -qx "dry run: 3 failed runs would be retried; nothing was changed" dry.txt || fail "dry run: summary"
[ "$(snapshot sh)" = "$before" ] || fail "the dry run changed the directory"

# Hostile directories: refused before anything changes.
hostile() {  # NAME: a copy of sh
  rm -rf "$1" && cp -a sh "$1"
}
hostile linked && mv linked/shard-0-of-2.results linked/real.results && ln -s real.results linked/shard-0-of-2.results
before=$(snapshot linked)
expect_exit 2 "shard-0-of-2.results: a symbolic link" "$aidcsim" sweep retry linked --scenario "$base"
[ "$(snapshot linked)" = "$before" ] && [ -L linked/shard-0-of-2.results ] || fail "a linked shard file: the directory changed"
hostile linkedgz && mv linkedgz/shard-1-of-2.series.gz linkedgz/real.gz && ln -s real.gz linkedgz/shard-1-of-2.series.gz
before=$(snapshot linkedgz)
expect_exit 2 "shard-1-of-2.series.gz: a symbolic link" "$aidcsim" sweep retry linkedgz --scenario "$base" --shard 1/2
[ "$(snapshot linkedgz)" = "$before" ] || fail "a linked series file: the directory changed"
hostile twice && sed -n 1p twice/shard-0-of-2.results >> twice/shard-0-of-2.results
sed -i "s/^results_bytes .*/results_bytes $(stat -c %s twice/shard-0-of-2.results)/" twice/shard-0-of-2.manifest
before=$(snapshot twice)
expect_exit 2 "recorded twice" "$aidcsim" sweep retry twice --scenario "$base"
[ "$(snapshot twice)" = "$before" ] || fail "a run recorded twice: the directory changed"
hostile split
before=$(snapshot split)
expect_exit 2 "pass --shard K/2" "$aidcsim" sweep retry split --scenario "$base" --shard 0/3
[ "$(snapshot split)" = "$before" ] || fail "another split: the directory changed"
sed 's/cash: \$1B/cash: $2B/' fixed_fleet.yaml > other_base.yaml
expect_exit 2 "ran another base scenario" "$aidcsim" sweep retry split --scenario "$work/other_base.yaml"
[ "$(snapshot split)" = "$before" ] || fail "another base scenario: the directory changed"
if command -v flock > /dev/null; then
  : > split/shard-1-of-2.lock
  flock split/shard-1-of-2.lock sleep 30 &
  holder=$!
  sleep 0.5
  expect_exit 2 "in use" "$aidcsim" sweep retry split --scenario "$base"
  kill "$holder"; wait "$holder" 2> /dev/null || true
  rm -f split/shard-1-of-2.lock
  [ "$(snapshot split)" = "$before" ] || fail "a locked shard: the directory changed"
fi

# One shard (as a Slurm array task retries its own), then the rest.
"$aidcsim" sweep retry sh --scenario "$base" --shard 1/2 -j 2 | tee retry1.txt
grep -q "retried 1 failed run: 1 now ok, 0 still failed" retry1.txt || fail "retry of shard 1/2"
grep -q "^failed 2,4$" sh/shard-0-of-2.manifest || fail "shard 0/2 was touched by the retry of shard 1/2"
"$aidcsim" sweep status sh | grep -q "10 done, 2 failed, 0 pending" || fail "status after retrying shard 1/2"
"$aidcsim" sweep retry sh --scenario "$base" -j 2 | tee retry2.txt
grep -q "retried 2 failed runs: 2 now ok, 0 still failed" retry2.txt || fail "retry of the rest"
"$aidcsim" sweep status sh | grep -q "12 done, 0 failed, 0 pending" || fail "status after the retry"
"$aidcsim" sweep retry sh --scenario "$base" | grep -q "retried 0 failed runs" || fail "a retry with nothing to do"
"$aidcsim" sweep merge sh > /dev/null
cmp ref/runs.csv sh/runs.csv || fail "runs.csv after the retry differs from the clean sweep's"
cmp ref/series.csv sh/series.csv || fail "series.csv after the retry differs from the clean sweep's"
ls -A sh | grep -q 'tmp' && fail "a temporary was left: $(ls -A sh)"
echo "retried: runs.csv and series.csv the same bytes as the clean sweep"

# Stopped by SIGINT while it runs: a slower sweep (the baseline scenario, 12 runs), runs 1-11
# marked failed and retried one at a time, written one by one.
kill_spec=$source/tests/sweep/kill.yaml
baseline=$source/scenarios/baseline.yaml
"$aidcsim" sweep "$kill_spec" -o kill-ref -j 2 > /dev/null
"$aidcsim" sweep merge kill-ref > /dev/null
cp -a kill-ref stopped && rm stopped/runs.csv
mark_failed stopped shard-0-of-1 1 2 3 4 5 6 7 8 9 10 11
done_runs() {  # runs listed as done in a manifest ("done 0-3,5" → 5)
  sed -n 's/^done //p' "$1" 2>/dev/null | tr ',' '\n' | awk -F- 'NF==2{n+=$2-$1+1} NF==1&&$1!=""{n+=1} END{print n+0}'
}
failed_runs() { sed -n 's/^failed //p' "$1" | tr ',' '\n' | awk -F- 'NF==2{n+=$2-$1+1} NF==1&&$1!=""{n+=1} END{print n+0}'; }
# (A script's background jobs start with SIGINT ignored: env puts it back to its default.)
env --default-signal=INT "$aidcsim" sweep retry stopped --scenario "$baseline" -j 1 --batch-runs 1 > stop.txt 2> stop-err.txt &
pid=$!
# Once the failed runs are set aside (done 1) and two of them ran again (done 3), stop it.
for _ in $(seq 6000); do
  [ "$(failed_runs stopped/shard-0-of-1.manifest)" = 0 ] && [ "$(done_runs stopped/shard-0-of-1.manifest)" -ge 3 ] && break
  sleep 0.01
done
kill -INT "$pid"
set +e; wait "$pid"; code=$?; set -e
cat stop.txt stop-err.txt
[ "$code" = 130 ] || fail "a retry stopped by SIGINT exited $code, expected 130"
grep -q "finish with: aidcsim sweep retry stopped" stop-err.txt || fail "the stop does not say how to finish"
"$aidcsim" sweep status stopped | tee status.txt
grep -q " 0 failed" status.txt || fail "a run set aside is still recorded as failed"
if grep -q " 0 pending" status.txt; then fail "the retry finished before it could be stopped"; fi
ls -A stopped | grep -q 'tmp' && fail "a temporary was left: $(ls -A stopped)"
expect_exit 1 "pending" "$aidcsim" sweep merge stopped
"$aidcsim" sweep retry stopped --scenario "$baseline" --dry-run | grep -q "pending runs\? to finish" || fail "dry run after the stop"
"$aidcsim" sweep retry stopped --scenario "$baseline" -j 2 | tee again.txt
grep -q "retried 0 failed runs: 0 now ok, 0 still failed; and [0-9]* pending runs\? finished" again.txt || fail "finishing the stopped retry"
"$aidcsim" sweep merge stopped > /dev/null
cmp kill-ref/runs.csv stopped/runs.csv || fail "runs.csv after a stopped retry differs from the clean sweep's"
[ "$(tail -n +2 stopped/runs.csv | cut -d, -f1 | sort -n | uniq | wc -l)" = 12 ] || fail "runs lost or duplicated"
echo ok
