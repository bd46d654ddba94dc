// The market (MODEL.md §7): each agent's powered compute serves its firm contracts first, then
// its own workloads, and the rest is offered in its bloc's spot market, which clears at a sticky
// price bounded below by the running cost of the cheapest powered chip. What is powered and not
// sold is idle.

#include <algorithm>

#include "aidc/model/contract.hpp"
#include "aidc/model/world.hpp"
#include "world_util.hpp"

namespace aidc {

void World::clear_markets() {
  for (auto& a : agents_) a.installed_h100e = a.powered_h100e = a.utilized_h100e = 0.0;
  for (auto& m : markets_) m.floor_usd_per_hour = -1.0;
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    if (fleet_.retired[i]) continue;
    const Chip& chip = chips_[fleet_.chip[i]];
    Agent& a = agents_[fleet_.owner[i]];
    a.installed_h100e += fleet_.count[i] * chip.effective_h100e;
    if (fleet_.powered_count[i] <= 0.0) continue;
    a.powered_h100e += fleet_.powered_count[i] * chip.effective_h100e;
    // The floor is the running cost of the cheapest-to-run powered chip: below it nobody sells.
    const Site& s = sites_[static_cast<std::size_t>(fleet_.site[i])];
    const double cost = running_cost_usd_per_h100e_hour(chip, s.pue, regions_[s.region].spec->power_price_usd_per_mwh);
    double& floor = markets_[a.bloc].floor_usd_per_hour;
    floor = floor < 0.0 ? cost : std::min(floor, cost);
  }
  // 1. Contracts in force, in scenario order, are firm: served first from what the seller has
  //    powered. The buyer pays for what is delivered whatever its own use (take-or-pay); the
  //    seller pays `shortfall_penalty` of the value it failed to deliver.
  std::vector<double> free_h100e(agents_.size(), 0.0);
  for (std::uint32_t a = 0; a < agents_.size(); ++a) free_h100e[a] = agents_[a].powered_h100e;
  for (std::size_t k = 0; k < spec_.contracts.size(); ++k) {
    const ContractSpec& c = spec_.contracts[k];
    if (now_ < c.start || now_ >= c.start + c.length_quarters) continue;
    const std::uint32_t buyer = c.buyer_index, seller = c.seller_index;
    if (agents_[buyer].defaulted || agents_[seller].defaulted) continue;  // a default ends its contracts
    const ContractSettlement due = settle_contract(c.compute_h100e, free_h100e[seller], c.price_usd_per_hour,
                                                   c.shortfall_penalty);
    free_h100e[seller] -= due.delivered_h100e;
    agents_[seller].flows.contracted_h100e += due.delivered_h100e;
    agents_[seller].flows.revenue_usd += due.paid_usd;
    agents_[buyer].flows.compute_purchases_usd += due.paid_usd;
    agents_[seller].flows.contract_penalties_usd += due.penalty_usd;
    agents_[buyer].flows.contract_penalties_usd -= due.penalty_usd;
    money_.add(buyer, seller, due.paid_usd);
    if (due.penalty_usd > 0.0) money_.add(seller, buyer, due.penalty_usd);
    if (due.delivered_h100e < c.compute_h100e * (1.0 - 1e-9)) {
      log(EntityKind::agent, c.seller, "contract_shortfall", "contract " + c.name + " is not fully served",
          {{"contracted_h100e", c.compute_h100e}, {"delivered_h100e", due.delivered_h100e},
           {"penalty_usd", due.penalty_usd}});
    }
  }
  // 2. Captive use: its own workloads on what its contracts leave.
  for (std::uint32_t a = 0; a < agents_.size(); ++a) {
    Agent& agent = agents_[a];
    agent.flows.captive_h100e = std::min(agent.spec->captive_demand_h100e.at(now_), free_h100e[a]);
    free_h100e[a] -= agent.flows.captive_h100e;
    if (!agent.spec->sells_compute) free_h100e[a] = 0.0;  // kept: idle, not offered
  }
  // 3. The spot market of each bloc.
  for (auto& m : markets_) {
    m.supply_h100e = 0.0;
    m.floor_usd_per_hour = std::max(0.0, m.floor_usd_per_hour);
  }
  for (std::uint32_t a = 0; a < agents_.size(); ++a) markets_[agents_[a].bloc].supply_h100e += free_h100e[a];
  double world_demand = 0.0;
  for (BlocId b = 0; b < markets_.size(); ++b) {
    BlocMarket& m = markets_[b];
    if (m.spec == nullptr) continue;
    m.set_curve(now_);
    m.last = clear_market(m.curve, m.supply_h100e, m.price_usd_per_hour, m.floor_usd_per_hour);
    m.price_usd_per_hour = m.last.price_usd_per_hour;
    world_demand += m.last.demand_h100e;
    if (m.last.at_floor != static_cast<bool>(was_at_floor_[b])) {
      log(EntityKind::bloc, known_blocs[b], m.last.at_floor ? "price_floor" : "price_above_floor",
          m.last.at_floor ? "supply exceeds demand even at the running cost of the cheapest chip"
                          : "demand caught up with supply",
          {{"price_usd_per_h100e_hour", m.price_usd_per_hour}, {"supply_h100e", m.supply_h100e},
           {"demand_h100e", m.last.demand_h100e}});
      was_at_floor_[b] = m.last.at_floor ? 1 : 0;
    }
    m.revenue_last_usd = 0.0;
  }
  demand_changes_.add(world_demand);
  // 4. Sellers share the spot sales pro rata to what they offered. Captive use earns no cash: its
  //    value at the market price (what the agent would otherwise pay) is reported apart.
  for (std::uint32_t a = 0; a < agents_.size(); ++a) {
    Agent& agent = agents_[a];
    BlocMarket& m = markets_[agent.bloc];
    const double sold_share = m.supply_h100e > 0.0 ? m.last.sold_h100e / m.supply_h100e : 0.0;
    const double spot = free_h100e[a] * sold_share;
    agent.utilized_h100e = agent.flows.captive_h100e + agent.flows.contracted_h100e + spot;
    const double market_revenue = spot * m.price_usd_per_hour * hours_per_quarter;
    agent.flows.revenue_usd += market_revenue;
    agent.flows.imputed_value_usd = agent.flows.captive_h100e * m.price_usd_per_hour * hours_per_quarter;
    m.revenue_last_usd += market_revenue;
  }
}

}  // namespace aidc
