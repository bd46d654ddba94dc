#include "aidc/sweep/sweep_spec.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "aidc/model/metric.hpp"

namespace aidc::sweep {

const char* design_name(Design d) noexcept {
  switch (d) {
    case Design::grid: return "grid";
    case Design::monte_carlo: return "monte_carlo";
    case Design::latin_hypercube: return "latin_hypercube";
    case Design::saltelli: return "saltelli";
    case Design::morris: return "morris";
  }
  return "?";
}

namespace {

const std::vector<std::string> top_keys = {"scenario", "set", "seed", "design", "samples", "levels",
                                           "replications", "parameters", "correlations", "outputs"};
const std::vector<std::string> parameter_keys = {"path", "values", "range", "distribution", "min", "max", "mode",
                                                 "mean", "sd", "median", "sigma", "weights", "unit"};
const std::vector<std::string> design_names = {"grid", "monte_carlo", "latin_hypercube", "saltelli", "morris"};
const std::vector<std::string> distribution_names = {"uniform", "normal", "lognormal", "triangular", "discrete"};

// Reads one sweep file, collecting every problem with its place.
class Reader {
 public:
  Reader(std::string source) : source_(std::move(source)) {}

  SourceLocation at(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    if (m.is_null()) return {source_, 0, 0};
    return {source_, m.line + 1, m.column + 1};
  }
  void error(const YAML::Node& n, const std::string& path, const std::string& message) {
    diags_.error(at(n), path, message);
  }
  Diagnostics& diags() { return diags_; }

  //! Reports keys of `map` that are not in `known`.
  void check_keys(const YAML::Node& map, const std::string& prefix, const std::vector<std::string>& known) {
    std::map<std::string, int> seen;
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      const std::string path = prefix.empty() ? key : prefix + "." + key;
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        error(kv.first, path, "unknown key '" + key + "' " + suggest(key, known));
      } else if (seen[key]++ > 0) {
        error(kv.first, path, "key '" + key + "' is given twice; expected it once");
      }
    }
  }

  std::optional<double> number(const YAML::Node& n, const std::string& path) {
    if (!n.IsScalar()) {
      error(n, path, "expected a number");
      return std::nullopt;
    }
    const std::string& s = n.Scalar();
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
      error(n, path, "'" + s + "' is not a number; expected a plain number such as 0.5 or 2e6");
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::uint64_t> count(const YAML::Node& n, const std::string& path, std::uint64_t min) {
    const auto v = number(n, path);
    if (!v) return std::nullopt;
    if (*v < static_cast<double>(min) || *v != std::floor(*v) || *v > 1e15) {
      error(n, path, fmt::format("{} is not allowed; expected a whole number of at least {}", *v, min));
      return std::nullopt;
    }
    return static_cast<std::uint64_t>(*v);
  }

  std::vector<std::string> strings(const YAML::Node& n, const std::string& path) {
    std::vector<std::string> out;
    if (!n.IsSequence()) {
      error(n, path, "expected a list, e.g. [a, b]");
      return out;
    }
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (!n[i].IsScalar()) {
        error(n[i], path + "[" + std::to_string(i) + "]", "expected a plain value");
        continue;
      }
      out.push_back(n[i].Scalar());
    }
    return out;
  }

 private:
  std::string source_;
  Diagnostics diags_;
};

std::string format_number(double v) { return fmt::format("{}", v); }

void read_range(Reader& r, const YAML::Node& n, const std::string& path, SweepParameter& p) {
  if (!n.IsMap()) {
    r.error(n, path, "expected {from: A, to: B, step: S} or {from: A, to: B, count: N}");
    return;
  }
  r.check_keys(n, path, {"from", "to", "step", "count"});
  if (!n["from"] || !n["to"] || (!n["step"] == !n["count"])) {
    r.error(n, path, "expected from, to and one of step or count");
    return;
  }
  const auto from = r.number(n["from"], path + ".from");
  const auto to = r.number(n["to"], path + ".to");
  if (!from || !to) return;
  if (n["count"]) {
    const auto c = r.count(n["count"], path + ".count", 1);
    if (!c) return;
    if (*c > 100000) return r.error(n["count"], path + ".count", "at most 100000 values are allowed");
    for (std::uint64_t i = 0; i < *c; ++i) {
      const double v = *c == 1 ? *from : *from + (*to - *from) * static_cast<double>(i) / static_cast<double>(*c - 1);
      p.values.push_back(format_number(v));
    }
    return;
  }
  const auto step = r.number(n["step"], path + ".step");
  if (!step) return;
  if (*step <= 0.0 || *to < *from) return r.error(n, path, "expected from ≤ to and a positive step");
  const double steps = std::floor((*to - *from) / *step * (1 + 1e-12) + 1e-9);
  if (steps > 100000) return r.error(n["step"], path + ".step", "the range has more than 100000 values");
  for (int i = 0; i <= static_cast<int>(steps); ++i) p.values.push_back(format_number(*from + *step * i));
}

