"""aidcsim: the AI datacenter buildout simulator, from Python.

    import aidcsim
    run = aidcsim.run()                                   # the embedded default scenario, seed 42
    run.timeseries.head()                                 # tidy: quarter, entity_kind, entity, metric, value
    run.table("agents")                                   # wide: one row per quarter and agent
    run = aidcsim.run("scenarios/glut.yaml", set={"agents.meta.strategy.momentum": 0.8}, seed=7)
    aidcsim.batch_run(parameters={"demand[us].elasticity": [0.5, 1.0]}, seeds=[1, 2])
    aidcsim.sweep("tests/sweep/small.yaml", out="out/sweep")  # a sweep file (or dict): runs.csv's rows

Runs are made by the same compiled layers as the `aidcsim` command (with the GIL released), so a
run gives the same numbers as `aidcsim run` with the same scenario, overrides and seed, and
`Run.save(dir)` writes the same files.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import os
import re
import tempfile
from typing import Any, Iterable, Mapping, Sequence

from . import _aidcsim
from ._aidcsim import InvariantViolation, Interrupted, OutputError, ScenarioError

__all__ = [
    "run",
    "validate",
    "batch_run",
    "sweep",
    "read_sweep",
    "read_batch",
    "sweep_yaml",
    "Run",
    "Scenario",
    "ScenarioError",
    "InvariantViolation",
    "OutputError",
    "Interrupted",
    "format_value",
    "default_scenario_text",
    "metric_names",
]
__version__ = _aidcsim.__version__

Scenario = _aidcsim.Scenario


def default_scenario_text() -> str:
    """The YAML text of the embedded default scenario (scenarios/baseline.yaml)."""
    return _aidcsim.default_scenario_text()


def metric_names() -> list[str]:
    """Every metric the model reports, in the order of docs/outputs.md (the unit is in the name)."""
    return list(_aidcsim.metric_names())


def format_value(value: Any) -> str:
    """A Python value as `--set` reads it: True → true, 0.25 → 0.25, {"2023Q1": "100%"} → {2023Q1: 100%}."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "~"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {format_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    if hasattr(value, "item"):  # a NumPy scalar
        return format_value(value.item())
    return str(value)


def _overrides(set: Mapping[str, Any] | Iterable[str] | None) -> list[str]:
    """`set` as --set assignments: a dict of key path → value, or "key.path=value" strings."""
    if set is None:
        return []
    if isinstance(set, str):
        return [set]
    if isinstance(set, Mapping):
        return [f"{path}={format_value(value)}" for path, value in set.items()]
    return [str(s) for s in set]


def _source(scenario: Any) -> dict:
    """Where a scenario comes from: None (the embedded default), a path, or YAML text (a string
    holding a newline)."""
    if isinstance(scenario, Scenario):
        raise TypeError("scenario: batch_run reads the scenario itself: give its path or text")
    if scenario is None:
        return {"path": None, "text": None, "text_name": ""}
    if isinstance(scenario, str) and "\n" in scenario:
        return {"path": None, "text": scenario, "text_name": "<string>"}
    if isinstance(scenario, (str, os.PathLike)):
        return {"path": os.fspath(scenario), "text": None, "text_name": ""}
    raise TypeError(f"scenario: a path, YAML text or None, not {type(scenario).__name__}")


def _threads(jobs: int | None) -> int:
    """Threads for `jobs`: every core by default; as `aidcsim sweep -j`, 1 to 4 per core (at least
    16, at most 1024)."""
    cores = os.cpu_count() or 1
    if jobs is None:
        return cores
    most = min(max(4 * cores, 16), 1024)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= most:
        raise ValueError(f"jobs: {jobs!r}; expected a whole number from 1 to {most} (4 per core, at least 16)")
    return jobs


def load(scenario: Any = None, *, set: Mapping[str, Any] | Iterable[str] | None = None) -> Scenario:
    """The validated scenario (see validate)."""
    return _aidcsim.load(**_source(scenario), overrides=_overrides(set))


def validate(scenario: Any = None, *, set: Mapping[str, Any] | Iterable[str] | None = None) -> Scenario:
    """Checks a scenario with its overrides as `aidcsim validate` does.

    Returns the validated scenario (its `.warnings`, `.counts`, `.resolved_yaml`…); raises
    ScenarioError listing every problem, each as `file:line:col: key.path: message`, with the same
    text in `.diagnostics` (dicts: severity, file, line, column, key_path, message, text).
    """
    return load(scenario, set=set)


