# Calibration and back-tests from the command line: `calibrate` (NLopt on the ensemble objective by
# default, Levenberg–Marquardt with --method lm) refuses bad seeds, windows and algorithms (exit 2,
# nothing written), writes the overlay, the report and the profile scans' CSV beside it, the same
# bytes twice; `backtest` prints the table and writes its CSV. Run by ctest:
#   cmake -DAIDCSIM=path -DWORK=dir -DSOURCE=srcdir -P calibrate.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
include(${CMAKE_CURRENT_LIST_DIR}/expect.cmake)

set(fixture tests/calibrate/fixed_fleet.yaml)
file(WRITE ${WORK}/targets.csv "quarter,entity_kind,entity,metric,value\n2024Q4,bloc,us,price_usd_per_h100e_hour,2.2\n2025Q4,bloc,us,price_usd_per_h100e_hour,3.1\n2026Q4,bloc,us,price_usd_per_h100e_hour,3.5\n")
set(params --params "demand[us].base=1e5:3e5")
set(small --seeds 3 --max-evals 15 --local-evals 25 -j 2 --log-level warn)

# Bad input: exit 2, the reason, nothing written.
expect_exit(2 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} --seeds 0 -o ${WORK}/never.yaml)
expect_match("${err}" "calibrate: --seeds: '0' is no seeds" "--seeds 0")
expect_exit(2 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} --fit-window 2025Q1-2024Q1 -o ${WORK}/never.yaml)
expect_match("${err}" "--fit-window: the window 2025Q1-2024Q1 ends before it starts" "a backwards window")
expect_exit(2 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} --fit-window 2030Q1-2030Q4 -o ${WORK}/never.yaml)
expect_match("${err}" "no target falls in the fit window" "an empty window")
expect_exit(2 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} --local LD_LBFGS -o ${WORK}/never.yaml)
expect_match("${err}" "--local: LD_LBFGS: not a derivative-free local NLopt algorithm" "a gradient algorithm")
expect_exit(2 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} --method lm --seed 1 --seeds 3 -o ${WORK}/never.yaml)
if(EXISTS ${WORK}/never.yaml OR EXISTS ${WORK}/never.profile.csv)
  message(FATAL_ERROR "a refused calibrate wrote a file")
endif()

# A fit: fitted in 2024–2025, validated on 2026; the profile CSV beside the report.
expect_exit(0 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} --fit-window 2024Q1-2025Q4 ${small}
            -o ${WORK}/fit.yaml --report ${WORK}/fit.md)
expect_match("${out}" "the mean over 3 seeds \\(1–3\\)" "the ensemble is named")
expect_match("${out}" "fit window 2024Q1-2025Q4" "the window")
expect_match("${out}" "\\| 2026Q4 \\| bloc us price_usd_per_h100e_hour \\| validation \\|" "a validation target")
expect_match("${out}" "in sample [0-9.]+% \\(2 targets\\), out of sample [0-9.]+% \\(1 targets\\)" "RMS by window")
expect_match("${out}" "of 2 in-sample targets \\([0-9.]+%\\) inside the ensemble's 5–95% band" "the band")
expect_match("${out}" "## Profile scans" "the profile scans")
expect_match("${out}" "wrote [^\n]*fit.yaml, [^\n]*fit.md and [^\n]*fit.profile.csv" "files written")
file(READ ${WORK}/fit.profile.csv profile)
expect_match("${profile}" "^parameter,step,value,objective,fitted_objective,change,lowers,clamped\ndemand\\[us\\].base,-0.1," "the profile CSV")
file(READ ${WORK}/fit.yaml first_fit)
expect_exit(0 run ${WORK}/fit.yaml -o ${WORK}/fitted --log-level warn)
# Deterministic: the same bytes again.
expect_exit(0 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} --fit-window 2024Q1-2025Q4 ${small}
            -o ${WORK}/fit.yaml --report ${WORK}/fit2.md --profile ${WORK}/again.csv)
file(READ ${WORK}/fit.yaml second_fit)
file(READ ${WORK}/again.csv second_profile)
if(NOT first_fit STREQUAL second_fit OR NOT profile STREQUAL second_profile)
  message(FATAL_ERROR "the same fit twice gave different files")
endif()
# Levenberg–Marquardt on one seed is still there.
expect_exit(0 calibrate ${fixture} --targets ${WORK}/targets.csv ${params} --method lm --seed 3 -o ${WORK}/lm.yaml --log-level warn)
expect_match("${out}" "Levenberg–Marquardt on relative errors" "--method lm")

# backtest: the table, RMS by window, the CSV.
expect_exit(2 backtest ${fixture} --targets ${WORK}/targets.csv --seeds 1-0)
expect_exit(0 backtest ${fixture} --targets ${WORK}/targets.csv --seeds 4 --fit-window 2024Q1-2025Q4 -j 2 -o ${WORK}/bt/backtest.csv --log-level warn)
expect_match("${out}" "Back-test of fixed-fleet against 3 targets, ensemble of 4 seeds \\(1–4\\); fit window 2024Q1-2025Q4" "the heading")
expect_match("${out}" "2026Q4 +bloc us price_usd_per_h100e_hour +validation" "a validation row")
expect_match("${out}" "in sample \\(2024Q1-2025Q4\\) +2 +[0-9.]+%" "in-sample RMS")
expect_match("${out}" "out of sample +1 +[0-9.]+%" "out-of-sample RMS")
file(READ ${WORK}/bt/backtest.csv csv)
expect_match("${csv}" "^quarter,entity_kind,entity,metric,window,record,p05,p25,p50,p75,p95,error,in_band\n2024Q4,bloc,us,price_usd_per_h100e_hour,fit,2.2," "the CSV")
expect_match("${csv}" "\n2026Q4,bloc,us,price_usd_per_h100e_hour,validation,3.5," "the CSV's validation row")
