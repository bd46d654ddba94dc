// Scenario composition on Trees: merging an override onto a base (`extends`) and applying one
// `--set key.path=value` assignment, checking the merge rules of compose.hpp, the errors, and
// that every value keeps the file and line it was written at.

#include "compose.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "scenario_test_support.hpp"
#include "yaml_reader.hpp"

namespace aidc::detail {
namespace {

// text parsed as a scenario-like document (a top-level mapping) whose nodes carry `file`.
Tree parse(std::string_view text, const std::string& file) {
  Diagnostics diags;
  YamlContext ctx(file, diags);
  return parse_scenario_yaml(text, ctx);
}

// The node at a dotted path of map keys ("agents" then an item by name is done by item()).
Tree at(const Tree& root, const std::string& dotted) {
  Tree node = root;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    const std::size_t dot = dotted.find('.', start);
    node = node.child(dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return node;
}

// The item of a list whose `key` is `id`, or an undefined node.
Tree item(const Tree& list, const std::string& id, const std::string& key = "name") {
  for (const auto& i : list.items()) {
    if (item_identity(i, key) == id) return i;
  }
  return Tree();
}

// The `key` of each item of a list, in order.
std::vector<std::string> ids(const Tree& list, const std::string& key = "name") {
  std::vector<std::string> out;
  for (const auto& i : list.items()) out.push_back(item_identity(i, key));
  return out;
}

// Two trees are equal when they print the same YAML (keys in the same order, same values).
std::string canonical(std::string_view text) {
  return parse(text, "expected.yaml").to_yaml();
}

using test::column_of;
using test::contains;
using test::line_of;

// The result of merging over.yaml onto base.yaml, and what the merge reported.
struct Merged {
  Tree tree;
  std::vector<Diagnostic> diagnostics;
};

Merged merge(std::string_view base, std::string_view over) {
  Diagnostics diags;
  YamlContext ctx("over.yaml", diags);
  Tree merged = merge_trees(parse(base, "base.yaml"), parse(over, "over.yaml"), ctx);
  return {merged, diags.all()};
}

// ---- mappings ------------------------------------------------------------------------------------

TEST(MergeTrees, MappingsMergeKeyByKeyWithBaseKeysFirst) {
  const Merged m = merge("a: 1\nb: {x: 1, y: 2}\nc: 3\n", "d: 4\nb: {y: 20, z: 30}\n");
  EXPECT_TRUE(m.diagnostics.empty());
  EXPECT_EQ(m.tree.to_yaml(), canonical("a: 1\nb: {x: 1, y: 20, z: 30}\nc: 3\nd: 4\n"));
}

TEST(MergeTrees, DeepMappingsMergeAtEveryLevel) {
  const Merged m = merge("run:\n  start: 2024Q1\n  deep: {a: {b: 1, c: 2}}\n", "run:\n  deep: {a: {c: 3}}\n");
  EXPECT_EQ(m.tree.to_yaml(), canonical("run:\n  start: 2024Q1\n  deep: {a: {b: 1, c: 3}}\n"));
}

// A series is one value: a what-if's points replace the base's, whatever their quarters (merged
// point by point they would interleave and be out of order).
TEST(MergeTrees, ASeriesIsReplacedWhole) {
  const Merged m = merge("growth: {2023Q1: 1, 2025Q1: 0.5, 2027Q1: 0.2}\nkeep: 1\n", "growth: {2024Q1: 0.3}\n");
  EXPECT_TRUE(m.diagnostics.empty());
  EXPECT_EQ(m.tree.to_yaml(), canonical("growth: {2024Q1: 0.3}\nkeep: 1\n"));
  // A constant replacing a series, and a series replacing a constant.
  EXPECT_EQ(merge("g: {2023Q1: 1, 2025Q1: 2}\n", "g: 5\n").tree.to_yaml(), canonical("g: 5\n"));
  EXPECT_EQ(merge("g: 5\n", "g: {2023Q1: 1}\n").tree.to_yaml(), canonical("g: {2023Q1: 1}\n"));
}

TEST(MergeTrees, TheOverridesScalarWins) {
  const Merged m = merge("name: base\nseed: 1\n", "seed: 2\n");
  EXPECT_EQ(at(m.tree, "seed").scalar(), "2");
  EXPECT_EQ(at(m.tree, "name").scalar(), "base");
}

TEST(MergeTrees, AValueOfAnotherKindReplacesTheBaseValue) {
  const Merged m = merge("a: 1\nb: {x: 1}\nc: [1, 2]\n", "a: {x: 1}\nb: 5\nc: {k: v}\n");
  EXPECT_EQ(m.tree.to_yaml(), canonical("a: {x: 1}\nb: 5\nc: {k: v}\n"));
}

TEST(MergeTrees, NullInTheOverrideDropsTheKey) {
  const Merged m = merge("a: 1\nb: 2\nc: 3\nd: 4\nkeep: {x: 1, y: 2}\n", "a: null\nb: ~\nc:\nkeep: {y: ~}\n");
  EXPECT_TRUE(m.diagnostics.empty());
  EXPECT_EQ(m.tree.to_yaml(), canonical("d: 4\nkeep: {x: 1}\n"));
  EXPECT_FALSE(at(m.tree, "a").is_defined());
  EXPECT_FALSE(at(m.tree, "b").is_defined());
  EXPECT_FALSE(at(m.tree, "c").is_defined());
}

TEST(MergeTrees, NullForAKeyTheBaseLacksAddsNothing) {
  const Merged m = merge("a: 1\n", "b: ~\n");
  EXPECT_EQ(m.tree.to_yaml(), canonical("a: 1\n"));
  EXPECT_EQ(m.tree.size(), 1u);
}

TEST(MergeTrees, TheInputsAreNotChanged) {
  const Tree base = parse("a: 1\nagents:\n  - {name: x, cash: 1}\n", "base.yaml");
  const Tree over = parse("a: 2\nagents:\n  - {name: x, cash: 2}\n  - {name: y, cash: 3}\n", "over.yaml");
  const std::string base_before = base.to_yaml();
  const std::string over_before = over.to_yaml();
  Diagnostics diags;
  YamlContext ctx("over.yaml", diags);
  (void)merge_trees(base, over, ctx);
  EXPECT_EQ(base.to_yaml(), base_before);
  EXPECT_EQ(over.to_yaml(), over_before);
}

// ---- named lists ----------------------------------------------------------------------------------

constexpr std::string_view agents_base = R"(agents:
  - name: alpha
    cash: $1B
    bloc: us
    strategy: {target_share: 10%, momentum: 0.5}
  - name: beta
    cash: $2B
    bloc: us
  - name: gamma
    cash: $3B
    bloc: china
)";

TEST(MergeTrees, NamedListsMergeItemByItemInTheBaseOrder) {
  const Merged m = merge(agents_base, R"(agents:
  - name: gamma
    cash: $30B
  - name: alpha
    strategy: {momentum: 0.9}
)");
  EXPECT_TRUE(m.diagnostics.empty());
  const Tree agents = at(m.tree, "agents");
  EXPECT_EQ(ids(agents), (std::vector<std::string>{"alpha", "beta", "gamma"}));
  const Tree alpha = item(agents, "alpha");
  EXPECT_EQ(at(alpha, "cash").scalar(), "$1B");
  EXPECT_EQ(at(alpha, "bloc").scalar(), "us");
  EXPECT_EQ(at(alpha, "strategy.target_share").scalar(), "10%") << "nested maps in items merge too";
  EXPECT_EQ(at(alpha, "strategy.momentum").scalar(), "0.9");
  EXPECT_EQ(at(item(agents, "gamma"), "cash").scalar(), "$30B");
  EXPECT_EQ(at(item(agents, "gamma"), "bloc").scalar(), "china");
  EXPECT_EQ(at(item(agents, "beta"), "cash").scalar(), "$2B");
}

TEST(MergeTrees, NewNamesAreAppended) {
  const Merged m = merge(agents_base,
                         "agents:\n  - {name: delta, cash: $4B}\n  - {name: beta, cash: $20B}\n"
                         "  - {name: epsilon, cash: $5B}\n");
  EXPECT_TRUE(m.diagnostics.empty());
  const Tree agents = at(m.tree, "agents");
  EXPECT_EQ(ids(agents), (std::vector<std::string>{"alpha", "beta", "gamma", "delta", "epsilon"}));
  EXPECT_EQ(at(item(agents, "delta"), "cash").scalar(), "$4B");
  EXPECT_EQ(at(item(agents, "beta"), "cash").scalar(), "$20B");
}

TEST(MergeTrees, RemoveTrueDeletesTheBaseItem) {
  const Merged m = merge(agents_base, "agents:\n  - {name: beta, remove: true}\n  - {name: alpha, remove: yes}\n");
  EXPECT_TRUE(m.diagnostics.empty());
  const Tree agents = at(m.tree, "agents");
  EXPECT_EQ(ids(agents), (std::vector<std::string>{"gamma"}));
  for (const auto& i : agents.items()) EXPECT_FALSE(i.child("remove").is_defined());
}

TEST(MergeTrees, RemoveFalseDoesNotDelete) {
  const Merged m = merge(agents_base, "agents:\n  - {name: beta, remove: false}\n");
  EXPECT_EQ(ids(at(m.tree, "agents")), (std::vector<std::string>{"alpha", "beta", "gamma"}));
}

TEST(MergeTrees, RemovingAnItemAddedByTheSameOverrideWorks) {
  const Merged m = merge(agents_base, "agents:\n  - {name: delta, cash: $4B}\n  - {name: delta, remove: true}\n");
  EXPECT_TRUE(m.diagnostics.empty());
  EXPECT_EQ(ids(at(m.tree, "agents")), (std::vector<std::string>{"alpha", "beta", "gamma"}));
}

TEST(MergeTrees, RemovingAMissingNameIsAnErrorWithASuggestion) {
  constexpr std::string_view over = "agents:\n  - {name: gama, remove: true}\n";
  const Merged m = merge(agents_base, over);
  ASSERT_EQ(m.diagnostics.size(), 1u);
  const Diagnostic& d = m.diagnostics.front();
  EXPECT_EQ(d.severity, Diagnostic::Severity::error);
  EXPECT_EQ(d.key_path, "agents[gama]");
  EXPECT_CONTAINS(d.message, "cannot remove 'gama'");
  EXPECT_CONTAINS(d.message, "(did you mean 'gamma'?)");
  // At the name in the override.
  EXPECT_EQ(d.where.file, "over.yaml");
  EXPECT_EQ(d.where.line, line_of(over, "gama"));
  EXPECT_EQ(d.where.column, column_of(over, "gama"));
  // The rest of the list is untouched.
  EXPECT_EQ(ids(at(m.tree, "agents")), (std::vector<std::string>{"alpha", "beta", "gamma"}));
}

TEST(MergeTrees, RemovingAFarOffNameListsTheKnownNames) {
  const Merged m = merge(agents_base, "agents:\n  - {name: zzzzzzzz, remove: true}\n");
  ASSERT_EQ(m.diagnostics.size(), 1u);
  EXPECT_CONTAINS(m.diagnostics.front().message, "known: alpha, beta, gamma");
}

TEST(MergeTrees, EveryBadRemovalIsReported) {
  const Merged m = merge(agents_base,
                         "agents:\n  - {name: x, remove: true}\n  - {name: beta, remove: true}\n"
                         "  - {name: y, remove: true}\n");
  ASSERT_EQ(m.diagnostics.size(), 2u);
  EXPECT_EQ(m.diagnostics[0].key_path, "agents[x]");
  EXPECT_EQ(m.diagnostics[1].key_path, "agents[y]");
  EXPECT_EQ(ids(at(m.tree, "agents")), (std::vector<std::string>{"alpha", "gamma"}));
}

TEST(MergeTrees, ErrorPathsNameTheNestedList) {
  const Merged m = merge("outer:\n  inner:\n    - {name: a}\n", "outer:\n  inner:\n    - {name: b, remove: true}\n");
  ASSERT_EQ(m.diagnostics.size(), 1u);
  EXPECT_EQ(m.diagnostics.front().key_path, "outer.inner[b]");
}

TEST(MergeTrees, ListsNamedByBlocMergeByBloc) {
  const Merged m = merge(R"(demand:
  - bloc: us
    base: 1M
    growth: 50%
  - bloc: china
    base: 250k
    growth: 30%
)",
                         "demand:\n  - {bloc: row, base: 100k}\n  - {bloc: china, growth: 40%}\n");
  EXPECT_TRUE(m.diagnostics.empty());
  const Tree demand = at(m.tree, "demand");
  EXPECT_EQ(ids(demand, "bloc"), (std::vector<std::string>{"us", "china", "row"}));
  EXPECT_EQ(at(item(demand, "china", "bloc"), "base").scalar(), "250k");
  EXPECT_EQ(at(item(demand, "china", "bloc"), "growth").scalar(), "40%");
  EXPECT_EQ(at(item(demand, "us", "bloc"), "growth").scalar(), "50%");
}

TEST(MergeTrees, BlocListsHonourRemove) {
  const Merged m = merge("demand:\n  - {bloc: us, base: 1M}\n  - {bloc: china, base: 1k}\n",
                         "demand:\n  - {bloc: us, remove: true}\n");
  EXPECT_EQ(ids(at(m.tree, "demand"), "bloc"), (std::vector<std::string>{"china"}));
}

TEST(MergeTrees, ItemsNamedByNameMatchByNameNotByTheirBloc) {
  // Regions have both a name and a bloc: the name is what identifies them.
  const Merged m = merge("regions:\n  - {name: us-east, bloc: us, power_price: $60/MWh}\n",
                         "regions:\n  - {name: us-west, bloc: us, power_price: $50/MWh}\n");
  const Tree regions = at(m.tree, "regions");
  EXPECT_EQ(ids(regions), (std::vector<std::string>{"us-east", "us-west"}));
  EXPECT_EQ(at(item(regions, "us-east"), "power_price").scalar(), "$60/MWh");
}

TEST(MergeTrees, UnnamedListsAreReplaced) {
  const Merged m = merge(R"(markets: [us, row]
fleet:
  - {chip: H100, count: 1k}
  - {chip: A100, count: 2k}
points: [{x: 1}, {x: 2}]
)",
                         "markets: [china]\nfleet:\n  - {chip: GB200, count: 5}\npoints: []\n");
  EXPECT_TRUE(m.diagnostics.empty());
  EXPECT_EQ(m.tree.to_yaml(), canonical("markets: [china]\nfleet:\n  - {chip: GB200, count: 5}\npoints: []\n"));
}

