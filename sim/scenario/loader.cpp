#include "aidc/scenario/loader.hpp"


#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <tuple>
#include <variant>
#include <sstream>

#include "compose.hpp"
#include "yaml_document.hpp"
#include "yaml_reader.hpp"

namespace aidc {

namespace {

using detail::MapReader;
using detail::Tree;
using detail::Range;
using detail::YamlContext;

constexpr std::uintmax_t max_file_bytes = 64u << 20;
constexpr int max_horizon_quarters = 1000;

//! The `name` of a list item, if it has one that is a plain value.
std::optional<std::string> item_name(const Tree& item) {
  if (!item.is_map()) return std::nullopt;
  const Tree name = detail::child(item, "name");
  if (!name.is_defined() || !name.is_scalar() || name.scalar().empty()) return std::nullopt;
  return name.scalar();
}

//! Names given by the `name` key of each item of a top-level list (first pass, for references).
std::vector<std::string> names_in(const Tree& root, const char* key) {
  std::vector<std::string> names;
  const Tree list = detail::child(root, key);
  if (!list.is_sequence()) return names;
  for (const auto& item : list.items()) {
    if (auto name = item_name(item)) names.push_back(*name);
  }
  return names;
}

//! Calls fn(reader) for each item of the list under key; paths read "chips[H100]". first_key is
//! the key each item starts with, for messages ("name" gives "- name: ...").
void for_each_item(YamlContext& ctx, MapReader& parent, const std::string& key, bool required,
                   const std::string& first_key, const std::function<void(MapReader&)>& fn) {
  const Tree list = parent.get(key, required);
  if (!list.is_defined() || list.is_null()) return;
  if (!list.is_sequence()) {
    ctx.error(list, parent.sub(key),
              "expected a list of items, each starting with '- " + first_key + ": ...', got " +
                  detail::describe_node(list));
    return;
  }
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Tree item = list[i];
    std::string label = std::to_string(i);
    if (auto name = item_name(item)) {
      label = *name;
      const int line = ctx.at(detail::child(item, "name")).line;
      const auto [it, inserted] = first_line.emplace(label, line);
      if (!inserted) {
        ctx.error(detail::child(item, "name"), parent.sub(key) + "[" + label + "]",
                  "duplicate name '" + label + "' (first defined at line " + std::to_string(it->second) +
                      "); names must be unique");
      }
    }
    if (item.is_null()) {
      ctx.error(item, parent.sub(key) + "[" + label + "]",
                "empty list item; expected an item such as '- " + first_key + ": ...'");
      continue;
    }
    MapReader reader(ctx, item, parent.sub(key) + "[" + label + "]");
    if (!reader.is_map()) continue;
    fn(reader);
    reader.finish();
  }
}

struct Names {
  std::vector<std::string> chips, vendors, regions, sites, agents;
};

void read_run(YamlContext& ctx, MapReader& top, RunSpec& run) {
  MapReader r(ctx, top.get("run", true), "run");
  if (!r.is_map()) return;
  const bool has_start = r.quarter("start", run.start, true);
  const bool has_end = r.quarter("end", run.end, true);
  r.seed("seed", run.seed, false);
  if (has_start && has_end) {
    const Tree end_node = detail::child(r.node(), "end");
    if (run.end < run.start) {
      ctx.error(end_node, "run.end",
                "end " + run.end.str() + " is before start " + run.start.str() +
                    "; expected a quarter at or after the start");
    } else if (run.end - run.start + 1 > max_horizon_quarters) {
      ctx.error(end_node, "run.end",
                "horizon of " + std::to_string(run.end - run.start + 1) + " quarters is too long; at most " +
                    std::to_string(max_horizon_quarters) + " quarters (250 years) are allowed");
    }
  }
  r.finish();
}

void read_chips(YamlContext& ctx, MapReader& top, const Names& names, ScenarioSpec& spec) {
  for_each_item(ctx, top, "chips", true, "name", [&](MapReader& r) {
    ChipSpec c;
    c.where = r.where();
    r.text("name", c.name, true);
    r.reference("vendor", c.vendor, names.vendors, "vendor", true);
    r.reference("family", c.family, known_chip_families, "chip family", true);
    r.quarter("available_from", c.available_from, true);
    c.available_until = Quarter(Quarter::max_year, 4);
    if (r.quarter("available_until", c.available_until, false) && c.available_until < c.available_from) {
      ctx.error(detail::child(r.node(), "available_until"), r.sub("available_until"),
                "last quarter of sale " + c.available_until.str() + " is before available_from " +
                    c.available_from.str());
    }
    r.quantity("bf16_tflops", c.bf16_tflops, Dimension::number, Range::positive(), true);
    if (r.quantity("power", c.power_kw, Dimension::power, Range::positive(), true)) c.power_kw *= 1e3;
    if (r.quantity("rack_power", c.rack_kw, Dimension::power, Range::positive(), true)) c.rack_kw *= 1e3;
    r.quantity("price", c.price_usd, Dimension::money, Range::positive(), true);
    r.quarters("economic_life", c.economic_life_quarters, {1.0, 80.0}, true);
    r.quantity("software_efficiency", c.software_efficiency, Dimension::fraction, {0.0, 1.5, true}, false);
    r.reference_list("markets", c.markets, known_blocs, "bloc", true);
    if (c.power_kw > 0 && c.rack_kw > 0 && c.rack_kw < c.power_kw) {
      ctx.error(detail::child(r.node(), "rack_power"), r.sub("rack_power"),
                "rack power is below the power of one chip; expected the power of a whole rack (e.g. '130 kW')");
    }
    spec.chips.push_back(std::move(c));
  });
}

void read_vendors(YamlContext& ctx, MapReader& top, ScenarioSpec& spec) {
  for_each_item(ctx, top, "vendors", true, "name", [&](MapReader& r) {
    VendorSpec v;
    v.where = r.where();
    r.text("name", v.name, true);
    r.series("capacity", v.capacity_chips_per_quarter, Dimension::count, Range::non_negative(), true);
    r.quarters("lead_time", v.lead_time_quarters, {0.0, 40.0}, true);
    spec.vendors.push_back(std::move(v));
  });
}

void read_regions(YamlContext& ctx, MapReader& top, ScenarioSpec& spec) {
  for_each_item(ctx, top, "regions", true, "name", [&](MapReader& r) {
    RegionSpec g;
    g.where = r.where();
    r.text("name", g.name, true);
    r.reference("bloc", g.bloc, known_blocs, "bloc", true);
    r.series("generation", g.generation_mw, Dimension::power, Range::non_negative(), true);
    r.series("other_load", g.other_load_mw, Dimension::power, Range::non_negative(), true);
    r.quantity("reserve_margin", g.reserve_margin, Dimension::fraction, {0.0, 0.9}, false);
    r.quantity("power_price", g.power_price_usd_per_mwh, Dimension::price_per_mwh, Range::non_negative(), true);
    r.quarters("interconnection_time", g.interconnection_quarters, {0.0, 80.0}, true);
    spec.regions.push_back(std::move(g));
  });
}

void read_sites(YamlContext& ctx, MapReader& top, const Names& names, ScenarioSpec& spec) {
  for_each_item(ctx, top, "sites", false, "name", [&](MapReader& r) {
    SiteSpec s;
    s.where = r.where();
    r.text("name", s.name, true);
    r.reference("owner", s.owner, names.agents, "agent", true);
    r.reference("region", s.region, names.regions, "region", true);
    r.quantity("capacity", s.capacity_mw, Dimension::power, Range::positive(), true);
    r.quantity("pue", s.pue, Dimension::number, {1.0, 3.0}, false);
    if (r.quantity("rack_density", s.rack_kw, Dimension::power, Range::positive(), true)) s.rack_kw *= 1e3;
    r.quantity("build_cost", s.build_cost_usd_per_mw, Dimension::money_per_mw, Range::non_negative(), false);
    r.quarter("online", s.online, true);
    spec.sites.push_back(std::move(s));
  });
}

void read_site_template(YamlContext& ctx, MapReader& agent, SiteTemplateSpec& t) {
  MapReader r(ctx, agent.get("new_site", true), agent.sub("new_site"));
  if (!r.is_map()) return;
  r.quantity("capacity", t.capacity_mw, Dimension::power, Range::positive(), true);
  r.quantity("pue", t.pue, Dimension::number, {1.0, 3.0}, false);
  if (r.quantity("rack_density", t.rack_kw, Dimension::power, Range::positive(), true)) t.rack_kw *= 1e3;
  r.quantity("build_cost", t.build_cost_usd_per_mw, Dimension::money_per_mw, Range::non_negative(), false);
  r.quarters("build_time", t.build_quarters, {1.0, 80.0}, true);
  r.quarters("life", t.life_quarters, {4.0, 400.0}, false);
  r.finish();
}

void read_strategy(YamlContext& ctx, MapReader& agent, StrategySpec& s) {
  MapReader r(ctx, agent.get("strategy", true), agent.sub("strategy"));
  if (!r.is_map()) return;
  r.quantity("target_share", s.target_share, Dimension::fraction, Range::unit_interval(), true);
  r.quantity("momentum", s.momentum, Dimension::fraction, Range::unit_interval(), false);
  r.quantity("long_run_growth", s.long_run_growth_per_year, Dimension::fraction, {-0.9, 10.0}, false);
  r.quantity("headroom", s.headroom, Dimension::fraction, {0.0, 5.0}, false);
  r.finish();
}

void read_agents(YamlContext& ctx, MapReader& top, const Names& names, ScenarioSpec& spec) {
  for_each_item(ctx, top, "agents", true, "name", [&](MapReader& r) {
    AgentSpec a;
    a.where = r.where();
    r.text("name", a.name, true);
    r.reference("kind", a.kind, known_agent_kinds, "agent kind", true);
    r.reference("bloc", a.bloc, known_blocs, "bloc", true);
    r.quantity("cash", a.cash_usd, Dimension::money, Range::non_negative(), true);
    r.quantity("operating_cash_flow", a.operating_cash_flow_usd_per_quarter, Dimension::money, Range::any(), false);
    r.quantity("cash_flow_growth", a.cash_flow_growth_per_year, Dimension::fraction, {-0.9, 10.0}, false);
    r.quantity("min_cash", a.min_cash_usd, Dimension::money, Range::non_negative(), false);
    r.reference_list("vendors", a.vendors, names.vendors, "vendor", true);
    r.reference_list("regions", a.regions, names.regions, "region", true);
    read_strategy(ctx, r, a.strategy);
    r.quarters("book_life", a.book_life_quarters, {1.0, 160.0}, true);
    read_site_template(ctx, r, a.new_site);
    for_each_item(ctx, r, "fleet", false, "chip", [&](MapReader& f) {
      FleetSpec fs;
      fs.where = f.where();
      f.reference("chip", fs.chip, names.chips, "chip", true);
      f.quantity("count", fs.count, Dimension::count, Range::positive(), true);
      f.reference("site", fs.site, names.sites, "site", true);
      f.quarters("age", fs.age_quarters, {0.0, 80.0}, false);
      a.fleet.push_back(std::move(fs));
    });
    if (a.regions.empty() && detail::child(r.node(), "regions").is_sequence()) {
      ctx.error(detail::child(r.node(), "regions"), r.sub("regions"),
                "the list is empty; expected at least one region to build in, such as [" +
                    (names.regions.empty() ? std::string("us-east") : names.regions.front()) + "]");
    }
    spec.agents.push_back(std::move(a));
  });
}

void read_demand(YamlContext& ctx, MapReader& top, ScenarioSpec& spec) {
  for_each_item(ctx, top, "demand", true, "bloc", [&](MapReader& r) {
    DemandSpec d;
    d.where = r.where();
    r.reference("bloc", d.bloc, known_blocs, "bloc", true);
    r.quantity("base", d.base_h100e, Dimension::count, Range::non_negative(), true);
    r.series("growth", d.growth_per_year, Dimension::fraction, {-0.9, 20.0}, true);
    r.quantity("reference_price", d.reference_price_usd_per_hour, Dimension::price_per_hour, Range::positive(), true);
    r.quantity("elasticity", d.elasticity, Dimension::number, {0.05, 10.0}, false);
    r.quantity("price_adjustment", d.price_adjustment, Dimension::fraction, {0.0, 1.0, true}, false);
    r.quantity("noise", d.noise, Dimension::fraction, {0.0, 1.0}, false);
    spec.demand.push_back(std::move(d));
  });
}

template <class T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
  for (const auto& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

//! The i-th item of the top-level list `key`, or an undefined node.
Tree list_item(const Tree& root, const char* key, std::size_t i) {
  const Tree list = detail::child(root, key);
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
  // Demand: one entry per bloc, and every bloc with agents has one.
  std::map<std::string, int> demand_line;
  for (std::size_t i = 0; i < spec.demand.size(); ++i) {
    const DemandSpec& d = spec.demand[i];
    const SourceLocation at = where_or(ctx, detail::child(list_item(root, "demand", i), "bloc"), d.where);
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
      diags.error(where_or(ctx, detail::child(agent_node, "bloc"), a.where), path + ".bloc",
                  "no demand entry for bloc '" + a.bloc + "'; add one under 'demand' with 'bloc: " + a.bloc + "'");
    }
    const Tree regions_node = detail::child(agent_node, "regions");
    for (std::size_t j = 0; j < a.regions.size(); ++j) {
      const std::string& region_name = a.regions[j];
      const RegionSpec* region = find_named(spec.regions, region_name);
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
      const SiteSpec* site = find_named(spec.sites, f.site);
      const ChipSpec* chip = find_named(spec.chips, f.chip);
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
    for (const auto& c : spec.chips) {
      const bool allowed = std::find(a.vendors.begin(), a.vendors.end(), c.vendor) != a.vendors.end() &&
                           std::find(c.markets.begin(), c.markets.end(), a.bloc) != c.markets.end();
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
      const Tree density = detail::child(detail::child(agent_node, "new_site"), "rack_density");
      diags.warning(where_or(ctx, density, a.where), path + ".new_site.rack_density", os.str());
    }
  }
  // A site's region must be in its owner's bloc: its chips serve that bloc's market.
  for (std::size_t i = 0; i < spec.sites.size(); ++i) {
    const SiteSpec& site = spec.sites[i];
    const RegionSpec* region = find_named(spec.regions, site.region);
    const AgentSpec* owner = find_named(spec.agents, site.owner);
    if (region != nullptr && owner != nullptr && region->bloc != owner->bloc) {
      diags.error(where_or(ctx, detail::child(list_item(root, "sites", i), "region"), site.where),
                  "sites[" + site.name + "].region",
                  "region '" + site.region + "' is in bloc '" + region->bloc + "' but the owner '" + owner->name +
                      "' is in bloc '" + owner->bloc + "'; expected a region of the owner's bloc");
    }
  }
  // Initial fleets must fit their sites.
  std::map<std::string, double> fleet_mw;
  for (const auto& a : spec.agents) {
    for (const auto& f : a.fleet) {
      const ChipSpec* chip = find_named(spec.chips, f.chip);
      if (chip == nullptr) continue;
      fleet_mw[f.site] += f.count * chip->power_kw / 1000.0;
      const SiteSpec* site = find_named(spec.sites, f.site);
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

//! The text of a scenario file, or a message saying why it cannot be had.
std::variant<std::string, std::string> read_text_file(const std::filesystem::path& path) {
  using Result = std::variant<std::string, std::string>;
  auto fail = [](std::string msg) { return Result(std::in_place_index<1>, std::move(msg)); };
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return fail("no such file; expected a scenario YAML file");
  if (std::filesystem::is_directory(status)) return fail("is a directory; expected a scenario YAML file");
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_file_bytes) {
    return fail("file is " + std::to_string(size >> 20) + " MiB; scenarios are limited to 64 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot be opened for reading (check its permissions)");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return fail("read error");
  return Result(std::in_place_index<0>, buffer.str());
}

constexpr int max_extends_depth = 16;

//! tree with its `extends` chain merged in: the base file (relative to the file naming it) is
//! read, its own `extends` resolved, and tree merged onto it. `chain` lists the files above.
Tree resolve_extends(const Tree& tree, Diagnostics& diags, std::vector<std::string>& chain) {
  const Tree ext = tree.child("extends");
  if (!ext.is_defined()) return tree;
  std::vector<Tree::Entry> own;
  for (const auto& entry : tree.entries()) {
    if (!(entry.first.is_scalar() && entry.first.scalar() == "extends")) own.push_back(entry);
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
  if (std::find(chain.begin(), chain.end(), shown) != chain.end() || chain.size() >= max_extends_depth) {
    std::string cycle;
    for (const auto& f : chain) cycle += f + " → ";
    diags.error(ext.where(), "extends",
                chain.size() >= max_extends_depth
                    ? "more than " + std::to_string(max_extends_depth) + " levels of extends"
                    : "extends goes round in a circle: " + cycle + shown + "; expected a chain that ends");
    return without;
  }
  auto text = read_text_file(base_path);
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
  const Tree base = detail::parse_scenario_yaml(std::get<0>(text), base_ctx);
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

ScenarioSpec load_scenario_text(std::string_view yaml_text, const std::string& source,
                                const std::vector<std::string>& overrides) {
  Diagnostics diags;
  YamlContext ctx(source, diags);
  Tree root = detail::parse_scenario_yaml(yaml_text, ctx);
  std::vector<std::string> chain{std::filesystem::path(source).lexically_normal().string()};
  root = resolve_extends(root, diags, chain);
  // A base that cannot be read would make everything it defines look missing: stop here. A bad
  // override is skipped, and the others are still applied and checked.
  if (diags.has_errors()) throw ScenarioError(in_reading_order(diags.all()));
  for (const auto& assignment : overrides) root = detail::apply_assignment(root, assignment, ctx);

  ScenarioSpec spec;
  spec.source = source;
  spec.text = std::string(yaml_text);
  spec.resolved_yaml = root.to_yaml();
  spec.overrides = overrides;
  MapReader top(ctx, root, "");

  const Names names{names_in(root, "chips"), names_in(root, "vendors"), names_in(root, "regions"),
                    names_in(root, "sites"), names_in(root, "agents")};
  top.text("name", spec.name, false);
  top.text("description", spec.description, false);
  read_run(ctx, top, spec.run);
  read_vendors(ctx, top, spec);
  read_chips(ctx, top, names, spec);
  read_regions(ctx, top, spec);
  read_sites(ctx, top, names, spec);
  read_agents(ctx, top, names, spec);
  read_demand(ctx, top, spec);
  top.finish();
  if (!diags.has_errors()) check_semantics(ctx, root, diags, spec);

  if (diags.has_errors()) throw ScenarioError(in_reading_order(diags.all()));
  spec.warnings = diags.warnings();
  if (spec.name.empty()) spec.name = "unnamed";
  return spec;
}

ScenarioSpec load_scenario_file(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
  auto text = read_text_file(path);
  if (text.index() == 1) {
    throw ScenarioError({Diagnostic{Diagnostic::Severity::error, {path.string(), 0, 0}, "", std::get<1>(text)}});
  }
  return load_scenario_text(std::get<0>(text), path.string(), overrides);
}

ScenarioSpec load_default_scenario(const std::vector<std::string>& overrides) {
  return load_scenario_text(default_scenario_text(), "<embedded>/default.yaml", overrides);
}

}  // namespace aidc
