// The scenario loader: the embedded default, and a small valid scenario mutated one mistake at a
// time, checking that every problem is reported, once, at its file:line:col, with a useful message.

#include "aidc/scenario/loader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "aidc/scenario/schema.hpp"
#include "scenario_test_support.hpp"

namespace aidc {
namespace {

// A small scenario that is valid as written: each test changes one or a few things in it.

const std::string source = "mini.yaml";

using namespace test;


// ---- the compact scenario (scenarios/compact.yaml) ----------------------------------------------

const std::filesystem::path compact_file = std::filesystem::path(AIDC_SOURCE_DIR) / "scenarios" / "compact.yaml";

TEST(CompactScenario, LoadsWithTheExpectedContents) {
  const ScenarioSpec spec = load_scenario_file(compact_file);
  EXPECT_EQ(spec.name, "default");
  EXPECT_EQ(spec.run.start, Quarter(2023, 1));
  EXPECT_EQ(spec.run.end, Quarter(2030, 4));
  EXPECT_EQ(spec.run.seed, 42u);
  EXPECT_EQ(spec.chips.size(), 12u);
  EXPECT_EQ(spec.vendors.size(), 5u);
  EXPECT_EQ(spec.regions.size(), 3u);
  EXPECT_EQ(spec.sites.size(), 11u);
  EXPECT_EQ(spec.agents.size(), 7u);
  EXPECT_EQ(spec.demand.size(), 2u);
  EXPECT_TRUE(spec.warnings.empty()) << spec.warnings.front().str();
}

template <class T>
const T& named(const std::vector<T>& items, const std::string& name) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.name == name; });
  if (it == items.end()) throw std::runtime_error("no item named " + name);
  return *it;
}

TEST(CompactScenario, UnitsAreConvertedToTheFieldUnits) {
  const ScenarioSpec spec = load_scenario_file(compact_file);
  const ChipSpec& h100 = named(spec.chips, "H100");
  EXPECT_EQ(h100.vendor, "nvidia");
  EXPECT_EQ(h100.family, ChipFamily::gpu);
  EXPECT_DOUBLE_EQ(h100.power_kw, 1.3);    // "1.3 kW"
  EXPECT_DOUBLE_EQ(h100.rack_kw, 40.0);    // "40 kW"
  EXPECT_DOUBLE_EQ(h100.price_usd, 50e3);  // "$50k"
  EXPECT_DOUBLE_EQ(h100.bf16_tflops, 989.0);
  EXPECT_EQ(h100.economic_life_quarters, 12);       // "3 years"
  EXPECT_DOUBLE_EQ(h100.software_efficiency, 1.0);  // default
  EXPECT_EQ(h100.available_from, Quarter(2023, 1));
  EXPECT_EQ(h100.available_until, Quarter(2025, 4));
  EXPECT_EQ(h100.markets, (std::vector<std::string>{"us", "row"}));
  EXPECT_GT(h100.where.line, 0);

  EXPECT_EQ(named(spec.chips, "VeraRubin").available_until, Quarter(Quarter::max_year, 4)) << "no end of sale";
  EXPECT_DOUBLE_EQ(named(spec.chips, "MI300X").software_efficiency, 0.7);

  const RegionSpec& east = named(spec.regions, "us-east");
  EXPECT_EQ(east.bloc, "us");
  EXPECT_EQ(east.interconnection_quarters, 20);  // "5 years"
  EXPECT_DOUBLE_EQ(east.reserve_margin, 0.15);   // "15%"
  EXPECT_DOUBLE_EQ(east.power_price_usd_per_mwh, 60.0);
  EXPECT_DOUBLE_EQ(east.generation_mw.at(Quarter(2023, 1)), 185e3);  // "185 GW"
  EXPECT_DOUBLE_EQ(east.other_load_mw.at(Quarter(2030, 4)), 158e3);
  EXPECT_EQ(named(spec.regions, "china-west").interconnection_quarters, 4);  // "1 year"

  const VendorSpec& nvidia = named(spec.vendors, "nvidia");
  EXPECT_DOUBLE_EQ(nvidia.capacity_chips_per_quarter.at(Quarter(2023, 1)), 150e3);  // "150k"
  EXPECT_DOUBLE_EQ(nvidia.capacity_chips_per_quarter.at(Quarter(2027, 4)), 1.6e6);  // "1.6M"
  EXPECT_EQ(nvidia.lead_time_quarters, 2);
  EXPECT_EQ(named(spec.vendors, "huawei").lead_time_quarters, 1);

  const SiteSpec& site = named(spec.sites, "msft-texas-1");
  EXPECT_EQ(site.owner, "microsoft");
  EXPECT_DOUBLE_EQ(site.capacity_mw, 800.0);
  EXPECT_DOUBLE_EQ(site.rack_kw, 140.0);
  EXPECT_DOUBLE_EQ(site.build_cost_usd_per_mw, 11.7e6);  // default
  EXPECT_EQ(site.online, Quarter(2025, 1));

  const AgentSpec& msft = named(spec.agents, "microsoft");
  EXPECT_DOUBLE_EQ(msft.cash_usd, 110e9);
  EXPECT_DOUBLE_EQ(msft.operating_cash_flow_usd_per_quarter, 22e9);
  EXPECT_DOUBLE_EQ(msft.cash_flow_growth_per_year, 0.10);
  EXPECT_DOUBLE_EQ(msft.strategy.target_share, 0.30);
  EXPECT_DOUBLE_EQ(msft.strategy.momentum, 0.6);
  EXPECT_EQ(msft.book_life_quarters, 24);                         // "6 years"
  EXPECT_DOUBLE_EQ(msft.new_site.build_cost_usd_per_mw, 11.7e6);  // "$11.7M/MW"
  EXPECT_DOUBLE_EQ(msft.new_site.rack_kw, 200.0);
  EXPECT_EQ(msft.new_site.build_quarters, 8);  // "2 years"
  EXPECT_EQ(msft.new_site.life_quarters, 80);  // default
  ASSERT_EQ(msft.fleet.size(), 2u);
  EXPECT_EQ(msft.fleet[0].chip, "A100");
  EXPECT_DOUBLE_EQ(msft.fleet[0].count, 150e3);
  EXPECT_EQ(msft.fleet[0].site, "msft-east-1");
  EXPECT_EQ(named(spec.agents, "meta").book_life_quarters, 22);                      // "5.5 years"
  EXPECT_DOUBLE_EQ(named(spec.agents, "china-icc").cash_flow_growth_per_year, 0.0);  // default

  const DemandSpec& us = spec.demand.front();
  EXPECT_EQ(us.bloc, "us");
  EXPECT_DOUBLE_EQ(us.base_h100e, 1.1e6);
  EXPECT_DOUBLE_EQ(us.growth_per_year.at(Quarter(2023, 1)), 1.5);  // "150%"
  EXPECT_DOUBLE_EQ(us.reference_price_usd_per_hour, 2.30);
  EXPECT_DOUBLE_EQ(us.noise, 0.03);
}

