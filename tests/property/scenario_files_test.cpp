// Extreme but valid inputs (tests/property/extremes/) and the shrunk counterexamples the property
// tests once found (tests/property/regressions/): each file validates, runs its whole horizon and
// passes the same checks as a random scenario (run_checks.hpp); each extreme file also still shows
// what makes it extreme.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "aidc/model/metric.hpp"
#include "aidc/scenario/loader.hpp"
#include "run_checks.hpp"

namespace aidc::test {
namespace {

//! The .yaml files of tests/property/DIR, relative to the source tree, in name order.
std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(AIDC_SOURCE_DIR) / "tests/property" / dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(dir + "/" + entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

//! The values of one series over the run, in quarter order.
std::vector<double> series(const RunResult& run, EntityKind kind, std::string_view entity, Metric metric) {
  std::vector<double> values;
  const auto& names = run.recorder.entity_names();
  for (const Sample& s : run.recorder.samples()) {
    if (s.kind == kind && s.metric == metric && names[s.entity] == entity) values.push_back(s.value);
  }
  return values;
}

std::vector<double> world(const RunResult& run, Metric metric) { return series(run, EntityKind::global, "world", metric); }

double max_of(const std::vector<double>& v) { return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()); }
double min_of(const std::vector<double>& v) { return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end()); }

//! What makes each extreme file extreme, checked so that it stays so.
void expect_extreme(const std::string& file, const RunResult& run) {
  if (file == "extremes/zero-power.yaml") {
    EXPECT_GT(min_of(world(run, Metric::installed_h100e)), 0.0);
    EXPECT_EQ(max_of(world(run, Metric::powered_h100e)), 0.0) << "no power, yet compute was powered";
  } else if (file == "extremes/zero-demand.yaml") {
    EXPECT_EQ(max_of(series(run, EntityKind::bloc, "us", Metric::demand_h100e)), 0.0);
    EXPECT_EQ(max_of(series(run, EntityKind::bloc, "china", Metric::demand_h100e)), 0.0);
  } else if (file == "extremes/no-agents.yaml") {
    EXPECT_EQ(max_of(world(run, Metric::installed_h100e)), 0.0);
  } else if (file == "extremes/century.yaml") {
    EXPECT_EQ(world(run, Metric::installed_h100e).size(), 400U);
    EXPECT_GT(max_of(world(run, Metric::retired_h100e)), 0.0);
  } else if (file == "extremes/single-quarter.yaml") {
    EXPECT_EQ(world(run, Metric::installed_h100e).size(), 1U);
  } else if (file == "extremes/huge-demand.yaml") {
    // Demand is never met; the price climbs without bound to ration it.
    EXPECT_GT(min_of(series(run, EntityKind::bloc, "us", Metric::unmet_demand_h100e)), 0.0);
    EXPECT_GT(max_of(series(run, EntityKind::bloc, "us", Metric::price_usd_per_h100e_hour)), 1e6);
  } else if (file == "extremes/near-zero-prices.yaml") {
    EXPECT_LT(max_of(series(run, EntityKind::vendor, "nvidia", Metric::list_price_usd)), 1e-5);
  } else if (file == "extremes/near-zero-market-price.yaml") {
    // The price sits at its floor, the running cost of the cheapest powered chip ($0.09/h).
    EXPECT_LT(max_of(series(run, EntityKind::bloc, "us", Metric::price_usd_per_h100e_hour)), 0.1);
  }
}

class ScenarioFile : public testing::TestWithParam<std::string> {};

TEST_P(ScenarioFile, ValidatesRunsAndKeepsEveryInvariant) {
  const ScenarioSpec spec = load_scenario_file(std::filesystem::path(AIDC_SOURCE_DIR) / "tests/property" / GetParam());
  const CheckedRun checked = run_and_check(spec);
  for (const auto& p : checked.problems) ADD_FAILURE() << GetParam() << ": " << p;
  ASSERT_TRUE(checked.result.has_value());
  EXPECT_FALSE(checked.result->recorder.samples().empty());
  expect_extreme(GetParam(), *checked.result);
}

INSTANTIATE_TEST_SUITE_P(Extremes, ScenarioFile, testing::ValuesIn(files_in("extremes")), test_name);
INSTANTIATE_TEST_SUITE_P(Regressions, ScenarioFile, testing::ValuesIn(files_in("regressions")), test_name);

}  // namespace
}  // namespace aidc::test
