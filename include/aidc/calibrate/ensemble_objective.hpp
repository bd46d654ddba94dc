#pragma once
//! The model's value of each target over an ensemble of seeds, and the ensemble objective of a fit.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aidc/calibrate/target.hpp"
#include "aidc/kernel/quarter.hpp"
#include "aidc/report/quantile.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! The quarters a fit uses (both included); targets outside it are validation targets.
struct FitWindow {
  Quarter first;
  Quarter last;
  [[nodiscard]] bool contains(Quarter q) const noexcept { return first <= q && q <= last; }
  [[nodiscard]] std::string str() const { return first.str() + "-" + last.str(); }
};

//! `2023Q1-2024Q4` (first and last quarter, both included). nullopt, with `problem` saying why,
//! for anything else or a window that runs backwards.
std::optional<FitWindow> parse_fit_window(std::string_view text, std::string& problem);

//! Whether each target is in sample: inside the window (every target when there is none).
std::vector<bool> in_sample_mask(const std::vector<Target>& targets, const std::optional<FitWindow>& window);

//! Each target's value in each seed's run: values[target][seed], seeds in the order given.
struct TargetEnsemble {
  std::vector<std::vector<double>> values;
  //! The spread (median, 5–95%…) of each target across the seeds.
  [[nodiscard]] std::vector<Spread> spreads() const;
};

//! Runs `spec` once per seed, `jobs` runs at a time, and keeps only the targets' values. Throws
//! ScenarioError (every target at its row) if a target names a series the run does not produce,
//! and what a run throws (the earliest seed's). The values do not depend on `jobs`.
TargetEnsemble run_target_ensemble(const ScenarioSpec& spec, const std::vector<Target>& targets,
                                   const std::vector<std::uint64_t>& seeds, std::size_t jobs);

//! The ensemble objective: the mean over the seeds of Σ w_i ((m_{s,i} − t_i) / |t_i|)² over the
//! in-sample targets i.
double ensemble_objective(const TargetEnsemble& e, const std::vector<Target>& targets, const std::vector<bool>& in_sample);

//! The relative error of the ensemble median of each target, (p50 − t) / |t|.
std::vector<double> median_errors(const std::vector<Spread>& spreads, const std::vector<Target>& targets);

//! Whether `record` lies inside the spread's 5–95% band, both ends included, to 1e-9 of the record
//! (so a record equal to a band of one value, an ensemble whose seeds agree, lies inside it).
bool inside_band(const Spread& s, double record);

//! √(mean of err²) over the targets whose mask equals `which`; NaN if there are none.
double rms_where(const std::vector<double>& errors, const std::vector<bool>& mask, bool which);

}  // namespace aidc