// ---- the embedded default: scenarios/baseline.yaml ---------------------------------------------

TEST(DefaultScenario, TheEmbeddedDefaultIsTheBaselineFile) {
  const std::filesystem::path baseline = std::filesystem::path(AIDC_SOURCE_DIR) / "scenarios" / "baseline.yaml";
  const ScenarioSpec file = load_scenario_file(baseline);
  const ScenarioSpec embedded = load_default_scenario();
  EXPECT_EQ(file.text, std::string(default_scenario_text()));
  EXPECT_EQ(embedded.source, "<embedded>/baseline.yaml");
  EXPECT_EQ(embedded.name, "baseline");
  EXPECT_EQ(embedded.resolved_yaml, file.resolved_yaml);
  EXPECT_EQ(embedded.run.start, Quarter(2023, 1));
  EXPECT_EQ(embedded.run.end, Quarter(2035, 4));
  EXPECT_TRUE(embedded.warnings.empty()) << embedded.warnings.front().str();
}

// ---- the minimal scenario ----------------------------------------------------------------------

TEST(LoadScenarioText, TheMinimalScenarioIsValid) {
  const ScenarioSpec spec = load_scenario_text(minimal, source);
  EXPECT_EQ(spec.name, "mini");
  EXPECT_EQ(spec.source, source);
  EXPECT_EQ(spec.run.seed, 7u);
  EXPECT_EQ(spec.chips.size(), 1u);
  EXPECT_EQ(spec.regions.size(), 2u);
  EXPECT_EQ(spec.agents.size(), 1u);
  EXPECT_TRUE(spec.warnings.empty());
  EXPECT_EQ(spec.chips[0].where.line, line_of(minimal, "- name: H100"));
  // A constant series is one point that holds at every quarter.
  EXPECT_DOUBLE_EQ(spec.regions[0].generation_mw.at(Quarter(1990, 1)), 185e3);
  EXPECT_DOUBLE_EQ(spec.regions[0].generation_mw.at(Quarter(2090, 1)), 185e3);
}

TEST(LoadScenarioText, EcosystemSharesAreSeriesPerChipFamilyAndAllOfDemandWhenLeftOut) {
  const ScenarioSpec plain = load_scenario_text(minimal, source);
  EXPECT_DOUBLE_EQ(plain.demand[0].ecosystem.share(ChipFamily::ascend, Quarter(2024, 1)), 1.0);
  const ScenarioSpec spec = load_scenario_text(
      with("reference_price: $2.30/h\n",
           "reference_price: $2.30/h\n    ecosystem:\n      ascend: {2024Q1: 20%, 2026Q1: 60%}\n      tpu: 50%\n"),
      source);
  const EcosystemSpec& eco = spec.demand[0].ecosystem;
  EXPECT_DOUBLE_EQ(eco.share(ChipFamily::ascend, Quarter(2023, 1)), 0.2);
  EXPECT_DOUBLE_EQ(eco.share(ChipFamily::ascend, Quarter(2025, 1)), 0.4);
  EXPECT_DOUBLE_EQ(eco.share(ChipFamily::ascend, Quarter(2030, 1)), 0.6);
  EXPECT_DOUBLE_EQ(eco.share(ChipFamily::tpu, Quarter(2025, 1)), 0.5);
  EXPECT_DOUBLE_EQ(eco.share(ChipFamily::gpu, Quarter(2025, 1)), 1.0);
  EXPECT_DOUBLE_EQ(eco.share(ChipFamily::other, Quarter(2025, 1)), 1.0);
}

TEST(LoadScenarioText, AScenarioWithoutANameIsUnnamed) {
  EXPECT_EQ(load_scenario_text(with("name: mini\n", ""), source).name, "unnamed");
}

TEST(LoadScenarioText, EveryProblemIsReportedInOnePassInFileOrder) {
  std::string text = with("lead_time: 2 quarters", "lead_time: 2 qarters");
  text = with("region: us-east,", "region: us-esat,", text);
  text = with("end: 2026Q4", "end: 2023Q4", text);
  const auto ds = problems(text);
  ASSERT_EQ(ds.size(), 3u);
  for (const auto& d : ds) EXPECT_EQ(d.severity, Diagnostic::Severity::error);
  EXPECT_EQ(ds[0].key_path, "run.end");
  EXPECT_EQ(ds[0].where.line, line_of(text, "end: 2023Q4"));
  EXPECT_EQ(ds[1].key_path, "vendors[nvidia].lead_time");
  EXPECT_EQ(ds[1].where.line, line_of(text, "lead_time:"));
  EXPECT_EQ(ds[2].key_path, "sites[east-1].region");
  EXPECT_EQ(ds[2].where.line, line_of(text, "us-esat"));
  for (const auto& d : ds) EXPECT_EQ(d.where.file, source);
}

TEST(LoadScenarioText, UnknownKeyIsReportedWithTheClosestKnownKey) {
  const std::string text = with("bf16_tflops: 989", "bf16_tflop: 989");
  const auto ds = problems(text);
  // The typo also leaves the required key missing: one message says both, at the typo.
  ASSERT_EQ(ds.size(), 1u);
  const auto typo =
      std::find_if(ds.begin(), ds.end(), [](const Diagnostic& d) { return contains(d.message, "unknown key"); });
  ASSERT_NE(typo, ds.end());
  EXPECT_EQ(typo->key_path, "chips[H100].bf16_tflop");
  EXPECT_EQ(typo->where.line, line_of(text, "bf16_tflop:"));
  EXPECT_EQ(typo->where.column, 5);
  EXPECT_CONTAINS(typo->message, "(did you mean 'bf16_tflops'?); 'bf16_tflops' is required");
}

