#include "aidc/model/grid.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/edmonds_karp_max_flow.hpp>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace aidc {
namespace {

// A cap set is feasible when the max-flow leaves at most this fraction of it unmet. It sits far above the rounding
// Edmonds–Karp leaves in residuals (a few ulps) and far below any MW that matters: whatever shortfall it admits ends
// up, in the final flow, on a single region, so a looser 1e-9 would show as a visibly unequal λ there.
constexpr double kFeasibleRelTolerance = 1e-12;
// A region is frozen when raising its cap adds at most this fraction of the MW in play to the max-flow.
constexpr double kFreezeRelTolerance = 1e-9;
// The bisection on λ stops when the interval is this narrow (about 43 steps); a bottlenecked region's apparent
// gain is then at most 1e-13 of its request, well under the freezing tolerance.
constexpr double kLambdaResolution = 1e-13;

// Tolerance in MW for a test whose amounts add up to about scale_mw (at least 1 MW, so tiny sums are not held to
// a precision finer than the rounding of the larger amounts around them).
double tolerance_mw(double rel_tolerance, double scale_mw) {
  return rel_tolerance * std::max(scale_mw, 1.0);
}

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = Traits::vertex_descriptor;
using Arc = Traits::edge_descriptor;
using FlowGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                        boost::property<boost::edge_capacity_t, double,
                                                        boost::property<boost::edge_residual_capacity_t, double,
                                                                        boost::property<boost::edge_reverse_t, Arc>>>>;

// The flow network of one solve: vertices 0..n-1 are the regions, then the source and the sink.
// source → region carries the region's headroom, region → sink what it may receive (set per max-flow).
// A link is one pair of arcs, from → to and to → from, each of capacity capacity_mw and each the other's reverse
// arc: pushing f one way frees f the other way, so the pair carries up to capacity_mw net in either direction and
// the net flow from → to is capacity_mw − residual(from → to).
class FlowNetwork {
 public:
  FlowNetwork(std::size_t regions, const std::vector<GridLink>& links, std::span<const double> headroom_mw)
      : graph_(regions + 2), source_(regions), sink_(regions + 1), color_(regions + 2), pred_(regions + 2) {
    sink_arcs_.reserve(regions);
    link_arcs_.reserve(links.size());
    for (std::size_t r = 0; r < regions; ++r) add_arc_pair(source_, r, headroom_mw[r], 0.0);
    for (std::size_t r = 0; r < regions; ++r) sink_arcs_.push_back(add_arc_pair(r, sink_, 0.0, 0.0));
    for (const GridLink& link : links) {
      link_arcs_.push_back(add_arc_pair(link.from, link.to, link.capacity_mw, link.capacity_mw));
    }
  }

  // Runs a max-flow with region r → sink capacity sink_cap_mw[r]. Returns the shortfall: the capacity the sink arcs
  // leave unused, 0 when every cap is met. (Measured on the sink arcs, not as sum(caps) − flow, so a met cap counts
  // exactly 0: Edmonds–Karp subtracts a path's bottleneck from that bottleneck's own residual.)
  double max_flow(std::span<const double> sink_cap_mw) {
    auto capacity = boost::get(boost::edge_capacity, graph_);
    for (std::size_t r = 0; r < sink_arcs_.size(); ++r) boost::put(capacity, sink_arcs_[r], sink_cap_mw[r]);
    // Edmonds–Karp (shortest augmenting paths): each augmentation sets its bottleneck residual to exactly 0, so with
    // doubles it still terminates, and a BFS order makes it deterministic. The graphs are small.
    boost::edmonds_karp_max_flow(
        graph_, source_, sink_, capacity, boost::get(boost::edge_residual_capacity, graph_),
        boost::get(boost::edge_reverse, graph_),
        boost::make_iterator_property_map(color_.begin(), boost::get(boost::vertex_index, graph_)),
        boost::make_iterator_property_map(pred_.begin(), boost::get(boost::vertex_index, graph_)));
    return shortfall_mw();
  }
  // The last max_flow's shortfall.
  [[nodiscard]] double shortfall_mw() const {
    double total_mw = 0.0;
    for (const Arc& arc : sink_arcs_) total_mw += residual_mw(arc);
    return total_mw;
  }

