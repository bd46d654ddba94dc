#pragma once
//! The seven phases of a quarter, in the order they run (MODEL.md §1).

#include <array>
#include <cstdint>
#include <string_view>

namespace aidc {

//! Phases of a quarter. The numeric value is the order in which they run.
enum class Phase : std::uint8_t {
  exogenous = 0,   //!< scenario events, product launches
  arrivals = 1,    //!< chip deliveries, site completions, grid additions, debt maturities
  power = 2,       //!< power allocated; chips energized or stranded
  market = 3,      //!< demand realized, markets clear, utilization and revenue
  accounting = 4,  //!< opex, depreciation, retirements, cash
  decisions = 5,   //!< agents forecast, plan, order, build
  record = 6,      //!< every metric of the quarter is recorded
};

inline constexpr std::size_t phase_count = 7;

inline constexpr std::array<Phase, phase_count> all_phases = {
    Phase::exogenous, Phase::arrivals,  Phase::power, Phase::market,
    Phase::accounting, Phase::decisions, Phase::record};

//! Lower-case name of a phase, as written in logs ("arrivals").
constexpr std::string_view phase_name(Phase p) noexcept {
  constexpr std::array<std::string_view, phase_count> names = {
      "exogenous", "arrivals", "power", "market", "accounting", "decisions", "record"};
  return names[static_cast<std::size_t>(p)];
}

}  // namespace aidc
