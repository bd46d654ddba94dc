#pragma once
//! Buyers of compute capacity (MODEL.md §6): their books, loans, beliefs about demand, and the
//! rules they plan by.

#include <array>
#include <cstdint>
#include <vector>

#include "aidc/model/chip.hpp"
#include "aidc/model/ledger.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! Money an agent moved in one quarter (USD), reset every quarter (MODEL.md §8, docs/model.md §8).
//! Cash revenue is what others paid it; the value of its own use of its fleet is reported apart
//! (imputed_value_usd) and never enters cash, EBITDA or taxes.
struct AgentFlows {
  double revenue_usd = 0.0;               //!< cash from others: spot sales and contracts sold
  double imputed_value_usd = 0.0;         //!< its own workloads valued at the market price (not cash)
  double other_income_usd = 0.0;          //!< after-tax cash flow of its non-AI business (taxed already)
  double power_opex_usd = 0.0;
  double site_opex_usd = 0.0;             //!< leases
  double compute_purchases_usd = 0.0;     //!< paid under contracts as a buyer (take-or-pay)
  double contract_penalties_usd = 0.0;    //!< paid for contracted compute it failed to deliver, less received
  double interest_usd = 0.0;
  double tax_usd = 0.0;                   //!< on its AI business only (negative: a credit against the rest)
  double capex_chips_usd = 0.0;           //!< new chips delivered and used chips bought
  double capex_sites_usd = 0.0;           //!< construction and retrofits
  double capex_power_usd = 0.0;           //!< power it paid for, at completion
  double capex_non_ai_usd = 0.0;          //!< capex of its non-AI business
  double depreciation_non_ai_usd = 0.0;   //!< of its non-AI assets (not in the AI segment)
  double equity_raised_usd = 0.0;         //!< external funding and investments received
  double payouts_usd = 0.0;               //!< dividends and buybacks
  double borrowed_usd = 0.0;
  double repaid_usd = 0.0;
  double asset_sales_usd = 0.0;           //!< used chips sold
  double invested_usd = 0.0;              //!< stakes bought in others (circular deals)
  double depreciation_book_usd = 0.0;     //!< chips and sites, book lives
  double depreciation_economic_usd = 0.0; //!< chips over economic life, sites over their life
  double impairment_usd = 0.0;            //!< book value written off (retirements, losses on sales)
  double retired_h100e = 0.0;
  double ordered_h100e = 0.0;
  double captive_h100e = 0.0;
  double contracted_h100e = 0.0;          //!< delivered under contracts as a seller
  double contract_received_h100e = 0.0;   //!< delivered to it under contracts as a buyer
  double service_revenue_usd = 0.0;       //!< from its users for the compute it ran (in revenue)
  double secondary_bought_h100e = 0.0;
  double secondary_sold_h100e = 0.0;

  //! Operating costs of the AI business: power + site leases + compute bought + contract penalties.
  [[nodiscard]] double ai_opex_usd() const noexcept {
    return power_opex_usd + site_opex_usd + compute_purchases_usd + contract_penalties_usd;
  }
  //! AI-segment operating profit (book): revenue − AI opex − book depreciation − impairments.
  [[nodiscard]] double ai_operating_profit_usd() const noexcept {
    return revenue_usd - ai_opex_usd() - depreciation_book_usd - impairment_usd;
  }
  //! AI-segment economic profit: revenue + imputed value − AI opex − economic depreciation.
  [[nodiscard]] double ai_economic_profit_usd() const noexcept {
    return revenue_usd + imputed_value_usd - ai_opex_usd() - depreciation_economic_usd;
  }
  //! revenue + other income − AI opex (the lenders' measure; imputed value excluded).
  [[nodiscard]] double ebitda_usd() const noexcept { return revenue_usd + other_income_usd - ai_opex_usd(); }
  //! Taxable income of the AI business: AI operating profit − interest.
  [[nodiscard]] double ai_pretax_income_usd() const noexcept { return ai_operating_profit_usd() - interest_usd; }
  //! Net income: other income (after tax) − non-AI depreciation + AI pre-tax income − tax on it.
  [[nodiscard]] double net_income_usd() const noexcept {
    return other_income_usd - depreciation_non_ai_usd + ai_pretax_income_usd() - tax_usd;
  }
  //! Capex of the AI business: chips, sites, power.
  [[nodiscard]] double ai_capex_usd() const noexcept { return capex_chips_usd + capex_sites_usd + capex_power_usd; }
  //! All capex, as filings report it: AI + non-AI.
  [[nodiscard]] double capex_usd() const noexcept { return ai_capex_usd() + capex_non_ai_usd; }
  //! Every cash movement of the quarter, summed: what the cash balance must have changed by.
  [[nodiscard]] double net_cash_flow_usd() const noexcept {
    return revenue_usd + other_income_usd + equity_raised_usd + borrowed_usd + asset_sales_usd - ai_opex_usd() -
           interest_usd - tax_usd - payouts_usd - repaid_usd - invested_usd - capex_usd();
  }
  //! EBITDA − interest − tax − capex: cash the business made after investing (no financing).
  [[nodiscard]] double free_cash_flow_usd() const noexcept {
    return ebitda_usd() - interest_usd - tax_usd - capex_usd();
  }
};

