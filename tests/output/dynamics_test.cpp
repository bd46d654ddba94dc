// Scenario tests that show each mechanism of the model acting (MODEL.md §4–§9): each runs a small
// scenario from tests/dynamics/ (its header comment says what it shows) and checks the SHAPE of
// the series and the event log — a region that runs out of power, a credit crunch that sinks a
// leveraged neocloud, Jevons, an export control, a circular deal, steady growth that settles, and
// a boom and bust that comes from the agents' own rules. Comparisons run the same file with
// `--set`-style overrides, so each variant can be reproduced by hand with `aidcsim run … --set`.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "aidc/model/chip.hpp"
#include "aidc/model/event_log.hpp"
#include "aidc/model/metric.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/scenario/loader.hpp"

namespace aidc {
namespace {

// --- helpers -----------------------------------------------------------------------------

//! One run of a tests/dynamics scenario: its spec, its series and its event log.
struct DynRun {
  ScenarioSpec spec;
  RunResult result;

  [[nodiscard]] Quarter start() const { return spec.run.start; }
  [[nodiscard]] Quarter end() const { return spec.run.end; }

  //! A recorded value; a missing series is a test failure (and NaN).
  [[nodiscard]] double at(Quarter q, EntityKind kind, std::string_view entity, Metric m) const {
    const auto v = result.recorder.value(q, kind, entity, m);
    if (!v) {
      ADD_FAILURE() << "no " << metric_name(m) << " for " << entity << " in " << q.str() << " (" << spec.name << ")";
      return std::numeric_limits<double>::quiet_NaN();
    }
    return *v;
  }
  [[nodiscard]] double global(Quarter q, Metric m) const { return at(q, EntityKind::global, "world", m); }
  [[nodiscard]] double bloc(Quarter q, std::string_view b, Metric m) const { return at(q, EntityKind::bloc, b, m); }
  [[nodiscard]] double agent(Quarter q, std::string_view a, Metric m) const { return at(q, EntityKind::agent, a, m); }
  [[nodiscard]] double vendor(Quarter q, std::string_view v, Metric m) const { return at(q, EntityKind::vendor, v, m); }
  [[nodiscard]] double region(Quarter q, std::string_view r, Metric m) const { return at(q, EntityKind::region, r, m); }

