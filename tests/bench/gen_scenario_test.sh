#!/usr/bin/env bash
# tools/gen-scenario: bad arguments exit 2 with a clear message; the same arguments give the same
# bytes; scenarios of several sizes validate without a warning and run to the end; the world they
# describe is busy (orders, new sites, power binding, power projects, borrowing).
# Usage: gen_scenario_test.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
gen=$source/tools/gen-scenario
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# Bad arguments.
expect_exit 2 "--agents 0: expected at least 1" "$gen" --sites 10 --agents 0 --quarters 8
expect_exit 2 "--quarters 0: expected 1 to 1000" "$gen" --sites 10 --agents 2 --quarters 0
expect_exit 2 "--regions 2: expected at least 3 (one per bloc of 5 agents)" "$gen" --sites 10 --agents 5 --quarters 8 --regions 2
expect_exit 2 "the following arguments are required: --sites" "$gen" --agents 2 --quarters 8
expect_exit 1 "cannot write" "$gen" --sites 1 --agents 1 --quarters 1 -o no/such/dir/x.yaml

# Deterministic for a seed; another seed, another world; standard output = the file.
"$gen" --sites 30 --agents 4 --quarters 12 --seed 5 -o a.yaml
"$gen" --sites 30 --agents 4 --quarters 12 --seed 5 -o b.yaml
"$gen" --sites 30 --agents 4 --quarters 12 --seed 5 > c.yaml
"$gen" --sites 30 --agents 4 --quarters 12 --seed 6 -o d.yaml
cmp a.yaml b.yaml || fail "same seed, different bytes"
cmp a.yaml c.yaml || fail "standard output differs from the file"
if cmp -s a.yaml d.yaml; then fail "seeds 5 and 6 gave the same scenario"; fi
[ -z "$(ls -A . | grep '^\.gen-scenario-' || true)" ] || fail "a temporary file was left behind"

# Sizes: (sites agents quarters [regions]); each validates cleanly and runs.
for size in "0 1 1" "1 1 4" "3 2 8" "12 3 16 3" "60 6 24" "250 25 40 5"; do
  set -- $size
  name="s$1-a$2-q$3"
  "$gen" --sites "$1" --agents "$2" --quarters "$3" ${4:+--regions "$4"} -o "$name.yaml"
  "$aidcsim" validate "$name.yaml" > /dev/null 2> "$name.validate.txt" || { cat "$name.validate.txt"; fail "$name does not validate"; }
  if grep -q . "$name.validate.txt"; then cat "$name.validate.txt"; fail "$name: validate printed warnings"; fi
  sites=$(grep -c '^  - {name: site-' "$name.yaml" || true)
  [ "$sites" = "$1" ] || fail "$name has $sites sites, expected $1"
  "$aidcsim" run "$name.yaml" -o "out-$name" --log-level warn > /dev/null 2> "$name.run.txt" || { cat "$name.run.txt"; fail "$name does not run"; }
  [ "$(tail -n +2 "out-$name/timeseries.csv" | cut -d, -f1 | sort -u | wc -l)" = "$3" ] || fail "$name: not $3 quarters recorded"
done

# The larger world is busy: agents order, build, meet the power limit, buy power and borrow.
events=out-s250-a25-q40/events.jsonl
for kind in order site_started power_bound power_project borrow; do
  grep -q "\"kind\":\"$kind\"" "$events" || fail "no '$kind' event in the 250-site run"
done
echo ok
