#pragma once
//! One run, start to end: builds the world from a spec, runs the kernel, records every quarter.

#include <cstdint>

#include "aidc/model/event_log.hpp"
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

//! Runs `spec` with `seed` over its whole horizon. Throws InvariantViolation if the model breaks a
//! conservation law. The spec is only read: many runs may share it.
RunResult run_scenario(const ScenarioSpec& spec, std::uint64_t seed);

}  // namespace aidc