TEST(LoadScenarioText, UnknownOptionalKeyIsTheOnlyError) {
  const std::string text =
      with("    strategy: {target_share: 50%}", "    strategy: {target_share: 50%, momentun: 0.5}");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "agents[acme].strategy.momentun");
  EXPECT_CONTAINS(d.message, "unknown key 'momentun' (did you mean 'momentum'?)");
}

TEST(LoadScenarioText, UnknownReferencesAreReportedWithSuggestions) {
  {
    const std::string text = with("region: us-east,", "region: us-esat,");
    const Diagnostic d = only_problem(text);
    EXPECT_EQ(d.key_path, "sites[east-1].region");
    EXPECT_EQ(d.where.line, line_of(text, "us-esat"));
    EXPECT_EQ(d.where.column, column_of(text, "us-esat"));
    EXPECT_EQ(d.message, "unknown region 'us-esat' (did you mean 'us-east'?)");
  }
  {
    const Diagnostic d = only_problem(with("    vendor: nvidia", "    vendor: nvida"));
    EXPECT_EQ(d.key_path, "chips[H100].vendor");
    EXPECT_EQ(d.message, "unknown vendor 'nvida' (did you mean 'nvidia'?)");
  }
  {
    const Diagnostic d = only_problem(with("{chip: H100,", "{chip: h100,"));
    EXPECT_EQ(d.key_path, "agents[acme].fleet[0].chip");
    EXPECT_EQ(d.message, "unknown chip 'h100' (did you mean 'H100'?)");
  }
  {
    const Diagnostic d = only_problem(with("markets: [us]", "markets: [us, europe]"));
    EXPECT_EQ(d.key_path, "chips[H100].markets[1]");
    EXPECT_EQ(d.message, "unknown bloc 'europe' (known: china, row, us)");
  }
  {
    const Diagnostic d = only_problem(with("owner: acme", "owner: acne"));
    EXPECT_EQ(d.message, "unknown agent 'acne' (did you mean 'acme'?)");
  }
}

TEST(LoadScenarioText, ReferenceToASectionThatIsMissingSaysNoneAreDefined) {
  std::string text = with(
      "sites:\n  - {name: east-1, owner: acme, region: us-east, capacity: 200 MW, rack_density: 40 kW, online: "
      "2024Q1}\n",
      "");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "agents[acme].fleet[0].site");
  EXPECT_EQ(d.message, "unknown site 'east-1' (no sites are defined)");
}

TEST(LoadScenarioText, DuplicateNamesAreReportedAtTheSecond) {
  const std::string text = with("  - name: china-west\n", "  - name: us-east\n");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "regions[us-east]");
  EXPECT_EQ(d.where.line, line_of(text, "- name: us-east\n    bloc: china"));
  EXPECT_CONTAINS(d.message, "duplicate name 'us-east'");
  EXPECT_CONTAINS(d.message, "line " + std::to_string(line_of(text, "- name: us-east")));
}

TEST(LoadScenarioText, DuplicateKeysInOneMappingAreReported) {
  // yaml-cpp keeps both and a lookup sees only one; a user who adds a line and forgets the old one
  // must hear about it.
  const std::string text = with("    power: 1.3 kW\n", "    power: 1.3 kW\n    power: 1.9 kW\n");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "chips[H100].power");
  EXPECT_EQ(d.where.line, line_of(text, "power: 1.9 kW"));
  EXPECT_CONTAINS(d.message,
                  "duplicate key 'power' (first given at line " + std::to_string(line_of(text, "power: 1.3 kW")) + ")");
  // At the top level too.
  const Diagnostic top = only_problem(std::string(minimal) + "run: {start: 2020Q1, end: 2021Q1}\n");
  EXPECT_EQ(top.key_path, "run");
  EXPECT_CONTAINS(top.message, "duplicate key 'run' (first given at line 2)");
}

TEST(LoadScenarioText, EndBeforeStart) {
  const std::string text = with("end: 2026Q4", "end: 2023Q4");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "run.end");
  EXPECT_EQ(d.where.line, 4);
  EXPECT_EQ(d.where.column, 8);
  EXPECT_EQ(d.message, "end 2023Q4 is before start 2024Q1; expected a quarter at or after the start");
  EXPECT_EQ(d.str(),
            "mini.yaml:4:8: run.end: end 2023Q4 is before start 2024Q1; expected a quarter at or after the start");
}

TEST(LoadScenarioText, BadQuarter) {
  const Diagnostic d = only_problem(with("start: 2024Q1", "start: 2024-Q1"));
  EXPECT_EQ(d.key_path, "run.start");
  EXPECT_EQ(d.message, "expected a quarter such as '2025Q3', got '2024-Q1'");
  EXPECT_CONTAINS(only_problem(with("start: 2024Q1", "start: 2024Q5")).message, "got '2024Q5'");
}

TEST(LoadScenarioText, WrongUnit) {
  const std::string text = with("power: 1.3 kW", "power: 3 years");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "chips[H100].power");
  EXPECT_EQ(d.where.line, line_of(text, "power: 3 years"));
  EXPECT_EQ(d.where.column, 12);
  EXPECT_EQ(d.message, "expected a power such as '120 kW' (units W, kW, MW, GW), got '3 years'");
  EXPECT_CONTAINS(only_problem(with("price: $50k", "price: 50k USD")).message, "'$52B'");
  EXPECT_CONTAINS(only_problem(with("generation: 185 GW", "generation: $185 GW")).message, "got '$185 GW'");
}

TEST(LoadScenarioText, ValuesOutOfRangeSayTheAllowedRange) {
  const std::string text = with("capacity: 200 MW", "capacity: -200 MW");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "sites[east-1].capacity");
  EXPECT_EQ(d.where.column, column_of(text, "-200 MW"));
  EXPECT_EQ(d.message, "value '-200 MW' is out of range; expected a value above 0 MW");

  EXPECT_EQ(only_problem(with("cash: $50B", "cash: -$5B")).message,
            "value '-$5B' is out of range; expected a value of at least 0 USD");
  EXPECT_EQ(only_problem(with("{target_share: 50%}", "{target_share: 150%}")).message,
            "value '150%' (= 1.5) is out of range; expected a value from 0 to 1");
  EXPECT_EQ(only_problem(with("economic_life: 3 years", "economic_life: 30 years")).message,
            "value '30 years' (= 120 quarters) is out of range; expected a value from 1 to 80 quarters");
}

