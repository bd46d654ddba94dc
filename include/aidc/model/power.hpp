#pragma once
//! A power region: the power it can give datacenters.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aidc/model/chip.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! A power region's state (MODEL.md §4).
struct Region {
  const RegionSpec* spec = nullptr;
  BlocId bloc = 0;
  double available_mw = 0.0;  //!< power datacenters may draw this quarter
  double requested_mw = 0.0;  //!< by energized sites
  double delivered_mw = 0.0;
  bool power_bound = false;   //!< requests exceeded what is available
  double added_mw = 0.0;      //!< additions online so far: planned, grid_addition events, agent-funded
  double imported_mw = 0.0;   //!< net power received over links this quarter
  double sites_draw_mw = 0.0; //!< Σ capacity × PUE of every site in the region, built or not
  int interconnection_delay_quarters = 0;  //!< added to the queue by grid_delay events
  double utility_pending_mw = 0.0;  //!< generation its utility committed to, not yet online

  //! Power available to datacenters at q: generation × (1 − reserve margin) − other load, ≥ 0,
  //! plus the additions online so far (they serve datacenters: that is why they were built).
  [[nodiscard]] double datacenter_power_mw(Quarter q) const noexcept;
};

//! What a region's utility commits to build this quarter in answer to large-load requests
//! (docs/model.md §4): response × max(0, requests − available − pending), with requests the
//! capacity × PUE of every site in the region (built or queued), available the power datacenters
//! may draw now and pending what it committed to earlier and is not online yet.
double utility_commitment_mw(double requests_mw, double available_mw, double pending_mw, double response) noexcept;

//! The fastest of the technologies an agent can buy (the cheapest among equally fast ones), among
//! the bridge ones (`bridge`: behind the meter at one site) or the others (a region's supply);
//! nullptr when there is none.
const PowerTechnologySpec* fastest_power_technology(const std::vector<PowerTechnologySpec>& technologies,
                                                    bool bridge) noexcept;

}  // namespace aidc
