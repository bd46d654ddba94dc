// Agents' beliefs and choices: adaptive growth, forecasts, targets and the TCO ranking of chips
// (MODEL.md §6), plus the chip figures they rest on (MODEL.md §2).

#include "aidc/model/agent.hpp"
#include "aidc/model/ordering.hpp"

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
  c.family = ChipFamily::gpu;
  c.available_from = Quarter(2024, 1);
  c.available_until = Quarter(2026, 4);
  c.bf16_tflops = tflops;
  c.software_efficiency = efficiency;
  c.price_usd = price;
  c.economic_life_quarters = life;
  c.power_kw = kw;
  c.rack_kw = 40.0;
  c.markets = {"us"};
  c.market_mask = bloc_mask(c.markets);
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
  spec.market_mask = bloc_mask(spec.markets);
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
  spec.market_mask = bloc_mask(spec.markets);
  const Chip c = make_chip(spec, 0);
  EXPECT_EQ(c.market_mask, 0U);
  for (BlocId b = 0; b < known_blocs.size(); ++b) EXPECT_FALSE(c.sold_in(b));
}

TEST(MakeChip, UnknownMarketThrows) {
  EXPECT_THROW(static_cast<void>(bloc_mask({"us", "mars"})), std::out_of_range);
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

// TCO per effective H100e-hour of each candidate, at its launch price.
std::vector<double> tcos(const std::vector<Chip>& chips, const std::vector<std::uint32_t>& candidates, double pue,
                         double power_price) {
  std::vector<double> t;
  for (const std::uint32_t c : candidates) t.push_back(tco_usd_per_h100e_hour(chips[c], pue, power_price));
  return t;
}

TEST(SkuShares, SpreadZeroGivesEverythingToTheLowestTco) {
  // TCO per effective H100e-hour at PUE 1.2, $50/MWh:
  //   a: 30000/26298 + 0.084          = 1.2248
  //   b: 16000/17532 + 0.06           = 0.9726
  //   c: (50000/26298 + 0.12) / 2     = 1.0106
  const std::vector<ChipSpec> specs = {chip_spec("a", 989.0, 1.0, 30000.0, 12, 1.4),
                                       chip_spec("b", 1978.0, 0.5, 16000.0, 8, 1.0),
                                       chip_spec("c", 1978.0, 1.0, 50000.0, 12, 2.0)};
  std::vector<Chip> chips;
  for (const auto& s : specs) chips.push_back(make_chip(s, 0));
  EXPECT_EQ(sku_shares(tcos(chips, {0, 1, 2}, 1.2, 50.0), 0.0), (std::vector<double>{0.0, 1.0, 0.0}));
  EXPECT_EQ(sku_shares(tcos(chips, {2, 1, 0}, 1.2, 50.0), 0.0), (std::vector<double>{0.0, 1.0, 0.0}));
  EXPECT_EQ(sku_shares(tcos(chips, {0, 2}, 1.2, 50.0), 0.0), (std::vector<double>{0.0, 1.0}));
  EXPECT_EQ(sku_shares(tcos(chips, {0}, 1.2, 50.0), 0.0), (std::vector<double>{1.0}));
  EXPECT_TRUE(sku_shares({}, 0.0).empty());
}

TEST(SkuShares, PowerPriceCanChangeTheRanking) {
  // d: cheap to buy, hungry (10 kW); e: dear to buy, frugal (0.5 kW). Both one H100e, 12 quarters.
  //   d: 10000/26298 + 10/1000 · PUE · price;  e: 20000/26298 + 0.5/1000 · PUE · price.
  // At PUE 1 they cost the same at price* = (10000/26298) / (9.5/1000) ≈ $40/MWh.
  const std::vector<ChipSpec> specs = {chip_spec("d", 989.0, 1.0, 10000.0, 12, 10.0),
                                       chip_spec("e", 989.0, 1.0, 20000.0, 12, 0.5)};
  std::vector<Chip> chips;
  for (const auto& s : specs) chips.push_back(make_chip(s, 0));
  EXPECT_EQ(sku_shares(tcos(chips, {0, 1}, 1.0, 10.0), 0.0), (std::vector<double>{1.0, 0.0}));
  EXPECT_EQ(sku_shares(tcos(chips, {0, 1}, 1.0, 100.0), 0.0), (std::vector<double>{0.0, 1.0}));
}

TEST(SkuShares, TiesGoToTheFirstCandidate) {
  EXPECT_EQ(sku_shares({1.5, 1.5}, 0.0), (std::vector<double>{1.0, 0.0}));
}

TEST(SkuShares, LogitOnRelativeCost) {
  // Costs 1.0, 1.1, 1.5 at spread 0.1: weights e^0 = 1, e^−1 = 0.367879, e^−5 = 0.006738; sum
  // 1.374617 → shares 0.727475, 0.267623, 0.004902.
  const std::vector<double> s = sku_shares({1.0, 1.1, 1.5}, 0.1);
  ASSERT_EQ(s.size(), 3U);
  EXPECT_NEAR(s[0], 0.727475, 1e-6);
  EXPECT_NEAR(s[1], 0.267623, 1e-6);
  EXPECT_NEAR(s[2], 0.004902, 1e-6);
  // Order does not matter; only relative cost does (the same shares at 10× the costs).
  const std::vector<double> t = sku_shares({15.0, 10.0, 11.0}, 0.1);
  EXPECT_NEAR(t[0], 0.004902, 1e-6);
  EXPECT_NEAR(t[1], 0.727475, 1e-6);
}

TEST(SkuShares, SwitchingCostMakesACheaperFamilyTakeShareOverTime) {
  // A TPU 10% cheaper than the GPU it runs (TCO 0.9 vs 1.0), switching cost 30%. With no TPU yet
  // it sees 0.9 × 1.3 = 1.17: at spread 0.1 the TPU gets e^−1.7 / (1 + e^−1.7) = 0.154465. Once a
  // fifth of its compute is TPU it sees 0.9 × (1 + 0.3 × 0.8) = 1.116 against the GPU's
  // 1.0 × (1 + 0.3 × 0.2) = 1.06: TPU share e^−0.528302 / (1 + e^−0.528302) = 0.370913.
  EXPECT_DOUBLE_EQ(perceived_cost(0.9, 0.3, 0.0), 1.17);
  EXPECT_DOUBLE_EQ(perceived_cost(1.0, 0.3, 1.0), 1.0);
  const std::vector<double> first = sku_shares({perceived_cost(1.0, 0.3, 1.0), perceived_cost(0.9, 0.3, 0.0)}, 0.1);
  EXPECT_NEAR(first[1], 0.154465, 1e-6);
  const std::vector<double> later = sku_shares({perceived_cost(1.0, 0.3, 0.8), perceived_cost(0.9, 0.3, 0.2)}, 0.1);
  EXPECT_NEAR(later[1], 0.370913, 1e-6);
  EXPECT_GT(later[1], first[1]);
}

TEST(HurdleWeight, ContinuousAroundTheHurdle) {
  // Expected return 30% against a 10% hurdle, width 10%: 1 / (1 + e^−2) = 0.880797; at the hurdle
  // 0.5; 10 points below 1 / (1 + e) = 0.268941; width 0 is the on/off rule.
  EXPECT_NEAR(hurdle_weight(0.30, 0.10, 0.10), 0.880797, 1e-6);
  EXPECT_DOUBLE_EQ(hurdle_weight(0.10, 0.10, 0.10), 0.5);
  EXPECT_NEAR(hurdle_weight(0.00, 0.10, 0.10), 0.268941, 1e-6);
  EXPECT_EQ(hurdle_weight(0.10, 0.10, 0.0), 1.0);
  EXPECT_EQ(hurdle_weight(0.0999, 0.10, 0.0), 0.0);
}

TEST(InvestmentQ, OneAtTheHurdleAndProportionalToTheCashMargin) {
  // Life 12 quarters: d = 4 / 12 = 1/3 per year. At R = h = 10%, q = 1. R = 50%: q = (0.5 + 1/3) /
  // (0.1 + 1/3) = 0.8333 / 0.4333 = 1.923077. A return of −1/3 (no cash margin at all) gives 0,
  // and worse stays 0.
  EXPECT_DOUBLE_EQ(investment_q(0.10, 0.10, 12), 1.0);
  EXPECT_NEAR(investment_q(0.50, 0.10, 12), 1.923077, 1e-6);
  EXPECT_NEAR(investment_q(-1.0 / 3.0, 0.10, 12), 0.0, 1e-12);
  EXPECT_EQ(investment_q(-0.9, 0.10, 12), 0.0);
}

TEST(InvestmentQ, TheFactorIsQToTheElasticityCapped) {
  EXPECT_EQ(investment_factor(1.923077, 0.0, 3.0), 1.0);  // η = 0: q is ignored
  EXPECT_DOUBLE_EQ(investment_factor(1.923077, 1.0, 3.0), 1.923077);
  EXPECT_NEAR(investment_factor(1.923077, 2.0, 3.0), 3.698225, 1e-6);
  EXPECT_DOUBLE_EQ(investment_factor(5.0, 1.0, 3.0), 3.0);
  EXPECT_DOUBLE_EQ(investment_factor(0.5, 2.0, 3.0), 0.25);
}

TEST(ExpectedPrice, ExtrapolatesLastYearsChange) {
  // $3 now, $2 a year ago: +50%; momentum 0.5 expects 3 × 1.25 = 3.75. $1 after $4: −75%, full
  // momentum expects 1 × 0.25. No price a year ago, or no momentum: today's price.
  EXPECT_DOUBLE_EQ(expected_price_usd_per_hour(3.0, 2.0, 0.5), 3.75);
  EXPECT_DOUBLE_EQ(expected_price_usd_per_hour(1.0, 4.0, 1.0), 0.25);
  EXPECT_DOUBLE_EQ(expected_price_usd_per_hour(2.0, 0.0, 0.5), 2.0);
  EXPECT_DOUBLE_EQ(expected_price_usd_per_hour(3.0, 2.0, 0.0), 3.0);
  EXPECT_DOUBLE_EQ(expected_price_usd_per_hour(1.0, 4.0, 2.0), 0.0);  // never negative
}

TEST(StockAdjustment, OrdersCloseTheGapOverTheAdjustmentTime) {
  // Target 1,000, alive at the horizon 400, on order 200: gap 400, closed over 4 quarters → 100;
  // over 1 → 400; nothing when the supply line already covers the target.
  EXPECT_DOUBLE_EQ(stock_adjustment_order_h100e(1000.0, 400.0, 200.0, 4.0), 100.0);
  EXPECT_DOUBLE_EQ(stock_adjustment_order_h100e(1000.0, 400.0, 200.0, 1.0), 400.0);
  EXPECT_DOUBLE_EQ(stock_adjustment_order_h100e(1000.0, 400.0, 700.0, 4.0), 0.0);
  EXPECT_DOUBLE_EQ(stock_adjustment_order_h100e(1000.0, 400.0, 200.0, 0.5), 400.0);  // at least one quarter
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

// The P&L of a quarter. AI opex = 100 + 30 + 70 + 15 (penalty) = 215; EBITDA = 1000 + 500 − 215 =
// 1285; AI operating profit = 1000 − 215 − 200 − 50 = 535; AI pre-tax = 535 − 40 = 495; tax on it
// 21% = 103.95; net = 500 (after tax already) + 495 − 103.95 = 891.05. Imputed value 600 is
// reported, never in cash: economic profit = 1000 + 600 − 215 − 400 = 985.
TEST(AgentState, IncomeStatementOfAQuarter) {
  AgentFlows f;
  f.revenue_usd = 1000.0;
  f.imputed_value_usd = 600.0;
  f.other_income_usd = 500.0;
  f.power_opex_usd = 100.0;
  f.site_opex_usd = 30.0;
  f.compute_purchases_usd = 70.0;
  f.contract_penalties_usd = 15.0;
  f.depreciation_book_usd = 200.0;
  f.depreciation_economic_usd = 400.0;
  f.impairment_usd = 50.0;
  f.interest_usd = 40.0;
  EXPECT_EQ(f.ai_opex_usd(), 215.0);
  EXPECT_EQ(f.ebitda_usd(), 1285.0);
  EXPECT_EQ(f.ai_operating_profit_usd(), 535.0);
  EXPECT_EQ(f.ai_economic_profit_usd(), 985.0);
  EXPECT_EQ(f.ai_pretax_income_usd(), 495.0);
  f.tax_usd = ai_tax_usd(f.ai_pretax_income_usd(), f.other_income_usd, 0.21);
  EXPECT_DOUBLE_EQ(f.tax_usd, 103.95);
  EXPECT_DOUBLE_EQ(f.net_income_usd(), 891.05);
  // Free cash flow (no financing): 1285 − 40 − 103.95 − capex (300 + 100 + 0) = 741.05; equity
  // raised is financing and does not count.
  f.capex_chips_usd = 300.0;
  f.capex_sites_usd = 100.0;
  f.equity_raised_usd = 25.0;
  EXPECT_DOUBLE_EQ(f.free_cash_flow_usd(), 741.05);
  // Cash: free cash flow + raised 25 + borrowing 60 + sales 5 − payouts 8 − repayment 20 − a stake
  // bought 10 = 793.05.
  f.borrowed_usd = 60.0;
  f.asset_sales_usd = 5.0;
  f.payouts_usd = 8.0;
  f.repaid_usd = 20.0;
  f.invested_usd = 10.0;
  EXPECT_DOUBLE_EQ(f.net_cash_flow_usd(), 793.05);
}

// Tax is paid once, on the AI business: a profit of 100 at 21% pays 21; a loss of 100 is deducted
// from the non-AI business's pre-tax income (other income 790 after tax = 1000 before), a credit
// of 21; a loss of 2000 is deducted only up to those 1000 (credit 210); without other income
// there is no credit.
TEST(AgentTax, TaxedOnceWithLossesAgainstTheRestOfTheBusiness) {
  EXPECT_DOUBLE_EQ(ai_tax_usd(100.0, 790.0, 0.21), 21.0);
  EXPECT_DOUBLE_EQ(ai_tax_usd(-100.0, 790.0, 0.21), -21.0);
  EXPECT_DOUBLE_EQ(ai_tax_usd(-2000.0, 790.0, 0.21), -210.0);
  EXPECT_DOUBLE_EQ(ai_tax_usd(-2000.0, 0.0, 0.21), 0.0);
  EXPECT_DOUBLE_EQ(ai_tax_usd(-2000.0, -50.0, 0.21), 0.0);
}

// Payouts: 40% of free cash flow 500 = 200, plus 25% of cash above 15% of assets: cash 300,
// assets 1000 → excess 150 → 37.5; total 237.5, within spendable 400. With spendable 100 it pays
// 100; with negative free cash flow only the excess-cash part (37.5); nothing below the target.
TEST(AgentPayout, ShareOfFreeCashFlowPlusExcessCash) {
  FinanceSpec f;
  f.payout_share = 0.4;
  f.target_cash_share = 0.15;
  f.excess_cash_payout = 0.25;
  EXPECT_DOUBLE_EQ(payout_usd(f, 500.0, 300.0, 1000.0, 400.0), 237.5);
  EXPECT_DOUBLE_EQ(payout_usd(f, 500.0, 300.0, 1000.0, 100.0), 100.0);
  EXPECT_DOUBLE_EQ(payout_usd(f, -500.0, 300.0, 1000.0, 400.0), 37.5);
  EXPECT_DOUBLE_EQ(payout_usd(f, -500.0, 100.0, 1000.0, 400.0), 0.0);
  EXPECT_DOUBLE_EQ(payout_usd(f, 500.0, 300.0, 1000.0, -5.0), 0.0);
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

namespace aidc {
namespace {

// Capex budget: share 50% of trailing EBITDA $100B = $50B, × (1 + 0.5 × 40% value growth) = $60B,
// × (1 + 0.5 × (50% − 30%) rivals' lead) = $66B. Last year's $40B closes half the gap: $53B.
TEST(CapexBudget, PartialAdjustmentTowardCashFlowGrowthAndRivals) {
  CapexBudgetSpec b;
  b.initial_usd_per_year = 40e9;
  b.cash_flow_share = 0.5;
  b.growth_weight = 0.5;
  b.rival_weight = 0.5;
  b.adjustment = 0.5;
  EXPECT_DOUBLE_EQ(capex_budget_target_usd(b, 100e9, 0.4, 0.5, 0.3), 66e9);
  EXPECT_DOUBLE_EQ(next_capex_budget_usd(b, 40e9, 66e9), 53e9);
  // Growth is clamped to [−50%, 200%]; no EBITDA, no target; ahead of rivals, no push.
  EXPECT_DOUBLE_EQ(capex_budget_target_usd(b, 100e9, 5.0, 0.0, 0.0), 100e9);
  EXPECT_DOUBLE_EQ(capex_budget_target_usd(b, 100e9, -0.9, 0.0, 0.0), 37.5e9);
  EXPECT_DOUBLE_EQ(capex_budget_target_usd(b, -10e9, 0.4, 0.5, 0.3), 0.0);
  EXPECT_DOUBLE_EQ(capex_budget_target_usd(b, 100e9, 0.0, 0.1, 0.3), 50e9);
}

// Paced budget: $60B a year releases $15B a quarter, less the quarter's non-AI capex of $6B: $9B. $4B left uncommitted
// carries over ($13B); carry-over stops at one year's budget ($58B + $9B → $60B); a non-AI capex above the release
// eats into what is left ($4B − $2B = $2B).
TEST(CapexBudget, PacedAQuarterAtATimeCarryingOverUpToAYear) {
  EXPECT_DOUBLE_EQ(paced_budget_release_usd(60e9, 6e9), 9e9);
  EXPECT_DOUBLE_EQ(paced_budget_left_usd(4e9, 9e9, 60e9), 13e9);
  EXPECT_DOUBLE_EQ(paced_budget_left_usd(58e9, 9e9, 60e9), 60e9);
  EXPECT_DOUBLE_EQ(paced_budget_left_usd(4e9, paced_budget_release_usd(60e9, 17e9), 60e9), 2e9);
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

// A training-grade chip's price factor: general $4/h, training $6/h (a 50% premium), training bought 30k of the
// 60k training-grade H100e offered: 1 + 0.5 × 0.5 = 1.25. All of it bought (or more): 1.5. No premium (training at
// or below the general price) or nothing training-grade offered: 1.
TEST(TrainingGradePrice, ThePremiumOnTheShareTrainingBought) {
  EXPECT_DOUBLE_EQ(training_grade_price_factor(4.0, 6.0, 30e3, 60e3), 1.25);
  EXPECT_DOUBLE_EQ(training_grade_price_factor(4.0, 6.0, 90e3, 60e3), 1.5);
  EXPECT_DOUBLE_EQ(training_grade_price_factor(4.0, 3.5, 30e3, 60e3), 1.0);
  EXPECT_DOUBLE_EQ(training_grade_price_factor(4.0, 6.0, 30e3, 0.0), 1.0);
}

}  // namespace
}  // namespace aidc
