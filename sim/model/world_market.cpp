// The market (MODEL.md §7): each agent's powered compute serves its firm contracts first, then
// its own workloads, and the rest is offered in its bloc's spot market, as far as its reach goes,
// at no less than its reservation price (running cost plus a margin and, cost-plus, a share of
// capital cost). The market clears at a sticky price bounded below by the lowest reservation
// price; when training-grade compute cannot serve training demand at that price, training clears
// apart on training-grade compute at a higher price. Each chip family sells at most the share of
// demand able to run on it (its software ecosystem). What is powered and not sold is idle.

#include <algorithm>

#include "aidc/model/contract.hpp"
#include "aidc/model/world.hpp"
#include "world_util.hpp"

namespace aidc {

void World::clear_markets() {
  price_reservations();
  std::vector<double> free_h100e(agents_.size(), 0.0);
  for (std::uint32_t a = 0; a < agents_.size(); ++a) free_h100e[a] = agents_[a].powered_h100e;
  serve_contracts(free_h100e);
  serve_captive(free_h100e);
  std::vector<SpotOffer> offers(agents_.size());
  std::vector<double> unreached_h100e(agents_.size(), 0.0);
  make_spot_offers(free_h100e, offers, unreached_h100e);
  std::vector<double> sold_h100e(agents_.size(), 0.0);
  indicators_.demand_changes.add(clear_spot_markets(offers, unreached_h100e, sold_h100e));
  book_sales(offers, unreached_h100e, sold_h100e);
}

// Each agent's compute installed and powered, and its reservation price.
void World::price_reservations() {
  for (auto& a : agents_) a.installed_h100e = a.powered_h100e = a.utilized_h100e = 0.0;
  // Each agent's running and capital cost per powered H100e-hour, averaged over its powered chips.
  std::vector<double> running_usd(agents_.size(), 0.0), capital_usd(agents_.size(), 0.0);
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    if (fleet_.retired[i]) continue;
    const Chip& chip = supply_.chips[fleet_.chip[i]];
    const std::uint32_t owner = fleet_.owner[i];
    Agent& a = agents_[owner];
    a.installed_h100e += fleet_.count[i] * chip.effective_h100e;
    if (fleet_.powered_count[i] <= 0.0) continue;
    a.powered_h100e += fleet_.powered_count[i] * chip.effective_h100e;
    const Site& s = power_.sites[static_cast<std::size_t>(fleet_.site[i])];
    running_usd[owner] += fleet_.powered_count[i] * chip.effective_h100e *
                          running_cost_usd_per_h100e_hour(chip, s.pue, power_.regions[s.region].spec->power_price_usd_per_mwh);
    capital_usd[owner] += fleet_.powered_count[i] * fleet_.unit_price_usd[i] /
                          (std::max(1, fleet_.economic_life_quarters[i]) * hours_per_quarter);
  }
  for (std::uint32_t a = 0; a < agents_.size(); ++a) {
    Agent& agent = agents_[a];
    const SellingSpec& selling = agent.spec->selling;
    agent.reservation_usd_per_hour =
        agent.powered_h100e > 0.0 ? ((1.0 + selling.reservation_margin) * running_usd[a] +
                                     selling.reservation_capital_share * capital_usd[a]) /
                                        agent.powered_h100e
                                  : 0.0;
  }
}

void World::serve_contracts(std::vector<double>& free_h100e) {
  // 1. Contracts in force, in scenario order, are firm: served first from what the seller has
  //    powered. The buyer pays for what is delivered whatever its own use (take-or-pay); the
  //    seller pays `shortfall_penalty` of the value it failed to deliver.
  for (std::size_t k = 0; k < spec_.contracts.size(); ++k) {
    const ContractSpec& c = spec_.contracts[k];
    if (now_ < c.start || now_ >= c.start + c.length_quarters) continue;
    const std::uint32_t buyer = c.buyer_index, seller = c.seller_index;
    if (agents_[buyer].defaulted || agents_[seller].defaulted) continue;  // a default ends its contracts
    const ContractSettlement due = settle_contract(c.compute_h100e, free_h100e[seller], c.price_usd_per_hour,
                                                   c.shortfall_penalty);
    free_h100e[seller] -= due.delivered_h100e;
    agents_[seller].flows.contracted_h100e += due.delivered_h100e;
    agents_[buyer].flows.contract_received_h100e += due.delivered_h100e;
    agents_[seller].flows.revenue_usd += due.paid_usd;
    agents_[buyer].flows.compute_purchases_usd += due.paid_usd;
    agents_[seller].flows.contract_penalties_usd += due.penalty_usd;
    agents_[buyer].flows.contract_penalties_usd -= due.penalty_usd;
    finance_.money.add(buyer, seller, due.paid_usd);
    if (due.penalty_usd > 0.0) finance_.money.add(seller, buyer, due.penalty_usd);
    if (due.delivered_h100e < c.compute_h100e * (1.0 - 1e-9)) {
      log(EntityKind::agent, c.seller, "contract_shortfall", "contract " + c.name + " is not fully served",
          {{"contracted_h100e", c.compute_h100e}, {"delivered_h100e", due.delivered_h100e},
           {"penalty_usd", due.penalty_usd}});
    }
  }
}

