#include "aidc/output/wide_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <limits>
#include <optional>

#include "aidc/text/csv.hpp"

namespace aidc {

std::string_view wide_csv_file_name(EntityKind kind) noexcept {
  switch (kind) {
    case EntityKind::global: return "global.csv";
    case EntityKind::bloc: return "blocs.csv";
    case EntityKind::region: return "regions.csv";
    case EntityKind::agent: return "agents.csv";
    case EntityKind::vendor: return "vendors.csv";
  }
  return "unknown.csv";
}

WideLayout wide_layout(const Recorder& recorder, EntityKind kind) {
  WideLayout w;
  w.metric_column.assign(metric_count, WideLayout::absent);
  w.entity_row.assign(recorder.entity_names().size(), WideLayout::absent);
  std::int32_t first_quarter = std::numeric_limits<std::int32_t>::max();
  std::int32_t last_quarter = std::numeric_limits<std::int32_t>::min();
  for (const Sample& s : recorder.samples()) {
    if (s.kind != kind) continue;
    const auto m = static_cast<std::size_t>(s.metric);
    if (w.metric_column[m] == WideLayout::absent) {
      w.metric_column[m] = w.metrics.size();
      w.metrics.push_back(s.metric);
    }
    if (w.entity_row[s.entity] == WideLayout::absent) {
      w.entity_row[s.entity] = w.entities.size();
      w.entities.push_back(s.entity);
    }
    first_quarter = std::min(first_quarter, s.quarter);
    last_quarter = std::max(last_quarter, s.quarter);
  }
  if (!w.entities.empty()) {
    w.first_quarter = first_quarter;
    w.quarters = static_cast<std::size_t>(last_quarter - first_quarter + 1);
  }
  return w;
}

std::string format_wide_csv(const Recorder& recorder, EntityKind kind) {
  const auto& samples = recorder.samples();
  const WideLayout w = wide_layout(recorder, kind);
  const auto& metrics = w.metrics;
  const auto& entities = w.entities;
  fmt::memory_buffer out;
  auto line = std::back_inserter(out);
  fmt::format_to(line, "quarter,entity");
  for (const Metric m : metrics) fmt::format_to(line, ",{}", metric_name(m));
  fmt::format_to(line, "\n");
  if (entities.empty()) return fmt::to_string(out);

  const std::size_t quarters = w.quarters;
  const std::int32_t first_quarter = w.first_quarter;
  const std::size_t width = metrics.size();
  std::vector<std::optional<double>> cells(quarters * entities.size() * width);
  for (const Sample& s : samples) {
    if (s.kind != kind) continue;
    const auto q = static_cast<std::size_t>(s.quarter - first_quarter);
    cells[(q * entities.size() + w.entity_row[s.entity]) * width + w.metric_column[static_cast<std::size_t>(s.metric)]] =
        s.value;
  }
  for (std::size_t q = 0; q < quarters; ++q) {
    const Quarter quarter = Quarter::from_index(first_quarter + static_cast<std::int32_t>(q));
    for (std::size_t e = 0; e < entities.size(); ++e) {
      fmt::format_to(line, "{}Q{},{}", quarter.year(), quarter.quarter_of_year(),
                     csv_field(recorder.entity_names()[entities[e]]));
      for (std::size_t c = 0; c < width; ++c) {
        const auto& cell = cells[(q * entities.size() + e) * width + c];
        if (cell) fmt::format_to(line, ",{}", *cell);
        else fmt::format_to(line, ",");
      }
      fmt::format_to(line, "\n");
    }
  }
  return fmt::to_string(out);
}

std::vector<WideCsv> format_wide_csvs(const Recorder& recorder) {
  std::vector<WideCsv> out;
  for (std::size_t k = 0; k < entity_kind_names.size(); ++k) {
    const auto kind = static_cast<EntityKind>(k);
    const bool any = std::any_of(recorder.samples().begin(), recorder.samples().end(),
                                 [&](const Sample& s) { return s.kind == kind; });
    if (any) out.push_back({std::string(wide_csv_file_name(kind)), format_wide_csv(recorder, kind)});
  }
  return out;
}

}  // namespace aidc
