#include "aidc/calibrate/ensemble_fit.hpp"

#include <fmt/format.h>
#include <nlopt.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

#include "aidc/scenario/loader.hpp"
#include "aidc/text/csv.hpp"
#include "figure_format.hpp"

namespace aidc {

bool EnsembleCalibration::at_bound(std::size_t i) const {
  const auto& p = parameters[i];
  const double tolerance = 1e-3 * (p.upper - p.lower);
  return fitted[i] - p.lower <= tolerance || p.upper - fitted[i] <= tolerance;
}

std::size_t EnsembleCalibration::profile_improvements() const {
  return static_cast<std::size_t>(
      std::count_if(profile.begin(), profile.end(), [&](const ProfilePoint& p) { return p.objective < objective; }));
}

int nlopt_algorithm_named(const std::string& name, bool global) {
  const std::string prefix = global ? "GN_" : "LN_";
  const nlopt_algorithm a = nlopt_algorithm_from_string(name.c_str());
  const bool known = static_cast<int>(a) >= 0 && static_cast<int>(a) < NLOPT_NUM_ALGORITHMS;
  // The MLSL and augmented-Lagrangian families need a subsidiary optimizer: not offered.
  if (!known || name.rfind(prefix, 0) != 0 || name.find("MLSL") != std::string::npos ||
      name.find("AUGLAG") != std::string::npos) {
    throw_scenario_error({global ? "--global" : "--local", 0, 0}, name,
                         std::string("not a derivative-free ") + (global ? "global" : "local") +
                             " NLopt algorithm; expected e.g. " +
                             (global ? "GN_CRS2_LM, GN_DIRECT_L, GN_ESCH or GN_ISRES" : "LN_BOBYQA, LN_SBPLX or LN_NELDERMEAD"));
  }
  return static_cast<int>(a);
}

namespace {

// The objective in scaled coordinates u ∈ [0, 1]ⁿ, keeping the best point evaluated and the first
// exception a run threw (NLopt is then stopped and the exception rethrown by the fit).
struct Problem {
  const ScenarioTemplate* scenario = nullptr;
  const std::vector<FitParameter>* parameters = nullptr;
  const std::vector<Target>* targets = nullptr;
  const std::vector<bool>* in_sample = nullptr;
  const EnsembleFitOptions* options = nullptr;
  std::vector<double> best_u;
  double best = std::numeric_limits<double>::infinity();
  int evaluations = 0;
  std::exception_ptr failure;
  nlopt_opt running = nullptr;

