#include "aidc/model/vendor.hpp"

#include <algorithm>
#include <cmath>

namespace aidc {

double Vendor::backlog_chips() const noexcept {
  double total = 0.0;
  for (const auto& e : backlog) total += e.count;
  return total;
}

double Vendor::average_shipments_chips() const noexcept {
  return (shipped_last4[0] + shipped_last4[1] + shipped_last4[2] + shipped_last4[3]) / 4.0;
}

double Vendor::cost_of_sales_year_usd() const noexcept {
  if (quarters_booked <= 0) return 0.0;
  const double sum = cost_of_sales_last4[0] + cost_of_sales_last4[1] + cost_of_sales_last4[2] + cost_of_sales_last4[3];
  return sum * 4.0 / quarters_booked;
}

double Vendor::pipeline_capacity_chips() const noexcept {
  double total = 0.0;
  for (const auto& a : capacity_pipeline) total += a.chips;
  return total;
}

double scarcity_factor(double backlog_quarters, const PricePolicySpec& policy) noexcept {
  const double excess = std::max(0.0, backlog_quarters - policy.target_backlog_quarters);
  return std::min(1.0 + policy.scarcity_premium * excess, 1.0 + policy.max_scarcity_premium);
}

double matching_price_usd(double rival_tco_usd_per_hour, double premium, double running_cost_usd_per_hour,
                          double effective_h100e, int economic_life_quarters) noexcept {
  const double capital_per_hour = (1.0 + premium) * rival_tco_usd_per_hour - running_cost_usd_per_hour;
  return std::max(0.0, capital_per_hour * economic_life_quarters * hours_per_quarter * effective_h100e);
}

double rival_factor(double price_usd, double matching_price_usd, double response) noexcept {
  if (!(price_usd > matching_price_usd) || price_usd <= 0.0) return 1.0;
  return 1.0 - response * (1.0 - matching_price_usd / price_usd);
}

double adjust_toward(double current, double target, int quarters) noexcept {
  return current + (target - current) / std::max(1, quarters);
}

double capacity_change_chips(double installed_chips, double pipeline_chips, double expected_orders_chips,
                             double backlog_chips, double ceiling_chips, const CapacityPolicySpec& policy) noexcept {
  const double desired = (expected_orders_chips + backlog_chips / std::max(1, policy.backlog_clearance_quarters)) /
                         policy.target_utilization;
  const double planned = installed_chips + pipeline_chips;
  const double gap = desired - planned;
  if (gap >= 0.0) return std::max(0.0, std::min(gap, ceiling_chips - planned));
  return std::max(gap, -policy.max_cut * installed_chips);
}

double materials_after_chips(double held_chips, double made_chips, double planned_next_chips,
                             int ahead_quarters) noexcept {
  return std::max(ahead_quarters * planned_next_chips, std::max(0.0, held_chips - made_chips));
}

double inventory_days(double inventory_at_cost_usd, double cost_of_sales_year_usd) noexcept {
  return cost_of_sales_year_usd > 0.0 ? inventory_at_cost_usd / cost_of_sales_year_usd * 365.0 : 0.0;
}

double ramp_share(int quarters_on_sale, int ramp_quarters) noexcept {
  if (quarters_on_sale < 0) return 0.0;
  return std::min(1.0, static_cast<double>(quarters_on_sale + 1) / std::max(1, ramp_quarters));
}

double list_price_usd(double launch_price_usd, const PricePolicySpec& policy, int age_quarters,
                      double inventory_quarters, double price_factor, double unit_cost_usd) noexcept {
  const double age_factor = std::pow(1.0 - policy.decline_per_year, std::max(0, age_quarters) / 4.0);
  const double excess = std::max(0.0, inventory_quarters - policy.target_inventory_quarters);
  const double inventory_factor = std::max(0.0, 1.0 - policy.inventory_discount * excess);
  return std::max(unit_cost_usd, launch_price_usd * age_factor * inventory_factor * price_factor);
}

double forecast_orders_chips(const SkuSupply& s, double momentum) noexcept {
  double growth = 0.0;
  if (s.has_history && s.last_orders_chips > 0.0) growth = std::clamp(s.orders_chips / s.last_orders_chips - 1.0, -0.9, 2.0);
  return std::max(0.0, s.smoothed_orders_chips * (1.0 + momentum * growth));
}

double planned_output_chips(double backlog_chips, double forecast_chips, int target_inventory_quarters,
                            double inventory_chips) noexcept {
  return std::max(0.0, backlog_chips + forecast_chips * (1.0 + target_inventory_quarters) - inventory_chips);
}

double serve_backlog(std::vector<BacklogEntry>& backlog, const std::vector<std::size_t>& entries, double available,
                     std::int32_t priority_buyer, std::vector<double>& served) {
  double given = 0.0;
  // The captive owner first, in full as far as it goes.
  for (const std::size_t i : entries) {
    if (static_cast<std::int32_t>(backlog[i].buyer) != priority_buyer || available <= 0.0) continue;
    const double n = std::min(available, backlog[i].count);
    backlog[i].count -= n;
    served[i] += n;
    available -= n;
    given += n;
  }
  // Then everyone else pro rata.
  double rest = 0.0;
  for (const std::size_t i : entries) rest += backlog[i].count;
  if (rest <= 0.0 || available <= 0.0) return given;
  const double ratio = std::min(1.0, available / rest);
  for (const std::size_t i : entries) {
    const double n = ratio >= 1.0 ? backlog[i].count : backlog[i].count * ratio;
    backlog[i].count -= n;
    served[i] += n;
    given += n;
  }
  return given;
}

}  // namespace aidc
