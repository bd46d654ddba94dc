// libFuzzer target: any bytes as a scenario file. A ScenarioError is the expected answer to bad
// input; anything else (a crash, another exception, a sanitizer report, a hang) is a finding.
//
// The input is read as if it were a file in scenarios/, so `extends: compact.yaml` composes it
// with a real base and the merge rules are fuzzed too.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "aidc/scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string source = std::string(AIDC_SOURCE_DIR) + "/scenarios/fuzz-input.yaml";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const aidc::ScenarioSpec spec = aidc::load_scenario_text(text, source);
    if (spec.run.end < spec.run.start) __builtin_trap();  // the loader promises a horizon
  } catch (const aidc::ScenarioError& e) {
    // Refused: at least one error says why.
    const auto& ds = e.diagnostics();
    if (std::none_of(ds.begin(), ds.end(), [](const aidc::Diagnostic& d) {
          return d.severity == aidc::Diagnostic::Severity::error && !d.message.empty();
        })) {
      __builtin_trap();
    }
  }
  return 0;
}
