#pragma once
//! What a scenario may hold. The loader refuses a scenario beyond any of these limits with a clear
//! error (exit 2 from the command line) before it could exhaust memory or time; `aidcsim schema`
//! (docs/scenario-reference.md) lists them. Each list's own limit on its number of items is
//! declared with the list, in sim/scenario/schema.cpp (ParamInfo::max_items).

#include <cstddef>
#include <cstdint>

#include "aidc/text/limits.hpp"  // file size, aliases, nesting

namespace aidc::limits {

//! Files in an `extends` chain.
inline constexpr int max_extends_depth = 16;
//! Quarters from run.start to run.end, both included (250 years).
inline constexpr int max_horizon_quarters = 1000;
//! Points of one time series (a mapping of quarters to values): one per quarter of the longest
//! horizon.
inline constexpr std::size_t max_series_points = 1000;
//! Errors after which the loader stops reading lists and reports what it has.
inline constexpr std::size_t max_errors = 100;
//! Default of run.memory_limit, in MB (10^6 bytes): the memory a run's estimate may reach.
inline constexpr double default_memory_limit_mb = 8000.0;

//! What a run of a scenario is estimated to need at its peak, from its entity counts and horizon
//! (sim/scenario/limits.cpp gives the coefficients and docs/reliability.md how they were
//! measured). The loader refuses a scenario whose estimate exceeds run.memory_limit.
struct MemoryEstimate {
  double samples = 0.0;      //!< values recorded: metrics × entities (agents, regions…) × quarters
  double recorded_mb = 0.0;  //!< those values in the recorder and in the files built from them
  double state_mb = 0.0;     //!< the world: agents' events, the sites they build, sites and fleets at the start
  double process_mb = 0.0;   //!< the program itself
  [[nodiscard]] double total_mb() const noexcept { return recorded_mb + state_mb + process_mb; }
};

}  // namespace aidc::limits

namespace aidc {

struct ScenarioSpec;

//! What a run of spec is estimated to need (see limits::MemoryEstimate).
limits::MemoryEstimate estimate_memory(const ScenarioSpec& spec);

}  // namespace aidc
