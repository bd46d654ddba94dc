// The scenario language, declared once. To add a parameter: add a member (with its default) to
// the spec struct in spec.hpp, then one line to its section's table below. Validation, the
// reference (`aidcsim schema`, docs/scenario-reference.md) and --set all follow from that line.

#include "aidc/scenario/schema.hpp"

#include <cmath>
#include <sstream>

#include "fields.hpp"

namespace aidc {

bool Range::contains(double v) const noexcept {
  if (min_exclusive ? !(v > min) : !(v >= min)) return false;
  return v <= max;
}

std::string Range::describe() const {
  auto num = [](double x) {
    std::ostringstream os;
    os << x;
    return os.str();
  };
  const bool has_min = std::isfinite(min), has_max = std::isfinite(max);
  if (has_min && has_max) {
    return min_exclusive ? "a value above " + num(min) + " and at most " + num(max)
                         : "a value from " + num(min) + " to " + num(max);
  }
  if (has_min) return min_exclusive ? "a value above " + num(min) : "a value of at least " + num(min);
  if (has_max) return "a value of at most " + num(max);
  return "a finite value";
}

namespace detail {
namespace {

enum class Need { required, optional };

//! How a stored value is shown: the field stores canonical × scale, written in `unit`
//! (e.g. rack_kw: scale 1000, "kW"). The default shows the canonical unit.
struct Display {
  const char* unit = nullptr;
  double scale = 1.0;
};

std::string number_text(double v) {
  std::ostringstream os;
  os.precision(10);
  os << v;
  return os.str();
}

// 52e9 → "52B", 25000 → "25k"
std::string with_magnitude(double v) {
  const double a = std::abs(v);
  if (a >= 1e12) return number_text(v / 1e12) + "T";
  if (a >= 1e9) return number_text(v / 1e9) + "B";
  if (a >= 1e6) return number_text(v / 1e6) + "M";
  if (a >= 1e3) return number_text(v / 1e3) + "k";
  return number_text(v);
}

//! A stored value as a user would write it.
std::string value_text(double stored, Dimension dim, Display display) {
  const std::string unit = display.unit ? display.unit : std::string(canonical_unit(dim));
  switch (dim) {
    case Dimension::number: return number_text(stored);
    case Dimension::count: return with_magnitude(stored);
    case Dimension::fraction: return number_text(stored * 100) + "%";
    case Dimension::power: return number_text(stored) + " " + unit;
    case Dimension::money: return "$" + with_magnitude(stored);
    case Dimension::price_per_hour: return "$" + number_text(stored) + "/h";
    case Dimension::price_per_mwh: return "$" + number_text(stored) + "/MWh";
    case Dimension::money_per_mw: return "$" + with_magnitude(stored) + "/MW";
    case Dimension::duration: return number_text(stored) + " quarters";
  }
  return number_text(stored);
}

std::string quarters_text(int q) {
  if (q % 4 == 0 && q > 0) return std::to_string(q / 4) + (q == 4 ? " year" : " years");
  return std::to_string(q) + (q == 1 ? " quarter" : " quarters");
}

ParamInfo info(const char* key, ValueKind kind, Need need, const char* help) {
  ParamInfo p;
  p.key = key;
  p.kind = kind;
  p.required = need == Need::required;
  p.help = help;
  return p;
}

template <class T>
Field<T> text(const char* key, std::string T::*member, Need need, const char* help) {
  const bool required = need == Need::required;
  return {info(key, ValueKind::text, need, help),
          [=](MapReader& r, T& out, const Names&) { r.text(key, out.*member, required); }, {}};
}

template <class T>
Field<T> choice(const char* key, std::string T::*member, const std::vector<std::string>& choices, const char* what,
                const char* help) {
  ParamInfo p = info(key, ValueKind::choice, Need::required, help);
  p.choices = choices;
  p.refers_to = what;
  return {p, [=](MapReader& r, T& out, const Names&) { r.reference(key, out.*member, choices, what, true); }, {}};
}

template <class T>
Field<T> choice_list(const char* key, std::vector<std::string> T::*member, const std::vector<std::string>& choices,
                     const char* what, const char* help) {
  ParamInfo p = info(key, ValueKind::reference_list, Need::required, help);
  p.choices = choices;
  p.refers_to = what;
  return {p, [=](MapReader& r, T& out, const Names&) { r.reference_list(key, out.*member, choices, what, true); }, {}};
}

template <class T>
Field<T> reference(const char* key, std::string T::*member, std::vector<std::string> Names::*names, const char* what,
                   const char* help) {
  ParamInfo p = info(key, ValueKind::reference, Need::required, help);
  p.refers_to = what;
  return {p, [=](MapReader& r, T& out, const Names& n) { r.reference(key, out.*member, n.*names, what, true); }, {}};
}

template <class T>
Field<T> reference_list(const char* key, std::vector<std::string> T::*member, std::vector<std::string> Names::*names,
                        const char* what, const char* help) {
  ParamInfo p = info(key, ValueKind::reference_list, Need::required, help);
  p.refers_to = what;
  return {p, [=](MapReader& r, T& out, const Names& n) { r.reference_list(key, out.*member, n.*names, what, true); },
          {}};
}

template <class T>
Field<T> quantity(const char* key, double T::*member, Dimension dim, Range range, Need need, const char* help,
                  Display display = {}) {
  ParamInfo p = info(key, ValueKind::quantity, need, help);
  p.dimension = dim;
  p.range = range;
  p.unit = display.unit ? display.unit : std::string(canonical_unit(dim));
  p.unit_scale = display.scale;
  if (need == Need::optional) p.default_text = value_text(T{}.*member, dim, display);
  const bool required = need == Need::required;
  return {p,
          [=](MapReader& r, T& out, const Names&) {
            double v = 0.0;
            if (r.quantity(key, v, dim, range, required, 1.0 / display.scale)) out.*member = v * display.scale;
          },
          {}};
}

template <class T>
Field<T> duration(const char* key, int T::*member, Range range, Need need, const char* help) {
  ParamInfo p = info(key, ValueKind::duration, need, help);
  p.dimension = Dimension::duration;
  p.range = range;
  p.unit = "quarters";
  if (need == Need::optional) p.default_text = quarters_text(T{}.*member);
  const bool required = need == Need::required;
  return {p, [=](MapReader& r, T& out, const Names&) { r.quarters(key, out.*member, range, required); }, {}};
}

template <class T>
Field<T> quarter(const char* key, Quarter T::*member, Need need, const char* help, const char* default_text = "") {
  ParamInfo p = info(key, ValueKind::quarter, need, help);
  p.default_text = default_text;
  const bool required = need == Need::required;
  return {p, [=](MapReader& r, T& out, const Names&) { r.quarter(key, out.*member, required); }, {}};
}

template <class T>
Field<T> seed(const char* key, std::uint64_t T::*member, const char* help) {
  ParamInfo p = info(key, ValueKind::seed, Need::optional, help);
  p.default_text = std::to_string(T{}.*member);
  return {p, [=](MapReader& r, T& out, const Names&) { r.seed(key, out.*member, false); }, {}};
}

template <class T>
Field<T> series(const char* key, TimeSeriesSpec T::*member, Dimension dim, Range range, const char* help) {
  ParamInfo p = info(key, ValueKind::series, Need::required, help);
  p.dimension = dim;
  p.range = range;
  p.unit = std::string(canonical_unit(dim));
  return {p, [=](MapReader& r, T& out, const Names&) { r.series(key, out.*member, dim, range, true); }, {}};
}

//! A nested mapping read with its own table.
template <class T, class S>
Field<T> mapping(const char* key, S T::*member, const Fields<S>& (*fields)(), Need need, const char* help,
                 const char* section_help) {
  ParamInfo p = info(key, ValueKind::mapping, need, help);
  const bool required = need == Need::required;
  return {p,
          [=](MapReader& r, T& out, const Names& names) {
            MapReader sub(r.context(), r.get(key, required), r.sub(key));
            if (!sub.is_map()) return;
            read_fields(sub, fields(), out.*member, names);
            sub.finish();
          },
          [=](std::vector<SectionInfo>& out, const std::string& parent) {
            const std::string path = parent.empty() ? key : parent + "." + key;
            SectionInfo s{path, section_help, {}};
            for (const auto& f : fields()) s.params.push_back(f.info);
            out.push_back(s);
            for (const auto& f : fields()) {
              if (f.describe_nested) f.describe_nested(out, path);
            }
          }};
}

//! A list of items read with their own table; `check` runs after each item's fields.
template <class T, class S>
Field<T> list(const char* key, std::vector<S> T::*member, const Fields<S>& (*fields)(), const char* first_key,
              Need need, const char* help, const char* section_help,
              void (*check)(MapReader&, S&, const Names&) = nullptr) {
  ParamInfo p = info(key, ValueKind::list, need, help);
  const bool required = need == Need::required;
  return {p,
          [=](MapReader& r, T& out, const Names& names) {
            r.items(key, required, first_key, [&](MapReader& item) {
              S s;
              s.where = item.where();
              read_fields(item, fields(), s, names);
              if (check != nullptr) check(item, s, names);
              (out.*member).push_back(std::move(s));
            });
          },
          [=](std::vector<SectionInfo>& out, const std::string& parent) {
            const std::string path = (parent.empty() ? std::string(key) : parent + "." + key) + "[]";
            SectionInfo s{path, section_help, {}};
            for (const auto& f : fields()) s.params.push_back(f.info);
            out.push_back(s);
            for (const auto& f : fields()) {
              if (f.describe_nested) f.describe_nested(out, path);
            }
          }};
}

// ---- the sections ------------------------------------------------------------------------------

const Fields<RunSpec>& run_fields() {
  static const Fields<RunSpec> fields = {
      quarter("start", &RunSpec::start, Need::required, "First quarter simulated."),
      quarter("end", &RunSpec::end, Need::required, "Last quarter simulated (at most 1,000 quarters after start)."),
      seed("seed", &RunSpec::seed, "Seed of every random stream; `--seed` overrides it."),
  };
  return fields;
}

const Fields<VendorSpec>& vendor_fields() {
  static const Fields<VendorSpec> fields = {
      text("name", &VendorSpec::name, Need::required, "Unique name; chips refer to it."),
      series("capacity", &VendorSpec::capacity_chips_per_quarter, Dimension::count, Range::non_negative(),
             "Chips it can produce per quarter, across its SKUs."),
      duration("lead_time", &VendorSpec::lead_time_quarters, {0.0, 40.0}, Need::required,
               "From production to delivery (at least one quarter is applied)."),
  };
  return fields;
}

void check_chip(MapReader& r, ChipSpec& c, const Names&) {
  if (c.available_until < c.available_from) {
    r.context().error(child(r.node(), "available_until"), r.sub("available_until"),
                      "last quarter of sale " + c.available_until.str() + " is before available_from " +
                          c.available_from.str());
  }
  if (c.power_kw > 0 && c.rack_kw > 0 && c.rack_kw < c.power_kw) {
    r.context().error(child(r.node(), "rack_power"), r.sub("rack_power"),
                      "rack power is below the power of one chip; expected the power of a whole rack (e.g. '130 kW')");
  }
}

const Fields<ChipSpec>& chip_fields() {
  static const Fields<ChipSpec> fields = {
      text("name", &ChipSpec::name, Need::required, "Unique SKU name."),
      reference("vendor", &ChipSpec::vendor, &Names::vendors, "vendor", "Who makes it."),
      choice("family", &ChipSpec::family, known_chip_families, "chip family", "Architecture family."),
      quarter("available_from", &ChipSpec::available_from, Need::required, "First quarter it can be ordered."),
      quarter("available_until", &ChipSpec::available_until, Need::optional,
              "Last quarter it can be ordered (end of sale).", "no end"),
      quantity("bf16_tflops", &ChipSpec::bf16_tflops, Dimension::number, Range::positive(), Need::required,
               "Dense BF16 TFLOP/s per chip; 989 = one H100e."),
      quantity("power", &ChipSpec::power_kw, Dimension::power, Range::positive(), Need::required,
               "All-in IT power per chip (server and network share).", {"kW", 1e3}),
      quantity("rack_power", &ChipSpec::rack_kw, Dimension::power, Range::positive(), Need::required,
               "Power of one rack of it: the density a site must allow.", {"kW", 1e3}),
      quantity("price", &ChipSpec::price_usd, Dimension::money, Range::positive(), Need::required,
               "All-in price per chip."),
      duration("economic_life", &ChipSpec::economic_life_quarters, {1.0, 80.0}, Need::required,
               "Useful life: it retires after this long in service."),
      quantity("software_efficiency", &ChipSpec::software_efficiency, Dimension::fraction, {0.0, 1.5, true},
               Need::optional, "Share of peak buyers realize (1 = the CUDA baseline)."),
      choice_list("markets", &ChipSpec::markets, known_blocs, "bloc", "Blocs it may be sold into."),
  };
  return fields;
}

const Fields<RegionSpec>& region_fields() {
  static const Fields<RegionSpec> fields = {
      text("name", &RegionSpec::name, Need::required, "Unique region name; sites and agents refer to it."),
      choice("bloc", &RegionSpec::bloc, known_blocs, "bloc", "Market bloc it belongs to."),
      series("generation", &RegionSpec::generation_mw, Dimension::power, Range::non_negative(),
             "Generating capacity."),
      series("other_load", &RegionSpec::other_load_mw, Dimension::power, Range::non_negative(),
             "Load other than datacenters."),
      quantity("reserve_margin", &RegionSpec::reserve_margin, Dimension::fraction, {0.0, 0.9}, Need::optional,
               "Share of generation held in reserve; datacenters may use generation × (1 − margin) − other load."),
      quantity("power_price", &RegionSpec::power_price_usd_per_mwh, Dimension::price_per_mwh, Range::non_negative(),
               Need::required, "Price of electricity."),
      duration("interconnection_time", &RegionSpec::interconnection_quarters, {0.0, 80.0}, Need::required,
               "From a new site's grid request to its connection."),
  };
  return fields;
}

const Fields<SiteSpec>& site_fields() {
  static const Fields<SiteSpec> fields = {
      text("name", &SiteSpec::name, Need::required, "Unique site name; fleets refer to it."),
      reference("owner", &SiteSpec::owner, &Names::agents, "agent", "The agent that owns it."),
      reference("region", &SiteSpec::region, &Names::regions, "region", "Where it draws power."),
      quantity("capacity", &SiteSpec::capacity_mw, Dimension::power, Range::positive(), Need::required,
               "IT capacity."),
      quantity("pue", &SiteSpec::pue, Dimension::number, {1.0, 3.0}, Need::optional,
               "Power usage effectiveness: grid power / IT power."),
      quantity("rack_density", &SiteSpec::rack_kw, Dimension::power, Range::positive(), Need::required,
               "Densest rack it can host.", {"kW", 1e3}),
      quantity("build_cost", &SiteSpec::build_cost_usd_per_mw, Dimension::money_per_mw, Range::non_negative(),
               Need::optional, "Cost of shell, power and cooling per MW of IT (its value on the books)."),
      quarter("online", &SiteSpec::online, Need::required, "Quarter it is built and connected."),
  };
  return fields;
}

const Fields<StrategySpec>& strategy_fields() {
  static const Fields<StrategySpec> fields = {
      quantity("target_share", &StrategySpec::target_share, Dimension::fraction, Range::unit_interval(),
               Need::required, "Share of its bloc's demand it aims to serve."),
      quantity("momentum", &StrategySpec::momentum, Dimension::fraction, Range::unit_interval(), Need::optional,
               "Weight of observed demand growth against its long-run belief."),
      quantity("long_run_growth", &StrategySpec::long_run_growth_per_year, Dimension::fraction, {-0.9, 10.0},
               Need::optional, "Annual demand growth it believes in the long run."),
      quantity("headroom", &StrategySpec::headroom, Dimension::fraction, {0.0, 5.0}, Need::optional,
               "Capacity it plans above its forecast."),
  };
  return fields;
}

const Fields<SiteTemplateSpec>& site_template_fields() {
  static const Fields<SiteTemplateSpec> fields = {
      quantity("capacity", &SiteTemplateSpec::capacity_mw, Dimension::power, Range::positive(), Need::required,
               "IT capacity of each new site."),
      quantity("pue", &SiteTemplateSpec::pue, Dimension::number, {1.0, 3.0}, Need::optional,
               "Power usage effectiveness."),
      quantity("rack_density", &SiteTemplateSpec::rack_kw, Dimension::power, Range::positive(), Need::required,
               "Densest rack it can host.", {"kW", 1e3}),
      quantity("build_cost", &SiteTemplateSpec::build_cost_usd_per_mw, Dimension::money_per_mw, Range::non_negative(),
               Need::optional, "Cost per MW of IT, paid evenly over the build."),
      duration("build_time", &SiteTemplateSpec::build_quarters, {1.0, 80.0}, Need::required,
               "From start to built."),
      duration("life", &SiteTemplateSpec::life_quarters, {4.0, 400.0}, Need::optional,
               "Depreciation life of the building and its power gear."),
  };
  return fields;
}

const Fields<FleetSpec>& fleet_fields() {
  static const Fields<FleetSpec> fields = {
      reference("chip", &FleetSpec::chip, &Names::chips, "chip", "Chip SKU."),
      quantity("count", &FleetSpec::count, Dimension::count, Range::positive(), Need::required, "Number of chips."),
      reference("site", &FleetSpec::site, &Names::sites, "site", "One of the agent's sites, dense enough for the chip."),
      duration("age", &FleetSpec::age_quarters, {0.0, 80.0}, Need::optional,
               "How long before the start they were delivered (they are depreciated that far)."),
  };
  return fields;
}

void check_agent(MapReader& r, AgentSpec& a, const Names& names) {
  const Tree regions = child(r.node(), "regions");
  if (a.regions.empty() && regions.is_sequence()) {
    r.context().error(regions, r.sub("regions"),
                      "the list is empty; expected at least one region to build in, such as [" +
                          (names.regions.empty() ? std::string("us-east") : names.regions.front()) + "]");
  }
}

const Fields<AgentSpec>& agent_fields() {
  static const Fields<AgentSpec> fields = {
      text("name", &AgentSpec::name, Need::required, "Unique agent name; sites refer to it."),
      choice("kind", &AgentSpec::kind, known_agent_kinds, "agent kind", "What sort of buyer it is."),
      choice("bloc", &AgentSpec::bloc, known_blocs, "bloc", "The market it sells compute in."),
      quantity("cash", &AgentSpec::cash_usd, Dimension::money, Range::non_negative(), Need::required,
               "Cash at the start."),
      quantity("operating_cash_flow", &AgentSpec::operating_cash_flow_usd_per_quarter, Dimension::money, Range::any(),
               Need::optional, "Cash its non-AI business brings in per quarter (negative: it burns cash)."),
      quantity("cash_flow_growth", &AgentSpec::cash_flow_growth_per_year, Dimension::fraction, {-0.9, 10.0},
               Need::optional, "Annual growth of that cash flow."),
      quantity("min_cash", &AgentSpec::min_cash_usd, Dimension::money, Range::non_negative(), Need::optional,
               "Cash it keeps; it spends only above this."),
      reference_list("vendors", &AgentSpec::vendors, &Names::vendors, "vendor", "Vendors it may buy from."),
      reference_list("regions", &AgentSpec::regions, &Names::regions, "region",
                     "Regions it builds new sites in (of its own bloc); the first sets its power price."),
      mapping("strategy", &AgentSpec::strategy, &strategy_fields, Need::required, "How it plans.",
              "How an agent forecasts and sizes its fleet (MODEL.md §6)."),
      duration("book_life", &AgentSpec::book_life_quarters, {1.0, 160.0}, Need::required,
               "Depreciation life of chips on its books."),
      mapping("new_site", &AgentSpec::new_site, &site_template_fields, Need::required,
              "The datacenters it builds when it needs space.", "Each new site an agent starts."),
      list("fleet", &AgentSpec::fleet, &fleet_fields, "chip", Need::optional, "Chips it owns at the start.",
           "Chips an agent owns when the run starts."),
  };
  return fields;
}

const Fields<DemandSpec>& demand_fields() {
  static const Fields<DemandSpec> fields = {
      choice("bloc", &DemandSpec::bloc, known_blocs, "bloc", "The market; one entry per bloc."),
      quantity("base", &DemandSpec::base_h100e, Dimension::count, Range::non_negative(), Need::required,
               "Demand at the reference price in the first quarter, in H100e of continuous use."),
      series("growth", &DemandSpec::growth_per_year, Dimension::fraction, {-0.9, 20.0},
             "Annual growth of demand at the reference price."),
      quantity("reference_price", &DemandSpec::reference_price_usd_per_hour, Dimension::price_per_hour,
               Range::positive(), Need::required, "Price per effective H100e-hour at which `base` is demanded."),
      quantity("elasticity", &DemandSpec::elasticity, Dimension::number, {0.05, 10.0}, Need::optional,
               "Price elasticity of demand."),
      quantity("price_adjustment", &DemandSpec::price_adjustment, Dimension::fraction, {0.0, 1.0, true},
               Need::optional, "Share of the gap to the clearing price the price closes each quarter."),
      quantity("noise", &DemandSpec::noise, Dimension::fraction, {0.0, 1.0}, Need::optional,
               "Log standard deviation of a quarterly demand shock."),
  };
  return fields;
}

Field<ScenarioSpec> extends_field() {
  ParamInfo p = info("extends", ValueKind::text, Need::optional,
                     "A base scenario file (relative to this one) this file changes; merged before reading.");
  p.default_text = "none";
  return {p, [](MapReader&, ScenarioSpec&, const Names&) {}, {}};  // resolved before the fields are read
}

}  // namespace

const Fields<ScenarioSpec>& scenario_fields() {
  static const Fields<ScenarioSpec> fields = {
      extends_field(),
      text("name", &ScenarioSpec::name, Need::optional, "Short name, used in outputs."),
      text("description", &ScenarioSpec::description, Need::optional, "What the scenario is about."),
      mapping("run", &ScenarioSpec::run, &run_fields, Need::required, "Horizon and seed.",
              "The simulated horizon and the random seed."),
      list("vendors", &ScenarioSpec::vendors, &vendor_fields, "name", Need::required, "Chip makers.",
           "Chip vendors (MODEL.md §3)."),
      list("chips", &ScenarioSpec::chips, &chip_fields, "name", Need::required, "Chip SKUs.",
           "Chip SKUs (MODEL.md §2).", &check_chip),
      list("regions", &ScenarioSpec::regions, &region_fields, "name", Need::required, "Power regions.",
           "Power regions (MODEL.md §4)."),
      list("sites", &ScenarioSpec::sites, &site_fields, "name", Need::optional,
           "Datacenters that exist or are in the pipeline at the start.",
           "Datacenters at the start (MODEL.md §5); agents add their own as they grow."),
      list("agents", &ScenarioSpec::agents, &agent_fields, "name", Need::required, "Buyers of compute.",
           "Agents that buy chips and sell compute (MODEL.md §6).", &check_agent),
      list("demand", &ScenarioSpec::demand, &demand_fields, "bloc", Need::required, "Demand per bloc.",
           "Demand for compute, one entry per bloc (MODEL.md §7)."),
  };
  return fields;
}

}  // namespace detail

const std::vector<SectionInfo>& scenario_schema() {
  static const std::vector<SectionInfo> sections = [] {
    std::vector<SectionInfo> out;
    SectionInfo top{"", "The top level of a scenario file.", {}};
    for (const auto& f : detail::scenario_fields()) top.params.push_back(f.info);
    out.push_back(top);
    for (const auto& f : detail::scenario_fields()) {
      if (f.describe_nested) f.describe_nested(out, "");
    }
    return out;
  }();
  return sections;
}

namespace {

std::string value_column(const ParamInfo& p) {
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + std::string("`") + i + "`";
    return out;
  };
  const std::string unit = p.unit.empty() || p.unit == "count" || p.unit == "fraction" ? "" : p.unit;
  switch (p.kind) {
    case ValueKind::text: return "text";
    case ValueKind::choice: return "one of " + join(p.choices);
    case ValueKind::reference: return (std::string("aeiou").find(p.refers_to.front()) == std::string::npos ? "a " : "an ") + p.refers_to + " name";
    case ValueKind::reference_list:
      return p.choices.empty() ? "list of " + p.refers_to + " names" : "list of " + join(p.choices);
    case ValueKind::quantity:
      return "e.g. `" + (p.unit == "kW" ? std::string("120 kW") : std::string(unit_example(p.dimension))) + "`" +
             (unit.empty() ? "" : "; bare number: " + unit);
    case ValueKind::duration: return "e.g. `3 years`, `18 months`; bare number: quarters";
    case ValueKind::quarter: return "quarter, e.g. `2025Q3`";
    case ValueKind::seed: return "whole number ≥ 0";
    case ValueKind::series:
      return "e.g. `" + std::string(unit_example(p.dimension)) + "`, or `{2023Q1: …, 2027Q1: …}` (linear between)";
    case ValueKind::mapping: return "mapping, see below";
    case ValueKind::list: return "list, see below";
  }
  return "";
}

std::string allowed_column(const ParamInfo& p) {
  if (p.kind != ValueKind::quantity && p.kind != ValueKind::duration && p.kind != ValueKind::series) return "";
  if (!std::isfinite(p.range.min) && !std::isfinite(p.range.max)) return "";
  const Range shown{p.range.min * p.unit_scale, p.range.max * p.unit_scale, p.range.min_exclusive};
  std::string text = shown.describe();
  const std::string unit = p.unit.empty() ? std::string(canonical_unit(p.dimension)) : p.unit;
  if (!unit.empty() && unit != "count" && unit != "fraction") text += " " + unit;
  if (p.dimension == Dimension::fraction) text += " (1 = 100%)";
  return text;
}

}  // namespace

