// Resource limits of the scenario layer (include/aidc/scenario/limits.hpp): an absurd scenario is
// refused with a clear error before it could exhaust memory or time, while the largest scenarios
// the project runs (10,000 sites and 500 agents; a 100-year horizon) are accepted.

#include "aidc/scenario/limits.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "aidc/scenario/loader.hpp"
#include "aidc/scenario/schema.hpp"
#include "scenario_test_support.hpp"
#include "yaml_reader.hpp"

namespace aidc {
namespace {

using namespace test;

const std::filesystem::path compact_file = std::filesystem::path(AIDC_SOURCE_DIR) / "scenarios" / "compact.yaml";

//! A generated scenario of `agents` hyperscalers sharing `sites` sites in one region, run over
//! `quarters` quarters from 2024Q1: the shape of the benchmarks' large scenarios.
std::string generated(int sites, int agents, int quarters) {
  std::string text = "name: generated\nrun: {start: 2024Q1, end: " + (Quarter(2024, 1) + (quarters - 1)).str() +
                     "}\n"
                     "vendors:\n  - {name: nvidia, capacity: 1M, lead_time: 2 quarters}\n"
                     "chips:\n"
                     "  - {name: H100, vendor: nvidia, family: gpu, available_from: 2024Q1, bf16_tflops: 989,\n"
                     "     power: 1.3 kW, rack_power: 40 kW, price: $30k, economic_life: 5 years, markets: [us]}\n"
                     "regions:\n"
                     "  - {name: us-east, bloc: us, generation: 1000 GW, other_load: 500 GW, power_price: $60/MWh,\n"
                     "     interconnection_time: 2 years}\n"
                     "agents:\n";
  const std::string share = std::to_string(100.0 / agents) + "%";  // together, the whole market
  for (int a = 0; a < agents; ++a) {
    text += "  - {name: agent-" + std::to_string(a) +
            ", kind: hyperscaler, bloc: us, cash: $10B, vendors: [nvidia], regions: [us-east],\n"
            "     strategy: {target_share: " + share + "}, book_life: 6 years,\n"
            "     new_site: {capacity: 100 MW, rack_density: 60 kW, build_time: 2 years}}\n";
  }
  text += "sites:\n";
  for (int s = 0; s < sites; ++s) {
    text += "  - {name: site-" + std::to_string(s) + ", owner: agent-" + std::to_string(s % agents) +
            ", region: us-east, capacity: 20 MW, rack_density: 40 kW, online: 2024Q1}\n";
  }
  text += "demand:\n  - {bloc: us, base: 2M, growth: 30%, reference_price: $2/h}\n";
  return text;
}

TEST(ScenarioLimits, TheBenchmarksLargestScenarioIsAccepted) {
  const ScenarioSpec spec = load_scenario_text(generated(10'000, 500, 52), "large.yaml");
  EXPECT_EQ(spec.sites.size(), 10'000u);
  EXPECT_EQ(spec.agents.size(), 500u);
  EXPECT_LT(estimate_memory(spec).total_mb(), limits::default_memory_limit_mb / 4);
}

TEST(ScenarioLimits, AHundredYearHorizonIsAccepted) {
  const ScenarioSpec spec = load_scenario_file(compact_file, {"run.end=2122Q4"});
  EXPECT_EQ(spec.run.end - spec.run.start + 1, 400);
}

TEST(ScenarioLimits, AHorizonBeyondTheLimitIsRefused) {
  const std::string text = with("end: 2026Q4", "end: 2274Q1");  // 1,001 quarters from 2024Q1
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "run.end");
  EXPECT_EQ(d.message, "horizon of 1001 quarters is too long; at most 1000 quarters (250 years) are allowed");
}

TEST(ScenarioLimits, AScenarioEstimatedBeyondTheMemoryLimitIsRefusedWithTheEstimateAndTheKnob) {
  // 1,000 agents over 250 years would record some 48 M values and log some 6 GB of events.
  const std::string text = generated(10, 1000, 1000);
  const Diagnostic d = only_problem(text, "huge.yaml");
  EXPECT_EQ(d.key_path, "run.memory_limit");
  EXPECT_EQ(d.where.line, line_of(text, "end: "));
  EXPECT_CONTAINS(d.message, "a run of this scenario is estimated to need ");
  EXPECT_CONTAINS(d.message, " M values it records over 1000 quarters, ");
  EXPECT_CONTAINS(d.message, "more than the limit of 8 GB");
  EXPECT_CONTAINS(d.message, "or a higher limit (e.g. --set run.memory_limit=");

  // The knob: the same scenario with a higher limit loads.
  const limits::MemoryEstimate estimate =
      estimate_memory(load_scenario_text(text, "huge.yaml", {"run.memory_limit=1TB"}));
  EXPECT_GT(estimate.total_mb(), limits::default_memory_limit_mb);
  EXPECT_GT(estimate.recorded_mb, estimate.state_mb) << "the recorded values dominate a long run";
}

TEST(ScenarioLimits, AMemoryLimitInTheFileIsReportedAtItsPlace) {
  const std::string text = with("  seed: 7\n", "  seed: 7\n  memory_limit: 10 MB\n");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.where.line, line_of(text, "memory_limit"));
  EXPECT_CONTAINS(d.message, "more than the limit of 10 MB");
  EXPECT_CONTAINS(d.message, "(e.g. --set run.memory_limit=1GB)");
}

TEST(ScenarioLimits, TheMemoryLimitIsReadInMemoryUnits) {
  EXPECT_DOUBLE_EQ(load_scenario_text(minimal, "mini.yaml").run.memory_limit_mb, limits::default_memory_limit_mb);
  EXPECT_DOUBLE_EQ(load_scenario_text(minimal, "mini.yaml", {"run.memory_limit=16 GB"}).run.memory_limit_mb, 16e3);
  const Diagnostic d = only_problem(with("  seed: 7\n", "  seed: 7\n  memory_limit: 16 GW\n"));
  EXPECT_EQ(d.message, "expected an amount of memory such as '16 GB' (units MB, GB, TB), got '16 GW'");
}

TEST(ScenarioLimits, TextBeyondTheSizeLimitIsRefusedBeforeItIsParsed) {
  const std::string text(limits::max_text_bytes + 1, '#');
  const Diagnostic d = only_problem(text, "big.yaml");
  EXPECT_EQ(d.str(), "big.yaml: the scenario text is more than 64 MiB; scenarios are limited to 64 MiB");
}

TEST(ScenarioLimits, NestingBeyondTheLimitIsRefused) {
  const std::string text = "a: " + std::string(70, '[') + std::string(70, ']') + "\n";
  EXPECT_EQ(only_problem(text).message,
            "lists and mappings are nested more than 64 levels deep (counting what anchors and aliases repeat); "
            "expected a scenario a few levels deep");
}

TEST(ScenarioLimits, AliasesThatNestBeyondTheLimitAreRefused) {
  // Each line is one level deeper than the one before, though the text itself is flat.
  std::string text = "a0: &a0 [x]\n";
  for (int i = 1; i <= 70; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) + "]\n";
  }
  EXPECT_CONTAINS(only_problem(text).message, "nested more than 64 levels deep");
}

TEST(ScenarioLimits, ASeriesWithMorePointsThanTheLimitIsRefused) {
  std::string points;
  for (std::size_t i = 0; i <= limits::max_series_points; ++i) {
    points += (i == 0 ? "" : ", ") + (Quarter(2024, 1) + static_cast<int>(i)).str() + ": 185 GW";
  }
  const std::string text = with("generation: 185 GW", "generation: {" + points + "}");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "regions[us-east].generation");
  EXPECT_EQ(d.message, "has 1001 points; at most 1000 are allowed (one per quarter of the longest horizon)");
}

TEST(ScenarioLimits, AListLongerThanItsLimitIsRefusedWithoutReadingItsItems) {
  const SourceLocation at{"big.yaml", 2, 8};
  const Tree items = Tree::sequence(std::vector<Tree>(3, Tree::null(at)), at);
  const Tree root = Tree::map({{Tree::scalar("sites", at), items}}, {"big.yaml", 1, 1});
  Diagnostics diags;
  detail::YamlContext ctx("big.yaml", diags);
  detail::MapReader top(ctx, root, "");
  int visited = 0;
  top.items("sites", true, "name", 2, [&](detail::MapReader&) { ++visited; });
  EXPECT_EQ(visited, 0);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].str(),
            "big.yaml:2:8: sites: has 3 items; at most 2 are allowed (see the limits in docs/scenario-reference.md)");
}