def _quarters(ordinals):
    import pandas as pd

    return pd.PeriodIndex(pd.arrays.PeriodArray(ordinals, freq="Q"))


class Run:
    """A finished run (or, with seeds, an ensemble: its values are the medians across the seeds)."""

    def __init__(self, data: Any, scenario: Scenario):
        self._data = data
        self.scenario = scenario
        self._timeseries = None
        self._tables: dict[str, Any] = {}
        self._events = None
        self._kpis = None

    def __repr__(self) -> str:
        what = f"seeds {list(self.seeds)}" if self.is_ensemble else f"seed {self.seed}"
        return f"<aidcsim.Run {self.scenario.name!r} {self.scenario.start}..{self.scenario.end}, {what}>"

    @property
    def seed(self) -> int:
        """The run's seed (an ensemble: its first)."""
        return self._data.seed

    @property
    def seeds(self) -> list[int]:
        return list(self._data.seeds)

    @property
    def is_ensemble(self) -> bool:
        return self._data.is_ensemble

    @property
    def wall_seconds(self) -> float:
        """How long the simulation took."""
        return self._data.wall_seconds

    @property
    def timeseries(self):
        """Every recorded value, tidy (as timeseries.csv): quarter (pandas Period, freq Q),
        entity_kind, entity, metric (categoricals) and value; an ensemble adds p05…p95."""
        if self._timeseries is None:
            import pandas as pd

            c = self._data.timeseries_columns()
            columns = {
                "quarter": _quarters(c["quarter"]),
                "entity_kind": pd.Categorical.from_codes(c["entity_kind"], categories=c["kinds"]),
                "entity": pd.Categorical.from_codes(c["entity"], categories=c["entities"]),
                "metric": pd.Categorical.from_codes(c["metric"], categories=c["metrics"]),
                "value": c["value"],
            }
            if "quantiles" in c:
                for j, name in enumerate(["p05", "p25", "p50", "p75", "p95"]):
                    columns[name] = c["quantiles"][:, j]
            self._timeseries = pd.DataFrame(columns)
        return self._timeseries

    def series(self, metric: str, entity: str = "world"):
        """One metric of one entity as a Series indexed by quarter."""
        import pandas as pd

        ts = self.timeseries
        rows = ts[(ts["entity"] == entity) & (ts["metric"] == metric)]
        if rows.empty:
            raise KeyError(f"no series {metric!r} for entity {entity!r}")
        return pd.Series(rows["value"].to_numpy(), index=pd.PeriodIndex(rows["quarter"]), name=metric)

    def table(self, name: str = "global"):
        """A wide table (as global.csv, blocs.csv, regions.csv, agents.csv, vendors.csv): one row
        per quarter and entity, one column per metric; NaN where a value was not recorded."""
        if name not in self._tables:
            import pandas as pd

            c = self._data.wide_columns(name)
            frame = pd.DataFrame(c["values"], columns=list(c["metrics"]))
            frame.insert(0, "entity", pd.Categorical.from_codes(c["entity"], categories=c["entities"]))
            frame.insert(0, "quarter", _quarters(c["quarter"]))
            self._tables[name] = frame
        return self._tables[name]

    @property
    def world(self):
        """The world's metrics, one row per quarter (index: quarter), one column per metric."""
        return self.table("global").drop(columns="entity").set_index("quarter")

    @property
    def events(self):
        """The event log (as events.jsonl): quarter, entity_kind, entity, kind, cause, figures (a dict)."""
        if self._events is None:
            import pandas as pd

            c = self._data.event_columns()
            self._events = pd.DataFrame(
                {
                    "quarter": _quarters(c["quarter"]),
                    "entity_kind": c["entity_kind"],
                    "entity": c["entity"],
                    "kind": c["kind"],
                    "cause": c["cause"],
                    "figures": c["figures"],
                }
            )
        return self._events

    @property
    def kpis(self) -> dict[str, float]:
        """The run's KPIs: those of a sweep (end_<metric> of every world metric, sum_ of revenue,
        capex, power opex and free cash flow, max_ of stranded compute, unmet demand and price),
        then the report's key figures (peak_idle_h100e, stranded_quarters, cumulative_capex_usd…)."""
        if self._kpis is None:
            self._kpis = dict(self._data.kpis())
        return dict(self._kpis)

    @property
    def seed_figures(self):
        """An ensemble: each seed's key figures (as seeds.csv), one row per seed."""
        import pandas as pd

        rows = self._data.seed_figures()
        frame = pd.DataFrame([dict(r) for r in rows])
        frame.insert(0, "seed", self.seeds[: len(frame)])
        return frame

    def summary(self) -> str:
        """The year-by-year table `aidcsim run` prints."""
        return self._data.summary()

    def save(self, dir: str | os.PathLike, *, report: bool = False) -> list[str]:
        """Writes the run's directory as `aidcsim run -o DIR` does (the same files, staged and
        renamed together; report.html too with report=True). Returns the names of the files."""
        return list(self._data.save(os.fspath(dir), report))

    def report(self, path: str | os.PathLike) -> str:
        """Writes the interactive HTML report (as `aidcsim report`) to `path`; returns the path."""
        self._data.report(os.fspath(path))
        return os.fspath(path)


