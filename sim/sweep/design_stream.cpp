#include "aidc/sweep/design_stream.hpp"

#include <numeric>
#include <utility>

namespace aidc::sweep {

DesignPoints::DesignPoints(const SweepSpec& spec)
    : spec_(spec), rng_(design_stream_key(spec)) {
  if (spec.design == Design::saltelli) {
    sobol_.emplace(2 * spec.parameters.size());
    (void)sobol_->next();  // its origin skipped: every parameter at its lowest quantile
  }
}

void DesignPoints::next() {
  const std::size_t k = spec_.parameters.size();
  switch (spec_.design) {
    case Design::grid:
      if (!started_) {
        at_.assign(k, 0);
      } else {
        for (std::size_t j = k; j-- > 0;) {  // the last parameter varies fastest
          if (++at_[j] < spec_.parameters[j].values.size()) break;
          at_[j] = 0;
        }
      }
      break;
    case Design::monte_carlo:
      unit_.resize(k);
      for (auto& u : unit_) u = rng_.uniform();
      break;
    case Design::saltelli:
      // Saltelli (2010): for each base draw j, rows A_j, B_j, then A_j with column i from B_j.
      // The base draws (A_j, B_j) are the points 1, 2, … of a 2k-dimensional Sobol sequence (its
      // origin skipped), so the estimates converge faster than with independent draws, best at a
      // power of two.
      if (!started_ || step_ == k + 2) {
        const std::vector<double>& base = sobol_->next();
        a_.assign(base.begin(), base.begin() + static_cast<std::ptrdiff_t>(k));
        b_.assign(base.begin() + static_cast<std::ptrdiff_t>(k), base.end());
        step_ = 0;
      }
      if (step_ == 0) {
        unit_ = a_;
      } else if (step_ == 1) {
        unit_ = b_;
      } else {
        unit_ = a_;
        unit_[step_ - 2] = b_[step_ - 2];
      }
      ++step_;
      break;
    case Design::morris: {
      // Morris trajectories on a grid of `levels` levels: a random start, then each factor in
      // random order moved by Δ = levels / (2 (levels − 1)), up or down to stay in [0, 1]. Grid
      // levels are mapped to cell centres so unbounded distributions stay finite.
      const int levels = spec_.morris_levels;
      if (!started_ || step_ == k + 1) {
        levels_.resize(k);
        for (auto& x : levels_) x = static_cast<int>(rng_.next() % static_cast<std::uint64_t>(levels));
        order_.resize(k);
        std::iota(order_.begin(), order_.end(), 0);
        for (std::size_t i = k; i > 1; --i) std::swap(order_[i - 1], order_[rng_.next() % i]);
        step_ = 0;
      } else {
        const int delta_steps = levels / 2;
        int& x = levels_[order_[step_ - 1]];
        x += x + delta_steps < levels ? delta_steps : -delta_steps;
      }
      unit_.resize(k);
      for (std::size_t i = 0; i < k; ++i) unit_[i] = (levels_[i] + 0.5) / static_cast<double>(levels);
      ++step_;
      break;
    }
    case Design::latin_hypercube: break;  // not sequential: make_run_table builds it whole
  }
  started_ = true;
}

std::vector<std::string> DesignPoints::values() const {
  const std::size_t k = spec_.parameters.size();
  std::vector<std::string> point(k);
  for (std::size_t j = 0; j < k; ++j) {
    point[j] = spec_.design == Design::grid ? spec_.parameters[j].values[at_[j]] : value_at(spec_.parameters[j], unit_[j]);
  }
  return point;
}

DesignStream::DesignStream(SweepSpec spec, std::size_t max_runs) : spec_(std::move(spec)) {
  points_ = design_points(spec_, max_runs);
  if (!spec_.correlations.empty()) {
    table_ = make_run_table(spec_, max_runs);
  } else if (!DesignPoints::sequential(spec_.design)) {
    RandomStream rng(design_stream_key(spec_));
    latin_hypercube_ = latin_hypercube(rng, points_, spec_.parameters.size());
  }
}

Run DesignStream::run(std::size_t index) const noexcept {
  const std::size_t replication = index % spec_.replications;
  return {index, index / spec_.replications, replication,
          run_seed(spec_.seed, spec_.common_random_numbers ? replication : index)};
}

const std::vector<std::string>& DesignStream::values(std::size_t point) {
  if (table_) return table_->values.at(point);
  if (point >= points_) throw std::out_of_range("design point past the design");
  if (!DesignPoints::sequential(spec_.design)) {
    const std::size_t k = spec_.parameters.size();
    values_.resize(k);
    for (std::size_t j = 0; j < k; ++j) values_[j] = value_at(spec_.parameters[j], latin_hypercube_[point * k + j]);
    return values_;
  }
  if (!generator_ || point < current_) {
    generator_.emplace(spec_);
    generator_->next();
    current_ = 0;
    values_ = generator_->values();
  }
  if (point == current_) return values_;
  while (current_ < point) generator_->next(), ++current_;
  values_ = generator_->values();
  return values_;
}

}  // namespace aidc::sweep
