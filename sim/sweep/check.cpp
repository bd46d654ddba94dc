#include "aidc/sweep/check.hpp"

#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <variant>

#include "aidc/output/run_info.hpp"
#include "aidc/scenario/schema.hpp"
#include "aidc/scenario/units.hpp"
#include "aidc/sweep/kpi.hpp"
#include "aidc/text/limits.hpp"
#include "aidc/text/number.hpp"
#include "aidc/text/text_file.hpp"

namespace aidc::sweep {

ScenarioTemplate load_base_scenario(const SweepSpec& spec) {
  if (spec.scenario.empty()) return ScenarioTemplate::default_scenario();
  std::string problem;
  auto text = read_text_file(spec.scenario, limits::max_text_bytes, {"a scenario YAML file", "scenarios"}, problem);
  if (!text) throw_scenario_error({spec.scenario.string(), 0, 0}, "scenario", "cannot read the base scenario: " + problem);
  return ScenarioTemplate(*text, spec.scenario.string());
}

std::string base_scenario_hash(const SweepSpec& spec, const ScenarioTemplate& base) {
  return scenario_hash(base.instantiate(spec.overrides, true).resolved_yaml);
}

namespace {

const SectionInfo* section_at(const std::string& path) {
  for (const auto& s : scenario_schema()) {
    if (s.path == path) return &s;
  }
  return nullptr;
}

const char* kind_words(ValueKind k) {
  switch (k) {
    case ValueKind::text: return "text";
    case ValueKind::choice: return "a choice among fixed names";
    case ValueKind::reference: return "the name of an item";
    case ValueKind::reference_list: return "a list of names";
    case ValueKind::quantity: return "a number";
    case ValueKind::duration: return "a duration";
    case ValueKind::quarter: return "a quarter";
    case ValueKind::seed: return "a seed";
    case ValueKind::series: return "a series";
    case ValueKind::mapping: return "a section";
    case ValueKind::list: return "a list of sections";
  }
  return "?";
}

bool numeric(ValueKind k) {
  return k == ValueKind::quantity || k == ValueKind::duration || k == ValueKind::seed || k == ValueKind::series;
}

std::string num(double v) { return fmt::format("{:.6g}", v); }

// Checks one parameter against the scenario language and its own values.
class ParameterCheck {
 public:
  ParameterCheck(Diagnostics& diags, const SweepParameter& p, std::size_t index)
      : diags_(diags), p_(p), key_("parameters[" + std::to_string(index) + "]") {}

  //! The path the next find() judges: one of the parameter's paths, as written and where.
  void judge_path(const std::string& path, const SourceLocation& at) {
    path_ = path;
    path_at_ = at;
  }

  void error(const SourceLocation& at, const std::string& message) {
    diags_.error(at.line > 0 ? at : p_.where, key_, "'" + path_ + "': " + message);
  }

  // The parameter the resolved steps name, or nullptr (after an error, or past a series' quarter).
  const ParamInfo* find(const std::vector<KeyPathStep>& steps) {
    std::string section;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const SectionInfo* s = section_at(section);
      if (s == nullptr) return nullptr;  // a section the schema does not list: left to the loader
      const auto it = std::find_if(s->params.begin(), s->params.end(), [&](const ParamInfo& q) { return q.key == steps[i].key; });
      if (it == s->params.end()) {
        std::vector<std::string> known;
        for (const auto& q : s->params) known.push_back(q.key);
        const auto close = closest_name(steps[i].key, known);
        error(path_at_, fmt::format("{} has no parameter '{}'{}", section.empty() ? "the scenario's top level" : "`" + section + "`",
                                      steps[i].key, close ? " (did you mean '" + *close + "'?)" : "; known: " + join(known)));
        return nullptr;
      }
      const bool last = i + 1 == steps.size();
      const std::string nested = section.empty() ? it->key : section + "." + it->key;
      if (last) {
        if (it->kind == ValueKind::mapping || (it->kind == ValueKind::list && steps[i].item.empty())) {
          error(path_at_, fmt::format("names {} (`{}`), not one value; expected one of its parameters", kind_words(it->kind),
                                        it->kind == ValueKind::list ? nested + "[]" : nested));
          return nullptr;
        }
        if (it->kind == ValueKind::list) {
          error(path_at_, "names a whole list item; expected one of its parameters, e.g. " + path_ + ".<key>");
          return nullptr;
        }
        return &*it;
      }
      if (it->kind == ValueKind::mapping) {
        section = nested;
      } else if (it->kind == ValueKind::list) {
        section = nested + "[]";
      } else if (it->kind == ValueKind::series) {
        return nullptr;  // a quarter of a series: the loader judges it
      } else {
        error(path_at_, fmt::format("'{}' is {}, which has no '{}' inside", it->key, kind_words(it->kind), steps[i + 1].key));
        return nullptr;
      }
    }
    return nullptr;
  }

