#pragma once
//! The quantities a run reports each quarter, with their units, and the sink that receives them.

#include <array>
#include <cstdint>
#include <string_view>

#include "aidc/kernel/quarter.hpp"

namespace aidc {

//! What an entity is; the `entity_kind` column of timeseries.csv.
enum class EntityKind : std::uint8_t { global = 0, bloc, region, agent, vendor };

inline constexpr std::array<std::string_view, 5> entity_kind_names = {"global", "bloc", "region", "agent", "vendor"};

//! Every metric the model reports. The name carries the unit.
enum class Metric : std::uint8_t {
  installed_h100e,           //!< effective compute owned and in service (powered + stranded)
  powered_h100e,             //!< installed and energized
  stranded_h100e,            //!< installed, not energized (no site, no interconnection or no power)
  utilized_h100e,            //!< powered and sold
  idle_h100e,                //!< powered and unsold
  utilization,               //!< utilized / powered (0 when nothing is powered)
  on_order_h100e,            //!< ordered, not yet delivered
  ordered_h100e,             //!< ordered this quarter
  retired_h100e,             //!< retired this quarter
  power_requested_mw,        //!< grid power asked for by built sites
  power_delivered_mw,        //!< grid power granted
  power_available_mw,        //!< region: power datacenters may draw
  power_bound,               //!< region: 1 when requests exceed what is available
  price_usd_per_h100e_hour,  //!< market price
  demand_h100e,              //!< bloc: demand at the market price
  unmet_demand_h100e,        //!< bloc: demand not served
  revenue_usd,               //!< cash from others: spot sales and contracts (never own use)
  capex_usd,                 //!< chips delivered + site construction spending
  depreciation_book_usd,
  depreciation_economic_usd,
  impairment_usd,
  power_opex_usd,
  net_income_usd,            //!< other income (after tax) + AI pre-tax income − tax
  cash_usd,
  chips_book_value_usd,
  chips_economic_value_usd,
  orders_chips,              //!< vendor: chips ordered this quarter
  shipments_chips,           //!< vendor: chips produced and shipped
  backlog_chips,             //!< vendor: ordered, not yet produced
  capacity_chips,            //!< vendor: what it could produce this quarter
  inventory_chips,           //!< vendor: produced, not yet shipped
  inventory_days,            //!< vendor: inventory at cost / cost of sales of the last 4 quarters × 365
  cancelled_chips,           //!< vendor: orders cancelled this quarter
  list_price_usd,            //!< vendor: average list price of the SKUs on sale
  gross_margin,              //!< vendor: (revenue − cost of chips shipped) / revenue
  round_tripped_share,       //!< vendor, global: share of cumulative revenue paid for by its own investments
  bullwhip_ratio,            //!< vendor, global: var(Δlog orders) / var(Δlog end demand) so far
  captive_h100e,             //!< own workloads served on its own fleet
  contracted_h100e,          //!< compute delivered under contracts (seller side)
  secondary_bought_h100e,    //!< used compute bought this quarter
  secondary_sold_h100e,      //!< used compute sold this quarter
  demand_inference_h100e,    //!< bloc: inference demand at the market price
  demand_training_h100e,     //!< bloc: training demand at the market price
  power_imported_mw,         //!< region: net power received over links (negative: exported)
  other_income_usd,          //!< cash flow of the non-AI business
  site_opex_usd,             //!< leases
  compute_purchases_usd,     //!< paid for compute under contracts
  interest_usd,
  tax_usd,
  ebitda_usd,                //!< revenue + other income − AI opex
  free_cash_flow_usd,        //!< EBITDA − interest − tax − capex (no financing)
  cumulative_free_cash_flow_usd,
  capex_to_revenue,          //!< capex / revenue (0 without revenue)
  debt_usd,
  leverage,                  //!< debt / trailing-year EBITDA (0 without debt)
  value_gap_usd,             //!< chips' book value − economic value: earnings not yet lost
  distressed,                //!< agent: 1 while it cannot refinance or pay its bills
  defaulted,                 //!< agent: 1 once it has defaulted
  imputed_value_usd,         //!< own workloads valued at the market price (not cash, not revenue)
  ai_opex_usd,               //!< power + leases + compute bought + contract penalties
  ai_operating_profit_usd,   //!< revenue − AI opex − book depreciation − impairments
  ai_economic_profit_usd,    //!< revenue + imputed value − AI opex − economic depreciation
  ai_invested_capital_usd,   //!< book value of chips, sites and power projects
  ai_return_on_capital,      //!< per year: 4 × AI economic profit / AI invested capital
  ai_payback_years,          //!< invested capital / yearly cash margin incl. imputed value (99: never)
  payouts_usd,               //!< dividends and buybacks
  contract_penalties_usd,    //!< paid for undelivered contracted compute, less received
  contract_receivable_usd,   //!< still owed to it under contracts it sells (after this quarter)
  contract_payable_usd,      //!< still owed by it under contracts it buys (after this quarter)
  stranded_book_value_usd,   //!< book value of its unpowered chips
  stranded_economic_value_usd,  //!< economic value of its unpowered chips
  idle_book_value_usd,       //!< book value of its powered, unsold chips
  idle_economic_value_usd,   //!< economic value of its powered, unsold chips
  capex_non_ai_usd,          //!< capex of the non-AI business (in capex_usd)
  depreciation_non_ai_usd,   //!< depreciation of the non-AI business's assets (in net income, not the AI segment)
  total_assets_usd,          //!< cash + chips + sites + power + investments + non-AI assets (book)
  cash_share_of_assets,      //!< cash / total assets
  utilization_installed,     //!< utilized / installed: stranded chips count as idle capital (0 when nothing is installed)
  inventory_usd,             //!< vendor, global: finished chips and materials bought ahead, at cost
  write_down_usd,            //!< vendor: stock of SKUs it can no longer sell written down this quarter
  scissors_gap,              //!< global: year-on-year growth of vendors' inventory − that of clouds' revenue
  training_price_usd_per_h100e_hour,  //!< bloc: what training pays (above the market price when training is short)
  training_sold_h100e,       //!< bloc: compute sold to training on the spot market
  unmet_training_h100e,      //!< bloc: training demand at the market price less training sold
  training_grade_idle_h100e, //!< bloc: training-grade compute offered on the spot market and not sold
  ecosystem_idle_h100e,      //!< bloc: compute offered at the price that demand able to run on its chip family did not take
  count_
};

inline constexpr std::size_t metric_count = static_cast<std::size_t>(Metric::count_);

//! Name of a metric as written in outputs ("powered_h100e").
std::string_view metric_name(Metric m) noexcept;

//! Receives the metrics of one quarter, one value at a time.
class MetricSink {
 public:
  virtual ~MetricSink() = default;
  virtual void put(Quarter q, EntityKind kind, std::string_view entity, Metric metric, double value) = 0;
};

}  // namespace aidc
