"""Bad scenarios and overrides raise ScenarioError carrying file:line:col, key path and suggestion."""

import pytest

import aidcsim

BAD_KEY = """\
name: tiny
run:
  start: 2023Q1
  ned: 2024Q4
"""


def test_a_bad_key_in_text_has_its_line_and_column():
    with pytest.raises(aidcsim.ScenarioError) as caught:
        aidcsim.validate(BAD_KEY)
    error = caught.value
    assert isinstance(error, ValueError)
    bad = [d for d in error.diagnostics if d["key_path"] == "run.ned"]
    assert len(bad) == 1
    d = bad[0]
    assert (d["file"], d["line"], d["column"]) == ("<string>", 4, 3)
    assert d["severity"] == "error"
    assert "did you mean 'end'?" in d["message"]
    assert "<string>:4:3: run.ned: unknown key 'ned' (did you mean 'end'?)" in str(error)


def test_a_bad_key_in_a_file_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("extends: " + str(tmp_path / "missing.yaml") + "\n")
    with pytest.raises(aidcsim.ScenarioError) as caught:
        aidcsim.run(path)
    assert caught.value.diagnostics[0]["file"] == str(path)
    assert caught.value.diagnostics[0]["line"] == 1


def test_a_bad_override_reads_as_the_cli_says_it(cli):
    with pytest.raises(aidcsim.ScenarioError) as caught:
        aidcsim.run(set={"run.ned": "2020Q1"})
    done = cli("validate", "--set", "run.ned=2020Q1", "scenarios/compact.yaml", check=False)
    assert done.returncode == 2
    assert str(caught.value) in done.stderr
    assert caught.value.diagnostics[0]["key_path"] == "run.ned"


def test_a_value_out_of_range(source_dir):
    with pytest.raises(aidcsim.ScenarioError, match="agents.meta.strategy.momentum"):
        aidcsim.run(source_dir / "scenarios" / "compact.yaml", set={"agents.meta.strategy.momentum": -5})


def test_validate_returns_the_scenario():
    scenario = aidcsim.validate()
    assert scenario.name == "baseline"
    assert scenario.counts["agents"] > 3
    assert scenario.seed == 42
    assert "run:" in scenario.resolved_yaml


def test_wrong_argument_types():
    with pytest.raises(TypeError):
        aidcsim.run(42)
    with pytest.raises(ValueError, match="seed or seeds"):
        aidcsim.run(seed=1, seeds=[1, 2])
