// Diagnostic formatting, the collector, suggestions for unknown names, and ScenarioError.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aidc/text/diagnostic.hpp"

namespace aidc {
namespace {

Diagnostic make(Diagnostic::Severity severity, SourceLocation where, std::string path, std::string message) {
  Diagnostic d;
  d.severity = severity;
  d.where = std::move(where);
  d.key_path = std::move(path);
  d.message = std::move(message);
  return d;
}

// ---- str() -------------------------------------------------------------------------------------

TEST(DiagnosticStr, FileLineColumnKeyPathMessage) {
  const Diagnostic d = make(Diagnostic::Severity::error, {"scen.yaml", 12, 7}, "sites[east-1].region",
                            "unknown region 'us-esat' (did you mean 'us-east'?)");
  EXPECT_EQ(d.str(), "scen.yaml:12:7: sites[east-1].region: unknown region 'us-esat' (did you mean 'us-east'?)");
}

TEST(DiagnosticStr, WithoutALineThereIsNoLineOrColumn) {
  const Diagnostic d = make(Diagnostic::Severity::error, {"missing.yaml", 0, 0}, "", "no such file");
  EXPECT_EQ(d.str(), "missing.yaml: no such file");
}

TEST(DiagnosticStr, EmptyKeyPathIsLeftOut) {
  const Diagnostic d = make(Diagnostic::Severity::error, {"a.yaml", 3, 1}, "", "invalid YAML: x");
  EXPECT_EQ(d.str(), "a.yaml:3:1: invalid YAML: x");
}

TEST(DiagnosticStr, WarningsArePrefixed) {
  const Diagnostic d =
      make(Diagnostic::Severity::warning, {"a.yaml", 40, 9}, "agents[x].new_site.rack_density", "too sparse");
  EXPECT_EQ(d.str(), "a.yaml:40:9: warning: agents[x].new_site.rack_density: too sparse");
  const Diagnostic no_line = make(Diagnostic::Severity::warning, {"a.yaml", 0, 0}, "agents", "overbuild");
  EXPECT_EQ(no_line.str(), "a.yaml: warning: agents: overbuild");
}

TEST(DiagnosticStr, DefaultsToAnError) {
  Diagnostic d;
  EXPECT_EQ(d.severity, Diagnostic::Severity::error);
  d.where.file = "f.yaml";
  d.message = "m";
  EXPECT_EQ(d.str(), "f.yaml: m");
}

// ---- Diagnostics -------------------------------------------------------------------------------

TEST(Diagnostics, CollectsErrorsAndWarningsInOrder) {
  Diagnostics diags;
  EXPECT_FALSE(diags.has_errors());
  EXPECT_TRUE(diags.all().empty());

  diags.warning({"f", 5, 1}, "w1", "first warning");
  EXPECT_FALSE(diags.has_errors()) << "a warning is not an error";
  diags.error({"f", 2, 3}, "e1", "first error");
  diags.warning({"f", 9, 1}, "w2", "second warning");
  EXPECT_TRUE(diags.has_errors());

  ASSERT_EQ(diags.all().size(), 3u);
  EXPECT_EQ(diags.all()[0].key_path, "w1");
  EXPECT_EQ(diags.all()[1].key_path, "e1");
  EXPECT_EQ(diags.all()[1].severity, Diagnostic::Severity::error);
  EXPECT_EQ(diags.all()[1].where.line, 2);
  EXPECT_EQ(diags.all()[1].where.column, 3);

  const std::vector<Diagnostic> warnings = diags.warnings();
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].message, "first warning");
  EXPECT_EQ(warnings[1].message, "second warning");
  for (const auto& w : warnings) EXPECT_EQ(w.severity, Diagnostic::Severity::warning);
}

// ---- suggest() ---------------------------------------------------------------------------------

const std::vector<std::string> regions = {"us-texas", "us-east", "china-west"};

