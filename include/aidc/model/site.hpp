#pragma once
//! A datacenter: IT capacity, rack density, PUE, and where it stands (building, interconnected).

#include <cstdint>
#include <string>

#include "aidc/kernel/event_queue.hpp"
#include "aidc/kernel/quarter.hpp"

namespace aidc {

//! One datacenter's state. Chips are hosted only once it is built; they are powered only once it
//! is also interconnected, and then only as far as its region's power allows (MODEL.md §4–5).
struct Site {
  std::string name;
  std::uint32_t owner = 0;
  std::uint32_t region = 0;
  double capacity_mw = 0.0;     //!< IT capacity
  double pue = 1.2;
  double rack_kw = 40.0;        //!< densest rack it can host
  double cost_usd = 0.0;        //!< total build cost
  int life_quarters = 80;
  int build_quarters = 0;       //!< quarters of construction spending (0: pre-existing)
  Quarter started;              //!< construction start (first quarter of spending)
  Quarter queued;               //!< its grid request counts from here (grid delays re-time the grant from it)
  bool awaiting_construction = false;  //!< planned and queued for the grid; building starts at `started`
  bool built = false;
  bool interconnected = false;
  bool leased = false;
  double lease_usd_per_quarter = 0.0;
  Quarter retrofit_until;       //!< down for a retrofit until this quarter (exclusive)
  double retrofit_rack_kw = 0.0;//!< density after the retrofit in progress (0: none)
  EventId interconnection;      //!< the pending grant (grid delays move it)
  Quarter interconnection_due;  //!< when that grant comes

  // Per-quarter state.
  double used_mw = 0.0;         //!< IT load of the chips placed here
  double requested_mw = 0.0;    //!< grid power asked for: used IT load × PUE (once built)
  double delivered_mw = 0.0;    //!< power it receives this quarter: from the grid and its bridge
  double bridge_mw = 0.0;       //!< behind-the-meter (bridge) generation online at the site
  double bridge_delivered_mw = 0.0;  //!< of delivered_mw, what the bridge supplies this quarter
  double bridge_price_usd_per_mwh = 0.0;  //!< cost of the bridge's power
  bool bridge_ordered = false;  //!< bridge power is on order or online
  double book_value_usd = 0.0;  //!< capitalized build spending less depreciation

  [[nodiscard]] double free_mw() const noexcept { return capacity_mw > used_mw ? capacity_mw - used_mw : 0.0; }
  [[nodiscard]] bool retrofitting(Quarter now) const noexcept { return retrofit_rack_kw > 0.0 && now < retrofit_until; }
  [[nodiscard]] bool energized() const noexcept { return built && interconnected; }
  //! It can power chips: built and interconnected or with bridge generation of its own.
  [[nodiscard]] bool has_power() const noexcept { return built && (interconnected || bridge_mw > 0.0); }
};

//! When construction of a new site starts (its first quarter of spending) so that it is built
//! `ready_before_grid` quarters before its grid connection `grant`: `grant − ready − build + 1`.
//! Not timed (`ready_before_grid` < 0) or with bridge power (it can run before the grid): `grant`
//! is irrelevant and the earliest quarter is returned (the caller takes the later of it and now).
[[nodiscard]] constexpr Quarter construction_start(Quarter grant, int build_quarters, int ready_before_grid_quarters,
                                                   bool bridge_power) noexcept {
  if (ready_before_grid_quarters < 0 || bridge_power) return Quarter{};
  return grant - ready_before_grid_quarters - build_quarters + 1;
}

}  // namespace aidc
