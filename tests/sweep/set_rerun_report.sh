#!/usr/bin/env bash
# `--set` forms, `sweep rerun`, `sweep analyze` and `sweep report`:
#  - `--set` with a selector sets every item it picks (`agents[kind=hyperscaler].cash`), one that
#    picks nothing exits 2 listing what there is, `events+={…}` appends an event, and replacing a
#    whole list warns on stderr;
#  - a sweep with tied parameters runs; `sweep rerun DIR RUN` writes the run's directory, the same
#    bytes as `aidcsim run` with the run's --set and --seed (run.json's wall time aside); it
#    refuses a base scenario other than the one the sweep ran;
#  - a small saltelli sweep: `analyze` ranks, warns of too few base draws, gives PRCC and a PRIM
#    box; `report` writes one self-contained HTML page, the same bytes twice, which headless
#    Chromium (when installed) draws without a script error.
# Usage: set_rerun_report.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
cp "$source/tests/sweep/fixed_fleet.yaml" base.yaml

# --set with selectors, +=, and the warning.
"$aidcsim" show base.yaml --resolved --set 'agents[kind=hyperscaler].cash=$7B' > shown.yaml
grep -q 'cash: \$7B' shown.yaml || fail "the selector did not set acme's cash"
expect_exit 2 "--set agents[kind=lab].cash=1: agents: no item whose kind is 'lab'; kind takes: hyperscaler" \
  "$aidcsim" validate base.yaml --set 'agents[kind=lab].cash=1'
"$aidcsim" show base.yaml --resolved --set 'events+={name: hike, kind: base_rate, at: 2025Q1, rate: 8%}' > appended.yaml
grep -q 'name: hike' appended.yaml || fail "events+= did not append the event"
"$aidcsim" validate base.yaml --set 'demand=[{bloc: us, base: 150k, growth: 40%, reference_price: $2/h}]' 2> warned.txt
grep -qF "demand: replaces the whole list (1 item)" warned.txt || { cat warned.txt; fail "no warning for a whole list"; }

# A sweep with tied parameters and a selector, then one of its runs again.
cat > tied.yaml <<'SWEEP'
scenario: base.yaml
seed: 4
design: latin_hypercube
samples: 3
parameters:
  - name: appetite
    paths:
      - demand[us].elasticity
      - agents[kind=hyperscaler].strategy.target_share
    distribution: uniform
    min: 0.5
    max: 0.9
  - path: agents[*].cash
    values: [1e9, 3e9]
SWEEP
"$aidcsim" sweep tied.yaml -o out -j 2 > /dev/null
"$aidcsim" sweep merge out > /dev/null
head -1 out/runs.csv | grep -q '^run,point,replication,seed,appetite,agents\[\*\]\.cash,status' || fail "runs.csv header: $(head -1 out/runs.csv)"
expect_exit 2 "cannot read the base scenario" "$aidcsim" sweep rerun out 2
expect_exit 2 "there is no run 3" "$aidcsim" sweep rerun out 3 --scenario base.yaml
"$aidcsim" sweep rerun out 2 --scenario base.yaml -o again > rerun.txt
grep -q "^  aidcsim run base.yaml --seed" rerun.txt || fail "rerun does not print its aidcsim run: $(cat rerun.txt)"
eval "\"$aidcsim\" run $(sed -n 's/^  aidcsim run //p' rerun.txt | sed 's/-o again$/-o direct/')" > /dev/null
set_count=$(grep -o -- '--set' rerun.txt | wc -l)
[ "$set_count" = 3 ] || fail "expected the run's 3 assignments, got $set_count: $(cat rerun.txt)"
for f in direct/*; do
  name=$(basename "$f")
  if [ "$name" = run.json ]; then
    cmp <(grep -v wall_time_s "$f") <(grep -v wall_time_s "again/$name") || fail "run.json differs"
  else
    cmp "$f" "again/$name" || fail "$name differs between sweep rerun and aidcsim run"
  fi
done
[ "$(ls direct | wc -l)" = "$(ls again | wc -l)" ] || fail "the directories hold different files"
sed 's/cash: \$1B/cash: $2B/' base.yaml > other.yaml
expect_exit 2 "is not the one the sweep ran" "$aidcsim" sweep rerun out 2 --scenario other.yaml

# analyze and report on a small saltelli sweep.
cat > saltelli.yaml <<'SWEEP'
scenario: base.yaml
seed: 2
design: saltelli
samples: 16
parameters:
  - path: demand[us].elasticity
    distribution: uniform
    min: 0.5
    max: 1.5
  - path: demand[us].growth
    distribution: uniform
    min: 0.1
    max: 0.6
  - path: finance.secondary_discount
    distribution: uniform
    min: 0.29
    max: 0.31
outputs: {kpis: [end_installed_h100e, max_price_usd_per_h100e_hour]}
SWEEP
"$aidcsim" sweep saltelli.yaml -o sal -j 2 > /dev/null
"$aidcsim" sweep analyze sal --bootstrap 100 > analysis.md
for text in "ranked by total order" "**Warning: only 16 base draws**" "| rank | parameter | PRCC | p-value |" \
            "PRIM box (scenario discovery): the KPI is ≥"; do
  grep -qF -- "$text" analysis.md || { cat analysis.md; fail "analysis.md lacks '$text'"; }
done
"$aidcsim" sweep report sal --bootstrap 100 > /dev/null
"$aidcsim" sweep report sal --bootstrap 100 -o again.html > /dev/null
cmp sal/report.html again.html || fail "the report is not deterministic"
# The fixed fleet's installed compute does not vary: said in words, no chart; the price does.
for text in "Sensitivity: Sobol indices" "Partial rank correlation (PRCC)" "window.AIDC_SWEEP" "<h3>PRIM box</h3>" \
            "at every design point: no parameter moves it"; do
  grep -qF -- "$text" sal/report.html || fail "report.html lacks '$text'"
done
if command -v chromium > /dev/null; then
  chromium --headless --disable-gpu --no-sandbox --no-first-run --user-data-dir="$work/profile" --enable-logging=stderr \
    --v=0 --virtual-time-budget=10000 --dump-dom "file://$work/sal/report.html" > dom.html 2> chromium.txt
  ! grep -q "CONSOLE.*Uncaught" chromium.txt || { grep "CONSOLE" chromium.txt; fail "the report logged script errors"; }
  grep -q 'data-state="ready"' dom.html || fail "the report's script did not finish"
  [ "$(grep -o '<svg' dom.html | wc -l)" -ge 2 ] || fail "the report drew fewer than 2 charts"
else
  echo "chromium not installed: the report's drawing is not checked"
fi
echo ok
