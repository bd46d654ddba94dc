# The data files, `aidcsim report` and `aidcsim compare` from the command line, as a user meets
# them. Run by ctest:
#   cmake -DAIDCSIM=path -DWORK=dir -DSOURCE=srcdir -DSQLITE3=path -DPYTHON3=path -P report.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
include(${CMAKE_CURRENT_LIST_DIR}/expect.cmake)

set(data_files timeseries.csv events.jsonl run.json global.csv blocs.csv regions.csv agents.csv vendors.csv)

# run --report: every data file and the report; the end-of-run summary answers the first question.
expect_exit(0 run -o ${WORK}/a --report --log-level warn)
foreach(f ${data_files} report.html)
  if(NOT EXISTS ${WORK}/a/${f})
    message(FATAL_ERROR "run --report did not write ${f}")
  endif()
endforeach()
expect_match("${out}" "The us bloc becomes power-bound in [0-9]+Q[1-4]: [^\n]* of the us bloc's compute is stranded" "summary: power-bound")
expect_match("${out}" "Peak idle compute: " "summary: idle")
expect_match("${out}" "wrote timeseries.csv events.jsonl global.csv blocs.csv regions.csv agents.csv vendors.csv report.html and run.json" "summary: files")
file(GLOB leftovers ${WORK}/a/*.tmp.*)
if(leftovers)
  message(FATAL_ERROR "temporary files left behind: ${leftovers}")
endif()
file(READ ${WORK}/a/run.json run_json)
expect_match("${run_json}" "\"resolved_scenario\": \"name: baseline\\\\n" "run.json has the resolved scenario")
expect_match("${run_json}" "\"kind\": \"region\", \"name\": \"us-texas\", \"bloc\": \"us\"" "run.json lists entities")
expect_match("${run_json}" "\"outputs\": \\[\"timeseries.csv\", \"events.jsonl\", \"global.csv\"" "run.json outputs")

# The report reads the run directory: another run of the same seed elsewhere gives the same bytes.
expect_exit(0 run -o ${WORK}/b --log-level warn)
expect_match("${out}" "report: aidcsim report " "run suggests the report")
expect_exit(0 report ${WORK}/b -o ${WORK}/b-report.html)
file(SHA256 ${WORK}/a/report.html hash_a)
file(SHA256 ${WORK}/b-report.html hash_b)
if(NOT hash_a STREQUAL hash_b)
  message(FATAL_ERROR "the same run gives different reports: ${WORK}/a/report.html and ${WORK}/b-report.html")
endif()
expect_exit(0 report ${WORK}/b)
if(NOT EXISTS ${WORK}/b/report.html)
  message(FATAL_ERROR "report DIR did not write DIR/report.html")
endif()

# Bad input: exit 2, the path and what was expected, nothing written.
expect_exit(2 report ${WORK}/nowhere -o ${WORK}/never.html)
expect_match("${err}" "nowhere: no such directory; expected the output directory of `aidcsim run`" "missing run directory")
file(MAKE_DIRECTORY ${WORK}/cut)
foreach(f run.json events.jsonl)
  file(COPY ${WORK}/b/${f} DESTINATION ${WORK}/cut)
endforeach()
file(READ ${WORK}/b/timeseries.csv whole LIMIT 5000)
string(REGEX REPLACE "\n$" "" whole "${whole}")
file(WRITE ${WORK}/cut/timeseries.csv "${whole}")
expect_exit(2 report ${WORK}/cut -o ${WORK}/never.html)
expect_match("${err}" "cut/timeseries.csv:[0-9]+:[0-9]+: the last line has no line end; expected a file written whole" "a cut file")
file(WRITE ${WORK}/cut/timeseries.csv "quarter,entity_kind,entity,metric,value\n2023Q1,global,world,installed_h100e,lots\n")
expect_exit(2 report ${WORK}/cut -o ${WORK}/never.html)
expect_match("${err}" "cut/timeseries.csv:2:37: value 'lots' is not a number; expected a decimal number" "a bad value")
if(EXISTS ${WORK}/never.html)
  message(FATAL_ERROR "report wrote a file although its input was bad")
endif()
expect_exit(2 report ${WORK}/b --figures gif)
expect_exit(2 compare ${WORK}/a)
expect_match("${err}" "dirs" "compare needs two runs")

# compare: another seed and a what-if, overlaid, with the key differences.
expect_exit(0 run -o ${WORK}/c --seed 7 --set "regions[us-east].interconnection_time=7 years" --log-level warn)
expect_exit(0 compare ${WORK}/a ${WORK}/c -o ${WORK}/cmp/compare.html --utilization-low 0.8)
file(READ ${WORK}/cmp/compare.html html)
expect_match("${html}" "Key differences" "compare: table")
expect_match("${html}" "<tr class=\"stranded-quarters\">" "compare: stranded quarters")
expect_match("${html}" "Year utilization first falls below 80%" "compare: threshold option")
expect_match("${html}" "baseline \\(a\\) vs baseline \\(c\\)" "compare: runs told apart")
expect_exit(2 compare ${WORK}/a ${WORK}/nowhere -o ${WORK}/never.html)

# An interrupted run leaves no half file under a final name: killed while writing (its file size
# limit makes the kernel stop it), every file under its final name is whole.
execute_process(COMMAND sh -c "ulimit -f 256; exec \"$0\" run -o \"$1\" --log-level warn" ${AIDCSIM} ${WORK}/killed
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(rc EQUAL 0)
  message(FATAL_ERROR "a run limited to 256 blocks per file was expected to be stopped")
endif()
file(GLOB partial ${WORK}/killed/*.tmp.*)
if(NOT partial)
  message(FATAL_ERROR "the interrupted run was expected to stop while writing a temporary file")
endif()
foreach(f ${data_files})
  if(EXISTS ${WORK}/killed/${f} AND NOT f STREQUAL "run.json")
    file(SHA256 ${WORK}/killed/${f} got)
    file(SHA256 ${WORK}/b/${f} want)
    if(NOT got STREQUAL want)
      message(FATAL_ERROR "the interrupted run left a partial ${f} under its final name")
    endif()
  endif()
endforeach()
expect_exit(2 report ${WORK}/killed -o ${WORK}/never.html)

# The files load as they are: sqlite3's CSV import and pandas.
if(NOT SQLITE3)
  message(FATAL_ERROR "sqlite3 not found: run tools/setup (Debian package sqlite3)")
endif()
foreach(f timeseries global blocs regions agents vendors)
  file(STRINGS ${WORK}/a/${f}.csv lines)
  list(LENGTH lines n)
  math(EXPR rows "${n} - 1")
  execute_process(COMMAND ${SQLITE3} ":memory:" ".import --csv ${WORK}/a/${f}.csv t" "SELECT count(*) FROM t;"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE count ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0 OR NOT count STREQUAL "${rows}" OR NOT err STREQUAL "")
    message(FATAL_ERROR "sqlite3 .import --csv ${f}.csv: ${count} rows (expected ${rows}), exit ${rc}: ${err}")
  endif()
endforeach()
execute_process(COMMAND ${SQLITE3} ":memory:" ".import --csv ${WORK}/a/agents.csv agents"
                "SELECT entity FROM agents WHERE CAST(stranded_h100e AS REAL) > 0 ORDER BY entity LIMIT 1;"
                OUTPUT_VARIABLE first OUTPUT_STRIP_TRAILING_WHITESPACE)
expect_match("${first}" "^[a-z-]+$" "sqlite3 query on agents.csv")

if(NOT PYTHON3)
  message(FATAL_ERROR "python3 with pandas not found: run tools/setup (Debian package python3-pandas)")
endif()
file(WRITE ${WORK}/load.py [=[
import json, sys
import pandas as pd
d = sys.argv[1]
ts = pd.read_csv(f"{d}/timeseries.csv")
assert list(ts.columns) == ["quarter", "entity_kind", "entity", "metric", "value"], ts.columns
assert ts["value"].dtype.kind == "f"
for name in ["global", "blocs", "regions", "agents", "vendors"]:
    wide = pd.read_csv(f"{d}/{name}.csv")
    assert list(wide.columns[:2]) == ["quarter", "entity"], (name, wide.columns)
    assert all(t.kind in "fi" for t in wide.dtypes[2:]), (name, wide.dtypes)  # numbers, no text
    kind = {"global": "global", "blocs": "bloc", "regions": "region", "agents": "agent", "vendors": "vendor"}[name]
    tidy = ts[ts.entity_kind == kind]
    assert len(wide) * (len(wide.columns) - 2) == len(tidy), (name, len(wide), len(tidy))
agents = pd.read_csv(f"{d}/agents.csv")
us = ts[(ts.entity_kind == "bloc") & (ts.entity == "us")].pivot(index="quarter", columns="metric", values="value")
assert us.shape[0] == 52  # 2023Q1–2035Q4
events = pd.read_json(f"{d}/events.jsonl", lines=True)
assert list(events.columns) == ["quarter", "entity_kind", "entity", "kind", "cause", "figures"], events.columns
assert (events.kind == "power_bound").any()
run = json.load(open(f"{d}/run.json"))
assert run["seed"] == 42 and run["resolved_scenario"].startswith("name: baseline")
print("pandas ok", len(ts), len(events))
]=])
execute_process(COMMAND ${PYTHON3} ${WORK}/load.py ${WORK}/a RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pandas could not load the files:\n${out}\n${err}")
endif()
expect_match("${out}" "pandas ok" "pandas")
