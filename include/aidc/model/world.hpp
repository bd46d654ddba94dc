#pragma once
//! One run (MODEL.md §1 causal chain): its parts — supply (supply.hpp), power (power_system.hpp),
//! markets (markets.hpp), finance (finance.hpp), indicators (indicators.hpp), the agents and their
//! fleet — and the phase steps that cross them. The quarter is the table World::quarter
//! (world.cpp). The steps live in one source file per phase: world.cpp (construction,
//! registration, the quarter's start), world_events.cpp (what-if events), world_supply.cpp
//! (orders, production, deliveries), world_power.cpp (placement, grid), world_market.cpp,
//! world_accounting.cpp (books, loans, distress), world_decisions.cpp (agents' plans, secondary
//! market), world_report.cpp (metrics, invariants).

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aidc/kernel/random_stream.hpp"
#include "aidc/kernel/simulator.hpp"
#include "aidc/model/agent.hpp"
#include "aidc/model/chip.hpp"
#include "aidc/model/event_log.hpp"
#include "aidc/model/finance.hpp"
#include "aidc/model/fleet.hpp"
#include "aidc/model/indicators.hpp"
#include "aidc/model/invariant_violation.hpp"
#include "aidc/model/markets.hpp"
#include "aidc/model/metric.hpp"
#include "aidc/model/power.hpp"
#include "aidc/model/power_system.hpp"
#include "aidc/model/supply.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! Everything that changes during one run, built from a read-only ScenarioSpec (which must
//! outlive it). attach() registers the steps of the quarter table (World::quarter, in
//! world.cpp) with the simulator; the phases then advance the world quarter by quarter.
class World {
 public:
  World(const ScenarioSpec& spec, std::uint64_t seed);

  //! Registers the phase steps and the scenario's scheduled events. Call once, before sim.run().
  void attach(Simulator& sim);
  //! Where notable events go (nullptr: nowhere). Must outlive the run.
  void set_event_sink(EventSink* sink) noexcept { log_sink_ = sink; }
  //! Where each quarter's metrics go once the record phase has checked them (nullptr: they are
  //! checked only). Must outlive the run.
  void set_metric_sink(MetricSink* sink) noexcept { metric_sink_ = sink; }
  //! Emits every metric of the current quarter.
  void report(MetricSink& sink) const;
  //! Checks MODEL.md §11 for the current quarter; throws InvariantViolation.
  void check_invariants() const;
  //! The values an entity's metrics are computed from this quarter ("name value, …", non-finite
  //! ones first): what a diagnostic shows when one of them is NaN or infinite.
  [[nodiscard]] std::string state_of(EntityKind kind, std::string_view entity) const;

  [[nodiscard]] Quarter now() const noexcept { return now_; }
  [[nodiscard]] const ScenarioSpec& spec() const noexcept { return spec_; }
  [[nodiscard]] const std::vector<Chip>& chips() const noexcept { return supply_.chips; }
  [[nodiscard]] const std::vector<Vendor>& vendors() const noexcept { return supply_.vendors; }
  [[nodiscard]] const std::vector<Region>& regions() const noexcept { return power_.regions; }
  [[nodiscard]] const std::vector<Site>& sites() const noexcept { return power_.sites; }
  [[nodiscard]] const std::vector<Agent>& agents() const noexcept { return agents_; }
  [[nodiscard]] const std::vector<BlocMarket>& markets() const noexcept { return markets_.blocs; }
  [[nodiscard]] const Fleet& fleet() const noexcept { return fleet_; }
  [[nodiscard]] const MoneyFlowGraph& money_flows() const noexcept { return finance_.money; }
  //! Money-flow node of a vendor (agents are nodes 0 … agents − 1, vendors follow).
  [[nodiscard]] std::uint32_t vendor_node(std::uint32_t vendor) const noexcept {
    return static_cast<std::uint32_t>(agents_.size()) + vendor;
  }

 private:
  //! One row of the quarter table: the step a phase runs every quarter.
  struct QuarterStep {
    Phase phase;
    const char* name;
    void (World::*run)();
    bool before_events;  // runs before the phase's events (a hook), not as one of them
  };
  //! The quarter: the seven phases' steps, in order (world.cpp).
  static const std::array<QuarterStep, phase_count> quarter;

