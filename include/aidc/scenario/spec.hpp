#pragma once
//! ScenarioSpec: the plain, validated description of a scenario, read once from YAML and shared
//! read-only by every run. Field names carry their units. Choice-valued keys are enums
//! (choices.hpp); every reference by name is also bound to the index of what it names
//! (`*_index` members, filled by bind_references in binder.hpp once the scenario is valid), so a
//! run never looks a name up.

#include <cstdint>
#include <string>
#include <vector>

#include "aidc/kernel/quarter.hpp"
#include "aidc/scenario/choices.hpp"
#include "aidc/text/diagnostic.hpp"
#include "aidc/scenario/limits.hpp"

namespace aidc {

//! Chip families (MODEL.md §2).
inline const std::vector<std::string> known_chip_families = choice_names<ChipFamily>();

//! Kinds of power supply a region can add (MODEL.md §4).
inline const std::vector<std::string> known_power_types = {"gas_engine", "gas_turbine", "nuclear_restart",
                                                           "nuclear_new", "solar_storage", "other"};

//! Demand segments (MODEL.md §7).
inline const std::vector<std::string> known_segments = choice_names<Segment>();

//! Kinds of what-if events (MODEL.md §9).
inline const std::vector<std::string> known_event_kinds = choice_names<EventKind>();

//! Agent kinds (MODEL.md §6).
inline const std::vector<std::string> known_agent_kinds = choice_names<AgentKind>();

//! An unbound or absent reference.
inline constexpr std::int32_t no_index = -1;

//! A value that changes over time: points (quarter, value), linear between points, flat before
//! the first and after the last.
struct TimeSeriesSpec {
  struct Point {
    Quarter when;
    double value = 0.0;
  };
  std::vector<Point> points;
  //! The value at quarter q.
  [[nodiscard]] double at(Quarter q) const noexcept;
};

struct RunSpec {
  Quarter start;
  Quarter end;
  std::uint64_t seed = 1;
  double memory_limit_mb = limits::default_memory_limit_mb;  //!< the estimate of a run may not exceed it
};

//! A chip SKU (MODEL.md §2).
struct ChipSpec {
  std::string name;
  std::string vendor;
  ChipFamily family = ChipFamily::gpu;
  Quarter available_from;          //!< first quarter it can be ordered
  Quarter available_until = Quarter::from_index(Quarter::max_year * 4 + 3);  //!< last quarter it can be ordered
  double bf16_tflops = 0.0;        //!< dense BF16 TFLOP/s per chip
  double power_kw = 0.0;           //!< all-in IT power per chip (server and network share)
  double rack_kw = 0.0;            //!< rack density its racks need
  double price_usd = 0.0;          //!< all-in price per chip
  int economic_life_quarters = 12; //!< useful life (8–12 = 2–3 years)
  double software_efficiency = 1.0;//!< fraction of peak buyers realize (1.0 = CUDA baseline)
  int ramp_quarters = 4;           //!< after launch its output may reach the vendor's capacity over this long
  double idle_power_share = 0.3;   //!< share of its power an idle (powered, unsold) chip still draws
  bool training_grade = true;      //!< can serve frontier training (large coherent clusters, HBM, interconnect)
  std::vector<std::string> markets;//!< blocs it may be sold into
  std::uint32_t vendor_index = 0;  //!< bound: `vendor` in vendors
  std::uint32_t market_mask = 0;   //!< bound: `markets` as bits (bit b: known_blocs[b])
  SourceLocation where;
};

//! How a vendor sets list prices (MODEL.md §3).
struct PricePolicySpec {
  double decline_per_year = 0.15;     //!< list price falls with the SKU's age
  double inventory_discount = 0.10;   //!< price cut per quarter of sales held beyond the target
  int target_inventory_quarters = 1;  //!< inventory it is content to hold, in quarters of sales
  double scarcity_premium = 0.0;      //!< price rise per quarter of backlog beyond target_backlog
  int target_backlog_quarters = 1;    //!< backlog, in quarters of capacity, it prices at list
  double max_scarcity_premium = 0.5;  //!< the scarcity premium's ceiling
  double rival_response = 0.0;        //!< share of the gap to a rival's matching price it closes (0: none)
  double ecosystem_premium = 0.3;     //!< TCO premium over the best rival it expects buyers to pay
  int adjustment_quarters = 2;        //!< quarters over which its price moves toward the target
};

//! How a vendor sizes its production capacity (MODEL.md §3): given as a series, or following
//! orders with a lag under the series as a ceiling.
struct CapacityPolicySpec {
  int lead_quarters = 0;              //!< 0: capacity is the series; else additions take this long
  double target_utilization = 0.85;   //!< share of capacity it plans to use
  int backlog_clearance_quarters = 4; //!< it sizes capacity to clear its backlog over this time
  double max_cut = 0.1;               //!< share of capacity it may shut per quarter
  double idle_cost_usd_per_chip = 0.0;  //!< fixed cost of a chip of capacity left idle for a quarter
};

//! A vendor's production pipeline and inventory valuation (MODEL.md §3).
struct ProductionSpec {
  int materials_ahead_quarters = 0;   //!< wafers, memory and substrates bought this many quarters of output ahead
  double materials_share = 0.5;       //!< share of a chip's unit cost that is materials
  double salvage_share = 0.2;         //!< value kept when an unsellable SKU's stock is written down
};

//! A chip vendor (MODEL.md §3): production capacity over time and a lead time.
struct VendorSpec {
  std::string name;
  TimeSeriesSpec capacity_chips_per_quarter;
  int lead_time_quarters = 2;
  std::string captive_owner;           //!< agent served first (TPU → its cloud); "" = none
  double order_forecast_momentum = 0.5;  //!< weight of recent order growth when planning output
  double gross_margin = 0.6;           //!< at launch list price: unit cost = launch price × (1 − margin)
  double cash_usd = 0.0;               //!< cash at the start; its gross profit adds to it; it pays its investments
  double deposit_share = 0.0;          //!< of an order's value, paid by the buyer when it orders (the rest on delivery)
  PricePolicySpec price_policy;
  CapacityPolicySpec capacity_policy;
  ProductionSpec production;
  std::int32_t captive_owner_index = no_index;  //!< bound: `captive_owner` in agents
  SourceLocation where;
};

//! A planned addition of power supply in a region (MODEL.md §4).
struct PowerAdditionSpec {
  std::string name;
  std::string type;
  double capacity_mw = 0.0;
  Quarter online;
  SourceLocation where;
};

//! A transmission link between two regions (MODEL.md §4).
struct LinkSpec {
  std::string name;
  std::string from;
  std::string to;
  double capacity_mw = 0.0;
  std::uint32_t from_index = 0;  //!< bound: `from` in regions
  std::uint32_t to_index = 0;    //!< bound: `to` in regions
  SourceLocation where;
};

//! Power an agent can pay for itself (MODEL.md §4): how long it takes and what it costs.
struct PowerTechnologySpec {
  std::string name;  //!< one of known_power_types
  int lead_quarters = 6;
  double cost_usd_per_mw = 1.0e6;
  double price_usd_per_mwh = 60.0;  //!< cost of the power it produces
  bool bridge = false;              //!< can energize a site behind the meter before its grid connection
  SourceLocation where;
};

//! A power region (MODEL.md §4). Power available to datacenters is
//! generation × (1 − reserve margin) − other load.
struct RegionSpec {
  std::string name;
  std::string bloc;
  TimeSeriesSpec generation_mw;
  TimeSeriesSpec other_load_mw;
  double reserve_margin = 0.15;
  double power_price_usd_per_mwh = 50.0;
  int interconnection_quarters = 12;  //!< from request to grant
  double utility_response = 0.0;      //!< share of the queued shortfall its utility commits to build per quarter
  int utility_lead_quarters = 16;     //!< from that commitment to power
  std::vector<PowerAdditionSpec> additions;
  BlocId bloc_index = 0;  //!< bound: `bloc` in known_blocs
  SourceLocation where;
};

//! A datacenter that exists (or is in the pipeline) when the scenario starts.
struct SiteSpec {
  std::string name;
  std::string owner;   //!< agent name
  std::string region;
  double capacity_mw = 0.0;  //!< IT capacity
  double pue = 1.3;
  double rack_kw = 40.0;     //!< maximum rack density
  double build_cost_usd_per_mw = 11.7e6;
  Quarter online;            //!< quarter it is built and interconnected
  SiteOwnership ownership = SiteOwnership::owned;
  double lease_usd_per_mw_year = 0.0;
  std::uint32_t owner_index = 0;   //!< bound: `owner` in agents
  std::uint32_t region_index = 0;  //!< bound: `region` in regions
  SourceLocation where;
};

//! The datacenters an agent builds when it needs space.
struct SiteTemplateSpec {
  double capacity_mw = 300.0;
  double pue = 1.2;
  double rack_kw = 130.0;
  double build_cost_usd_per_mw = 11.7e6;
  int build_quarters = 8;
  int life_quarters = 80;  //!< book and economic life of the building and its power gear
  SiteOwnership ownership = SiteOwnership::owned;  //!< leased: a developer builds it, the agent pays rent
  double lease_usd_per_mw_year = 0.0;              //!< rent per MW of IT, once built (leased)
  //! Construction starts so that the site is built at most this long before its grid connection
  //! (its queue position is filed at once); `never_deferred`: built at once.
  int ready_before_grid_quarters = never_deferred;
  static constexpr int never_deferred = -1;
};

//! Chips an agent owns when the scenario starts.
struct FleetSpec {
  std::string chip;
  double count = 0.0;
  std::string site;
  int age_quarters = 0;  //!< how long before the start the chips were delivered
  std::uint32_t chip_index = 0;  //!< bound: `chip` in chips
  std::uint32_t site_index = 0;  //!< bound: `site` in sites
  SourceLocation where;
};

//! Chips an agent has on order when the scenario starts (orders placed before it): in transit
//! when `arrives` is after the start, otherwise waiting in the vendor's backlog.
struct OrderSpec {
  std::string chip;
  double count = 0.0;
  Quarter arrives;          //!< after the start: in transit, delivered then; otherwise in the backlog
  double price_usd = 0.0;   //!< per chip; 0: the chip's price
  std::uint32_t chip_index = 0;  //!< bound: `chip` in chips
  SourceLocation where;
};

//! How an agent plans (MODEL.md §6).
struct StrategySpec {
  double target_share = 0.1;          //!< share of its bloc's demand it aims to serve
  double momentum = 0.5;              //!< weight of observed growth vs long-run belief (0..1)
  double long_run_growth_per_year = 0.3;
  double headroom = 0.1;              //!< capacity above forecast
  double rival_reaction = 0.0;        //!< fear of falling behind: weight of rivals' capacity growth
  double hurdle_return = 0.10;        //!< return a purchase must promise, per year
  double hurdle_width = 0.0;          //!< spread of the response around the hurdle (0: on/off)
  int adjustment_quarters = 1;        //!< quarters over which orders close the gap to the target
  double sku_choice_spread = 0.0;     //!< logit spread of orders across SKUs (0: the cheapest only)
  double switching_cost = 0.0;        //!< extra cost seen for a chip family it does not run yet (share of TCO)
  bool bridge_power = false;          //!< orders bridge power with a site whose grid connection comes after it is built
  int land_bank_quarters = 0;         //!< plans sites this much further ahead than they take to build and connect
  double investment_elasticity = 0.0; //!< η: the market part of its target × q^η (0: q is ignored)
  double max_investment_q = 3.0;      //!< q is capped here before the power η
  double price_momentum = 0.0;        //!< expected price = price × (1 + this × last year's price change)
};

//! How an agent sells on the spot market (MODEL.md §7): never below its reservation price, and
//! only to the share of its bloc's demand that can reach its compute.
struct SellingSpec {
  double reservation_margin = 0.0;        //!< reservation = (1 + margin) × running cost …
  double reservation_capital_share = 0.0; //!< … + share × capital cost per H100e-hour (cost-plus)
  double reach = 1.0;                     //!< share of its bloc's spot demand its compute can serve
};

//! An annual capex budget (MODEL.md §6 step 1): set at the start of each year by partial
//! adjustment toward a target from cash flow, the growth of the AI business's value and rivals'
//! growth; the year's commitments (chips ordered, sites and power started) must fit in it.
//! Active when `initial` > 0.
struct CapexBudgetSpec {
  double initial_usd_per_year = 0.0;  //!< the first year's budget (AI and non-AI)
  double cash_flow_share = 0.0;       //!< target = share × trailing-year EBITDA × …
  double growth_weight = 0.0;         //!< … × (1 + weight × growth of revenue + imputed value) …
  double rival_weight = 0.0;          //!< … × (1 + weight × max(0, rivals' growth − its own))
  double adjustment = 0.5;            //!< share of the gap to the target closed each year
};

//! A loan an agent owes at the start (MODEL.md §6).
struct DebtSpec {
  std::string name;
  double principal_usd = 0.0;
  double rate = 0.06;   //!< per year
  Quarter maturity;
  SourceLocation where;
};

//! How an agent borrows and pays out (MODEL.md §6).
struct FinanceSpec {
  double max_leverage = 3.0;          //!< debt / trailing EBITDA it may reach
  double spread = 0.02;               //!< over the base rate, per year
  double spread_per_leverage = 0.01;  //!< added per turn of leverage
  double payout_share = 0.0;          //!< of positive free cash flow paid out (dividends + buybacks)
  double target_cash_share = 0.0;     //!< cash it aims to hold, as a share of its total assets
  double excess_cash_payout = 0.0;    //!< share of cash above that target paid out per quarter
  int loan_term_quarters = 20;        //!< maturity of new and refinanced loans
  bool delayed_draw = false;          //!< orders are financed by a committed facility drawn as bills come
  double commitment_fee = 0.0;        //!< per year, on the committed facility not yet drawn
};

//! Upgrading a site to denser racks (MODEL.md §5).
struct RetrofitSpec {
  double cost_usd_per_mw = 2.0e6;
  int quarters = 4;
};

//! A buyer of chips (MODEL.md §6).
struct AgentSpec {
  std::string name;
  AgentKind kind = AgentKind::hyperscaler;
  std::string bloc;
  double cash_usd = 0.0;
  double operating_cash_flow_usd_per_quarter = 0.0;  //!< from its non-AI business
  double cash_flow_growth_per_year = 0.0;
  double min_cash_usd = 0.0;
  std::vector<std::string> vendors;
  std::vector<std::string> regions;  //!< where it builds new sites
  StrategySpec strategy;
  int book_life_quarters = 24;
  SiteTemplateSpec new_site;
  std::vector<FleetSpec> fleet;
  std::vector<OrderSpec> on_order;   //!< orders placed before the start
  std::vector<DebtSpec> debt;
  FinanceSpec finance;
  CapexBudgetSpec capex_budget;
  RetrofitSpec retrofit;
  bool sells_compute = true;                  //!< offers what its contracts and own use leave on the spot market
  SellingSpec selling;
  RetirementPolicy retirement = RetirementPolicy::economic_life;
  TimeSeriesSpec external_funding_usd_per_quarter;  //!< equity raised (labs)
  TimeSeriesSpec captive_demand_h100e;        //!< its own workloads, served first
  TimeSeriesSpec service_revenue_usd_per_h100e_hour;  //!< a lab's revenue from users per H100e-hour it runs
  TimeSeriesSpec non_ai_capex_usd_per_quarter;  //!< capex of its non-AI business (filings)
  int non_ai_asset_life_quarters = 40;        //!< depreciation life of those assets
  double non_ai_assets_usd = 0.0;             //!< book value of its non-AI assets at the start (filings)
  BlocId bloc_index = 0;                      //!< bound: `bloc` in known_blocs
  std::vector<std::uint32_t> vendor_indices;  //!< bound: `vendors` in vendors, in the same order
  std::vector<std::uint32_t> region_indices;  //!< bound: `regions` in regions, in the same order
  SourceLocation where;
};

//! Demand for compute in one bloc (MODEL.md §7), in effective H100e of continuous use.
//! The share of a bloc's demand able to run on each chip family's software stack (MODEL.md §7,
//! "Segments by software ecosystem"), over time. A family without a series: all of it (1).
struct EcosystemSpec {
  TimeSeriesSpec gpu, tpu, trainium, ascend, other;  //!< one per ChipFamily, in its order

