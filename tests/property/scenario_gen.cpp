#include "scenario_gen.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "aidc/kernel/quarter.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc::test {

void showValue(const GeneratedScenario& scenario, std::ostream& os) { os << "\n" << scenario.yaml; }

namespace {

// --- draws: every one shrinks towards its first (simplest) value -------------------------------

//! A whole number in [lo, hi].
int pick(int lo, int hi) { return *rc::gen::inRange(lo, hi + 1); }

//! True with `percent`% probability; shrinks to false (an optional feature left out).
bool chance(int percent) { return *rc::gen::inRange(0, 100) >= 100 - percent; }

//! One of `items`; shrinks to the first.
template <class T>
const T& one_of(const std::vector<T>& items) {
  return items[static_cast<std::size_t>(pick(0, static_cast<int>(items.size()) - 1))];
}

//! A value spread evenly on a log scale over [lo, hi], to three significant digits; shrinks to lo.
double log_uniform(double lo, double hi) {
  const double v = lo * std::pow(hi / lo, pick(0, 1000) / 1000.0);
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", v);
  return std::clamp(std::stod(text), lo, hi);
}

//! Shortest text that reads back as the same double.
std::string num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  for (int precision = 1; precision < 17; ++precision) {
    char shorter[32];
    std::snprintf(shorter, sizeof shorter, "%.*g", precision, v);
    if (std::stod(shorter) == v) return shorter;
  }
  return text;
}

std::string pct(int percent) { return std::to_string(percent) + "%"; }

// --- the scenario -------------------------------------------------------------------------------

struct Region {
  std::string name, bloc;
};
struct Chip {
  std::string name, vendor;
  double power_kw = 0.0, rack_kw = 0.0;
};
struct Site {
  std::string name;
  double capacity_mw = 0.0, rack_kw = 0.0, used_mw = 0.0;
};
struct Agent {
  std::string name, bloc;
  std::vector<Site> sites;
};

class Builder {
 public:
  std::string build() {
    start_ = Quarter(pick(2020, 2030), pick(1, 4));
    horizon_ = pick(4, 40);
    plan_entities();
    out_ << "name: generated\n";
    out_ << "run: {start: " << start_.str() << ", end: " << (start_ + (horizon_ - 1)).str()
         << ", seed: " << pick(0, 1000000) << "}\n";
    vendors();
    chips();
    regions();
    links();
    sites();
    agents();
    demand();
    power_technologies();
    contracts();
    events();
    finance();
    return out_.str();
  }

 private:
  // Names and the facts other sections refer to, decided first.
  void plan_entities() {
    const int region_count = pick(1, 3);
    for (int r = 0; r < region_count; ++r) regions_.push_back({"region-" + std::to_string(r), one_of(known_blocs)});
    const int vendor_count = pick(1, 3);
    for (int v = 0; v < vendor_count; ++v) vendor_names_.push_back("vendor-" + std::to_string(v));
    const int agent_count = pick(1, 4);
    for (int a = 0; a < agent_count; ++a) {
      agents_.push_back({"agent-" + std::to_string(a), regions_[static_cast<std::size_t>(pick(0, region_count - 1))].bloc, {}});
      agent_names_.push_back(agents_.back().name);
    }
    const int chip_count = pick(1, 4);
    for (int c = 0; c < chip_count; ++c) {
      Chip chip;
      chip.name = "chip-" + std::to_string(c);
      chip.vendor = one_of(vendor_names_);
      chip.power_kw = log_uniform(0.1, 5.0);
      chip.rack_kw = std::max(chip.power_kw, log_uniform(5.0, 300.0));
      chips_.push_back(chip);
      chip_names_.push_back(chip.name);
    }
  }

  //! A quarter `offset` from the start, sometimes before it (by up to `before` quarters).
  Quarter quarter_from(int max_offset, int before) {
    const int back = chance(20) ? pick(1, before) : 0;
    return start_ + (pick(0, max_offset) - back);
  }
  Quarter in_run() { return quarter_from(horizon_ - 1, 8); }

  //! A value that changes over time: one number, or 2–3 points (linear between).
  template <class Draw>
  std::string series(Draw draw) {
    if (!chance(40)) return draw();
    const int points = pick(2, 3);
    std::string text = "{";
    int offset = pick(-4, 0);
    for (int i = 0; i < points; ++i) {
      text += (i ? ", " : "") + (start_ + offset).str() + ": " + draw();
      offset += pick(1, std::max(1, horizon_ / 2));
    }
    return text + "}";
  }

