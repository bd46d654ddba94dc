#include "aidc/model/ecosystem.hpp"

#include <algorithm>
#include <limits>

namespace aidc {

bool ecosystem_binds(const FamilyShares& share) noexcept {
  return std::any_of(share.begin(), share.end(), [](double phi) { return phi < 1.0; });
}

double servable_share(const FamilyShares& share, const FamilyH100e& offered) noexcept {
  double sum = 0.0;
  for (std::size_t f = 0; f < chip_family_count; ++f) {
    if (offered[f] > 0.0) sum += share[f];
  }
  return std::min(1.0, sum);
}

namespace {

// Sorts the first n of a handful of family indices (insertion sort: stable, and what std::sort
// does on so few; std::sort on a five-element array trips GCC 12's -Warray-bounds at -O2).
template <class Less>
void sort_families(std::array<std::size_t, chip_family_count>& order, std::size_t n, Less less) {
  for (std::size_t i = 1; i < n; ++i) {
    const std::size_t f = order[i];
    std::size_t j = i;
    for (; j > 0 && less(f, order[j - 1]); --j) order[j] = order[j - 1];
    order[j] = f;
  }
}

}  // namespace

double ecosystem_effective_supply(const FamilyShares& share, const FamilyH100e& supply, double servable) noexcept {
  if (!(servable > 0.0)) return std::numeric_limits<double>::infinity();
  // F(x) = Σ_f min(S_f, φ_f x) − m x: linear between the thresholds t_f = S_f / φ_f where family f
  // becomes capped. Walk them in order: capped families add their S_f, the others φ_f x.
  std::array<std::size_t, chip_family_count> order{};
  std::size_t n = 0;
  double slope = -servable, constant = 0.0;
  for (std::size_t f = 0; f < chip_family_count; ++f) {
    if (!(supply[f] > 0.0) || !(share[f] > 0.0)) continue;
    order[n++] = f;
    slope += share[f];
  }
  sort_families(order, n, [&](std::size_t a, std::size_t b) { return supply[a] / share[a] < supply[b] / share[b]; });
  double from = 0.0;
  for (std::size_t k = 0; k <= n; ++k) {
    const double to = k < n ? supply[order[k]] / share[order[k]] : std::numeric_limits<double>::infinity();
    if (slope < 0.0) {
      // F(from) ≥ 0 and F falls from there: its root is the end of the interval.
      const double root = constant / -slope;
      if (root <= to) return std::max(from, root);
    }
    if (k == n) break;
    constant += supply[order[k]];
    slope -= share[order[k]];
    from = to;
  }
  return from;  // not reached: after the last threshold the slope is −m < 0
}

FamilyShares water_fill(const FamilyH100e& available, const FamilyH100e& cap, double left, double& common) noexcept {
  FamilyShares w{};
  common = 1.0;
  double most = 0.0;
  for (std::size_t f = 0; f < chip_family_count; ++f) {
    if (available[f] > 0.0) most += std::min(available[f], std::max(0.0, cap[f]));
  }
  if (most > left) {
    // Σ_f min(s a_f, c_f) = left, increasing in s: walk the families in the order they get capped.
    std::array<std::size_t, chip_family_count> order{};
    std::size_t n = 0;
    double uncapped = 0.0;
    for (std::size_t f = 0; f < chip_family_count; ++f) {
      if (!(available[f] > 0.0)) continue;
      order[n++] = f;
      uncapped += available[f];
    }
    sort_families(order, n, [&](std::size_t a, std::size_t b) {
      return std::max(0.0, cap[a]) / available[a] < std::max(0.0, cap[b]) / available[b];
    });
    double capped = 0.0;  // sold by the families already capped
    common = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t f = order[k];
      const double at = std::max(0.0, cap[f]) / available[f];  // s at which f becomes capped
      if (uncapped > 0.0 && capped + at * uncapped >= left) break;
      capped += std::max(0.0, cap[f]);
      uncapped -= available[f];
    }
    common = uncapped > 0.0 ? std::clamp((left - capped) / uncapped, 0.0, 1.0) : 1.0;
  }
  for (std::size_t f = 0; f < chip_family_count; ++f) {
    if (available[f] > 0.0) w[f] = std::min(common, std::max(0.0, cap[f]) / available[f]);
  }
  return w;
}

}  // namespace aidc
