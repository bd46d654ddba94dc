// Vendor backlogs served from limited capacity, pro rata (MODEL.md §3).

#include "aidc/model/vendor.hpp"

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

}  // namespace
}  // namespace aidc