TEST(Suggest, ACloseMatchIsSuggested) {
  EXPECT_EQ(suggest("us-esat", regions), "(did you mean 'us-east'?)");  // transposition
  EXPECT_EQ(suggest("us-eas", regions), "(did you mean 'us-east'?)");   // deletion
  EXPECT_EQ(suggest("us-easts", regions), "(did you mean 'us-east'?)"); // insertion
  EXPECT_EQ(suggest("us-texsa", regions), "(did you mean 'us-texas'?)");
  EXPECT_EQ(suggest("china_west", regions), "(did you mean 'china-west'?)");
}

TEST(Suggest, CaseIsIgnoredWhenMatching) {
  EXPECT_EQ(suggest("US-EAST", regions), "(did you mean 'us-east'?)");
  EXPECT_EQ(suggest("h100", {"A100", "H100", "GB200"}), "(did you mean 'H100'?)");
}

TEST(Suggest, TheClosestOfSeveralCandidatesWins) {
  EXPECT_EQ(suggest("lead_tme", {"name", "capacity", "lead_time"}), "(did you mean 'lead_time'?)");
  EXPECT_EQ(suggest("rack_powr", {"power", "rack_power", "price"}), "(did you mean 'rack_power'?)");
}

TEST(Suggest, NoCloseMatchListsTheKnownNamesSorted) {
  EXPECT_EQ(suggest("europe", regions), "(known: china-west, us-east, us-texas)");
  EXPECT_EQ(suggest("eu", {"us", "china", "row"}), "(known: china, row, us)") << "two edits from 'us'";
  EXPECT_EQ(suggest("uk", {"us", "china", "row"}), "(did you mean 'us'?)") << "short names allow one edit";
  EXPECT_EQ(suggest("asia", {"us", "china", "row"}), "(known: china, row, us)");
}

TEST(Suggest, LongListsAreCut) {
  std::vector<std::string> many;
  for (char c = 'a'; c <= 'p'; ++c) many.push_back(std::string(6, c));  // 16 names
  const std::string s = suggest("zzzzzzzzzzzz", many);
  EXPECT_EQ(s.rfind("(known: aaaaaa, bbbbbb", 0), 0u) << s;
  EXPECT_NE(s.find("4 more"), std::string::npos) << s;
  EXPECT_EQ(s.find("mmmmmm"), std::string::npos) << "only the first 12 are shown: " << s;
}

TEST(Suggest, NoKnownNamesGivesNothing) {
  EXPECT_EQ(suggest("anything", {}), "");
  EXPECT_EQ(suggest("", {}), "");
}

// ---- ScenarioError -----------------------------------------------------------------------------

TEST(ScenarioError, CarriesEveryDiagnosticAndJoinsThemInWhat) {
  const std::vector<Diagnostic> ds = {
      make(Diagnostic::Severity::error, {"s.yaml", 1, 1}, "run", "first"),
      make(Diagnostic::Severity::error, {"s.yaml", 7, 3}, "chips[H100].power", "second"),
      make(Diagnostic::Severity::warning, {"s.yaml", 9, 5}, "agents[a]", "third"),
  };
  const ScenarioError e(ds);
  ASSERT_EQ(e.diagnostics().size(), 3u);
  EXPECT_EQ(e.diagnostics()[1].key_path, "chips[H100].power");
  EXPECT_EQ(e.diagnostics()[2].severity, Diagnostic::Severity::warning);
  EXPECT_EQ(std::string(e.what()),
            "s.yaml:1:1: run: first\ns.yaml:7:3: chips[H100].power: second\ns.yaml:9:5: warning: agents[a]: third");
}

TEST(ScenarioError, IsARuntimeError) {
  try {
    throw ScenarioError({make(Diagnostic::Severity::error, {"x.yaml", 0, 0}, "", "is a directory")});
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "x.yaml: is a directory");
  }
}

}  // namespace
}  // namespace aidc
