#pragma once
//! Chip vendors: an order backlog served from limited production capacity.

#include <cstdint>
#include <vector>

#include "aidc/scenario/spec.hpp"

namespace aidc {

//! Chips ordered and not yet produced.
struct BacklogEntry {
  std::uint32_t buyer = 0;
  std::uint32_t chip = 0;
  double count = 0.0;
};

//! Chips produced and on their way; they arrive after the vendor's lead time.
struct Shipment {
  std::uint32_t buyer = 0;
  std::uint32_t chip = 0;
  double count = 0.0;
  double unit_price_usd = 0.0;
  bool arrived = false;
};

//! A vendor's state (MODEL.md §3, first slice: capacity, backlog, lead time; inventory and price
//! policy come with the full vendor model).
struct Vendor {
  const VendorSpec* spec = nullptr;
  std::vector<BacklogEntry> backlog;
  // Per-quarter flows.
  double orders_chips = 0.0;
  double shipped_chips = 0.0;
  double revenue_usd = 0.0;
  double capacity_chips = 0.0;

  [[nodiscard]] double backlog_chips() const noexcept;
};

//! Serves a backlog from `capacity` chips: when the backlog fits, all of it; otherwise every
//! entry pro rata (each gets capacity / backlog of its count). Served counts are written to
//! `served` (one per entry) and subtracted from the backlog; emptied entries are removed
//! afterwards by the caller. Returns the number of chips produced.
double serve_pro_rata(std::vector<BacklogEntry>& backlog, double capacity, std::vector<double>& served);

}  // namespace aidc