void World::serve_captive(std::vector<double>& free_h100e) {
  // 2. Captive use: its own workloads on what its contracts leave.
  for (std::uint32_t a = 0; a < agents_.size(); ++a) {
    Agent& agent = agents_[a];
    // Own workloads are demand too: a demand shock on its bloc's inference scales them.
    const double captive = agent.spec->captive_demand_h100e.at(now_) * markets_.blocs[agent.bloc].inference_factor;
    agent.flows.captive_h100e = std::min(captive, free_h100e[a]);
    free_h100e[a] -= agent.flows.captive_h100e;
    if (!agent.spec->sells_compute) free_h100e[a] = 0.0;  // kept: idle, not offered
  }
}

void World::make_spot_offers(const std::vector<double>& free_h100e, std::vector<SpotOffer>& offers,
                             std::vector<double>& unreached_h100e) {
  // 3. The spot market of each bloc: each seller offers what is left, up to its reach's share of
  //    the bloc's demand at last quarter's price, at its reservation price.
  for (auto& m : markets_.blocs) {
    m.supply_h100e = 0.0;
    if (m.spec != nullptr) m.set_curve(now_);
  }
  for (std::uint32_t a = 0; a < agents_.size(); ++a) {
    Agent& agent = agents_[a];
    BlocMarket& m = markets_.blocs[agent.bloc];
    double offer = free_h100e[a];
    const double reach = agent.spec->selling.reach;
    if (reach < 1.0 && offer > 0.0) {
      offer = std::min(offer, reach * m.curve.demand_at(m.price_usd_per_hour));
      unreached_h100e[a] = free_h100e[a] - offer;
    }
    offers[a] = {offer, agent.reservation_usd_per_hour};
    m.supply_h100e += free_h100e[a];
  }
}

