#include "aidc/model/ordering.hpp"

#include <algorithm>
#include <cmath>

namespace aidc {

double hurdle_weight(double expected_return_per_year, double hurdle_return, double width) noexcept {
  if (width <= 0.0) return expected_return_per_year >= hurdle_return ? 1.0 : 0.0;
  const double z = std::clamp((expected_return_per_year - hurdle_return) / width, -700.0, 700.0);
  return 1.0 / (1.0 + std::exp(-z));
}

double investment_q(double expected_return_per_year, double hurdle_return, int economic_life_quarters) noexcept {
  const double d = 4.0 / std::max(1, economic_life_quarters);
  const double required = hurdle_return + d;
  if (required <= 0.0) return expected_return_per_year + d > 0.0 ? 1e9 : 0.0;
  return std::max(0.0, (expected_return_per_year + d) / required);
}

double investment_factor(double q, double elasticity, double max_q) noexcept {
  if (elasticity <= 0.0) return 1.0;
  return std::pow(std::clamp(q, 0.0, max_q), elasticity);
}

double expected_price_usd_per_hour(double price_usd_per_hour, double price_year_ago_usd_per_hour,
                                   double momentum) noexcept {
  if (price_year_ago_usd_per_hour <= 0.0 || momentum <= 0.0) return price_usd_per_hour;
  const double change = std::clamp(price_usd_per_hour / price_year_ago_usd_per_hour - 1.0, -0.9, 2.0);
  return price_usd_per_hour * std::max(0.0, 1.0 + momentum * change);
}

double training_grade_price_factor(double price_usd_per_hour, double training_price_usd_per_hour,
                                   double training_sold_h100e, double training_grade_offered_h100e) noexcept {
  if (price_usd_per_hour <= 0.0 || training_grade_offered_h100e <= 0.0) return 1.0;
  const double premium = std::max(0.0, training_price_usd_per_hour / price_usd_per_hour - 1.0);
  return 1.0 + std::min(1.0, std::max(0.0, training_sold_h100e) / training_grade_offered_h100e) * premium;
}

double stock_adjustment_order_h100e(double target_h100e, double alive_h100e, double on_order_h100e,
                                    double adjustment_quarters) noexcept {
  const double gap = target_h100e - alive_h100e - on_order_h100e;
  return gap > 0.0 ? gap / std::max(1.0, adjustment_quarters) : 0.0;
}

double perceived_cost(double tco_usd_per_hour, double switching_cost, double familiarity) noexcept {
  return tco_usd_per_hour * (1.0 + switching_cost * (1.0 - std::clamp(familiarity, 0.0, 1.0)));
}

std::vector<double> sku_shares(const std::vector<double>& cost, double spread) {
  std::vector<double> share(cost.size(), 0.0);
  if (cost.empty()) return share;
  const auto cheapest = static_cast<std::size_t>(std::min_element(cost.begin(), cost.end()) - cost.begin());
  const double c_min = cost[cheapest];
  if (spread <= 0.0 || !(c_min > 0.0)) {
    share[cheapest] = 1.0;
    return share;
  }
  double sum = 0.0;
  for (std::size_t k = 0; k < cost.size(); ++k) {
    share[k] = std::exp(-std::min(700.0, (cost[k] / c_min - 1.0) / spread));
    sum += share[k];
  }
  for (double& s : share) s /= sum;
  return share;
}

}  // namespace aidc