std::string scenario_reference_markdown() {
  std::ostringstream md;
  md << "# Scenario reference\n\n"
        "Generated by `aidcsim schema` from the declarations in `sim/scenario/schema.cpp`: do not edit by hand.\n"
        "A test fails when this file is stale; regenerate it with\n"
        "`build/dev/aidcsim schema > docs/scenario-reference.md`.\n\n"
        "A scenario is one YAML file. It may `extends:` another file and change only what differs; `--set\n"
        "key.path=value` changes one value from the command line (see README.md). Every value below is\n"
        "checked: a problem is reported as `file:line:col: key.path: what is wrong; what was expected`.\n\n"
        "## Units\n\n"
        "Values are written with their units; a bare number is read in the unit the table names.\n\n"
        "| measure | units accepted | example | bare number |\n|---|---|---|---|\n"
        "| power | W, kW, MW, GW | `120 kW`, `1.2 GW` | as the key says (MW, or kW for per-chip and rack power) |\n"
        "| money | `$` with k, M, B, T | `$52B`, `$25k` | USD |\n"
        "| price per hour | `$…/h` | `$2.28/h` | USD per hour |\n"
        "| energy price | `$…/MWh`, `$…/kWh` | `$45/MWh` | USD per MWh |\n"
        "| cost per MW | `$…/MW`, `/kW`, `/GW` | `$11.7M/MW` | USD per MW |\n"
        "| duration | quarters, years, months | `10 quarters`, `6 years`, `18 months` | quarters (whole) |\n"
        "| fraction | `%` | `8%` | a fraction (0.08); above 1 without `%` draws a warning |\n"
        "| count | k, M, B | `500k`, `1.2M` | a count |\n"
        "| quarter | `YYYYQn` | `2026Q1` | — |\n\n"
        "A rate written with `$` must say what it is per (`$11.7M/MW`, not `$11.7M`).\n";
  for (const auto& section : scenario_schema()) {
    md << "\n## " << (section.path.empty() ? "Top level" : "`" + section.path + "`") << "\n\n"
       << section.help << "\n\n| key | value | default | allowed | description |\n|---|---|---|---|---|\n";
    for (const auto& p : section.params) {
      md << "| `" << p.key << "` | " << value_column(p) << " | "
         << (p.required ? "**required**" : p.default_text.empty() ? "—" : "`" + p.default_text + "`") << " | "
         << allowed_column(p) << " | " << p.help << " |\n";
    }
  }
  return md.str();
}

}  // namespace aidc
