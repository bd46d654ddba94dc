#include "aidc/sweep/prim.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace aidc::sweep {

namespace {

double quantile_of(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

PrimBox prim_box(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const PrimOptions& options) {
  const auto n = static_cast<std::size_t>(x.rows()), k = static_cast<std::size_t>(x.cols());
  PrimBox out;
  out.low.resize(k);
  out.high.resize(k);
  out.restricted.assign(k, false);
  if (n == 0) return out;
  out.threshold = quantile_of(std::vector<double>(y.data(), y.data() + y.size()), options.quantile);
  std::vector<bool> interesting(n);
  double cases = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    interesting[i] = y[static_cast<Eigen::Index>(i)] >= out.threshold;
    cases += interesting[i] ? 1.0 : 0.0;
  }
  out.base_density = cases / static_cast<double>(n);
  std::vector<double> low(k), high(k);
  for (std::size_t j = 0; j < k; ++j) {
    low[j] = x.col(static_cast<Eigen::Index>(j)).minCoeff();
    high[j] = x.col(static_cast<Eigen::Index>(j)).maxCoeff();
  }
  const std::vector<double> full_low = low, full_high = high;
  std::vector<std::size_t> inside(n);
  for (std::size_t i = 0; i < n; ++i) inside[i] = i;
  const auto step_of = [&](const std::vector<std::size_t>& points) {
    double hits = 0.0;
    for (const auto i : points) hits += interesting[i] ? 1.0 : 0.0;
    return PrimStep{cases > 0 ? hits / cases : 0.0, points.empty() ? 0.0 : hits / static_cast<double>(points.size()),
                    static_cast<double>(points.size()) / static_cast<double>(n)};
  };
  out.trajectory.push_back(step_of(inside));
  std::size_t best = 0;
  std::vector<double> best_low = low, best_high = high;
  const double min_points = options.min_support * static_cast<double>(n);
  while (out.trajectory.back().density < 1.0) {
    double best_density = out.trajectory.back().density;
    std::size_t best_j = k;
    bool best_at_low = false;
    double best_edge = 0.0;
    std::vector<std::size_t> best_kept;
    for (std::size_t j = 0; j < k; ++j) {
      std::vector<double> v;
      for (const auto i : inside) v.push_back(x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
      std::sort(v.begin(), v.end());
      const auto m = static_cast<double>(v.size());
      const auto cut = static_cast<std::size_t>(std::max(1.0, std::floor(options.peel * m)));
      for (const bool at_low : {true, false}) {
        // The new edge: the slice holds the `cut` lowest (highest) points, and their ties.
        double edge = 0.0;
        if (at_low) {
          const auto it = std::upper_bound(v.begin(), v.end(), v[cut - 1]);
          if (it == v.end()) continue;  // the slice would take every point
          edge = *it;
        } else {
          const auto it = std::lower_bound(v.begin(), v.end(), v[v.size() - cut]);
          if (it == v.begin()) continue;
          edge = *(it - 1);
        }
        std::vector<std::size_t> kept;
        for (const auto i : inside) {
          const double value = x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
          if (at_low ? value >= edge : value <= edge) kept.push_back(i);
        }
        if (static_cast<double>(kept.size()) < min_points) continue;
        const double density = step_of(kept).density;
        if (density > best_density) {
          best_density = density;
          best_j = j;
          best_at_low = at_low;
          best_edge = edge;
          best_kept = std::move(kept);
        }
      }
    }
    if (best_j == k) break;  // no slice raises the density
    (best_at_low ? low : high)[best_j] = best_edge;
    inside = std::move(best_kept);
    out.trajectory.push_back(step_of(inside));
    if (out.trajectory.back().density > out.trajectory[best].density) {
      best = out.trajectory.size() - 1;
      best_low = low;
      best_high = high;
    }
  }
  // Simplify the box: a restriction whose removal does not lower the density is dropped, one
  // parameter at a time in index order (on small samples peeling can narrow a parameter that does
  // nothing).
  const auto points_in = [&](const std::vector<double>& lo, const std::vector<double>& hi) {
    std::vector<std::size_t> in;
    for (std::size_t i = 0; i < n; ++i) {
      bool within = true;
      for (std::size_t j = 0; j < k && within; ++j) {
        const double value = x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
        within = value >= lo[j] && value <= hi[j];
      }
      if (within) in.push_back(i);
    }
    return in;
  };
  // Paste (Friedman & Fisher 1999, section 5): grow the peeled box back, one edge at a time,
  // while that raises its density.
  std::vector<std::size_t> in = points_in(best_low, best_high);
  PrimStep chosen = step_of(in);
  out.peeled = chosen;
  while (options.paste > 0.0 && chosen.density < 1.0) {
    const double add = std::max(1.0, std::floor(options.paste * static_cast<double>(in.size())));
    double best_density = chosen.density;
    std::size_t best_j = k;
    bool best_at_low = false;
    double best_edge = 0.0;
    std::vector<double> v;
    for (std::size_t j = 0; j < k; ++j) {
      for (const bool at_low : {true, false}) {
        // The points just outside this edge and inside the box on every other parameter.
        v.clear();
        for (std::size_t i = 0; i < n; ++i) {
          const double value = x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
          if (at_low ? value >= best_low[j] : value <= best_high[j]) continue;
          bool within = true;
          for (std::size_t l = 0; l < k && within; ++l) {
            if (l == j) continue;
            const double other = x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(l));
            within = other >= best_low[l] && other <= best_high[l];
          }
          if (within) v.push_back(value);
        }
        if (v.empty()) continue;
        // Nearest first; the new edge takes `add` of them, and their ties.
        if (at_low) std::sort(v.begin(), v.end(), std::greater<>());
        else std::sort(v.begin(), v.end());
        const double edge = v[std::min(v.size(), static_cast<std::size_t>(add)) - 1];
        std::vector<double> lo = best_low, hi = best_high;
        (at_low ? lo : hi)[j] = edge;
        const double density = step_of(points_in(lo, hi)).density;
        if (density > best_density) {
          best_density = density;
          best_j = j;
          best_at_low = at_low;
          best_edge = edge;
        }
      }
    }
    if (best_j == k) break;  // no paste raises the density
    (best_at_low ? best_low : best_high)[best_j] = best_edge;
    in = points_in(best_low, best_high);
    chosen = step_of(in);
    ++out.pastes;
  }
  for (std::size_t j = 0; j < k; ++j) {
    if (best_low[j] <= full_low[j] && best_high[j] >= full_high[j]) continue;
    std::vector<double> lo = best_low, hi = best_high;
    lo[j] = full_low[j];
    hi[j] = full_high[j];
    const PrimStep wider = step_of(points_in(lo, hi));
    if (wider.density >= chosen.density) {
      best_low = std::move(lo);
      best_high = std::move(hi);
      chosen = wider;
    }
  }
  out.box = chosen;
  out.low = best_low;
  out.high = best_high;
  for (std::size_t j = 0; j < k; ++j) out.restricted[j] = best_low[j] > full_low[j] || best_high[j] < full_high[j];
  return out;
}

}  // namespace aidc::sweep
