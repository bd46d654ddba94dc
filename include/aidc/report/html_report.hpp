#pragma once
//! The self-contained HTML pages: a run's report, a comparison of runs, and the page the static
//! figures are drawn from. Each page inlines the charting library (ECharts, embedded at build
//! time), the page script and the data, so it opens offline from a file. No timestamps: the
//! same runs give the same bytes.

#include <string>
#include <vector>

#include "aidc/report/chart.hpp"
#include "aidc/report/key_figures.hpp"
#include "aidc/report/run_data.hpp"

namespace aidc {

//! Image format of static figures.
enum class FigureFormat { svg, png };

//! The report of one run: what happened (key moments, a table by year), every chart by section,
//! a section per buyer, the timeline from the event log, and how to load the data files.
std::string format_report_html(const RunData& run);

//! Several runs overlaid on the same charts (no per-buyer section), with a table of their key
//! differences. Runs are labelled by scenario name, made unique with their directory's name.
std::string format_compare_html(const std::vector<RunData>& runs, const KeyThresholds& thresholds = {});

//! A page that draws `charts` for `runs` at a fixed size for print (titles inside, no zoom
//! controls) and writes each as base64 into `<pre class="figure-out" data-id="ID">` once drawn
//! (SVG text or PNG bytes), for figures.hpp to collect through a headless browser.
std::string format_figures_html(const std::vector<const RunData*>& runs, const std::vector<Chart>& charts,
                                FigureFormat format);

//! Labels for runs: their scenario names, made unique with the directory name (then a number).
std::vector<std::string> run_labels(const std::vector<const RunData*>& runs);

//! The embedded ECharts version ("5.6.0").
std::string_view echarts_version() noexcept;

}  // namespace aidc
