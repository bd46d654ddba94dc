#pragma once
//! Static figures for papers: each chart of a report (or comparison) as its own SVG or PNG file,
//! drawn by headless Chromium from the same chart list and page script as the interactive report.

#include <filesystem>
#include <vector>

#include "aidc/report/chart.hpp"
#include "aidc/report/html_report.hpp"
#include "aidc/report/run_data.hpp"

namespace aidc {

//! Draws `charts` for `runs` (960×540 CSS pixels; PNG at twice that) and writes `dir/<chart id>.svg`
//! or `.png`, each written to a temporary name and renamed. Returns the files written, in chart
//! order. Throws OutputError when no browser is found (the message says how to get one), when it
//! fails or reports a script error, or when a file cannot be written.
std::vector<std::filesystem::path> write_figures(const std::vector<const RunData*>& runs,
                                                 const std::vector<Chart>& charts, FigureFormat format,
                                                 const std::filesystem::path& dir);

//! Decodes standard base64 (RFC 4648; whitespace ignored). Throws std::invalid_argument on bad input.
std::string decode_base64(std::string_view text);

}  // namespace aidc
