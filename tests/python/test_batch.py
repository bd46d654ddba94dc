"""batch_run: one row per run, parameters and KPIs, equal to single runs."""

import numpy as np
import pandas as pd
import pytest

import aidcsim


def test_batch_rows_equal_single_runs(source_dir):
    scenario = source_dir / "scenarios" / "compact.yaml"
    frame = aidcsim.batch_run(
        parameters={"agents.meta.strategy.momentum": [0.2, 0.8], "run.end": "2028Q4"},
        scenario=scenario,
        seeds=[1, 2],
        kpis=["end_installed_h100e", "max_price_usd_per_h100e_hour", "peak_idle_h100e"],
        jobs=2,
    )
    assert list(frame.columns) == ["run", "agents.meta.strategy.momentum", "run.end", "seed", "end_installed_h100e",
                                   "max_price_usd_per_h100e_hour", "peak_idle_h100e", "error"]
    assert len(frame) == 4
    assert list(frame["seed"]) == [1, 2, 1, 2]
    assert list(frame["agents.meta.strategy.momentum"]) == [0.2, 0.2, 0.8, 0.8]
    assert (frame["error"] == "").all()
    for _, row in frame.iterrows():
        single = aidcsim.run(scenario, set={"agents.meta.strategy.momentum": row["agents.meta.strategy.momentum"],
                                            "run.end": "2028Q4"}, seed=int(row["seed"]))
        kpis = single.kpis
        assert row["end_installed_h100e"] == kpis["end_installed_h100e"]
        assert row["peak_idle_h100e"] == kpis["peak_idle_h100e"]


def test_batch_threads_do_not_change_results(source_dir):
    scenario = source_dir / "scenarios" / "compact.yaml"
    args = dict(parameters={"demand[us].elasticity": [0.5, 1.0, 1.5]}, scenario=scenario, set={"run.end": "2026Q4"},
                seeds=2)
    one = aidcsim.batch_run(**args, jobs=1)
    two = aidcsim.batch_run(**args, jobs=2)
    assert one.drop(columns="error").equals(two.drop(columns="error"))
    assert len(one.columns) > 50  # every KPI by default


def test_batch_errors(source_dir):
    scenario = source_dir / "scenarios" / "compact.yaml"
    with pytest.raises(aidcsim.ScenarioError, match="agents.meta.strategy.momentom"):
        aidcsim.batch_run(parameters={"agents.meta.strategy.momentom": [0.5]}, scenario=scenario)
    with pytest.raises(ValueError, match="did you mean 'end_installed_h100e'"):
        aidcsim.batch_run(parameters={"run.end": ["2024Q4"]}, scenario=scenario, kpis=["end_instaled_h100e"])


def test_batch_without_parameters_is_one_run_per_seed(source_dir):
    frame = aidcsim.batch_run(scenario=source_dir / "scenarios" / "compact.yaml", seeds=[5],
                              set={"run.end": "2024Q4"}, kpis=["end_installed_h100e"])
    assert len(frame) == 1 and frame["seed"][0] == 5
    assert np.isfinite(frame["end_installed_h100e"][0])


def test_batch_streams_to_files_and_reads_them_back(source_dir, tmp_path):
    args = dict(parameters={"demand[us].elasticity": [0.5, 1.0, 1.5], "run.end": "2025Q4"},
                scenario=source_dir / "scenarios" / "compact.yaml", seeds=[1, 2], jobs=2)
    in_memory = aidcsim.batch_run(**args)
    out = tmp_path / "batches"
    streamed = aidcsim.batch_run(**args, out=out, batch_runs=2)
    files = sorted(p.name for p in out.iterdir())
    assert len(files) >= 3 and files[0] == "batch-000000.csv"  # 6 runs, at most 2 a batch
    assert all(name.startswith("batch-") and name.endswith(".csv") for name in files)
    pd.testing.assert_frame_equal(streamed, in_memory)
    pd.testing.assert_frame_equal(aidcsim.read_batch(out), in_memory)
    with pytest.raises(FileExistsError, match="already holds batch files"):
        aidcsim.batch_run(**args, out=out)
