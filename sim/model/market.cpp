#include "aidc/model/market.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aidc {

double DemandCurve::inference_at(double price_usd_per_hour) const noexcept {
  if (inference_h100e <= 0.0) return 0.0;
  const double relative = std::pow(price_usd_per_hour / reference_price_usd_per_hour, -elasticity);
  return inference_h100e * (saturation > 0.0 ? std::min(saturation, relative) : relative);
}

double DemandCurve::training_at(double price_usd_per_hour) const noexcept {
  if (training_usd_per_quarter <= 0.0) return 0.0;
  const double h100e = training_usd_per_quarter / (price_usd_per_hour * hours_per_quarter);
  if (saturation <= 0.0) return h100e;
  return std::min(h100e, saturation * training_usd_per_quarter / (reference_price_usd_per_hour * hours_per_quarter));
}

double DemandCurve::ceiling_h100e() const noexcept {
  if (saturation <= 0.0) return std::numeric_limits<double>::infinity();
  return saturation * (std::max(0.0, inference_h100e) +
                       std::max(0.0, training_usd_per_quarter) / (reference_price_usd_per_hour * hours_per_quarter));
}

namespace {

// Each offer's compute by family, scaled to sum to its offer (an offer given no split counts as
// gpu). `total` gets the sums by family.
std::vector<FamilyH100e> offer_parts(std::span<const SpotOffer> offers, std::span<const FamilyH100e> split,
                                     FamilyH100e& total) {
  std::vector<FamilyH100e> part(offers.size(), FamilyH100e{});
  for (std::size_t i = 0; i < offers.size(); ++i) {
    if (!(offers[i].h100e > 0.0)) continue;
    double sum = 0.0;
    if (i < split.size()) {
      for (const double v : split[i]) sum += std::max(0.0, v);
    }
    if (!(sum > 0.0)) {
      part[i][static_cast<std::size_t>(ChipFamily::gpu)] = offers[i].h100e;
    } else {
      for (std::size_t f = 0; f < chip_family_count; ++f) part[i][f] = offers[i].h100e * std::max(0.0, split[i][f]) / sum;
    }
    for (std::size_t f = 0; f < chip_family_count; ++f) total[f] += part[i][f];
  }
  return part;
}

// The root of g(x) = ln D(e^x) − ln S in x = ln P within [lo, hi] (g(lo) > 0 > g(hi)), by Newton
// steps kept inside the bracket (bisection when a step leaves it).
double solve_log_price(const DemandCurve& d, double supply_h100e, double lo, double hi) noexcept {
  double x = 0.5 * (lo + hi);
  for (int i = 0; i < 100 && hi - lo > 1e-13; ++i) {
    const double p = std::exp(x);
    const double inf = d.inference_at(p), tr = d.training_at(p), total = inf + tr;
    const double g = std::log(total / supply_h100e);
    if (g > 0.0) lo = x; else hi = x;
    if (g == 0.0) break;
    // d ln D / d ln P = −(ε · inference + training) / D, counting only the segments above their
    // ceiling's price (a saturated segment does not move with the price).
    const double ceiling_price_inference =
        d.saturation > 0.0 ? d.reference_price_usd_per_hour * std::pow(d.saturation, -1.0 / d.elasticity) : 0.0;
    const double ceiling_price_training = d.saturation > 0.0 ? d.reference_price_usd_per_hour / d.saturation : 0.0;
    const double moving = (p > ceiling_price_inference ? d.elasticity * inf : 0.0) + (p > ceiling_price_training ? tr : 0.0);
    double next = moving > 0.0 ? x + g * total / moving : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::abs(next - x) < 1e-14) break;
    x = next;
  }
  return std::exp(x);
}

}  // namespace