//! Tax on the AI business (docs/model.md §8): tax_rate × AI pre-tax income when positive; a loss
//! is deducted from the non-AI business's pre-tax income (other income / (1 − tax_rate)) as far as
//! that goes, giving a credit; losses beyond it are not carried forward.
double ai_tax_usd(double ai_pretax_income_usd, double other_income_usd, double tax_rate) noexcept;

//! Dividends and buybacks of a quarter (docs/model.md §8): payout_share × max(0, free cash flow)
//! + excess_cash_payout × max(0, cash − target_cash_share × total assets), at most what it can
//! spend (cash above its minimum and its commitments).
double payout_usd(const FinanceSpec& finance, double free_cash_flow_usd, double cash_usd, double total_assets_usd,
                  double spendable_usd) noexcept;

//! A loan: principal owed, its rate per year and its maturity.
struct Loan {
  double principal_usd = 0.0;
  double rate = 0.0;
  Quarter maturity;
};

//! An agent's state.
struct Agent {
  const AgentSpec* spec = nullptr;
  BlocId bloc = 0;
  std::vector<std::uint32_t> regions;  //!< region indices it builds in
  Ledger ledger;
  std::vector<Loan> loans;
  double committed_chips_usd = 0.0;    //!< ordered chips not yet paid for
  double committed_sites_usd = 0.0;    //!< construction and power projects not yet paid for
  double facility_undrawn_usd = 0.0;   //!< committed by lenders, not drawn yet (delayed draw)
  double funding_factor = 1.0;         //!< funding_shock events multiply its external funding
  std::int32_t deal_vendor = -1;       //!< a vendor that invested in it: it buys that vendor's chips
  // Status.
  bool distressed = false;
  Quarter distressed_since;
  bool defaulted = false;
  bool priced_out = false;             //!< last quarter the market price was below its reservation price
  bool out_of_reach = false;           //!< last quarter its reach capped what it could offer
  std::uint8_t out_of_ecosystem = 0;   //!< bit f: last quarter family f's share of demand left some of it unsold
  double reservation_usd_per_hour = 0.0;  //!< this quarter's reservation price per H100e-hour
  // Beliefs.
  double last_demand_h100e = 0.0;
  double smoothed_growth_per_year = 0.0;
  bool has_history = false;
  std::array<double, 4> capacity_history{};  //!< installed + on order, the last four quarters (ring)
  std::array<double, 4> ebitda_history{};    //!< the last four quarters (ring)
  double cumulative_free_cash_flow_usd = 0.0;
  double non_ai_assets_usd = 0.0;            //!< book value of its non-AI assets
  // Capex budget (when its spec has one).
  double capex_budget_usd = 0.0;             //!< this year's budget
  double budget_left_usd = 0.0;              //!< what this year's commitments have not used
  std::array<double, 2> value_by_year{};     //!< revenue + imputed value: last year, the year before
  double value_this_year_usd = 0.0;
  [[nodiscard]] bool has_budget() const noexcept { return spec->capex_budget.initial_usd_per_year > 0.0; }
  //! Whether a commitment of cost_usd fits in what is left of this year's budget (always, without one).
  [[nodiscard]] bool within_budget(double cost_usd) const noexcept { return !has_budget() || cost_usd <= budget_left_usd; }
  // This quarter.
  double cash_at_start_usd = 0.0;  //!< for the cash-flow invariant
  AgentFlows flows;
  double installed_h100e = 0.0;
  double powered_h100e = 0.0;
  double utilized_h100e = 0.0;
  double on_order_h100e = 0.0;
  std::vector<double> family_h100e;  //!< per chip family: installed + on order (decisions phase)

