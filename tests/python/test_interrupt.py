"""Ctrl-C: a long batch_run or sweep interrupted by SIGINT raises KeyboardInterrupt promptly,
keeps what it wrote, and leaves the process able to run again."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import aidcsim

SCRIPT = textwrap.dedent('''
    import sys, time
    import aidcsim

    kind, out = sys.argv[1], sys.argv[2]
    print("started", flush=True)
    try:
        if kind == "batch":
            aidcsim.batch_run(parameters={"demand[us].elasticity": [0.5 + 0.005 * i for i in range(200)]},
                              out=out, batch_runs=1, jobs=2)
        else:
            aidcsim.sweep({"design": "grid", "seed": 1, "replications": 100,
                           "parameters": [{"path": "demand[us].elasticity", "values": [0.7, 0.9]}]},
                          out=out, batch_runs=1, jobs=2)
        print("finished", flush=True)
    except KeyboardInterrupt:
        print(f"interrupted {time.monotonic()}", flush=True)
    run = aidcsim.run(set={"run.end": "2023Q4"})
    print(f"ran again {run.kpis['end_installed_h100e'] > 0}", flush=True)
''')


def interrupt(tmp_path, kind, written):
    """Starts the script, sends SIGINT once `written(out)` holds, returns (seconds from the
    signal to the KeyboardInterrupt, the script's output lines)."""
    script = tmp_path / "long.py"
    script.write_text(SCRIPT)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, str(script), kind, str(out)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "started"
        deadline = time.monotonic() + 120
        while not written(out):
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "nothing written in 120 s"
            time.sleep(0.05)
        signalled = time.monotonic()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    lines = stdout.splitlines()
    assert lines[0].startswith("interrupted"), stdout + stderr
    assert lines[1] == "ran again True", stdout + stderr
    return float(lines[0].split()[1]) - signalled, out


def test_ctrl_c_stops_a_batch_run(tmp_path):
    seconds, out = interrupt(tmp_path, "batch", lambda out: out.exists() and any(out.glob("batch-*.csv")))
    print(f"KeyboardInterrupt {seconds:.3f} s after SIGINT")
    assert seconds < 3.0, f"KeyboardInterrupt {seconds:.2f} s after SIGINT"
    rows = aidcsim.read_batch(out)
    assert 0 < len(rows) < 200


def manifest_lists_a_run(out):
    manifest = out / "shard-0-of-1.manifest"
    return manifest.exists() and "done" in manifest.read_text() and len(aidcsim.read_sweep(out)) > 0


def test_ctrl_c_stops_a_sweep_and_it_resumes(tmp_path, cli):
    seconds, out = interrupt(tmp_path, "sweep", manifest_lists_a_run)
    print(f"KeyboardInterrupt {seconds:.3f} s after SIGINT")
    assert seconds < 3.0, f"KeyboardInterrupt {seconds:.2f} s after SIGINT"
    recorded = aidcsim.read_sweep(out)
    assert 0 < len(recorded) < 200
    assert not list(out.glob(".*")), "a temporary file was left"
    status = cli("sweep", "status", out).stdout
    assert "pending" in status
