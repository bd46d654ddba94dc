// Scenario composition end to end: files that extend other files (written to a fresh directory
// per test), and command-line overrides, read through load_scenario_file. Checks the composed
// scenario, that its resolved YAML stands on its own, and that every problem is reported in the
// file (or at the --set) where it was written.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "aidc/scenario/loader.hpp"
#include "aidc/scenario/schema.hpp"
#include "yaml_reader.hpp"
#include "scenario_test_support.hpp"

namespace aidc {
namespace {

namespace fs = std::filesystem;

using namespace test;

template <class T>
const T& named(const std::vector<T>& items, const std::string& name) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.name == name; });
  if (it == items.end()) throw std::runtime_error("no item named " + name);
  return *it;
}

template <class T>
std::vector<std::string> names(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.name);
  return out;
}

// Every diagnostic, one per line, for failure messages.
std::string listed(const std::vector<Diagnostic>& ds) {
  std::string all;
  for (const auto& d : ds) all += "\n  " + d.str();
  return all;
}

// The diagnostics of a scenario file that must fail to load.
std::vector<Diagnostic> problems(const fs::path& file, const std::vector<std::string>& overrides = {}) {
  try {
    (void)load_scenario_file(file, overrides);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << file << " loaded without errors";
  return {};
}

// The only diagnostic of a scenario file with exactly one mistake.
Diagnostic only_problem(const fs::path& file, const std::vector<std::string>& overrides = {}) {
  const auto ds = problems(file, overrides);
  if (ds.size() != 1) ADD_FAILURE() << "expected exactly one problem, got " << ds.size() << ":" << listed(ds);
  return ds.empty() ? Diagnostic{} : ds.front();
}

// The diagnostic whose message contains needle (the first one), or a failure.
Diagnostic problem_with(const std::vector<Diagnostic>& ds, std::string_view needle) {
  for (const auto& d : ds) {
    if (contains(d.message, needle)) return d;
  }
  ADD_FAILURE() << "no problem mentions '" << needle << "' among:" << listed(ds);
  return {};
}

// Each test writes its files to a fresh directory of its own.
class Extends : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(AIDC_BINARY_DIR "/test-tmp/extends") / (std::string(info->test_suite_name()) + "." + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }

  // Writes text to dir/relative (creating directories) and returns its path.
  fs::path write(const std::string& relative, std::string_view text) const {
    const fs::path path = dir_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    EXPECT_TRUE(out) << "cannot write " << path;
    return path;
  }

  // scenarios/compact.yaml, copied into the test's directory.
  fs::path copy_default(const std::string& relative = "default.yaml") const {
    std::ifstream in(fs::path(AIDC_SOURCE_DIR) / "scenarios" / "compact.yaml", std::ios::binary);
    EXPECT_TRUE(in) << "cannot read scenarios/compact.yaml";
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return write(relative, text);
  }

  // How a file is named in messages about a base it was reached through.
  [[nodiscard]] std::string shown(const std::string& relative) const {
    return (dir_ / relative).lexically_normal().string();
  }

  fs::path dir_;
};

class ExtendsOverrides : public Extends {};

// ---- a what-if on the default scenario -----------------------------------------------------------

constexpr std::string_view what_if = R"(# What if us-east connected faster, CoreWeave left and xAI came in?
extends: default.yaml
name: faster-east
regions:
  - name: us-east
    interconnection_time: 2 years
sites:
  - {name: cw-east-1, remove: true}
  - {name: xai-texas-1, owner: xai, region: us-texas, capacity: 300 MW, rack_density: 140 kW, online: 2025Q1}
contracts:
  - {name: msft-cw, remove: true}
agents:
  - name: coreweave
    remove: true
  - name: xai
    kind: lab
    bloc: us
    cash: $20B
    vendors: [nvidia]
    regions: [us-texas]
    strategy: {target_share: 10%}
    book_life: 5 years
    new_site: {capacity: 300 MW, rack_density: 200 kW, build_time: 2 years}
    fleet:
      - {chip: H100, count: 20k, site: xai-texas-1}
)";

