// Small worlds built directly as ScenarioSpec structs and run quarter by quarter: power-bound
// regions, deliveries after the lead time, depreciation, retirement and impairment, utilization,
// cash flows and determinism (MODEL.md §4–§11).

#include "aidc/model/world.hpp"
#include "aidc/scenario/binder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aidc/kernel/simulator.hpp"

namespace aidc {
namespace {

#define EXPECT_REL(actual, expected) EXPECT_NEAR((actual), (expected), 1e-9 * std::max(1.0, std::abs(expected)))

const Quarter start_q(2024, 1);

TimeSeriesSpec constant(double v) {
  TimeSeriesSpec ts;
  ts.points.push_back({start_q, v});
  return ts;
}

// One H100-like chip (1 effective H100e, 1.4 kW, rack 40 kW), one vendor, one US region with plenty
// of power, one agent that buys nothing (no vendors) and owns nothing, US demand of 10,000 H100e.
ScenarioSpec base_spec(int quarters) {
  ScenarioSpec spec;
  spec.name = "unit";
  spec.run.start = start_q;
  spec.run.end = start_q + (quarters - 1);
  spec.run.seed = 1;

  ChipSpec c;
  c.name = "h100";
  c.vendor = "nvidia";
  c.family = ChipFamily::gpu;
  c.available_from = Quarter(2020, 1);
  c.available_until = Quarter(2040, 4);
  c.bf16_tflops = 989.0;
  c.power_kw = 1.4;
  c.rack_kw = 40.0;
  c.price_usd = 25000.0;
  c.economic_life_quarters = 12;
  c.software_efficiency = 1.0;
  c.markets = {"us"};
  spec.chips.push_back(c);

  VendorSpec v;
  v.name = "nvidia";
  v.capacity_chips_per_quarter = constant(1e6);
  v.lead_time_quarters = 2;
  spec.vendors.push_back(v);

  RegionSpec r;
  r.name = "r1";
  r.bloc = "us";
  r.generation_mw = constant(100000.0);
  r.other_load_mw = constant(0.0);
  r.reserve_margin = 0.0;
  r.power_price_usd_per_mwh = 50.0;
  r.interconnection_quarters = 4;
  spec.regions.push_back(r);

  AgentSpec a;
  a.name = "a";
  a.kind = AgentKind::hyperscaler;
  a.bloc = "us";
  a.cash_usd = 0.0;
  a.regions = {"r1"};
  a.book_life_quarters = 24;
  a.strategy.target_share = 0.5;
  a.strategy.momentum = 0.0;
  a.strategy.long_run_growth_per_year = 0.0;
  a.strategy.headroom = 0.0;
  spec.agents.push_back(a);

  DemandSpec d;
  d.bloc = "us";
  d.base_h100e = 10000.0;
  d.growth_per_year = constant(0.0);
  d.reference_price_usd_per_hour = 2.0;
  d.elasticity = 1.0;
  d.price_adjustment = 0.5;
  d.noise = 0.0;
  spec.demand.push_back(d);
  return spec;
}

// A site that exists at the start, owned by agent "a"; free to build unless a cost is given.
SiteSpec site_spec(const char* name, double capacity_mw, double pue, double rack_kw = 40.0, double cost_per_mw = 0.0) {
  SiteSpec s;
  s.name = name;
  s.owner = "a";
  s.region = "r1";
  s.capacity_mw = capacity_mw;
  s.pue = pue;
  s.rack_kw = rack_kw;
  s.build_cost_usd_per_mw = cost_per_mw;
  s.online = Quarter(2023, 1);
  return s;
}

FleetSpec fleet_spec(double count, const char* site, int age) {
  FleetSpec f;
  f.chip = "h100";
  f.count = count;
  f.site = site;
  f.age_quarters = age;
  return f;
}

using QuarterHook = std::function<void(Quarter, const World&)>;

// The spec as the loader hands it over: with its references bound.
ScenarioSpec bound(ScenarioSpec spec) {
  bind_references(spec);
  return spec;
}

// Runs the spec (bound); after every quarter's record phase checks the invariants and calls
// `hook`. Returns the number of quarters observed.
int run_world(const ScenarioSpec& unbound, std::uint64_t seed, const QuarterHook& hook) {
  const ScenarioSpec spec = bound(unbound);
  Simulator sim;
  World w(spec, seed);
  w.attach(sim);
  int quarters = 0;
  sim.on_after_phase([&](Quarter q, Phase p) {
    if (p != Phase::record) return;
    EXPECT_EQ(w.now(), q);
    EXPECT_NO_THROW(w.check_invariants()) << q.str();
    hook(q, w);
    ++quarters;
  });
  sim.run(spec.run.start, spec.run.end);
  return quarters;
}

// One metric of the current quarter as World::report emits it (for figures only reported, like a vendor's
// inventory).
double metric_of(const World& w, EntityKind kind, std::string_view entity, Metric metric) {
  struct Pick final : MetricSink {
    EntityKind kind;
    std::string_view entity;
    Metric metric;
    double value = std::nan("");
    int found = 0;
    Pick(EntityKind k, std::string_view e, Metric m) : kind(k), entity(e), metric(m) {}
    void put(Quarter, EntityKind k, std::string_view e, Metric m, double v) override {
      if (k == kind && e == entity && m == metric) {
        value = v;
        ++found;
      }
    }
  } pick(kind, entity, metric);
  w.report(pick);
  EXPECT_EQ(pick.found, 1) << metric_name(metric);
  return pick.value;
}

double vendor_metric(const World& w, Metric metric) { return metric_of(w, EntityKind::vendor, "nvidia", metric); }

double fleet_chips(const Fleet& f, bool include_retired = false) {
  double n = 0.0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (include_retired || !f.retired[i]) n += f.count[i];
  }
  return n;
}

// --- (a) power-bound region ------------------------------------------------------------------

TEST(WorldPower, PowerBoundRegionStrandsCompute) {
  // 10,000 chips × 1.4 kW = 14 MW IT; × PUE 1.3 = 18.2 MW asked of a grid with 10 MW to spare.
  ScenarioSpec spec = base_spec(4);
  spec.regions[0].generation_mw = constant(10.0);
  spec.sites.push_back(site_spec("s1", 100.0, 1.3));
  spec.agents[0].fleet.push_back(fleet_spec(10000.0, "s1", 0));
  const double requested = 10000.0 * 1.4 / 1000.0 * 1.3;
  const double powered = 10000.0 * 10.0 / requested;

  const int n = run_world(spec, 1, [&](Quarter q, const World& w) {
    const Region& r = w.regions()[0];
    EXPECT_REL(r.available_mw, 10.0) << q.str();
    EXPECT_REL(r.requested_mw, requested) << q.str();
    EXPECT_TRUE(r.power_bound) << q.str();
    EXPECT_LE(r.delivered_mw, r.available_mw * (1 + 1e-12)) << q.str();
    EXPECT_REL(r.delivered_mw, 10.0) << q.str();

    const Site& s = w.sites()[0];
    EXPECT_REL(s.requested_mw, requested);
    EXPECT_REL(s.delivered_mw, 10.0);

    const Agent& a = w.agents()[0];
    EXPECT_REL(a.installed_h100e, 10000.0);
    EXPECT_REL(a.powered_h100e, powered);
    EXPECT_GT(a.installed_h100e - a.powered_h100e, 0.0) << "stranded compute";
    EXPECT_REL(a.installed_h100e - a.powered_h100e, 10000.0 - powered);

    // The powered chips draw exactly what the site was given, never more.
    const Fleet& f = w.fleet();
    double drawn = 0.0;
    for (std::size_t i = 0; i < f.size(); ++i) drawn += f.powered_count[i] * 1.4 / 1000.0 * 1.3;
    EXPECT_LE(drawn, s.delivered_mw * (1 + 1e-9));
    EXPECT_REL(drawn, 10.0);
    // Power bills: delivered MW × hours × price.
    EXPECT_REL(a.flows.power_opex_usd, 10.0 * hours_per_quarter * 50.0);
  });
  EXPECT_EQ(n, 4);
}

TEST(WorldPower, PlannedAdditionsAddPowerFromTheirQuarter) {
  // 18.2 MW asked of 10 MW; an engine plant adds 5 MW in the third quarter, and one online
  // before the start adds 2 MW from the first: 12 MW, then 17 MW, still short of 18.2 MW.
  ScenarioSpec spec = base_spec(5);
  spec.regions[0].generation_mw = constant(10.0);
  spec.regions[0].additions.push_back({"old", "gas_turbine", 2.0, start_q - 4, {}});
  spec.regions[0].additions.push_back({"engines", "gas_engine", 5.0, start_q + 2, {}});
  spec.sites.push_back(site_spec("s1", 100.0, 1.3));
  spec.agents[0].fleet.push_back(fleet_spec(10000.0, "s1", 0));
  const double requested = 10000.0 * 1.4 / 1000.0 * 1.3;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const Region& r = w.regions()[0];
    const double expected = q < start_q + 2 ? 12.0 : 17.0;
    EXPECT_REL(r.available_mw, expected) << q.str();
    EXPECT_REL(r.delivered_mw, expected) << q.str();
    EXPECT_REL(w.agents()[0].powered_h100e, 10000.0 * expected / requested) << q.str();
  });
}

TEST(WorldPower, PowerBoundShareIsProRataAcrossSites) {
  // Two sites asking 18.2 and 9.1 MW of 13.65 available: each gets half of what it asked.
  ScenarioSpec spec = base_spec(2);
  spec.regions[0].generation_mw = constant(13.65);
  spec.sites.push_back(site_spec("s1", 100.0, 1.3));
  spec.sites.push_back(site_spec("s2", 100.0, 1.3));
  spec.agents[0].fleet.push_back(fleet_spec(10000.0, "s1", 0));
  spec.agents[0].fleet.push_back(fleet_spec(5000.0, "s2", 0));
  run_world(spec, 1, [&](Quarter, const World& w) {
    EXPECT_TRUE(w.regions()[0].power_bound);
    EXPECT_REL(w.sites()[0].delivered_mw, 9.1);
    EXPECT_REL(w.sites()[1].delivered_mw, 4.55);
    EXPECT_REL(w.fleet().powered_count[0], 5000.0);
    EXPECT_REL(w.fleet().powered_count[1], 2500.0);
    EXPECT_REL(w.agents()[0].powered_h100e, 7500.0);
  });
}

TEST(WorldPower, GenerationGrowthEndsThePowerBind) {
  // Generation rises from 10 MW (2024Q1) to 30 MW (2025Q1): 15 MW in 2024Q2, 20 MW in 2024Q3,
  // enough for the 18.2 MW the site asks from then on.
  ScenarioSpec spec = base_spec(5);
  spec.regions[0].generation_mw.points = {{start_q, 10.0}, {start_q + 4, 30.0}};
  spec.sites.push_back(site_spec("s1", 100.0, 1.3));
  spec.agents[0].fleet.push_back(fleet_spec(10000.0, "s1", 0));
  const double requested = 18.2;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q;
    const double available = 10.0 + 5.0 * k;
    const Region& r = w.regions()[0];
    const Agent& a = w.agents()[0];
    EXPECT_REL(r.available_mw, available) << q.str();
    EXPECT_EQ(r.power_bound, available < requested) << q.str();
    EXPECT_REL(r.delivered_mw, std::min(available, requested)) << q.str();
    EXPECT_REL(a.powered_h100e, 10000.0 * std::min(1.0, available / requested)) << q.str();
  });
}

TEST(WorldPower, ChipsTooDenseForTheSiteAreStranded) {
  // Chips needing 130 kW racks cannot go into a 40 kW air-cooled site: delivered, unplaced, unpowered.
  // Neither a new site nor a retrofit is an option: the agent retrofits an old site only when that is cheaper per
  // MW than building, and here both cost $1e12 per MW (a retrofit would take s1 down and unpower its chips too).
  ScenarioSpec spec = base_spec(3);
  spec.chips[0].rack_kw = 130.0;
  spec.agents[0].vendors = {"nvidia"};
  spec.agents[0].cash_usd = 1e9;
  spec.agents[0].new_site.build_cost_usd_per_mw = 1e12;  // no new sites
  spec.agents[0].retrofit.cost_usd_per_mw = 1e12;        // no retrofits
  spec.sites.push_back(site_spec("s1", 100.0, 1.3, 40.0));
  spec.agents[0].fleet.push_back(fleet_spec(1000.0, "s1", 0));  // existing chips sit where they are
  spec.vendors[0].lead_time_quarters = 1;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const Agent& a = w.agents()[0];
    EXPECT_REL(a.powered_h100e, 1000.0) << q.str();
    EXPECT_EQ(w.sites()[0].retrofit_rack_kw, 0.0) << q.str();
    EXPECT_REL(w.sites()[0].rack_kw, 40.0) << q.str();
    if (q >= start_q + 1) {
      EXPECT_GT(a.installed_h100e, 1000.0) << q.str();
      for (std::size_t i = 1; i < w.fleet().size(); ++i) {
        EXPECT_EQ(w.fleet().site[i], no_site);
        EXPECT_EQ(w.fleet().powered_count[i], 0.0);
      }
    }
  });
}