  // After max_flow: which vertices the source reaches through arcs with more than threshold_mw of residual capacity
  // (the source side of a minimum cut), by vertex.
  const std::vector<char>& source_side(double threshold_mw) {
    side_.assign(boost::num_vertices(graph_), 0);
    queue_.assign(1, source_);
    side_[source_] = 1;
    for (std::size_t head = 0; head < queue_.size(); ++head) {
      for (const Arc& arc : boost::make_iterator_range(boost::out_edges(queue_[head], graph_))) {
        const Vertex v = boost::target(arc, graph_);
        if (side_[v] == 0 && residual_mw(arc) > threshold_mw) {
          side_[v] = 1;
          queue_.push_back(v);
        }
      }
    }
    return side_;
  }
  // The capacity of the arcs from the source side `side` to other vertices than the sink: what a cut there lets
  // through before the regions' own sink arcs.
  [[nodiscard]] double cut_capacity_mw(const std::vector<char>& side) const {
    double total_mw = 0.0;
    for (Vertex u = 0; u < side.size(); ++u) {
      if (side[u] == 0) continue;
      for (const Arc& arc : boost::make_iterator_range(boost::out_edges(u, graph_))) {
        const Vertex v = boost::target(arc, graph_);
        if (side[v] == 0 && v != sink_) total_mw += boost::get(boost::edge_capacity, graph_, arc);
      }
    }
    return total_mw;
  }

  // After max_flow: the power region r receives, and the net power link l carries from → to.
  [[nodiscard]] double delivered_mw(std::size_t r) const { return flow_mw(sink_arcs_[r]); }
  [[nodiscard]] double link_flow_mw(std::size_t l) const { return flow_mw(link_arcs_[l]); }

 private:
  // Adds u → v and v → u as each other's reverse arc; returns u → v.
  Arc add_arc_pair(Vertex u, Vertex v, double cap_uv_mw, double cap_vu_mw) {
    const Arc uv = boost::add_edge(u, v, graph_).first;
    const Arc vu = boost::add_edge(v, u, graph_).first;
    boost::put(boost::edge_capacity, graph_, uv, cap_uv_mw);
    boost::put(boost::edge_capacity, graph_, vu, cap_vu_mw);
    boost::put(boost::edge_reverse, graph_, uv, vu);
    boost::put(boost::edge_reverse, graph_, vu, uv);
    return uv;
  }
  [[nodiscard]] double residual_mw(const Arc& arc) const {
    return boost::get(boost::edge_residual_capacity, graph_, arc);
  }
  [[nodiscard]] double flow_mw(const Arc& arc) const {
    return boost::get(boost::edge_capacity, graph_, arc) - residual_mw(arc);
  }

  FlowGraph graph_;
  Vertex source_;
  Vertex sink_;
  std::vector<Arc> sink_arcs_;                    // region r → sink, by region
  std::vector<Arc> link_arcs_;                    // from → to, by link
  std::vector<boost::default_color_type> color_;  // Edmonds–Karp's work space, by vertex
  std::vector<Arc> pred_;
  std::vector<char> side_;                        // source_side()'s result and work space
  std::vector<Vertex> queue_;
};

enum class Share : unsigned char { kNone, kActive, kFrozen };  // a region's state in the progressive filling

// Throws unless there is one finite, non-negative headroom and request per region.
void check_inputs(std::size_t regions, std::span<const double> headroom_mw, std::span<const double> request_mw) {
  if (headroom_mw.size() != regions || request_mw.size() != regions) {
    throw std::invalid_argument("grid solve needs one headroom and one request per region (" +
                                std::to_string(regions) + "), got " + std::to_string(headroom_mw.size()) + " and " +
                                std::to_string(request_mw.size()));
  }
  for (std::size_t r = 0; r < regions; ++r) {
    if (!(headroom_mw[r] >= 0.0) || !(request_mw[r] >= 0.0) || !std::isfinite(headroom_mw[r]) ||
        !std::isfinite(request_mw[r])) {
      throw std::invalid_argument("grid solve: headroom and request must be finite and >= 0 (region " +
                                  std::to_string(r) + ")");
    }
  }
}

// The progressive filling of the short regions' requests over a flow network whose source arcs carry the spare
// headroom. cap_mw[r] is region r's sink capacity: 0 for regions that request nothing, λ·request for active ones,
// and the λ at which they froze times request for frozen ones. Each round finds the largest feasible λ, then
// freezes the active regions that cannot get more; the rounds end when none is active.
class ProgressiveFilling {
 public:
  ProgressiveFilling(FlowNetwork& net, std::span<const double> request_mw)
      : net_(net), request_mw_(request_mw), share_(request_mw.size(), Share::kNone), cap_mw_(request_mw.size(), 0.0) {
    for (std::size_t r = 0; r < regions(); ++r) {
      if (request_mw_[r] > 0.0) {
        share_[r] = Share::kActive;
        ++active_;
      }
    }
  }

