#!/usr/bin/env python3
"""`aidcsim sweep merge` runs in constant memory: its peak does not grow with the runs.

Usage: merge_memory.py AIDCSIM WORKDIR [--runs=N,M] [--kpi-only] [--plain] [--max-growth-mib=X] [--keep]

Writes two synthetic sweep directories of N and M runs (default 10,000 and 100,000) in the shard
format `aidcsim sweep` writes: sweep.yaml (a Monte Carlo design of one parameter), two shards
each with a manifest, a results file in the order a real shard holds them (the runs of a batch
in the order they finished; the failed runs, every 97th, last, as `sweep retry` leaves them when
they fail again) and the series (50 lines a run, one gzip member per run; --plain: the plain
series of older shards; --kpi-only: no series, the KPIs alone). Merges each, takes the merge's
peak resident memory (ru_maxrss of the child), and checks that M runs take at most X MiB
(default 2) more than N while the files written grew M/N-fold; then stops the larger merge
with SIGINT: exit 130 and no series.csv or temporary left. Prints the figures.
"""
import gzip
import os
import random
import shutil
import signal
import subprocess
import sys
import time

SERIES_LINES = 50


def sweep_yaml(runs, kpi_only):
    return (f"seed: 5\ndesign: monte_carlo\nsamples: {runs}\nparameters:\n"
            f"  - path: demand[us].elasticity\n    distribution: uniform\n    min: 0.5\n    max: 1.5\n"
            + ("" if kpi_only else "outputs:\n  series: [price_usd_per_h100e_hour]\n"))


def member(text, plain):
    return text.encode() if plain else gzip.compress(text.encode(), compresslevel=6, mtime=0)


def failed(run):
    return run % 97 == 13


def write_sweep(directory, runs, plain, kpi_only):
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    with open(os.path.join(directory, "sweep.yaml"), "w") as f:
        f.write(sweep_yaml(runs, kpi_only))
    rng = random.Random(runs)
    kpis = 10 if kpi_only else 30
    shards = 2
    for k in range(shards):
        begin, end = runs * k // shards, runs * (k + 1) // shards
        order = [r for r in range(begin, end) if not failed(r)]
        for b in range(0, len(order), 64):  # batches finish out of order
            chunk = order[b:b + 64]
            rng.shuffle(chunk)
            order[b:b + 64] = chunk
        order += [r for r in range(begin, end) if failed(r)]  # retried, and failed again
        stem = os.path.join(directory, f"shard-{k}-of-{shards}")
        results_bytes = series_bytes = 0
        with open(stem + ".results", "wb") as results, open(stem + (".series" if plain else ".series.gz"), "wb") as series:
            for run in order:
                if failed(run):
                    line = f"{run}\tfailed\tdemand too low in run {run}\n".encode()
                else:
                    values = ";".join(f"end_kpi_{i}={rng.random() * 1e9!r}" for i in range(kpis))
                    line = f"{run}\tok\t{values}\n".encode()
                    if not kpi_only:
                        lines = "".join(f"{run},{2025 + q // 4}Q{q % 4 + 1},bloc,us,price_usd_per_h100e_hour,{rng.random()!r}\n"
                                        for q in range(SERIES_LINES))
                        data = member(lines, plain)
                        series.write(data)
                        series_bytes += len(data)
                results.write(line)
                results_bytes += len(line)
        failures = ",".join(str(r) for r in range(begin, end) if failed(r))
        with open(stem + ".manifest", "w") as f:
            f.write(f"aidcsim sweep manifest 1\nresults_bytes {results_bytes}\n"
                    f"{'series_bytes' if plain else 'series_gz_bytes'} {series_bytes}\n"
                    f"done {begin}-{end - 1}\nfailed {failures}\n")


def merge_peak_kib(aidcsim, directory):
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execv(aidcsim, [aidcsim, "sweep", "merge", directory])
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"FAIL: aidcsim sweep merge {directory} exited {os.waitstatus_to_exitcode(status)}")
    return usage.ru_maxrss  # KiB on Linux


def interrupted(aidcsim, directory):
    """SIGINT while the merge reads or writes: exit 130, and no runs.csv, series.csv or temporary."""
    for name in ("runs.csv", "series.csv"):
        if os.path.exists(os.path.join(directory, name)):
            os.remove(os.path.join(directory, name))
    child = subprocess.Popen([aidcsim, "sweep", "merge", directory], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(0.2)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate()
    left = sorted(n for n in os.listdir(directory) if n in ("runs.csv", "series.csv") or ".tmp" in n)
    if child.returncode == 0:
        print("SIGINT: the merge finished first; not checked")
        return
    if child.returncode != 130 or b"interrupted by SIGINT" not in err:
        sys.exit(f"FAIL: merge stopped by SIGINT exited {child.returncode}: {err.decode()}")
    # runs.csv may be whole if the signal came after it was committed; never a temporary.
    if any(".tmp" in n for n in left) or "series.csv" in left:
        sys.exit(f"FAIL: a merge stopped by SIGINT left {left}")
    print(f"SIGINT: exit 130, left {left or 'nothing'} ({err.decode().strip()})")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    aidcsim, work = os.path.abspath(args[0]), args[1]
    sizes = [10000, 100000]
    max_growth_mib = 2.0
    for a in sys.argv[1:]:
        if a.startswith("--runs="):
            sizes = [int(x) for x in a[len("--runs="):].split(",")]
        if a.startswith("--max-growth-mib="):
            max_growth_mib = float(a[len("--max-growth-mib="):])
    plain = "--plain" in sys.argv
    kpi_only = "--kpi-only" in sys.argv
    peaks = []
    for runs in sizes:
        directory = os.path.join(work, f"merge-{runs}")
        write_sweep(directory, runs, plain, kpi_only)
        started = time.monotonic()
        peak = merge_peak_kib(aidcsim, directory)
        seconds = time.monotonic() - started
        outputs = ("runs.csv",) if kpi_only else ("runs.csv", "series.csv")
        size = sum(os.path.getsize(os.path.join(directory, n)) for n in outputs)
        with open(os.path.join(directory, "runs.csv")) as f:
            rows = sum(1 for _ in f) - 1
        if rows != runs:
            sys.exit(f"FAIL: {directory}/runs.csv has {rows} rows, expected {runs}")
        left = sorted(n for n in os.listdir(directory) if ".tmp" in n or n.startswith(".index"))
        if left:
            sys.exit(f"FAIL: the merge left {left} in {directory}")
        print(f"{runs} runs: merge peak RSS {peak / 1024:.1f} MiB in {seconds:.1f} s, wrote {size / 2**20:.1f} MiB")
        peaks.append(peak)
        if runs == sizes[-1]:
            interrupted(aidcsim, directory)
        if "--keep" not in sys.argv:
            shutil.rmtree(directory)
    if len(peaks) == 2:
        growth = (peaks[1] - peaks[0]) / 1024
        print(f"growth: {growth:.2f} MiB for {sizes[1] - sizes[0]} more runs")
        if growth > max_growth_mib:
            sys.exit(f"FAIL: the merge's memory grew by {growth:.2f} MiB with the runs "
                     f"(at most {max_growth_mib:g} MiB expected)")
    print("ok")


if __name__ == "__main__":
    main()
