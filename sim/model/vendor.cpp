#include "aidc/model/vendor.hpp"

#include <algorithm>

namespace aidc {

double Vendor::backlog_chips() const noexcept {
  double total = 0.0;
  for (const auto& e : backlog) total += e.count;
  return total;
}

double serve_pro_rata(std::vector<BacklogEntry>& backlog, double capacity, std::vector<double>& served) {
  double total = 0.0;
  for (const auto& e : backlog) total += e.count;
  served.assign(backlog.size(), 0.0);
  if (total <= 0.0 || capacity <= 0.0) return 0.0;
  const double ratio = std::min(1.0, capacity / total);
  double produced = 0.0;
  for (std::size_t i = 0; i < backlog.size(); ++i) {
    served[i] = ratio >= 1.0 ? backlog[i].count : backlog[i].count * ratio;
    backlog[i].count -= served[i];
    produced += served[i];
  }
  return produced;
}

}  // namespace aidc
