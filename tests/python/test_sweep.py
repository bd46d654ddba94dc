"""sweep: a sweep file, its text or a dict run as `aidcsim sweep` runs it, to runs.csv's rows."""

import pandas as pd
import pytest

import aidcsim

SMALL = {
    "seed": 7,
    "design": "grid",
    "replications": 2,
    "parameters": [
        {"path": "demand[us].base", "values": [100000, 200000]},
        {"path": "demand[us].elasticity", "range": {"from": 0.5, "to": 1.5, "step": 0.5}},
    ],
    "outputs": {"series": ["price_usd_per_h100e_hour"]},
}


def cli_runs(cli, source_dir, tmp_path, spec="tests/sweep/small.yaml"):
    """The command's merged runs.csv of a sweep, as a path."""
    out = tmp_path / "cli"
    cli("sweep", spec, "-o", out, "-j", "2")
    cli("sweep", "merge", out)
    return out / "runs.csv"


def read_runs_csv(path):
    frame = pd.read_csv(path)
    frame["error"] = frame["error"].fillna("").astype(str)
    return frame


def test_sweep_equals_the_commands_runs_csv(cli, source_dir, tmp_path):
    runs_csv = cli_runs(cli, source_dir, tmp_path)
    frame = aidcsim.sweep(source_dir / "tests" / "sweep" / "small.yaml", jobs=2)
    assert len(frame) == 12
    assert list(frame.columns[:7]) == ["run", "point", "replication", "seed", "demand[us].base",
                                       "demand[us].elasticity", "status"]
    assert (frame["status"] == "ok").all() and (frame["error"] == "").all()
    pd.testing.assert_frame_equal(frame, read_runs_csv(runs_csv))


def test_a_dict_and_text_run_the_same_sweep(source_dir):
    spec = dict(SMALL, scenario=str(source_dir / "tests" / "sweep" / "fixed_fleet.yaml"))
    from_file = aidcsim.sweep(source_dir / "tests" / "sweep" / "small.yaml", jobs=2)
    from_dict = aidcsim.sweep(spec, jobs=2)
    pd.testing.assert_frame_equal(from_dict, from_file)
    text = aidcsim.sweep_yaml(spec)
    assert text.splitlines()[0] == "seed: 7"
    pd.testing.assert_frame_equal(aidcsim.sweep(text, jobs=1), from_file)


def test_sweep_out_writes_the_commands_files(cli, source_dir, tmp_path):
    runs_csv = cli_runs(cli, source_dir, tmp_path)
    out = tmp_path / "py"
    frame = aidcsim.sweep(source_dir / "tests" / "sweep" / "small.yaml", out=out, jobs=2, batch_runs=3)
    assert {"sweep.yaml", "shard-0-of-1.manifest", "runs.csv"} <= {p.name for p in out.iterdir()}
    assert (out / "runs.csv").read_bytes() == runs_csv.read_bytes()
    pd.testing.assert_frame_equal(aidcsim.read_sweep(out), frame)
    status = cli("sweep", "status", out).stdout
    assert "12" in status
    # Resuming a finished sweep runs nothing and gives the same rows.
    pd.testing.assert_frame_equal(aidcsim.sweep(source_dir / "tests" / "sweep" / "small.yaml", out=out, resume=True),
                                  frame)


def test_sweep_errors_point_into_the_sweep(source_dir, tmp_path):
    spec = dict(SMALL, scenario=str(source_dir / "tests" / "sweep" / "fixed_fleet.yaml"))
    spec["parameters"] = [{"path": "demand[us].elastisity", "values": [0.5, 1.0]}]
    with pytest.raises(aidcsim.ScenarioError) as error:
        aidcsim.sweep(spec)
    text = aidcsim.sweep_yaml(spec)
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "elastisity" in l)
    where = error.value.diagnostics[0]
    assert (where["file"], where["line"]) == ("<dict>", line), error.value
    assert "elasticity" in str(error.value)  # the did-you-mean
    with pytest.raises(aidcsim.ScenarioError, match=r"<string>:1:1"):
        aidcsim.sweep("desing: grid\nparameters: []\n")
    with pytest.raises(aidcsim.ScenarioError, match="cannot read the sweep file"):
        aidcsim.sweep(tmp_path / "missing.yaml")
    with pytest.raises(TypeError):
        aidcsim.sweep(42)


def test_sweep_jobs_are_checked_as_the_commands(source_dir):
    for jobs in (0, 100000, 1.5):
        with pytest.raises(ValueError, match="jobs: "):
            aidcsim.sweep(source_dir / "tests" / "sweep" / "small.yaml", jobs=jobs)