TEST(WorldPower, SiteWaitingForInterconnectionHostsButDoesNotPower) {
  // A site online in 2024Q3: chips delivered before then are placed there once it is built and
  // powered from its interconnection quarter on.
  ScenarioSpec spec = base_spec(4);
  spec.sites.push_back(site_spec("s1", 100.0, 1.3));
  spec.sites[0].online = start_q + 2;
  spec.agents[0].fleet.push_back(fleet_spec(1000.0, "s1", 0));
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const Site& s = w.sites()[0];
    const Agent& a = w.agents()[0];
    const bool online = q >= start_q + 2;
    EXPECT_EQ(s.built, online) << q.str();
    EXPECT_EQ(s.interconnected, online) << q.str();
    EXPECT_REL(a.installed_h100e, 1000.0);
    EXPECT_REL(a.powered_h100e, online ? 1000.0 : 0.0) << q.str();
    EXPECT_REL(s.delivered_mw, online ? 1000.0 * 1.4 / 1000.0 * 1.3 : 0.0) << q.str();
  });
}

// --- (b) deliveries after the lead time -----------------------------------------------------------

// An agent with $1B and a target of 5,000 H100e (share 0.5 of a flat 10,000), no fleet, no site.
// The list price does not fall with age here (the H100 went on sale in 2020, so the default 15% a year would make
// it $25,000 × 0.85^4 in 2024Q1): these tests are about lead times, backlogs and cash, and price at $25,000.
// (Inventory still cuts the price, but these agents order in the first quarter only, before any inventory.)
ScenarioSpec buyer_spec(int quarters, int lead_time) {
  ScenarioSpec spec = base_spec(quarters);
  spec.vendors[0].price_policy.decline_per_year = 0.0;
  spec.agents[0].vendors = {"nvidia"};
  spec.agents[0].cash_usd = 1e9;
  spec.agents[0].new_site.build_cost_usd_per_mw = 1e12;  // sites unaffordable: chips arrive stranded
  spec.vendors[0].lead_time_quarters = lead_time;
  return spec;
}

TEST(WorldDelivery, OrderArrivesAfterTheLeadTimeAndIsCapitalizedThen) {
  for (const int lead : {1, 2, 3}) {
    SCOPED_TRACE("lead time " + std::to_string(lead));
    const ScenarioSpec spec = buyer_spec(lead + 3, lead);
    const double value = 5000.0 * 25000.0;
    const Quarter arrival = start_q + lead;
    run_world(spec, 1, [&](Quarter q, const World& w) {
      const Agent& a = w.agents()[0];
      const Vendor& v = w.vendors()[0];
      const double cash = a.ledger.balance(Account::cash);
      if (q == start_q) {
        EXPECT_REL(a.flows.ordered_h100e, 5000.0);
        EXPECT_REL(v.orders_chips, 5000.0);
        EXPECT_REL(v.shipped_chips, 5000.0);  // capacity to spare: produced at once
        EXPECT_EQ(v.backlog_chips(), 0.0);
        EXPECT_REL(a.committed_chips_usd, value);
      }
      if (q > start_q) {
        EXPECT_EQ(a.flows.ordered_h100e, 0.0) << q.str() << ": nothing more to order";
        EXPECT_EQ(v.orders_chips, 0.0) << q.str();
      }
      if (q < arrival) {
        EXPECT_EQ(w.fleet().size(), 0U) << q.str();
        EXPECT_REL(a.on_order_h100e, 5000.0) << q.str();
        EXPECT_EQ(a.flows.capex_chips_usd, 0.0) << q.str();
        EXPECT_REL(cash, 1e9) << q.str();
        EXPECT_EQ(a.ledger.balance(Account::chips), 0.0) << q.str();
      } else {
        ASSERT_EQ(w.fleet().size(), 1U) << q.str();
        EXPECT_EQ(w.fleet().delivered[0], arrival);
        EXPECT_REL(w.fleet().count[0], 5000.0);
        EXPECT_REL(w.fleet().unit_price_usd[0], 25000.0);
        EXPECT_EQ(w.fleet().site[0], no_site);  // no site: stranded
        EXPECT_REL(a.installed_h100e, 5000.0);
        EXPECT_EQ(a.powered_h100e, 0.0);
        EXPECT_NEAR(a.on_order_h100e, 0.0, 1e-9);
        EXPECT_NEAR(a.committed_chips_usd, 0.0, 1e-6);
        EXPECT_REL(cash, 1e9 - value);
        EXPECT_REL(a.flows.capex_chips_usd, q == arrival ? value : 0.0) << q.str();
        // Book depreciation starts in the quarter of delivery: value / 24 per quarter.
        const int quarters_held = q - arrival + 1;
        EXPECT_REL(a.ledger.balance(Account::chips), value * (1.0 - quarters_held / 24.0)) << q.str();
      }
    });
  }
}

TEST(WorldDelivery, ADepositIsPaidAtTheOrderAndTheRestOnDelivery) {
  // A 20% deposit: 5,000 chips at $25,000 ($125M) ordered in 2024Q1 cost $25M then (capex, a deposit asset, money to
  // the vendor) and $100M on arrival in 2024Q3 (lead time 2), when the deposit joins the chips' book value of $125M.
  // The vendor ships at once: the deposit goes with the shipment and its cash gets $125M − $25M of the revenue then.
  ScenarioSpec spec = buyer_spec(4, 2);
  spec.vendors[0].deposit_share = 0.2;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q;
    const Agent& a = w.agents()[0];
    EXPECT_REL(a.flows.capex_chips_usd, k == 0 ? 25e6 : (k == 2 ? 100e6 : 0.0)) << q.str();
    EXPECT_REL(a.ledger.balance(Account::deposits), k < 2 ? 25e6 : 0.0) << q.str();
    EXPECT_REL(a.committed_chips_usd, k < 2 ? 100e6 : 0.0) << q.str();
    if (k >= 2) {
      EXPECT_REL(a.ledger.balance(Account::chips), w.fleet().book_value_usd[0]) << q.str();
    }
    if (k == 0) {
      EXPECT_REL(w.vendors()[0].revenue_usd, 125e6);
      EXPECT_REL(w.vendors()[0].deposits_applied_usd, 25e6);
      EXPECT_EQ(w.vendors()[0].deposits_usd, 0.0) << "shipped: no longer owed";
    }
    if (k == 2) {
      EXPECT_REL(w.fleet().unit_price_usd[0] * w.fleet().count[0], 125e6);
    }
  });
}

TEST(WorldDelivery, ZeroLeadTimeArrivesNextQuarter) {
  const ScenarioSpec spec = buyer_spec(3, 0);
  run_world(spec, 1, [&](Quarter q, const World& w) {
    EXPECT_EQ(w.fleet().size(), q == start_q ? 0U : 1U) << q.str();
    if (q == start_q + 1) {
      EXPECT_REL(w.agents()[0].flows.capex_chips_usd, 5000.0 * 25000.0);
    }
  });
}

TEST(WorldDelivery, LimitedCapacityDeliversTheBacklogOverSeveralQuarters) {
  // 5,000 ordered in 2024Q1, 1,000 produced a quarter, each arriving two quarters later.
  // Output is max(plan, backlog − inventory) within capacity: 1,000 a quarter until the backlog is gone (k = 4).
  // The plan made after quarter k is backlog + forecast × (1 + 1 quarter of target inventory) − inventory, the
  // forecast being smoothed orders (s_0 = 5,000, then s_k = s_{k−1} / 2 as orders stop) × (1 + ½ × growth), growth
  // clamped to −0.9 the quarter orders fall to 0 and 0 after: after k = 4 the plan is 0 + 2 × 312.5 − 0 = 625, made
  // in k = 5 with nothing to ship: 625 chips of inventory from then on (after k = 5 the plan is 2 × 156.25 −
  // 625 < 0: nothing more is made).
  ScenarioSpec spec = buyer_spec(8, 2);
  spec.vendors[0].capacity_chips_per_quarter = constant(1000.0);
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q;
    const Vendor& v = w.vendors()[0];
    const Agent& a = w.agents()[0];
    EXPECT_REL(v.backlog_chips(), std::max(0, 4 - k) * 1000.0) << q.str();
    EXPECT_REL(v.shipped_chips, k < 5 ? 1000.0 : 0.0) << q.str();
    EXPECT_REL(vendor_metric(w, Metric::inventory_chips), k < 5 ? 0.0 : 625.0) << q.str();
    EXPECT_REL(fleet_chips(w.fleet()), std::clamp(k - 1, 0, 5) * 1000.0) << q.str();
    EXPECT_REL(a.flows.capex_chips_usd, (k >= 2 && k <= 6) ? 1000.0 * 25000.0 : 0.0) << q.str();
    // Installed + on order stays at the target: no double ordering while chips are in the pipe.
    EXPECT_REL(a.installed_h100e + a.on_order_h100e, 5000.0) << q.str();
    EXPECT_EQ(v.orders_chips, k == 0 ? 5000.0 : 0.0) << q.str();
  });
}

TEST(WorldDelivery, OrdersAreLimitedByCashAboveTheMinimum) {
  // $1B cash, $0.95B minimum: $50M buys 2,000 chips at $25,000, though 5,000 are wanted.
  ScenarioSpec spec = buyer_spec(2, 1);
  spec.agents[0].min_cash_usd = 0.95e9;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    if (q == start_q) {
      EXPECT_REL(w.agents()[0].flows.ordered_h100e, 2000.0);
      EXPECT_NEAR(w.agents()[0].spendable_usd(), 0.0, 1e-3);
    }
  });
}

TEST(WorldDelivery, DeliveredChipsArePlacedAndPoweredInAnEnergizedSite) {
  ScenarioSpec spec = buyer_spec(3, 1);
  spec.sites.push_back(site_spec("s1", 100.0, 1.3));
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const Agent& a = w.agents()[0];
    if (q == start_q) {
      EXPECT_EQ(a.installed_h100e, 0.0);
      return;
    }
    EXPECT_REL(a.installed_h100e, 5000.0) << q.str();
    EXPECT_REL(a.powered_h100e, 5000.0) << q.str();
    EXPECT_EQ(w.fleet().site[0], 0);
    EXPECT_REL(w.sites()[0].used_mw, 5000.0 * 1.4 / 1000.0);
    EXPECT_REL(w.sites()[0].delivered_mw, 5000.0 * 1.4 / 1000.0 * 1.3);
  });
}

TEST(WorldDelivery, CohortLargerThanTheSiteIsSplit) {
  // A 5 MW site holds 5 / 0.0014 = 3571.4 chips; the rest of the 5,000 wait without a site.
  ScenarioSpec spec = buyer_spec(3, 1);
  spec.sites.push_back(site_spec("s1", 5.0, 1.3));
  run_world(spec, 1, [&](Quarter q, const World& w) {
    if (q == start_q) return;
    const Fleet& f = w.fleet();
    ASSERT_EQ(f.size(), 2U);
    EXPECT_EQ(f.site[0], no_site);
    EXPECT_EQ(f.site[1], 0);
    EXPECT_REL(f.count[1], 5.0 / 0.0014);
    EXPECT_REL(f.count[0] + f.count[1], 5000.0);
    EXPECT_REL(w.agents()[0].powered_h100e, 5.0 / 0.0014);
    EXPECT_REL(w.sites()[0].used_mw, 5.0);
  });
}

// The buyer above, lead time 2, owning no site: its new sites are 10 MW at $1M/MW, 2 quarters to
// build, PUE 1.25, 40 kW racks, 40 quarters of life.
ScenarioSpec site_buyer_spec(int quarters) {
  ScenarioSpec spec = buyer_spec(quarters, 2);
  SiteTemplateSpec& t = spec.agents[0].new_site;
  t.capacity_mw = 10.0;
  t.build_cost_usd_per_mw = 1e6;
  t.build_quarters = 2;
  t.pue = 1.25;
  t.rack_kw = 40.0;
  t.life_quarters = 40;
  return spec;
}

