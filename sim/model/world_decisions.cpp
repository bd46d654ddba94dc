// Decisions (MODEL.md §6): each agent forecasts, sets a target, buys used chips when cheaper,
// picks the cheapest new SKU, makes sure space and power will exist, funds the purchase from cash
// then debt, and orders; then vendors produce and plan.

#include <algorithm>
#include <cmath>

#include "aidc/model/ordering.hpp"
#include "aidc/model/world.hpp"
#include "world_util.hpp"

namespace aidc {

namespace {
constexpr int max_sites_per_decision = 4;
constexpr double max_wait_quarters = 2.0;  // a longer vendor backlog makes buyers look elsewhere
}  // namespace

void World::decide() {
  // On-order compute per agent: backlog at vendors plus chips in transit; and its compute per chip
  // family, installed and on order (what its software runs on).
  for (auto& a : agents_) {
    a.on_order_h100e = 0.0;
    a.family_h100e.assign(known_chip_families.size(), 0.0);
  }
  auto add_on_order = [this](std::uint32_t buyer, std::uint32_t chip, double count) {
    const double h100e = count * supply_.chips[chip].effective_h100e;
    agents_[buyer].on_order_h100e += h100e;
    agents_[buyer].family_h100e[supply_.chips[chip].family] += h100e;
  };
  for (const auto& v : supply_.vendors) {
    for (const auto& e : v.backlog) add_on_order(e.buyer, e.chip, e.count);
  }
  std::erase_if(supply_.pending_shipments, [this](std::uint32_t s) { return supply_.shipments[s].arrived; });
  for (const std::uint32_t s : supply_.pending_shipments) add_on_order(supply_.shipments[s].buyer, supply_.shipments[s].chip, supply_.shipments[s].count);
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    if (fleet_.retired[i]) continue;
    const Chip& c = supply_.chips[fleet_.chip[i]];
    agents_[fleet_.owner[i]].family_h100e[c.family] += fleet_.count[i] * c.effective_h100e;
  }
  // Each bloc's capacity now (installed + on order) and four quarters ago, for rival pressure.
  markets_.capacity.assign(known_blocs.size(), BlocCapacity{});
  for (const auto& a : agents_) {
    BlocCapacity& b = markets_.capacity[a.bloc];
    b.now_h100e += a.installed_h100e + a.on_order_h100e;
    b.then_h100e += a.capacity_history[slot()];
    ++b.agents;
  }
  // The value of each agent's AI business (cash revenue + imputed value), by year, for its budget.
  for (auto& a : agents_) {
    if (now_.quarter_of_year() == 1 && now_ > spec_.run.start) {
      a.value_by_year[1] = a.value_by_year[0];
      a.value_by_year[0] = a.value_this_year_usd;
      a.value_this_year_usd = 0.0;
    }
    a.value_this_year_usd += a.flows.revenue_usd + a.flows.imputed_value_usd;
  }
  supply_.vendor_backlog_chips.resize(supply_.vendors.size());
  for (std::size_t v = 0; v < supply_.vendors.size(); ++v) supply_.vendor_backlog_chips[v] = supply_.vendors[v].backlog_chips();
  double ordered = 0.0;
  for (std::uint32_t a = 0; a < agents_.size(); ++a) {
    if (!agents_[a].distressed) plan_agent(a);
    ordered += agents_[a].flows.ordered_h100e;
  }
  // Capacity histories for the fear of falling behind (after planning: this quarter's slot).
  for (auto& a : agents_) a.capacity_history[slot()] = a.installed_h100e + a.on_order_h100e;
  // The quarter's free cash flow is complete only now (used chips and retrofits are paid in this
  // phase, after the books): add it to the cumulative sum here.
  for (auto& a : agents_) a.cumulative_free_cash_flow_usd += a.flows.free_cash_flow_usd();
  indicators_.order_changes.add(ordered);
  produce();
}

// What an agent's plan works out this quarter, step by step (MODEL.md §6).
struct World::Plan {
  // 1. Forecast.
  double demand_h100e = 0.0;       // its bloc's demand at the reference price
  double growth_per_year = 0.0;
  // 4. SKUs: the candidates, their prices (by chip id), their shares; the lead SKU.
  std::vector<std::uint32_t> candidates;
  std::vector<double> price;
  std::vector<double> share;
  std::uint32_t chip_id = 0;
  int lead = 1;                    // its vendor's lead time, in quarters
  double power_price_usd_per_mwh = 0.0;
  // 2. Targets.
  double pressure = 1.0;
  double market_weight = 0.0;
  // 5. Space and power.
  std::uint32_t site_region = 0;
  int site_horizon = 0;
  double target_chips_h100e = 0.0, target_sites_h100e = 0.0;
  double alive_at_lead = 0.0, alive_elsewhere_at_site_horizon = 0.0;
};

