#pragma once
//! run.json: where a run came from (scenario, seed, version) and what it cost.

#include <cstdint>
#include <string>
#include <vector>

#include "aidc/scenario/spec.hpp"

namespace aidc {

//! A named thing of the scenario, so readers of the outputs can group series (a region's bloc).
struct RunEntity {
  std::string kind;  //!< "bloc", "region", "agent" or "vendor" (as in timeseries.csv)
  std::string name;
  std::string bloc;  //!< regions and agents: the bloc they belong to; "" otherwise
  std::string role;  //!< agents: their kind (hyperscaler, neocloud…); "" otherwise
};

//! Provenance of one run.
struct RunInfo {
  std::string scenario_name;
  std::string scenario_description;
  std::string scenario_source;   //!< path, or "<embedded>/baseline.yaml"
  std::string scenario_hash;     //!< "fnv1a64:<16 hex digits>" of the resolved scenario YAML
  std::vector<std::string> overrides;  //!< --set assignments, in order
  std::uint64_t seed = 0;         //!< an ensemble: its first seed
  std::vector<std::uint64_t> seeds;  //!< an ensemble's seeds, in order; empty for one run
  std::string start;             //!< "2023Q1"
  std::string end;
  std::uint64_t events_executed = 0;
  double wall_seconds = 0.0;
  std::vector<std::string> outputs;  //!< files written next to run.json
  std::vector<RunEntity> entities;   //!< blocs, regions, agents and vendors, in scenario order
  std::string resolved_scenario;     //!< the scenario exactly as it ran (YAML)
};

//! Fills the scenario's part of `info` from `spec`: name, description, source, hash, overrides,
//! horizon, entities and the resolved YAML.
void describe_scenario(RunInfo& info, const ScenarioSpec& spec);

//! Hash label for scenario text: "fnv1a64:" + 16 lowercase hex digits.
std::string scenario_hash(std::string_view text);

//! The JSON document (pretty-printed, keys in a fixed order, trailing newline).
std::string format_run_json(const RunInfo& info);

}  // namespace aidc
