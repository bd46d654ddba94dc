// Software ecosystems in the spot market (MODEL.md §7, "Segments by software ecosystem"): the
// effective supply, the water-filling of a tier, and clearings against hand-computed figures.
// Demand throughout: ε = 1, P_ref = 2, I = 100 at P_ref, so D(P) = 200 / P.

#include "aidc/model/ecosystem.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "aidc/model/market.hpp"

namespace aidc {
namespace {

#define EXPECT_REL(actual, expected) EXPECT_NEAR((actual), (expected), 1e-9 * std::max(1.0, std::abs(expected)))

constexpr auto gpu = static_cast<std::size_t>(ChipFamily::gpu);
constexpr auto ascend = static_cast<std::size_t>(ChipFamily::ascend);

FamilyShares shares(double ascend_share) {
  FamilyShares s{1.0, 1.0, 1.0, 1.0, 1.0};
  s[ascend] = ascend_share;
  return s;
}

FamilyH100e family(std::size_t f, double h100e) {
  FamilyH100e x{};
  x[f] = h100e;
  return x;
}

DemandCurve inference_curve(double adjustment) {
  DemandCurve d;
  d.inference_h100e = 100.0;
  d.reference_price_usd_per_hour = 2.0;
  d.elasticity = 1.0;
  d.price_adjustment = adjustment;
  return d;
}

TEST(EcosystemSupply, WithoutCapsItIsEverythingOffered) {
  FamilyH100e s{};
  s[gpu] = 80.0;
  s[ascend] = 30.0;
  EXPECT_REL(ecosystem_effective_supply(shares(1.0), s, 1.0), 110.0);
  EXPECT_FALSE(ecosystem_binds(shares(1.0)));
  EXPECT_TRUE(ecosystem_binds(shares(0.99)));
}

TEST(EcosystemSupply, ACappedFamilyCountsForItsShareOfDemand) {
  // Ascend 80 with φ = 0.5, gpu 30: min(80, 0.5 x) + min(30, x) = x → 0.5 x + 30 = x → x* = 60.
  FamilyH100e s{};
  s[ascend] = 80.0;
  s[gpu] = 30.0;
  EXPECT_REL(servable_share(shares(0.5), s), 1.0);
  EXPECT_REL(ecosystem_effective_supply(shares(0.5), s, 1.0), 60.0);
}

TEST(EcosystemSupply, DemandNoOfferedFamilyServesDoesNotCount) {
  // Only Ascend (φ = 0.3) offered: m = 0.3, min(30, 0.3 x) = 0.3 x up to x* = 100.
  const FamilyH100e s = family(ascend, 30.0);
  EXPECT_REL(servable_share(shares(0.3), s), 0.3);
  EXPECT_REL(ecosystem_effective_supply(shares(0.3), s, 0.3), 100.0);
  // The same supply in a market where gpu is offered too (m = 1) serves nothing at any demand.
  EXPECT_EQ(ecosystem_effective_supply(shares(0.3), s, 1.0), 0.0);
  // No demand can run on what is offered: no price clears it.
  EXPECT_TRUE(std::isinf(ecosystem_effective_supply(shares(0.0), s, 0.0)));
}

TEST(WaterFill, CappedFamilySellsItsCapTheOthersTheirOffer) {
  // Demand 100: Ascend offers 80 under a cap of 50, gpu 30 under 100: 50 + 30 ≤ 100, s = 1.
  FamilyH100e available{}, cap{};
  available[ascend] = 80.0;
  available[gpu] = 30.0;
  cap[ascend] = 50.0;
  cap[gpu] = 100.0;
  double common = 0.0;
  const FamilyShares w = water_fill(available, cap, 100.0, common);
  EXPECT_REL(common, 1.0);
  EXPECT_REL(w[ascend], 50.0 / 80.0);
  EXPECT_REL(w[gpu], 1.0);
}

TEST(WaterFill, DemandShortOfTheOffersIsSharedProRataUnderTheCaps) {
  // Demand 100: Ascend 80 capped at 50, gpu 60: Ascend is capped first (at s = 0.625), then gpu
  // takes the other 50 of its 60: s = 5/6.
  FamilyH100e available{}, cap{};
  available[ascend] = 80.0;
  available[gpu] = 60.0;
  cap[ascend] = 50.0;
  cap[gpu] = 100.0;
  double common = 0.0;
  const FamilyShares w = water_fill(available, cap, 100.0, common);
  EXPECT_REL(common, 5.0 / 6.0);
  EXPECT_REL(w[ascend], 50.0 / 80.0);
  EXPECT_REL(w[gpu], 5.0 / 6.0);
}

TEST(EcosystemMarket, AFamilyBeyondItsShareOfDemandStaysIdleWhileDemandIsUnmet) {
  // The price held at 2 (a = 0): D = 100. Ascend 80 (φ = 0.5) sells 50, gpu 30 sells 30: sold 80,
  // unmet 20, idle 30, all of it Ascend's for want of demand able to run on it. The price that
  // would clear: D = x* = 60 → 200 / 60.
  const DemandCurve d = inference_curve(0.0);
  const std::vector<SpotOffer> offers = {{80.0, 0.0}, {30.0, 0.0}};
  const std::vector<FamilyH100e> split = {family(ascend, 80.0), family(gpu, 30.0)};
  const OfferEcosystem eco{shares(0.5), split, {}};
  std::vector<double> sold;
  EcosystemSales by_family;
  const Clearing c = clear_spot_market(d, offers, 2.0, sold, &eco, &by_family);
  EXPECT_REL(c.price_usd_per_hour, 2.0);
  EXPECT_REL(c.demand_h100e, 100.0);
  EXPECT_REL(sold[0], 50.0);
  EXPECT_REL(sold[1], 30.0);
  EXPECT_REL(c.sold_h100e, 80.0);
  EXPECT_REL(c.unmet_h100e, 20.0);
  EXPECT_REL(c.idle_h100e, 30.0);
  EXPECT_REL(c.ecosystem_idle_h100e, 30.0);
  EXPECT_REL(by_family.idle[0][ascend], 30.0);
  EXPECT_NEAR(by_family.idle[1][gpu], 0.0, 1e-12);
  EXPECT_REL(by_family.sold[0][ascend], 50.0);
  EXPECT_REL(c.clearing_price_usd_per_hour, 200.0 / 60.0);
}

TEST(EcosystemMarket, SharesOfOneLeaveTheClearingAsItIs) {
  const DemandCurve d = inference_curve(0.5);
  const std::vector<SpotOffer> offers = {{80.0, 0.5}, {30.0, 1.0}};
  const std::vector<FamilyH100e> split = {family(ascend, 80.0), family(gpu, 30.0)};
  const OfferEcosystem eco{shares(1.0), split, {}};
  std::vector<double> sold, plain_sold;
  const Clearing c = clear_spot_market(d, offers, 2.0, sold, &eco);
  const Clearing plain = clear_spot_market(d, offers, 2.0, plain_sold);
  EXPECT_EQ(c.price_usd_per_hour, plain.price_usd_per_hour);
  EXPECT_EQ(c.sold_h100e, plain.sold_h100e);
  EXPECT_EQ(sold, plain_sold);
  EXPECT_EQ(c.ecosystem_idle_h100e, 0.0);
}

TEST(EcosystemMarket, TheCapRaisesThePriceSinceLessSupplyIsEffectivelyAvailable) {
  // a = 1: without ecosystems P = 200 / 110; with φ = 0.5 for Ascend, x* = 60 and P = 200 / 60:
  // D = 60, Ascend sells 0.5 × 60 = 30, gpu 30; nothing unmet, 50 of Ascend idle.
  const DemandCurve d = inference_curve(1.0);
  const std::vector<SpotOffer> offers = {{80.0, 0.0}, {30.0, 0.0}};
  const std::vector<FamilyH100e> split = {family(ascend, 80.0), family(gpu, 30.0)};
  const OfferEcosystem eco{shares(0.5), split, {}};
  std::vector<double> sold, plain_sold;
  const Clearing plain = clear_spot_market(d, offers, 2.0, plain_sold);
  const Clearing c = clear_spot_market(d, offers, 2.0, sold, &eco);
  EXPECT_REL(plain.price_usd_per_hour, 200.0 / 110.0);
  EXPECT_REL(c.price_usd_per_hour, 200.0 / 60.0);
  EXPECT_REL(c.demand_h100e, 60.0);
  EXPECT_REL(sold[0], 30.0);
  EXPECT_REL(sold[1], 30.0);
  EXPECT_NEAR(c.unmet_h100e, 0.0, 1e-9);
  EXPECT_REL(c.idle_h100e, 50.0);
  EXPECT_REL(c.ecosystem_idle_h100e, 50.0);
}

TEST(EcosystemMarket, DemandOnlyTheDearerFamilyServesLiftsThePriceToItsReservation) {
  // Ascend 80 at r = 1, gpu 30 at r = 4, φ_ascend = 0.5, a = 1. Below 4 only Ascend is offered and
  // half of demand finds nothing: no price under 4 clears (x* = 0), so p_1 = 4; with gpu, x* = 60
  // clears at 10/3 < 4: the target stops at gpu's reservation, 4. D(4) = 50: Ascend (r < P) sells
  // 25, its cap; gpu (r = P, the marginal group) sells the other 25 of its 30.
  const DemandCurve d = inference_curve(1.0);
  const std::vector<SpotOffer> offers = {{80.0, 1.0}, {30.0, 4.0}};
  const std::vector<FamilyH100e> split = {family(ascend, 80.0), family(gpu, 30.0)};
  const OfferEcosystem eco{shares(0.5), split, {}};
  std::vector<double> sold;
  EcosystemSales by_family;
  const Clearing c = clear_spot_market(d, offers, 2.0, sold, &eco, &by_family);
  EXPECT_EQ(c.price_usd_per_hour, 4.0);
  EXPECT_REL(c.demand_h100e, 50.0);
  EXPECT_REL(sold[0], 25.0);
  EXPECT_REL(sold[1], 25.0);
  EXPECT_NEAR(c.unmet_h100e, 0.0, 1e-9);
  EXPECT_REL(c.idle_h100e, 60.0);
  EXPECT_REL(c.ecosystem_idle_h100e, 55.0);
  EXPECT_NEAR(by_family.idle[1][gpu], 0.0, 1e-12);
}

TEST(EcosystemMarket, OnlyTheDemandAFamilyServesSetsItsPrice) {
  // Only Ascend offered, 45 with φ = 0.3: it serves 0.3 D, so D = 150 clears: P = 200 / 150; 45
  // sold, 105 of demand (what needs other chips) unmet, nothing idle.
  const DemandCurve d = inference_curve(1.0);
  const std::vector<SpotOffer> offers = {{45.0, 0.0}};
  const std::vector<FamilyH100e> split = {family(ascend, 45.0)};
  const OfferEcosystem eco{shares(0.3), split, {}};
  std::vector<double> sold;
  const Clearing c = clear_spot_market(d, offers, 2.0, sold, &eco);
  EXPECT_REL(c.price_usd_per_hour, 4.0 / 3.0);
  EXPECT_REL(c.demand_h100e, 150.0);
  EXPECT_REL(sold[0], 45.0);
  EXPECT_REL(c.unmet_h100e, 105.0);
  EXPECT_NEAR(c.idle_h100e, 0.0, 1e-9);
  EXPECT_NEAR(c.ecosystem_idle_h100e, 0.0, 1e-9);
}

TEST(EcosystemMarket, TrainingIsCappedByFamilyInItsOwnSegment) {
  // I(P) = 200 / P, T(P) = 100 / P, a = 1. Ascend 80, all training-grade, φ = 0.5; gpu 30, none.
  // One market: x* = 60, P = 300 / 60 = 5, T(5) = 20, of which Ascend serves at most 0.5 × 20 =
  // 10 < 20: training is short. Training alone on Ascend (m = 0.5): x* = 160, p_t = 100 / 160;
  // T = 160, Ascend sells its cap 80. General: I alone on gpu's 30: p_g = 200 / 30, I = 30.
  DemandCurve d = inference_curve(1.0);
  d.training_usd_per_quarter = 100.0 * hours_per_quarter;
  const std::vector<SpotOffer> offers = {{80.0, 0.0}, {30.0, 0.0}};
  const std::vector<FamilyH100e> split = {family(ascend, 80.0), family(gpu, 30.0)};
  const std::vector<FamilyH100e> grade = {family(ascend, 80.0), FamilyH100e{}};
  const OfferEcosystem eco{shares(0.5), split, grade};
  std::vector<double> sold, sold_training;
  EcosystemSales by_family;
  const Clearing c = clear_segmented_spot_market(d, offers, std::vector<double>{80.0, 0.0}, 2.0, 2.0, sold,
                                                 sold_training, &eco, &by_family);
  ASSERT_TRUE(c.training_short);
  EXPECT_REL(c.training_price_usd_per_hour, 100.0 / 160.0);
  EXPECT_REL(c.price_usd_per_hour, 200.0 / 30.0);
  EXPECT_REL(c.training_sold_h100e, 80.0);
  EXPECT_REL(c.demand_h100e, 190.0);
  EXPECT_REL(c.sold_h100e, 110.0);
  EXPECT_REL(c.unmet_h100e, 80.0);
  EXPECT_NEAR(c.unmet_training_h100e, 0.0, 1e-9);
  EXPECT_NEAR(c.idle_h100e, 0.0, 1e-9);
  EXPECT_NEAR(c.training_grade_idle_h100e, 0.0, 1e-9);
  EXPECT_REL(sold[0], 80.0);
  EXPECT_REL(sold_training[0], 80.0);
  EXPECT_REL(sold[1], 30.0);
  EXPECT_REL(by_family.sold[0][ascend], 80.0);
  EXPECT_REL(by_family.sold[1][gpu], 30.0);
}

}  // namespace
}  // namespace aidc