void World::plan_agent(std::uint32_t a) {
  start_construction(a);
  Plan plan;
  forecast(a, plan);
  if (!choose_skus(a, plan)) return;
  weigh_market(a, plan);
  choose_site_region(a, plan);
  plan.target_chips_h100e = target_h100e(a, plan, plan.lead);
  plan.target_sites_h100e = target_h100e(a, plan, plan.site_horizon);
  count_alive(a, plan);
  provide_space(a, plan);
  provide_power(a);
  order_chips(a, plan);
}

// 1. Forecast: adaptive expectations on the growth of its bloc's demand at the reference price.
void World::forecast(std::uint32_t a, Plan& plan) {
  Agent& agent = agents_[a];
  const BlocMarket& market = markets_.blocs[agent.bloc];
  const double demand = market.spec != nullptr ? market.curve.demand_at(market.curve.reference_price_usd_per_hour) : 0.0;
  if (agent.has_history && agent.last_demand_h100e > 0.0 && demand > 0.0) {
    const double observed = std::clamp(std::pow(demand / agent.last_demand_h100e, 4.0) - 1.0, -0.9, 5.0);
    agent.smoothed_growth_per_year = 0.5 * agent.smoothed_growth_per_year + 0.5 * observed;
  } else if (!agent.has_history) {
    agent.smoothed_growth_per_year = agent.spec->strategy.long_run_growth_per_year;
  }
  agent.last_demand_h100e = demand;
  agent.has_history = true;
  plan.demand_h100e = demand;
  plan.growth_per_year = expected_growth_per_year(agent.spec->strategy, agent.smoothed_growth_per_year);
}

// 4. The SKU with the lowest TCO per effective H100e-hour among those it may buy now (only its
// investor's, after a circular deal, when it has any). False when it may buy none.
bool World::choose_skus(std::uint32_t a, Plan& plan) {
  const Agent& agent = agents_[a];
  const AgentSpec& as = *agent.spec;
  std::vector<std::uint32_t>& candidates = plan.candidates;
  for (const std::uint32_t c : agent_chips_[a]) {
    if (supply_.chips[c].orderable(now_) && supply_.chips[c].sold_in(agent.bloc)) candidates.push_back(c);
  }
  // Vendors whose backlog is more than two quarters of their output are skipped while another
  // vendor's chip is on offer (buyers do not queue for a sold-out chip when they have a choice).
  {
    std::vector<std::uint32_t> prompt;
    for (const std::uint32_t c : candidates) {
      const Vendor& v = supply_.vendors[supply_.chips[c].vendor];
      const double capacity = v.spec->capacity_policy.lead_quarters > 0 ? v.capacity_chips
                                                                         : v.spec->capacity_chips_per_quarter.at(now_);
      if (supply_.vendor_backlog_chips[supply_.chips[c].vendor] <= max_wait_quarters * capacity) prompt.push_back(c);
    }
    if (!prompt.empty()) candidates = std::move(prompt);
  }
  if (agent.deal_vendor >= 0) {
    std::vector<std::uint32_t> own;
    for (const std::uint32_t c : candidates) {
      if (supply_.chips[c].vendor == static_cast<std::uint32_t>(agent.deal_vendor)) own.push_back(c);
    }
    if (!own.empty()) candidates = std::move(own);
  }
  plan.price.assign(supply_.chips.size(), 0.0);
  for (const std::uint32_t c : candidates) plan.price[c] = supply_.list_price(c, now_);
  plan.power_price_usd_per_mwh = power_.regions[agent.regions.front()].spec->power_price_usd_per_mwh;
  if (candidates.empty()) return false;
  // Split by a logit on the cost it sees: TCO raised by a switching cost for the families it does
  // not run yet (docs/model.md §6 step 4). The SKU with the largest share sizes sites and horizons.
  double own_total = 0.0;
  for (const double h : agent.family_h100e) own_total += h;
  std::vector<double> seen_cost(candidates.size());
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const Chip& c = supply_.chips[candidates[k]];
    const double familiarity = own_total > 0.0 ? agent.family_h100e[c.family] / own_total : 0.0;
    seen_cost[k] = perceived_cost(
        tco_usd_per_h100e_hour(c, as.new_site.pue, plan.power_price_usd_per_mwh, plan.price[candidates[k]]),
        as.strategy.switching_cost, familiarity);
  }
  plan.share = sku_shares(seen_cost, as.strategy.sku_choice_spread);
  const auto lead_sku = static_cast<std::size_t>(std::max_element(plan.share.begin(), plan.share.end()) - plan.share.begin());
  plan.chip_id = candidates[lead_sku];
  plan.lead = std::max(1, supply_.vendors[supply_.chips[plan.chip_id].vendor].spec->lead_time_quarters);
  return true;
}

