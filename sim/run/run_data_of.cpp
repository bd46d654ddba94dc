#include "aidc/run/run_data_of.hpp"

#include <cmath>
#include <limits>
#include <unordered_map>

#include "aidc/version.hpp"

namespace aidc {

namespace {

void copy_provenance(RunData& run, const RunInfo& info) {
  run.scenario_name = info.scenario_name;
  run.scenario_description = info.scenario_description;
  run.scenario_source = info.scenario_source;
  run.scenario_hash = info.scenario_hash;
  run.overrides = info.overrides;
  run.seed = std::to_string(info.seed);
  run.version = version;
  run.build_type = build_type;
  for (const auto& e : info.entities) {
    if (const auto kind = parse_entity_kind(e.kind)) run.entities.push_back({*kind, e.name, e.bloc, e.role});
  }
}

void copy_series(RunData& run, const Recorder& recorder) {
  const auto& samples = recorder.samples();
  if (samples.empty()) return;
  std::int32_t first = std::numeric_limits<std::int32_t>::max(), last = std::numeric_limits<std::int32_t>::min();
  for (const Sample& s : samples) {
    first = std::min(first, s.quarter);
    last = std::max(last, s.quarter);
  }
  run.first = Quarter::from_index(first);
  for (std::int32_t q = first; q <= last; ++q) run.quarters.push_back(Quarter::from_index(q));
  const std::size_t n = run.quarters.size();
  const auto& names = recorder.entity_names();
  const std::size_t kinds = entity_kind_names.size();
  std::vector<bool> seen(names.size() * kinds, false);  // (entity, kind) already listed
  std::unordered_map<std::uint64_t, std::vector<double>*> series;  // by (entity, kind, metric)
  for (const Sample& s : samples) {
    const auto kind = static_cast<std::size_t>(s.kind);
    if (!seen[s.entity * kinds + kind]) {
      seen[s.entity * kinds + kind] = true;
      run.names_by_kind[kind].push_back(names[s.entity]);
    }
    const std::uint64_t id = (static_cast<std::uint64_t>(s.entity) * kinds + kind) * metric_count +
                             static_cast<std::size_t>(s.metric);
    auto [it, inserted] = series.try_emplace(id, nullptr);
    if (inserted) {
      auto& values = run.series_by_key[series_key(s.kind, names[s.entity], metric_name(s.metric))];
      values.assign(n, std::numeric_limits<double>::quiet_NaN());
      it->second = &values;
    }
    (*it->second)[static_cast<std::size_t>(s.quarter - first)] = s.value;
  }
}

void copy_events(RunData& run, const std::vector<LoggedEvent>& events) {
  run.events.reserve(events.size());
  for (const LoggedEvent& e : events) {
    RunEvent ev{e.quarter, e.entity_kind, e.entity, e.kind, e.cause, {}};
    ev.figures.reserve(e.figures.size());
    for (const auto& [name, value] : e.figures) {
      ev.figures.emplace_back(name, std::isfinite(value) ? value : std::numeric_limits<double>::quiet_NaN());
    }
    run.events.push_back(std::move(ev));
  }
}

}  // namespace

RunData run_data_of(const RunResult& result, const RunInfo& info) {
  RunData run;
  copy_provenance(run, info);
  copy_series(run, result.recorder);
  copy_events(run, result.events.events());
  return run;
}

}  // namespace aidc
