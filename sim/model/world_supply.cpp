// Vendors (MODEL.md §3): orders join a backlog at the list price of the day; each quarter the
// vendor produces what it planned (or its firm backlog, if more), within capacity and each SKU's
// launch ramp; ships from inventory to its captive owner first, then pro rata; plans next
// quarter's output from backlog plus an order forecast. Deliveries arrive after the lead time.

#include <algorithm>
#include <cmath>

#include "aidc/model/world.hpp"
#include "world_util.hpp"

namespace aidc {

void World::place_order(std::uint32_t a, std::uint32_t chip, double count, double share, double target_h100e,
                        double gap_h100e) {
  const Chip& c = supply_.chips[chip];
  Vendor& vendor = supply_.vendors[c.vendor];
  const double price = supply_.list_price(chip, now_);
  Agent& agent = agents_[a];
  const auto match = std::find_if(vendor.backlog.begin(), vendor.backlog.end(),
                                  [&](const BacklogEntry& e) { return e.buyer == a && e.chip == chip; });
  if (match != vendor.backlog.end()) {
    // One entry per buyer and SKU, at the average price of what it ordered.
    match->unit_price_usd = (match->unit_price_usd * match->count + price * count) / (match->count + count);
    match->count += count;
  } else {
    vendor.backlog.push_back({a, chip, count, price});
  }
  vendor.orders_chips += count;
  if (c.vendor < supply_.vendor_backlog_chips.size()) supply_.vendor_backlog_chips[c.vendor] += count;
  vendor.orders_h100e += count * c.effective_h100e;
  supply_.skus[chip].orders_chips += count;
  agent.committed_chips_usd += count * price;
  agent.on_order_h100e += count * c.effective_h100e;
  if (!markets_.capacity.empty()) markets_.capacity[agent.bloc].now_h100e += count * c.effective_h100e;
  agent.flows.ordered_h100e += count * c.effective_h100e;
  log(EntityKind::agent, agent.spec->name, "order",
      c.spec->name + " takes this share of its order by the cost it sees (TCO and software); its fleet falls short "
      "of its target",
      {{"chips", count}, {"unit_price_usd", price}, {"h100e", count * c.effective_h100e}, {"share", share},
       {"target_h100e", target_h100e}, {"gap_h100e", gap_h100e}});
}

void World::cancel_orders(std::uint32_t a, std::int32_t chip, const std::string& cause) {
  Agent& agent = agents_[a];
  double chips = 0.0, h100e = 0.0;
  for (auto& v : supply_.vendors) {
    for (auto& e : v.backlog) {
      if (e.buyer != a || (chip >= 0 && e.chip != static_cast<std::uint32_t>(chip)) || e.count <= 0.0) continue;
      agent.committed_chips_usd = std::max(0.0, agent.committed_chips_usd - e.count * e.unit_price_usd);
      agent.on_order_h100e -= e.count * supply_.chips[e.chip].effective_h100e;
      if (!markets_.capacity.empty()) markets_.capacity[agent.bloc].now_h100e -= e.count * supply_.chips[e.chip].effective_h100e;
      v.cancelled_chips += e.count;
      if (!supply_.vendor_backlog_chips.empty()) supply_.vendor_backlog_chips[static_cast<std::size_t>(&v - supply_.vendors.data())] -= e.count;
      chips += e.count;
      h100e += e.count * supply_.chips[e.chip].effective_h100e;
      e.count = 0.0;
    }
    std::erase_if(v.backlog, [](const BacklogEntry& e) { return e.count <= 0.0; });
  }
  if (chips > 0.0) log(EntityKind::agent, agent.spec->name, "cancellation", cause, {{"chips", chips}, {"h100e", h100e}});
}

void World::produce() {
  const std::size_t ring = slot();
  for (std::uint32_t v = 0; v < supply_.vendors.size(); ++v) {
    Vendor& vendor = supply_.vendors[v];
    vendor.capacity_chips = vendor.spec->capacity_chips_per_quarter.at(now_);
    // 1. What each SKU would make: the plan, or the firm backlog not covered by inventory if
    //    more, within its ramp; scaled down pro rata when the SKUs together exceed capacity.
    served_scratch_.assign(supply_.chips.size(), 0.0);  // here: output per SKU
    double wanted = 0.0;
    for (const std::uint32_t c : vendor.chips) {
      double backlog = 0.0;
      for (const auto& e : vendor.backlog) {
        if (e.chip == c) backlog += e.count;
      }
      const SkuSupply& s = supply_.skus[c];
      const double target = std::max(s.planned_chips, backlog - s.inventory_chips);
      const double cap = vendor.capacity_chips * ramp_share(now_ - supply_.chips[c].available_from, supply_.chips[c].spec->ramp_quarters);
      served_scratch_[c] = std::clamp(target, 0.0, cap);
      wanted += served_scratch_[c];
    }
    const double ratio = wanted > vendor.capacity_chips && wanted > 0.0 ? vendor.capacity_chips / wanted : 1.0;
    for (const std::uint32_t c : vendor.chips) {
      const double made = served_scratch_[c] * ratio;
      supply_.skus[c].inventory_chips += made;
      supply_.produced_chips += made;
    }
    // 2. Ship from inventory: the captive owner first, then everyone pro rata.
    std::vector<double> served(vendor.backlog.size(), 0.0);
    for (const std::uint32_t c : vendor.chips) {
      entries_scratch_.clear();
      for (std::size_t i = 0; i < vendor.backlog.size(); ++i) {
        if (vendor.backlog[i].chip == c) entries_scratch_.push_back(i);
      }
      supply_.skus[c].inventory_chips -=
          serve_backlog(vendor.backlog, entries_scratch_, supply_.skus[c].inventory_chips, vendor.captive_owner, served);
      supply_.skus[c].inventory_chips = std::max(0.0, supply_.skus[c].inventory_chips);
    }
    const Quarter arrival = now_ + std::max(1, vendor.spec->lead_time_quarters);
    for (std::size_t i = 0; i < vendor.backlog.size(); ++i) {
      if (served[i] <= 0.0) continue;
      const BacklogEntry& e = vendor.backlog[i];
      supply_.shipments.push_back({e.buyer, e.chip, served[i], e.unit_price_usd, false});
      const auto id = static_cast<std::uint32_t>(supply_.shipments.size() - 1);
      supply_.pending_shipments.push_back(id);
      sim_->schedule(arrival, Phase::arrivals, on_delivery_, id);
      vendor.shipped_chips += served[i];
      vendor.revenue_usd += served[i] * e.unit_price_usd;
      vendor.cost_of_sales_usd += served[i] * supply_.unit_cost(e.chip);
    }
    vendor.cumulative_revenue_usd += vendor.revenue_usd;
    vendor.cash_usd += vendor.revenue_usd - vendor.cost_of_sales_usd;
    std::erase_if(vendor.backlog, [](const BacklogEntry& e) { return e.count <= 0.0; });
    vendor.shipped_last4[ring] = vendor.shipped_chips;
    // 3. Plan next quarter: backlog + forecast orders × (1 + target inventory) − inventory.
    for (const std::uint32_t c : vendor.chips) {
      SkuSupply& s = supply_.skus[c];
      s.smoothed_orders_chips = s.has_history ? 0.5 * s.smoothed_orders_chips + 0.5 * s.orders_chips : s.orders_chips;
      double backlog = 0.0;
      for (const auto& e : vendor.backlog) {
        if (e.chip == c) backlog += e.count;
      }
      // A SKU off sale next quarter, or superseded by a newer one of the vendor already on sale,
      // is made only to order.
      const bool on_sale_next = now_ + 1 <= supply_.chips[c].spec->available_until;
      const bool superseded = std::any_of(vendor.chips.begin(), vendor.chips.end(), [&](std::uint32_t o) {
        return supply_.chips[o].available_from > supply_.chips[c].available_from && supply_.chips[o].orderable(now_);
      });
      const double forecast =
          on_sale_next && !superseded ? forecast_orders_chips(s, vendor.spec->order_forecast_momentum) : 0.0;
      s.planned_chips =
          planned_output_chips(backlog, forecast, vendor.spec->price_policy.target_inventory_quarters, s.inventory_chips);
      s.last_orders_chips = s.orders_chips;
      s.has_history = true;
    }
    indicators_.vendor_order_changes[v].add(vendor.orders_h100e);
  }
}

// --- arrivals ----------------------------------------------------------------------------

void World::deliver(std::uint32_t shipment) {
  Shipment& s = supply_.shipments[shipment];
  s.arrived = true;  // leaves supply_.pending_shipments at the next decisions phase (one pass, not one erase each)
  Agent& a = agents_[s.buyer];
  const Chip& chip = supply_.chips[s.chip];
  fleet_.add(s.buyer, s.chip, now_, s.count, s.unit_price_usd, a.spec->book_life_quarters,
             chip.spec->economic_life_quarters);
  const double value = s.count * s.unit_price_usd;
  a.ledger.post(Account::chips, Account::cash, value);
  a.committed_chips_usd = std::max(0.0, a.committed_chips_usd - value);
  a.flows.capex_chips_usd += value;
  finance_.money.add(s.buyer, vendor_node(chip.vendor), value);
  log(EntityKind::agent, a.spec->name, "delivery", chip.spec->name + " from " + chip.spec->vendor,
      {{"chips", s.count}, {"h100e", s.count * chip.effective_h100e}, {"value_usd", value}});
}

}  // namespace aidc
