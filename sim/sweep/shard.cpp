#include "aidc/sweep/shard.hpp"

#include <cstdlib>

#include "aidc/text/number.hpp"

namespace aidc::sweep {

std::string Shard::stem() const { return "shard-" + std::to_string(index) + "-of-" + std::to_string(count); }

std::optional<Shard> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const auto k = parse_whole(std::string_view(text).substr(0, slash));
  const auto n = parse_whole(std::string_view(text).substr(slash + 1));
  if (!k || !n || *n == 0 || *n > 100000 || *k >= *n) return std::nullopt;
  return Shard{*k, *n};
}

std::optional<Shard> shard_from_environment() {
  const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
  const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
  const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
  if (id == nullptr || count == nullptr) return std::nullopt;
  const auto k = parse_whole(id), n = parse_whole(count), m = parse_whole(min != nullptr ? min : "0");
  if (!k || !n || !m || *k < *m || *k - *m >= *n) return std::nullopt;
  return Shard{*k - *m, *n};
}

}  // namespace aidc::sweep