// 2. How much of its share of the forecast it wants: raised by the fear of falling behind, and
// weighted by the expected return against its hurdle (sets its capex budget at a year's start).
void World::weigh_market(std::uint32_t a, Plan& plan) {
  Agent& agent = agents_[a];
  const AgentSpec& as = *agent.spec;
  const BlocMarket& market = markets_.blocs[agent.bloc];
  const Chip& chip = supply_.chips[plan.chip_id];
  const double own_now = agent.installed_h100e + agent.on_order_h100e, own_then = agent.capacity_history[slot()];
  // The bloc's totals less its own (kept up to date as agents order): O(1), not a loop over rivals.
  const BlocCapacity& bloc = markets_.capacity[agent.bloc];
  const bool has_rivals = bloc.agents > 1;
  const double rivals_now = has_rivals ? std::max(0.0, bloc.now_h100e - own_now) : 0.0;
  const double rivals_then = has_rivals ? std::max(0.0, bloc.then_h100e - own_then) : 0.0;
  const bool year_of_history = now_ - spec_.run.start >= 4;
  const bool growths_known = year_of_history && own_then > 0.0 && rivals_then > 0.0;
  const double rivals_growth = growths_known ? rivals_now / rivals_then - 1.0 : 0.0;
  const double own_growth = growths_known ? own_now / own_then - 1.0 : 0.0;
  plan.pressure = rival_pressure(as.strategy.rival_reaction, rivals_growth, own_growth);
  if (agent.has_budget()) {
    if (now_ == spec_.run.start || now_.quarter_of_year() == 1) set_capex_budget(a, rivals_growth, own_growth);
    release_capex_budget(a);
  }
  const double utilization = market.supply_h100e > 0.0 ? market.last.sold_h100e / market.supply_h100e : 1.0;
  const double running = running_cost_usd_per_h100e_hour(chip, as.new_site.pue, plan.power_price_usd_per_mwh);
  // A training-grade chip also earns the training segment's premium on the share of the
  // training-grade compute that training bought last quarter.
  const double segment_factor =
      chip.spec->training_grade
          ? training_grade_price_factor(market.price_usd_per_hour, market.training_price_usd_per_hour,
                                        market.last.training_sold_h100e, market.last.training_grade_offered_h100e)
          : 1.0;
  const double price_expected =
      segment_factor * expected_price_usd_per_hour(market.price_usd_per_hour, market.price_year_ago_usd_per_hour,
                                                   as.strategy.price_momentum);
  const double expected_return = expected_return_per_year(price_expected, running, utilization,
                                                          plan.price[plan.chip_id] / chip.effective_h100e,
                                                          chip.spec->economic_life_quarters);
  // The market part answers the expected return continuously around the hurdle, and scales with
  // Tobin's q of new capacity; state-funded builders (sovereign) build on policy: no hurdle, no q.
  const bool on_policy = as.kind == AgentKind::sovereign;
  plan.market_weight =
      market.spec == nullptr ? 0.0
      : on_policy ? 1.0
                  : hurdle_weight(expected_return, as.strategy.hurdle_return, as.strategy.hurdle_width) *
                        investment_factor(investment_q(expected_return, as.strategy.hurdle_return,
                                                       chip.spec->economic_life_quarters),
                                          as.strategy.investment_elasticity, as.strategy.max_investment_q);
}

// 2. Target at a horizon: its share of the forecast, raised by fear of falling behind, plus its
// own workloads and the contracts it must serve then. Below the hurdle return, only the last two.
double World::target_h100e(std::uint32_t a, const Plan& plan, int horizon) const {
  const AgentSpec& as = *agents_[a].spec;
  const double market_part =
      plan.market_weight > 0.0
          ? plan.market_weight *
                target_capacity_h100e(as.strategy, forecast_h100e(plan.demand_h100e, plan.growth_per_year, horizon)) *
                plan.pressure
          : 0.0;
  // Its own workloads as planned, scaled by the bloc's inference shocks in force (it expects a
  // downturn of its own workloads to last).
  const Quarter q = now_ + horizon;
  double committed = as.captive_demand_h100e.at(q) * markets_.blocs[agents_[a].bloc].inference_factor;
  for (const auto& c : spec_.contracts) {
    if (c.seller_index == a && c.start <= q && q < c.start + c.length_quarters) committed += c.compute_h100e;
  }
  return market_part + committed;
}

