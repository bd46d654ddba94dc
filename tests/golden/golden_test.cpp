// Golden outputs: for every scenario in scenarios/, a handful of key series at each year's last
// quarter must match tests/golden/<scenario>.csv within a relative tolerance of 1e-6 (room for
// floating-point differences between builds, none for a change of behaviour).
//
// After an intended change of the model or a scenario, regenerate them and review the diff:
//   AIDC_UPDATE_GOLDEN=1 build/dev/tests/golden_test

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aidc/run/run_scenario.hpp"
#include "aidc/scenario/loader.hpp"

namespace aidc {
namespace {

namespace fs = std::filesystem;

struct Series {
  EntityKind kind;
  const char* entity;  // nullptr: every entity of that kind the run reports
  Metric metric;
};

// The series a reader of each scenario looks at first.
const std::vector<Series> key_series = {
    {EntityKind::global, "world", Metric::installed_h100e},
    {EntityKind::global, "world", Metric::stranded_h100e},
    {EntityKind::global, "world", Metric::idle_h100e},
    {EntityKind::global, "world", Metric::utilization},
    {EntityKind::global, "world", Metric::capex_usd},
    {EntityKind::global, "world", Metric::revenue_usd},
    {EntityKind::global, "world", Metric::net_income_usd},
    {EntityKind::global, "world", Metric::debt_usd},
    {EntityKind::global, "world", Metric::value_gap_usd},
    {EntityKind::bloc, nullptr, Metric::price_usd_per_h100e_hour},
    {EntityKind::bloc, nullptr, Metric::demand_h100e},
    {EntityKind::region, nullptr, Metric::power_bound},
    {EntityKind::vendor, nullptr, Metric::revenue_usd},
    {EntityKind::vendor, nullptr, Metric::inventory_chips},
};

struct Row {
  std::string quarter, kind, entity, metric;
  double value = 0.0;
};

std::vector<Row> key_rows(const fs::path& scenario) {
  const ScenarioSpec spec = load_scenario_file(scenario);
  const RunResult run = run_scenario(spec, spec.run.seed);
  std::vector<Row> rows;
  for (Quarter q = spec.run.start; q <= spec.run.end; q = q + 1) {
    if (q.quarter_of_year() != 4 && q != spec.run.end) continue;
    for (const auto& s : key_series) {
      for (const auto& sample : run.recorder.samples()) {
        if (sample.quarter != q.index() || sample.kind != s.kind || sample.metric != s.metric) continue;
        const std::string& entity = run.recorder.entity_names()[sample.entity];
        if (s.entity != nullptr && entity != s.entity) continue;
        rows.push_back({q.str(), std::string(entity_kind_names[static_cast<std::size_t>(s.kind)]), entity,
                        std::string(metric_name(s.metric)), sample.value});
      }
    }
  }
  return rows;
}

std::vector<Row> read_golden(const fs::path& path) {
  std::ifstream in(path);
  std::vector<Row> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("quarter,", 0) == 0) continue;
    std::istringstream cells(line);
    Row r;
    std::string value;
    std::getline(cells, r.quarter, ',');
    std::getline(cells, r.kind, ',');
    std::getline(cells, r.entity, ',');
    std::getline(cells, r.metric, ',');
    std::getline(cells, value, ',');
    r.value = std::stod(value);
    rows.push_back(r);
  }
  return rows;
}

void write_golden(const fs::path& path, const fs::path& scenario, const std::vector<Row>& rows) {
  std::ofstream out(path);
  out << "# Key series of scenarios/" << scenario.filename().string()
      << " (regenerate: AIDC_UPDATE_GOLDEN=1 build/dev/tests/golden_test)\nquarter,entity_kind,entity,metric,value\n";
  out.precision(17);
  for (const auto& r : rows) out << r.quarter << ',' << r.kind << ',' << r.entity << ',' << r.metric << ',' << r.value << '\n';
}

class Golden : public testing::TestWithParam<std::string> {};

TEST_P(Golden, KeySeriesMatch) {
  const fs::path source(AIDC_SOURCE_DIR);
  const fs::path scenario = source / "scenarios" / (GetParam() + ".yaml");
  const fs::path golden = source / "tests" / "golden" / (GetParam() + ".csv");
  const std::vector<Row> rows = key_rows(scenario);
  const char* update = std::getenv("AIDC_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    write_golden(golden, scenario, rows);
    GTEST_SKIP() << "rewrote " << golden.string();
  }
  ASSERT_TRUE(fs::exists(golden)) << golden.string()
                                  << " is missing; create it with AIDC_UPDATE_GOLDEN=1 build/dev/tests/golden_test";
  const std::vector<Row> expected = read_golden(golden);
  ASSERT_EQ(rows.size(), expected.size()) << "the scenario reports other series than " << golden.string();
  int differences = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& a = rows[i];
    const Row& e = expected[i];
    ASSERT_EQ(a.quarter + a.kind + a.entity + a.metric, e.quarter + e.kind + e.entity + e.metric) << "row " << i;
    // Relative 1e-6, and 1e-6 absolute near zero (rounding residue such as 1e-11 chips of inventory is zero).
    const double tolerance = 1e-6 * std::max(std::abs(e.value), 1.0);
    if (std::abs(a.value - e.value) > tolerance && ++differences <= 10) {
      ADD_FAILURE() << a.quarter << ' ' << a.kind << ' ' << a.entity << ' ' << a.metric << ": " << a.value
                    << ", golden " << e.value;
    }
  }
  EXPECT_EQ(differences, 0) << "if the change is intended, regenerate: AIDC_UPDATE_GOLDEN=1 build/dev/tests/golden_test";
}

std::vector<std::string> scenario_names() {
  std::vector<std::string> names;
  for (const auto& f : fs::directory_iterator(fs::path(AIDC_SOURCE_DIR) / "scenarios")) {
    if (f.path().extension() == ".yaml") names.push_back(f.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Golden, testing::ValuesIn(scenario_names()),
                         [](const testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace aidc