  std::vector<std::string> regions_of(const std::string& bloc) const {
    std::vector<std::string> names;
    for (const auto& r : regions_) {
      if (r.bloc == bloc) names.push_back(r.name);
    }
    return names;
  }

  //! A non-empty subset of `items`, in order, starting with one picked at random.
  std::vector<std::string> some_of(const std::vector<std::string>& items) {
    std::vector<std::string> chosen = {one_of(items)};
    for (const auto& item : items) {
      if (item != chosen.front() && chance(40)) chosen.push_back(item);
    }
    return chosen;
  }

  static std::string list(const std::vector<std::string>& items) {
    std::string text = "[";
    for (std::size_t i = 0; i < items.size(); ++i) text += (i ? ", " : "") + items[i];
    return text + "]";
  }

  void vendors() {
    out_ << "vendors:\n";
    for (const auto& name : vendor_names_) {
      out_ << "  - name: " << name << "\n";
      out_ << "    capacity: " << series([this] { return chance(10) ? std::string("0") : num(log_uniform(1.0, 3e6)); })
           << "\n";
      out_ << "    lead_time: " << pick(0, 8) << "\n";
      if (chance(30)) out_ << "    deposit: " << pct(pick(0, 100)) << "\n";
      if (chance(20)) out_ << "    captive_owner: " << one_of(agent_names_) << "\n";
      if (chance(30)) out_ << "    order_forecast_momentum: " << pct(pick(0, 100)) << "\n";
      if (chance(30)) out_ << "    gross_margin: " << pct(pick(0, 99)) << "\n";
      if (chance(30)) out_ << "    cash: " << num(log_uniform(1e6, 1e11)) << "\n";
      if (chance(30)) {
        out_ << "    price_policy: {decline_per_year: " << pct(pick(0, 90)) << ", inventory_discount: " << pct(pick(0, 90))
             << ", target_inventory: " << pick(0, 20);
        if (chance(50)) {
          out_ << ", scarcity_premium: " << pct(pick(0, 100)) << ", target_backlog: " << pick(0, 20)
               << ", max_scarcity_premium: " << pct(pick(0, 500));
        }
        if (chance(50)) {
          out_ << ", rival_response: " << pct(pick(0, 100)) << ", ecosystem_premium: " << pct(pick(0, 500))
               << ", adjustment_time: " << pick(1, 20);
        }
        out_ << "}\n";
      }
      if (chance(30)) {
        out_ << "    capacity_policy: {lead_time: " << pick(0, 20) << ", target_utilization: " << pct(pick(10, 100))
             << ", backlog_clearance: " << pick(1, 20) << ", max_cut: " << pct(pick(0, 100))
             << ", idle_cost: " << num(chance(50) ? 0.0 : log_uniform(1.0, 1e5)) << "}\n";
      }
      if (chance(30)) {
        out_ << "    production: {materials_ahead: " << pick(0, 8) << ", materials_share: " << pct(pick(0, 100))
             << ", salvage_share: " << pct(pick(0, 100)) << "}\n";
      }
    }
  }

  void chips() {
    out_ << "chips:\n";
    for (const auto& c : chips_) {
      const Quarter from = in_run();
      out_ << "  - name: " << c.name << "\n    vendor: " << c.vendor << "\n    family: " << one_of(known_chip_families)
           << "\n    available_from: " << from.str() << "\n";
      if (chance(30)) out_ << "    available_until: " << (from + pick(0, horizon_)).str() << "\n";
      out_ << "    bf16_tflops: " << num(log_uniform(10.0, 10000.0)) << "\n";
      out_ << "    power: " << num(c.power_kw) << "\n    rack_power: " << num(c.rack_kw) << "\n";
      out_ << "    price: " << num(log_uniform(100.0, 500000.0)) << "\n";
      out_ << "    economic_life: " << pick(1, 40) << "\n";
      if (chance(30)) out_ << "    software_efficiency: " << pct(pick(1, 150)) << "\n";
      if (chance(30)) out_ << "    ramp: " << pick(1, 12) << "\n";
      if (chance(30)) out_ << "    idle_power_share: " << pct(pick(0, 100)) << "\n";
      if (chance(30)) out_ << "    training_grade: false\n";
      out_ << "    markets: " << list(some_of(known_blocs)) << "\n";
    }
  }

