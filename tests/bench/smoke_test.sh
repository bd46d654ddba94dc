#!/usr/bin/env bash
# tools/bench --smoke on this build: every part runs (exit 0) and the results file holds every
# figure, with the machine, the commit ("unknown" outside a git checkout) and no verdicts; bad arguments exit 2, a build without the
# benchmark binary exits 1 and writes nothing.
# Usage: smoke_test.sh SOURCE_DIR BUILD_DIR WORK_DIR
set -euo pipefail
source=$(realpath "$1") build=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }

set +e; "$source/tools/bench" --smok > /dev/null 2> "$work/err.txt"; code=$?; set -e
[ "$code" = 2 ] || fail "a bad option exited $code, expected 2"
grep -q "unrecognized arguments: --smok" "$work/err.txt" || fail "no message for a bad option"

mkdir -p "$work/empty-build"
set +e; "$source/tools/bench" --smoke --build-dir "$work/empty-build" --out "$work/none.json" > /dev/null 2> "$work/err.txt"; code=$?; set -e
[ "$code" = 1 ] || fail "a build without binaries exited $code, expected 1"
grep -q "aidcsim is missing" "$work/err.txt" || { cat "$work/err.txt"; fail "no message for a missing binary"; }
[ ! -e "$work/none.json" ] || fail "results written although nothing ran"

"$source/tools/bench" --smoke --build-dir "$build" --out "$work/smoke.json" | tee "$work/table.txt"
grep -q "^figure" "$work/table.txt" || fail "no table printed"
python3 - "$work/smoke.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["smoke"] is True, "not marked as a smoke run"
for key in ("cpu", "cores", "os", "compiler", "build_type"):
    assert r["machine"].get(key), f"machine.{key} missing"
commit = r["git_commit"]
assert commit == "unknown" or len(commit) >= 40, f"git_commit is {commit!r}: expected a commit or 'unknown'"
ids = {f["id"] for f in r["figures"]}
expected = {"kernel_events_per_s_100", "kernel_ratio_to_reference_100", "event_queue_events_per_s_100",
            "reference_events_per_s_100", "baseline_ms_per_run", "baseline_runs_per_s", "compact_ms_per_run",
            "scaling_ms_per_run_10", "scaling_ms_per_run_40", "scaling_us_per_site_quarter_40", "scaling_ratio",
            "peak_rss_mb_40", "load_peak_rss_mb_40", "load_cpu_s_40", "sweep_runs_per_s_j1",
            "sweep_runs_per_s_j2", "sweep_cpu_use_j1", "sweep_cpu_use_j2", "sweep_efficiency_j2",
            "end_to_end_s", "end_to_end_peak_rss_mb", "instructions_per_run", "instructions_end_to_end",
            "report_s_40", "report_peak_rss_mb_40", "python_simulation_ms", "python_tidy_over_simulation",
            "python_all_frames_ms", "python_load_ms"}
assert expected <= ids, f"figures missing: {sorted(expected - ids)}"
for f in r["figures"]:
    assert f["value"] > 0, f"{f['id']} = {f['value']}"
    assert f["pass"] is None, f"{f['id']} judged in a smoke run"
    assert f["unit"], f"{f['id']} has no unit"
PY

# Outside a git checkout (a source tarball, here unpacked inside this checkout's build tree) or
# without git installed, the commit is "unknown".
python3 - "$source/tools/bench" "$work/not-a-checkout" <<'PY'
import importlib.machinery, importlib.util, os, sys
sys.dont_write_bytecode = True
loader = importlib.machinery.SourceFileLoader("bench", sys.argv[1])
bench = importlib.util.module_from_spec(importlib.util.spec_from_loader("bench", loader))
loader.exec_module(bench)
bench.ROOT = sys.argv[2]
os.makedirs(bench.ROOT, exist_ok=True)
assert bench.git_commit() == "unknown", bench.git_commit()
os.environ["PATH"] = os.path.join(sys.argv[2], "no-git-here")
assert bench.git_commit() == "unknown", bench.git_commit()
PY
echo ok