TEST(LoadScenarioText, AnExclusiveLowerBoundIsDescribedAsSuch) {
  const Diagnostic d =
      only_problem(with("    reference_price: $2.30/h\n", "    reference_price: $2.30/h\n    price_adjustment: 0%\n"));
  EXPECT_EQ(d.key_path, "demand[0].price_adjustment");
  EXPECT_EQ(d.message, "value '0%' (= 0) is out of range; expected a value above 0 and at most 1");
}

TEST(LoadScenarioText, APercentageWrittenWithoutPercentGetsAHint) {
  const Diagnostic d =
      only_problem(with("    power_price: $60/MWh\n", "    reserve_margin: 15\n    power_price: $60/MWh\n"));
  EXPECT_EQ(d.key_path, "regions[us-east].reserve_margin");
  EXPECT_EQ(d.message, "value '15' is out of range; expected a value from 0 to 0.9 (for a percentage write '15%')");
}

TEST(LoadScenarioText, NegativeMoneyWithTheSignFirstIsAccepted) {
  const ScenarioSpec spec =
      load_scenario_text(with("cash: $50B\n", "cash: $50B\n    operating_cash_flow: -$2B\n"), source);
  EXPECT_DOUBLE_EQ(spec.agents[0].operating_cash_flow_usd_per_quarter, -2e9);
}

TEST(LoadScenarioText, DurationsMustBeWholeQuarters) {
  const Diagnostic d = only_problem(with("lead_time: 2 quarters", "lead_time: 1 month"));
  EXPECT_EQ(d.key_path, "vendors[nvidia].lead_time");
  EXPECT_CONTAINS(d.message, "'1 month' is 0.333 quarters");
  EXPECT_CONTAINS(d.message, "expected a whole number of quarters");
  EXPECT_EQ(
      load_scenario_text(with("lead_time: 2 quarters", "lead_time: 6 months"), source).vendors[0].lead_time_quarters,
      2);
}

TEST(LoadScenarioText, MissingRequiredKeyIsReportedAtItsMapping) {
  const std::string text = with("    rack_power: 40 kW\n", "");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "chips[H100].rack_power");
  EXPECT_EQ(d.message, "missing required key 'rack_power'");
  EXPECT_EQ(d.where.line, line_of(text, "- name: H100"));
  EXPECT_EQ(d.where.column, 5);
}

TEST(LoadScenarioText, MissingRequiredMappingIsOneError) {
  const Diagnostic d = only_problem(with("    strategy: {target_share: 50%}\n", ""));
  EXPECT_EQ(d.key_path, "agents[acme].strategy");
  EXPECT_EQ(d.message, "missing required key 'strategy'");
  EXPECT_GT(d.where.line, 0);
}

TEST(LoadScenarioText, MissingRequiredSectionIsOneError) {
  const std::string text(minimal.substr(0, minimal.find("demand:")));
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "demand");
  EXPECT_EQ(d.message, "missing required key 'demand'");
}

TEST(LoadScenarioText, AKeyWithNoValueIsReportedAtTheKey) {
  const std::string text = with("power: 1.3 kW", "power:");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "chips[H100].power");
  EXPECT_EQ(d.where.line, line_of(text, "power:\n"));
  EXPECT_EQ(d.message, "key 'power' has no value; a value is required");
  // An empty mapping section: one error, not a second one about its type.
  const Diagnostic strategy = only_problem(with("    strategy: {target_share: 50%}", "    strategy:"));
  EXPECT_EQ(strategy.key_path, "agents[acme].strategy");
  EXPECT_EQ(strategy.message, "key 'strategy' has no value; a value is required");
}

TEST(LoadScenarioText, ListsAndMappingsWhereTheyDoNotBelong) {
  {
    const Diagnostic d = only_problem(with("family: gpu", "family: [gpu, tpu]"));
    EXPECT_EQ(d.key_path, "chips[H100].family");
    EXPECT_EQ(d.message, "expected a single value, got a list");
  }
  {
    const Diagnostic d = only_problem(with("markets: [us]", "markets: us"));
    EXPECT_EQ(d.key_path, "chips[H100].markets");
    EXPECT_EQ(d.message, "expected a list of bloc names such as [us]");
  }
  {
    const Diagnostic d = only_problem(with("    fleet:\n      - {chip: H100, count: 50k, site: east-1}",
                                           "    fleet: {chip: H100, count: 50k, site: east-1}"));
    EXPECT_EQ(d.key_path, "agents[acme].fleet");
    EXPECT_EQ(d.message, "expected a list of items, each starting with '- chip: ...', got a mapping");
  }
  {
    const Diagnostic d = only_problem(with("run:\n  start: 2024Q1\n  end: 2026Q4\n  seed: 7\n", "run: 2024Q1\n"));
    EXPECT_EQ(d.key_path, "run");
    EXPECT_EQ(d.message, "expected a mapping of keys to values (key: value), got '2024Q1'");
  }
  {
    const Diagnostic d = only_problem(with("chips:\n", "chips:\n  -\n"));
    EXPECT_EQ(d.key_path, "chips[0]");
    EXPECT_CONTAINS(d.message, "empty list item");
  }
}

TEST(LoadScenarioText, EmptyFile) {
  for (const std::string_view text : {"", "\n\n", "# only a comment\n", "   \n"}) {
    const Diagnostic d = only_problem(text);
    EXPECT_EQ(d.where.file, source);
    EXPECT_EQ(d.where.line, 1);
    EXPECT_CONTAINS(d.message, "the file is empty");
    EXPECT_CONTAINS(d.message, "run, chips, vendors, regions, agents, demand");
  }
}

