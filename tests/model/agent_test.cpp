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

// Each chip's launch price, the price cheapest_chip() is given here.
std::vector<double> launch_prices(const std::vector<Chip>& chips) {
  std::vector<double> p;
  for (const auto& c : chips) p.push_back(c.spec->price_usd);
  return p;
}

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
  EXPECT_EQ(cheapest_chip(chips, {0, 1, 2}, 1.2, 50.0, launch_prices(chips)), 1);
  EXPECT_EQ(cheapest_chip(chips, {2, 1, 0}, 1.2, 50.0, launch_prices(chips)), 1);
  EXPECT_EQ(cheapest_chip(chips, {0, 2}, 1.2, 50.0, launch_prices(chips)), 2);
  EXPECT_EQ(cheapest_chip(chips, {0}, 1.2, 50.0, launch_prices(chips)), 0);
  EXPECT_EQ(cheapest_chip(chips, {}, 1.2, 50.0, launch_prices(chips)), -1);
}

TEST(CheapestChip, PowerPriceCanChangeTheRanking) {
  // d: cheap to buy, hungry (10 kW); e: dear to buy, frugal (0.5 kW). Both one H100e, 12 quarters.
  //   d: 10000/26298 + 10/1000 · PUE · price;  e: 20000/26298 + 0.5/1000 · PUE · price.
  // At PUE 1 they cost the same at price* = (10000/26298) / (9.5/1000) ≈ $40/MWh.
  const std::vector<ChipSpec> specs = {chip_spec("d", 989.0, 1.0, 10000.0, 12, 10.0),
                                       chip_spec("e", 989.0, 1.0, 20000.0, 12, 0.5)};
  std::vector<Chip> chips;
  for (const auto& s : specs) chips.push_back(make_chip(s, 0));
  EXPECT_EQ(cheapest_chip(chips, {0, 1}, 1.0, 10.0, launch_prices(chips)), 0);
  EXPECT_EQ(cheapest_chip(chips, {0, 1}, 1.0, 100.0, launch_prices(chips)), 1);
}

TEST(CheapestChip, TiesGoToTheLowerIndex) {
  const std::vector<ChipSpec> specs = {chip_spec("a", 989.0, 1.0, 30000.0, 12, 1.4),
                                       chip_spec("a2", 989.0, 1.0, 30000.0, 12, 1.4)};
  std::vector<Chip> chips;
  for (const auto& s : specs) chips.push_back(make_chip(s, 0));
  EXPECT_EQ(cheapest_chip(chips, {0, 1}, 1.2, 50.0, launch_prices(chips)), 0);
}

