#include "aidc/calibrate/calibration.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "aidc/run/run_scenario.hpp"
#include "aidc/scenario/loader.hpp"
#include "figure_format.hpp"

namespace aidc {

namespace {

// The scenario file, parsed once (its `extends` merged) for every run of the fit.
ScenarioTemplate template_of(const std::filesystem::path& scenario) {
  return ScenarioTemplate::from_file(scenario);
}

// Runs the scenario with `values` and reads every target's series.
std::vector<double> model_values(const ScenarioTemplate& scenario, const std::vector<FitParameter>& params,
                                 const std::vector<double>& values, const std::vector<Target>& targets,
                                 std::uint64_t seed) {
  std::vector<std::string> overrides;
  for (std::size_t i = 0; i < params.size(); ++i) overrides.push_back(assignment(params[i], values[i]));
  const ScenarioSpec spec = scenario.instantiate(overrides);
  const RunResult run = run_scenario(spec, seed);
  return target_values(run, targets);
}

using calibrate_format::short_value;

}  // namespace

Calibration calibrate(const std::filesystem::path& scenario, const std::vector<FitParameter>& parameters,
                      const std::vector<Target>& targets, std::uint64_t seed, const LmOptions& options) {
  const ScenarioTemplate base = template_of(scenario);
  // Every path must name a value an overlay can write, before anything runs.
  for (const auto& p : parameters) (void)base.resolve_key_paths(p.path, {"--params", 0, 0});
  Calibration c;
  c.parameters = parameters;
  c.targets = targets;
  const auto n = static_cast<Eigen::Index>(parameters.size());
  Eigen::VectorXd lower(n), upper(n), start(n);
  std::vector<double> values(parameters.size());
  for (Eigen::Index i = 0; i < n; ++i) {
    lower[i] = parameters[static_cast<std::size_t>(i)].lower;
    upper[i] = parameters[static_cast<std::size_t>(i)].upper;
    start[i] = values[static_cast<std::size_t>(i)] = parameters[static_cast<std::size_t>(i)].start;
  }
  c.start_model = model_values(base, parameters, values, targets, seed);  // also checks every target exists
  auto residuals = [&](const Eigen::VectorXd& x, Eigen::VectorXd& r) {
    for (Eigen::Index i = 0; i < n; ++i) values[static_cast<std::size_t>(i)] = x[i];
    const std::vector<double> m = model_values(base, parameters, values, targets, seed);
    r.resize(static_cast<Eigen::Index>(targets.size()));
    for (std::size_t k = 0; k < targets.size(); ++k) {
      r[static_cast<Eigen::Index>(k)] = std::sqrt(targets[k].weight) * (m[k] - targets[k].value) / std::abs(targets[k].value);
    }
  };
  c.lm = levenberg_marquardt(residuals, lower, upper, start, options);
  c.fitted.assign(c.lm.x.data(), c.lm.x.data() + n);
  c.fitted_model = model_values(base, parameters, c.fitted, targets, seed);
  return c;
}

std::string format_fit_report(const Calibration& c, const std::string& scenario_name) {
  std::string md = fmt::format("# Calibration of {}\n\n", scenario_name);
  md += fmt::format("Levenberg–Marquardt on relative errors: {} iterations, {} runs; cost ½Σr² = {:.6g}.\n\n",
                    c.lm.iterations, c.lm.evaluations + 1, c.lm.cost);
  md += "| parameter | start | fitted | bounds |\n|---|---|---|---|\n";
  for (std::size_t i = 0; i < c.parameters.size(); ++i) {
    const auto& p = c.parameters[i];
    md += fmt::format("| `{}` | {} | {} | [{}, {}] |\n", p.path, fmt::format("{:.6g}", p.start),
                      fmt::format("{:.6g}", c.fitted[i]), fmt::format("{:.6g}", p.lower), fmt::format("{:.6g}", p.upper));
  }
  md += "\n| quarter | series | record | model at start | model fitted | error |\n|---|---|---|---|---|---|\n";
  double sum_sq = 0.0, worst = 0.0;
  int within = 0;
  for (std::size_t k = 0; k < c.targets.size(); ++k) {
    const Target& t = c.targets[k];
    const double err = (c.fitted_model[k] - t.value) / std::abs(t.value);
    sum_sq += err * err;
    worst = std::max(worst, std::abs(err));
    within += std::abs(err) <= 0.15 ? 1 : 0;
    md += fmt::format("| {} | {} {} {} | {} | {} | {} | {:+.1f}% |\n", t.quarter.str(),
                      entity_kind_names[static_cast<std::size_t>(t.entity_kind)], t.entity, metric_name(t.metric),
                      short_value(t.value), short_value(c.start_model[k]), short_value(c.fitted_model[k]), 100.0 * err);
  }
  const double rms = c.targets.empty() ? 0.0 : std::sqrt(sum_sq / static_cast<double>(c.targets.size()));
  md += fmt::format("\nRMS relative error {:.1f}%, worst {:.1f}%; {} of {} targets within 15%.\n", 100.0 * rms,
                    100.0 * worst, within, c.targets.size());
  return md;
}

namespace {

// A nested YAML mapping built from resolved key paths; list items keep the order they were first
// named in.
struct Node {
  std::string value;                                  // a leaf's value
  std::vector<std::pair<std::string, Node>> keys;     // mapping entries, in order
  std::vector<std::pair<std::string, Node>> items;    // list items by identity, in order
  std::string item_key;                               // for a list: the key naming its items
  Node& key(const std::string& k) {
    for (auto& [name, node] : keys) {
      if (name == k) return node;
    }
    return keys.emplace_back(k, Node{}).second;
  }
  Node& item(const std::string& id) {
    for (auto& [name, node] : items) {
      if (name == id) return node;
    }
    return items.emplace_back(id, Node{}).second;
  }
};

void emit(const Node& node, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  for (const auto& [name, child] : node.keys) {
    if (!child.item_key.empty()) {
      out += pad + name + ":\n";
      for (const auto& [id, item] : child.items) {
        out += pad + "  - " + child.item_key + ": " + id + "\n";
        emit(item, indent + 4, out);
      }
    } else if (!child.keys.empty()) {
      out += pad + name + ":\n";
      emit(child, indent + 2, out);
    } else {
      out += pad + name + ": " + child.value + "\n";
    }
  }
}

}  // namespace

std::string format_overlay_yaml(const Calibration& c, const std::filesystem::path& scenario,
                                const std::filesystem::path& overlay) {
  return format_overlay_yaml(c.parameters, c.fitted, scenario, overlay);
}

std::string format_overlay_yaml(const std::vector<FitParameter>& parameters, const std::vector<double>& fitted,
                                const std::filesystem::path& scenario, const std::filesystem::path& overlay) {
  const ScenarioTemplate base_scenario = template_of(scenario);
  Node root;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    for (const auto& steps : base_scenario.resolve_key_paths(parameters[i].path, {"--params", 0, 0})) {
      Node* at = &root;
      for (const KeyPathStep& step : steps) {
        at = &at->key(step.key);
        if (!step.item_key.empty()) {
          at->item_key = step.item_key;
          at = &at->item(step.item);
        }
      }
      at->value = fmt::format("{}", fitted[i]);
    }
  }
  const auto base = std::filesystem::relative(std::filesystem::absolute(scenario),
                                              std::filesystem::absolute(overlay).parent_path());
  std::string out = "# Fitted by `aidcsim calibrate`: the parameters below, on top of the base scenario.\n";
  out += "extends: " + base.generic_string() + "\n";
  emit(root, 0, out);
  return out;
}

}  // namespace aidc
