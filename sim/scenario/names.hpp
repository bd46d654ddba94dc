#pragma once
// Private to the scenario layer: checks every `name` of a composed scenario (aidc/scenario/names.hpp).

#include "aidc/text/yaml_tree.hpp"
#include "yaml_reader.hpp"

namespace aidc::detail {

//! Reports, at its place, every value of a `name` key anywhere in `root` that is not a valid name.
void check_names(YamlContext& ctx, const Tree& root);

}  // namespace aidc::detail
