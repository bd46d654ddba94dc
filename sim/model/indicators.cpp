#include "aidc/model/indicators.hpp"

#include <cmath>

namespace aidc {

void LogChangeVariance::add(double value) noexcept {
  if (value <= 0.0) return;
  if (last > 0.0) {
    const double x = std::log(value / last);
    ++n;
    const double d = x - mean;
    mean += d / static_cast<double>(n);
    m2 += d * (x - mean);
  }
  last = value;
}

}  // namespace aidc
