#include "aidc/output/run_info.hpp"

#include <fmt/format.h>

#include "aidc/kernel/random_stream.hpp"
#include "aidc/output/json.hpp"
#include "aidc/version.hpp"

namespace aidc {


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
