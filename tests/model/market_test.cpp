// clear_market and BlocMarket::advance_demand against hand-computed figures (MODEL.md §7).

#include "aidc/model/market.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

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

// --- workload ceilings, reservation prices, efficiency adoption (docs/model.md §7) ---------

namespace aidc {
namespace {

DemandCurve curve(double inference_h100e, double training_h100e_at_reference, double elasticity, double saturation) {
  DemandCurve d;
  d.inference_h100e = inference_h100e;
  d.reference_price_usd_per_hour = 2.0;
  d.training_usd_per_quarter = training_h100e_at_reference * 2.0 * hours_per_quarter;
  d.elasticity = elasticity;
  d.price_adjustment = 1.0;
  d.saturation = saturation;
  return d;
}

TEST(WorkloadCeiling, EachSegmentDemandsAtMostSigmaTimesItsReferenceDemand) {
  // I = 100, training 50 at P_ref = 2, ε = 0.8, σ = 2. At P = 0.5: (0.25)^−0.8 = 3.03 > 2, so
  // inference = 200; training = min(2 · 50, 50 · 2 / 0.5 = 200) = 100. Ceiling 2 · 150 = 300.
  const DemandCurve d = curve(100.0, 50.0, 0.8, 2.0);
  EXPECT_REL(d.inference_at(0.5), 200.0);
  EXPECT_REL(d.training_at(0.5), 100.0);
  EXPECT_REL(d.ceiling_h100e(), 300.0);
  // Above both ceilings' prices the curve is the unbounded one: at P = 4, 100 · 2^−0.8 + 25.
  EXPECT_REL(d.demand_at(4.0), 100.0 * std::pow(2.0, -0.8) + 25.0);
  EXPECT_TRUE(std::isinf(curve(100.0, 50.0, 0.8, 0.0).ceiling_h100e()));
}

TEST(WorkloadCeiling, NoPriceClearsASupplyAtOrAboveTheCeiling) {
  const DemandCurve d = curve(100.0, 50.0, 0.8, 2.0);
  EXPECT_EQ(clearing_price_usd_per_hour(d, 300.0), 0.0);
  EXPECT_EQ(clearing_price_usd_per_hour(d, 400.0), 0.0);
  // At the reference price demand is 150: that supply clears there.
  EXPECT_NEAR(clearing_price_usd_per_hour(d, 150.0), 2.0, 1e-9);
  // 250: at P = 1 demand is 100 · 0.5^−0.8 + 100 = 274.1, at P = 1.1 it is 161.3 + 90.9 = 252.2,
  // at 1.2 it is 150.3 + 83.3 = 233.6: the root lies between 1.1 and 1.2, and clears exactly.
  const double p = clearing_price_usd_per_hour(d, 250.0);
  EXPECT_GT(p, 1.1);
  EXPECT_LT(p, 1.2);
  EXPECT_NEAR(d.demand_at(p), 250.0, 1e-9);
}

TEST(WorkloadCeiling, AGlutLeavesComputeIdleAtTheFloor) {
  // I = 100, σ = 1.5, ε = 0.8, one seller of 300 at a reservation of $0.2: the ceiling is 150, so
  // the price falls to 0.2, where demand is 100 · min(1.5, 10^0.8 = 6.3) = 150: 150 sold, 150 idle.
  const DemandCurve d = curve(100.0, 0.0, 0.8, 1.5);
  const std::vector<SpotOffer> offers = {{300.0, 0.2}};
  std::vector<double> sold;
  const Clearing c = clear_spot_market(d, offers, 2.0, sold);
  EXPECT_REL(c.price_usd_per_hour, 0.2);
  EXPECT_TRUE(c.at_floor);
  EXPECT_REL(c.sold_h100e, 150.0);
  EXPECT_REL(c.idle_h100e, 150.0);
  EXPECT_REL(sold[0], 150.0);
  // Without the ceiling demand at 0.2 is 631: everything sells.
  const Clearing unbounded = clear_spot_market(curve(100.0, 0.0, 0.8, 0.0), offers, 2.0, sold);
  EXPECT_REL(unbounded.sold_h100e, 300.0);
}

TEST(SpotMarket, TheMarginalSellerIsRationedAtItsReservationPrice) {
  // I = 100, ε = 1, P_ref = 2; A offers 60 at $0.5, B 60 at $3. With A alone the price clearing
  // 60 is 2 · 100 / 60 = 3.33 ≥ 0.5; with both, 2 · 100 / 120 = 1.67 < 3: so P* = min(3.33, 3) = 3.
  // Demand at 3 is 66.67: A (cheaper) sells its 60, B the 6.67 left.
  const DemandCurve d = curve(100.0, 0.0, 1.0, 0.0);
  const std::vector<SpotOffer> offers = {{60.0, 3.0}, {60.0, 0.5}};
  std::vector<double> sold;
  const Clearing c = clear_spot_market(d, offers, 3.0, sold);
  EXPECT_REL(c.price_usd_per_hour, 3.0);  // a = 1: the price is P* at once
  EXPECT_REL(c.clearing_price_usd_per_hour, 200.0 / 120.0);  // what would sell all 120
  EXPECT_REL(sold[1], 60.0);
  EXPECT_REL(sold[0], 200.0 / 3.0 - 60.0);
  EXPECT_REL(c.idle_h100e, 120.0 - 200.0 / 3.0);
  EXPECT_FALSE(c.at_floor);
}

TEST(SpotMarket, ASellerAboveTheStickyPriceKeepsItsCompute) {
  // As above, but the price closes half the log gap from $2: P = √(2 · 3) = 2.449 < 3, so B sells
  // nothing; demand 200 / 2.449 = 81.65 meets A's 60: 21.65 unmet, B's 60 idle.
  DemandCurve d = curve(100.0, 0.0, 1.0, 0.0);
  d.price_adjustment = 0.5;
  const std::vector<SpotOffer> offers = {{60.0, 3.0}, {60.0, 0.5}};
  std::vector<double> sold;
  const Clearing c = clear_spot_market(d, offers, 2.0, sold);
  EXPECT_REL(c.price_usd_per_hour, std::sqrt(6.0));
  EXPECT_EQ(sold[0], 0.0);
  EXPECT_REL(sold[1], 60.0);
  EXPECT_REL(c.unmet_h100e, 200.0 / std::sqrt(6.0) - 60.0);
  EXPECT_REL(c.idle_h100e, 60.0);
}

TEST(SpotMarket, NoGroupClearsAboveItsReservationSoThePriceIsTheLowestReservation) {
  // I = 10 at $2, ε = 1: 100 offered at $1 would clear at 0.2 < 1, so P = 1, demand 20: 80 idle.
  const DemandCurve d = curve(10.0, 0.0, 1.0, 0.0);
  const std::vector<SpotOffer> offers = {{100.0, 1.0}};
  std::vector<double> sold;
  const Clearing c = clear_spot_market(d, offers, 2.0, sold);
  EXPECT_REL(c.price_usd_per_hour, 1.0);
  EXPECT_TRUE(c.at_floor);
  EXPECT_REL(c.sold_h100e, 20.0);
  EXPECT_REL(c.idle_h100e, 80.0);
}

TEST(SpotMarket, NothingOfferedNothingTradesAndThePriceStays) {
  const DemandCurve d = curve(10.0, 0.0, 1.0, 0.0);
  std::vector<double> sold;
  const Clearing c = clear_spot_market(d, std::vector<SpotOffer>{{0.0, 1.0}}, 2.5, sold);
  EXPECT_REL(c.price_usd_per_hour, 2.5);
  EXPECT_EQ(c.sold_h100e, 0.0);
  EXPECT_REL(c.unmet_h100e, 10.0 * 2.0 / 2.5);
}

TEST(SpotMarket, AReservationPriceThatIsNotANumberNeverSellsAndNeverHangs) {
  const DemandCurve d = curve(100.0, 0.0, 1.0, 0.0);
  const std::vector<SpotOffer> offers = {{50.0, std::numeric_limits<double>::quiet_NaN()},
                                         {50.0, std::numeric_limits<double>::quiet_NaN()}, {60.0, 0.5}};
  std::vector<double> sold;
  const Clearing c = clear_spot_market(d, offers, 2.0, sold);
  EXPECT_EQ(sold[0], 0.0);
  EXPECT_EQ(sold[1], 0.0);
  EXPECT_REL(sold[2], 60.0);
  EXPECT_REL(c.idle_h100e, 100.0);
}

// Segments by cluster class, hand-checkable: ε = 1, a = 1 (no stickiness), I = 100 at P_ref = 2
// (inference 200 / P), training budget 100 × H (training 100 / P). Seller A offers 300 of general
// compute at r = 1, seller B 50 of training-grade compute at r = 0.5.
//   One market: groups r = 0.5 (S = 50: D = 300 / P clears at 6 ≥ 0.5, target min(6, 1) = 1) and
//   r = 1 (S = 350: clears at 0.857 < 1): P = 1. Training demand T(1) = 100 > 50 training-grade
//   offered at 1: short.
//   Training alone: 100 / p = 50 → p_t = 2; B sells its 50 to training.
//   General alone: 200 / p = 300 → 0.667 < r_A = 1, so p_g = 1 (A's reservation, the floor);
//   A sells I(1) = 200 and keeps 100 idle.
//   Unmet training = T(p_g) − 50 = 100 − 50 = 50; demand = I(1) + T(2) = 200 + 50 = 250.
DemandCurve segmented_curve() {
  DemandCurve d;
  d.inference_h100e = 100.0;
  d.training_usd_per_quarter = 100.0 * hours_per_quarter;
  d.reference_price_usd_per_hour = 2.0;
  d.elasticity = 1.0;
  d.price_adjustment = 1.0;
  return d;
}

TEST(SegmentedMarket, TrainingClearsApartAndDearerWhileGeneralComputeSitsIdle) {
  const DemandCurve d = segmented_curve();
  const std::vector<SpotOffer> offers = {{300.0, 1.0}, {50.0, 0.5}};
  const std::vector<double> grade = {0.0, 50.0};
  std::vector<double> sold, sold_training;
  const Clearing c = clear_segmented_spot_market(d, offers, grade, 2.0, 2.0, sold, sold_training);
  EXPECT_TRUE(c.training_short);
  EXPECT_REL(c.price_usd_per_hour, 1.0);
  EXPECT_TRUE(c.at_floor);
  EXPECT_REL(c.training_price_usd_per_hour, 2.0);
  EXPECT_REL(c.training_sold_h100e, 50.0);
  EXPECT_REL(c.unmet_training_h100e, 50.0);
  EXPECT_REL(c.demand_inference_h100e, 200.0);
  EXPECT_REL(c.demand_training_h100e, 50.0);
  EXPECT_REL(c.demand_h100e, 250.0);
  EXPECT_REL(c.sold_h100e, 250.0);
  EXPECT_REL(c.idle_h100e, 100.0);
  EXPECT_NEAR(c.unmet_h100e, 0.0, 1e-9);
  EXPECT_REL(c.training_grade_offered_h100e, 50.0);
  EXPECT_NEAR(c.training_grade_idle_h100e, 0.0, 1e-9);
  ASSERT_EQ(sold.size(), 2U);
  EXPECT_REL(sold[0], 200.0);
  EXPECT_REL(sold[1], 50.0);
  EXPECT_NEAR(sold_training[0], 0.0, 1e-12);
  EXPECT_REL(sold_training[1], 50.0);
}

TEST(SegmentedMarket, TheTrainingPriceIsStickyFromItsOwnPreviousPrice) {
  // As above with a = 1/2: training moves from 1 halfway (in logs) to 2: √2; it buys
  // T(√2) = 100 / √2 = 70.7 > 50 offered, so all 50 sell and 20.7 of training at √2 is unmet.
  // General moves from 1 to its target 1 (the floor): p_g = 1, unmet training = 100 − 50 = 50.
  DemandCurve d = segmented_curve();
  d.price_adjustment = 0.5;
  const std::vector<SpotOffer> offers = {{300.0, 1.0}, {50.0, 0.5}};
  const std::vector<double> grade = {0.0, 50.0};
  std::vector<double> sold, sold_training;
  const Clearing c = clear_segmented_spot_market(d, offers, grade, 1.0, 1.0, sold, sold_training);
  ASSERT_TRUE(c.training_short);
  EXPECT_REL(c.training_price_usd_per_hour, std::sqrt(2.0));
  EXPECT_REL(c.demand_training_h100e, 100.0 / std::sqrt(2.0));
  EXPECT_REL(c.training_sold_h100e, 50.0);
  EXPECT_REL(c.unmet_h100e, 100.0 / std::sqrt(2.0) - 50.0);
  EXPECT_REL(c.price_usd_per_hour, 1.0);
  EXPECT_REL(c.unmet_training_h100e, 50.0);
}

TEST(SegmentedMarket, EnoughTrainingGradeComputeLeavesTheOneMarketAsItIs) {
  // B holds 150 training-grade compute at 0.5: at P = 300 / 450 → the target min(p, r) logic
  // gives the one-market P; T(P) ≤ 150 offered, so that clearing stands untouched.
  const DemandCurve d = segmented_curve();
  const std::vector<SpotOffer> offers = {{300.0, 1.0}, {150.0, 0.5}};
  std::vector<double> one_sold, sold, sold_training;
  const Clearing one = clear_spot_market(d, offers, 2.0, one_sold);
  const Clearing c = clear_segmented_spot_market(d, offers, std::vector<double>{0.0, 150.0}, 2.0, 2.0, sold, sold_training);
  // One market: r = 0.5 (S = 150: 300 / 150 = 2 ≥ 0.5, target min(2, 1) = 1); r = 1 (S = 450:
  // 0.667 < 1): P = 1, T(1) = 100 ≤ 150.
  EXPECT_FALSE(c.training_short);
  EXPECT_EQ(c.price_usd_per_hour, one.price_usd_per_hour);
  EXPECT_REL(c.price_usd_per_hour, 1.0);
  EXPECT_EQ(c.sold_h100e, one.sold_h100e);
  EXPECT_EQ(c.idle_h100e, one.idle_h100e);
  EXPECT_EQ(sold, one_sold);
  EXPECT_EQ(c.training_price_usd_per_hour, c.price_usd_per_hour);
  // Demand 300 at P = 1 against 450 offered: all sold, training (100) in full.
  EXPECT_REL(c.training_sold_h100e, 100.0);
  EXPECT_NEAR(c.unmet_training_h100e, 0.0, 1e-9);
  // B sells 150 (below P, served first), all training-grade; A sells 150 of its 300.
  EXPECT_REL(sold[1], 150.0);
  EXPECT_NEAR(c.training_grade_idle_h100e, 0.0, 1e-9);
}

TEST(SegmentedMarket, AllTrainingGradeIsTheOneMarketEvenWhenDemandIsRationed) {
  // Everything training-grade, price held low by stickiness (a = 1/2 from 0.5): demand exceeds
  // supply, yet there is no general compute to segment from: the one market stands.
  DemandCurve d = segmented_curve();
  d.price_adjustment = 0.5;
  const std::vector<SpotOffer> offers = {{50.0, 0.25}};
  std::vector<double> one_sold, sold, sold_training;
  const Clearing one = clear_spot_market(d, offers, 0.5, one_sold);
  const Clearing c = clear_segmented_spot_market(d, offers, std::vector<double>{50.0}, 0.5, 0.5, sold, sold_training);
  EXPECT_FALSE(c.training_short);
  EXPECT_EQ(c.price_usd_per_hour, one.price_usd_per_hour);
  EXPECT_EQ(c.sold_h100e, one.sold_h100e);
  EXPECT_EQ(c.unmet_h100e, one.unmet_h100e);
  // Target 300 / 50 = 6; P = √(0.5 × 6) = √3; D = 300 / √3 = 173.2, sold 50: training (100 / √3)
  // is rationed pro rata, 50 / 173.2 of it.
  EXPECT_REL(c.price_usd_per_hour, std::sqrt(3.0));
  EXPECT_REL(c.training_sold_h100e, 100.0 / std::sqrt(3.0) * 50.0 / (300.0 / std::sqrt(3.0)));
  EXPECT_REL(c.unmet_training_h100e, 100.0 / std::sqrt(3.0) - c.training_sold_h100e);
}

TEST(EfficiencyAdoption, DemandForServiceAdoptsAGainOverTau) {
  // ε = 1.5, τ = 4, efficiency 2: the compute per unit of service halves at once; service demand
  // adopts 2^(1/4) = 1.1892 in the first quarter: I = 100 · 1.1892^1.5 / 2 = 64.84. In the long
  // run I = 100 · 2^1.5 / 2 = 141.42 (Jevons: ε > 1).
  DemandSpec spec = demand(1.5, 1.0);
  spec.efficiency_adoption_quarters = 4;
  BlocMarket m;
  m.spec = &spec;
  m.base_demand_h100e = 100.0;
  m.efficiency = 2.0;
  m.set_curve(Quarter(2024, 1));
  EXPECT_REL(m.curve.inference_h100e, 100.0 * std::pow(std::pow(2.0, 0.25), 1.5) / 2.0);
  for (int k = 0; k < 200; ++k) m.set_curve(Quarter(2024, 1));
  EXPECT_NEAR(m.curve.inference_h100e, 100.0 * std::pow(2.0, 1.5) / 2.0, 1e-6);
  // τ = 1: at once.
  spec.efficiency_adoption_quarters = 1;
  BlocMarket at_once;
  at_once.spec = &spec;
  at_once.base_demand_h100e = 100.0;
  at_once.efficiency = 2.0;
  at_once.set_curve(Quarter(2024, 1));
  EXPECT_REL(at_once.curve.inference_h100e, 100.0 * std::pow(2.0, 0.5));
}

}  // namespace
}  // namespace aidc
