// clear_market and BlocMarket::advance_demand against hand-computed figures (MODEL.md §7).

#include "aidc/model/market.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "aidc/kernel/random_stream.hpp"

namespace aidc {
namespace {

#define EXPECT_REL(actual, expected) EXPECT_NEAR((actual), (expected), 1e-9 * std::max(1.0, std::abs(expected)))

DemandSpec demand(double elasticity, double adjustment) {
  DemandSpec d;
  d.bloc = "us";
  d.base_h100e = 100.0;
  d.reference_price_usd_per_hour = 2.0;
  d.elasticity = elasticity;
  d.price_adjustment = adjustment;
  return d;
}

TimeSeriesSpec constant(double v) {
  TimeSeriesSpec ts;
  ts.points.push_back({Quarter(2024, 1), v});
  return ts;
}

TEST(ClearMarket, DemandEqualsSupplyAtReferencePrice) {
  const DemandSpec d = demand(1.0, 1.0);
  const Clearing c = clear_market(100.0, 100.0, 2.0, 0.0, d);
  EXPECT_REL(c.clearing_price_usd_per_hour, 2.0);
  EXPECT_REL(c.price_usd_per_hour, 2.0);
  EXPECT_REL(c.demand_h100e, 100.0);
  EXPECT_REL(c.sold_h100e, 100.0);
  EXPECT_NEAR(c.idle_h100e, 0.0, 1e-9);
  EXPECT_NEAR(c.unmet_h100e, 0.0, 1e-9);
  EXPECT_FALSE(c.at_floor);
}

TEST(ClearMarket, DoubleSupplyHalvesPriceAtUnitElasticity) {
  const DemandSpec d = demand(1.0, 1.0);
  const Clearing c = clear_market(100.0, 200.0, 2.0, 0.0, d);
  EXPECT_REL(c.clearing_price_usd_per_hour, 1.0);  // 2 · (100/200)^1
  EXPECT_REL(c.price_usd_per_hour, 1.0);
  EXPECT_REL(c.demand_h100e, 200.0);                // 100 · (1/2)^−1
  EXPECT_REL(c.sold_h100e, 200.0);
  EXPECT_NEAR(c.idle_h100e, 0.0, 1e-9);
  EXPECT_NEAR(c.unmet_h100e, 0.0, 1e-9);
  EXPECT_FALSE(c.at_floor);
}

TEST(ClearMarket, ShortSupplyRaisesPrice) {
  const DemandSpec d = demand(1.0, 1.0);
  const Clearing c = clear_market(100.0, 50.0, 2.0, 0.0, d);
  EXPECT_REL(c.clearing_price_usd_per_hour, 4.0);
  EXPECT_REL(c.price_usd_per_hour, 4.0);
  EXPECT_REL(c.demand_h100e, 50.0);
  EXPECT_REL(c.sold_h100e, 50.0);
  EXPECT_NEAR(c.idle_h100e, 0.0, 1e-9);
}

TEST(ClearMarket, OtherElasticity) {
  // ε = 0.5: P* = 2 · (100/400)^2 = 0.125; D(0.125) = 100 · (0.0625)^−0.5 = 400.
  const DemandSpec d = demand(0.5, 1.0);
  const Clearing c = clear_market(100.0, 400.0, 2.0, 0.0, d);
  EXPECT_REL(c.clearing_price_usd_per_hour, 0.125);
  EXPECT_REL(c.price_usd_per_hour, 0.125);
  EXPECT_REL(c.demand_h100e, 400.0);
  EXPECT_REL(c.sold_h100e, 400.0);
}

TEST(ClearMarket, StickyPriceClosesPartOfTheGapInLogs) {
  // From 4 toward a clearing price of 1 with a = 0.5: 4^0.5 · 1^0.5 = 2 (geometric mean).
  const DemandSpec d = demand(1.0, 0.5);
  const Clearing c = clear_market(100.0, 200.0, 4.0, 0.0, d);
  EXPECT_REL(c.clearing_price_usd_per_hour, 1.0);
  EXPECT_REL(c.price_usd_per_hour, 2.0);
  EXPECT_REL(c.demand_h100e, 100.0);  // demand at 2 is D0
  EXPECT_REL(c.sold_h100e, 100.0);
  EXPECT_REL(c.idle_h100e, 100.0);
  EXPECT_NEAR(c.unmet_h100e, 0.0, 1e-9);
  EXPECT_FALSE(c.at_floor);
}

TEST(ClearMarket, StickyPriceBelowClearingLeavesDemandUnmet) {
  // From 1 toward 4 with a = 0.5 → 2; demand at 2 is 100, supply only 50.
  const DemandSpec d = demand(1.0, 0.5);
  const Clearing c = clear_market(100.0, 50.0, 1.0, 0.0, d);
  EXPECT_REL(c.clearing_price_usd_per_hour, 4.0);
  EXPECT_REL(c.price_usd_per_hour, 2.0);
  EXPECT_REL(c.demand_h100e, 100.0);
  EXPECT_REL(c.sold_h100e, 50.0);
  EXPECT_NEAR(c.idle_h100e, 0.0, 1e-9);
  EXPECT_REL(c.unmet_h100e, 50.0);
}

TEST(ClearMarket, FloorBinds) {
  // P* = 1 is below the floor 1.5: the price is 1.5, demand 100 · (1.5/2)^−1 = 133.33…,
  // idle = S − D(floor).
  const DemandSpec d = demand(1.0, 1.0);
  const Clearing c = clear_market(100.0, 200.0, 2.0, 1.5, d);
  EXPECT_TRUE(c.at_floor);
  EXPECT_REL(c.clearing_price_usd_per_hour, 1.0);
  EXPECT_REL(c.price_usd_per_hour, 1.5);
  EXPECT_REL(c.demand_h100e, 400.0 / 3.0);
  EXPECT_REL(c.sold_h100e, 400.0 / 3.0);
  EXPECT_REL(c.idle_h100e, 200.0 - 400.0 / 3.0);
  EXPECT_NEAR(c.unmet_h100e, 0.0, 1e-9);
}

TEST(ClearMarket, FloorBelowPriceDoesNotBind) {
  const DemandSpec d = demand(1.0, 1.0);
  const Clearing c = clear_market(100.0, 200.0, 2.0, 0.5, d);
  EXPECT_FALSE(c.at_floor);
  EXPECT_REL(c.price_usd_per_hour, 1.0);
}

TEST(ClearMarket, ZeroSupplyKeepsPriceAndLeavesAllDemandUnmet) {
  const DemandSpec d = demand(1.0, 0.5);
  const Clearing c = clear_market(100.0, 0.0, 3.0, 0.5, d);
  EXPECT_FALSE(c.at_floor);
  EXPECT_REL(c.price_usd_per_hour, 3.0);
  EXPECT_REL(c.clearing_price_usd_per_hour, 3.0);
  EXPECT_REL(c.demand_h100e, 100.0 * 2.0 / 3.0);  // D(3) = 100 · (3/2)^−1
  EXPECT_EQ(c.sold_h100e, 0.0);
  EXPECT_EQ(c.idle_h100e, 0.0);
  EXPECT_REL(c.unmet_h100e, c.demand_h100e);
}

TEST(ClearMarket, ZeroSupplyStillRespectsTheFloor) {
  const DemandSpec d = demand(1.0, 0.5);
  const Clearing c = clear_market(100.0, 0.0, 1.0, 2.0, d);
  EXPECT_TRUE(c.at_floor);
  EXPECT_REL(c.price_usd_per_hour, 2.0);
  EXPECT_REL(c.unmet_h100e, 100.0);
  EXPECT_EQ(c.sold_h100e, 0.0);
}

TEST(ClearMarket, ZeroDemandLeavesAllSupplyIdle) {
  const DemandSpec d = demand(1.0, 0.5);
  const Clearing c = clear_market(0.0, 100.0, 2.0, 0.3, d);
  EXPECT_EQ(c.demand_h100e, 0.0);
  EXPECT_EQ(c.sold_h100e, 0.0);
  EXPECT_REL(c.idle_h100e, 100.0);
  EXPECT_EQ(c.unmet_h100e, 0.0);
  EXPECT_TRUE(std::isfinite(c.price_usd_per_hour));
  EXPECT_NEAR(c.price_usd_per_hour, 0.3, 1e-12);   // falls to the floor
  EXPECT_EQ(c.clearing_price_usd_per_hour, 0.0);  // nothing is wanted at any price
}

TEST(ClearMarket, ZeroDemandPriceFollowsDocumentedFormula) {
  // market.hpp documents P = max(floor, P_prev^(1−a) · P*^a) with P* = P_ref · (D0/S)^(1/ε);
  // D0 = 0 gives P* = 0 and so P = floor (for a > 0). Only S = 0 is documented to keep P_prev.
  const DemandSpec d = demand(1.0, 0.5);
  const Clearing c = clear_market(0.0, 100.0, 2.0, 0.3, d);
  EXPECT_NEAR(c.price_usd_per_hour, 0.3, 1e-12);
  EXPECT_TRUE(c.at_floor);
}

TEST(ClearMarket, ZeroDemandZeroFloorStaysFinite) {
  const DemandSpec d = demand(1.0, 1.0);
  const Clearing c = clear_market(0.0, 0.0, 2.0, 0.0, d);
  EXPECT_TRUE(std::isfinite(c.price_usd_per_hour));
  EXPECT_GT(c.price_usd_per_hour, 0.0);
  EXPECT_EQ(c.sold_h100e, 0.0);
  EXPECT_EQ(c.idle_h100e, 0.0);
  EXPECT_EQ(c.unmet_h100e, 0.0);
}

TEST(ClearMarket, SoldIsMinOfDemandAndSupplyAndBalances) {
  const DemandSpec d = demand(0.8, 0.3);
  for (const double s : {10.0, 50.0, 100.0, 150.0, 1000.0}) {
    for (const double prev : {0.5, 2.0, 8.0}) {
      const Clearing c = clear_market(100.0, s, prev, 0.2, d);
      EXPECT_REL(c.sold_h100e, std::min(c.demand_h100e, s));
      EXPECT_GE(c.idle_h100e, 0.0);
      EXPECT_GE(c.unmet_h100e, 0.0);
      EXPECT_REL(c.sold_h100e + c.idle_h100e, s);
      EXPECT_REL(c.sold_h100e + c.unmet_h100e, c.demand_h100e);
      EXPECT_GE(c.price_usd_per_hour, 0.2);
      // The sticky price lies between the previous and the clearing price (or at the floor).
      if (!c.at_floor) {
        EXPECT_GE(c.price_usd_per_hour, std::min(prev, c.clearing_price_usd_per_hour) * (1 - 1e-12));
        EXPECT_LE(c.price_usd_per_hour, std::max(prev, c.clearing_price_usd_per_hour) * (1 + 1e-12));
      }
    }
  }
}

TEST(BlocMarket, FirstQuarterStartsAtBaseAndReferencePrice) {
  DemandSpec d = demand(1.0, 0.5);
  d.base_h100e = 1000.0;
  d.growth_per_year = constant(0.21);
  BlocMarket m;
  m.spec = &d;
  m.advance_demand(Quarter(2024, 1), true);
  EXPECT_EQ(m.trend_h100e, 1000.0);
  EXPECT_EQ(m.base_demand_h100e, 1000.0);
  EXPECT_EQ(m.price_usd_per_hour, 2.0);
}

TEST(BlocMarket, TrendGrowsByQuarterRootOfAnnualGrowth) {
  DemandSpec d = demand(1.0, 0.5);
  d.base_h100e = 1000.0;
  d.growth_per_year = constant(0.21);
  BlocMarket m;
  m.spec = &d;
  Quarter q(2024, 1);
  m.advance_demand(q, true);
  for (int k = 1; k <= 8; ++k) {
    m.advance_demand(q + k, false);
    EXPECT_REL(m.trend_h100e, 1000.0 * std::pow(1.21, k / 4.0));
    EXPECT_EQ(m.base_demand_h100e, m.trend_h100e);  // no noise: no shock
  }
  EXPECT_REL(m.trend_h100e, 1464.1);  // 1000 · 1.21²
}

TEST(BlocMarket, GrowthIsReadAtTheQuarterAdvancedTo) {
  DemandSpec d = demand(1.0, 0.5);
  d.base_h100e = 1000.0;
  d.growth_per_year.points = {{Quarter(2024, 1), 0.0}, {Quarter(2025, 1), 0.4}};  // 0.1 more per quarter
  BlocMarket m;
  m.spec = &d;
  m.advance_demand(Quarter(2024, 1), true);
  double expected = 1000.0;
  for (int k = 1; k <= 6; ++k) {
    const Quarter q = Quarter(2024, 1) + k;
    m.advance_demand(q, false);
    expected *= std::pow(1.0 + std::min(0.4, 0.1 * k), 0.25);
    EXPECT_REL(m.trend_h100e, expected) << q.str();
  }
}

TEST(BlocMarket, NoiseIsALognormalShockOnTheTrendFromItsOwnStream) {
  DemandSpec d = demand(1.0, 0.5);
  d.base_h100e = 1000.0;
  d.growth_per_year = constant(0.1);
  d.noise = 0.2;
  BlocMarket m;
  m.spec = &d;
  m.rng = RandomStream(42);
  RandomStream reference(42);
  double trend = 1000.0;
  bool any_shock = false;
  for (int k = 0; k < 8; ++k) {
    m.advance_demand(Quarter(2024, 1) + k, k == 0);
    if (k > 0) trend *= std::pow(1.1, 0.25);
    EXPECT_REL(m.trend_h100e, trend);  // the shock does not compound into the trend
    const double shock = reference.lognormal_factor(0.2);
    EXPECT_REL(m.base_demand_h100e, trend * shock);
    if (std::abs(shock - 1.0) > 1e-6) any_shock = true;
  }
  EXPECT_TRUE(any_shock);
}

TEST(BlocMarket, NoiseIsDeterministicForTheSameSeed) {
  DemandSpec d = demand(1.0, 0.5);
  d.base_h100e = 1000.0;
  d.growth_per_year = constant(0.3);
  d.noise = 0.1;
  auto series = [&](std::uint64_t seed) {
    BlocMarket m;
    m.spec = &d;
    m.rng = RandomStream(seed);
    std::vector<double> out;
    for (int k = 0; k < 12; ++k) {
      m.advance_demand(Quarter(2024, 1) + k, k == 0);
      out.push_back(m.base_demand_h100e);
    }
    return out;
  };
  EXPECT_EQ(series(7), series(7));
  EXPECT_NE(series(7), series(8));
}

// Two segments, hand-checkable: ε = 1, I = 100 at P_ref = 2, T = 219.15 USD per quarter, so
// training demand = T / (P × 2191.5) = 0.1 / P and inference = 200 / P. Total D(P) = 200.1 / P;
// with S = 100.05 the clearing price is exactly 2.
TEST(TwoSegments, ClearingPriceWithTrainingBudget) {
  DemandCurve d;
  d.inference_h100e = 100.0;
  d.training_usd_per_quarter = 0.1 * hours_per_quarter;
  d.reference_price_usd_per_hour = 2.0;
  d.elasticity = 1.0;
  d.price_adjustment = 1.0;
  EXPECT_REL(clearing_price_usd_per_hour(d, 100.05), 2.0);
  EXPECT_REL(d.training_at(2.0), 0.05);
  EXPECT_REL(d.inference_at(2.0), 100.0);
  const Clearing c = clear_market(d, 100.05, 2.0, 0.0);
  EXPECT_REL(c.price_usd_per_hour, 2.0);
  EXPECT_REL(c.demand_training_h100e, 0.05);
  EXPECT_REL(c.demand_inference_h100e, 100.0);
  EXPECT_NEAR(c.idle_h100e, 0.0, 1e-9);
}

// Elasticity 2 with training: the solver's root satisfies D(P) = S to 1e-12 and the price falls
// as supply rises.
TEST(TwoSegments, SolverFindsTheRootAndIsMonotone) {
  DemandCurve d;
  d.inference_h100e = 1e6;
  d.training_usd_per_quarter = 5e9;
  d.reference_price_usd_per_hour = 2.0;
  d.elasticity = 2.0;
  double last = 1e300;
  for (const double s : {1e5, 5e5, 1e6, 3e6, 1e7}) {
    const double p = clearing_price_usd_per_hour(d, s);
    EXPECT_NEAR(d.demand_at(p) / s, 1.0, 1e-12) << s;
    EXPECT_LT(p, last);
    last = p;
  }
}

// Training only: P* = T / (S × H).
TEST(TwoSegments, TrainingOnly) {
  DemandCurve d;
  d.training_usd_per_quarter = 4.383e9;  // 2 × 1e6 × 2191.5
  EXPECT_REL(clearing_price_usd_per_hour(d, 1e6), 2.0);
}

// Jevons: an efficiency gain k multiplies inference compute demand by k^(ε−1) (set_curve).
TEST(TwoSegments, EfficiencyGainRaisesComputeDemandWhenElastic) {
  DemandSpec spec = demand(1.5, 0.5);
  BlocMarket m;
  m.spec = &spec;
  spec.growth_per_year = constant(0.0);
  m.advance_demand(Quarter(2024, 1), true);
  m.set_curve(Quarter(2024, 1));
  EXPECT_REL(m.curve.inference_h100e, 100.0);
  m.efficiency = 4.0;
  m.set_curve(Quarter(2024, 1));
  EXPECT_REL(m.curve.inference_h100e, 200.0);  // 100 × 4^0.5
  spec.elasticity = 0.5;
  m.set_curve(Quarter(2024, 1));
  EXPECT_REL(m.curve.inference_h100e, 50.0);   // 100 × 4^−0.5
}

}  // namespace
}  // namespace aidc