TEST_F(Extends, AWhatIfOnTheDefaultChangesARegionRemovesAnAgentAndAddsOne) {
  copy_default();
  const fs::path file = write("what-if.yaml", what_if);
  const ScenarioSpec spec = load_scenario_file(file);
  EXPECT_TRUE(spec.warnings.empty()) << listed(spec.warnings);

  EXPECT_EQ(spec.name, "faster-east");
  EXPECT_EQ(spec.description, "US and China buildout 2023-2030 with power-bound US regions (compact default)");
  EXPECT_EQ(spec.source, file.string());
  EXPECT_EQ(spec.text, std::string(what_if)) << "the text is the file's own";
  EXPECT_TRUE(spec.overrides.empty());
  EXPECT_EQ(spec.run.start, Quarter(2023, 1));
  EXPECT_EQ(spec.run.seed, 42u);

  // The region: one value changed, the rest inherited; the order of the base kept.
  EXPECT_EQ(names(spec.regions), (std::vector<std::string>{"us-east", "us-texas", "china-west"}));
  const RegionSpec& east = named(spec.regions, "us-east");
  EXPECT_EQ(east.interconnection_quarters, 8);
  EXPECT_EQ(east.bloc, "us");
  EXPECT_DOUBLE_EQ(east.power_price_usd_per_mwh, 60.0);
  EXPECT_DOUBLE_EQ(east.generation_mw.at(Quarter(2023, 1)), 185e3);
  EXPECT_EQ(named(spec.regions, "us-texas").interconnection_quarters, 12);
  EXPECT_EQ(named(spec.regions, "china-west").interconnection_quarters, 4);

  // One agent and its site gone, one of each added at the end.
  EXPECT_EQ(names(spec.agents),
            (std::vector<std::string>{"microsoft", "alphabet", "amazon", "meta", "china-cloud", "china-icc", "xai"}));
  ASSERT_EQ(spec.sites.size(), 11u);
  const std::vector<std::string> sites = names(spec.sites);
  EXPECT_EQ(std::count(sites.begin(), sites.end(), "cw-east-1"), 0);
  EXPECT_EQ(spec.sites.back().name, "xai-texas-1");
  EXPECT_EQ(spec.sites.back().owner, "xai");
  const AgentSpec& xai = named(spec.agents, "xai");
  EXPECT_EQ(xai.kind, AgentKind::lab);
  EXPECT_DOUBLE_EQ(xai.cash_usd, 20e9);
  EXPECT_DOUBLE_EQ(xai.strategy.target_share, 0.10);
  ASSERT_EQ(xai.fleet.size(), 1u);
  EXPECT_DOUBLE_EQ(xai.fleet[0].count, 20e3);
  EXPECT_DOUBLE_EQ(named(spec.agents, "microsoft").cash_usd, 110e9) << "untouched agents are the base's";

  // Everything else is the default's.
  EXPECT_EQ(spec.chips.size(), 12u);
  EXPECT_EQ(spec.vendors.size(), 5u);
  EXPECT_EQ(spec.demand.size(), 2u);

  // Each value remembers its file.
  EXPECT_EQ(named(spec.chips, "H100").where.file, shown("default.yaml"));
  EXPECT_GT(named(spec.chips, "H100").where.line, 0);
  EXPECT_EQ(named(spec.agents, "microsoft").where.file, shown("default.yaml"));
  EXPECT_EQ(xai.where.file, file.string());
  EXPECT_EQ(xai.where.line, line_of(what_if, "- name: xai\n"));
  EXPECT_EQ(xai.fleet[0].where.file, file.string());
}