TEST(WorldDelivery, NewSiteIsPaidOverItsBuildAndPowersChipsOnceInterconnected) {
  // Needing 5,000 × 1.4 kW = 7 MW and owning no site, the agent starts one 10 MW site ($10M,
  // 2 quarters to build) in 2024Q1; the region grants interconnection 4 quarters after the request.
  // Construction is paid in 2024Q2 and 2024Q3; the site is built in 2024Q3 (when the chips arrive,
  // lead time 2) and energized in 2025Q1.
  ScenarioSpec spec = site_buyer_spec(7);
  spec.regions[0].interconnection_quarters = 4;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q;
    const Agent& a = w.agents()[0];
    ASSERT_EQ(w.sites().size(), 1U) << q.str() << ": one site is enough";
    const Site& s = w.sites()[0];
    EXPECT_EQ(s.region, 0U);
    EXPECT_REL(s.capacity_mw, 10.0);
    EXPECT_EQ(s.built, k >= 2) << q.str();
    EXPECT_EQ(s.interconnected, k >= 4) << q.str();
    EXPECT_REL(a.flows.capex_sites_usd, (k == 1 || k == 2) ? 5e6 : 0.0) << q.str();
    EXPECT_REL(a.committed_sites_usd, k == 0 ? 1e7 : (k == 1 ? 5e6 : 0.0)) << q.str();
    const double depreciated = k >= 2 ? (k - 1) * 1e7 / 40.0 : 0.0;
    EXPECT_REL(s.book_value_usd, std::min(k, 2) * 5e6 - depreciated) << q.str();
    EXPECT_REL(a.ledger.balance(Account::sites), s.book_value_usd) << q.str();
    if (k >= 2) {
      EXPECT_REL(a.installed_h100e, 5000.0) << q.str();
      EXPECT_EQ(w.fleet().site[0], 0) << q.str() << ": placed in the built site";
      EXPECT_REL(a.powered_h100e, k >= 4 ? 5000.0 : 0.0) << q.str();
      EXPECT_REL(s.delivered_mw, k >= 4 ? 7.0 * 1.25 : 0.0) << q.str();
    }
  });
}

// --- (c) retirement with impairment, (d) depreciation -----------------------------------------------

// An agent that buys nothing, with N chips of price P at a free site, book life B, economic life E.
ScenarioSpec holder_spec(int quarters, double n, double price, int book_life, int econ_life, int age) {
  ScenarioSpec spec = base_spec(quarters);
  spec.chips[0].price_usd = price;
  spec.chips[0].economic_life_quarters = econ_life;
  spec.agents[0].book_life_quarters = book_life;
  spec.sites.push_back(site_spec("s1", 1000.0, 1.2));
  spec.agents[0].fleet.push_back(fleet_spec(n, "s1", age));
  return spec;
}

TEST(WorldRetirement, RetiresAtEndOfEconomicLifeImpairingTheBookValueLeft) {
  // N = 1000, P = $20,000, B = 24, E = 8: impairment = N·P·(1 − E/B) = $13,333,333.33.
  // Delivered at the start, the chips serve quarters start … start+E−1 and retire in the
  // accounting phase of start+E−1, after that quarter's depreciation.
  const double n = 1000.0, price = 20000.0, cost = n * price;
  const int book_life = 24, econ_life = 8;
  const ScenarioSpec spec = holder_spec(10, n, price, book_life, econ_life, 0);
  const Quarter retire = start_q + (econ_life - 1);
  const double impairment = cost * (1.0 - static_cast<double>(econ_life) / book_life);
  EXPECT_REL(impairment, 2e7 * 2.0 / 3.0);
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const Agent& a = w.agents()[0];
    const Fleet& f = w.fleet();
    if (q < retire) {
      EXPECT_EQ(f.retired[0], 0) << q.str();
      EXPECT_EQ(a.flows.impairment_usd, 0.0) << q.str();
      EXPECT_EQ(a.flows.retired_h100e, 0.0) << q.str();
      EXPECT_REL(a.installed_h100e, n);
    } else if (q == retire) {
      EXPECT_EQ(f.retired[0], 1);
      EXPECT_REL(a.flows.impairment_usd, impairment);
      EXPECT_REL(a.flows.retired_h100e, n);
      EXPECT_REL(a.flows.depreciation_book_usd, cost / book_life);
      EXPECT_REL(a.flows.depreciation_economic_usd, cost / econ_life);
      EXPECT_EQ(f.book_value_usd[0], 0.0);
      EXPECT_EQ(f.economic_value_usd[0], 0.0);
      EXPECT_NEAR(a.ledger.balance(Account::chips), 0.0, 1e-6);
      EXPECT_NEAR(w.sites()[0].used_mw, 0.0, 1e-9);  // its space is freed
      // Net income = pre-tax income − 21% tax on it when positive; no other income, leases or interest here.
      const double pretax = a.flows.revenue_usd - a.flows.power_opex_usd - cost / book_life - impairment;
      EXPECT_GT(pretax, 0.0);
      EXPECT_REL(a.flows.ai_pretax_income_usd(), pretax);
      EXPECT_REL(a.flows.tax_usd, 0.21 * pretax);
      EXPECT_REL(a.flows.net_income_usd(), pretax * (1.0 - 0.21));
    } else {
      EXPECT_EQ(a.flows.impairment_usd, 0.0) << q.str();
      EXPECT_EQ(a.installed_h100e, 0.0) << q.str();
      EXPECT_EQ(a.powered_h100e, 0.0) << q.str();
      EXPECT_NEAR(w.sites()[0].requested_mw, 0.0, 1e-9) << q.str();
    }
  });
}

TEST(WorldRetirement, AgedInitialFleetCarriesDepreciationSoFarAndImpairsTheSameRemainder) {
  // Delivered 3 quarters before the start: book cost·(1 − 3/24), economic cost·(1 − 3/8) at the
  // start; it serves ages 3…7 and retires in the fifth quarter (start+4), with the same
  // N·P·(1 − E/B) left on the books.
  const double n = 1000.0, price = 20000.0, cost = n * price;
  const ScenarioSpec spec = bound(holder_spec(7, n, price, 24, 8, 3));
  World probe(spec, 1);
  EXPECT_REL(probe.fleet().book_value_usd[0], cost * (1.0 - 3.0 / 24.0));
  EXPECT_REL(probe.fleet().economic_value_usd[0], cost * (1.0 - 3.0 / 8.0));
  EXPECT_REL(probe.agents()[0].ledger.balance(Account::chips), cost * (1.0 - 3.0 / 24.0));
  EXPECT_EQ(probe.fleet().delivered[0], start_q - 3);
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const Agent& a = w.agents()[0];
    EXPECT_REL(a.flows.impairment_usd, q == start_q + 4 ? cost * (1.0 - 8.0 / 24.0) : 0.0) << q.str();
    EXPECT_EQ(w.fleet().retired[0], q >= start_q + 4 ? 1 : 0) << q.str();
  });
}

TEST(WorldRetirement, InitialFleetPastItsEconomicLifeRetiresAtOnce) {
  const ScenarioSpec spec = holder_spec(2, 100.0, 20000.0, 24, 8, 10);
  run_world(spec, 1, [&](Quarter q, const World& w) {
    EXPECT_EQ(w.fleet().retired[0], 1) << q.str();
    if (q == start_q) {
      // Book 2e6·(1 − 10/24) at the start, one more quarter of depreciation, the rest impaired.
      EXPECT_REL(w.agents()[0].flows.impairment_usd, 2e6 * (1.0 - 11.0 / 24.0));
    }
  });
}

TEST(WorldRetirement, ChipServesForExactlyItsEconomicLife) {
  // MODEL.md §8: retirement "at end of economic life". A chip with an economic life of E quarters
  // delivered by the start (age 0) should be in service, and earn, in E quarters.
  const int econ_life = 8;
  const ScenarioSpec spec = holder_spec(12, 1000.0, 20000.0, 24, econ_life, 0);
  int quarters_powered = 0, quarters_earning = 0;
  run_world(spec, 1, [&](Quarter, const World& w) {
    if (w.agents()[0].powered_h100e > 0.0) ++quarters_powered;
    if (w.agents()[0].flows.revenue_usd > 0.0) ++quarters_earning;
  });
  EXPECT_EQ(quarters_powered, econ_life);
  EXPECT_EQ(quarters_earning, econ_life);
}

TEST(WorldDepreciation, BookOverBookLifeEconomicOverEconomicLife) {
  // N·P = $20M: book $20M/24 = $833,333.33 a quarter, economic $20M/8 = $2.5M a quarter.
  const double n = 1000.0, price = 20000.0, cost = n * price;
  const int book_life = 24, econ_life = 8;
  // Seven quarters: the chips retire (and are impaired) in the eighth, tested above.
  const ScenarioSpec spec = holder_spec(7, n, price, book_life, econ_life, 0);
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q + 1;  // quarters of depreciation so far
    const Agent& a = w.agents()[0];
    const Fleet& f = w.fleet();
    EXPECT_REL(a.flows.depreciation_book_usd, cost / book_life) << q.str();
    EXPECT_REL(a.flows.depreciation_economic_usd, cost / econ_life) << q.str();
    EXPECT_REL(f.book_value_usd[0], cost * (1.0 - static_cast<double>(k) / book_life)) << q.str();
    EXPECT_NEAR(f.economic_value_usd[0], cost * (1.0 - static_cast<double>(k) / econ_life), 1e-6 * cost) << q.str();
    EXPECT_REL(a.ledger.balance(Account::chips), f.book_value_usd[0]) << q.str();
    // No debt: equity is exactly the assets (cash, chips at book value, sites).
    EXPECT_REL(a.ledger.equity_usd(), a.ledger.balance(Account::cash) + a.ledger.balance(Account::chips) +
                                          a.ledger.balance(Account::sites));
    EXPECT_NEAR(a.ledger.imbalance(), 0.0, 1e-9 * a.ledger.scale());
  });
}

TEST(WorldDepreciation, BookLifeShorterThanEconomicLifeStopsAtZeroWithoutImpairment) {
  // B = 4 < E = 6: book depreciation cost/4 for four quarters, then nothing; retired with no
  // book value left, so no impairment.
  const double n = 100.0, price = 20000.0, cost = n * price;
  const ScenarioSpec spec = holder_spec(8, n, price, 4, 6, 0);
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q;
    const Agent& a = w.agents()[0];
    EXPECT_NEAR(a.flows.depreciation_book_usd, k < 4 ? cost / 4 : 0.0, 1e-6) << q.str();
    EXPECT_NEAR(a.flows.depreciation_economic_usd, k < 6 ? cost / 6 : 0.0, 1e-6) << q.str();
    EXPECT_NEAR(a.flows.impairment_usd, 0.0, 1e-6) << q.str();
    EXPECT_GE(w.fleet().book_value_usd[0], 0.0);
    EXPECT_GE(w.fleet().economic_value_usd[0], 0.0);
  });
}

TEST(WorldDepreciation, SitesDepreciateOverTheirLife) {
  // A site worth 100 MW × $10M = $1B with a life of 80 quarters: $12.5M a quarter, book = economic.
  ScenarioSpec spec = base_spec(3);
  spec.sites.push_back(site_spec("s1", 100.0, 1.2, 40.0, 10e6));
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q + 1;
    const Agent& a = w.agents()[0];
    EXPECT_REL(a.flows.depreciation_book_usd, 1e9 / 80.0) << q.str();
    EXPECT_REL(a.flows.depreciation_economic_usd, 1e9 / 80.0) << q.str();
    EXPECT_REL(w.sites()[0].book_value_usd, 1e9 * (1.0 - k / 80.0)) << q.str();
    EXPECT_REL(a.ledger.balance(Account::sites), w.sites()[0].book_value_usd) << q.str();
  });
}

// --- (e) plenty of power, growing demand ------------------------------------------------------------

// A buyer with an energized 1 GW site, 20,000 chips, $5B and demand growing 30% a year.
ScenarioSpec growth_spec(int quarters, double noise) {
  ScenarioSpec spec = base_spec(quarters);
  spec.demand[0].base_h100e = 40000.0;
  spec.demand[0].growth_per_year = constant(0.3);
  spec.demand[0].elasticity = 0.8;
  spec.demand[0].noise = noise;
  AgentSpec& a = spec.agents[0];
  a.vendors = {"nvidia"};
  a.cash_usd = 5e9;
  a.min_cash_usd = 1e8;
  a.operating_cash_flow_usd_per_quarter = 1e8;
  a.cash_flow_growth_per_year = 0.1;
  a.strategy.target_share = 0.8;
  a.strategy.momentum = 0.5;
  a.strategy.long_run_growth_per_year = 0.3;
  a.strategy.headroom = 0.2;
  spec.sites.push_back(site_spec("s1", 1000.0, 1.2, 40.0, 11.7e6));
  a.fleet.push_back(fleet_spec(20000.0, "s1", 4));
  return spec;
}

