#pragma once
//! The bubble indicators of a run (World) that need a history: the bullwhip statistics. The other
//! parts feed them as the quarter runs (the market its demand, the decisions their orders, the
//! vendors theirs); the record phase reads them.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "aidc/model/scissors_gap.hpp"

namespace aidc {

//! Running statistics of a series of log changes (for the bullwhip ratio).
struct LogChangeVariance {
  double last = 0.0;
  std::uint64_t n = 0;
  double mean = 0.0, m2 = 0.0;
  void add(double value) noexcept;
  [[nodiscard]] double variance() const noexcept { return n > 1 ? m2 / static_cast<double>(n - 1) : 0.0; }
};

struct Indicators {
  LogChangeVariance demand_changes, order_changes;
  std::vector<LogChangeVariance> vendor_order_changes;  // per vendor
  ScissorsGap scissors;  // vendors' inventory against the clouds' revenue, fed after production

  //! Variance of the changes of all orders / variance of demand changes (0 until demand varies).
  [[nodiscard]] double bullwhip_ratio() const noexcept {
    return demand_changes.variance() > 0.0 ? order_changes.variance() / demand_changes.variance() : 0.0;
  }
  //! The same for one vendor's orders.
  [[nodiscard]] double vendor_bullwhip_ratio(std::size_t vendor) const noexcept {
    return demand_changes.variance() > 0.0 ? vendor_order_changes[vendor].variance() / demand_changes.variance()
                                           : 0.0;
  }
};

}  // namespace aidc
