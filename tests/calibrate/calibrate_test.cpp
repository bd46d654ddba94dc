// Calibration: the least-squares solver on known functions, the targets and parameter parsers
// with their messages, and a whole fit recovering known parameters from synthetic targets.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "aidc/calibrate/calibration.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/scenario/loader.hpp"

namespace aidc {
namespace {

namespace fs = std::filesystem;

const fs::path fixture = fs::path(AIDC_SOURCE_DIR) / "tests/calibrate/fixed_fleet.yaml";

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
              "t.csv:7:1: expected 5 or 6 comma-separated cells (quarter,entity_kind,entity,metric,value[,weight]), "
              "found 3");
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

}  // namespace
}  // namespace aidc
