#include "run_checks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "aidc/model/metric.hpp"
#include "aidc/model/world.hpp"

namespace aidc::test {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t max_problems = 40;

using Row = std::array<double, metric_count>;

//! One quarter's values: (kind, entity name) → a row by metric, NaN where nothing was recorded.
using QuarterTable = std::map<std::pair<EntityKind, std::string>, Row>;

double get(const Row& row, Metric m) { return row[static_cast<std::size_t>(m)]; }

//! Tolerance of a comparison between quantities of magnitude `scale`.
double tol(double scale) { return 1e-9 * std::max(1.0, std::abs(scale)) + 1e-6; }

class Checker {
 public:
  Checker(const ScenarioSpec& spec, const RunResult& run) : spec_(spec), run_(run) {}

  std::vector<std::string> check() {
    tabulate();
    const int horizon = spec_.run.end - spec_.run.start + 1;
    if (static_cast<int>(quarters_.size()) != horizon) {
      fail(spec_.run.start, "run", "recorded " + std::to_string(quarters_.size()) + " quarters of a " +
                                       std::to_string(horizon) + "-quarter horizon");
    }
    std::map<std::string, double> last_cumulative_fcf;
    for (const auto& [q, table] : quarters_) {
      check_quarter(q, table);
      for (const auto& [key, row] : table) {
        if (key.first != EntityKind::agent && key.first != EntityKind::global && key.first != EntityKind::bloc) continue;
        // Cumulative free cash flow adds up the quarters' free cash flows.
        const std::string id = std::string(entity_kind_names[static_cast<std::size_t>(key.first)]) + " " + key.second;
        const double fcf = get(row, Metric::free_cash_flow_usd), cum = get(row, Metric::cumulative_free_cash_flow_usd);
        const double before = last_cumulative_fcf.count(id) ? last_cumulative_fcf[id] : 0.0;
        expect_equal(q, id, "cumulative_free_cash_flow_usd", cum, before + fcf, std::abs(before) + std::abs(fcf));
        last_cumulative_fcf[id] = cum;
      }
    }
    return std::move(problems_);
  }

 private:
  void tabulate() {
    const auto& names = run_.recorder.entity_names();
    for (const Sample& s : run_.recorder.samples()) {
      const Quarter q = Quarter::from_index(s.quarter);
      const auto [it, inserted] = quarters_[q].try_emplace({s.kind, names[s.entity]});
      if (inserted) it->second.fill(nan);
      it->second[static_cast<std::size_t>(s.metric)] = s.value;
      if (!std::isfinite(s.value)) {
        fail(q, std::string(entity_kind_names[static_cast<std::size_t>(s.kind)]) + " " + names[s.entity],
             std::string(metric_name(s.metric)) + " is " + fmt(s.value));
      }
    }
  }

  void fail(Quarter q, const std::string& who, const std::string& what) {
    if (problems_.size() < max_problems) problems_.push_back(q.str() + " " + who + ": " + what);
  }

  static std::string fmt(double v) {
    std::ostringstream os;
    os.precision(17);
    os << v;
    return os.str();
  }

  void expect(bool ok, Quarter q, const std::string& who, const std::string& what) {
    if (!ok) fail(q, who, what);
  }

  void expect_equal(Quarter q, const std::string& who, const char* what, double got, double want, double scale) {
    if (!(std::abs(got - want) <= tol(scale))) fail(q, who, std::string(what) + " is " + fmt(got) + ", expected " + fmt(want));
  }

  void expect_at_least(Quarter q, const std::string& who, const char* what, double v, double lo, double scale = 0.0) {
    if (!(v >= lo - tol(std::max(scale, std::abs(lo))))) fail(q, who, std::string(what) + " is " + fmt(v) + ", below " + fmt(lo));
  }

  void expect_at_most(Quarter q, const std::string& who, const char* what, double v, double hi, double scale = 0.0) {
    if (!(v <= hi + tol(std::max(scale, std::abs(hi))))) fail(q, who, std::string(what) + " is " + fmt(v) + ", above " + fmt(hi));
  }

  void expect_in(Quarter q, const std::string& who, const char* what, double v, double lo, double hi) {
    expect_at_least(q, who, what, v, lo);
    expect_at_most(q, who, what, v, hi);
  }