TEST(MergeTrees, AListWithAnUnnamedItemIsReplaced) {
  // One item without a name makes the override a plain list.
  const Merged m = merge(agents_base, "agents:\n  - {name: alpha, cash: $9B}\n  - {cash: $1B}\n");
  const Tree agents = at(m.tree, "agents");
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(ids(agents), (std::vector<std::string>{"alpha", ""}));
  EXPECT_FALSE(at(agents[0], "bloc").is_defined()) << "replaced, not merged";
}

TEST(MergeTrees, ListsInsideNamedItemsFollowTheRulesToo) {
  const Merged m = merge(R"(agents:
  - name: alpha
    vendors: [nvidia, amd]
    fleet:
      - {chip: H100, count: 1k}
)",
                         "agents:\n  - name: alpha\n    vendors: [google]\n");
  const Tree alpha = item(at(m.tree, "agents"), "alpha");
  ASSERT_EQ(at(alpha, "vendors").size(), 1u);
  EXPECT_EQ(at(alpha, "vendors")[0].scalar(), "google");
  EXPECT_EQ(at(alpha, "fleet").size(), 1u) << "kept from the base";
}

TEST(MergeTrees, AnItemRemovedAndGivenAgainIsDefinedAnew) {
  const Merged m = merge(agents_base, "agents:\n  - {name: beta, remove: true}\n  - {name: beta, cash: $9B}\n");
  EXPECT_TRUE(m.diagnostics.empty());
  const Tree agents = at(m.tree, "agents");
  EXPECT_EQ(ids(agents), (std::vector<std::string>{"alpha", "gamma", "beta"}));
  EXPECT_EQ(item(agents, "beta").to_yaml(), canonical("name: beta\ncash: $9B\n")) << "nothing kept from the base";
}

