// World: construction from the spec, the registration of the phase steps, the exogenous phase.

#include "aidc/model/world.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "world_util.hpp"

namespace aidc {

namespace {

//! spec, checked to have its references bound (bind_references).
const ScenarioSpec& bound(const ScenarioSpec& spec) {
  if (!spec.references_bound) {
    throw std::invalid_argument("scenario '" + spec.name + "': its references are not bound (bind_references)");
  }
  return spec;
}

Grid make_grid(const ScenarioSpec& spec) {
  std::vector<GridLink> links;
  for (const auto& l : spec.links) links.push_back({l.from_index, l.to_index, l.capacity_mw});
  return Grid(spec.regions.size(), std::move(links));
}

}  // namespace

InvariantViolation::InvariantViolation(Quarter q, std::string entity, std::string quantity, std::string detail)
    : std::runtime_error("invariant violated in " + q.str() + ": " + entity + ": " + quantity + ": " + detail) {}

World::World(const ScenarioSpec& spec, std::uint64_t seed)
    : spec_(bound(spec)),
      streams_(seed),
      now_(spec.run.start),
      power_(make_grid(spec)),
      finance_(spec.agents.size() + spec.vendors.size()) {
  for (const auto& v : spec.vendors) {
    Vendor vendor;
    vendor.spec = &v;
    vendor.cash_usd = v.cash_usd;
    vendor.captive_owner = v.captive_owner_index;
    supply_.vendors.push_back(std::move(vendor));
  }
  indicators_.vendor_order_changes.resize(supply_.vendors.size());
  for (const auto& c : spec.chips) {
    const std::uint32_t v = c.vendor_index;
    supply_.vendors[v].chips.push_back(static_cast<std::uint32_t>(supply_.chips.size()));
    supply_.chips.push_back(make_chip(c, v));
  }
  supply_.skus.resize(supply_.chips.size());
  for (const auto& r : spec.regions) {
    Region region;
    region.spec = &r;
    region.bloc = r.bloc_index;
    power_.regions.push_back(region);
  }
  markets_.blocs.resize(known_blocs.size());
  markets_.was_at_floor.assign(known_blocs.size(), 0);
  for (const auto& d : spec.demand) {
    const BlocId b = d.bloc_index;
    markets_.blocs[b].spec = &d;
    markets_.blocs[b].rng = streams_.stream("demand", b);
  }

  agents_.resize(spec.agents.size());
  agent_sites_.resize(spec.agents.size());
  agent_chips_.resize(spec.agents.size());
  was_stranding_.assign(spec.agents.size(), 0);
  for (std::uint32_t a = 0; a < spec.agents.size(); ++a) {
    const AgentSpec& as = spec.agents[a];
    Agent& agent = agents_[a];
    agent.spec = &as;
    agent.bloc = as.bloc_index;
    agent.regions = as.region_indices;
    agent.ledger.post(Account::cash, Account::equity, as.cash_usd);
    agent.ledger.post(Account::non_ai, Account::equity, as.non_ai_assets_usd);
    agent.non_ai_assets_usd = as.non_ai_assets_usd;
    // Loans at the start reduce its equity (cash is stated as held).
    for (const auto& d : as.debt) {
      agent.loans.push_back({d.principal_usd, d.rate, d.maturity});
      agent.ledger.post(Account::equity, Account::debt, d.principal_usd);
    }
    for (std::uint32_t c = 0; c < supply_.chips.size(); ++c) {
      const bool vendor_ok =
          std::find(as.vendor_indices.begin(), as.vendor_indices.end(), supply_.chips[c].vendor) != as.vendor_indices.end();
      if (vendor_ok) agent_chips_[a].push_back(c);
    }
  }


  // Sites online at the start are the owner's assets, paid for before the run; sites in the
  // pipeline (online later) are paid in equal parts from the start until they come online.
  // Leased ones belong to a developer: the agent pays rent once they are built.
  for (const auto& s : spec.sites) {
    const std::uint32_t owner = s.owner_index;
    const bool leased = s.ownership == SiteOwnership::leased;
    const double cost = leased ? 0.0 : s.capacity_mw * s.build_cost_usd_per_mw;
    const std::uint32_t id = add_site(s.name, owner, s.region_index, s.capacity_mw, s.pue, s.rack_kw, cost,
                                      spec.agents[owner].new_site.life_quarters);
    Site& site = power_.sites[id];
    site.leased = leased;
    site.lease_usd_per_quarter = leased ? s.capacity_mw * s.lease_usd_per_mw_year / 4.0 : 0.0;
    site.started = site.queued = spec.run.start;
    site.built = site.interconnected = s.online <= spec.run.start;
    if (site.built || cost <= 0.0) {
      site.book_value_usd = cost;
      agents_[owner].ledger.post(Account::sites, Account::equity, cost);
    } else {
      site.build_quarters = s.online - spec.run.start;
      agents_[owner].committed_sites_usd += cost;
    }
  }

  // Fleets at the start: delivered `age` quarters before it, valued net of depreciation so far.
  for (std::uint32_t a = 0; a < spec.agents.size(); ++a) {
    const AgentSpec& as = spec.agents[a];
    for (const auto& f : as.fleet) {
      const std::uint32_t c = f.chip_index;
      const ChipSpec& cs = *supply_.chips[c].spec;
      const std::size_t i = fleet_.add(a, c, spec.run.start - f.age_quarters, f.count, cs.price_usd,
                                       as.book_life_quarters, cs.economic_life_quarters);
      const double cost = f.count * cs.price_usd;
      fleet_.book_value_usd[i] = cost * std::max(0.0, 1.0 - static_cast<double>(f.age_quarters) / as.book_life_quarters);
      fleet_.economic_value_usd[i] =
          cost * std::max(0.0, 1.0 - static_cast<double>(f.age_quarters) / cs.economic_life_quarters);
      const std::uint32_t s = f.site_index;
      fleet_.site[i] = static_cast<std::int32_t>(s);
      power_.sites[s].used_mw += f.count * cs.power_kw / 1000.0;
      agents_[a].ledger.post(Account::chips, Account::equity, fleet_.book_value_usd[i]);
      supply_.initial_chips += f.count;
    }
  }
}

std::uint32_t World::add_site(const std::string& name, std::uint32_t owner, std::uint32_t region, double capacity_mw,
                              double pue, double rack_kw, double cost_usd, int life_quarters) {
  Site s;
  s.name = name;
  s.owner = owner;
  s.region = region;
  s.capacity_mw = capacity_mw;
  s.pue = pue;
  s.rack_kw = rack_kw;
  s.cost_usd = cost_usd;
  s.life_quarters = life_quarters;
  power_.regions[region].sites_draw_mw += capacity_mw * pue;
  power_.sites.push_back(std::move(s));
  const auto id = static_cast<std::uint32_t>(power_.sites.size() - 1);
  agent_sites_[owner].push_back(id);
  return id;
}

// The quarter (MODEL.md §1): the step each of the seven phases runs every quarter, in order.
// Events scheduled for a phase (deliveries, sites built, scenario events, …) run there too.
const std::array<World::QuarterStep, phase_count> World::quarter = {{
    // exogenous: the quarter begins (flows reset, demand advances), before the scenario's events
    // start or end and change the conditions they name.
    {Phase::exogenous, "begin_quarter", &World::begin_quarter, true},
    // arrivals: loans that mature are refinanced or repaid (then deliveries, sites built and
    // interconnected, retrofits done, power added: events of this phase).
    {Phase::arrivals, "loans_due", &World::mature_due_loans, false},
    // power: new chips are placed in sites; the grid allocates power; chips are energized or stranded.
    {Phase::power, "place_and_power", &World::place_and_power, false},
    // market: each bloc's demand meets the powered compute; prices, utilization and revenue.
    {Phase::market, "clear_markets", &World::clear_markets, false},
    // accounting: opex, depreciation, retirements, interest, tax, payouts; distress and default.
    {Phase::accounting, "book_quarter", &World::book_quarter, false},
    // decisions: agents forecast, plan, order, build; the secondary market; vendors produce.
    {Phase::decisions, "decide", &World::decide, false},
    // record: the invariants are checked, then every metric of the quarter is emitted.
    {Phase::record, "record", &World::record, false},
}};

void World::attach(Simulator& sim) {
  sim_ = &sim;
  const Quarter start = spec_.run.start;
  for (const QuarterStep& step : quarter) {
    if (step.before_events) {
      sim.on_before_phase([this, step](Quarter, Phase p) {
        if (p == step.phase) (this->*step.run)();
      });
    } else {
      const HandlerId h = sim.add_handler(step.name, [this, step](const Event&) { (this->*step.run)(); });
      sim.schedule_every(start, step.phase, 1, h);
    }
  }

  add_handlers(sim);
  schedule_known_events(sim);
}

// The handlers of the one-shot events (their ids go in the on_… members).
void World::add_handlers(Simulator& sim) {
  on_delivery_ = sim.add_handler("delivery", [this](const Event& e) { deliver(static_cast<std::uint32_t>(e.subject)); });
  on_site_built_ = sim.add_handler("site_built", [this](const Event& e) {
    Site& s = power_.sites[e.subject];
    s.built = true;
    log(EntityKind::agent, agents_[s.owner].spec->name, "site_built", "construction finished",
        {{"capacity_mw", s.capacity_mw}, {"rack_kw", s.rack_kw}});
  });
  on_site_interconnected_ = sim.add_handler("site_interconnected", [this](const Event& e) {
    Site& s = power_.sites[e.subject];
    s.interconnected = true;
    log(EntityKind::agent, agents_[s.owner].spec->name, "interconnection_granted",
        "site " + s.name + " reached the head of the " + power_.regions[s.region].spec->name + " queue",
        {{"capacity_mw", s.capacity_mw}});
  });
  on_retrofit_done_ = sim.add_handler("retrofit_done", [this](const Event& e) {
    Site& s = power_.sites[e.subject];
    s.rack_kw = s.retrofit_rack_kw;
    s.retrofit_rack_kw = 0.0;
    log(EntityKind::agent, agents_[s.owner].spec->name, "retrofit_done", "site " + s.name + " takes denser racks",
        {{"rack_kw", s.rack_kw}});
  });
  // Planned power additions come online at their quarter (those online by the start count at once).
  on_power_added_ = sim.add_handler("power_added", [this](const Event& e) {
    Region& r = power_.regions[e.subject];
    const PowerAdditionSpec& a = r.spec->additions[e.arg];
    r.added_mw += a.capacity_mw;
    log(EntityKind::region, r.spec->name, "power_added", a.name + " (" + a.type + ") comes online",
        {{"capacity_mw", a.capacity_mw}});
  });
  on_power_project_ = sim.add_handler("power_project", [this](const Event& e) {
    PowerProject& p = power_.projects[e.subject];
    p.online = true;
    p.book_value_usd = p.cost_usd;
    Region& r = power_.regions[p.region];
    Agent& a = agents_[p.agent];
    a.ledger.post(Account::power, Account::cash, p.cost_usd);
    a.committed_sites_usd = std::max(0.0, a.committed_sites_usd - p.cost_usd);
    a.flows.capex_power_usd += p.cost_usd;
    if (p.site >= 0) {
      // Behind the meter: it powers its site only, whatever the grid.
      Site& s = power_.sites[static_cast<std::size_t>(p.site)];
      s.bridge_mw += p.capacity_mw;
      s.bridge_price_usd_per_mwh = p.power_price_usd_per_mwh;
      log(EntityKind::agent, a.spec->name, "bridge_power", "bridge power at " + s.name + " comes online",
          {{"capacity_mw", p.capacity_mw}, {"cost_usd", p.cost_usd}, {"power_price_usd_per_mwh", p.power_price_usd_per_mwh}});
      return;
    }
    r.added_mw += p.capacity_mw;
    log(EntityKind::region, r.spec->name, "power_added", a.spec->name + "'s own power project comes online",
        {{"capacity_mw", p.capacity_mw}, {"cost_usd", p.cost_usd}});
  });
  on_utility_addition_ = sim.add_handler("utility_addition", [this](const Event& e) {
    const UtilityAddition& u = power_.utility_additions[e.subject];
    Region& r = power_.regions[u.region];
    r.added_mw += u.capacity_mw;
    r.utility_pending_mw = std::max(0.0, r.utility_pending_mw - u.capacity_mw);
    log(EntityKind::region, r.spec->name, "power_added", "generation its utility committed to comes online",
        {{"capacity_mw", u.capacity_mw}});
  });
  on_event_start_ = sim.add_handler("scenario_event", [this](const Event& e) { start_event(static_cast<std::uint32_t>(e.subject)); });
  on_event_end_ = sim.add_handler("scenario_event_end", [this](const Event& e) { end_event(static_cast<std::uint32_t>(e.subject)); });
}

// What the scenario knows at the start: planned power additions, sites in the pipeline, orders
// placed before the start, the scenario's events.
void World::schedule_known_events(Simulator& sim) {
  const Quarter start = spec_.run.start;
  for (std::uint32_t r = 0; r < power_.regions.size(); ++r) {
    const auto& additions = power_.regions[r].spec->additions;
    for (std::uint32_t i = 0; i < additions.size(); ++i) {
      if (additions[i].online <= start) power_.regions[r].added_mw += additions[i].capacity_mw;
      else sim.schedule(additions[i].online, Phase::arrivals, on_power_added_, r, i);
    }
  }
  for (std::uint32_t i = 0; i < spec_.sites.size(); ++i) {
    if (spec_.sites[i].online > start) {
      sim.schedule(spec_.sites[i].online, Phase::arrivals, on_site_built_, i);
      schedule_interconnection(i, spec_.sites[i].online);
    }
  }
  // Orders placed before the start: in transit (delivered when they arrive) or in the backlog.
  for (std::uint32_t a = 0; a < agents_.size(); ++a) {
    for (const OrderSpec& o : agents_[a].spec->on_order) {
      const std::uint32_t c = o.chip_index;
      const double price = o.price_usd > 0.0 ? o.price_usd : supply_.chips[c].spec->price_usd;
      // The deposit of an order placed before the start was paid then: an asset at the start.
      Vendor& vendor = supply_.vendors[supply_.chips[c].vendor];
      const double deposit = vendor.spec->deposit_share * o.count * price;
      agents_[a].committed_chips_usd += o.count * price - deposit;
      agents_[a].ledger.post(Account::deposits, Account::equity, deposit);
      if (o.arrives > start) {
        supply_.shipments.push_back({a, c, o.count, price, false, deposit});
        const auto id = static_cast<std::uint32_t>(supply_.shipments.size() - 1);
        supply_.pending_shipments.push_back(id);
        sim.schedule(o.arrives, Phase::arrivals, on_delivery_, id);
        supply_.initial_chips += o.count;
      } else {
        vendor.backlog.push_back({a, c, o.count, price, deposit});
        vendor.deposits_usd += deposit;
      }
    }
  }
  event_in_force_.assign(spec_.events.size(), 0);
  for (std::uint32_t i = 0; i < spec_.events.size(); ++i) {
    const EventSpec& e = spec_.events[i];
    if (e.at > spec_.run.end) continue;
    sim.schedule(std::max(e.at, start), Phase::exogenous, on_event_start_, i);
    if (e.duration_quarters > 0 && e.at + e.duration_quarters <= spec_.run.end) {
      sim.schedule(std::max(e.at + e.duration_quarters, start + 1), Phase::exogenous, on_event_end_, i);
    }
  }
}

void World::log(EntityKind kind, const std::string& entity, const char* event_kind, std::string cause,
                Figures figures) {
  if (log_sink_ == nullptr) return;
  LoggedEvent e;
  e.quarter = now_;
  e.entity_kind = kind;
  e.entity = entity;
  e.kind = event_kind;
  e.cause = std::move(cause);
  for (const auto& [name, value] : figures) e.figures.emplace_back(std::string(name), value);
  log_sink_->log(std::move(e));
}

double World::base_rate() const noexcept {
  if (finance_.base_rate_override >= 0.0) return finance_.base_rate_override;
  return spec_.finance.base_rate.points.empty() ? 0.04 : spec_.finance.base_rate.at(now_);
}

std::size_t World::slot() const noexcept { return static_cast<std::size_t>(((now_ - spec_.run.start) % 4 + 4) % 4); }

// --- exogenous ---------------------------------------------------------------------------

void World::begin_quarter() {
  now_ = sim_->now();
  for (auto& a : agents_) {
    a.flows = AgentFlows{};
    a.cash_at_start_usd = a.ledger.balance(Account::cash);
  }
  for (auto& v : supply_.vendors) {
    v.orders_chips = v.orders_h100e = v.shipped_chips = v.cancelled_chips = v.revenue_usd = v.cost_of_sales_usd = 0.0;
    v.deposits_applied_usd = 0.0;
  }
  for (auto& s : supply_.skus) s.orders_chips = 0.0;
  for (auto& m : markets_.blocs) {
    if (m.spec != nullptr) m.advance_demand(now_, now_ == spec_.run.start);
  }
}

}  // namespace aidc