  //! The largest amount of money `who` has reported so far (this quarter included): sums of
  //! money keep the rounding of the largest amounts they ever held, so a balance of $1e10 paid
  //! down to zero may end as −$0.00003.
  double money_scale(const std::string& who, const Row& x) {
    double& peak = money_peak_[who];
    for (const Metric m : money_metrics) peak = std::max(peak, std::abs(get(x, m)));
    return peak;
  }

  // Checks of the world, a bloc or an agent (the same metrics, MODEL.md §7, §8, §11).
  void check_fleet_owner(Quarter q, const std::string& who, const Row& x, double max_count) {
    using M = Metric;
    const double money = money_scale(who, x);
    const double installed = get(x, M::installed_h100e), powered = get(x, M::powered_h100e);
    const double utilized = get(x, M::utilized_h100e);
    expect_at_least(q, who, "utilized_h100e", utilized, 0.0);
    expect_at_most(q, who, "utilized_h100e", utilized, powered);
    expect_at_most(q, who, "powered_h100e", powered, installed);
    expect_equal(q, who, "stranded_h100e", get(x, M::stranded_h100e), std::max(0.0, installed - powered), installed);
    expect_equal(q, who, "idle_h100e", get(x, M::idle_h100e), std::max(0.0, powered - utilized), powered);
    expect_in(q, who, "utilization", get(x, M::utilization), 0.0, 1.0);
    expect_at_most(q, who, "captive + contracted", get(x, M::captive_h100e) + get(x, M::contracted_h100e), utilized);
    for (const M m : {M::installed_h100e, M::powered_h100e, M::stranded_h100e, M::idle_h100e, M::on_order_h100e,
                      M::ordered_h100e, M::retired_h100e, M::power_requested_mw, M::power_delivered_mw,
                      M::price_usd_per_h100e_hour, M::revenue_usd, M::capex_usd, M::depreciation_book_usd,
                      M::depreciation_economic_usd, M::power_opex_usd, M::site_opex_usd, M::compute_purchases_usd,
                      M::chips_book_value_usd, M::chips_economic_value_usd, M::captive_h100e,
                      M::contracted_h100e, M::secondary_bought_h100e, M::secondary_sold_h100e, M::debt_usd,
                      M::capex_to_revenue, M::imputed_value_usd, M::ai_invested_capital_usd, M::payouts_usd,
                      M::contract_receivable_usd, M::contract_payable_usd, M::stranded_book_value_usd,
                      M::stranded_economic_value_usd, M::idle_book_value_usd, M::idle_economic_value_usd,
                      M::capex_non_ai_usd}) {
      const bool is_money = std::find(money_metrics.begin(), money_metrics.end(), m) != money_metrics.end();
      expect_at_least(q, who, metric_name(m).data(), get(x, m), 0.0, is_money ? money : 0.0);
    }
    expect_at_most(q, who, "power_delivered_mw", get(x, M::power_delivered_mw), get(x, M::power_requested_mw));
    expect_in(q, who, "leverage", get(x, M::leverage), 0.0, 99.0);
    expect_in(q, who, "distressed", get(x, M::distressed), 0.0, max_count);
    expect_in(q, who, "defaulted", get(x, M::defaulted), 0.0, max_count);
    // The accounting identities of docs/model.md §8.
    const double revenue = get(x, M::revenue_usd), other = get(x, M::other_income_usd), power = get(x, M::power_opex_usd),
                 site = get(x, M::site_opex_usd), bought = get(x, M::compute_purchases_usd),
                 penalties = get(x, M::contract_penalties_usd);
    const double ai_opex = power + site + bought + penalties;
    const double scale = std::abs(revenue) + std::abs(other) + std::abs(power) + std::abs(site) + std::abs(bought) +
                         std::abs(penalties);
    expect_equal(q, who, "ai_opex_usd", get(x, M::ai_opex_usd), ai_opex, scale);
    const double ebitda = get(x, M::ebitda_usd);
    expect_equal(q, who, "ebitda_usd", ebitda, revenue + other - ai_opex, scale);
    const double dep = get(x, M::depreciation_book_usd), imp = get(x, M::impairment_usd),
                 interest = get(x, M::interest_usd), tax = get(x, M::tax_usd);
    expect_equal(q, who, "ai_operating_profit_usd", get(x, M::ai_operating_profit_usd), revenue - ai_opex - dep - imp,
                 scale + std::abs(dep) + std::abs(imp));
    // Tax is paid once, on the AI business: for one agent, a credit never exceeds the tax its
    // non-AI business paid (other income is after tax).
    if (max_count == 1.0) {
      const double rate = spec_.finance.tax_rate;
      const double credit_limit = rate / std::max(1e-9, 1.0 - rate) * std::max(0.0, other);
      expect_at_least(q, who, "tax_usd", tax, -credit_limit, money);
    }
    // Free cash flow never exceeds what was earned (revenue + other income, and interest received
    // when the base rate is negative).
    expect_at_most(q, who, "free_cash_flow_usd", get(x, M::free_cash_flow_usd),
                   revenue + other + std::max(0.0, -tax) + std::max(0.0, -penalties) + std::max(0.0, -interest), money);
    const double dep_non_ai = get(x, M::depreciation_non_ai_usd);
    expect_equal(q, who, "net_income_usd", get(x, M::net_income_usd), ebitda - dep - dep_non_ai - imp - interest - tax,
                 std::abs(ebitda) + std::abs(dep) + std::abs(dep_non_ai) + std::abs(imp) + std::abs(interest) +
                     std::abs(tax));
    const double book = get(x, M::chips_book_value_usd), economic = get(x, M::chips_economic_value_usd);
    expect_equal(q, who, "value_gap_usd", get(x, M::value_gap_usd), book - economic, std::abs(book) + std::abs(economic));
  }