TEST(LoadScenarioText, YamlSyntaxErrorsGiveTheirLine) {
  // A tab in the indentation.
  const std::string tab = with("    bloc: us\n    cash", "\tbloc: us\n    cash");
  const Diagnostic d = only_problem(tab);
  EXPECT_EQ(d.where.line, line_of(tab, "\tbloc"));
  EXPECT_EQ(d.where.column, 1);
  EXPECT_EQ(d.key_path, "");
  EXPECT_CONTAINS(d.message, "invalid YAML");
  EXPECT_CONTAINS(d.message, "tab");
}

TEST(LoadScenarioText, AnUnclosedBracketIsReportedWhereItOpens) {
  const std::string list = with("markets: [us]", "markets: [us");
  const Diagnostic d = only_problem(list);
  EXPECT_EQ(d.where.line, line_of(list, "markets: [us"));
  EXPECT_EQ(d.where.column, column_of(list, "[us"));
  EXPECT_EQ(d.message, "invalid YAML: this '[' is never closed; expected a ']' at the end of the list");

  const std::string map = with("{chip: H100, count: 50k, site: east-1}", "{chip: H100, count: 50k, site: east-1");
  const Diagnostic m = only_problem(map);
  EXPECT_EQ(m.where.line, line_of(map, "{chip: H100"));
  EXPECT_EQ(m.where.column, column_of(map, "{chip: H100"));
  EXPECT_CONTAINS(m.message, "this '{' is never closed");
}

TEST(LoadScenarioText, ABracketThatIsClosedLaterIsNotCalledUnclosed) {
  const std::string text =
      with("    strategy: {target_share: 50%}", "    strategy: {target_share: 50%,\n      momentum: 0.6: 1}");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.where.line, line_of(text, "momentum"));
  EXPECT_CONTAINS(d.message, "the mapping opened with '{' at line " + std::to_string(line_of(text, "strategy:")) +
                                 ", column 15 is malformed here");
  // Spread over two lines and closed, it is fine.
  EXPECT_NO_THROW(load_scenario_text(
      with("    strategy: {target_share: 50%}", "    strategy: {target_share: 50%,\n      momentum: 0.6}"), source));
}

TEST(LoadScenarioText, CommonLineMistakesArePointedOut) {
  {
    const std::string text = with("    power: 1.3 kW", "    power 1.3 kW");
    const Diagnostic d = only_problem(text);
    EXPECT_EQ(d.where.line, line_of(text, "power 1.3 kW"));
    EXPECT_EQ(d.where.column, 5);
    EXPECT_EQ(d.message, "invalid YAML: this line has no ':'; expected 'key: value'");
  }
  {
    const std::string text = with("    power: 1.3 kW", "    power:1.3 kW");
    const Diagnostic d = only_problem(text);
    EXPECT_EQ(d.where.line, line_of(text, "power:1.3 kW"));
    EXPECT_EQ(d.message, "invalid YAML: this line has no space after its ':'; expected 'key: value'");
  }
  {
    const std::string text = with("  - name: china-west", "  -name: china-west");
    const Diagnostic d = only_problem(text);
    EXPECT_EQ(d.where.line, line_of(text, "-name: china-west"));
    EXPECT_EQ(d.where.column, 3);
    EXPECT_EQ(d.message, "invalid YAML: a list item needs a space after '-'; expected '- name: china-west'");
  }
  {
    const std::string text = with("    family: gpu", "   family: gpu");
    const Diagnostic d = only_problem(text);
    EXPECT_EQ(d.where.line, line_of(text, "   family: gpu"));
    EXPECT_CONTAINS(d.message, "indentation");
  }
}

TEST(LoadScenarioText, AnAgentNeedsARegion) {
  const std::string text = with("regions: [us-east]", "regions: []");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "agents[acme].regions");
  EXPECT_EQ(d.message, "the list is empty; expected at least one region to build in, such as [us-east]");
}

TEST(LoadScenarioText, AnUnclosedQuoteIsReportedWhereItOpens) {
  // yaml-cpp itself accepts a quoted value that runs to the end of a file ending in a newline.
  const std::string text = with("name: mini", "name: \"mini");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.where.line, 1);
  EXPECT_EQ(d.where.column, 7);
  EXPECT_EQ(d.message, "invalid YAML: this quoted value is never closed; expected a closing \" on the same line");
  const Diagnostic single = only_problem(std::string(minimal) + "description: 'the end\n");
  EXPECT_EQ(single.where.line, line_of(minimal, "    reference_price") + 1);
  EXPECT_CONTAINS(single.message, "expected a closing '");
  // Inside a flow list, the quote swallows the ']' and yaml-cpp stops lines later.
  const std::string in_list = with("markets: [us]", "markets: [\"us]");
  const Diagnostic l = only_problem(in_list);
  EXPECT_EQ(l.where.line, line_of(in_list, "markets:"));
  EXPECT_EQ(l.where.column, column_of(in_list, "\"us]"));
  EXPECT_EQ(l.message, "invalid YAML: this quoted value is not closed on its line; expected a closing \"");
  // Quoted values that are closed are fine, including quotes inside them.
  EXPECT_NO_THROW(load_scenario_text(std::string(minimal) + "description: 'it''s \"fine\"'\n", source));
  EXPECT_NO_THROW(load_scenario_text(std::string(minimal) + "description: \"say \\\"hi\\\"\"\n", source));
}

TEST(LoadScenarioText, ASecondYamlDocumentIsReported) {
  const std::string text = std::string(minimal) + "---\nname: other\n";
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.where.line, line_of(text, "name: other"));
  EXPECT_CONTAINS(d.message, "a second YAML document");
  // A document marker at the start or the end alone is harmless.
  EXPECT_NO_THROW(load_scenario_text("---\n" + std::string(minimal), source));
  EXPECT_NO_THROW(load_scenario_text(std::string(minimal) + "---\n", source));
}

TEST(LoadScenarioText, TopLevelMustBeAMapping) {
  {
    const Diagnostic d = only_problem("just a scalar\n");
    EXPECT_EQ(d.where.line, 1);
    EXPECT_EQ(d.key_path, "");
    EXPECT_EQ(
        d.message,
        "expected a scenario: a mapping with keys run, chips, vendors, regions, agents, demand; got 'just a scalar'");
  }
  {
    const Diagnostic d = only_problem("- name: H100\n  vendor: nvidia\n");
    EXPECT_CONTAINS(d.message, "got a list");
  }
}