// 5. Where a site started now would go (the region with the most spare power) and when it would
// be online: the horizon of the sites it plans.
void World::choose_site_region(std::uint32_t a, Plan& plan) const {
  const Agent& agent = agents_[a];
  const AgentSpec& as = *agent.spec;
  std::uint32_t site_region = agent.regions.front();
  double best_spare = -1e300;
  for (const std::uint32_t r : agent.regions) {
    const double spare = power_.regions[r].datacenter_power_mw(now_) - power_.regions[r].sites_draw_mw;
    if (spare > best_spare) {
      best_spare = spare;
      site_region = r;
    }
  }
  plan.site_region = site_region;
  plan.site_horizon = std::max(as.new_site.build_quarters, power_.regions[site_region].spec->interconnection_quarters +
                                                               power_.regions[site_region].interconnection_delay_quarters) +
                      as.strategy.land_bank_quarters;
}

// Its compute still alive when the chips it orders now arrive, and that in sites too sparse for
// the lead SKU still alive when a new site would be online.
void World::count_alive(std::uint32_t a, Plan& plan) const {
  const Chip& chip = supply_.chips[plan.chip_id];
  for (const std::uint32_t i : fleet_.owned_by(a)) {
    if (fleet_.retired[i] || fleet_.listed[i]) continue;
    const Chip& c = supply_.chips[fleet_.chip[i]];
    const int age = now_ - fleet_.delivered[i];
    const double h100e = fleet_.count[i] * c.effective_h100e;
    if (age + plan.lead < c.spec->economic_life_quarters) plan.alive_at_lead += h100e;
    const bool in_sparse_site = fleet_.site[i] != no_site &&
                                power_.sites[static_cast<std::size_t>(fleet_.site[i])].rack_kw < chip.spec->rack_kw;
    if (in_sparse_site && age + plan.site_horizon < c.spec->economic_life_quarters) {
      plan.alive_elsewhere_at_site_horizon += h100e;
    }
  }
}

// 5. Space: sites dense enough for the lead SKU, for the capacity wanted when a site started now
// would be online. Retrofit an older site when that is cheaper per MW than building, then build.
void World::provide_space(std::uint32_t a, const Plan& plan) {
  Agent& agent = agents_[a];
  const AgentSpec& as = *agent.spec;
  const double rack_kw = supply_.chips[plan.chip_id].spec->rack_kw;
  auto dense_mw = [&] {
    double mw = 0.0;
    for (const std::uint32_t s : agent_sites_[a]) {
      if (std::max(power_.sites[s].rack_kw, power_.sites[s].retrofit_rack_kw) >= rack_kw) mw += power_.sites[s].capacity_mw;
    }
    return mw;
  };
  double dense_capacity_mw = dense_mw();
  const double needed_mw = std::max(0.0, plan.target_sites_h100e - plan.alive_elsewhere_at_site_horizon) *
                           supply_.chips[plan.chip_id].mw_per_h100e();
  while (needed_mw > dense_capacity_mw && as.retrofit.cost_usd_per_mw < as.new_site.build_cost_usd_per_mw) {
    const double before = dense_capacity_mw;
    if (!retrofit_site(a, rack_kw)) break;
    dense_capacity_mw = dense_mw();
    if (dense_capacity_mw <= before) break;
  }
  if (needed_mw > dense_capacity_mw && as.new_site.rack_kw >= rack_kw) {
    const bool leased = as.new_site.ownership == SiteOwnership::leased;
    const double site_cost = leased ? 0.0 : as.new_site.capacity_mw * as.new_site.build_cost_usd_per_mw;
    const int wanted = static_cast<int>(std::ceil((needed_mw - dense_capacity_mw) / as.new_site.capacity_mw));
    for (int k = 0; k < std::min(wanted, max_sites_per_decision); ++k) {
      // A site built later (timed to its grid connection) is paid for when its construction starts.
      const bool now = new_site_construction_start(a, plan.site_region) == now_ + 1;
      if (now && (!agent.within_budget(site_cost) || !fund(a, site_cost))) break;
      start_site(a, plan.site_region);
    }
  }
}