  void check_quarter(Quarter q, const QuarterTable& table) {
    using M = Metric;
    auto row_of = [&](EntityKind kind, const std::string& name) -> const Row* {
      const auto it = table.find({kind, name});
      if (it == table.end()) fail(q, std::string(entity_kind_names[static_cast<std::size_t>(kind)]) + " " + name, "not recorded");
      return it == table.end() ? nullptr : &it->second;
    };
    const auto agent_count = static_cast<double>(spec_.agents.size());
    // World, blocs, agents; the world and each bloc sum their agents.
    const Row* world = row_of(EntityKind::global, "world");
    if (world != nullptr) {
      check_fleet_owner(q, "world", *world, agent_count);
      expect_in(q, "world", "round_tripped_share", get(*world, M::round_tripped_share), 0.0, 1.0);
      expect_at_least(q, "world", "bullwhip_ratio", get(*world, M::bullwhip_ratio), 0.0);
    }
    std::map<std::string, Row> bloc_sums;
    Row world_sum{};
    for (const auto& a : spec_.agents) {
      const Row* x = row_of(EntityKind::agent, a.name);
      if (x == nullptr) continue;
      check_fleet_owner(q, "agent " + a.name, *x, 1.0);
      for (const M m : {M::distressed, M::defaulted}) {
        const double v = get(*x, m);
        expect(v == 0.0 || v == 1.0, q, "agent " + a.name, std::string(metric_name(m)) + " is " + fmt(v) + ", not 0 or 1");
      }
      Row& b = bloc_sums.try_emplace(a.bloc, Row{}).first->second;
      for (const M m : summed_metrics) {
        b[static_cast<std::size_t>(m)] += get(*x, m);
        world_sum[static_cast<std::size_t>(m)] += get(*x, m);
      }
    }
    auto expect_sums = [&](const std::string& who, const Row& x, const Row& sum) {
      for (const M m : summed_metrics) {
        expect_equal(q, who, metric_name(m).data(), get(x, m), get(sum, m), std::abs(get(sum, m)) + std::abs(get(x, m)));
      }
    };
    if (world != nullptr) expect_sums("world (sum of agents)", *world, world_sum);
    for (const auto& d : spec_.demand) {
      const Row* x = row_of(EntityKind::bloc, d.bloc);
      if (x == nullptr) continue;
      const std::string who = "bloc " + d.bloc;
      check_fleet_owner(q, who, *x, agent_count);
      expect_sums(who + " (sum of its agents)", *x, bloc_sums.try_emplace(d.bloc, Row{}).first->second);
      const double demand = get(*x, M::demand_h100e), inference = get(*x, M::demand_inference_h100e),
                   training = get(*x, M::demand_training_h100e);
      expect_at_least(q, who, "demand_inference_h100e", inference, 0.0);
      expect_at_least(q, who, "demand_training_h100e", training, 0.0);
      expect_equal(q, who, "demand_h100e", demand, inference + training, demand);
      expect_in(q, who, "unmet_demand_h100e", get(*x, M::unmet_demand_h100e), 0.0, demand);
    }
    // Regions: the grid (MODEL.md §4).
    double imported_sum = 0.0, imported_scale = 0.0;
    for (const auto& r : spec_.regions) {
      const Row* x = row_of(EntityKind::region, r.name);
      if (x == nullptr) continue;
      const std::string who = "region " + r.name;
      const double available = get(*x, M::power_available_mw), requested = get(*x, M::power_requested_mw),
                   delivered = get(*x, M::power_delivered_mw), imported = get(*x, M::power_imported_mw);
      expect_at_least(q, who, "power_available_mw", available, 0.0);
      expect_at_least(q, who, "power_delivered_mw", delivered, 0.0);
      expect_at_most(q, who, "power_delivered_mw", delivered, requested);
      expect_at_most(q, who, "power delivered − imported", delivered - imported, available,
                     available + std::abs(imported));
      double link_capacity = 0.0;
      for (const auto& l : spec_.links) {
        if (l.from == r.name || l.to == r.name) link_capacity += l.capacity_mw;
      }
      expect_at_most(q, who, "|power_imported_mw|", std::abs(imported), link_capacity);
      const double bound = get(*x, M::power_bound);
      expect(bound == 0.0 || bound == 1.0, q, who, "power_bound is " + fmt(bound) + ", not 0 or 1");
      if (requested > delivered * (1 + 1e-6) + 1e-3) expect(bound == 1.0, q, who, "short of power but not power_bound");
      if (requested <= delivered) expect(bound == 0.0, q, who, "power_bound with every request served");
      imported_sum += imported;
      imported_scale += std::abs(imported);
    }
    expect_equal(q, "regions", "sum of power_imported_mw", imported_sum, 0.0, imported_scale);
    // Vendors (MODEL.md §3).
    for (const auto& v : spec_.vendors) {
      const Row* x = row_of(EntityKind::vendor, v.name);
      if (x == nullptr) continue;
      const std::string who = "vendor " + v.name;
      for (const M m : {M::orders_chips, M::shipments_chips, M::backlog_chips, M::capacity_chips, M::inventory_chips,
                        M::inventory_days, M::cancelled_chips, M::list_price_usd, M::revenue_usd, M::bullwhip_ratio,
                        M::inventory_usd, M::write_down_usd}) {
        expect_at_least(q, who, metric_name(m).data(), get(*x, m), 0.0);
      }
      // List prices never fall below unit cost, but orders placed before the start (`on_order`)
      // carry the price the buyer agreed, which may be below it: a margin above 1 is impossible.
      bool orders_before_start = false;
      for (const auto& ag : spec_.agents) {
        for (const auto& o : ag.on_order) {
          for (const auto& c : spec_.chips) orders_before_start |= c.name == o.chip && c.vendor == v.name;
        }
      }
      // Write-downs and idle capacity are in cost of sales: they may take the margin below 0.
      const double revenue = get(*x, M::revenue_usd);
      const double margin_floor = orders_before_start || v.capacity_policy.idle_cost_usd_per_chip > 0.0 ? -1e300
                                  : revenue > 0.0 ? -get(*x, M::write_down_usd) / revenue * (1.0 + 1e-9) - 1e-12
                                                  : 0.0;
      expect_in(q, who, "gross_margin", get(*x, M::gross_margin), margin_floor, 1.0);
      expect_in(q, who, "round_tripped_share", get(*x, M::round_tripped_share), 0.0, 1.0);
    }
  }