TEST(WorldGrowth, UtilizationWithinZeroOneAndIdleNonNegative) {
  const ScenarioSpec spec = growth_spec(20, 0.0);
  int quarters = 0, idle_quarters = 0;
  double first_installed = 0.0, last_installed = 0.0;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const Agent& a = w.agents()[0];
    const BlocMarket& m = w.markets()[bloc_id("us")];
    EXPECT_FALSE(w.regions()[0].power_bound) << q.str();
    ASSERT_GT(a.powered_h100e, 0.0) << q.str();
    const double utilization = a.utilized_h100e / a.powered_h100e;
    EXPECT_GT(utilization, 0.0) << q.str();
    EXPECT_LE(utilization, 1.0 + 1e-12) << q.str();
    const double idle = a.powered_h100e - a.utilized_h100e;
    EXPECT_GE(idle, -1e-9 * a.powered_h100e) << q.str();
    EXPECT_GE(m.last.idle_h100e, 0.0) << q.str();
    EXPECT_GE(m.last.unmet_h100e, 0.0) << q.str();
    EXPECT_REL(m.supply_h100e, a.powered_h100e);
    EXPECT_REL(a.utilized_h100e, m.last.sold_h100e);
    EXPECT_REL(idle, m.last.idle_h100e);
    EXPECT_GE(m.price_usd_per_hour, m.floor_usd_per_hour);
    // Revenue = sold × price × hours.
    EXPECT_REL(a.flows.revenue_usd, a.utilized_h100e * m.price_usd_per_hour * hours_per_quarter);
    // Plenty of power: everything placed in the site is powered.
    EXPECT_REL(a.powered_h100e, a.installed_h100e) << q.str();
    if (idle > 1e-6 * a.powered_h100e) ++idle_quarters;
    if (quarters == 0) first_installed = a.installed_h100e;
    last_installed = a.installed_h100e;
    ++quarters;
  });
  EXPECT_EQ(quarters, 20);
  EXPECT_GT(last_installed, first_installed) << "the agent grows its fleet with demand";
  EXPECT_GT(idle_quarters, 0) << "a target share with headroom leaves some compute idle";
}

TEST(WorldGrowth, CashChangesEqualTheSumOfCashFlows) {
  // MODEL.md §11: Δcash = revenue + other income − power − chip capex − site capex − tax, every quarter. The agent
  // has $5B: it never borrows, so there is no interest, repayment or other financing flow (checked). Its other
  // income is after tax; it pays 21% tax on its AI pre-tax income (revenue − power − book depreciation −
  // impairments), and a loss there is a credit against the other income's pre-tax equivalent.
  const ScenarioSpec spec = growth_spec(16, 0.0);
  double cash = spec.agents[0].cash_usd;
  int taxed_quarters = 0;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const Agent& a = w.agents()[0];
    const AgentFlows& f = a.flows;
    const double now = a.ledger.balance(Account::cash);
    for (const double none : {f.borrowed_usd, f.repaid_usd, f.interest_usd, f.payouts_usd, f.equity_raised_usd,
                              f.asset_sales_usd, f.invested_usd, f.compute_purchases_usd, f.site_opex_usd,
                              f.capex_power_usd}) {
      EXPECT_EQ(none, 0.0) << q.str();
    }
    const double ai_pretax = f.revenue_usd - f.power_opex_usd - f.depreciation_book_usd - f.impairment_usd;
    const double credit_limit = f.other_income_usd / (1.0 - 0.21);
    EXPECT_REL(f.tax_usd, ai_pretax >= 0.0 ? 0.21 * ai_pretax : -0.21 * std::min(-ai_pretax, credit_limit)) << q.str();
    if (ai_pretax > 0.0) ++taxed_quarters;
    const double expected = cash + f.revenue_usd + f.other_income_usd - f.power_opex_usd - f.capex_chips_usd -
                            f.capex_sites_usd - f.tax_usd;
    EXPECT_NEAR(now, expected, 1e-9 * std::max(std::abs(now), std::abs(cash))) << q.str();
    EXPECT_REL(f.other_income_usd, 1e8 * std::pow(1.1, (q - start_q) / 4.0)) << q.str();
    cash = now;
  });
  EXPECT_GT(taxed_quarters, 0) << "the run should cover tax";
}

TEST(WorldGrowth, ChipsAreConserved) {
  const ScenarioSpec spec = growth_spec(16, 0.0);
  double total_shipped = 0.0;
  int retirements = 0;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    if (w.agents()[0].flows.retired_h100e > 0.0) ++retirements;
    // Every chip in the fleet (retired or not) was either there at the start or delivered.
    double delivered = 0.0;
    for (std::size_t i = 0; i < w.fleet().size(); ++i) {
      if (w.fleet().delivered[i] >= start_q) delivered += w.fleet().count[i];
    }
    EXPECT_REL(fleet_chips(w.fleet(), true) - delivered, 20000.0) << q.str();
    // installed_h100e is taken in the market phase, before this quarter's retirements.
    const Agent& a = w.agents()[0];
    EXPECT_REL(a.installed_h100e, fleet_chips(w.fleet()) + a.flows.retired_h100e) << q.str();
    // Whatever has arrived was shipped in an earlier quarter (the lead time is at least one).
    EXPECT_LE(delivered, total_shipped * (1 + 1e-12) + 1e-6) << q.str();
    total_shipped += w.vendors()[0].shipped_chips;
  });
  EXPECT_GT(retirements, 0) << "the run should cover retirements";
}

TEST(WorldMarket, SellersShareTheSoldComputeProRataWithinTheirBloc) {
  // Agents a (20,000 chips) and b (10,000) sell into the US market (10,000 H100e at $2, ε = 1,
  // a = 0.5): P* = 2/3, P = √(2 · 2/3), sold = D(P) = 10,000 · 2/P, shared 2:1.
  // Agent c (China, 5,000 chips) has no market: powered, but nothing sold.
  ScenarioSpec spec = base_spec(1);
  AgentSpec b = spec.agents[0];
  b.name = "b";
  spec.agents.push_back(b);
  RegionSpec r2 = spec.regions[0];
  r2.name = "r2";
  r2.bloc = "china";
  spec.regions.push_back(r2);
  AgentSpec c = spec.agents[0];
  c.name = "c";
  c.bloc = "china";
  c.regions = {"r2"};
  spec.agents.push_back(c);
  spec.sites.push_back(site_spec("s1", 100.0, 1.3));
  SiteSpec s2 = site_spec("s2", 100.0, 1.3);
  s2.owner = "b";
  spec.sites.push_back(s2);
  SiteSpec s3 = site_spec("s3", 100.0, 1.3);
  s3.owner = "c";
  s3.region = "r2";
  spec.sites.push_back(s3);
  spec.agents[0].fleet.push_back(fleet_spec(20000.0, "s1", 0));
  spec.agents[1].fleet.push_back(fleet_spec(10000.0, "s2", 0));
  spec.agents[2].fleet.push_back(fleet_spec(5000.0, "s3", 0));
  const double price = std::sqrt(2.0 * 2.0 / 3.0);
  const double sold = 10000.0 * 2.0 / price;
  const int n = run_world(spec, 1, [&](Quarter, const World& w) {
    const BlocMarket& us = w.markets()[bloc_id("us")];
    EXPECT_REL(us.supply_h100e, 30000.0);
    EXPECT_REL(us.floor_usd_per_hour, 1.4 / 1000.0 * 1.3 * 50.0);
    EXPECT_REL(us.price_usd_per_hour, price);
    EXPECT_REL(us.last.sold_h100e, sold);
    const auto& agents = w.agents();
    EXPECT_REL(agents[0].utilized_h100e, sold * 2.0 / 3.0);
    EXPECT_REL(agents[1].utilized_h100e, sold / 3.0);
    EXPECT_REL(agents[0].flows.revenue_usd, sold * 2.0 / 3.0 * price * hours_per_quarter);
    EXPECT_REL(agents[2].powered_h100e, 5000.0);
    EXPECT_EQ(agents[2].utilized_h100e, 0.0);
    EXPECT_EQ(agents[2].flows.revenue_usd, 0.0);
    EXPECT_EQ(w.markets()[bloc_id("china")].spec, nullptr);
  });
  EXPECT_EQ(n, 1);
}

// --- (g) vendors: backlog, inventory, prices, ramps, captive owners ------------------------------------

TEST(WorldVendor, StoppedOrdersLeaveAPlanThatBuildsInventoryTheNextQuarter) {
  // k = 0: 5,000 ordered and, with capacity to spare, made and shipped at once. The plan for k = 1 is
  // backlog + forecast × (1 + target inventory of 1 quarter) − inventory = 0 + 5,000 × 2 − 0 = 10,000 (the forecast
  // is the first quarter's orders: no growth seen yet). k = 1: no orders, yet the vendor makes its 10,000 (capacity
  // 1e6, the H100 is long past its ramp) and they go to inventory. The plan for k = 2 is
  // 0 + 2 × 2,500 × (1 − ½ × 0.9) − 10,000 < 0 (smoothed orders halve, growth clamped at −0.9): nothing more is
  // made and the inventory stays at 10,000.
  // Reported: inventory at cost = 10,000 × unit cost $10,000 = $100M; inventory_days = $100M / a year's cost of
  // sales at the pace of the quarters booked so far (5,000 × $10,000 = $50M in k + 1 quarters, × 4 / (k + 1)) × 365:
  // 365 days at k = 1, 547.5 at k = 2, 730 from k = 3. The list price falls with the 8 − 1 = 7 quarters held beyond the target:
  // $25,000 × (1 − 10% × 7) = $7,500, below the unit cost $25,000 × (1 − 60% margin) = $10,000, so $10,000.
  // Gross margin on the first quarter's shipments: (25,000 − 10,000) / 25,000 = 60%.
  const ScenarioSpec spec = buyer_spec(4, 1);
  const int n = run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q;
    const Vendor& v = w.vendors()[0];
    const double inventory = vendor_metric(w, Metric::inventory_chips);
    EXPECT_REL(v.orders_chips, k == 0 ? 5000.0 : 0.0) << q.str();
    EXPECT_REL(v.shipped_chips, k == 0 ? 5000.0 : 0.0) << q.str();
    EXPECT_EQ(v.backlog_chips(), 0.0) << q.str();
    EXPECT_REL(vendor_metric(w, Metric::backlog_chips), 0.0) << q.str();
    EXPECT_REL(inventory, k == 0 ? 0.0 : 10000.0) << q.str();
    EXPECT_REL(vendor_metric(w, Metric::inventory_days), k == 0 ? 0.0 : 1e8 / (5e7 * 4.0 / std::min(4, k + 1)) * 365.0)
        << q.str();
    EXPECT_REL(vendor_metric(w, Metric::inventory_usd), k == 0 ? 0.0 : 10000.0 * 10000.0) << q.str();
    EXPECT_REL(vendor_metric(w, Metric::list_price_usd), k == 0 ? 25000.0 : 10000.0) << q.str();
    EXPECT_REL(v.revenue_usd, k == 0 ? 5000.0 * 25000.0 : 0.0) << q.str();
    EXPECT_REL(vendor_metric(w, Metric::gross_margin), k == 0 ? 0.6 : 0.0) << q.str();
    // Chips made = chips in inventory + chips delivered (the lead time is one quarter).
    EXPECT_REL(fleet_chips(w.fleet()), k == 0 ? 0.0 : 5000.0) << q.str();
    // The agent does not buy the cheap inventory: installed + on order is at its target.
    EXPECT_EQ(w.agents()[0].flows.ordered_h100e, k == 0 ? 5000.0 : 0.0) << q.str();
  });
  EXPECT_EQ(n, 4);
}

