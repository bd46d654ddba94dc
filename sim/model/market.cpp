#include "aidc/model/market.hpp"

#include <algorithm>
#include <cmath>

namespace aidc {

Clearing clear_market(double base_demand_h100e, double supply_h100e, double previous_price_usd_per_hour,
                      double floor_usd_per_hour, const DemandSpec& demand) noexcept {
  Clearing c;
  const double p_ref = demand.reference_price_usd_per_hour;
  const double eps = demand.elasticity;
  if (supply_h100e > 0.0 && base_demand_h100e > 0.0) {
    c.clearing_price_usd_per_hour = p_ref * std::pow(base_demand_h100e / supply_h100e, 1.0 / eps);
    const double a = demand.price_adjustment;
    c.price_usd_per_hour =
        std::exp((1.0 - a) * std::log(previous_price_usd_per_hour) + a * std::log(c.clearing_price_usd_per_hour));
  } else if (supply_h100e > 0.0) {
    // No demand: the clearing price is zero, so the price falls to the floor.
    c.clearing_price_usd_per_hour = 0.0;
    c.price_usd_per_hour = floor_usd_per_hour;
  } else {
    // No supply: nothing trades and the price stays where it was.
    c.clearing_price_usd_per_hour = previous_price_usd_per_hour;
    c.price_usd_per_hour = previous_price_usd_per_hour;
  }
  if (c.price_usd_per_hour <= floor_usd_per_hour) {
    c.price_usd_per_hour = floor_usd_per_hour;
    c.at_floor = true;
  }
  // A zero floor with zero demand would give price 0: keep it positive so logs stay finite.
  c.price_usd_per_hour = std::max(c.price_usd_per_hour, 1e-9);
  c.demand_h100e = base_demand_h100e * std::pow(c.price_usd_per_hour / p_ref, -eps);
  c.sold_h100e = std::min(c.demand_h100e, supply_h100e);
  c.idle_h100e = supply_h100e - c.sold_h100e;
  c.unmet_h100e = c.demand_h100e - c.sold_h100e;
  return c;
}

void BlocMarket::advance_demand(Quarter q, bool first_quarter) noexcept {
  if (first_quarter) {
    trend_h100e = spec->base_h100e;
    price_usd_per_hour = spec->reference_price_usd_per_hour;
  } else {
    trend_h100e *= std::pow(1.0 + spec->growth_per_year.at(q), 0.25);
  }
  const double shock = spec->noise > 0.0 ? rng.lognormal_factor(spec->noise) : 1.0;
  base_demand_h100e = trend_h100e * shock;
}

}  // namespace aidc
