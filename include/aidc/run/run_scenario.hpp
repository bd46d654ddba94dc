#pragma once
//! One run, start to end: builds the world from a spec, runs the kernel, records every quarter.

#include <cstdint>
#include <functional>

#include "aidc/model/event_log.hpp"
#include "aidc/model/invariant_violation.hpp"
#include "aidc/output/recorder.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! What a run produced.
struct RunResult {
  Recorder recorder;
  EventList events;  //!< the event log
  std::uint64_t events_executed = 0;
  double wall_seconds = 0.0;
};

//! Told after each quarter is recorded: the quarter just done and the last one of the run.
using RunProgress = std::function<void(Quarter done, Quarter end)>;

//! Runs `spec` with `seed` over its whole horizon. Throws InvariantViolation if the model breaks a
//! conservation law, and Interrupted (kernel/interrupt.hpp) before a quarter once SIGINT or
//! SIGTERM asked to stop. The spec is only read: many runs may share it. `progress`, if given, is
//! called once per quarter (for a progress indication; it must not throw).
RunResult run_scenario(const ScenarioSpec& spec, std::uint64_t seed, const RunProgress& progress = {});

}  // namespace aidc
