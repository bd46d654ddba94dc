#pragma once
//! A back-test (`aidcsim backtest`): every target series against the model's ensemble, its median
//! and 5–95% band, with each target's error and the RMS error by window and by series.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aidc/calibrate/ensemble_objective.hpp"
#include "aidc/calibrate/target.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

struct Backtest {
  std::string scenario;  //!< its name
  std::vector<std::uint64_t> seeds;
  std::optional<FitWindow> fit_window;  //!< none: every target counts as in sample
  std::vector<Target> targets;
  std::vector<bool> in_sample;
  std::vector<Spread> spreads;  //!< each target's spread across the seeds
  std::vector<double> errors;   //!< (median − record) / |record|

  //! Whether target k's record lies inside the ensemble's 5–95% band.
  [[nodiscard]] bool inside_band(std::size_t k) const;
};

//! Runs `spec` over `seeds` (`jobs` at a time) and sets each target against it. Throws what
//! run_target_ensemble throws.
Backtest run_backtest(const ScenarioSpec& spec, const std::vector<Target>& targets, const std::vector<std::uint64_t>& seeds,
                      const std::optional<FitWindow>& fit_window, std::size_t jobs);

//! The terminal table: one row per target (quarter, series, window, record, median [5–95%], error,
//! in band), then the RMS relative error of the median and the share inside the band by window
//! (in sample, out of sample) and by series.
std::string format_backtest_text(const Backtest& b);

//! The CSV: `quarter,entity_kind,entity,metric,window,record,p05,p25,p50,p75,p95,error,in_band`,
//! one row per target in the targets' order.
std::string format_backtest_csv(const Backtest& b);

}  // namespace aidc