  //! Amounts of money (USD).
  static constexpr std::array money_metrics = {
      Metric::revenue_usd,       Metric::capex_usd,          Metric::depreciation_book_usd,
      Metric::depreciation_economic_usd, Metric::impairment_usd, Metric::power_opex_usd,
      Metric::net_income_usd,    Metric::cash_usd,           Metric::chips_book_value_usd,
      Metric::chips_economic_value_usd, Metric::other_income_usd, Metric::site_opex_usd,
      Metric::compute_purchases_usd, Metric::interest_usd,   Metric::tax_usd,
      Metric::ebitda_usd,        Metric::free_cash_flow_usd, Metric::cumulative_free_cash_flow_usd,
      Metric::debt_usd,          Metric::value_gap_usd,      Metric::imputed_value_usd,
      Metric::ai_opex_usd,       Metric::ai_operating_profit_usd, Metric::ai_economic_profit_usd,
      Metric::ai_invested_capital_usd, Metric::payouts_usd,  Metric::contract_penalties_usd,
      Metric::contract_receivable_usd, Metric::contract_payable_usd, Metric::stranded_book_value_usd,
      Metric::stranded_economic_value_usd, Metric::idle_book_value_usd, Metric::idle_economic_value_usd,
      Metric::capex_non_ai_usd,  Metric::total_assets_usd};