  // world.cpp
  void add_handlers(Simulator& sim);
  void schedule_known_events(Simulator& sim);
  void begin_quarter();                                  // exogenous
  std::uint32_t add_site(const std::string& name, std::uint32_t owner, std::uint32_t region, double capacity_mw,
                         double pue, double rack_kw, double cost_usd, int life_quarters);
  void log(EntityKind kind, const std::string& entity, const char* event_kind, std::string cause, Figures figures);
  [[nodiscard]] double base_rate() const noexcept;
  [[nodiscard]] std::size_t slot() const noexcept;       // ring slot of this quarter in 4-quarter histories
  [[nodiscard]] std::size_t last_slot() const noexcept { return (slot() + 3) % 4; }  // last booked quarter
  // world_events.cpp
  void start_event(std::uint32_t event);                 // exogenous
  void end_event(std::uint32_t event);
  void apply_event_factors();                            // multipliers of the events in force
  // world_supply.cpp
  void deliver(std::uint32_t shipment);                  // arrivals
  void place_order(std::uint32_t agent, std::uint32_t chip, double count, double share, double target_h100e,
                   double gap_h100e);
  void cancel_orders(std::uint32_t agent, std::int32_t chip, const std::string& cause);  // chip -1: all
  void produce();                                        // decisions, after the agents
  double make_output(Vendor& vendor);                    // produce: output per SKU; returns the chips made
  void ship(Vendor& vendor);                             // produce: inventory to the backlog
  struct PlanOutcome {
    double expected_orders_chips = 0.0;                  // next quarter, over its SKUs
    double materials_bought_usd = 0.0;
    double salvage_usd = 0.0;                            // materials of written-down SKUs sold
  };
  PlanOutcome plan_next_quarter(Vendor& vendor);         // produce: plans, materials, write-downs
  void answer_vendors_market();                          // produce: prices toward scarcity and rivals
  void feed_scissors_gap(std::size_t ring);              // produce: inventory against clouds' revenue
  // world_power.cpp
  void place_and_power();                                // power
  void place_cohort(std::size_t cohort);
  void schedule_interconnection(std::uint32_t site, Quarter when);
  void utilities_respond();                              // power, after the grid
  // world_market.cpp
  void clear_markets();                                  // market: the steps below, in order
  void price_reservations();
  void serve_contracts(std::vector<double>& free_h100e);
  void serve_captive(std::vector<double>& free_h100e);
  void make_spot_offers(const std::vector<double>& free_h100e, std::vector<SpotOffer>& offers,
                        std::vector<double>& unreached_h100e);
  double clear_spot_markets(const std::vector<SpotOffer>& offers, const std::vector<double>& unreached_h100e,
                            std::vector<double>& sold_h100e);
  void book_sales(const std::vector<SpotOffer>& offers, const std::vector<double>& unreached_h100e,
                  const std::vector<double>& sold_h100e);
  // world_accounting.cpp
  void book_quarter();                                   // accounting: the steps below, in order
  void book_income();
  void book_chips(std::vector<double>& own_drawn_mw, std::vector<double>& site_drawn_mw);
  void book_sites();
  void book_bridge_power(std::vector<double>& own_drawn_mw, const std::vector<double>& site_drawn_mw);
  void book_power_projects(std::vector<double>& own_drawn_mw);
  void book_interest_tax_payouts(std::uint32_t agent);
  void settle_cash(std::uint32_t agent);
  void mature_due_loans();                               // arrivals: every agent's
  void mature_loans(std::uint32_t agent);
  double borrow(std::uint32_t agent, double usd);
  //! Funds a commitment of usd: a loan now, or, with a delayed-draw facility, lenders' commitment
  //! drawn later by draw_facility (both within the leverage limit). Returns what was raised.
  double raise_funds(std::uint32_t agent, double usd);
  void draw_facility(std::uint32_t agent);
  [[nodiscard]] double debt_room_usd(std::uint32_t agent, std::size_t ebitda_slot) const noexcept;
  //! Spendable cash, borrowing first if needed, is at least cost_usd: it borrows only when
  //! that is enough.
  bool fund(std::uint32_t agent, double cost_usd);
  void enter_distress(std::uint32_t agent, const std::string& cause);
  void default_agent(std::uint32_t agent, const std::string& cause);
  void retire_cohort(std::size_t cohort);
  // world_decisions.cpp
  void decide();                                         // decisions
  void plan_agent(std::uint32_t agent);                  // the steps below, in order
  struct Plan;                                           // what they work out
  void forecast(std::uint32_t agent, Plan& plan);
  bool choose_skus(std::uint32_t agent, Plan& plan);
  void weigh_market(std::uint32_t agent, Plan& plan);
  void choose_site_region(std::uint32_t agent, Plan& plan) const;
  [[nodiscard]] double target_h100e(std::uint32_t agent, const Plan& plan, int horizon) const;
  void count_alive(std::uint32_t agent, Plan& plan) const;
  void provide_space(std::uint32_t agent, const Plan& plan);
  void provide_power(std::uint32_t agent);
  void order_chips(std::uint32_t agent, const Plan& plan);
  void start_site(std::uint32_t agent, std::uint32_t region);
  void start_construction(std::uint32_t agent);
  [[nodiscard]] Quarter grid_grant(std::uint32_t region) const;
  [[nodiscard]] Quarter new_site_construction_start(std::uint32_t agent, std::uint32_t region) const;
  bool begin_building(std::uint32_t site);
  bool retrofit_site(std::uint32_t agent, double rack_kw);
  void buy_power(std::uint32_t agent, std::uint32_t region, double mw);
  void order_bridge_power(std::uint32_t agent);
  void set_capex_budget(std::uint32_t agent, double rivals_growth, double own_growth);
  void release_capex_budget(std::uint32_t agent);
  void spend_budget(std::uint32_t agent, double cost_usd);
  double buy_used(std::uint32_t agent, double gap_h100e, double new_tco_usd_per_hour);
  void list_for_sale(std::uint32_t agent, double share);
  // world_report.cpp
  void record();                                         // record: invariants, then the metrics
  void check_conservation() const;                       // the three below
  void check_chip_count() const;
  void check_power() const;
  void check_books() const;
  void report_regions(MetricSink& sink) const;
  void report_vendor(MetricSink& sink, std::uint32_t vendor, double round_trip_share) const;