double clearing_price_usd_per_hour(const DemandCurve& d, double supply_h100e) noexcept {
  const double p_ref = d.reference_price_usd_per_hour;
  if (d.saturation > 0.0) {
    if (supply_h100e >= d.ceiling_h100e()) return 0.0;
    // Demand with a ceiling is at most demand without: the root lies below the unbounded curve's
    // and above the price under which both segments are saturated.
    DemandCurve unbounded = d;
    unbounded.saturation = 0.0;
    const double hi = std::log(clearing_price_usd_per_hour(unbounded, supply_h100e)) + 1e-12;
    const double lo = std::log(std::min(p_ref * std::pow(d.saturation, -1.0 / d.elasticity), p_ref / d.saturation));
    return lo < hi ? solve_log_price(d, supply_h100e, lo, hi) : std::exp(hi);
  }
  if (d.training_usd_per_quarter <= 0.0) {
    return d.inference_h100e > 0.0 ? p_ref * std::pow(d.inference_h100e / supply_h100e, 1.0 / d.elasticity) : 0.0;
  }
  if (d.inference_h100e <= 0.0) return d.training_usd_per_quarter / (supply_h100e * hours_per_quarter);
  // Bracket: each segment alone clears at a price below the joint one, the sum of the two at a
  // price above it.
  const double p_inference = p_ref * std::pow(d.inference_h100e / supply_h100e, 1.0 / d.elasticity);
  const double p_training = d.training_usd_per_quarter / (supply_h100e * hours_per_quarter);
  const double lo = std::log(std::max(p_inference, p_training));
  const double hi = std::log(p_ref * std::pow(2.0 * d.inference_h100e / supply_h100e, 1.0 / d.elasticity) + 2.0 * p_training);
  return solve_log_price(d, supply_h100e, lo, hi);
}

