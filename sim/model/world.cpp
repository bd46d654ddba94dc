#include "aidc/model/world.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_map>

namespace aidc {

namespace {

constexpr double tiny_chips = 1e-6;  // cohorts smaller than this are not split off
constexpr int max_sites_per_decision = 4;

template <class T>
std::unordered_map<std::string, std::uint32_t> index_by_name(const std::vector<T>& items) {
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::uint32_t i = 0; i < items.size(); ++i) index.emplace(items[i].name, i);
  return index;
}

bool close(double a, double b, double scale) { return std::abs(a - b) <= 1e-9 * std::max({1.0, scale, std::abs(a), std::abs(b)}); }

std::string fmt_num(double v) {
  std::ostringstream os;
  os.precision(12);
  os << v;
  return os.str();
}

}  // namespace

InvariantViolation::InvariantViolation(Quarter q, std::string entity, std::string quantity, std::string detail)
    : std::runtime_error("invariant violated in " + q.str() + ": " + entity + ": " + quantity + ": " + detail) {}

World::World(const ScenarioSpec& spec, std::uint64_t seed) : spec_(spec), streams_(seed), now_(spec.run.start) {
  const auto vendor_index = index_by_name(spec.vendors);
  const auto region_index = index_by_name(spec.regions);
  const auto agent_index = index_by_name(spec.agents);
  const auto chip_index = index_by_name(spec.chips);

  for (const auto& v : spec.vendors) vendors_.push_back(Vendor{&v, {}, 0, 0, 0, 0});
  for (const auto& c : spec.chips) chips_.push_back(make_chip(c, vendor_index.at(c.vendor)));
  for (const auto& r : spec.regions) {
    Region region;
    region.spec = &r;
    region.bloc = bloc_id(r.bloc);
    regions_.push_back(region);
  }
  markets_.resize(known_blocs.size());
  for (const auto& d : spec.demand) {
    const BlocId b = bloc_id(d.bloc);
    markets_[b].spec = &d;
    markets_[b].rng = streams_.stream("demand", b);
  }

  agents_.resize(spec.agents.size());
  agent_sites_.resize(spec.agents.size());
  agent_chips_.resize(spec.agents.size());
  for (std::uint32_t a = 0; a < spec.agents.size(); ++a) {
    const AgentSpec& as = spec.agents[a];
    Agent& agent = agents_[a];
    agent.spec = &as;
    agent.bloc = bloc_id(as.bloc);
    for (const auto& r : as.regions) agent.regions.push_back(region_index.at(r));
    agent.ledger.post(Account::cash, Account::equity, as.cash_usd);
    for (std::uint32_t c = 0; c < chips_.size(); ++c) {
      const bool vendor_ok = std::find(as.vendors.begin(), as.vendors.end(), chips_[c].spec->vendor) != as.vendors.end();
      if (vendor_ok && chips_[c].sold_in(agent.bloc)) agent_chips_[a].push_back(c);
    }
  }

  // Sites that exist at the start are the owner's assets, paid for before the run.
  for (const auto& s : spec.sites) {
    const std::uint32_t owner = agent_index.at(s.owner);
    const double cost = s.capacity_mw * s.build_cost_usd_per_mw;
    const std::uint32_t id = add_site(s.name, owner, region_index.at(s.region), s.capacity_mw, s.pue, s.rack_kw, cost,
                                      spec.agents[owner].new_site.life_quarters);
    Site& site = sites_[id];
    site.started = spec.run.start;
    site.built = site.interconnected = s.online <= spec.run.start;
    site.book_value_usd = cost;
    agents_[owner].ledger.post(Account::sites, Account::equity, cost);
  }

  // Fleets at the start: delivered `age` quarters before it, valued net of depreciation so far.
  const auto site_index = index_by_name(spec.sites);
  for (std::uint32_t a = 0; a < spec.agents.size(); ++a) {
    const AgentSpec& as = spec.agents[a];
    for (const auto& f : as.fleet) {
      const std::uint32_t c = chip_index.at(f.chip);
      const ChipSpec& cs = *chips_[c].spec;
      const std::size_t i = fleet_.add(a, c, spec.run.start - f.age_quarters, f.count, cs.price_usd);
      const double cost = f.count * cs.price_usd;
      fleet_.book_value_usd[i] = cost * std::max(0.0, 1.0 - static_cast<double>(f.age_quarters) / as.book_life_quarters);
      fleet_.economic_value_usd[i] =
          cost * std::max(0.0, 1.0 - static_cast<double>(f.age_quarters) / cs.economic_life_quarters);
      const std::uint32_t s = site_index.at(f.site);
      fleet_.site[i] = static_cast<std::int32_t>(s);
      sites_[s].used_mw += f.count * cs.power_kw / 1000.0;
      agents_[a].ledger.post(Account::chips, Account::equity, fleet_.book_value_usd[i]);
      initial_chips_ += f.count;
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
  sites_.push_back(std::move(s));
  const auto id = static_cast<std::uint32_t>(sites_.size() - 1);
  agent_sites_[owner].push_back(id);
  return id;
}

void World::attach(Simulator& sim) {
  sim_ = &sim;
  const Quarter start = spec_.run.start;
  auto every_quarter = [&](const char* name, Phase phase, auto step) {
    const HandlerId h = sim.add_handler(name, [this, step](const Event&) { (this->*step)(); });
    sim.schedule_every(start, phase, 1, h);
  };
  every_quarter("begin_quarter", Phase::exogenous, &World::begin_quarter);
  every_quarter("place_and_power", Phase::power, &World::place_and_power);
  every_quarter("clear_markets", Phase::market, &World::clear_markets);
  every_quarter("book_quarter", Phase::accounting, &World::book_quarter);
  every_quarter("decide", Phase::decisions, &World::decide);
  every_quarter("check_invariants", Phase::record, &World::check_invariants);

  on_delivery_ = sim.add_handler("delivery", [this](const Event& e) { deliver(static_cast<std::uint32_t>(e.subject)); });
  on_site_built_ = sim.add_handler("site_built", [this](const Event& e) {
    Site& s = sites_[e.subject];
    s.built = true;
    spdlog::debug("{} {}: site built ({} MW)", now_.str(), s.name, s.capacity_mw);
  });
  on_site_interconnected_ = sim.add_handler("site_interconnected", [this](const Event& e) {
    Site& s = sites_[e.subject];
    s.interconnected = true;
    spdlog::debug("{} {}: interconnection granted", now_.str(), s.name);
  });
  // Planned power additions come online at their quarter (those online by the start count at once).
  on_power_added_ = sim.add_handler("power_added", [this](const Event& e) {
    Region& r = regions_[e.subject];
    const PowerAdditionSpec& a = r.spec->additions[e.arg];
    r.added_mw += a.capacity_mw;
    spdlog::debug("{} {}: {} adds {:.0f} MW ({})", now_.str(), r.spec->name, a.name, a.capacity_mw, a.type);
  });
  for (std::uint32_t r = 0; r < regions_.size(); ++r) {
    const auto& additions = regions_[r].spec->additions;
    for (std::uint32_t i = 0; i < additions.size(); ++i) {
      if (additions[i].online <= start) regions_[r].added_mw += additions[i].capacity_mw;
      else sim.schedule(additions[i].online, Phase::arrivals, on_power_added_, r, i);
    }
  }
  for (std::uint32_t i = 0; i < spec_.sites.size(); ++i) {
    if (spec_.sites[i].online > start) {
      sim.schedule(spec_.sites[i].online, Phase::arrivals, on_site_built_, i);
      sim.schedule(spec_.sites[i].online, Phase::arrivals, on_site_interconnected_, i);
    }
  }
}

// --- exogenous ---------------------------------------------------------------------------

void World::begin_quarter() {
  now_ = sim_->now();
  for (auto& a : agents_) a.flows = AgentFlows{};
  for (auto& v : vendors_) v.orders_chips = v.shipped_chips = v.revenue_usd = 0.0;
  for (auto& m : markets_) {
    if (m.spec != nullptr) m.advance_demand(now_, now_ == spec_.run.start);
  }
}

// --- arrivals ----------------------------------------------------------------------------

void World::deliver(std::uint32_t shipment) {
  Shipment& s = shipments_[shipment];
  s.arrived = true;
  pending_shipments_.erase(std::find(pending_shipments_.begin(), pending_shipments_.end(), shipment));
  fleet_.add(s.buyer, s.chip, now_, s.count, s.unit_price_usd);
  const double value = s.count * s.unit_price_usd;
  Agent& a = agents_[s.buyer];
  a.ledger.post(Account::chips, Account::cash, value);
  a.committed_chips_usd = std::max(0.0, a.committed_chips_usd - value);
  a.flows.capex_chips_usd += value;
}

// --- power -------------------------------------------------------------------------------

void World::place_cohort(std::size_t i) {
  const Chip& chip = chips_[fleet_.chip[i]];
  const double mw_per_chip = chip.spec->power_kw / 1000.0;
  // Energized sites first, then built ones waiting for the grid; creation order within each.
  for (const bool want_energized : {true, false}) {
    for (const std::uint32_t s : agent_sites_[fleet_.owner[i]]) {
      Site& site = sites_[s];
      if (!site.built || site.energized() != want_energized || site.rack_kw < chip.spec->rack_kw) continue;
      const double fits = site.free_mw() / mw_per_chip;
      if (fits >= fleet_.count[i]) {
        fleet_.site[i] = static_cast<std::int32_t>(s);
        site.used_mw += fleet_.count[i] * mw_per_chip;
        return;
      }
      if (fits > tiny_chips) {
        const std::size_t j = fleet_.split(i, fits);
        fleet_.site[j] = static_cast<std::int32_t>(s);
        site.used_mw = site.capacity_mw;
      }
    }
  }
}

void World::place_and_power() {
  // 1. Chips delivered without a site go to a built site of their owner with room and density.
  const std::size_t cohorts = fleet_.size();
  for (std::size_t i = 0; i < cohorts; ++i) {
    if (!fleet_.retired[i] && fleet_.site[i] == no_site) place_cohort(i);
  }
  // 2. Each region shares its power among its energized sites, pro rata to request.
  for (auto& s : sites_) {
    s.requested_mw = s.built ? s.used_mw * s.pue : 0.0;
    s.delivered_mw = 0.0;
  }
  for (std::uint32_t r = 0; r < regions_.size(); ++r) {
    Region& region = regions_[r];
    region.available_mw = region.datacenter_power_mw(now_);
    requested_scratch_.clear();
    for (const auto& s : sites_) {
      if (s.region == r && s.energized()) requested_scratch_.push_back(s.requested_mw);
    }
    granted_scratch_.assign(requested_scratch_.size(), 0.0);
    region.delivered_mw = allocate_pro_rata(region.available_mw, requested_scratch_, granted_scratch_);
    region.requested_mw = 0.0;
    std::size_t k = 0;
    for (auto& s : sites_) {
      if (s.region == r && s.energized()) {
        region.requested_mw += s.requested_mw;
        s.delivered_mw = granted_scratch_[k++];
      }
    }
    const bool was_bound = region.power_bound;
    region.power_bound = region.requested_mw > region.available_mw;
    if (region.power_bound && !was_bound) {
      spdlog::info("{} {}: power-bound: sites request {:.0f} MW, {:.0f} MW available", now_.str(),
                   region.spec->name, region.requested_mw, region.available_mw);
    }
  }
  // 3. Chips are powered in proportion to the power their site received.
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    fleet_.powered_count[i] = 0.0;
    if (fleet_.retired[i] || fleet_.site[i] == no_site) continue;
    const Site& s = sites_[static_cast<std::size_t>(fleet_.site[i])];
    if (s.requested_mw > 0.0) fleet_.powered_count[i] = fleet_.count[i] * (s.delivered_mw / s.requested_mw);
  }
}

// --- market ------------------------------------------------------------------------------

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
  for (auto& m : markets_) {
    m.supply_h100e = 0.0;
    m.floor_usd_per_hour = std::max(0.0, m.floor_usd_per_hour);
  }
  for (const auto& a : agents_) markets_[a.bloc].supply_h100e += a.powered_h100e;
  for (auto& m : markets_) {
    if (m.spec == nullptr) continue;
    m.last = clear_market(m.base_demand_h100e, m.supply_h100e, m.price_usd_per_hour, m.floor_usd_per_hour, *m.spec);
    m.price_usd_per_hour = m.last.price_usd_per_hour;
  }
  // Sellers share the sold compute pro rata to their powered compute.
  for (auto& a : agents_) {
    const BlocMarket& m = markets_[a.bloc];
    const double sold_share = m.supply_h100e > 0.0 ? m.last.sold_h100e / m.supply_h100e : 0.0;
    a.utilized_h100e = a.powered_h100e * sold_share;
    a.flows.revenue_usd = a.utilized_h100e * m.price_usd_per_hour * hours_per_quarter;
  }
}

