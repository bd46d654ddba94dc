// libFuzzer target: any bytes as a sweep file, then its run table (at most 10,000 runs, so a valid
// design stays small). A ScenarioError that says why is the expected answer to bad input;
// anything else (a crash such as the division by a Morris level count that wrapped to 0, another
// exception, a sanitizer report, a hang, memory beyond the limit) is a finding.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "aidc/sweep/design.hpp"
#include "aidc/sweep/sweep_spec.hpp"
#include "refusal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string source = std::string(AIDC_SOURCE_DIR) + "/tests/sweep/fuzz-input.yaml";
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const aidc::sweep::SweepSpec spec = aidc::sweep::load_sweep_text(text, source);
    const aidc::sweep::RunTable table = aidc::sweep::make_run_table(spec, 10'000);
    if (table.runs.size() > 10'000 || table.values.size() > table.runs.size()) __builtin_trap();
    for (const auto& run : table.runs) {
      if (run.point >= table.values.size()) __builtin_trap();
    }
  } catch (const aidc::ScenarioError& e) {
    aidc::fuzz::require_a_reason(e);
  }
  return 0;
}
