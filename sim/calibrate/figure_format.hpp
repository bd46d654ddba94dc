#pragma once
// How calibration reports write a figure and a share (private to the calibrate layer).

#include <cmath>
#include <string>

#include <fmt/format.h>

namespace aidc::calibrate_format {

//! A value in three significant figures with a B/M/k suffix ("1.23B"); "n/a" when not finite.
inline std::string short_value(double v) {
  const double a = std::abs(v);
  if (!std::isfinite(v)) return "n/a";
  if (a >= 1e9) return fmt::format("{:.3g}B", v / 1e9);
  if (a >= 1e6) return fmt::format("{:.3g}M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:.3g}k", v / 1e3);
  return fmt::format("{:.4g}", v);
}

//! A share as a percentage with one decimal ("12.3%"); "n/a" when not finite.
inline std::string percent(double v) { return std::isfinite(v) ? fmt::format("{:.1f}%", 100.0 * v) : "n/a"; }

}  // namespace aidc::calibrate_format
