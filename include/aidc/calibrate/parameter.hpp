#pragma once
//! A parameter to fit: a scenario key path with bounds and a starting value.

#include <string>
#include <vector>

#include "aidc/text/diagnostic.hpp"

namespace aidc {

//! `PATH=LO:HI` or `PATH=LO:HI:START` (START defaults to the middle). The path is a `--set` key
//! path whose list items are named in brackets (`agents[meta].strategy.momentum`,
//! `demand[us].base`); values are bare numbers in the unit the scenario reference names.
struct FitParameter {
  std::string path;
  double lower = 0.0;
  double upper = 0.0;
  double start = 0.0;
};

//! Parses `--params` (comma-separated) entries; throws ScenarioError (at `--params`) listing
//! every malformed entry.
std::vector<FitParameter> parse_fit_parameters(const std::vector<std::string>& entries);

//! The `--set` assignment giving `p` the value `v` (shortest round-trip text).
std::string assignment(const FitParameter& p, double v);

}  // namespace aidc
