// What-if events (MODEL.md §9): each starts in the exogenous phase of its quarter; one with a
// duration is undone in the exogenous phase `duration` quarters later.

#include <algorithm>
#include <cmath>

#include "aidc/model/world.hpp"
#include "world_util.hpp"

namespace aidc {

namespace {

bool multiplies(const EventSpec& e) {
  return e.kind == EventKind::demand_shock || e.kind == EventKind::efficiency_gain || e.kind == EventKind::price_war ||
         e.kind == EventKind::funding_shock;
}

//! Whether the event concerns bloc b (one without a bloc concerns every bloc).
bool concerns(const EventSpec& e, BlocId b) {
  return e.bloc_index == no_index || static_cast<BlocId>(e.bloc_index) == b;
}

//! Whether an export control concerns chip c of vendor v: its target is the chip or its vendor.
bool controls(const EventSpec& e, std::uint32_t c, std::uint32_t v) {
  const auto target = static_cast<std::uint32_t>(e.target_index);
  return (e.target_is == EventSpec::TargetIs::chip && c == target) ||
         (e.target_is == EventSpec::TargetIs::vendor && v == target);
}

//! What the event log calls the event: its name, or else its kind.
std::string label_of(const EventSpec& e) { return e.name.empty() ? std::string(name_of(e.kind)) : e.name; }

}  // namespace

// Demand shocks, efficiency gains, price wars and funding shocks multiply a factor while they
// are in force. The factors are the products of the events in force, recomputed at every start
// and end rather than divided back, so an event of factor 0 that ends restores the others'.
void World::apply_event_factors() {
  for (auto& m : markets_.blocs) m.efficiency = m.inference_factor = m.training_factor = 1.0;
  for (auto& v : supply_.vendors) v.price_factor = 1.0;
  for (auto& a : agents_) a.funding_factor = 1.0;
  for (std::size_t i = 0; i < spec_.events.size(); ++i) {
    const EventSpec& e = spec_.events[i];
    if (!event_in_force_[i]) continue;
    if (e.kind == EventKind::demand_shock || e.kind == EventKind::efficiency_gain) {
      for (BlocId b = 0; b < markets_.blocs.size(); ++b) {
        BlocMarket& m = markets_.blocs[b];
        if (m.spec == nullptr || !concerns(e, b)) continue;
        if (e.kind == EventKind::efficiency_gain) m.efficiency *= e.factor;
        if (e.kind == EventKind::demand_shock && e.segment != Segment::training) m.inference_factor *= e.factor;
        if (e.kind == EventKind::demand_shock && e.segment != Segment::inference) m.training_factor *= e.factor;
      }
    } else if (e.kind == EventKind::price_war) {
      supply_.vendors[static_cast<std::size_t>(e.target_index)].price_factor *= e.factor;
    } else if (e.kind == EventKind::funding_shock) {
      agents_[static_cast<std::size_t>(e.target_index)].funding_factor *= e.factor;
    }
  }
}

void World::start_event(std::uint32_t index) {
  const EventSpec& e = spec_.events[index];
  const std::string label = label_of(e);
  if (multiplies(e)) {
    event_in_force_[index] = 1;
    apply_event_factors();
  }
  switch (e.kind) {
    case EventKind::demand_shock:
    case EventKind::efficiency_gain: {
      for (BlocId b = 0; b < markets_.blocs.size(); ++b) {
        if (markets_.blocs[b].spec == nullptr || !concerns(e, b)) continue;
        log(EntityKind::bloc, known_blocs[b], name_of(e.kind).data(), label, {{"factor", e.factor}});
      }
      break;
    }
    case EventKind::export_control: {
      const auto b = static_cast<BlocId>(e.bloc_index);
      for (std::uint32_t c = 0; c < supply_.chips.size(); ++c) {
        if (!controls(e, c, supply_.chips[c].vendor)) continue;
        if (e.action == ExportAction::allow) {
          supply_.chips[c].market_mask |= 1U << b;
        } else {
          supply_.chips[c].market_mask &= ~(1U << b);
          for (std::uint32_t a = 0; a < agents_.size(); ++a) {
            if (agents_[a].bloc == b) cancel_orders(a, static_cast<std::int32_t>(c), "export control: " + label);
          }
        }
        log(EntityKind::bloc, e.bloc, "export_control",
            supply_.chips[c].spec->name + " " + (e.action == ExportAction::allow ? "allowed" : "banned"), {});
      }
      break;
    }
    case EventKind::base_rate: {
      finance_.base_rate_override = e.rate;
      log(EntityKind::global, "world", "base_rate", label, {{"rate", e.rate}});
      break;
    }
    case EventKind::credit_crunch: {
      finance_.crunch_spread += e.spread;
      if (e.max_leverage > 0.0) finance_.leverage_cap = e.max_leverage;
      log(EntityKind::global, "world", "credit_crunch", label, {{"spread", e.spread}, {"max_leverage", e.max_leverage}});
      break;
    }
    case EventKind::grid_addition: {
      power_.regions[static_cast<std::size_t>(e.region_index)].added_mw += e.capacity_mw;
      log(EntityKind::region, e.region, "grid_addition", label, {{"capacity_mw", e.capacity_mw}});
      break;
    }
    case EventKind::grid_delay: {
      const auto r = static_cast<std::uint32_t>(e.region_index);
      power_.regions[r].interconnection_delay_quarters += e.delay_quarters;
      // Sites waiting in the queue wait longer.
      double delayed_mw = 0.0;
      for (std::uint32_t s = 0; s < power_.sites.size(); ++s) {
        Site& site = power_.sites[s];
        if (site.region != r || site.interconnected || !sim_->is_pending(site.interconnection)) continue;
        sim_->cancel(site.interconnection);
        site.interconnection = {};
        schedule_interconnection(s, site.queued + std::max(1, power_.regions[r].spec->interconnection_quarters) +
                                        power_.regions[r].interconnection_delay_quarters);
        delayed_mw += site.capacity_mw;
      }
      log(EntityKind::region, e.region, "grid_delay", label,
          {{"delay_quarters", e.delay_quarters}, {"sites_delayed_mw", delayed_mw}});
      break;
    }
    case EventKind::chip_delay: {
      const auto c = static_cast<std::size_t>(e.target_index);
      supply_.chips[c].available_from = std::max(supply_.chips[c].available_from, now_) + e.delay_quarters;
      log(EntityKind::vendor, supply_.chips[c].spec->vendor, "chip_delay", supply_.chips[c].spec->name + " slips: " + label,
          {{"delay_quarters", e.delay_quarters}});
      break;
    }
    case EventKind::price_war: {
      log(EntityKind::vendor, e.target, "price_war", label, {{"factor", e.factor}});
      break;
    }
    case EventKind::funding_shock: {
      log(EntityKind::agent, e.target, "funding_shock", label, {{"factor", e.factor}});
      break;
    }
    case EventKind::circular_deal: {
      // The investor buys a stake in the recipient; the recipient commits to buy from it. The
      // investor pays from its own cash: a vendor from what its gross profit brought in, an agent
      // from its cash above its minimum (no money from nowhere).
      const auto r = static_cast<std::uint32_t>(e.recipient_index);
      Agent& recipient = agents_[r];
      const bool by_vendor = e.target_is == EventSpec::TargetIs::vendor;
      const std::int32_t v = by_vendor ? e.target_index : -1;
      const std::int32_t investor = by_vendor ? -1 : e.target_index;
      const double can_pay = v >= 0 ? supply_.vendors[static_cast<std::size_t>(v)].cash_usd
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
        supply_.vendors[static_cast<std::size_t>(v)].cash_usd -= amount;
        finance_.money.add(vendor_node(static_cast<std::uint32_t>(v)), r, amount);
      } else {
        Agent& a = agents_[static_cast<std::size_t>(investor)];
        a.ledger.post(Account::investments, Account::cash, amount);
        a.flows.invested_usd += amount;
        finance_.money.add(static_cast<std::uint32_t>(investor), r, amount);
      }
      finance_.any_investment = true;
      log(EntityKind::agent, e.recipient, "circular_deal", e.target + " invests: " + label, {{"amount_usd", amount}});
      break;
    }
  }
}

