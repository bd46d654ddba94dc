#include "aidc/sweep/design.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "aidc/kernel/random_stream.hpp"
#include "aidc/sweep/design_stream.hpp"

namespace aidc::sweep {

std::uint64_t run_seed(std::uint64_t sweep_seed, std::size_t index) noexcept {
  return splitmix64(splitmix64(sweep_seed) ^ splitmix64(0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(index)));
}

std::uint64_t design_stream_key(const SweepSpec& spec) noexcept { return splitmix64(spec.seed ^ fnv1a64("sweep design")); }

std::string value_at(const SweepParameter& p, double u) {
  u = std::clamp(u, 1e-9, 1.0 - 1e-9);
  const Distribution& d = p.distribution;
  using K = Distribution::Kind;
  double x = 0.0;
  switch (d.kind) {
    case K::none:
    case K::discrete: {
      std::size_t i = 0;
      if (d.weights.empty()) {
        i = std::min(static_cast<std::size_t>(u * static_cast<double>(p.values.size())), p.values.size() - 1);
      } else {
        const double total = std::accumulate(d.weights.begin(), d.weights.end(), 0.0);
        double acc = 0.0;
        for (i = 0; i + 1 < d.weights.size(); ++i) {
          acc += d.weights[i];
          if (u * total < acc) break;
        }
      }
      return p.values[i];
    }
    case K::uniform:
      if (d.whole) {  // each whole number from ceil(min) to floor(max) with equal chance
        const double lo = std::ceil(d.min), hi = std::floor(d.max);
        return fmt::format("{}", hi < lo ? std::round(d.min) : std::min(hi, lo + std::floor(u * (hi - lo + 1))));
      }
      x = d.min + (d.max - d.min) * u;
      break;
    case K::triangular: x = boost::math::quantile(boost::math::triangular_distribution<double>(d.min, d.mode, d.max), u); break;
    case K::normal: {
      const boost::math::normal_distribution<double> dist(d.mean, d.sd);
      const double lo = d.truncated_below ? boost::math::cdf(dist, d.min) : 0.0;
      const double hi = d.truncated_above ? boost::math::cdf(dist, d.max) : 1.0;
      x = boost::math::quantile(dist, std::clamp(lo + (hi - lo) * u, 1e-12, 1.0 - 1e-12));
      if (d.truncated_below) x = std::max(x, d.min);
      if (d.truncated_above) x = std::min(x, d.max);
      break;
    }
    case K::lognormal: {
      const boost::math::lognormal_distribution<double> dist(std::log(d.median), d.sigma);
      const double lo = d.truncated_below ? boost::math::cdf(dist, d.min) : 0.0;
      const double hi = d.truncated_above ? boost::math::cdf(dist, d.max) : 1.0;
      x = boost::math::quantile(dist, std::clamp(lo + (hi - lo) * u, 1e-12, 1.0 - 1e-12));
      if (d.truncated_below) x = std::max(x, d.min);
      if (d.truncated_above) x = std::min(x, d.max);
      break;
    }
  }
  if (d.whole) x = std::round(x);
  return fmt::format("{}", x);
}

std::vector<std::string> RunTable::overrides(const SweepSpec& spec, std::size_t run) const {
  std::vector<std::string> out = spec.overrides;
  const auto& point = values[runs[run].point];
  for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
    const auto& p = spec.parameters[k];
    for (const auto& path : p.paths) out.push_back(path + "=" + point[k] + (p.unit.empty() ? "" : " " + p.unit));
  }
  return out;
}

std::vector<double> latin_hypercube(RandomStream& rng, std::size_t n, std::size_t k) {
  std::vector<double> m(n * k);
  std::vector<std::uint32_t> perm(n);  // n ≤ max runs, far below 2^32
  for (std::size_t j = 0; j < k; ++j) {
    std::iota(perm.begin(), perm.end(), 0u);
    for (std::size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[rng.next() % i]);  // Fisher–Yates
    for (std::size_t i = 0; i < n; ++i) m[i * k + j] = (static_cast<double>(perm[i]) + rng.uniform()) / static_cast<double>(n);
  }
  return m;
}