// ---- repeats in the override ---------------------------------------------------------------------
// A single file with a repeated key or name is an error; an override with one must stay one, so
// the repeat is kept in the merged tree for the reader to report.

TEST(MergeTrees, ARepeatedKeyInTheOverrideIsKeptForTheReaderToReport) {
  constexpr std::string_view over = "run: {seed: 2}\nrun: {seed: 3}\nextra: 1\nextra: 2\n";
  const Merged m = merge("run: {start: 2024Q1, seed: 1}\n", over);
  EXPECT_TRUE(m.diagnostics.empty());
  std::vector<std::string> keys;
  for (const auto& [key, value] : m.tree.entries()) keys.push_back(key.scalar());
  EXPECT_EQ(keys, (std::vector<std::string>{"run", "run", "extra", "extra"}));
  // The first merges with the base; the repeat stays as written.
  EXPECT_EQ(m.tree.entries()[0].second.to_yaml(), canonical("start: 2024Q1\nseed: 2\n"));
  EXPECT_EQ(m.tree.entries()[1].second.to_yaml(), canonical("seed: 3\n"));
  // The merged key is the override's, so "first given at line …" points into the override.
  EXPECT_EQ(m.tree.entries()[0].first.where().file, "over.yaml");
  EXPECT_EQ(m.tree.entries()[0].first.where().line, 1);
  EXPECT_EQ(m.tree.entries()[1].first.where().line, 2);
}

