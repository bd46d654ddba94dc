#pragma once
//! What a sweep keeps of each run: its summary KPIs (always) and, if asked, some full series.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aidc/output/recorder.hpp"

namespace aidc::sweep {

//! A run's KPIs, in a fixed order: `end_<metric>` (every world metric at the last quarter),
//! then `sum_<metric>` over the horizon for the world's revenue, capex, power opex and free cash
//! flow (USD), then `max_<metric>` for stranded compute, unmet demand (H100e) and the price
//! (USD per H100e-hour). Units are those of the metric named.
std::vector<std::pair<std::string, double>> run_kpis(const Recorder& recorder);

//! A KPI as an expression over a run's recorded series: `METRIC[@ENTITY][:PERIOD]=STAT`.
//! METRIC is any metric (`idle_h100e`); ENTITY the name of a bloc, region, agent or vendor (the
//! world when omitted, or `@world`); PERIOD a year (`2028`), a quarter (`2028Q3`) or a window of
//! either (`2026-2028`, `2026Q3-2027Q2`), the whole horizon when omitted; STAT one of mean, sum,
//! min, max, first, last. `idle_h100e@us:2028=mean` is the US bloc's mean idle compute in 2028.
//! Its value is NaN when the run records none of it (an entity without that metric, a period
//! outside the horizon).
struct KpiExpression {
  enum class Stat { mean, sum, min, max, first, last };
  std::string text;  //!< as written: the KPI's name
  Metric metric = Metric::installed_h100e;
  std::string entity;  //!< empty: the world
  std::int32_t first_quarter = INT32_MIN, last_quarter = INT32_MAX;  //!< Quarter indexes, inclusive
  Stat stat = Stat::mean;
};

//! Parses an expression; nullopt with `problem` saying what is wrong and what was expected.
std::optional<KpiExpression> parse_kpi_expression(std::string_view text, std::string& problem);

//! Whether `text` is written as an expression (it holds '='), not a built-in KPI name.
inline bool is_kpi_expression(std::string_view text) { return text.find('=') != std::string_view::npos; }

//! The value of `e` in a run.
double evaluate_kpi(const KpiExpression& e, const Recorder& recorder);

//! run_kpis, then the expressions' values, in order, each named by its text.
std::vector<std::pair<std::string, double>> run_kpis(const Recorder& recorder, const std::vector<KpiExpression>& expressions);

//! The expressions among a sweep's `outputs.kpis` (validated when the sweep file was read).
std::vector<KpiExpression> kpi_expressions(const std::vector<std::string>& kpis);

//! The names run_kpis can give (`end_` of every metric, though a run gives only the world's),
//! for checking a sweep file's KPIs before it runs.
std::vector<std::string> kpi_names();

//! The CSV lines (`run,quarter,entity_kind,entity,metric,value`, no header) of the recorded
//! series of the metrics named in `metrics` ("all" keeps every metric), in recording order.
std::string series_lines(const Recorder& recorder, std::size_t run, const std::vector<std::string>& metrics);

//! The header line of a series file.
inline constexpr const char* series_header = "run,quarter,entity_kind,entity,metric,value\n";

}  // namespace aidc::sweep