  //! Metrics the world and each bloc report as sums over their agents.
  static constexpr std::array summed_metrics = {
      Metric::installed_h100e,      Metric::powered_h100e,        Metric::utilized_h100e,
      Metric::on_order_h100e,       Metric::ordered_h100e,        Metric::retired_h100e,
      Metric::power_requested_mw,   Metric::power_delivered_mw,   Metric::revenue_usd,
      Metric::capex_usd,            Metric::depreciation_book_usd, Metric::impairment_usd,
      Metric::power_opex_usd,       Metric::net_income_usd,       Metric::cash_usd,
      Metric::chips_book_value_usd, Metric::captive_h100e,        Metric::contracted_h100e,
      Metric::other_income_usd,     Metric::interest_usd,         Metric::tax_usd,
      Metric::ebitda_usd,           Metric::free_cash_flow_usd,   Metric::debt_usd,
      Metric::distressed,           Metric::defaulted,            Metric::imputed_value_usd,
      Metric::payouts_usd,          Metric::contract_penalties_usd, Metric::contract_receivable_usd,
      Metric::stranded_book_value_usd, Metric::idle_book_value_usd};

  const ScenarioSpec& spec_;
  const RunResult& run_;
  std::map<Quarter, QuarterTable> quarters_;
  std::map<std::string, double> money_peak_;
  std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> compare_runs(const RunResult& a, const RunResult& b) {
  const auto& x = a.recorder.samples();
  const auto& y = b.recorder.samples();
  if (x.size() != y.size()) {
    return {"same seed, different runs: " + std::to_string(x.size()) + " then " + std::to_string(y.size()) + " samples"};
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    const bool same = x[i].quarter == y[i].quarter && x[i].kind == y[i].kind && x[i].metric == y[i].metric &&
                      a.recorder.entity_names()[x[i].entity] == b.recorder.entity_names()[y[i].entity] &&
                      std::memcmp(&x[i].value, &y[i].value, sizeof(double)) == 0;
    if (!same) {
      return {"same seed, different runs: sample " + std::to_string(i) + " (" +
              std::string(metric_name(x[i].metric)) + " of " + a.recorder.entity_names()[x[i].entity] + ") differs"};
    }
  }
  if (a.events.events().size() != b.events.events().size()) return {"same seed, different event logs"};
  return {};
}

std::vector<std::string> check_run(const ScenarioSpec& spec, const RunResult& run) { return Checker(spec, run).check(); }

CheckedRun run_and_check(const ScenarioSpec& spec) {
  CheckedRun checked;
  try {
    checked.result = run_scenario(spec, spec.run.seed);
    checked.problems = check_run(spec, *checked.result);
    const RunResult second = run_scenario(spec, spec.run.seed);
    for (auto& p : compare_runs(*checked.result, second)) checked.problems.push_back(std::move(p));
  } catch (const InvariantViolation& e) {
    checked.problems.push_back(std::string("invariant violated: ") + e.what());
  } catch (const std::exception& e) {
    checked.problems.push_back(std::string("the run threw: ") + e.what());
  }
  return checked;
}

}  // namespace aidc::test
