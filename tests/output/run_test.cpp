// Whole runs of the embedded default scenario: invariants every quarter, determinism, series
// that show what the default is for (stranded and idle compute, utilization within (0, 1]), and
// a run stopped by a signal.

#include "aidc/run/run_scenario.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "aidc/kernel/interrupt.hpp"
#include "aidc/kernel/simulator.hpp"
#include "aidc/model/world.hpp"
#include "aidc/output/timeseries_csv.hpp"
#include "aidc/scenario/loader.hpp"

namespace aidc {
namespace {

const ScenarioSpec& default_spec() {
  static const ScenarioSpec spec = load_default_scenario();
  return spec;
}

double global(const Recorder& r, Quarter q, Metric m) {
  return r.value(q, EntityKind::global, "world", m).value();
}

TEST(DefaultRun, InvariantsHoldEveryQuarter) {
  const ScenarioSpec& spec = default_spec();
  Simulator sim;
  World world(spec, spec.run.seed);
  world.attach(sim);
  int checked = 0;
  sim.on_after_phase([&](Quarter, Phase p) {
    if (p != Phase::record) return;
    EXPECT_NO_THROW(world.check_invariants()) << world.now().str();
    for (const auto& a : world.agents()) {
      EXPECT_LE(a.utilized_h100e, a.powered_h100e * (1 + 1e-12)) << a.spec->name;
      EXPECT_LE(a.powered_h100e, a.installed_h100e * (1 + 1e-12)) << a.spec->name;
      EXPECT_NEAR(a.ledger.imbalance(), 0.0, 1e-6 * a.ledger.scale()) << a.spec->name;
    }
    // What a region delivers comes from its own headroom or over links.
    for (const auto& r : world.regions()) EXPECT_LE(r.delivered_mw - r.imported_mw, r.available_mw * (1 + 1e-12) + 1e-6);
    ++checked;
  });
  sim.run(spec.run.start, spec.run.end);
  EXPECT_EQ(checked, spec.run.end - spec.run.start + 1);
}

TEST(DefaultRun, SameSeedSameBytesOtherSeedOtherResults) {
  const ScenarioSpec& spec = default_spec();
  const std::string a = format_timeseries_csv(run_scenario(spec, 42).recorder);
  const std::string b = format_timeseries_csv(run_scenario(spec, 42).recorder);
  const std::string c = format_timeseries_csv(run_scenario(spec, 43).recorder);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(DefaultRun, ShowsStrandedAndIdleComputeAndSaneUtilization) {
  const ScenarioSpec& spec = default_spec();
  const RunResult result = run_scenario(spec, spec.run.seed);
  const Recorder& r = result.recorder;
  double max_stranded = 0.0, max_idle = 0.0;
  bool power_bound_somewhere = false;
  for (Quarter q = spec.run.start; q <= spec.run.end; ++q) {
    const double utilization = global(r, q, Metric::utilization);
    EXPECT_GT(utilization, 0.0) << q.str();
    EXPECT_LE(utilization, 1.0) << q.str();
    EXPECT_GE(global(r, q, Metric::idle_h100e), 0.0) << q.str();
    EXPECT_GE(global(r, q, Metric::stranded_h100e), 0.0) << q.str();
    max_stranded = std::max(max_stranded, global(r, q, Metric::stranded_h100e));
    max_idle = std::max(max_idle, global(r, q, Metric::idle_h100e));
    for (const auto& region : spec.regions) {
      power_bound_somewhere |= r.value(q, EntityKind::region, region.name, Metric::power_bound).value() > 0.5;
    }
  }
  // Compute is stranded at some point (waiting for sites, the grid or power), idle at another.
  EXPECT_GT(max_stranded, 1e5);
  EXPECT_GT(max_idle, 1e5);
  EXPECT_TRUE(power_bound_somewhere);
  // The buildout grows: more compute installed at the end than at the start.
  EXPECT_GT(global(r, spec.run.end, Metric::installed_h100e), 5 * global(r, spec.run.start, Metric::installed_h100e));
  // Every agent reports every quarter.
  for (const auto& agent : spec.agents) {
    EXPECT_TRUE(r.value(spec.run.end, EntityKind::agent, agent.name, Metric::capex_usd).has_value()) << agent.name;
  }
}

TEST(DefaultRun, SeriesAreFinite) {
  const RunResult result = run_scenario(default_spec(), 1);
  for (const Sample& s : result.recorder.samples()) {
    ASSERT_TRUE(std::isfinite(s.value)) << metric_name(s.metric);
  }
}

// A signal during quarter 3 stops the run before quarter 4, with the signal and where it was.
// (In a child process: the stop request is process-wide.)
TEST(DefaultRunDeathTest, StopsBeforeTheNextQuarterOnceInterrupted) {
  const ScenarioSpec& spec = default_spec();
  const std::string expected = "^SIGTERM while simulating " + (spec.run.start + 3).str() + " of " +
                               spec.run.start.str() + ".." + spec.run.end.str() + "\n$";
  EXPECT_EXIT(
      {
        install_interrupt_handlers();
        int quarters = 0;
        try {
          (void)run_scenario(spec, 1, [&](Quarter, Quarter) {
            if (++quarters == 3) std::raise(SIGTERM);
          });
        } catch (const Interrupted& e) {
          std::fprintf(stderr, "%s\n", e.what());
          std::_Exit(e.signal() == SIGTERM && quarters == 3 ? 0 : 1);
        }
        std::_Exit(2);
      },
      testing::ExitedWithCode(0), expected);
}

}  // namespace
}  // namespace aidc