  const ScenarioSpec& spec_;
  RandomStreams streams_;
  Simulator* sim_ = nullptr;
  EventSink* log_sink_ = nullptr;
  MetricSink* metric_sink_ = nullptr;
  Quarter now_;
  HandlerId on_delivery_ = 0, on_site_built_ = 0, on_site_interconnected_ = 0, on_power_added_ = 0,
            on_event_start_ = 0, on_event_end_ = 0, on_retrofit_done_ = 0,
            on_power_project_ = 0, on_utility_addition_ = 0;

  // The parts, each with its own state (and header).
  Supply supply_;              // chips, vendors, SKU stock, shipments, the chip count (supply.hpp)
  PowerSystem power_;          // regions, grid, sites, power projects, utility additions (power_system.hpp)
  std::vector<Agent> agents_;  // the buyers: books, loans, beliefs (agent.hpp)
  Fleet fleet_;                // their chips, cohort by cohort (fleet.hpp)
  Markets markets_;            // each bloc's compute market and capacity (markets.hpp)
  Finance finance_;            // money conditions and who paid whom (finance.hpp)
  Indicators indicators_;      // bullwhip statistics the other parts feed (indicators.hpp)

  // What crosses parts: the agents' sites and chips, the events in force.
  std::vector<std::vector<std::uint32_t>> agent_sites_;   // per agent, in creation order
  std::vector<std::vector<std::uint32_t>> agent_chips_;   // per agent: chips of its vendors
  std::vector<double> made_scratch_;          // produce: output per SKU
  std::vector<std::size_t> entries_scratch_;
  std::vector<std::uint8_t> event_in_force_;  // per scenario event: started and not ended
  std::vector<std::uint8_t> was_stranding_;   // per agent: logged state (to log transitions once)
};

}  // namespace aidc