TEST(LoadScenarioText, NumbersTooLargeToRepresent) {
  const Diagnostic d = only_problem(with("cash: $50B", "cash: 1e400"));
  EXPECT_EQ(d.key_path, "agents[acme].cash");
  EXPECT_CONTAINS(d.message, "'1e400' is too large");
}

TEST(LoadScenarioText, FleetTooLargeForItsSite) {
  const std::string text = with("count: 50k", "count: 500k");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "agents[acme].fleet");
  EXPECT_EQ(d.where.line, line_of(text, "{chip: H100"));
  EXPECT_EQ(
      d.message,
      "the fleet placed in site 'east-1' needs 650 MW of IT capacity but the site has 200 MW; expected fewer chips "
      "or a larger site");
}

TEST(LoadScenarioText, FleetInASiteTooSparseForItsRacks) {
  const Diagnostic d = only_problem(with("rack_density: 40 kW, online", "rack_density: 30 kW, online"));
  EXPECT_EQ(d.key_path, "agents[acme].fleet");
  EXPECT_CONTAINS(d.message, "chip 'H100' needs racks of 40 kW but site 'east-1' allows at most 30 kW");
}

TEST(LoadScenarioText, AgentRegionInAnotherBloc) {
  const std::string text = with("regions: [us-east]", "regions: [us-east, china-west]");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "agents[acme].regions[1]");
  EXPECT_EQ(d.where.line, line_of(text, "regions: [us-east, china-west]"));
  EXPECT_EQ(d.where.column, column_of(text, "china-west]"));
  EXPECT_EQ(d.message,
            "region 'china-west' is in bloc 'china' but the agent is in bloc 'us'; expected regions of its own bloc");
}

TEST(LoadScenarioText, OneDemandEntryPerBloc) {
  const std::string text =
      std::string(minimal) + "  - bloc: us\n    base: 1M\n    growth: 20%\n    reference_price: $2/h\n";
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "demand[1].bloc");
  EXPECT_EQ(d.where.line, line_of(text, "  - bloc: us\n    base: 1M"));
  EXPECT_CONTAINS(d.message, "bloc 'us' already has a demand entry (at line " +
                                 std::to_string(line_of(text, "  - bloc: us")) + ")");
}

TEST(LoadScenarioText, AgentBlocWithoutDemand) {
  const std::string text = with("  - bloc: us\n", "  - bloc: china\n");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "agents[acme].bloc");
  EXPECT_EQ(d.where.line, line_of(text, "    kind: hyperscaler") + 1);
  EXPECT_CONTAINS(d.message, "no demand entry for bloc 'us'");
}

TEST(LoadScenarioText, WarningsDoNotThrowAndLandInSpecWarnings) {
  const std::string text = with("rack_density: 60 kW, build_time", "rack_density: 30 kW, build_time");
  ScenarioSpec spec;
  ASSERT_NO_THROW(spec = load_scenario_text(text, source));
  ASSERT_EQ(spec.warnings.size(), 1u);
  const Diagnostic& w = spec.warnings.front();
  EXPECT_EQ(w.severity, Diagnostic::Severity::warning);
  EXPECT_EQ(w.key_path, "agents[acme].new_site.rack_density");
  EXPECT_EQ(w.where.line, line_of(text, "rack_density: 30 kW, build_time"));
  EXPECT_CONTAINS(w.message, "too sparse for H100");
  EXPECT_CONTAINS(w.message, "at least 40 kW");
  EXPECT_DOUBLE_EQ(spec.agents[0].new_site.rack_kw, 30.0);
}

TEST(LoadScenarioText, WarningsRideAlongWhenThereAreErrors) {
  std::string text = with("rack_density: 60 kW, build_time", "rack_density: 30 kW, build_time");
  text = with("count: 50k", "count: 500k", text);
  const auto ds = problems(text);
  ASSERT_EQ(ds.size(), 2u);
  const auto warnings = std::count_if(ds.begin(), ds.end(),
                                      [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::warning; });
  EXPECT_EQ(warnings, 1);
}

// ---- TimeSeriesSpec ----------------------------------------------------------------------------

TEST(TimeSeriesSpec, FlatBeforeLinearBetweenFlatAfter) {
  TimeSeriesSpec s;
  s.points = {{Quarter(2024, 1), 100.0}, {Quarter(2025, 1), 200.0}, {Quarter(2025, 3), 100.0}};
  EXPECT_DOUBLE_EQ(s.at(Quarter(2020, 1)), 100.0);  // before the first
  EXPECT_DOUBLE_EQ(s.at(Quarter(2024, 1)), 100.0);
  EXPECT_DOUBLE_EQ(s.at(Quarter(2024, 2)), 125.0);  // a quarter of the way
  EXPECT_DOUBLE_EQ(s.at(Quarter(2024, 3)), 150.0);
  EXPECT_DOUBLE_EQ(s.at(Quarter(2025, 1)), 200.0);  // on a point
  EXPECT_DOUBLE_EQ(s.at(Quarter(2025, 2)), 150.0);  // going down
  EXPECT_DOUBLE_EQ(s.at(Quarter(2025, 3)), 100.0);
  EXPECT_DOUBLE_EQ(s.at(Quarter(2030, 4)), 100.0);  // after the last
}

TEST(TimeSeriesSpec, OnePointIsConstantAndNoPointsIsZero) {
  TimeSeriesSpec one;
  one.points = {{Quarter(2024, 1), 7.0}};
  EXPECT_DOUBLE_EQ(one.at(Quarter(2000, 1)), 7.0);
  EXPECT_DOUBLE_EQ(one.at(Quarter(2100, 1)), 7.0);
  EXPECT_DOUBLE_EQ(TimeSeriesSpec{}.at(Quarter(2024, 1)), 0.0);
}

