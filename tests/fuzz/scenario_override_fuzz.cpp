// libFuzzer target: `--set key.path=value` overrides applied to scenarios/compact.yaml. Each line
// of the input is one override, in order (as `--set` given several times). A ScenarioError is the
// expected answer to a bad override; anything else is a finding.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "aidc/scenario/loader.hpp"
#include "refusal.hpp"

namespace {

const std::string& compact_text() {
  static const std::string text = [] {
    std::ifstream in(std::string(AIDC_SOURCE_DIR) + "/scenarios/compact.yaml", std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    if (s.str().empty()) __builtin_trap();  // the fuzz target cannot work without its scenario
    return s.str();
  }();
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string source = std::string(AIDC_SOURCE_DIR) + "/scenarios/compact.yaml";
  std::vector<std::string> overrides;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    const std::size_t eol = std::min(rest.find('\n'), rest.size());
    overrides.emplace_back(rest.substr(0, eol));
    rest.remove_prefix(std::min(eol + 1, rest.size()));
  }
  try {
    const aidc::ScenarioSpec spec = aidc::load_scenario_text(compact_text(), source, overrides);
    if (spec.overrides != overrides) __builtin_trap();  // every override is kept, in order
  } catch (const aidc::ScenarioError& e) {
    aidc::fuzz::require_a_reason(e);
  }
  return 0;
}