  [[nodiscard]] const TimeSeriesSpec& of(ChipFamily family) const noexcept {
    switch (family) {
      case ChipFamily::gpu: return gpu;
      case ChipFamily::tpu: return tpu;
      case ChipFamily::trainium: return trainium;
      case ChipFamily::ascend: return ascend;
      case ChipFamily::other: break;
    }
    return other;
  }
  //! φ_f(q): the family's series at q, 1 when it has none.
  [[nodiscard]] double share(ChipFamily family, Quarter q) const noexcept {
    const TimeSeriesSpec& s = of(family);
    return s.points.empty() ? 1.0 : s.at(q);
  }
};

struct DemandSpec {
  std::string bloc;
  double base_h100e = 0.0;                      //!< demand at the reference price at the start
  TimeSeriesSpec growth_per_year;               //!< annual growth of demand at the reference price
  double reference_price_usd_per_hour = 2.0;    //!< per effective H100e-hour
  double elasticity = 0.8;                      //!< price elasticity of demand
  double price_adjustment = 0.5;                //!< share of the gap to the clearing price closed per quarter
  double noise = 0.0;                           //!< log-sd of a quarterly demand shock
  TimeSeriesSpec training_budget_usd_per_quarter;  //!< training segment: labs' budgets
  double training_revenue_share = 0.0;          //!< share of labs' revenue spent on training
  double saturation = 0.0;                      //!< demand at any price ≤ this × demand at the reference price (0: unbounded)
  int efficiency_adoption_quarters = 1;         //!< quarters over which demand for service adopts an efficiency gain
  EcosystemSpec ecosystem;                      //!< share of demand able to run on each chip family
  BlocId bloc_index = 0;                        //!< bound: `bloc` in known_blocs
  SourceLocation where;
};

//! An offtake or rental contract (MODEL.md §7, §9).
struct ContractSpec {
  std::string name;
  std::string buyer;   //!< agent
  std::string seller;  //!< agent
  double compute_h100e = 0.0;
  double price_usd_per_hour = 0.0;
  Quarter start;
  int length_quarters = 4;
  double shortfall_penalty = 0.1;  //!< the seller pays this share of the value it failed to deliver
  std::uint32_t buyer_index = 0;   //!< bound: `buyer` in agents
  std::uint32_t seller_index = 0;  //!< bound: `seller` in agents
  SourceLocation where;
};

//! A what-if event (MODEL.md §9). Which keys apply depends on the kind (see the reference).
struct EventSpec {
  //! What `target` names, by kind (bound).
  enum class TargetIs : std::uint8_t { none, chip, vendor, agent };

