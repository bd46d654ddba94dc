#include "aidc/calibrate/calibration.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "aidc/output/run.hpp"
#include "aidc/scenario/loader.hpp"

namespace aidc {

namespace {

// Runs the scenario with `values` and reads every target's series.
std::vector<double> model_values(const std::filesystem::path& scenario, const std::vector<FitParameter>& params,
                                 const std::vector<double>& values, const std::vector<Target>& targets,
                                 std::uint64_t seed) {
  std::vector<std::string> overrides;
  for (std::size_t i = 0; i < params.size(); ++i) overrides.push_back(assignment(params[i], values[i]));
  const ScenarioSpec spec = load_scenario_file(scenario, overrides);
  const RunResult run = run_scenario(spec, seed);
  std::vector<double> out;
  Diagnostics missing;
  for (const auto& t : targets) {
    const auto v = run.recorder.value(t.quarter, t.entity_kind, t.entity, t.metric);
    if (!v) {
      missing.error(t.where, "", "the run has no series " +
                                     std::string(entity_kind_names[static_cast<std::size_t>(t.entity_kind)]) + "/" +
                                     t.entity + "/" + std::string(metric_name(t.metric)) + " in " + t.quarter.str() +
                                     "; expected an entity of the scenario and a quarter it runs");
      out.push_back(0.0);
    } else {
      out.push_back(*v);
    }
  }
  if (missing.has_errors()) throw ScenarioError(missing.all());
  return out;
}

std::string fmt_value(double v) {
  const double a = std::abs(v);
  if (a >= 1e9) return fmt::format("{:.3g}B", v / 1e9);
  if (a >= 1e6) return fmt::format("{:.3g}M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:.3g}k", v / 1e3);
  return fmt::format("{:.4g}", v);
}

}  // namespace

Calibration calibrate(const std::filesystem::path& scenario, const std::vector<FitParameter>& parameters,
                      const std::vector<Target>& targets, std::uint64_t seed, const LmOptions& options) {
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
  c.start_model = model_values(scenario, parameters, values, targets, seed);  // also checks every target exists
  auto residuals = [&](const Eigen::VectorXd& x, Eigen::VectorXd& r) {
    for (Eigen::Index i = 0; i < n; ++i) values[static_cast<std::size_t>(i)] = x[i];
    const std::vector<double> m = model_values(scenario, parameters, values, targets, seed);
    r.resize(static_cast<Eigen::Index>(targets.size()));
    for (std::size_t k = 0; k < targets.size(); ++k) {
      r[static_cast<Eigen::Index>(k)] = std::sqrt(targets[k].weight) * (m[k] - targets[k].value) / std::abs(targets[k].value);
    }
  };
  c.lm = levenberg_marquardt(residuals, lower, upper, start, options);
  c.fitted.assign(c.lm.x.data(), c.lm.x.data() + n);
  c.fitted_model = model_values(scenario, parameters, c.fitted, targets, seed);
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
                      fmt_value(t.value), fmt_value(c.start_model[k]), fmt_value(c.fitted_model[k]), 100.0 * err);
  }
  const double rms = c.targets.empty() ? 0.0 : std::sqrt(sum_sq / static_cast<double>(c.targets.size()));
  md += fmt::format("\nRMS relative error {:.1f}%, worst {:.1f}%; {} of {} targets within 15%.\n", 100.0 * rms,
                    100.0 * worst, within, c.targets.size());
  return md;
}

namespace {

// A nested YAML mapping built from key paths; list items keep the order they were first named in.
struct Node {
  std::string value;                                  // a leaf's value
  std::vector<std::pair<std::string, Node>> keys;     // mapping entries, in order
  std::vector<std::pair<std::string, Node>> items;    // list items by identity, in order
  bool is_list = false;
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

void emit(const Node& node, const std::string& list_name, int indent, std::string& out, bool first_in_item) {
  (void)first_in_item;
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  for (const auto& [name, child] : node.keys) {
    if (child.is_list) {
      out += pad + name + ":\n";
      const std::string id_key = name == "demand" ? "bloc" : "name";
      for (const auto& [id, item] : child.items) {
        out += pad + "  - " + id_key + ": " + id + "\n";
        emit(item, name, indent + 4, out, true);
      }
    } else if (!child.keys.empty()) {
      out += pad + name + ":\n";
      emit(child, list_name, indent + 2, out, false);
    } else {
      out += pad + name + ": " + child.value + "\n";
    }
  }
}

}  // namespace

std::string format_overlay_yaml(const Calibration& c, const std::filesystem::path& scenario,
                                const std::filesystem::path& overlay) {
  Node root;
  for (std::size_t i = 0; i < c.parameters.size(); ++i) {
    Node* at = &root;
    std::string_view path = c.parameters[i].path;
    while (!path.empty()) {
      const auto dot = path.find('.');
      std::string_view segment = path.substr(0, dot);
      path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
      const auto bracket = segment.find('[');
      if (bracket != std::string_view::npos && segment.back() == ']') {
        Node& list = at->key(std::string(segment.substr(0, bracket)));
        list.is_list = true;
        at = &list.item(std::string(segment.substr(bracket + 1, segment.size() - bracket - 2)));
      } else {
        at = &at->key(std::string(segment));
      }
    }
    at->value = fmt::format("{}", c.fitted[i]);
  }
  const auto base = std::filesystem::relative(std::filesystem::absolute(scenario),
                                              std::filesystem::absolute(overlay).parent_path());
  std::string out = "# Fitted by `aidcsim calibrate`: the parameters below, on top of the base scenario.\n";
  out += "extends: " + base.generic_string() + "\n";
  emit(root, "", 0, out, false);
  return out;
}

}  // namespace aidc