  // The canonical value of `text` (+ the parameter's unit), or the loader's complaint.
  std::variant<double, std::string> canonical(const ParamInfo& info, const std::string& text) const {
    const std::string written = p_.unit.empty() ? text : text + " " + p_.unit;
    if (info.kind == ValueKind::seed) {
      const auto v = parse_number(written);
      if (!v) return "'" + written + "' is not a number";
      return *v;
    }
    const Dimension dim = info.kind == ValueKind::duration ? Dimension::duration : info.dimension;
    return parse_quantity(written, dim, info.unit_scale != 0.0 ? 1.0 / info.unit_scale : 1.0);
  }

  // A value (a list's, or a bound of a distribution) in the parameter's range and, for a
  // duration or seed, whole.
  void check_value(const ParamInfo& info, const std::string& text, const std::string& what, const SourceLocation& at) {
    const auto v = canonical(info, text);
    if (const auto* problem = std::get_if<std::string>(&v)) {
      error(at, what + ": " + *problem);
      return;
    }
    const double x = std::get<double>(v);
    const bool whole_kind = info.kind == ValueKind::duration || info.kind == ValueKind::seed;
    if (whole_kind && std::abs(x - std::round(x)) > 1e-9) {
      error(at, fmt::format("{} is {} {}; {} is a whole number of {}", what, num(x), info.kind == ValueKind::duration ? "quarters" : "",
                            info.kind == ValueKind::duration ? "a duration" : "a seed",
                            info.kind == ValueKind::duration ? "quarters" : "units"));
    }
    const bool at_open_bound = info.range.min_exclusive && x == info.range.min;
    if (!info.range.contains(x) && !at_open_bound) {
      error(at, fmt::format("{} ({} {}) is outside what it takes: {}", what, num(x), unit_of(info), info.range.describe()));
    }
  }

  std::string unit_of(const ParamInfo& info) const {
    if (info.kind == ValueKind::duration) return "quarters";
    if (info.kind == ValueKind::seed) return "";
    return std::string(canonical_unit(info.dimension));
  }

  // Canonical value per unit of what the sweep writes (every unit is a scale): 0 if unknown.
  double scale(const ParamInfo& info) const {
    const auto v = canonical(info, "1");
    return std::holds_alternative<double>(v) ? std::get<double>(v) : 0.0;
  }

