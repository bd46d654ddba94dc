#pragma once
//! The "scissors gap" (MODEL.md §9): vendors' inventory growing faster than their customers'
//! revenue, the sign a supply chain builds ahead of the demand it sells into.

#include <cstddef>

namespace aidc {

//! Year-on-year growth of vendors' inventory at cost minus that of the clouds' cash revenue
//! (hyperscalers, neoclouds, Chinese clouds), from quarterly values kept for four quarters:
//! gap = (I_t / I_{t−4} − 1) − (R_t / R_{t−4} − 1), 0 until both year-ago values are positive.
class ScissorsGap {
 public:
  //! Adds quarter t's values (in the ring slot of t) and computes the gap against the values the
  //! slot held, those of t − 4.
  void add(std::size_t slot, double inventory_usd, double cloud_revenue_usd) noexcept;
  [[nodiscard]] double gap() const noexcept { return gap_; }

 private:
  double inventory_usd_[4] = {0, 0, 0, 0};
  double cloud_revenue_usd_[4] = {0, 0, 0, 0};
  double gap_ = 0.0;
};

}  // namespace aidc