  //! Cash it may spend now: cash + committed facility not drawn − minimum cash − commitments.
  [[nodiscard]] double spendable_usd() const noexcept {
    return ledger.balance(Account::cash) + facility_undrawn_usd - spec->min_cash_usd - committed_chips_usd -
           committed_sites_usd;
  }
  //! EBITDA of the last year: the larger of the four quarters' sum and four times the last one
  //! (lenders look at run rates of growing firms).
  [[nodiscard]] double trailing_ebitda_usd(std::size_t last_slot) const noexcept;
  //! Debt / trailing EBITDA; 0 without debt, a large number (99) with debt and no EBITDA.
  [[nodiscard]] double leverage(std::size_t last_slot) const noexcept;
};

//! Annual growth the agent expects: momentum × observed + (1 − momentum) × long-run belief
//! (adaptive expectations, MODEL.md §6 step 1).
double expected_growth_per_year(const StrategySpec& strategy, double observed_growth_per_year) noexcept;

//! Demand expected `horizon_quarters` ahead: current × (1 + growth)^(horizon / 4).
double forecast_h100e(double current_h100e, double growth_per_year, int horizon_quarters) noexcept;

//! Capacity the agent wants at the horizon: target share × forecast × (1 + headroom) (step 2).
double target_capacity_h100e(const StrategySpec& strategy, double forecast_bloc_h100e) noexcept;

//! Fear of falling behind (step 2): the target is multiplied by
//! 1 + rival_reaction × max(0, rivals' capacity growth − its own), growths over the last year.
double rival_pressure(double rival_reaction, double rivals_growth, double own_growth) noexcept;

//! Return a purchase promises per year (step 6, the hurdle): margin over running cost at the
//! current price and utilization, on the capital per effective H100e, less economic depreciation:
//! (price − running cost) × 8766 × utilization / capital − 4 / economic_life_quarters.
double expected_return_per_year(double price_usd_per_hour, double running_cost_usd_per_hour, double utilization,
                                double capital_usd_per_h100e, int economic_life_quarters) noexcept;

//! Target of next year's capex budget (MODEL.md §6): cash_flow_share × max(0, trailing EBITDA) ×
//! (1 + growth_weight × clamp(value growth, −0.5, 2)) × (1 + rival_weight × max(0, rivals' growth
//! − own growth)).
double capex_budget_target_usd(const CapexBudgetSpec& budget, double trailing_ebitda_usd, double value_growth,
                               double rivals_growth, double own_growth) noexcept;

//! Next year's budget by partial adjustment: previous + adjustment × (target − previous).
double next_capex_budget_usd(const CapexBudgetSpec& budget, double previous_usd, double target_usd) noexcept;

//! A lab's revenue in a quarter from the compute it ran: h100e × usd_per_hour × hours per quarter.
double service_revenue_usd(double h100e, double usd_per_hour) noexcept;

//! What a quarter adds to the budget left for AI commitments (paced): a quarter of the year's
//! budget less the quarter's non-AI capex.
double paced_budget_release_usd(double budget_usd_per_year, double non_ai_capex_usd) noexcept;

//! The budget left after a quarter's release: what earlier quarters left uncommitted carries
//! over, up to one year's budget: min(left + release, max(0, budget)).
double paced_budget_left_usd(double left_usd, double release_usd, double budget_usd_per_year) noexcept;

//! Interest per year on new debt (step 6): base + spread + spread_per_leverage × leverage + crunch.
double borrowing_rate(double base_rate, const FinanceSpec& finance, double leverage, double crunch_spread) noexcept;

//! Debt it may still take on: max(0, max_leverage × max(0, trailing EBITDA) − debt).
double debt_capacity_usd(double max_leverage, double trailing_ebitda_usd, double debt_usd) noexcept;

}  // namespace aidc