// 5. Power: bridge power for its sites that would be built before their grid connection; power
// of its own when its sites in a power-bound region are short and it has nothing coming.
void World::provide_power(std::uint32_t a) {
  const Agent& agent = agents_[a];
  if (agent.spec->strategy.bridge_power) order_bridge_power(a);
  for (const std::uint32_t r : agent.regions) {
    if (!power_.regions[r].power_bound || spec_.power_technologies.empty()) continue;
    double short_mw = 0.0;
    for (const std::uint32_t s : agent_sites_[a]) {
      if (power_.sites[s].region == r) short_mw += power_.sites[s].requested_mw - power_.sites[s].delivered_mw;
    }
    const bool pending = std::any_of(power_.projects.begin(), power_.projects.end(), [&](const PowerProject& p) {
      return p.agent == a && p.region == r && p.site < 0 && !p.online;
    });
    if (short_mw > 1.0 && !pending) buy_power(a, r, short_mw);
  }
}

// 6–7. Orders close the gap (target − compute alive at the horizon − the supply line on order)
// over the adjustment time: used chips first when they are cheaper per H100e-hour, then new
// ones split across SKUs, funded from cash above the minimum and debt within the leverage limit.
void World::order_chips(std::uint32_t a, const Plan& plan) {
  Agent& agent = agents_[a];
  const AgentSpec& as = *agent.spec;
  const std::vector<std::uint32_t>& candidates = plan.candidates;
  const double gap_h100e = plan.target_chips_h100e - plan.alive_at_lead - agent.on_order_h100e;
  double order_h100e = stock_adjustment_order_h100e(plan.target_chips_h100e, plan.alive_at_lead, agent.on_order_h100e,
                                                    as.strategy.adjustment_quarters);
  if (order_h100e <= 0.0) return;
  order_h100e -= buy_used(a, order_h100e,
                          tco_usd_per_h100e_hour(supply_.chips[plan.chip_id], as.new_site.pue, plan.power_price_usd_per_mwh,
                                                 plan.price[plan.chip_id]));
  if (order_h100e <= 0.0) return;
  double full_cost = 0.0;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    full_cost += plan.share[k] * order_h100e / supply_.chips[candidates[k]].effective_h100e * plan.price[candidates[k]];
  }
  // Within what is left of its capex budget; borrow what is missing, as far as the leverage limit
  // allows (a smaller order otherwise).
  const double cost = agent.has_budget() ? std::min(full_cost, std::max(0.0, agent.budget_left_usd)) : full_cost;
  if (agent.spendable_usd() < cost) raise_funds(a, cost - std::max(0.0, agent.spendable_usd()));
  const double scale =
      full_cost > 0.0 ? std::min({1.0, std::max(0.0, agent.spendable_usd()) / full_cost, cost / full_cost}) : 0.0;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const double count = scale * plan.share[k] * order_h100e / supply_.chips[candidates[k]].effective_h100e;
    if (count > tiny_chips) {
      place_order(a, candidates[k], count, plan.share[k], plan.target_chips_h100e, gap_h100e);
      spend_budget(a, count * plan.price[candidates[k]]);
    }
  }
}

void World::set_capex_budget(std::uint32_t a, double rivals_growth, double own_growth) {
  Agent& agent = agents_[a];
  const CapexBudgetSpec& b = agent.spec->capex_budget;
  if (now_ == spec_.run.start) {
    agent.capex_budget_usd = b.initial_usd_per_year;
  } else {
    const double value_growth =
        agent.value_by_year[1] > 0.0 ? agent.value_by_year[0] / agent.value_by_year[1] - 1.0 : 0.0;
    const double target = capex_budget_target_usd(b, agent.trailing_ebitda_usd(last_slot()), value_growth,
                                                  rivals_growth, own_growth);
    agent.capex_budget_usd = next_capex_budget_usd(b, agent.capex_budget_usd, target);
  }
  log(EntityKind::agent, agent.spec->name, "capex_budget", "its budget for the year",
      {{"budget_usd_per_year", agent.capex_budget_usd}, {"left_for_ai_usd", agent.budget_left_usd}});
}

void World::release_capex_budget(std::uint32_t a) {
  Agent& agent = agents_[a];
  const double release_usd =
      paced_budget_release_usd(agent.capex_budget_usd, agent.spec->non_ai_capex_usd_per_quarter.at(now_));
  agent.budget_left_usd = now_ == spec_.run.start
                              ? release_usd
                              : paced_budget_left_usd(agent.budget_left_usd, release_usd, agent.capex_budget_usd);
}

void World::spend_budget(std::uint32_t a, double cost_usd) {
  Agent& agent = agents_[a];
  if (agent.has_budget()) agent.budget_left_usd -= cost_usd;
}

