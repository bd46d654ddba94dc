# The aidcsim command line as a user meets it. Run by ctest:
#   cmake -DAIDCSIM=path -DWORK=dir -DSOURCE=srcdir -P end_to_end.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
include(${CMAKE_CURRENT_LIST_DIR}/expect.cmake)

# compare_results(SAME|DIFFERENT run_a run_b what): timeseries.csv of two runs under WORK.
function(compare_results expected a b what)
  file(SHA256 ${WORK}/${a}/timeseries.csv hash_a)
  file(SHA256 ${WORK}/${b}/timeseries.csv hash_b)
  if(expected STREQUAL "SAME" AND NOT hash_a STREQUAL hash_b)
    message(FATAL_ERROR "${what}: runs ${a} and ${b} differ")
  elseif(expected STREQUAL "DIFFERENT" AND hash_a STREQUAL hash_b)
    message(FATAL_ERROR "${what}: runs ${a} and ${b} are identical")
  endif()
endfunction()

# --version
expect_exit(0 --version)
expect_match("${out}" "^aidcsim [0-9]+\\.[0-9]+\\.[0-9]+" "--version")

# The embedded default: a summary on stdout, two files written.
expect_exit(0 run -o ${WORK}/a --log-level warn)
expect_match("${out}" "year +installed +powered +stranded +utilized +idle" "summary header")
expect_match("${out}" "\n2030 " "summary covers 2030")
foreach(f timeseries.csv run.json)
  if(NOT EXISTS ${WORK}/a/${f})
    message(FATAL_ERROR "run did not write ${f}")
  endif()
endforeach()
file(STRINGS ${WORK}/a/timeseries.csv header LIMIT_COUNT 1)
if(NOT header STREQUAL "quarter,entity_kind,entity,metric,value")
  message(FATAL_ERROR "timeseries.csv header is '${header}'")
