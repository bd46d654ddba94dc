#pragma once
//! Reading a scenario: YAML text → validated ScenarioSpec, or every problem found.

#include <filesystem>
#include <string>
#include <string_view>

#include "aidc/scenario/spec.hpp"

namespace aidc {

//! Parses and validates a scenario file. Throws ScenarioError listing every problem (with
//! file:line:col) if the file cannot be read or is invalid; warnings ride along in spec.warnings.
ScenarioSpec load_scenario_file(const std::filesystem::path& path);

//! Same, from text; `source` names it in messages (a path or "<embedded>/default.yaml").
ScenarioSpec load_scenario_text(std::string_view yaml_text, const std::string& source);

//! The default scenario compiled into the binary (scenarios/default.yaml).
ScenarioSpec load_default_scenario();

//! The YAML text of the embedded default scenario.
std::string_view default_scenario_text() noexcept;

}  // namespace aidc
