// Calibration: the least-squares solver on known functions, the targets and parameter parsers
// with their messages, a whole fit recovering known parameters from synthetic targets (one seed
// with Levenberg–Marquardt, an ensemble with NLopt), the ensemble objective by hand, and the
// back-test with its stylized facts (on hand-made series: pass, fail and n/a).

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "aidc/calibrate/backtest.hpp"
#include "aidc/calibrate/calibration.hpp"
#include "aidc/calibrate/ensemble_fit.hpp"
#include "aidc/calibrate/history_matching.hpp"
#include "aidc/calibrate/identifiability.hpp"
#include "aidc/calibrate/posterior.hpp"
#include "aidc/calibrate/stylized_facts.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/scenario/loader.hpp"

namespace aidc {
namespace {

namespace fs = std::filesystem;

const fs::path fixture = fs::path(AIDC_SOURCE_DIR) / "tests/calibrate/fixed_fleet.yaml";
const fs::path noisy = fs::path(AIDC_SOURCE_DIR) / "tests/calibrate/noisy_fleet.yaml";

// y = a·e^(b·t) sampled without noise: LM recovers (a, b) = (2, −0.3) from (1, 0.1).
TEST(LevenbergMarquardt, RecoversAnExponentialExactly) {
  auto residuals = [](const Eigen::VectorXd& x, Eigen::VectorXd& r) {
    r.resize(10);
    for (int t = 0; t < 10; ++t) r[t] = x[0] * std::exp(x[1] * t) - 2.0 * std::exp(-0.3 * t);
  };
  LmOptions options;
  options.difference_step = 1e-7;
  options.max_iterations = 200;
  const LmResult fit = levenberg_marquardt(residuals, Eigen::Vector2d(0.1, -2.0), Eigen::Vector2d(10.0, 2.0),
                                           Eigen::Vector2d(1.0, 0.1), options);
  EXPECT_NEAR(fit.x[0], 2.0, 1e-5);
  EXPECT_NEAR(fit.x[1], -0.3, 1e-6);
  EXPECT_LT(fit.cost, 1e-12);
  EXPECT_GT(fit.evaluations, fit.iterations);
}

// The unconstrained minimum x = 5 lies above the bound 3: the fit ends at the bound, inside it.
TEST(LevenbergMarquardt, StaysWithinTheBounds) {
  auto residuals = [](const Eigen::VectorXd& x, Eigen::VectorXd& r) {
    r.resize(1);
    r[0] = x[0] - 5.0;
  };
  const LmResult fit =
      levenberg_marquardt(residuals, Eigen::VectorXd::Constant(1, 0.0), Eigen::VectorXd::Constant(1, 3.0),
                          Eigen::VectorXd::Constant(1, 1.0));
  EXPECT_LE(fit.x[0], 3.0);
  EXPECT_GT(fit.x[0], 2.99);
}

TEST(LevenbergMarquardt, IsDeterministic) {
  auto residuals = [](const Eigen::VectorXd& x, Eigen::VectorXd& r) {
    r.resize(3);
    r << x[0] * x[1] - 2.0, x[0] + x[1] - 3.0, std::sin(x[0]);
  };
  const Eigen::Vector2d lo(-5, -5), hi(5, 5), start(0.3, 0.7);
  const LmResult a = levenberg_marquardt(residuals, lo, hi, start);
  const LmResult b = levenberg_marquardt(residuals, lo, hi, start);
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.evaluations, b.evaluations);
}

TEST(Targets, ReadsRowsWithCommentsAndWeights) {
  const auto t = parse_targets_csv(
      "quarter,entity_kind,entity,metric,value,weight\n# the record\n2024Q1,agent,meta,capex_usd,6.4e9,2\n"
      "2024Q2, vendor , nvidia, revenue_usd, 26.3e9 \n",
      "t.csv");
  ASSERT_EQ(t.size(), 2U);
  EXPECT_EQ(t[0].quarter, Quarter(2024, 1));
  EXPECT_EQ(t[0].entity_kind, EntityKind::agent);
  EXPECT_EQ(t[0].metric, Metric::capex_usd);
  EXPECT_EQ(t[0].weight, 2.0);
  EXPECT_EQ(t[1].entity, "nvidia");
  EXPECT_EQ(t[1].value, 26.3e9);
  EXPECT_EQ(t[1].weight, 1.0);
  EXPECT_EQ(t[1].where.line, 4);
}

TEST(Targets, EveryProblemIsReportedAtItsCell) {
  try {
    parse_targets_csv(
        "quarter,entity_kind,entity,metric,value\n2024Q5,agent,meta,capex_usd,1\n2024Q1,agnet,meta,capex_usd,1\n"
        "2024Q1,agent,meta,capex_usdd,1\n2024Q1,agent,meta,capex_usd,lots\n2024Q1,agent,meta,capex_usd,0\n"
        "2024Q1,agent,meta\n",
        "t.csv");
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    std::vector<std::string> lines;
    for (const auto& d : e.diagnostics()) lines.push_back(d.str());
    ASSERT_EQ(lines.size(), 6U);
    EXPECT_EQ(lines[0], "t.csv:2:1: quarter: '2024Q5' is not a quarter; expected e.g. 2024Q3");
    EXPECT_EQ(lines[1], "t.csv:3:8: entity_kind: unknown entity kind 'agnet' (did you mean 'agent'?)");
    EXPECT_EQ(lines[2], "t.csv:4:19: metric: unknown metric 'capex_usdd' (did you mean 'capex_usd'?)");
    EXPECT_EQ(lines[3], "t.csv:5:29: value: 'lots' is not a number");
    EXPECT_EQ(lines[4], "t.csv:6:29: value: a target of 0 has no relative error; expected a non-zero value");
    EXPECT_EQ(lines[5],
              "t.csv:7:1: expected 5 to 7 comma-separated cells "
              "(quarter,entity_kind,entity,metric,value[,weight[,tolerance]]), found 3");
  }
}

// The tolerance column: a share or a percentage; an empty cell is none (and an empty weight 1).
TEST(Targets, ReadsTolerances) {
  const auto t = parse_targets_csv(
      "quarter,entity_kind,entity,metric,value,weight,tolerance\n2024Q1,global,world,capex_usd,10,2,0.05\n"
      "2024Q2,global,world,capex_usd,10,,12.5%\n2024Q3,global,world,capex_usd,10,1,\n2024Q4,global,world,capex_usd,10\n",
      "t.csv");
  ASSERT_EQ(t.size(), 4U);
  EXPECT_EQ(t[0].tolerance, 0.05);
  EXPECT_EQ(t[1].weight, 1.0);
  EXPECT_EQ(t[1].tolerance, 0.125);
  EXPECT_TRUE(std::isnan(t[2].tolerance));
  EXPECT_TRUE(std::isnan(t[3].tolerance));
  try {
    parse_targets_csv("quarter,entity_kind,entity,metric,value,weight,tolerance\n2024Q1,global,world,capex_usd,10,1,-1\n",
                      "t.csv");
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1U);
    EXPECT_EQ(e.diagnostics()[0].str(),
              "t.csv:2:36: tolerance: '-1' is not a tolerance; expected a share ≥ 0 of the value, e.g. 0.1 or 10%");
  }
}