  void regions() {
    static const std::vector<std::string> types = known_power_types;
    out_ << "regions:\n";
    for (const auto& r : regions_) {
      const double generation_mw = chance(10) ? 0.0 : log_uniform(1.0, 1e6);
      out_ << "  - name: " << r.name << "\n    bloc: " << r.bloc << "\n";
      out_ << "    generation: " << series([&] { return num(generation_mw * pick(50, 150) / 100.0); }) << "\n";
      out_ << "    other_load: " << series([&] { return num(generation_mw * pick(0, 120) / 100.0); }) << "\n";
      if (chance(30)) out_ << "    reserve_margin: " << pct(pick(0, 90)) << "\n";
      out_ << "    power_price: " << pick(0, 200) << "\n";
      out_ << "    interconnection_time: " << pick(0, 20) << "\n";
      if (chance(30)) out_ << "    utility_response: " << pct(pick(0, 100)) << "\n    utility_lead_time: " << pick(1, 20) << "\n";
      const int additions = chance(40) ? pick(1, 2) : 0;
      if (additions > 0) out_ << "    additions:\n";
      for (int i = 0; i < additions; ++i) {
        out_ << "      - {name: addition-" << i << ", type: " << one_of(types) << ", capacity: " << num(log_uniform(1.0, 5000.0))
             << ", online: " << quarter_from(horizon_ + 4, 8).str() << "}\n";
      }
    }
  }

  void links() {
    if (regions_.size() < 2 || !chance(60)) return;
    out_ << "links:\n";
    const int count = pick(1, 3);
    for (int i = 0; i < count; ++i) {
      const int n = static_cast<int>(regions_.size());
      const int from = pick(0, n - 1);
      const int to = (from + pick(1, n - 1)) % n;
      out_ << "  - {name: link-" << i << ", from: " << regions_[static_cast<std::size_t>(from)].name
           << ", to: " << regions_[static_cast<std::size_t>(to)].name
           << ", capacity: " << (chance(10) ? std::string("0") : num(log_uniform(1.0, 10000.0))) << "}\n";
    }
  }

  void sites() {
    std::ostringstream text;
    for (auto& a : agents_) {
      const int count = chance(70) ? pick(1, 2) : 0;
      for (int i = 0; i < count; ++i) {
        Site s{"site-" + a.name.substr(6) + "-" + std::to_string(i), log_uniform(1.0, 2000.0), log_uniform(5.0, 300.0), 0.0};
        text << "  - name: " << s.name << "\n    owner: " << a.name << "\n    region: " << one_of(regions_of(a.bloc))
             << "\n    capacity: " << num(s.capacity_mw) << "\n    rack_density: " << num(s.rack_kw)
             << "\n    online: " << quarter_from(horizon_, 8).str() << "\n";
        if (chance(30)) text << "    pue: " << num(pick(100, 300) / 100.0) << "\n";
        if (chance(30)) text << "    build_cost: " << num(chance(10) ? 0.0 : log_uniform(1e5, 5e7)) << "\n";
        if (chance(30)) text << "    ownership: leased\n    lease_cost: " << num(log_uniform(1e4, 5e6)) << "\n";
        a.sites.push_back(s);
      }
    }
    if (!text.str().empty()) out_ << "sites:\n" << text.str();
  }