Clearing clear_spot_market(const DemandCurve& d, std::span<const SpotOffer> offers, double previous_price_usd_per_hour,
                           std::vector<double>& sold_h100e, const OfferEcosystem* ecosystem, EcosystemSales* by_family) {
  sold_h100e.assign(offers.size(), 0.0);
  if (by_family != nullptr) {
    by_family->sold.assign(offers.size(), FamilyH100e{});
    by_family->idle.assign(offers.size(), FamilyH100e{});
  }
  // Software ecosystems: only when some family's share is below 1 (otherwise the market clears
  // exactly as without them). Each offer's compute by family, scaled to its offer.
  const bool eco = ecosystem != nullptr && ecosystem_binds(ecosystem->share);
  std::vector<FamilyH100e> part;
  FamilyH100e family_offered{};
  if (eco) part = offer_parts(offers, ecosystem->offered, family_offered);
  const double servable = eco ? servable_share(ecosystem->share, family_offered) : 1.0;
  // The price at which demand equals what supplies S_f of each family can serve; `beyond` when
  // the families present serve too little of demand to clear at any price in their range.
  const auto effective_price = [&](const FamilyH100e& supply, double beyond) {
    const double x = ecosystem_effective_supply(ecosystem->share, supply, servable);
    if (!(x > 0.0)) return beyond;
    if (std::isinf(x)) return 0.0;
    return clearing_price_usd_per_hour(d, x);
  };
  std::vector<std::size_t> order;
  double offered = 0.0;
  for (std::size_t i = 0; i < offers.size(); ++i) {
    if (offers[i].h100e > 0.0) {
      order.push_back(i);
      offered += offers[i].h100e;
    }
  }
  // A reservation price that is not a number (a NaN input, which the invariants then report)
  // sorts last and never sells; groups below always advance, so nothing loops.
  const auto reservation = [&](std::size_t i) {
    const double r = offers[i].reservation_usd_per_hour;
    return std::isnan(r) ? std::numeric_limits<double>::infinity() : r;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return reservation(a) < reservation(b); });
  Clearing c;
  if (order.empty()) {
    // Nothing offered: nothing trades and the price stays where it was.
    c.clearing_price_usd_per_hour = c.price_usd_per_hour = std::max(previous_price_usd_per_hour, 1e-9);
  } else {
    const double floor = std::max(0.0, reservation(order.front()));
    const bool any_demand = d.inference_h100e > 0.0 || d.training_usd_per_quarter > 0.0;
    double target = floor;  // no demand, or no group clears above its reservation: the floor
    if (any_demand) {
      double supply = 0.0;
      FamilyH100e family_supply{};
      for (std::size_t k = 0; k < order.size();) {
        const double r = reservation(order[k]);
        do {
          if (eco) {
            for (std::size_t f = 0; f < chip_family_count; ++f) family_supply[f] += part[order[k]][f];
          }
          supply += offers[order[k++]].h100e;
        } while (k < order.size() && reservation(order[k]) == r);
        const double next_r = k < order.size() ? reservation(order[k]) : std::numeric_limits<double>::infinity();
        const double p = eco ? effective_price(family_supply, next_r) : clearing_price_usd_per_hour(d, supply);
        if (p >= r && p > 0.0) target = std::min(p, next_r);
      }
    }
    // Reported: the price that would sell everything offered (0 when none would).
    c.clearing_price_usd_per_hour =
        !any_demand ? 0.0
        : eco       ? effective_price(family_offered, 0.0)
                    : clearing_price_usd_per_hour(d, offered);
    const double a = d.price_adjustment;
    c.price_usd_per_hour =
        any_demand && target > 0.0 && previous_price_usd_per_hour > 0.0
            ? std::exp((1.0 - a) * std::log(previous_price_usd_per_hour) + a * std::log(target))
            : floor;
    // Rounding in exp(log) must not move a price that reached its target (often a seller's
    // reservation price) off it.
    if (std::abs(c.price_usd_per_hour - target) <= 1e-12 * target) c.price_usd_per_hour = target;
    if (c.price_usd_per_hour <= floor) {
      c.price_usd_per_hour = floor;
      c.at_floor = true;
    }
    // A zero floor with zero demand would give price 0: keep it positive so logs stay finite.
    c.price_usd_per_hour = std::max(c.price_usd_per_hour, 1e-9);
  }
  c.demand_inference_h100e = d.inference_at(c.price_usd_per_hour);
  c.demand_training_h100e = d.training_at(c.price_usd_per_hour);
  c.demand_h100e = c.demand_inference_h100e + c.demand_training_h100e;
  // The sellers whose reservation price is below P all charge P: they share demand pro rata.
  // Those whose reservation is exactly P (the marginal group, when P* stopped at it) sell what
  // they leave; those above P sell nothing.
  double left = c.demand_h100e;
  FamilyH100e cap{};
  for (std::size_t f = 0; f < chip_family_count && eco; ++f) cap[f] = ecosystem->share[f] * c.demand_h100e;
  for (const bool marginal : {false, true}) {
    if (eco) {
      // Water-filling: the tier's sales pro rata within what is left of each family's cap.
      FamilyH100e available{};
      for (const std::size_t i : order) {
        const double r = reservation(i);
        if (!(marginal ? r == c.price_usd_per_hour : r < c.price_usd_per_hour)) continue;
        for (std::size_t f = 0; f < chip_family_count; ++f) available[f] += part[i][f];
      }
      double common = 1.0;
      const FamilyShares w = water_fill(available, cap, left, common);
      double tier_sold = 0.0;
      for (std::size_t f = 0; f < chip_family_count; ++f) {
        cap[f] -= available[f] * w[f];
        tier_sold += available[f] * w[f];
      }
      for (const std::size_t i : order) {
        const double r = reservation(i);
        if (!(marginal ? r == c.price_usd_per_hour : r < c.price_usd_per_hour)) continue;
        double sold = 0.0;
        for (std::size_t f = 0; f < chip_family_count; ++f) {
          const double idle = part[i][f] * std::max(0.0, common - w[f]);
          sold += part[i][f] * w[f];
          c.ecosystem_idle_h100e += idle;
          if (by_family != nullptr) {
            by_family->sold[i][f] = part[i][f] * w[f];
            by_family->idle[i][f] = idle;
          }
        }
        sold_h100e[i] = std::min(offers[i].h100e, sold);
      }
      left -= std::min(left, tier_sold);
      continue;
    }
    double tier = 0.0;
    for (const std::size_t i : order) {
      const double r = reservation(i);
      if (marginal ? r == c.price_usd_per_hour : r < c.price_usd_per_hour) tier += offers[i].h100e;
    }
    if (tier <= 0.0 || left <= 0.0) continue;
    const double share = std::min(1.0, left / tier);
    for (const std::size_t i : order) {
      const double r = reservation(i);
      if (marginal ? r == c.price_usd_per_hour : r < c.price_usd_per_hour) sold_h100e[i] = offers[i].h100e * share;
    }
    left -= std::min(left, tier);
  }
  c.sold_h100e = c.demand_h100e - left;
  c.idle_h100e = offered - c.sold_h100e;
  c.unmet_h100e = c.demand_h100e - c.sold_h100e;
  // One market: training pays its price and is rationed as inference is (pro rata of sales).
  c.training_price_usd_per_hour = c.price_usd_per_hour;
  c.training_sold_h100e = c.demand_h100e > 0.0 ? c.demand_training_h100e * (c.sold_h100e / c.demand_h100e) : 0.0;
  c.unmet_training_h100e = std::max(0.0, c.demand_training_h100e - c.training_sold_h100e);
  c.training_grade_offered_h100e = offered;
  c.training_grade_idle_h100e = c.idle_h100e;
  return c;
}