def run(
    scenario: Any = None,
    *,
    set: Mapping[str, Any] | Iterable[str] | None = None,
    seed: int | None = None,
    seeds: int | str | Sequence[int] | None = None,
    jobs: int | None = None,
) -> Run:
    """Runs a scenario and returns the Run, all in memory.

    scenario: a path, YAML text (any string with a newline), None for the embedded default, or
    a Scenario that validate() returned (loaded once, run as often as wanted).
    set: overrides, {key path: value} (or "key.path=value" strings), checked as `--set` is.
    seed: the run's seed; None takes the scenario's run.seed (42 in the default scenario).
    seeds: an ensemble instead of one run: a list of seeds, N (seeds 1 to N) or "A-B";
    jobs threads at a time (default: every core). The values are the medians across the seeds.
    Raises ScenarioError for a bad scenario or override, InvariantViolation if the model breaks.
    """
    if isinstance(scenario, Scenario):  # validated once, run as often as wanted
        if set:
            raise ValueError("set: give the overrides when validating: aidcsim.validate(scenario, set=...)")
        spec = scenario
    else:
        spec = load(scenario, set=set)
    if seeds is not None:
        if seed is not None:
            raise ValueError("give seed or seeds, not both")
        if isinstance(seeds, int):
            seed_list = _aidcsim.parse_seeds(str(seeds))
        elif isinstance(seeds, str):
            seed_list = _aidcsim.parse_seeds(seeds)
        else:
            seed_list = [int(s) for s in seeds]
        data = _aidcsim.run_ensemble(spec, seed_list, jobs or os.cpu_count() or 1)
    else:
        data = _aidcsim.run(spec, spec.seed if seed is None else int(seed))
    return Run(data, spec)


def batch_run(
    parameters: Mapping[str, Iterable[Any]] | None = None,
    *,
    scenario: Any = None,
    set: Mapping[str, Any] | Iterable[str] | None = None,
    seeds: int | Sequence[int] | None = None,
    kpis: Sequence[str] | None = None,
    jobs: int | None = None,
    out: str | os.PathLike | None = None,
    batch_runs: int = 64,
):
    """Runs every combination of the parameters' values with every seed (as Mesa's batch_run)
    and returns a DataFrame, one row per run: run, each parameter, seed, the KPIs, error.

    parameters: {key path: values}, e.g. {"demand[us].elasticity": [0.5, 1.0]} (a single value
    is held fixed). seeds: a list, or N for seeds 1 to N; default the scenario's run.seed.
    kpis: the KPI columns to keep (Run.kpis names; default all). jobs: threads (default: every
    core). The scenario is parsed once; runs go on C++ threads with the GIL released. A bad key
    path or value raises ScenarioError; a run that breaks an invariant gets NaN KPIs and its error.
    out: a directory (new, or without batch files) to stream the rows to: the runs finished are
    written as they come, batch_runs at a time (or every 2 s), one CSV per batch
    (batch-000000.csv…), so a large batch holds only one batch in memory; the DataFrame is then
    read back from the files (read_batch(out) reads them again). Ctrl-C stops it: no run starts,
    the runs under way finish, KeyboardInterrupt is raised (the batches written stay).
    """
    import pandas as pd

    parameters = dict(parameters or {})
    names = list(parameters)
    values = []
    for name in names:
        v = parameters[name]
        if isinstance(v, (str, bytes)) or not isinstance(v, Iterable):
            v = [v]
        values.append(list(v))
    source = _source(scenario)
    base = _overrides(set)
    if seeds is None:
        seed_list = [load(scenario, set=set).seed]
    elif isinstance(seeds, int):
        seed_list = list(range(1, seeds + 1))
    else:
        seed_list = [int(s) for s in seeds]
    points = list(itertools.product(*values))
    run_overrides = []
    run_seeds = []
    rows = []
    for point in points:
        for s in seed_list:
            run_overrides.append([f"{n}={format_value(v)}" for n, v in zip(names, point)])
            run_seeds.append(s)
            rows.append(point)
    if out is not None:
        out = os.fspath(out)
        os.makedirs(out, exist_ok=True)
        if _batch_files(out):
            raise FileExistsError(f"{out} already holds batch files: give a new directory")

    kept: list[str] | None = None
    frames = []
    written = 0

    def on_batch(batch):
        nonlocal kept, written
        kpi_names = list(batch["kpis"])
        if kept is None and kpi_names:
            kept = _kept_kpis(kpi_names, kpis)
        index = batch["run"]
        frame = pd.DataFrame({"run": index})
        for j, name in enumerate(names):
            frame[name] = [rows[i][j] for i in index]
        frame["seed"] = [run_seeds[i] for i in index]
        table = batch["values"]
        for name in kept or []:
            frame[name] = table[:, kpi_names.index(name)] if name in kpi_names else math.nan
        frame["error"] = list(batch["errors"])
        if out is None:
            frames.append(frame)
            return
        file = os.path.join(out, f"batch-{written:06d}.csv")
        frame.to_csv(file + ".part", index=False)
        os.replace(file + ".part", file)
        written += 1

    _aidcsim.batch(
        source["path"],
        source["text"],
        source["text_name"],
        base,
        run_overrides,
        run_seeds,
        _threads(jobs),
        on_batch,
        batch_runs,
        2.0,
    )
    if out is not None:
        return read_batch(out)
    if not frames:
        return pd.DataFrame({"run": [], **{n: [] for n in names}, "seed": [], "error": []})
    return _in_run_order(pd.concat(frames, ignore_index=True))


