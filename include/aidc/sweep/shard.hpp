#pragma once
//! Which part of a sweep one process runs: shard K of N (0-based), a contiguous block of runs.

#include <cstddef>
#include <optional>
#include <string>

namespace aidc::sweep {

struct Shard {
  std::size_t index = 0;  //!< K, 0-based
  std::size_t count = 1;  //!< N
  //! The first run of this shard and one past its last, for a sweep of `total` runs.
  [[nodiscard]] std::size_t begin(std::size_t total) const noexcept { return total * index / count; }
  [[nodiscard]] std::size_t end(std::size_t total) const noexcept { return total * (index + 1) / count; }
  //! "shard-K-of-N": the stem of this shard's files.
  [[nodiscard]] std::string stem() const;
};

//! Parses "K/N" (0 ≤ K < N ≤ 100000); nullopt if malformed.
std::optional<Shard> parse_shard(const std::string& text);

//! The shard of a Slurm array task: SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of
//! SLURM_ARRAY_TASK_COUNT; nullopt outside an array job.
std::optional<Shard> shard_from_environment();

}  // namespace aidc::sweep
