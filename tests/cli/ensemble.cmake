# Ensembles from the command line: `run --seeds` refuses bad seed lists (exit 2, nothing written),
# gives the same bytes whatever -j, writes the median and the quantiles (the median of one value
# checked by hand against the seeds' own runs), and the report and compare show the spread. Run by
# ctest:
#   cmake -DAIDCSIM=path -DWORK=dir -DSOURCE=srcdir -DPYTHON3=path -P ensemble.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
include(${CMAKE_CURRENT_LIST_DIR}/expect.cmake)

# Bad seed lists: exit 2, the reason, nothing written (not even the directory).
foreach(bad "0" "5-2" "abc" "10001" "1-10001" "-3" "")
  expect_exit(2 run --seeds "${bad}" -o ${WORK}/never --log-level warn)
  expect_match("${err}" "--seeds" "--seeds '${bad}' is refused by name")
  if(EXISTS ${WORK}/never)
    message(FATAL_ERROR "run --seeds '${bad}' wrote ${WORK}/never")
  endif()
endforeach()
expect_exit(2 run --seeds 0 -o ${WORK}/never)
expect_match("${err}" "--seeds: '0' is no seeds; expected at least 1" "--seeds 0")
expect_exit(2 run --seeds 5-2 -o ${WORK}/never)
expect_match("${err}" "--seeds: '5-2' runs backwards; expected A-B with A ≤ B \\(e.g. 2-5\\)" "--seeds 5-2")
expect_exit(2 run --seeds abc -o ${WORK}/never)
expect_match("${err}" "--seeds: 'abc' is not a number of seeds or a range of seeds" "--seeds abc")
expect_exit(2 run --seeds 10001 -o ${WORK}/never)
expect_match("${err}" "--seeds: '10001' is 10001 seeds; expected at most 10000" "too many seeds")
expect_exit(2 run --per-seed -o ${WORK}/never)
expect_exit(2 run --seed 3 --seeds 3 -o ${WORK}/never)
expect_exit(2 run --seeds 3 -j 0 -o ${WORK}/never)
if(EXISTS ${WORK}/never)
  message(FATAL_ERROR "a refused run wrote ${WORK}/never")
endif()

