#include "yaml_reader.hpp"

#include "aidc/text/number.hpp"
#include "aidc/text/yaml_document.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace aidc::detail {


namespace {
constexpr std::string_view scenario_keys[] = {"extends", "name",  "description", "run",
                                              "vendors", "chips", "regions",     "sites",
                                              "agents",  "demand", "links",      "power_technologies",
                                              "contracts", "events", "finance"};
}  // namespace

std::span<const std::string_view> scenario_top_level_keys() noexcept { return scenario_keys; }

Tree parse_scenario_yaml(std::string_view text, YamlContext& ctx) {
  static constexpr YamlDocumentKind scenario{"scenario", "scenarios", "run, chips, vendors, regions, agents, demand"};
  return parse_yaml_document(text, ctx.file(), ctx.diagnostics(), scenario);
}

Tree parse_scenario_file_yaml(std::string_view text, YamlContext& ctx) {
  static constexpr YamlDocumentKind scenario{"scenario", "scenarios", "run, chips, vendors, regions, agents, demand",
                                             scenario_keys, std::size(scenario_keys)};
  return parse_yaml_document(text, ctx.file(), ctx.diagnostics(), scenario);
}

KnownNames::KnownNames(std::vector<std::string> names) : list_(std::move(names)), set_(list_.begin(), list_.end()) {}

bool too_many_errors(YamlContext& ctx, const Tree& here) {
  Diagnostics& diags = ctx.diagnostics();
  if (diags.error_count() < limits::max_errors) return false;
  if (diags.error_count() == limits::max_errors) {
    ctx.error(here, "",
              "stopped reading after " + std::to_string(limits::max_errors) + " errors; fix these first");
  }
  return true;
}

SourceLocation YamlContext::at(const Tree& node) const {
  if (!node.is_defined() || node.where().file.empty()) return {file_, 0, 0};
  return node.where();
}

MapReader::MapReader(YamlContext& ctx, Tree node, std::string path)
    : ctx_(ctx), node_(std::move(node)), path_(std::move(path)) {
  is_map_ = node_.is_map();
  // An absent or empty value was already reported by get() when it is required.
  if (!node_.is_defined() || node_.is_null()) return;
  if (!is_map_) {
    ctx_.error(node_, path_, "expected a mapping of keys to values (key: value), got " + describe_node(node_));
    return;
  }
  // yaml-cpp keeps every copy of a repeated key but lookups see only one: report the others.
  std::map<std::string, int> first_line;
  for (const auto& kv : node_.entries()) {
    if (!kv.first.is_scalar()) continue;
    if (too_many_errors(ctx_, kv.first)) return;
    const std::string& key = kv.first.scalar();
    const auto [it, inserted] = first_line.emplace(key, ctx_.at(kv.first).line);
    if (!inserted) {
      ctx_.error(kv.first, sub(key),
                 "duplicate key '" + key + "' (first given at line " + std::to_string(it->second) +
                     "); expected each key once");
    }
  }
}

Tree MapReader::get(const std::string& key, bool required) {
  known_keys_.push_back(key);
  if (!is_map_) return Tree();
  Tree found = node_.child(key);
  if (!required) return found;
  if (!found.is_defined()) {
    missing_.push_back(key);  // reported by finish(), unless a misspelt key explains it
  } else if (found.is_null()) {
    // Present but empty (`power:` with nothing after it): point at the key itself.
    SourceLocation where = ctx_.at(node_);
    for (const auto& kv : node_.entries()) {
      if (kv.first.is_scalar() && kv.first.scalar() == key) {
        where = ctx_.at(kv.first);
        break;
      }
    }
    ctx_.diagnostics().error(where, sub(key), "key '" + key + "' has no value; a value is required");
  }
  return found;
}

bool MapReader::scalar_text(const Tree& n, const std::string& path, std::string& out) {
  if (!n.is_scalar()) {
    ctx_.error(n, path, "expected a single value, got " + describe_node(n));
    return false;
  }
  out = n.scalar();
  return true;
}

bool MapReader::text(const std::string& key, std::string& out, bool required) {
  const Tree n = get(key, required);
  if (!n.is_defined() || n.is_null()) return false;
  std::string value;
  if (!scalar_text(n, sub(key), value)) return false;
  if (value.empty()) {
    ctx_.error(n, sub(key), "must not be empty");
    return false;
  }
  out = value;
  return true;
}

