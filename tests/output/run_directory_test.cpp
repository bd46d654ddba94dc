// The run directory: what write_run_directory keeps in memory for the summary and the report is
// what `aidcsim report` reads back from the files it wrote, value for value.

#include "aidc/run/run_directory.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "aidc/output/run_files.hpp"
#include "aidc/report/run_data.hpp"
#include "aidc/scenario/loader.hpp"

namespace aidc {
namespace {

// Same bits, so NaN equals NaN.
bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b)); }

void expect_same(const RunData& memory, const RunData& files) {
  EXPECT_EQ(memory.scenario_name, files.scenario_name);
  EXPECT_EQ(memory.scenario_description, files.scenario_description);
  EXPECT_EQ(memory.scenario_source, files.scenario_source);
  EXPECT_EQ(memory.scenario_hash, files.scenario_hash);
  EXPECT_EQ(memory.overrides, files.overrides);
  EXPECT_EQ(memory.seed, files.seed);
  EXPECT_EQ(memory.version, files.version);
  EXPECT_EQ(memory.build_type, files.build_type);
  ASSERT_EQ(memory.entities.size(), files.entities.size());
  for (std::size_t i = 0; i < memory.entities.size(); ++i) {
    EXPECT_EQ(memory.entities[i].kind, files.entities[i].kind);
    EXPECT_EQ(memory.entities[i].name, files.entities[i].name);
    EXPECT_EQ(memory.entities[i].bloc, files.entities[i].bloc);
    EXPECT_EQ(memory.entities[i].role, files.entities[i].role);
  }
  EXPECT_EQ(memory.first, files.first);
  EXPECT_EQ(memory.quarters, files.quarters);
  EXPECT_EQ(memory.names_by_kind, files.names_by_kind);
  ASSERT_EQ(memory.series_by_key.size(), files.series_by_key.size());
  for (const auto& [key, values] : memory.series_by_key) {
    const auto it = files.series_by_key.find(key);
    ASSERT_NE(it, files.series_by_key.end()) << key;
    ASSERT_EQ(values.size(), it->second.size()) << key;
    for (std::size_t q = 0; q < values.size(); ++q) EXPECT_TRUE(same(values[q], it->second[q])) << key << " " << q;
  }
  ASSERT_EQ(memory.events.size(), files.events.size());
  for (std::size_t i = 0; i < memory.events.size(); ++i) {
    const RunEvent& m = memory.events[i];
    const RunEvent& f = files.events[i];
    EXPECT_EQ(m.quarter, f.quarter);
    EXPECT_EQ(m.entity_kind, f.entity_kind);
    EXPECT_EQ(m.entity, f.entity);
    EXPECT_EQ(m.kind, f.kind);
    EXPECT_EQ(m.cause, f.cause);
    ASSERT_EQ(m.figures.size(), f.figures.size()) << i;
    for (std::size_t k = 0; k < m.figures.size(); ++k) {
      EXPECT_EQ(m.figures[k].first, f.figures[k].first);
      EXPECT_TRUE(same(m.figures[k].second, f.figures[k].second)) << i << " " << m.figures[k].first;
    }
  }
}

TEST(RunDirectory, WhatIsKeptInMemoryIsWhatIsReadBack) {
  const auto dir = std::filesystem::path(AIDC_BINARY_DIR) / "test-tmp" / "run-directory";
  std::filesystem::remove_all(dir);
  // The default scenario, with names a spreadsheet would take for formulas and CSV syntax.
  const ScenarioSpec spec = load_default_scenario({"run.end=2026Q4"});
  const RunResult result = run_scenario(spec, 11);
  const WrittenRun written = write_run_directory(dir, spec, 11, result, false);
  for (const auto& f : written.info.outputs) EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
  EXPECT_TRUE(std::filesystem::exists(dir / run_files::run_json));
  EXPECT_FALSE(std::filesystem::exists(dir / run_files::report_html));
  expect_same(written.data, read_run_directory(dir));
}

TEST(RunDirectory, NamesThatNeedQuotingReadBackAsWritten) {
  const auto dir = std::filesystem::path(AIDC_BINARY_DIR) / "test-tmp" / "run-directory-names";
  std::filesystem::remove_all(dir);
  const std::string text = R"(name: quoting
run: {start: 2024Q1, end: 2024Q4, seed: 3}
vendors:
  - {name: "=vendor,1", capacity: 100k, lead_time: 2 quarters}
chips:
  - {name: H100, vendor: "=vendor,1", family: gpu, available_from: 2024Q1, bf16_tflops: 989, power: 1.3 kW,
     rack_power: 40 kW, price: $30k, economic_life: 5 years, markets: [us]}
regions:
  - {name: "-east \"1\"", bloc: us, generation: 100 GW, other_load: 50 GW, power_price: $60/MWh,
     interconnection_time: 3 years}
sites:
  - {name: east-1, owner: "+acme", region: "-east \"1\"", capacity: 500 MW, rack_density: 40 kW, online: 2024Q1}
agents:
  - name: "+acme"
    kind: hyperscaler
    bloc: us
    cash: $1B
    vendors: ["=vendor,1"]
    regions: ["-east \"1\""]
    strategy: {target_share: 100%}
    book_life: 5 years
    new_site: {capacity: 100 MW, rack_density: 40 kW, build_time: 2 years}
    fleet:
      - {chip: H100, count: 20k, site: east-1}
demand:
  - {bloc: us, base: 150k, growth: 40%, reference_price: $2/h, elasticity: 0.9, price_adjustment: 60%}
)";
  const ScenarioSpec spec = load_scenario_text(text, "quoting.yaml");
  const RunResult result = run_scenario(spec, 3);
  const WrittenRun written = write_run_directory(dir, spec, 3, result, false);
  expect_same(written.data, read_run_directory(dir));
  EXPECT_FALSE(written.data.entities_of(EntityKind::agent).empty());
  EXPECT_EQ(written.data.entities_of(EntityKind::agent).front(), "+acme");
}

}  // namespace
}  // namespace aidc
