#include "aidc/sweep/sensitivity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <unordered_set>

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

// The design points with a finite KPI, as numbers: each parameter's value, or for a parameter
// whose values are not all numbers, the position of its value in its list (an ordinal scale).
struct NumericPoints {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  std::vector<bool> ordinal;  //!< per parameter
};

NumericPoints numeric_points(const SweepResults& r, const std::vector<double>& y) {
  const std::size_t k = r.spec.parameters.size();
  NumericPoints out;
  out.ordinal.assign(k, false);
  std::vector<std::size_t> points;
  for (std::size_t p = 0; p < y.size(); ++p) {
    if (std::isfinite(y[p])) points.push_back(p);
  }
  for (std::size_t j = 0; j < k; ++j) {
    for (const auto p : points) out.ordinal[j] = out.ordinal[j] || !number(r.table.values[p][j]);
  }
  out.x.resize(static_cast<Eigen::Index>(points.size()), static_cast<Eigen::Index>(k));
  out.y.resize(static_cast<Eigen::Index>(points.size()));
  for (std::size_t row = 0; row < points.size(); ++row) {
    const auto& values = r.table.values[points[row]];
    for (std::size_t j = 0; j < k; ++j) {
      const auto& list = r.spec.parameters[j].values;
      const double v = out.ordinal[j]
                           ? static_cast<double>(std::find(list.begin(), list.end(), values[j]) - list.begin())
                           : *number(values[j]);
      out.x(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(j)) = v;
    }
    out.y[static_cast<Eigen::Index>(row)] = y[points[row]];
  }
  return out;
}

std::string prcc_table(const SweepResults& r, const KpiAnalysis& a) {
  const std::size_t k = r.spec.parameters.size();
  if (a.prcc.empty()) return fmt::format("PRCC needs at least {} design points with this KPI (k + 3).\n\n", k + 3);
  std::vector<double> strength;
  for (const auto& p : a.prcc) strength.push_back(std::abs(p.value));
  std::string out = fmt::format(
      "Partial rank correlation (PRCC) over {} design points, ranked by strength: the sign says whether the KPI rises "
      "(+) or falls (−) with the parameter, the others held fixed (rank scale).\n\n"
      "| rank | parameter | PRCC | p-value |\n|---|---|---|---|\n",
      a.points);
  std::size_t rank = 0;
  for (const auto i : descending_order(strength)) {
    out += fmt::format("| {} | {}{} | {} | {} |\n", ++rank, r.spec.parameters[i].path, a.ordinal[i] ? " (ordinal)" : "",
                       std::isfinite(a.prcc[i].value) ? fmt::format("{:+.3f}", a.prcc[i].value) : "–",
                       std::isfinite(a.prcc[i].p_value) ? fmt::format("{:.2g}", a.prcc[i].p_value) : "–");
  }
  return out + "\n";
}

std::string prim_section(const SweepResults& r, const KpiAnalysis& a, double quantile) {
  if (!a.prim) return "PRIM needs at least 20 design points with this KPI.\n\n";
  const PrimBox& box = *a.prim;
  std::string out = fmt::format(
      "PRIM box (scenario discovery): the KPI is ≥ {} (its {:g}th percentile) in {:.0f}% of the design points inside "
      "the box below, against {:.0f}% of all; the box holds {:.0f}% of the points and {:.0f}% of those cases ({} "
      "peeling steps, {} pastes).\n\n",
      g(box.threshold), quantile * 100, 100 * box.box.density, 100 * box.base_density, 100 * box.box.support,
      100 * box.box.coverage, box.trajectory.size() - 1, box.pastes);
  std::string rows;
  for (std::size_t j = 0; j < box.restricted.size(); ++j) {
    if (!box.restricted[j]) continue;
    rows += fmt::format("| {} | {} … {} | {} … {} |\n", r.spec.parameters[j].path, prim_value_text(r, a, j, box.low[j]),
                        prim_value_text(r, a, j, box.high[j]), prim_value_text(r, a, j, a.range_low[j]),
                        prim_value_text(r, a, j, a.range_high[j]));
  }
  if (rows.empty()) return out + "No parameter range raises the share: the box is the whole space.\n\n";
  return out + "| parameter | box | whole sweep |\n|---|---|---|\n" + rows + "\n";
}

}  // namespace