TEST(MergeTrees, ARepeatedKeyInTheBaseStaysInTheBase) {
  constexpr std::string_view base = "run: {seed: 1}\nname: x\nrun: {seed: 2}\n";
  const Merged m = merge(base, "run: {seed: 3}\n");
  ASSERT_EQ(m.tree.size(), 3u);
  EXPECT_EQ(m.tree.entries()[0].second.to_yaml(), canonical("seed: 3\n"));
  EXPECT_EQ(m.tree.entries()[2].first.where().file, "base.yaml") << "reported where the base repeats it";
  EXPECT_EQ(m.tree.entries()[2].first.where().line, 3);
  EXPECT_EQ(m.tree.entries()[2].second.to_yaml(), canonical("seed: 2\n"));
}

TEST(MergeTrees, ARepeatedNullKeyIsKeptToo) {
  const Merged m = merge("a: 1\n", "a: 2\na: ~\n");
  ASSERT_EQ(m.tree.size(), 2u);
  EXPECT_EQ(m.tree.entries()[0].second.scalar(), "2");
  EXPECT_TRUE(m.tree.entries()[1].second.is_null());
}

TEST(MergeTrees, ARepeatedNameInTheOverrideIsKeptForTheReaderToReport) {
  constexpr std::string_view over =
      "agents:\n  - {name: beta, cash: $5B}\n  - {name: beta, cash: $6B}\n"
      "  - {name: delta}\n  - {name: delta}\n";
  const Merged m = merge(agents_base, over);
  EXPECT_TRUE(m.diagnostics.empty());
  const Tree agents = at(m.tree, "agents");
  EXPECT_EQ(ids(agents), (std::vector<std::string>{"alpha", "beta", "gamma", "beta", "delta", "delta"}));
  EXPECT_EQ(at(agents[1], "cash").scalar(), "$5B");
  EXPECT_EQ(at(agents[1], "bloc").scalar(), "us");
  EXPECT_EQ(agents[3].to_yaml(), canonical("name: beta\ncash: $6B\n"));
  // The merged item's name is the override's: the repeat is reported against its line.
  EXPECT_EQ(agents[1].child("name").where().file, "over.yaml");
  EXPECT_EQ(agents[1].child("name").where().line, 2);
}

// ---- provenance ----------------------------------------------------------------------------------

TEST(MergeTrees, EveryValueKeepsTheFileAndLineItWasWrittenAt) {
  constexpr std::string_view base = R"(name: base
run:
  start: 2024Q1
  seed: 1
agents:
  - name: alpha
    cash: $1B
    bloc: us
  - name: beta
    cash: $2B
)";
  constexpr std::string_view over = R"(# a what-if
run:
  seed: 99
agents:
  - name: alpha
    cash: $5B
  - name: gamma
    cash: $3B
)";
  const Merged m = merge(base, over);
  ASSERT_TRUE(m.diagnostics.empty());

  const auto expect_at = [](const Tree& node, const std::string& file, std::string_view text, std::string_view needle) {
    EXPECT_EQ(node.where().file, file) << needle;
    EXPECT_EQ(node.where().line, line_of(text, needle)) << needle;
    EXPECT_EQ(node.where().column, column_of(text, needle)) << needle;
  };
  expect_at(at(m.tree, "name"), "base.yaml", base, "base");
  expect_at(at(m.tree, "run.start"), "base.yaml", base, "2024Q1");
  expect_at(at(m.tree, "run.seed"), "over.yaml", over, "99");
  const Tree agents = at(m.tree, "agents");
  expect_at(at(item(agents, "alpha"), "bloc"), "base.yaml", base, "us");
  expect_at(at(item(agents, "alpha"), "cash"), "over.yaml", over, "$5B");
  expect_at(at(item(agents, "beta"), "cash"), "base.yaml", base, "$2B");
  expect_at(at(item(agents, "gamma"), "cash"), "over.yaml", over, "$3B");

  // The keys too: a key the base wrote stays in the base.
  for (const auto& [key, value] : m.tree.entries()) {
    if (key.scalar() == "name") {
      EXPECT_EQ(key.where().file, "base.yaml");
      EXPECT_EQ(key.where().line, 1);
    }
  }
}

// ---- to_yaml --------------------------------------------------------------------------------------