TEST(WorldVendor, OrdersAreBookedAtTheAgedListPriceNeverBelowUnitCost) {
  // The default decline of 15% a year: an H100 on sale since 2020Q1 lists in 2024Q1 (age 16 quarters) at
  // $25,000 × 0.85^4 = $13,050.15625. One on sale since 2016Q1 (age 32) would list at $25,000 × 0.85^8 = $6,811.8,
  // below the unit cost $25,000 × (1 − 0.6) = $10,000: it lists at $10,000. The agent orders its 5,000 at that
  // price, commits that much and capitalizes that much on delivery.
  EXPECT_REL(25000.0 * std::pow(0.85, 4), 13050.15625);
  EXPECT_LT(25000.0 * std::pow(0.85, 8), 10000.0);
  for (const auto& [from, price] : {std::pair{Quarter(2020, 1), 25000.0 * std::pow(0.85, 4)},
                                    std::pair{Quarter(2016, 1), 10000.0}}) {
    SCOPED_TRACE("on sale since " + from.str());
    ScenarioSpec spec = buyer_spec(2, 1);
    spec.vendors[0].price_policy.decline_per_year = 0.15;
    spec.chips[0].available_from = from;
    run_world(spec, 1, [&](Quarter q, const World& w) {
      const Agent& a = w.agents()[0];
      if (q == start_q) {
        EXPECT_REL(a.flows.ordered_h100e, 5000.0);
        EXPECT_REL(a.committed_chips_usd, 5000.0 * price);
        EXPECT_REL(w.vendors()[0].revenue_usd, 5000.0 * price);
        EXPECT_REL(vendor_metric(w, Metric::list_price_usd), price);
      } else {
        ASSERT_EQ(w.fleet().size(), 1U);
        EXPECT_REL(w.fleet().unit_price_usd[0], price);
        EXPECT_REL(a.flows.capex_chips_usd, 5000.0 * price);
        EXPECT_REL(a.ledger.balance(Account::cash), 1e9 - 5000.0 * price);
      }
    });
  }
}

TEST(WorldVendor, NewSkuRampsUpOverItsRampQuarters) {
  // A chip launched in 2024Q1 with the default ramp of 4 quarters may use (k + 1) / 4 of the vendor's 4,000 a
  // quarter in its k-th quarter on sale: 1,000, 2,000, 3,000, then 4,000. The agent (target share 1: 10,000)
  // orders 10,000 at once; the backlog drains 9,000 → 7,000 → 4,000 → 0 though the plan asks for more every quarter
  // (29,000, 12,500, 9,000). After k = 3 the plan is 0 + 2 × 1,250 − 0 = 2,500 (smoothed orders 10,000 halved three
  // times; the clamped growth only applies the quarter orders fell): made in k = 4 into inventory.
  ScenarioSpec spec = buyer_spec(5, 1);
  spec.chips[0].available_from = start_q;
  spec.vendors[0].capacity_chips_per_quarter = constant(4000.0);
  spec.agents[0].strategy.target_share = 1.0;
  const double shipped[] = {1000.0, 2000.0, 3000.0, 4000.0, 0.0};
  const double backlog[] = {9000.0, 7000.0, 4000.0, 0.0, 0.0};
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const auto k = static_cast<std::size_t>(q - start_q);
    const Vendor& v = w.vendors()[0];
    EXPECT_REL(v.orders_chips, k == 0 ? 10000.0 : 0.0) << q.str();
    EXPECT_REL(v.shipped_chips, shipped[k]) << q.str();
    EXPECT_REL(v.backlog_chips(), backlog[k]) << q.str();
    EXPECT_REL(vendor_metric(w, Metric::inventory_chips), k == 4 ? 2500.0 : 0.0) << q.str();
    EXPECT_REL(v.capacity_chips, 4000.0) << q.str();
  });
}

// Two buyers of one vendor with 3,000 chips a quarter: a (target share 0.5: 5,000) plans first, b (0.2: 2,000).
ScenarioSpec two_buyers_spec(const char* captive_owner) {
  ScenarioSpec spec = buyer_spec(3, 1);
  spec.vendors[0].capacity_chips_per_quarter = constant(3000.0);
  spec.vendors[0].captive_owner = captive_owner;
  AgentSpec b = spec.agents[0];
  b.name = "b";
  b.strategy.target_share = 0.2;
  spec.agents.push_back(b);
  return spec;
}

TEST(WorldVendor, CaptiveOwnerIsServedFirstWhenCapacityIsShort) {
  // k = 0: a orders 5,000 and b 2,000; 3,000 are made. b, the captive owner, gets its 2,000 in full first and a the
  // remaining 1,000 (pro rata alone it would get 3,000 × 5/7). k = 1: the plan (4,000 + 2 × 7,000) is capped at
  // 3,000, all to a (backlog 4,000 → 1,000); k = 2: the last 1,000. Lead time 1: a has 1,000, then 4,000, installed
  // (delivered in the arrivals of the next quarter), b its 2,000 from k = 1.
  const ScenarioSpec spec = two_buyers_spec("b");
  const double a_installed[] = {0.0, 1000.0, 4000.0};
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const auto k = static_cast<std::size_t>(q - start_q);
    const Agent& a = w.agents()[0];
    const Agent& b = w.agents()[1];
    const Vendor& v = w.vendors()[0];
    EXPECT_EQ(v.captive_owner, 1);
    EXPECT_REL(a.flows.ordered_h100e, k == 0 ? 5000.0 : 0.0) << q.str();
    EXPECT_REL(b.flows.ordered_h100e, k == 0 ? 2000.0 : 0.0) << q.str();
    EXPECT_REL(v.shipped_chips, k < 2 ? 3000.0 : 1000.0) << q.str();
    EXPECT_REL(v.backlog_chips(), k == 0 ? 4000.0 : (k == 1 ? 1000.0 : 0.0)) << q.str();
    EXPECT_REL(a.installed_h100e, a_installed[k]) << q.str();
    EXPECT_REL(b.installed_h100e, k == 0 ? 0.0 : 2000.0) << q.str();
    EXPECT_REL(a.installed_h100e + a.on_order_h100e, 5000.0) << q.str();
    EXPECT_REL(b.installed_h100e + b.on_order_h100e, 2000.0) << q.str();
  });
}

TEST(WorldVendor, WithoutACaptiveOwnerAShortQuarterIsSharedProRata) {
  // The same orders without a captive owner: k = 0 ships 3,000 × 5/7 to a and 3,000 × 2/7 to b; k = 1 the 3,000
  // go to backlogs of 20,000/7 and 8,000/7 (ratio 3,000 / 4,000 = 3/4 each), so b is still short after two quarters.
  const ScenarioSpec spec = two_buyers_spec("");
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q;
    const Agent& a = w.agents()[0];
    const Agent& b = w.agents()[1];
    EXPECT_EQ(w.vendors()[0].captive_owner, -1);
    if (k == 1) {
      EXPECT_REL(a.installed_h100e, 15000.0 / 7.0);
      EXPECT_REL(b.installed_h100e, 6000.0 / 7.0);
    }
    if (k == 2) {
      EXPECT_REL(a.installed_h100e, 15000.0 / 7.0 + 0.75 * 20000.0 / 7.0);
      EXPECT_REL(b.installed_h100e, 6000.0 / 7.0 + 0.75 * 8000.0 / 7.0);
    }
  });
}

// --- (h) finance: loans, borrowing, tax --------------------------------------------------------------

// An agent with no chips and no vendors: $200M cash, a non-AI business earning other_income a quarter (its
// EBITDA), and a $100M loan at 8% maturing in 2025Q1 (k = 4).
ScenarioSpec loan_spec(int quarters, double other_income) {
  ScenarioSpec spec = base_spec(quarters);
  AgentSpec& a = spec.agents[0];
  a.cash_usd = 200e6;
  a.operating_cash_flow_usd_per_quarter = other_income;
  DebtSpec d;
  d.name = "term loan";
  d.principal_usd = 100e6;
  d.rate = 0.08;
  d.maturity = start_q + 4;
  a.debt.push_back(d);
  return spec;
}

TEST(WorldFinance, LoanPaysQuarterlyInterestAndIsRefinancedWithinTheLeverageLimit) {
  // Interest: $100M × 8% / 4 = $2M a quarter. EBITDA $10M a quarter; pre-tax $10M − $2M = $8M; tax 21% = $1.68M;
  // cash +$6.32M a quarter. At maturity (arrivals of k = 4) the trailing EBITDA is 4 × $10M = $40M, leverage
  // $100M / $40M = 2.5 ≤ the limit of 3: refinanced for 20 more quarters at base 4% + spread 2% + 1% × 2.5 = 8.5%.
  // From k = 4 interest is $100M × 8.5% / 4 = $2.125M, tax 21% × $7.875M = $1.65375M.
  const ScenarioSpec spec = loan_spec(6, 10e6);
  double cash = 200e6;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q;
    const Agent& a = w.agents()[0];
    const AgentFlows& f = a.flows;
    const double rate = k < 4 ? 0.08 : 0.085;
    ASSERT_EQ(a.loans.size(), 1U) << q.str();
    EXPECT_REL(a.loans[0].principal_usd, 100e6) << q.str();
    EXPECT_REL(a.loans[0].rate, rate) << q.str();
    EXPECT_EQ(a.loans[0].maturity, k < 4 ? start_q + 4 : start_q + 24) << q.str();
    EXPECT_REL(a.ledger.debt_usd(), 100e6) << q.str();
    EXPECT_REL(f.interest_usd, 100e6 * rate / 4.0) << q.str();
    EXPECT_REL(f.ebitda_usd(), 10e6) << q.str();
    // Its $10M is the after-tax cash flow of its other business; the interest is the AI business's
    // loss, deducted from that business's pre-tax income: a tax credit of 21% of the interest.
    const double interest = 100e6 * rate / 4.0;
    EXPECT_REL(f.tax_usd, -0.21 * interest) << q.str();
    EXPECT_REL(f.net_income_usd(), 10e6 - 0.79 * interest) << q.str();
    EXPECT_EQ(f.repaid_usd, 0.0) << q.str();
    EXPECT_EQ(f.borrowed_usd, 0.0) << q.str();
    cash += 10e6 - 0.79 * interest;
    EXPECT_REL(a.ledger.balance(Account::cash), cash) << q.str();
    // Debt / trailing EBITDA ($40M from the first quarter on: four times the last quarter's).
    EXPECT_REL(metric_of(w, EntityKind::agent, "a", Metric::leverage), 2.5) << q.str();
    EXPECT_FALSE(a.distressed) << q.str();
  });
}

TEST(WorldFinance, LoanIsPartlyRepaidAtMaturityWhenLeverageExceedsTheLimit) {
  // EBITDA $5M a quarter, the after-tax cash flow of its other business: interest $2M is the AI business's loss,
  // a tax credit of 21% × $2M = $0.42M, cash +$3.42M a quarter. At maturity the leverage is $100M / $20M = 5 > 3:
  // lenders roll over only what keeps its debt within 3 × $20M = $60M, at 4% + 2% + 1% × 3 = 9% for 20 quarters,
  // and the other $40M is repaid from cash in the arrivals of k = 4. From then on: interest $60M × 9% / 4 = $1.35M,
  // a tax credit of 21% × $1.35M = $0.2835M, cash +$3.9335M a quarter, leverage $60M / $20M = 3.
  // Cash: $200M + 4 × $3.42M = $213.68M; k = 4: − $40M + $3.9335M = $177.6135M; k = 5: $181.547M.
  const ScenarioSpec spec = loan_spec(6, 5e6);
  const double cash[] = {203.42e6, 206.84e6, 210.26e6, 213.68e6, 177.6135e6, 181.547e6};
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const auto k = static_cast<std::size_t>(q - start_q);
    const Agent& a = w.agents()[0];
    const AgentFlows& f = a.flows;
    ASSERT_EQ(a.loans.size(), 1U) << q.str();
    EXPECT_REL(a.loans[0].rate, k < 4 ? 0.08 : 0.09) << q.str();
    EXPECT_EQ(a.loans[0].maturity, k < 4 ? start_q + 4 : start_q + 24) << q.str();
    EXPECT_REL(a.ledger.debt_usd(), k < 4 ? 100e6 : 60e6) << q.str();
    EXPECT_REL(f.interest_usd, k < 4 ? 2e6 : 1.35e6) << q.str();
    EXPECT_REL(f.repaid_usd, k == 4 ? 40e6 : 0.0) << q.str();
    EXPECT_REL(f.tax_usd, k < 4 ? -0.42e6 : -0.2835e6) << q.str();
    EXPECT_REL(a.ledger.balance(Account::cash), cash[k]) << q.str();
    EXPECT_EQ(f.borrowed_usd, 0.0) << q.str();
    EXPECT_FALSE(a.distressed) << q.str();  // cash stays above its minimum (0)
    EXPECT_REL(metric_of(w, EntityKind::agent, "a", Metric::leverage), k < 4 ? 5.0 : 3.0) << q.str();
  });
}

