#include "aidc/scenario/limits.hpp"

#include "aidc/scenario/spec.hpp"

namespace aidc {

namespace {

// Values the model records per entity and quarter (the metrics each kind of entity reports,
// sim/model/world_report.cpp: 40 per agent, 12 per vendor, 5 per region, 15 per bloc and 42 for
// the world), rounded up so that a new metric does not make the estimate low.
constexpr double values_per_agent = 48.0;
constexpr double values_per_vendor = 16.0;
constexpr double values_per_region = 8.0;
constexpr double values_per_blocs_and_world = 3 * 16.0 + 48.0;

// Bytes one recorded value costs at the peak of a run that writes its files: the recorder's
// 24-byte sample with the room its vector grows into, and its 50-byte line of timeseries.csv
// and its cell of the wide tables, each built in memory before it is written.
constexpr double bytes_per_value = 200.0;

// The world's own state: a site at the start (with its chip cohorts), a fleet entry, and what an
// agent adds each quarter: the event log (some 2 kB of events.jsonl per agent and quarter in a
// busy market, kept in memory and then formatted), the sites it builds, the cohorts it buys.
constexpr double bytes_per_site = 2'000.0;
constexpr double bytes_per_fleet_entry = 500.0;
constexpr double bytes_per_agent_quarter = 6'000.0;

// The program with its libraries, before it reads a scenario (12 MB measured).
constexpr double process_mb = 20.0;

}  // namespace

limits::MemoryEstimate estimate_memory(const ScenarioSpec& spec) {
  const double quarters = static_cast<double>(spec.run.end - spec.run.start + 1);
  const auto count = [](const auto& items) { return static_cast<double>(items.size()); };
  double fleet_entries = 0.0;
  for (const auto& a : spec.agents) fleet_entries += count(a.fleet);

  limits::MemoryEstimate e;
  e.samples = quarters * (count(spec.agents) * values_per_agent + count(spec.vendors) * values_per_vendor +
                          count(spec.regions) * values_per_region + values_per_blocs_and_world);
  e.recorded_mb = e.samples * bytes_per_value / 1e6;
  e.state_mb = (count(spec.sites) * bytes_per_site + fleet_entries * bytes_per_fleet_entry +
                count(spec.agents) * quarters * bytes_per_agent_quarter) /
               1e6;
  e.process_mb = process_mb;
  return e;
}

}  // namespace aidc