  // Runs the rounds; returns the final caps.
  const std::vector<double>& run() {
    while (active_ > 0) {
      if (feasible(1.0)) break;  // every active region gets its full request (the caps are left at request)
      double hi = 1.0;
      const bool found = newton_on_cut(hi);
      if (!found) bisect(hi);
      // The network holds the max-flow at λ when Newton's method found it; bisection's last test may be another λ.
      const double base_sum_mw = set_active_caps(lambda_);
      const double base_shortfall_mw = found ? net_.shortfall_mw() : net_.max_flow(cap_mw_);
      std::size_t frozen = freeze_unreachable(base_sum_mw);
      if (frozen == 0) frozen = freeze_by_trial(base_sum_mw, base_shortfall_mw);
      active_ -= frozen;
    }
    return cap_mw_;
  }

 private:
  [[nodiscard]] std::size_t regions() const { return request_mw_.size(); }

  // Sets every active region's cap to lambda·request; returns the sum of all caps.
  double set_active_caps(double lambda) {
    double sum_mw = 0.0;
    for (std::size_t r = 0; r < regions(); ++r) {
      if (share_[r] == Share::kActive) cap_mw_[r] = lambda * request_mw_[r];
      sum_mw += cap_mw_[r];
    }
    return sum_mw;
  }
  bool feasible(double lambda) {
    const double sum_mw = set_active_caps(lambda);
    return net_.max_flow(cap_mw_) <= tolerance_mw(kFeasibleRelTolerance, sum_mw);
  }

  // The largest feasible λ in [lambda_, hi), by Newton's method on the minimum cut: the flow network holds the
  // max-flow at an infeasible λ; its minimum cut (source side S) bounds every feasible λ, since the caps of the
  // regions outside S must pass through the arcs leaving S:
  //   λ·(Σ requests of active regions outside S) + (Σ other caps outside S) ≤ capacity of the arcs leaving S,
  // so the next λ is that bound. Each step's λ is an upper bound of the answer and falls until it is feasible
  // (a few steps: one per distinct bottleneck). True when it found it (in lambda_); false when rounding stalled
  // it, with hi the lowest infeasible λ it tried.
  bool newton_on_cut(double& hi) {
    for (std::size_t step = 0; step < 2 * regions() + 8; ++step) {
      const double sum_mw = set_active_caps(hi);
      const std::vector<char>& side = net_.source_side(tolerance_mw(kFeasibleRelTolerance, sum_mw));
      double outside_request_mw = 0.0, outside_fixed_mw = 0.0;
      for (std::size_t r = 0; r < regions(); ++r) {
        if (side[r] != 0) continue;
        if (share_[r] == Share::kActive) {
          outside_request_mw += request_mw_[r];
        } else {
          outside_fixed_mw += cap_mw_[r];
        }
      }
      if (!(outside_request_mw > 0.0)) return false;
      const double next = std::clamp((net_.cut_capacity_mw(side) - outside_fixed_mw) / outside_request_mw, lambda_, hi);
      if (!(next < hi)) return false;  // no progress: rounding
      if (feasible(next)) {
        lambda_ = next;
        return true;
      }
      hi = next;
    }
    return false;
  }

