"""A thousand runs in one process do not leak: resident memory after run 1,000 is within a few
MB of that after run 100 (the first hundred let the allocators and caches reach their size)."""

import gc
import os

import aidcsim

RUNS = 1000
WARM_UP = 100
BOUND_BYTES = 5 * 1024 * 1024


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_a_thousand_runs_do_not_grow_resident_memory(source_dir):
    # The compact scenario over a year, with everything a notebook takes from a run: about 20 ms
    # a run in a Debug build. Validating takes longer than the run, so the scenario is read and
    # validated again every tenth run only.
    text = (source_dir / "scenarios" / "compact.yaml").read_text()
    overrides = {"run.end": "2023Q4"}
    before = 0
    scenario = None
    for i in range(1, RUNS + 1):
        if i % 10 == 1:
            scenario = aidcsim.validate(text, set=overrides)
        run = aidcsim.run(scenario, seed=i)
        run.timeseries
        run.table("agents")
        run.events
        run.kpis
        del run
        if i == WARM_UP:
            gc.collect()
            before = resident_bytes()
    gc.collect()
    grown = resident_bytes() - before
    print(f"resident memory from run {WARM_UP} to run {RUNS}: {grown / 1e6:+.2f} MB")
    assert grown < BOUND_BYTES, f"resident memory grew {grown / 1e6:.1f} MB from run {WARM_UP} to run {RUNS}"