TEST(CheapestChip, TiesGoToTheLowerIndexWhateverTheCandidateOrder) {
  const std::vector<ChipSpec> specs = {chip_spec("a", 989.0, 1.0, 30000.0, 12, 1.4),
                                       chip_spec("a2", 989.0, 1.0, 30000.0, 12, 1.4)};
  std::vector<Chip> chips;
  for (const auto& s : specs) chips.push_back(make_chip(s, 0));
  const int got = cheapest_chip(chips, {1, 0}, 1.2, 50.0, launch_prices(chips));
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

// The P&L of a quarter: EBITDA = 1000 + 500 − 100 − 30 − 70 = 1300; pre-tax = 1300 − 200 − 50 − 40
// = 1010; net = 1010 − 212 = 798. Economic depreciation is reported, not in the P&L.
TEST(AgentState, IncomeStatementOfAQuarter) {
  AgentFlows f;
  f.revenue_usd = 1000.0;
  f.other_income_usd = 500.0;
  f.power_opex_usd = 100.0;
  f.site_opex_usd = 30.0;
  f.compute_purchases_usd = 70.0;
  f.depreciation_book_usd = 200.0;
  f.depreciation_economic_usd = 400.0;
  f.impairment_usd = 50.0;
  f.interest_usd = 40.0;
  f.tax_usd = 212.0;
  EXPECT_EQ(f.ebitda_usd(), 1300.0);
  EXPECT_EQ(f.pretax_income_usd(), 1010.0);
  EXPECT_EQ(f.net_income_usd(), 798.0);
  // Free cash flow: 1300 − 40 − 212 − capex (300 + 100 + 0) + raised 25 = 673.
  f.capex_chips_usd = 300.0;
  f.capex_sites_usd = 100.0;
  f.equity_raised_usd = 25.0;
  EXPECT_EQ(f.free_cash_flow_usd(), 673.0);
  // Cash: the free cash flow plus borrowing 60 and sales 5, less dividends 8, repayment 20 and a
  // stake bought 10: 673 + 60 + 5 − 8 − 20 − 10 = 700.
  f.borrowed_usd = 60.0;
  f.asset_sales_usd = 5.0;
  f.dividends_usd = 8.0;
  f.repaid_usd = 20.0;
  f.invested_usd = 10.0;
  EXPECT_EQ(f.net_cash_flow_usd(), 700.0);
}

// Fear of falling behind: rivals grew 50% while it grew 20%; reaction 0.5 → 1 + 0.5 × 0.3 = 1.15.
TEST(RivalPressure, RisesWithRivalsLead) {
  EXPECT_DOUBLE_EQ(rival_pressure(0.5, 0.5, 0.2), 1.15);
  EXPECT_DOUBLE_EQ(rival_pressure(0.5, 0.1, 0.2), 1.0);  // ahead of its rivals: no fear
  EXPECT_DOUBLE_EQ(rival_pressure(0.0, 3.0, 0.0), 1.0);  // no reaction
}

// Hurdle: price $2/h, running cost $0.20/h, 90% sold, $30,000 per H100e, 12-quarter life:
// (2 − 0.2) × 8766 × 0.9 / 30000 − 4/12 = 0.473364 − 0.333333 = 0.140031 per year.
TEST(ExpectedReturn, MarginOnCapitalLessDepreciation) {
  EXPECT_NEAR(expected_return_per_year(2.0, 0.2, 0.9, 30000.0, 12), 1.8 * 8766.0 * 0.9 / 30000.0 - 4.0 / 12.0, 1e-12);
  EXPECT_NEAR(expected_return_per_year(2.0, 0.2, 0.9, 30000.0, 12), 0.140031, 1e-6);
  EXPECT_EQ(expected_return_per_year(2.0, 0.2, 0.9, 0.0, 12), 0.0);
}

// Rate: base 4% + spread 2% + 1% per turn × 2.5 turns + crunch 3% = 11.5%.
TEST(BorrowingRate, AddsSpreadLeverageAndCrunch) {
  FinanceSpec f;
  f.spread = 0.02;
  f.spread_per_leverage = 0.01;
  EXPECT_NEAR(borrowing_rate(0.04, f, 2.5, 0.03), 0.115, 1e-15);
  EXPECT_NEAR(borrowing_rate(0.04, f, 0.0, 0.0), 0.06, 1e-15);
}

// Capacity: 3 × $10B EBITDA − $18B debt = $12B; none when debt is already above the limit.
TEST(DebtCapacity, LeverageLimitOnTrailingEbitda) {
  EXPECT_DOUBLE_EQ(debt_capacity_usd(3.0, 10e9, 18e9), 12e9);
  EXPECT_DOUBLE_EQ(debt_capacity_usd(3.0, 10e9, 40e9), 0.0);
  EXPECT_DOUBLE_EQ(debt_capacity_usd(3.0, -5e9, 0.0), 0.0);  // losses support no debt
}

// Trailing EBITDA: the year's sum (1+2+3+4 = 10) or four times the last quarter (4 × 4 = 16),
// whichever is larger; leverage = debt / that.
TEST(Agent, TrailingEbitdaAndLeverage) {
  AgentSpec spec;
  Agent a;
  a.spec = &spec;
  a.ebitda_history = {1.0, 2.0, 3.0, 4.0};
  EXPECT_DOUBLE_EQ(a.trailing_ebitda_usd(3), 16.0);
  EXPECT_DOUBLE_EQ(a.trailing_ebitda_usd(0), 10.0);
  EXPECT_DOUBLE_EQ(a.leverage(3), 0.0);  // no debt
  a.ledger.post(Account::cash, Account::debt, 32.0);
  EXPECT_DOUBLE_EQ(a.leverage(3), 2.0);  // 32 / 16
  a.ebitda_history = {0.0, 0.0, 0.0, -1.0};
  EXPECT_DOUBLE_EQ(a.leverage(3), 99.0);  // debt and no EBITDA
}

}  // namespace
}  // namespace aidc
