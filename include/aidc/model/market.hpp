#pragma once
//! The compute market of one bloc: demand at a price, a sticky price, sold and idle compute.

#include <array>
#include <span>
#include <vector>

#include "aidc/kernel/random_stream.hpp"
#include "aidc/model/ecosystem.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! Demand for compute in one bloc in one quarter, two segments (MODEL.md §7):
//!   inference(P) = I · min(σ, (P / P_ref)^(−ε))       (I: demand at the reference price)
//!   training(P)  = min(σ · T / (P_ref · H), T / (P · H))  (T: budgets in USD per quarter, H hours)
//! σ is the workload ceiling (`saturation`; 0: none): however low the price, a segment demands at
//! most σ times what it demands at the reference price.
struct DemandCurve {
  double inference_h100e = 0.0;
  double training_usd_per_quarter = 0.0;
  double reference_price_usd_per_hour = 2.0;
  double elasticity = 0.8;
  double price_adjustment = 0.5;  //!< share of the log gap to the clearing price closed per quarter
  double saturation = 0.0;        //!< σ (0: no ceiling)

  [[nodiscard]] double inference_at(double price_usd_per_hour) const noexcept;
  [[nodiscard]] double training_at(double price_usd_per_hour) const noexcept;
  [[nodiscard]] double demand_at(double price_usd_per_hour) const noexcept {
    return inference_at(price_usd_per_hour) + training_at(price_usd_per_hour);
  }
  //! The most demanded at any price: σ × (I + T / (P_ref · H)); infinite without a ceiling.
  [[nodiscard]] double ceiling_h100e() const noexcept;
};

//! The price at which demand equals `supply_h100e` (> 0): closed form without training or
//! ceiling (P_ref · (I / S)^(1/ε)), otherwise a safeguarded Newton solve in log price (demand is
//! strictly decreasing in price above the ceiling, so the root is unique); 0 when there is no
//! demand or the supply is at or above the ceiling (no price clears it).
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
  // The training-grade segment (MODEL.md §7). Without a separate training segment its price is
  // the market's, and training is rationed as inference is (pro rata of what is sold).
  double training_price_usd_per_hour = 0.0;  //!< what training pays per effective H100e-hour
  double training_sold_h100e = 0.0;          //!< compute sold to training
  double unmet_training_h100e = 0.0;         //!< training demand at the (general) price less training sold
  double training_grade_offered_h100e = 0.0; //!< training-grade compute offered
  double training_grade_idle_h100e = 0.0;    //!< training-grade compute offered and not sold
  bool training_short = false;               //!< training cleared apart, short of training-grade compute
  // Software ecosystems (MODEL.md §7): compute offered at the price that no demand able to run on
  // its family was left to buy (0 without ecosystem shares).
  double ecosystem_idle_h100e = 0.0;
};

//! Clears a market:
//!   P* = clearing_price(D, S)                (the price at which demand equals supply S)
//!   P  = max(floor, P_prev^(1−a) · P*^a)     (sticky: closes share a of the gap in log terms)
//!   sold = min(D(P), S); idle = S − sold.
//! With no demand (and S > 0) P* = 0, so the price falls to the floor; with S = 0 nothing trades,
//! the price stays at P_prev (bounded by the floor) and all demand is unmet.
Clearing clear_market(const DemandCurve& demand, double supply_h100e, double previous_price_usd_per_hour,
                      double floor_usd_per_hour);

//! One seller's offer in a spot market: what it offers, and the price below which it keeps it.
struct SpotOffer {
  double h100e = 0.0;
  double reservation_usd_per_hour = 0.0;
};

//! The software ecosystems of a spot market's offers (MODEL.md §7): a share φ_f of demand can
//! run on chip family f; offer i holds `offered[i][f]` of family f (their sum is its h100e; they
//! are scaled to it) and `training_grade[i][f]` ≤ that of training-grade compute (used by
//! `clear_segmented_spot_market`; empty: all of it).
struct OfferEcosystem {
  FamilyShares share{1.0, 1.0, 1.0, 1.0, 1.0};
  std::span<const FamilyH100e> offered;
  std::span<const FamilyH100e> training_grade;
};

//! What each offer sold, and what the ecosystem caps alone kept unsold, by family.
struct EcosystemSales {
  std::vector<FamilyH100e> sold;
  std::vector<FamilyH100e> idle;
};

//! Clears a spot market of sellers with reservation prices r_i (MODEL.md §7):
//!   S(P) = Σ_{i: r_i ≤ P} h_i                 (supply at a price: the sellers willing to sell)
//!   P*   = min(p_k, r_(k+1)) for the largest group k (sellers sorted by r, groups of equal r) whose
//!          clearing price p_k = clearing_price(D, S_k) ≥ r_k; r_1 when there is none
//!   P    = max(r_1, P_prev^(1−a) · P*^a)      (sticky; r_1, the lowest reservation, is the floor)
//!   sold = min(D(P), S(P)): the sellers with r_i < P share D(P) pro rata; those with r_i = P (the
//!          marginal group) sell what they leave; sellers with r_i > P sell nothing.
//! With no demand P = r_1; with nothing offered nothing trades and P stays at P_prev.
//! `sold_h100e` gets each offer's sales. The clearing's idle is everything offered less sold; its
//! clearing price is the price that would sell everything offered (0 when no price would).
//! With an `ecosystem` whose shares are not all 1, family f sells at most φ_f · D(P): each p_k is
//! the price at which demand equals the effective supply of groups 1..k
//! (`ecosystem_effective_supply`, with m = servable_share of everything offered), and each tier's
//! sales are water-filled (`water_fill`) under what is left of the caps. `by_family` (if given)
//! gets each offer's sales and ecosystem idle by family.
Clearing clear_spot_market(const DemandCurve& demand, std::span<const SpotOffer> offers,
                           double previous_price_usd_per_hour, std::vector<double>& sold_h100e,
                           const OfferEcosystem* ecosystem = nullptr, EcosystemSales* by_family = nullptr);

