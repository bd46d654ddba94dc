#include "aidc/sweep/sensitivity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>

#include "aidc/kernel/random_stream.hpp"
#include "aidc/text/number.hpp"

namespace aidc::sweep {

namespace {

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return NAN;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Estimate interval(double value, std::vector<double> draws, double confidence) {
  std::sort(draws.begin(), draws.end());
  const double tail = (1.0 - confidence) / 2.0;
  return {value, quantile_sorted(draws, tail), quantile_sorted(draws, 1.0 - tail)};
}

// S_i and S_Ti of every parameter over the rows `rows` of y.
void sobol_point(const Eigen::MatrixXd& y, const std::vector<Eigen::Index>& rows, std::vector<double>& first,
                 std::vector<double>& total) {
  const Eigen::Index k = y.cols() - 2;
  const double n = static_cast<double>(rows.size());
  double mean = 0.0;
  for (const auto r : rows) mean += y(r, 0) + y(r, 1);
  mean /= 2 * n;
  double variance = 0.0;
  for (const auto r : rows) variance += (y(r, 0) - mean) * (y(r, 0) - mean) + (y(r, 1) - mean) * (y(r, 1) - mean);
  variance /= 2 * n - 1;
  first.assign(static_cast<std::size_t>(k), NAN);
  total.assign(static_cast<std::size_t>(k), NAN);
  if (!(variance > 0)) return;
  for (Eigen::Index i = 0; i < k; ++i) {
    double s = 0.0, t = 0.0;
    for (const auto r : rows) {
      const double a = y(r, 0), b = y(r, 1), ab = y(r, 2 + i);
      s += b * (ab - a);
      t += (a - ab) * (a - ab);
    }
    first[static_cast<std::size_t>(i)] = s / n / variance;
    total[static_cast<std::size_t>(i)] = 0.5 * t / n / variance;
  }
}

double mean_abs(const std::vector<double>& v, const std::vector<std::size_t>& pick) {
  double s = 0.0;
  for (const auto i : pick) s += std::abs(v[i]);
  return pick.empty() ? NAN : s / static_cast<double>(pick.size());
}

}  // namespace

std::vector<SobolIndex> sobol_indices(const Eigen::MatrixXd& y, std::size_t bootstrap, double confidence,
                                      std::uint64_t seed) {
  const auto k = static_cast<std::size_t>(std::max<Eigen::Index>(0, y.cols() - 2));
  std::vector<Eigen::Index> rows(static_cast<std::size_t>(y.rows()));
  std::iota(rows.begin(), rows.end(), 0);
  std::vector<double> first, total;
  sobol_point(y, rows, first, total);
  std::vector<std::vector<double>> first_draws(k), total_draws(k);
  RandomStream rng(splitmix64(seed ^ fnv1a64("sobol bootstrap")));
  std::vector<Eigen::Index> resampled(rows.size());
  std::vector<double> f, t;
  for (std::size_t b = 0; b < bootstrap && !rows.empty(); ++b) {
    for (auto& r : resampled) r = static_cast<Eigen::Index>(rng.next() % rows.size());
    sobol_point(y, resampled, f, t);
    for (std::size_t i = 0; i < k; ++i) {
      first_draws[i].push_back(f[i]);
      total_draws[i].push_back(t[i]);
    }
  }
  std::vector<SobolIndex> out(k);
  for (std::size_t i = 0; i < k; ++i) {
    out[i].first = interval(first[i], first_draws[i], confidence);
    out[i].total = interval(total[i], total_draws[i], confidence);
  }
  return out;
}

std::vector<MorrisIndex> morris_indices(const std::vector<std::vector<double>>& effects, std::size_t bootstrap,
                                        double confidence, std::uint64_t seed) {
  std::vector<MorrisIndex> out(effects.size());
  RandomStream rng(splitmix64(seed ^ fnv1a64("morris bootstrap")));
  for (std::size_t i = 0; i < effects.size(); ++i) {
    const auto& e = effects[i];
    std::vector<std::size_t> all(e.size());
    std::iota(all.begin(), all.end(), 0);
    const double mu = std::accumulate(e.begin(), e.end(), 0.0) / static_cast<double>(std::max<std::size_t>(1, e.size()));
    double var = 0.0;
    for (const double x : e) var += (x - mu) * (x - mu);
    out[i].sigma = e.size() > 1 ? std::sqrt(var / static_cast<double>(e.size() - 1)) : NAN;
    std::vector<double> draws;
    std::vector<std::size_t> pick(e.size());
    for (std::size_t b = 0; b < bootstrap && !e.empty(); ++b) {
      for (auto& p : pick) p = rng.next() % e.size();
      draws.push_back(mean_abs(e, pick));
    }
    out[i].mu_star = interval(mean_abs(e, all), draws, confidence);
  }
  return out;
}

namespace {

std::optional<double> number(const std::string& s) { return parse_decimal(s); }

// The KPI per design point: the mean over its successful replications (NaN if none).
std::vector<double> point_values(const SweepResults& r, const std::string& kpi) {
  std::vector<double> sum(r.table.values.size(), 0.0);
  std::vector<std::size_t> n(r.table.values.size(), 0);
  for (const auto& rec : r.records) {
    if (!rec.ok) continue;
    for (const auto& [name, v] : rec.kpis) {
      if (name == kpi && std::isfinite(v)) {
        sum[r.table.runs[rec.run].point] += v;
        ++n[r.table.runs[rec.run].point];
      }
    }
  }
  std::vector<double> out(sum.size());
  for (std::size_t p = 0; p < sum.size(); ++p) out[p] = n[p] ? sum[p] / static_cast<double>(n[p]) : NAN;
  return out;
}

std::string g(double v) { return std::isfinite(v) ? fmt::format("{:.4g}", v) : "–"; }

// How much of a KPI's variation is noise: the pooled variance between the replications of a
// design point, against the variance of single runs and of the point means analysed.
struct Noise {
  bool measured = false;
  double within = 0.0;       //!< pooled within-point variance (one run)
  double share_runs = NAN;   //!< within / variance of single runs
  double share_means = NAN;  //!< (within / replications) / variance of the point means
};

Noise noise_of(const SweepResults& r, const std::string& kpi, const std::vector<double>& means) {
  Noise out;
  const std::size_t points = r.table.values.size();
  std::vector<double> sum(points, 0.0), sum2(points, 0.0);
  std::vector<std::size_t> n(points, 0);
  std::vector<double> all;
  for (const auto& rec : r.records) {
    if (!rec.ok) continue;
    for (const auto& [name, v] : rec.kpis) {
      if (name != kpi || !std::isfinite(v)) continue;
      const std::size_t p = r.table.runs[rec.run].point;
      sum[p] += v, sum2[p] += v * v, ++n[p];
      all.push_back(v);
      break;
    }
  }
  double ss = 0.0, dof = 0.0;
  for (std::size_t p = 0; p < points; ++p) {
    if (n[p] < 2) continue;
    const double m = sum[p] / static_cast<double>(n[p]);
    ss += std::max(0.0, sum2[p] - static_cast<double>(n[p]) * m * m);
    dof += static_cast<double>(n[p] - 1);
  }
  if (dof < 1 || all.size() < 3) return out;
  auto variance = [](const std::vector<double>& v) -> double {
    double m = 0.0, s2 = 0.0, k = 0.0;
    for (const double x : v) {
      if (std::isfinite(x)) m += x, ++k;
    }
    if (k < 2) return std::numeric_limits<double>::quiet_NaN();
    m /= k;
    for (const double x : v) {
      if (std::isfinite(x)) s2 += (x - m) * (x - m);
    }
    return s2 / (k - 1);
  };
  out.measured = true;
  out.within = ss / dof;
  const double v_runs = variance(all), v_means = variance(means);
  out.share_runs = v_runs > 0 ? std::min(1.0, out.within / v_runs) : NAN;
  out.share_means = v_means > 0 ? std::min(1.0, out.within / static_cast<double>(r.spec.replications) / v_means) : NAN;
  return out;
}

std::string percent_text(double share) { return std::isfinite(share) ? fmt::format("{:.3g}%", 100 * share) : "–"; }

std::string discovery_table(const SweepResults& r, const std::vector<double>& y) {
  std::vector<std::size_t> points;
  for (std::size_t p = 0; p < y.size(); ++p) {
    if (std::isfinite(y[p])) points.push_back(p);
  }
  if (points.size() < 10) return "Scenario discovery needs at least 10 design points with this KPI.\n";
  std::vector<double> sorted;
  for (const auto p : points) sorted.push_back(y[p]);
  std::sort(sorted.begin(), sorted.end());
  const double threshold = quantile_sorted(sorted, 0.9);
  std::string out = fmt::format(
      "Scenario discovery: the design points with the KPI ≥ {} (top decile) against all {} points.\n\n"
      "| parameter | mean, all | mean, top decile | range in top decile | mean shift (sd of all) |\n|---|---|---|---|---|\n",
      g(threshold), points.size());
  for (std::size_t k = 0; k < r.spec.parameters.size(); ++k) {
    std::vector<double> all, top;
    for (const auto p : points) {
      const auto v = number(r.table.values[p][k]);
      if (!v) continue;
      all.push_back(*v);
      if (y[p] >= threshold) top.push_back(*v);
    }
    if (all.size() != points.size() || top.empty()) {
      out += "| " + r.spec.parameters[k].path + " | (not numeric) | | | |\n";
      continue;
    }
    const double mean_all = std::accumulate(all.begin(), all.end(), 0.0) / static_cast<double>(all.size());
    const double mean_top = std::accumulate(top.begin(), top.end(), 0.0) / static_cast<double>(top.size());
    double var = 0.0;
    for (const double v : all) var += (v - mean_all) * (v - mean_all);
    const double sd = std::sqrt(var / static_cast<double>(all.size() - 1));
    const auto [lo, hi] = std::minmax_element(top.begin(), top.end());
    out += fmt::format("| {} | {} | {} | {} … {} | {} |\n", r.spec.parameters[k].path, g(mean_all), g(mean_top), g(*lo),
                       g(*hi), sd > 0 ? g((mean_top - mean_all) / sd) : "–");
  }
  return out;
}

}  // namespace

std::string format_analysis(const SweepResults& r, const AnalysisOptions& options) {
  std::vector<std::string> known;
  for (const auto& rec : r.records) {
    for (const auto& kv : rec.kpis) {
      if (std::find(known.begin(), known.end(), kv.first) == known.end()) known.push_back(kv.first);
    }
  }
  std::vector<std::string> kpis = options.kpis;
  if (kpis.empty()) {
    for (const char* k : {"end_installed_h100e", "end_utilization", "end_price_usd_per_h100e_hour", "sum_capex_usd",
                          "max_stranded_h100e"}) {
      if (std::find(known.begin(), known.end(), k) != known.end()) kpis.emplace_back(k);
    }
  }
  for (const auto& k : kpis) {
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      throw std::runtime_error("unknown KPI '" + k + "' " + suggest(k, known));
    }
  }
  const std::size_t k = r.spec.parameters.size();
  const int percent = static_cast<int>(std::lround(options.confidence * 100));
  std::string out = fmt::format("# Sensitivity of {} ({} design, {} runs recorded of {})\n", r.spec.source,
                                design_name(r.spec.design), r.records.size(), r.table.runs.size());
  for (const auto& kpi : kpis) {
    out += "\n## " + kpi + "\n\n";
    const auto y = point_values(r, kpi);
    const Noise noise = noise_of(r, kpi, y);
    // With independent seeds, noise adds to every index about its share of the point means'
    // variance: an index no larger than twice that cannot be told from noise. With common random
    // numbers every point sees the same noise, which largely cancels from the indices.
    const double noise_floor = !r.spec.common_random_numbers && noise.measured ? 2 * noise.share_means : NAN;
    if (noise.measured) {
      out += fmt::format("Noise: the replications of a design point differ by a standard deviation of {}: {} of the "
                         "variance of single runs, {} of the variance of the point means analysed ({} replications; "
                         "seeds {}).\n\n",
                         g(std::sqrt(noise.within)), percent_text(noise.share_runs), percent_text(noise.share_means),
                         r.spec.replications,
                         r.spec.common_random_numbers ? "common: every point sees the same noise, which largely cancels "
                                                        "from comparisons between points"
                                                      : "independent: the noise adds to every index");
      if (!r.spec.common_random_numbers && noise.share_means > 0.5) {
        out += "**Warning: noise dominates this KPI's variation across design points**; the indices below mostly "
               "measure it. Use `seeds: common` (the default) or more replications.\n\n";
      }
    } else if (!r.spec.common_random_numbers) {
      out += "**Warning: every run has its own seed and no design point is replicated**: the noise is in every "
             "index and cannot be measured. Use `seeds: common` (the default) or `replications: 2` or more.\n\n";
    } else {
      out += "Noise: not measured (one replication per point); seeds are common, so every design point sees the same "
             "noise.\n\n";
    }
    if (r.spec.design == Design::saltelli) {
      std::vector<Eigen::Index> complete;
      for (std::size_t j = 0; j < r.spec.samples; ++j) {
        bool ok = true;
        for (std::size_t c = 0; c < k + 2; ++c) ok = ok && std::isfinite(y[j * (k + 2) + c]);
        if (ok) complete.push_back(static_cast<Eigen::Index>(j));
      }
      Eigen::MatrixXd m(static_cast<Eigen::Index>(complete.size()), static_cast<Eigen::Index>(k + 2));
      for (std::size_t row = 0; row < complete.size(); ++row) {
        for (std::size_t c = 0; c < k + 2; ++c) {
          m(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(c)) =
              y[static_cast<std::size_t>(complete[row]) * (k + 2) + c];
        }
      }
      const auto indices = sobol_indices(m, options.bootstrap_samples, options.confidence, r.spec.seed);
      out += fmt::format("Sobol indices from {} complete base draws ({}% bootstrap intervals, {} resamples).\n\n"
                         "| parameter | first order S | interval | total order ST | interval |\n|---|---|---|---|---|\n",
                         complete.size(), percent, options.bootstrap_samples);
      std::vector<std::string> within_noise;
      for (std::size_t i = 0; i < k; ++i) {
        const bool noisy = std::isfinite(noise_floor) && indices[i].total.value <= noise_floor;
        if (noisy) within_noise.push_back(r.spec.parameters[i].path);
        out += fmt::format("| {} | {} | {} … {} | {}{} | {} … {} |\n", r.spec.parameters[i].path, g(indices[i].first.value),
                           g(indices[i].first.low), g(indices[i].first.high), g(indices[i].total.value),
                           noisy ? " (noise)" : "", g(indices[i].total.low), g(indices[i].total.high));
      }
      out += "\n";
      if (!within_noise.empty()) {
        std::string names;
        for (const auto& n : within_noise) names += (names.empty() ? "" : ", ") + n;
        out += fmt::format("**Warning: noise dominates the total index of {}** (no larger than twice the noise share "
                           "of the point means, {}): it cannot be told from zero.\n\n",
                           names, percent_text(noise.share_means));
      }
      if (complete.size() < 64) {
        out += fmt::format("**Warning: only {} base draws**: Sobol estimates this small are unreliable (values below 0 "
                           "or above 1 are sampling error); use 500 or more samples for indices to trust.\n\n",
                           complete.size());
      }
    } else if (r.spec.design == Design::morris) {
      std::vector<std::vector<double>> effects(k);
      for (std::size_t t = 0; t < r.spec.samples; ++t) {
        for (std::size_t s = 0; s < k; ++s) {
          const std::size_t p0 = t * (k + 1) + s, p1 = p0 + 1;
          const auto& u0 = r.table.unit_point[p0];
          const auto& u1 = r.table.unit_point[p1];
          for (std::size_t i = 0; i < k; ++i) {
            if (u0[i] != u1[i] && std::isfinite(y[p0]) && std::isfinite(y[p1])) {
              effects[i].push_back((y[p1] - y[p0]) / (u1[i] - u0[i]));
            }
          }
        }
      }
      const auto indices = morris_indices(effects, options.bootstrap_samples, options.confidence, r.spec.seed);
      out += fmt::format("Morris elementary effects per unit of each parameter's quantile scale ({}% bootstrap "
                         "intervals of μ*).\n\n| parameter | μ* | interval | σ | effects |\n|---|---|---|---|---|\n",
                         percent);
      for (std::size_t i = 0; i < k; ++i) {
        out += fmt::format("| {} | {} | {} … {} | {} | {} |\n", r.spec.parameters[i].path, g(indices[i].mu_star.value),
                           g(indices[i].mu_star.low), g(indices[i].mu_star.high), g(indices[i].sigma), effects[i].size());
      }
      out += "\n";
    }
    out += discovery_table(r, y);
  }
  return out;
}

}  // namespace aidc::sweep
