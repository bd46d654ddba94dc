#include "aidc/calibrate/ensemble_objective.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "aidc/run/parallel_for.hpp"
#include "aidc/run/run_scenario.hpp"

namespace aidc {

std::optional<FitWindow> parse_fit_window(std::string_view text, std::string& problem) {
  // A quarter is written 2024Q3, so the one '-' between two quarters separates them.
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    problem = "'" + std::string(text) + "' is not a window; expected FIRST-LAST, e.g. 2023Q1-2024Q4";
    return std::nullopt;
  }
  const auto first = Quarter::parse(text.substr(0, dash));
  const auto last = Quarter::parse(text.substr(dash + 1));
  if (!first || !last) {
    problem = "'" + std::string(text) + "' is not a window; expected FIRST-LAST, e.g. 2023Q1-2024Q4";
    return std::nullopt;
  }
  if (*last < *first) {
    problem = "the window " + std::string(text) + " ends before it starts";
    return std::nullopt;
  }
  return FitWindow{*first, *last};
}

std::vector<bool> in_sample_mask(const std::vector<Target>& targets, const std::optional<FitWindow>& window) {
  std::vector<bool> mask;
  mask.reserve(targets.size());
  for (const auto& t : targets) mask.push_back(!window || window->contains(t.quarter));
  return mask;
}

std::vector<Spread> TargetEnsemble::spreads() const {
  std::vector<Spread> out;
  out.reserve(values.size());
  for (const auto& v : values) out.push_back(spread_of(v));
  return out;
}

namespace {


}  // namespace

TargetEnsemble run_target_ensemble(const ScenarioSpec& spec, const std::vector<Target>& targets,
                                   const std::vector<std::uint64_t>& seeds, std::size_t jobs) {
  const std::size_t n = seeds.size();
  std::vector<std::vector<double>> per_seed(n);
  parallel_for(n, jobs, [&](std::size_t i) { per_seed[i] = target_values(run_scenario(spec, seeds[i]), targets); });
  TargetEnsemble e;
  e.values.assign(targets.size(), std::vector<double>(n));
  for (std::size_t s = 0; s < n; ++s) {
    for (std::size_t k = 0; k < targets.size(); ++k) e.values[k][s] = per_seed[s][k];
  }
  return e;
}

double ensemble_objective(const TargetEnsemble& e, const std::vector<Target>& targets, const std::vector<bool>& in_sample) {
  if (e.values.empty() || e.values.front().empty()) return 0.0;
  const std::size_t seeds = e.values.front().size();
  double sum = 0.0;
  for (std::size_t k = 0; k < targets.size(); ++k) {
    if (!in_sample[k]) continue;
    for (std::size_t s = 0; s < seeds; ++s) {
      const double r = (e.values[k][s] - targets[k].value) / std::abs(targets[k].value);
      sum += targets[k].weight * r * r;
    }
  }
  return sum / static_cast<double>(seeds);
}

std::vector<double> median_errors(const std::vector<Spread>& spreads, const std::vector<Target>& targets) {
  std::vector<double> out;
  out.reserve(targets.size());
  for (std::size_t k = 0; k < targets.size(); ++k) out.push_back((spreads[k].p50 - targets[k].value) / std::abs(targets[k].value));
  return out;
}

bool inside_band(const Spread& s, double record) {
  const double slack = 1e-9 * std::abs(record);
  return s.p05 - slack <= record && record <= s.p95 + slack;
}

double rms_where(const std::vector<double>& errors, const std::vector<bool>& mask, bool which) {
  double sum = 0.0;
  std::size_t n = 0;
  for (std::size_t k = 0; k < errors.size(); ++k) {
    if (mask[k] != which) continue;
    sum += errors[k] * errors[k];
    ++n;
  }
  return n == 0 ? std::numeric_limits<double>::quiet_NaN() : std::sqrt(sum / static_cast<double>(n));
}

}  // namespace aidc
