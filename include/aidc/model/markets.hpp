#pragma once
//! The market part of a run (World): the compute market of each bloc, and each bloc's capacity
//! that agents weigh their rivals by (MODEL.md §7).

#include <cstdint>
#include <vector>

#include "aidc/model/market.hpp"

namespace aidc {

//! A bloc's compute capacity, installed and on order, now and a year ago.
struct BlocCapacity {
  double now_h100e = 0.0;    // installed + on order, kept up to date while agents order
  double then_h100e = 0.0;   // four quarters ago
  std::uint32_t agents = 0;
};

struct Markets {
  std::vector<BlocMarket> blocs;           // indexed by BlocId; spec == nullptr when no demand
  std::vector<BlocCapacity> capacity;      // per bloc, set at the start of each decisions phase
  std::vector<std::uint8_t> was_at_floor;  // per bloc: the price was at its floor (to log changes once)
};

}  // namespace aidc