bool MapReader::parse_value(const Tree& n, const std::string& path, double& out, Dimension dim, Range range,
                            double bare_factor) {
  std::string raw;
  if (!scalar_text(n, path, raw)) return false;
  auto parsed = parse_quantity(raw, dim, bare_factor);
  if (auto* msg = std::get_if<std::string>(&parsed)) {
    // Per-chip and rack powers are written in kW: show an example in kW.
    const std::string mw_example = "such as '350 MW'";
    if (dim == Dimension::power && bare_factor < 1.0 && msg->find(mw_example) != std::string::npos) {
      msg->replace(msg->find(mw_example), mw_example.size(), "such as '120 kW'");
    }
    ctx_.error(n, path, *msg);
    return false;
  }
  const double v = std::get<double>(parsed);
  if (!range.contains(v)) {
    const std::string unit(canonical_unit(dim));
    const bool show_unit = !(unit.empty() || unit == "count" || unit == "fraction");
    // The range is in the canonical unit: give the value in it too when it was written otherwise.
    std::ostringstream canonical;
    canonical << v << (show_unit ? " " + unit : "");
    const bool converted = dim == Dimension::power || dim == Dimension::duration || dim == Dimension::fraction ||
                           dim == Dimension::memory ||
                           dim == Dimension::price_per_mwh;
    std::string message = "value '" + raw + "'" +
                          (converted && canonical.str() != raw ? " (= " + canonical.str() + ")" : "") +
                          " is out of range; expected " + range.describe() + (show_unit ? " " + unit : "");
    // `reserve_margin: 15` meant as 15%: say how to write a percentage.
    if (dim == Dimension::fraction && raw.find('%') == std::string::npos && range.contains(v / 100.0)) {
      std::ostringstream os;
      os << v;
      message += " (for a percentage write '" + os.str() + "%')";
    }
    ctx_.error(n, path, message);
    return false;
  }
  out = v;
  // `growth: 15` is legal (1500%) but far more often a forgotten '%'.
  if (dim == Dimension::fraction && v > 1.0 && raw.find('%') == std::string::npos) {
    std::ostringstream os;
    os << v * 100;
    ctx_.warning(n, path, "'" + raw + "' is read as " + os.str() + "%; write '" + raw + "%' if you meant " + raw + " percent");
  }
  return true;
}

bool MapReader::quantity(const std::string& key, double& out, Dimension dim, Range range, bool required,
                         double bare_factor) {
  const Tree n = get(key, required);
  if (!n.is_defined() || n.is_null()) return false;
  return parse_value(n, sub(key), out, dim, range, bare_factor);
}

bool MapReader::quarters(const std::string& key, int& out, Range range, bool required) {
  const Tree n = get(key, required);
  if (!n.is_defined() || n.is_null()) return false;
  double q = 0.0;
  if (!parse_value(n, sub(key), q, Dimension::duration, range)) return false;
  const double rounded = std::round(q);
  if (std::abs(q - rounded) > 1e-9 || std::abs(rounded) > 4000) {
    std::ostringstream os;
    os.precision(3);
    os << q;
    ctx_.error(n, sub(key),
               "'" + n.scalar() + "' is " + os.str() +
                   " quarters; expected a whole number of quarters (e.g. '6 quarters', '18 months', '2 years')");
    return false;
  }
  out = static_cast<int>(rounded);
  return true;
}

bool MapReader::quarter(const std::string& key, Quarter& out, bool required) {
  const Tree n = get(key, required);
  if (!n.is_defined() || n.is_null()) return false;
  std::string raw;
  if (!scalar_text(n, sub(key), raw)) return false;
  const auto q = Quarter::parse(raw);
  if (!q) {
    ctx_.error(n, sub(key), "expected a quarter such as '2025Q3', got '" + raw + "'");
    return false;
  }
  out = *q;
  return true;
}

bool MapReader::seed(const std::string& key, std::uint64_t& out, bool required) {
  const Tree n = get(key, required);
  if (!n.is_defined() || n.is_null()) return false;
  std::string raw;
  if (!scalar_text(n, sub(key), raw)) return false;
  const auto v = parse_whole(raw);
  if (!v) {
    ctx_.error(n, sub(key), "expected a non-negative whole number below 2^64, got '" + raw + "'");
    return false;
  }
  out = *v;
  return true;
}

bool MapReader::series(const std::string& key, TimeSeriesSpec& out, Dimension dim, Range range, bool required) {
  const Tree n = get(key, required);
  if (!n.is_defined() || n.is_null()) return false;
  const std::string path = sub(key);
  if (n.is_scalar()) {
    double v = 0.0;
    if (!parse_value(n, path, v, dim, range)) return false;
    out.points = {{Quarter(2000, 1), v}};
    return true;
  }
  if (!n.is_map() || n.size() == 0) {
    ctx_.error(n, path,
               "expected one value (e.g. '" + std::string(unit_example(dim)) +
                   "') or a mapping of quarters to values (e.g. {2023Q1: ..., 2026Q1: ...})");
    return false;
  }
  if (n.size() > limits::max_series_points) {
    ctx_.error(n, path,
               "has " + std::to_string(n.size()) + " points; at most " + std::to_string(limits::max_series_points) +
                   " are allowed (one per quarter of the longest horizon)");
    return false;
  }
  TimeSeriesSpec result;
  bool ok = true;
  for (const auto& kv : n.entries()) {
    if (too_many_errors(ctx_, kv.first)) return false;
    const std::string label = kv.first.is_scalar() ? kv.first.scalar() : "?";
    const auto q = Quarter::parse(label);
    if (!q) {
      ctx_.error(kv.first, path, "expected a quarter such as '2025Q3' as key, got '" + label + "'");
      ok = false;
      continue;
    }
    if (!result.points.empty() && !(result.points.back().when < *q)) {
      ctx_.error(kv.first, path + "." + label, "quarters must be in increasing order");
      ok = false;
      continue;
    }
    double v = 0.0;
    if (!parse_value(kv.second, path + "." + label, v, dim, range)) {
      ok = false;
      continue;
    }
    result.points.push_back({*q, v});
  }
  if (ok) out = std::move(result);
  return ok;
}