  //! Logged events of `kind` (for `entity`, when given), in order.
  [[nodiscard]] std::vector<const LoggedEvent*> events(std::string_view kind, std::string_view entity = {}) const {
    std::vector<const LoggedEvent*> found;
    for (const auto& e : result.events.events()) {
      if (e.kind == kind && (entity.empty() || e.entity == entity)) found.push_back(&e);
    }
    return found;
  }
  //! The first such event at or after `from`, or nullptr.
  [[nodiscard]] const LoggedEvent* first_event(std::string_view kind, std::string_view entity, Quarter from) const {
    for (const LoggedEvent* e : events(kind, entity)) {
      if (e->quarter >= from) return e;
    }
    return nullptr;
  }
};

//! Loads tests/dynamics/NAME.yaml (with overrides, like `--set`), checks it validates without
//! warnings, and runs it with its own seed.
DynRun run_dynamics(const std::string& name, const std::vector<std::string>& overrides = {}) {
  DynRun r{load_scenario_file(AIDC_SOURCE_DIR "/tests/dynamics/" + name + ".yaml", overrides), {}};
  for (const auto& w : r.spec.warnings) {
    // A variant's own --set may replace a whole series on purpose; the file itself warns of nothing.
    if (w.str().rfind("--set ", 0) != 0) ADD_FAILURE() << name << ": warning: " << w.str();
  }
  r.result = run_scenario(r.spec, r.spec.run.seed);
  return r;
}

//! The quarter of the scenario event called `name`.
Quarter event_quarter(const DynRun& r, std::string_view name) {
  for (const auto& e : r.spec.events) {
    if (e.name == name) return e.at;
  }
  ADD_FAILURE() << "no event '" << name << "' in " << r.spec.name;
  return r.start();
}

double figure(const LoggedEvent& e, std::string_view name) {
  for (const auto& [key, value] : e.figures) {
    if (key == name) return value;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

//! "2024Q1=1.23 2024Q2=…" for failure messages.
template <class F>
std::string series(Quarter from, Quarter to, F value) {
  std::ostringstream os;
  os.precision(4);
  for (Quarter q = from; q <= to; ++q) os << q.str() << '=' << value(q) << ' ';
  return os.str();
}

// --- 1. power-bound ----------------------------------------------------------------------

TEST(DynamicsPower, RegionRunsOutOfPowerAndStrandsChips) {
  const DynRun r = run_dynamics("power_bound");
  auto bound = [&](Quarter q) { return r.region(q, "tight", Metric::power_bound); };
  Quarter first_bound = r.end() + 1;
  for (Quarter q = r.start(); q <= r.end(); ++q) {
    if (bound(q) > 0.5) {
      first_bound = q;
      break;
    }
  }
  ASSERT_LE(first_bound, r.end()) << "the region never became power-bound; requested MW: "
                                  << series(r.start(), r.end(), [&](Quarter q) {
                                       return r.region(q, "tight", Metric::power_requested_mw);
                                     });
  // At the start the clouds' sites fit in the 60 MW the region has.
  EXPECT_EQ(bound(r.start()), 0.0);
  // Nothing adds power, so once bound it stays bound; the region delivers all it has (60 MW) and
  // both clouds strand compute from the next quarter on.
  for (Quarter q = first_bound; q <= r.end(); ++q) {
    EXPECT_EQ(bound(q), 1.0) << q.str();
    EXPECT_NEAR(r.region(q, "tight", Metric::power_delivered_mw), r.region(q, "tight", Metric::power_available_mw),
                1e-6)
        << q.str();
    EXPECT_GT(r.region(q, "tight", Metric::power_requested_mw), r.region(q, "tight", Metric::power_delivered_mw))
        << q.str();
    for (const char* a : {"cloud", "rival"}) {
      EXPECT_GT(r.agent(q, a, Metric::stranded_h100e), 0.0) << a << " " << q.str();
    }
  }
  // By the end most of what the clouds own cannot be powered.
  const double stranded = r.global(r.end(), Metric::stranded_h100e);
  const double installed = r.global(r.end(), Metric::installed_h100e);
  EXPECT_GT(stranded, 0.5 * installed) << "stranded " << stranded << " of " << installed << " H100e in "
                                       << r.end().str();
  // The log says so, in the quarter it happened, with the figures.
  const auto logged = r.events("power_bound", "tight");
  ASSERT_FALSE(logged.empty()) << "no power_bound event for region tight";
  EXPECT_EQ(logged.front()->quarter, first_bound);
  EXPECT_GT(figure(*logged.front(), "requested_mw"), figure(*logged.front(), "delivered_mw"));
  EXPECT_FALSE(r.events("stranding", "cloud").empty()) << "no stranding event for the cloud";
}

// --- 2. credit crunch --------------------------------------------------------------------

TEST(DynamicsCredit, CrunchSinksLeveragedNeocloud) {
  const DynRun r = run_dynamics("credit_crunch");
  const Quarter crunch = event_quarter(r, "crunch-2026");
  ASSERT_EQ(r.events("credit_crunch").size(), 1u);
  EXPECT_EQ(r.events("credit_crunch").front()->quarter, crunch);

  // Before the crunch it is sound, but more levered than the crunch will allow.
  for (Quarter q = r.start(); q < crunch; ++q) EXPECT_EQ(r.agent(q, "neo", Metric::distressed), 0.0) << q.str();
  const double leverage_before = r.agent(crunch - 1, "neo", Metric::leverage);
  EXPECT_GT(leverage_before, 2.0) << "the neocloud should be above the crunch's limit of 2 when it starts";

  // A maturing loan is not refinanced: it is repaid from cash, and the neocloud is distressed.
  const LoggedEvent* repay = r.first_event("repay", "neo", crunch);
  ASSERT_NE(repay, nullptr) << "no refused refinancing after the crunch; leverage before it " << leverage_before;
  const LoggedEvent* distress = r.first_event("distress", "neo", crunch);
  ASSERT_NE(distress, nullptr) << "no distress event after the crunch; cash: "
                               << series(crunch, crunch + 4,
                                         [&](Quarter q) { return r.agent(q, "neo", Metric::cash_usd); });
  EXPECT_EQ(distress->quarter, repay->quarter);
  EXPECT_LT(figure(*distress, "cash_usd"), r.spec.agents[0].min_cash_usd);
  EXPECT_EQ(r.agent(distress->quarter, "neo", Metric::distressed), 1.0);

  // It cancels its orders: the vendor records them, and is left with chips made for them.
  const LoggedEvent* cancellation = r.first_event("cancellation", "neo", crunch);
  ASSERT_NE(cancellation, nullptr) << "no cancellation by the distressed neocloud";
  EXPECT_EQ(cancellation->quarter, distress->quarter);
  EXPECT_GT(r.vendor(distress->quarter, "nvidia", Metric::cancelled_chips), 1000.0);
  const double inventory_before = r.vendor(crunch - 1, "nvidia", Metric::inventory_chips);
  double inventory_after = 0.0;
  for (Quarter q = distress->quarter; q <= distress->quarter + 3; ++q) {
    inventory_after = std::max(inventory_after, r.vendor(q, "nvidia", Metric::inventory_chips));
  }
  EXPECT_GT(inventory_after, inventory_before + 10000.0)
      << "vendor inventory (chips): " << series(crunch - 2, distress->quarter + 3, [&](Quarter q) {
           return r.vendor(q, "nvidia", Metric::inventory_chips);
         });

  // Its chips go to the secondary market (a fire sale, or all of them at a default) and the
  // hyperscaler buys them.
  double sold = 0.0, bought = 0.0;
  for (Quarter q = distress->quarter; q <= r.end(); ++q) {
    sold += r.agent(q, "neo", Metric::secondary_sold_h100e);
    bought += r.agent(q, "hyper", Metric::secondary_bought_h100e);
  }
  EXPECT_GT(sold, 10000.0) << "used compute sold by the neocloud after its distress (H100e)";
  EXPECT_NEAR(bought, sold, 1e-6 * sold);
  EXPECT_FALSE(r.events("fire_sale", "neo").empty() && r.events("default", "neo").empty());

  // Without the crunch (the same event moved past the horizon) the loans are refinanced.
  const DynRun calm = run_dynamics("credit_crunch", {"events[crunch-2026].at=2035Q1"});
  EXPECT_TRUE(calm.events("distress", "neo").empty())
      << "distressed without a crunch in " << calm.events("distress", "neo").front()->quarter.str();
  EXPECT_TRUE(calm.events("repay", "neo").empty());
  EXPECT_TRUE(calm.events("cancellation").empty());
  EXPECT_GE(calm.events("refinance", "neo").size(), 2u);
}

// --- 3. efficiency shock (Jevons) ----------------------------------------------------------

//! The efficiency-shock scenario with the gain and without it (its factor set to 1), and the
//! ratio of their bloc demand_h100e, quarter by quarter from the start.
struct JevonsRuns {
  DynRun with, without;
  Quarter shock;
  std::vector<double> ratio;

  [[nodiscard]] double at(Quarter q) const { return ratio[static_cast<std::size_t>(q - with.start())]; }
  [[nodiscard]] std::string str() const {
    std::ostringstream os;
    os.precision(3);
    for (Quarter q = with.start(); q <= with.end(); ++q) os << q.str() << '=' << at(q) << ' ';
    return os.str();
  }
};

JevonsRuns jevons_runs(std::vector<std::string> overrides) {
  JevonsRuns j;
  j.with = run_dynamics("efficiency_shock", overrides);
  overrides.push_back("events[deepseek].factor=1");
  j.without = run_dynamics("efficiency_shock", overrides);
  j.shock = event_quarter(j.with, "deepseek");
  for (Quarter q = j.with.start(); q <= j.with.end(); ++q) {
    j.ratio.push_back(j.with.bloc(q, "us", Metric::demand_h100e) / j.without.bloc(q, "us", Metric::demand_h100e));
  }
  return j;
}

TEST(DynamicsEfficiency, ElasticDemandRisesAfterEfficiencyGain) {
  const JevonsRuns j = jevons_runs({});
  ASSERT_EQ(j.with.spec.demand[0].elasticity, 1.5);
  EXPECT_EQ(j.with.events("efficiency_gain", "us").size(), 1u);
  EXPECT_EQ(j.without.events("efficiency_gain", "us").size(), 1u);  // still logged, with factor 1
  // Identical before the gain; above the run without it from the quarter of the gain on, and
  // from two years after it close to the long-run factor 2.5^(1.5 − 1) ≈ 1.58: Jevons.
  EXPECT_DOUBLE_EQ(j.at(j.shock - 1), 1.0);
  for (Quarter q = j.shock; q <= j.with.end(); ++q) {
    EXPECT_GT(j.at(q), q < j.shock + 8 ? 1.2 : 1.45) << q.str() << "; demand with/without the gain: " << j.str();
  }
  EXPECT_NEAR(j.at(j.with.end()), std::pow(2.5, 0.5), 0.05) << j.str();
  // The buildout follows: more compute installed at the end.
  const Quarter end = j.with.end();
  EXPECT_GT(j.with.global(end, Metric::installed_h100e), 1.3 * j.without.global(end, Metric::installed_h100e));
}

TEST(DynamicsEfficiency, InelasticDemandFallsAfterEfficiencyGain) {
  const JevonsRuns j = jevons_runs({"demand[0].elasticity=0.5"});
  ASSERT_EQ(j.with.spec.demand[0].elasticity, 0.5);
  EXPECT_DOUBLE_EQ(j.at(j.shock - 1), 1.0);
  // Below the run without it from the quarter of the gain on (a glut at first: the price falls
  // and buys some of the demand back), and from two years after it close to 2.5^(0.5 − 1) ≈ 0.63.
  for (Quarter q = j.shock; q <= j.with.end(); ++q) {
    EXPECT_LT(j.at(q), q < j.shock + 8 ? 0.9 : 0.7) << q.str() << "; demand with/without the gain: " << j.str();
  }
  EXPECT_NEAR(j.at(j.with.end()), std::pow(2.5, -0.5), 0.05) << j.str();
  const Quarter end = j.with.end();
  EXPECT_LT(j.with.global(end, Metric::installed_h100e), 0.8 * j.without.global(end, Metric::installed_h100e));
}

// --- 4. export control -------------------------------------------------------------------

TEST(DynamicsExportControl, BanMovesChineseBuyerFromNvidiaToHuawei) {
  const DynRun r = run_dynamics("export_control");
  const Quarter ban = event_quarter(r, "ban-nvidia");
  ASSERT_FALSE(r.events("export_control", "china").empty());
  EXPECT_EQ(r.events("export_control", "china").front()->quarter, ban);

  // The Chinese cloud's orders (from the log: each cause starts with its chip) and what it takes
  // delivery of.
  double nvidia_before = 0.0, huawei_before = 0.0, nvidia_after = 0.0, huawei_after = 0.0;
  for (const LoggedEvent* e : r.events("order", "cn-cloud")) {
    const double h20x = e->cause.rfind("H20X ", 0) == 0 ? figure(*e, "chips") : 0.0;
    const double ascend = e->cause.rfind("Ascend ", 0) == 0 ? figure(*e, "chips") : 0.0;
    (e->quarter < ban ? nvidia_before : nvidia_after) += h20x;
    (e->quarter < ban ? huawei_before : huawei_after) += ascend;
  }
  EXPECT_GT(nvidia_before, 10000.0) << "NVIDIA chips ordered before the ban";
  EXPECT_EQ(huawei_before, 0.0) << "Huawei chips ordered before the ban although NVIDIA's TCO is lower";
  EXPECT_EQ(nvidia_after, 0.0) << "NVIDIA chips ordered after the ban";
  EXPECT_GT(huawei_after, 10000.0) << "Huawei chips ordered after the ban";
  bool ascend_delivered_after = false;
  for (const LoggedEvent* e : r.events("delivery", "cn-cloud")) {
    if (e->quarter <= ban) {
      EXPECT_EQ(e->cause, "H20X from nvidia") << e->quarter.str();
    } else {
      EXPECT_EQ(e->cause, "Ascend from huawei") << e->quarter.str();
      ascend_delivered_after = true;
    }
  }
  EXPECT_TRUE(ascend_delivered_after);
  // The vendors' books agree: NVIDIA's orders stop at the ban.
  for (Quarter q = r.start(); q < ban; ++q) EXPECT_GT(r.vendor(q, "nvidia", Metric::orders_chips), 0.0) << q.str();
  for (Quarter q = ban; q <= r.end(); ++q) {
    EXPECT_EQ(r.vendor(q, "nvidia", Metric::orders_chips), 0.0) << q.str();
    EXPECT_GT(r.vendor(q, "huawei", Metric::orders_chips), 0.0) << q.str();
  }
}

// --- 5. circular deal --------------------------------------------------------------------

TEST(DynamicsCircularDeal, VendorRevenueRoundTripsThroughLabAndCloud) {
  const DynRun r = run_dynamics("circular_deal");
  const Quarter deal = event_quarter(r, "nvidia-invests");
  const auto logged = r.events("circular_deal", "lab");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged.front()->quarter, deal);
  EXPECT_DOUBLE_EQ(figure(*logged.front(), "amount_usd"), 10e9);

  // The loop exists: the cloud serves the lab's contract and buys NVIDIA chips.
  double contracted = 0.0, purchases = 0.0, chips = 0.0;
  for (Quarter q = r.start(); q <= r.end(); ++q) {
    contracted += r.agent(q, "cloud", Metric::contracted_h100e);
    purchases += r.agent(q, "lab", Metric::compute_purchases_usd);
    chips += r.agent(q, "cloud", Metric::capex_usd);
  }
  EXPECT_GT(contracted, 0.0);
  EXPECT_GT(purchases, 1e9);
  EXPECT_GT(chips, 1e9);

  // Nothing round-trips before the investment; from then on part of NVIDIA's revenue does.
  for (Quarter q = r.start(); q < deal; ++q) {
    EXPECT_EQ(r.vendor(q, "nvidia", Metric::round_tripped_share), 0.0) << q.str();
    EXPECT_EQ(r.global(q, Metric::round_tripped_share), 0.0) << q.str();
  }
  for (Quarter q = deal; q <= r.end(); ++q) {
    const double vendor_share = r.vendor(q, "nvidia", Metric::round_tripped_share);
    const double world_share = r.global(q, Metric::round_tripped_share);
    EXPECT_GT(vendor_share, 0.05) << q.str();
    EXPECT_LE(vendor_share, 1.0 + 1e-12) << q.str();
    EXPECT_GT(world_share, 0.05) << q.str();
  }
  // Without the investment (moved past the horizon) nothing round-trips.
  const DynRun none = run_dynamics("circular_deal", {"events[nvidia-invests].at=2035Q1"});
  for (Quarter q = none.start(); q <= none.end(); ++q) {
    EXPECT_EQ(none.vendor(q, "nvidia", Metric::round_tripped_share), 0.0) << q.str();
  }
}

// --- 6. steady growth settles --------------------------------------------------------------

TEST(DynamicsSteadyGrowth, UtilizationAndPriceSettle) {
  const DynRun r = run_dynamics("steady_growth");
  const Quarter warm = r.start() + 8;  // after two years
  double min_u = 1.0, max_u = 0.0, max_step = 0.0, min_p = 1e300, max_p = 0.0;
  for (Quarter q = warm; q <= r.end(); ++q) {
    const double u = r.global(q, Metric::utilization);
    const double p = r.bloc(q, "us", Metric::price_usd_per_h100e_hour);
    const double p_prev = r.bloc(q - 1, "us", Metric::price_usd_per_h100e_hour);
    min_u = std::min(min_u, u);
    max_u = std::max(max_u, u);
    min_p = std::min(min_p, p);
    max_p = std::max(max_p, p);
    max_step = std::max(max_step, std::abs(std::log(p / p_prev)));
  }
  const auto util = [&](Quarter q) { return r.global(q, Metric::utilization); };
  const auto price = [&](Quarter q) { return r.bloc(q, "us", Metric::price_usd_per_h100e_hour); };
  EXPECT_GE(min_u, 0.75) << series(r.start(), r.end(), util);
  EXPECT_LE(max_u, 1.0 + 1e-12);
  EXPECT_LT(max_step, 0.15) << "largest |Δ log price| after warm-up; prices: " << series(r.start(), r.end(), price);
  EXPECT_LT(max_p / min_p, 1.25) << "price range after warm-up " << min_p << " … " << max_p;
  // And capacity keeps growing with demand (the test is not passing on a frozen market).
  EXPECT_GT(r.global(r.end(), Metric::powered_h100e), 2.5 * r.global(r.start(), Metric::powered_h100e));
}

// --- 7. boom and bust from the rules -------------------------------------------------------

struct BoomShape {
  double peak_idle_share = 0.0;  //!< largest idle / powered after the slowdown
  Quarter peak_idle_quarter;
  double peak_price = 0.0;    //!< highest price up to the slowdown
  double trough_price = 0.0;  //!< lowest price after it
  [[nodiscard]] double price_fall() const { return 1.0 - trough_price / peak_price; }
};

BoomShape boom_shape(const DynRun& r, Quarter slowdown) {
  BoomShape s;
  s.trough_price = 1e300;
  for (Quarter q = r.start(); q <= r.end(); ++q) {
    const double price = r.bloc(q, "us", Metric::price_usd_per_h100e_hour);
    if (q < slowdown) {
      s.peak_price = std::max(s.peak_price, price);
      continue;
    }
    s.trough_price = std::min(s.trough_price, price);
    const double powered = r.global(q, Metric::powered_h100e);
    const double idle_share = powered > 0.0 ? r.global(q, Metric::idle_h100e) / powered : 0.0;
    if (idle_share > s.peak_idle_share) {
      s.peak_idle_share = idle_share;
      s.peak_idle_quarter = q;
    }
  }
  return s;
}

TEST(DynamicsBoomBust, MomentumAndRivalryOvershootThenPriceCollapses) {
  const DynRun boom = run_dynamics("boom_bust");
  const DynRun calm = run_dynamics(
      "boom_bust", {"agents[cloud-a].strategy.momentum=10%", "agents[cloud-b].strategy.momentum=10%",
                    "agents[cloud-a].strategy.rival_reaction=0%", "agents[cloud-b].strategy.rival_reaction=0%"});
  const Quarter slowdown = *Quarter::parse("2026Q1");  // growth drops from 80% to 10% a year
  ASSERT_EQ(boom.spec.agents[0].strategy.momentum, 0.9);
  ASSERT_EQ(calm.spec.agents[0].strategy.momentum, 0.1);
  const BoomShape b = boom_shape(boom, slowdown), c = boom_shape(calm, slowdown);
  const auto idle = [&](const DynRun& r) {
    return series(slowdown - 4, slowdown + 6, [&](Quarter q) { return r.global(q, Metric::idle_h100e); });
  };
  const auto price = [&](const DynRun& r) {
    return series(r.start(), r.end(), [&](Quarter q) { return r.bloc(q, "us", Metric::price_usd_per_h100e_hour); });
  };
  // High momentum and rivalry: capacity overshoots, a fifth or more of it idles, and the price
  // falls far from its boom peak.
  EXPECT_GT(b.peak_idle_share, 0.2) << "idle H100e: " << idle(boom);
  EXPECT_GT(b.price_fall(), 0.4) << "peak " << b.peak_price << ", trough " << b.trough_price << "; " << price(boom);
  // The idle compute is absorbed again as demand grows into it (a bust, not a permanent glut).
  EXPECT_LT(boom.global(boom.end(), Metric::idle_h100e), 0.05 * boom.global(boom.end(), Metric::powered_h100e));
  // Low momentum, no rivalry: the same demand gives a much smaller overshoot and a softer fall.
  EXPECT_LT(c.peak_idle_share, 0.5 * b.peak_idle_share)
      << "calm " << c.peak_idle_share << " vs boom " << b.peak_idle_share << "; calm idle H100e: " << idle(calm);
  EXPECT_LT(c.price_fall(), b.price_fall() - 0.15) << "calm " << c.price_fall() << " vs boom " << b.price_fall();
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

// --- 8. money, contracts, power and ordering on the baseline ------------------------------
// The reference scenario itself (scenarios/baseline.yaml): the rules of docs/model.md §3–§8
// acting where a strategist looks first.

const DynRun& baseline() {
  static const DynRun run = [] {
    DynRun r{load_scenario_file(AIDC_SOURCE_DIR "/scenarios/baseline.yaml"), {}};
    r.result = run_scenario(r.spec, r.spec.run.seed);
    return r;
  }();
  return run;
}

TEST(BaselineMoney, OwnUseIsImputedValueNeverCashRevenue) {
  // Meta rents out no compute: no cash AI revenue in any quarter, while its own workloads are
  // worth something at the market price.
  const DynRun& r = baseline();
  double imputed = 0.0;
  for (Quarter q = r.start(); q <= r.end(); ++q) {
    EXPECT_EQ(r.agent(q, "meta", Metric::revenue_usd), 0.0) << q.str();
    imputed += r.agent(q, "meta", Metric::imputed_value_usd);
  }
  EXPECT_GT(imputed, 100e9);
}

TEST(BaselineMoney, FreeCashFlowNeverExceedsWhatWasEarned) {
  const DynRun& r = baseline();
  double fcf = 0.0, earned = 0.0;
  for (Quarter q = r.start(); q <= r.end(); ++q) {
    fcf += r.global(q, Metric::free_cash_flow_usd);
    earned += r.global(q, Metric::revenue_usd) + r.global(q, Metric::other_income_usd);
  }
  EXPECT_LT(fcf, earned);
}

TEST(BaselineMoney, HyperscalersCashShareOfAssetsFallsAsCapexGrows) {
  // record: finance.hyperscalers.cash_share.2021, finance.hyperscalers.cash_share.2025q2: 29% of assets (2021) → 15% (2025Q2). Payouts and capex draw cash down.
  const DynRun& r = baseline();
  auto share = [&](Quarter q) {
    double cash = 0.0, assets = 0.0;
    for (const char* a : {"microsoft", "alphabet", "amazon", "meta"}) {
      cash += r.agent(q, a, Metric::cash_usd);
      assets += r.agent(q, a, Metric::total_assets_usd);
    }
    return cash / assets;
  };
  EXPECT_LT(share(Quarter(2025, 2)), share(Quarter(2023, 4)));
  double payouts = 0.0;
  for (Quarter q = Quarter(2024, 1); q <= Quarter(2024, 4); ++q) payouts += r.agent(q, "microsoft", Metric::payouts_usd);
  EXPECT_GT(payouts, 0.0);
}

TEST(BaselinePower, BridgePowerRunsXaisFirstChipsWithinTwoQuartersOfDelivery) {
  // record: sites.xai_colossus.gpus, sites.xai_colossus.months: ~100k H100 online within months on on-site turbines.
  const DynRun& r = baseline();
  const LoggedEvent* first = r.first_event("delivery", "xai", r.start());
  ASSERT_NE(first, nullptr);
  const Quarter by = first->quarter + 2;
  EXPECT_GT(r.agent(by, "xai", Metric::powered_h100e), 0.9 * r.agent(by, "xai", Metric::installed_h100e));
  EXPECT_FALSE(r.events("bridge_power", "xai").empty());
}

TEST(BaselineOrders, EveryVendorOnSaleShipsEachYear) {
  // Logit shares across SKUs: AMD (MI300X from 2024) and Trainium (from 2025) are bought every
  // year they are on sale, not only when they are the cheapest.
  const DynRun& r = baseline();
  for (const auto& [vendor, from] : {std::pair{"amd", 2024}, std::pair{"aws", 2025}}) {
    for (int year = from; year <= 2030; ++year) {
      double shipped = 0.0;
      for (int k = 1; k <= 4; ++k) shipped += r.vendor(Quarter(year, k), vendor, Metric::shipments_chips);
      EXPECT_GT(shipped, 0.0) << vendor << " " << year;
    }
  }
}

TEST(BaselineContracts, ExposureIsOwedBySellersToBuyers) {
  // Microsoft is owed under the Azure contracts; OpenAI owes them.
  const DynRun& r = baseline();
  const Quarter q(2026, 1);
  EXPECT_GT(r.agent(q, "microsoft", Metric::contract_receivable_usd), 0.0);
  EXPECT_GT(r.agent(q, "openai", Metric::contract_payable_usd), r.agent(q, "openai", Metric::contract_receivable_usd));
}

// --- 9. markets that can sit idle, investment that answers returns (docs/model.md §6–§7) ------

//! The full cost of new compute in a bloc at q: the lowest TCO per effective H100e-hour (at list
//! price, PUE 1.2 and the bloc's cheapest power) among the SKUs on sale there.
double full_cost_usd_per_hour(const DynRun& r, Quarter q, std::string_view bloc) {
  double power_price = 1e300;
  for (const auto& region : r.spec.regions) {
    if (region.bloc == bloc) power_price = std::min(power_price, region.power_price_usd_per_mwh);
  }
  double best = 1e300;
  for (std::size_t v = 0; v < r.spec.chips.size(); ++v) {
    const ChipSpec& c = r.spec.chips[v];
    const Chip chip = make_chip(c, c.vendor_index);
    if (!chip.orderable(q) || !chip.sold_in(bloc_id(std::string(bloc)))) continue;
    best = std::min(best, tco_usd_per_h100e_hour(chip, 1.2, power_price));
  }
  return best;
}

//! Idle capital: (installed − utilized) / installed of a bloc (0 when nothing is installed).
double idle_share_of_installed(const DynRun& r, Quarter q, std::string_view bloc) {
  const double installed = r.bloc(q, bloc, Metric::installed_h100e);
  return installed > 0.0 ? 1.0 - r.bloc(q, bloc, Metric::utilized_h100e) / installed : 0.0;
}

struct BustCount {
  int idle_quarters = 0;         //!< idle ≥ 20% of installed
  int below_cost_quarters = 0;   //!< price below the full cost of new compute
  double peak_idle_share = 0.0;
};

BustCount bust_count(const DynRun& r, std::string_view bloc, Quarter from, Quarter to) {
  BustCount c;
  for (Quarter q = from; q <= to; ++q) {
    const double idle = idle_share_of_installed(r, q, bloc);
    c.peak_idle_share = std::max(c.peak_idle_share, idle);
    if (idle >= 0.2) ++c.idle_quarters;
    if (r.bloc(q, bloc, Metric::price_usd_per_h100e_hour) < full_cost_usd_per_hour(r, q, bloc)) ++c.below_cost_quarters;
  }
  return c;
}

TEST(DynamicsOverbuild, BuyersChasingReturnsWithMomentumOverBuildAndBust) {
  // Steady 40% demand growth, no shock. Strong answer to q, price momentum and rivalry: capacity
  // overshoots the workload ceiling, a fifth or more of it idles for two years and more, the
  // price sits below the full cost of a new GPU ($25k over 4 years + power: $0.80/h), and the
  // leveraged neocloud defaults. Calm buyers on the same demand: none of it.
  const DynRun boom = run_dynamics("overbuild");
  std::vector<std::string> calm_settings;
  for (const char* a : {"cloud-a", "cloud-b", "neo"}) {
    const std::string at = std::string("agents[") + a + "].strategy.";
    for (const char* kv : {"investment_elasticity=0.5", "price_momentum=0%", "rival_reaction=0%", "momentum=30%"}) {
      calm_settings.push_back(at + kv);
    }
  }
  const DynRun calm = run_dynamics("overbuild", calm_settings);
  ASSERT_EQ(calm.spec.agents[0].strategy.price_momentum, 0.0);
  EXPECT_NEAR(full_cost_usd_per_hour(boom, boom.start(), "us"), 25000.0 / (16 * hours_per_quarter) + 1.2 * 1.2 * 0.06, 1e-9);
  const BustCount b = bust_count(boom, "us", boom.start(), boom.end());
  const BustCount c = bust_count(calm, "us", calm.start(), calm.end());
  const auto price = [](const DynRun& r) {
    return series(r.start(), r.end(), [&](Quarter q) { return r.bloc(q, "us", Metric::price_usd_per_h100e_hour); });
  };
  EXPECT_GE(b.idle_quarters, 8) << "peak idle share " << b.peak_idle_share;
  EXPECT_GE(b.below_cost_quarters, 8) << price(boom);
  EXPECT_FALSE(boom.events("default", "neo").empty());
  EXPECT_LE(c.idle_quarters, 2) << "peak idle share " << c.peak_idle_share;
  EXPECT_LT(2 * c.below_cost_quarters, b.below_cost_quarters) << price(calm);
  EXPECT_TRUE(calm.events("distress").empty());
  EXPECT_TRUE(calm.events("default").empty());
}

const DynRun& scenario_run(const std::string& name) {
  static std::vector<std::pair<std::string, DynRun>> runs;
  for (const auto& [n, r] : runs) {
    if (n == name) return r;
  }
  DynRun r{load_scenario_file(AIDC_SOURCE_DIR "/scenarios/" + name + ".yaml"), {}};
  r.result = run_scenario(r.spec, r.spec.run.seed);
  runs.emplace_back(name, std::move(r));
  return runs.back().second;
}

TEST(WhatIfGlut, DemandFallingEverywhereLeavesComputeIdleAgainstTheControl) {
  // glut.yaml halves US demand in 2026Q1 (own workloads too) while the orders of the boom keep
  // arriving; the baseline (no slowdown) is the control over the same quarters. Powered compute
  // goes unsold (idle over powered, so the control's power stranding does not count) and the
  // price more than halves within two quarters, twice as far as the control's moves.
  const DynRun& glut = scenario_run("glut");
  const DynRun& control = baseline();
  const Quarter shock(2026, 1), to(2032, 4);
  const auto peak_unsold = [&](const DynRun& r) {
    double peak = 0.0;
    for (Quarter q = shock; q <= to; ++q) {
      const double powered = r.bloc(q, "us", Metric::powered_h100e);
      if (powered > 0.0) peak = std::max(peak, r.bloc(q, "us", Metric::idle_h100e) / powered);
    }
    return peak;
  };
  const auto fall = [&](const DynRun& r) {
    const double before = r.bloc(shock - 1, "us", Metric::price_usd_per_h100e_hour);
    return 1.0 - std::min(r.bloc(shock + 1, "us", Metric::price_usd_per_h100e_hour),
                          r.bloc(shock + 2, "us", Metric::price_usd_per_h100e_hour)) / before;
  };
  EXPECT_GE(peak_unsold(glut), 0.2);
  EXPECT_GT(peak_unsold(glut), 2.0 * peak_unsold(control));
  EXPECT_GT(fall(glut), 0.5);
  EXPECT_GT(fall(glut), 2.0 * fall(control)) << "glut " << fall(glut) << ", control " << fall(control);
  const BustCount g = bust_count(glut, "us", shock, to), c = bust_count(control, "us", shock, to);
  EXPECT_GT(g.below_cost_quarters, c.below_cost_quarters)
      << "quarters below the full cost of new compute: glut " << g.below_cost_quarters << ", control " << c.below_cost_quarters;
  // A glut that lasts: idle ≥ 20% of installed compute, and a price below the full cost of new
  // compute, for at least four quarters each from the shock on; the control has fewer of both.
  EXPECT_GE(g.idle_quarters, 4) << "glut " << g.idle_quarters << ", control " << c.idle_quarters;
  EXPECT_GE(g.below_cost_quarters, 4);
  EXPECT_GT(g.idle_quarters, c.idle_quarters);
}

TEST(WhatIfEfficiencyShock, DemandForServiceAdoptsTheGainWithoutAPriceJump) {
  // efficiency-shock-high: a tripling of service per chip is adopted over a year, so the price
  // never jumps by more than half in a quarter from the shock on.
  const DynRun& r = scenario_run("efficiency-shock-high");
  Quarter shock = r.start();
  for (const auto& e : r.spec.events) {
    if (e.kind == EventKind::efficiency_gain) shock = e.at;
  }
  ASSERT_GT(shock, r.start());
  for (Quarter q = shock; q <= r.end(); ++q) {
    const double p = r.bloc(q, "us", Metric::price_usd_per_h100e_hour), before = r.bloc(q - 1, "us", Metric::price_usd_per_h100e_hour);
    EXPECT_LT(p, 1.5 * before) << q.str();
  }
}

TEST(BaselineMarket, StateCentersSitIdleWhileCloudsSell) {
  // China's state-funded centers sell cost-plus and only to the local share of demand their
  // stack can serve: over installed compute they are used far less than the Chinese clouds.
  const DynRun& r = baseline();
  double icc = 0.0, clouds = 0.0;
  int n = 0;
  for (Quarter q(2024, 1); q <= Quarter(2030, 4); ++q, ++n) {
    icc += r.agent(q, "china-icc", Metric::utilization_installed);
    clouds += r.agent(q, "china-clouds", Metric::utilization_installed);
  }
  EXPECT_LT(icc / n, 0.5 * clouds / n) << "china-icc " << icc / n << ", china-clouds " << clouds / n;
  EXPECT_FALSE(r.events("out_of_reach", "china-icc").empty() && r.events("priced_out", "china-icc").empty());
}

TEST(DynamicsVendorCycle, CapacityFollowsOrdersIsCutAndDeadStockIsWrittenDown) {
  // vendor_cycle.yaml: the boom of boom_bust.yaml sold by a vendor whose capacity follows orders
  // with a three-quarter lag and who buys materials two quarters ahead; the control keeps demand
  // growing 80% a year.
  const DynRun r = run_dynamics("vendor_cycle");
  const DynRun control = run_dynamics("vendor_cycle", {"demand[0].growth=80%"});
  const auto capacity = [&](const DynRun& d, Quarter q) { return d.vendor(q, "nvidia", Metric::capacity_chips); };
  const auto show = [&](const DynRun& d, Metric m) {
    return series(d.start(), d.end(), [&](Quarter q) { return d.vendor(q, "nvidia", m); });
  };
  // Additions come after the lag: capacity is the series's 250k for three quarters, then grows
  // to several times that once the orders of 2025 have shown.
  Quarter peak_q = r.start();
  for (Quarter q = r.start(); q <= r.end(); ++q) {
    if (capacity(r, q) > capacity(r, peak_q)) peak_q = q;
  }
  EXPECT_GT(capacity(r, peak_q), 3.0 * capacity(r, r.start())) << show(r, Metric::capacity_chips);
  EXPECT_GE(peak_q - Quarter(2025, 2), 3) << "the order spike of 2025Q2 is met after the lead time";
  // Then orders stop and it cuts, never more than 10% a quarter, to under half the peak.
  for (Quarter q = peak_q + 1; q <= r.end(); ++q) {
    EXPECT_GE(capacity(r, q), 0.9 * capacity(r, q - 1) * (1.0 - 1e-12)) << q.str();
  }
  EXPECT_LT(capacity(r, Quarter(2028, 4)), 0.5 * capacity(r, peak_q)) << show(r, Metric::capacity_chips);
  EXPECT_GT(capacity(control, r.end()), 2.0 * capacity(r, r.end())) << "the control keeps its capacity";
  // Materials cannot be returned: with nothing made in 2026Q2–Q4 the stock at cost stays.
  const Quarter idle_from(2026, 2), idle_to(2026, 4);
  for (Quarter q = idle_from; q <= idle_to; ++q) {
    EXPECT_EQ(r.vendor(q, "nvidia", Metric::shipments_chips), 0.0) << q.str();
    EXPECT_GT(r.vendor(q, "nvidia", Metric::inventory_usd), 1e10) << show(r, Metric::inventory_usd);
    EXPECT_GT(r.vendor(q, "nvidia", Metric::inventory_days), 365.0) << show(r, Metric::inventory_days);
  }
  // GPU2 supersedes GPU in 2027Q1 with nothing on order for it: GPU's stock is written down to 20%.
  const Quarter superseded(2027, 1);
  const double before = r.vendor(superseded - 1, "nvidia", Metric::inventory_usd);
  const double written = r.vendor(superseded, "nvidia", Metric::write_down_usd);
  EXPECT_GT(written, 0.7 * before) << show(r, Metric::write_down_usd);
  EXPECT_LT(r.vendor(superseded, "nvidia", Metric::inventory_usd), 0.3 * before);
  EXPECT_LT(r.vendor(superseded, "nvidia", Metric::gross_margin), 1e-12) << "write-downs are in cost of sales";
  for (Quarter q = r.start(); q <= r.end(); ++q) {
    if (q != superseded) {
      EXPECT_EQ(r.vendor(q, "nvidia", Metric::write_down_usd), 0.0) << q.str();
    }
  }
}

TEST(WhatIfTpuBreakout, TpusTakeShareOverQuartersAndNvidiaAnswersWithPrice) {
  // tpu-breakout: merchant TPUs at a TCO ~44% below GB200 from 2025Q4, their capacity added as
  // orders show. NVIDIA closes half the gap to a price within its 20% ecosystem premium: its list
  // price falls below the baseline's, and its revenue stays above half the baseline's every year.
  const DynRun& tpu = scenario_run("tpu-breakout");
  const DynRun& control = baseline();
  bool cheaper = false;
  for (int year = 2026; year <= 2035; ++year) {
    double own = 0.0, base = 0.0;
    for (int k = 1; k <= 4; ++k) {
      const Quarter q(year, k);
      own += tpu.vendor(q, "nvidia", Metric::revenue_usd);
      base += control.vendor(q, "nvidia", Metric::revenue_usd);
      cheaper |= tpu.vendor(q, "nvidia", Metric::list_price_usd) < 0.95 * control.vendor(q, "nvidia", Metric::list_price_usd);
    }
    EXPECT_GT(own, 0.5 * base) << year << ": " << own / 1e9 << " vs " << base / 1e9 << " $bn";
  }
  EXPECT_TRUE(cheaper) << "NVIDIA answers the TPU with its price";
  // Share over several quarters, not at once: the merchant TPUs' share of the chips NVIDIA and
  // they ship rises from 2026 to 2027 to 2028, and stays below half in its first full year.
  const auto tpu_share = [&](int year) {
    double tpus = 0.0, gpus = 0.0;
    for (int k = 1; k <= 4; ++k) {
      tpus += tpu.vendor(Quarter(year, k), "google-cloud", Metric::shipments_chips);
      gpus += tpu.vendor(Quarter(year, k), "nvidia", Metric::shipments_chips);
    }
    return tpus + gpus > 0.0 ? tpus / (tpus + gpus) : 0.0;
  };
  EXPECT_LT(tpu_share(2026), 0.5);
  EXPECT_LT(tpu_share(2026), tpu_share(2027));
  EXPECT_LT(tpu_share(2027), tpu_share(2028));
}

TEST(BaselineNeocloudFinance, LeasedSitesAndADelayedDrawFacilityTrackCoreWeavesDebt) {
  // The baseline's CoreWeave leases its new sites from developers and finances its orders with a delayed-draw
  // facility (drawn as the chips are paid), as its filings describe: its debt is within 25% of the record
  // (data/record/finance.csv: $8.0B Dec 2024, $11.2B Jun 2025), and it does not default. The control borrows each
  // order whole when it places it and builds its own sites: far above the record.
  const DynRun& r = baseline();
  const std::vector<std::string> own_financing = {"agents.coreweave.new_site.ownership=owned",
                                                  "agents.coreweave.finance.delayed_draw=false"};
  DynRun control{load_scenario_file(AIDC_SOURCE_DIR "/scenarios/baseline.yaml", own_financing), {}};
  control.result = run_scenario(control.spec, control.spec.run.seed);
  const std::pair<Quarter, double> record[] = {{Quarter(2024, 4), 8.0e9}, {Quarter(2025, 2), 11.2e9}};
  for (const auto& [q, debt_usd] : record) {
    EXPECT_NEAR(r.agent(q, "coreweave", Metric::debt_usd), debt_usd, 0.25 * debt_usd) << q.str();
    EXPECT_GT(control.agent(q, "coreweave", Metric::debt_usd), 1.25 * debt_usd) << q.str() << " (the control)";
  }
  EXPECT_FALSE(r.events("facility", "coreweave").empty());
  EXPECT_FALSE(r.events("draw", "coreweave").empty());
  EXPECT_TRUE(r.events("default", "coreweave").empty());
}

TEST(BaselineSites, ConstructionTimedToTheGridMovesSiteSpendingToWhenPowerComes) {
  // The baseline's US builders queue new sites for the grid when they plan them and build them to be ready a quarter
  // before the connection (new_site.ready_before_grid). The control builds every site at once (ready 80 quarters
  // before: never later than now) and then waits years for the grid: the four hyperscalers' capex of 2023–24 is far
  // above the record (data/record/capex.csv: $149B in 2023, $248B in 2024), and it sags in 2026 when the early
  // sites are paid off.
  const DynRun& r = baseline();
  DynRun at_once{load_scenario_file(AIDC_SOURCE_DIR "/scenarios/baseline.yaml", {"agents[*].new_site.ready_before_grid=80"}), {}};
  at_once.result = run_scenario(at_once.spec, at_once.spec.run.seed);
  const char* four[] = {"microsoft", "alphabet", "amazon", "meta"};
  auto capex = [&](const DynRun& run, int year) {
    double usd = 0.0;
    for (const char* a : four) {
      for (int k = 1; k <= 4; ++k) usd += run.agent(Quarter(year, k), a, Metric::capex_usd);
    }
    return usd;
  };
  const double record_2023_24 = 149.0e9 + 248.4e9;
  const double timed = capex(r, 2023) + capex(r, 2024), built_at_once = capex(at_once, 2023) + capex(at_once, 2024);
  EXPECT_LT(timed, 0.8 * built_at_once);
  EXPECT_LT(std::abs(timed - record_2023_24), 0.5 * std::abs(built_at_once - record_2023_24));
  EXPECT_GT(capex(r, 2026), capex(at_once, 2026));
  EXPECT_FALSE(r.events("site_planned", "microsoft").empty());
  EXPECT_TRUE(at_once.events("site_planned").empty());
}

TEST(DynamicsCounterparty, LabDefaultEndsContractAndSinksTheNeocloudThatServedIt) {
  // counterparty.yaml: a neocloud borrowed to serve a lab's take-or-pay contract; the lab's
  // funding stops at the end of 2025. The control funds the lab to the end.
  const DynRun r = run_dynamics("counterparty");
  const DynRun control = run_dynamics("counterparty", {"agents[lab].external_funding=$0.7B"});
  const LoggedEvent* lab_default = r.first_event("default", "lab", r.start());
  ASSERT_NE(lab_default, nullptr);
  const LoggedEvent* lost = r.first_event("contract_lost", "neo", r.start());
  ASSERT_NE(lost, nullptr);
  EXPECT_EQ(lost->quarter, lab_default->quarter);
  EXPECT_NE(lost->cause.find("lab defaulted"), std::string::npos) << lost->cause;
  // Left: 2024Q1 + 20 quarters − the default's quarter; 200k H100e × $1.20 × 2191.5 h each.
  const double left = static_cast<double>(Quarter(2024, 1) + 20 - lab_default->quarter);
  EXPECT_DOUBLE_EQ(figure(*lost, "quarters_left"), left);
  EXPECT_NEAR(figure(*lost, "value_left_usd"), 200e3 * 1.20 * 2191.5 * left, 1.0);
  // The neocloud's revenue falls with the contract, and it is distressed after the lab's default.
  EXPECT_LT(r.agent(lab_default->quarter + 1, "neo", Metric::revenue_usd),
            0.5 * r.agent(lab_default->quarter - 1, "neo", Metric::revenue_usd));
  const LoggedEvent* neo_distress = r.first_event("distress", "neo", r.start());
  ASSERT_NE(neo_distress, nullptr);
  EXPECT_GT(neo_distress->quarter, lab_default->quarter);
  // The control: nobody fails, the neocloud's loan is rolled over.
  EXPECT_TRUE(control.events("default").empty());
  EXPECT_TRUE(control.events("distress").empty());
  EXPECT_TRUE(control.events("contract_lost").empty());
  EXPECT_FALSE(control.events("refinance", "neo").empty());
}

TEST(BaselineMarket, StateCentersIdleWhileTrainingGradeComputeIsShortInChina) {
  // Export controls keep high-end chips out of China: no H800 after 2023, the H20 (not
  // training-grade) banned in 2025Q2, the A100s ageing out, and the Ascend parts of the time serve
  // inference. From the H20 ban until H200 licences (2026Q1) deliver, training finds too little
  // training-grade compute: it clears apart, dearer, and part of the training that would buy at
  // the market price goes unserved. In the same quarters the state centers, cost-plus and with a
  // short reach, sit idle over what they installed while the Chinese clouds are busy.
  const DynRun& r = baseline();
  int short_quarters = 0;
  for (Quarter q(2025, 2); q <= Quarter(2026, 1); ++q) {
    const double icc = r.agent(q, "china-icc", Metric::utilization_installed);
    const double clouds = r.agent(q, "china-clouds", Metric::utilization_installed);
    EXPECT_LT(icc, 0.5 * clouds) << q.str() << ": china-icc " << icc << ", china-clouds " << clouds;
    const double unmet = r.bloc(q, "china", Metric::unmet_training_h100e);
    EXPECT_GT(unmet, 0.0) << q.str();
    EXPECT_GT(r.bloc(q, "china", Metric::training_price_usd_per_h100e_hour),
              r.bloc(q, "china", Metric::price_usd_per_h100e_hour))
        << q.str();
    // The compute left idle in China is general compute: training-grade compute offered sells.
    EXPECT_LT(r.bloc(q, "china", Metric::training_grade_idle_h100e), 0.1 * r.bloc(q, "china", Metric::idle_h100e))
        << q.str();
    if (unmet > 0.0) ++short_quarters;
  }
  EXPECT_EQ(short_quarters, 4);
  const auto began = r.events("training_short", "china");
  ASSERT_FALSE(began.empty());
  EXPECT_EQ(began.front()->quarter, Quarter(2025, 2));
  EXPECT_FALSE(r.events("training_short_over", "china").empty());
  // In the US every chip on sale is training-grade: training and inference meet in one market.
  for (Quarter q = r.start(); q <= r.end(); ++q) {
    EXPECT_EQ(r.bloc(q, "us", Metric::training_price_usd_per_h100e_hour), r.bloc(q, "us", Metric::price_usd_per_h100e_hour))
        << q.str();
  }
  EXPECT_TRUE(r.events("training_short", "us").empty());
}

TEST(Ecosystem, AscendComputeIdlesWhileCudaClassComputeIsShortUntilDemandPortsToIt) {
  // tests/dynamics/ecosystem.yaml: GPUs 100k H100e, Ascend 200k, no chips added; 20% of demand
  // runs on Ascend in 2024Q1, 80% by 2027Q4. The control gives Ascend all of it.
  const DynRun r = run_dynamics("ecosystem");
  const DynRun control = run_dynamics("ecosystem", {"demand[0].ecosystem.ascend=100%"});
  // 2024Q1 by hand (P_prev = 2, a = 0.5, ε = 0.8, D(P) = 250k (P / 2)^−0.8): the effective supply
  // solves 0.2 x + 100k = x, x* = 125k; the target 2 × 2^1.25 and the sticky price
  // P = √(2 × 2 × 2^1.25) = 2^1.625; D(P) = 250k × 2^−0.5. Ascend sells 0.2 D, GPUs their 100k:
  // unmet 0.8 D − 100k, Ascend idle 200k − 0.2 D, all of it for want of demand able to run on it.
  const Quarter q0 = r.start();
  const double demand = 250e3 / std::sqrt(2.0);
  EXPECT_NEAR(r.bloc(q0, "china", Metric::price_usd_per_h100e_hour), std::pow(2.0, 1.625), 1e-9);
  EXPECT_NEAR(r.bloc(q0, "china", Metric::demand_h100e), demand, 1e-6);
  EXPECT_NEAR(r.bloc(q0, "china", Metric::unmet_demand_h100e), 0.8 * demand - 100e3, 1e-6);
  EXPECT_NEAR(r.bloc(q0, "china", Metric::ecosystem_idle_h100e), 200e3 - 0.2 * demand, 1e-6);
  EXPECT_NEAR(r.bloc(q0, "china", Metric::idle_h100e), 200e3 - 0.2 * demand, 1e-6);
  // The first year: the price stays well above the control's, demand goes unmet while compute sits
  // idle, and the control has neither.
  for (Quarter q = q0; q < q0 + 3; ++q) {
    EXPECT_GT(r.bloc(q, "china", Metric::unmet_demand_h100e), 0.0) << q.str();
    EXPECT_GT(r.bloc(q, "china", Metric::ecosystem_idle_h100e), 0.5 * 200e3) << q.str();
    EXPECT_GT(r.bloc(q, "china", Metric::price_usd_per_h100e_hour),
              1.5 * control.bloc(q, "china", Metric::price_usd_per_h100e_hour))
        << q.str();
  }
  for (Quarter q = q0; q <= control.end(); ++q) {
    EXPECT_EQ(control.bloc(q, "china", Metric::ecosystem_idle_h100e), 0.0) << q.str();
    EXPECT_EQ(control.bloc(q, "china", Metric::unmet_demand_h100e), 0.0) << q.str();
  }
  EXPECT_TRUE(control.events("out_of_ecosystem").empty());
  // As the share grows the ecosystem idle shrinks, quarter after quarter, to nothing (by 2027Q1,
  // φ = 68%), and the price falls toward the control's.
  for (Quarter q = q0 + 1; q <= r.end(); ++q) {
    const double now = r.bloc(q, "china", Metric::ecosystem_idle_h100e);
    const double before = r.bloc(q - 1, "china", Metric::ecosystem_idle_h100e);
    if (before > 0.0) {
      EXPECT_LT(now, before) << q.str();
    } else {
      EXPECT_EQ(now, 0.0) << q.str();
    }
  }
  EXPECT_EQ(r.bloc(Quarter(2027, 1), "china", Metric::ecosystem_idle_h100e), 0.0);
  EXPECT_LT(r.bloc(r.end(), "china", Metric::price_usd_per_h100e_hour),
            1.05 * control.bloc(r.end(), "china", Metric::price_usd_per_h100e_hour));
  // The event log: once when the Ascend cloud's compute goes out of its ecosystem, once when it is
  // back; never for the GPUs.
  const auto out = r.events("out_of_ecosystem", "ascend-cloud");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out.front()->quarter, q0);
  EXPECT_NE(out.front()->cause.find("ascend"), std::string::npos);
  EXPECT_NEAR(figure(*out.front(), "idle_h100e"), 200e3 - 0.2 * demand, 1e-6);
  EXPECT_DOUBLE_EQ(figure(*out.front(), "share_of_demand"), 0.2);
  const auto over = r.events("out_of_ecosystem_over", "ascend-cloud");
  ASSERT_EQ(over.size(), 1U);
  EXPECT_EQ(over.front()->quarter, Quarter(2027, 1));
  EXPECT_TRUE(r.events("out_of_ecosystem", "gpu-cloud").empty());
}

}  // namespace
}  // namespace aidc
