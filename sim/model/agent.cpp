#include "aidc/model/agent.hpp"

#include <algorithm>
#include <cmath>

#include "aidc/kernel/quarter.hpp"

namespace aidc {

double Agent::trailing_ebitda_usd(std::size_t last_slot) const noexcept {
  const double year = ebitda_history[0] + ebitda_history[1] + ebitda_history[2] + ebitda_history[3];
  return std::max(year, 4.0 * ebitda_history[last_slot % 4]);
}

double Agent::leverage(std::size_t last_slot) const noexcept {
  const double debt = ledger.debt_usd();
  if (debt <= 0.0) return 0.0;
  const double ebitda = trailing_ebitda_usd(last_slot);
  return ebitda > 0.0 ? std::min(99.0, debt / ebitda) : 99.0;
}

double expected_growth_per_year(const StrategySpec& strategy, double observed_growth_per_year) noexcept {
  return strategy.momentum * observed_growth_per_year + (1.0 - strategy.momentum) * strategy.long_run_growth_per_year;
}

double forecast_h100e(double current_h100e, double growth_per_year, int horizon_quarters) noexcept {
  const double g = std::max(growth_per_year, -0.95);
  return current_h100e * std::pow(1.0 + g, horizon_quarters / 4.0);
}

double target_capacity_h100e(const StrategySpec& strategy, double forecast_bloc_h100e) noexcept {
  return strategy.target_share * forecast_bloc_h100e * (1.0 + strategy.headroom);
}

double rival_pressure(double rival_reaction, double rivals_growth, double own_growth) noexcept {
  return 1.0 + rival_reaction * std::max(0.0, rivals_growth - own_growth);
}

double expected_return_per_year(double price_usd_per_hour, double running_cost_usd_per_hour, double utilization,
                                double capital_usd_per_h100e, int economic_life_quarters) noexcept {
  if (capital_usd_per_h100e <= 0.0) return 0.0;
  return (price_usd_per_hour - running_cost_usd_per_hour) * 4.0 * hours_per_quarter * utilization /
             capital_usd_per_h100e -
         4.0 / std::max(1, economic_life_quarters);
}

double ai_tax_usd(double ai_pretax_income_usd, double other_income_usd, double tax_rate) noexcept {
  if (ai_pretax_income_usd >= 0.0) return tax_rate * ai_pretax_income_usd;
  // A loss offsets the rest of the business's pre-tax income, as far as there is any.
  const double other_pretax = std::max(0.0, other_income_usd) / std::max(1e-9, 1.0 - tax_rate);
  return -tax_rate * std::min(-ai_pretax_income_usd, other_pretax);
}

double payout_usd(const FinanceSpec& finance, double free_cash_flow_usd, double cash_usd, double total_assets_usd,
                  double spendable_usd) noexcept {
  const double wanted = finance.payout_share * std::max(0.0, free_cash_flow_usd) +
                        finance.excess_cash_payout * std::max(0.0, cash_usd - finance.target_cash_share * total_assets_usd);
  return std::clamp(wanted, 0.0, std::max(0.0, spendable_usd));
}

double capex_budget_target_usd(const CapexBudgetSpec& budget, double trailing_ebitda_usd, double value_growth,
                               double rivals_growth, double own_growth) noexcept {
  return budget.cash_flow_share * std::max(0.0, trailing_ebitda_usd) *
         (1.0 + budget.growth_weight * std::clamp(value_growth, -0.5, 2.0)) *
         rival_pressure(budget.rival_weight, rivals_growth, own_growth);
}

double next_capex_budget_usd(const CapexBudgetSpec& budget, double previous_usd, double target_usd) noexcept {
  return previous_usd + budget.adjustment * (target_usd - previous_usd);
}

double service_revenue_usd(double h100e, double usd_per_hour) noexcept {
  return h100e * usd_per_hour * hours_per_quarter;
}

double paced_budget_release_usd(double budget_usd_per_year, double non_ai_capex_usd) noexcept {
  return budget_usd_per_year / 4.0 - non_ai_capex_usd;
}

double paced_budget_left_usd(double left_usd, double release_usd, double budget_usd_per_year) noexcept {
  return std::min(left_usd + release_usd, std::max(0.0, budget_usd_per_year));
}

double borrowing_rate(double base_rate, const FinanceSpec& finance, double leverage, double crunch_spread) noexcept {
  return base_rate + finance.spread + finance.spread_per_leverage * leverage + crunch_spread;
}

double debt_capacity_usd(double max_leverage, double trailing_ebitda_usd, double debt_usd) noexcept {
  return std::max(0.0, max_leverage * std::max(0.0, trailing_ebitda_usd) - debt_usd);
}

}  // namespace aidc