TEST(ComposeToYaml, ScalarsReadBackAsTheSameText) {
  // The resolved scenario is printed with to_yaml and must read back as the same values.
  const std::vector<std::string> texts = {
      "null",        "~",        "",       "true", "a: b",   "- x",  "#c",  " lead",  "trail ",
      "multi\nline", "'quoted'", "\"dq\"", "[x]",  "{k: v}", "$50k", "50%", "2024Q1", "0x10",
      "*alias",      "&anchor",  "!tag",   "|",    ">",      "@",    "`",   "k:",     "ü ✓ → 日本"};
  std::vector<Tree> items;
  for (const auto& t : texts) items.push_back(Tree::scalar(t, {}));
  std::vector<Tree::Entry> entries;
  entries.emplace_back(Tree::scalar("list", {}), Tree::sequence(items, {}));
  for (std::size_t i = 0; i < texts.size(); ++i) entries.emplace_back(Tree::scalar(texts[i] + "key", {}), items[i]);
  const Tree tree = Tree::map(entries, {});
  const std::string yaml = tree.to_yaml();
  const Tree back = parse(yaml, "back.yaml");
  const Tree list = back.child("list");
  ASSERT_EQ(list.size(), texts.size()) << yaml;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_TRUE(list[i].is_scalar()) << "'" << texts[i] << "' in:\n" << yaml;
    EXPECT_EQ(list[i].scalar(), texts[i]) << yaml;
    EXPECT_EQ(back.child(texts[i] + "key").scalar(), texts[i]) << yaml;
  }
  EXPECT_EQ(back.to_yaml(), yaml);
}

TEST(ComposeToYaml, NullAndNestingReadBack) {
  const Tree t = parse("a: ~\nb: []\nc: {}\nd: [[1, 2], {x: [3]}]\ne: {f: {g: ~}}\n", "t.yaml");
  const Tree back = parse(t.to_yaml(), "back.yaml");
  EXPECT_EQ(back.to_yaml(), t.to_yaml());
  EXPECT_TRUE(back.child("a").is_null());
  EXPECT_TRUE(back.child("b").is_sequence());
  EXPECT_EQ(back.child("b").size(), 0u);
  EXPECT_TRUE(back.child("c").is_map());
  EXPECT_EQ(at(back, "d")[1].child("x")[0].scalar(), "3");
  EXPECT_TRUE(at(back, "e.f.g").is_null());
}

// ---- item_identity -------------------------------------------------------------------------------

TEST(ComposeItemIdentity, IsTheScalarUnderTheKeyOfAMapping) {
  const Tree t = parse("list:\n  - {name: a, bloc: us}\n  - {name: [x]}\n  - plain\n", "t.yaml");
  const Tree list = at(t, "list");
  EXPECT_EQ(item_identity(list[0], "name"), "a");
  EXPECT_EQ(item_identity(list[0], "bloc"), "us");
  EXPECT_EQ(item_identity(list[1], "name"), "");
  EXPECT_EQ(item_identity(list[2], "name"), "");
}

// ---- apply_assignment ----------------------------------------------------------------------------

constexpr std::string_view scenario = R"(name: mini
run:
  start: 2024Q1
  seed: 7
agents:
  - name: acme
    bloc: us
    cash: $50B
    strategy: {target_share: 50%}
  - name: meta
    bloc: us
    cash: $10B
    vendors: [nvidia]
demand:
  - bloc: us
    growth: 50%
  - bloc: china
    growth: 30%
)";

// The outcome of one assignment on `scenario`.
struct Assigned {
  Tree before;
  Tree after;
  std::vector<Diagnostic> diagnostics;
};

Assigned assign(const std::string& assignment, std::string_view text = scenario) {
  Diagnostics diags;
  YamlContext ctx("mini.yaml", diags);
  const Tree before = parse(text, "mini.yaml");
  const Tree after = apply_assignment(before, assignment, ctx);
  return {before, after, diags.all()};
}

// An assignment that must fail: exactly one error, at the --set, and the tree left unchanged.
Diagnostic assign_error(const std::string& assignment) {
  const Assigned a = assign(assignment);
  EXPECT_EQ(a.after.to_yaml(), a.before.to_yaml()) << "a failed assignment must leave the tree unchanged";
  if (a.diagnostics.size() != 1) {
    std::string all;
    for (const auto& d : a.diagnostics) all += "\n  " + d.str();
    ADD_FAILURE() << "expected exactly one problem for '" << assignment << "', got " << a.diagnostics.size() << ":"
                  << all;
    return {};
  }
  const Diagnostic& d = a.diagnostics.front();
  EXPECT_EQ(d.severity, Diagnostic::Severity::error);
  EXPECT_EQ(d.where.file, "--set " + assignment);
  EXPECT_EQ(d.where.line, 0);
  return d;
}

TEST(ApplyAssignment, SetsAValueInNestedMappings) {
  const Assigned a = assign("run.seed=9");
  EXPECT_TRUE(a.diagnostics.empty());
  EXPECT_EQ(at(a.after, "run.seed").scalar(), "9");
  EXPECT_EQ(at(a.after, "run.start").scalar(), "2024Q1");
  EXPECT_EQ(at(a.before, "run.seed").scalar(), "7") << "the input is not changed";
  // Only that value changed.
  std::string expected(scenario);
  expected.replace(expected.find("seed: 7"), 7, "seed: 9");
  EXPECT_EQ(a.after.to_yaml(), canonical(expected));
}

TEST(ApplyAssignment, SetsATopLevelValue) {
  const Assigned a = assign("name=other");
  EXPECT_TRUE(a.diagnostics.empty());
  EXPECT_EQ(at(a.after, "name").scalar(), "other");
}

TEST(ApplyAssignment, TheValueIsEverythingAfterTheFirstEquals) {
  const Assigned a = assign("name=a=b c");
  EXPECT_EQ(at(a.after, "name").scalar(), "a=b c");
}

TEST(ApplyAssignment, CreatesAMissingKey) {
  const Assigned a = assign("run.note=hello");
  EXPECT_TRUE(a.diagnostics.empty());
  EXPECT_EQ(at(a.after, "run.note").scalar(), "hello");
  EXPECT_EQ(at(a.after, "run.seed").scalar(), "7");
  const Tree run = at(a.after, "run");
  ASSERT_EQ(run.size(), 3u);
  EXPECT_EQ(run.entries().back().first.scalar(), "note") << "a new key goes last";
}