TEST(Targets, HeaderAndEmptyFile) {
  EXPECT_THROW(parse_targets_csv("", "t.csv"), ScenarioError);
  EXPECT_THROW(parse_targets_csv("q,kind\n", "t.csv"), ScenarioError);
  EXPECT_THROW(parse_targets_csv("quarter,entity_kind,entity,metric,value\n", "t.csv"), ScenarioError);
  EXPECT_THROW(read_targets_csv("/nonexistent/targets.csv"), ScenarioError);
}

TEST(FitParameters, ParsesBoundsAndStart) {
  const auto p = parse_fit_parameters({"demand[us].base=1e5:3e5", "agents[acme].strategy.momentum=0:1:0.2"});
  ASSERT_EQ(p.size(), 2U);
  EXPECT_EQ(p[0].path, "demand[us].base");
  EXPECT_EQ(p[0].start, 2e5);  // the middle
  EXPECT_EQ(p[1].start, 0.2);
  EXPECT_EQ(assignment(p[1], 0.25), "agents[acme].strategy.momentum=0.25");
}

TEST(FitParameters, MalformedEntriesAreAllReported) {
  try {
    parse_fit_parameters({"x", "a.b=1", "a.c=3:1", "a.d=0:1:2", "a.e=0:one"});
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 5U);
    EXPECT_EQ(e.diagnostics()[0].str(),
              "--params: x: expected PATH=LO:HI or PATH=LO:HI:START, e.g. agents[meta].strategy.momentum=0.2:0.9");
    EXPECT_EQ(e.diagnostics()[2].message, "the lower bound must be below the upper bound");
    EXPECT_EQ(e.diagnostics()[3].message, "the start 2 is outside the bounds");
  }
  EXPECT_THROW(parse_fit_parameters({}), ScenarioError);
}

// Synthetic targets from the fixed-fleet scenario with base 150k and elasticity 0.9: a fit from
// (100k, 0.6) recovers both, and the overlay it writes runs to the fitted figures.
TEST(Calibrate, RecoversKnownParametersFromSyntheticTargets) {
  const ScenarioSpec truth = load_scenario_file(fixture);
  const RunResult run = run_scenario(truth, truth.run.seed);
  std::vector<Target> targets;
  for (const Quarter q : {Quarter(2024, 2), Quarter(2024, 4), Quarter(2025, 2), Quarter(2025, 4), Quarter(2026, 4)}) {
    for (const Metric m : {Metric::price_usd_per_h100e_hour, Metric::demand_h100e}) {
      Target t;
      t.quarter = q;
      t.entity_kind = EntityKind::bloc;
      t.entity = "us";
      t.metric = m;
      t.value = *run.recorder.value(q, EntityKind::bloc, "us", m);
      targets.push_back(t);
    }
  }
  const auto params = parse_fit_parameters({"demand[us].base=50e3:400e3:100e3", "demand[us].elasticity=0.3:2:0.6"});
  LmOptions options;
  options.difference_step = 1e-6;
  options.max_iterations = 100;
  const Calibration fit = calibrate(fixture, params, targets, truth.run.seed, options);
  EXPECT_NEAR(fit.fitted[0] / 150e3, 1.0, 1e-4);
  EXPECT_NEAR(fit.fitted[1] / 0.9, 1.0, 1e-4);
  for (std::size_t k = 0; k < targets.size(); ++k) {
    EXPECT_NEAR(fit.fitted_model[k] / targets[k].value, 1.0, 1e-4) << k;
    // The start was off (demand, near the fixed supply once the price clears, hardly moves).
    if (targets[k].metric == Metric::price_usd_per_h100e_hour) {
      EXPECT_GT(std::abs(fit.start_model[k] / targets[k].value - 1.0), 0.05) << k;
    }
  }
  const std::string report = format_fit_report(fit, "fixed-fleet");
  EXPECT_NE(report.find("| `demand[us].base` | 100000 |"), std::string::npos) << report;
  EXPECT_NE(report.find("10 of 10 targets within 15%"), std::string::npos) << report;

  // The overlay extends the scenario by a relative path and reproduces the fitted run.
  const fs::path dir = fs::path(AIDC_BINARY_DIR) / "test-tmp" / "calibrate";
  fs::create_directories(dir);
  const fs::path overlay = dir / "fit.yaml";
  const std::string yaml = format_overlay_yaml(fit, fixture, overlay);
  EXPECT_NE(yaml.find("demand:\n  - bloc: us\n    base: "), std::string::npos) << yaml;
  std::ofstream(overlay) << yaml;
  const ScenarioSpec fitted = load_scenario_file(overlay);
  const RunResult again = run_scenario(fitted, fitted.run.seed);
  for (std::size_t k = 0; k < targets.size(); ++k) {
    EXPECT_EQ(*again.recorder.value(targets[k].quarter, EntityKind::bloc, "us", targets[k].metric), fit.fitted_model[k]);
  }
}