// DISABLED: fails on the model as it stands. mature_loans runs in the arrivals phase and judges leverage with
// trailing_ebitda_usd(slot()), but slot() is this quarter's ring slot, which book_quarter has not written yet: it
// still holds the EBITDA of four quarters ago (0 in the first year). So "four times the last quarter" is four times
// the quarter a year ago. Here: EBITDA $10M in 2024Q1 (reported leverage 100 / 40 = 2.5 in 2024Q1), the loan matures
// in 2024Q2; agent.hpp's rule gives max($10M, 4 × $10M) = $40M, leverage 2.5 ≤ 3: refinance at 4% + 2% + 2.5% =
// 8.5%. The model sees max($10M, 4 × 0) = $10M, leverage 10, and makes the agent repay.
TEST(WorldFinance, LoanMaturingInTheFirstYearIsJudgedOnTheLastQuartersRunRate) {
  ScenarioSpec spec = loan_spec(3, 10e6);
  spec.agents[0].debt[0].maturity = start_q + 1;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const Agent& a = w.agents()[0];
    EXPECT_REL(metric_of(w, EntityKind::agent, "a", Metric::leverage), 2.5) << q.str();
    ASSERT_EQ(a.loans.size(), 1U) << q.str();
    EXPECT_EQ(a.flows.repaid_usd, 0.0) << q.str();
    EXPECT_REL(a.loans[0].rate, q == start_q ? 0.08 : 0.085) << q.str();
    EXPECT_EQ(a.loans[0].maturity, q == start_q ? start_q + 1 : start_q + 21) << q.str();
  });
}

TEST(WorldFinance, AnOrderIsFundedWithDebtUpToTheLeverageLimit) {
  // An agent with no cash and a non-AI business earning $10M a quarter after tax, and a site with room for its chips
  // (so it builds nothing). k = 0: $10M cash at decision time. Trailing EBITDA 4 × $10M = $40M: it may owe 3 × $40M
  // = $120M. Wanting 5,000 chips ($125M) it borrows $125M − $10M = $115M at 4% + 2% + 1% × 0 (no debt yet) = 6% for
  // 20 quarters, and orders all 5,000. With a target of 10,000 ($250M) it borrows only the $120M it may and orders
  // ($10M + $120M) / $25,000 = 5,200 chips. (Still short of its target, that agent borrows again in k = 1 against
  // its new EBITDA; k = 1 is checked for the first one only.)
  EXPECT_REL(130e6 / 25000.0, 5200.0);
  for (const double share : {0.5, 1.0}) {
    SCOPED_TRACE("target share " + std::to_string(share));
    ScenarioSpec spec = buyer_spec(2, 1);
    AgentSpec& as = spec.agents[0];
    as.cash_usd = 0.0;
    as.operating_cash_flow_usd_per_quarter = 10e6;
    as.strategy.target_share = share;
    spec.sites.push_back(site_spec("s1", 100.0, 1.2));
    const double borrowed = share < 1.0 ? 115e6 : 120e6;
    const double chips = share < 1.0 ? 5000.0 : 5200.0;
    run_world(spec, 1, [&](Quarter q, const World& w) {
      const Agent& a = w.agents()[0];
      if (q > start_q && share >= 1.0) return;
      ASSERT_EQ(a.loans.size(), 1U) << q.str();
      EXPECT_REL(a.loans[0].principal_usd, borrowed) << q.str();
      EXPECT_REL(a.loans[0].rate, 0.06) << q.str();
      EXPECT_EQ(a.loans[0].maturity, start_q + 20) << q.str();
      EXPECT_EQ(w.sites().size(), 1U) << q.str();
      if (q == start_q) {
        EXPECT_REL(a.flows.borrowed_usd, borrowed);
        EXPECT_REL(a.flows.ordered_h100e, chips);
        EXPECT_REL(a.committed_chips_usd, chips * 25000.0);
        EXPECT_REL(a.ledger.balance(Account::cash), 10e6 + borrowed);
        EXPECT_NEAR(a.spendable_usd(), 0.0, 1e-3);
      } else {
        // k = 1: the chips arrive and are paid; interest $117.1M × 6% / 4 = $1.7565M; nothing more to buy.
        EXPECT_EQ(a.flows.borrowed_usd, 0.0);
        EXPECT_REL(a.flows.interest_usd, borrowed * 0.06 / 4.0);
        EXPECT_REL(a.flows.capex_chips_usd, chips * 25000.0);
      }
    });
  }
}

TEST(WorldFinance, ADelayedDrawFacilityIsCommittedAtTheOrderAndDrawnWhenTheChipsArePaid) {
  // The agent of the test above, financed by a delayed-draw facility with a 0.5% commitment fee. k = 0: $10M cash;
  // wanting 5,000 chips ($125M), lenders commit $125M − $10M = $115M (within 3 × $40M = $120M): no loan, no
  // interest yet, spendable 0, all 5,000 ordered; the commitment leaves $120M − $115M = $5M of room. With a target of
  // 10,000 they commit the $120M limit and it orders ($10M + $120M) / $25,000 = 5,200. k = 1: the chips arrive and
  // are paid; the fee on the undrawn facility is $115M × 0.5% / 4 = $143,750; cash below its minimum (0) is drawn at
  // 4% + 2% + 1% × 0 = 6% to bring it back to 0, and the rest of the facility lapses (no commitment left to fund).
  // (Still short of its target, the second agent asks for more in k = 1: k = 1 is checked for the first only.)
  for (const double share : {0.5, 1.0}) {
    SCOPED_TRACE("target share " + std::to_string(share));
    ScenarioSpec spec = buyer_spec(2, 1);
    AgentSpec& as = spec.agents[0];
    as.cash_usd = 0.0;
    as.operating_cash_flow_usd_per_quarter = 10e6;
    as.strategy.target_share = share;
    as.finance.delayed_draw = true;
    as.finance.commitment_fee = 0.005;
    spec.sites.push_back(site_spec("s1", 100.0, 1.2));
    const double committed = share < 1.0 ? 115e6 : 120e6;
    const double chips = share < 1.0 ? 5000.0 : 5200.0;
    run_world(spec, 1, [&](Quarter q, const World& w) {
      const Agent& a = w.agents()[0];
      if (q > start_q && share >= 1.0) return;
      if (q == start_q) {
        EXPECT_TRUE(a.loans.empty());
        EXPECT_EQ(a.flows.borrowed_usd, 0.0);
        EXPECT_EQ(a.flows.interest_usd, 0.0);
        EXPECT_REL(a.facility_undrawn_usd, committed);
        EXPECT_REL(a.flows.ordered_h100e, chips);
        EXPECT_REL(a.ledger.balance(Account::cash), 10e6);
        EXPECT_NEAR(a.spendable_usd(), 0.0, 1e-3);
      } else {
        EXPECT_REL(a.flows.capex_chips_usd, chips * 25000.0);
        EXPECT_REL(a.flows.interest_usd, committed * 0.005 / 4.0);
        ASSERT_EQ(a.loans.size(), 1U);
        EXPECT_REL(a.loans[0].rate, 0.06);
        EXPECT_REL(a.flows.borrowed_usd, a.loans[0].principal_usd);
        EXPECT_GT(a.loans[0].principal_usd, 0.0);
        EXPECT_LE(a.loans[0].principal_usd, committed);
        EXPECT_NEAR(a.ledger.balance(Account::cash), 0.0, 1e-3) << "drawn back to its minimum";
        EXPECT_EQ(a.facility_undrawn_usd, 0.0) << "nothing left to fund: the rest lapses";
      }
    });
  }
}

TEST(SiteConstruction, StartsSoTheSiteIsBuiltReadyBeforeGridQuartersBeforeItsConnection) {
  // Grid in 2028Q1, 8 quarters to build, ready 1 quarter before: S = 2028Q1 − 1 − 8 + 1 = 2026Q1, built
  // 2026Q1 + 7 = 2027Q4. Not timed, or with bridge power: the earliest quarter (the caller builds at once).
  EXPECT_EQ(construction_start(Quarter(2028, 1), 8, 1, false), Quarter(2026, 1));
  EXPECT_EQ(construction_start(Quarter(2028, 1), 8, 1, false) + 7, Quarter(2027, 4));
  EXPECT_EQ(construction_start(Quarter(2028, 1), 8, 0, false), Quarter(2026, 2));
  EXPECT_EQ(construction_start(Quarter(2028, 1), 8, SiteTemplateSpec::never_deferred, false), Quarter{});
  EXPECT_EQ(construction_start(Quarter(2028, 1), 8, 1, true), Quarter{});
}

TEST(WorldDelivery, ANewSiteTimedToTheGridIsQueuedAtOnceAndBuiltWhenItsConnectionComes) {
  // The site of NewSiteIsPaidOverItsBuild… with `ready_before_grid: 0`: planned in 2024Q1 (k = 0), its grid
  // request filed then (grant k = 4); construction starts at S = max(1, 4 − 0 − 2 + 1) = 3: its $10M is committed in
  // the decisions of k = 2, paid $5M in k = 3 and k = 4, built and energized in k = 4. The chips (arriving k = 2)
  // wait without a site for two quarters, stranded; nothing is paid before k = 3.
  ScenarioSpec spec = site_buyer_spec(7);
  spec.agents[0].new_site.ready_before_grid_quarters = 0;
  spec.regions[0].interconnection_quarters = 4;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q;
    const Agent& a = w.agents()[0];
    ASSERT_EQ(w.sites().size(), 1U) << q.str() << ": the planned site counts: one is enough";
    const Site& s = w.sites()[0];
    EXPECT_EQ(s.awaiting_construction, k <= 1) << q.str();
    EXPECT_EQ(s.built, k >= 4) << q.str();
    EXPECT_EQ(s.interconnected, k >= 4) << q.str();
    EXPECT_REL(a.flows.capex_sites_usd, (k == 3 || k == 4) ? 5e6 : 0.0) << q.str();
    EXPECT_REL(a.committed_sites_usd, k == 2 ? 1e7 : (k == 3 ? 5e6 : 0.0)) << q.str();
    if (k >= 2) {
      EXPECT_REL(a.installed_h100e, 5000.0) << q.str();
      EXPECT_REL(a.powered_h100e, k >= 4 ? 5000.0 : 0.0) << q.str();
    }
  });
}

TEST(WorldDelivery, ALeasedNewSiteCostsNoCapexAndPaysRentOnceBuilt) {
  // The site of the test above, leased at $1M per MW-year: a developer builds it (2 quarters), so no construction
  // is paid or committed; rent 10 MW × $1M / 4 = $2.5M a quarter from 2024Q3 (built) on, in site opex.
  ScenarioSpec spec = site_buyer_spec(5);
  SiteTemplateSpec& t = spec.agents[0].new_site;
  t.ownership = SiteOwnership::leased;
  t.lease_usd_per_mw_year = 1e6;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q;
    const Agent& a = w.agents()[0];
    ASSERT_EQ(w.sites().size(), 1U) << q.str();
    const Site& s = w.sites()[0];
    EXPECT_TRUE(s.leased);
    EXPECT_EQ(s.built, k >= 2) << q.str();
    EXPECT_EQ(a.flows.capex_sites_usd, 0.0) << q.str();
    EXPECT_EQ(a.committed_sites_usd, 0.0) << q.str();
    EXPECT_EQ(a.ledger.balance(Account::sites), 0.0) << q.str();
    EXPECT_REL(a.flows.site_opex_usd, k >= 2 ? 2.5e6 : 0.0) << q.str();
  });
}

// --- (i) market: contracts, captive use, idle power, the hurdle ------------------------------------------------

// Seller a with 1,000 chips powered in a 100 MW site; buyer b ($100M cash, no chips) renting 500 H100e
// from it at $3/h from the start for `contract_quarters`.
ScenarioSpec seller_and_lab_spec(int quarters, int contract_quarters) {
  ScenarioSpec spec = base_spec(quarters);
  AgentSpec b = spec.agents[0];
  b.name = "b";
  b.cash_usd = 100e6;
  spec.agents.push_back(b);
  spec.sites.push_back(site_spec("s1", 100.0, 1.3));
  spec.agents[0].fleet.push_back(fleet_spec(1000.0, "s1", 0));
  ContractSpec c;
  c.name = "deal";
  c.buyer = "b";
  c.seller = "a";
  c.compute_h100e = 500.0;
  c.price_usd_per_hour = 3.0;
  c.start = start_q;
  c.length_quarters = contract_quarters;
  spec.contracts.push_back(c);
  return spec;
}

TEST(WorldMarket, ALabEarnsItsServiceRevenueOnTheComputeItRuns) {
  // Seller a: 1,000 chips powered. Lab b: no chips, a contract for 500 H100e at $3/h in 2024Q1–2024Q2, and users
  // paying $2 per H100e-hour it runs: 500 × $2 × 2,191.5 h = $2,191,500 of cash revenue a quarter while the contract
  // runs (nothing after: it runs nothing), no imputed value; it pays 500 × $3 × 2,191.5 = $3,287,250 for it.
  ScenarioSpec spec = seller_and_lab_spec(3, 2);
  spec.agents[1].service_revenue_usd_per_h100e_hour.points.push_back({start_q, 2.0});
  EXPECT_REL(service_revenue_usd(500.0, 2.0), 2191500.0);
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const bool in_force = q - start_q < 2;
    const Agent& lab = w.agents()[1];
    EXPECT_REL(lab.flows.contract_received_h100e, in_force ? 500.0 : 0.0) << q.str();
    EXPECT_REL(lab.flows.revenue_usd, in_force ? 2191500.0 : 0.0) << q.str();
    EXPECT_REL(lab.flows.service_revenue_usd, lab.flows.revenue_usd) << q.str();
    EXPECT_REL(lab.flows.compute_purchases_usd, in_force ? 3287250.0 : 0.0) << q.str();
    EXPECT_EQ(lab.flows.imputed_value_usd, 0.0) << q.str();
  });
}

