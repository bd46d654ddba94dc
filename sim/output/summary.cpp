#include "aidc/output/summary.hpp"

#include <fmt/format.h>

#include <iterator>

namespace aidc {

std::string format_summary(const Recorder& recorder, Quarter start, Quarter end) {
  auto get = [&](Quarter q, Metric m) { return recorder.value(q, EntityKind::global, "world", m).value_or(0.0); };
  fmt::memory_buffer out;
  const auto line = std::back_inserter(out);
  fmt::format_to(line, "{:<6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>6} {:>8} {:>9} {:>9}\n", "year", "installed", "powered", "stranded",
       "utilized", "idle", "util", "price", "revenue", "capex");
  fmt::format_to(line, "{:<6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>6} {:>8} {:>9} {:>9}\n", "", "M H100e", "M H100e", "M H100e", "M H100e",
       "M H100e", "%", "$/h", "$B/yr", "$B/yr");
  for (int year = start.year(); year <= end.year(); ++year) {
    const Quarter first = std::max(start, Quarter(year, 1));
    const Quarter last = std::min(end, Quarter(year, 4));
    double revenue = 0.0, capex = 0.0;
    for (Quarter q = first; q <= last; ++q) {
      revenue += get(q, Metric::revenue_usd);
      capex += get(q, Metric::capex_usd);
    }
    fmt::format_to(line, "{:<6} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} {:>6.1f} {:>8.2f} {:>9.1f} {:>9.1f}\n", year,
         get(last, Metric::installed_h100e) / 1e6, get(last, Metric::powered_h100e) / 1e6,
         get(last, Metric::stranded_h100e) / 1e6, get(last, Metric::utilized_h100e) / 1e6,
         get(last, Metric::idle_h100e) / 1e6, 100.0 * get(last, Metric::utilization),
         get(last, Metric::price_usd_per_h100e_hour), revenue / 1e9, capex / 1e9);
  }
  fmt::format_to(line, "Compute, util and price: Q4 values; revenue (cash from others: own use excluded) and capex "
                       "(AI and non-AI): sums of the year's quarters.\n");
  return fmt::to_string(out);
}

}  // namespace aidc
