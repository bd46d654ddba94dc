#include "aidc/sweep/sweep_spec.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "aidc/model/metric.hpp"
#include "aidc/sweep/kpi.hpp"
#include "aidc/sweep/sobol.hpp"
#include "aidc/text/key_path.hpp"
#include "aidc/text/limits.hpp"
#include "aidc/text/text_file.hpp"
#include "aidc/text/yaml_document.hpp"
#include "aidc/text/number.hpp"

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

constexpr std::string_view top_key_names[] = {"scenario",   "set",        "seed",         "seeds",  "design",
                                              "samples",    "levels",     "replications", "replicates", "parameters",
                                              "correlations", "outputs"};
const std::vector<std::string> top_keys(std::begin(top_key_names), std::end(top_key_names));
const std::vector<std::string> parameter_keys = {"path", "paths", "name", "values", "range", "distribution",
                                                 "min",  "max",   "mode", "mean",   "sd",    "median",
                                                 "sigma", "weights", "unit", "whole"};
const std::vector<std::string> design_names = {"grid", "monte_carlo", "latin_hypercube", "saltelli", "morris"};
const std::vector<std::string> distribution_names = {"uniform", "normal", "lognormal", "triangular", "discrete"};

// Reads one sweep file, collecting every problem with its place.
class Reader {
 public:
  Reader(std::string source) : source_(std::move(source)) {}

  SourceLocation at(const Tree& n) const {
    if (!n.is_defined() || n.where().file.empty()) return {source_, 0, 0};
    return n.where();
  }
  void error(const Tree& n, const std::string& path, const std::string& message) {
    diags_.error(at(n), path, message);
  }
  Diagnostics& diags() { return diags_; }

  //! Reports keys of `map` that are not in `known`.
  void check_keys(const Tree& map, const std::string& prefix, const std::vector<std::string>& known) {
    std::map<std::string, int> seen;
    for (const auto& kv : map.entries()) {
      const std::string key = kv.first.scalar();
      const std::string path = prefix.empty() ? key : prefix + "." + key;
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        error(kv.first, path, "unknown key '" + key + "' " + suggest(key, known));
      } else if (seen[key]++ > 0) {
        error(kv.first, path, "key '" + key + "' is given twice; expected it once");
      }
    }
  }

  std::optional<double> number(const Tree& n, const std::string& path) {
    if (!n.is_scalar()) {
      error(n, path, "expected a number");
      return std::nullopt;
    }
    const auto v = parse_number(n.scalar());
    if (!v) error(n, path, "'" + n.scalar() + "' is not a number; expected a number such as 0.5, 2e6 or 221k");
    return v;
  }

  std::optional<std::uint64_t> count(const Tree& n, const std::string& path, std::uint64_t min) {
    const auto v = number(n, path);
    if (!v) return std::nullopt;
    if (*v < static_cast<double>(min) || *v != std::floor(*v) || *v > 1e15) {
      error(n, path, fmt::format("{} is not allowed; expected a whole number of at least {}", *v, min));
      return std::nullopt;
    }
    return static_cast<std::uint64_t>(*v);
  }

  std::vector<std::string> strings(const Tree& n, const std::string& path) {
    std::vector<std::string> out;
    if (!n.is_sequence()) {
      error(n, path, "expected a list, e.g. [a, b]");
      return out;
    }
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (!n[i].is_scalar()) {
        error(n[i], path + "[" + std::to_string(i) + "]", "expected a plain value");
        continue;
      }
      out.push_back(n[i].scalar());
    }
    return out;
  }

 private:
  std::string source_;
  Diagnostics diags_;
};

std::string format_number(double v) { return fmt::format("{}", v); }

std::string with_space(const std::string& s) { return s.empty() ? s : " " + s; }

