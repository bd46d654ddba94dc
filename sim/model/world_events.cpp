// What-if events (MODEL.md §9): each starts in the exogenous phase of its quarter; one with a
// duration is undone in the exogenous phase `duration` quarters later.

#include <algorithm>
#include <cmath>

#include "aidc/model/world.hpp"
#include "world_util.hpp"

namespace aidc {

namespace {

template <class T>
std::int32_t find_name(const std::vector<T>& items, const std::string& name) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

bool multiplies(const EventSpec& e) {
  return e.kind == "demand_shock" || e.kind == "efficiency_gain" || e.kind == "price_war" || e.kind == "funding_shock";
}

}  // namespace

// Demand shocks, efficiency gains, price wars and funding shocks multiply a factor while they
// are in force. The factors are the products of the events in force, recomputed at every start
// and end rather than divided back, so an event of factor 0 that ends restores the others'.
void World::apply_event_factors() {
  for (auto& m : markets_) m.efficiency = m.inference_factor = m.training_factor = 1.0;
  for (auto& v : vendors_) v.price_factor = 1.0;
  for (auto& a : agents_) a.funding_factor = 1.0;
  for (std::size_t i = 0; i < spec_.events.size(); ++i) {
    const EventSpec& e = spec_.events[i];
    if (!event_in_force_[i]) continue;
    if (e.kind == "demand_shock" || e.kind == "efficiency_gain") {
      for (BlocId b = 0; b < markets_.size(); ++b) {
        BlocMarket& m = markets_[b];
        if (m.spec == nullptr || (!e.bloc.empty() && e.bloc != known_blocs[b])) continue;
        if (e.kind == "efficiency_gain") m.efficiency *= e.factor;
        if (e.kind == "demand_shock" && e.segment != "training") m.inference_factor *= e.factor;
        if (e.kind == "demand_shock" && e.segment != "inference") m.training_factor *= e.factor;
      }
    } else if (e.kind == "price_war") {
      vendors_[static_cast<std::size_t>(find_name(spec_.vendors, e.target))].price_factor *= e.factor;
    } else if (e.kind == "funding_shock") {
      agents_[static_cast<std::size_t>(find_name(spec_.agents, e.target))].funding_factor *= e.factor;
    }
  }
}

void World::start_event(std::uint32_t index) {
  const EventSpec& e = spec_.events[index];
  const std::string label = e.name.empty() ? e.kind : e.name;
  if (multiplies(e)) {
    event_in_force_[index] = 1;
    apply_event_factors();
  }
  if (e.kind == "demand_shock" || e.kind == "efficiency_gain") {
    for (BlocId b = 0; b < markets_.size(); ++b) {
      if (markets_[b].spec == nullptr || (!e.bloc.empty() && e.bloc != known_blocs[b])) continue;
      log(EntityKind::bloc, known_blocs[b], e.kind.c_str(), label, {{"factor", e.factor}});
    }
  } else if (e.kind == "export_control") {
    const BlocId b = bloc_id(e.bloc);
    const std::int32_t chip = find_name(spec_.chips, e.target);
    for (std::uint32_t c = 0; c < chips_.size(); ++c) {
      if (!(static_cast<std::int32_t>(c) == chip || (chip < 0 && chips_[c].spec->vendor == e.target))) continue;
      if (e.action == "allow") {
        chips_[c].market_mask |= 1U << b;
      } else {
        chips_[c].market_mask &= ~(1U << b);
        for (std::uint32_t a = 0; a < agents_.size(); ++a) {
          if (agents_[a].bloc == b) cancel_orders(a, static_cast<std::int32_t>(c), "export control: " + label);
        }
      }
      log(EntityKind::bloc, e.bloc, "export_control", chips_[c].spec->name + " " + (e.action == "allow" ? "allowed" : "banned"), {});
    }
  } else if (e.kind == "base_rate") {
    base_rate_override_ = e.rate;
    log(EntityKind::global, "world", "base_rate", label, {{"rate", e.rate}});
  } else if (e.kind == "credit_crunch") {
    crunch_spread_ += e.spread;
    if (e.max_leverage > 0.0) leverage_cap_ = e.max_leverage;
    log(EntityKind::global, "world", "credit_crunch", label, {{"spread", e.spread}, {"max_leverage", e.max_leverage}});
  } else if (e.kind == "grid_addition") {
    const std::int32_t r = find_name(spec_.regions, e.region);
    regions_[static_cast<std::size_t>(r)].added_mw += e.capacity_mw;
    log(EntityKind::region, e.region, "grid_addition", label, {{"capacity_mw", e.capacity_mw}});
  } else if (e.kind == "grid_delay") {
    const auto r = static_cast<std::uint32_t>(find_name(spec_.regions, e.region));
    regions_[r].interconnection_delay_quarters += e.delay_quarters;
    // Sites waiting in the queue wait longer.
    double delayed_mw = 0.0;
    for (std::uint32_t s = 0; s < sites_.size(); ++s) {
      Site& site = sites_[s];
      if (site.region != r || site.interconnected || !sim_->is_pending(site.interconnection)) continue;
      sim_->cancel(site.interconnection);
      site.interconnection = {};
      schedule_interconnection(s, site.started + std::max(1, regions_[r].spec->interconnection_quarters) +
                                      regions_[r].interconnection_delay_quarters);
      delayed_mw += site.capacity_mw;
    }
    log(EntityKind::region, e.region, "grid_delay", label,
        {{"delay_quarters", e.delay_quarters}, {"sites_delayed_mw", delayed_mw}});
  } else if (e.kind == "chip_delay") {
    const auto c = static_cast<std::size_t>(find_name(spec_.chips, e.target));
    chips_[c].available_from = std::max(chips_[c].available_from, now_) + e.delay_quarters;
    log(EntityKind::vendor, chips_[c].spec->vendor, "chip_delay", chips_[c].spec->name + " slips: " + label,
        {{"delay_quarters", e.delay_quarters}});
  } else if (e.kind == "price_war") {
    log(EntityKind::vendor, e.target, "price_war", label, {{"factor", e.factor}});
  } else if (e.kind == "funding_shock") {
    log(EntityKind::agent, e.target, "funding_shock", label, {{"factor", e.factor}});
  } else if (e.kind == "circular_deal") {
    // The investor buys a stake in the recipient; the recipient commits to buy from it. The
    // investor pays from its own cash: a vendor from what its gross profit brought in, an agent
    // from its cash above its minimum (no money from nowhere).
    const auto r = static_cast<std::uint32_t>(find_name(spec_.agents, e.recipient));
    Agent& recipient = agents_[r];
    const std::int32_t v = find_name(spec_.vendors, e.target);
    const std::int32_t investor = v >= 0 ? -1 : find_name(spec_.agents, e.target);
    const double can_pay = v >= 0 ? vendors_[static_cast<std::size_t>(v)].cash_usd
                                  : agents_[static_cast<std::size_t>(investor)].spendable_usd();
    const double amount = std::clamp(can_pay, 0.0, e.amount_usd);
    if (amount < e.amount_usd) {
      log(EntityKind::agent, e.recipient, "investment_limited", e.target + " has only this much cash to invest",
          {{"agreed_usd", e.amount_usd}, {"paid_usd", amount}});
    }
    recipient.ledger.post(Account::cash, Account::equity, amount);
    recipient.flows.equity_raised_usd += amount;
    if (v >= 0) {
      recipient.deal_vendor = v;
      vendors_[static_cast<std::size_t>(v)].cash_usd -= amount;
      money_.add(vendor_node(static_cast<std::uint32_t>(v)), r, amount);
    } else {
      Agent& a = agents_[static_cast<std::size_t>(investor)];
      a.ledger.post(Account::investments, Account::cash, amount);
      a.flows.invested_usd += amount;
      money_.add(static_cast<std::uint32_t>(investor), r, amount);
    }
    any_investment_ = true;
    log(EntityKind::agent, e.recipient, "circular_deal", e.target + " invests: " + label, {{"amount_usd", amount}});
  }
}

void World::end_event(std::uint32_t index) {
  const EventSpec& e = spec_.events[index];
  const std::string label = (e.name.empty() ? e.kind : e.name) + " ends";
  if (multiplies(e)) {
    event_in_force_[index] = 0;
    apply_event_factors();
  } else if (e.kind == "export_control") {
    const BlocId b = bloc_id(e.bloc);
    const std::int32_t chip = find_name(spec_.chips, e.target);
    for (std::uint32_t c = 0; c < chips_.size(); ++c) {
      if (!(static_cast<std::int32_t>(c) == chip || (chip < 0 && chips_[c].spec->vendor == e.target))) continue;
      if (e.action == "allow") chips_[c].market_mask &= ~(1U << b);
      else chips_[c].market_mask = make_chip(*chips_[c].spec, chips_[c].vendor).market_mask | chips_[c].market_mask;
    }
  } else if (e.kind == "base_rate") {
    base_rate_override_ = -1.0;
  } else if (e.kind == "credit_crunch") {
    crunch_spread_ -= e.spread;
    if (e.max_leverage > 0.0) leverage_cap_ = 1e9;
  } else if (e.kind == "grid_addition") {
    regions_[static_cast<std::size_t>(find_name(spec_.regions, e.region))].added_mw -= e.capacity_mw;
  } else if (e.kind == "grid_delay") {
    regions_[static_cast<std::size_t>(find_name(spec_.regions, e.region))].interconnection_delay_quarters -=
        e.delay_quarters;
  } else if (!multiplies(e)) {
    return;  // chip delays and investments are not undone
  }
  log(EntityKind::global, "world", "event_end", label, {});
}

}  // namespace aidc
