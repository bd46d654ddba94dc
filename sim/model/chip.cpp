#include "aidc/model/chip.hpp"

#include "aidc/kernel/quarter.hpp"

namespace aidc {

Chip make_chip(const ChipSpec& spec, std::uint32_t vendor_index) {
  Chip c;
  c.spec = &spec;
  c.vendor = vendor_index;
  c.available_from = spec.available_from;
  c.effective_h100e = spec.bf16_tflops / h100_bf16_tflops * spec.software_efficiency;
  c.family = static_cast<std::uint32_t>(spec.family);
  c.market_mask = spec.market_mask;
  return c;
}

double running_cost_usd_per_h100e_hour(const Chip& chip, double pue, double power_price_usd_per_mwh) noexcept {
  return chip.spec->power_kw / 1000.0 * pue * power_price_usd_per_mwh / chip.effective_h100e;
}

double tco_usd_per_h100e_hour(const Chip& chip, double pue, double power_price_usd_per_mwh, double price_usd) noexcept {
  const double life_hours = chip.spec->economic_life_quarters * hours_per_quarter;
  return price_usd / life_hours / chip.effective_h100e +
         running_cost_usd_per_h100e_hour(chip, pue, power_price_usd_per_mwh);
}

}  // namespace aidc
