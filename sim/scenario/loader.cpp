#include "aidc/scenario/loader.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <sstream>

#include "aidc/scenario/binder.hpp"
#include "aidc/scenario/limits.hpp"
#include "aidc/text/text_file.hpp"
#include "compose.hpp"
#include "fields.hpp"
#include "names.hpp"
#include "yaml_reader.hpp"

namespace aidc {

namespace {

using detail::MapReader;

using detail::YamlContext;

using limits::max_horizon_quarters;
constexpr std::size_t max_file_bytes = limits::max_text_bytes;

//! The `name` of a list item, if it has one that is a plain value.
std::optional<std::string> item_name(const Tree& item) {
  if (!item.is_map()) return std::nullopt;
  const Tree name = item.child("name");
  if (!name.is_defined() || !name.is_scalar() || name.scalar().empty()) return std::nullopt;
  return name.scalar();
}

//! Names given by the `name` key of each item of a top-level list (first pass, for references).
std::vector<std::string> names_in(const Tree& root, const char* key) {
  std::vector<std::string> names;
  const Tree list = root.child(key);
  if (!list.is_sequence()) return names;
  for (const auto& item : list.items()) {
    if (auto name = item_name(item)) names.push_back(*name);
  }
  return names;
}

//! Checks the horizon once both ends were read: end not before start, and not too long.
void check_horizon(YamlContext& ctx, const Tree& root, const RunSpec& run) {
  const Tree run_node = root.child("run");
  const Tree start = run_node.child("start"), end = run_node.child("end");
  if (!Quarter::parse(start.scalar()) || !Quarter::parse(end.scalar())) return;  // already reported
  if (run.end < run.start) {
    ctx.error(end, "run.end",
              "end " + run.end.str() + " is before start " + run.start.str() + "; expected a quarter at or after the start");
  } else if (run.end - run.start + 1 > max_horizon_quarters) {
    ctx.error(end, "run.end",
              "horizon of " + std::to_string(run.end - run.start + 1) + " quarters is too long; at most " +
                  std::to_string(max_horizon_quarters) + " quarters (" + std::to_string(max_horizon_quarters / 4) +
                  " years) are allowed");
  }
}

//! Items by name (the first of a repeated name), so that the checks below stay linear.
//! "12.3 GB" or "850 MB".
std::string memory_text(double mb) {
  std::ostringstream os;
  os.precision(3);
  if (mb >= 1e3) {
    os << mb / 1e3 << " GB";
  } else {
    os << mb << " MB";
  }
  return os.str();
}

//! Refuses a scenario whose run is estimated to need more memory than run.memory_limit.
void check_memory(YamlContext& ctx, const Tree& root, const ScenarioSpec& spec) {
  const limits::MemoryEstimate estimate = estimate_memory(spec);
  if (estimate.total_mb() <= spec.run.memory_limit_mb) return;
  const Tree run_node = root.child("run");
  const Tree limit_node = run_node.child("memory_limit");
  std::ostringstream samples;
  samples.precision(3);
  samples << estimate.samples / 1e6;
  ctx.error(limit_node.is_defined() ? limit_node : run_node.child("end"), "run.memory_limit",
            "a run of this scenario is estimated to need " + memory_text(estimate.total_mb()) + " (" +
                memory_text(estimate.recorded_mb) + " for the " + samples.str() + " M values it records over " +
                std::to_string(spec.run.end - spec.run.start + 1) + " quarters, " + memory_text(estimate.state_mb) +
                " for its agents' events, sites and fleets, " + memory_text(estimate.process_mb) +
                " for the program), more than the limit of " + memory_text(spec.run.memory_limit_mb) +
                "; expected a shorter horizon or fewer agents, or a higher limit (e.g. --set run.memory_limit=" +
                std::to_string(static_cast<long long>(std::ceil(estimate.total_mb() / 1e3))) + "GB)");
}

template <class T>
class ByName {
 public:
  explicit ByName(const std::vector<T>& items) {
    for (const auto& item : items) index_.emplace(item.name, &item);
  }
  //! The item named `name`, or nullptr.
  const T* find(const std::string& name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string_view, const T*> index_;
};

//! The i-th item of the top-level list `key`, or an undefined node.
Tree list_item(const Tree& root, const char* key, std::size_t i) {
  const Tree list = root.child(key);
  if (!list.is_sequence() || i >= list.size()) return Tree();
  return list[i];
}

//! Where node sits, or fallback when it is not in the file.
SourceLocation where_or(const YamlContext& ctx, const Tree& node, const SourceLocation& fallback) {
  const SourceLocation at = ctx.at(node);
  return at.line > 0 ? at : fallback;
}

//! Checks that span several sections; run only when every section read cleanly, so spec.agents[i]
//! is the i-th item of the file's `agents` list (and likewise for demand), which gives the places.
void check_semantics(const YamlContext& ctx, const Tree& root, Diagnostics& diags, ScenarioSpec& spec) {
  const ByName<SiteSpec> sites(spec.sites);
  const ByName<ChipSpec> chips(spec.chips);
  const ByName<RegionSpec> regions(spec.regions);
  const ByName<AgentSpec> agents(spec.agents);
  // Demand: one entry per bloc, and every bloc with agents has one.
  std::map<std::string, int> demand_line;
  for (std::size_t i = 0; i < spec.demand.size(); ++i) {
    const DemandSpec& d = spec.demand[i];
    const SourceLocation at = where_or(ctx, list_item(root, "demand", i).child("bloc"), d.where);
    const auto [first, inserted] = demand_line.emplace(d.bloc, at.line);
    if (!inserted) {
      diags.error(at, "demand[" + std::to_string(i) + "].bloc",
                  "bloc '" + d.bloc + "' already has a demand entry (at line " + std::to_string(first->second) +
                      "); expected one entry per bloc");
    }
  }
  std::map<std::string, double> share_per_bloc;
  for (std::size_t i = 0; i < spec.agents.size(); ++i) {
    const AgentSpec& a = spec.agents[i];
    const Tree agent_node = list_item(root, "agents", i);
    const std::string path = "agents[" + a.name + "]";
    share_per_bloc[a.bloc] += a.strategy.target_share;
    if (demand_line.count(a.bloc) == 0) {
      diags.error(where_or(ctx, agent_node.child("bloc"), a.where), path + ".bloc",
                  "no demand entry for bloc '" + a.bloc + "'; add one under 'demand' with 'bloc: " + a.bloc + "'");
    }
    const Tree regions_node = agent_node.child("regions");
    for (std::size_t j = 0; j < a.regions.size(); ++j) {
      const std::string& region_name = a.regions[j];
      const RegionSpec* region = regions.find(region_name);
      if (region != nullptr && region->bloc != a.bloc) {
        const Tree item = regions_node.is_sequence() && j < regions_node.size()
                                    ? regions_node[j]
                                    : Tree();
        diags.error(where_or(ctx, item, a.where), path + ".regions[" + std::to_string(j) + "]",
                    "region '" + region_name + "' is in bloc '" + region->bloc + "' but the agent is in bloc '" +
                        a.bloc + "'; expected regions of its own bloc");
      }
    }
    for (const auto& f : a.fleet) {
      const SiteSpec* site = sites.find(f.site);
      const ChipSpec* chip = chips.find(f.chip);
      if (site == nullptr || chip == nullptr) continue;
      if (site->owner != a.name) {
        diags.error(f.where, path + ".fleet",
                    "site '" + f.site + "' belongs to '" + site->owner + "', not to '" + a.name +
                        "'; expected one of the agent's own sites");
      } else if (chip->rack_kw > site->rack_kw) {
        std::ostringstream os;
        os << "chip '" << chip->name << "' needs racks of " << chip->rack_kw << " kW but site '" << site->name
           << "' allows at most " << site->rack_kw << " kW; expected a site with a higher rack_density";
        diags.error(f.where, path + ".fleet", os.str());
      }
    }
    // A site template that cannot host the chips the agent may buy.
    std::vector<std::string> too_dense;
    double densest_kw = 0.0;
    const std::unordered_set<std::string_view> vendors(a.vendors.begin(), a.vendors.end());
    for (const auto& c : spec.chips) {
      const bool allowed =
          vendors.count(c.vendor) > 0 && std::find(c.markets.begin(), c.markets.end(), a.bloc) != c.markets.end();
      if (allowed && c.rack_kw > a.new_site.rack_kw) {
        too_dense.push_back(c.name);
        densest_kw = std::max(densest_kw, c.rack_kw);
      }
    }
    if (!too_dense.empty()) {
      std::string list;
      for (const auto& n : too_dense) list += (list.empty() ? "" : ", ") + n;
      std::ostringstream os;
      os << "new sites of " << a.new_site.rack_kw << " kW per rack are too sparse for " << list
         << "; those chips would be stranded without a site (expected at least " << densest_kw << " kW)";
      const Tree density = agent_node.child("new_site").child("rack_density");
      diags.warning(where_or(ctx, density, a.where), path + ".new_site.rack_density", os.str());
    }
  }
  // A site's region must be in its owner's bloc: its chips serve that bloc's market.
  for (std::size_t i = 0; i < spec.sites.size(); ++i) {
    const SiteSpec& site = spec.sites[i];
    const RegionSpec* region = regions.find(site.region);
    const AgentSpec* owner = agents.find(site.owner);
    if (region != nullptr && owner != nullptr && region->bloc != owner->bloc) {
      diags.error(where_or(ctx, list_item(root, "sites", i).child("region"), site.where),
                  "sites[" + site.name + "].region",
                  "region '" + site.region + "' is in bloc '" + region->bloc + "' but the owner '" + owner->name +
                      "' is in bloc '" + owner->bloc + "'; expected a region of the owner's bloc");
    }
  }
  // Initial fleets must fit their sites.
  std::map<std::string, double> fleet_mw;
  for (const auto& a : spec.agents) {
    for (const auto& f : a.fleet) {
      const ChipSpec* chip = chips.find(f.chip);
      if (chip == nullptr) continue;
      fleet_mw[f.site] += f.count * chip->power_kw / 1000.0;
      const SiteSpec* site = sites.find(f.site);
      if (site != nullptr && fleet_mw[f.site] > site->capacity_mw * (1.0 + 1e-9)) {
        std::ostringstream os;
        os << "the fleet placed in site '" << f.site << "' needs " << fleet_mw[f.site] << " MW of IT capacity but the site has "
           << site->capacity_mw << " MW; expected fewer chips or a larger site";
        diags.error(f.where, "agents[" + a.name + "].fleet", os.str());
      }
    }
  }
  for (const auto& [bloc, share] : share_per_bloc) {
    if (share > 1.5) {
      std::ostringstream os;
      os << "agents in bloc '" << bloc << "' target " << share * 100
         << "% of its demand together; they will overbuild (expected a total near 100%)";
      diags.warning({spec.source, 0, 0}, "agents", os.str());
    }
  }
  for (const auto& v : spec.vendors) {
    const bool sells = std::any_of(spec.chips.begin(), spec.chips.end(), [&](const ChipSpec& c) { return c.vendor == v.name; });
    if (!sells) diags.warning(v.where, "vendors[" + v.name + "]", "vendor has no chips; add chips with 'vendor: " + v.name + "'");
  }
}

}  // namespace

namespace {

constexpr TextFileKind scenario_file{"a scenario YAML file", "scenarios"};

//! The text of a scenario file, or a message saying why it cannot be had.
std::variant<std::string, std::string> read_scenario_file(const std::filesystem::path& path) {
  std::string problem;
  if (auto text = read_text_file(path, max_file_bytes, scenario_file, problem)) {
    return std::variant<std::string, std::string>(std::in_place_index<0>, std::move(*text));
  }
  return std::variant<std::string, std::string>(std::in_place_index<1>, std::move(problem));
}

using limits::max_extends_depth;

//! tree with its `extends` chain merged in: the base file (relative to the file naming it) is
//! read, its own `extends` resolved, and tree merged onto it. `chain` lists the files above.
Tree resolve_extends(const Tree& tree, Diagnostics& diags, std::vector<std::string>& chain) {
  const Tree ext = tree.child("extends");
  if (!ext.is_defined()) return tree;
  std::vector<Tree::Entry> own;
  const Tree* first_extends = nullptr;
  for (const auto& entry : tree.entries()) {
    if (!(entry.first.is_scalar() && entry.first.scalar() == "extends")) {
      own.push_back(entry);
    } else if (first_extends == nullptr) {
      first_extends = &entry.first;
    } else {  // the reader never sees `extends`, so its repeats are reported here
      diags.error(entry.first.where(), "extends",
                  "duplicate key 'extends' (first given at line " + std::to_string(first_extends->where().line) +
                      "); expected each key once");
    }
  }
  const Tree without = Tree::map(std::move(own), tree.where());
  if (ext.is_null()) return without;
  if (!ext.is_scalar() || ext.scalar().empty()) {
    diags.error(ext.where(), "extends", "expected the path of a base scenario file, e.g. 'extends: baseline.yaml'");
    return without;
  }
  const std::filesystem::path including(ext.where().file);
  const std::filesystem::path base_path = including.parent_path() / ext.scalar();
  const std::string shown = base_path.lexically_normal().string();
  if (std::find(chain.begin(), chain.end(), shown) != chain.end() || chain.size() > max_extends_depth) {
    std::string cycle;
    for (const auto& f : chain) cycle += f + " → ";
    diags.error(ext.where(), "extends",
                chain.size() > max_extends_depth
                    ? "more than " + std::to_string(max_extends_depth) + " levels of extends"
                    : "extends goes round in a circle: " + cycle + shown + "; expected a chain that ends");
    return without;
  }
  auto text = read_scenario_file(base_path);
  if (text.index() == 1) {
    std::vector<std::string> nearby;  // YAML files beside it, for a did-you-mean
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(base_path.parent_path().empty() ? "." : base_path.parent_path(), ec)) {
      if (entry.path().extension() == ".yaml") nearby.push_back(entry.path().filename().string());
    }
    std::sort(nearby.begin(), nearby.end());
    const std::string hint = nearby.empty() ? "" : " " + suggest(base_path.filename().string(), nearby);
    diags.error(ext.where(), "extends", "cannot read base scenario '" + shown + "': " + std::get<1>(text) + hint);
    return without;
  }
  YamlContext base_ctx(shown, diags);
  const Tree base = detail::parse_scenario_file_yaml(std::get<0>(text), base_ctx);
  chain.push_back(shown);
  const Tree resolved_base = resolve_extends(base, diags, chain);
  chain.pop_back();
  return detail::merge_trees(resolved_base, without, base_ctx);
}

//! Diagnostics in reading order: by file (in order of first appearance), then line and column.
std::vector<Diagnostic> in_reading_order(std::vector<Diagnostic> all) {
  std::vector<std::string> files;
  for (const auto& d : all) {
    if (std::find(files.begin(), files.end(), d.where.file) == files.end()) files.push_back(d.where.file);
  }
  auto rank = [&](const Diagnostic& d) {
    return std::tuple(std::find(files.begin(), files.end(), d.where.file) - files.begin(), d.where.line, d.where.column);
  };
  std::stable_sort(all.begin(), all.end(), [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
  return all;
}

}  // namespace

//! The parsed scenario behind a ScenarioTemplate: its tree with `extends` resolved, and the
//! warnings found on the way.
struct ScenarioTemplate::Parsed {
  std::string source;
  std::string text;
  Tree root;
  std::vector<Diagnostic> warnings;
};

ScenarioTemplate::ScenarioTemplate(std::string_view yaml_text, const std::string& source) {
  if (yaml_text.size() > max_file_bytes) {
    throw_scenario_error({source, 0, 0}, "", "the scenario text " + too_large_message(yaml_text.size(), max_file_bytes, scenario_file));
  }
  Diagnostics diags;
  YamlContext ctx(source, diags);
  auto parsed = std::make_shared<Parsed>();
  parsed->source = source;
  parsed->text = std::string(yaml_text);
  parsed->root = detail::parse_scenario_file_yaml(yaml_text, ctx);
  std::vector<std::string> chain{std::filesystem::path(source).lexically_normal().string()};
  parsed->root = resolve_extends(parsed->root, diags, chain);
  // A base that cannot be read would make everything it defines look missing: stop here.
  if (diags.has_errors()) throw ScenarioError(in_reading_order(diags.all()));
  parsed->warnings = diags.warnings();
  parsed_ = std::move(parsed);
}

ScenarioSpec ScenarioTemplate::instantiate(const std::vector<std::string>& overrides, bool with_resolved_yaml) const {
  const Parsed& parsed = *parsed_;
  Diagnostics diags;
  for (const Diagnostic& w : parsed.warnings) diags.warning(w.where, w.key_path, w.message);
  YamlContext ctx(parsed.source, diags);
  // A bad override is skipped, and the others are still applied and checked.
  Tree root = parsed.root;
  for (const auto& assignment : overrides) root = detail::apply_assignment(root, assignment, ctx);

  ScenarioSpec spec;
  spec.source = parsed.source;
  spec.text = parsed.text;
  if (with_resolved_yaml) spec.resolved_yaml = detail::with_defaults(root).to_yaml();
  spec.overrides = overrides;
  MapReader top(ctx, root, "");

  const detail::Names names{names_in(root, "chips"), names_in(root, "vendors"), names_in(root, "regions"),
                            names_in(root, "sites"), names_in(root, "agents")};
  detail::read_fields(top, detail::scenario_fields(), spec, names);
  top.finish();
  check_horizon(ctx, root, spec.run);
  detail::check_names(ctx, root);
  if (!diags.has_errors()) check_semantics(ctx, root, diags, spec);
  if (!diags.has_errors()) check_memory(ctx, root, spec);

  if (diags.has_errors()) throw ScenarioError(in_reading_order(diags.all()));
  spec.warnings = diags.warnings();
  if (spec.name.empty()) spec.name = "unnamed";
  bind_references(spec);  // every name is known now
  return spec;
}

std::vector<std::vector<KeyPathStep>> ScenarioTemplate::resolve_key_paths(std::string_view path,
                                                                          const SourceLocation& where) const {
  std::string problem =
      "expected a key path such as agents.meta.strategy.momentum, demand[us].base or agents[kind=hyperscaler].cash";
  if (const auto segments = parse_key_path(path)) {
    if (auto steps = detail::resolve_key_path(parsed_->root, *segments, problem)) return *steps;
  }
  throw_scenario_error(where, std::string(path), problem);
}

ScenarioTemplate ScenarioTemplate::default_scenario() {
  return ScenarioTemplate(default_scenario_text(), "<embedded>/baseline.yaml");
}

ScenarioSpec load_scenario_text(std::string_view yaml_text, const std::string& source,
                                const std::vector<std::string>& overrides) {
  return ScenarioTemplate(yaml_text, source).instantiate(overrides);
}

ScenarioTemplate ScenarioTemplate::from_file(const std::filesystem::path& path) {
  auto text = read_scenario_file(path);
  if (text.index() == 1) throw_scenario_error({path.string(), 0, 0}, "", std::get<1>(text));
  return ScenarioTemplate(std::get<0>(text), path.string());
}

ScenarioSpec load_scenario_file(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
  return ScenarioTemplate::from_file(path).instantiate(overrides);
}

ScenarioSpec load_default_scenario(const std::vector<std::string>& overrides) {
  return ScenarioTemplate::default_scenario().instantiate(overrides);
}

}  // namespace aidc