TEST_F(Extends, TheResolvedYamlLoadsByItselfToTheSameScenario) {
  copy_default();
  const fs::path file = write("what-if.yaml", what_if);
  const ScenarioSpec spec = load_scenario_file(file, {"agents[meta].cash=$70B", "run.seed=5"});
  EXPECT_FALSE(contains(spec.resolved_yaml, "extends")) << spec.resolved_yaml;
  EXPECT_FALSE(contains(spec.resolved_yaml, "remove")) << spec.resolved_yaml;

  const ScenarioSpec again = load_scenario_text(spec.resolved_yaml, (dir_ / "resolved.yaml").string());
  EXPECT_TRUE(again.warnings.empty()) << listed(again.warnings);
  EXPECT_EQ(again.name, spec.name);
  EXPECT_EQ(again.description, spec.description);
  EXPECT_EQ(again.run.start, spec.run.start);
  EXPECT_EQ(again.run.end, spec.run.end);
  EXPECT_EQ(again.run.seed, 5u);
  EXPECT_EQ(names(again.chips), names(spec.chips));
  EXPECT_EQ(names(again.vendors), names(spec.vendors));
  EXPECT_EQ(names(again.regions), names(spec.regions));
  EXPECT_EQ(names(again.sites), names(spec.sites));
  EXPECT_EQ(names(again.agents), names(spec.agents));
  ASSERT_EQ(again.demand.size(), spec.demand.size());
  EXPECT_EQ(again.demand[1].bloc, spec.demand[1].bloc);
  EXPECT_DOUBLE_EQ(again.demand[0].base_h100e, spec.demand[0].base_h100e);
  EXPECT_DOUBLE_EQ(again.demand[0].growth_per_year.at(Quarter(2026, 1)),
                   spec.demand[0].growth_per_year.at(Quarter(2026, 1)));
  EXPECT_EQ(named(again.regions, "us-east").interconnection_quarters, 8);
  EXPECT_DOUBLE_EQ(named(again.agents, "meta").cash_usd, 70e9);
  EXPECT_DOUBLE_EQ(named(again.chips, "GB200").price_usd, named(spec.chips, "GB200").price_usd);
  EXPECT_DOUBLE_EQ(named(again.chips, "GB200").rack_kw, named(spec.chips, "GB200").rack_kw);
  EXPECT_EQ(named(again.agents, "xai").regions, named(spec.agents, "xai").regions);
  EXPECT_DOUBLE_EQ(named(again.agents, "microsoft").strategy.momentum,
                   named(spec.agents, "microsoft").strategy.momentum);
  EXPECT_DOUBLE_EQ(named(again.vendors, "nvidia").capacity_chips_per_quarter.at(Quarter(2027, 4)), 1.6e6);
  // Resolving again changes nothing.
  EXPECT_EQ(again.resolved_yaml, spec.resolved_yaml);
}

TEST_F(Extends, TheResolvedYamlOfAFileWithoutExtendsIsTheSameScenario) {
  const fs::path file = write("mini.yaml", minimal);
  const ScenarioSpec spec = load_scenario_file(file);
  const ScenarioSpec again = load_scenario_text(spec.resolved_yaml, "resolved.yaml");
  EXPECT_EQ(again.resolved_yaml, spec.resolved_yaml);
  EXPECT_EQ(again.name, "mini");
  EXPECT_EQ(again.sites.size(), 1u);
  EXPECT_DOUBLE_EQ(again.agents[0].fleet[0].count, 50e3);
}

// ---- chains and directories ----------------------------------------------------------------------

TEST_F(Extends, AChainOfTwoLevelsAppliesEachOnTopOfTheOneBelow) {
  write("base.yaml", minimal);
  write("middle.yaml", R"(extends: base.yaml
name: middle
run: {seed: 8}
agents:
  - name: acme
    cash: $60B
    strategy: {momentum: 0.9}
)");
  const fs::path top = write("top.yaml", R"(extends: middle.yaml
name: top
agents:
  - name: acme
    strategy: {target_share: 40%}
regions:
  - name: china-west
    remove: true
)");
  const ScenarioSpec spec = load_scenario_file(top);
  EXPECT_EQ(spec.name, "top");
  EXPECT_EQ(spec.run.seed, 8u) << "from the middle";
  EXPECT_EQ(spec.run.end, Quarter(2026, 4)) << "from the base";
  ASSERT_EQ(spec.agents.size(), 1u);
  EXPECT_DOUBLE_EQ(spec.agents[0].cash_usd, 60e9);
  EXPECT_DOUBLE_EQ(spec.agents[0].strategy.momentum, 0.9);
  EXPECT_DOUBLE_EQ(spec.agents[0].strategy.target_share, 0.40);
  EXPECT_EQ(spec.agents[0].book_life_quarters, 24);
  EXPECT_EQ(names(spec.regions), (std::vector<std::string>{"us-east"}));
}

TEST_F(Extends, TheLowerFileLosesWhereTheyDisagree) {
  write("base.yaml", minimal);
  write("middle.yaml", "extends: base.yaml\nrun: {seed: 8}\n");
  const fs::path top = write("top.yaml", "extends: middle.yaml\nrun: {seed: 9}\n");
  EXPECT_EQ(load_scenario_file(top).run.seed, 9u);
}

