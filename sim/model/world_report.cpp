// The record phase: every metric of the quarter (MODEL.md §10) and the invariants (§11).

#include <algorithm>
#include <array>
#include <cmath>

#include "aidc/model/contract.hpp"
#include "aidc/model/world.hpp"
#include "world_util.hpp"

namespace aidc {

namespace {

// Metrics reported for the world, each bloc and each agent (sums over agents, ratios after).
constexpr std::array agent_metrics = {
    Metric::installed_h100e,       Metric::powered_h100e,        Metric::stranded_h100e,
    Metric::utilized_h100e,        Metric::idle_h100e,           Metric::utilization,
    Metric::utilization_installed,
    Metric::on_order_h100e,        Metric::ordered_h100e,        Metric::retired_h100e,
    Metric::power_requested_mw,    Metric::power_delivered_mw,   Metric::price_usd_per_h100e_hour,
    Metric::revenue_usd,           Metric::capex_usd,            Metric::depreciation_book_usd,
    Metric::depreciation_economic_usd, Metric::impairment_usd,   Metric::power_opex_usd,
    Metric::net_income_usd,        Metric::cash_usd,             Metric::chips_book_value_usd,
    Metric::chips_economic_value_usd, Metric::captive_h100e,     Metric::contracted_h100e,
    Metric::secondary_bought_h100e, Metric::secondary_sold_h100e, Metric::other_income_usd,
    Metric::site_opex_usd,         Metric::compute_purchases_usd, Metric::interest_usd,
    Metric::tax_usd,               Metric::ebitda_usd,           Metric::free_cash_flow_usd,
    Metric::cumulative_free_cash_flow_usd, Metric::capex_to_revenue, Metric::debt_usd,
    Metric::leverage,              Metric::value_gap_usd,        Metric::distressed,
    Metric::defaulted,             Metric::imputed_value_usd,    Metric::ai_opex_usd,
    Metric::ai_operating_profit_usd, Metric::ai_economic_profit_usd, Metric::ai_invested_capital_usd,
    Metric::ai_return_on_capital,  Metric::ai_payback_years,     Metric::payouts_usd,
    Metric::contract_penalties_usd, Metric::contract_receivable_usd, Metric::contract_payable_usd,
    Metric::stranded_book_value_usd, Metric::stranded_economic_value_usd, Metric::idle_book_value_usd,
    Metric::idle_economic_value_usd, Metric::capex_non_ai_usd,  Metric::depreciation_non_ai_usd, Metric::total_assets_usd,
    Metric::cash_share_of_assets};

constexpr double max_payback_years = 99.0;  // reported when the AI business never pays back

// Values of one entity, indexed by metric, plus the trailing EBITDA behind leverage.
struct Values {
  std::array<double, metric_count> v{};
  double trailing_ebitda = 0.0;
  double& operator[](Metric m) { return v[static_cast<std::size_t>(m)]; }
  double operator[](Metric m) const { return v[static_cast<std::size_t>(m)]; }
  void add(const Values& o) {
    for (std::size_t i = 0; i < metric_count; ++i) v[i] += o.v[i];
    trailing_ebitda += o.trailing_ebitda;
  }
  // Ratios, from the sums.
  void finish(double price) {
    Values& x = *this;
    x[Metric::stranded_h100e] = std::max(0.0, x[Metric::installed_h100e] - x[Metric::powered_h100e]);
    x[Metric::idle_h100e] = std::max(0.0, x[Metric::powered_h100e] - x[Metric::utilized_h100e]);
    x[Metric::utilization] = x[Metric::powered_h100e] > 0.0 ? x[Metric::utilized_h100e] / x[Metric::powered_h100e] : 0.0;
    x[Metric::utilization_installed] =
        x[Metric::installed_h100e] > 0.0 ? x[Metric::utilized_h100e] / x[Metric::installed_h100e] : 0.0;
    x[Metric::capex_to_revenue] = x[Metric::revenue_usd] > 0.0 ? x[Metric::capex_usd] / x[Metric::revenue_usd] : 0.0;
    const double debt = x[Metric::debt_usd];
    x[Metric::leverage] = debt <= 0.0 ? 0.0 : trailing_ebitda > 0.0 ? std::min(99.0, debt / trailing_ebitda) : 99.0;
    x[Metric::value_gap_usd] = x[Metric::chips_book_value_usd] - x[Metric::chips_economic_value_usd];
    x[Metric::price_usd_per_h100e_hour] = price;
    x[Metric::cash_share_of_assets] =
        x[Metric::total_assets_usd] > 0.0 ? x[Metric::cash_usd] / x[Metric::total_assets_usd] : 0.0;
    const double capital = x[Metric::ai_invested_capital_usd];
    x[Metric::ai_return_on_capital] = capital > 0.0 ? 4.0 * x[Metric::ai_economic_profit_usd] / capital : 0.0;
    const double cash_margin_per_year =
        4.0 * (x[Metric::revenue_usd] + x[Metric::imputed_value_usd] - x[Metric::ai_opex_usd]);
    x[Metric::ai_payback_years] = capital <= 0.0                ? 0.0
                                  : cash_margin_per_year <= 0.0 ? max_payback_years
                                                                : std::min(max_payback_years, capital / cash_margin_per_year);
  }
};

// Chips' book and economic values per owner, and the shares of them stranded (the unpowered
// share of a cohort) and idle (the powered share its owner left unsold).
void add_chip_values(const Fleet& fleet, const std::vector<Agent>& agents, std::vector<Values>& per_agent) {
  for (std::size_t i = 0; i < fleet.size(); ++i) {
    Values& x = per_agent[fleet.owner[i]];
    const double book = fleet.book_value_usd[i], economic = fleet.economic_value_usd[i];
    x[Metric::chips_book_value_usd] += book;
    x[Metric::chips_economic_value_usd] += economic;
    if (fleet.retired[i] || fleet.count[i] <= 0.0) continue;
    const Agent& owner = agents[fleet.owner[i]];
    const double powered_share = std::clamp(fleet.powered_count[i] / fleet.count[i], 0.0, 1.0);
    const double unsold_share =
        owner.powered_h100e > 0.0 ? std::clamp(1.0 - owner.utilized_h100e / owner.powered_h100e, 0.0, 1.0) : 0.0;
    x[Metric::stranded_book_value_usd] += (1.0 - powered_share) * book;
    x[Metric::stranded_economic_value_usd] += (1.0 - powered_share) * economic;
    x[Metric::idle_book_value_usd] += powered_share * unsold_share * book;
    x[Metric::idle_economic_value_usd] += powered_share * unsold_share * economic;
  }
}

// What is left to receive and to pay on the contracts in force (none once a party defaulted).
void add_contract_values(const ScenarioSpec& spec, const std::vector<Agent>& agents, Quarter q,
                         std::vector<Values>& per_agent) {
  for (std::size_t k = 0; k < spec.contracts.size(); ++k) {
    const ContractSpec& c = spec.contracts[k];
    const std::uint32_t buyer = c.buyer_index, seller = c.seller_index;
    if (agents[buyer].defaulted || agents[seller].defaulted) continue;
    const double left = contract_value_left_usd(c.compute_h100e, c.price_usd_per_hour, c.start.index(),
                                                c.length_quarters, q.index());
    per_agent[seller][Metric::contract_receivable_usd] += left;
    per_agent[buyer][Metric::contract_payable_usd] += left;
  }
}

// An agent's compute, flows and balances (the sums its bloc and the world add up).
void set_agent_values(const Agent& ag, std::size_t slot, Values& x) {
  const AgentFlows& f = ag.flows;
  x[Metric::installed_h100e] = ag.installed_h100e;
  x[Metric::powered_h100e] = ag.powered_h100e;
  x[Metric::utilized_h100e] = ag.utilized_h100e;
  x[Metric::on_order_h100e] = ag.on_order_h100e;
  x[Metric::ordered_h100e] = f.ordered_h100e;
  x[Metric::retired_h100e] = f.retired_h100e;
  x[Metric::revenue_usd] = f.revenue_usd;
  x[Metric::capex_usd] = f.capex_usd();
  x[Metric::depreciation_book_usd] = f.depreciation_book_usd;
  x[Metric::depreciation_economic_usd] = f.depreciation_economic_usd;
  x[Metric::impairment_usd] = f.impairment_usd;
  x[Metric::power_opex_usd] = f.power_opex_usd;
  x[Metric::net_income_usd] = f.net_income_usd();
  x[Metric::cash_usd] = ag.ledger.balance(Account::cash);
  x[Metric::captive_h100e] = f.captive_h100e;
  x[Metric::contracted_h100e] = f.contracted_h100e;
  x[Metric::secondary_bought_h100e] = f.secondary_bought_h100e;
  x[Metric::secondary_sold_h100e] = f.secondary_sold_h100e;
  x[Metric::other_income_usd] = f.other_income_usd;
  x[Metric::site_opex_usd] = f.site_opex_usd;
  x[Metric::compute_purchases_usd] = f.compute_purchases_usd;
  x[Metric::interest_usd] = f.interest_usd;
  x[Metric::tax_usd] = f.tax_usd;
  x[Metric::ebitda_usd] = f.ebitda_usd();
  x[Metric::free_cash_flow_usd] = f.free_cash_flow_usd();
  x[Metric::cumulative_free_cash_flow_usd] = ag.cumulative_free_cash_flow_usd;
  x[Metric::debt_usd] = ag.ledger.debt_usd();
  x[Metric::distressed] = ag.distressed ? 1.0 : 0.0;
  x[Metric::defaulted] = ag.defaulted ? 1.0 : 0.0;
  x[Metric::imputed_value_usd] = f.imputed_value_usd;
  x[Metric::ai_opex_usd] = f.ai_opex_usd();
  x[Metric::ai_operating_profit_usd] = f.ai_operating_profit_usd();
  x[Metric::ai_economic_profit_usd] = f.ai_economic_profit_usd();
  x[Metric::ai_invested_capital_usd] += x[Metric::chips_book_value_usd];
  x[Metric::payouts_usd] = f.payouts_usd;
  x[Metric::contract_penalties_usd] = f.contract_penalties_usd;
  x[Metric::capex_non_ai_usd] = f.capex_non_ai_usd;
  x[Metric::depreciation_non_ai_usd] = f.depreciation_non_ai_usd;
  for (const Account acc : {Account::cash, Account::chips, Account::sites, Account::power, Account::investments,
                            Account::non_ai, Account::deposits}) {
    x[Metric::total_assets_usd] += ag.ledger.balance(acc);
  }
  x.trailing_ebitda = ag.trailing_ebitda_usd(slot);
}

// The world's price: the blocs' prices weighted by the compute they sold.
double world_price_usd_per_hour(const std::vector<BlocMarket>& markets) {
  double sold = 0.0, sold_value = 0.0;
  for (const auto& m : markets) {
    if (m.spec == nullptr) continue;
    sold += m.last.sold_h100e;
    // Training cleared apart paid its own price for what it bought.
    sold_value += m.last.training_short ? (m.last.sold_h100e - m.last.training_sold_h100e) * m.price_usd_per_hour +
                                              m.last.training_sold_h100e * m.training_price_usd_per_hour
                                        : m.last.sold_h100e * m.price_usd_per_hour;
  }
  return sold > 0.0 ? sold_value / sold : 0.0;
}

}  // namespace

void World::report(MetricSink& sink) const {
  const Quarter q = now_;
  std::vector<Values> per_agent(agents_.size());
  add_chip_values(fleet_, agents_, per_agent);
  for (const auto& s : power_.sites) {
    per_agent[s.owner][Metric::power_requested_mw] += s.requested_mw;
    per_agent[s.owner][Metric::power_delivered_mw] += s.delivered_mw;
    per_agent[s.owner][Metric::ai_invested_capital_usd] += s.book_value_usd;
  }
  for (const auto& p : power_.projects) per_agent[p.agent][Metric::ai_invested_capital_usd] += p.book_value_usd;
  add_contract_values(spec_, agents_, q, per_agent);
  Values global;
  std::vector<Values> per_bloc(known_blocs.size());
  for (std::size_t a = 0; a < agents_.size(); ++a) {
    set_agent_values(agents_[a], slot(), per_agent[a]);
    global.add(per_agent[a]);
    per_bloc[agents_[a].bloc].add(per_agent[a]);
  }
  auto emit = [&](EntityKind kind, std::string_view name, Values& x, double price) {
    x.finish(price);
    for (const Metric m : agent_metrics) sink.put(q, kind, name, m, x[m]);
  };
  // Circular deals: the share of each vendor's cumulative revenue paid for by its own investments.
  std::vector<double> round_trip_share(supply_.vendors.size(), 0.0);
  double round_tripped = 0.0, vendor_revenue = 0.0;
  for (std::uint32_t v = 0; v < supply_.vendors.size(); ++v) {
    const double received = finance_.money.received_usd(vendor_node(v));
    const double back = finance_.any_investment ? finance_.money.round_tripped_usd(vendor_node(v)) : 0.0;
    round_trip_share[v] = received > 0.0 ? back / received : 0.0;
    round_tripped += back;
    vendor_revenue += received;
  }
  emit(EntityKind::global, "world", global, world_price_usd_per_hour(markets_.blocs));
  sink.put(q, EntityKind::global, "world", Metric::round_tripped_share,
           vendor_revenue > 0.0 ? round_tripped / vendor_revenue : 0.0);
  sink.put(q, EntityKind::global, "world", Metric::bullwhip_ratio, indicators_.bullwhip_ratio());
  double vendor_inventory_usd = 0.0;
  for (const Vendor& v : supply_.vendors) vendor_inventory_usd += supply_.inventory_at_cost_usd(v);
  sink.put(q, EntityKind::global, "world", Metric::inventory_usd, vendor_inventory_usd);
  sink.put(q, EntityKind::global, "world", Metric::scissors_gap, indicators_.scissors.gap());
  for (std::size_t b = 0; b < markets_.blocs.size(); ++b) {
    const BlocMarket& m = markets_.blocs[b];
    if (m.spec == nullptr) continue;
    emit(EntityKind::bloc, known_blocs[b], per_bloc[b], m.price_usd_per_hour);
    sink.put(q, EntityKind::bloc, known_blocs[b], Metric::demand_h100e, m.last.demand_h100e);
    sink.put(q, EntityKind::bloc, known_blocs[b], Metric::demand_inference_h100e, m.last.demand_inference_h100e);
    sink.put(q, EntityKind::bloc, known_blocs[b], Metric::demand_training_h100e, m.last.demand_training_h100e);
    sink.put(q, EntityKind::bloc, known_blocs[b], Metric::unmet_demand_h100e, m.last.unmet_h100e);
    sink.put(q, EntityKind::bloc, known_blocs[b], Metric::training_price_usd_per_h100e_hour, m.training_price_usd_per_hour);
    sink.put(q, EntityKind::bloc, known_blocs[b], Metric::training_sold_h100e, m.last.training_sold_h100e);
    sink.put(q, EntityKind::bloc, known_blocs[b], Metric::unmet_training_h100e, m.last.unmet_training_h100e);
    sink.put(q, EntityKind::bloc, known_blocs[b], Metric::training_grade_idle_h100e, m.last.training_grade_idle_h100e);
    sink.put(q, EntityKind::bloc, known_blocs[b], Metric::ecosystem_idle_h100e, m.last.ecosystem_idle_h100e);
  }
  report_regions(sink);
  for (std::size_t a = 0; a < agents_.size(); ++a) {
    emit(EntityKind::agent, agents_[a].spec->name, per_agent[a], markets_.blocs[agents_[a].bloc].price_usd_per_hour);
  }
  for (std::uint32_t v = 0; v < supply_.vendors.size(); ++v) report_vendor(sink, v, round_trip_share[v]);
}

void World::report_regions(MetricSink& sink) const {
  for (const auto& r : power_.regions) {
    const std::string& name = r.spec->name;
    sink.put(now_, EntityKind::region, name, Metric::power_available_mw, r.available_mw);
    sink.put(now_, EntityKind::region, name, Metric::power_requested_mw, r.requested_mw);
    sink.put(now_, EntityKind::region, name, Metric::power_delivered_mw, r.delivered_mw);
    sink.put(now_, EntityKind::region, name, Metric::power_imported_mw, r.imported_mw);
    sink.put(now_, EntityKind::region, name, Metric::power_bound, r.power_bound ? 1.0 : 0.0);
  }
}

void World::report_vendor(MetricSink& sink, std::uint32_t vi, double round_trip_share) const {
  const Quarter q = now_;
  const Vendor& v = supply_.vendors[vi];
  const std::string& name = v.spec->name;
  double inventory = 0.0, price_sum = 0.0;
  int on_sale = 0;
  for (const std::uint32_t c : v.chips) {
    inventory += supply_.skus[c].inventory_chips;
    if (supply_.chips[c].orderable(q)) {
      price_sum += supply_.list_price(c, now_);
      ++on_sale;
    }
  }
  sink.put(q, EntityKind::vendor, name, Metric::orders_chips, v.orders_chips);
  sink.put(q, EntityKind::vendor, name, Metric::shipments_chips, v.shipped_chips);
  sink.put(q, EntityKind::vendor, name, Metric::backlog_chips, v.backlog_chips());
  sink.put(q, EntityKind::vendor, name, Metric::capacity_chips, v.capacity_chips);
  sink.put(q, EntityKind::vendor, name, Metric::inventory_chips, inventory);
  const double inventory_usd = supply_.inventory_at_cost_usd(v);
  sink.put(q, EntityKind::vendor, name, Metric::inventory_usd, inventory_usd);
  sink.put(q, EntityKind::vendor, name, Metric::inventory_days, inventory_days(inventory_usd, v.cost_of_sales_year_usd()));
  sink.put(q, EntityKind::vendor, name, Metric::write_down_usd, v.write_down_usd);
  sink.put(q, EntityKind::vendor, name, Metric::cancelled_chips, v.cancelled_chips);
  sink.put(q, EntityKind::vendor, name, Metric::list_price_usd, on_sale > 0 ? price_sum / on_sale : 0.0);
  sink.put(q, EntityKind::vendor, name, Metric::revenue_usd, v.revenue_usd);
  sink.put(q, EntityKind::vendor, name, Metric::cash_usd, v.cash_usd);
  sink.put(q, EntityKind::vendor, name, Metric::gross_margin,
           v.revenue_usd > 0.0 ? (v.revenue_usd - v.cost_of_sales_usd) / v.revenue_usd : 0.0);
  sink.put(q, EntityKind::vendor, name, Metric::round_tripped_share, round_trip_share);
  sink.put(q, EntityKind::vendor, name, Metric::bullwhip_ratio, indicators_.vendor_bullwhip_ratio(vi));
}

// --- invariants --------------------------------------------------------------------------

namespace {

// Passes every value on to `next` (if any) after checking it is finite: a NaN or infinity stops
// the run naming the quarter, entity and metric, and the values it was computed from.
class FiniteCheck final : public MetricSink {
 public:
  FiniteCheck(const World& world, MetricSink* next) noexcept : world_(world), next_(next) {}
  void put(Quarter q, EntityKind kind, std::string_view entity, Metric metric, double value) override {
    if (!std::isfinite(value)) {
      throw InvariantViolation(q, std::string(entity_kind_names[static_cast<std::size_t>(kind)]) + " " + std::string(entity),
                               std::string(metric_name(metric)),
                               "value is " + fmt_num(value) + "; computed from " + world_.state_of(kind, entity));
    }
    if (next_ != nullptr) next_->put(q, kind, entity, metric, value);
  }