void World::start_site(std::uint32_t a, std::uint32_t region) {
  Agent& agent = agents_[a];
  const SiteTemplateSpec& t = agent.spec->new_site;
  const std::string name = agent.spec->name + "-" + power_.regions[region].spec->name + "-" +
                           std::to_string(agent_sites_[a].size() + 1);
  // A leased site is built by a developer: no construction cost, rent once it is built.
  const bool leased = t.ownership == SiteOwnership::leased;
  const double cost = leased ? 0.0 : t.capacity_mw * t.build_cost_usd_per_mw;
  const std::uint32_t id = add_site(name, a, region, t.capacity_mw, t.pue, t.rack_kw, cost, t.life_quarters);
  Site& s = power_.sites[id];
  s.leased = leased;
  s.lease_usd_per_quarter = leased ? t.capacity_mw * t.lease_usd_per_mw_year / 4.0 : 0.0;
  s.build_quarters = t.build_quarters;
  // The grid request is filed now; construction is paid from next quarter's accounting on, or
  // later when it is timed to the grid (built `ready_before_grid` before the connection).
  s.queued = now_ + 1;
  const Quarter grant = grid_grant(region);
  s.started = new_site_construction_start(a, region);
  if (s.started == now_ + 1) {
    begin_building(id);
    schedule_interconnection(id, grant);
  } else {
    schedule_interconnection(id, grant);
    s.awaiting_construction = true;
    log(EntityKind::agent, agent.spec->name, "site_planned",
        "it needs space for the capacity it plans: queued for the grid now, built to be ready when connected",
        {{"capacity_mw", t.capacity_mw}, {"cost_usd", cost}, {"construction_in_quarters", s.started - now_ - 1},
         {"grid_connection_in_quarters", grant - now_}});
  }
}

// When a site queued now in `region` would be connected to the grid.
Quarter World::grid_grant(std::uint32_t region) const {
  return now_ + std::max(1, power_.regions[region].spec->interconnection_quarters) +
         power_.regions[region].interconnection_delay_quarters;
}

// When construction of a new site of agent `a` planned now in `region` starts (docs/model.md §5).
Quarter World::new_site_construction_start(std::uint32_t a, std::uint32_t region) const {
  const AgentSpec& as = *agents_[a].spec;
  return std::max(now_ + 1, construction_start(grid_grant(region), as.new_site.build_quarters,
                                               as.new_site.ready_before_grid_quarters, as.strategy.bridge_power));
}

// Construction of a site starts: its cost is committed (budget and funding), its spending runs
// over its build time from `started`.
bool World::begin_building(std::uint32_t id) {
  Site& s = power_.sites[id];
  Agent& agent = agents_[s.owner];
  const double cost = s.leased ? 0.0 : s.cost_usd;
  spend_budget(s.owner, cost);
  agent.committed_sites_usd += cost;
  s.awaiting_construction = false;
  sim_->schedule(s.started + std::max(0, s.build_quarters - 1), Phase::arrivals, on_site_built_, id);
  log(EntityKind::agent, agent.spec->name, "site_started",
      s.leased ? "it needs space for the capacity it plans: a developer builds it, leased" : "it needs space for the capacity it plans",
      {{"capacity_mw", s.capacity_mw}, {"cost_usd", cost}, {"build_quarters", s.build_quarters},
       {"lease_usd_per_quarter", s.lease_usd_per_quarter}});
  return true;
}

// Sites planned ahead whose construction is due start now, when it can pay (its budget, then
// cash with borrowing); otherwise a quarter later (a `construction_deferred` event).
void World::start_construction(std::uint32_t a) {
  Agent& agent = agents_[a];
  for (const std::uint32_t id : agent_sites_[a]) {
    Site& s = power_.sites[id];
    if (!s.awaiting_construction || s.started > now_ + 1) continue;
    s.started = now_ + 1;
    const double cost = s.leased ? 0.0 : s.cost_usd;
    if (agent.within_budget(cost) && fund(a, cost)) {
      begin_building(id);
    } else {
      log(EntityKind::agent, agent.spec->name, "construction_deferred", "site " + s.name + ": it cannot pay for it now",
          {{"cost_usd", cost}});
    }
  }
}