namespace {

// The bloc's figures when training (`t`) and general compute (`g`) cleared apart: g's price and
// inference, both segments' demand and sales, the training price and what training left unmet.
Clearing segments_cleared_apart(const DemandCurve& d, const Clearing& t, const Clearing& g, double offered_h100e,
                                double grade_offered_h100e, double grade_sold_h100e) {
  Clearing out = g;
  out.demand_training_h100e = t.demand_training_h100e;
  out.demand_h100e = g.demand_inference_h100e + t.demand_training_h100e;
  out.sold_h100e = g.sold_h100e + t.sold_h100e;
  out.idle_h100e = offered_h100e - out.sold_h100e;
  out.unmet_h100e = out.demand_h100e - out.sold_h100e;
  out.training_price_usd_per_hour = t.price_usd_per_hour;
  out.training_sold_h100e = t.sold_h100e;
  out.unmet_training_h100e = std::max(0.0, d.training_at(g.price_usd_per_hour) - t.sold_h100e);
  out.training_grade_offered_h100e = grade_offered_h100e;
  out.training_grade_idle_h100e = std::max(0.0, grade_offered_h100e - grade_sold_h100e);
  out.training_short = true;
  return out;
}

// clear_segmented_spot_market with ecosystem shares below 1: the same steps, each clearing capping
// each family at its share of the demand it faces.
Clearing clear_segmented_with_ecosystem(const DemandCurve& d, std::span<const SpotOffer> offers,
                                        std::span<const double> training_grade_h100e, double previous_price_usd_per_hour,
                                        double previous_training_price_usd_per_hour, std::vector<double>& sold_h100e,
                                        std::vector<double>& sold_training_h100e, const OfferEcosystem& eco,
                                        EcosystemSales* by_family) {
  EcosystemSales sales;
  Clearing c = clear_spot_market(d, offers, previous_price_usd_per_hour, sold_h100e, &eco, &sales);
  sold_training_h100e.assign(offers.size(), 0.0);
  FamilyH100e family_offered{};
  const std::vector<FamilyH100e> part = offer_parts(offers, eco.offered, family_offered);
  // Each offer's training-grade compute by family: as split by the caller, or pro rata of its
  // families when the caller gives only its total.
  std::vector<FamilyH100e> grade(offers.size(), FamilyH100e{});
  FamilyH100e grade_offered{}, grade_at_price{};
  double general_offered = 0.0, grade_total = 0.0;
  for (std::size_t i = 0; i < offers.size(); ++i) {
    if (!(offers[i].h100e > 0.0)) continue;
    const double g_i = i < training_grade_h100e.size() ? std::clamp(training_grade_h100e[i], 0.0, offers[i].h100e)
                                                        : offers[i].h100e;
    double split_sum = 0.0;
    if (i < eco.offered.size()) {
      for (const double v : eco.offered[i]) split_sum += std::max(0.0, v);
    }
    const bool split = i < eco.training_grade.size() && split_sum > 0.0;
    double held = 0.0;
    for (std::size_t f = 0; f < chip_family_count; ++f) {
      grade[i][f] = split ? std::min(part[i][f], offers[i].h100e * std::max(0.0, eco.training_grade[i][f]) / split_sum)
                          : part[i][f] * g_i / offers[i].h100e;
      held += grade[i][f];
      grade_offered[f] += grade[i][f];
      if (offers[i].reservation_usd_per_hour <= c.price_usd_per_hour) grade_at_price[f] += grade[i][f];
    }
    grade_total += held;
    general_offered += std::max(0.0, offers[i].h100e - held);
  }
  c.training_grade_offered_h100e = grade_total;
  // Training demand the training-grade compute at the price can serve, family by family.
  double grade_serves = 0.0;
  for (std::size_t f = 0; f < chip_family_count; ++f) {
    grade_serves += std::min(grade_at_price[f], eco.share[f] * c.demand_training_h100e);
  }
  // (m is the market's: training the market's families could serve, whatever their class.)
  const double servable_training = servable_share(eco.share, family_offered) * c.demand_training_h100e;
  const auto grade_share = [&](std::size_t i, std::size_t f) { return part[i][f] > 0.0 ? grade[i][f] / part[i][f] : 0.0; };
  if (general_offered <= 0.0 || servable_training <= grade_serves) {
    // The one market stands; within a family each seller's sales are training-grade pro rata.
    double grade_sold = 0.0;
    for (std::size_t i = 0; i < offers.size(); ++i) {
      for (std::size_t f = 0; f < chip_family_count; ++f) grade_sold += sales.sold[i][f] * grade_share(i, f);
    }
    c.training_grade_idle_h100e = std::max(0.0, grade_total - grade_sold);
    if (by_family != nullptr) *by_family = std::move(sales);
    return c;
  }
  // Short: training clears alone on training-grade compute, from its own previous price...
  DemandCurve training = d;
  training.inference_h100e = 0.0;
  std::vector<SpotOffer> segment(offers.size());
  for (std::size_t i = 0; i < offers.size(); ++i) {
    double held = 0.0;
    for (const double v : grade[i]) held += v;
    segment[i] = {held, offers[i].reservation_usd_per_hour};
  }
  const double previous_training =
      previous_training_price_usd_per_hour > 0.0 ? previous_training_price_usd_per_hour : previous_price_usd_per_hour;
  const OfferEcosystem training_eco{eco.share, grade, {}};
  EcosystemSales training_sales;
  const Clearing t =
      clear_spot_market(training, segment, previous_training, sold_training_h100e, &training_eco, &training_sales);
  // ... then inference on everything training left.
  DemandCurve general = d;
  general.training_usd_per_quarter = 0.0;
  std::vector<FamilyH100e> left(offers.size(), FamilyH100e{});
  for (std::size_t i = 0; i < offers.size(); ++i) {
    for (std::size_t f = 0; f < chip_family_count; ++f) left[i][f] = std::max(0.0, part[i][f] - training_sales.sold[i][f]);
    segment[i] = {std::max(0.0, offers[i].h100e - sold_training_h100e[i]), offers[i].reservation_usd_per_hour};
  }
  const OfferEcosystem general_eco{eco.share, left, {}};
  EcosystemSales general_sales;
  std::vector<double> sold_general;
  const Clearing g = clear_spot_market(general, segment, previous_price_usd_per_hour, sold_general, &general_eco,
                                       &general_sales);
  double grade_sold = t.sold_h100e;
  for (std::size_t i = 0; i < offers.size(); ++i) {
    sold_h100e[i] = sold_training_h100e[i] + sold_general[i];
    for (std::size_t f = 0; f < chip_family_count; ++f) {
      // What the general segment bought of a family is training-grade pro rata of what was left.
      if (left[i][f] > 0.0) {
        grade_sold += general_sales.sold[i][f] * std::max(0.0, grade[i][f] - training_sales.sold[i][f]) / left[i][f];
      }
      general_sales.sold[i][f] += training_sales.sold[i][f];
    }
  }
  Clearing out = segments_cleared_apart(d, t, g, grade_total + general_offered, grade_total, grade_sold);
  // What the caps kept idle is what the general segment, the last to clear, left for them.
  out.ecosystem_idle_h100e = g.ecosystem_idle_h100e;
  if (by_family != nullptr) *by_family = std::move(general_sales);
  return out;
}

}  // namespace