// The overlay names each value as the scenario does, whichever form of key path `--params` used:
// by name in brackets, by index, or by a dotted name; every form gives an overlay that validates
// and sets the value the path names.
TEST(Calibrate, OverlaysValidateForEveryKeyPathForm) {
  const fs::path dir = fs::path(AIDC_BINARY_DIR) / "test-tmp" / "calibrate-forms";
  fs::create_directories(dir);
  const fs::path overlay = dir / "fit.yaml";
  const auto overlay_spec = [&](const std::vector<std::string>& params, const std::vector<double>& fitted) {
    Calibration fit;
    fit.parameters = parse_fit_parameters(params);
    fit.fitted = fitted;
    const std::string yaml = format_overlay_yaml(fit, fixture, overlay);
    std::ofstream(overlay) << yaml;
    return std::pair(load_scenario_file(overlay), yaml);
  };
  {  // by name in brackets
    const auto [spec, yaml] = overlay_spec({"demand[us].base=50e3:400e3", "agents[acme].strategy.momentum=0:1"},
                                           {120e3, 0.25});
    EXPECT_EQ(spec.demand[0].base_h100e, 120e3) << yaml;
    EXPECT_EQ(spec.agents[0].strategy.momentum, 0.25) << yaml;
  }
  {  // by a dotted name
    const auto [spec, yaml] = overlay_spec({"agents.acme.strategy.momentum=0:1", "demand.us.elasticity=0.3:2"}, {0.75, 1.5});
    EXPECT_EQ(spec.agents[0].strategy.momentum, 0.75) << yaml;
    EXPECT_EQ(spec.demand[0].elasticity, 1.5) << yaml;
    EXPECT_NE(yaml.find("agents:\n  - name: acme\n    strategy:\n      momentum: 0.75\n"), std::string::npos) << yaml;
  }
  {  // by index
    const auto [spec, yaml] = overlay_spec({"demand[0].base=50e3:400e3", "agents[0].strategy.momentum=0:1"}, {90e3, 0.5});
    EXPECT_EQ(spec.demand[0].base_h100e, 90e3) << yaml;
    EXPECT_EQ(spec.agents[0].strategy.momentum, 0.5) << yaml;
    EXPECT_NE(yaml.find("demand:\n  - bloc: us\n    base: 90000\n"), std::string::npos) << yaml;
  }
  {  // a plain key
    const auto [spec, yaml] = overlay_spec({"run.seed=1:9"}, {4});
    EXPECT_EQ(spec.run.seed, 4U) << yaml;
  }
  {  // a selector: one fitted value for every item it picks (its '=' is not the bounds')
    const auto [spec, yaml] = overlay_spec({"agents[kind=hyperscaler].strategy.momentum=0:1", "demand[*].elasticity=0.3:2"},
                                           {0.4, 1.25});
    EXPECT_EQ(spec.agents[0].strategy.momentum, 0.4) << yaml;
    EXPECT_EQ(spec.demand[0].elasticity, 1.25) << yaml;
    EXPECT_NE(yaml.find("agents:\n  - name: acme\n    strategy:\n      momentum: 0.4\n"), std::string::npos) << yaml;
  }
}

// A path that names no item of the scenario is refused before anything runs.
TEST(Calibrate, APathNamingNoItemIsRefusedAtOnce) {
  try {
    calibrate(fixture, parse_fit_parameters({"agents.acme.cash=1:2", "agents[nobody].cash=1:2"}), {}, 1);
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1U);
    EXPECT_EQ(e.diagnostics()[0].str(), "--params: agents[nobody].cash: agents has no item named 'nobody' (known: acme)");
  }
}

TEST(Calibrate, ATargetForASeriesTheRunLacksIsReported) {
  auto targets = parse_targets_csv("quarter,entity_kind,entity,metric,value\n2024Q2,agent,nobody,revenue_usd,1e9\n",
                                   "t.csv");
  try {
    calibrate(fixture, parse_fit_parameters({"demand[us].base=50e3:400e3"}), targets, 1);
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1U);
    EXPECT_EQ(e.diagnostics()[0].str(),
              "t.csv:2:1: the run has no series agent/nobody/revenue_usd in 2024Q2; expected an entity of the "
              "scenario and a quarter it runs");
  }
}

TEST(FitWindow, ParsesFirstAndLastQuarter) {
  std::string problem;
  const auto w = parse_fit_window("2023Q1-2024Q4", problem);
  ASSERT_TRUE(w) << problem;
  EXPECT_EQ(w->first, Quarter(2023, 1));
  EXPECT_EQ(w->last, Quarter(2024, 4));
  EXPECT_TRUE(w->contains(Quarter(2024, 4)));
  EXPECT_FALSE(w->contains(Quarter(2025, 1)));
  EXPECT_EQ(w->str(), "2023Q1-2024Q4");
  EXPECT_FALSE(parse_fit_window("2024Q4-2023Q1", problem));
  EXPECT_EQ(problem, "the window 2024Q4-2023Q1 ends before it starts");
  EXPECT_FALSE(parse_fit_window("2023Q1", problem));
  EXPECT_FALSE(parse_fit_window("2023Q1-2024Q5", problem));
  EXPECT_EQ(problem, "'2023Q1-2024Q5' is not a window; expected FIRST-LAST, e.g. 2023Q1-2024Q4");
}