  void agents() {
    out_ << "agents:\n";
    for (auto& a : agents_) {
      out_ << "  - name: " << a.name << "\n    kind: " << one_of(known_agent_kinds) << "\n    bloc: " << a.bloc << "\n";
      out_ << "    cash: " << num(chance(10) ? 0.0 : log_uniform(1e6, 1e12)) << "\n";
      if (chance(40)) out_ << "    operating_cash_flow: " << (chance(30) ? "-" : "") << num(log_uniform(1e6, 1e11)) << "\n";
      if (chance(30)) out_ << "    cash_flow_growth: " << pct(pick(-90, 100)) << "\n";
      if (chance(30)) out_ << "    min_cash: " << num(log_uniform(1e6, 1e11)) << "\n";
      out_ << "    vendors: " << list(some_of(vendor_names_)) << "\n";
      out_ << "    regions: " << list(some_of(regions_of(a.bloc))) << "\n";
      strategy();
      out_ << "    book_life: " << pick(1, 40) << "\n";
      new_site();
      fleet(a);
      debt();
      if (chance(30)) {
        out_ << "    finance: {max_leverage: " << pick(0, 20) << ", spread: " << pct(pick(0, 30))
             << ", spread_per_leverage: " << pct(pick(0, 10)) << ", payout_share: " << pct(pick(0, 100))
             << ", target_cash_share: " << pct(pick(0, 60)) << ", excess_cash_payout: " << pct(pick(0, 50))
             << ", loan_term: " << pick(1, 40);
        if (chance(40)) out_ << ", delayed_draw: true, commitment_fee: " << pct(pick(0, 5));
        out_ << "}\n";
      }
      if (chance(20)) {
        out_ << "    capex_budget: {initial: " << num(log_uniform(1e6, 1e11)) << ", cash_flow_share: " << pct(pick(0, 200))
             << ", growth_weight: " << pick(0, 3) << ", rival_weight: " << pick(0, 3) << ", adjustment: " << pct(pick(0, 100))
             << "}\n";
      }
      if (chance(30)) out_ << "    retrofit: {cost: " << num(log_uniform(1e4, 2e7)) << ", time: " << pick(0, 8) << "}\n";
      if (chance(30)) out_ << "    retirement: unprofitable\n";
      if (chance(15)) out_ << "    sells_compute: false\n";
      if (chance(15)) out_ << "    service_revenue: " << series([this] { return num(pick(0, 500) / 100.0); }) << "\n";
      if (chance(30)) {
        out_ << "    selling: {reservation_margin: " << pct(pick(0, 300)) << ", reservation_capital_share: "
             << pct(pick(0, 200)) << ", reach: " << pct(pick(1, 100)) << "}\n";
      }
      if (chance(30)) {
        out_ << "    external_funding: "
             << series([this] { return (chance(20) ? "-" : "") + num(log_uniform(1e6, 1e11)); }) << "\n";
      }
      if (chance(30)) out_ << "    captive_demand: " << series([this] { return num(log_uniform(1.0, 1e6)); }) << "\n";
      if (chance(20)) {
        const Chip& chip = one_of(chips_);
        out_ << "    on_order: [{chip: " << chip.name << ", count: " << num(log_uniform(1.0, 1e5));
        if (chance(50)) out_ << ", arrives: " << in_run().str();
        if (chance(30)) out_ << ", price: " << num(log_uniform(1e3, 1e5));
        out_ << "}]\n";
      }
      if (chance(20)) out_ << "    non_ai_capex: " << series([this] { return num(log_uniform(1e6, 1e10)); }) << "\n";
      if (chance(20)) out_ << "    non_ai_assets: " << num(log_uniform(1e6, 1e11)) << "\n";
    }
  }

  void strategy() {
    out_ << "    strategy: {target_share: " << pct(pick(0, 100));
    if (chance(40)) out_ << ", momentum: " << pct(pick(0, 100));
    if (chance(40)) out_ << ", long_run_growth: " << pct(pick(-90, 300));
    if (chance(40)) out_ << ", headroom: " << pct(pick(0, 200));
    if (chance(40)) out_ << ", rival_reaction: " << pct(pick(0, 200));
    if (chance(40)) out_ << ", hurdle_return: " << pct(pick(-50, 200));
    if (chance(30)) out_ << ", hurdle_width: " << pct(pick(0, 50));
    if (chance(30)) out_ << ", adjustment_time: " << pick(1, 8);
    if (chance(30)) out_ << ", sku_choice_spread: " << pct(pick(0, 100));
    if (chance(30)) out_ << ", switching_cost: " << pct(pick(0, 100));
    if (chance(30)) out_ << ", bridge_power: " << (chance(50) ? "true" : "false");
    if (chance(20)) out_ << ", land_bank: " << pick(0, 12);
    if (chance(30)) out_ << ", investment_elasticity: " << num(pick(0, 400) / 100.0);
    if (chance(20)) out_ << ", max_investment_q: " << num(pick(100, 1000) / 100.0);
    if (chance(30)) out_ << ", price_momentum: " << pct(pick(0, 300));
    out_ << "}\n";
  }

  void new_site() {
    out_ << "    new_site: {capacity: " << num(log_uniform(1.0, 2000.0)) << ", rack_density: " << num(log_uniform(5.0, 300.0))
         << ", build_time: " << pick(1, 12);
    if (chance(30)) out_ << ", pue: " << num(pick(100, 300) / 100.0);
    if (chance(30)) out_ << ", build_cost: " << num(chance(10) ? 0.0 : log_uniform(1e5, 5e7));
    if (chance(30)) out_ << ", life: " << pick(4, 120);
    if (chance(20)) out_ << ", ownership: leased, lease_cost: " << num(log_uniform(1e4, 5e6));
    if (chance(30)) out_ << ", ready_before_grid: " << pick(0, 8);
    out_ << "}\n";
  }

