#pragma once
//! Quantiles of an ensemble's values, by one definition everywhere (ensemble.csv, seeds.csv read
//! back, the terminal summary, the report and `compare`).

#include <array>
#include <span>
#include <string>
#include <vector>

namespace aidc {

//! The quantile of probability `p` (0–1) of `sorted` (ascending, finite, not empty) by linear
//! interpolation between order statistics: Hyndman and Fan's type 7, the default of R and NumPy.
//! With n values x(1) ≤ … ≤ x(n): h = (n − 1)·p, and the quantile is x(⌊h⌋+1) + (h − ⌊h⌋)·
//! (x(⌊h⌋+2) − x(⌊h⌋+1)). So p = 0.5 of an even count is the mean of the two middle values.
double quantile_sorted(std::span<const double> sorted, double p);

//! The probabilities an ensemble reports: 5, 25, 50, 75 and 95%.
inline constexpr std::array<double, 5> ensemble_probabilities = {0.05, 0.25, 0.5, 0.75, 0.95};
//! Their column names in ensemble.csv.
inline constexpr std::array<const char*, 5> ensemble_quantile_names = {"p05", "p25", "p50", "p75", "p95"};

//! The five quantiles of one value across an ensemble's seeds.
struct Spread {
  double p05 = 0.0, p25 = 0.0, p50 = 0.0, p75 = 0.0, p95 = 0.0;
  [[nodiscard]] std::array<double, 5> array() const noexcept { return {p05, p25, p50, p75, p95}; }
};

//! The Spread of `values`, leaving out those that are not finite; all NaN if none is. Sorts a copy.
Spread spread_of(std::vector<double> values);

//! "median [p05–p95]" with each figure shown by `show` ("1.2 M H100e [0.9 M H100e–1.6 M H100e]").
template <class Show>
std::string median_and_range(const Spread& s, Show show) {
  return show(s.p50) + " [" + show(s.p05) + "–" + show(s.p95) + "]";
}

}  // namespace aidc
