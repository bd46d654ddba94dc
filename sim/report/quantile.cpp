#include "aidc/report/quantile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aidc {

double quantile_sorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = static_cast<double>(sorted.size() - 1) * std::clamp(p, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  const double frac = h - static_cast<double>(lo);
  // Written so that equal neighbours give exactly their value (no rounding from the difference).
  return frac == 0.0 ? sorted[lo] : sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

Spread spread_of(std::vector<double> values) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  std::sort(values.begin(), values.end());
  const auto q = [&](double p) { return quantile_sorted(values, p); };
  return {q(0.05), q(0.25), q(0.5), q(0.75), q(0.95)};
}

}  // namespace aidc