  //! Chips in the agent's own sites, each dense enough and not over capacity.
  void fleet(Agent& a) {
    if (a.sites.empty() || !chance(60)) return;
    std::ostringstream text;
    const int entries = pick(1, 2);
    for (int i = 0; i < entries; ++i) {
      Site& site = a.sites[static_cast<std::size_t>(pick(0, static_cast<int>(a.sites.size()) - 1))];
      const Chip& chip = one_of(chips_);
      const double room_chips = std::floor((site.capacity_mw - site.used_mw) * 1000.0 / chip.power_kw * 0.999);
      if (chip.rack_kw > site.rack_kw || room_chips < 1.0) continue;
      const double count = std::max(1.0, std::floor(room_chips * pick(1, 100) / 100.0));
      site.used_mw += count * chip.power_kw / 1000.0;
      text << "      - {chip: " << chip.name << ", count: " << num(count) << ", site: " << site.name;
      if (chance(40)) text << ", age: " << pick(0, 20);
      text << "}\n";
    }
    if (!text.str().empty()) out_ << "    fleet:\n" << text.str();
  }

  void debt() {
    if (!chance(30)) return;
    out_ << "    debt:\n";
    const int count = pick(1, 2);
    for (int i = 0; i < count; ++i) {
      out_ << "      - {name: loan-" << i << ", principal: " << num(log_uniform(1e6, 1e11))
           << ", maturity: " << quarter_from(horizon_ + 8, 4).str();
      if (chance(50)) out_ << ", rate: " << pct(pick(0, 30));
      out_ << "}\n";
    }
  }

  void demand() {
    std::vector<std::string> blocs;
    for (const auto& b : known_blocs) {
      const bool has_agents = std::any_of(agents_.begin(), agents_.end(), [&](const Agent& a) { return a.bloc == b; });
      if (has_agents || chance(20)) blocs.push_back(b);
    }
    out_ << "demand:\n";
    for (const auto& b : blocs) {
      out_ << "  - bloc: " << b << "\n    base: " << num(chance(10) ? 0.0 : log_uniform(1.0, 1e7)) << "\n";
      out_ << "    growth: " << series([this] { return pct(pick(-90, 300)); }) << "\n";
      out_ << "    reference_price: " << num(log_uniform(0.01, 50.0)) << "\n";
      if (chance(30)) out_ << "    elasticity: " << num(pick(5, 1000) / 100.0) << "\n";
      if (chance(30)) out_ << "    price_adjustment: " << pct(pick(1, 100)) << "\n";
      if (chance(30)) out_ << "    noise: " << pct(pick(0, 100)) << "\n";
      if (chance(30)) out_ << "    training_budget: " << series([this] { return num(log_uniform(1e6, 1e11)); }) << "\n";
      if (chance(30)) out_ << "    training_revenue_share: " << pct(pick(0, 100)) << "\n";
      if (chance(30)) out_ << "    saturation: " << num(chance(10) ? 0.0 : pick(50, 1000) / 100.0) << "\n";
      if (chance(30)) out_ << "    efficiency_adoption: " << pick(1, 12) << "\n";
      if (chance(30)) {
        // Software ecosystems: the share of demand able to run on some families, over time.
        out_ << "    ecosystem:\n";
        const std::string first = one_of(known_chip_families);
        for (const auto& f : known_chip_families) {
          if (f != first && !chance(30)) continue;
          out_ << "      " << f << ": " << series([this] { return pct(chance(10) ? 0 : pick(1, 100)); }) << "\n";
        }
      }
    }
  }

  void power_technologies() {
    std::ostringstream text;
    for (const auto& type : known_power_types) {
      if (!chance(25)) continue;
      text << "  - {name: " << type << ", lead_time: " << pick(0, 12);
      if (chance(50)) text << ", cost: " << num(chance(10) ? 0.0 : log_uniform(1e4, 1e7));
      if (chance(50)) text << ", power_price: " << pick(0, 200);
      if (chance(40)) text << ", bridge: true";
      text << "}\n";
    }
    if (!text.str().empty()) out_ << "power_technologies:\n" << text.str();
  }