// --- accounting --------------------------------------------------------------------------

void World::book_quarter() {
  const double years = (now_ - spec_.run.start) / 4.0;
  for (auto& a : agents_) {
    a.ledger.post(Account::cash, Account::equity, a.flows.revenue_usd);
    const AgentSpec& as = *a.spec;
    a.flows.other_income_usd = as.operating_cash_flow_usd_per_quarter * std::pow(1.0 + as.cash_flow_growth_per_year, years);
    a.ledger.post(Account::cash, Account::equity, a.flows.other_income_usd);
  }
  // Chips: depreciate; a cohort that has now served its economic life retires, and the book
  // value still on the books is impaired. Delivered in quarter d with life E, a chip serves
  // (is powered and sold) in quarters d … d+E−1 and retires in the accounting of d+E−1.
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    if (fleet_.retired[i]) continue;
    const Chip& chip = chips_[fleet_.chip[i]];
    Agent& a = agents_[fleet_.owner[i]];
    const double cost = fleet_.count[i] * fleet_.unit_price_usd[i];
    const double book = std::min(fleet_.book_value_usd[i], cost / a.spec->book_life_quarters);
    const double economic = std::min(fleet_.economic_value_usd[i], cost / chip.spec->economic_life_quarters);
    fleet_.book_value_usd[i] -= book;
    fleet_.economic_value_usd[i] -= economic;
    a.ledger.post(Account::equity, Account::chips, book);
    a.flows.depreciation_book_usd += book;
    a.flows.depreciation_economic_usd += economic;
    if (now_ - fleet_.delivered[i] + 1 < chip.spec->economic_life_quarters) continue;
    a.flows.impairment_usd += fleet_.book_value_usd[i];
    a.ledger.post(Account::equity, Account::chips, fleet_.book_value_usd[i]);
    fleet_.book_value_usd[i] = fleet_.economic_value_usd[i] = 0.0;
    fleet_.retired[i] = 1;
    a.flows.retired_h100e += fleet_.count[i] * chip.effective_h100e;
    retired_chips_ += fleet_.count[i];
    if (fleet_.site[i] != no_site) {
      Site& s = sites_[static_cast<std::size_t>(fleet_.site[i])];
      s.used_mw = std::max(0.0, s.used_mw - fleet_.count[i] * chip.spec->power_kw / 1000.0);
    }
  }
  // Sites: power bills, construction spending, depreciation of what is built.
  for (auto& s : sites_) {
    Agent& a = agents_[s.owner];
    const double power_cost = s.delivered_mw * hours_per_quarter * regions_[s.region].spec->power_price_usd_per_mwh;
    a.ledger.post(Account::equity, Account::cash, power_cost);
    a.flows.power_opex_usd += power_cost;
    const int building_for = now_ - s.started;
    if (s.build_quarters > 0 && building_for >= 0 && building_for < s.build_quarters) {
      const double spend = s.cost_usd / s.build_quarters;
      a.ledger.post(Account::sites, Account::cash, spend);
      s.book_value_usd += spend;
      a.committed_sites_usd = std::max(0.0, a.committed_sites_usd - spend);
      a.flows.capex_sites_usd += spend;
    }
    if (s.built && s.book_value_usd > 0.0) {
      const double dep = std::min(s.book_value_usd, s.cost_usd / s.life_quarters);
      s.book_value_usd -= dep;
      a.ledger.post(Account::equity, Account::sites, dep);
      a.flows.depreciation_book_usd += dep;
      a.flows.depreciation_economic_usd += dep;
    }
  }
}

