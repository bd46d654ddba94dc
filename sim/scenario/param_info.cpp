#include "aidc/scenario/param_info.hpp"

#include <cmath>
#include <sstream>

namespace aidc {

bool Range::contains(double v) const noexcept {
  if (min_exclusive ? !(v > min) : !(v >= min)) return false;
  return v <= max;
}

std::string Range::describe() const {
  auto num = [](double x) {
    std::ostringstream os;
    os << x;
    return os.str();
  };
  const bool has_min = std::isfinite(min), has_max = std::isfinite(max);
  if (has_min && has_max) {
    return min_exclusive ? "a value above " + num(min) + " and at most " + num(max)
                         : "a value from " + num(min) + " to " + num(max);
  }
  if (has_min) return min_exclusive ? "a value above " + num(min) : "a value of at least " + num(min);
  if (has_max) return "a value of at most " + num(max);
  return "a finite value";
}

}  // namespace aidc
