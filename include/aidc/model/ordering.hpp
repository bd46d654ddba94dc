#pragma once
//! How an agent sizes and splits its chip orders (MODEL.md §6 steps 2–4, docs/model.md §6): a
//! continuous response to the expected return, a stock-management rule with a supply line, and
//! a logit split across SKUs with a software switching cost per chip family.

#include <vector>

namespace aidc {

//! Weight of the market part of the target (0…1): a logistic in the expected return's distance
//! to the hurdle, 1 / (1 + exp(−(R − hurdle) / width)); width 0 is the on/off hurdle (1 when
//! R ≥ hurdle).
double hurdle_weight(double expected_return_per_year, double hurdle_return, double width) noexcept;

//! Tobin's q of new capacity: its expected yearly cash margin per dollar over what capital must
//! earn, q = (R + d) / (h + d), where R is the expected return net of economic depreciation,
//! d = 4 / L the depreciation per year (L the economic life in quarters) and h the hurdle
//! return; q = 1 when R = h. Never negative.
double investment_q(double expected_return_per_year, double hurdle_return, int economic_life_quarters) noexcept;

//! How much of the market part of its target an agent builds: min(q, q_max)^η (1 when η = 0).
double investment_factor(double q, double elasticity, double max_q) noexcept;

//! The price an agent expects: P × max(0, 1 + momentum × g), g = P / P_year_ago − 1 clamped to
//! [−0.9, 2] (0 without a price a year ago).
double expected_price_usd_per_hour(double price_usd_per_hour, double price_year_ago_usd_per_hour,
                                   double momentum) noexcept;

//! What a training-grade H100e earned against the general price P last quarter, as a factor:
//! 1 + min(1, training sold / training-grade offered) × max(0, P_t / P − 1) (1 without a
//! training premium or without training-grade compute offered).
double training_grade_price_factor(double price_usd_per_hour, double training_price_usd_per_hour,
                                   double training_sold_h100e, double training_grade_offered_h100e) noexcept;

//! Orders this quarter under stock management: the gap (target − compute alive at the horizon −
//! the supply line on order) closed over `adjustment_quarters` (≥ 1), never negative.
double stock_adjustment_order_h100e(double target_h100e, double alive_h100e, double on_order_h100e,
                                    double adjustment_quarters) noexcept;

//! Cost a buyer sees for a chip family: TCO × (1 + switching_cost × (1 − familiarity)), where
//! familiarity is the share of its own compute (installed and on order) already of that family.
double perceived_cost(double tco_usd_per_hour, double switching_cost, double familiarity) noexcept;

//! Shares of an order across SKUs by a logit on perceived cost: s_k ∝ exp(−(c_k / c_min − 1) /
//! spread). Spread 0 gives everything to the cheapest (ties to the first). Sums to 1; empty in,
//! empty out.
std::vector<double> sku_shares(const std::vector<double>& perceived_cost_usd_per_hour, double spread);

}  // namespace aidc
