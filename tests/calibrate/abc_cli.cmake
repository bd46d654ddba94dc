# History matching, the identifiability screen and posterior ensembles from the command line:
# `calibrate --method abc` refuses bad input (exit 2, nothing written), writes the posterior, the
# report, the waves and the overlay, the same bytes at -j 1 and -j 2 and when its waves are read
# back; `calibrate --screen` leaves out a parameter the targets do not see; `run --posterior`
# refuses a bad file at file:line:col (exit 2, nothing written) and writes the same bytes at -j 1
# and -j 2. Run by ctest:
#   cmake -DAIDCSIM=path -DWORK=dir -DSOURCE=srcdir -P abc_cli.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
include(${SOURCE}/tests/cli/expect.cmake)

set(fixture tests/calibrate/noisy_fleet.yaml)
# Targets near the noisy fleet's medians at base 150k, elasticity 0.9 (seeds 1–3), 5% tolerance.
file(WRITE ${WORK}/targets.csv
     "quarter,entity_kind,entity,metric,value,weight,tolerance\n"
     "2024Q4,bloc,us,price_usd_per_h100e_hour,1.92,1,5%\n"
     "2025Q4,bloc,us,price_usd_per_h100e_hour,2.54,1,5%\n"
     "2026Q4,bloc,us,price_usd_per_h100e_hour,3.98,1,5%\n")
set(params --params "demand[us].base=50e3:400e3,demand[us].elasticity=0.3:2")
set(abc --method abc --waves 2 --points 12 --log-level warn)
set(small ${abc} --seeds 2)

# Bad input: exit 2, the reason, nothing written.
expect_exit(2 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} ${abc} --seeds 0 -o ${WORK}/never.yaml)
expect_match("${err}" "calibrate: --seeds: '0' is no seeds" "--seeds 0")
expect_exit(2 calibrate ${fixture} --targets ${WORK}/targets.csv --params "agents[nobody].cash=1:2" ${small} -o ${WORK}/never.yaml)
expect_match("${err}" "--params: agents\\[nobody\\].cash: agents has no item named 'nobody'" "a path naming no item")
file(WRITE ${WORK}/bad-targets.csv "quarter,entity_kind,entity,metric,value,weight,tolerance\n2024Q4,bloc,us,price_usd_per_h100e_hour,2.9,1,lots\n")
expect_exit(2 calibrate ${fixture} --targets ${WORK}/bad-targets.csv ${params} ${small} -o ${WORK}/never.yaml)
expect_match("${err}" "bad-targets.csv:2:47: tolerance: 'lots' is not a tolerance" "a bad tolerance")
if(EXISTS ${WORK}/never.yaml OR EXISTS ${WORK}/never.posterior.csv OR EXISTS ${WORK}/never.posterior.waves)
  message(FATAL_ERROR "a refused calibrate wrote a file")
endif()

# A history match: the posterior, the report, the waves, the overlay.
expect_exit(0 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} ${small} -j 1 -o ${WORK}/abc/fit.yaml
            --report ${WORK}/abc/fit.md)
expect_match("${out}" "# History matching of noisy-fleet" "the heading")
expect_match("${out}" "I_k = \\|median_k − record_k\\| / √\\(\\(tolerance_k·\\|record_k\\|\\)² \\+ variance_k\\)" "the formula")
expect_match("${out}" "\\| 1 \\| 12 \\| [0-9]+ \\|" "wave 1")
expect_match("${out}" "\\| 2 \\| 12 \\| [0-9]+ \\|" "wave 2")
expect_match("${out}" "\\| `demand\\[us\\].base` \\| \\[50000, 400000\\] \\| [0-9.e+]+ \\| [0-9.e+]+ \\| [0-9.e+]+ \\|" "the posterior quantiles")
expect_match("${out}" "wrote [^\n]*fit.posterior.csv, [^\n]*fit.yaml, [^\n]*fit.md and the waves in [^\n]*fit.posterior.waves" "files written")
file(READ ${WORK}/abc/fit.posterior.csv posterior)
expect_match("${posterior}" "^demand\\[us\\].base,demand\\[us\\].elasticity,implausibility\n[0-9]" "the posterior CSV")
foreach(f fit.yaml fit.md fit.posterior.waves/wave-1.csv fit.posterior.waves/wave-2.csv)
  if(NOT EXISTS ${WORK}/abc/${f})
    message(FATAL_ERROR "calibrate --method abc did not write ${f}")
  endif()
endforeach()
expect_exit(0 run ${WORK}/abc/fit.yaml -o ${WORK}/abc-best --log-level warn)

# -j 2 in a fresh place: the same bytes; then again in the same place: the waves are read back.
expect_exit(0 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} ${small} -j 2 -o ${WORK}/abc2/fit.yaml)
file(READ ${WORK}/abc2/fit.posterior.csv posterior2)
file(READ ${WORK}/abc/fit.posterior.waves/wave-2.csv wave_a)
file(READ ${WORK}/abc2/fit.posterior.waves/wave-2.csv wave_b)
if(NOT posterior STREQUAL posterior2 OR NOT wave_a STREQUAL wave_b)
  message(FATAL_ERROR "calibrate --method abc gave other bytes at -j 2")
endif()
expect_exit(0 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} ${small} -j 2 -o ${WORK}/abc2/fit.yaml)
expect_match("${out}" "\\| 2 \\(resumed\\) \\| 12 \\|" "the waves read back")
file(READ ${WORK}/abc2/fit.posterior.csv posterior3)
if(NOT posterior STREQUAL posterior3)
  message(FATAL_ERROR "the waves read back gave another posterior")
