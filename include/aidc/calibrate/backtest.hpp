#pragma once
//! A back-test (`aidcsim backtest`): every target series against the model's ensemble, its median
//! and 5–95% band, with each target's error and the RMS error by window and by series, and the
//! checklist of stylized facts (stylized_facts.hpp) on the same ensemble.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aidc/calibrate/ensemble_objective.hpp"
#include "aidc/calibrate/stylized_facts.hpp"
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
  std::vector<FactResult> facts;  //!< each of stylized_facts(), in its order

  //! Whether target k's record lies inside the ensemble's 5–95% band.
  [[nodiscard]] bool inside_band(std::size_t k) const;
};

//! Runs `spec` once per seed (`jobs` runs at a time), sets each target against the ensemble and
//! checks the stylized facts on it. Throws what run_target_ensemble throws. The result does not
//! depend on `jobs`.
Backtest run_backtest(const ScenarioSpec& spec, const std::vector<Target>& targets, const std::vector<std::uint64_t>& seeds,
                      const std::optional<FitWindow>& fit_window, std::size_t jobs);

//! The terminal table: one row per target (quarter, series, window, record, median [5–95%], error,
//! in band), then the RMS relative error of the median and the share inside the band by window
//! (in sample, out of sample) and by series, then the stylized facts (value on the median, pass,
//! fail or n/a, seeds where it holds, the rule and its source).
std::string format_backtest_text(const Backtest& b);

//! The CSV: `quarter,entity_kind,entity,metric,window,record,p05,p25,p50,p75,p95,error,in_band`,
//! one row per target in the targets' order.
std::string format_backtest_csv(const Backtest& b);

//! The facts' CSV: `fact,rule,source,value,status,seeds_measured,seeds_holding`, one row per fact
//! (value empty when n/a).
std::string format_facts_csv(const Backtest& b);

//! A self-contained HTML page (no script, no network): the stylized facts, the summary by window,
//! year and series, and every target against the ensemble.
std::string format_backtest_html(const Backtest& b);

}  // namespace aidc