TEST_F(Extends, ABaseIsFoundRelativeToTheFileThatNamesIt) {
  write("base.yaml", minimal);
  // Down into a directory, then up again from there.
  write("bases/middle.yaml", "extends: ../base.yaml\nrun: {seed: 8}\n");
  const fs::path top = write("top.yaml", "extends: bases/middle.yaml\nname: top\n");
  const ScenarioSpec spec = load_scenario_file(top);
  EXPECT_EQ(spec.name, "top");
  EXPECT_EQ(spec.run.seed, 8u);
  EXPECT_EQ(spec.chips.at(0).where.file, shown("base.yaml"));
}

TEST_F(Extends, AFileInASubdirectoryExtendsOneAbove) {
  copy_default();
  const fs::path file = write("what-ifs/faster-east.yaml",
                              with("extends: default.yaml", "extends: ../default.yaml", std::string(what_if)));
  const ScenarioSpec spec = load_scenario_file(file);
  EXPECT_EQ(spec.name, "faster-east");
  EXPECT_EQ(named(spec.regions, "us-east").interconnection_quarters, 8);
  EXPECT_EQ(spec.agents.size(), 7u);
  EXPECT_EQ(named(spec.chips, "H100").where.file, shown("default.yaml"));
}

TEST_F(Extends, SixteenLevelsAreAllowedButNotSeventeen) {
  write("level16.yaml", minimal);
  for (int i = 0; i < 16; ++i) {
    write("level" + std::to_string(i) + ".yaml", "extends: level" + std::to_string(i + 1) + ".yaml\n");
  }
  EXPECT_EQ(load_scenario_file(dir_ / "level0.yaml").name, "mini") << "level0 → … → level16: 16 levels";

  write("level17.yaml", minimal);
  write("level16.yaml", "extends: level17.yaml\n");
  const Diagnostic d = only_problem(dir_ / "level0.yaml");
  EXPECT_EQ(d.key_path, "extends");
  EXPECT_CONTAINS(d.message, "more than 16 levels of extends");
  EXPECT_EQ(d.where.file, shown("level16.yaml"));
}

TEST_F(Extends, ExtendsNullHasNoBase) {
  const fs::path file = write("mini.yaml", "extends: ~\n" + std::string(minimal));
  EXPECT_EQ(load_scenario_file(file).name, "mini");
}

// ---- problems with extends -----------------------------------------------------------------------

TEST_F(Extends, AMissingBaseIsReportedAtTheExtendsLine) {
  constexpr std::string_view text = "name: lost\n# the base\nextends: nowhere.yaml\n";
  const fs::path file = write("lost.yaml", text);
  const Diagnostic d = only_problem(file);
  EXPECT_EQ(d.where.file, file.string());
  EXPECT_EQ(d.where.line, 3);
  EXPECT_EQ(d.where.column, column_of(text, "nowhere.yaml"));
  EXPECT_EQ(d.key_path, "extends");
  EXPECT_CONTAINS(d.message, "cannot read base scenario '" + shown("nowhere.yaml") + "'");
  EXPECT_CONTAINS(d.message, "no such file");
}

TEST_F(Extends, AMissingBaseFurtherDownIsReportedInTheFileThatNamesIt) {
  constexpr std::string_view middle = "run: {seed: 8}\nextends: ../gone/base.yaml\n";
  write("bases/middle.yaml", middle);
  const fs::path top = write("top.yaml", "extends: bases/middle.yaml\n");
  const Diagnostic d = only_problem(top);
  EXPECT_EQ(d.where.file, shown("bases/middle.yaml"));
  EXPECT_EQ(d.where.line, 2);
  EXPECT_EQ(d.where.column, column_of(middle, "../gone"));
  EXPECT_CONTAINS(d.message, shown("gone/base.yaml"));
}

TEST_F(Extends, ADirectoryIsNotABase) {
  fs::create_directories(dir_ / "folder");
  const Diagnostic d = only_problem(write("a.yaml", "extends: folder\n"));
  EXPECT_CONTAINS(d.message, "is a directory");
}

TEST_F(Extends, ExtendsMustBeAPath) {
  for (const std::string value : {"[a.yaml, b.yaml]", "{file: a.yaml}", "''"}) {
    SCOPED_TRACE(value);
    const fs::path file = write("bad.yaml", "extends: " + value + "\n" + std::string(minimal));
    const Diagnostic d = only_problem(file);
    EXPECT_EQ(d.key_path, "extends");
    EXPECT_EQ(d.where.file, file.string());
    EXPECT_EQ(d.where.line, 1);
    EXPECT_CONTAINS(d.message, "expected the path of a base scenario file");
  }
}