// --- decisions ---------------------------------------------------------------------------

void World::decide() {
  // On-order compute per agent: backlog at vendors plus chips in transit.
  for (auto& a : agents_) a.on_order_h100e = 0.0;
  for (const auto& v : vendors_) {
    for (const auto& e : v.backlog) agents_[e.buyer].on_order_h100e += e.count * chips_[e.chip].effective_h100e;
  }
  for (const std::uint32_t s : pending_shipments_) {
    agents_[shipments_[s].buyer].on_order_h100e += shipments_[s].count * chips_[shipments_[s].chip].effective_h100e;
  }
  for (std::uint32_t a = 0; a < agents_.size(); ++a) plan_agent(a);
  produce();
}

void World::plan_agent(std::uint32_t a) {
  Agent& agent = agents_[a];
  const AgentSpec& as = *agent.spec;
  const BlocMarket& market = markets_[agent.bloc];

  // 1. Forecast: adaptive expectations on the growth of its bloc's demand at the reference price
  // (quantity sold grossed up by the price: what buyers would take at a normal price).
  const double demand = market.base_demand_h100e;
  if (agent.has_history && agent.last_demand_h100e > 0.0 && demand > 0.0) {
    const double observed = std::clamp(std::pow(demand / agent.last_demand_h100e, 4.0) - 1.0, -0.9, 5.0);
    agent.smoothed_growth_per_year = 0.5 * agent.smoothed_growth_per_year + 0.5 * observed;
  } else if (!agent.has_history) {
    agent.smoothed_growth_per_year = as.strategy.long_run_growth_per_year;
  }
  agent.last_demand_h100e = demand;
  agent.has_history = true;
  const double growth = expected_growth_per_year(as.strategy, agent.smoothed_growth_per_year);

  // 4. The SKU with the lowest TCO per effective H100e-hour among those it may buy now.
  std::vector<std::uint32_t> candidates;
  for (const std::uint32_t c : agent_chips_[a]) {
    if (chips_[c].orderable(now_)) candidates.push_back(c);
  }
  const Region& home = regions_[agent.regions.front()];
  const int best = cheapest_chip(chips_, candidates, as.new_site.pue, home.spec->power_price_usd_per_mwh);
  if (best < 0) return;
  const Chip& chip = chips_[static_cast<std::size_t>(best)];
  const int lead = std::max(1, vendors_[chip.vendor].spec->lead_time_quarters);

  // 5. Space and power: sites for the capacity wanted when a site started now would be online.
  std::uint32_t site_region = agent.regions.front();
  double best_spare = -1e300;
  for (const std::uint32_t r : agent.regions) {
    double spare = regions_[r].datacenter_power_mw(now_);
    for (const auto& s : sites_) {
      if (s.region == r) spare -= s.capacity_mw * s.pue;
    }
    if (spare > best_spare) {
      best_spare = spare;
      site_region = r;
    }
  }
  const int site_horizon = std::max(as.new_site.build_quarters, regions_[site_region].spec->interconnection_quarters);
  // 2–3. Targets at the two horizons, against compute that will still be in service then.
  const double target_chips_h100e = target_capacity_h100e(as.strategy, forecast_h100e(demand, growth, lead));
  const double target_sites_h100e = target_capacity_h100e(as.strategy, forecast_h100e(demand, growth, site_horizon));
  double alive_at_lead = 0.0, alive_elsewhere_at_site_horizon = 0.0;
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    if (fleet_.owner[i] != a || fleet_.retired[i]) continue;
    const Chip& c = chips_[fleet_.chip[i]];
    const int age = now_ - fleet_.delivered[i];
    const double h100e = fleet_.count[i] * c.effective_h100e;
    if (age + lead < c.spec->economic_life_quarters) alive_at_lead += h100e;
    const bool in_sparse_site = fleet_.site[i] != no_site &&
                                sites_[static_cast<std::size_t>(fleet_.site[i])].rack_kw < chip.spec->rack_kw;
    if (in_sparse_site && age + site_horizon < c.spec->economic_life_quarters) alive_elsewhere_at_site_horizon += h100e;
  }
  double dense_capacity_mw = 0.0;
  for (const std::uint32_t s : agent_sites_[a]) {
    if (sites_[s].rack_kw >= chip.spec->rack_kw) dense_capacity_mw += sites_[s].capacity_mw;
  }
  const double needed_mw = std::max(0.0, target_sites_h100e - alive_elsewhere_at_site_horizon) * chip.mw_per_h100e();
  if (needed_mw > dense_capacity_mw && as.new_site.rack_kw >= chip.spec->rack_kw) {
    const double site_cost = as.new_site.capacity_mw * as.new_site.build_cost_usd_per_mw;
    const int wanted = static_cast<int>(std::ceil((needed_mw - dense_capacity_mw) / as.new_site.capacity_mw));
    for (int k = 0; k < std::min(wanted, max_sites_per_decision) && agent.spendable_usd() >= site_cost; ++k) {
      start_site(a, site_region);
    }
  }

  // 6–7. Fund and order the gap with cash above the minimum.
  const double gap_h100e = target_chips_h100e - alive_at_lead - agent.on_order_h100e;
  if (gap_h100e <= 0.0) return;
  const double affordable = std::max(0.0, agent.spendable_usd()) / chip.spec->price_usd;
  const double count = std::min(gap_h100e / chip.effective_h100e, affordable);
  if (count <= tiny_chips) return;
  Vendor& vendor = vendors_[chip.vendor];
  const auto match = std::find_if(vendor.backlog.begin(), vendor.backlog.end(), [&](const BacklogEntry& e) {
    return e.buyer == a && e.chip == static_cast<std::uint32_t>(best);
  });
  if (match != vendor.backlog.end()) match->count += count;
  else vendor.backlog.push_back({a, static_cast<std::uint32_t>(best), count});
  vendor.orders_chips += count;
  agent.committed_chips_usd += count * chip.spec->price_usd;
  agent.on_order_h100e += count * chip.effective_h100e;
  agent.flows.ordered_h100e += count * chip.effective_h100e;
}