// Two targets, three seeds, by hand: target 1 (record 10, weight 2) has the model at 11, 9, 10 —
// relative errors 0.1, −0.1, 0; target 2 (record −4, weight 1) at −5, −4, −2 — errors −0.25, 0,
// +0.5. Objective: (2·(0.01 + 0.01 + 0) + (0.0625 + 0 + 0.25)) / 3 = 0.3525 / 3 = 0.1175; with
// target 2 out of the window, 0.04 / 3. Medians 10 and −4: errors 0 and 0.
TEST(EnsembleObjective, IsTheMeanOverSeedsOfTheWeightedSquaredRelativeErrors) {
  auto targets = parse_targets_csv(
      "quarter,entity_kind,entity,metric,value,weight\n2024Q1,global,world,capex_usd,10,2\n"
      "2025Q1,global,world,capex_usd,-4,1\n",
      "t.csv");
  TargetEnsemble e;
  e.values = {{11, 9, 10}, {-5, -4, -2}};
  EXPECT_NEAR(ensemble_objective(e, targets, {true, true}), 0.1175, 1e-12);
  std::string problem;
  const auto mask = in_sample_mask(targets, parse_fit_window("2024Q1-2024Q4", problem));
  EXPECT_EQ(mask, (std::vector<bool>{true, false}));
  EXPECT_NEAR(ensemble_objective(e, targets, mask), 0.04 / 3.0, 1e-12);
  const auto spreads = e.spreads();
  EXPECT_EQ(spreads[0].p50, 10.0);
  EXPECT_EQ(spreads[1].p50, -4.0);
  EXPECT_NEAR(spreads[1].p05, -4.9, 1e-12);  // type 7: −5 + 0.1·(−4 − −5)
  const auto errors = median_errors(spreads, targets);
  EXPECT_EQ(errors, (std::vector<double>{0.0, 0.0}));
  EXPECT_NEAR(rms_where({0.3, 0.4, 1.0}, {true, true, false}, true), std::sqrt(0.125), 1e-12);
  EXPECT_EQ(rms_where({0.3, 0.4, 1.0}, {true, true, false}, false), 1.0);
  EXPECT_TRUE(std::isnan(rms_where({0.3}, {true}, false)));
}

TEST(EnsembleFit, RefusesAlgorithmsThatAreNotDerivativeFree) {
  EXPECT_NO_THROW(nlopt_algorithm_named("GN_CRS2_LM", true));
  EXPECT_NO_THROW(nlopt_algorithm_named("GN_DIRECT_L", true));
  EXPECT_NO_THROW(nlopt_algorithm_named("LN_SBPLX", false));
  EXPECT_THROW(nlopt_algorithm_named("LD_LBFGS", false), ScenarioError);
  EXPECT_THROW(nlopt_algorithm_named("LN_BOBYQA", true), ScenarioError);
  EXPECT_THROW(nlopt_algorithm_named("GN_MLSL", true), ScenarioError);
  EXPECT_THROW(nlopt_algorithm_named("nonsense", true), ScenarioError);
}

// A scenario's targets in 2024–2026: the mean (or the median) of each series over the ensemble of
// `seeds`. With the means, the ensemble objective of the same seeds is flat at the truth where the
// seeds' responses to the parameters agree.
std::vector<Target> synthetic_targets(const ScenarioSpec& spec, const std::vector<std::uint64_t>& seeds,
                                      bool medians = false) {
  std::vector<Target> targets;
  for (const Quarter q : {Quarter(2024, 2), Quarter(2024, 4), Quarter(2025, 2), Quarter(2025, 4), Quarter(2026, 2),
                          Quarter(2026, 4)}) {
    for (const Metric m : {Metric::price_usd_per_h100e_hour, Metric::demand_h100e}) {
      Target t;
      t.quarter = q;
      t.entity_kind = EntityKind::bloc;
      t.entity = "us";
      t.metric = m;
      t.value = 1.0;  // replaced below
      targets.push_back(t);
    }
  }
  const auto ensemble = run_target_ensemble(spec, targets, seeds, 2);
  const auto spreads = ensemble.spreads();
  for (std::size_t k = 0; k < targets.size(); ++k) {
    double sum = 0.0;
    for (const double v : ensemble.values[k]) sum += v;
    targets[k].value = medians ? spreads[k].p50 : sum / static_cast<double>(seeds.size());
  }
  return targets;
}