  [[nodiscard]] std::vector<double> values_of(const double* u) const {
    std::vector<double> x;
    for (std::size_t i = 0; i < parameters->size(); ++i) {
      const auto& p = (*parameters)[i];
      x.push_back(std::clamp(p.lower + (p.upper - p.lower) * u[i], p.lower, p.upper));
    }
    return x;
  }
  [[nodiscard]] TargetEnsemble ensemble_at(const std::vector<double>& x) const {
    std::vector<std::string> overrides;
    for (std::size_t i = 0; i < parameters->size(); ++i) overrides.push_back(assignment((*parameters)[i], x[i]));
    return run_target_ensemble(scenario->instantiate(overrides), *targets, options->seeds, options->jobs);
  }
  double objective_at(const std::vector<double>& x) const {
    return ensemble_objective(ensemble_at(x), *targets, *in_sample);
  }
};

double nlopt_objective(unsigned n, const double* u, double* /*gradient: derivative-free*/, void* data) {
  auto* problem = static_cast<Problem*>(data);
  if (problem->failure) return std::numeric_limits<double>::infinity();
  try {
    const double f = problem->objective_at(problem->values_of(u));
    ++problem->evaluations;
    if (f < problem->best) {
      problem->best = f;
      problem->best_u.assign(u, u + n);
    }
    return std::isfinite(f) ? f : std::numeric_limits<double>::max();
  } catch (...) {
    problem->failure = std::current_exception();
    nlopt_force_stop(problem->running);
    return std::numeric_limits<double>::infinity();
  }
}

// One stage from `u` (updated to the best point of the problem afterwards); returns NLopt's result.
std::string run_stage(Problem& problem, const std::string& algorithm, bool global, int budget, std::vector<double>& u,
                      int& evaluations) {
  const auto n = static_cast<unsigned>(u.size());
  nlopt_opt opt = nlopt_create(static_cast<nlopt_algorithm>(nlopt_algorithm_named(algorithm, global)), n);
  const std::vector<double> lower(n, 0.0), upper(n, 1.0);
  nlopt_set_lower_bounds(opt, lower.data());
  nlopt_set_upper_bounds(opt, upper.data());
  nlopt_set_min_objective(opt, nlopt_objective, &problem);
  nlopt_set_maxeval(opt, budget);
  if (!global) {
    nlopt_set_xtol_rel(opt, problem.options->local_tolerance);
    const std::vector<double> step(n, 0.05);
    nlopt_set_initial_step(opt, step.data());
  }
  nlopt_srand(problem.options->nlopt_seed);  // CRS2, ESCH, ISRES draw random points: fixed
  problem.running = opt;
  const int before = problem.evaluations;
  double f = 0.0;
  const nlopt_result result = nlopt_optimize(opt, u.data(), &f);
  problem.running = nullptr;
  nlopt_destroy(opt);
  evaluations = problem.evaluations - before;
  if (problem.failure) std::rethrow_exception(problem.failure);
  if (!problem.best_u.empty()) u = problem.best_u;
  const char* name = nlopt_result_to_string(result);
  return name != nullptr ? name : std::to_string(static_cast<int>(result));
}

}  // namespace

EnsembleCalibration calibrate_ensemble(const std::filesystem::path& scenario, const std::vector<FitParameter>& parameters,
                                       const std::vector<Target>& targets, const EnsembleFitOptions& options) {
  const ScenarioTemplate base = ScenarioTemplate::from_file(scenario);
  for (const auto& p : parameters) (void)base.resolve_key_paths(p.path, {"--params", 0, 0});
  if (!options.global_algorithm.empty()) (void)nlopt_algorithm_named(options.global_algorithm, true);
  if (!options.local_algorithm.empty()) (void)nlopt_algorithm_named(options.local_algorithm, false);
  if (options.seeds.empty()) throw_scenario_error({"--seeds", 0, 0}, "", "no seeds; expected at least one");
  EnsembleCalibration c;
  c.parameters = parameters;
  c.targets = targets;
  c.options = options;
  c.in_sample = in_sample_mask(targets, options.fit_window);
  if (std::none_of(c.in_sample.begin(), c.in_sample.end(), [](bool b) { return b; })) {
    throw_scenario_error({"--fit-window", 0, 0}, options.fit_window ? options.fit_window->str() : "",
                         "no target falls in the fit window; expected at least one");
  }
  Problem problem;
  problem.scenario = &base;
  problem.parameters = &parameters;
  problem.targets = &targets;
  problem.in_sample = &c.in_sample;
  problem.options = &options;

  std::vector<double> u;
  std::vector<double> start;
  for (const auto& p : parameters) {
    u.push_back((p.start - p.lower) / (p.upper - p.lower));
    start.push_back(p.start);
  }
  const TargetEnsemble at_start = problem.ensemble_at(start);  // also checks every target exists
  c.start_spread = at_start.spreads();
  c.start_objective = ensemble_objective(at_start, targets, c.in_sample);
  problem.best = c.start_objective;
  problem.best_u = u;

  if (!options.global_algorithm.empty() && options.global_evaluations > 0) {
    c.global_result = run_stage(problem, options.global_algorithm, true, options.global_evaluations, u, c.global_evaluations);
  }
  if (!options.local_algorithm.empty() && options.local_evaluations > 0) {
    c.local_result = run_stage(problem, options.local_algorithm, false, options.local_evaluations, u, c.local_evaluations);
  }
  c.fitted = problem.values_of(problem.best_u.data());
  const TargetEnsemble at_fit = problem.ensemble_at(c.fitted);
  c.fitted_spread = at_fit.spreads();
  c.objective = ensemble_objective(at_fit, targets, c.in_sample);

  // Profile scans: each parameter moved by ±step of its value, the others at the fit.
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const auto& p = parameters[i];
    for (const double step : {-options.profile_step, options.profile_step}) {
      std::vector<double> x = c.fitted;
      const double raw = c.fitted[i] != 0.0 ? c.fitted[i] * (1.0 + step) : step * (p.upper - p.lower);
      x[i] = std::clamp(raw, p.lower, p.upper);
      ProfilePoint point;
      point.parameter = i;
      point.step = step;
      point.value = x[i];
      point.clamped = x[i] != raw;
      point.objective = problem.objective_at(x);
      c.profile.push_back(point);
    }
  }
  return c;
}

namespace {

using calibrate_format::percent;
using calibrate_format::short_value;

std::string band(const Spread& s) { return short_value(s.p50) + " [" + short_value(s.p05) + "–" + short_value(s.p95) + "]"; }

}  // namespace