void World::start_site(std::uint32_t a, std::uint32_t region) {
  Agent& agent = agents_[a];
  const SiteTemplateSpec& t = agent.spec->new_site;
  const std::string name = agent.spec->name + "-" + regions_[region].spec->name + "-" +
                           std::to_string(agent_sites_[a].size() + 1);
  const double cost = t.capacity_mw * t.build_cost_usd_per_mw;
  const std::uint32_t id = add_site(name, a, region, t.capacity_mw, t.pue, t.rack_kw, cost, t.life_quarters);
  Site& s = sites_[id];
  s.build_quarters = t.build_quarters;
  agent.committed_sites_usd += cost;
  // Construction is paid from next quarter's accounting on; the grid grants power after its queue.
  s.started = now_ + 1;
  sim_->schedule(now_ + std::max(1, t.build_quarters), Phase::arrivals, on_site_built_, id);
  sim_->schedule(now_ + std::max(1, regions_[region].spec->interconnection_quarters), Phase::arrivals,
                 on_site_interconnected_, id);
  spdlog::debug("{} {}: started site {} ({} MW)", now_.str(), agent.spec->name, name, t.capacity_mw);
}

void World::produce() {
  for (auto& v : vendors_) {
    v.capacity_chips = v.spec->capacity_chips_per_quarter.at(now_);
    const double produced = serve_pro_rata(v.backlog, v.capacity_chips, served_scratch_);
    const Quarter arrival = now_ + std::max(1, v.spec->lead_time_quarters);
    for (std::size_t i = 0; i < v.backlog.size(); ++i) {
      if (served_scratch_[i] <= 0.0) continue;
      const BacklogEntry& e = v.backlog[i];
      const double price = chips_[e.chip].spec->price_usd;
      shipments_.push_back({e.buyer, e.chip, served_scratch_[i], price, false});
      const auto id = static_cast<std::uint32_t>(shipments_.size() - 1);
      pending_shipments_.push_back(id);
      sim_->schedule(arrival, Phase::arrivals, on_delivery_, id);
      v.revenue_usd += served_scratch_[i] * price;
    }
    std::erase_if(v.backlog, [](const BacklogEntry& e) { return e.count <= 0.0; });
    v.shipped_chips += produced;
    shipped_chips_ += produced;
  }
}