void World::end_event(std::uint32_t index) {
  const EventSpec& e = spec_.events[index];
  const std::string label = label_of(e) + " ends";
  switch (e.kind) {
    case EventKind::demand_shock:
    case EventKind::efficiency_gain:
    case EventKind::price_war:
    case EventKind::funding_shock:
      event_in_force_[index] = 0;
      apply_event_factors();
      break;
    case EventKind::export_control: {
      const auto b = static_cast<BlocId>(e.bloc_index);
      for (std::uint32_t c = 0; c < supply_.chips.size(); ++c) {
        if (!controls(e, c, supply_.chips[c].vendor)) continue;
        if (e.action == ExportAction::allow) supply_.chips[c].market_mask &= ~(1U << b);
        else supply_.chips[c].market_mask |= supply_.chips[c].spec->market_mask;
      }
      break;
    }
    case EventKind::base_rate:
      finance_.base_rate_override = -1.0;
      break;
    case EventKind::credit_crunch:
      finance_.crunch_spread -= e.spread;
      if (e.max_leverage > 0.0) finance_.leverage_cap = 1e9;
      break;
    case EventKind::grid_addition:
      power_.regions[static_cast<std::size_t>(e.region_index)].added_mw -= e.capacity_mw;
      break;
    case EventKind::grid_delay:
      power_.regions[static_cast<std::size_t>(e.region_index)].interconnection_delay_quarters -= e.delay_quarters;
      break;
    case EventKind::chip_delay:
    case EventKind::circular_deal:
      return;  // not undone
  }
  log(EntityKind::global, "world", "event_end", label, {});
}

}  // namespace aidc
