#pragma once
// Checks of numeric command-line options shared by the commands.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>
#include <thread>

namespace aidc::cli {

//! A number in [lo, hi]: CLI::Range lets NaN through (every comparison with it is false); this
//! refuses it, and infinities, by name.
inline CLI::Validator finite_range(double lo, double hi) {
  std::ostringstream description;
  description << "FINITE in [" << lo << " - " << hi << "]";
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        double v = 0.0;
        if (!CLI::detail::lexical_cast(text, v)) return "'" + text + "' is not a number";
        if (!std::isfinite(v)) return "'" + text + "' is not a finite number; expected one in [" + CLI::detail::to_string(lo) +
                                      ", " + CLI::detail::to_string(hi) + "]";
        if (v < lo || v > hi) {
          return "'" + text + "' is out of range; expected a number in [" + CLI::detail::to_string(lo) + ", " +
                 CLI::detail::to_string(hi) + "]";
        }
        return {};
      },
      description.str());
}

//! The most runs at a time `sweep -j` accepts: four per hardware thread of this machine (at least
//! 16, at most 1024). More threads than that only wait for the cores, each holding a run's memory.
inline std::size_t max_jobs() {
  const std::size_t hardware = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp<std::size_t>(4 * hardware, 16, 1024);
}

}  // namespace aidc::cli