 private:
  const World& world_;
  MetricSink* next_;
};

// "name value, name value, …" with non-finite values first, so the culprit leads.
class StateText {
 public:
  StateText& add(std::string_view name, double value) {
    (std::isfinite(value) ? finite_ : non_finite_).push_back(std::string(name) + " " + fmt_num(value));
    return *this;
  }
  [[nodiscard]] std::string str() const {
    std::string out;
    for (const auto* part : {&non_finite_, &finite_}) {
      for (const auto& item : *part) out += (out.empty() ? "" : ", ") + item;
    }
    return out;
  }

 private:
  std::vector<std::string> non_finite_, finite_;
};

}  // namespace

void World::check_invariants() const {
  check_conservation();
  // No NaN or infinity anywhere in what is reported.
  FiniteCheck finite(*this, nullptr);
  report(finite);
}

void World::record() {
  check_conservation();
  FiniteCheck checked(*this, metric_sink_);
  report(checked);
}

std::string World::state_of(EntityKind kind, std::string_view entity) const {
  StateText t;
  switch (kind) {
    case EntityKind::agent:
      for (std::size_t a = 0; a < agents_.size(); ++a) {
        const Agent& ag = agents_[a];
        if (ag.spec->name != entity) continue;
        const AgentFlows& f = ag.flows;
        t.add("installed_h100e", ag.installed_h100e).add("powered_h100e", ag.powered_h100e)
            .add("utilized_h100e", ag.utilized_h100e).add("on_order_h100e", ag.on_order_h100e)
            .add("cash_usd", ag.ledger.balance(Account::cash)).add("debt_usd", ag.ledger.debt_usd())
            .add("committed_chips_usd", ag.committed_chips_usd).add("committed_sites_usd", ag.committed_sites_usd)
            .add("revenue_usd", f.revenue_usd).add("other_income_usd", f.other_income_usd)
            .add("power_opex_usd", f.power_opex_usd).add("site_opex_usd", f.site_opex_usd)
            .add("compute_purchases_usd", f.compute_purchases_usd)
            .add("contract_penalties_usd", f.contract_penalties_usd).add("interest_usd", f.interest_usd)
            .add("tax_usd", f.tax_usd).add("capex_chips_usd", f.capex_chips_usd).add("capex_sites_usd", f.capex_sites_usd)
            .add("capex_power_usd", f.capex_power_usd).add("equity_raised_usd", f.equity_raised_usd)
            .add("borrowed_usd", f.borrowed_usd).add("repaid_usd", f.repaid_usd).add("payouts_usd", f.payouts_usd)
            .add("depreciation_book_usd", f.depreciation_book_usd).add("impairment_usd", f.impairment_usd)
            .add("market_price_usd_per_h100e_hour", markets_.blocs[ag.bloc].price_usd_per_hour);
        // The first of its cohorts holding a non-finite value, if any.
        for (const std::uint32_t i : fleet_.owned_by(static_cast<std::uint32_t>(a))) {
          const double values[] = {fleet_.count[i], fleet_.powered_count[i], fleet_.unit_price_usd[i],
                                   fleet_.book_value_usd[i], fleet_.economic_value_usd[i]};
          if (std::all_of(std::begin(values), std::end(values), [](double v) { return std::isfinite(v); })) continue;
          t.add("cohort_" + std::to_string(i) + "_chips", values[0]).add("cohort_" + std::to_string(i) + "_powered_chips", values[1])
              .add("cohort_" + std::to_string(i) + "_unit_price_usd", values[2])
              .add("cohort_" + std::to_string(i) + "_book_value_usd", values[3])
              .add("cohort_" + std::to_string(i) + "_economic_value_usd", values[4]);
          break;
        }
      }
      break;
    case EntityKind::bloc:
      for (std::size_t b = 0; b < markets_.blocs.size(); ++b) {
        if (known_blocs[b] != entity) continue;
        const BlocMarket& m = markets_.blocs[b];
        t.add("trend_h100e", m.trend_h100e).add("base_demand_h100e", m.base_demand_h100e).add("efficiency", m.efficiency)
            .add("inference_factor", m.inference_factor).add("training_factor", m.training_factor)
            .add("revenue_last_usd", m.revenue_last_usd).add("supply_h100e", m.supply_h100e)
            .add("floor_usd_per_h100e_hour", m.floor_usd_per_hour).add("price_usd_per_h100e_hour", m.price_usd_per_hour)
            .add("clearing_price_usd_per_h100e_hour", m.last.clearing_price_usd_per_hour)
            .add("demand_h100e", m.last.demand_h100e).add("sold_h100e", m.last.sold_h100e)
            .add("unmet_h100e", m.last.unmet_h100e);
      }
      break;
    case EntityKind::region:
      for (const Region& r : power_.regions) {
        if (r.spec->name != entity) continue;
        t.add("available_mw", r.available_mw).add("requested_mw", r.requested_mw).add("delivered_mw", r.delivered_mw)
            .add("imported_mw", r.imported_mw).add("added_mw", r.added_mw).add("sites_draw_mw", r.sites_draw_mw);
      }
      break;
    case EntityKind::vendor:
      for (const Vendor& v : supply_.vendors) {
        if (v.spec->name != entity) continue;
        t.add("capacity_chips", v.capacity_chips).add("orders_chips", v.orders_chips).add("shipped_chips", v.shipped_chips)
            .add("backlog_chips", v.backlog_chips()).add("revenue_usd", v.revenue_usd)
            .add("cost_of_sales_usd", v.cost_of_sales_usd).add("price_factor", v.price_factor);
        for (const std::uint32_t c : v.chips) {
          t.add(supply_.chips[c].spec->name + "_inventory_chips", supply_.skus[c].inventory_chips)
              .add(supply_.chips[c].spec->name + "_list_price_usd", supply_.list_price(c, now_));
        }
      }
      break;
    default:
      t.add("initial_chips", supply_.initial_chips).add("produced_chips", supply_.produced_chips).add("retired_chips", supply_.retired_chips)
          .add("in_transit_chips", supply_.in_transit_chips()).add("vendor_inventory_chips", supply_.vendor_inventory_chips())
          .add("base_rate", base_rate());
      break;
  }
  const std::string text = t.str();
  return text.empty() ? std::string("(no state recorded)") : text;
}

void World::check_conservation() const {
  check_chip_count();
  check_power();
  check_books();
}

void World::check_chip_count() const {
  // Chips: initial + produced = vendor inventory + in transit + in service + retired (second-hand
  // sales move chips between owners and stay in service).
  double in_service = 0.0;
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    if (!fleet_.retired[i]) in_service += fleet_.count[i];
  }
  const double lhs = supply_.initial_chips + supply_.produced_chips;
  const double inventory = supply_.vendor_inventory_chips(), transit = supply_.in_transit_chips();
  const double rhs = inventory + transit + in_service + supply_.retired_chips;
  if (!close(lhs, rhs, lhs)) {
    throw InvariantViolation(now_, "world", "chips",
                             "initial " + fmt_num(supply_.initial_chips) + " + produced " + fmt_num(supply_.produced_chips) + " = " +
                                 fmt_num(lhs) + " but vendor inventory " + fmt_num(inventory) + " + in transit " +
                                 fmt_num(transit) + " + in service " + fmt_num(in_service) + " + retired " +
                                 fmt_num(supply_.retired_chips) + " = " + fmt_num(rhs));
  }
  for (std::size_t c = 0; c < supply_.skus.size(); ++c) {
    if (supply_.skus[c].inventory_chips < -1e-9) {
      throw InvariantViolation(now_, supply_.chips[c].spec->name, "inventory_chips", fmt_num(supply_.skus[c].inventory_chips) + " < 0");
    }
  }
}

