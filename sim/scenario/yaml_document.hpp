#pragma once
// Private to the scenario layer: YAML text → the scenario's root mapping, with yaml-cpp's
// syntax errors translated into plain words at the most likely place of the mistake.

#include <yaml-cpp/yaml.h>

#include <string_view>

#include "yaml_reader.hpp"

namespace aidc::detail {

//! Parses text as one YAML document whose top level is a mapping, as a Tree whose nodes carry
//! ctx.file() and their line and column. Throws ScenarioError (one
//! diagnostic, with file:line:col) for a syntax error, an empty file, an unclosed quote, a second
//! document (recorded, reading goes on), or a top level that is not a mapping.
Tree parse_scenario_yaml(std::string_view text, YamlContext& ctx);

}  // namespace aidc::detail
