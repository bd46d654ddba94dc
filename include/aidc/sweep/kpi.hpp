#pragma once
//! What a sweep keeps of each run: its summary KPIs (always) and, if asked, some full series.

#include <string>
#include <utility>
#include <vector>

#include "aidc/output/recorder.hpp"

namespace aidc::sweep {

//! A run's KPIs, in a fixed order: `end_<metric>` (every world metric at the last quarter),
//! then `sum_<metric>` over the horizon for the world's revenue, capex, power opex and free cash
//! flow (USD), then `max_<metric>` for stranded compute, unmet demand (H100e) and the price
//! (USD per H100e-hour). Units are those of the metric named.
std::vector<std::pair<std::string, double>> run_kpis(const Recorder& recorder);

//! The names run_kpis can give (`end_` of every metric, though a run gives only the world's),
//! for checking a sweep file's KPIs before it runs.
std::vector<std::string> kpi_names();

//! The CSV lines (`run,quarter,entity_kind,entity,metric,value`, no header) of the recorded
//! series of the metrics named in `metrics` ("all" keeps every metric), in recording order.
std::string series_lines(const Recorder& recorder, std::size_t run, const std::vector<std::string>& metrics);

//! The header line of a series file.
inline constexpr const char* series_header = "run,quarter,entity_kind,entity,metric,value\n";

}  // namespace aidc::sweep