double World::in_transit_chips() const noexcept {
  double n = 0.0;
  for (const std::uint32_t s : pending_shipments_) n += shipments_[s].count;
  return n;
}

// --- record ------------------------------------------------------------------------------

void World::check_invariants() const {
  // Chips: initial + produced = in transit + in service + retired.
  double in_service = 0.0;
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    if (!fleet_.retired[i]) in_service += fleet_.count[i];
  }
  const double lhs = initial_chips_ + shipped_chips_;
  const double rhs = in_transit_chips() + in_service + retired_chips_;
  if (!close(lhs, rhs, lhs)) {
    throw InvariantViolation(now_, "world", "chips",
                             "initial + produced = " + fmt_num(lhs) + " but in transit + in service + retired = " + fmt_num(rhs));
  }
  // Power: delivered within what is available and what was asked, and drawn by the powered chips.
  for (const auto& r : regions_) {
    if (r.delivered_mw > r.available_mw * (1 + 1e-12) + 1e-9) {
      throw InvariantViolation(now_, r.spec->name, "power_delivered_mw",
                               fmt_num(r.delivered_mw) + " exceeds available " + fmt_num(r.available_mw));
    }
  }
  std::vector<double> drawn_mw(sites_.size(), 0.0);
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    if (fleet_.retired[i] || fleet_.site[i] == no_site) continue;
    const auto s = static_cast<std::size_t>(fleet_.site[i]);
    drawn_mw[s] += fleet_.powered_count[i] * chips_[fleet_.chip[i]].spec->power_kw / 1000.0 * sites_[s].pue;
  }
  for (std::size_t s = 0; s < sites_.size(); ++s) {
    const Site& site = sites_[s];
    if (site.delivered_mw > site.requested_mw * (1 + 1e-12) + 1e-9 || drawn_mw[s] > site.delivered_mw * (1 + 1e-9) + 1e-9) {
      throw InvariantViolation(now_, site.name, "power_delivered_mw",
                               "requested " + fmt_num(site.requested_mw) + ", delivered " + fmt_num(site.delivered_mw) +
                                   ", drawn by powered chips " + fmt_num(drawn_mw[s]));
    }
  }
  // Money: every ledger balances and agrees with the assets it accounts for.
  std::vector<double> chips_book(agents_.size(), 0.0), sites_book(agents_.size(), 0.0);
  for (std::size_t i = 0; i < fleet_.size(); ++i) chips_book[fleet_.owner[i]] += fleet_.book_value_usd[i];
  for (const auto& s : sites_) sites_book[s.owner] += s.book_value_usd;
  for (std::size_t a = 0; a < agents_.size(); ++a) {
    const Ledger& l = agents_[a].ledger;
    const std::string& name = agents_[a].spec->name;
    if (!close(l.imbalance(), 0.0, l.scale())) {
      throw InvariantViolation(now_, name, "ledger", "balances sum to " + fmt_num(l.imbalance()) + ", not 0");
    }
    if (!close(l.balance(Account::chips), chips_book[a], l.scale())) {
      throw InvariantViolation(now_, name, "chips_book_value_usd",
                               "ledger " + fmt_num(l.balance(Account::chips)) + " vs fleet " + fmt_num(chips_book[a]));
    }
    if (!close(l.balance(Account::sites), sites_book[a], l.scale())) {
      throw InvariantViolation(now_, name, "sites_book_value_usd",
                               "ledger " + fmt_num(l.balance(Account::sites)) + " vs sites " + fmt_num(sites_book[a]));
    }
    // Compute: utilized ≤ powered ≤ installed.
    const Agent& ag = agents_[a];
    if (ag.utilized_h100e > ag.powered_h100e * (1 + 1e-12) + 1e-9 || ag.powered_h100e > ag.installed_h100e * (1 + 1e-12) + 1e-9) {
      throw InvariantViolation(now_, name, "utilized_h100e",
                               "utilized " + fmt_num(ag.utilized_h100e) + ", powered " + fmt_num(ag.powered_h100e) +
                                   ", installed " + fmt_num(ag.installed_h100e));
    }
  }
  // No NaN or infinity anywhere in what is reported.
  struct FiniteCheck final : MetricSink {
    void put(Quarter q, EntityKind kind, std::string_view entity, Metric metric, double value) override {
      if (!std::isfinite(value)) {
        throw InvariantViolation(q, std::string(entity_kind_names[static_cast<std::size_t>(kind)]) + " " + std::string(entity),
                                 std::string(metric_name(metric)), "value is " + fmt_num(value));
      }
    }
  } finite;
  report(finite);
}