TEST(ApplyAssignment, CreatesMissingMappingsAlongThePath) {
  const Assigned a = assign("agents[acme].new_site.capacity=300 MW");
  EXPECT_TRUE(a.diagnostics.empty());
  EXPECT_EQ(at(item(at(a.after, "agents"), "acme"), "new_site.capacity").scalar(), "300 MW");

  const Assigned b = assign("extra.deep.key=1");
  EXPECT_TRUE(b.diagnostics.empty());
  EXPECT_TRUE(at(b.after, "extra").is_map());
  EXPECT_EQ(at(b.after, "extra.deep.key").scalar(), "1");
}

TEST(ApplyAssignment, KeysItCreatesAreAtTheAssignment) {
  // So that an unknown key made by a --set is reported at the --set.
  const Assigned a = assign("extra.deep.key=1");
  for (const auto& [key, value] : a.after.entries()) {
    if (key.scalar() != "extra") continue;
    EXPECT_EQ(key.where().file, "--set extra.deep.key=1");
    EXPECT_EQ(value.where().file, "--set extra.deep.key=1");
    ASSERT_EQ(value.size(), 1u);
    EXPECT_EQ(value.entries().front().first.where().file, "--set extra.deep.key=1");
  }
  const Assigned b = assign("run.note=x");
  const Tree run = at(b.after, "run");
  EXPECT_EQ(run.entries().back().first.where().file, "--set run.note=x");
  EXPECT_EQ(run.where().file, "mini.yaml") << "the mapping that was there stays where it was";
}

TEST(ApplyAssignment, SelectsAListItemByNameInBrackets) {
  const Assigned a = assign("agents[meta].cash=$20B");
  EXPECT_TRUE(a.diagnostics.empty());
  const Tree agents = at(a.after, "agents");
  EXPECT_EQ(at(item(agents, "meta"), "cash").scalar(), "$20B");
  EXPECT_EQ(at(item(agents, "acme"), "cash").scalar(), "$50B");
  EXPECT_EQ(ids(agents), (std::vector<std::string>{"acme", "meta"}));
}

TEST(ApplyAssignment, SelectsAListItemByNameAsAPathSegment) {
  const Assigned a = assign("agents.meta.cash=$20B");
  EXPECT_TRUE(a.diagnostics.empty());
  EXPECT_EQ(at(item(at(a.after, "agents"), "meta"), "cash").scalar(), "$20B");
  EXPECT_EQ(at(item(at(a.after, "agents"), "acme"), "cash").scalar(), "$50B");

  const Assigned b = assign("agents.acme.strategy.momentum=0.8");
  EXPECT_TRUE(b.diagnostics.empty());
  const Tree acme = item(at(b.after, "agents"), "acme");
  EXPECT_EQ(at(acme, "strategy.momentum").scalar(), "0.8");
  EXPECT_EQ(at(acme, "strategy.target_share").scalar(), "50%");
}

TEST(ApplyAssignment, SelectsAListItemByIndex) {
  const Assigned a = assign("demand[1].growth=10%");
  EXPECT_TRUE(a.diagnostics.empty());
  const Tree demand = at(a.after, "demand");
  EXPECT_EQ(at(item(demand, "china", "bloc"), "growth").scalar(), "10%");
  EXPECT_EQ(at(item(demand, "us", "bloc"), "growth").scalar(), "50%");

  const Assigned b = assign("agents.1.cash=$1B");
  EXPECT_TRUE(b.diagnostics.empty());
  EXPECT_EQ(at(item(at(b.after, "agents"), "meta"), "cash").scalar(), "$1B");
}

TEST(ApplyAssignment, SelectsADemandEntryByItsBloc) {
  const Assigned a = assign("demand[china].growth=10%");
  EXPECT_TRUE(a.diagnostics.empty());
  EXPECT_EQ(at(item(at(a.after, "demand"), "china", "bloc"), "growth").scalar(), "10%");
}

TEST(ApplyAssignment, NamedItemsAreNotSelectedByTheirBloc) {
  // `agents[us]` must not quietly pick the first agent of bloc us.
  const Diagnostic d = assign_error("agents[us].cash=$1B");
  EXPECT_EQ(d.key_path, "agents");
  EXPECT_CONTAINS(d.message, "no item named 'us'");
  EXPECT_FALSE(contains(d.message, "'us'?")) << d.message;
}

TEST(ApplyAssignment, ReplacesAWholeItem) {
  const Assigned a = assign("demand[0]={bloc: us, growth: 5%}");
  EXPECT_TRUE(a.diagnostics.empty());
  EXPECT_EQ(at(a.after, "demand")[0].to_yaml(), canonical("bloc: us\ngrowth: 5%\n"));
}

TEST(ApplyAssignment, AFlowListValueIsParsedAsYaml) {
  const Assigned a = assign("agents[meta].vendors=[nvidia, amd]");
  EXPECT_TRUE(a.diagnostics.empty());
  const Tree vendors = at(item(at(a.after, "agents"), "meta"), "vendors");
  ASSERT_TRUE(vendors.is_sequence());
  ASSERT_EQ(vendors.size(), 2u);
  EXPECT_EQ(vendors[0].scalar(), "nvidia");
  EXPECT_EQ(vendors[1].scalar(), "amd");
  EXPECT_EQ(vendors[0].where().file, "--set agents[meta].vendors=[nvidia, amd]");
}