  std::string name;
  EventKind kind = EventKind::demand_shock;
  Quarter at;
  int duration_quarters = 0;  //!< 0: permanent
  std::string bloc;           //!< "": every bloc
  Segment segment = Segment::all;
  std::string target;         //!< a chip, vendor or agent, by kind
  std::string recipient;      //!< circular_deal: the agent invested in
  std::string region;
  double factor = 1.0;
  double rate = 0.0;
  double spread = 0.0;
  double max_leverage = 0.0;
  double capacity_mw = 0.0;
  double amount_usd = 0.0;
  int delay_quarters = 0;
  ExportAction action = ExportAction::ban;  //!< export_control
  std::int32_t bloc_index = no_index;       //!< bound: `bloc` in known_blocs; no_index: every bloc
  TargetIs target_is = TargetIs::none;      //!< bound: where `target` was found…
  std::int32_t target_index = no_index;     //!< … and at which index
  std::int32_t recipient_index = no_index;  //!< bound: `recipient` in agents
  std::int32_t region_index = no_index;     //!< bound: `region` in regions
  SourceLocation where;
};

//! Money conditions common to everyone (MODEL.md §8).
struct MarketFinanceSpec {
  TimeSeriesSpec base_rate;  //!< per year
  double tax_rate = 0.21;
  double secondary_discount = 0.3;  //!< used chips sell at economic value × (1 − discount)
  double fire_sale_share = 0.25;    //!< share of its fleet a distressed agent lists per quarter
};

//! A whole scenario, validated. Immutable once loaded.
struct ScenarioSpec {
  std::string name;
  std::string description;
  std::string source;      //!< file path or "<embedded>/baseline.yaml"
  std::string text;        //!< the YAML text of the file it was read from
  std::string resolved_yaml;  //!< as it runs: `extends` merged, overrides applied, defaults written in
  std::vector<std::string> overrides;  //!< the `key.path=value` assignments applied
  RunSpec run;
  std::vector<ChipSpec> chips;
  std::vector<VendorSpec> vendors;
  std::vector<RegionSpec> regions;
  std::vector<SiteSpec> sites;
  std::vector<AgentSpec> agents;
  std::vector<DemandSpec> demand;
  std::vector<LinkSpec> links;
  std::vector<PowerTechnologySpec> power_technologies;
  std::vector<ContractSpec> contracts;
  std::vector<EventSpec> events;
  MarketFinanceSpec finance;
  std::vector<Diagnostic> warnings;
  bool references_bound = false;  //!< set by bind_references: every `*_index` above is filled
};

}  // namespace aidc
