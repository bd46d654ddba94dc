#include "aidc/output/run_info.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "aidc/kernel/random_stream.hpp"
#include "aidc/output/json.hpp"
#include "aidc/version.hpp"

namespace aidc {


std::string scenario_hash(std::string_view text) { return fmt::format("fnv1a64:{:016x}", fnv1a64(text)); }

void describe_scenario(RunInfo& info, const ScenarioSpec& spec) {
  info.scenario_name = spec.name;
  info.scenario_description = spec.description;
  info.scenario_source = spec.source;
  info.scenario_hash = scenario_hash(spec.resolved_yaml);
  info.overrides = spec.overrides;
  info.start = spec.run.start.str();
  info.end = spec.run.end.str();
  info.resolved_scenario = spec.resolved_yaml;
  info.entities.clear();
  std::vector<std::string> blocs;
  auto add_bloc = [&](const std::string& b) {
    if (!b.empty() && std::find(blocs.begin(), blocs.end(), b) == blocs.end()) blocs.push_back(b);
  };
  for (const auto& d : spec.demand) add_bloc(d.bloc);
  for (const auto& r : spec.regions) add_bloc(r.bloc);
  for (const auto& a : spec.agents) add_bloc(a.bloc);
  for (const auto& b : blocs) info.entities.push_back({"bloc", b, "", ""});
  for (const auto& r : spec.regions) info.entities.push_back({"region", r.name, r.bloc, ""});
  for (const auto& a : spec.agents) info.entities.push_back({"agent", a.name, a.bloc, std::string(name_of(a.kind))});
  for (const auto& v : spec.vendors) info.entities.push_back({"vendor", v.name, "", ""});
}

std::string format_run_json(const RunInfo& info) {
  auto json_list = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + json_string(item);
    return "[" + out + "]";
  };
  std::string entities;
  for (const auto& e : info.entities) {
    entities += fmt::format("{}\n    {{\"kind\": {}, \"name\": {}", entities.empty() ? "" : ",", json_string(e.kind),
                            json_string(e.name));
    if (!e.bloc.empty()) entities += ", \"bloc\": " + json_string(e.bloc);
    if (!e.role.empty()) entities += ", \"role\": " + json_string(e.role);
    entities += "}";
  }
  if (!entities.empty()) entities += "\n  ";
  std::string seeds;  // an ensemble's seeds; nothing for one run
  if (!info.seeds.empty()) {
    for (const auto seed : info.seeds) seeds += (seeds.empty() ? "" : ", ") + std::to_string(seed);
    seeds = "  \"seeds\": [" + seeds + "],\n";
  }
  return fmt::format(
      "{{\n"
      "  \"aidcsim_version\": {},\n"
      "  \"build_type\": {},\n"
      "  \"scenario\": {{\"name\": {}, \"description\": {}, \"source\": {}, \"hash\": {}, \"overrides\": {}}},\n"
      "  \"seed\": {},\n{}"
      "  \"start\": {},\n"
      "  \"end\": {},\n"
      "  \"events_executed\": {},\n"
      "  \"wall_time_s\": {:.6f},\n"
      "  \"outputs\": {},\n"
      "  \"entities\": [{}],\n"
      "  \"resolved_scenario\": {}\n"
      "}}\n",
      json_string(version), json_string(build_type), json_string(info.scenario_name), json_string(info.scenario_description), json_string(info.scenario_source),
      json_string(info.scenario_hash), json_list(info.overrides), info.seed, seeds, json_string(info.start), json_string(info.end), info.events_executed,
      info.wall_seconds, json_list(info.outputs), entities, json_string(info.resolved_scenario));
}

}  // namespace aidc
