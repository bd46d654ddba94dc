#pragma once
//! The figures a reader asks for first, computed from a run read back from its directory: when
//! each region became power-bound and how much compute was stranded then, peak idle compute,
//! stranded quarters, cumulative capex and free cash flow, when utilization crossed thresholds.
//! The report's "key moments", `compare`'s table of differences and the end-of-run lines use them.

#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "aidc/report/run_data.hpp"

namespace aidc {

//! Thresholds of the key figures.
struct KeyThresholds {
  double utilization_high = 0.95;  //!< "utilization first reaches" this (world, fraction)
  double utilization_low = 0.90;   //!< "utilization first falls below" this, from at or above it
  double stranded_share = 0.05;    //!< a quarter counts as stranded above this share of installed
};

//! A spell during which a region's sites asked for more power than it could deliver.
struct PowerBoundSpell {
  std::string region;
  std::string bloc;               //!< the region's bloc ("" when run.json does not say)
  Quarter start;                  //!< first power-bound quarter
  std::optional<Quarter> end;     //!< first quarter no longer power-bound (none: to the end)
  double requested_mw = 0.0;      //!< at `start`
  double delivered_mw = 0.0;
  double available_mw = 0.0;
  std::string stranded_scope;     //!< whose stranded compute: the bloc, or "world"
  double stranded_h100e = 0.0;    //!< stranded compute of `stranded_scope` at `start`
  double installed_h100e = 0.0;   //!< installed compute of `stranded_scope` at `start`
  double peak_stranded_h100e = 0.0;  //!< the most stranded during the spell
  Quarter peak_quarter;
};

//! Key figures of one run (world totals unless said otherwise).
struct KeyFigures {
  double peak_idle_h100e = 0.0;
  Quarter peak_idle_quarter;
  double peak_stranded_h100e = 0.0;
  Quarter peak_stranded_quarter;
  int stranded_quarters = 0;               //!< quarters with stranded > stranded_share × installed
  double cumulative_capex_usd = 0.0;
  double cumulative_revenue_usd = 0.0;
  double cumulative_free_cash_flow_usd = 0.0;  //!< at the last quarter
  double final_installed_h100e = 0.0;
  double final_utilization = 0.0;
  double final_value_gap_usd = 0.0;
  std::optional<Quarter> utilization_first_high;  //!< first quarter at or above utilization_high
  std::optional<Quarter> utilization_first_low;   //!< first quarter below utilization_low after one at or above it
  int defaults = 0;                        //!< default events
  int distress = 0;                        //!< distress events
  std::vector<PowerBoundSpell> power_bound;  //!< every spell, by start then region order
  KeyThresholds thresholds;
};

//! Computes the key figures of `run`. Cost: linear in its series and events.
KeyFigures key_figures(const RunData& run, const KeyThresholds& thresholds = {});

//! The numeric key figures by name, in a fixed order: the columns of an ensemble's seeds.csv after
//! `seed` (peak_idle_h100e, peak_stranded_h100e, stranded_quarters, cumulative_capex_usd…).
std::vector<std::pair<std::string, double>> key_figure_values(const KeyFigures& figures);

//! Terminal lines for an ensemble: each numeric key figure as "median [5%–95%]" across the seeds
//! of `run` (read from seeds.csv, or made in memory); "" when `run` is not an ensemble.
std::string format_ensemble_figures_text(const RunData& run);

//! The first power-bound spell of each bloc, in the order blocs first become power-bound.
std::vector<PowerBoundSpell> first_power_bound_by_bloc(const KeyFigures& figures);

//! One plain sentence per bloc: when it first becomes power-bound and how much compute is
//! stranded then ("the us bloc becomes power-bound in 2027Q2: us-texas's sites ask for 10 GW, …").
std::string power_bound_sentence(const PowerBoundSpell& spell);
//! Who becomes power-bound: "the us bloc" (or "region us-texas" when its bloc is unknown).
std::string power_bound_subject(const PowerBoundSpell& spell);
//! The sentence without its opening "the us bloc becomes power-bound in 2027Q2: ".
std::string power_bound_details(const PowerBoundSpell& spell);

//! A few lines for the terminal after the yearly table: power-bound moments, peak idle and
//! stranded compute, cumulative capex, revenue and free cash flow.
std::string format_key_moments_text(const KeyFigures& figures);

}  // namespace aidc
