#pragma once
//! A chip SKU as the model uses it: the spec plus derived compute and cost figures.

#include <cstdint>

#include "aidc/scenario/choices.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! Dense BF16 TFLOP/s of one H100 (record: chips.h100.bf16_tflops): 1 H100e.
inline constexpr double h100_bf16_tflops = 989.0;

//! A chip SKU with derived figures. What-if events change its markets (export controls) and its
//! first quarter on sale (chip delays) during a run.
struct Chip {
  const ChipSpec* spec = nullptr;
  std::uint32_t vendor = 0;
  std::uint32_t family = 0;      //!< its ChipFamily as an index (per-family tallies)
  double effective_h100e = 0.0;  //!< H100e per chip × software efficiency
  std::uint32_t market_mask = 0; //!< bit b set: may be sold into bloc b
  Quarter available_from;        //!< first quarter on sale (spec, moved by chip_delay events)

  [[nodiscard]] bool sold_in(BlocId bloc) const noexcept { return (market_mask >> bloc) & 1U; }
  [[nodiscard]] bool orderable(Quarter q) const noexcept {
    return available_from <= q && q <= spec->available_until;
  }
  //! IT megawatts per effective H100e.
  [[nodiscard]] double mw_per_h100e() const noexcept { return spec->power_kw / 1000.0 / effective_h100e; }
};

//! Builds the model's chip from its spec (whose references are bound: its markets are read from
//! `market_mask`).
Chip make_chip(const ChipSpec& spec, std::uint32_t vendor_index);

//! Cost of one effective H100e-hour over the chip's economic life (MODEL.md §6 step 4):
//! (price / life-hours + kW × PUE × power price) / effective H100e. USD per hour. `price_usd`
//! is what the buyer pays per chip (the vendor's list price now).
double tco_usd_per_h100e_hour(const Chip& chip, double pue, double power_price_usd_per_mwh, double price_usd) noexcept;
//! The same at the chip's launch price.
inline double tco_usd_per_h100e_hour(const Chip& chip, double pue, double power_price_usd_per_mwh) noexcept {
  return tco_usd_per_h100e_hour(chip, pue, power_price_usd_per_mwh, chip.spec->price_usd);
}

//! Running (power) cost of one effective H100e-hour, USD per hour: the market's price floor.
double running_cost_usd_per_h100e_hour(const Chip& chip, double pue, double power_price_usd_per_mwh) noexcept;

}  // namespace aidc