  void contracts() {
    if (agents_.size() < 2 || !chance(40)) return;
    out_ << "contracts:\n";
    const int count = pick(1, 2);
    const int n = static_cast<int>(agents_.size());
    for (int i = 0; i < count; ++i) {
      const int buyer = pick(0, n - 1);
      const int seller = (buyer + pick(1, n - 1)) % n;
      out_ << "  - {name: contract-" << i << ", buyer: " << agent_names_[static_cast<std::size_t>(buyer)]
           << ", seller: " << agent_names_[static_cast<std::size_t>(seller)] << ", compute: " << num(log_uniform(1.0, 1e6))
           << ", price: " << num(pick(0, 500) / 100.0) << ", start: " << quarter_from(horizon_, 4).str()
           << ", length: " << pick(1, 40) << ", shortfall_penalty: " << pct(pick(0, 100)) << "}\n";
    }
  }

  //! An event's multiplier in 0.01–10, or 0 (not for efficiency gains: validation refuses it).
  std::string factor(bool zero_allowed = true) { return num(zero_allowed && chance(10) ? 0.0 : pick(1, 1000) / 100.0); }

  void events() {
    if (!chance(70)) return;
    out_ << "events:\n";
    const int count = pick(1, 5);
    std::vector<std::string> targets = vendor_names_;
    targets.insert(targets.end(), chip_names_.begin(), chip_names_.end());
    std::vector<std::string> investors = vendor_names_;
    investors.insert(investors.end(), agent_names_.begin(), agent_names_.end());
    std::vector<std::string> region_names;
    for (const auto& r : regions_) region_names.push_back(r.name);
    for (int i = 0; i < count; ++i) {
      const std::string kind = one_of(known_event_kinds);
      out_ << "  - {name: event-" << i << ", kind: " << kind << ", at: " << quarter_from(horizon_ - 1, 4).str();
      if (chance(40)) out_ << ", duration: " << pick(0, 20);
      if (kind == "demand_shock") {
        out_ << ", bloc: " << one_of(known_blocs) << ", factor: " << factor();
        if (chance(50)) out_ << ", segment: " << one_of(known_segments);
      } else if (kind == "efficiency_gain") {
        out_ << ", factor: " << factor(false);
        if (chance(50)) out_ << ", bloc: " << one_of(known_blocs);
      } else if (kind == "export_control") {
        out_ << ", target: " << one_of(targets) << ", bloc: " << one_of(known_blocs);
        if (chance(30)) out_ << ", action: allow";
      } else if (kind == "base_rate") {
        out_ << ", rate: " << pct(pick(-5, 100));
      } else if (kind == "credit_crunch") {
        out_ << ", spread: " << pct(pick(0, 100));
        if (chance(50)) out_ << ", max_leverage: " << pick(0, 50);
      } else if (kind == "grid_addition") {
        out_ << ", region: " << one_of(region_names) << ", capacity: " << num(log_uniform(1.0, 5000.0));
      } else if (kind == "grid_delay") {
        out_ << ", region: " << one_of(region_names) << ", delay: " << pick(1, 20);
      } else if (kind == "chip_delay") {
        out_ << ", target: " << one_of(chip_names_) << ", delay: " << pick(1, 20);
      } else if (kind == "price_war") {
        out_ << ", target: " << one_of(vendor_names_) << ", factor: " << factor();
      } else if (kind == "funding_shock") {
        out_ << ", target: " << one_of(agent_names_) << ", factor: " << factor();
      } else if (kind == "circular_deal") {
        out_ << ", target: " << one_of(investors) << ", recipient: " << one_of(agent_names_)
             << ", amount: " << num(log_uniform(1e6, 1e11));
      }
      out_ << "}\n";
    }
  }

  void finance() {
    std::ostringstream text;
    if (chance(20)) text << "  base_rate: " << series([this] { return pct(pick(-5, 100)); }) << "\n";
    if (chance(20)) text << "  tax_rate: " << pct(pick(0, 100)) << "\n";
    if (chance(20)) text << "  secondary_discount: " << pct(pick(0, 100)) << "\n";
    if (chance(20)) text << "  fire_sale_share: " << pct(pick(0, 100)) << "\n";
    if (!text.str().empty()) out_ << "finance:\n" << text.str();
  }

  std::ostringstream out_;
  Quarter start_;
  int horizon_ = 4;
  std::vector<Region> regions_;
  std::vector<std::string> vendor_names_, chip_names_, agent_names_;
  std::vector<Chip> chips_;
  std::vector<Agent> agents_;
};

}  // namespace

rc::Gen<GeneratedScenario> random_scenario() {
  // Every case draws from the whole of each range (RapidCheck's size would otherwise narrow the
  // first cases to the smallest values); shrinking still goes towards the smallest.
  return rc::gen::resize(rc::kNominalSize, rc::gen::exec([] { return GeneratedScenario{Builder().build()}; }));
}

}  // namespace aidc::test
