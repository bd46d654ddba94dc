#pragma once
//! The compute market of one bloc: demand at a price, a sticky price, sold and idle compute.

#include "aidc/kernel/random_stream.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! Result of clearing one quarter (MODEL.md §7, first slice: one spot segment).
struct Clearing {
  double price_usd_per_hour = 0.0;   //!< per effective H100e-hour, after stickiness and floor
  double clearing_price_usd_per_hour = 0.0;  //!< the price that would equate demand and supply
  double demand_h100e = 0.0;         //!< demand at the price
  double sold_h100e = 0.0;           //!< min(demand, supply)
  double idle_h100e = 0.0;           //!< supply − sold
  double unmet_h100e = 0.0;          //!< demand − sold
  bool at_floor = false;             //!< the floor bound the price
};

//! Clears a market with constant-elasticity demand D(P) = D0 · (P / P_ref)^(−ε):
//!   P* = P_ref · (D0 / S)^(1/ε)              (the price at which demand equals supply S)
//!   P  = max(floor, P_prev^(1−a) · P*^a)     (sticky: closes share a of the gap in log terms)
//!   sold = min(D(P), S); idle = S − sold.
//! With D0 = 0 (and S > 0) P* = 0, so the price falls to the floor; with S = 0 nothing trades,
//! the price stays at P_prev (bounded by the floor) and all demand is unmet.
Clearing clear_market(double base_demand_h100e, double supply_h100e, double previous_price_usd_per_hour,
                      double floor_usd_per_hour, const DemandSpec& demand) noexcept;

//! One bloc's market state across quarters.
struct BlocMarket {
  const DemandSpec* spec = nullptr;
  RandomStream rng{0};
  double trend_h100e = 0.0;        //!< demand at the reference price before the shock
  double base_demand_h100e = 0.0;  //!< trend × this quarter's shock
  double supply_h100e = 0.0;       //!< powered effective compute of the bloc's sellers
  double floor_usd_per_hour = 0.0;
  double price_usd_per_hour = 0.0;
  Clearing last;

  //! Advances the demand trend by one quarter of growth at q and draws the quarter's shock.
  void advance_demand(Quarter q, bool first_quarter) noexcept;
};

}  // namespace aidc
