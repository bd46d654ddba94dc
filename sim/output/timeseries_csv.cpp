#include "aidc/output/timeseries_csv.hpp"

#include <fmt/format.h>

#include <iterator>

#include "aidc/text/csv.hpp"

namespace aidc {

std::string format_timeseries_csv(const Recorder& recorder) {
  std::vector<std::string> names;
  names.reserve(recorder.entity_names().size());
  for (const auto& n : recorder.entity_names()) names.push_back(csv_field(n));
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "quarter,entity_kind,entity,metric,value\n");
  for (const Sample& s : recorder.samples()) {
    const Quarter q = Quarter::from_index(s.quarter);
    fmt::format_to(std::back_inserter(out), "{}Q{},{},{},{},{}\n", q.year(), q.quarter_of_year(),
                   entity_kind_names[static_cast<std::size_t>(s.kind)], names[s.entity], metric_name(s.metric), s.value);
  }
  return fmt::to_string(out);
}

}  // namespace aidc
