// libFuzzer target: a sweep shard as read back by `sweep status`, `merge` and `--resume`: the
// input is the manifest, then (after a line "--") the results file, then the series file (plain
// lines or gzip members, as the manifest says), of a sweep of 100 runs. A ResultsError is the
// expected answer to a damaged shard; anything else (a
// loop that never ends on `done 0-18446744073709551615`, an allocation of what `results_bytes`
// claims, a crash, another exception) is a finding.

#include <cstddef>
#include <cstdint>
#include <string>

#include "aidc/sweep/results_store.hpp"
#include "fuzz_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t runs = 100;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto parts = aidc::fuzz::split_files(input, 3);
  const auto dir = aidc::fuzz::scratch_dir("results");
  const char* names[] = {"shard-0-of-1.manifest", "shard-0-of-1.results", "shard-0-of-1.series"};
  for (std::size_t i = 0; i < parts.size(); ++i) aidc::fuzz::write_file(dir / names[i], parts[i]);
  // The series under the compressed name too: the manifest's series_gz_bytes reads it as gzip
  // members, its series_bytes as the plain lines of older shards.
  if (parts.size() == 3) aidc::fuzz::write_file(dir / "shard-0-of-1.series.gz", parts[2]);
  try {
    const auto records = aidc::sweep::read_results(dir, true, runs);
    for (const auto& r : records) {
      if (r.run >= runs) __builtin_trap();  // every run read back is one of the sweep's
    }
  } catch (const aidc::sweep::ResultsError& e) {
    if (std::string(e.what()).empty()) __builtin_trap();
  }
  return 0;
}