TEST(TimeSeriesSpec, ReadFromAMappingOfQuarters) {
  const ScenarioSpec spec = load_scenario_text(minimal, source);
  const TimeSeriesSpec& cap = spec.vendors[0].capacity_chips_per_quarter;
  ASSERT_EQ(cap.points.size(), 2u);
  EXPECT_DOUBLE_EQ(cap.at(Quarter(2023, 1)), 100e3);
  EXPECT_DOUBLE_EQ(cap.at(Quarter(2025, 2)), 100e3 + 200e3 * 5.0 / 11.0);  // 5 of the 11 quarters to 2026Q4
  EXPECT_DOUBLE_EQ(cap.at(Quarter(2030, 1)), 300e3);
  const Diagnostic d = only_problem(with("{2024Q1: 100k, 2026Q4: 300k}", "{2026Q4: 300k, 2024Q1: 100k}"));
  EXPECT_EQ(d.key_path, "vendors[nvidia].capacity.2024Q1");
  EXPECT_EQ(d.message, "quarters must be in increasing order");
  EXPECT_CONTAINS(only_problem(with("{2024Q1: 100k, 2026Q4: 300k}", "{2024: 100k}")).message,
                  "expected a quarter such as '2025Q3' as key, got '2024'");
}

// ---- load_scenario_file ------------------------------------------------------------------------

TEST(LoadScenarioFile, MissingPath) {
  const std::filesystem::path path = std::filesystem::path(AIDC_BINARY_DIR) / "no-such-scenario.yaml";
  try {
    (void)load_scenario_file(path);
    FAIL() << "loaded a missing file";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].str(), path.string() + ": no such file; expected a scenario YAML file");
  }
}

TEST(LoadScenarioFile, Directory) {
  try {
    (void)load_scenario_file(AIDC_SOURCE_DIR);
    FAIL() << "loaded a directory";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].where.line, 0);
    EXPECT_CONTAINS(e.diagnostics()[0].message, "is a directory; expected a scenario YAML file");
  }
}

TEST(LoadScenarioFile, ProblemsNameTheFile) {
  const std::filesystem::path path = std::filesystem::path(AIDC_BINARY_DIR) / "loader_test_bad.yaml";
  {
    std::ofstream out(path, std::ios::binary);
    out << with("end: 2026Q4", "end: 2023Q4");
  }
  try {
    (void)load_scenario_file(path);
    FAIL() << "loaded an invalid file";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].where.file, path.string());
    EXPECT_EQ(e.diagnostics()[0].where.line, 4);
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

TEST(LoadScenarioText, AFractionAboveOneWithoutPercentIsAWarning) {
  const ScenarioSpec spec = load_scenario_text(with("    growth: 50%\n", "    growth: 15\n"), source);
  EXPECT_DOUBLE_EQ(spec.demand[0].growth_per_year.at(Quarter(2024, 1)), 15.0);
  ASSERT_EQ(spec.warnings.size(), 1u);
  EXPECT_EQ(spec.warnings[0].key_path, "demand[0].growth");
  EXPECT_EQ(spec.warnings[0].message, "'15' is read as 1500%; write '15%' if you meant 15 percent");
}

TEST(LoadScenarioText, ACostPerMegawattWithoutPerUnitIsAnError) {
  const Diagnostic d = only_problem(with("build_time: 2 years}", "build_time: 2 years, build_cost: $3.5B}"));
  EXPECT_EQ(d.key_path, "agents[acme].new_site.build_cost");
  EXPECT_CONTAINS(d.message, "which has no '/MW'");
}

TEST(LoadScenarioText, ASiteInARegionOfAnotherBloc) {
  const std::string text = with("region: us-east, capacity: 200 MW", "region: china-west, capacity: 200 MW");
  const Diagnostic d = only_problem(text);
  EXPECT_EQ(d.key_path, "sites[east-1].region");
  EXPECT_EQ(d.where.line, line_of(text, "china-west, capacity"));
  EXPECT_EQ(d.message,
            "region 'china-west' is in bloc 'china' but the owner 'acme' is in bloc 'us'; expected a region of the "
            "owner's bloc");
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

TEST(LoadScenarioText, ABareNumberIsReadInTheUnitTheReferenceNames) {
  // chips[].power and rack_power are documented as kW for bare numbers; capacity as MW.
  const ScenarioSpec spec = load_scenario_text(
      with("    power: 1.3 kW\n    rack_power: 40 kW\n", "    power: 1.3\n    rack_power: 40\n"), source);
  EXPECT_DOUBLE_EQ(spec.chips[0].power_kw, 1.3);
  EXPECT_DOUBLE_EQ(spec.chips[0].rack_kw, 40.0);
  const ScenarioSpec sites =
      load_scenario_text(with("capacity: 200 MW, rack_density: 40 kW", "capacity: 200, rack_density: 40"), source);
  EXPECT_DOUBLE_EQ(sites.sites[0].capacity_mw, 200.0);
  EXPECT_DOUBLE_EQ(sites.sites[0].rack_kw, 40.0);
}

TEST(Schema, EveryParameterIsDescribedAndDefaultsComeFromTheSpecStructs) {
  const auto& sections = scenario_schema();
  ASSERT_GE(sections.size(), 10u);
  for (const auto& section : sections) {
    EXPECT_FALSE(section.help.empty()) << section.path;
    for (const auto& p : section.params) {
      EXPECT_FALSE(p.help.empty()) << section.path << "." << p.key;
      if (!p.required && p.kind == ValueKind::quantity) {
        EXPECT_FALSE(p.default_text.empty()) << p.key;
      }
    }
  }
  // The declaration of path.key (an empty ParamInfo if there is none).
  const auto find = [&](const std::string& path, const std::string& key) {
    for (const auto& s : sections) {
      if (s.path != path) continue;
      for (const auto& p : s.params) {
        if (p.key == key) return p;
      }
    }
    return ParamInfo{};
  };
  const ParamInfo margin = find("regions[]", "reserve_margin");
  ASSERT_EQ(margin.key, "reserve_margin");
  EXPECT_EQ(margin.default_text, "15%");
  const ParamInfo density = find("agents[].new_site", "rack_density");
  ASSERT_EQ(density.key, "rack_density");
  EXPECT_EQ(density.unit, "kW");
  const ParamInfo age = find("agents[].fleet[]", "age");
  ASSERT_EQ(age.key, "age");
  EXPECT_EQ(age.default_text, "0 quarters");
  EXPECT_NE(scenario_reference_markdown().find("## `agents[].strategy`"), std::string::npos);
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

// Every section of MODEL.md §3–§9 beyond the simulated core, appended to the minimal scenario.
const std::string complete = with("demand:\n", R"(links:
  - {name: l1, from: us-east, to: china-west, capacity: 500 MW}
power_technologies:
  - {name: gas_engine, lead_time: 18 months, cost: $1.2M/MW, power_price: $70/MWh}
contracts:
  - {name: c1, buyer: acme, seller: rival, compute: 10k, price: $2.1/h, start: 2024Q2, length: 2 years}
events:
  - {name: deepseek, kind: efficiency_gain, at: 2025Q1, factor: 3}
  - {name: ban, kind: export_control, at: 2025Q2, target: H100, bloc: china, action: ban}
  - {kind: credit_crunch, at: 2026Q1, spread: 4%, max_leverage: 2.5, duration: 1 year}
  - {kind: circular_deal, at: 2024Q3, target: nvidia, recipient: rival, amount: $10B}
finance:
  base_rate: {2023Q1: 5%, 2026Q1: 3.5%}
  tax_rate: 21%
demand:
)") + R"(  - name: rival-placeholder-never-read
)";

std::string complete_scenario() {
  std::string text = with("    new_site: {capacity: 300 MW, rack_density: 60 kW, build_time: 2 years}\n",
                          R"(    new_site: {capacity: 300 MW, rack_density: 60 kW, build_time: 2 years}
    debt:
      - {name: d1, principal: $2B, rate: 9%, maturity: 2027Q4}
    finance: {max_leverage: 4, spread: 5%}
    retrofit: {cost: $3M/MW, time: 3 quarters}
    retirement: unprofitable
    external_funding: {2024Q1: $1B, 2026Q1: $3B}
)",
                          complete);
  text = with("      - {chip: H100, count: 50k, site: east-1}\n", R"(      - {chip: H100, count: 50k, site: east-1}
  - name: rival
    kind: neocloud
    bloc: us
    cash: $5B
    vendors: [nvidia]
    regions: [us-east]
    strategy: {target_share: 20%, rival_reaction: 50%, hurdle_return: 15%}
    book_life: 6 years
    new_site: {capacity: 100 MW, rack_density: 60 kW, build_time: 6 quarters}
)",
              text);
  text = text.substr(0, text.find("  - name: rival-placeholder-never-read"));
  return with("    lead_time: 2 quarters\n",
              "    lead_time: 2 quarters\n    captive_owner: acme\n    price_policy: {decline_per_year: 20%}\n", text);
}

