#pragma once
//! A sweep checked before anything runs: every parameter's key path resolved against the base
//! scenario and found in the scenario language, every value and distribution checked against the
//! parameter's kind, unit and range, and design points instantiated and validated. What
//! `aidcsim validate SWEEP.yaml`, `aidcsim sweep --dry-run` and every sweep do first.

#include <cstddef>
#include <string>
#include <vector>

#include "aidc/scenario/loader.hpp"
#include "aidc/sweep/design.hpp"
#include "aidc/sweep/sweep_spec.hpp"
#include "aidc/text/diagnostic.hpp"

namespace aidc::sweep {

//! The base scenario of a sweep, read and parsed once (the embedded default when the sweep names
//! none). Throws ScenarioError, at the sweep's `scenario`, if it cannot be read or parsed.
ScenarioTemplate load_base_scenario(const SweepSpec& spec);

//! "fnv1a64:<16 hex digits>" of the base scenario as the sweep runs it: its resolved YAML (the
//! files it extends merged, the sweep's fixed `set:` applied, defaults written in). Recorded in
//! every shard's manifest and checked on --resume and merge.
std::string base_scenario_hash(const SweepSpec& spec, const ScenarioTemplate& base);

//! What the check found besides errors.
struct SweepCheck {
  std::size_t points = 0;          //!< design points
  std::size_t runs = 0;            //!< runs (points × replications)
  std::size_t points_checked = 0;  //!< design points instantiated and validated (all, unless the time ran out)
  std::vector<Diagnostic> warnings;
};

//! Checks `spec` against `base` before any run. Parameters: the path resolves (list items
//! exist) and names a parameter of the scenario language (did-you-mean otherwise), not a whole
//! section; a distribution draws numbers only for a numeric parameter; its support lies inside the
//! parameter's range (an unbounded normal on a share needs `min`/`max`, a truncation); a duration
//! or seed is drawn whole (`whole: true`); listed values parse with the parameter's unit and lie
//! in its range. Then the design points (point 0 first) are instantiated and validated, until
//! all are or `seconds` have passed. Every problem is placed at its `file:line:col` in the sweep
//! file. Throws ScenarioError listing every problem (errors and warnings) if there is an error.
SweepCheck check_sweep(const SweepSpec& spec, const ScenarioTemplate& base, const RunTable& table,
                       double seconds = 5.0);

}  // namespace aidc::sweep