// Synthetic recovery with the ensemble objective: targets made by the ensemble (seeds 1–5, the
// means) of the noisy-fleet scenario (a 5% quarterly demand shock) at base 150k and elasticity
// 0.9; a fit on 2024Q1–2025Q4 with the same seeds from (100k, 0.6), with a small budget (a
// 12-point global stage, then BOBYQA), finds an objective no higher than the truth's and recovers
// the base within 2% and the elasticity within 5% (the objective is flatter in it: ±10% moves it
// by a fifth of what ±10% of the base does, so the seeds' noise moves its minimum more). The
// medians match the targets within 2% in sample and 3% on the 2026 validation targets it did not
// see, and no ±10% move of either parameter lowers the objective.
TEST(EnsembleFit, RecoversKnownParametersFromSyntheticEnsembleTargets) {
  const ScenarioSpec truth = load_scenario_file(noisy);
  const std::vector<std::uint64_t> seeds = {1, 2, 3, 4, 5};
  const std::vector<Target> targets = synthetic_targets(truth, seeds);
  EnsembleFitOptions options;
  options.seeds = seeds;
  std::string problem;
  options.fit_window = parse_fit_window("2024Q1-2025Q4", problem);
  options.global_evaluations = 12;
  options.local_evaluations = 80;
  options.jobs = 2;
  const auto params = parse_fit_parameters({"demand[us].base=50e3:400e3:100e3", "demand[us].elasticity=0.3:2:0.6"});
  const EnsembleCalibration fit = calibrate_ensemble(noisy, params, targets, options);
  EXPECT_NEAR(fit.fitted[0] / 150e3, 1.0, 0.02) << format_ensemble_fit_report(fit, "noisy-fleet");
  EXPECT_NEAR(fit.fitted[1] / 0.9, 1.0, 0.05) << format_ensemble_fit_report(fit, "noisy-fleet");
  const double at_truth = ensemble_objective(run_target_ensemble(truth, targets, seeds, 2), targets, fit.in_sample);
  EXPECT_LE(fit.objective, at_truth * (1.0 + 1e-9));
  EXPECT_LE(fit.global_evaluations, 12);
  EXPECT_LE(fit.local_evaluations, 80);
  EXPECT_LT(fit.objective, 0.05 * fit.start_objective);
  EXPECT_FALSE(fit.at_bound(0));
  EXPECT_FALSE(fit.at_bound(1));
  EXPECT_EQ(fit.in_sample, (std::vector<bool>{true, true, true, true, true, true, true, true, false, false, false, false}));
  const auto errors = median_errors(fit.fitted_spread, targets);
  EXPECT_LT(rms_where(errors, fit.in_sample, true), 0.02);
  EXPECT_LT(rms_where(errors, fit.in_sample, false), 0.03);  // out of sample too
  ASSERT_EQ(fit.profile.size(), 4U);
  EXPECT_EQ(fit.profile_improvements(), 0U);
  EXPECT_NEAR(fit.profile[0].value, 0.9 * fit.fitted[0], 1e-9 * fit.fitted[0]);
  EXPECT_NEAR(fit.profile[3].value, 1.1 * fit.fitted[1], 1e-12);

  const std::string report = format_ensemble_fit_report(fit, "noisy-fleet");
  EXPECT_NE(report.find("the mean over 5 seeds (1–5)"), std::string::npos) << report;
  EXPECT_NE(report.find("fit window 2024Q1-2025Q4"), std::string::npos) << report;
  EXPECT_NE(report.find("Global stage GN_CRS2_LM: "), std::string::npos) << report;
  EXPECT_NE(report.find("out of sample"), std::string::npos) << report;
  EXPECT_NE(report.find("8 of 8 in-sample targets (100.0%) inside the ensemble's 5–95% band"), std::string::npos) << report;
  EXPECT_NE(report.find("No move lowers the objective."), std::string::npos) << report;
  const std::string csv = format_profile_csv(fit);
  EXPECT_EQ(csv.rfind("parameter,step,value,objective,fitted_objective,change,lowers,clamped\ndemand[us].base,-0.1,", 0), 0U)
      << csv;
  EXPECT_EQ(profile_path_beside("out/fit.md"), fs::path("out/fit.profile.csv"));

  // Deterministic: the same fit again, to the bit.
  const EnsembleCalibration again = calibrate_ensemble(noisy, params, targets, options);
  EXPECT_EQ(again.fitted, fit.fitted);
  EXPECT_EQ(again.objective, fit.objective);
}

// A profile move that lowers the objective is flagged: a fit stopped at the start (no stage runs)
// far from the truth.
TEST(EnsembleFit, FlagsAProfileMoveThatLowersTheObjective) {
  const ScenarioSpec truth = load_scenario_file(fixture);
  const std::vector<Target> targets = synthetic_targets(truth, {1, 2});
  EnsembleFitOptions options;
  options.seeds = {1, 2};
  options.global_evaluations = 0;
  options.local_evaluations = 0;
  const auto params = parse_fit_parameters({"demand[us].base=50e3:400e3:300e3"});
  const EnsembleCalibration fit = calibrate_ensemble(fixture, params, targets, options);
  EXPECT_EQ(fit.fitted[0], 300e3);
  EXPECT_EQ(fit.objective, fit.start_objective);
  EXPECT_GE(fit.profile_improvements(), 1U);
  EXPECT_LT(fit.profile[0].objective, fit.objective);  // down 10%, toward 150k
  EXPECT_NE(format_ensemble_fit_report(fit, "x").find("lowers the objective"), std::string::npos);
  EXPECT_NE(format_profile_csv(fit).find(",1,0\n"), std::string::npos);
}

// The back-test of the scenario against its own ensemble medians: every error 0, every record in
// the band; the CSV has a row per target; RMS by window and series in the text.
TEST(Backtest, SetsEachTargetAgainstTheEnsemble) {
  const ScenarioSpec spec = load_scenario_file(noisy);
  std::vector<Target> targets = synthetic_targets(spec, {1, 2, 3}, true);
  targets[0].value *= 2.0;  // the record twice the median: error −50%
  std::string problem;
  const Backtest b = run_backtest(spec, targets, {1, 2, 3}, parse_fit_window("2024Q1-2025Q4", problem), 2);
  ASSERT_EQ(b.errors.size(), targets.size());
  EXPECT_NEAR(b.errors[0], -0.5, 1e-12);
  for (std::size_t k = 1; k < targets.size(); ++k) {
    EXPECT_EQ(b.errors[k], 0.0) << k;
    EXPECT_TRUE(b.inside_band(k)) << k;
  }
  const std::string text = format_backtest_text(b);
  EXPECT_NE(text.find("Back-test of noisy-fleet against 12 targets, ensemble of 3 seeds (1–3); fit window 2024Q1-2025Q4"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("in sample (2024Q1-2025Q4)"), std::string::npos) << text;
  EXPECT_NE(text.find("out of sample"), std::string::npos) << text;
  EXPECT_NE(text.find("-50.0%"), std::string::npos) << text;
  // in sample: errors −0.5 and seven 0s: RMS √(0.25 / 8) = 17.7%
  EXPECT_NE(text.find("17.7%   7 of 8"), std::string::npos) << text;
  const std::string csv = format_backtest_csv(b);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 13);
  EXPECT_EQ(csv.rfind("quarter,entity_kind,entity,metric,window,record,p05,p25,p50,p75,p95,error,in_band\n2024Q2,bloc,us,"
                      "price_usd_per_h100e_hour,fit,",
                      0),
            0U)
      << csv;
  EXPECT_NE(csv.find(",validation,"), std::string::npos);
}

// The index of the fact named `name` in the checklist.
std::size_t fact_index(std::string_view name) {
  const auto& facts = stylized_facts();
  const auto it = std::find_if(facts.begin(), facts.end(), [&](const StylizedFact& f) { return f.name == name; });
  EXPECT_NE(it, facts.end()) << name;
  return static_cast<std::size_t>(it - facts.begin());
}

