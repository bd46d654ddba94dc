#include "aidc/model/market.hpp"

#include <algorithm>
#include <cmath>

namespace aidc {

double DemandCurve::inference_at(double price_usd_per_hour) const noexcept {
  if (inference_h100e <= 0.0) return 0.0;
  return inference_h100e * std::pow(price_usd_per_hour / reference_price_usd_per_hour, -elasticity);
}

double DemandCurve::training_at(double price_usd_per_hour) const noexcept {
  if (training_usd_per_quarter <= 0.0) return 0.0;
  return training_usd_per_quarter / (price_usd_per_hour * hours_per_quarter);
}

double clearing_price_usd_per_hour(const DemandCurve& d, double supply_h100e) noexcept {
  const double p_ref = d.reference_price_usd_per_hour;
  if (d.training_usd_per_quarter <= 0.0) {
    return d.inference_h100e > 0.0 ? p_ref * std::pow(d.inference_h100e / supply_h100e, 1.0 / d.elasticity) : 0.0;
  }
  if (d.inference_h100e <= 0.0) return d.training_usd_per_quarter / (supply_h100e * hours_per_quarter);
  // g(x) = ln D(e^x) − ln S is strictly decreasing in x = ln P. Bracket: each segment alone
  // clears at a price below the joint one, the sum of the two at a price above it.
  const double p_inference = p_ref * std::pow(d.inference_h100e / supply_h100e, 1.0 / d.elasticity);
  const double p_training = d.training_usd_per_quarter / (supply_h100e * hours_per_quarter);
  double lo = std::log(std::max(p_inference, p_training));
  double hi = std::log(p_ref * std::pow(2.0 * d.inference_h100e / supply_h100e, 1.0 / d.elasticity) + 2.0 * p_training);
  double x = 0.5 * (lo + hi);
  for (int i = 0; i < 100 && hi - lo > 1e-13; ++i) {
    const double p = std::exp(x);
    const double inf = d.inference_at(p), tr = d.training_at(p), total = inf + tr;
    const double g = std::log(total / supply_h100e);
    if (g > 0.0) lo = x; else hi = x;
    if (g == 0.0) break;
    // d ln D / d ln P = −(ε · inference + training) / D.
    const double slope = -(d.elasticity * inf + tr) / total;
    double next = x - g / slope;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::abs(next - x) < 1e-14) break;
    x = next;
  }
  return std::exp(x);
}

Clearing clear_market(const DemandCurve& d, double supply_h100e, double previous_price_usd_per_hour,
                      double floor_usd_per_hour) noexcept {
  Clearing c;
  const bool any_demand = d.inference_h100e > 0.0 || d.training_usd_per_quarter > 0.0;
  if (supply_h100e > 0.0 && any_demand) {
    c.clearing_price_usd_per_hour = clearing_price_usd_per_hour(d, supply_h100e);
    const double a = d.price_adjustment;
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
  c.demand_inference_h100e = d.inference_at(c.price_usd_per_hour);
  c.demand_training_h100e = d.training_at(c.price_usd_per_hour);
  c.demand_h100e = c.demand_inference_h100e + c.demand_training_h100e;
  c.sold_h100e = std::min(c.demand_h100e, supply_h100e);
  c.idle_h100e = supply_h100e - c.sold_h100e;
  c.unmet_h100e = c.demand_h100e - c.sold_h100e;
  return c;
}

Clearing clear_market(double base_demand_h100e, double supply_h100e, double previous_price_usd_per_hour,
                      double floor_usd_per_hour, const DemandSpec& demand) noexcept {
  DemandCurve d;
  d.inference_h100e = base_demand_h100e;
  d.reference_price_usd_per_hour = demand.reference_price_usd_per_hour;
  d.elasticity = demand.elasticity;
  d.price_adjustment = demand.price_adjustment;
  return clear_market(d, supply_h100e, previous_price_usd_per_hour, floor_usd_per_hour);
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

void BlocMarket::set_curve(Quarter q) noexcept {
  curve.reference_price_usd_per_hour = spec->reference_price_usd_per_hour;
  curve.elasticity = spec->elasticity;
  curve.price_adjustment = spec->price_adjustment;
  curve.inference_h100e = base_demand_h100e * inference_factor * std::pow(efficiency, spec->elasticity - 1.0);
  curve.training_usd_per_quarter =
      std::max(0.0, spec->training_budget_usd_per_quarter.at(q) + spec->training_revenue_share * revenue_last_usd) *
      training_factor;
}

}  // namespace aidc