  // The largest feasible λ in [lambda_, hi), by bisection (when Newton's method stalls).
  void bisect(double hi) {
    double lo = lambda_;
    while (hi - lo > kLambdaResolution) {
      const double mid = lo + 0.5 * (hi - lo);
      if (feasible(mid)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    lambda_ = lo;
  }

  // Freezes the active regions the source cannot reach in the residual network at λ: every path to them crosses a
  // saturated arc, so raising their caps adds nothing, while a region it reaches can still get more. Returns how
  // many froze.
  std::size_t freeze_unreachable(double base_sum_mw) {
    const std::vector<char>& side = net_.source_side(tolerance_mw(kFreezeRelTolerance, base_sum_mw));
    std::size_t frozen = 0;
    for (std::size_t r = 0; r < regions(); ++r) {
      if (share_[r] == Share::kActive && side[r] == 0) {
        share_[r] = Share::kFrozen;
        ++frozen;
      }
    }
    return frozen;
  }

  // Freezes the active regions that cannot get more while the others stay at their caps: raise one cap to its
  // request and see whether the max-flow grows. (A max-flow larger than the base can always be reached from the base
  // flow by augmenting paths, which never lower a sink arc, so the others keep their λ share.) Slow — one max-flow
  // per region — and used only when the minimum cut cannot tell (rounding). Returns how many froze.
  std::size_t freeze_by_trial(double base_sum_mw, double base_shortfall_mw) {
    std::size_t frozen = 0;
    std::size_t least_gain_region = regions();
    double least_gain_mw = std::numeric_limits<double>::infinity();
    for (std::size_t r = 0; r < regions(); ++r) {
      if (share_[r] != Share::kActive) continue;
      const double base_cap_mw = cap_mw_[r];
      const double raise_mw = request_mw_[r] - base_cap_mw;
      cap_mw_[r] = request_mw_[r];
      const double gain_mw = raise_mw - (net_.max_flow(cap_mw_) - base_shortfall_mw);
      cap_mw_[r] = base_cap_mw;  // a frozen region keeps λ·request, the same cap: later tests see the same base
      if (gain_mw <= tolerance_mw(kFreezeRelTolerance, base_sum_mw + raise_mw)) {
        share_[r] = Share::kFrozen;
        ++frozen;
      }
      if (gain_mw < least_gain_mw) {
        least_gain_mw = gain_mw;
        least_gain_region = r;
      }
    }
    // λ is maximal, so some region is stuck; if rounding hides it, freeze the one that gains least so the loop ends.
    if (frozen == 0) {
      share_[least_gain_region] = Share::kFrozen;
      frozen = 1;
    }
    return frozen;
  }

  FlowNetwork& net_;
  std::span<const double> request_mw_;
  std::vector<Share> share_;
  std::vector<double> cap_mw_;
  std::size_t active_ = 0;
  double lambda_ = 0.0;  // feasible with the current frozen caps; it only rises from round to round
};

}  // namespace

Grid::Grid(std::size_t regions, std::vector<GridLink> links) : regions_(regions), links_(std::move(links)) {
  for (const GridLink& link : links_) {
    if (link.from >= regions_ || link.to >= regions_) {
      throw std::invalid_argument("grid link " + std::to_string(link.from) + " -> " + std::to_string(link.to) +
                                  " names a region beyond the " + std::to_string(regions_) + " regions");
    }
    if (!(link.capacity_mw >= 0.0) || !std::isfinite(link.capacity_mw)) {
      throw std::invalid_argument("grid link capacity must be finite and >= 0, not " +
                                  std::to_string(link.capacity_mw));
    }
  }
}

const GridFlow& Grid::solve(std::span<const double> headroom_mw, std::span<const double> request_mw) {
  check_inputs(regions_, headroom_mw, request_mw);
  // assign() keeps the vectors' storage: no allocation after the first call.
  flow_.delivered_mw.assign(regions_, 0.0);
  flow_.imported_mw.assign(regions_, 0.0);
  flow_.link_flow_mw.assign(links_.size(), 0.0);
  flow_.total_delivered_mw = 0.0;

  // Fast path: every region serves itself, no link carries power, no graph.
  bool all_fit = true;
  for (std::size_t r = 0; r < regions_; ++r) all_fit = all_fit && request_mw[r] <= headroom_mw[r];
  if (all_fit) {
    for (std::size_t r = 0; r < regions_; ++r) {
      flow_.delivered_mw[r] = request_mw[r];
      flow_.total_delivered_mw += request_mw[r];
    }
    return flow_;
  }

  // Local first: each region's own headroom serves its own sites; only the rest of the headroom
  // can be exported and only the rest of the request imported. (This keeps the total a maximum
  // flow: a path source → r → sink is never worth giving up for an export.)
  std::vector<double> local_mw(regions_), spare_mw(regions_), short_mw(regions_);
  for (std::size_t r = 0; r < regions_; ++r) {
    local_mw[r] = std::min(headroom_mw[r], request_mw[r]);
    spare_mw[r] = headroom_mw[r] - local_mw[r];
    short_mw[r] = request_mw[r] - local_mw[r];
  }

  // The rest is shared by progressive filling. The network is built here, only on this path: Grid has no member
  // to keep it between calls, and it is a few hundred arcs at most. One max-flow with the final caps gives the
  // deliveries and the link flows. Delivered is what the flow brings, so every region balances exactly: headroom
  // used = delivered − imported.
  FlowNetwork net(regions_, links_, spare_mw);
  ProgressiveFilling filling(net, short_mw);
  net.max_flow(filling.run());
  for (std::size_t r = 0; r < regions_; ++r) {
    flow_.delivered_mw[r] = local_mw[r] + net.delivered_mw(r);
    flow_.total_delivered_mw += flow_.delivered_mw[r];
  }
  for (std::size_t l = 0; l < links_.size(); ++l) {
    const double mw = net.link_flow_mw(l);
    flow_.link_flow_mw[l] = mw;
    flow_.imported_mw[links_[l].to] += mw;
    flow_.imported_mw[links_[l].from] -= mw;
  }
  return flow_;
}

}  // namespace aidc
