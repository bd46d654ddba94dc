#include "aidc/model/metric.hpp"

namespace aidc {

std::string_view metric_name(Metric m) noexcept {
  constexpr std::array<std::string_view, metric_count> names = {
      "installed_h100e",     "powered_h100e",        "stranded_h100e",
      "utilized_h100e",      "idle_h100e",           "utilization",
      "on_order_h100e",      "ordered_h100e",        "retired_h100e",        "power_requested_mw",
      "power_delivered_mw",  "power_available_mw",   "power_bound",
      "price_usd_per_h100e_hour", "demand_h100e",    "unmet_demand_h100e",
      "revenue_usd",         "capex_usd",            "depreciation_book_usd",
      "depreciation_economic_usd", "impairment_usd", "power_opex_usd",
      "net_income_usd",      "cash_usd",             "chips_book_value_usd",
      "chips_economic_value_usd", "orders_chips",    "shipments_chips",
      "backlog_chips",       "capacity_chips",       "inventory_chips",
      "inventory_days",      "cancelled_chips",      "list_price_usd",
      "gross_margin",        "round_tripped_share",  "bullwhip_ratio",
      "captive_h100e",       "contracted_h100e",     "secondary_bought_h100e",
      "secondary_sold_h100e", "demand_inference_h100e", "demand_training_h100e",
      "power_imported_mw",   "other_income_usd",     "site_opex_usd",
      "compute_purchases_usd", "interest_usd",       "tax_usd",
      "ebitda_usd",          "free_cash_flow_usd",   "cumulative_free_cash_flow_usd",
      "capex_to_revenue",    "debt_usd",             "leverage",
      "value_gap_usd",       "distressed",           "defaulted",
      "imputed_value_usd",   "ai_opex_usd",          "ai_operating_profit_usd",
      "ai_economic_profit_usd", "ai_invested_capital_usd", "ai_return_on_capital",
      "ai_payback_years",    "payouts_usd",          "contract_penalties_usd",
      "contract_receivable_usd", "contract_payable_usd", "stranded_book_value_usd",
      "stranded_economic_value_usd", "idle_book_value_usd", "idle_economic_value_usd",
      "capex_non_ai_usd",    "depreciation_non_ai_usd", "total_assets_usd",     "cash_share_of_assets",
      "utilization_installed", "inventory_usd",     "write_down_usd",       "scissors_gap",
      "training_price_usd_per_h100e_hour", "training_sold_h100e", "unmet_training_h100e",
      "training_grade_idle_h100e", "ecosystem_idle_h100e"};
  const auto i = static_cast<std::size_t>(m);
  return i < names.size() ? names[i] : "?";
}

}  // namespace aidc
