"""The README's Python snippets work as written: the pandas snippet of Outputs (on files the
command wrote, plotted with matplotlib) and every block of the Python section."""

import os
import re

import matplotlib

matplotlib.use("Agg")


def python_blocks(text):
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_snippets(source_dir, cli, tmp_path, monkeypatch):
    readme = (source_dir / "README.md").read_text()
    python_section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    outputs_section = readme.split("\n## Outputs\n", 1)[1].split("\n## ", 1)[0]
    snippets = python_blocks(outputs_section) + python_blocks(python_section)
    assert len(snippets) >= 2
    os.symlink(source_dir / "scenarios", tmp_path / "scenarios")
    cli("run", "scenarios/compact.yaml", "-o", tmp_path / "out")
    monkeypatch.chdir(tmp_path)
    for code in snippets:
        exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "out" / "py" / "timeseries.csv").exists()
    assert (tmp_path / "out" / "py" / "report.html").exists()
