#pragma once
// Small helpers shared by the world_*.cpp files (private to the model layer).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>

namespace aidc {

//! Cohorts smaller than this many chips are not split off or traded.
inline constexpr double tiny_chips = 1e-6;

//! a and b agree to 1e-9 relative to the largest of 1, scale, |a| and |b|.
inline bool close(double a, double b, double scale) {
  return std::abs(a - b) <= 1e-9 * std::max({1.0, scale, std::abs(a), std::abs(b)});
}

//! A number with 12 significant digits, for diagnostics.
inline std::string fmt_num(double v) {
  std::ostringstream os;
  os.precision(12);
  os << v;
  return os.str();
}

}  // namespace aidc
