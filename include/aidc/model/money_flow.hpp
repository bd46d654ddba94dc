#pragma once
//! Who paid whom (MODEL.md §9–10): the money-flow graph of a run, its cycles (circular deals),
//! and how much of a node's income came back to it around those cycles.

#include <cstdint>
#include <vector>

namespace aidc {

//! A directed graph of cumulative payments between nodes (agents and vendors, numbered by the
//! caller). Edges accumulate: add(a, b, x) twice is one edge of 2x.
class MoneyFlowGraph {
 public:
  explicit MoneyFlowGraph(std::size_t nodes);

  //! Records a payment of usd ≥ 0 from `from` to `to` (self-payments are ignored).
  void add(std::uint32_t from, std::uint32_t to, double usd);
  //! Cumulative amount paid from `from` to `to`.
  [[nodiscard]] double paid_usd(std::uint32_t from, std::uint32_t to) const;
  //! Cumulative amount received by `node` from everyone.
  [[nodiscard]] double received_usd(std::uint32_t node) const;

  //! Every elementary cycle (found with Boost.Graph's hawick_circuits) as a list of nodes, each
  //! starting at its smallest node, sorted; edges with zero amount are not part of the graph.
  [[nodiscard]] std::vector<std::vector<std::uint32_t>> cycles() const;

  //! Money that leaves `node` and comes back to it: the maximum flow from `node` around the
  //! graph back to `node`, with each edge's capacity its cumulative amount. For a vendor that
  //! invested in a customer who (directly or through others) bought from it, this is the part of
  //! its income it paid for itself — the round-tripped revenue.
  [[nodiscard]] double round_tripped_usd(std::uint32_t node) const;

  [[nodiscard]] std::size_t nodes() const noexcept { return nodes_; }

 private:
  std::size_t nodes_;
  std::vector<double> amount_;  //!< nodes × nodes, row = payer
};

}  // namespace aidc
