#pragma once
// Files embedded at build time by cmake/EmbedText.cmake (private to the report layer).

#include <string_view>

namespace aidc {

std::string_view echarts_min_js() noexcept;  // the pinned ECharts (cmake/echarts.lock)
std::string_view report_js() noexcept;       // sim/report/assets/report.js: draws the charts
std::string_view report_css() noexcept;      // sim/report/assets/report.css

}  // namespace aidc
