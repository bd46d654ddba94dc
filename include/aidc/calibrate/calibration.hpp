#pragma once
//! Fitting a scenario's parameters to target series (`aidcsim calibrate`).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "aidc/calibrate/levenberg_marquardt.hpp"
#include "aidc/calibrate/parameter.hpp"
#include "aidc/calibrate/target.hpp"

namespace aidc {

//! What a fit found.
struct Calibration {
  std::vector<FitParameter> parameters;
  std::vector<double> fitted;        //!< one per parameter
  std::vector<Target> targets;
  std::vector<double> start_model;   //!< model value per target at the start
  std::vector<double> fitted_model;  //!< model value per target at the fit
  LmResult lm;
};

//! Fits `parameters` of the scenario file so its run (seed `seed`) matches `targets` in the
//! least-squares sense of relative errors: r_i = √w_i (model_i − target_i) / |target_i|. Every
//! evaluation loads the scenario with the parameters as `--set` overrides and runs it. Throws
//! ScenarioError if the scenario or an assignment is invalid, or a target names a series the
//! run does not produce.
Calibration calibrate(const std::filesystem::path& scenario, const std::vector<FitParameter>& parameters,
                      const std::vector<Target>& targets, std::uint64_t seed, const LmOptions& options = {});

//! The fit as Markdown: parameters (start, fitted, bounds), every target (record, model at the
//! start and at the fit, relative error), and a summary (RMS and worst relative error, share of
//! targets within 15%).
std::string format_fit_report(const Calibration& c, const std::string& scenario_name);

//! The fitted scenario as a YAML overlay: `extends: <scenario, relative to the overlay's folder>`
//! and the fitted values, nested as the key paths say (list items by `name`, `demand` by `bloc`).
std::string format_overlay_yaml(const Calibration& c, const std::filesystem::path& scenario,
                                const std::filesystem::path& overlay);
//! The same for any fit: `fitted` holds one value per parameter.
std::string format_overlay_yaml(const std::vector<FitParameter>& parameters, const std::vector<double>& fitted,
                                const std::filesystem::path& scenario, const std::filesystem::path& overlay);

}  // namespace aidc