TEST(ApplyAssignment, AFlowMappingValueIsParsedAsYaml) {
  const Assigned a = assign("agents.acme.strategy={target_share: 20%, momentum: 0.1}");
  EXPECT_TRUE(a.diagnostics.empty());
  const Tree strategy = at(item(at(a.after, "agents"), "acme"), "strategy");
  ASSERT_TRUE(strategy.is_map());
  EXPECT_EQ(strategy.size(), 2u);
  EXPECT_EQ(at(strategy, "target_share").scalar(), "20%");
  EXPECT_EQ(at(strategy, "momentum").scalar(), "0.1");
}

TEST(ApplyAssignment, OtherValuesAreTakenAsText) {
  const Assigned a = assign("name=nvidia, amd: x");
  EXPECT_TRUE(a.diagnostics.empty());
  EXPECT_TRUE(at(a.after, "name").is_scalar());
  EXPECT_EQ(at(a.after, "name").scalar(), "nvidia, amd: x");
  EXPECT_EQ(at(a.after, "name").where().file, "--set name=nvidia, amd: x");
  EXPECT_EQ(at(a.after, "name").where().line, 0);

  const Assigned empty = assign("name=");
  EXPECT_TRUE(empty.diagnostics.empty());
  EXPECT_TRUE(at(empty.after, "name").is_scalar());
  EXPECT_EQ(at(empty.after, "name").scalar(), "");
}

TEST(ApplyAssignment, TildeOrNullGivesNull) {
  for (const std::string value : {"~", "null"}) {
    const Assigned a = assign("run.seed=" + value);
    EXPECT_TRUE(a.diagnostics.empty());
    EXPECT_TRUE(at(a.after, "run.seed").is_null()) << value;
  }
}

TEST(ApplyAssignment, TheOtherValuesKeepTheirPlaces) {
  const Assigned a = assign("agents[meta].cash=$20B");
  const Tree meta = item(at(a.after, "agents"), "meta");
  EXPECT_EQ(at(meta, "cash").where().file, "--set agents[meta].cash=$20B");
  EXPECT_EQ(at(meta, "bloc").where().file, "mini.yaml");
  EXPECT_EQ(at(meta, "bloc").where().line, 11);
  EXPECT_EQ(at(a.after, "run.seed").where().line, 4);
}

TEST(ApplyAssignment, AssignmentsApplyInOrder) {
  Diagnostics diags;
  YamlContext ctx("mini.yaml", diags);
  Tree t = parse(scenario, "mini.yaml");
  t = apply_assignment(t, "run.seed=1", ctx);
  t = apply_assignment(t, "run.seed=2", ctx);
  t = apply_assignment(t, "agents[meta].cash=~", ctx);
  EXPECT_TRUE(diags.all().empty());
  EXPECT_EQ(at(t, "run.seed").scalar(), "2");
  EXPECT_TRUE(at(item(at(t, "agents"), "meta"), "cash").is_null());
}

// ---- apply_assignment errors ---------------------------------------------------------------------

TEST(ApplyAssignment, WithoutEqualsIsAnError) {
  const Diagnostic d = assign_error("run.seed");
  EXPECT_EQ(d.key_path, "");
  EXPECT_CONTAINS(d.message, "expected key.path=value");
}

TEST(ApplyAssignment, AnEmptyPathIsAnError) {
  EXPECT_CONTAINS(assign_error("=5").message, "expected key.path=value");
}

TEST(ApplyAssignment, MalformedPathsAreErrors) {
  for (const std::string path : {"run..seed", ".run", "run.", "agents[]", "agents[meta", "agents[meta]x",
                                 "agents[meta][0]", "agents[meta]..cash"}) {
    SCOPED_TRACE(path);
    EXPECT_CONTAINS(assign_error(path + "=1").message, "expected key.path=value");
  }
}

TEST(ApplyAssignment, AnUnknownItemIsAnErrorWithASuggestion) {
  const Diagnostic d = assign_error("agents[zzzzzzzz].cash=1");
  EXPECT_CONTAINS(d.message, "no item named");
  EXPECT_CONTAINS(d.message, "known: acme, meta");

  const Diagnostic near = assign_error("agents[metta].cash=1");
  EXPECT_EQ(near.key_path, "agents");
  EXPECT_CONTAINS(near.message, "no item named 'metta' (did you mean 'meta'?)");

  const Diagnostic dotted = assign_error("agents.acm.cash=1");
  EXPECT_CONTAINS(dotted.message, "no item named 'acm' (did you mean 'acme'?)");
}

TEST(ApplyAssignment, AnIndexPastTheEndIsAnError) {
  const Diagnostic d = assign_error("demand[2].growth=1%");
  EXPECT_EQ(d.key_path, "demand");
  EXPECT_CONTAINS(d.message, "no item named '2'");
}

TEST(ApplyAssignment, SelectingAnItemOfSomethingThatIsNotAListIsAnError) {
  const Diagnostic d = assign_error("run[0].seed=1");
  EXPECT_EQ(d.key_path, "run");
  EXPECT_CONTAINS(d.message, "is not a list");
}

TEST(ApplyAssignment, SettingAKeyInsideASingleValueIsAnError) {
  const Diagnostic d = assign_error("run.seed.low=1");
  EXPECT_EQ(d.key_path, "run.seed.low");
  EXPECT_CONTAINS(d.message, "cannot set a key inside run.seed");

  const Diagnostic in_item = assign_error("agents[meta].cash.amount=1");
  EXPECT_EQ(in_item.key_path, "agents[meta].cash.amount");
  EXPECT_CONTAINS(in_item.message, "cannot set a key inside agents[meta].cash");
}

TEST(ApplyAssignment, SettingAKeyInsideAPlainListIsAnError) {
  const Diagnostic d = assign_error("agents[meta].vendors[0].x=1");
  EXPECT_CONTAINS(d.message, "cannot set a key inside");
}

