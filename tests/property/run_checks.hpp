#pragma once
// What every run of every valid scenario must satisfy, checked quarter by quarter.

#include <optional>
#include <string>
#include <vector>

#include "aidc/run/run_scenario.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc::test {

//! Checks the recorded series of a finished run, every quarter (docs/model.md, docs/outputs.md):
//! every quarter of the horizon recorded; every value finite; for the world, each bloc and each
//! agent utilized ≤ powered ≤ installed, stranded = installed − powered ≥ 0, idle = powered −
//! utilized ≥ 0, utilization ∈ [0, 1], prices, costs, values and counts ≥ 0, EBITDA, net income,
//! value gap and cumulative free cash flow equal to the sums of their parts, leverage ∈ [0, 99],
//! world and bloc figures equal to the sums over their agents; for each region 0 ≤ delivered ≤
//! requested, delivered − imported ≤ available, imports within its links' capacity and summing
//! to zero over regions; for each bloc demand = inference + training and 0 ≤ unmet ≤ demand; for
//! each vendor non-negative quantities, gross margin and round-tripped share in [0, 1]. Returns
//! one line per failed check (at most a few dozen), empty when all hold.
std::vector<std::string> check_run(const ScenarioSpec& spec, const RunResult& run);

//! Where two runs differ: their samples must be equal bit for bit, and their event logs as long.
//! Empty when they are the same.
std::vector<std::string> compare_runs(const RunResult& a, const RunResult& b);

//! A run and what was wrong with it.
struct CheckedRun {
  std::vector<std::string> problems;  //!< empty when every check held
  std::optional<RunResult> result;    //!< the first run, when it finished
};

//! Runs `spec` with its own seed — the World checks the MODEL.md §11 invariants every quarter and
//! throws on a violation — then applies check_run, and runs it again: the second run must record
//! the same values, bit for bit. An exception is a problem like any other.
CheckedRun run_and_check(const ScenarioSpec& spec);

}  // namespace aidc::test
