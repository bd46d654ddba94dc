// Vendors (MODEL.md §3): orders join a backlog at the list price of the day; each quarter the
// vendor produces what it planned (or its firm backlog, if more), within capacity and each SKU's
// launch ramp; ships from inventory to its captive owner first, then pro rata; plans next
// quarter's output from backlog plus an order forecast. Deliveries arrive after the lead time.

#include <algorithm>
#include <cmath>
#include <limits>

#include "aidc/model/vendor_response.hpp"
#include "aidc/model/world.hpp"
#include "world_util.hpp"

namespace aidc {

void World::place_order(std::uint32_t a, std::uint32_t chip, double count, double share, double target_h100e,
                        double gap_h100e) {
  const Chip& c = supply_.chips[chip];
  Vendor& vendor = supply_.vendors[c.vendor];
  const double price = supply_.list_price(chip, now_);
  Agent& agent = agents_[a];
  const double deposit = vendor.spec->deposit_share * count * price;
  const auto match = std::find_if(vendor.backlog.begin(), vendor.backlog.end(),
                                  [&](const BacklogEntry& e) { return e.buyer == a && e.chip == chip; });
  if (match != vendor.backlog.end()) {
    // One entry per buyer and SKU, at the average price of what it ordered.
    match->unit_price_usd = (match->unit_price_usd * match->count + price * count) / (match->count + count);
    match->count += count;
    match->deposit_usd += deposit;
  } else {
    vendor.backlog.push_back({a, chip, count, price, deposit});
  }
  // The deposit is paid now (capex: a progress payment); the rest on delivery.
  agent.ledger.post(Account::deposits, Account::cash, deposit);
  agent.flows.capex_chips_usd += deposit;
  vendor.deposits_usd += deposit;
  vendor.cash_usd += deposit;
  finance_.money.add(a, vendor_node(c.vendor), deposit);
  vendor.orders_chips += count;
  if (c.vendor < supply_.vendor_backlog_chips.size()) supply_.vendor_backlog_chips[c.vendor] += count;
  vendor.orders_h100e += count * c.effective_h100e;
  supply_.skus[chip].orders_chips += count;
  agent.committed_chips_usd += count * price - deposit;
  agent.on_order_h100e += count * c.effective_h100e;
  if (!markets_.capacity.empty()) markets_.capacity[agent.bloc].now_h100e += count * c.effective_h100e;
  agent.flows.ordered_h100e += count * c.effective_h100e;
  log(EntityKind::agent, agent.spec->name, "order",
      c.spec->name + " takes this share of its order by the cost it sees (TCO and software); its fleet falls short "
      "of its target",
      {{"chips", count}, {"unit_price_usd", price}, {"h100e", count * c.effective_h100e}, {"share", share},
       {"target_h100e", target_h100e}, {"gap_h100e", gap_h100e}, {"deposit_usd", deposit}});
}

void World::cancel_orders(std::uint32_t a, std::int32_t chip, const std::string& cause) {
  Agent& agent = agents_[a];
  double chips = 0.0, h100e = 0.0, forfeited = 0.0;
  for (auto& v : supply_.vendors) {
    for (auto& e : v.backlog) {
      if (e.buyer != a || (chip >= 0 && e.chip != static_cast<std::uint32_t>(chip)) || e.count <= 0.0) continue;
      agent.committed_chips_usd = std::max(0.0, agent.committed_chips_usd - (e.count * e.unit_price_usd - e.deposit_usd));
      // Its deposit is forfeited: a loss to the buyer, kept by the vendor (as revenue without cost).
      agent.ledger.post(Account::equity, Account::deposits, e.deposit_usd);
      agent.flows.impairment_usd += e.deposit_usd;
      v.deposits_usd -= e.deposit_usd;
      v.revenue_usd += e.deposit_usd;
      v.deposits_applied_usd += e.deposit_usd;
      forfeited += e.deposit_usd;
      e.deposit_usd = 0.0;
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
  if (chips > 0.0) {
    log(EntityKind::agent, agent.spec->name, "cancellation", cause,
        {{"chips", chips}, {"h100e", h100e}, {"deposit_forfeited_usd", forfeited}});
  }
}

void World::produce() {
  const std::size_t ring = slot();
  for (std::uint32_t v = 0; v < supply_.vendors.size(); ++v) {
    Vendor& vendor = supply_.vendors[v];
    vendor.capacity_chips = capacity_in_service_chips(vendor, now_);
    const double made_chips = make_output(vendor);
    ship(vendor);
    // Capacity left idle costs its fixed cost (in cost of sales, as under-absorbed overhead).
    vendor.idle_capacity_cost_usd =
        vendor.spec->capacity_policy.idle_cost_usd_per_chip * std::max(0.0, vendor.capacity_chips - made_chips);
    vendor.cost_of_sales_usd += vendor.idle_capacity_cost_usd;
    vendor.cumulative_revenue_usd += vendor.revenue_usd;
    std::erase_if(vendor.backlog, [](const BacklogEntry& e) { return e.count <= 0.0; });
    vendor.shipped_last4[ring] = vendor.shipped_chips;
    const PlanOutcome plan = plan_next_quarter(vendor);
    // Cash: gross profit, less what materials bought ahead tie up, plus the salvage of written-down
    // materials; write-downs are in cost of sales but cost no cash.
    vendor.cost_of_sales_usd += vendor.write_down_usd;
    // Deposits were cash when the orders came: what they paid of this quarter's revenue is not cash again.
    vendor.cash_usd += vendor.revenue_usd - vendor.deposits_applied_usd -
                       (vendor.cost_of_sales_usd - vendor.write_down_usd) - plan.materials_bought_usd + plan.salvage_usd;
    vendor.cost_of_sales_last4[ring] = vendor.cost_of_sales_usd;
    vendor.quarters_booked = std::min(4, vendor.quarters_booked + 1);
    plan_capacity(vendor, now_, plan.expected_orders_chips);
    indicators_.vendor_order_changes[v].add(vendor.orders_h100e);
  }
  answer_vendors_market();
  feed_scissors_gap(ring);
}

double World::make_output(Vendor& vendor) {
  // What each SKU would make: the plan, or the firm backlog not covered by inventory if more,
  // within its ramp; scaled down pro rata when the SKUs together exceed capacity. The output of
  // each SKU stays in made_scratch_ for the plan.
  made_scratch_.assign(supply_.chips.size(), 0.0);
  double wanted = 0.0;
  for (const std::uint32_t c : vendor.chips) {
    double backlog = 0.0;
    for (const auto& e : vendor.backlog) {
      if (e.chip == c) backlog += e.count;
    }
    const SkuSupply& s = supply_.skus[c];
    const double target = std::max(s.planned_chips, backlog - s.inventory_chips);
    const double cap = vendor.capacity_chips * ramp_share(now_ - supply_.chips[c].available_from, supply_.chips[c].spec->ramp_quarters);
    made_scratch_[c] = std::clamp(target, 0.0, cap);
    wanted += made_scratch_[c];
  }
  const double ratio = wanted > vendor.capacity_chips && wanted > 0.0 ? vendor.capacity_chips / wanted : 1.0;
  double made_chips = 0.0;
  for (const std::uint32_t c : vendor.chips) {
    const double made = made_scratch_[c] * ratio;
    made_scratch_[c] = made;
    SkuSupply& s = supply_.skus[c];
    // Weighted-average cost: new chips at full unit cost join stock carried at less.
    if (s.carrying_share < 1.0 && made > 0.0) {
      s.carrying_share = (s.carrying_share * s.inventory_chips + made) / (s.inventory_chips + made);
    }
    s.inventory_chips += made;
    supply_.produced_chips += made;
    made_chips += made;
  }
  return made_chips;
}

void World::ship(Vendor& vendor) {
  // From inventory: the captive owner first, then everyone pro rata.
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
    BacklogEntry& e = vendor.backlog[i];
    // The entry's deposit goes with its chips in proportion (e.count is what is left unshipped).
    const double prepaid = e.deposit_usd * served[i] / (e.count + served[i]);
    e.deposit_usd -= prepaid;
    vendor.deposits_usd -= prepaid;
    vendor.deposits_applied_usd += prepaid;
    supply_.shipments.push_back({e.buyer, e.chip, served[i], e.unit_price_usd, false, prepaid});
    const auto id = static_cast<std::uint32_t>(supply_.shipments.size() - 1);
    supply_.pending_shipments.push_back(id);
    sim_->schedule(arrival, Phase::arrivals, on_delivery_, id);
    vendor.shipped_chips += served[i];
    vendor.revenue_usd += served[i] * e.unit_price_usd;
    vendor.cost_of_sales_usd += served[i] * supply_.unit_cost(e.chip) * supply_.skus[e.chip].carrying_share;
  }
}

World::PlanOutcome World::plan_next_quarter(Vendor& vendor) {
  // Per SKU: backlog + forecast orders × (1 + target inventory) − inventory; materials bought
  // ahead for it; the stock of a SKU it can no longer sell written down.
  const ProductionSpec& production = vendor.spec->production;
  PlanOutcome out;
  vendor.write_down_usd = 0.0;
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
    out.expected_orders_chips += forecast;
    const double held = s.materials_chips;
    s.materials_chips = materials_after_chips(held, made_scratch_[c], s.planned_chips, production.materials_ahead_quarters);
    out.materials_bought_usd += production.materials_share * supply_.unit_cost(c) * (s.materials_chips - held);
    // Unsellable: off sale next quarter, sold in no bloc, or superseded with nothing ordered.
    const bool sellable = on_sale_next && supply_.chips[c].market_mask != 0U && !(superseded && backlog <= 0.0);
    if (!sellable && (s.inventory_chips > 0.0 || s.materials_chips > 0.0)) {
      vendor.write_down_usd += write_down_unsellable(s, supply_.unit_cost(c), production, out.salvage_usd);
    }
  }
  return out;
}

void World::answer_vendors_market() {
  std::vector<double> base(supply_.chips.size()), price(supply_.chips.size());
  for (std::uint32_t c = 0; c < supply_.chips.size(); ++c) {
    base[c] = supply_.list_price(c, now_, 1.0);
    price[c] = supply_.list_price(c, now_);
  }
  std::vector<double> power_price(known_blocs.size(), 0.0), regions(known_blocs.size(), 0.0);
  for (const Region& r : power_.regions) {
    power_price[r.bloc] += r.spec->power_price_usd_per_mwh;
    regions[r.bloc] += 1.0;
  }
  for (std::size_t b = 0; b < power_price.size(); ++b) {
    power_price[b] = regions[b] > 0.0 ? power_price[b] / regions[b] : std::numeric_limits<double>::quiet_NaN();
  }
  answer_market(supply_.vendors, supply_.skus, supply_.chips, base, price, power_price, now_);
}

void World::feed_scissors_gap(std::size_t ring) {
  double inventory = 0.0, cloud_revenue = 0.0;
  for (const Vendor& vendor : supply_.vendors) inventory += supply_.inventory_at_cost_usd(vendor);
  for (const Agent& agent : agents_) {
    const AgentKind kind = agent.spec->kind;
    if (kind == AgentKind::hyperscaler || kind == AgentKind::neocloud || kind == AgentKind::china_cloud) {
      cloud_revenue += agent.flows.revenue_usd;
    }
  }
  indicators_.scissors.add(ring, inventory, cloud_revenue);
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
  const double paid_now = value - s.prepaid_usd;  // the deposit was paid (and booked as capex) at the order
  a.ledger.post(Account::chips, Account::cash, paid_now);
  a.ledger.post(Account::chips, Account::deposits, s.prepaid_usd);
  a.committed_chips_usd = std::max(0.0, a.committed_chips_usd - paid_now);
  a.flows.capex_chips_usd += paid_now;
  finance_.money.add(s.buyer, vendor_node(chip.vendor), paid_now);
  log(EntityKind::agent, a.spec->name, "delivery", chip.spec->name + " from " + chip.spec->vendor,
      {{"chips", s.count}, {"h100e", s.count * chip.effective_h100e}, {"value_usd", value}});
}

}  // namespace aidc