void read_range(Reader& r, const Tree& n, const std::string& path, SweepParameter& p) {
  if (!n.is_map()) {
    r.error(n, path, "expected {from: A, to: B, step: S} or {from: A, to: B, count: N}");
    return;
  }
  r.check_keys(n, path, {"from", "to", "step", "count"});
  if (!n.child("from") || !n.child("to") || (!n.child("step") == !n.child("count"))) {
    r.error(n, path, "expected from, to and one of step or count");
    return;
  }
  const auto from = r.number(n.child("from"), path + ".from");
  const auto to = r.number(n.child("to"), path + ".to");
  if (!from || !to) return;
  if (n.child("count")) {
    const auto c = r.count(n.child("count"), path + ".count", 1);
    if (!c) return;
    if (*c > 100000) return r.error(n.child("count"), path + ".count", "at most 100000 values are allowed");
    for (std::uint64_t i = 0; i < *c; ++i) {
      const double v = *c == 1 ? *from : *from + (*to - *from) * static_cast<double>(i) / static_cast<double>(*c - 1);
      p.values.push_back(format_number(v));
    }
    return;
  }
  const auto step = r.number(n.child("step"), path + ".step");
  if (!step) return;
  if (*step <= 0.0 || *to < *from) return r.error(n, path, "expected from ≤ to and a positive step");
  const double steps = std::floor((*to - *from) / *step * (1 + 1e-12) + 1e-9);
  if (steps > 100000) return r.error(n.child("step"), path + ".step", "the range has more than 100000 values");
  for (int i = 0; i <= static_cast<int>(steps); ++i) p.values.push_back(format_number(*from + *step * i));
}

// The optional bounds of a normal or lognormal distribution (`min`, `max`): a truncation.
void read_truncation(Reader& r, const Tree& n, const std::string& path, Distribution& dist, double support_min) {
  if (n.child("min")) {
    if (const auto v = r.number(n.child("min"), path + ".min")) {
      dist.min = *v;
      dist.truncated_below = *v > support_min;
    }
  }
  if (n.child("max")) {
    if (const auto v = r.number(n.child("max"), path + ".max")) {
      dist.max = *v;
      dist.truncated_above = true;
      if (dist.truncated_below && !(dist.min < dist.max)) r.error(n.child("max"), path + ".max", "expected max above min");
      else if (!(dist.max > support_min)) r.error(n.child("max"), path + ".max", "expected max above 0");
    }
  }
}

