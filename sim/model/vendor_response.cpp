#include "aidc/model/vendor_response.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aidc {

double capacity_in_service_chips(Vendor& vendor, Quarter now) {
  const double ceiling = vendor.spec->capacity_chips_per_quarter.at(now);
  if (vendor.spec->capacity_policy.lead_quarters <= 0) return ceiling;
  if (!vendor.capacity_started) {
    vendor.capacity_start = now;
    vendor.capacity_started = true;
  }
  // Start in motion: additions decided before the run are in service in its first lead-time
  // quarters, as the series gives them.
  if (now - vendor.capacity_start < vendor.spec->capacity_policy.lead_quarters) {
    vendor.installed_capacity_chips = ceiling;
    return ceiling;
  }
  auto& pipeline = vendor.capacity_pipeline;
  while (!pipeline.empty() && pipeline.front().ready <= now) {
    vendor.installed_capacity_chips += pipeline.front().chips;
    pipeline.erase(pipeline.begin());
  }
  return std::min(vendor.installed_capacity_chips, ceiling);
}

void plan_capacity(Vendor& vendor, Quarter now, double expected_orders_chips) {
  const CapacityPolicySpec& policy = vendor.spec->capacity_policy;
  if (policy.lead_quarters <= 0) return;
  const Quarter ready = now + policy.lead_quarters;
  const double change =
      capacity_change_chips(vendor.installed_capacity_chips, vendor.pipeline_capacity_chips(), expected_orders_chips,
                            vendor.backlog_chips(), vendor.spec->capacity_chips_per_quarter.at(ready), policy);
  if (change > 0.0) vendor.capacity_pipeline.push_back({ready, change});
  else vendor.installed_capacity_chips += change;
}

double inventory_at_cost_usd(const SkuSupply& supply, double unit_cost_usd, const ProductionSpec& production) noexcept {
  return unit_cost_usd * (supply.carrying_share * supply.inventory_chips + production.materials_share * supply.materials_chips);
}

double write_down_unsellable(SkuSupply& supply, double unit_cost_usd, const ProductionSpec& production,
                             double& salvage_cash_usd) noexcept {
  if (supply.carrying_share <= production.salvage_share) return 0.0;
  const double finished = (supply.carrying_share - production.salvage_share) * unit_cost_usd * supply.inventory_chips;
  const double materials_usd = production.materials_share * unit_cost_usd * supply.materials_chips;
  salvage_cash_usd += production.salvage_share * materials_usd;
  supply.materials_chips = 0.0;
  supply.carrying_share = production.salvage_share;
  return finished + (1.0 - production.salvage_share) * materials_usd;
}

namespace {

//! Mean power price over the blocs of a market mask (NaN when none has a region).
double mean_power_price(std::uint32_t market_mask, const std::vector<double>& power_price_by_bloc) {
  double sum = 0.0;
  int n = 0;
  for (std::size_t b = 0; b < power_price_by_bloc.size(); ++b) {
    if (((market_mask >> b) & 1U) == 0U || std::isnan(power_price_by_bloc[b])) continue;
    sum += power_price_by_bloc[b];
    ++n;
  }
  return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

//! Lowest TCO per H100e-hour among the rivals of `vendor` sold in a bloc of `market_mask`
//! (infinite when there is none).
double best_rival_tco(std::uint32_t vendor, std::uint32_t market_mask, const std::vector<Vendor>& vendors,
                      const std::vector<Chip>& chips, const std::vector<double>& price_usd, double power_price,
                      Quarter now) {
  double best = std::numeric_limits<double>::infinity();
  for (std::uint32_t c = 0; c < chips.size(); ++c) {
    const Chip& rival = chips[c];
    if (rival.vendor == vendor || vendors[rival.vendor].captive_owner >= 0 || !rival.orderable(now) ||
        (rival.market_mask & market_mask) == 0U) {
      continue;
    }
    best = std::min(best, tco_usd_per_h100e_hour(rival, reference_pue, power_price, price_usd[c]));
  }
  return best;
}

}  // namespace

void answer_market(std::vector<Vendor>& vendors, std::vector<SkuSupply>& supply, const std::vector<Chip>& chips,
                   const std::vector<double>& base_price_usd, const std::vector<double>& price_usd,
                   const std::vector<double>& power_price_by_bloc, Quarter now) {
  for (std::uint32_t v = 0; v < vendors.size(); ++v) {
    const Vendor& vendor = vendors[v];
    const PricePolicySpec& policy = vendor.spec->price_policy;
    if (policy.scarcity_premium <= 0.0 && policy.rival_response <= 0.0) continue;
    const double backlog_quarters =
        vendor.capacity_chips > 0.0 ? vendor.backlog_chips() / vendor.capacity_chips : 0.0;
    const double scarcity = scarcity_factor(backlog_quarters, policy);
    for (const std::uint32_t c : vendor.chips) {
      const Chip& chip = chips[c];
      if (!chip.orderable(now)) continue;
      double rival = 1.0;
      const double power_price = mean_power_price(chip.market_mask, power_price_by_bloc);
      if (policy.rival_response > 0.0 && !std::isnan(power_price)) {
        const double rival_tco = best_rival_tco(v, chip.market_mask, vendors, chips, price_usd, power_price, now);
        if (std::isfinite(rival_tco)) {
          const double match =
              matching_price_usd(rival_tco, policy.ecosystem_premium,
                                 running_cost_usd_per_h100e_hour(chip, reference_pue, power_price),
                                 chip.effective_h100e, chip.spec->economic_life_quarters);
          rival = rival_factor(base_price_usd[c], match, policy.rival_response);
        }
      }
      supply[c].market_factor = adjust_toward(supply[c].market_factor, scarcity * rival, policy.adjustment_quarters);
    }
  }
}

}  // namespace aidc
