#pragma once
//! The compute market of one bloc: demand at a price, a sticky price, sold and idle compute.

#include "aidc/kernel/random_stream.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! Demand for compute in one bloc in one quarter, two segments (MODEL.md §7):
//!   inference(P) = I · (P / P_ref)^(−ε)     (I: demand at the reference price)
//!   training(P)  = T / (P · H)               (T: budgets in USD per quarter, H hours per quarter)
struct DemandCurve {
  double inference_h100e = 0.0;
  double training_usd_per_quarter = 0.0;
  double reference_price_usd_per_hour = 2.0;
  double elasticity = 0.8;
  double price_adjustment = 0.5;  //!< share of the log gap to the clearing price closed per quarter

  [[nodiscard]] double inference_at(double price_usd_per_hour) const noexcept;
  [[nodiscard]] double training_at(double price_usd_per_hour) const noexcept;
  [[nodiscard]] double demand_at(double price_usd_per_hour) const noexcept {
    return inference_at(price_usd_per_hour) + training_at(price_usd_per_hour);
  }
};

//! The price at which demand equals `supply_h100e` (> 0): closed form without training
//! (P_ref · (I / S)^(1/ε)), otherwise a safeguarded Newton solve in log price (demand is strictly
//! decreasing in price, so the root is unique); 0 when there is no demand.
double clearing_price_usd_per_hour(const DemandCurve& demand, double supply_h100e) noexcept;

//! Result of clearing one quarter.
struct Clearing {
  double price_usd_per_hour = 0.0;   //!< per effective H100e-hour, after stickiness and floor
  double clearing_price_usd_per_hour = 0.0;  //!< the price that would equate demand and supply
  double demand_h100e = 0.0;         //!< demand at the price
  double demand_inference_h100e = 0.0;
  double demand_training_h100e = 0.0;
  double sold_h100e = 0.0;           //!< min(demand, supply)
  double idle_h100e = 0.0;           //!< supply − sold
  double unmet_h100e = 0.0;          //!< demand − sold
  bool at_floor = false;             //!< the floor bound the price
};

//! Clears a market:
//!   P* = clearing_price(D, S)                (the price at which demand equals supply S)
//!   P  = max(floor, P_prev^(1−a) · P*^a)     (sticky: closes share a of the gap in log terms)
//!   sold = min(D(P), S); idle = S − sold.
//! With no demand (and S > 0) P* = 0, so the price falls to the floor; with S = 0 nothing trades,
//! the price stays at P_prev (bounded by the floor) and all demand is unmet.
Clearing clear_market(const DemandCurve& demand, double supply_h100e, double previous_price_usd_per_hour,
                      double floor_usd_per_hour) noexcept;

//! The inference-only market of `demand` with I = base_demand_h100e.
Clearing clear_market(double base_demand_h100e, double supply_h100e, double previous_price_usd_per_hour,
                      double floor_usd_per_hour, const DemandSpec& demand) noexcept;

//! One bloc's market state across quarters.
struct BlocMarket {
  const DemandSpec* spec = nullptr;
  RandomStream rng{0};
  double trend_h100e = 0.0;        //!< demand at the reference price before the shock
  double base_demand_h100e = 0.0;  //!< trend × this quarter's random shock
  double efficiency = 1.0;         //!< service per unit of compute (efficiency_gain events multiply it)
  double inference_factor = 1.0;   //!< demand_shock events on inference
  double training_factor = 1.0;    //!< demand_shock events on training
  double revenue_last_usd = 0.0;   //!< sellers' revenue last quarter (funds training)
  DemandCurve curve;               //!< this quarter's demand
  double supply_h100e = 0.0;       //!< powered effective compute of the bloc's sellers
  double floor_usd_per_hour = 0.0;
  double price_usd_per_hour = 0.0;
  Clearing last;

  //! Advances the demand trend by one quarter of growth at q and draws the quarter's shock.
  void advance_demand(Quarter q, bool first_quarter) noexcept;
  //! Sets this quarter's curve: I = base × inference_factor × efficiency^(ε − 1) (an efficiency
  //! gain divides the compute per unit of service and raises demand for service by efficiency^ε:
  //! total compute rises when ε > 1, Jevons), T = (training_budget(q) + training_revenue_share ×
  //! revenue_last) × training_factor.
  void set_curve(Quarter q) noexcept;
};

}  // namespace aidc
