// The scenario language, declared once. To add a parameter: add a member (with its default) to
// the spec struct in spec.hpp, then one line to its section's table below. Validation, the
// reference (`aidcsim schema`, docs/scenario-reference.md) and --set all follow from that line.

#include "aidc/scenario/schema.hpp"

#include <algorithm>
#include <cmath>

#include "field_builders.hpp"

namespace aidc {

namespace detail {
namespace {

// ---- the sections ------------------------------------------------------------------------------

const Fields<RunSpec>& run_fields() {
  static const Fields<RunSpec> fields = {
      quarter("start", &RunSpec::start, Need::required, "First quarter simulated."),
      quarter("end", &RunSpec::end, Need::required,
              "Last quarter simulated (at most 1,000 quarters from start to end)."),
      seed("seed", &RunSpec::seed, "Seed of every random stream; `--seed` overrides it."),
      quantity("memory_limit", &RunSpec::memory_limit_mb, Dimension::memory, Range::positive(), Need::optional,
               "Memory a run may be estimated to need (see Limits); raise it for a very large scenario."),
  };
  return fields;
}

const Fields<PricePolicySpec>& price_policy_fields() {
  static const Fields<PricePolicySpec> fields = {
      quantity("decline_per_year", &PricePolicySpec::decline_per_year, Dimension::fraction, {0.0, 0.9}, Need::optional,
               "How much a SKU's list price falls each year of its age."),
      quantity("inventory_discount", &PricePolicySpec::inventory_discount, Dimension::fraction, {0.0, 0.9},
               Need::optional, "Price cut per quarter of sales held in inventory beyond the target."),
      duration("target_inventory", &PricePolicySpec::target_inventory_quarters, {0.0, 20.0}, Need::optional,
               "Inventory it is content to hold, in quarters of sales."),
      quantity("scarcity_premium", &PricePolicySpec::scarcity_premium, Dimension::fraction, {0.0, 1.0},
               Need::optional, "Price rise per quarter of backlog beyond target_backlog (0: prices ignore scarcity)."),
      duration("target_backlog", &PricePolicySpec::target_backlog_quarters, {0.0, 20.0}, Need::optional,
               "Backlog, in quarters of capacity, it sells at list price."),
      quantity("max_scarcity_premium", &PricePolicySpec::max_scarcity_premium, Dimension::fraction, {0.0, 5.0},
               Need::optional, "Ceiling of the scarcity premium."),
      quantity("rival_response", &PricePolicySpec::rival_response, Dimension::fraction, Range::unit_interval(),
               Need::optional,
               "Share of the gap to the price matching the best rival's TCO (plus its ecosystem premium) it "
               "closes (0: it ignores rivals)."),
      quantity("ecosystem_premium", &PricePolicySpec::ecosystem_premium, Dimension::fraction, {0.0, 5.0},
               Need::optional, "TCO premium over the best rival it expects buyers to pay for its software and ecosystem."),
      duration("adjustment_time", &PricePolicySpec::adjustment_quarters, {1.0, 20.0}, Need::optional,
               "Quarters over which its scarcity and rival answers move the price toward their target."),
  };
  return fields;
}

const Fields<CapacityPolicySpec>& capacity_policy_fields() {
  static const Fields<CapacityPolicySpec> fields = {
      duration("lead_time", &CapacityPolicySpec::lead_quarters, {0.0, 20.0}, Need::optional,
               "0: capacity is the `capacity` series; else it follows orders, additions taking this long, "
               "under the series as a ceiling (what its foundries allot)."),
      quantity("target_utilization", &CapacityPolicySpec::target_utilization, Dimension::fraction, {0.1, 1.0},
               Need::optional, "Share of capacity it plans to use."),
      duration("backlog_clearance", &CapacityPolicySpec::backlog_clearance_quarters, {1.0, 20.0}, Need::optional,
               "It sizes capacity to clear its backlog over this time, on top of the orders it expects."),
      quantity("max_cut", &CapacityPolicySpec::max_cut, Dimension::fraction, Range::unit_interval(), Need::optional,
               "Share of its capacity it may shut in a quarter."),
      quantity("idle_cost", &CapacityPolicySpec::idle_cost_usd_per_chip, Dimension::money, Range::non_negative(),
               Need::optional, "Fixed cost of one chip of capacity left idle for a quarter (in its cost of sales)."),
  };
  return fields;
}

const Fields<ProductionSpec>& production_fields() {
  static const Fields<ProductionSpec> fields = {
      duration("materials_ahead", &ProductionSpec::materials_ahead_quarters, {0.0, 8.0}, Need::optional,
               "Materials (wafers, memory, substrates) bought this many quarters of planned output ahead; "
               "they cannot be returned when orders fall."),
      quantity("materials_share", &ProductionSpec::materials_share, Dimension::fraction, Range::unit_interval(),
               Need::optional, "Share of a chip's unit cost that is materials."),
      quantity("salvage_share", &ProductionSpec::salvage_share, Dimension::fraction, Range::unit_interval(),
               Need::optional, "Value kept when the stock of a SKU it can no longer sell is written down."),
  };
  return fields;
}

const Fields<VendorSpec>& vendor_fields() {
  static const Fields<VendorSpec> fields = {
      text("name", &VendorSpec::name, Need::required, "Unique name; chips refer to it."),
      series("capacity", &VendorSpec::capacity_chips_per_quarter, Dimension::count, Range::non_negative(),
             "Chips it can produce per quarter, across its SKUs."),
      quantity("deposit", &VendorSpec::deposit_share, Dimension::fraction, Range::unit_interval(), Need::optional,
               "Share of an order's value the buyer pays when it orders (a progress payment, in its capex then); the rest "
               "on delivery; forfeited if the order is cancelled."),
      duration("lead_time", &VendorSpec::lead_time_quarters, {0.0, 40.0}, Need::required,
               "From production to delivery (at least one quarter is applied)."),
      optional_reference("captive_owner", &VendorSpec::captive_owner, &Names::agents, "agent",
                               "The agent it builds for first (Google for TPUs); others get what is left."),
      quantity("order_forecast_momentum", &VendorSpec::order_forecast_momentum, Dimension::fraction,
                     Range::unit_interval(), Need::optional,
                     "Weight of recent order growth when it plans output (the bullwhip)."),
      quantity("gross_margin", &VendorSpec::gross_margin, Dimension::fraction, {0.0, 0.99}, Need::optional,
               "Margin at a SKU's launch list price; unit cost = launch price × (1 − margin)."),
      quantity("cash", &VendorSpec::cash_usd, Dimension::money, Range::non_negative(), Need::optional,
               "Cash at the start; its gross profit adds to it and it pays for its investments in customers."),
      mapping("price_policy", &VendorSpec::price_policy, &price_policy_fields, Need::optional,
                    "How its list prices move.", "A vendor's list prices (MODEL.md §3)."),
      mapping("capacity_policy", &VendorSpec::capacity_policy, &capacity_policy_fields, Need::optional,
              "How its production capacity follows orders.", "A vendor's production capacity (MODEL.md §3)."),
      mapping("production", &VendorSpec::production, &production_fields, Need::optional,
              "Its production pipeline and inventory valuation.",
              "A vendor's materials bought ahead and write-downs (MODEL.md §3)."),
  };
  return fields;
}

void check_chip(MapReader& r, ChipSpec& c, const Names&) {
  if (c.available_until < c.available_from) {
    r.context().error(
        r.node().child("available_until"), r.sub("available_until"),
        "last quarter of sale " + c.available_until.str() + " is before available_from " + c.available_from.str());
  }
  if (c.power_kw > 0 && c.rack_kw > 0 && c.rack_kw < c.power_kw) {
    r.context().error(r.node().child("rack_power"), r.sub("rack_power"),
                      "rack power is below the power of one chip; expected the power of a whole rack (e.g. '130 kW')");
  }
}

const Fields<ChipSpec>& chip_fields() {
  static const Fields<ChipSpec> fields = {
      text("name", &ChipSpec::name, Need::required, "Unique SKU name."),
      reference("vendor", &ChipSpec::vendor, &Names::vendors, "vendor", "Who makes it."),
      enum_choice("family", &ChipSpec::family, "chip family", "Architecture family."),
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
      duration("ramp", &ChipSpec::ramp_quarters, {1.0, 40.0}, Need::optional,
               "Launch ramp: in its n-th quarter on sale it may use n / ramp of its vendor's capacity."),
      quantity("idle_power_share", &ChipSpec::idle_power_share, Dimension::fraction, Range::unit_interval(),
               Need::optional, "Share of its power a powered but unsold chip still draws."),
      flag("training_grade", &ChipSpec::training_grade,
           "Whether it can serve frontier training (large coherent clusters, HBM, fast interconnect): the "
           "training part of a bloc's demand buys only training-grade compute; the inference part buys any."),
      choice_list("markets", &ChipSpec::markets, known_blocs, "bloc", "Blocs it may be sold into."),
  };
  return fields;
}

const Fields<PowerAdditionSpec>& power_addition_fields() {
  static const Fields<PowerAdditionSpec> fields = {
      text("name", &PowerAdditionSpec::name, Need::required, "Unique name within the region."),
      choice("type", &PowerAdditionSpec::type, known_power_types, "power type", "Kind of supply."),
      quantity("capacity", &PowerAdditionSpec::capacity_mw, Dimension::power, Range::positive(), Need::required,
               "Capacity added."),
      quarter("online", &PowerAdditionSpec::online, Need::required, "Quarter it starts supplying."),
  };
  return fields;
}

const Fields<RegionSpec>& region_fields() {
  static const Fields<RegionSpec> fields = {
      text("name", &RegionSpec::name, Need::required, "Unique region name; sites and agents refer to it."),
      choice("bloc", &RegionSpec::bloc, known_blocs, "bloc", "Market bloc it belongs to."),
      series("generation", &RegionSpec::generation_mw, Dimension::power, Range::non_negative(), "Generating capacity."),
      series("other_load", &RegionSpec::other_load_mw, Dimension::power, Range::non_negative(),
             "Load other than datacenters."),
      quantity("reserve_margin", &RegionSpec::reserve_margin, Dimension::fraction, {0.0, 0.9}, Need::optional,
               "Share of generation held in reserve; datacenters may use generation × (1 − margin) − other load."),
      quantity("power_price", &RegionSpec::power_price_usd_per_mwh, Dimension::price_per_mwh, Range::non_negative(),
               Need::required, "Price of electricity."),
      quantity("utility_response", &RegionSpec::utility_response, Dimension::fraction, Range::unit_interval(),
               Need::optional,
               "Share of the shortfall between its large-load requests (every site's capacity × PUE) and the power "
               "it has or has coming that its utility commits to build each quarter."),
      duration("utility_lead_time", &RegionSpec::utility_lead_quarters, {1.0, 80.0}, Need::optional,
               "From a utility's commitment to the power being online."),
      duration("interconnection_time", &RegionSpec::interconnection_quarters, {0.0, 80.0}, Need::required,
               "From a new site's grid request to its connection."),
      list("additions", &RegionSpec::additions, &power_addition_fields, "name", 10'000, Need::optional,
           "Planned new supply: it adds to what datacenters may use from its online quarter.",
           "Planned additions of power supply in a region (MODEL.md §4)."),
  };
  return fields;
}

const Fields<SiteSpec>& site_fields() {
  static const Fields<SiteSpec> fields = {
      text("name", &SiteSpec::name, Need::required, "Unique site name; fleets refer to it."),
      reference("owner", &SiteSpec::owner, &Names::agents, "agent", "The agent that owns it."),
      reference("region", &SiteSpec::region, &Names::regions, "region", "Where it draws power."),
      quantity("capacity", &SiteSpec::capacity_mw, Dimension::power, Range::positive(), Need::required, "IT capacity."),
      quantity("pue", &SiteSpec::pue, Dimension::number, {1.0, 3.0}, Need::optional,
               "Power usage effectiveness: grid power / IT power."),
      quantity("rack_density", &SiteSpec::rack_kw, Dimension::power, Range::positive(), Need::required,
               "Densest rack it can host.", {"kW", 1e3}),
      quantity("build_cost", &SiteSpec::build_cost_usd_per_mw, Dimension::money_per_mw, Range::non_negative(),
               Need::optional, "Cost of shell, power and cooling per MW of IT (its value on the books)."),
      quarter("online", &SiteSpec::online, Need::required, "Quarter it is built and connected."),
      enum_option("ownership", &SiteSpec::ownership, "Owned, or leased from a developer."),
      quantity("lease_cost", &SiteSpec::lease_usd_per_mw_year, Dimension::money_per_mw, Range::non_negative(),
                     Need::optional, "Rent per MW of IT per year, for a leased site."),
  };
  return fields;
}

const Fields<StrategySpec>& strategy_fields() {
  static const Fields<StrategySpec> fields = {
      quantity("target_share", &StrategySpec::target_share, Dimension::fraction, Range::unit_interval(), Need::required,
               "Share of its bloc's demand it aims to serve."),
      quantity("momentum", &StrategySpec::momentum, Dimension::fraction, Range::unit_interval(), Need::optional,
               "Weight of observed demand growth against its long-run belief."),
      quantity("long_run_growth", &StrategySpec::long_run_growth_per_year, Dimension::fraction, {-0.9, 10.0},
               Need::optional, "Annual demand growth it believes in the long run."),
      quantity("headroom", &StrategySpec::headroom, Dimension::fraction, {0.0, 5.0}, Need::optional,
               "Capacity it plans above its forecast."),
      quantity("rival_reaction", &StrategySpec::rival_reaction, Dimension::fraction, {0.0, 5.0}, Need::optional,
                     "Fear of falling behind: how much of rivals' capacity growth it matches."),
      quantity("hurdle_return", &StrategySpec::hurdle_return, Dimension::fraction, {-0.5, 2.0}, Need::optional,
                     "Annual return a purchase must promise."),
      quantity("hurdle_width", &StrategySpec::hurdle_width, Dimension::fraction, {0.0, 2.0}, Need::optional,
               "How gradually the market part of its target answers the expected return around the hurdle "
               "(logistic scale; 0: all or nothing)."),
      duration("adjustment_time", &StrategySpec::adjustment_quarters, {1.0, 40.0}, Need::optional,
               "Quarters over which its orders close the gap to its target (stock management)."),
      quantity("sku_choice_spread", &StrategySpec::sku_choice_spread, Dimension::fraction, {0.0, 5.0}, Need::optional,
               "Logit spread of its orders across SKUs by cost (0: all to the cheapest)."),
      duration("land_bank", &StrategySpec::land_bank_quarters, {0.0, 40.0}, Need::optional,
               "How much further ahead than build and grid times it plans its sites (shells and power ahead of chips)."),
      flag("bridge_power", &StrategySpec::bridge_power,
           "It orders bridge power with each site whose grid connection would come after the site is built."),
      quantity("switching_cost", &StrategySpec::switching_cost, Dimension::fraction, {0.0, 5.0}, Need::optional,
               "Extra cost it sees, as a share of TCO, for a chip family it does not run yet (software)."),
      quantity("investment_elasticity", &StrategySpec::investment_elasticity, Dimension::number, {0.0, 10.0},
               Need::optional,
               "How strongly the market part of its target answers Tobin's q of new capacity (expected yearly "
               "cash margin over the hurdle plus depreciation); 0: it does not."),
      quantity("max_investment_q", &StrategySpec::max_investment_q, Dimension::number, {1.0, 100.0}, Need::optional,
               "Cap on the q it acts on."),
      quantity("price_momentum", &StrategySpec::price_momentum, Dimension::fraction, {0.0, 5.0}, Need::optional,
               "How much of last year's change in the market price it expects to continue."),
  };
  return fields;
}

const Fields<SellingSpec>& selling_fields() {
  static const Fields<SellingSpec> fields = {
      quantity("reservation_margin", &SellingSpec::reservation_margin, Dimension::fraction, {0.0, 10.0},
               Need::optional, "It sells no compute below its running cost × (1 + this margin) …"),
      quantity("reservation_capital_share", &SellingSpec::reservation_capital_share, Dimension::fraction, {0.0, 2.0},
               Need::optional, "… plus this share of its chips' capital cost per H100e-hour (cost-plus pricing)."),
      quantity("reach", &SellingSpec::reach, Dimension::fraction, {0.0, 1.0, true}, Need::optional,
               "Share of its bloc's spot demand its compute can serve (software stack, location)."),
  };
  return fields;
}

// Absent: the site is built at once (no default value is written for the sentinel).
Field<SiteTemplateSpec> ready_before_grid_field() {
  Field<SiteTemplateSpec> f = duration(
      "ready_before_grid", &SiteTemplateSpec::ready_before_grid_quarters, {0.0, 80.0}, Need::optional,
      "Times construction to the grid: its queue position is filed when planned, and building starts so that the site is "
      "built at most this long before its grid connection (not set: built at once, then it waits for the grid).");
  f.info.default_text.clear();
  return f;
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
      duration("build_time", &SiteTemplateSpec::build_quarters, {1.0, 80.0}, Need::required, "From start to built."),
      duration("life", &SiteTemplateSpec::life_quarters, {4.0, 400.0}, Need::optional,
               "Depreciation life of the building and its power gear."),
      enum_option("ownership", &SiteTemplateSpec::ownership,
                  "Owned (it pays for construction), or leased: a developer builds it and it pays rent once built."),
      quantity("lease_cost", &SiteTemplateSpec::lease_usd_per_mw_year, Dimension::money_per_mw, Range::non_negative(),
               Need::optional, "Rent per MW of IT per year, for a leased site."),
      ready_before_grid_field(),
  };
  return fields;
}

const Fields<FleetSpec>& fleet_fields() {
  static const Fields<FleetSpec> fields = {
      reference("chip", &FleetSpec::chip, &Names::chips, "chip", "Chip SKU."),
      quantity("count", &FleetSpec::count, Dimension::count, Range::positive(), Need::required, "Number of chips."),
      reference("site", &FleetSpec::site, &Names::sites, "site",
                "One of the agent's sites, dense enough for the chip."),
      duration("age", &FleetSpec::age_quarters, {0.0, 80.0}, Need::optional,
               "How long before the start they were delivered (they are depreciated that far)."),
  };
  return fields;
}

const Fields<OrderSpec>& order_fields() {
  static const Fields<OrderSpec> fields = {
      reference("chip", &OrderSpec::chip, &Names::chips, "chip", "Chip SKU."),
      quantity("count", &OrderSpec::count, Dimension::count, Range::positive(), Need::required, "Number of chips."),
      quarter("arrives", &OrderSpec::arrives, Need::optional,
              "Quarter they are delivered, after the start (in transit); omitted: they wait in the vendor's backlog.",
              "in the backlog"),
      quantity("price", &OrderSpec::price_usd, Dimension::money, Range::non_negative(), Need::optional,
               "Price per chip (0: the chip's price)."),
  };
  return fields;
}

const Fields<DebtSpec>& debt_fields() {
  static const Fields<DebtSpec> fields = {
      text("name", &DebtSpec::name, Need::required, "Unique name within the agent."),
      quantity("principal", &DebtSpec::principal_usd, Dimension::money, Range::positive(), Need::required,
               "Amount owed."),
      quantity("rate", &DebtSpec::rate, Dimension::fraction, {0.0, 1.0}, Need::optional, "Interest per year."),
      quarter("maturity", &DebtSpec::maturity, Need::required, "Quarter it must be repaid or refinanced."),
  };
  return fields;
}

const Fields<FinanceSpec>& finance_fields() {
  static const Fields<FinanceSpec> fields = {
      quantity("max_leverage", &FinanceSpec::max_leverage, Dimension::number, {0.0, 50.0}, Need::optional,
               "Debt / trailing EBITDA it may reach."),
      quantity("spread", &FinanceSpec::spread, Dimension::fraction, {0.0, 1.0}, Need::optional,
               "Interest over the base rate, per year."),
      quantity("spread_per_leverage", &FinanceSpec::spread_per_leverage, Dimension::fraction, {0.0, 1.0},
               Need::optional, "Added to the spread per turn of leverage."),
      quantity("payout_share", &FinanceSpec::payout_share, Dimension::fraction, Range::unit_interval(),
               Need::optional, "Share of positive free cash flow paid out as dividends and buybacks."),
      quantity("target_cash_share", &FinanceSpec::target_cash_share, Dimension::fraction, Range::unit_interval(),
               Need::optional, "Cash it aims to hold, as a share of its total assets."),
      quantity("excess_cash_payout", &FinanceSpec::excess_cash_payout, Dimension::fraction, Range::unit_interval(),
               Need::optional, "Share of its cash above the target paid out each quarter."),
      duration("loan_term", &FinanceSpec::loan_term_quarters, {1.0, 120.0}, Need::optional,
               "Maturity of the loans it takes and refinances."),
      flag("delayed_draw", &FinanceSpec::delayed_draw,
           "Lenders commit a facility when it orders (within its leverage limit) and it draws on it as bills are "
           "paid (a delayed-draw term loan), instead of borrowing the whole order at once."),
      quantity("commitment_fee", &FinanceSpec::commitment_fee, Dimension::fraction, {0.0, 0.2}, Need::optional,
               "Fee per year on the committed facility not yet drawn."),
  };
  return fields;
}

const Fields<CapexBudgetSpec>& capex_budget_fields() {
  static const Fields<CapexBudgetSpec> fields = {
      quantity("initial", &CapexBudgetSpec::initial_usd_per_year, Dimension::money, Range::non_negative(),
               Need::required, "The first year's capex budget (AI and non-AI), per year."),
      quantity("cash_flow_share", &CapexBudgetSpec::cash_flow_share, Dimension::fraction, {0.0, 10.0}, Need::optional,
               "Target budget as a share of trailing-year EBITDA."),
      quantity("growth_weight", &CapexBudgetSpec::growth_weight, Dimension::number, {0.0, 10.0}, Need::optional,
               "How much the target rises with the yearly growth of its AI revenue + imputed value."),
      quantity("rival_weight", &CapexBudgetSpec::rival_weight, Dimension::number, {0.0, 10.0}, Need::optional,
               "How much the target rises when rivals' capacity grows faster than its own."),
      quantity("adjustment", &CapexBudgetSpec::adjustment, Dimension::fraction, Range::unit_interval(), Need::optional,
               "Share of the gap between last year's budget and the target closed each year."),
  };
  return fields;
}

const Fields<RetrofitSpec>& retrofit_fields() {
  static const Fields<RetrofitSpec> fields = {
      quantity("cost", &RetrofitSpec::cost_usd_per_mw, Dimension::money_per_mw, Range::non_negative(), Need::optional,
               "Cost per MW of IT."),
      duration("time", &RetrofitSpec::quarters, {0.0, 40.0}, Need::optional, "How long the site is down."),
  };
  return fields;
}

void check_agent(MapReader& r, AgentSpec& a, const Names& names) {
  const Tree regions = r.node().child("regions");
  if (a.regions.empty() && regions.is_sequence()) {
    r.context().error(regions, r.sub("regions"),
                      "the list is empty; expected at least one region to build in, such as [" +
                          (names.regions.empty() ? std::string("us-east") : names.regions.list().front()) + "]");
  }
}

const Fields<AgentSpec>& agent_fields() {
  static const Fields<AgentSpec> fields = {
      text("name", &AgentSpec::name, Need::required, "Unique agent name; sites refer to it."),
      enum_choice("kind", &AgentSpec::kind, "agent kind", "What sort of buyer it is."),
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
      list("fleet", &AgentSpec::fleet, &fleet_fields, "chip", 100'000, Need::optional, "Chips it owns at the start.",
           "Chips an agent owns when the run starts."),
      list("on_order", &AgentSpec::on_order, &order_fields, "chip", 10'000, Need::optional,
           "Chips it ordered before the start: in transit or in a vendor's backlog.",
           "Orders placed before the start (a run that starts in motion, not cold)."),
      list("debt", &AgentSpec::debt, &debt_fields, "name", 1'000, Need::optional, "Loans it owes at the start.",
                 "An agent's debt tranches at the start (MODEL.md §6)."),
      mapping("finance", &AgentSpec::finance, &finance_fields, Need::optional, "How it borrows and pays out.",
                    "An agent's borrowing limits and payout (MODEL.md §6)."),
      mapping("capex_budget", &AgentSpec::capex_budget, &capex_budget_fields, Need::optional,
              "An annual capex budget its plans must fit (none: no budget).",
              "An agent's annual capex budget (MODEL.md §6): partial adjustment toward a target from cash flow, "
              "growth and rivals."),
      mapping("retrofit", &AgentSpec::retrofit, &retrofit_fields, Need::optional,
                    "What upgrading a site to denser racks costs it.", "Retrofits of older sites (MODEL.md §5)."),
      flag("sells_compute", &AgentSpec::sells_compute,
           "It offers what its contracts and own workloads leave on the spot market (false: that compute stays idle)."),
      mapping("selling", &AgentSpec::selling, &selling_fields, Need::optional,
              "How it sells on the spot market: its reservation price and reach.",
              "An agent's spot sales (MODEL.md §7): a reservation price and the share of demand it can reach."),
      enum_option("retirement", &AgentSpec::retirement,
                   "When chips retire: at end of economic life, or also once revenue no longer covers running cost."),
      series("external_funding", &AgentSpec::external_funding_usd_per_quarter, Dimension::money, Range::any(),
                   "Equity it raises per quarter (labs).", Need::optional),
      series("non_ai_capex", &AgentSpec::non_ai_capex_usd_per_quarter, Dimension::money, Range::non_negative(),
             "Capex of its non-AI business per quarter (cloud, logistics, offices), as filings report it.",
             Need::optional),
      quantity("non_ai_assets", &AgentSpec::non_ai_assets_usd, Dimension::money, Range::non_negative(), Need::optional,
               "Book value of its non-AI assets at the start (total assets less cash and AI assets, from filings)."),
      duration("non_ai_asset_life", &AgentSpec::non_ai_asset_life_quarters, {1.0, 200.0}, Need::optional,
               "Depreciation life of its non-AI assets."),
      series("captive_demand", &AgentSpec::captive_demand_h100e, Dimension::count, Range::non_negative(),
                   "Its own workloads (search, ads…), in H100e, served first on its own fleet.", Need::optional),
      series("service_revenue", &AgentSpec::service_revenue_usd_per_h100e_hour, Dimension::price_per_hour,
             Range::non_negative(),
             "What its users pay per H100e-hour of compute it runs, contracted or its own (a lab selling its "
             "models' output): cash revenue, in place of an imputed value for its own use.",
             Need::optional),
  };
  return fields;
}

// One series per chip family, named as `chips[].family` names them (EcosystemSpec::of).
static_assert(ChoiceNames<ChipFamily>::names.size() == 5, "ecosystem_fields: one series per chip family");

const Fields<EcosystemSpec>& ecosystem_fields() {
  static const char* const help =
      "Share of the bloc's demand able to run on this family's chips (software stack), over time.";
  static const Fields<EcosystemSpec> fields = {
      series("gpu", &EcosystemSpec::gpu, Dimension::fraction, Range::unit_interval(), help, Need::optional, 1.0),
      series("tpu", &EcosystemSpec::tpu, Dimension::fraction, Range::unit_interval(), help, Need::optional, 1.0),
      series("trainium", &EcosystemSpec::trainium, Dimension::fraction, Range::unit_interval(), help, Need::optional,
             1.0),
      series("ascend", &EcosystemSpec::ascend, Dimension::fraction, Range::unit_interval(), help, Need::optional, 1.0),
      series("other", &EcosystemSpec::other, Dimension::fraction, Range::unit_interval(), help, Need::optional, 1.0),
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
      quantity("price_adjustment", &DemandSpec::price_adjustment, Dimension::fraction, {0.0, 1.0, true}, Need::optional,
               "Share of the gap to the clearing price the price closes each quarter."),
      quantity("noise", &DemandSpec::noise, Dimension::fraction, {0.0, 1.0}, Need::optional,
               "Log standard deviation of a quarterly demand shock."),
      series("training_budget", &DemandSpec::training_budget_usd_per_quarter, Dimension::money,
                   Range::non_negative(),
                   "Training segment: what labs and hyperscalers spend on training per quarter (the fields above "
                   "describe inference).",
                   Need::optional),
      quantity("training_revenue_share", &DemandSpec::training_revenue_share, Dimension::fraction,
                     Range::unit_interval(), Need::optional, "Share of labs' revenue added to the training budget."),
      quantity("saturation", &DemandSpec::saturation, Dimension::number, {0.0, 1000.0}, Need::optional,
               "Workload ceiling: however low the price, each segment demands at most this multiple of what it "
               "demands at the reference price (0: no ceiling)."),
      duration("efficiency_adoption", &DemandSpec::efficiency_adoption_quarters, {1.0, 40.0}, Need::optional,
               "Quarters over which demand for service adopts an efficiency gain (1: at once)."),
      mapping("ecosystem", &DemandSpec::ecosystem, &ecosystem_fields, Need::optional,
              "Share of demand able to run on each chip family (a family left out: all of it).",
              "Software ecosystems of a bloc's demand (MODEL.md §7): per chip family, the share of the bloc's "
              "spot demand able to run on its chips, a series (`ascend: {2023Q1: 30%, 2030Q4: 80%}`). A family "
              "sells at most that share of demand; its compute beyond it stays idle. Contracts and own use are "
              "not affected."),
  };
  return fields;
}

void check_link(MapReader& r, LinkSpec& l, const Names&) {
  if (!l.from.empty() && l.from == l.to) {
    r.context().error(r.node().child("to"), r.sub("to"), "a link joins two different regions; 'to' equals 'from'");
  }
}

const Fields<LinkSpec>& link_fields() {
  static const Fields<LinkSpec> fields = {
      text("name", &LinkSpec::name, Need::required, "Unique link name."),
      reference("from", &LinkSpec::from, &Names::regions, "region", "One end."),
      reference("to", &LinkSpec::to, &Names::regions, "region", "The other end."),
      quantity("capacity", &LinkSpec::capacity_mw, Dimension::power, Range::non_negative(), Need::required,
               "Power it can carry."),
  };
  return fields;
}

const Fields<PowerTechnologySpec>& power_technology_fields() {
  static const Fields<PowerTechnologySpec> fields = {
      choice("name", &PowerTechnologySpec::name, known_power_types, "power type", "Which kind of supply."),
      duration("lead_time", &PowerTechnologySpec::lead_quarters, {0.0, 80.0}, Need::optional,
               "From decision to power (engines 12–18 months, turbines 5–7 years, new nuclear 10–15 years)."),
      quantity("cost", &PowerTechnologySpec::cost_usd_per_mw, Dimension::money_per_mw, Range::non_negative(),
               Need::optional, "Capital cost per MW."),
      quantity("power_price", &PowerTechnologySpec::price_usd_per_mwh, Dimension::price_per_mwh, Range::non_negative(),
               Need::optional, "Cost of the power it produces."),
      flag("bridge", &PowerTechnologySpec::bridge,
           "Bridge (behind-the-meter) power: it can energize one site before the site's grid connection."),
  };
  return fields;
}

void check_contract(MapReader& r, ContractSpec& c, const Names&) {
  if (!c.buyer.empty() && c.buyer == c.seller) {
    r.context().error(r.node().child("seller"), r.sub("seller"), "buyer and seller are the same agent");
  }
}

const Fields<ContractSpec>& contract_fields() {
  static const Fields<ContractSpec> fields = {
      text("name", &ContractSpec::name, Need::required, "Unique contract name."),
      reference("buyer", &ContractSpec::buyer, &Names::agents, "agent", "Who rents the compute."),
      reference("seller", &ContractSpec::seller, &Names::agents, "agent", "Who provides it."),
      quantity("compute", &ContractSpec::compute_h100e, Dimension::count, Range::positive(), Need::required,
               "Effective H100e provided each quarter."),
      quantity("price", &ContractSpec::price_usd_per_hour, Dimension::price_per_hour, Range::non_negative(),
               Need::required, "Per effective H100e-hour."),
      quarter("start", &ContractSpec::start, Need::required, "First quarter served."),
      duration("length", &ContractSpec::length_quarters, {1.0, 160.0}, Need::required, "How long it runs."),
      quantity("shortfall_penalty", &ContractSpec::shortfall_penalty, Dimension::fraction, {0.0, 10.0},
               Need::optional, "Share of the value of contracted compute not delivered that the seller pays the buyer."),
  };
  return fields;
}

}  // namespace

const std::vector<EventRule>& event_rules() {
  static const std::vector<EventRule> rules = {
      {EventKind::demand_shock, {"bloc", "factor"}, {"segment"}, "Demand in a bloc (segment) is multiplied by `factor`."},
      {EventKind::efficiency_gain,
       {"factor"},
       {"bloc"},
       "Compute per unit of service is divided by `factor`, above 0 (a DeepSeek-like gain; with elasticity > 1, "
       "Jevons)."},
      {EventKind::export_control,
       {"target", "bloc"},
       {"action"},
       "A chip or vendor (`target`) is banned from (or allowed into) a bloc."},
      {EventKind::base_rate, {"rate"}, {}, "The base interest rate becomes `rate`."},
      {EventKind::credit_crunch,
       {"spread"},
       {"max_leverage"},
       "Spreads rise by `spread`; leverage limits fall to `max_leverage`."},
      {EventKind::grid_addition, {"region", "capacity"}, {}, "A region gains `capacity` of supply."},
      {EventKind::grid_delay, {"region", "delay"}, {}, "A region's interconnection queue grows by `delay`."},
      {EventKind::chip_delay, {"target", "delay"}, {}, "A chip's first availability slips by `delay` (Maia 200)."},
      {EventKind::price_war, {"target", "factor"}, {}, "A vendor's list prices are multiplied by `factor`."},
      {EventKind::funding_shock, {"target", "factor"}, {}, "An agent's external funding is multiplied by `factor`."},
      {EventKind::circular_deal,
       {"target", "recipient", "amount"},
       {},
       "`target` (a vendor or agent) invests `amount` in `recipient`, which commits to buy from it."},
  };
  return rules;
}

namespace {

void check_event(MapReader& r, EventSpec& e, const Names& names) {
  // An unknown (or missing) kind is already reported, and e.kind was left at its default.
  const Tree kind_node = r.node().child("kind");
  if (!kind_node.is_scalar() || !choice_named<EventKind>(kind_node.scalar())) return;
  const auto rule =
      std::find_if(event_rules().begin(), event_rules().end(), [&](const EventRule& k) { return e.kind == k.kind; });
  const std::vector<std::string> common = {"name", "kind", "at", "duration"};
  auto takes = [&](const std::string& key) {
    return std::find(common.begin(), common.end(), key) != common.end() ||
           std::find(rule->required.begin(), rule->required.end(), key) != rule->required.end() ||
           std::find(rule->optional.begin(), rule->optional.end(), key) != rule->optional.end();
  };
  std::string accepted;
  for (const auto& k : rule->required) accepted += (accepted.empty() ? "" : ", ") + k;
  for (const auto& k : rule->optional) accepted += ", " + k + " (optional)";
  for (const auto& [key, value] : r.node().entries()) {
    if (key.is_scalar() && !takes(key.scalar())) {
      r.context().error(key, r.sub(key.scalar()), "does not apply to a " + std::string(name_of(e.kind)) + " event; it takes " + accepted);
    }
  }
  for (const auto& k : rule->required) {
    if (!r.node().child(k).is_defined()) {
      r.context().error(r.node(), r.sub(k), "a " + std::string(name_of(e.kind)) + " event needs '" + k + "'; it takes " + accepted);
    }
  }
  // What `target` and `recipient` name depends on the kind.
  std::vector<const KnownNames*> targets;
  std::string what;
  switch (e.kind) {
    case EventKind::export_control: targets = {&names.chips, &names.vendors}, what = "chip or vendor"; break;
    case EventKind::chip_delay: targets = {&names.chips}, what = "chip"; break;
    case EventKind::price_war: targets = {&names.vendors}, what = "vendor"; break;
    case EventKind::funding_shock: targets = {&names.agents}, what = "agent"; break;
    case EventKind::circular_deal: targets = {&names.vendors, &names.agents}, what = "vendor or agent"; break;
    default: break;
  }
  const Tree target = r.node().child("target");
  const bool known_target =
      std::any_of(targets.begin(), targets.end(), [&](const KnownNames* k) { return k->contains(e.target); });
  if (!what.empty() && target.is_scalar() && !known_target) {
    std::vector<std::string> all;
    for (const KnownNames* k : targets) all.insert(all.end(), k->list().begin(), k->list().end());
    const std::string hint = suggest(e.target, all);
    r.context().error(target, r.sub("target"),
                      "unknown " + what + " '" + e.target + "'" + (hint.empty() ? "" : " " + hint));
  }
  const Tree recipient = r.node().child("recipient");
  if (recipient.is_scalar() && !names.agents.contains(e.recipient)) {
    const std::string hint = suggest(e.recipient, names.agents.list());
    r.context().error(recipient, r.sub("recipient"),
                      "unknown agent '" + e.recipient + "'" + (hint.empty() ? "" : " " + hint));
  }
  const Tree region = r.node().child("region");
  if (region.is_scalar() && !names.regions.contains(e.region)) {
    const std::string hint = suggest(e.region, names.regions.list());
    r.context().error(region, r.sub("region"), "unknown region '" + e.region + "'" + (hint.empty() ? "" : " " + hint));
  }
  // Efficiency 0 would need infinite compute per unit of service.
  const Tree factor = r.node().child("factor");
  if (e.kind == EventKind::efficiency_gain && factor.is_scalar() && e.factor <= 0.0) {
    r.context().error(factor, r.sub("factor"),
                      "an efficiency gain of 0 would need infinite compute per unit of service; expected a factor above "
                      "0 (1 = no change, 2 = twice the service per unit of compute)");
  }
}

const Fields<EventSpec>& event_fields() {
  static const Fields<EventSpec> fields = {
      text("name", &EventSpec::name, Need::optional, "A name, so a what-if file can change or remove it."),
      enum_choice("kind", &EventSpec::kind, "event kind", "What happens (see the table of kinds)."),
      quarter("at", &EventSpec::at, Need::required, "Quarter it happens."),
      duration("duration", &EventSpec::duration_quarters, {0.0, 400.0}, Need::optional,
               "How long it lasts; 0 = for good."),
      option("bloc", &EventSpec::bloc, known_blocs, "The bloc it concerns."),
      enum_option("segment", &EventSpec::segment, "The demand segment it concerns."),
      text("target", &EventSpec::target, Need::optional, "The chip, vendor or agent it concerns (by kind)."),
      text("recipient", &EventSpec::recipient, Need::optional, "circular_deal: the agent invested in."),
      text("region", &EventSpec::region, Need::optional, "The region it concerns."),
      quantity("factor", &EventSpec::factor, Dimension::number, {0.0, 100.0}, Need::optional, "Multiplier."),
      quantity("rate", &EventSpec::rate, Dimension::fraction, {-0.05, 1.0}, Need::optional, "Interest per year."),
      quantity("spread", &EventSpec::spread, Dimension::fraction, {0.0, 1.0}, Need::optional,
               "Added to every borrower's spread, per year."),
      quantity("max_leverage", &EventSpec::max_leverage, Dimension::number, {0.0, 50.0}, Need::optional,
               "New leverage limit (debt / EBITDA)."),
      quantity("capacity", &EventSpec::capacity_mw, Dimension::power, Range::positive(), Need::optional,
               "Power added."),
      quantity("amount", &EventSpec::amount_usd, Dimension::money, Range::positive(), Need::optional,
               "Money invested."),
      duration("delay", &EventSpec::delay_quarters, {1.0, 80.0}, Need::optional, "How long it slips."),
      enum_option("action", &EventSpec::action, "export_control: ban or allow."),
  };
  return fields;
}

const Fields<MarketFinanceSpec>& market_finance_fields() {
  static const Fields<MarketFinanceSpec> fields = {
      series("base_rate", &MarketFinanceSpec::base_rate, Dimension::fraction, {-0.05, 1.0},
             "Base interest rate per year (SOFR-like).", Need::optional),
      quantity("tax_rate", &MarketFinanceSpec::tax_rate, Dimension::fraction, Range::unit_interval(), Need::optional,
               "Tax on positive pre-tax income."),
      quantity("secondary_discount", &MarketFinanceSpec::secondary_discount, Dimension::fraction,
               Range::unit_interval(), Need::optional,
               "Used chips sell at their economic value × (1 − discount) on the secondary market."),
      quantity("fire_sale_share", &MarketFinanceSpec::fire_sale_share, Dimension::fraction, Range::unit_interval(),
               Need::optional, "Share of its fleet a distressed agent lists for sale each quarter."),
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
      list("vendors", &ScenarioSpec::vendors, &vendor_fields, "name", 1'000, Need::required, "Chip makers.",
           "Chip vendors (MODEL.md §3)."),
      list("chips", &ScenarioSpec::chips, &chip_fields, "name", 10'000, Need::required, "Chip SKUs.",
           "Chip SKUs (MODEL.md §2).", &check_chip),
      list("regions", &ScenarioSpec::regions, &region_fields, "name", 10'000, Need::required, "Power regions.",
           "Power regions (MODEL.md §4)."),
      list("sites", &ScenarioSpec::sites, &site_fields, "name", 100'000, Need::optional,
           "Datacenters that exist or are in the pipeline at the start.",
           "Datacenters at the start (MODEL.md §5); agents add their own as they grow."),
      list("agents", &ScenarioSpec::agents, &agent_fields, "name", 10'000, Need::required, "Buyers of compute.",
           "Agents that buy chips and sell compute (MODEL.md §6).", &check_agent),
      list("demand", &ScenarioSpec::demand, &demand_fields, "bloc", 100, Need::required, "Demand per bloc.",
           "Demand for compute, one entry per bloc (MODEL.md §7)."),
      list("links", &ScenarioSpec::links, &link_fields, "name", 100'000, Need::optional,
           "Transmission between regions.",
                 "Transmission links between regions (MODEL.md §4).", &check_link),
      list("power_technologies", &ScenarioSpec::power_technologies, &power_technology_fields, "name", 100,
                 Need::optional, "Power agents can pay for themselves.",
                 "On-site and dedicated power agents can buy (MODEL.md §4)."),
      list("contracts", &ScenarioSpec::contracts, &contract_fields, "name", 100'000, Need::optional,
                 "Offtake and rental contracts.", "Offtake and rental contracts (MODEL.md §7).", &check_contract),
      list("events", &ScenarioSpec::events, &event_fields, "kind", 100'000, Need::optional, "What-if events.",
                 "What-if events (MODEL.md §9). Which keys apply depends on `kind`: see the table below.",
                 &check_event),
      mapping("finance", &ScenarioSpec::finance, &market_finance_fields, Need::optional, "Base rate and taxes.",
                    "Money conditions common to every agent (MODEL.md §8)."),
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

}  // namespace aidc
