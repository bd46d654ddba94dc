#include "aidc/sweep/shard.hpp"

#include <charconv>
#include <cstdlib>

namespace aidc::sweep {

namespace {
std::optional<std::size_t> whole(std::string_view s) {
  std::size_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}
}  // namespace

std::string Shard::stem() const { return "shard-" + std::to_string(index) + "-of-" + std::to_string(count); }

std::optional<Shard> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const auto k = whole(std::string_view(text).substr(0, slash));
  const auto n = whole(std::string_view(text).substr(slash + 1));
  if (!k || !n || *n == 0 || *n > 100000 || *k >= *n) return std::nullopt;
  return Shard{*k, *n};
}

std::optional<Shard> shard_from_environment() {
  const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
  const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
  const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
  if (id == nullptr || count == nullptr) return std::nullopt;
  const auto k = whole(id), n = whole(count), m = whole(min != nullptr ? min : "0");
  if (!k || !n || !m || *k < *m || *k - *m >= *n) return std::nullopt;
  return Shard{*k - *m, *n};
}

}  // namespace aidc::sweep