bool MapReader::reference(const std::string& key, std::string& out, const KnownNames& known, const std::string& what,
                          bool required) {
  const Tree n = get(key, required);
  if (!n.is_defined() || n.is_null()) return false;
  std::string name;
  if (!scalar_text(n, sub(key), name)) return false;
  if (!known.contains(name)) {
    const std::string hint = known.empty() ? "(no " + what + "s are defined)" : suggest(name, known.list());
    ctx_.error(n, sub(key), "unknown " + what + " '" + name + "' " + hint);
    return false;
  }
  out = name;
  return true;
}

bool MapReader::reference_list(const std::string& key, std::vector<std::string>& out, const KnownNames& known,
                               const std::string& what, bool required) {
  const Tree n = get(key, required);
  if (!n.is_defined() || n.is_null()) return false;
  const std::string path = sub(key);
  if (!n.is_sequence()) {
    ctx_.error(n, path,
               "expected a list of " + what + " names such as [" + (known.empty() ? "a" : known.list()[0]) + "]");
    return false;
  }
  std::vector<std::string> result;
  std::map<std::string, std::size_t> first_at;  // each name and the index it is first listed at
  bool ok = true;
  for (std::size_t i = 0; i < n.size(); ++i) {
    if (too_many_errors(ctx_, n[i])) return false;
    std::string name;
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!scalar_text(n[i], item_path, name)) {
      ok = false;
      continue;
    }
    if (!known.contains(name)) {
      const std::string hint = known.empty() ? "(no " + what + "s are defined)" : suggest(name, known.list());
      ctx_.error(n[i], item_path, "unknown " + what + " '" + name + "' " + hint);
      ok = false;
      continue;
    }
    const auto [first, inserted] = first_at.emplace(name, i);
    if (!inserted) {
      ctx_.error(n[i], item_path,
                 "'" + name + "' is listed twice (first at [" + std::to_string(first->second) + "]); expected each " +
                     what + " once");
      ok = false;
      continue;
    }
    result.push_back(name);
  }
  if (ok) out = std::move(result);
  return ok;
}

void MapReader::items(const std::string& key, bool required, const std::string& first_key, std::size_t max_items,
                      const std::function<void(MapReader&)>& fn) {
  YamlContext& ctx = ctx_;
  const Tree list = get(key, required);
  if (!list.is_defined() || list.is_null()) return;
  if (!list.is_sequence()) {
    ctx.error(list, sub(key),
              "expected a list of items, each starting with '- " + first_key + ": ...', got " +
                  describe_node(list));
    return;
  }
  if (list.size() > max_items) {
    ctx.error(list, sub(key),
              "has " + std::to_string(list.size()) + " items; at most " + std::to_string(max_items) +
                  " are allowed (see the limits in docs/scenario-reference.md)");
    return;
  }
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Tree item = list[i];
    if (too_many_errors(ctx, item)) return;
    std::string label = std::to_string(i);
    const Tree name_node = item.child("name");
    if (name_node.is_scalar() && !name_node.scalar().empty()) {
      label = name_node.scalar();
      const int line = ctx.at(item.child("name")).line;
      const auto [it, inserted] = first_line.emplace(label, line);
      if (!inserted) {
        ctx.error(item.child("name"), sub(key) + "[" + label + "]",
                  "duplicate name '" + label + "' (first defined at line " + std::to_string(it->second) +
                      "); names must be unique");
      }
    }
    if (item.is_null()) {
      ctx.error(item, sub(key) + "[" + label + "]",
                "empty list item; expected an item such as '- " + first_key + ": ...'");
      continue;
    }
    MapReader reader(ctx, item, sub(key) + "[" + label + "]");
    if (!reader.is_map()) continue;
    fn(reader);
    reader.finish();
  }
}

void MapReader::finish() {
  if (!is_map_) return;
  for (const auto& kv : node_.entries()) {
    if (too_many_errors(ctx_, kv.first)) return;
    const std::string key = kv.first.is_scalar() ? kv.first.scalar() : "?";
    if (std::find(known_keys_.begin(), known_keys_.end(), key) != known_keys_.end()) continue;
    const std::string hint = suggest(key, known_keys_);
    const auto meant = closest_name(key, known_keys_);
    const auto explained = meant ? std::find(missing_.begin(), missing_.end(), *meant) : missing_.end();
    if (explained != missing_.end()) {
      ctx_.error(kv.first, sub(key), "unknown key '" + key + "' " + hint + "; '" + *meant + "' is required");
      missing_.erase(explained);
    } else {
      ctx_.error(kv.first, sub(key), "unknown key '" + key + "'" + (hint.empty() ? "" : " " + hint));
    }
  }
  for (const auto& key : missing_) ctx_.error(node_, sub(key), "missing required key '" + key + "'");
  missing_.clear();
}

}  // namespace aidc::detail
