#pragma once
// Files embedded at build time by cmake/EmbedText.cmake (private to the report layer).

#include <string>
#include <string_view>

namespace aidc {

std::string_view echarts_min_js() noexcept;  // the pinned ECharts (cmake/echarts.lock)
std::string_view report_js() noexcept;       // sim/report/assets/report.js: draws the charts
std::string_view report_css() noexcept;      // sim/report/assets/report.css

// Keeps inline <script> content from closing its element early ("</" written as "<\/").
std::string script_safe(std::string_view text);

}  // namespace aidc