void read_distribution(Reader& r, const Tree& n, const std::string& path, SweepParameter& p) {
  const Tree d = n.child("distribution");
  if (!d.is_scalar()) return r.error(d, path + ".distribution", "expected one of uniform, normal, lognormal, triangular, discrete");
  const std::string kind = d.scalar();
  auto need = [&](const char* key) -> std::optional<double> {
    if (!n.child(key)) {
      r.error(n, path, "a " + kind + " distribution needs '" + key + "'");
      return std::nullopt;
    }
    return r.number(n.child(key), path + "." + key);
  };
  Distribution& dist = p.distribution;
  if (kind == "uniform" || kind == "triangular") {
    dist.kind = kind == "uniform" ? Distribution::Kind::uniform : Distribution::Kind::triangular;
    const auto lo = need("min"), hi = need("max");
    const auto mode = kind == "triangular" ? need("mode") : lo;
    if (!lo || !hi || !mode) return;
    dist.min = *lo, dist.max = *hi, dist.mode = *mode;
    if (!(*lo < *hi)) r.error(n.child("max"), path + ".max", "expected max above min");
    else if (*mode < *lo || *mode > *hi) r.error(n.child("mode"), path + ".mode", "expected a mode between min and max");
  } else if (kind == "normal") {
    dist.kind = Distribution::Kind::normal;
    const auto mean = need("mean"), sd = need("sd");
    if (!mean || !sd) return;
    dist.mean = *mean, dist.sd = *sd;
    if (!(*sd > 0)) r.error(n.child("sd"), path + ".sd", "expected a positive standard deviation");
    read_truncation(r, n, path, dist, -INFINITY);
  } else if (kind == "lognormal") {
    dist.kind = Distribution::Kind::lognormal;
    const auto median = need("median"), sigma = need("sigma");
    if (!median || !sigma) return;
    dist.median = *median, dist.sigma = *sigma;
    if (!(*median > 0)) r.error(n.child("median"), path + ".median", "expected a positive median");
    if (!(*sigma > 0)) r.error(n.child("sigma"), path + ".sigma", "expected a positive log-space standard deviation");
    read_truncation(r, n, path, dist, 0.0);
  } else if (kind == "discrete") {
    dist.kind = Distribution::Kind::discrete;
    if (p.values.empty()) return r.error(n, path, "a discrete distribution needs 'values'");
    if (n.child("weights")) {
      const Tree w = n.child("weights");
      if (!w.is_sequence() || w.size() != p.values.size()) {
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
    const bool used = ((kind == "uniform" || kind == "triangular" || kind == "normal" || kind == "lognormal") &&
                       (k == "min" || k == "max")) ||
                      (kind == "triangular" && k == "mode") || (kind == "normal" && (k == "mean" || k == "sd")) ||
                      (kind == "lognormal" && (k == "median" || k == "sigma")) || (kind == "discrete" && k == "weights");
    if (n.child(key) && !used) r.error(n.child(key), path + "." + k, "'" + k + "' does not apply to a " + kind + " distribution");
  }
}

SweepParameter read_parameter(Reader& r, const Tree& n, const std::string& path) {
  SweepParameter p;
  p.where = r.at(n);
  if (!n.is_map()) {
    r.error(n, path, "expected a mapping with 'path' and one of values, range or distribution");
    return p;
  }
  r.check_keys(n, path, parameter_keys);
  const auto add_path = [&](const Tree& t, const std::string& key) {
    if (!t.is_scalar() || t.scalar().empty()) {
      r.error(t, key, "expected a scenario key path, e.g. demand[us].base or agents[kind=hyperscaler].cash");
      return;
    }
    if (assignment_split(t.scalar()) != std::string::npos) {
      r.error(t, key,
              "expected a key path without '=' outside brackets (the values come from values, range or distribution)");
    }
    p.paths.push_back(t.scalar());
    p.paths_at.push_back(r.at(t));
  };
  if (n.child("path") && n.child("paths")) {
    r.error(n.child("paths"), path + ".paths",
            "expected one of 'path' (one key path) or 'paths' (several, tied to one value)");
  } else if (n.child("path")) {
    add_path(n.child("path"), path + ".path");
    p.path_at = r.at(n.child("path"));
  } else if (n.child("paths")) {
    const Tree list = n.child("paths");
    if (!list.is_sequence() || list.size() == 0) {
      r.error(list, path + ".paths",
              "expected a list of key paths that take the same value, one per line (`- demand[us].growth`)");
    }
    for (std::size_t i = 0; list.is_sequence() && i < list.size(); ++i) {
      add_path(list[i], path + ".paths[" + std::to_string(i) + "]");
    }
    p.path_at = r.at(list);
  } else {
    r.error(n, path + ".path", "missing 'path': the scenario key path to vary, e.g. demand[us].base");
  }
  if (n.child("name")) {
    if (!n.child("name").is_scalar() || n.child("name").scalar().empty()) {
      r.error(n.child("name"), path + ".name", "expected a name for the parameter's column");
    } else {
      p.path = n.child("name").scalar();
    }
  } else {
    for (const auto& q : p.paths) p.path += (p.path.empty() ? "" : " + ") + q;
  }
  const int sources = (n.child("values") && !n.child("distribution") ? 1 : 0) + (n.child("range") ? 1 : 0) + (n.child("distribution") ? 1 : 0);
  if (sources != 1) {
    r.error(n, path, "expected exactly one of 'values', 'range' or 'distribution'");
    return p;
  }
  if (n.child("values")) {
    p.values = r.strings(n.child("values"), path + ".values");
    if (p.values.empty() && n.child("values").is_sequence()) r.error(n.child("values"), path + ".values", "expected at least one value");
  }
  if (n.child("range")) read_range(r, n.child("range"), path + ".range", p);
  if (n.child("distribution")) read_distribution(r, n, path, p);
  for (const char* key : {"values", "range", "distribution"}) {
    if (n.child(key) && p.values_at.line == 0) p.values_at = r.at(n.child(key));
  }
  if (n.child("whole")) {
    const Tree w = n.child("whole");
    if (!w.is_scalar() || (w.scalar() != "true" && w.scalar() != "false")) r.error(w, path + ".whole", "expected true or false");
    else p.distribution.whole = w.scalar() == "true";
    if (p.distribution.whole && (p.distribution.kind == Distribution::Kind::none || p.distribution.kind == Distribution::Kind::discrete)) {
      r.error(w, path + ".whole", "'whole' applies to uniform, normal, lognormal and triangular distributions; values are used as written");
    }
  }
  if (n.child("unit")) {
    if (!n.child("unit").is_scalar()) r.error(n.child("unit"), path + ".unit", "expected a unit such as GW or $/MWh");
    else p.unit = n.child("unit").scalar();
  }
  return p;
}

}  // namespace

SweepSpec load_sweep_text(const std::string& text, const std::string& source) {
  Reader r(source);
  SweepSpec spec;
  spec.source = source;
  static constexpr YamlDocumentKind sweep_file{"sweep", "sweep files", "scenario, design, parameters", top_key_names,
                                               std::size(top_key_names)};
  const Tree root = parse_yaml_document(text, source, r.diags(), sweep_file);
  r.check_keys(root, "", top_keys);
  if (root.child("scenario")) {
    if (!root.child("scenario").is_scalar()) r.error(root.child("scenario"), "scenario", "expected the path of a scenario file");
    else {
      const std::filesystem::path p = root.child("scenario").scalar();
      spec.scenario = p.is_absolute() ? p : std::filesystem::path(source).parent_path() / p;
    }
  }
  if (root.child("set")) {
    spec.overrides = r.strings(root.child("set"), "set");
    const Tree set = root.child("set");
    for (std::size_t i = 0; set.is_sequence() && i < set.size(); ++i) {
      if (set[i].is_scalar()) spec.overrides_at.push_back(r.at(set[i]));
    }
  }
  if (root.child("seed")) {
    if (auto v = r.count(root.child("seed"), "seed", 0)) spec.seed = *v;
  }
  if (!root.child("design")) {
    r.error(root, "design", "missing 'design'; expected one of grid, monte_carlo, latin_hypercube, saltelli, morris");
  } else {
    const std::string d = root.child("design").is_scalar() ? root.child("design").scalar() : "";
    const auto it = std::find(design_names.begin(), design_names.end(), d);
    if (it == design_names.end()) r.error(root.child("design"), "design", "unknown design '" + d + "' " + suggest(d, design_names));
    else spec.design = static_cast<Design>(it - design_names.begin());
    spec.size_at = r.at(root.child("design"));
  }
  if (root.child("samples")) {
    if (auto v = r.count(root.child("samples"), "samples", 1)) spec.samples = *v;
    spec.size_at = r.at(root.child("samples"));
  }
  if (spec.design != Design::grid && !root.child("samples") && root.child("design")) {
    r.error(root.child("design"), "samples", std::string("a ") + design_name(spec.design) + " design needs 'samples'");
  }
  if (spec.design == Design::grid && root.child("samples")) {
    r.error(root.child("samples"), "samples", "a grid design runs every combination; 'samples' does not apply");
  }
  if (root.child("levels")) {
    if (auto v = r.count(root.child("levels"), "levels", 2); v && *v > max_morris_levels) {
      r.error(root.child("levels"), "levels",
              fmt::format("{} is not allowed; expected a whole number from 2 to {}", *v, max_morris_levels));
    } else if (v) {
      spec.morris_levels = static_cast<int>(*v);
    }
    if (spec.design != Design::morris) r.error(root.child("levels"), "levels", "'levels' applies to the morris design only");
  }
  if (root.child("replications") && root.child("replicates")) {
    r.error(root.child("replicates"), "replicates", "'replicates' and 'replications' are the same; expected one of them");
  }
  for (const char* key : {"replications", "replicates"}) {
    if (root.child(key)) {
      if (auto v = r.count(root.child(key), key, 1)) spec.replications = *v;
    }
  }
  if (root.child("seeds")) {
    const Tree s = root.child("seeds");
    const std::string v = s.is_scalar() ? s.scalar() : "";
    if (v == "common") spec.common_random_numbers = true;
    else if (v == "independent") spec.common_random_numbers = false;
    else r.error(s, "seeds", "unknown seeding '" + v + "'" + with_space(suggest(v, {"common", "independent"})) +
                      "; expected common (the same seeds at every design point) or independent (every run its own seed)");
  }
  const Tree params = root.child("parameters");
  if (!params || !params.is_sequence() || params.size() == 0) {
    r.error(params ? params : root, "parameters", "expected a list of at least one parameter");
  } else {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string path = "parameters[" + std::to_string(i) + "]";
      SweepParameter p = read_parameter(r, params[i], path);
      for (const auto& q : spec.parameters) {
        if (!p.path.empty() && q.path == p.path) {
          const Tree named = params[i].child("name") ? params[i].child("name") : params[i].child("path");
          r.error(named ? named : params[i], path, "'" + p.path + "' is varied twice");
        }
        for (std::size_t j = 0; j < p.paths.size(); ++j) {
          if (std::find(q.paths.begin(), q.paths.end(), p.paths[j]) != q.paths.end() && q.path != p.path) {
            r.error(params[i], path, "'" + p.paths[j] + "' is already varied by '" + q.path + "'");
          }
        }
      }
      if (spec.design == Design::grid && p.distribution.kind != Distribution::Kind::none &&
          p.distribution.kind != Distribution::Kind::discrete) {
        r.error(params[i].child("distribution"), path + ".distribution",
                "a grid design needs values or a range; a distribution needs a sampling design (monte_carlo, latin_hypercube, saltelli, morris)");
      }
      spec.parameters.push_back(std::move(p));
    }
  }
  if (spec.design == Design::saltelli && spec.parameters.size() > SobolSequence::max_dimensions / 2) {
    r.error(params, "parameters",
            fmt::format("a saltelli design takes at most {} parameters (its Sobol sequence has {} dimensions); "
                        "expected fewer, or tie related ones together with `paths:`, or a morris design to screen them",
                        SobolSequence::max_dimensions / 2, SobolSequence::max_dimensions));
  }
  if (root.child("correlations")) {
    const Tree c = root.child("correlations");
    if (!c.is_sequence()) r.error(c, "correlations", "expected a list of {between: [path, path], rho: R}");
    for (std::size_t i = 0; c.is_sequence() && i < c.size(); ++i) {
      const std::string path = "correlations[" + std::to_string(i) + "]";
      const Tree item = c[i];
      if (!item.is_map() || !item.child("between") || !item.child("rho")) {
        r.error(item, path, "expected {between: [path, path], rho: R}");
        continue;
      }
      r.check_keys(item, path, {"between", "rho"});
      const auto between = r.strings(item.child("between"), path + ".between");
      const auto rho = r.number(item.child("rho"), path + ".rho");
      if (between.size() != 2) {
        r.error(item.child("between"), path + ".between", "expected two parameter paths");
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
          r.error(item.child("between")[static_cast<std::size_t>(k)], path + ".between", "'" + between[static_cast<std::size_t>(k)] + "' is not a varied parameter " +
                                                          suggest(between[static_cast<std::size_t>(k)], known));
          ok = false;
        } else {
          (k == 0 ? rc.first : rc.second) = static_cast<std::size_t>(it - known.begin());
        }
      }
      if (rho && (*rho <= -1 || *rho >= 1)) r.error(item.child("rho"), path + ".rho", "expected a correlation strictly between -1 and 1");
      if (ok && rc.first == rc.second) r.error(item.child("between"), path + ".between", "expected two different parameters");
      if (spec.design == Design::grid || spec.design == Design::saltelli || spec.design == Design::morris) {
        r.error(item, path, "rank correlations apply to monte_carlo and latin_hypercube designs only");
      }
      if (ok && rho) spec.correlations.push_back({rc.first, rc.second, *rho, rc.where});
    }
  }
  if (root.child("outputs")) {
    const Tree o = root.child("outputs");
    if (!o.is_map()) r.error(o, "outputs", "expected {series: [metric, …], kpis: [kpi, …]}");
    else {
      r.check_keys(o, "outputs", {"series", "kpis"});
      std::vector<std::string> metrics;
      for (std::size_t m = 0; m < metric_count; ++m) metrics.emplace_back(metric_name(static_cast<Metric>(m)));
      if (o.child("series")) {
        spec.series_metrics = r.strings(o.child("series"), "outputs.series");
        for (std::size_t i = 0; i < spec.series_metrics.size(); ++i) {
          const auto& name = spec.series_metrics[i];
          if (name != "all" && std::find(metrics.begin(), metrics.end(), name) == metrics.end()) {
            r.error(o.child("series")[i], "outputs.series[" + std::to_string(i) + "]", "unknown metric '" + name + "' " + suggest(name, metrics));
          }
        }
      }
      if (o.child("kpis")) {
        spec.kpis = r.strings(o.child("kpis"), "outputs.kpis");
        const auto known = kpi_names();
        for (std::size_t i = 0; o.child("kpis").is_sequence() && i < o.child("kpis").size(); ++i) {
          spec.kpis_at.push_back(r.at(o.child("kpis")[i]));
          const std::string name = o.child("kpis")[i].is_scalar() ? o.child("kpis")[i].scalar() : "";
          if (is_kpi_expression(name)) {
            std::string problem;
            if (!parse_kpi_expression(name, problem)) r.error(o.child("kpis")[i], "outputs.kpis[" + std::to_string(i) + "]", problem);
          } else if (name.find_first_of(";\t\n") != std::string::npos) {
            r.error(o.child("kpis")[i], "outputs.kpis[" + std::to_string(i) + "]", "a KPI name may not hold ';', a tab or a line break");
          } else if (!name.empty() && std::find(known.begin(), known.end(), name) == known.end()) {
            r.error(o.child("kpis")[i], "outputs.kpis[" + std::to_string(i) + "]",
                    "unknown KPI '" + name + "'" +
                        (closest_name(name, known) ? " (did you mean '" + *closest_name(name, known) + "'?)" : std::string()) +
                        "; expected end_<metric>, sum_<metric> or max_<metric> (README, Sweeps)");
          }
        }
      }
    }
  }
  if (r.diags().has_errors()) throw ScenarioError(r.diags().all());
  return spec;
}

SweepSpec load_sweep_file(const std::filesystem::path& path) {
  return load_sweep_text(read_sweep_file(path), path.string());
}

std::string read_sweep_file(const std::filesystem::path& path) {
  std::string problem;
  auto text = read_text_file(path, limits::max_text_bytes, {"a sweep YAML file", "sweep files"}, problem);
  if (!text) throw_scenario_error({path.string(), 0, 0}, "", "cannot read the sweep file: " + problem);
  return std::move(*text);
}

}  // namespace aidc::sweep
