#pragma once
//! Named random streams: each draw sequence is a pure function of (run seed, stream name, entity).

#include <cstdint>
#include <string_view>

namespace aidc {

//! SplitMix64 step: the seeding mixer (Steele, Lea, Flood 2014).
constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

//! FNV-1a 64-bit hash of a string: stable across platforms and runs (unlike std::hash).
constexpr std::uint64_t fnv1a64(std::string_view s) noexcept {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

//! One stream of pseudo-random numbers (xoshiro256**). Distributions are implemented here, not
//! taken from <random>, whose distributions differ between standard libraries: the same seed
//! must give the same numbers everywhere. Cost: a few ns per draw; 32 bytes of state.
class RandomStream {
 public:
  //! Seeds the four state words from a 64-bit key by SplitMix64.
  explicit RandomStream(std::uint64_t key) noexcept;

  //! Next 64 random bits.
  std::uint64_t next() noexcept;
  //! Uniform in [0, 1), 53 bits of precision.
  double uniform() noexcept;
  //! Uniform in [lo, hi).
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
  //! Standard normal (Box–Muller, one value per call; the second value is discarded so the
  //! stream position is one call = two uniforms, independent of call history).
  double normal() noexcept;
  //! Normal with the given mean and standard deviation.
  double normal(double mean, double sd) noexcept { return mean + sd * normal(); }
  //! Lognormal factor with median 1 and log-space standard deviation sigma.
  double lognormal_factor(double sigma) noexcept;

 private:
  std::uint64_t s_[4];
};

//! The family of streams for one run. stream("demand", bloc_id) always yields the same
//! sequence for the same run seed, so adding draws to one stream never shifts another, and
//! results do not depend on thread count or the order entities are visited.
class RandomStreams {
 public:
  explicit RandomStreams(std::uint64_t run_seed) noexcept : seed_(run_seed) {}
  [[nodiscard]] RandomStream stream(std::string_view name, std::uint64_t entity = 0) const noexcept;
  [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }

 private:
  std::uint64_t seed_;
};

}  // namespace aidc