endif()

# In two shards (as two Slurm array tasks would run them): each runs its half of a wave; the wave
# goes on once both halves are there; the posterior is the same bytes as the one process's.
expect_exit(2 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} ${small} --shard 2/2 -o ${WORK}/never.yaml)
expect_match("${err}" "--shard: '2/2' is not a shard" "a bad shard")
set(sharded ${fixture} --targets ${WORK}/targets.csv ${params} ${small} -o ${WORK}/sharded/fit.yaml)
expect_exit(0 calibrate ${sharded} --shard 0/2)
expect_match("${out}" "wave 1: shard 0 of 2 written" "shard 0 waits for shard 1")
expect_exit(0 calibrate ${sharded} --shard 1/2)
expect_match("${out}" "wave 2: shard 1 of 2 written" "shard 1 merges wave 1 and runs its half of wave 2")
if(EXISTS ${WORK}/sharded/fit.posterior.csv)
  message(FATAL_ERROR "a shard waiting for the others wrote the posterior")
endif()
expect_exit(0 calibrate ${sharded} --shard 0/2)
expect_match("${out}" "\\| 2 \\(resumed\\) \\| 12 \\|" "wave 2 merged from the shards")
file(READ ${WORK}/sharded/fit.posterior.csv posterior_sharded)
file(READ ${WORK}/sharded/fit.posterior.waves/wave-2.csv wave_sharded)
if(NOT posterior STREQUAL posterior_sharded OR NOT wave_a STREQUAL wave_sharded)
  message(FATAL_ERROR "calibrate --method abc in two shards gave other bytes")
endif()

# The screen: the agent's momentum does not move the price targets; it is left out.
expect_exit(0 calibrate ${fixture} --targets ${WORK}/targets.csv
            --params "demand[us].base=50e3:400e3,agents[acme].strategy.momentum=0:1,demand[us].elasticity=0.3:2"
            --screen --screen-trajectories 3 ${small} -o ${WORK}/screen/fit.yaml)
expect_match("${out}" "## Identifiability screen" "the screen's report")
expect_match("${out}" "- `agents\\[acme\\].strategy.momentum`: not identified by the targets" "the parameter left out")
file(READ ${WORK}/screen/fit.posterior.csv screened)
expect_match("${screened}" "^demand\\[us\\].base,demand\\[us\\].elasticity,implausibility\n" "the fit without it")

# The screen before an NLopt fit: the report says which parameter is left out, the overlay lacks it.
expect_exit(0 calibrate tests/calibrate/fixed_fleet.yaml --targets ${WORK}/targets.csv
            --params "demand[us].base=50e3:400e3,agents[acme].strategy.momentum=0:1"
            --screen --screen-trajectories 2 --seeds 1 --max-evals 4 --local-evals 4 -j 1 --log-level warn
            -o ${WORK}/screen-nlopt/fit.yaml --report ${WORK}/screen-nlopt/fit.md)
file(READ ${WORK}/screen-nlopt/fit.md screened_report)
expect_match("${screened_report}" "# Calibration of fixed-fleet.*## Identifiability screen.*agents\\[acme\\].strategy.momentum`: not identified" "the screen in the fit report")
file(READ ${WORK}/screen-nlopt/fit.yaml screened_overlay)
if(screened_overlay MATCHES "momentum")
  message(FATAL_ERROR "the parameter left out was fitted:\n${screened_overlay}")
endif()

# run --posterior: bad files refused at their cells, nothing written.
file(WRITE ${WORK}/bad-posterior.csv "demand[us].base,demand[us].elasticity\n150e3,0.9\n160e3,much\n")
expect_exit(2 run ${fixture} --posterior ${WORK}/bad-posterior.csv -o ${WORK}/never-run)
expect_match("${err}" "bad-posterior.csv:3:7: demand\\[us\\].elasticity: 'much' is not a number" "a bad cell")
file(WRITE ${WORK}/bad-path.csv "demand[us].base,demand[eu].elasticity\n150e3,0.9\n")
expect_exit(2 run ${fixture} --posterior ${WORK}/bad-path.csv -o ${WORK}/never-run)
expect_match("${err}" "bad-path.csv:1:17: " "a path the scenario lacks")
expect_exit(2 run ${fixture} --posterior ${WORK}/missing.csv -o ${WORK}/never-run)
if(EXISTS ${WORK}/never-run)
  message(FATAL_ERROR "a refused run --posterior wrote something")
endif()

# run --posterior over the posterior: the ensemble files, the same bytes at -j 1 and -j 2.
expect_exit(0 run ${fixture} --posterior ${WORK}/abc/fit.posterior.csv --seed 100 -j 1 -o ${WORK}/post1 --log-level warn)
expect_match("${out}" "over the parameter sets of [^\n]*fit.posterior.csv \\(row i with seed 100 \\+ i\\)" "the rows' seeds")
expect_exit(0 run ${fixture} --posterior ${WORK}/abc/fit.posterior.csv --seed 100 -j 2 -o ${WORK}/post2 --log-level warn)
foreach(f ensemble.csv seeds.csv timeseries.csv)
  file(READ ${WORK}/post1/${f} a)
  file(READ ${WORK}/post2/${f} b)
  if(NOT a STREQUAL b)
    message(FATAL_ERROR "run --posterior: ${f} differs between -j 1 and -j 2")
  endif()
endforeach()
file(READ ${WORK}/post1/seeds.csv seeds)
expect_match("${seeds}" "^seed,[^\n]*\n100," "row 0 with seed 100")
