#include "aidc/model/scissors_gap.hpp"

namespace aidc {

void ScissorsGap::add(std::size_t slot, double inventory_usd, double cloud_revenue_usd) noexcept {
  const double inventory_then = inventory_usd_[slot], revenue_then = cloud_revenue_usd_[slot];
  gap_ = inventory_then > 0.0 && revenue_then > 0.0
             ? (inventory_usd / inventory_then - 1.0) - (cloud_revenue_usd / revenue_then - 1.0)
             : 0.0;
  inventory_usd_[slot] = inventory_usd;
  cloud_revenue_usd_[slot] = cloud_revenue_usd;
}

}  // namespace aidc
