"""The GIL is released while a run simulates, and repeated runs do not leak."""

import resource
import threading
import time

import pytest

import aidcsim


def test_python_runs_while_a_simulation_does():
    # While one thread simulates, the main thread keeps running Python. Were the GIL held through
    # the simulation, the main thread would stall for all of it: the longest gap between two of
    # its loop iterations would be the run's whole wall time.
    done = threading.Event()
    result = {}

    def simulate():
        result["run"] = aidcsim.run()
        done.set()

    worker = threading.Thread(target=simulate)
    worker.start()
    last = time.perf_counter()
    longest = 0.0
    while not done.is_set():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    worker.join()
    wall = result["run"].wall_seconds
    if wall < 0.05:
        pytest.skip(f"the run took {wall:.3f} s: too short to tell")
    assert longest < 0.5 * wall, f"the main thread stalled {longest:.3f} s during a {wall:.3f} s run"


def test_two_threads_run_two_simulations(source_dir):
    scenario = source_dir / "scenarios" / "compact.yaml"
    runs = {}

    def simulate(seed):
        runs[seed] = aidcsim.run(scenario, seed=seed).kpis

    threads = [threading.Thread(target=simulate, args=(s,)) for s in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert runs[1] == aidcsim.run(scenario, seed=1).kpis
    assert runs[2] == aidcsim.run(scenario, seed=2).kpis


def test_repeated_runs_do_not_grow_memory(source_dir):
    scenario = (source_dir / "scenarios" / "compact.yaml").read_text()
    overrides = {"run.end": "2023Q4"}

    def once():
        run = aidcsim.run(scenario, set=overrides)
        run.timeseries
        run.table("agents")
        run.events

    for _ in range(30):
        once()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(200):
        once()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert after - before < 20 * 1024, f"peak memory grew by {after - before} KiB over 200 runs"