TEST(WorldMarket, ContractMovesRevenueFromBuyerToSellerAndTheLedgersBalance) {
  // Seller a: 1,000 chips powered in s1 (PUE 1.3). Buyer b: no chips, $100M. Contract: 500 H100e at $3/h for
  // 2024Q1–2024Q4. Each of those quarters b pays a 500 × $3 × 2,191.5 h = $3,287,250.
  // The 500 contracted are served before the spot market, so a offers only 500 there: P* = $2 × 10,000 / 500 = $40,
  // P = √(2 × 40) = √80 (sticky, a = 0.5), demand 20,000 / √80 ≈ 2,236 > 500: all 500 sold at √80 in 2024Q1.
  // a is fully utilized while the contract runs, so it draws full power: 1,000 × 1.4 kW × 1.3 × 2,191.5 h × $50/MWh
  // = $199,426.50 (in 2025Q1, with the contract over, it offers all 1,000 at a price that has risen towards $40 and
  // sells less: its idle chips draw 30% of their power). Book depreciation $25M / 24. b's EBITDA is −$3,287,250: no
  // tax; its cash falls by exactly that.
  ScenarioSpec spec = seller_and_lab_spec(5, 4);
  const double paid = 500.0 * 3.0 * hours_per_quarter;
  EXPECT_REL(paid, 3287250.0);
  double seller_cash = 0.0, buyer_cash = 100e6;
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const int k = q - start_q;
    const bool in_force = k < 4;
    const Agent& seller = w.agents()[0];
    const Agent& buyer = w.agents()[1];
    const BlocMarket& m = w.markets()[bloc_id("us")];
    EXPECT_REL(seller.flows.contracted_h100e, in_force ? 500.0 : 0.0) << q.str();
    EXPECT_REL(m.supply_h100e, in_force ? 500.0 : 1000.0) << q.str();
    const double spot = m.last.sold_h100e * m.price_usd_per_hour * hours_per_quarter;
    EXPECT_REL(seller.flows.revenue_usd, (in_force ? paid : 0.0) + spot) << q.str();
    EXPECT_REL(buyer.flows.compute_purchases_usd, in_force ? paid : 0.0) << q.str();
    EXPECT_EQ(buyer.flows.revenue_usd, 0.0) << q.str();
    EXPECT_EQ(seller.flows.compute_purchases_usd, 0.0) << q.str();
    EXPECT_REL(w.money_flows().paid_usd(1, 0), std::min(k + 1, 4) * paid) << q.str();
    if (k == 0) {
      EXPECT_REL(m.price_usd_per_hour, std::sqrt(80.0));
      EXPECT_REL(m.last.sold_h100e, 500.0);
      EXPECT_REL(seller.flows.revenue_usd, paid + 500.0 * std::sqrt(80.0) * hours_per_quarter);
    }
    EXPECT_REL(seller.utilized_h100e, seller.flows.contracted_h100e + m.last.sold_h100e) << q.str();
    const double u = seller.utilized_h100e / 1000.0;
    if (in_force) {
      EXPECT_REL(u, 1.0) << q.str();
    } else {
      EXPECT_LT(u, 1.0) << q.str();
    }
    const double power = 199426.5 * (u + (1.0 - u) * 0.3);
    EXPECT_REL(seller.flows.power_opex_usd, power) << q.str();
    // The seller's income statement and cash.
    const double pretax = seller.flows.revenue_usd - power - 25e6 / 24.0;
    EXPECT_REL(seller.flows.tax_usd, 0.21 * pretax) << q.str();
    seller_cash += seller.flows.revenue_usd - power - 0.21 * pretax;
    EXPECT_REL(seller.ledger.balance(Account::cash), seller_cash) << q.str();
    // The buyer's: a loss, no tax, cash down by what it paid.
    EXPECT_REL(buyer.flows.ebitda_usd(), in_force ? -paid : 0.0) << q.str();
    EXPECT_EQ(buyer.flows.tax_usd, 0.0) << q.str();
    buyer_cash -= in_force ? paid : 0.0;
    EXPECT_REL(buyer.ledger.balance(Account::cash), buyer_cash) << q.str();
    for (const Agent* a : {&seller, &buyer}) {
      EXPECT_NEAR(a->ledger.imbalance(), 0.0, 1e-9 * a->ledger.scale()) << q.str();
      EXPECT_NEAR(a->ledger.balance(Account::cash) - a->cash_at_start_usd, a->flows.net_cash_flow_usd(),
                  1e-9 * a->ledger.scale()) << q.str();
    }
  });
}

TEST(WorldMarket, IdleChipsDrawTheIdleShareOfTheirPower) {
  // 10,000 chips powered (PUE 1.2), demand 5,000 at $2 (ε = 1): P* = $1, P = √(2 × 1) = √2, sold
  // 5,000 × 2 / √2 = 5,000√2 ≈ 7,071: utilization u = √2 / 2. The bill is the full draw
  // (10,000 × 1.4 kW × 1.2 = 16.8 MW × 2,191.5 h × $50/MWh = $1,840,860) × (u + (1 − u) × 0.3) with the default
  // idle share 0.3, and the full $1,840,860 with an idle share of 1.
  for (const double idle_share : {0.3, 1.0}) {
    SCOPED_TRACE("idle share " + std::to_string(idle_share));
    ScenarioSpec spec = holder_spec(1, 10000.0, 20000.0, 24, 8, 0);
    spec.demand[0].base_h100e = 5000.0;
    spec.chips[0].idle_power_share = idle_share;
    const double u = std::sqrt(2.0) / 2.0;
    run_world(spec, 1, [&](Quarter, const World& w) {
      const Agent& a = w.agents()[0];
      EXPECT_REL(a.powered_h100e, 10000.0);
      EXPECT_REL(a.utilized_h100e, 5000.0 * std::sqrt(2.0));
      EXPECT_REL(a.flows.power_opex_usd, 1840860.0 * (u + (1.0 - u) * idle_share));
      EXPECT_REL(a.flows.revenue_usd, 5000.0 * std::sqrt(2.0) * std::sqrt(2.0) * hours_per_quarter);
    });
  }
}

TEST(WorldDecisions, BelowTheHurdleOnlyCaptiveDemandIsBought) {
  // The agent runs 1,000 H100e of its own workloads. In 2024Q1 the price is $2 (the reference: nothing sold yet),
  // utilization 1 (no supply), running cost 1.4 kW × PUE 1.2 × $50/MWh = $0.084/h, capital $25,000 per H100e and an
  // economic life of 12 quarters: expected return (2 − 0.084) × 8,766 h / 25,000 − 4/12 = 0.3385 a year.
  // A hurdle just below it: it orders its market target 5,000 plus the captive 1,000. Just above it: the captive
  // 1,000 only. The chips arrive in 2024Q2 in its site; its captive 1,000 are served on them, earn no cash and are
  // valued at the market price ($2: nothing is offered in the spot market, so the price stays), 1,000 × $2 × 2,191.5 h.
  const double expected_return = (2.0 - 0.084) * 4.0 * hours_per_quarter / 25000.0 - 4.0 / 12.0;
  EXPECT_NEAR(expected_return, 0.3385, 1e-4);
  for (const double margin : {-0.001, 0.001}) {
    SCOPED_TRACE("hurdle = expected return + " + std::to_string(margin));
    const bool worth_it = margin < 0.0;
    ScenarioSpec spec = buyer_spec(2, 1);
    spec.agents[0].strategy.hurdle_return = expected_return + margin;
    spec.agents[0].captive_demand_h100e = constant(1000.0);
    spec.sites.push_back(site_spec("s1", 100.0, 1.2));
    run_world(spec, 1, [&](Quarter q, const World& w) {
      const Agent& a = w.agents()[0];
      if (q == start_q) {
        EXPECT_REL(a.flows.ordered_h100e, worth_it ? 6000.0 : 1000.0);
        EXPECT_EQ(a.flows.captive_h100e, 0.0);
        return;
      }
      EXPECT_EQ(a.flows.ordered_h100e, 0.0);
      EXPECT_REL(a.powered_h100e, worth_it ? 6000.0 : 1000.0);
      EXPECT_REL(a.flows.captive_h100e, 1000.0);
      if (!worth_it) {
        EXPECT_REL(w.markets()[bloc_id("us")].price_usd_per_hour, 2.0);
        EXPECT_REL(a.utilized_h100e, 1000.0);
        EXPECT_EQ(a.flows.revenue_usd, 0.0);
        EXPECT_REL(a.flows.imputed_value_usd, 1000.0 * 2.0 * hours_per_quarter);
      }
    });
  }
}

// --- (f) determinism ---------------------------------------------------------------------------

struct AgentRow {
  double installed, powered, utilized, on_order, revenue, cash, chips_book, price, demand;
  bool operator==(const AgentRow&) const = default;
};

std::vector<AgentRow> agent_series(const ScenarioSpec& spec, std::uint64_t seed) {
  std::vector<AgentRow> rows;
  run_world(spec, seed, [&](Quarter, const World& w) {
    const Agent& a = w.agents()[0];
    const BlocMarket& m = w.markets()[a.bloc];
    rows.push_back({a.installed_h100e, a.powered_h100e, a.utilized_h100e, a.on_order_h100e, a.flows.revenue_usd,
                    a.ledger.balance(Account::cash), a.ledger.balance(Account::chips), m.price_usd_per_hour,
                    m.base_demand_h100e});
  });
  return rows;
}

TEST(WorldDeterminism, SameSeedSameFiguresOtherSeedOtherFigures) {
  const ScenarioSpec spec = growth_spec(12, 0.1);
  const auto a = agent_series(spec, 7);
  const auto b = agent_series(spec, 7);
  const auto c = agent_series(spec, 8);
  ASSERT_EQ(a.size(), 12U);
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == c);
  // The seeds differ in the demand draws from the first quarter on.
  EXPECT_NE(a.front().demand, c.front().demand);
}

TEST(WorldDeterminism, WithoutNoiseTheSeedDoesNotMatter) {
  const ScenarioSpec spec = growth_spec(12, 0.0);
  EXPECT_TRUE(agent_series(spec, 7) == agent_series(spec, 8));
}

// --- diagnostics -------------------------------------------------------------------------

TEST(WorldDiagnostics, StateOfNamesTheValuesBehindAnEntitysMetrics) {
  ScenarioSpec spec = base_spec(4);
  spec.sites.push_back(site_spec("s1", 100.0, 1.2));
  spec.agents[0].fleet.push_back(fleet_spec(1000.0, "s1", 0));
  int checked = 0;
  run_world(spec, 1, [&](Quarter, const World& w) {
    const std::string agent = w.state_of(EntityKind::agent, "a");
    EXPECT_NE(agent.find("installed_h100e "), std::string::npos) << agent;
    EXPECT_NE(agent.find("power_opex_usd "), std::string::npos) << agent;
    EXPECT_NE(w.state_of(EntityKind::bloc, "us").find("price_usd_per_h100e_hour "), std::string::npos);
    EXPECT_NE(w.state_of(EntityKind::region, "r1").find("available_mw "), std::string::npos);
    EXPECT_NE(w.state_of(EntityKind::vendor, "nvidia").find("h100_inventory_chips "), std::string::npos);
    EXPECT_NE(w.state_of(EntityKind::global, "world").find("produced_chips "), std::string::npos);
    ++checked;
  });
  EXPECT_EQ(checked, 4);
}

TEST(WorldConstruction, RefusesASpecWhoseReferencesAreNotBound) {
  const ScenarioSpec spec = base_spec(4);
  EXPECT_THROW(World(spec, 1), std::invalid_argument);
  const ScenarioSpec ready = bound(spec);
  EXPECT_NO_THROW(World(ready, 1));
}

