#pragma once
//! The supply part of a run (World): the chips, their vendors, each SKU's stock, the shipments on
//! their way, and the chip count behind the conservation invariant (MODEL.md §11).

#include <cstdint>
#include <vector>

#include "aidc/kernel/quarter.hpp"
#include "aidc/model/chip.hpp"
#include "aidc/model/vendor.hpp"

namespace aidc {

struct Supply {
  std::vector<Chip> chips;
  std::vector<Vendor> vendors;
  std::vector<SkuSupply> skus;                    // per chip
  std::vector<Shipment> shipments;
  std::vector<std::uint32_t> pending_shipments;   // shipped, in order; arrived ones until the next decisions phase
  std::vector<double> vendor_backlog_chips;       // per vendor, set at the start of each decisions phase and
                                                  // kept up to date as agents order
  // Chip conservation (MODEL.md §11): initial + produced = vendor inventory + in transit + in
  // service + retired.
  double initial_chips = 0.0;
  double produced_chips = 0.0;
  double retired_chips = 0.0;

  //! What one chip costs its vendor to make.
  [[nodiscard]] double unit_cost(std::uint32_t chip) const noexcept;
  //! A chip's list price in quarter `now`: its vendor's price policy, its age, its inventory, and
  //! the SKU's market factor (its answer to scarcity and rivals).
  [[nodiscard]] double list_price(std::uint32_t chip, Quarter now) const noexcept {
    return list_price(chip, now, skus[chip].market_factor);
  }
  //! The list price with a given market factor (1: before its answer to scarcity and rivals).
  [[nodiscard]] double list_price(std::uint32_t chip, Quarter now, double market_factor) const noexcept;
  //! A vendor's stock at cost: finished chips and materials bought ahead (inventory_at_cost_usd).
  [[nodiscard]] double inventory_at_cost_usd(const Vendor& vendor) const noexcept;
  //! Chips shipped and not yet arrived.
  [[nodiscard]] double in_transit_chips() const noexcept;
  //! Chips made and not yet shipped, over every SKU.
  [[nodiscard]] double vendor_inventory_chips() const noexcept;
};

}  // namespace aidc