void put_year(SeriesTable& t, const SeriesKey& key, int year, std::initializer_list<double> quarters) {
  int q = 1;
  for (double v : quarters) t[key][Quarter(year, q++)] = v;
}

// Hand-made series: a fact that holds on the median but in one seed of two, one that fails, one
// whose series lack a year (n/a), one whose series are absent (n/a), and the power rule counting
// only US regions.
TEST(StylizedFacts, PassFailAndNotApplicableOnHandMadeSeries) {
  const SeriesKey price{EntityKind::bloc, "us", Metric::price_usd_per_h100e_hour};
  SeriesTable falls, rises;
  put_year(falls, price, 2023, {8, 8, 8, 8});
  put_year(falls, price, 2025, {3, 3, 3, 3});
  put_year(rises, price, 2023, {8, 8, 8, 8});
  put_year(rises, price, 2025, {10, 10, 10, 10});
  for (auto* t : {&falls, &rises}) {
    (*t)[SeriesKey{EntityKind::vendor, "nvidia", Metric::inventory_days}][Quarter(2023, 4)] = 500.0;
    put_year(*t, SeriesKey{EntityKind::region, "us-east", Metric::power_bound}, 2025, {0, 0, 1, 1});
    put_year(*t, SeriesKey{EntityKind::region, "china-east", Metric::power_bound}, 2025, {1, 1, 1, 1});
  }
  const auto& facts = stylized_facts();
  const std::vector<FactResult> r = evaluate_facts(facts, {falls, rises});
  ASSERT_EQ(r.size(), facts.size());

  const auto price_falls = fact_index("us_spot_price_falls");  // median 2025: (3 + 10) / 2 = 6.5
  ASSERT_TRUE(r[price_falls].value.has_value());
  EXPECT_DOUBLE_EQ(*r[price_falls].value, 6.5 / 8.0);
  EXPECT_EQ(r[price_falls].status(facts[price_falls]), "pass");
  EXPECT_EQ(r[price_falls].seeds_measured, 2U);
  EXPECT_EQ(r[price_falls].seeds_holding, 1U);

  const auto inventory = fact_index("nvidia_inventory_days_2024_01");
  EXPECT_DOUBLE_EQ(r[inventory].value.value_or(0.0), 500.0);
  EXPECT_EQ(r[inventory].status(facts[inventory]), "fail");
  EXPECT_EQ(r[inventory].seeds_holding, 0U);

  const auto peak = fact_index("us_spot_price_peaks_in_2023");  // 2024 is missing
  EXPECT_FALSE(r[peak].value.has_value());
  EXPECT_EQ(r[peak].status(facts[peak]), "n/a");
  EXPECT_EQ(r[peak].seeds_measured, 0U);

  const auto capex = fact_index("hyperscaler_capex_rises");  // no capex series at all
  EXPECT_EQ(r[capex].status(facts[capex]), "n/a");

  const auto power = fact_index("us_power_binds_by_2025");  // us-east bound in two quarters; china-east not counted
  EXPECT_DOUBLE_EQ(r[power].value.value_or(-1.0), 2.0);
  EXPECT_EQ(r[power].status(facts[power]), "pass");

  // The outputs show n/a, not a number, for what could not be measured.
  Backtest b;
  b.scenario = "hand-made";
  b.facts = r;
  const std::string csv = format_facts_csv(b);
  EXPECT_EQ(csv.rfind("fact,rule,source,value,status,seeds_measured,seeds_holding\n", 0), 0U) << csv;
  EXPECT_NE(csv.find("\nus_spot_price_peaks_in_2023,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",,n/a,0,0\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",500,fail,2,0\n"), std::string::npos) << csv;
  const std::string text = format_backtest_text(b);
  EXPECT_NE(text.find("Stylized facts: 2 of 8 hold"), std::string::npos) << text;
  const std::string html = format_backtest_html(b);
  EXPECT_NE(html.find("<section id=\"stylized-facts\">"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"na\">n/a</td>"), std::string::npos);
}

// A run's fact series are those of the metrics the facts read, every entity and quarter.
TEST(StylizedFacts, TakesTheSeriesOfARun) {
  const ScenarioSpec spec = load_scenario_file(fixture);
  const RunResult run = run_scenario(spec, 1);
  const SeriesTable t = fact_series(run.recorder, stylized_facts());
  const auto price = t.find(SeriesKey{EntityKind::bloc, "us", Metric::price_usd_per_h100e_hour});
  ASSERT_NE(price, t.end());
  std::set<std::int32_t> quarters;
  for (const auto& sample : run.recorder.samples()) quarters.insert(sample.quarter);
  EXPECT_EQ(price->second.size(), quarters.size());
  for (const auto& [q, v] : price->second) {
    EXPECT_EQ(std::optional<double>(v), run.recorder.value(q, EntityKind::bloc, "us", Metric::price_usd_per_h100e_hour)) << q.str();
  }
  EXPECT_EQ(t.count(SeriesKey{EntityKind::bloc, "us", Metric::installed_h100e}), 0U);
}

// Implausibility by hand: three seeds give 9, 10 and 14 — median 10, mean 11, variance
// (4 + 1 + 9) / 2 = 7; the record 12 with a tolerance of 25% (3 in the record's unit):
// I = |10 − 12| / √(3² + 7) = 2 / 4 = 0.5. The same record with no tolerance and seeds that
// agree is infinitely implausible unless it is met exactly.
TEST(HistoryMatching, ImplausibilityByHand) {
  EXPECT_DOUBLE_EQ(sample_variance({9, 10, 14}), 7.0);
  EXPECT_EQ(sample_variance({5}), 0.0);
  EXPECT_DOUBLE_EQ(implausibility(10.0, 7.0, 12.0, 0.25), 0.5);
  EXPECT_DOUBLE_EQ(implausibility(-10.0, 0.0, -12.0, 0.5), 2.0 / 6.0);  // |record| scales the tolerance
  EXPECT_TRUE(std::isinf(implausibility(10.0, 0.0, 12.0, 0.0)));
  EXPECT_EQ(implausibility(12.0, 0.0, 12.0, 0.0), 0.0);
}