TEST(WorldConstruction, TakesItsIndicesFromTheBoundSpec) {
  // A second region listed first by the agent, a site in it and a link: the world's agents,
  // sites and grid follow the bound indices.
  ScenarioSpec spec = base_spec(4);
  RegionSpec r2 = spec.regions[0];
  r2.name = "r2";
  spec.regions.push_back(r2);
  spec.agents[0].regions = {"r2", "r1"};
  SiteSpec s = site_spec("s2", 10.0, 1.2);
  s.region = "r2";
  spec.sites.push_back(s);
  LinkSpec link;
  link.name = "l";
  link.from = "r2";
  link.to = "r1";
  link.capacity_mw = 5.0;
  spec.links.push_back(link);
  const ScenarioSpec ready = bound(spec);
  const World w(ready, 1);
  EXPECT_EQ(w.agents()[0].regions, (std::vector<std::uint32_t>{1, 0}));
  ASSERT_EQ(w.sites().size(), 1U);
  EXPECT_EQ(w.sites()[0].region, 1U);
  EXPECT_EQ(w.regions()[1].spec, &ready.regions[1]);
  EXPECT_EQ(w.regions()[1].bloc, bloc_id("us"));
}

TEST(WorldDiagnostics, ANonFiniteValueStopsTheRunWithTheValuesItCameFrom) {
  // A NaN power price (validation would refuse it; here it is put in the spec directly) makes the
  // power bill NaN: the run stops in its first quarter and the message leads with the NaN input.
  ScenarioSpec spec = base_spec(4);
  spec.sites.push_back(site_spec("s1", 100.0, 1.2));
  spec.agents[0].fleet.push_back(fleet_spec(1000.0, "s1", 0));
  spec.regions[0].power_price_usd_per_mwh = std::numeric_limits<double>::quiet_NaN();
  bind_references(spec);
  Simulator sim;
  World w(spec, 1);
  w.attach(sim);
  try {
    sim.run(spec.run.start, spec.run.end);
    FAIL() << "the run went on with a NaN";
  } catch (const InvariantViolation& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(start_q.str()), std::string::npos) << what;
    // The chain: the agent's values, non-finite ones first, among them the NaN power bill.
    const auto from = what.find("computed from ");
    ASSERT_NE(from, std::string::npos) << what;
    const auto bill = what.find("power_opex_usd nan", from);
    EXPECT_NE(bill, std::string::npos) << what;
    EXPECT_LT(bill, what.find("installed_h100e", from)) << what;
  }
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

// Bridge power (docs/model.md §4): the agent wants 5,000 H100e (half of 10,000) on chips of 1.4 kW:
// 7 MW of IT. It starts a 300 MW site in 2024Q1 (built after 2 quarters: 2024Q3) whose grid
// connection comes after 6 (2024Q3 + … = start + 6 = 2025Q3). With bridge_power it orders, with
// the site, gas engines behind the meter for 300 MW × PUE 1.2 = 360 MW at $0.1M/MW ($36M), online
// after one quarter (2024Q2). The chips, delivered in 2024Q2, are placed in 2024Q3 when the site
// is built and are powered at once by the bridge: the site asks 7 × 1.2 = 8.4 MW, all of it from
// the bridge, none from the grid. Its power is billed at the engines' $90/MWh instead of the
// grid's $50. Without bridge power the same chips wait for the grid until 2025Q3.
ScenarioSpec bridge_spec(bool bridge) {
  ScenarioSpec spec = base_spec(10);
  spec.vendors[0].price_policy.decline_per_year = 0.0;
  spec.vendors[0].lead_time_quarters = 1;
  spec.regions[0].interconnection_quarters = 6;
  AgentSpec& a = spec.agents[0];
  a.vendors = {"nvidia"};
  a.cash_usd = 1e9;
  a.new_site.capacity_mw = 300.0;
  a.new_site.pue = 1.2;
  a.new_site.build_cost_usd_per_mw = 1e3;
  a.new_site.build_quarters = 2;
  a.strategy.bridge_power = bridge;
  PowerTechnologySpec engines;
  engines.name = "gas_engine";
  engines.lead_quarters = 1;
  engines.cost_usd_per_mw = 1e5;
  engines.price_usd_per_mwh = 90.0;
  engines.bridge = true;
  spec.power_technologies.push_back(engines);
  return spec;
}

TEST(WorldBridgePower, PowersASiteBeforeItsGridConnection) {
  const Quarter built = start_q + 2, grid = start_q + 6;
  int powered_early = 0;
  run_world(bridge_spec(true), 1, [&](Quarter q, const World& w) {
    const Agent& a = w.agents()[0];
    if (q == start_q + 1) {
      EXPECT_REL(a.flows.capex_power_usd, 360.0 * 1e5);  // online: paid at completion
    }
    if (q < built) return;
    ASSERT_EQ(w.sites().size(), 1U);
    const Site& s = w.sites()[0];
    EXPECT_REL(s.bridge_mw, 360.0);
    EXPECT_REL(a.powered_h100e, 5000.0) << q.str();
    EXPECT_REL(s.requested_mw, 7.0 * 1.2) << q.str();
    EXPECT_REL(s.bridge_delivered_mw, 7.0 * 1.2) << q.str();
    EXPECT_EQ(w.regions()[0].requested_mw, 0.0) << q.str() << ": nothing asked of the grid";
    EXPECT_EQ(s.interconnected, q >= grid) << q.str();
    if (q < grid) ++powered_early;
    // The bill: its draw (idle chips draw 30%) at the engines' price.
    const double u = a.utilized_h100e / a.powered_h100e;
    const double draw_mw = 7.0 * 1.2 * (u + (1.0 - u) * 0.3);
    EXPECT_REL(a.flows.power_opex_usd, draw_mw * hours_per_quarter * 90.0) << q.str();
  });
  EXPECT_EQ(powered_early, grid - built);
}

TEST(WorldBridgePower, WithoutItChipsWaitForTheGrid) {
  run_world(bridge_spec(false), 1, [&](Quarter q, const World& w) {
    const Agent& a = w.agents()[0];
    EXPECT_EQ(a.flows.capex_power_usd, 0.0) << q.str();
    if (q < start_q + 1) return;
    EXPECT_REL(a.installed_h100e, 5000.0) << q.str();
    EXPECT_REL(a.powered_h100e, q >= start_q + 6 ? 5000.0 : 0.0) << q.str();
  });
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

// Start in motion (docs/model.md §3): 1,000 chips ordered before the start arrive in 2024Q2 (in
// transit), 500 more wait in NVIDIA's backlog at $20,000. In the first quarter the vendor ships
// the 500 (its revenue: $10M) and the agent, wanting 5,000 H100e, orders only the 3,500 its
// supply line lacks. The 1,000 arrive in 2024Q2 at $25,000 each ($25M of capex); the 500 and the
// 3,500 after the two quarters' lead time (2024Q3). Chips are conserved throughout (checked).
TEST(WorldStartInMotion, OrdersPlacedBeforeTheStartArriveAndCountInTheSupplyLine) {
  ScenarioSpec spec = buyer_spec(4, 2);
  OrderSpec in_transit;
  in_transit.chip = "h100";
  in_transit.count = 1000.0;
  in_transit.arrives = start_q + 1;
  OrderSpec backlog;
  backlog.chip = "h100";
  backlog.count = 500.0;
  backlog.price_usd = 20000.0;
  spec.agents[0].on_order = {in_transit, backlog};
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const Agent& a = w.agents()[0];
    const Vendor& v = w.vendors()[0];
    if (q == start_q) {
      EXPECT_REL(a.flows.ordered_h100e, 3500.0);
      EXPECT_REL(v.shipped_chips, 4000.0);
      EXPECT_REL(v.revenue_usd, 500.0 * 20000.0 + 3500.0 * 25000.0);
      EXPECT_REL(a.on_order_h100e, 5000.0);
      EXPECT_EQ(a.installed_h100e, 0.0);
    } else if (q == start_q + 1) {
      EXPECT_REL(a.installed_h100e, 1000.0);
      EXPECT_REL(a.flows.capex_chips_usd, 1000.0 * 25000.0);
      EXPECT_EQ(a.flows.ordered_h100e, 0.0);
    } else {
      EXPECT_REL(a.installed_h100e, 5000.0) << q.str();
    }
  });
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

// Non-AI capex (docs/model.md §8): $100M a quarter, capitalized into the non-AI assets, each
// quarter depreciated by 1/4 of their book value before the new spending (life 4 quarters):
// k = 0: depreciation 0, assets 100; k = 1: 25, 175; k = 2: 43.75, 231.25. Capex as reported
// includes it; the AI segment does not; the cash paid comes from its $1B.
TEST(WorldNonAiCapex, CapitalizedDepreciatedAndReportedInCapex) {
  ScenarioSpec spec = base_spec(3);
  spec.agents[0].cash_usd = 1e9;
  spec.agents[0].new_site.build_cost_usd_per_mw = 1e12;  // it builds nothing
  spec.agents[0].vendors = {};
  spec.agents[0].non_ai_capex_usd_per_quarter = constant(100e6);
  spec.agents[0].non_ai_asset_life_quarters = 4;
  const double depreciation[] = {0.0, 25e6, 43.75e6}, assets[] = {100e6, 175e6, 231.25e6};
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const auto k = static_cast<std::size_t>(q - start_q);
    const Agent& a = w.agents()[0];
    EXPECT_REL(a.flows.capex_non_ai_usd, 100e6) << q.str();
    EXPECT_REL(a.flows.depreciation_non_ai_usd, depreciation[k]) << q.str();
    EXPECT_REL(a.non_ai_assets_usd, assets[k]) << q.str();
    EXPECT_REL(a.ledger.balance(Account::non_ai), assets[k]) << q.str();
    EXPECT_REL(a.ledger.balance(Account::cash), 1e9 - 100e6 * static_cast<double>(k + 1)) << q.str();
    EXPECT_REL(metric_of(w, EntityKind::agent, "a", Metric::capex_usd), 100e6) << q.str();
    EXPECT_EQ(a.flows.ai_capex_usd(), 0.0) << q.str();
    EXPECT_REL(a.flows.net_income_usd(), -depreciation[k]) << q.str();
    EXPECT_REL(metric_of(w, EntityKind::agent, "a", Metric::total_assets_usd),
               1e9 - 100e6 * static_cast<double>(k + 1) + assets[k])
        << q.str();
  });
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

// Utility response (docs/model.md §4): a region with 100 MW for datacenters and a 300 MW site
// (PUE 1): requests 300. Response 50%, lead 2 quarters. k = 0: commits 0.5 × (300 − 100) = 100;
// k = 1: 0.5 × (300 − 100 − 100) = 50; k = 2: the 100 are online (available 200), 50 pending:
// commits 0.5 × (300 − 200 − 50) = 25; k = 3: the 50 online (250), 25 pending: 12.5.
TEST(WorldUtilityResponse, GenerationFollowsQueuedRequestsAfterTheLeadTime) {
  ScenarioSpec spec = base_spec(4);
  spec.regions[0].generation_mw = constant(100.0);
  spec.regions[0].utility_response = 0.5;
  spec.regions[0].utility_lead_quarters = 2;
  spec.sites.push_back(site_spec("s1", 300.0, 1.0));
  const double available[] = {100.0, 100.0, 200.0, 250.0}, pending[] = {100.0, 150.0, 75.0, 37.5};
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const auto k = static_cast<std::size_t>(q - start_q);
    const Region& r = w.regions()[0];
    EXPECT_REL(r.sites_draw_mw, 300.0);
    EXPECT_REL(r.available_mw, available[k]) << q.str();
    EXPECT_REL(r.utility_pending_mw, pending[k]) << q.str();
  });
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

// A capex budget the plan must fit: $50M a year (adjustment 0: it stays), chips at $25,000. The
// agent wants 5,000 ($125M) but orders 2,000 in 2024Q1 ($50M), nothing more that year, and
// 2,000 again in 2025Q1 when the new year's budget opens.
TEST(WorldCapexBudget, OrdersArePacedByAQuarterOfTheYearsBudget) {
  // A $50M budget (adjustment 0: it stays) releases $12.5M a quarter: 500 chips at $25,000 each quarter, though
  // the agent wants 5,000 (its share of demand).
  ScenarioSpec spec = buyer_spec(6, 1);
  spec.agents[0].capex_budget.initial_usd_per_year = 50e6;
  spec.agents[0].capex_budget.adjustment = 0.0;
  spec.vendors[0].price_policy.inventory_discount = 0.0;  // the list price stays $25,000
  const double ordered[] = {500.0, 500.0, 500.0, 500.0, 500.0, 500.0};
  run_world(spec, 1, [&](Quarter q, const World& w) {
    const auto k = static_cast<std::size_t>(q - start_q);
    const Agent& a = w.agents()[0];
    EXPECT_REL(a.flows.ordered_h100e, ordered[k]) << q.str();
    EXPECT_REL(a.capex_budget_usd, 50e6) << q.str();
  });
}

}  // namespace
}  // namespace aidc
