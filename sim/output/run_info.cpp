#include "aidc/output/run_info.hpp"

#include <fmt/format.h>

#include "aidc/kernel/random_stream.hpp"
#include "aidc/version.hpp"

namespace aidc {

namespace {
std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<int>(c));
        else out += c;
    }
  }
  return out + "\"";
}
}  // namespace

std::string scenario_hash(std::string_view text) { return fmt::format("fnv1a64:{:016x}", fnv1a64(text)); }

std::string format_run_json(const RunInfo& info) {
  auto json_list = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + json_string(item);
    return "[" + out + "]";
  };
  return fmt::format(
      "{{\n"
      "  \"aidcsim_version\": {},\n"
      "  \"build_type\": {},\n"
      "  \"scenario\": {{\"name\": {}, \"source\": {}, \"hash\": {}, \"overrides\": {}}},\n"
      "  \"seed\": {},\n"
      "  \"start\": {},\n"
      "  \"end\": {},\n"
      "  \"events_executed\": {},\n"
      "  \"wall_time_s\": {:.6f},\n"
      "  \"outputs\": {}\n"
      "}}\n",
      json_string(version), json_string(build_type), json_string(info.scenario_name), json_string(info.scenario_source),
      json_string(info.scenario_hash), json_list(info.overrides), info.seed, json_string(info.start), json_string(info.end), info.events_executed,
      info.wall_seconds, json_list(info.outputs));
}

}  // namespace aidc