// Clears each bloc's spot market: who sold what (into sold_h100e), the price, its floor, its
// history. Returns the world's demand.
double World::clear_spot_markets(const std::vector<SpotOffer>& offers, const std::vector<double>& unreached_h100e,
                                 std::vector<double>& sold_h100e) {
  double world_demand = 0.0;
  std::vector<double> bloc_sold, bloc_sold_training, bloc_grade;
  std::vector<SpotOffer> bloc_offers;
  std::vector<std::uint32_t> bloc_agents;
  // Each agent's training-grade share of its powered compute: its offer holds as much. With
  // ecosystem shares, its powered compute by chip family (and training-grade by family) too: its
  // offer holds each family pro rata.
  bool any_ecosystem = false;
  for (const BlocMarket& m : markets_.blocs) any_ecosystem = any_ecosystem || (m.spec != nullptr && ecosystem_binds(m.ecosystem_share));
  std::vector<double> grade_powered_h100e(agents_.size(), 0.0);
  std::vector<FamilyH100e> family_powered_h100e(any_ecosystem ? agents_.size() : 0, FamilyH100e{});
  std::vector<FamilyH100e> family_grade_powered_h100e(any_ecosystem ? agents_.size() : 0, FamilyH100e{});
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    if (fleet_.retired[i] || fleet_.powered_count[i] <= 0.0) continue;
    const Chip& chip = supply_.chips[fleet_.chip[i]];
    const double h100e = fleet_.powered_count[i] * chip.effective_h100e;
    if (chip.spec->training_grade) grade_powered_h100e[fleet_.owner[i]] += h100e;
    if (any_ecosystem) {
      const auto f = static_cast<std::size_t>(chip.spec->family);
      family_powered_h100e[fleet_.owner[i]][f] += h100e;
      if (chip.spec->training_grade) family_grade_powered_h100e[fleet_.owner[i]][f] += h100e;
    }
  }
  std::vector<FamilyH100e> bloc_family, bloc_family_grade;
  EcosystemSales sales;
  for (BlocId b = 0; b < markets_.blocs.size(); ++b) {
    BlocMarket& m = markets_.blocs[b];
    m.revenue_last_usd = 0.0;
    if (m.spec == nullptr) continue;
    bloc_offers.clear();
    bloc_agents.clear();
    bloc_grade.clear();
    for (std::uint32_t a = 0; a < agents_.size(); ++a) {
      if (agents_[a].bloc != b) continue;
      bloc_offers.push_back(offers[a]);
      bloc_agents.push_back(a);
      const double powered = agents_[a].powered_h100e;
      bloc_grade.push_back(powered > 0.0 ? offers[a].h100e * std::min(1.0, grade_powered_h100e[a] / powered) : 0.0);
    }
    const bool ecosystem = ecosystem_binds(m.ecosystem_share);
    bloc_family.clear();
    bloc_family_grade.clear();
    if (ecosystem) {
      for (const std::uint32_t a : bloc_agents) {
        const double powered = agents_[a].powered_h100e, offered = offers[a].h100e;
        FamilyH100e all{}, grade{};
        for (std::size_t f = 0; f < chip_family_count && powered > 0.0; ++f) {
          all[f] = offered * family_powered_h100e[a][f] / powered;
          grade[f] = offered * family_grade_powered_h100e[a][f] / powered;
        }
        bloc_family.push_back(all);
        bloc_family_grade.push_back(grade);
      }
    }
    const OfferEcosystem eco{m.ecosystem_share, bloc_family, bloc_family_grade};
    m.last = ecosystem ? clear_segmented_spot_market(m.curve, bloc_offers, bloc_grade, m.price_usd_per_hour,
                                                     m.training_price_usd_per_hour, bloc_sold, bloc_sold_training,
                                                     &eco, &sales)
                       : clear_segmented_spot_market(m.curve, bloc_offers, bloc_grade, m.price_usd_per_hour,
                                                     m.training_price_usd_per_hour, bloc_sold, bloc_sold_training);
    m.ecosystem_idle_by_agent_h100e.assign(ecosystem ? agents_.size() : 0, FamilyH100e{});
    for (std::size_t k = 0; k < bloc_agents.size() && ecosystem; ++k) {
      m.ecosystem_idle_by_agent_h100e[bloc_agents[k]] = sales.idle[k];
    }
    m.training_sold_by_agent_h100e.assign(m.last.training_short ? agents_.size() : 0, 0.0);
    for (std::size_t k = 0; k < bloc_agents.size(); ++k) {
      sold_h100e[bloc_agents[k]] = bloc_sold[k];
      if (m.last.training_short) m.training_sold_by_agent_h100e[bloc_agents[k]] = bloc_sold_training[k];
    }
    // The market's idle includes what sellers could not offer for want of reach.
    for (const std::uint32_t a : bloc_agents) m.last.idle_h100e += unreached_h100e[a];
    m.floor_usd_per_hour = 0.0;
    bool first = true;
    for (const SpotOffer& o : bloc_offers) {
      if (o.h100e <= 0.0) continue;
      m.floor_usd_per_hour = first ? o.reservation_usd_per_hour : std::min(m.floor_usd_per_hour, o.reservation_usd_per_hour);
      first = false;
    }
    m.price_usd_per_hour = m.last.price_usd_per_hour;
    m.training_price_usd_per_hour = m.last.training_price_usd_per_hour;
    m.price_year_ago_usd_per_hour = m.price_history[slot()];
    m.price_history[slot()] = m.price_usd_per_hour;
    world_demand += m.last.demand_h100e;
    if (m.last.at_floor != static_cast<bool>(markets_.was_at_floor[b])) {
      log(EntityKind::bloc, known_blocs[b], m.last.at_floor ? "price_floor" : "price_above_floor",
          m.last.at_floor ? "supply exceeds demand even at the lowest reservation price of its sellers"
                          : "demand caught up with supply",
          {{"price_usd_per_h100e_hour", m.price_usd_per_hour}, {"supply_h100e", m.supply_h100e},
           {"demand_h100e", m.last.demand_h100e}});
      markets_.was_at_floor[b] = m.last.at_floor ? 1 : 0;
    }
    if (m.last.training_short != m.was_training_short) {
      log(EntityKind::bloc, known_blocs[b], m.last.training_short ? "training_short" : "training_short_over",
          m.last.training_short
              ? "training-grade compute cannot serve training demand at the market price: training clears apart, higher"
              : "training-grade compute serves training demand at the market price again",
          {{"price_usd_per_h100e_hour", m.price_usd_per_hour},
           {"training_price_usd_per_h100e_hour", m.training_price_usd_per_hour},
           {"unmet_training_h100e", m.last.unmet_training_h100e},
           {"training_grade_offered_h100e", m.last.training_grade_offered_h100e}});
      m.was_training_short = m.last.training_short;
    }
  }
  return world_demand;
}

