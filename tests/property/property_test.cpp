// Property-based tests: random valid scenarios (scenario_gen.hpp) load, run their whole horizon
// with every invariant holding each quarter, record only sane values (run_checks.hpp) and repeat
// bit for bit with the same seed. On a failure RapidCheck shrinks the scenario and prints it as
// YAML, with an RC_PARAMS line that reproduces it; the shrunk file goes to
// tests/property/regressions/ once the cause is fixed.
//
// ctest runs a fixed seed (tests/CMakeLists.txt); for a longer search with a fresh seed run
//   RC_PARAMS="max_success=2000" build/dev/tests/property_test --gtest_filter='RandomScenario.*'

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <exception>
#include <string>
#include <vector>

#include "aidc/model/metric.hpp"
#include "aidc/scenario/loader.hpp"
#include "run_checks.hpp"
#include "scenario_gen.hpp"

namespace aidc::test {
namespace {

//! Whether any recorded value of `metric` for entities of `kind` is above zero.
bool ever_positive(const RunResult& run, EntityKind kind, Metric metric) {
  for (const Sample& s : run.recorder.samples()) {
    if (s.kind == kind && s.metric == metric && s.value > 0.0) return true;
  }
  return false;
}

//! The generated scenario, loaded; a scenario that does not validate fails the property.
ScenarioSpec load(const GeneratedScenario& generated) {
  try {
    return load_scenario_text(generated.yaml, "generated.yaml");
  } catch (const ScenarioError& e) {
    RC_FAIL(std::string("the generator made a scenario that does not validate (a generator bug):\n") + e.what());
  }
}

RC_GTEST_PROP(RandomScenario, ValidatesRunsAndKeepsEveryInvariant, ()) {
  const ScenarioSpec spec = load(*random_scenario());
  const CheckedRun checked = run_and_check(spec);
  std::string problems;
  for (const auto& p : checked.problems) problems += p + "\n";
  RC_LOG() << problems;
  RC_ASSERT(checked.problems.empty());
  // What the cases went through, printed as a table after a success.
  const RunResult& run = *checked.result;
  RC_CLASSIFY(ever_positive(run, EntityKind::global, Metric::stranded_h100e), "stranded compute");
  RC_CLASSIFY(ever_positive(run, EntityKind::region, Metric::power_bound), "power-bound region");
  RC_CLASSIFY(ever_positive(run, EntityKind::global, Metric::distressed), "distress");
  RC_CLASSIFY(ever_positive(run, EntityKind::global, Metric::defaulted), "default");
  RC_CLASSIFY(ever_positive(run, EntityKind::global, Metric::secondary_sold_h100e), "used chips sold");
  RC_CLASSIFY(ever_positive(run, EntityKind::global, Metric::ordered_h100e), "orders");
  RC_CLASSIFY(!spec.events.empty(), "events");
}

// The scenario as it runs (`aidcsim show --resolved`, and the copy in run.json) loads again and
// runs the same, bit for bit: what a run records is enough to reproduce it.
RC_GTEST_PROP(RandomScenario, ResolvedScenarioRunsTheSame, ()) {
  const ScenarioSpec spec = load(*random_scenario());
  ScenarioSpec resolved;
  try {
    resolved = load_scenario_text(spec.resolved_yaml, "resolved.yaml");
  } catch (const ScenarioError& e) {
    RC_FAIL(std::string("the resolved scenario does not validate:\n") + e.what() + "\n" + spec.resolved_yaml);
  }
  std::vector<std::string> differences;
  try {
    differences = compare_runs(run_scenario(spec, spec.run.seed), run_scenario(resolved, resolved.run.seed));
  } catch (const std::exception& e) {
    RC_FAIL(std::string("the run threw: ") + e.what());
  }
  for (const auto& d : differences) RC_LOG() << d << "\n";
  RC_ASSERT(differences.empty());
}

}  // namespace
}  // namespace aidc::test