Clearing clear_segmented_spot_market(const DemandCurve& d, std::span<const SpotOffer> offers,
                                     std::span<const double> training_grade_h100e, double previous_price_usd_per_hour,
                                     double previous_training_price_usd_per_hour, std::vector<double>& sold_h100e,
                                     std::vector<double>& sold_training_h100e, const OfferEcosystem* ecosystem,
                                     EcosystemSales* by_family) {
  if (ecosystem != nullptr && ecosystem_binds(ecosystem->share)) {
    return clear_segmented_with_ecosystem(d, offers, training_grade_h100e, previous_price_usd_per_hour,
                                          previous_training_price_usd_per_hour, sold_h100e, sold_training_h100e,
                                          *ecosystem, by_family);
  }
  if (by_family != nullptr) {
    by_family->sold.assign(offers.size(), FamilyH100e{});
    by_family->idle.assign(offers.size(), FamilyH100e{});
  }
  // One market first: when training-grade compute is not short, that clearing stands as it is.
  Clearing c = clear_spot_market(d, offers, previous_price_usd_per_hour, sold_h100e);
  sold_training_h100e.assign(offers.size(), 0.0);
  std::vector<double> grade(offers.size(), 0.0);
  double grade_offered = 0.0, general_offered = 0.0, grade_at_price = 0.0;
  for (std::size_t i = 0; i < offers.size(); ++i) {
    if (!(offers[i].h100e > 0.0)) continue;
    grade[i] = i < training_grade_h100e.size() ? std::clamp(training_grade_h100e[i], 0.0, offers[i].h100e) : offers[i].h100e;
    grade_offered += grade[i];
    general_offered += offers[i].h100e - grade[i];
    if (offers[i].reservation_usd_per_hour <= c.price_usd_per_hour) grade_at_price += grade[i];
  }
  c.training_grade_offered_h100e = grade_offered;
  if (general_offered <= 0.0 || c.demand_training_h100e <= grade_at_price) {
    // The one market stands; each seller's sales are training-grade pro rata of its offer.
    double grade_sold = 0.0;
    for (std::size_t i = 0; i < offers.size(); ++i) {
      if (offers[i].h100e > 0.0) grade_sold += sold_h100e[i] * grade[i] / offers[i].h100e;
    }
    c.training_grade_idle_h100e = std::max(0.0, grade_offered - grade_sold);
    return c;
  }
  // Short: training clears alone on training-grade compute, from its own previous price...
  DemandCurve training = d;
  training.inference_h100e = 0.0;
  std::vector<SpotOffer> segment(offers.size());
  for (std::size_t i = 0; i < offers.size(); ++i) segment[i] = {grade[i], offers[i].reservation_usd_per_hour};
  const double previous_training =
      previous_training_price_usd_per_hour > 0.0 ? previous_training_price_usd_per_hour : previous_price_usd_per_hour;
  const Clearing t = clear_spot_market(training, segment, previous_training, sold_training_h100e);
  // ... then inference on everything training left.
  DemandCurve general = d;
  general.training_usd_per_quarter = 0.0;
  for (std::size_t i = 0; i < offers.size(); ++i) {
    segment[i] = {std::max(0.0, offers[i].h100e - sold_training_h100e[i]), offers[i].reservation_usd_per_hour};
  }
  std::vector<double> sold_general;
  const Clearing g = clear_spot_market(general, segment, previous_price_usd_per_hour, sold_general);
  double grade_sold = 0.0;
  for (std::size_t i = 0; i < offers.size(); ++i) {
    sold_h100e[i] = sold_training_h100e[i] + sold_general[i];
    // What the general segment bought from a seller is training-grade pro rata of what it had left.
    if (segment[i].h100e > 0.0) {
      grade_sold += sold_general[i] * std::max(0.0, grade[i] - sold_training_h100e[i]) / segment[i].h100e;
    }
  }
  grade_sold += t.sold_h100e;
  return segments_cleared_apart(d, t, g, grade_offered + general_offered, grade_offered, grade_sold);
}

