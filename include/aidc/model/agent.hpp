#pragma once
//! Buyers of compute capacity: their books, their beliefs about demand, and their plans.

#include <cstdint>
#include <vector>

#include "aidc/model/chip.hpp"
#include "aidc/model/ledger.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! Money an agent moved in one quarter (USD), reset every quarter.
struct AgentFlows {
  double revenue_usd = 0.0;
  double other_income_usd = 0.0;          //!< cash flow of its non-AI business
  double power_opex_usd = 0.0;
  double capex_chips_usd = 0.0;
  double capex_sites_usd = 0.0;
  double depreciation_book_usd = 0.0;     //!< chips and sites, book lives
  double depreciation_economic_usd = 0.0; //!< chips over economic life, sites over their life
  double impairment_usd = 0.0;            //!< book value left when chips retire
  double retired_h100e = 0.0;
  double ordered_h100e = 0.0;

  //! Net income of the AI business: revenue − power − book depreciation − impairments.
  [[nodiscard]] double net_income_usd() const noexcept {
    return revenue_usd - power_opex_usd - depreciation_book_usd - impairment_usd;
  }
};

//! An agent's state (MODEL.md §6, first slice: forecast, target, TCO choice, sites, cash funding).
struct Agent {
  const AgentSpec* spec = nullptr;
  BlocId bloc = 0;
  std::vector<std::uint32_t> regions;  //!< region indices it builds in
  Ledger ledger;
  double committed_chips_usd = 0.0;    //!< ordered chips not yet paid for
  double committed_sites_usd = 0.0;    //!< site construction not yet paid for
  // Beliefs.
  double last_demand_h100e = 0.0;
  double smoothed_growth_per_year = 0.0;
  bool has_history = false;
  // This quarter.
  AgentFlows flows;
  double installed_h100e = 0.0;
  double powered_h100e = 0.0;
  double utilized_h100e = 0.0;
  double on_order_h100e = 0.0;

  //! Cash it may spend now: cash − minimum cash − commitments.
  [[nodiscard]] double spendable_usd() const noexcept {
    return ledger.balance(Account::cash) - spec->min_cash_usd - committed_chips_usd - committed_sites_usd;
  }
};

//! Annual growth the agent expects: momentum × observed + (1 − momentum) × long-run belief
//! (adaptive expectations, MODEL.md §6 step 1).
double expected_growth_per_year(const StrategySpec& strategy, double observed_growth_per_year) noexcept;

//! Demand expected `horizon_quarters` ahead: current × (1 + growth)^(horizon / 4).
double forecast_h100e(double current_h100e, double growth_per_year, int horizon_quarters) noexcept;

//! Capacity the agent wants at the horizon: target share × forecast × (1 + headroom) (step 2).
double target_capacity_h100e(const StrategySpec& strategy, double forecast_bloc_h100e) noexcept;

//! Among `candidates`, the chip with the lowest TCO per effective H100e-hour (step 4); ties go to
//! the lower index. Returns -1 when there is none.
int cheapest_chip(const std::vector<Chip>& chips, const std::vector<std::uint32_t>& candidates, double pue,
                  double power_price_usd_per_mwh) noexcept;

}  // namespace aidc