void read_distribution(Reader& r, const YAML::Node& n, const std::string& path, SweepParameter& p) {
  const YAML::Node d = n["distribution"];
  if (!d.IsScalar()) return r.error(d, path + ".distribution", "expected one of uniform, normal, lognormal, triangular, discrete");
  const std::string kind = d.Scalar();
  auto need = [&](const char* key) -> std::optional<double> {
    if (!n[key]) {
      r.error(n, path, "a " + kind + " distribution needs '" + key + "'");
      return std::nullopt;
    }
    return r.number(n[key], path + "." + key);
  };
  Distribution& dist = p.distribution;
  if (kind == "uniform" || kind == "triangular") {
    dist.kind = kind == "uniform" ? Distribution::Kind::uniform : Distribution::Kind::triangular;
    const auto lo = need("min"), hi = need("max");
    const auto mode = kind == "triangular" ? need("mode") : lo;
    if (!lo || !hi || !mode) return;
    dist.min = *lo, dist.max = *hi, dist.mode = *mode;
    if (!(*lo < *hi)) r.error(n["max"], path + ".max", "expected max above min");
    else if (*mode < *lo || *mode > *hi) r.error(n["mode"], path + ".mode", "expected a mode between min and max");
  } else if (kind == "normal") {
    dist.kind = Distribution::Kind::normal;
    const auto mean = need("mean"), sd = need("sd");
    if (!mean || !sd) return;
    dist.mean = *mean, dist.sd = *sd;
    if (!(*sd > 0)) r.error(n["sd"], path + ".sd", "expected a positive standard deviation");
  } else if (kind == "lognormal") {
    dist.kind = Distribution::Kind::lognormal;
    const auto median = need("median"), sigma = need("sigma");
    if (!median || !sigma) return;
    dist.median = *median, dist.sigma = *sigma;
    if (!(*median > 0)) r.error(n["median"], path + ".median", "expected a positive median");
    if (!(*sigma > 0)) r.error(n["sigma"], path + ".sigma", "expected a positive log-space standard deviation");
  } else if (kind == "discrete") {
    dist.kind = Distribution::Kind::discrete;
    if (p.values.empty()) return r.error(n, path, "a discrete distribution needs 'values'");
    if (n["weights"]) {
      const YAML::Node w = n["weights"];
      if (!w.IsSequence() || w.size() != p.values.size()) {
        return r.error(w, path + ".weights", fmt::format("expected a list of {} weights, one per value", p.values.size()));
      }
      double total = 0.0;
      for (std::size_t i = 0; i < w.size(); ++i) {
        const auto v = r.number(w[i], fmt::format("{}.weights[{}]", path, i));
        if (!v) return;
        if (*v < 0) return r.error(w[i], fmt::format("{}.weights[{}]", path, i), "expected a weight ≥ 0");
        dist.weights.push_back(*v);
        total += *v;
      }
      if (!(total > 0)) r.error(w, path + ".weights", "expected at least one positive weight");
    }
  } else {
    r.error(d, path + ".distribution", "unknown distribution '" + kind + "' " + suggest(kind, distribution_names));
    return;  // its other keys cannot be judged
  }
  const char* extra[] = {"min", "max", "mode", "mean", "sd", "median", "sigma", "weights"};
  for (const char* key : extra) {
    const std::string k = key;
    const bool used = ((kind == "uniform" || kind == "triangular") && (k == "min" || k == "max")) ||
                      (kind == "triangular" && k == "mode") || (kind == "normal" && (k == "mean" || k == "sd")) ||
                      (kind == "lognormal" && (k == "median" || k == "sigma")) || (kind == "discrete" && k == "weights");
    if (n[key] && !used) r.error(n[key], path + "." + k, "'" + k + "' does not apply to a " + kind + " distribution");
  }
}

