#!/usr/bin/env python3
"""Keeps data/record/ honest.

  check_record.py SOURCE_DIR

1. Every data/record/*.csv parses as RFC 4180 CSV with the header
   id,period,entity,metric,value,unit,source,note; every id is well formed, starts with its
   file's name and is unique across the files; every value is a number; every source is named;
   every period has one of the documented forms.
2. Every citation `record: ID[, ID...]` in scenarios/, docs/, tools/, tests/, include/, sim/,
   README.md and data/record/README.md names a row that exists.
3. Every target in scenarios/calibration/*.csv (not the profile scans a fit writes,
   *.profile.csv) is preceded by a `# record: ID` comment line naming the row it comes from,
   and its value equals that row's (in USD).
4. The old citation scheme is gone: no file cites a document outside the repository.
Prints each problem as FILE:LINE: message and exits 1 if there is any.
"""
import csv
import io
import math
import os
import re
import sys

HEADER = ["id", "period", "entity", "metric", "value", "unit", "source", "note"]
ID = r"[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)+"
ID_RE = re.compile(rf"^{ID}$")
# A citation may continue on the next comment line after "record:" or after a comma.
BREAK = r"[ \t]*(?:\n[ \t]*(?:#+|//!?)?[ \t]*)?"
CITATION_RE = re.compile(rf"record:{BREAK}({ID}(?:,{BREAK}{ID})*)")
POINT = r"(?:\d{4}|\d{4}Q[1-4]|\d{4}H[12]|\d{4}-(?:0[1-9]|1[0-2])|FY\d{4})"
PERIOD_RE = re.compile(rf"^(?:{POINT}(?:/{POINT})?)?$")
SCALE = {"USD": 1.0, "USD bn": 1e9, "USD/GPU-hour": 1.0}
CITING_DIRS = ["scenarios", "docs", "tools", "tests", "include", "sim", "bench", "cmake"]
CITING_FILES = ["README.md", "CMakeLists.txt", os.path.join("data", "record", "README.md")]
TEXT_SUFFIXES = (".yaml", ".yml", ".md", ".csv", ".cpp", ".hpp", ".h", ".py", ".sh", ".cmake", ".txt", ".json", "")
# The collection of figures the record replaces, named in pieces so this file does not match itself.
STALE_RE = re.compile(r"\b" + "FA" + r"CTS\b|\.\./shared/|/wo" + "rk/shared")

problems = []


def problem(path, line, message):
    problems.append(f"{path}:{line}: {message}")


def load_rows(root):
    rows = {}
    folder = os.path.join(root, "data", "record")
    files = sorted(f for f in os.listdir(folder) if f.endswith(".csv"))
    if not files:
        problem(folder, 0, "no CSV files")
    for name in files:
        path = os.path.join("data", "record", name)
        stem = name[:-4]
        with open(os.path.join(root, path), newline="", encoding="utf-8") as fh:
            text = fh.read()
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            records = list(reader)
        except csv.Error as e:
            problem(path, reader.line_num, f"not valid CSV: {e}")
            continue
        if not records or records[0] != HEADER:
            problem(path, 1, "the header must be exactly " + ",".join(HEADER))
            continue
        for number, cells in enumerate(records[1:], start=2):
            if len(cells) != len(HEADER):
                problem(path, number, f"expected {len(HEADER)} fields, found {len(cells)}")
                continue
            r = dict(zip(HEADER, cells))
            rid = r["id"]
            if not ID_RE.match(rid):
                problem(path, number, f"malformed id '{rid}' (lowercase words joined by dots)")
            elif rid.split(".")[0] != stem:
                problem(path, number, f"id '{rid}' must start with '{stem}.' (its file)")
            if rid in rows:
                problem(path, number, f"duplicate id '{rid}' (first in {rows[rid]['file']}:{rows[rid]['line']})")
            try:
                value = float(r["value"])
                if not math.isfinite(value):
                    raise ValueError
            except ValueError:
                problem(path, number, f"value '{r['value']}' of '{rid}' is not a number")
                value = None
            if not r["source"].strip():
                problem(path, number, f"'{rid}' has no source")
            if not r["unit"].strip():
                problem(path, number, f"'{rid}' has no unit")
            if not r["metric"].strip():
                problem(path, number, f"'{rid}' has no metric")
            if not PERIOD_RE.match(r["period"]):
                problem(path, number, f"period '{r['period']}' of '{rid}' is not a year, quarter (2025Q2), half "
                                      "(2026H2), month (2024-12), fiscal year (FY2024) or a range start/end")
            if r["unit"] in ("event", "statement") and value != 1:
                problem(path, number, f"'{rid}' is an {r['unit']}: its value must be 1")
            r.update(file=path, line=number, number=value)
            rows.setdefault(rid, r)
    return rows


def citing_files(root):
    for d in CITING_DIRS:
        top = os.path.join(root, d)
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = [x for x in dirnames if x not in ("__pycache__", ".git")]
            for f in filenames:
                if os.path.splitext(f)[1] in TEXT_SUFFIXES:
                    yield os.path.relpath(os.path.join(dirpath, f), root)
    for f in CITING_FILES:
        if os.path.exists(os.path.join(root, f)):
            yield f


def check_citations(root, rows):
    count = 0
    for path in citing_files(root):
        try:
            with open(os.path.join(root, path), encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(lines, start=1):
            if STALE_RE.search(line):
                problem(path, number, "cites a document outside the repository; cite record rows instead")
        text = "\n".join(lines)
        for match in CITATION_RE.finditer(text):
            number = text.count("\n", 0, match.start()) + 1
            for rid in re.split(rf",{BREAK}", match.group(1)):
                count += 1
                if rid not in rows:
                    problem(path, number, f"cites 'record: {rid}', which is not a row of data/record/")
    return count


def check_calibration(root, rows):
    folder = os.path.join(root, "scenarios", "calibration")
    checked = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".csv") or name.endswith(".profile.csv"):
            continue  # a fit's profile scans are no targets
        path = os.path.join("scenarios", "calibration", name)
        cited = None
        header = True
        with open(os.path.join(root, path), encoding="utf-8") as fh:
            for number, line in enumerate(fh.read().splitlines(), start=1):
                if line.startswith("#"):
                    m = re.match(rf"#\s*record:\s*({ID})\s*$", line)
                    cited = m.group(1) if m else cited
                    continue
                if not line.strip():
                    continue
                if header:
                    header = False
                    continue
                cells = line.split(",")
                if cited is None:
                    problem(path, number, "target without a '# record: ID' line before it")
                    continue
                r = rows.get(cited)
                if r is None:
                    problem(path, number, f"'{cited}' is not a row of data/record/")
                elif r["unit"] not in SCALE or r["number"] is None:
                    problem(path, number, f"'{cited}' is in {r['unit']}, not a money amount or price")
                else:
                    expected = r["number"] * SCALE[r["unit"]]
                    value = float(cells[4])
                    if not math.isclose(value, expected, rel_tol=1e-9):
                        problem(path, number, f"value {cells[4]} differs from '{cited}' = {r['value']} {r['unit']}")
                checked += 1
                cited = None
    return checked


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    rows = load_rows(root)
    citations = check_citations(root, rows)
    targets = check_calibration(root, rows)
    for p in problems:
        print(p)
    print(f"data/record: {len(rows)} rows; {citations} citations checked; "
          f"{targets} calibration targets checked against their rows")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