TEST_F(Extends, ACycleIsReportedWithItsChain) {
  const fs::path a = write("a.yaml", "name: a\nextends: b.yaml\n");
  constexpr std::string_view b_text = "# b goes back to a\nextends: a.yaml\n";
  write("b.yaml", b_text);
  const Diagnostic d = only_problem(a);
  EXPECT_EQ(d.key_path, "extends");
  EXPECT_EQ(d.where.file, shown("b.yaml"));
  EXPECT_EQ(d.where.line, 2);
  EXPECT_EQ(d.where.column, column_of(b_text, "a.yaml"));
  EXPECT_CONTAINS(d.message, "circle");
  EXPECT_CONTAINS(d.message, shown("a.yaml") + " → " + shown("b.yaml") + " → " + shown("a.yaml"));
}

TEST_F(Extends, AFileThatExtendsItselfIsACycle) {
  const fs::path self = write("self.yaml", "extends: ./self.yaml\n");
  const Diagnostic d = only_problem(self);
  EXPECT_EQ(d.where.file, self.string());
  EXPECT_CONTAINS(d.message, shown("self.yaml") + " → " + shown("self.yaml"));
}

TEST_F(Extends, AnErrorInTheBaseIsReportedInTheBaseFile) {
  const std::string base = with("lead_time: 2 quarters", "lead_time: 2 qarters");
  write("base.yaml", base);
  const fs::path child = write("child.yaml", "extends: base.yaml\nname: child\n");
  const Diagnostic d = only_problem(child);
  EXPECT_EQ(d.where.file, shown("base.yaml"));
  EXPECT_EQ(d.where.line, line_of(base, "2 qarters"));
  EXPECT_EQ(d.where.column, column_of(base, "2 qarters"));
  EXPECT_EQ(d.key_path, "vendors[nvidia].lead_time");
}

TEST_F(Extends, ASyntaxErrorInTheBaseIsReportedInTheBaseFile) {
  write("base.yaml", "name: base\nrun: [2024Q1,\n");
  const fs::path child = write("child.yaml", "extends: base.yaml\n");
  const Diagnostic d = only_problem(child);
  EXPECT_EQ(d.where.file, shown("base.yaml"));
  EXPECT_EQ(d.where.line, 2);
  EXPECT_CONTAINS(d.message, "invalid YAML");
}

TEST_F(Extends, AnErrorInTheChildIsReportedInTheChildFile) {
  write("base.yaml", minimal);
  constexpr std::string_view text = R"(extends: base.yaml
regions:
  - name: china-west
    interconnection_time: 1 yeer
)";
  const fs::path child = write("child.yaml", text);
  const Diagnostic d = only_problem(child);
  EXPECT_EQ(d.where.file, child.string());
  EXPECT_EQ(d.where.line, 4);
  EXPECT_EQ(d.where.column, column_of(text, "1 yeer"));
  EXPECT_EQ(d.key_path, "regions[china-west].interconnection_time");
}

TEST_F(Extends, ErrorsInBothFilesAreReportedTogetherEachInItsFile) {
  const std::string base = with("price: $50k", "price: 50 kW");
  write("base.yaml", base);
  constexpr std::string_view text = "extends: base.yaml\nrun:\n  seed: -3\nagents:\n  - name: acme\n    kind: robot\n";
  const fs::path child = write("child.yaml", text);
  const auto ds = problems(child);
  ASSERT_EQ(ds.size(), 3u) << listed(ds);
  const Diagnostic price = problem_with(ds, "50 kW");
  EXPECT_EQ(price.where.file, shown("base.yaml"));
  EXPECT_EQ(price.where.line, line_of(base, "50 kW"));
  const Diagnostic seed = problem_with(ds, "-3");
  EXPECT_EQ(seed.where.file, child.string());
  EXPECT_EQ(seed.where.line, 3);
  const Diagnostic kind = problem_with(ds, "robot");
  EXPECT_EQ(kind.where.file, child.string());
  EXPECT_EQ(kind.where.line, 6);
  // In reading order: the child's, then the base's (files in order of first appearance).
  EXPECT_EQ(ds[0].where.file, ds[1].where.file);
  EXPECT_LT(ds[0].where.line, ds[1].where.line);
}

