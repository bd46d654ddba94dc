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
      "backlog_chips",       "capacity_chips"};
  const auto i = static_cast<std::size_t>(m);
  return i < names.size() ? names[i] : "?";
}

}  // namespace aidc