def _kept_kpis(kpi_names: list[str], kpis: Sequence[str] | None) -> list[str]:
    """The KPI columns to keep: every KPI, or those asked for (an unknown one: ValueError)."""
    if kpis is None:
        return kpi_names
    unknown = [k for k in kpis if k not in kpi_names]
    if unknown:
        import difflib

        hints = []
        for k in unknown:
            close = difflib.get_close_matches(k, kpi_names, n=1)
            hints.append(f"{k!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise ValueError("kpis: unknown " + ", ".join(hints))
    return list(kpis)


def _batch_files(dir: str) -> list[str]:
    return sorted(f for f in os.listdir(dir) if re.fullmatch(r"batch-\d{6}\.csv", f))


def _in_run_order(frame):
    frame = frame.sort_values("run", kind="stable").reset_index(drop=True)
    error = frame.pop("error").fillna("").astype(str)
    frame["error"] = error  # last, even where a first batch had no KPI columns (all its runs failed)
    return frame


def read_batch(dir: str | os.PathLike):
    """The rows batch_run(..., out=dir) wrote, read back from its batch files, in order of run."""
    import pandas as pd

    dir = os.fspath(dir)
    files = _batch_files(dir)
    if not files:
        raise FileNotFoundError(f"{dir}: no batch files (batch-000000.csv…)")
    frames = [pd.read_csv(os.path.join(dir, f), float_precision="round_trip") for f in files]
    return _in_run_order(pd.concat(frames, ignore_index=True))


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # a NumPy scalar
        return _yaml_scalar(value.item())
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return repr(value)
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, str):
        return json.dumps(value)  # a double-quoted YAML string
    raise TypeError(f"a sweep holds numbers, strings, booleans, lists and dicts, not {type(value).__name__}")


def _yaml_key(key: Any) -> str:
    key = str(key)
    return key if _PLAIN_KEY.match(key) else json.dumps(key)


def _yaml_lines(value: Any, indent: int) -> list[str]:
    """Block YAML of a dict or list, one value per line (so a message's line:col points at it)."""
    pad = " " * indent
    lines = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(item, (Mapping, list, tuple)) and len(item) > 0:
                lines.append(f"{pad}{_yaml_key(key)}:")
                lines.extend(_yaml_lines(item, indent + 2))
            elif isinstance(item, Mapping):
                lines.append(f"{pad}{_yaml_key(key)}: {{}}")
            elif isinstance(item, (list, tuple)):
                lines.append(f"{pad}{_yaml_key(key)}: []")
            else:
                lines.append(f"{pad}{_yaml_key(key)}: {_yaml_scalar(item)}")
        return lines
    for item in value:
        if isinstance(item, (Mapping, list, tuple)) and len(item) > 0:
            inner = _yaml_lines(item, indent + 2)
            lines.append(f"{pad}- {inner[0][indent + 2:]}")
            lines.extend(inner[1:])
        elif isinstance(item, Mapping):
            lines.append(f"{pad}- {{}}")
        elif isinstance(item, (list, tuple)):
            lines.append(f"{pad}- []")
        else:
            lines.append(f"{pad}- {_yaml_scalar(item)}")
    return lines