TEST(CompleteSchema, EverySectionIsReadIntoTheSpec) {
  const ScenarioSpec spec = load_scenario_text(complete_scenario(), source);
  ASSERT_EQ(spec.links.size(), 1u);
  EXPECT_DOUBLE_EQ(spec.links[0].capacity_mw, 500.0);
  ASSERT_EQ(spec.power_technologies.size(), 1u);
  EXPECT_EQ(spec.power_technologies[0].lead_quarters, 6);
  EXPECT_DOUBLE_EQ(spec.power_technologies[0].cost_usd_per_mw, 1.2e6);
  ASSERT_EQ(spec.contracts.size(), 1u);
  EXPECT_EQ(spec.contracts[0].length_quarters, 8);
  ASSERT_EQ(spec.events.size(), 4u);
  EXPECT_EQ(spec.events[1].target, "H100");
  EXPECT_DOUBLE_EQ(spec.events[2].spread, 0.04);
  EXPECT_EQ(spec.events[2].duration_quarters, 4);
  EXPECT_DOUBLE_EQ(spec.events[3].amount_usd, 10e9);
  EXPECT_DOUBLE_EQ(spec.finance.base_rate.at(Quarter(2026, 1)), 0.035);
  EXPECT_EQ(spec.vendors[0].captive_owner, "acme");
  EXPECT_DOUBLE_EQ(spec.vendors[0].price_policy.decline_per_year, 0.20);
  const AgentSpec& acme = spec.agents[0];
  ASSERT_EQ(acme.debt.size(), 1u);
  EXPECT_DOUBLE_EQ(acme.debt[0].rate, 0.09);
  EXPECT_DOUBLE_EQ(acme.finance.max_leverage, 4.0);
  EXPECT_EQ(acme.retrofit.quarters, 3);
  EXPECT_EQ(acme.retirement, RetirementPolicy::unprofitable);
  EXPECT_DOUBLE_EQ(acme.external_funding_usd_per_quarter.at(Quarter(2025, 1)), 2e9);
  EXPECT_DOUBLE_EQ(spec.agents[1].strategy.rival_reaction, 0.5);
}

TEST(CompleteSchema, EveryParameterIsSimulatedSoNoneWarns) {
  const ScenarioSpec spec = load_scenario_text(complete_scenario(), source);
  for (const auto& w : spec.warnings) ADD_FAILURE() << w.str();
}

TEST(CompleteSchema, EventKeysAreCheckedAgainstTheirKind) {
  const std::string base = complete_scenario();
  std::vector<Diagnostic> ds;
  for (const auto& d : problems(with("{kind: credit_crunch, at: 2026Q1, spread: 4%,",
                                     "{kind: credit_crunch, at: 2026Q1, bloc: us,", base))) {
    if (d.severity == Diagnostic::Severity::error) ds.push_back(d);
  }
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].key_path, "events[2].spread");
  EXPECT_EQ(ds[0].message, "a credit_crunch event needs 'spread'; it takes spread, max_leverage (optional)");
  EXPECT_EQ(ds[1].key_path, "events[2].bloc");
  EXPECT_EQ(ds[1].message, "does not apply to a credit_crunch event; it takes spread, max_leverage (optional)");
  bool found = false;
  for (const auto& d : problems(with("recipient: rival", "recipient: rivl", base))) {
    if (d.severity != Diagnostic::Severity::error) continue;
    EXPECT_EQ(d.message, "unknown agent 'rivl' (did you mean 'rival'?)");
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST(CompleteSchema, TheReferenceListsEventKinds) {
  const std::string md = scenario_reference_markdown();
  EXPECT_NE(md.find("| `circular_deal` | `target`, `recipient`, `amount` |"), std::string::npos);
  EXPECT_EQ(md.find("not simulated"), std::string::npos);
}

}  // namespace
}  // namespace aidc