std::string prim_value_text(const SweepResults& r, const KpiAnalysis& a, std::size_t parameter, double value) {
  if (!a.ordinal[parameter]) return g(value);
  const auto& list = r.spec.parameters[parameter].values;
  const auto i = static_cast<std::size_t>(std::lround(value));
  return i < list.size() ? list[i] : g(value);
}

std::vector<std::size_t> descending_order(const std::vector<double>& key) {
  std::vector<std::size_t> order(key.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double ka = std::isfinite(key[a]) ? key[a] : -INFINITY, kb = std::isfinite(key[b]) ? key[b] : -INFINITY;
    return ka > kb;
  });
  return order;
}

namespace {

// Adds the KPI names of `rec` not seen yet, in order.
void add_names(std::vector<std::string>& known, std::unordered_set<std::string>& seen, const RunRecord& rec) {
  for (const auto& kv : rec.kpis) {
    if (seen.insert(kv.first).second) known.push_back(kv.first);
  }
}

}  // namespace

std::vector<std::string> analysis_kpis(const SweepResults& r, const AnalysisOptions& options) {
  std::vector<std::string> known;
  std::unordered_set<std::string> seen;
  for (const auto& rec : r.records) add_names(known, seen, rec);
  return analysis_kpis(known, options);
}

SweepResults read_sweep_for_analysis(const std::filesystem::path& dir, AnalysisOptions& options) {
  SweepDirectory sweep = open_sweep_directory(dir, false);
  const std::size_t runs = sweep.design.runs();
  std::vector<std::string> known;
  std::unordered_set<std::string> seen;
  for (std::size_t run = 0; run < runs; ++run) {
    if (sweep.index.is_recorded(run)) add_names(known, seen, sweep.index.read(run));
  }
  if (options.kpis.empty()) options.kpis = sweep.spec.kpis;
  options.kpis = analysis_kpis(known, options);
  const std::unordered_set<std::string> kept(options.kpis.begin(), options.kpis.end());
  RunTable table = make_run_table(sweep.spec);  // the analysis reads every point
  SweepResults out{std::move(sweep.spec), std::move(table), {}};
  out.records.reserve(sweep.index.recorded());
  for (std::size_t run = 0; run < runs; ++run) {
    if (!sweep.index.is_recorded(run)) continue;
    RunRecord r = sweep.index.read(run);
    std::erase_if(r.kpis, [&](const auto& kv) { return !kept.contains(kv.first); });
    r.kpis.shrink_to_fit();
    out.records.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> analysis_kpis(const std::vector<std::string>& known, const AnalysisOptions& options) {
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
  return kpis;
}

KpiAnalysis analyze_kpi(const SweepResults& r, const std::string& kpi, const AnalysisOptions& options) {
  const std::size_t k = r.spec.parameters.size();
  KpiAnalysis a;
  a.kpi = kpi;
  a.point_values = point_values(r, kpi);
  const auto& y = a.point_values;
  a.noise = noise_of(r, kpi, y);
  // With independent seeds, noise adds to every index about its share of the point means'
  // variance: an index no larger than twice that cannot be told from noise. With common random
  // numbers every point sees the same noise, which largely cancels from the indices.
  a.noise_floor = !r.spec.common_random_numbers && a.noise.measured ? 2 * a.noise.share_means : NAN;
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
    a.base_draws = complete.size();
    a.sobol = sobol_indices(m, options.bootstrap_samples, options.confidence, r.spec.seed);
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
    a.morris = morris_indices(effects, options.bootstrap_samples, options.confidence, r.spec.seed);
    for (const auto& e : effects) a.morris_effects.push_back(e.size());
  }
  const NumericPoints d = numeric_points(r, y);
  a.points = static_cast<std::size_t>(d.x.rows());
  a.ordinal = d.ordinal;
  for (std::size_t j = 0; j < k; ++j) {
    a.range_low.push_back(a.points > 0 ? d.x.col(static_cast<Eigen::Index>(j)).minCoeff() : NAN);
    a.range_high.push_back(a.points > 0 ? d.x.col(static_cast<Eigen::Index>(j)).maxCoeff() : NAN);
  }
  if (a.points >= k + 3) a.prcc = partial_rank_correlations(d.x, d.y);
  if (a.points >= 20) {
    PrimOptions prim;
    prim.quantile = options.prim_quantile;
    a.prim = prim_box(d.x, d.y, prim);
  }
  return a;
}

std::string format_analysis(const SweepResults& r, const AnalysisOptions& options) {
  const std::size_t k = r.spec.parameters.size();
  const int percent = static_cast<int>(std::lround(options.confidence * 100));
  std::string out = fmt::format("# Sensitivity of {} ({} design, {} runs recorded of {})\n", r.spec.source,
                                design_name(r.spec.design), r.records.size(), r.table.runs.size());
  for (const auto& kpi : analysis_kpis(r, options)) {
    out += "\n## " + kpi + "\n\n";
    const KpiAnalysis a = analyze_kpi(r, kpi, options);
    const Noise& noise = a.noise;
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
      out += fmt::format("Sobol indices from {} complete base draws ({}% bootstrap intervals, {} resamples), ranked "
                         "by total order.\n\n"
                         "| parameter | first order S | interval | total order ST | interval |\n|---|---|---|---|---|\n",
                         a.base_draws, percent, options.bootstrap_samples);
      std::vector<bool> within_noise(k, false);  // named in the warning in the parameters' order
      std::vector<double> totals;
      for (const auto& index : a.sobol) totals.push_back(index.total.value);
      bool outside = false;
      for (const std::size_t i : descending_order(totals)) {
        const SobolIndex& index = a.sobol[i];
        for (const double v : {index.first.value, index.total.value}) outside = outside || v < -0.05 || v > 1.05;
        within_noise[i] = std::isfinite(a.noise_floor) && index.total.value <= a.noise_floor;
        out += fmt::format("| {} | {} | {} … {} | {}{} | {} … {} |\n", r.spec.parameters[i].path, g(index.first.value),
                           g(index.first.low), g(index.first.high), g(index.total.value),
                           within_noise[i] ? " (noise)" : "", g(index.total.low), g(index.total.high));
      }
      out += "\n";
      if (std::find(within_noise.begin(), within_noise.end(), true) != within_noise.end()) {
        std::string names;
        for (std::size_t i = 0; i < k; ++i) {
          if (within_noise[i]) names += (names.empty() ? "" : ", ") + r.spec.parameters[i].path;
        }
        out += fmt::format("**Warning: noise dominates the total index of {}** (no larger than twice the noise share "
                           "of the point means, {}): it cannot be told from zero.\n\n",
                           names, percent_text(noise.share_means));
      }
      if (a.base_draws < 64) {
        out += fmt::format("**Warning: only {} base draws**: Sobol estimates this small are unreliable (values below 0 "
                           "or above 1 are sampling error); use 500 or more samples for indices to trust.\n\n",
                           a.base_draws);
      }
      if (outside) {
        out += "**Warning: some indices fall outside [−0.05, 1.05]**, where no index can be: the sample is too small "
               "for this KPI (or the KPI is too noisy); use more samples (a power of two suits the Sobol "
               "sequence).\n\n";
      }
    } else if (r.spec.design == Design::morris) {
      out += fmt::format("Morris elementary effects per unit of each parameter's quantile scale ({}% bootstrap "
                         "intervals of μ*), ranked by μ*.\n\n| parameter | μ* | interval | σ | effects |\n|---|---|---|---|---|\n",
                         percent);
      std::vector<double> mu_star;
      for (const auto& index : a.morris) mu_star.push_back(index.mu_star.value);
      for (const std::size_t i : descending_order(mu_star)) {
        out += fmt::format("| {} | {} | {} … {} | {} | {} |\n", r.spec.parameters[i].path, g(a.morris[i].mu_star.value),
                           g(a.morris[i].mu_star.low), g(a.morris[i].mu_star.high), g(a.morris[i].sigma),
                           a.morris_effects[i]);
      }
      out += "\n";
    }
    out += prcc_table(r, a);
    out += prim_section(r, a, options.prim_quantile);
    out += discovery_table(r, a.point_values);
  }
  return out;
}

}  // namespace aidc::sweep
