#include "aidc/run/run_scenario.hpp"

#include <chrono>

#include "aidc/kernel/interrupt.hpp"
#include "aidc/kernel/simulator.hpp"
#include "aidc/model/world.hpp"

namespace aidc {

RunResult run_scenario(const ScenarioSpec& spec, std::uint64_t seed, const RunProgress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  RunResult result;
  Simulator sim;
  World world(spec, seed);
  world.set_event_sink(&result.events);
  world.attach(sim);
  result.recorder.attach(world);
  // A stop requested by a signal is honoured between quarters.
  sim.on_before_phase([&spec](Quarter q, Phase phase) {
    if (phase != Phase::exogenous) return;
    if (const int signal = interrupt_signal()) {
      throw Interrupted(signal, "simulating " + q.str() + " of " + spec.run.start.str() + ".." + spec.run.end.str());
    }
  });
  if (progress) {
    const Quarter end = spec.run.end;
    sim.on_after_phase([&progress, end](Quarter q, Phase phase) {
      if (phase == Phase::record) progress(q, end);
    });
  }
  result.events_executed = sim.run(spec.run.start, spec.run.end);
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace aidc
