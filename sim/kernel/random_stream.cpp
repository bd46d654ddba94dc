#include "aidc/kernel/random_stream.hpp"

#include <cmath>
#include <numbers>

namespace aidc {

namespace {
constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
}  // namespace

RandomStream::RandomStream(std::uint64_t key) noexcept {
  // The textbook SplitMix64 sequence from state `key`: splitmix64() adds the step itself.
  std::uint64_t x = key;
  for (auto& word : s_) {
    word = splitmix64(x);
    x += 0x9E3779B97F4A7C15ULL;
  }
}

std::uint64_t RandomStream::next() noexcept {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double RandomStream::uniform() noexcept {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

double RandomStream::normal() noexcept {
  const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double RandomStream::lognormal_factor(double sigma) noexcept {
  return std::exp(sigma * normal());
}

RandomStream RandomStreams::stream(std::string_view name, std::uint64_t entity) const noexcept {
  std::uint64_t key = splitmix64(seed_);
  key = splitmix64(key ^ fnv1a64(name));
  key = splitmix64(key ^ entity);
  return RandomStream(key);
}

}  // namespace aidc
