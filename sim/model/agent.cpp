#include "aidc/model/agent.hpp"

#include <algorithm>
#include <cmath>

namespace aidc {

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

int cheapest_chip(const std::vector<Chip>& chips, const std::vector<std::uint32_t>& candidates, double pue,
                  double power_price_usd_per_mwh) noexcept {
  int best = -1;
  double best_tco = 0.0;
  for (const std::uint32_t c : candidates) {
    const double tco = tco_usd_per_h100e_hour(chips[c], pue, power_price_usd_per_mwh);
    if (best < 0 || tco < best_tco || (tco == best_tco && static_cast<int>(c) < best)) {
      best = static_cast<int>(c);
      best_tco = tco;
    }
  }
  return best;
}

}  // namespace aidc
