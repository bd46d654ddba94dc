#!/usr/bin/env bash
# `aidcsim sweep` from the command line: bad input exits 2 with a clear message; a sweep killed
# with SIGKILL half-way and run again with --resume gives the same bytes as an uninterrupted one.
# Usage: cli_sweep.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
spec=$source/tests/sweep/lhs.yaml

# Bad input.
expect_exit 2 "cannot read the sweep file" "$aidcsim" sweep missing.yaml -o d
printf 'design: gird\nparameters:\n  - path: demand[us].base\n    values: [1]\n' > bad.yaml
expect_exit 2 "bad.yaml:1:9: design: unknown design 'gird' (did you mean 'grid'?)" "$aidcsim" sweep bad.yaml -o d
expect_exit 2 "--shard '4/4' is not K/N" "$aidcsim" sweep "$spec" -o d --shard 4/4
expect_exit 2 "expected a sweep file and -o DIR" "$aidcsim" sweep "$spec"
expect_exit 2 "not a sweep directory" "$aidcsim" sweep status .
printf 'scenario: nowhere.yaml\ndesign: grid\nparameters:\n  - path: demand[us].base\n    values: [1]\n' > nobase.yaml
expect_exit 2 "cannot read the base scenario" "$aidcsim" sweep nobase.yaml -o d2

# The reference, uninterrupted.
"$aidcsim" sweep "$spec" -o ref -j 2 > /dev/null
"$aidcsim" sweep merge ref > /dev/null
expect_exit 2 "use --resume" "$aidcsim" sweep "$spec" -o ref -j 2

# Killed with SIGKILL half-way (6 of its 12 runs recorded), then resumed: a slower sweep, so the
# kill lands in the middle.
kill_spec=$source/tests/sweep/kill.yaml
"$aidcsim" sweep "$kill_spec" -o kill-ref -j 2 > /dev/null
"$aidcsim" sweep merge kill-ref > /dev/null
done_runs() {  # runs listed as done in a manifest ("done 0-3,5" → 5)
  sed -n 's/^done //p' "$1" 2>/dev/null | tr ',' '\n' | awk -F- 'NF==2{n+=$2-$1+1} NF==1&&$1!=""{n+=1} END{print n+0}'
}
"$aidcsim" sweep "$kill_spec" -o killed -j 2 --batch-runs 1 > /dev/null 2>&1 &
pid=$!
for _ in $(seq 6000); do
  [ "$(done_runs killed/shard-0-of-1.manifest)" -ge 6 ] && break
  sleep 0.01
done
kill -KILL "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
"$aidcsim" sweep status killed | tee status.txt
grep -q "pending" status.txt || fail "status"
if grep -q " 0 pending" status.txt; then fail "the sweep finished before it could be killed"; fi
expect_exit 1 "pending" "$aidcsim" sweep merge killed || true
"$aidcsim" sweep "$kill_spec" -o killed -j 2 --resume > resume.txt
cat resume.txt
"$aidcsim" sweep merge killed > /dev/null
cmp kill-ref/runs.csv killed/runs.csv || fail "runs.csv differs after resume"
[ "$(tail -n +2 killed/runs.csv | cut -d, -f1 | sort -n | uniq | wc -l)" = "$(tail -n +2 kill-ref/runs.csv | wc -l)" ] || fail "runs lost or duplicated"
[ "$(tail -n +2 killed/runs.csv | wc -l)" = "12" ] || fail "runs.csv does not have the 12 runs once"
"$aidcsim" sweep status killed | grep -q "12 done, 0 failed, 0 pending" || fail "status after resume"
echo ok
