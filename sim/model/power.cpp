#include "aidc/model/power.hpp"

#include <algorithm>
#include <numeric>

namespace aidc {

const PowerTechnologySpec* fastest_power_technology(const std::vector<PowerTechnologySpec>& technologies,
                                                    bool bridge) noexcept {
  const PowerTechnologySpec* best = nullptr;
  for (const auto& t : technologies) {
    if (t.bridge != bridge) continue;
    if (best == nullptr || t.lead_quarters < best->lead_quarters ||
        (t.lead_quarters == best->lead_quarters && t.cost_usd_per_mw < best->cost_usd_per_mw)) {
      best = &t;
    }
  }
  return best;
}

double utility_commitment_mw(double requests_mw, double available_mw, double pending_mw, double response) noexcept {
  return response * std::max(0.0, requests_mw - available_mw - pending_mw);
}


}  // namespace aidc