TEST(ApplyAssignment, AnInvalidFlowValueIsAnError) {
  const Diagnostic d = assign_error("agents[meta].vendors=[nvidia, amd");
  EXPECT_CONTAINS(d.message, "is not a valid YAML list or mapping");
}

TEST(ApplyAssignment, AFailedAssignmentLeavesTheTreeUnchangedEvenAfterPartWasApplied) {
  // The first part of the path exists and is walked before the failure.
  Diagnostics diags;
  YamlContext ctx("mini.yaml", diags);
  const Tree before = parse(scenario, "mini.yaml");
  const Tree after = apply_assignment(before, "agents[meta].cash.x=1", ctx);
  EXPECT_EQ(after.to_yaml(), before.to_yaml());
  EXPECT_EQ(diags.all().size(), 1u);
}

// ---- selectors, appending, replacing whole lists ------------------------------------------------

TEST(ApplyAssignment, ASelectorSetsEveryItemItPicks) {
  const Assigned every = assign("agents[*].cash=$1B");
  EXPECT_TRUE(every.diagnostics.empty());
  EXPECT_EQ(at(item(at(every.after, "agents"), "acme"), "cash").scalar(), "$1B");
  EXPECT_EQ(at(item(at(every.after, "agents"), "meta"), "cash").scalar(), "$1B");

  const Assigned china = assign("demand[bloc=china].growth=5%");
  EXPECT_TRUE(china.diagnostics.empty());
  EXPECT_EQ(at(item(at(china.after, "demand"), "china", "bloc"), "growth").scalar(), "5%");
  EXPECT_EQ(at(item(at(china.after, "demand"), "us", "bloc"), "growth").scalar(), "50%");
}

TEST(ApplyAssignment, ASelectorThatPicksNothingListsWhatThereIs) {
  const Diagnostic value = assign_error("agents[bloc=chna].cash=1");
  EXPECT_EQ(value.key_path, "agents");
  EXPECT_CONTAINS(value.message, "no item whose bloc is 'chna'; bloc takes: us");
  const Diagnostic field = assign_error("agents[blok=us].cash=1");
  EXPECT_CONTAINS(field.message, "no item with a 'blok' (did you mean 'bloc'?); its items have: bloc, cash, name, "
                                 "strategy, vendors");
  const Assigned empty = assign("agents[*].cash=1", "name: x\nagents: []\n");
  ASSERT_EQ(empty.diagnostics.size(), 1u);
  EXPECT_CONTAINS(empty.diagnostics[0].message, "no item: the list is empty, so [*] selects nothing");
}

TEST(ApplyAssignment, PlusEqualsAppendsAnItem) {
  const Assigned a = assign("agents+={name: newco, bloc: us, cash: $1B}");
  EXPECT_TRUE(a.diagnostics.empty());
  EXPECT_EQ(ids(at(a.after, "agents")), (std::vector<std::string>{"acme", "meta", "newco"}));
  EXPECT_EQ(at(item(at(a.after, "agents"), "newco"), "cash").scalar(), "$1B");
  const Assigned created = assign("events+={name: hike, kind: base_rate, at: 2027Q1, rate: 6%}");
  EXPECT_EQ(ids(at(created.after, "events")), std::vector<std::string>{"hike"});
  EXPECT_CONTAINS(assign_error("run+={a: 1}").message, "is not a list; `+=` appends an item to a list");
}

TEST(ApplyAssignment, ReplacingAWholeListOrSeriesIsAWarning) {
  const Assigned list = assign("agents=[{name: solo, bloc: us}]");
  ASSERT_EQ(list.diagnostics.size(), 1u);
  EXPECT_EQ(list.diagnostics[0].severity, Diagnostic::Severity::warning);
  EXPECT_EQ(list.diagnostics[0].key_path, "agents");
  EXPECT_CONTAINS(list.diagnostics[0].message, "replaces the whole list (2 items)");
  EXPECT_EQ(ids(at(list.after, "agents")), std::vector<std::string>{"solo"});

  const Assigned series = assign("run.seed=1", "name: x\nrun: {seed: {2024Q1: 1, 2025Q1: 2}}\n");
  ASSERT_EQ(series.diagnostics.size(), 1u);
  EXPECT_CONTAINS(series.diagnostics[0].message, "replaces the whole time series (2 points)");
  EXPECT_TRUE(assign("agents[meta].cash=$2B").diagnostics.empty()) << "one value: no warning";
  EXPECT_TRUE(assign("agents[meta].vendors=[nvidia, amd]").diagnostics.empty()) << "a list of names: no warning";
}

TEST(ResolveKeyPath, ASelectorResolvesToEveryItemItPicksInOrder) {
  const Tree root = parse(scenario, "mini.yaml");
  std::string problem;
  const auto every = resolve_key_path(root, *parse_key_path("agents[*].cash"), problem);
  ASSERT_TRUE(every);
  ASSERT_EQ(every->size(), 2u);
  EXPECT_EQ((*every)[0][0].item, "acme");
  EXPECT_EQ((*every)[1][0].item, "meta");
  EXPECT_EQ((*every)[1][1].key, "cash");
  const auto china = resolve_key_path(root, *parse_key_path("demand[bloc=china].growth"), problem);
  ASSERT_TRUE(china);
  ASSERT_EQ(china->size(), 1u);
  EXPECT_EQ((*china)[0][0].item_key, "bloc");
  EXPECT_EQ((*china)[0][0].item, "china");
  EXPECT_FALSE(resolve_key_path(root, *parse_key_path("agents[bloc=eu].cash"), problem));
  EXPECT_EQ(problem, "agents has no item whose bloc is 'eu'; bloc takes: us");
}

}  // namespace
}  // namespace aidc::detail
