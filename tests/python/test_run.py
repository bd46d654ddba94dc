"""A run from Python gives what `aidcsim run` gives for the same scenario, overrides and seed."""

import json
import math

import numpy as np
import pandas as pd
import pytest

import aidcsim


@pytest.fixture(scope="module")
def default_run():
    return aidcsim.run()


@pytest.fixture(scope="module")
def cli_default(cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli-default")
    cli("run", "-o", out, "--seed", "42")
    return out


def test_timeseries_is_tidy_with_periods(default_run):
    ts = default_run.timeseries
    assert list(ts.columns) == ["quarter", "entity_kind", "entity", "metric", "value"]
    assert isinstance(ts["quarter"].dtype, pd.PeriodDtype)
    assert ts["quarter"].dtype == pd.PeriodDtype("Q")
    assert ts["quarter"].iloc[0] == pd.Period("2023Q1", freq="Q")
    assert ts["quarter"].iloc[-1] == pd.Period("2035Q4", freq="Q")
    assert ts["metric"].dtype == "category" and ts["entity"].dtype == "category"
    assert ts["value"].dtype == np.float64
    assert default_run.seed == 42


def test_installed_compute_equals_the_cli_value(default_run, cli_default):
    # By hand: the world's installed_h100e in 2027Q2 as the CLI wrote it into timeseries.csv.
    cli_value = None
    with open(cli_default / "timeseries.csv") as f:
        for line in f:
            if line.startswith("2027Q2,global,world,installed_h100e,"):
                cli_value = float(line.rsplit(",", 1)[1])
    assert cli_value is not None and cli_value > 1e6
    ts = default_run.timeseries
    row = ts[(ts.quarter == pd.Period("2027Q2", freq="Q")) & (ts.entity == "world") & (ts.metric == "installed_h100e")]
    assert len(row) == 1
    assert row["value"].iloc[0] == cli_value
    assert default_run.series("installed_h100e")[pd.Period("2027Q2", freq="Q")] == cli_value


def test_save_writes_the_cli_bytes(default_run, cli_default, tmp_path):
    files = default_run.save(tmp_path / "py")
    assert "timeseries.csv" in files and "agents.csv" in files and "run.json" in files
    for name in ["timeseries.csv", "events.jsonl", "global.csv", "blocs.csv", "regions.csv", "agents.csv", "vendors.csv"]:
        assert (tmp_path / "py" / name).read_bytes() == (cli_default / name).read_bytes(), name
    mine = json.loads((tmp_path / "py" / "run.json").read_text())
    theirs = json.loads((cli_default / "run.json").read_text())
    for key in ["scenario", "seed"]:
        assert mine.get(key) == theirs.get(key)


def test_wide_tables_equal_the_csv(default_run, cli_default):
    for name in ["global", "blocs", "regions", "agents", "vendors"]:
        mine = default_run.table(name)
        theirs = pd.read_csv(cli_default / f"{name}.csv", float_precision="round_trip")
        assert list(mine.columns) == list(theirs.columns), name
        assert [str(q) for q in mine["quarter"]] == list(theirs["quarter"])
        assert list(mine["entity"].astype(str)) == list(theirs["entity"].astype(str))
        np.testing.assert_array_equal(mine.iloc[:, 2:].to_numpy(), theirs.iloc[:, 2:].to_numpy(dtype=float))
    assert default_run.table("agents.csv") is default_run.table("agents.csv")
    with pytest.raises(ValueError, match="unknown table 'agnets'"):
        default_run.table("agnets")


def test_events_equal_the_event_log(default_run, cli_default):
    events = default_run.events
    lines = (cli_default / "events.jsonl").read_text().splitlines()
    assert len(events) == len(lines)
    first = json.loads(lines[0])
    assert str(events["quarter"].iloc[0]) == first["quarter"]
    assert events["kind"].iloc[0] == first["kind"]
    assert events["cause"].iloc[0] == first["cause"]
    assert events["figures"].iloc[0] == first["figures"]


def test_kpis_and_summary(default_run, cli_default):
    kpis = default_run.kpis
    world = default_run.world
    assert kpis["end_installed_h100e"] == world["installed_h100e"].iloc[-1]
    assert kpis["sum_revenue_usd"] == pytest.approx(world["revenue_usd"].sum(), rel=1e-12)
    assert kpis["max_stranded_h100e"] == world["stranded_h100e"].max()
    assert "peak_idle_h100e" in kpis and "stranded_quarters" in kpis
    summary = default_run.summary()
    assert summary.startswith("baseline (<embedded>/baseline.yaml), seed 42, 2023Q1..2035Q4")
    assert "2035" in summary


def test_a_file_with_overrides_equals_the_cli(cli, source_dir, tmp_path):
    overrides = {"agents.meta.strategy.momentum": 0.8, "regions[us-east].interconnection_time": "7 years"}
    run = aidcsim.run(source_dir / "scenarios" / "compact.yaml", set=overrides, seed=7)
    run.save(tmp_path / "py")
    cli("run", source_dir / "scenarios" / "compact.yaml", "--seed", "7", "--set", "agents.meta.strategy.momentum=0.8",
        "--set", "regions[us-east].interconnection_time=7 years", "-o", tmp_path / "cli")
    assert (tmp_path / "py" / "timeseries.csv").read_bytes() == (tmp_path / "cli" / "timeseries.csv").read_bytes()
    # The same scenario as YAML text gives the same numbers.
    text = (source_dir / "scenarios" / "compact.yaml").read_text()
    again = aidcsim.run(text, set=overrides, seed=7)
    np.testing.assert_array_equal(again.timeseries["value"].to_numpy(), run.timeseries["value"].to_numpy())


def test_ensemble_equals_the_cli(cli, source_dir, tmp_path):
    scenario = source_dir / "scenarios" / "compact.yaml"
    run = aidcsim.run(scenario, seeds=3, jobs=2)
    assert run.is_ensemble and run.seeds == [1, 2, 3]
    ts = run.timeseries
    assert list(ts.columns)[-5:] == ["p05", "p25", "p50", "p75", "p95"]
    assert (ts["p05"] <= ts["p95"]).all()
    run.save(tmp_path / "py")
    cli("run", scenario, "--seeds", "3", "-j", "2", "-o", tmp_path / "cli")
    for name in ["timeseries.csv", "ensemble.csv", "seeds.csv"]:
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    figures = run.seed_figures
    assert list(figures["seed"]) == [1, 2, 3]
    assert aidcsim.run(scenario, seeds="2-3").seeds == [2, 3]
    with pytest.raises(ValueError, match="seeds"):
        aidcsim.run(scenario, seeds="3-1")


def test_report_writes_a_page(tmp_path, source_dir):
    run = aidcsim.run(source_dir / "scenarios" / "compact.yaml")
    path = run.report(tmp_path / "report.html")
    html = open(path).read()
    assert html.startswith("<!DOCTYPE html>") or html.startswith("<!doctype html>")
    assert "compact" in html


def test_format_value():
    assert aidcsim.format_value(True) == "true"
    assert aidcsim.format_value(0.25) == "0.25"
    assert aidcsim.format_value(np.float64(1e6)) == "1000000.0"
    assert aidcsim.format_value({"2023Q1": "100%", "2027Q1": "20%"}) == "{2023Q1: 100%, 2027Q1: 20%}"
    with pytest.raises(ValueError):
        aidcsim.format_value(math.nan)


def test_a_validated_scenario_runs_again(source_dir):
    scenario = aidcsim.validate(source_dir / "scenarios" / "compact.yaml", set={"run.end": "2025Q4"})
    one = aidcsim.run(scenario, seed=3)
    two = aidcsim.run(source_dir / "scenarios" / "compact.yaml", set={"run.end": "2025Q4"}, seed=3)
    np.testing.assert_array_equal(one.timeseries["value"].to_numpy(), two.timeseries["value"].to_numpy())
    with pytest.raises(ValueError, match="when validating"):
        aidcsim.run(scenario, set={"run.end": "2024Q4"})
