#pragma once
//! A posterior sample of parameter sets (what `calibrate --method abc` writes) and the ensemble
//! that runs the scenario once per set (`aidcsim run --posterior FILE`): row i of the file with
//! seed base + i, so the bands hold the parameters' uncertainty as well as the seeds'.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "aidc/run/ensemble.hpp"
#include "aidc/scenario/loader.hpp"
#include "aidc/text/diagnostic.hpp"

namespace aidc {

//! The parameter sets of a posterior file.
struct PosteriorSample {
  std::string source;                     //!< the file, as named
  std::vector<std::string> paths;         //!< the key paths (the columns other than `implausibility`)
  std::vector<int> path_columns;          //!< the column where each path is written in the header
  std::vector<std::vector<double>> rows;  //!< one value per path
  std::vector<int> lines;                 //!< each row's line in the file
  //! Row r's `--set` assignments, one per path.
  [[nodiscard]] std::vector<std::string> overrides(std::size_t r) const;
};

//! Reads a posterior CSV: a header of key paths (an `implausibility` column, wherever it is, is
//! read as a number and not applied), then one row of numbers per parameter set; `#` starts a
//! comment line. Throws ScenarioError listing every problem at its file:line:col: an empty file,
//! no path column, a repeated column, a row with another number of cells, a cell that is not a
//! number, no row, more than max_ensemble_seeds rows.
PosteriorSample parse_posterior_csv(const std::string& text, const std::string& source);
//! The same from a file (at most limits::max_text_bytes).
PosteriorSample read_posterior_csv(const std::filesystem::path& path);

//! Each row's scenario: `base` with `overrides` then the row's assignments. Throws ScenarioError,
//! every problem at the file:line:col of its cell (a path the scenario does not have, at its header
//! cell; a value the scenario refuses, at the row's cell, with the scenario's message).
std::vector<ScenarioSpec> posterior_scenarios(const ScenarioTemplate& base, const std::vector<std::string>& overrides,
                                              const PosteriorSample& sample);

//! Runs specs[i] with seed base_seed + i, `jobs` at a time, and sums them up as run_ensemble does
//! one scenario over seeds (ensemble.hpp): the median and quantiles of every value across the
//! rows, each row's key figures, the events of row 0; `seeds` lists base_seed + i. The same bytes
//! whatever `jobs`. Throws what a run throws (the earliest row's).
EnsembleResult run_posterior_ensemble(const std::vector<ScenarioSpec>& specs, std::uint64_t base_seed, std::size_t jobs,
                                      const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace aidc
