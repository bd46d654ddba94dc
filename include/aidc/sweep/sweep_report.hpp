#pragma once
//! The HTML report of a sweep: per KPI, the parameters ranked by their effect (Sobol indices for
//! a saltelli design, Morris μ* for a morris one) and by their partial rank correlation, as bar
//! charts in the style of the run reports, with the noise and the PRIM box. One self-contained
//! file (ECharts and the data inlined); the same results give the same bytes.

#include <string>

#include "aidc/sweep/sensitivity.hpp"

namespace aidc::sweep {

//! The page for the KPIs `analyze` would analyse with these options. Throws std::runtime_error
//! for an unknown KPI.
std::string format_sweep_report_html(const SweepResults& results, const AnalysisOptions& options);

}  // namespace aidc::sweep
