#include "aidc/sweep/kpi.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace aidc::sweep {

namespace {
constexpr Metric summed[] = {Metric::revenue_usd, Metric::capex_usd, Metric::power_opex_usd, Metric::free_cash_flow_usd};
constexpr Metric maximized[] = {Metric::stranded_h100e, Metric::unmet_demand_h100e, Metric::price_usd_per_h100e_hour};
}  // namespace

std::vector<std::pair<std::string, double>> run_kpis(const Recorder& recorder) {
  const auto& samples = recorder.samples();
  std::array<std::optional<double>, metric_count> end{};
  std::array<double, metric_count> sum{}, max{};
  max.fill(-INFINITY);
  std::int32_t last = INT32_MIN;
  for (const auto& s : samples) last = std::max(last, s.quarter);
  for (const auto& s : samples) {
    if (s.kind != EntityKind::global) continue;
    const auto m = static_cast<std::size_t>(s.metric);
    sum[m] += s.value;
    max[m] = std::max(max[m], s.value);
    if (s.quarter == last) end[m] = s.value;
  }
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t m = 0; m < metric_count; ++m) {
    if (end[m]) out.emplace_back("end_" + std::string(metric_name(static_cast<Metric>(m))), *end[m]);
  }
  for (const Metric m : summed) {
    if (end[static_cast<std::size_t>(m)]) out.emplace_back("sum_" + std::string(metric_name(m)), sum[static_cast<std::size_t>(m)]);
  }
  for (const Metric m : maximized) {
    if (end[static_cast<std::size_t>(m)]) out.emplace_back("max_" + std::string(metric_name(m)), max[static_cast<std::size_t>(m)]);
  }
  return out;
}

std::vector<std::string> kpi_names() {
  std::vector<std::string> out;
  for (std::size_t m = 0; m < metric_count; ++m) out.push_back("end_" + std::string(metric_name(static_cast<Metric>(m))));
  for (const Metric m : summed) out.push_back("sum_" + std::string(metric_name(m)));
  for (const Metric m : maximized) out.push_back("max_" + std::string(metric_name(m)));
  return out;
}

std::string series_lines(const Recorder& recorder, std::size_t run, const std::vector<std::string>& metrics) {
  std::string out;
  if (metrics.empty()) return out;
  std::array<bool, metric_count> keep{};
  for (std::size_t m = 0; m < metric_count; ++m) {
    const auto name = metric_name(static_cast<Metric>(m));
    keep[m] = std::find(metrics.begin(), metrics.end(), "all") != metrics.end() ||
              std::find(metrics.begin(), metrics.end(), name) != metrics.end();
  }
  const auto& names = recorder.entity_names();
  for (const auto& s : recorder.samples()) {
    if (!keep[static_cast<std::size_t>(s.metric)]) continue;
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{}\n", run, Quarter::from_index(s.quarter).str(),
                   entity_kind_names[static_cast<std::size_t>(s.kind)], names[s.entity], metric_name(s.metric), s.value);
  }
  return out;
}

}  // namespace aidc::sweep