  void check(const ParamInfo& info) {
    using K = Distribution::Kind;
    const Distribution& d = p_.distribution;
    const bool continuous = d.kind != K::none && d.kind != K::discrete;
    const SourceLocation at = p_.values_at.line > 0 ? p_.values_at : p_.where;
    if (info.kind == ValueKind::choice) {
      for (const auto& v : p_.values) {
        if (std::find(info.choices.begin(), info.choices.end(), v) == info.choices.end()) {
          error(at, fmt::format("'{}' is not one of its choices {}", v, suggest(v, info.choices)));
        }
      }
    }
    if (!numeric(info.kind)) {
      if (continuous) {
        error(at, fmt::format("is {}; a {} distribution draws numbers; expected `values` (or a discrete distribution) "
                              "listing what to try",
                              kind_words(info.kind), distribution_word(d.kind)));
      }
      return;
    }
    for (const auto& v : p_.values) check_value(info, v, "value '" + v + "'", at);
    if (!continuous) return;
    const bool whole_kind = info.kind == ValueKind::duration || info.kind == ValueKind::seed;
    if (whole_kind && !d.whole) {
      const std::string example = value_at(p_, 0.37);
      error(at, fmt::format("is {}, a whole number of {}; a {} distribution draws fractions (such as {}), which every "
                            "run would refuse; add `whole: true` to draw whole {} (or list them with `values`/`range`)",
                            kind_words(info.kind), info.kind == ValueKind::duration ? "quarters" : "units",
                            distribution_word(d.kind), example, info.kind == ValueKind::duration ? "quarters" : "numbers"));
    }
    const double f = scale(info);
    const Range& r = info.range;
    const bool bounded_below = std::isfinite(r.min), bounded_above = std::isfinite(r.max);
    auto bound_text = [&](double canonical_bound) { return f > 0 ? num(canonical_bound / f) : num(canonical_bound); };
    auto check_bound = [&](double v, const char* which) { check_value(info, num(v), std::string("its ") + which + " " + num(v), at); };
    if (d.kind == K::uniform || d.kind == K::triangular) {
      check_bound(d.min, "min");
      check_bound(d.max, "max");
      return;
    }
    // normal and lognormal: unbounded unless truncated.
    double outside = 0.0;
    if (d.kind == K::normal) {
      const boost::math::normal_distribution<double> dist(d.mean, d.sd);
      if (bounded_below && !d.truncated_below && f > 0) outside += boost::math::cdf(dist, r.min / f);
      if (bounded_above && !d.truncated_above && f > 0) outside += boost::math::cdf(boost::math::complement(dist, r.max / f));
    } else if (f > 0) {
      const boost::math::lognormal_distribution<double> dist(std::log(d.median), d.sigma);
      if (bounded_below && r.min > 0 && !d.truncated_below) outside += boost::math::cdf(dist, r.min / f);
      if (bounded_above && !d.truncated_above) outside += boost::math::cdf(boost::math::complement(dist, r.max / f));
    }
    const bool needs_below = d.kind == K::normal ? bounded_below && !d.truncated_below
                                                 : bounded_below && r.min > 0 && !d.truncated_below;
    const bool needs_above = bounded_above && !d.truncated_above;
    if (needs_below || needs_above) {
      std::string how;
      if (needs_below) how += "min: " + bound_text(r.min);
      if (needs_above) how += std::string(how.empty() ? "" : " and ") + "max: " + bound_text(r.max);
      error(at, fmt::format("takes {}, but an untruncated {} distribution has no {}: about {:.3g}% of its draws would "
                            "fall outside and fail; truncate it by adding {} (or bounds inside those)",
                            r.describe(), distribution_word(d.kind),
                            needs_below && needs_above ? "bounds" : needs_below ? "lower bound" : "upper bound",
                            outside * 100, how));
    }
    if (d.truncated_below) check_bound(d.min, "min");
    if (d.truncated_above) check_bound(d.max, "max");
  }

 private:
  static std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  }
  static const char* distribution_word(Distribution::Kind k) {
    switch (k) {
      case Distribution::Kind::uniform: return "uniform";
      case Distribution::Kind::normal: return "normal";
      case Distribution::Kind::lognormal: return "lognormal";
      case Distribution::Kind::triangular: return "triangular";
      case Distribution::Kind::discrete: return "discrete";
      case Distribution::Kind::none: return "";
    }
    return "";
  }

  Diagnostics& diags_;
  const SweepParameter& p_;
  std::string key_;
  std::string path_;
  SourceLocation path_at_;
};

// The entities and periods of the KPI expressions, against the scenario of design point 0.
void check_kpi_expressions(const SweepSpec& spec, const ScenarioSpec& scenario, Diagnostics& diags) {
  std::vector<std::string> entities = {"world"};
  for (const auto& d : scenario.demand) entities.push_back(d.bloc);
  for (const auto& r : scenario.regions) entities.push_back(r.name);
  for (const auto& a : scenario.agents) entities.push_back(a.name);
  for (const auto& v : scenario.vendors) entities.push_back(v.name);
  std::string problem;
  for (std::size_t i = 0; i < spec.kpis.size(); ++i) {
    if (!is_kpi_expression(spec.kpis[i])) continue;
    const auto e = parse_kpi_expression(spec.kpis[i], problem);
    if (!e) continue;
    const SourceLocation at = i < spec.kpis_at.size() ? spec.kpis_at[i] : SourceLocation{spec.source, 0, 0};
    const std::string key = "outputs.kpis[" + std::to_string(i) + "]";
    if (!e->entity.empty() && std::find(entities.begin(), entities.end(), e->entity) == entities.end()) {
      const auto close = closest_name(e->entity, entities);
      diags.error(at, key, "'" + e->entity + "' is no bloc, region, agent or vendor of the base scenario" +
                               (close ? " (did you mean '" + *close + "'?)" : std::string()));
    }
    if (e->last_quarter < scenario.run.start.index() || e->first_quarter > scenario.run.end.index()) {
      diags.error(at, key, fmt::format("its period is outside the runs' horizon, {} to {}", scenario.run.start.str(),
                                       scenario.run.end.str()));
    }
  }
}

}  // namespace

