#pragma once
//! A power region during a run: what it can give datacenters, what is asked of it and what
//! events and agents add to it (MODEL.md §4).

#include "aidc/kernel/quarter.hpp"
#include "aidc/scenario/choices.hpp"
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

}  // namespace aidc
