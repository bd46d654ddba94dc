#include "aidc/output/events_jsonl.hpp"

#include "aidc/output/json.hpp"

namespace aidc {

std::string format_events_jsonl(const std::vector<LoggedEvent>& events) {
  std::string out;
  for (const auto& e : events) {
    out += "{\"quarter\":" + json_string(e.quarter.str()) +
           ",\"entity_kind\":" + json_string(entity_kind_names[static_cast<std::size_t>(e.entity_kind)]) +
           ",\"entity\":" + json_string(e.entity) + ",\"kind\":" + json_string(e.kind) +
           ",\"cause\":" + json_string(e.cause) + ",\"figures\":{";
    for (std::size_t i = 0; i < e.figures.size(); ++i) {
      out += (i ? "," : "") + json_string(e.figures[i].first) + ":" + json_number(e.figures[i].second);
    }
    out += "}}\n";
  }
  return out;
}

}  // namespace aidc