TEST_F(Extends, AReferenceLeftDanglingByARemovalIsReportedWhereItIsWritten) {
  // Removing the agent but not its site: the site, written in the base, names an unknown owner.
  write("base.yaml", minimal);
  const fs::path child = write("child.yaml", R"(extends: base.yaml
agents:
  - {name: acme, remove: true}
  - name: other
    kind: lab
    bloc: us
    cash: $1B
    vendors: [nvidia]
    regions: [us-east]
    strategy: {target_share: 50%}
    book_life: 6 years
    new_site: {capacity: 300 MW, rack_density: 60 kW, build_time: 2 years}
)");
  const Diagnostic d = only_problem(child);
  EXPECT_EQ(d.where.file, shown("base.yaml"));
  EXPECT_EQ(d.where.line, line_of(minimal, "owner: acme"));
  EXPECT_EQ(d.key_path, "sites[east-1].owner");
  EXPECT_CONTAINS(d.message, "acme");
}

TEST_F(Extends, RemovingAnItemTheBaseLacksIsReportedInTheChild) {
  write("base.yaml", minimal);
  constexpr std::string_view text = "extends: base.yaml\nregions:\n  - {name: us-eats, remove: true}\n";
  const fs::path child = write("child.yaml", text);
  const Diagnostic d = only_problem(child);
  EXPECT_EQ(d.where.file, child.string());
  EXPECT_EQ(d.where.line, 3);
  EXPECT_EQ(d.where.column, column_of(text, "us-eats"));
  EXPECT_EQ(d.key_path, "regions[us-eats]");
  EXPECT_CONTAINS(d.message, "(did you mean 'us-east'?)");
}

TEST_F(Extends, ARepeatedKeyInTheChildIsReportedAsInASingleFile) {
  write("base.yaml", minimal);
  constexpr std::string_view text = "extends: base.yaml\nrun:\n  seed: 8\nrun:\n  seed: 9\n";
  const fs::path child = write("child.yaml", text);
  const Diagnostic d = only_problem(child);
  EXPECT_EQ(d.where.file, child.string());
  EXPECT_EQ(d.where.line, 4);
  EXPECT_EQ(d.key_path, "run");
  EXPECT_CONTAINS(d.message, "duplicate key 'run' (first given at line 2)");
}

TEST_F(Extends, ARepeatedExtendsIsReported) {
  write("base.yaml", minimal);
  write("other.yaml", minimal);
  const fs::path child = write("child.yaml", "extends: base.yaml\nname: child\nextends: other.yaml\n");
  const Diagnostic d = only_problem(child);
  EXPECT_EQ(d.where.file, child.string());
  EXPECT_EQ(d.where.line, 3);
  EXPECT_EQ(d.where.column, 1);
  EXPECT_EQ(d.key_path, "extends");
  EXPECT_CONTAINS(d.message, "duplicate key 'extends' (first given at line 1)");
}

TEST_F(Extends, ARepeatedNameInTheChildIsReportedAsInASingleFile) {
  write("base.yaml", minimal);
  constexpr std::string_view text =
      "extends: base.yaml\nagents:\n  - {name: acme, cash: $1B}\n  - {name: acme, cash: $2B}\n";
  const fs::path child = write("child.yaml", text);
  // (The repeated item is also read on its own, and lacks the keys the base gave the first.)
  const Diagnostic d = problem_with(problems(child), "duplicate name");
  EXPECT_EQ(d.where.file, child.string());
  EXPECT_EQ(d.where.line, 4);
  EXPECT_EQ(d.key_path, "agents[acme]");
  EXPECT_CONTAINS(d.message, "duplicate name 'acme' (first defined at line 3)");
}

TEST_F(Extends, AnItemRemovedAndDefinedAgainIsReplaced) {
  write("base.yaml", minimal);
  const fs::path child = write("child.yaml", R"(extends: base.yaml
regions:
  - {name: china-west, remove: true}
  - name: china-west
    bloc: china
    generation: 500 GW
    other_load: 300 GW
    power_price: $30/MWh
    interconnection_time: 2 years
)");
  const ScenarioSpec spec = load_scenario_file(child);
  EXPECT_EQ(names(spec.regions), (std::vector<std::string>{"us-east", "china-west"}));
  const RegionSpec& west = named(spec.regions, "china-west");
  EXPECT_DOUBLE_EQ(west.generation_mw.at(Quarter(2024, 1)), 500e3);
  EXPECT_DOUBLE_EQ(west.reserve_margin, 0.15) << "the default, not the base's";
  EXPECT_EQ(west.interconnection_quarters, 8);
}