// The identifiability screen on the fixed fleet: demand's base and elasticity move the price
// targets; the only agent's momentum does not (it keeps all its cash and never buys), so its μ*
// is 0 and it is left out of the fit, the report saying why.
TEST(IdentifiabilityScreen, LeavesOutAParameterTheTargetsDoNotSee) {
  const ScenarioSpec truth = load_scenario_file(fixture);
  const std::vector<Target> targets = synthetic_targets(truth, {1});
  ScreenOptions options;
  options.seeds = {1};
  options.trajectories = 4;
  options.bootstrap = 50;
  const auto params = parse_fit_parameters(
      {"demand[us].base=50e3:400e3", "agents[acme].strategy.momentum=0:1", "demand[us].elasticity=0.3:2"});
  const Screen screen = screen_parameters(fixture, params, targets, options);
  EXPECT_EQ(screen.points, 4U * 4U);
  ASSERT_EQ(screen.indices.size(), 3U);
  EXPECT_GT(screen.indices[0].mu_star.value, 0.0);
  EXPECT_GT(screen.indices[2].mu_star.value, 0.0);
  EXPECT_EQ(screen.indices[1].mu_star.value, 0.0);
  EXPECT_EQ(screen.identified, (std::vector<bool>{true, false, true}));
  EXPECT_EQ(screen.effects, (std::vector<std::size_t>{4, 4, 4}));
  const auto kept = screen.kept();
  ASSERT_EQ(kept.size(), 2U);
  EXPECT_EQ(kept[1].path, "demand[us].elasticity");
  const std::string md = format_screen_report(screen);
  EXPECT_NE(md.find("- `agents[acme].strategy.momentum`: not identified by the targets (μ* 0, 0.0% of the largest, below 5%)"),
            std::string::npos)
      << md;
  // The same screen on two threads, to the bit.
  options.jobs = 2;
  const Screen again = screen_parameters(fixture, params, targets, options);
  EXPECT_EQ(again.indices[0].mu_star.value, screen.indices[0].mu_star.value);
  EXPECT_EQ(format_screen_report(again), md);
}

// The threshold by hand: μ* of 10, 0.4 and 0.6 with a threshold of 5% of the largest (0.5).
TEST(IdentifiabilityScreen, ThresholdIsAShareOfTheLargestMuStar) {
  std::vector<sweep::MorrisIndex> m(3);
  m[0].mu_star.value = 10.0;
  m[1].mu_star.value = 0.4;
  m[2].mu_star.value = 0.6;
  EXPECT_EQ(identified_by_mu_star(m, 0.05), (std::vector<bool>{true, false, true}));
  for (auto& i : m) i.mu_star.value = 0.0;
  EXPECT_EQ(identified_by_mu_star(m, 0.05), (std::vector<bool>{false, false, false}));
}

// Synthetic recovery with history matching: targets from the noisy fleet's ensemble (seeds 1–3,
// medians) at base 150k and elasticity 0.9, each moved by a fixed ±2% "measurement noise", a
// tolerance of 5%; two waves of 40 sets. The truth lies inside each parameter's 5–95% posterior
// interval, the second wave's box is inside the bounds and keeps a larger share, and the result is
// the same to the bit on one thread or three, and when read back from its wave files.
TEST(HistoryMatching, RecoversKnownParametersInsideThePosterior) {
  const ScenarioSpec truth = load_scenario_file(noisy);
  const std::vector<std::uint64_t> seeds = {1, 2, 3};
  std::vector<Target> targets = synthetic_targets(truth, seeds, true);
  for (std::size_t k = 0; k < targets.size(); ++k) {
    targets[k].value *= k % 2 == 0 ? 1.02 : 0.98;
    targets[k].tolerance = 0.05;
  }
  HistoryMatchOptions options;
  options.seeds = seeds;
  options.waves = 2;
  options.points = 40;
  options.jobs = 1;
  const auto params = parse_fit_parameters({"demand[us].base=50e3:400e3", "demand[us].elasticity=0.3:2"});
  const HistoryMatch h = history_match(noisy, params, targets, options);
  const std::string report = format_history_match_report(h, "noisy-fleet");
  ASSERT_EQ(h.waves.size(), 2U) << report;
  const auto posterior = h.posterior();
  ASSERT_GE(posterior.size(), 5U) << report;
  EXPECT_LE(h.posterior_quantile(0, 0.05), 150e3) << report;
  EXPECT_GE(h.posterior_quantile(0, 0.95), 150e3) << report;
  EXPECT_LE(h.posterior_quantile(1, 0.05), 0.9) << report;
  EXPECT_GE(h.posterior_quantile(1, 0.95), 0.9) << report;
  EXPECT_LT(h.posterior_quantile(0, 0.95) - h.posterior_quantile(0, 0.05), 0.5 * (400e3 - 50e3)) << report;
  EXPECT_GT(h.waves[1].lower[0], 50e3) << report;
  EXPECT_LT(h.waves[1].upper[0], 400e3) << report;
  EXPECT_GT(h.waves[1].kept(), h.waves[0].kept()) << report;
  for (const auto* p : posterior) EXPECT_LE(p->max_implausibility, 3.0);
  EXPECT_NE(report.find("| 1 | 40 | "), std::string::npos) << report;
  EXPECT_NE(report.find("| `demand[us].base` | [50000, 400000] |"), std::string::npos) << report;
  const std::string csv = format_posterior_csv(h);
  EXPECT_EQ(csv.rfind("demand[us].base,demand[us].elasticity,implausibility\n", 0), 0U) << csv;
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')), posterior.size() + 1);

  // Three threads: the same bytes. With wave files: written, then read back.
  options.jobs = 3;
  const fs::path dir = fs::path(AIDC_BINARY_DIR) / "test-tmp" / "abc-waves";
  fs::remove_all(dir);
  options.wave_dir = dir;
  const HistoryMatch threaded = history_match(noisy, params, targets, options);
  EXPECT_EQ(format_posterior_csv(threaded), csv);
  EXPECT_TRUE(fs::exists(dir / "wave-1.csv"));
  EXPECT_TRUE(fs::exists(dir / "wave-2.csv"));
  EXPECT_FALSE(threaded.waves[0].resumed);
  const HistoryMatch resumed = history_match(noisy, params, targets, options);
  EXPECT_TRUE(resumed.waves[0].resumed);
  EXPECT_TRUE(resumed.waves[1].resumed);
  EXPECT_EQ(format_posterior_csv(resumed), csv);
  EXPECT_EQ(format_wave_csv(resumed, 1, "x"), format_wave_csv(threaded, 1, "x"));
  // Other settings (no margin): the wave files are not read back. The second box is then the
  // first wave's kept sets' box, which the non-implausible region overflows: the report says so.
  options.margin = 0.0;
  const HistoryMatch other = history_match(noisy, params, targets, options);
  EXPECT_FALSE(other.waves[0].resumed);
  const std::string cut = format_history_match_report(other, "noisy-fleet");
  EXPECT_NE(cut.find("edge of the last wave's box, inside the bounds"), std::string::npos) << cut;
}