Clearing clear_market(const DemandCurve& d, double supply_h100e, double previous_price_usd_per_hour,
                      double floor_usd_per_hour) {
  const SpotOffer offer{supply_h100e, floor_usd_per_hour};
  std::vector<double> sold;
  Clearing c = clear_spot_market(d, std::span<const SpotOffer>(&offer, 1), previous_price_usd_per_hour, sold);
  if (supply_h100e <= 0.0 && c.price_usd_per_hour <= floor_usd_per_hour) {
    // Nothing offered, and the price is held at the floor: all demand there is unmet.
    c.price_usd_per_hour = std::max(floor_usd_per_hour, 1e-9);
    c.at_floor = true;
    c.demand_inference_h100e = d.inference_at(c.price_usd_per_hour);
    c.demand_training_h100e = d.training_at(c.price_usd_per_hour);
    c.demand_h100e = c.demand_inference_h100e + c.demand_training_h100e;
    c.unmet_h100e = c.demand_h100e;
    c.training_price_usd_per_hour = c.price_usd_per_hour;
    c.unmet_training_h100e = c.demand_training_h100e;
  }
  return c;
}

Clearing clear_market(double base_demand_h100e, double supply_h100e, double previous_price_usd_per_hour,
                      double floor_usd_per_hour, const DemandSpec& demand) {
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
  curve.saturation = spec->saturation;
  // Demand for service adopts an efficiency gain over τ quarters (a log partial adjustment).
  efficiency_adopted *= std::pow(efficiency / efficiency_adopted, 1.0 / std::max(1, spec->efficiency_adoption_quarters));
  curve.inference_h100e =
      base_demand_h100e * inference_factor * std::pow(efficiency_adopted, spec->elasticity) / efficiency;
  curve.training_usd_per_quarter =
      std::max(0.0, spec->training_budget_usd_per_quarter.at(q) + spec->training_revenue_share * revenue_last_usd) *
      training_factor;
  for (std::size_t f = 0; f < chip_family_count; ++f) {
    ecosystem_share[f] = spec->ecosystem.share(static_cast<ChipFamily>(f), q);
  }
}

}  // namespace aidc