bool World::retrofit_site(std::uint32_t a, double rack_kw) {
  Agent& agent = agents_[a];
  for (const std::uint32_t id : agent_sites_[a]) {
    Site& s = power_.sites[id];
    if (!s.built || s.rack_kw >= rack_kw || s.retrofit_rack_kw > 0.0 || s.leased) continue;
    const double cost = s.capacity_mw * agent.spec->retrofit.cost_usd_per_mw;
    if (agent.spendable_usd() < cost || !agent.within_budget(cost)) return false;
    spend_budget(a, cost);
    // Paid at once and capitalized with the site; the site is down while the work lasts.
    agent.ledger.post(Account::sites, Account::cash, cost);
    s.book_value_usd += cost;
    s.cost_usd += cost;
    agent.flows.capex_sites_usd += cost;
    s.retrofit_rack_kw = std::max(rack_kw, agent.spec->new_site.rack_kw);
    s.retrofit_until = now_ + std::max(1, agent.spec->retrofit.quarters);
    sim_->schedule(s.retrofit_until, Phase::arrivals, on_retrofit_done_, id);
    log(EntityKind::agent, agent.spec->name, "retrofit", "site " + s.name + " is too sparse for the chips it buys",
        {{"cost_usd", cost}, {"rack_kw", s.retrofit_rack_kw}, {"quarters", agent.spec->retrofit.quarters}});
    return true;
  }
  return false;
}

void World::buy_power(std::uint32_t a, std::uint32_t region, double mw) {
  // The fastest technology that serves a region (bridge power serves one site, not a region).
  const PowerTechnologySpec* best = fastest_power_technology(spec_.power_technologies, false);
  if (best == nullptr) return;
  Agent& agent = agents_[a];
  const double cost = mw * best->cost_usd_per_mw;
  if (!agent.within_budget(cost) || !fund(a, cost)) return;
  spend_budget(a, cost);
  power_.projects.push_back({a, region, -1, mw, cost, 0.0, best->price_usd_per_mwh, false});
  agent.committed_sites_usd += cost;
  sim_->schedule(now_ + std::max(1, best->lead_quarters), Phase::arrivals, on_power_project_,
                 power_.projects.size() - 1);
  log(EntityKind::agent, agent.spec->name, "power_project",
      "its sites in " + power_.regions[region].spec->name + " are short of power: " + best->name,
      {{"capacity_mw", mw}, {"cost_usd", cost}, {"lead_quarters", best->lead_quarters}});
}

void World::order_bridge_power(std::uint32_t a) {
  const PowerTechnologySpec* best = fastest_power_technology(spec_.power_technologies, true);
  if (best == nullptr) return;
  Agent& agent = agents_[a];
  for (const std::uint32_t id : agent_sites_[a]) {
    Site& s = power_.sites[id];
    if (s.interconnected || s.bridge_ordered || s.leased) continue;
    // Worth it only when the grid comes after the site is built (and after the bridge could).
    const Quarter built_at = s.built ? now_ : s.started + std::max(0, s.build_quarters - 1);
    const Quarter grant = s.interconnection_due;
    if (grant <= built_at || grant <= now_ + std::max(1, best->lead_quarters)) continue;
    const double mw = s.capacity_mw * s.pue;
    const double cost = mw * best->cost_usd_per_mw;
    if (!agent.within_budget(cost) || !fund(a, cost)) return;
    spend_budget(a, cost);
    s.bridge_ordered = true;
    power_.projects.push_back({a, s.region, static_cast<std::int32_t>(id), mw, cost, 0.0, best->price_usd_per_mwh, false});
    agent.committed_sites_usd += cost;
    sim_->schedule(now_ + std::max(1, best->lead_quarters), Phase::arrivals, on_power_project_,
                   power_.projects.size() - 1);
    log(EntityKind::agent, agent.spec->name, "bridge_power_ordered",
        "site " + s.name + " would be built before its grid connection: " + best->name + " behind the meter",
        {{"capacity_mw", mw}, {"cost_usd", cost}, {"lead_quarters", best->lead_quarters},
         {"grid_connection_in_quarters", grant - now_}});
  }
}

// --- secondary market --------------------------------------------------------------------

void World::list_for_sale(std::uint32_t a, double share) {
  // Unpowered chips first, then the rest, until `share` of its compute is listed.
  double total = 0.0, listed = 0.0;
  const std::vector<std::uint32_t>& mine = fleet_.owned_by(a);  // grows as cohorts are split
  for (const std::uint32_t i : mine) {
    if (fleet_.retired[i]) continue;
    const double h100e = fleet_.count[i] * supply_.chips[fleet_.chip[i]].effective_h100e;
    total += h100e;
    if (fleet_.listed[i]) listed += h100e;
  }
  const double wanted = share * total;
  for (const bool powered : {false, true}) {
    const std::size_t n = mine.size();
    for (std::size_t k = 0; k < n && listed < wanted; ++k) {
      const std::size_t i = mine[k];
      if (fleet_.retired[i] || fleet_.listed[i] || (fleet_.powered_count[i] > 0.0) != powered) continue;
      const double per_chip = supply_.chips[fleet_.chip[i]].effective_h100e;
      const double chips_needed = (wanted - listed) / per_chip;
      std::size_t j = i;
      if (chips_needed < fleet_.count[i] - tiny_chips) j = fleet_.split(i, chips_needed);
      fleet_.set_listed(j, true);
      listed += fleet_.count[j] * per_chip;
    }
  }
  log(EntityKind::agent, agents_[a].spec->name, "fire_sale", "it needs cash", {{"listed_h100e", listed}});
}

