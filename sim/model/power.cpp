#include "aidc/model/power.hpp"

#include <algorithm>
#include <numeric>

namespace aidc {

double Region::datacenter_power_mw(Quarter q) const noexcept {
  const double mw = spec->generation_mw.at(q) * (1.0 - spec->reserve_margin) - spec->other_load_mw.at(q);
  return std::max(0.0, mw) + added_mw;
}

double allocate_pro_rata(double available_mw, std::span<const double> requested_mw, std::span<double> granted_mw) noexcept {
  const double total = std::accumulate(requested_mw.begin(), requested_mw.end(), 0.0);
  const double ratio = total <= available_mw || total <= 0.0 ? 1.0 : available_mw / total;
  double granted = 0.0;
  for (std::size_t i = 0; i < requested_mw.size(); ++i) {
    granted_mw[i] = requested_mw[i] * ratio;
    granted += granted_mw[i];
  }
  return granted;
}

}  // namespace aidc
