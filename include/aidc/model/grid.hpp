#pragma once
//! The power grid as a graph (MODEL.md §4): regions joined by transmission links. Each quarter a
//! max-flow decides how much of the datacenter requests in each region can be served, from the
//! region's own headroom and from its neighbours' through the links.

#include <cstdint>
#include <span>
#include <vector>

namespace aidc {

//! A transmission link between two regions; it carries up to capacity_mw in either direction.
struct GridLink {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  double capacity_mw = 0.0;
};

//! Power delivered by one solve.
struct GridFlow {
  std::vector<double> delivered_mw;  //!< per region: power its datacenters receive (≤ request)
  std::vector<double> imported_mw;   //!< per region: net power received over links (negative: exported)
  std::vector<double> link_flow_mw;  //!< per link: signed, positive from `from` to `to`
  double total_delivered_mw = 0.0;
};

//! The grid of one run. The network is a flow graph: source → region (headroom), region ↔ region
//! (links, both directions), region → sink (its sites' total request).
//!
//! Sharing rule: local first — each region's own headroom serves its own request as far as it
//! goes. What is left (spare headroom, unserved request) goes through the network: the total
//! delivered is the maximum flow, and it is shared max-min fairly in proportion to the unserved
//! request — every short region gets the same fraction λ of it, raised together until some
//! regions cannot get more (their bottleneck is saturated); those keep that fraction and the
//! others go on rising (progressive filling). Within a region, sites share pro rata to request
//! (done by the caller). When every region's request fits in its own headroom, every request is
//! served and no link carries power.
class Grid {
 public:
  Grid(std::size_t regions, std::vector<GridLink> links);

  //! Solves one quarter. headroom_mw and request_mw have one entry per region, all ≥ 0.
  //! Deterministic: the same inputs give the same bytes. The returned reference stays valid
  //! until the next call.
  const GridFlow& solve(std::span<const double> headroom_mw, std::span<const double> request_mw);

  [[nodiscard]] std::size_t regions() const noexcept { return regions_; }
  [[nodiscard]] const std::vector<GridLink>& links() const noexcept { return links_; }

 private:
  std::size_t regions_;
  std::vector<GridLink> links_;
  GridFlow flow_;
};

}  // namespace aidc