//! Clears a spot market segmented by cluster class (MODEL.md §7). Offer i holds
//! `training_grade_h100e[i]` ≤ h_i of training-grade compute; training demand buys only that,
//! inference buys any. First the whole market clears as one (`clear_spot_market`) at P; when
//! training-grade compute offered at P covers training demand, T(P) ≤ Σ_{r_i ≤ P} g_i, or no offer
//! holds general compute, that clearing stands (and p_t = P). Otherwise training is short and
//! the segments clear apart, training first:
//!   training: demand T(·) alone against offers (g_i, r_i), from the previous training price → p_t,
//!             t_i sold to training by seller i;
//!   general:  demand I(·) alone against offers (h_i − t_i, r_i), from the previous price → p_g;
//!   unmet training = T(p_g) − Σ t_i (training that would buy at the general price and finds no
//!   training-grade compute), idle = Σ h_i − Σ t_i − general sold.
//! `sold_h100e` gets each offer's total sales, `sold_training_h100e` the part sold to training
//! (paid p_t; the rest is paid the clearing's price p_g).
//! With an `ecosystem` whose shares are not all 1, every clearing above caps each family at φ_f of
//! its demand (D, T or I); training is short when Σ_f min(G_f, φ_f T(P)) < m · T(P), G_f the
//! training-grade compute of family f offered at P and m the servable share of everything offered.
Clearing clear_segmented_spot_market(const DemandCurve& demand, std::span<const SpotOffer> offers,
                                     std::span<const double> training_grade_h100e, double previous_price_usd_per_hour,
                                     double previous_training_price_usd_per_hour, std::vector<double>& sold_h100e,
                                     std::vector<double>& sold_training_h100e,
                                     const OfferEcosystem* ecosystem = nullptr, EcosystemSales* by_family = nullptr);

//! The inference-only market of `demand` with I = base_demand_h100e.
Clearing clear_market(double base_demand_h100e, double supply_h100e, double previous_price_usd_per_hour,
                      double floor_usd_per_hour, const DemandSpec& demand);

//! One bloc's market state across quarters.
struct BlocMarket {
  const DemandSpec* spec = nullptr;
  RandomStream rng{0};
  double trend_h100e = 0.0;        //!< demand at the reference price before the shock
  double base_demand_h100e = 0.0;  //!< trend × this quarter's random shock
  double efficiency = 1.0;         //!< service per unit of compute (efficiency_gain events multiply it)
  double efficiency_adopted = 1.0; //!< the efficiency demand for service has adopted so far
  std::array<double, 4> price_history{};  //!< prices of the last four quarters, by ring slot
  double price_year_ago_usd_per_hour = 0.0;  //!< the price four quarters before this one (0: none yet)
  double inference_factor = 1.0;   //!< demand_shock events on inference
  double training_factor = 1.0;    //!< demand_shock events on training
  FamilyShares ecosystem_share{1.0, 1.0, 1.0, 1.0, 1.0};  //!< φ_f this quarter (set_curve)
  double revenue_last_usd = 0.0;   //!< sellers' revenue last quarter (funds training)
  DemandCurve curve;               //!< this quarter's demand
  double supply_h100e = 0.0;       //!< powered effective compute of the bloc's sellers
  double floor_usd_per_hour = 0.0;
  double price_usd_per_hour = 0.0;
  double training_price_usd_per_hour = 0.0;  //!< the training segment's price (= price when not short)
  bool was_training_short = false;           //!< training was short last quarter (to log changes once)
  std::vector<double> training_sold_by_agent_h100e;  //!< by agent: sold to training at the training price
  std::vector<FamilyH100e> ecosystem_idle_by_agent_h100e;  //!< by agent (empty when no share is below 1): kept unsold by the caps
  Clearing last;

  //! Advances the demand trend by one quarter of growth at q and draws the quarter's shock.
  void advance_demand(Quarter q, bool first_quarter) noexcept;
  //! Sets this quarter's curve: I = base × inference_factor × efficiency^(−1) × adopted^ε (an
  //! efficiency gain divides the compute per unit of service at once and raises demand for service
  //! by efficiency^ε as it is adopted: total compute rises when ε > 1, Jevons), where adopted moves
  //! toward efficiency by 1/τ of the log gap each quarter (τ = efficiency_adoption; τ = 1: at once);
  //! T = (training_budget(q) + training_revenue_share × revenue_last) × training_factor; and the
  //! share φ_f(q) of demand able to run on each chip family (`ecosystem`, 1 when not given).
  void set_curve(Quarter q) noexcept;
};

}  // namespace aidc