// ---- overrides -----------------------------------------------------------------------------------

TEST_F(ExtendsOverrides, ApplyOnTopOfTheWholeChainAndAreRecorded) {
  write("base.yaml", minimal);
  const fs::path child = write("child.yaml", "extends: base.yaml\nrun: {seed: 8}\n");
  const std::vector<std::string> overrides = {"regions[us-east].interconnection_time=3 years",
                                              "agents.acme.cash=$60B",
                                              "run.seed=11",
                                              "agents[acme].strategy.momentum=0.9",
                                              "chips[0].markets=[us, row]",
                                              "agents[acme].fleet[0].count=40k",
                                              "description=from the command line"};
  const ScenarioSpec spec = load_scenario_file(child, overrides);
  EXPECT_EQ(spec.overrides, overrides);
  EXPECT_EQ(spec.run.seed, 11u) << "the override beats the child";
  EXPECT_EQ(named(spec.regions, "us-east").interconnection_quarters, 12);
  EXPECT_DOUBLE_EQ(spec.agents[0].cash_usd, 60e9);
  EXPECT_DOUBLE_EQ(spec.agents[0].strategy.momentum, 0.9);
  EXPECT_DOUBLE_EQ(spec.agents[0].strategy.target_share, 0.5);
  EXPECT_EQ(spec.chips[0].markets, (std::vector<std::string>{"us", "row"}));
  EXPECT_DOUBLE_EQ(spec.agents[0].fleet.at(0).count, 40e3);
  EXPECT_EQ(spec.agents[0].fleet.at(0).site, "east-1");
  EXPECT_EQ(spec.description, "from the command line");
  EXPECT_TRUE(contains(spec.resolved_yaml, "$60B")) << spec.resolved_yaml;
  EXPECT_EQ(spec.text, "extends: base.yaml\nrun: {seed: 8}\n");
}

TEST_F(ExtendsOverrides, ApplyInOrder) {
  const fs::path file = write("mini.yaml", minimal);
  const ScenarioSpec spec = load_scenario_file(file, {"run.seed=1", "run.seed=2"});
  EXPECT_EQ(spec.run.seed, 2u);
}

TEST_F(ExtendsOverrides, AFlowValueIsReadLikeTheSameValueInTheFile) {
  const fs::path file = write("mini.yaml", minimal);
  const ScenarioSpec spec = load_scenario_file(file, {"demand[0].growth={2024Q1: 100%, 2026Q1: 20%}"});
  EXPECT_DOUBLE_EQ(spec.demand[0].growth_per_year.at(Quarter(2024, 1)), 1.0);
  EXPECT_DOUBLE_EQ(spec.demand[0].growth_per_year.at(Quarter(2026, 1)), 0.2);

  const std::string bad = "demand[us].growth={2024Q1: 100%, 2026Q1: lots}";
  const Diagnostic d = only_problem(file, {bad});
  EXPECT_EQ(d.where.file, "--set " + bad);
  EXPECT_EQ(d.key_path, "demand[0].growth.2026Q1");
  EXPECT_CONTAINS(d.message, "lots");
}

TEST_F(ExtendsOverrides, NullRestoresTheDefault) {
  const fs::path file =
      write("mini.yaml", with("    generation: 185 GW\n", "    generation: 185 GW\n    reserve_margin: 30%\n"));
  EXPECT_DOUBLE_EQ(load_scenario_file(file).regions[0].reserve_margin, 0.30);
  EXPECT_DOUBLE_EQ(load_scenario_file(file, {"regions[us-east].reserve_margin=~"}).regions[0].reserve_margin, 0.15);
}

