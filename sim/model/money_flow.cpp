#include "aidc/model/money_flow.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/hawick_circuits.hpp>
#include <stdexcept>
#include <string>

namespace aidc {

namespace {

using CycleGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

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
  // The graph is small and dense (agents and vendors), so the residual capacities are one matrix
  // and each vertex's neighbours (either direction) one list: no allocation per edge.
  const std::size_t n = nodes_ + 1, sink = nodes_;
  std::vector<double> residual(n * n, 0.0);
  std::vector<std::vector<std::uint32_t>> neighbours(n);
  for (std::size_t from = 0; from < nodes_; ++from) {
    for (std::size_t to = 0; to < nodes_; ++to) {
      const double amount_usd = amount_[from * nodes_ + to];
      if (!(amount_usd > 0.0)) continue;
      const std::size_t head = to == node ? sink : to;
      residual[from * n + head] = amount_usd;
      neighbours[from].push_back(static_cast<std::uint32_t>(head));
      neighbours[head].push_back(static_cast<std::uint32_t>(from));
    }
  }

  // Edmonds–Karp (shortest augmenting paths by breadth-first search): each augmentation subtracts
  // the path's bottleneck from every residual on it, so the bottleneck edge becomes exactly 0.0
  // (x - x == 0 in floating point) and the usual termination bound holds with doubles.
  constexpr std::uint32_t none = ~std::uint32_t{0};
  std::vector<std::uint32_t> parent(n), queue;
  queue.reserve(n);
  double flow_usd = 0.0;
  for (;;) {
    std::fill(parent.begin(), parent.end(), none);
    parent[node] = node;
    queue.assign(1, node);
    for (std::size_t head = 0; head < queue.size() && parent[sink] == none; ++head) {
      const std::uint32_t u = queue[head];
      for (const std::uint32_t v : neighbours[u]) {
        if (parent[v] == none && residual[u * n + v] > 0.0) {
          parent[v] = u;
          queue.push_back(v);
        }
      }
    }
    if (parent[sink] == none) break;
    double bottleneck_usd = residual[parent[sink] * n + sink];
    for (std::size_t v = sink; v != node; v = parent[v]) bottleneck_usd = std::min(bottleneck_usd, residual[parent[v] * n + v]);
    for (std::size_t v = sink; v != node; v = parent[v]) {
      residual[parent[v] * n + v] -= bottleneck_usd;
      residual[v * n + parent[v]] += bottleneck_usd;
    }
    flow_usd += bottleneck_usd;
  }
  return std::max(flow_usd, 0.0);
}

}  // namespace aidc
