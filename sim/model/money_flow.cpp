#include "aidc/model/money_flow.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/edmonds_karp_max_flow.hpp>
#include <boost/graph/hawick_circuits.hpp>
#include <stdexcept>
#include <string>

namespace aidc {

namespace {

using CycleGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// Max-flow graph: every payment edge is paired with a reverse edge of capacity 0, as Boost's
// max-flow algorithms require. The edge descriptor type must be known before the graph is defined.
using FlowTraits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
struct FlowEdge {
  double capacity_usd = 0.0;
  double residual_usd = 0.0;
  FlowTraits::edge_descriptor reverse;
};
using FlowGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, FlowEdge>;

// hawick_circuits copies its visitor, so the collected circuits live outside it.
struct CircuitCollector {
  std::vector<std::vector<std::uint32_t>>* out;

  // In Boost 1.74 `path` is the circuit without its closing vertex: path.front() is the start, the
  // edge back from path.back() to it is implied. The start is the circuit's smallest vertex (the
  // search from `start` only visits higher-numbered vertices), but we normalize anyway.
  template <typename Path, typename Graph>
  void cycle(const Path& path, const Graph& /*graph*/) const {
    std::vector<std::uint32_t> c;
    c.reserve(path.size());
    for (const auto v : path) c.push_back(static_cast<std::uint32_t>(v));
    std::rotate(c.begin(), std::min_element(c.begin(), c.end()), c.end());
    out->push_back(std::move(c));
  }
};

void check_node(std::uint32_t node, std::size_t nodes, const char* what) {
  if (node >= nodes) {
    throw std::out_of_range(std::string("MoneyFlowGraph::") + what + ": node " + std::to_string(node) +
                            " out of range (graph has " + std::to_string(nodes) + " nodes)");
  }
}

}  // namespace

MoneyFlowGraph::MoneyFlowGraph(std::size_t nodes) : nodes_(nodes), amount_(nodes * nodes, 0.0) {}

void MoneyFlowGraph::add(std::uint32_t from, std::uint32_t to, double usd) {
  check_node(from, nodes_, "add");
  check_node(to, nodes_, "add");
  // `!(usd > 0)` also drops NaN, so an edge's amount is either 0 (no edge) or positive.
  if (from == to || !(usd > 0.0)) return;
  amount_[from * nodes_ + to] += usd;
}

double MoneyFlowGraph::paid_usd(std::uint32_t from, std::uint32_t to) const {
  check_node(from, nodes_, "paid_usd");
  check_node(to, nodes_, "paid_usd");
  return amount_[from * nodes_ + to];
}

double MoneyFlowGraph::received_usd(std::uint32_t node) const {
  check_node(node, nodes_, "received_usd");
  double total_usd = 0.0;
  for (std::size_t payer = 0; payer < nodes_; ++payer) total_usd += amount_[payer * nodes_ + node];
  return total_usd;
}

std::vector<std::vector<std::uint32_t>> MoneyFlowGraph::cycles() const {
  // Edges in row-major order: the adjacency lists, hence the search order, are deterministic.
  CycleGraph graph(nodes_);
  for (std::size_t from = 0; from < nodes_; ++from) {
    for (std::size_t to = 0; to < nodes_; ++to) {
      if (amount_[from * nodes_ + to] > 0.0) boost::add_edge(from, to, graph);
    }
  }

  std::vector<std::vector<std::uint32_t>> result;
  boost::hawick_circuits(graph, CircuitCollector{&result});
  // There are no parallel edges, so duplicates cannot occur; sort + unique guards the contract anyway.
  std::sort(result.begin(), result.end());
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

double MoneyFlowGraph::round_tripped_usd(std::uint32_t node) const {
  check_node(node, nodes_, "round_tripped_usd");

  // `node` is split in two: vertex `node` keeps its out-edges and is the source; the extra vertex
  // `nodes_` takes its in-edges and is the sink. A source→sink flow is then exactly money that leaves
  // `node` and returns to it. Self-payments are never recorded, so no edge joins the two copies.
  const std::size_t sink = nodes_;
  FlowGraph graph(nodes_ + 1);
  for (std::size_t from = 0; from < nodes_; ++from) {
    for (std::size_t to = 0; to < nodes_; ++to) {
      const double amount_usd = amount_[from * nodes_ + to];
      if (!(amount_usd > 0.0)) continue;
      const std::size_t head = to == node ? sink : to;
      const auto forward = boost::add_edge(from, head, FlowEdge{amount_usd, 0.0, {}}, graph).first;
      const auto backward = boost::add_edge(head, from, FlowEdge{0.0, 0.0, {}}, graph).first;
      graph[forward].reverse = backward;
      graph[backward].reverse = forward;
    }
  }

  // Edmonds–Karp rather than push-relabel: each augmentation subtracts the path's bottleneck from
  // every residual on it, so the bottleneck edge becomes exactly 0.0 (x - x == 0 in floating point)
  // and the usual termination bound holds with doubles; push-relabel's excess bookkeeping is more
  // sensitive to rounding at magnitudes around 1e12.
  const double flow_usd =
      boost::edmonds_karp_max_flow(graph, node, sink,
                                   boost::capacity_map(boost::get(&FlowEdge::capacity_usd, graph))
                                       .residual_capacity_map(boost::get(&FlowEdge::residual_usd, graph))
                                       .reverse_edge_map(boost::get(&FlowEdge::reverse, graph)));
  return std::max(flow_usd, 0.0);
}

}  // namespace aidc