SweepParameter read_parameter(Reader& r, const YAML::Node& n, const std::string& path) {
  SweepParameter p;
  p.where = r.at(n);
  if (!n.IsMap()) {
    r.error(n, path, "expected a mapping with 'path' and one of values, range or distribution");
    return p;
  }
  r.check_keys(n, path, parameter_keys);
  if (!n["path"] || !n["path"].IsScalar() || n["path"].Scalar().empty()) {
    r.error(n, path + ".path", "missing 'path': the scenario key path to vary, e.g. demand[us].base");
  } else {
    p.path = n["path"].Scalar();
    if (p.path.find('=') != std::string::npos) r.error(n["path"], path + ".path", "expected a key path without '='");
  }
  const int sources = (n["values"] && !n["distribution"] ? 1 : 0) + (n["range"] ? 1 : 0) + (n["distribution"] ? 1 : 0);
  if (sources != 1) {
    r.error(n, path, "expected exactly one of 'values', 'range' or 'distribution'");
    return p;
  }
  if (n["values"]) {
    p.values = r.strings(n["values"], path + ".values");
    if (p.values.empty() && n["values"].IsSequence()) r.error(n["values"], path + ".values", "expected at least one value");
  }
  if (n["range"]) read_range(r, n["range"], path + ".range", p);
  if (n["distribution"]) read_distribution(r, n, path, p);
  if (n["unit"]) {
    if (!n["unit"].IsScalar()) r.error(n["unit"], path + ".unit", "expected a unit such as GW or $/MWh");
    else p.unit = n["unit"].Scalar();
  }
  return p;
}

}  // namespace

