#pragma once
//! The state of one run and the phase steps that advance it (MODEL.md §1 causal chain).

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "aidc/kernel/random_stream.hpp"
#include "aidc/kernel/simulator.hpp"
#include "aidc/model/agent.hpp"
#include "aidc/model/chip.hpp"
#include "aidc/model/fleet.hpp"
#include "aidc/model/market.hpp"
#include "aidc/model/metric.hpp"
#include "aidc/model/power.hpp"
#include "aidc/model/site.hpp"
#include "aidc/model/vendor.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! A broken conservation law or a non-finite value: the run stops with this diagnostic.
class InvariantViolation : public std::runtime_error {
 public:
  InvariantViolation(Quarter q, std::string entity, std::string quantity, std::string detail);
};

//! Everything that changes during one run, built from a read-only ScenarioSpec (which must
//! outlive it). attach() registers one batch event per phase with the simulator; the phases
//! then advance the world quarter by quarter.
class World {
 public:
  World(const ScenarioSpec& spec, std::uint64_t seed);

  //! Registers the phase steps and the scenario's scheduled events. Call once, before sim.run().
  void attach(Simulator& sim);
  //! Emits every metric of the current quarter.
  void report(MetricSink& sink) const;
  //! Checks MODEL.md §11 for the current quarter; throws InvariantViolation.
  void check_invariants() const;

  [[nodiscard]] Quarter now() const noexcept { return now_; }
  [[nodiscard]] const ScenarioSpec& spec() const noexcept { return spec_; }
  [[nodiscard]] const std::vector<Chip>& chips() const noexcept { return chips_; }
  [[nodiscard]] const std::vector<Vendor>& vendors() const noexcept { return vendors_; }
  [[nodiscard]] const std::vector<Region>& regions() const noexcept { return regions_; }
  [[nodiscard]] const std::vector<Site>& sites() const noexcept { return sites_; }
  [[nodiscard]] const std::vector<Agent>& agents() const noexcept { return agents_; }
  [[nodiscard]] const std::vector<BlocMarket>& markets() const noexcept { return markets_; }
  [[nodiscard]] const Fleet& fleet() const noexcept { return fleet_; }

 private:
  // Phase steps, in order.
  void begin_quarter();                        // exogenous
  void deliver(std::uint32_t shipment);        // arrivals (one event per shipment)
  void place_and_power();                      // power
  void clear_markets();                        // market
  void book_quarter();                         // accounting
  void decide();                               // decisions
  void produce();                              // decisions, after the agents

  void plan_agent(std::uint32_t agent);
  void start_site(std::uint32_t agent, std::uint32_t region);
  std::uint32_t add_site(const std::string& name, std::uint32_t owner, std::uint32_t region, double capacity_mw,
                         double pue, double rack_kw, double cost_usd, int life_quarters);
  void place_cohort(std::size_t cohort);
  [[nodiscard]] double in_transit_chips() const noexcept;

  const ScenarioSpec& spec_;
  RandomStreams streams_;
  Simulator* sim_ = nullptr;
  Quarter now_;
  HandlerId on_delivery_ = 0, on_site_built_ = 0, on_site_interconnected_ = 0, on_power_added_ = 0;

  std::vector<Chip> chips_;
  std::vector<Vendor> vendors_;
  std::vector<Region> regions_;
  std::vector<Site> sites_;
  std::vector<Agent> agents_;
  std::vector<BlocMarket> markets_;          // indexed by BlocId; spec == nullptr when no demand
  std::vector<std::vector<std::uint32_t>> agent_sites_;   // per agent, in creation order
  std::vector<std::vector<std::uint32_t>> agent_chips_;   // per agent: chips it may ever buy
  Fleet fleet_;
  std::vector<Shipment> shipments_;
  std::vector<std::uint32_t> pending_shipments_;
  std::vector<double> served_scratch_;
  std::vector<double> requested_scratch_, granted_scratch_;

  // Chip conservation (MODEL.md §11): initial + shipped = in transit + in service + retired.
  double initial_chips_ = 0.0;
  double shipped_chips_ = 0.0;
  double retired_chips_ = 0.0;
};

}  // namespace aidc