void World::book_sales(const std::vector<SpotOffer>& offers, const std::vector<double>& unreached_h100e,
                       const std::vector<double>& sold_h100e) {
  // 4. Sellers book what they sold; the event log says why a seller's compute went unsold.
  //    Captive use earns no cash: its value at the market price (what the agent would otherwise
  //    pay) is reported apart.
  for (std::uint32_t a = 0; a < agents_.size(); ++a) {
    Agent& agent = agents_[a];
    BlocMarket& m = markets_.blocs[agent.bloc];
    const double spot = sold_h100e[a];
    agent.utilized_h100e = agent.flows.captive_h100e + agent.flows.contracted_h100e + spot;
    // When training cleared apart, what this seller sold to training earned the training price.
    const double to_training = m.training_sold_by_agent_h100e.empty() ? 0.0 : m.training_sold_by_agent_h100e[a];
    const double market_revenue =
        m.training_sold_by_agent_h100e.empty()
            ? spot * m.price_usd_per_hour * hours_per_quarter
            : ((spot - to_training) * m.price_usd_per_hour + to_training * m.training_price_usd_per_hour) * hours_per_quarter;
    agent.flows.revenue_usd += market_revenue;
    // A lab sells what its compute makes: its users pay service_revenue per H100e-hour it runs
    // (contracted and own), cash from others; its own use then has no imputed value besides.
    const double service_usd_per_hour = agent.spec->service_revenue_usd_per_h100e_hour.at(now_);
    if (service_usd_per_hour > 0.0) {
      agent.flows.service_revenue_usd = service_revenue_usd(
          agent.flows.captive_h100e + agent.flows.contract_received_h100e, service_usd_per_hour);
      agent.flows.revenue_usd += agent.flows.service_revenue_usd;
      agent.flows.imputed_value_usd = 0.0;
    } else {
      agent.flows.imputed_value_usd = agent.flows.captive_h100e * m.price_usd_per_hour * hours_per_quarter;
    }
    m.revenue_last_usd += market_revenue;
    if (m.spec == nullptr) continue;
    // (A seller of training-grade compute above the price may still sell to training, dearer.)
    const bool priced_out =
        offers[a].h100e > 0.0 && offers[a].reservation_usd_per_hour > m.price_usd_per_hour && !(spot > 0.0);
    if (priced_out != agent.priced_out) {
      log(EntityKind::agent, agent.spec->name, priced_out ? "priced_out" : "selling_again",
          priced_out ? "the market price is below its reservation price: it keeps its compute idle"
                     : "the market price is back above its reservation price",
          {{"reservation_usd_per_h100e_hour", offers[a].reservation_usd_per_hour},
           {"price_usd_per_h100e_hour", m.price_usd_per_hour}, {"offered_h100e", offers[a].h100e}});
      agent.priced_out = priced_out;
    }
    // Ecosystems: each family whose share of demand left some of its offer unsold, once when it
    // starts and once when it ends.
    for (std::size_t f = 0; f < chip_family_count; ++f) {
      const double idle = m.ecosystem_idle_by_agent_h100e.empty() ? 0.0 : m.ecosystem_idle_by_agent_h100e[a][f];
      const auto bit = static_cast<std::uint8_t>(1U << f);
      const bool out = idle > 1e-9 * std::max(1.0, offers[a].h100e);
      if (out == ((agent.out_of_ecosystem & bit) != 0)) continue;
      const std::string family(name_of(static_cast<ChipFamily>(f)));
      log(EntityKind::agent, agent.spec->name, out ? "out_of_ecosystem" : "out_of_ecosystem_over",
          out ? "demand able to run on its " + family + " chips is smaller than what it offers of them at the price"
              : "demand able to run on its " + family + " chips takes what it offers of them again",
          {{"idle_h100e", idle}, {"share_of_demand", m.ecosystem_share[f]},
           {"price_usd_per_h100e_hour", m.price_usd_per_hour}});
      agent.out_of_ecosystem = static_cast<std::uint8_t>(out ? agent.out_of_ecosystem | bit : agent.out_of_ecosystem & ~bit);
    }
    const bool out_of_reach = unreached_h100e[a] > 0.0;
    if (out_of_reach != agent.out_of_reach) {
      log(EntityKind::agent, agent.spec->name, out_of_reach ? "out_of_reach" : "within_reach",
          out_of_reach ? "demand that can run on its compute is smaller than what it has to sell"
                       : "it can offer all it has again",
          {{"unreached_h100e", unreached_h100e[a]}, {"offered_h100e", offers[a].h100e}});
      agent.out_of_reach = out_of_reach;
    }
  }
}

}  // namespace aidc