void World::report(MetricSink& sink) const {
  const Quarter q = now_;
  // Per-agent values that come from the fleet and the sites.
  std::vector<double> book(agents_.size(), 0.0), economic(agents_.size(), 0.0);
  std::vector<double> requested(agents_.size(), 0.0), delivered(agents_.size(), 0.0);
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    book[fleet_.owner[i]] += fleet_.book_value_usd[i];
    economic[fleet_.owner[i]] += fleet_.economic_value_usd[i];
  }
  for (const auto& s : sites_) {
    requested[s.owner] += s.requested_mw;
    delivered[s.owner] += s.delivered_mw;
  }

  // Compute metrics shared by the global, bloc and agent levels.
  struct Compute {
    double installed = 0, powered = 0, utilized = 0, on_order = 0, ordered = 0, retired = 0, requested = 0,
           delivered = 0;
    double revenue = 0, capex = 0, dep_book = 0, dep_economic = 0, impairment = 0, power_opex = 0, net_income = 0;
    double cash = 0, book = 0, economic = 0;
    void add(const Compute& o) {
      installed += o.installed; powered += o.powered; utilized += o.utilized; on_order += o.on_order;
      ordered += o.ordered;
      retired += o.retired; requested += o.requested; delivered += o.delivered; revenue += o.revenue;
      capex += o.capex; dep_book += o.dep_book; dep_economic += o.dep_economic; impairment += o.impairment;
      power_opex += o.power_opex; net_income += o.net_income; cash += o.cash; book += o.book; economic += o.economic;
    }
  };
  auto emit = [&](EntityKind kind, std::string_view name, const Compute& c, double price) {
    sink.put(q, kind, name, Metric::installed_h100e, c.installed);
    sink.put(q, kind, name, Metric::powered_h100e, c.powered);
    sink.put(q, kind, name, Metric::stranded_h100e, std::max(0.0, c.installed - c.powered));
    sink.put(q, kind, name, Metric::utilized_h100e, c.utilized);
    sink.put(q, kind, name, Metric::idle_h100e, std::max(0.0, c.powered - c.utilized));
    sink.put(q, kind, name, Metric::utilization, c.powered > 0.0 ? c.utilized / c.powered : 0.0);
    sink.put(q, kind, name, Metric::on_order_h100e, c.on_order);
    sink.put(q, kind, name, Metric::ordered_h100e, c.ordered);
    sink.put(q, kind, name, Metric::retired_h100e, c.retired);
    sink.put(q, kind, name, Metric::power_requested_mw, c.requested);
    sink.put(q, kind, name, Metric::power_delivered_mw, c.delivered);
    sink.put(q, kind, name, Metric::price_usd_per_h100e_hour, price);
    sink.put(q, kind, name, Metric::revenue_usd, c.revenue);
    sink.put(q, kind, name, Metric::capex_usd, c.capex);
    sink.put(q, kind, name, Metric::depreciation_book_usd, c.dep_book);
    sink.put(q, kind, name, Metric::depreciation_economic_usd, c.dep_economic);
    sink.put(q, kind, name, Metric::impairment_usd, c.impairment);
    sink.put(q, kind, name, Metric::power_opex_usd, c.power_opex);
    sink.put(q, kind, name, Metric::net_income_usd, c.net_income);
    sink.put(q, kind, name, Metric::cash_usd, c.cash);
    sink.put(q, kind, name, Metric::chips_book_value_usd, c.book);
    sink.put(q, kind, name, Metric::chips_economic_value_usd, c.economic);
  };

  Compute global;
  std::vector<Compute> per_bloc(known_blocs.size());
  std::vector<Compute> per_agent(agents_.size());
  for (std::size_t a = 0; a < agents_.size(); ++a) {
    const Agent& ag = agents_[a];
    Compute& c = per_agent[a];
    c.installed = ag.installed_h100e;
    c.powered = ag.powered_h100e;
    c.utilized = ag.utilized_h100e;
    c.on_order = ag.on_order_h100e;
    c.ordered = ag.flows.ordered_h100e;
    c.retired = ag.flows.retired_h100e;
    c.requested = requested[a];
    c.delivered = delivered[a];
    c.revenue = ag.flows.revenue_usd;
    c.capex = ag.flows.capex_chips_usd + ag.flows.capex_sites_usd;
    c.dep_book = ag.flows.depreciation_book_usd;
    c.dep_economic = ag.flows.depreciation_economic_usd;
    c.impairment = ag.flows.impairment_usd;
    c.power_opex = ag.flows.power_opex_usd;
    c.net_income = ag.flows.net_income_usd();
    c.cash = ag.ledger.balance(Account::cash);
    c.book = book[a];
    c.economic = economic[a];
    global.add(c);
    per_bloc[ag.bloc].add(c);
  }
  const double global_price = global.utilized > 0.0 ? global.revenue / (global.utilized * hours_per_quarter) : 0.0;
  emit(EntityKind::global, "world", global, global_price);
  for (std::size_t b = 0; b < markets_.size(); ++b) {
    const BlocMarket& m = markets_[b];
    if (m.spec == nullptr) continue;
    emit(EntityKind::bloc, known_blocs[b], per_bloc[b], m.price_usd_per_hour);
    sink.put(q, EntityKind::bloc, known_blocs[b], Metric::demand_h100e, m.last.demand_h100e);
    sink.put(q, EntityKind::bloc, known_blocs[b], Metric::unmet_demand_h100e, m.last.unmet_h100e);
  }
  for (const auto& r : regions_) {
    const std::string& name = r.spec->name;
    sink.put(q, EntityKind::region, name, Metric::power_available_mw, r.available_mw);
    sink.put(q, EntityKind::region, name, Metric::power_requested_mw, r.requested_mw);
    sink.put(q, EntityKind::region, name, Metric::power_delivered_mw, r.delivered_mw);
    sink.put(q, EntityKind::region, name, Metric::power_bound, r.power_bound ? 1.0 : 0.0);
  }
  for (std::size_t a = 0; a < agents_.size(); ++a) {
    emit(EntityKind::agent, agents_[a].spec->name, per_agent[a], markets_[agents_[a].bloc].price_usd_per_hour);
  }
  for (const auto& v : vendors_) {
    const std::string& name = v.spec->name;
    sink.put(q, EntityKind::vendor, name, Metric::orders_chips, v.orders_chips);
    sink.put(q, EntityKind::vendor, name, Metric::shipments_chips, v.shipped_chips);
    sink.put(q, EntityKind::vendor, name, Metric::backlog_chips, v.backlog_chips());
    sink.put(q, EntityKind::vendor, name, Metric::capacity_chips, v.capacity_chips);
    sink.put(q, EntityKind::vendor, name, Metric::revenue_usd, v.revenue_usd);
  }
}

}  // namespace aidc