TEST_F(ExtendsOverrides, EveryBadOverrideIsReportedInOneError) {
  write("base.yaml", minimal);
  const fs::path child = write("child.yaml", "extends: base.yaml\n");
  const std::vector<std::string> overrides = {"run.seed",
                                              "agents[acmee].cash=$1B",
                                              "run.seed=12",  // good: applied, and nothing to report
                                              "regions.us-east.power_price=cheap",
                                              "nosuch.key=1",
                                              "run.start.year=2024"};
  std::vector<Diagnostic> ds;
  try {
    (void)load_scenario_file(child, overrides);
    FAIL() << "the bad overrides were accepted";
  } catch (const ScenarioError& e) {
    ds = e.diagnostics();
    for (const auto& o : {"run.seed", "agents[acmee]", "cheap", "nosuch", "run.start.year"}) {
      EXPECT_CONTAINS(std::string(e.what()), o);
    }
  }
  ASSERT_EQ(ds.size(), 5u) << listed(ds);
  for (const auto& d : ds) {
    EXPECT_EQ(d.severity, Diagnostic::Severity::error);
    EXPECT_EQ(d.where.file.rfind("--set ", 0), 0u) << d.str();
    EXPECT_EQ(d.where.line, 0) << d.str();
  }
  EXPECT_EQ(problem_with(ds, "expected key.path=value").where.file, "--set run.seed");
  const Diagnostic item = problem_with(ds, "no item named 'acmee'");
  EXPECT_EQ(item.where.file, "--set agents[acmee].cash=$1B");
  EXPECT_CONTAINS(item.message, "(did you mean 'acme'?)");
  const Diagnostic value = problem_with(ds, "cheap");
  EXPECT_EQ(value.where.file, "--set regions.us-east.power_price=cheap");
  EXPECT_EQ(value.key_path, "regions[us-east].power_price");
  const Diagnostic unknown = problem_with(ds, "unknown key 'nosuch'");
  EXPECT_EQ(unknown.where.file, "--set nosuch.key=1");
  EXPECT_EQ(unknown.key_path, "nosuch");
  const Diagnostic inside = problem_with(ds, "cannot set a key inside run.start");
  EXPECT_EQ(inside.where.file, "--set run.start.year=2024");
}

TEST_F(ExtendsOverrides, AnUnknownKeyMadeByAnOverrideIsReportedAtTheOverride) {
  const fs::path file = write("mini.yaml", minimal);
  const Diagnostic d = only_problem(file, {"run.sed=3"});
  EXPECT_EQ(d.where.file, "--set run.sed=3");
  EXPECT_EQ(d.key_path, "run.sed");
  EXPECT_CONTAINS(d.message, "unknown key 'sed' (did you mean 'seed'?)");

  const Diagnostic deep = only_problem(file, {"agents[acme].new_sight.capacity=1 MW"});
  EXPECT_EQ(deep.where.file, "--set agents[acme].new_sight.capacity=1 MW");
  EXPECT_CONTAINS(deep.message, "unknown key 'new_sight'");
}

TEST_F(ExtendsOverrides, AnOverrideCannotRescueABrokenBase) {
  // A base that cannot be read stops the load before the overrides: one problem, the base's.
  const fs::path child = write("child.yaml", "extends: missing.yaml\n");
  const Diagnostic d = only_problem(child, {"run.seed=1", "bad"});
  EXPECT_EQ(d.where.file, child.string());
  EXPECT_CONTAINS(d.message, "cannot read base scenario");
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

// A file that is not a scenario, reached through `extends:` (say a file of secrets), is refused
// whole: the message names its place and what was expected, never its keys or values.
TEST_F(Extends, AFileThatIsNoScenarioIsRefusedWithoutEchoingIt) {
  write("secrets.txt", "secretkey: secretvalue\npassword: hunter2\n");
  const fs::path top = write("top.yaml", "extends: secrets.txt\nname: x\n");
  try {
    (void)load_scenario_file(top.string());
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("none of this file's keys is a scenario's"), std::string::npos) << what;
    for (const char* secret : {"secretkey", "secretvalue", "password", "hunter2"}) {
      EXPECT_EQ(what.find(secret), std::string::npos) << secret << " echoed in: " << what;
    }
  }
}

TEST(ScenarioTopLevelKeys, AreTheSchemasTopLevelKeys) {
  std::vector<std::string> schema, listed;
  for (const auto& p : scenario_schema().front().params) schema.push_back(p.key);
  for (const auto k : detail::scenario_top_level_keys()) listed.emplace_back(k);
  std::sort(schema.begin(), schema.end());
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, schema);
}

}  // namespace
}  // namespace aidc