SweepCheck check_sweep(const SweepSpec& spec, const ScenarioTemplate& base, const RunTable& table, double seconds) {
  const auto started = std::chrono::steady_clock::now();
  Diagnostics diags;
  SweepCheck out;
  out.points = table.values.size();
  out.runs = table.runs.size();
  std::vector<bool> path_ok(spec.parameters.size(), false);
  std::map<std::string, std::size_t> setter;  // each value set (named as an overlay names it) → its parameter
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const SweepParameter& p = spec.parameters[i];
    ParameterCheck check(diags, p, i);
    const std::size_t before = diags.error_count();
    std::vector<const ParamInfo*> judged;  // tied paths of one kind share one check of the values
    for (std::size_t j = 0; j < p.paths.size(); ++j) {
      const SourceLocation at = j < p.paths_at.size() && p.paths_at[j].line > 0 ? p.paths_at[j] : p.where;
      std::vector<std::vector<KeyPathStep>> resolved;
      try {
        resolved = base.resolve_key_paths(p.paths[j], at);
      } catch (const ScenarioError& e) {
        for (const auto& d : e.diagnostics()) {
          diags.error(d.where, "parameters[" + std::to_string(i) + "].path", "'" + d.key_path + "': " + d.message);
        }
        continue;
      }
      check.judge_path(p.paths[j], at);
      for (const auto& steps : resolved) {
        std::string value;
        for (const auto& step : steps) {
          value += (value.empty() ? "" : ".") + step.key + (step.item.empty() ? "" : "[" + step.item + "]");
        }
        if (const auto [it, fresh] = setter.emplace(value, i); !fresh && it->second != i) {
          check.error(at, fmt::format("sets {}, which parameters[{}] ('{}') sets too: a run would keep only one of "
                                      "their values; expected each value varied by one parameter (tie paths with `paths:`)",
                                      value, it->second, spec.parameters[it->second].path));
          break;
        }
        const std::size_t errors = diags.error_count();
        const ParamInfo* info = check.find(steps);
        if (diags.error_count() > errors) break;  // the items picked share the key: once is enough
        if (info == nullptr || std::find(judged.begin(), judged.end(), info) != judged.end()) continue;
        judged.push_back(info);
        check.check(*info);
      }
    }
    path_ok[i] = diags.error_count() == before;
  }
  // The parameter each assignment of a run sets (after the sweep's fixed `set`).
  std::vector<std::size_t> owner;
  for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
    owner.insert(owner.end(), spec.parameters[k].paths.size(), k);
  }
  // The design points, as each run would load them: point 0 first, then the others while time
  // allows. A point's problem is placed at the parameter whose assignment it names.
  std::size_t failing_points = 0;
  for (std::size_t point = 0; point < table.values.size() && failing_points < 3; ++point) {
    if (point > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() > seconds) break;
    const std::size_t run = point * spec.replications;
    if (run >= table.runs.size()) break;
    const auto overrides = table.overrides(spec, run);
    try {
      const ScenarioSpec scenario = base.instantiate(overrides, false);
      if (point == 0) check_kpi_expressions(spec, scenario, diags);
    } catch (const ScenarioError& e) {
      bool any = false;
      for (const auto& d : e.diagnostics()) {
        if (d.severity != Diagnostic::Severity::error) continue;
        bool placed = false;
        for (std::size_t i = 0; i < overrides.size() && !placed; ++i) {
          if (d.where.file != "--set " + overrides[i]) continue;
          placed = true;
          if (i < spec.overrides.size()) {
            const SourceLocation at = i < spec.overrides_at.size() ? spec.overrides_at[i] : SourceLocation{spec.source, 1, 1};
            diags.error(at, "set[" + std::to_string(i) + "]", d.key_path + ": " + d.message);
          } else {
            const std::size_t k = owner[i - spec.overrides.size()];
            if (!path_ok[k]) continue;  // already reported
            const auto& p = spec.parameters[k];
            diags.error(p.values_at.line > 0 ? p.values_at : p.where, "parameters[" + std::to_string(k) + "]",
                        fmt::format("'{}' at design point {} ({}): {}", p.path, point, overrides[i], d.message));
            path_ok[k] = false;  // once per parameter
          }
        }
        if (!placed && point == 0) diags.error(d.where, d.key_path, d.message);
        any = any || placed;
      }
      ++failing_points;
      (void)any;
    }
    out.points_checked = point + 1;
  }
  if (diags.has_errors()) throw ScenarioError(diags.all());
  out.warnings = diags.warnings();
  return out;
}

}  // namespace aidc::sweep
