#include "aidc/calibrate/identifiability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "aidc/run/parallel_for.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/scenario/loader.hpp"
#include "aidc/sweep/design.hpp"

namespace aidc {

std::vector<FitParameter> Screen::kept() const {
  std::vector<FitParameter> out;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    if (identified[i]) out.push_back(parameters[i]);
  }
  return out;
}

std::vector<bool> identified_by_mu_star(const std::vector<sweep::MorrisIndex>& indices, double threshold) {
  double largest = 0.0;
  for (const auto& m : indices) largest = std::max(largest, m.mu_star.value);
  std::vector<bool> out;
  for (const auto& m : indices) out.push_back(largest > 0.0 && !(m.mu_star.value < threshold * largest));
  return out;
}

Screen screen_parameters(const std::filesystem::path& scenario, const std::vector<FitParameter>& parameters,
                         const std::vector<Target>& targets, const ScreenOptions& options) {
  const ScenarioTemplate base = ScenarioTemplate::from_file(scenario);
  for (const auto& p : parameters) (void)base.resolve_key_paths(p.path, {"--params", 0, 0});
  if (options.seeds.empty()) throw_scenario_error({"--seeds", 0, 0}, "", "no seeds; expected at least one");
  if (options.trajectories == 0) {
    throw_scenario_error({"--screen-trajectories", 0, 0}, "", "no trajectories; expected at least one");
  }
  if (options.levels < 2) throw_scenario_error({"--screen-levels", 0, 0}, "", "expected at least 2 levels");
  const auto in_sample = in_sample_mask(targets, options.fit_window);
  if (std::none_of(in_sample.begin(), in_sample.end(), [](bool b) { return b; })) {
    throw_scenario_error({"--fit-window", 0, 0}, options.fit_window ? options.fit_window->str() : "",
                         "no target falls in the fit window; expected at least one");
  }
  Screen s;
  s.parameters = parameters;
  s.options = options;
  const std::size_t k = parameters.size();

  // The sweep engine's Morris design over [0, 1]ᵏ, each coordinate mapped linearly onto its bounds.
  sweep::SweepSpec spec;
  spec.source = "identifiability screen";
  spec.design = sweep::Design::morris;
  spec.samples = options.trajectories;
  spec.morris_levels = options.levels;
  spec.seed = options.design_seed;
  for (std::size_t i = 0; i < k; ++i) {
    sweep::SweepParameter p;
    p.path = parameters[i].path;
    p.paths = {p.path};
    p.distribution.kind = sweep::Distribution::Kind::uniform;
    p.distribution.min = 0.0;
    p.distribution.max = 1.0;
    spec.parameters.push_back(std::move(p));
  }
  const sweep::RunTable table = sweep::make_run_table(spec);
  const std::size_t points = table.unit_point.size(), seeds = options.seeds.size();
  s.points = points;
  std::vector<ScenarioSpec> specs;
  specs.reserve(points);
  for (const auto& u : table.unit_point) {
    std::vector<std::string> overrides;
    for (std::size_t i = 0; i < k; ++i) {
      const auto& p = parameters[i];
      overrides.push_back(assignment(p, std::clamp(p.lower + (p.upper - p.lower) * u[i], p.lower, p.upper)));
    }
    specs.push_back(base.instantiate(overrides, false));
  }
  std::vector<std::vector<double>> values(points * seeds);
  parallel_for(points * seeds, options.jobs, [&](std::size_t task) {
    values[task] = target_values(run_scenario(specs[task / seeds], options.seeds[task % seeds]), targets);
  });
  std::vector<double> y(points);
  for (std::size_t p = 0; p < points; ++p) {
    TargetEnsemble e;
    e.values.assign(targets.size(), std::vector<double>(seeds));
    for (std::size_t t = 0; t < seeds; ++t) {
      for (std::size_t j = 0; j < targets.size(); ++j) e.values[j][t] = values[p * seeds + t][j];
    }
    y[p] = ensemble_objective(e, targets, in_sample);
  }
  // Elementary effects along each trajectory, as the sweep's analysis takes them.
  std::vector<std::vector<double>> effects(k);
  for (std::size_t t = 0; t < options.trajectories; ++t) {
    for (std::size_t step = 0; step < k; ++step) {
      const std::size_t p0 = t * (k + 1) + step, p1 = p0 + 1;
      const auto& u0 = table.unit_point[p0];
      const auto& u1 = table.unit_point[p1];
      for (std::size_t i = 0; i < k; ++i) {
        if (u0[i] != u1[i] && std::isfinite(y[p0]) && std::isfinite(y[p1])) {
          effects[i].push_back((y[p1] - y[p0]) / (u1[i] - u0[i]));
        }
      }
    }
  }
  s.indices = sweep::morris_indices(effects, options.bootstrap, 0.95, options.design_seed);
  for (const auto& e : effects) s.effects.push_back(e.size());
  s.identified = identified_by_mu_star(s.indices, options.threshold);
  for (const auto& m : s.indices) s.largest = std::max(s.largest, m.mu_star.value);
  return s;
}

std::string format_screen_report(const Screen& s) {
  const auto& o = s.options;
  std::string md = "## Identifiability screen\n\n";
  md += fmt::format(
      "A Morris design of {} trajectories on {} levels ({} points, each over {} seed{}), design seed {}: each "
      "parameter's elementary effects on the ensemble objective per unit of its bounds' width. A parameter whose μ* "
      "is below {:g}% of the largest μ* ({:.4g}) is not identified by the targets and is left out of the fit (held "
      "at the scenario's value).\n\n",
      o.trajectories, o.levels, s.points, o.seeds.size(), o.seeds.size() == 1 ? "" : "s", o.design_seed,
      100.0 * o.threshold, s.largest);
  md +=
      "| parameter | bounds | μ* [95%] | σ | effects | share of the largest μ* | identified |\n"
      "|---|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < s.parameters.size(); ++i) {
    const auto& p = s.parameters[i];
    const auto& m = s.indices[i];
    md +=
        fmt::format("| `{}` | [{:.6g}, {:.6g}] | {:.4g} [{:.4g}, {:.4g}] | {:.4g} | {} | {} | {} |\n", p.path, p.lower,
                    p.upper, m.mu_star.value, m.mu_star.low, m.mu_star.high, m.sigma, s.effects[i],
                    s.largest > 0.0 ? fmt::format("{:.1f}%", 100.0 * m.mu_star.value / s.largest) : std::string("n/a"),
                    s.identified[i] ? "yes" : "**no**");
  }
  std::string left_out;
  for (std::size_t i = 0; i < s.parameters.size(); ++i) {
    if (s.identified[i]) continue;
    const double share = s.largest > 0.0 ? s.indices[i].mu_star.value / s.largest : 0.0;
    left_out += fmt::format(
        "- `{}`: not identified by the targets (μ* {:.4g}, {:.1f}% of the largest, below {:g}%): "
        "over its whole range it hardly moves the objective, so the targets cannot say where it "
        "lies.\n",
        s.parameters[i].path, s.indices[i].mu_star.value, 100.0 * share, 100.0 * o.threshold);
  }
  md += left_out.empty() ? "\nEvery parameter is identified: the fit keeps them all.\n"
                         : "\nLeft out of the fit:\n\n" + left_out;
  return md;
}

}  // namespace aidc
