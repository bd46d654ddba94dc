// libFuzzer target: a run directory as `report` and `compare` read it back: the input is
// timeseries.csv, then (after a line "--") events.jsonl, then run.json. A ReadError (file, line,
// column, what was expected) is the expected answer to a damaged file; anything else (a series
// allocated for a span of 36,000 quarters, a crash, another exception) is a finding.

#include <cstddef>
#include <cstdint>
#include <string>

#include "aidc/report/read_error.hpp"
#include "aidc/report/run_data.hpp"
#include "aidc/scenario/limits.hpp"
#include "fuzz_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto parts = aidc::fuzz::split_files(input, 3);
  const auto dir = aidc::fuzz::scratch_dir("run");
  const char* names[] = {"timeseries.csv", "events.jsonl", "run.json"};
  for (std::size_t i = 0; i < parts.size(); ++i) aidc::fuzz::write_file(dir / names[i], parts[i]);
  try {
    const aidc::RunData run = aidc::read_run_directory(dir);
    if (run.quarters.empty() || run.quarters.size() > static_cast<std::size_t>(aidc::limits::max_horizon_quarters)) {
      __builtin_trap();  // a run read back spans 1 to 1,000 quarters
    }
    for (const auto& [key, series] : run.series_by_key) {
      if (series.size() != run.quarters.size()) __builtin_trap();
    }
  } catch (const aidc::ReadError& e) {
    if (std::string(e.what()).empty()) __builtin_trap();
  }
  return 0;
}