# The same bytes whatever -j: every file but run.json's wall time, each seed's run included.
set(short --set run.end=2026Q4 --log-level warn)
expect_exit(0 run --seeds 4 -j 2 --per-seed -o ${WORK}/j2 ${short})
expect_match("${out}" "4 seeds \\(1..4\\)" "the seeds are named")
expect_match("${out}" "Across the 4 seeds, median \\[5%–95%\\]:" "figures across seeds")
expect_match("${out}" "Peak idle compute [^\n]+ \\[[^\n]+–[^\n]+\\]" "a figure as median [5–95%]")
expect_match("${out}" "wrote timeseries.csv events.jsonl global.csv blocs.csv regions.csv agents.csv vendors.csv ensemble.csv seeds.csv and run.json" "files written")
expect_exit(0 run --seeds 4 -j 1 --per-seed -o ${WORK}/j1 ${short})
file(GLOB_RECURSE files RELATIVE ${WORK}/j1 ${WORK}/j1/*)
list(LENGTH files count)
if(count LESS 40)
  message(FATAL_ERROR "only ${count} files in an ensemble of 4 seeds with --per-seed: ${files}")
endif()
foreach(f IN LISTS files)
  if(f MATCHES "run\\.json$")
    file(STRINGS ${WORK}/j1/${f} a REGEX "^  \"[a-z_]+\": " )
    file(STRINGS ${WORK}/j2/${f} b REGEX "^  \"[a-z_]+\": ")
    list(FILTER a EXCLUDE REGEX "wall_time_s")
    list(FILTER b EXCLUDE REGEX "wall_time_s")
    if(NOT a STREQUAL b)
      message(FATAL_ERROR "${f} differs between -j 1 and -j 2 beyond its wall time")
    endif()
  else()
    file(SHA256 ${WORK}/j1/${f} h1)
    file(SHA256 ${WORK}/j2/${f} h2)
    if(NOT h1 STREQUAL h2)
      message(FATAL_ERROR "${f} differs between -j 1 and -j 2")
    endif()
  endif()
endforeach()
file(READ ${WORK}/j1/run.json run_json)
expect_match("${run_json}" "\"seed\": 1,\n  \"seeds\": \\[1, 2, 3, 4\\],\n" "run.json lists the seeds")
expect_match("${run_json}" "\"outputs\": \\[[^]]*\"ensemble.csv\", \"seeds.csv\"\\]" "run.json lists the ensemble's files")
# A range: seeds 3 to 5, the first of them in run.json's `seed`.
expect_exit(0 run --seeds 3-5 -j 3 -o ${WORK}/range ${short})
expect_match("${out}" "3 seeds \\(3..5\\)" "a range of seeds")

# The median by hand: one value of ensemble.csv and timeseries.csv against the four seeds' own.
if(NOT PYTHON3)
  message(FATAL_ERROR "python3 not found")
endif()
file(WRITE ${WORK}/median.py [=[
import csv, sys
d = sys.argv[1]
key = ("2026Q4", "global", "world", "installed_h100e")
def value(path):
    with open(path) as f:
        for row in csv.DictReader(f):
            if (row["quarter"], row["entity_kind"], row["entity"], row["metric"]) == key:
                return row
    raise SystemExit(f"{path}: no {key}")
seeds = sorted(float(value(f"{d}/seeds/{s}/timeseries.csv")["value"]) for s in (1, 2, 3, 4))
by_hand = (seeds[1] + seeds[2]) / 2  # four values: the mean of the middle two
q = value(f"{d}/ensemble.csv")
p50 = float(q["p50"])
assert abs(p50 - by_hand) <= 1e-12 * abs(by_hand), (p50, by_hand, seeds)
assert float(value(f"{d}/timeseries.csv")["value"]) == p50
# Type 7: p05 = x1 + 0.15 (x2 - x1), p95 = x3 + 0.85 (x4 - x3).
assert abs(float(q["p05"]) - (seeds[0] + 0.15 * (seeds[1] - seeds[0]))) <= 1e-9 * abs(by_hand)
assert abs(float(q["p95"]) - (seeds[2] + 0.85 * (seeds[3] - seeds[2]))) <= 1e-9 * abs(by_hand)
assert seeds[0] != seeds[3], seeds  # the seeds differ
with open(f"{d}/seeds.csv") as f:
    rows = list(csv.DictReader(f))
assert [r["seed"] for r in rows] == ["1", "2", "3", "4"], rows
print("median ok", by_hand)
]=])
execute_process(COMMAND ${PYTHON3} ${WORK}/median.py ${WORK}/j1 RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ensemble.csv against the seeds' own runs:\n${out}\n${err}")
endif()
expect_match("${out}" "median ok" "the median by hand")

# The report shades the spread; compare shows median [5–95%] and, for the same seeds, the
# seed-by-seed differences (common random numbers).
expect_exit(0 report ${WORK}/j1 -o ${WORK}/j1-report.html)
file(READ ${WORK}/j1-report.html html)
expect_match("${html}" "\"style\":\"band\"" "report: band series")
expect_match("${html}" "\"quantiles\":\\{" "report: the quantiles of the banded series")
expect_match("${html}" "4 seeds \\(1 … 4\\); the median of each value" "report: provenance")
expect_match("${html}" "<li class=\"ensemble\"><strong>Across the 4 seeds</strong>" "report: figures across seeds")
expect_exit(0 run --seeds 4 -o ${WORK}/whatif --set run.end=2026Q4 --set agents.meta.strategy.momentum=0.9 --log-level warn)
expect_exit(0 compare ${WORK}/j1 ${WORK}/whatif -o ${WORK}/compare.html)
file(READ ${WORK}/compare.html html)
expect_match("${html}" "<tr class=\"peak-idle\"><th>Peak idle compute</th><td>[^<]+ \\[[^<]+–[^<]+\\]</td>" "compare: median [5–95%]")
expect_match("${html}" "common random numbers" "compare: the differences of the same seeds")

# A single run written later into the same directory: the stale ensemble files are not read.
expect_exit(0 run -o ${WORK}/j1 ${short})
expect_exit(0 report ${WORK}/j1 -o ${WORK}/single-report.html)
file(READ ${WORK}/single-report.html html)
if(html MATCHES "\"style\":\"band\"")
  message(FATAL_ERROR "the report of a single run drew the bands of an earlier ensemble")
endif()