SweepSpec load_sweep_text(const std::string& text, const std::string& source) {
  Reader r(source);
  SweepSpec spec;
  spec.source = source;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    r.diags().error({source, e.mark.line + 1, e.mark.column + 1}, "", "not valid YAML: " + e.msg);
    throw ScenarioError(r.diags().all());
  }
  if (!root.IsMap()) {
    r.diags().error({source, 1, 1}, "", "expected a mapping with keys such as scenario, design, parameters");
    throw ScenarioError(r.diags().all());
  }
  r.check_keys(root, "", top_keys);
  if (root["scenario"]) {
    if (!root["scenario"].IsScalar()) r.error(root["scenario"], "scenario", "expected the path of a scenario file");
    else {
      const std::filesystem::path p = root["scenario"].Scalar();
      spec.scenario = p.is_absolute() ? p : std::filesystem::path(source).parent_path() / p;
    }
  }
  if (root["set"]) {
    spec.overrides = r.strings(root["set"], "set");
    for (std::size_t i = 0; root["set"].IsSequence() && i < root["set"].size(); ++i) {
      if (root["set"][i].IsScalar()) spec.overrides_at.push_back(r.at(root["set"][i]));
    }
  }
  if (root["seed"]) {
    if (auto v = r.count(root["seed"], "seed", 0)) spec.seed = *v;
  }
  if (!root["design"]) {
    r.error(root, "design", "missing 'design'; expected one of grid, monte_carlo, latin_hypercube, saltelli, morris");
  } else {
    const std::string d = root["design"].IsScalar() ? root["design"].Scalar() : "";
    const auto it = std::find(design_names.begin(), design_names.end(), d);
    if (it == design_names.end()) r.error(root["design"], "design", "unknown design '" + d + "' " + suggest(d, design_names));
    else spec.design = static_cast<Design>(it - design_names.begin());
    spec.size_at = r.at(root["design"]);
  }
  if (root["samples"]) {
    if (auto v = r.count(root["samples"], "samples", 1)) spec.samples = *v;
    spec.size_at = r.at(root["samples"]);
  }
  if (spec.design != Design::grid && !root["samples"] && root["design"]) {
    r.error(root["design"], "samples", std::string("a ") + design_name(spec.design) + " design needs 'samples'");
  }
  if (spec.design == Design::grid && root["samples"]) {
    r.error(root["samples"], "samples", "a grid design runs every combination; 'samples' does not apply");
  }
  if (root["levels"]) {
    if (auto v = r.count(root["levels"], "levels", 2); v && *v > max_morris_levels) {
      r.error(root["levels"], "levels", fmt::format("{} is not allowed; expected a whole number from 2 to {}", *v, max_morris_levels));
    } else if (v) {
      spec.morris_levels = static_cast<int>(*v);
    }
    if (spec.design != Design::morris) r.error(root["levels"], "levels", "'levels' applies to the morris design only");
  }
  if (root["replications"]) {
    if (auto v = r.count(root["replications"], "replications", 1)) spec.replications = *v;
  }
  const YAML::Node params = root["parameters"];
  if (!params || !params.IsSequence() || params.size() == 0) {
    r.error(params ? params : root, "parameters", "expected a list of at least one parameter");
  } else {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string path = "parameters[" + std::to_string(i) + "]";
      SweepParameter p = read_parameter(r, params[i], path);
      for (const auto& q : spec.parameters) {
        if (!p.path.empty() && q.path == p.path) r.error(params[i]["path"], path + ".path", "'" + p.path + "' is varied twice");
      }
      if (spec.design == Design::grid && p.distribution.kind != Distribution::Kind::none &&
          p.distribution.kind != Distribution::Kind::discrete) {
        r.error(params[i]["distribution"], path + ".distribution",
                "a grid design needs values or a range; a distribution needs a sampling design (monte_carlo, latin_hypercube, saltelli, morris)");
      }
      spec.parameters.push_back(std::move(p));
    }
  }
  if (root["correlations"]) {
    const YAML::Node c = root["correlations"];
    if (!c.IsSequence()) r.error(c, "correlations", "expected a list of {between: [path, path], rho: R}");
    for (std::size_t i = 0; c.IsSequence() && i < c.size(); ++i) {
      const std::string path = "correlations[" + std::to_string(i) + "]";
      const YAML::Node item = c[i];
      if (!item.IsMap() || !item["between"] || !item["rho"]) {
        r.error(item, path, "expected {between: [path, path], rho: R}");
        continue;
      }
      r.check_keys(item, path, {"between", "rho"});
      const auto between = r.strings(item["between"], path + ".between");
      const auto rho = r.number(item["rho"], path + ".rho");
      if (between.size() != 2) {
        r.error(item["between"], path + ".between", "expected two parameter paths");
        continue;
      }
      RankCorrelation rc;
      rc.where = r.at(item);
      std::vector<std::string> known;
      for (const auto& p : spec.parameters) known.push_back(p.path);
      bool ok = true;
      for (int k = 0; k < 2; ++k) {
        const auto it = std::find(known.begin(), known.end(), between[static_cast<std::size_t>(k)]);
        if (it == known.end()) {
          r.error(item["between"][k], path + ".between", "'" + between[static_cast<std::size_t>(k)] + "' is not a varied parameter " +
                                                          suggest(between[static_cast<std::size_t>(k)], known));
          ok = false;
        } else {
          (k == 0 ? rc.first : rc.second) = static_cast<std::size_t>(it - known.begin());
        }
      }
      if (rho && (*rho <= -1 || *rho >= 1)) r.error(item["rho"], path + ".rho", "expected a correlation strictly between -1 and 1");
      if (ok && rc.first == rc.second) r.error(item["between"], path + ".between", "expected two different parameters");
      if (spec.design == Design::grid || spec.design == Design::saltelli || spec.design == Design::morris) {
        r.error(item, path, "rank correlations apply to monte_carlo and latin_hypercube designs only");
      }
      if (ok && rho) spec.correlations.push_back({rc.first, rc.second, *rho, rc.where});
    }
  }
  if (root["outputs"]) {
    const YAML::Node o = root["outputs"];
    if (!o.IsMap()) r.error(o, "outputs", "expected {series: [metric, …], kpis: [kpi, …]}");
    else {
      r.check_keys(o, "outputs", {"series", "kpis"});
      std::vector<std::string> metrics;
      for (std::size_t m = 0; m < metric_count; ++m) metrics.emplace_back(metric_name(static_cast<Metric>(m)));
      if (o["series"]) {
        spec.series_metrics = r.strings(o["series"], "outputs.series");
        for (std::size_t i = 0; i < spec.series_metrics.size(); ++i) {
          const auto& name = spec.series_metrics[i];
          if (name != "all" && std::find(metrics.begin(), metrics.end(), name) == metrics.end()) {
            r.error(o["series"][i], "outputs.series[" + std::to_string(i) + "]", "unknown metric '" + name + "' " + suggest(name, metrics));
          }
        }
      }
      if (o["kpis"]) spec.kpis = r.strings(o["kpis"], "outputs.kpis");
    }
  }
  if (r.diags().has_errors()) throw ScenarioError(r.diags().all());
  return spec;
}

SweepSpec load_sweep_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) {
    throw_scenario_error({path.string(), 0, 0}, "", "cannot read the sweep file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_sweep_text(text.str(), path.string());
}

}  // namespace aidc::sweep
