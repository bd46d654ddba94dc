#include "aidc/scenario/choices.hpp"

#include <algorithm>
#include <stdexcept>

namespace aidc {

BlocId bloc_id(const std::string& name) {
  const auto it = std::find(known_blocs.begin(), known_blocs.end(), name);
  if (it == known_blocs.end()) throw std::out_of_range("unknown bloc '" + name + "'");
  return static_cast<BlocId>(it - known_blocs.begin());
}

std::uint32_t bloc_mask(const std::vector<std::string>& blocs) {
  std::uint32_t mask = 0;
  for (const auto& b : blocs) mask |= 1U << bloc_id(b);
  return mask;
}

}  // namespace aidc
