#pragma once
//! The scenario language, declared once: every section and parameter with its kind, unit,
//! default, allowed values and help. The loader validates against these declarations, and
//! `aidcsim schema` and docs/scenario-reference.md are generated from them.

#include <string>
#include <vector>

#include "aidc/scenario/param_info.hpp"

namespace aidc {

//! A section: the top level, a mapping (`run`) or the items of a list (`chips[]`).
struct SectionInfo {
  std::string path;           //!< "run", "chips[]", "agents[].strategy"
  std::string help;
  std::vector<ParamInfo> params;
};

//! Every section of the scenario language, in reading order. Built once; cheap to call.
const std::vector<SectionInfo>& scenario_schema();

//! The scenario reference as Markdown (what `aidcsim schema` prints and
//! docs/scenario-reference.md holds).
std::string scenario_reference_markdown();

}  // namespace aidc