void World::check_power() const {
  // Power: on every node, delivered within what was asked and what its headroom and imports
  // allow; on every link, within capacity; powered chips draw no more than their site receives.
  for (const auto& r : power_.regions) {
    const double tol = 1e-9 * std::max(1.0, r.available_mw + std::abs(r.imported_mw)) + 1e-6;
    if (r.delivered_mw > r.requested_mw + tol || r.delivered_mw - r.imported_mw > r.available_mw + tol) {
      throw InvariantViolation(now_, r.spec->name, "power_delivered_mw",
                               "delivered " + fmt_num(r.delivered_mw) + ", requested " + fmt_num(r.requested_mw) +
                                   ", available " + fmt_num(r.available_mw) + ", imported " + fmt_num(r.imported_mw));
    }
  }
  // (solve() was called in this quarter's power phase, so its last flow is this quarter's)
  for (std::size_t l = 0; l < spec_.links.size(); ++l) {
    const double flow = l < power_.grid.links().size() ? std::abs(power_.grid_flow_mw(l)) : 0.0;
    if (flow > spec_.links[l].capacity_mw * (1 + 1e-9) + 1e-6) {
      throw InvariantViolation(now_, spec_.links[l].name, "link_flow_mw",
                               fmt_num(flow) + " exceeds capacity " + fmt_num(spec_.links[l].capacity_mw));
    }
  }
  std::vector<double> drawn_mw(power_.sites.size(), 0.0);
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    if (fleet_.retired[i] || fleet_.site[i] == no_site) continue;
    const auto s = static_cast<std::size_t>(fleet_.site[i]);
    drawn_mw[s] += fleet_.powered_count[i] * supply_.chips[fleet_.chip[i]].spec->power_kw / 1000.0 * power_.sites[s].pue;
  }
  for (std::size_t s = 0; s < power_.sites.size(); ++s) {
    const Site& site = power_.sites[s];
    if (site.delivered_mw > site.requested_mw * (1 + 1e-12) + 1e-9 || drawn_mw[s] > site.delivered_mw * (1 + 1e-9) + 1e-9) {
      throw InvariantViolation(now_, site.name, "power_delivered_mw",
                               "requested " + fmt_num(site.requested_mw) + ", delivered " + fmt_num(site.delivered_mw) +
                                   ", drawn by powered chips " + fmt_num(drawn_mw[s]));
    }
  }
}

