#include "aidc/model/supply.hpp"

#include "aidc/model/vendor_response.hpp"

namespace aidc {

double Supply::unit_cost(std::uint32_t chip) const noexcept {
  const Chip& c = chips[chip];
  return c.spec->price_usd * (1.0 - vendors[c.vendor].spec->gross_margin);
}

double Supply::list_price(std::uint32_t chip, Quarter now, double market_factor) const noexcept {
  const Chip& c = chips[chip];
  const Vendor& v = vendors[c.vendor];
  // The SKU's own inventory, in quarters of the vendor's recent shipments.
  const double inventory = skus[chip].inventory_chips;
  const double shipments_chips = v.average_shipments_chips();
  const double inventory_quarters =
      shipments_chips > 0.0 ? inventory / shipments_chips : (inventory > 0.0 ? 8.0 : 0.0);
  return list_price_usd(c.spec->price_usd, v.spec->price_policy, now - c.available_from, inventory_quarters,
                        v.price_factor * market_factor, unit_cost(chip));
}

double Supply::inventory_at_cost_usd(const Vendor& vendor) const noexcept {
  double total = 0.0;
  for (const std::uint32_t c : vendor.chips) total += aidc::inventory_at_cost_usd(skus[c], unit_cost(c), vendor.spec->production);
  return total;
}

double Supply::in_transit_chips() const noexcept {
  double n = 0.0;
  for (const std::uint32_t s : pending_shipments) {
    if (!shipments[s].arrived) n += shipments[s].count;
  }
  return n;
}

double Supply::vendor_inventory_chips() const noexcept {
  double n = 0.0;
  for (const auto& s : skus) n += s.inventory_chips;
  return n;
}

}  // namespace aidc
