// Agents' beliefs and choices: adaptive growth, forecasts, targets and the TCO ranking of chips
// (MODEL.md §6), plus the chip figures they rest on (MODEL.md §2).

#include "aidc/model/agent.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "aidc/model/chip.hpp"

namespace aidc {
namespace {

#define EXPECT_REL(actual, expected) EXPECT_NEAR((actual), (expected), 1e-9 * std::max(1.0, std::abs(expected)))

ChipSpec chip_spec(const char* name, double tflops, double efficiency, double price, int life, double kw) {
  ChipSpec c;
  c.name = name;
  c.vendor = "v";
  c.family = "gpu";
  c.available_from = Quarter(2024, 1);
  c.available_until = Quarter(2026, 4);
  c.bf16_tflops = tflops;
  c.software_efficiency = efficiency;
  c.price_usd = price;
  c.economic_life_quarters = life;
  c.power_kw = kw;
  c.rack_kw = 40.0;
  c.markets = {"us"};
  return c;
}

TEST(ExpectedGrowth, BlendsObservedAndLongRun) {
  StrategySpec s;
  s.long_run_growth_per_year = 0.3;
  s.momentum = 0.25;
  EXPECT_REL(expected_growth_per_year(s, 0.5), 0.25 * 0.5 + 0.75 * 0.3);  // 0.35
  s.momentum = 0.0;
  EXPECT_REL(expected_growth_per_year(s, 0.5), 0.3);
  s.momentum = 1.0;
  EXPECT_REL(expected_growth_per_year(s, 0.5), 0.5);
  s.momentum = 0.5;
  EXPECT_REL(expected_growth_per_year(s, -0.1), 0.1);
}

TEST(Forecast, CompoundsQuarterlyAtTheAnnualRate) {
  EXPECT_REL(forecast_h100e(100.0, 0.21, 8), 146.41);  // 100 · 1.21²
  EXPECT_REL(forecast_h100e(100.0, 0.21, 4), 121.0);
  EXPECT_REL(forecast_h100e(100.0, 0.21, 2), 110.0);   // 100 · 1.21^½
  EXPECT_REL(forecast_h100e(100.0, 0.21, 0), 100.0);
  EXPECT_REL(forecast_h100e(100.0, 0.0, 12), 100.0);
  EXPECT_REL(forecast_h100e(100.0, -0.19, 8), 65.61);  // 100 · 0.81²
  EXPECT_EQ(forecast_h100e(0.0, 0.5, 8), 0.0);
}

TEST(Forecast, GrowthBelowMinus95PercentIsClamped) {
  EXPECT_REL(forecast_h100e(100.0, -2.0, 4), 5.0);  // (1 − 0.95)^1
  EXPECT_TRUE(std::isfinite(forecast_h100e(100.0, -1.0, 3)));
  EXPECT_GT(forecast_h100e(100.0, -1.0, 3), 0.0);
}

TEST(TargetCapacity, ShareTimesForecastWithHeadroom) {
  StrategySpec s;
  s.target_share = 0.1;
  s.headroom = 0.1;
  EXPECT_REL(target_capacity_h100e(s, 1000.0), 110.0);
  s.target_share = 0.25;
  s.headroom = 0.0;
  EXPECT_REL(target_capacity_h100e(s, 1000.0), 250.0);
  EXPECT_EQ(target_capacity_h100e(s, 0.0), 0.0);
}

TEST(MakeChip, EffectiveComputeAndMarkets) {
  ChipSpec spec = chip_spec("b200", 2250.0, 0.8, 40000.0, 12, 1.8);
  spec.markets = {"us", "row"};
  const Chip c = make_chip(spec, 3);
  EXPECT_EQ(c.spec, &spec);
  EXPECT_EQ(c.vendor, 3U);
  EXPECT_REL(c.effective_h100e, 2250.0 / 989.0 * 0.8);
  EXPECT_EQ(c.market_mask, (1U << 0) | (1U << 2));
  EXPECT_TRUE(c.sold_in(bloc_id("us")));
  EXPECT_FALSE(c.sold_in(bloc_id("china")));
  EXPECT_TRUE(c.sold_in(bloc_id("row")));
  EXPECT_REL(c.mw_per_h100e(), 1.8 / 1000.0 / (2250.0 / 989.0 * 0.8));
}

TEST(MakeChip, AnH100IsOneH100e) {
  const ChipSpec spec = chip_spec("h100", 989.0, 1.0, 25000.0, 12, 1.4);
  const Chip c = make_chip(spec, 0);
  EXPECT_REL(c.effective_h100e, 1.0);
  EXPECT_EQ(c.market_mask, 1U);
}

TEST(MakeChip, NoMarketsMeansSoldNowhere) {
  ChipSpec spec = chip_spec("x", 989.0, 1.0, 1.0, 12, 1.0);
  spec.markets.clear();
  const Chip c = make_chip(spec, 0);
  EXPECT_EQ(c.market_mask, 0U);
  for (BlocId b = 0; b < known_blocs.size(); ++b) EXPECT_FALSE(c.sold_in(b));
}

TEST(MakeChip, UnknownMarketThrows) {
  ChipSpec spec = chip_spec("x", 989.0, 1.0, 1.0, 12, 1.0);
  spec.markets = {"mars"};
  EXPECT_THROW(static_cast<void>(make_chip(spec, 0)), std::out_of_range);
}

TEST(MakeChip, BlocIds) {
  EXPECT_EQ(bloc_id("us"), 0U);
  EXPECT_EQ(bloc_id("china"), 1U);
  EXPECT_EQ(bloc_id("row"), 2U);
  EXPECT_THROW(static_cast<void>(bloc_id("eu")), std::out_of_range);
}

TEST(Chip, OrderableWithinItsSaleWindow) {
  const ChipSpec spec = chip_spec("x", 989.0, 1.0, 1.0, 12, 1.0);
  const Chip c = make_chip(spec, 0);
  EXPECT_FALSE(c.orderable(Quarter(2023, 4)));
  EXPECT_TRUE(c.orderable(Quarter(2024, 1)));
  EXPECT_TRUE(c.orderable(Quarter(2026, 4)));
  EXPECT_FALSE(c.orderable(Quarter(2027, 1)));
}

TEST(ChipCost, RunningCostAndTco) {
  // H100-like: 1.4 kW, PUE 1.2, $50/MWh → 1.4/1000 · 1.2 · 50 = $0.084 per hour.
  const ChipSpec a = chip_spec("a", 989.0, 1.0, 30000.0, 12, 1.4);
  const Chip ca = make_chip(a, 0);
  EXPECT_REL(running_cost_usd_per_h100e_hour(ca, 1.2, 50.0), 0.084);
  EXPECT_REL(tco_usd_per_h100e_hour(ca, 1.2, 50.0), 30000.0 / (12 * 2191.5) + 0.084);
  // Twice the compute at half the software efficiency: one effective H100e.
  const ChipSpec b = chip_spec("b", 1978.0, 0.5, 16000.0, 8, 1.0);
  const Chip cb = make_chip(b, 0);
  EXPECT_REL(running_cost_usd_per_h100e_hour(cb, 1.2, 50.0), 0.06);
  EXPECT_REL(tco_usd_per_h100e_hour(cb, 1.2, 50.0), 16000.0 / (8 * 2191.5) + 0.06);
  // Two effective H100e per chip: every cost is per effective H100e.
  const ChipSpec c = chip_spec("c", 1978.0, 1.0, 50000.0, 12, 2.0);
  const Chip cc = make_chip(c, 0);
  EXPECT_REL(running_cost_usd_per_h100e_hour(cc, 1.2, 50.0), 0.12 / 2.0);
  EXPECT_REL(tco_usd_per_h100e_hour(cc, 1.2, 50.0), (50000.0 / (12 * 2191.5) + 0.12) / 2.0);
}

TEST(CheapestChip, PicksLowestTco) {
  // TCO per effective H100e-hour at PUE 1.2, $50/MWh:
  //   a: 30000/26298 + 0.084          = 1.2248
  //   b: 16000/17532 + 0.06           = 0.9726
  //   c: (50000/26298 + 0.12) / 2     = 1.0106
  const std::vector<ChipSpec> specs = {chip_spec("a", 989.0, 1.0, 30000.0, 12, 1.4),
                                       chip_spec("b", 1978.0, 0.5, 16000.0, 8, 1.0),
                                       chip_spec("c", 1978.0, 1.0, 50000.0, 12, 2.0)};
  std::vector<Chip> chips;
  for (const auto& s : specs) chips.push_back(make_chip(s, 0));
  EXPECT_EQ(cheapest_chip(chips, {0, 1, 2}, 1.2, 50.0), 1);
  EXPECT_EQ(cheapest_chip(chips, {2, 1, 0}, 1.2, 50.0), 1);
  EXPECT_EQ(cheapest_chip(chips, {0, 2}, 1.2, 50.0), 2);
  EXPECT_EQ(cheapest_chip(chips, {0}, 1.2, 50.0), 0);
  EXPECT_EQ(cheapest_chip(chips, {}, 1.2, 50.0), -1);
}

TEST(CheapestChip, PowerPriceCanChangeTheRanking) {
  // d: cheap to buy, hungry (10 kW); e: dear to buy, frugal (0.5 kW). Both one H100e, 12 quarters.
  //   d: 10000/26298 + 10/1000 · PUE · price;  e: 20000/26298 + 0.5/1000 · PUE · price.
  // At PUE 1 they cost the same at price* = (10000/26298) / (9.5/1000) ≈ $40/MWh.
  const std::vector<ChipSpec> specs = {chip_spec("d", 989.0, 1.0, 10000.0, 12, 10.0),
                                       chip_spec("e", 989.0, 1.0, 20000.0, 12, 0.5)};
  std::vector<Chip> chips;
  for (const auto& s : specs) chips.push_back(make_chip(s, 0));
  EXPECT_EQ(cheapest_chip(chips, {0, 1}, 1.0, 10.0), 0);
  EXPECT_EQ(cheapest_chip(chips, {0, 1}, 1.0, 100.0), 1);
}

TEST(CheapestChip, TiesGoToTheLowerIndex) {
  const std::vector<ChipSpec> specs = {chip_spec("a", 989.0, 1.0, 30000.0, 12, 1.4),
                                       chip_spec("a2", 989.0, 1.0, 30000.0, 12, 1.4)};
  std::vector<Chip> chips;
  for (const auto& s : specs) chips.push_back(make_chip(s, 0));
  EXPECT_EQ(cheapest_chip(chips, {0, 1}, 1.2, 50.0), 0);
}

TEST(CheapestChip, TiesGoToTheLowerIndexWhateverTheCandidateOrder) {
  const std::vector<ChipSpec> specs = {chip_spec("a", 989.0, 1.0, 30000.0, 12, 1.4),
                                       chip_spec("a2", 989.0, 1.0, 30000.0, 12, 1.4)};
  std::vector<Chip> chips;
  for (const auto& s : specs) chips.push_back(make_chip(s, 0));
  const int got = cheapest_chip(chips, {1, 0}, 1.2, 50.0);
  EXPECT_EQ(got, 0);
}

TEST(AgentState, SpendableIsCashLessMinimumAndCommitments) {
  AgentSpec spec;
  spec.min_cash_usd = 100.0;
  Agent a;
  a.spec = &spec;
  a.ledger.post(Account::cash, Account::equity, 1000.0);
  EXPECT_EQ(a.spendable_usd(), 900.0);
  a.committed_chips_usd = 300.0;
  a.committed_sites_usd = 200.0;
  EXPECT_EQ(a.spendable_usd(), 400.0);
  a.committed_chips_usd = 1000.0;
  EXPECT_EQ(a.spendable_usd(), -300.0);
}

TEST(AgentState, NetIncomeOfTheAiBusiness) {
  AgentFlows f;
  f.revenue_usd = 1000.0;
  f.other_income_usd = 500.0;  // not part of the AI business
  f.power_opex_usd = 100.0;
  f.depreciation_book_usd = 200.0;
  f.depreciation_economic_usd = 400.0;  // reported, not in the P&L
  f.impairment_usd = 50.0;
  EXPECT_EQ(f.net_income_usd(), 650.0);
}

}  // namespace
}  // namespace aidc
