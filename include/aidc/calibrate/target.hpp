#pragma once
//! Calibration targets: recorded figures a scenario should reproduce, read from a CSV file.

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "aidc/kernel/quarter.hpp"
#include "aidc/model/metric.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/text/diagnostic.hpp"

namespace aidc {

//! One target value: the series (entity kind, entity, metric) at a quarter, with a weight and a
//! tolerance.
struct Target {
  Quarter quarter;
  EntityKind entity_kind = EntityKind::global;
  std::string entity;
  Metric metric = Metric::installed_h100e;
  double value = 0.0;
  double weight = 1.0;
  //! How far from the record the model may be and still match it, as a share of |value| (0.1:
  //! within 10%), for history matching (history_matching.hpp); NaN when the file gives none.
  double tolerance = std::numeric_limits<double>::quiet_NaN();
  SourceLocation where;  //!< its row in the file
};

//! Reads `quarter,entity_kind,entity,metric,value[,weight[,tolerance]]` (a header row, then one
//! target per row; `#` starts a comment line; weight defaults to 1; tolerance, a share of the
//! value ≥ 0 such as 0.1 or 10%, defaults to none; an empty weight cell is 1, an empty tolerance
//! cell none). Throws ScenarioError with every problem
//! at its file:line:col (unknown metric or kind with a suggestion, bad numbers, a target of 0).
std::vector<Target> read_targets_csv(const std::filesystem::path& path);
//! The same from text; `source` names it in messages.
std::vector<Target> parse_targets_csv(const std::string& text, const std::string& source);

//! One run's value of every target, in order; a series the run does not have is reported at the
//! target's row (a ScenarioError naming every such target).
std::vector<double> target_values(const RunResult& run, const std::vector<Target>& targets);

}  // namespace aidc