namespace {

using Matrix = std::vector<std::vector<double>>;  // [point][parameter] in (0, 1)

// Iman–Conover: reorders each column so the rank correlations approach the targets, keeping
// every column's values (so the marginal distributions are unchanged).
void impose_rank_correlations(Matrix& m, const std::vector<RankCorrelation>& correlations, RandomStream& rng) {
  const std::size_t n = m.size(), k = m.empty() ? 0 : m[0].size();
  if (correlations.empty() || n < 3) return;
  Eigen::MatrixXd target = Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
  for (const auto& c : correlations) {
    target(static_cast<Eigen::Index>(c.first), static_cast<Eigen::Index>(c.second)) = c.rho;
    target(static_cast<Eigen::Index>(c.second), static_cast<Eigen::Index>(c.first)) = c.rho;
  }
  Eigen::LLT<Eigen::MatrixXd> p_llt(target);
  if (p_llt.info() != Eigen::Success) {
    throw_scenario_error(correlations.front().where, "correlations",
                         "the correlations are not consistent (the matrix is not positive definite); expected "
                         "correlations that can hold together, e.g. weaker ones");
  }
  Eigen::MatrixXd scores(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  boost::math::normal_distribution<double> unit;
  std::vector<std::size_t> perm(n);
  for (std::size_t j = 0; j < k; ++j) {
    std::iota(perm.begin(), perm.end(), 0);
    for (std::size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[rng.next() % i]);
    for (std::size_t i = 0; i < n; ++i) {
      scores(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          boost::math::quantile(unit, (static_cast<double>(perm[i]) + 1.0) / (static_cast<double>(n) + 1.0));
    }
  }
  const Eigen::MatrixXd centred = scores.rowwise() - scores.colwise().mean();
  Eigen::MatrixXd current = (centred.transpose() * centred) / static_cast<double>(n - 1);
  const Eigen::VectorXd sd = current.diagonal().cwiseSqrt();
  current = sd.asDiagonal().inverse() * current * sd.asDiagonal().inverse();
  const Eigen::MatrixXd q = Eigen::LLT<Eigen::MatrixXd>(current).matrixL();
  const Eigen::MatrixXd p = p_llt.matrixL();
  const Eigen::MatrixXd adjusted = scores * q.transpose().inverse() * p.transpose();
  for (std::size_t j = 0; j < k; ++j) {
    std::vector<double> column(n);
    for (std::size_t i = 0; i < n; ++i) column[i] = m[i][j];
    std::sort(column.begin(), column.end());
    std::vector<std::size_t> rank(n);
    std::iota(rank.begin(), rank.end(), 0);
    std::stable_sort(rank.begin(), rank.end(), [&](std::size_t a, std::size_t b) {
      return adjusted(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(j)) <
             adjusted(static_cast<Eigen::Index>(b), static_cast<Eigen::Index>(j));
    });
    for (std::size_t r = 0; r < n; ++r) m[rank[r]][j] = column[r];
  }
}

[[noreturn]] void too_large(const SweepSpec& spec, double runs, std::size_t max_runs) {
  throw_scenario_error(spec.size_at.line > 0 ? spec.size_at : SourceLocation{spec.source, 1, 1}, "design",
                       fmt::format("the design has {} runs; at most {} are allowed; expected fewer samples, values or "
                                   "replications",
                                   runs, max_runs));
}

// What the run table of `points` design points over `k` parameters and `runs` runs holds at its
// peak: per value its text (a string and, past 15 characters, its buffer) and its unit-cube
// coordinate; per point two vectors; per run its Run. Checked before anything is allocated.
void check_table_memory(const SweepSpec& spec, double points, double runs) {
  const double k = static_cast<double>(spec.parameters.size());
  const double bytes = points * (48.0 + k * 72.0) + runs * static_cast<double>(sizeof(Run) + 16);
  if (bytes > static_cast<double>(max_run_table_bytes)) {
    throw_scenario_error(spec.size_at.line > 0 ? spec.size_at : SourceLocation{spec.source, 1, 1}, "design",
                         fmt::format("the design's run table ({} points × {} parameters, {} runs) needs an estimated "
                                     "{:.3g} GB, more than the limit of {:.3g} GB; expected fewer samples or parameters",
                                     points, spec.parameters.size(), runs, bytes / 1e9,
                                     static_cast<double>(max_run_table_bytes) / 1e9));
  }
}

}  // namespace

std::size_t design_points(const SweepSpec& spec, std::size_t max_runs) {
  const std::size_t k = spec.parameters.size();
  double points = 1.0;
  if (spec.design == Design::grid) {
    for (const auto& p : spec.parameters) points *= static_cast<double>(p.values.size());
  } else {
    points = spec.design == Design::saltelli ? static_cast<double>(spec.samples) * static_cast<double>(k + 2)
             : spec.design == Design::morris ? static_cast<double>(spec.samples) * static_cast<double>(k + 1)
                                             : static_cast<double>(spec.samples);
  }
  const double runs = points * static_cast<double>(spec.replications);
  if (runs > static_cast<double>(max_runs)) too_large(spec, runs, max_runs);
  check_table_memory(spec, points, runs);
  return static_cast<std::size_t>(points);
}

RunTable make_run_table(const SweepSpec& spec, std::size_t max_runs) {
  RunTable table;
  const std::size_t k = spec.parameters.size();
  const std::size_t points = design_points(spec, max_runs);
  if (spec.design == Design::grid) {
    DesignPoints grid(spec);
    for (std::size_t n = 0; n < points; ++n) {
      grid.next();
      table.values.push_back(grid.values());
    }
  } else {
    // The points in the unit hypercube, one after another or (a Latin hypercube) column by
    // column; then rank correlations drawn from the same stream; then each value.
    std::optional<DesignPoints> sequential;
    RandomStream lhs_rng(design_stream_key(spec));
    if (spec.design == Design::latin_hypercube) {
      const std::vector<double> flat = latin_hypercube(lhs_rng, points, k);
      table.unit_point.reserve(points);
      for (std::size_t n = 0; n < points; ++n) {
        table.unit_point.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(n * k),
                                      flat.begin() + static_cast<std::ptrdiff_t>((n + 1) * k));
      }
    } else {
      sequential.emplace(spec);
      table.unit_point.reserve(points);
      for (std::size_t n = 0; n < points; ++n) {
        sequential->next();
        table.unit_point.push_back(sequential->unit_point());
      }
    }
    impose_rank_correlations(table.unit_point, spec.correlations, sequential ? sequential->rng() : lhs_rng);
    for (const auto& u : table.unit_point) {
      std::vector<std::string> point(k);
      for (std::size_t j = 0; j < k; ++j) point[j] = value_at(spec.parameters[j], u[j]);
      table.values.push_back(std::move(point));
    }
  }
  for (std::size_t p = 0; p < table.values.size(); ++p) {
    for (std::size_t r = 0; r < spec.replications; ++r) {
      const std::size_t index = table.runs.size();
      table.runs.push_back({index, p, r, run_seed(spec.seed, spec.common_random_numbers ? r : index)});
    }
  }
  return table;
}

}  // namespace aidc::sweep