TEST(ScenarioLimits, EveryListHasALimitAndTheReferenceShowsIt) {
  for (const auto& section : scenario_schema()) {
    for (const auto& p : section.params) {
      if (p.kind == ValueKind::list) {
        EXPECT_GT(p.max_items, 0u) << section.path << "." << p.key;
      }
    }
  }
  const std::string reference = scenario_reference_markdown();
  EXPECT_CONTAINS(reference, "| `sites` | list, see below | — | at most 100,000 items |");
  EXPECT_CONTAINS(reference, "\n## Limits\n");
}

TEST(ScenarioLimits, ReadingStopsAfterTheMostErrors) {
  std::string chips;
  for (int i = 0; i < 150; ++i) {
    chips += "  - {name: c" + std::to_string(i) +
             ", vendor: nobody, family: gpu, available_from: 2024Q1, bf16_tflops: 989, power: 1 kW, "
             "rack_power: 40 kW, price: $1k, economic_life: 3 years, markets: [us]}\n";
  }
  const auto ds = problems(with("chips:\n", "chips:\n" + chips));
  ASSERT_EQ(ds.size(), limits::max_errors + 1);
  EXPECT_EQ(ds.back().message, "stopped reading after 100 errors; fix these first");
}

TEST(ScenarioLimits, ANameListedTwiceInAListOfNamesIsRefused) {
  const std::string text = with("markets: [us]", "markets: [us, us]");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "chips[H100].markets[1]");
  EXPECT_EQ(d.message, "'us' is listed twice (first at [0]); expected each bloc once");
}

TEST(ScenarioLimits, ASetKeyPathDeeperThanTheLimitIsRefused) {
  std::string path = "name";
  for (int i = 0; i < 64; ++i) path += ".x";
  try {
    (void)load_scenario_text(minimal, "mini.yaml", {path + "=1"});
    FAIL() << "loaded";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].message, "the key path has 65 parts; at most 64 are allowed");
  }
}

TEST(ScenarioLimits, ASetValueNestedBeyondTheLimitWithItsPathIsRefused) {
  const std::string value = std::string(63, '[') + std::string(63, ']');
  try {
    (void)load_scenario_text(minimal, "mini.yaml", {"chips.H100.markets=" + value});
    FAIL() << "loaded";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].str(),
              "--set chips.H100.markets=" + value +
                  ": the value is nested more than 64 levels deep with its key path; expected a scenario a few "
                  "levels deep");
  }
}

}  // namespace
}  // namespace aidc
