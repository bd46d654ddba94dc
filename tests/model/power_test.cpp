// Region power available to datacenters (MODEL.md §4); the grid's sharing is in grid_test.cpp.

#include "aidc/model/power.hpp"
#include "aidc/model/region.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace aidc {
namespace {

#define EXPECT_REL(actual, expected) EXPECT_NEAR((actual), (expected), 1e-9 * std::max(1.0, std::abs(expected)))

RegionSpec region_spec(double generation, double other, double reserve) {
  RegionSpec r;
  r.name = "r";
  r.bloc = "us";
  r.generation_mw.points.push_back({Quarter(2024, 1), generation});
  r.other_load_mw.points.push_back({Quarter(2024, 1), other});
  r.reserve_margin = reserve;
  return r;
}

TEST(RegionPower, GenerationLessReserveLessOtherLoad) {
  const RegionSpec spec = region_spec(1000.0, 500.0, 0.15);
  Region r;
  r.spec = &spec;
  EXPECT_REL(r.datacenter_power_mw(Quarter(2024, 1)), 350.0);  // 1000 · 0.85 − 500
}

TEST(RegionPower, NoReserveNoOtherLoad) {
  const RegionSpec spec = region_spec(1000.0, 0.0, 0.0);
  Region r;
  r.spec = &spec;
  EXPECT_REL(r.datacenter_power_mw(Quarter(2024, 1)), 1000.0);
}

TEST(RegionPower, ClampedAtZeroWhenOtherLoadExceedsSupply) {
  const RegionSpec spec = region_spec(1000.0, 900.0, 0.15);  // 850 − 900 < 0
  Region r;
  r.spec = &spec;
  EXPECT_EQ(r.datacenter_power_mw(Quarter(2024, 1)), 0.0);
}

TEST(RegionPower, InterpolatedOverTime) {
  RegionSpec spec = region_spec(0.0, 0.0, 0.1);
  spec.generation_mw.points = {{Quarter(2024, 1), 1000.0}, {Quarter(2025, 1), 2000.0}};
  spec.other_load_mw.points = {{Quarter(2024, 1), 100.0}, {Quarter(2026, 1), 500.0}};
  Region r;
  r.spec = &spec;
  // Flat before the first point.
  EXPECT_REL(r.datacenter_power_mw(Quarter(2023, 1)), 1000.0 * 0.9 - 100.0);
  EXPECT_REL(r.datacenter_power_mw(Quarter(2024, 1)), 800.0);
  // 2024Q3: generation halfway (1500), other load a quarter of the way (200).
  EXPECT_REL(r.datacenter_power_mw(Quarter(2024, 3)), 1500.0 * 0.9 - 200.0);
  // 2025Q1: generation 2000, other load 300.
  EXPECT_REL(r.datacenter_power_mw(Quarter(2025, 1)), 1500.0);
  // 2025Q3: generation flat at 2000, other load 400.
  EXPECT_REL(r.datacenter_power_mw(Quarter(2025, 3)), 1400.0);
  // Flat after the last point.
  EXPECT_REL(r.datacenter_power_mw(Quarter(2030, 1)), 2000.0 * 0.9 - 500.0);
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

// Requests 300 MW, available 100, nothing coming, response 50%: the utility commits 100 MW; with
// 150 already coming, 25; with requests covered, nothing.
TEST(UtilityResponse, CommitsAShareOfTheShortfallNotYetCovered) {
  EXPECT_DOUBLE_EQ(utility_commitment_mw(300.0, 100.0, 0.0, 0.5), 100.0);
  EXPECT_DOUBLE_EQ(utility_commitment_mw(300.0, 100.0, 150.0, 0.5), 25.0);
  EXPECT_DOUBLE_EQ(utility_commitment_mw(300.0, 250.0, 100.0, 0.5), 0.0);
  EXPECT_DOUBLE_EQ(utility_commitment_mw(300.0, 100.0, 0.0, 0.0), 0.0);
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

// Engines (6 quarters, $1M/MW), turbines (6, $0.5M/MW), mobile bridge units (2, $3M/MW): a region's
// supply is the turbines (as fast, cheaper); bridge power the mobile units; no bridge offered: none.
TEST(PowerTechnology, FastestThenCheapestWithinItsKind) {
  std::vector<PowerTechnologySpec> t(3);
  t[0].name = "gas_engine";
  t[0].lead_quarters = 6;
  t[0].cost_usd_per_mw = 1e6;
  t[1].name = "gas_turbine";
  t[1].lead_quarters = 6;
  t[1].cost_usd_per_mw = 0.5e6;
  t[2].name = "other";
  t[2].lead_quarters = 2;
  t[2].cost_usd_per_mw = 3e6;
  t[2].bridge = true;
  EXPECT_EQ(fastest_power_technology(t, false), &t[1]);
  EXPECT_EQ(fastest_power_technology(t, true), &t[2]);
  t.pop_back();
  EXPECT_EQ(fastest_power_technology(t, true), nullptr);
}

}  // namespace
}  // namespace aidc