double World::buy_used(std::uint32_t a, double gap_h100e, double new_tco_usd_per_hour) {
  Agent& buyer = agents_[a];
  const AgentSpec& as = *buyer.spec;
  const double power_price = power_.regions[buyer.regions.front()].spec->power_price_usd_per_mwh;
  double bought = 0.0;
  // A copy: buying takes cohorts off the list.
  const std::vector<std::uint32_t> on_sale = fleet_.listed_cohorts();
  for (std::size_t k = 0; k < on_sale.size() && bought < gap_h100e; ++k) {
    const std::size_t i = on_sale[k];
    if (!fleet_.listed[i] || fleet_.retired[i] || fleet_.owner[i] == a) continue;
    const std::uint32_t seller_id = fleet_.owner[i];
    Agent& seller = agents_[seller_id];
    const Chip& chip = supply_.chips[fleet_.chip[i]];
    if (seller.bloc != buyer.bloc || !chip.sold_in(buyer.bloc)) continue;
    const int life_left = chip.spec->economic_life_quarters - (now_ - fleet_.delivered[i]) - 1;
    if (life_left < 2) continue;
    const double unit_price = fleet_.economic_value_usd[i] / fleet_.count[i] * (1.0 - spec_.finance.secondary_discount);
    const double used_tco = unit_price / (life_left * hours_per_quarter) / chip.effective_h100e +
                            running_cost_usd_per_h100e_hour(chip, as.new_site.pue, power_price);
    if (used_tco >= new_tco_usd_per_hour || unit_price <= 0.0) continue;
    double affordable = std::max(0.0, buyer.spendable_usd()) / unit_price;
    if (buyer.has_budget()) affordable = std::min(affordable, std::max(0.0, buyer.budget_left_usd) / unit_price);
    const double count = std::min({fleet_.count[i], (gap_h100e - bought) / chip.effective_h100e, affordable});
    if (count <= tiny_chips) continue;
    const std::size_t j = count < fleet_.count[i] - tiny_chips ? fleet_.split(i, count) : i;
    const double proceeds = fleet_.count[j] * unit_price;
    // Seller: cash in, book value out; the difference is a loss (or gain) on the sale.
    seller.ledger.post(Account::cash, Account::equity, proceeds);
    seller.ledger.post(Account::equity, Account::chips, fleet_.book_value_usd[j]);
    seller.flows.impairment_usd += fleet_.book_value_usd[j] - proceeds;
    seller.flows.secondary_sold_h100e += fleet_.count[j] * chip.effective_h100e;
    seller.flows.asset_sales_usd += proceeds;
    if (fleet_.site[j] != no_site) {
      Site& s = power_.sites[static_cast<std::size_t>(fleet_.site[j])];
      s.used_mw = std::max(0.0, s.used_mw - fleet_.count[j] * chip.spec->power_kw / 1000.0);
    }
    // Buyer: a new cost basis, depreciated over what is left of the chip's life.
    buyer.ledger.post(Account::chips, Account::cash, proceeds);
    buyer.flows.capex_chips_usd += proceeds;
    spend_budget(a, proceeds);
    buyer.flows.secondary_bought_h100e += fleet_.count[j] * chip.effective_h100e;
    finance_.money.add(a, seller_id, proceeds);
    fleet_.transfer(j, a);
    fleet_.site[j] = no_site;
    fleet_.set_listed(j, false);
    fleet_.powered_count[j] = 0.0;
    fleet_.unit_price_usd[j] = unit_price;
    fleet_.book_value_usd[j] = fleet_.economic_value_usd[j] = proceeds;
    fleet_.book_life_quarters[j] = std::min(as.book_life_quarters, life_left);
    fleet_.economic_life_quarters[j] = life_left;
    bought += fleet_.count[j] * chip.effective_h100e;
    log(EntityKind::agent, as.name, "secondary_purchase", "used " + chip.spec->name + " from " + seller.spec->name +
        " are cheaper per H100e-hour than new",
        {{"chips", fleet_.count[j]}, {"unit_price_usd", unit_price}, {"h100e", fleet_.count[j] * chip.effective_h100e}});
  }
  return bought;
}

}  // namespace aidc
