// Vendor backlogs served from limited capacity, pro rata (MODEL.md §3).

#include "aidc/model/vendor.hpp"
#include "aidc/model/scissors_gap.hpp"
#include "aidc/model/vendor_response.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace aidc {
namespace {

#define EXPECT_REL(actual, expected) EXPECT_NEAR((actual), (expected), 1e-9 * std::max(1.0, std::abs(expected)))

std::vector<BacklogEntry> two_buyers() { return {{0, 0, 10.0, 1.0}, {1, 0, 30.0, 1.0}}; }

TEST(ServeBacklog, EnoughServesEverything) {
  auto backlog = two_buyers();
  std::vector<double> served(2, 0.0);
  EXPECT_REL(serve_backlog(backlog, {0, 1}, 100.0, -1, served), 40.0);
  EXPECT_EQ(served, (std::vector<double>{10.0, 30.0}));
  EXPECT_EQ(backlog[0].count, 0.0);
  EXPECT_EQ(backlog[1].count, 0.0);
}

TEST(ServeBacklog, ShortSupplyIsSharedProRata) {
  auto backlog = two_buyers();
  std::vector<double> served(2, 0.0);
  EXPECT_REL(serve_backlog(backlog, {0, 1}, 20.0, -1, served), 20.0);
  EXPECT_REL(served[0], 5.0);   // 10 · 20/40
  EXPECT_REL(served[1], 15.0);  // 30 · 20/40
  EXPECT_REL(backlog[0].count, 5.0);
  EXPECT_REL(backlog[1].count, 15.0);
}

// The captive owner (buyer 1) takes 30 of 35 first; the other 5 go to buyer 0.
TEST(ServeBacklog, CaptiveOwnerFirst) {
  auto backlog = two_buyers();
  std::vector<double> served(2, 0.0);
  EXPECT_REL(serve_backlog(backlog, {0, 1}, 35.0, 1, served), 35.0);
  EXPECT_REL(served[1], 30.0);
  EXPECT_REL(served[0], 5.0);
  // Less than the owner wants: it takes everything.
  backlog = two_buyers();
  served.assign(2, 0.0);
  EXPECT_REL(serve_backlog(backlog, {0, 1}, 12.0, 1, served), 12.0);
  EXPECT_REL(served[1], 12.0);
  EXPECT_EQ(served[0], 0.0);
}

TEST(ServeBacklog, NothingAvailableServesNothing) {
  auto backlog = two_buyers();
  std::vector<double> served(2, 0.0);
  EXPECT_EQ(serve_backlog(backlog, {0, 1}, 0.0, -1, served), 0.0);
  EXPECT_EQ(backlog[1].count, 30.0);
}

TEST(Ramp, ShareOfCapacityGrowsOverTheRamp) {
  EXPECT_EQ(ramp_share(-1, 4), 0.0);   // before launch
  EXPECT_EQ(ramp_share(0, 4), 0.25);   // launch quarter: 1/4
  EXPECT_EQ(ramp_share(2, 4), 0.75);
  EXPECT_EQ(ramp_share(3, 4), 1.0);
  EXPECT_EQ(ramp_share(10, 4), 1.0);
}

// Launch $40,000, 20% a year, 6 quarters old, 3 quarters of inventory against a target of 1 at
// 10% per excess quarter, no price war: 40000 × 0.8^1.5 × (1 − 0.2) = 22,897.6; floor $10,000.
TEST(ListPrice, FallsWithAgeAndInventory) {
  PricePolicySpec p;
  p.decline_per_year = 0.2;
  p.inventory_discount = 0.1;
  p.target_inventory_quarters = 1;
  EXPECT_REL(list_price_usd(40000.0, p, 6, 3.0, 1.0, 10000.0), 40000.0 * std::pow(0.8, 1.5) * 0.8);
  EXPECT_REL(list_price_usd(40000.0, p, 0, 0.5, 1.0, 10000.0), 40000.0);     // new, lean inventory
  EXPECT_REL(list_price_usd(40000.0, p, 0, 0.0, 0.5, 10000.0), 20000.0);     // a price war halves it
  EXPECT_REL(list_price_usd(40000.0, p, 40, 20.0, 1.0, 10000.0), 10000.0);   // never below cost
}

// Orders 100 → 150 (growth 0.5), smoothed 120, momentum 0.4: 120 × (1 + 0.4 × 0.5) = 144.
// Plan: backlog 50 + 144 × (1 + 1) − inventory 30 = 308.
TEST(VendorPlan, ForecastAndPlannedOutput) {
  SkuSupply s;
  s.has_history = true;
  s.last_orders_chips = 100.0;
  s.orders_chips = 150.0;
  s.smoothed_orders_chips = 120.0;
  EXPECT_REL(forecast_orders_chips(s, 0.4), 144.0);
  EXPECT_REL(planned_output_chips(50.0, 144.0, 1, 30.0), 308.0);
  EXPECT_EQ(planned_output_chips(0.0, 0.0, 1, 30.0), 0.0);  // inventory covers everything
  s.orders_chips = 0.0;                                       // orders collapse: growth clamped at −0.9
  EXPECT_REL(forecast_orders_chips(s, 1.0), 12.0);
}

TEST(Vendor, BacklogChipsSumsEntries) {
  Vendor v;
  EXPECT_EQ(v.backlog_chips(), 0.0);
  v.backlog = {{0, 0, 10.0, 1.0}, {1, 0, 2.5, 1.0}, {2, 1, 0.0, 1.0}};
  EXPECT_REL(v.backlog_chips(), 12.5);
  std::vector<double> served(3, 0.0);
  serve_backlog(v.backlog, {0, 1, 2}, 5.0, -1, served);
  EXPECT_REL(v.backlog_chips(), 7.5);
}

// Scarcity: 5% per quarter of backlog beyond 1 quarter, capped at +20%. A backlog of 3 quarters:
// 1 + 0.05 × 2 = 1.10; of 9 quarters: 1 + 0.05 × 8 = 1.40 → capped at 1.20; of half a quarter: 1.
TEST(VendorPrice, ScarcityFactor) {
  PricePolicySpec p;
  p.scarcity_premium = 0.05;
  p.target_backlog_quarters = 1;
  p.max_scarcity_premium = 0.2;
  EXPECT_REL(scarcity_factor(3.0, p), 1.10);
  EXPECT_REL(scarcity_factor(9.0, p), 1.20);
  EXPECT_EQ(scarcity_factor(0.5, p), 1.0);
  p.scarcity_premium = 0.0;  // the default: prices ignore scarcity
  EXPECT_EQ(scarcity_factor(9.0, p), 1.0);
}

// Best rival TCO $1.00 per H100e-hour, premium 30%, own running cost $0.10, 2 H100e per chip,
// 12-quarter life: ((1.3 × 1.00) − 0.10) × 12 × 2191.5 × 2 = 1.2 × 52596 = $63,115.2. A $90k
// list price closes half the gap: 1 − 0.5 × (1 − 63115.2 / 90000) = 0.850640; a $60k price is
// already below: factor 1.
TEST(VendorPrice, RivalAnswer) {
  const double match = matching_price_usd(1.0, 0.3, 0.1, 2.0, 12);
  EXPECT_REL(match, 63115.2);
  EXPECT_REL(rival_factor(90000.0, match, 0.5), 1.0 - 0.5 * (1.0 - 63115.2 / 90000.0));
  EXPECT_REL(rival_factor(90000.0, match, 0.5), 0.8506400);
  EXPECT_EQ(rival_factor(60000.0, match, 0.5), 1.0);
  EXPECT_EQ(rival_factor(90000.0, match, 0.0), 1.0);  // no response: no change
  // A rival so cheap that its TCO is below our running cost: the matching price is 0, the factor 1 − ρ.
  EXPECT_EQ(matching_price_usd(0.05, 0.3, 0.1, 2.0, 12), 0.0);
  EXPECT_REL(rival_factor(90000.0, 0.0, 0.5), 0.5);
}

// Half-way each quarter over 2 quarters: 1 → 0.8 target gives 0.9, then 0.85.
TEST(VendorPrice, AdjustsGradually) {
  EXPECT_REL(adjust_toward(1.0, 0.8, 2), 0.9);
  EXPECT_REL(adjust_toward(0.9, 0.8, 2), 0.85);
  EXPECT_EQ(adjust_toward(1.0, 0.8, 1), 0.8);
  EXPECT_EQ(adjust_toward(1.0, 0.8, 0), 0.8);  // at least one quarter
}

// Expected orders 400, backlog 800 cleared over 4 quarters (200), target utilization 0.8:
// desired (400 + 200) / 0.8 = 750. Installed 500 + pipeline 100 = 600: add 150 (ceiling 1000),
// or 50 under a ceiling of 650. Installed 1000, nothing expected, max cut 10%: cut 100 (gap −1000).
TEST(VendorCapacity, FollowsOrdersWithinCeilingAndCuts) {
  CapacityPolicySpec p;
  p.lead_quarters = 2;
  p.target_utilization = 0.8;
  p.backlog_clearance_quarters = 4;
  p.max_cut = 0.1;
  EXPECT_REL(capacity_change_chips(500.0, 100.0, 400.0, 800.0, 1000.0, p), 150.0);
  EXPECT_REL(capacity_change_chips(500.0, 100.0, 400.0, 800.0, 650.0, p), 50.0);
  EXPECT_EQ(capacity_change_chips(500.0, 100.0, 400.0, 800.0, 550.0, p), 0.0);  // ceiling already passed
  EXPECT_REL(capacity_change_chips(1000.0, 0.0, 0.0, 0.0, 2000.0, p), -100.0);
  // Desired 750 against 800 installed: cut the 50, within the 10% limit.
  EXPECT_REL(capacity_change_chips(800.0, 0.0, 400.0, 800.0, 2000.0, p), -50.0);
}

// Two quarters ahead of a plan of 100: hold 200. Orders collapse (plan 0) with 200 held and 30
// made: 170 stay (they cannot be returned). Made more than held: nothing left over, hold 2 × 50.
TEST(VendorProduction, MaterialsBoughtAhead) {
  EXPECT_REL(materials_after_chips(0.0, 0.0, 100.0, 2), 200.0);
  EXPECT_REL(materials_after_chips(200.0, 30.0, 0.0, 2), 170.0);
  EXPECT_REL(materials_after_chips(20.0, 30.0, 50.0, 2), 100.0);
  EXPECT_EQ(materials_after_chips(20.0, 30.0, 50.0, 0), 0.0);  // nothing bought ahead
}

// $10B of inventory at cost against $20B of cost of sales in a year: 182.5 days.
TEST(VendorProduction, InventoryDaysAsReported) {
  EXPECT_REL(inventory_days(10e9, 20e9), 182.5);
  EXPECT_EQ(inventory_days(10e9, 0.0), 0.0);
}

TEST(VendorCapacity, PipelineSums) {
  Vendor v;
  EXPECT_EQ(v.pipeline_capacity_chips(), 0.0);
  v.capacity_pipeline = {{Quarter(2026, 1), 10.0}, {Quarter(2026, 2), 5.5}};
  EXPECT_REL(v.pipeline_capacity_chips(), 15.5);
}

// Inventory $10B → $15B (+50%) while clouds' revenue goes $40B → $50B (+25%): gap +0.25. No
// year-ago value: 0.
TEST(ScissorsGapTest, InventoryGrowthMinusRevenueGrowth) {
  ScissorsGap g;
  for (std::size_t q = 0; q < 4; ++q) {
    g.add(q, 10e9, 40e9);
    EXPECT_EQ(g.gap(), 0.0);
  }
  g.add(0, 15e9, 50e9);
  EXPECT_REL(g.gap(), 0.25);
  g.add(1, 10e9, 60e9);  // inventory flat, revenue +50%: −0.5
  EXPECT_REL(g.gap(), -0.5);
}

// 100 finished chips carried at full cost $1,000 and 50 chips of materials at share 0.4:
// 100 × 1000 + 0.4 × 1000 × 50 = $120,000. Written down to salvage 0.25: finished lose
// 0.75 × 100,000 = 75,000; materials ($20,000) lose 0.75 × 20,000 = 15,000 and bring 5,000 in cash.
TEST(VendorProduction, WriteDownToSalvage) {
  ProductionSpec p;
  p.materials_share = 0.4;
  p.salvage_share = 0.25;
  SkuSupply s;
  s.inventory_chips = 100.0;
  s.materials_chips = 50.0;
  EXPECT_REL(inventory_at_cost_usd(s, 1000.0, p), 120000.0);
  double salvage = 0.0;
  EXPECT_REL(write_down_unsellable(s, 1000.0, p, salvage), 90000.0);
  EXPECT_REL(salvage, 5000.0);
  EXPECT_EQ(s.materials_chips, 0.0);
  EXPECT_REL(inventory_at_cost_usd(s, 1000.0, p), 25000.0);
  EXPECT_EQ(write_down_unsellable(s, 1000.0, p, salvage), 0.0);  // once
}

}  // namespace
}  // namespace aidc