std::string format_ensemble_fit_report(const EnsembleCalibration& c, const std::string& scenario_name) {
  const auto& o = c.options;
  std::string md = fmt::format("# Calibration of {}\n\n", scenario_name);
  std::string seeds = std::to_string(o.seeds.size()) + " seeds";
  if (!o.seeds.empty()) seeds += fmt::format(" ({}–{})", o.seeds.front(), o.seeds.back());
  md += fmt::format(
      "NLopt on the ensemble objective: the mean over {} (the same for every point) of Σ w·((model − record) / "
      "|record|)² over the in-sample targets; fit window {}.\n",
      seeds, o.fit_window ? o.fit_window->str() : "all targets");
  md += fmt::format("Global stage {}: {} evaluations ({}); local stage {}: {} evaluations ({}); NLopt seed {}.\n",
                    o.global_algorithm.empty() ? "none" : o.global_algorithm, c.global_evaluations,
                    c.global_result.empty() ? "skipped" : c.global_result,
                    o.local_algorithm.empty() ? "none" : o.local_algorithm, c.local_evaluations,
                    c.local_result.empty() ? "skipped" : c.local_result, o.nlopt_seed);
  md += fmt::format("Objective {:.6g} at the start, {:.6g} at the fit.\n\n", c.start_objective, c.objective);

  md += "| parameter | start | fitted | bounds | at a bound |\n|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < c.parameters.size(); ++i) {
    const auto& p = c.parameters[i];
    md += fmt::format("| `{}` | {:.6g} | {:.6g} | [{:.6g}, {:.6g}] | {} |\n", p.path, p.start, c.fitted[i], p.lower,
                      p.upper, c.at_bound(i) ? "**yes**" : "no");
  }

  md += "\nModel: ensemble median [5%–95%] across the seeds.\n\n";
  md += "| quarter | series | window | record | model at start | model fitted | error of the median | in band |\n"
        "|---|---|---|---|---|---|---|---|\n";
  const auto errors = median_errors(c.fitted_spread, c.targets);
  std::size_t in = 0, in_band = 0;
  for (std::size_t k = 0; k < c.targets.size(); ++k) {
    const Target& t = c.targets[k];
    const Spread& s = c.fitted_spread[k];
    const bool inside = inside_band(s, t.value);
    if (c.in_sample[k]) {
      ++in;
      in_band += inside ? 1 : 0;
    }
    md += fmt::format("| {} | {} {} {} | {} | {} | {} | {} | {:+.1f}% | {} |\n", t.quarter.str(),
                      entity_kind_names[static_cast<std::size_t>(t.entity_kind)], t.entity, metric_name(t.metric),
                      c.in_sample[k] ? "fit" : "validation", short_value(t.value), band(c.start_spread[k]), band(s),
                      100.0 * errors[k], inside ? "yes" : "no");
  }
  const std::size_t out = c.targets.size() - in;
  md += fmt::format("\nRMS relative error of the ensemble median: in sample {} ({} targets), out of sample {} ({} targets).\n",
                    percent(rms_where(errors, c.in_sample, true)), in, percent(rms_where(errors, c.in_sample, false)), out);
  md += fmt::format("{} of {} in-sample targets ({}) inside the ensemble's 5–95% band.\n", in_band, in,
                    percent(in == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(in_band) / static_cast<double>(in)));

  md += fmt::format("\n## Profile scans\n\nThe objective with each parameter moved by ±{:g}% of its fitted value, the others "
                    "at the fit (objective at the fit {:.6g}).\n\n",
                    100.0 * o.profile_step, c.objective);
  md += "| parameter | move | value | objective | change |\n|---|---|---|---|---|\n";
  for (const auto& p : c.profile) {
    md += fmt::format("| `{}` | {:+g}%{} | {:.6g} | {:.6g} | {:+.3g}{} |\n", c.parameters[p.parameter].path,
                      100.0 * p.step, p.clamped ? " (at bound)" : "", p.value, p.objective, p.objective - c.objective,
                      p.objective < c.objective ? " **lower**" : "");
  }
  const std::size_t lower = c.profile_improvements();
  md += lower == 0 ? "\nNo move lowers the objective.\n"
                   : fmt::format("\n**{} move{} lower{} the objective: the fit is not a coordinate-wise minimum at this "
                                 "scale.**\n",
                                 lower, lower == 1 ? "" : "s", lower == 1 ? "s" : "");
  return md;
}

std::string format_profile_csv(const EnsembleCalibration& c) {
  std::string out = "parameter,step,value,objective,fitted_objective,change,lowers,clamped\n";
  for (const auto& p : c.profile) {
    out += csv_field(c.parameters[p.parameter].path) +
           fmt::format(",{},{},{},{},{},{},{}\n", p.step, p.value, p.objective, c.objective, p.objective - c.objective,
                       p.objective < c.objective ? 1 : 0, p.clamped ? 1 : 0);
  }
  return out;
}

std::filesystem::path profile_path_beside(const std::filesystem::path& file) {
  std::filesystem::path p = file;
  p.replace_extension(".profile.csv");
  return p;
}

}  // namespace aidc
