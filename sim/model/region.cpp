#include "aidc/model/region.hpp"

#include <algorithm>

namespace aidc {

double Region::datacenter_power_mw(Quarter q) const noexcept {
  const double mw = spec->generation_mw.at(q) * (1.0 - spec->reserve_margin) - spec->other_load_mw.at(q);
  return std::max(0.0, mw) + added_mw;
}

}  // namespace aidc