def sweep_yaml(spec: Mapping[str, Any]) -> str:
    """A sweep given as a dict, as the text of a sweep file (block YAML, one value a line)."""
    if not isinstance(spec, Mapping):
        raise TypeError(f"spec: a dict, not {type(spec).__name__}")
    return "\n".join(_yaml_lines(spec, 0)) + "\n"


def _runs_frame(runs_csv: bytes):
    """runs.csv as a DataFrame: run, point, replication, seed, each parameter, status, the KPIs,
    error ("" for a run that ran)."""
    import pandas as pd

    frame = pd.read_csv(io.BytesIO(runs_csv))
    frame["error"] = frame["error"].fillna("").astype(str)
    return frame


def read_sweep(dir: str | os.PathLike):
    """The runs recorded in a sweep directory (`aidcsim sweep -o DIR` or sweep(out=DIR)), its
    shards merged as `aidcsim sweep merge` merges them: the rows of runs.csv (see sweep). Runs not
    recorded yet are left out."""
    return _runs_frame(_aidcsim.read_sweep(os.fspath(dir))["runs_csv"])


def sweep(
    spec: Any,
    *,
    out: str | os.PathLike | None = None,
    jobs: int | None = None,
    resume: bool = False,
    batch_runs: int = 64,
):
    """Runs a sweep as `aidcsim sweep` does and returns its runs as a DataFrame, one row per run:
    run, point, replication, seed, each parameter (by key path), status, every KPI, error; the
    rows and values of the runs.csv `aidcsim sweep merge` writes.

    spec: a sweep file's path, its YAML text (any string with a newline), or a dict of the same
    keys (scenario, seed, design, samples, replications, parameters, set, outputs), written out
    as YAML and read as a file is. A relative scenario path is taken from the sweep file's
    directory (text or dict: the current directory). Every problem raises ScenarioError, at
    file:line:col ("<string>" or "<dict>": line of the text, or of sweep_yaml(dict)).
    out: the results directory. Runs are written there in batches as they finish (the sweep
    engine's shard files, every batch_runs runs or 2 s) and runs.csv once all are; the DataFrame
    is read back from it. `aidcsim sweep status|merge|analyze DIR` work on it. resume=True goes on
    with a sweep interrupted in `out`. Without out, a temporary directory is used and removed.
    jobs: runs at a time (default: every core). The sweep runs in a process of its own (forked);
    Ctrl-C stops it: no run starts, the runs under way stop at their next quarter, the runs
    finished are written (resume=True goes on) and KeyboardInterrupt is raised.
    """
    if isinstance(spec, Mapping):
        text, source = sweep_yaml(spec), "<dict>"
    elif isinstance(spec, str) and "\n" in spec:
        text, source = spec, "<string>"
    elif isinstance(spec, (str, os.PathLike)):
        source = os.fspath(spec)
        text = _aidcsim.read_sweep_file(source)
    else:
        raise TypeError(f"spec: a sweep file's path, its YAML text or a dict, not {type(spec).__name__}")
    threads = _threads(jobs)
    if out is None:
        if resume:
            raise ValueError("resume: give the directory of the sweep to resume (out=...)")
        with tempfile.TemporaryDirectory(prefix="aidcsim-sweep-") as scratch:
            result = _aidcsim.sweep(text, source, os.path.join(scratch, "sweep"), threads, False, batch_runs, False)
    else:
        result = _aidcsim.sweep(text, source, os.fspath(out), threads, resume, batch_runs, True)
    if result["pending"]:
        # The sweep's process was stopped by a signal of its own (this one's Ctrl-C raises
        # KeyboardInterrupt before): the runs finished are recorded.
        where = f"resume with sweep(..., out={os.fspath(out)!r}, resume=True)" if out is not None else "nothing was kept"
        raise Interrupted(f"the sweep was stopped with {result['pending']} runs pending; {where}")
    return _runs_frame(result["runs_csv"])
