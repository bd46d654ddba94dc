#include "aidc/scenario/spec.hpp"

namespace aidc {

double TimeSeriesSpec::at(Quarter q) const noexcept {
  if (points.empty()) return 0.0;
  if (q <= points.front().when) return points.front().value;
  if (q >= points.back().when) return points.back().value;
  for (std::size_t i = 1; i < points.size(); ++i) {
    if (q <= points[i].when) {
      const Point& a = points[i - 1];
      const Point& b = points[i];
      const double t = static_cast<double>(q - a.when) / static_cast<double>(b.when - a.when);
      return a.value + t * (b.value - a.value);
    }
  }
  return points.back().value;
}

}  // namespace aidc