// A posterior file with every kind of problem, each at its file:line:col.
TEST(Posterior, BadFilesAreReportedAtTheirCells) {
  const auto problems = [](const std::string& text) {
    std::vector<std::string> lines;
    try {
      parse_posterior_csv(text, "p.csv");
    } catch (const ScenarioError& e) {
      for (const auto& d : e.diagnostics()) lines.push_back(d.str());
    }
    return lines;
  };
  EXPECT_EQ(problems(""), (std::vector<std::string>{
                              "p.csv:1:1: the file is empty; expected a header of key paths and at least one parameter set"}));
  EXPECT_EQ(problems("implausibility\n1\n"),
            (std::vector<std::string>{"p.csv:1:1: no parameter column; expected a header of key paths (and optionally "
                                      "implausibility), as `calibrate --method abc` writes"}));
  EXPECT_EQ(problems("a.b,a.b\n1,2\n"),
            (std::vector<std::string>{"p.csv:1:5: a.b: the column is repeated; expected each key path once"}));
  EXPECT_EQ(problems("a.b,c.d,implausibility\n# a comment\n1,2,0.5\n1,x,inf\n1,2\n"),
            (std::vector<std::string>{"p.csv:4:3: c.d: 'x' is not a number",
                                      "p.csv:5:1: expected 3 comma-separated cells as in the header, found 2"}));
  EXPECT_EQ(problems("a.b\n"),
            (std::vector<std::string>{"p.csv:1:1: no parameter set after the header; expected at least one row"}));
  const PosteriorSample s = parse_posterior_csv("demand[us].base,implausibility\n1.5e5,0.5\n221k,inf\n", "p.csv");
  ASSERT_EQ(s.rows.size(), 2U);
  EXPECT_EQ(s.lines, (std::vector<int>{2, 3}));
  EXPECT_EQ(s.overrides(1), (std::vector<std::string>{"demand[us].base=221000"}));
  EXPECT_THROW(read_posterior_csv("/nonexistent/posterior.csv"), ScenarioError);
}

// A path the scenario lacks is reported at its header cell; a value it refuses at the row's cell.
TEST(Posterior, EveryRowIsCheckedAgainstTheScenario) {
  const ScenarioTemplate base = ScenarioTemplate::from_file(fixture);
  try {
    posterior_scenarios(base, {}, parse_posterior_csv("demand[us].base,agents[nobody].cash\n1e5,1\n", "p.csv"));
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1U);
    EXPECT_EQ(e.diagnostics()[0].str(), "p.csv:1:17: agents[nobody].cash: agents has no item named 'nobody' (known: acme)");
  }
  try {
    posterior_scenarios(base, {}, parse_posterior_csv("demand[us].elasticity\n0.5\n-3\n", "p.csv"));
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_GE(e.diagnostics().size(), 1U);
    EXPECT_EQ(e.diagnostics()[0].str().rfind("p.csv:3:1: ", 0), 0U) << e.diagnostics()[0].str();
  }
}

// The posterior ensemble: row i with seed 10 + i; the medians and quantiles of each value across
// the rows, the same bytes on one thread or three; the price's band holds the parameters' spread.
TEST(Posterior, EnsembleOverTheRowsIsDeterministic) {
  const ScenarioTemplate base = ScenarioTemplate::from_file(noisy);
  const PosteriorSample s = parse_posterior_csv(
      "demand[us].base,demand[us].elasticity\n120e3,0.8\n150e3,0.9\n180e3,1.0\n140e3,0.85\n", "p.csv");
  const auto specs = posterior_scenarios(base, {}, s);
  const EnsembleResult one = run_posterior_ensemble(specs, 10, 1);
  const EnsembleResult three = run_posterior_ensemble(specs, 10, 3);
  EXPECT_EQ(one.seeds, (std::vector<std::uint64_t>{10, 11, 12, 13}));
  EXPECT_EQ(format_ensemble_csv(one), format_ensemble_csv(three));
  EXPECT_EQ(format_seeds_csv(one), format_seeds_csv(three));
  // By hand: the median of a value is the mean of the middle two rows' (type 7, four values).
  std::vector<double> prices;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    prices.push_back(*run_scenario(specs[i], 10 + i).recorder.value(Quarter(2025, 4), EntityKind::bloc, "us",
                                                                     Metric::price_usd_per_h100e_hour));
  }
  std::sort(prices.begin(), prices.end());
  EXPECT_DOUBLE_EQ(*one.median.recorder.value(Quarter(2025, 4), EntityKind::bloc, "us", Metric::price_usd_per_h100e_hour),
                   0.5 * (prices[1] + prices[2]));
  EXPECT_LT(prices.front(), prices.back());
}

}  // namespace
}  // namespace aidc
