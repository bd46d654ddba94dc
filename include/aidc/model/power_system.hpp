#pragma once
//! The power part of a run (World): the power regions and the grid that joins them, the sites
//! that draw from it, and the generation agents and utilities add (MODEL.md §4–5).

#include <cstdint>
#include <utility>
#include <vector>

#include "aidc/model/grid.hpp"
#include "aidc/model/region.hpp"
#include "aidc/model/site.hpp"

namespace aidc {

//! Power an agent pays for: a plant for a region, or bridge power behind one site's meter.
struct PowerProject {
  std::uint32_t agent = 0, region = 0;
  std::int32_t site = -1;                // bridge power for this site (behind the meter); -1: the region
  double capacity_mw = 0.0, cost_usd = 0.0, book_value_usd = 0.0;
  double power_price_usd_per_mwh = 0.0;  // what its power costs the owner
  bool online = false;
};

//! Generation a region's utility committed to, online after its lead time.
struct UtilityAddition {
  std::uint32_t region = 0;
  double capacity_mw = 0.0;
};

struct PowerSystem {
  explicit PowerSystem(Grid g) : grid(std::move(g)) {}

  std::vector<Region> regions;
  Grid grid;
  GridFlow last_flow;                              // this quarter's grid solution
  std::vector<Site> sites;
  std::vector<PowerProject> projects;
  std::vector<UtilityAddition> utility_additions;  // committed by utilities, in order
  std::vector<double> headroom_scratch, request_scratch;  // the grid's inputs, per region

  //! The power link `link` carried this quarter (signed, positive from `from` to `to`).
  [[nodiscard]] double grid_flow_mw(std::size_t link) const noexcept { return last_flow.link_flow_mw[link]; }
};

}  // namespace aidc