void World::check_books() const {
  // Money: every ledger balances, agrees with the assets and loans it accounts for, and its cash
  // moved by exactly the quarter's cash flows.
  std::vector<double> chips_book(agents_.size(), 0.0), sites_book(agents_.size(), 0.0), power_book(agents_.size(), 0.0);
  for (std::size_t i = 0; i < fleet_.size(); ++i) chips_book[fleet_.owner[i]] += fleet_.book_value_usd[i];
  for (const auto& s : power_.sites) sites_book[s.owner] += s.book_value_usd;
  for (const auto& p : power_.projects) power_book[p.agent] += p.book_value_usd;
  std::vector<double> deposits(agents_.size(), 0.0);  // paid for chips not delivered yet
  for (const auto& v : supply_.vendors) {
    for (const auto& e : v.backlog) deposits[e.buyer] += e.deposit_usd;
  }
  for (const auto& s : supply_.shipments) {
    if (!s.arrived) deposits[s.buyer] += s.prepaid_usd;
  }
  for (std::size_t a = 0; a < agents_.size(); ++a) {
    const Agent& ag = agents_[a];
    const Ledger& l = ag.ledger;
    const std::string& name = ag.spec->name;
    auto expect = [&](double ledger, double detail, const char* what, const char* other) {
      if (!close(ledger, detail, l.scale())) {
        throw InvariantViolation(now_, name, what,
                                 "ledger " + fmt_num(ledger) + " vs " + other + " " + fmt_num(detail) +
                                     "; computed from " + state_of(EntityKind::agent, name));
      }
    };
    if (!close(l.imbalance(), 0.0, l.scale())) {
      throw InvariantViolation(now_, name, "ledger",
                               "balances sum to " + fmt_num(l.imbalance()) + ", not 0; computed from " +
                                   state_of(EntityKind::agent, name));
    }
    expect(l.balance(Account::chips), chips_book[a], "chips_book_value_usd", "fleet");
    expect(l.balance(Account::sites), sites_book[a], "sites_book_value_usd", "sites");
    expect(l.balance(Account::power), power_book[a], "power_book_value_usd", "power projects");
    expect(l.balance(Account::non_ai), ag.non_ai_assets_usd, "non_ai_assets_usd", "non-AI assets");
    expect(l.balance(Account::deposits), deposits[a], "deposits_usd", "orders and shipments");
    double owed = 0.0;
    for (const auto& loan : ag.loans) owed += loan.principal_usd;
    expect(l.debt_usd(), owed, "debt_usd", "loans");
    expect(l.balance(Account::cash) - ag.cash_at_start_usd, ag.flows.net_cash_flow_usd(), "cash_change_usd",
           "sum of cash flows");
    // Compute: utilized ≤ powered ≤ installed.
    if (ag.utilized_h100e > ag.powered_h100e * (1 + 1e-12) + 1e-9 || ag.powered_h100e > ag.installed_h100e * (1 + 1e-12) + 1e-9) {
      throw InvariantViolation(now_, name, "utilized_h100e",
                               "utilized " + fmt_num(ag.utilized_h100e) + ", powered " + fmt_num(ag.powered_h100e) +
                                   ", installed " + fmt_num(ag.installed_h100e));
    }
  }
}

}  // namespace aidc