endif()
file(READ ${WORK}/a/run.json run_json)
expect_match("${run_json}" "\"seed\": 42" "run.json seed")
expect_match("${run_json}" "\"hash\": \"fnv1a64:[0-9a-f]+\"" "run.json hash")
file(GLOB leftovers ${WORK}/a/*.tmp.*)
if(leftovers)
  message(FATAL_ERROR "temporary files left behind: ${leftovers}")
endif()

# Deterministic: the same seed gives the same bytes; another seed gives other results.
expect_exit(0 run -o ${WORK}/b --log-level warn)
compare_results(SAME a b "the same seed")
expect_exit(0 run -o ${WORK}/c --seed 7 --log-level warn)
compare_results(DIFFERENT a c "seed 7 against seed 42")
file(READ ${WORK}/c/run.json run_json)
expect_match("${run_json}" "\"seed\": 7" "run.json records --seed")

# A scenario file runs the same as the embedded copy of it.
expect_exit(0 run scenarios/baseline.yaml -o ${WORK}/d --log-level warn)
compare_results(SAME a d "scenarios/baseline.yaml against the embedded default")

# Bad input: exit 2, file:line:col on stderr, nothing written.
file(WRITE ${WORK}/broken.yaml "run:\n  start: 2023Q1\n  end: 2020Q1\n")
expect_exit(2 run ${WORK}/broken.yaml -o ${WORK}/never)
expect_match("${err}" "broken.yaml:3:8: run.end: end 2020Q1 is before start 2023Q1" "error location")
if(EXISTS ${WORK}/never)
  message(FATAL_ERROR "an invalid scenario created its output directory")
endif()
expect_exit(2 validate ${WORK}/broken.yaml)
expect_exit(2 validate ${WORK}/does-not-exist.yaml)
expect_match("${err}" "does-not-exist.yaml: no such file" "missing file")
expect_exit(2 validate ${WORK})
expect_match("${err}" "is a directory" "directory instead of file")
expect_exit(0 validate scenarios/compact.yaml)
expect_match("${out}" "scenarios/compact.yaml: ok" "validate ok")

# Bad arguments: exit 2.
expect_exit(2 run --seed notanumber)
expect_exit(2 frobnicate)
expect_exit(2)

# An output directory that cannot be created: exit 1 with the reason.
file(WRITE ${WORK}/a-file "x")
expect_exit(1 run -o ${WORK}/a-file/sub --log-level warn)
expect_match("${err}" "cannot create output directory" "unwritable output")

# Overrides: --set changes the run, is recorded in run.json, and bad ones are all reported.
expect_exit(0 run -o ${WORK}/e --set agents.meta.strategy.momentum=0.9 --set "regions[us-east].interconnection_time=7 years" --log-level warn)
compare_results(DIFFERENT a e "--set")
file(READ ${WORK}/e/run.json run_json)
expect_match("${run_json}" "\"overrides\": \\[\"agents.meta.strategy.momentum=0.9\", \"regions\\[us-east\\].interconnection_time=7 years\"\\]" "run.json overrides")
expect_exit(2 validate scenarios/compact.yaml --set agents.micrsoft.cash=1 --set run.ned=2020Q1)
expect_match("${err}" "--set agents.micrsoft.cash=1: agents: no item named 'micrsoft' \\(did you mean 'microsoft'\\?\\)" "bad --set item")
expect_match("${err}" "--set run.ned=2020Q1: run.ned: unknown key 'ned' \\(did you mean 'end'\\?\\)" "bad --set key")

# show: the file as written, or resolved (extends merged, overrides applied); the resolved text
# validates by itself.
file(WRITE ${WORK}/whatif.yaml "extends: ${SOURCE}/scenarios/compact.yaml\nname: whatif\nagents:\n  - name: coreweave\n    remove: true\nsites:\n  - name: cw-east-1\n    remove: true\ncontracts:\n  - name: msft-cw\n    remove: true\n")
expect_exit(0 show ${WORK}/whatif.yaml)
expect_match("${out}" "^extends: " "show prints the file as written")
expect_exit(0 show ${WORK}/whatif.yaml --resolved --set run.end=2026Q4)
if(out MATCHES "coreweave" OR out MATCHES "extends")
  message(FATAL_ERROR "show --resolved still has the removed agent or the extends key:\n${out}")
endif()
expect_match("${out}" "end: 2026Q4" "show --resolved applies --set")
file(WRITE ${WORK}/resolved.yaml "${out}")
expect_exit(0 validate ${WORK}/resolved.yaml)
expect_match("${out}" "6 agents, 2023Q1..2026Q4" "the resolved scenario")

# The fully resolved default (every default written in) runs to the same bytes as the default.
expect_exit(0 show --resolved)
expect_match("${out}" "reserve_margin: 15%" "show --resolved writes defaults in")
file(WRITE ${WORK}/default-resolved.yaml "${out}")
expect_exit(0 run ${WORK}/default-resolved.yaml -o ${WORK}/f --log-level warn)
compare_results(SAME a f "the resolved default against the default")
expect_exit(0 validate scenarios/compact.yaml --resolved)
expect_match("${out}" "# scenarios/compact.yaml, resolved\n" "validate --resolved")

# calibrate: bad targets and parameters are reported with their place, exit 2, nothing written;
# a small fit prints its report and writes an overlay that runs.
file(WRITE ${WORK}/bad-targets.csv "quarter,entity_kind,entity,metric,value\n2024Q2,bloc,us,prise_usd_per_h100e_hour,2\n")
expect_exit(2 calibrate tests/calibrate/fixed_fleet.yaml --targets ${WORK}/bad-targets.csv --params "demand[us].base=1e5:3e5" -o ${WORK}/nofit.yaml)
expect_match("${err}" "bad-targets.csv:2:16: metric: unknown metric 'prise_usd_per_h100e_hour' \\(did you mean 'price_usd_per_h100e_hour'\\?\\)" "bad target metric")
expect_exit(2 calibrate tests/calibrate/fixed_fleet.yaml --targets ${WORK}/bad-targets.csv --params "demand[us].base=3e5:1e5" -o ${WORK}/nofit.yaml)
expect_match("${err}" "--params: demand\\[us\\].base: the lower bound must be below the upper bound" "bad bounds")
if(EXISTS ${WORK}/nofit.yaml)
  message(FATAL_ERROR "calibrate wrote an overlay although its input was bad")
endif()
file(WRITE ${WORK}/targets.csv "quarter,entity_kind,entity,metric,value\n2024Q4,bloc,us,price_usd_per_h100e_hour,2.2\n2025Q4,bloc,us,price_usd_per_h100e_hour,3.1\n")
expect_exit(0 calibrate tests/calibrate/fixed_fleet.yaml --targets ${WORK}/targets.csv --params "demand[us].base=1e5:3e5" -o ${WORK}/fit.yaml --report ${WORK}/fit.md --seeds 3 --max-evals 20 --local-evals 30 --log-level warn)
expect_match("${out}" "\\| `demand\\[us\\].base` \\| 200000 \\|" "the fit report")
expect_exit(0 run ${WORK}/fit.yaml -o ${WORK}/fitted --log-level warn)
if(NOT EXISTS ${WORK}/fit.md)
  message(FATAL_ERROR "calibrate --report wrote nothing")
endif()
