"""Shared fixtures of the Python tests: the aidcsim command of the same build (AIDCSIM), the
source tree (AIDC_SOURCE_DIR) and a scratch directory per test. ctest sets the environment; by
hand: PYTHONPATH=build/dev/python AIDCSIM=build/dev/aidcsim /usr/bin/python3 -m pytest tests/python
"""

import os
import pathlib
import subprocess

import pytest

SOURCE = pathlib.Path(os.environ.get("AIDC_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


@pytest.fixture(scope="session")
def source_dir() -> pathlib.Path:
    return SOURCE


@pytest.fixture(scope="session")
def aidcsim_exe() -> str:
    exe = os.environ.get("AIDCSIM", str(SOURCE / "build" / "dev" / "aidcsim"))
    if not os.path.exists(exe):
        pytest.skip(f"no aidcsim command at {exe}")
    return exe


@pytest.fixture(scope="session")
def cli(aidcsim_exe):
    """Runs the aidcsim command; returns the CompletedProcess (text)."""

    def run(*args, check=True):
        done = subprocess.run([aidcsim_exe, "--log-level", "off", *map(str, args)], capture_output=True, text=True,
                              cwd=SOURCE)
        if check and done.returncode != 0:
            raise AssertionError(f"aidcsim {' '.join(map(str, args))} exited {done.returncode}: {done.stderr}")
        return done

    return run
