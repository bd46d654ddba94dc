// The money-flow graph (MODEL.md §9–10): circular deals found as cycles, and the round-tripped revenue as a max
// flow, on small graphs whose answers are worked out by hand in the comments.

#include "aidc/model/money_flow.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace aidc {
namespace {

using Cycles = std::vector<std::vector<std::uint32_t>>;

struct Payment {
  std::uint32_t from;
  std::uint32_t to;
  double usd;
};

// Six nodes, eleven edges, six overlapping elementary cycles (see MoneyFlow.SixNodeGraphHasExactlyTheCycles...):
//   0→1 100   1→0 5    1→2 70   2→0 40   2→3 50   3→4 25
//   3→5 40    4→0 50   4→2 15   5→1 35   5→3 5
constexpr std::array<Payment, 11> six_node_payments{{{0, 1, 100.0},
                                                     {1, 0, 5.0},
                                                     {1, 2, 70.0},
                                                     {2, 0, 40.0},
                                                     {2, 3, 50.0},
                                                     {3, 4, 25.0},
                                                     {3, 5, 40.0},
                                                     {4, 0, 50.0},
                                                     {4, 2, 15.0},
                                                     {5, 1, 35.0},
                                                     {5, 3, 5.0}}};

MoneyFlowGraph six_node_graph() {
  MoneyFlowGraph g(6);
  for (const Payment& p : six_node_payments) g.add(p.from, p.to, p.usd);
  return g;
}

// The vendor V (0) invests in the lab L (1), L rents compute from the cloud C (2), C buys chips from V.
TEST(MoneyFlow, CircularDealVendorLabCloud) {
  constexpr std::uint32_t v = 0, l = 1, c = 2;
  MoneyFlowGraph g(3);
  g.add(v, l, 60.0);
  g.add(v, l, 40.0);  // a second tranche: one edge of 60 + 40 = 100
  g.add(l, c, 80.0);
  g.add(c, v, 60.0);

  EXPECT_EQ(g.nodes(), 3U);
  EXPECT_EQ(g.paid_usd(v, l), 100.0);
  EXPECT_EQ(g.paid_usd(l, v), 0.0);    // edges are directed
  EXPECT_EQ(g.received_usd(v), 60.0);  // only C pays V
  EXPECT_EQ(g.received_usd(l), 100.0);
  EXPECT_EQ(g.received_usd(c), 80.0);

  EXPECT_EQ(g.cycles(), (Cycles{{v, l, c}}));
  // V→L→C→V carries min(100, 80, 60) = 60: all of V's income from C is its own money come back.
  EXPECT_EQ(g.round_tripped_usd(v), 60.0);
  // The same cycle bounds every node on it: L's 80 to C returns as at most 60.
  EXPECT_EQ(g.round_tripped_usd(l), 60.0);
  EXPECT_EQ(g.round_tripped_usd(c), 60.0);
}

TEST(MoneyFlow, DirectTwoNodeDeal) {
  MoneyFlowGraph g(2);
  g.add(0, 1, 50.0);
  g.add(1, 0, 30.0);
  EXPECT_EQ(g.cycles(), (Cycles{{0, 1}}));
  EXPECT_EQ(g.round_tripped_usd(0), 30.0);  // min(50, 30)
  EXPECT_EQ(g.round_tripped_usd(1), 30.0);
}

// V (0) invests 100 in L (1); L rents from two clouds C1 (2) and C2 (3), which both buy chips from V.
//   cycle 0→1→2→0 alone could carry min(70, 60) = 60,
//   cycle 0→1→3→0 alone could carry min(50, 45) = 45,
// but both start with the shared edge 0→1 of 100 < 60 + 45 = 105: the max flow is 100.
TEST(MoneyFlow, ParallelCyclesLimitedBySharedOutgoingEdge) {
  MoneyFlowGraph g(4);
  g.add(0, 1, 100.0);
  g.add(1, 2, 70.0);
  g.add(1, 3, 50.0);
  g.add(2, 0, 60.0);
  g.add(3, 0, 45.0);
  EXPECT_EQ(g.cycles(), (Cycles{{0, 1, 2}, {0, 1, 3}}));
  EXPECT_EQ(g.round_tripped_usd(0), 100.0);  // min cut {0→1}; V received 60 + 45 = 105 in all
  EXPECT_EQ(g.received_usd(0), 105.0);
  // From C1 (2): 2→0→1→2 carries min(60, 100, 70) = 60 (the other branch 1→3→0 leads back to 0, not to 2).
  EXPECT_EQ(g.round_tripped_usd(2), 60.0);
  EXPECT_EQ(g.round_tripped_usd(3), 45.0);  // min(45, 100, 50)
}

// The mirror image: two investments out of V that come back through one shared edge C (3) → V (0).
//   0→1→3→0 alone could carry min(40, 40) = 40, 0→2→3→0 alone min(30, 30) = 30, but 3→0 is 50 < 70.
TEST(MoneyFlow, ParallelCyclesLimitedBySharedReturningEdge) {
  MoneyFlowGraph g(4);
  g.add(0, 1, 40.0);
  g.add(0, 2, 30.0);
  g.add(1, 3, 40.0);
  g.add(2, 3, 30.0);
  g.add(3, 0, 50.0);
  EXPECT_EQ(g.cycles(), (Cycles{{0, 1, 3}, {0, 2, 3}}));
  EXPECT_EQ(g.round_tripped_usd(0), 50.0);  // min cut {3→0}
  EXPECT_EQ(g.round_tripped_usd(1), 40.0);  // 1→3→0→1: min(40, 50, 40)
  EXPECT_EQ(g.round_tripped_usd(2), 30.0);  // 2→3→0→2: min(30, 50, 30)
}

TEST(MoneyFlow, ChainHasNoCycleAndNoRoundTrip) {
  MoneyFlowGraph g(4);
  g.add(0, 1, 100.0);
  g.add(1, 2, 80.0);
  g.add(2, 3, 60.0);
  EXPECT_TRUE(g.cycles().empty());
  for (std::uint32_t n = 0; n < 4; ++n) EXPECT_EQ(g.round_tripped_usd(n), 0.0) << "node " << n;
}

TEST(MoneyFlow, ZeroNegativeAndSelfPaymentsAreIgnored) {
  MoneyFlowGraph g(4);
  g.add(0, 1, 100.0);
  g.add(1, 2, 80.0);
  g.add(2, 3, 60.0);
  g.add(3, 0, 0.0);    // would close the chain into a cycle if it were an edge
  g.add(3, 0, -10.0);  // likewise: not a refund, just ignored
  g.add(2, 2, 500.0);  // self-payment
  g.add(1, 1, 1.0);

  EXPECT_EQ(g.paid_usd(3, 0), 0.0);
  EXPECT_EQ(g.paid_usd(2, 2), 0.0);
  EXPECT_EQ(g.received_usd(0), 0.0);
  EXPECT_EQ(g.received_usd(2), 80.0);  // only 1→2, not the 500 to itself
  EXPECT_TRUE(g.cycles().empty());
  EXPECT_EQ(g.round_tripped_usd(0), 0.0);
  EXPECT_EQ(g.round_tripped_usd(2), 0.0);
}

TEST(MoneyFlow, EmptyAndSingleNodeGraphs) {
  const MoneyFlowGraph empty(0);
  EXPECT_EQ(empty.nodes(), 0U);
  EXPECT_TRUE(empty.cycles().empty());

  MoneyFlowGraph one(1);
  one.add(0, 0, 10.0);
  EXPECT_TRUE(one.cycles().empty());
  EXPECT_EQ(one.round_tripped_usd(0), 0.0);
}

TEST(MoneyFlow, CycleElsewhereIsNotARoundTrip) {
  // 0 pays into the cycle 1⇄2 but nothing comes back to 0.
  MoneyFlowGraph g(3);
  g.add(0, 1, 100.0);
  g.add(1, 2, 40.0);
  g.add(2, 1, 25.0);
  EXPECT_EQ(g.cycles(), (Cycles{{1, 2}}));
  EXPECT_EQ(g.round_tripped_usd(0), 0.0);
  EXPECT_EQ(g.round_tripped_usd(1), 25.0);  // min(40, 25)
}

TEST(MoneyFlow, OutOfRangeNodesThrow) {
  MoneyFlowGraph g(2);
  EXPECT_THROW(g.add(0, 2, 1.0), std::out_of_range);
  EXPECT_THROW(g.add(2, 0, 1.0), std::out_of_range);
  EXPECT_THROW(static_cast<void>(g.paid_usd(0, 2)), std::out_of_range);
  EXPECT_THROW(static_cast<void>(g.received_usd(2)), std::out_of_range);
  EXPECT_THROW(static_cast<void>(g.round_tripped_usd(2)), std::out_of_range);
}

// Elementary cycles of six_node_graph(), by smallest node s, searching only nodes ≥ s:
//   s = 0 (0's only out-edge is 0→1):  0→1→0;  0→1→2→0;  0→1→2→3→4→0
//          (0→1→2→3→4→2 revisits 2; 0→1→2→3→5 ends at 5→1, 5→3, both visited)
//   s = 1 (no 0):  1→2→3→5→1  (1→2→3→4 dead-ends: 4→0 excluded, 4→2 visited)
//   s = 2:         2→3→4→2    (2→3→5 dead-ends: 5→1 excluded, 5→3 visited)
//   s = 3:         3→5→3      (3→4 dead-ends: 4→0 and 4→2 excluded)
//   s = 4, 5:      none (every out-edge goes to a smaller node, or 5→3 → 3 < 5)
TEST(MoneyFlow, SixNodeGraphHasExactlyTheCyclesEnumeratedByHand) {
  const Cycles expected{{0, 1}, {0, 1, 2}, {0, 1, 2, 3, 4}, {1, 2, 3, 5}, {2, 3, 4}, {3, 5}};
  EXPECT_EQ(six_node_graph().cycles(), expected);
}

TEST(MoneyFlow, CyclesAreSortedAndIndependentOfInsertionOrder) {
  const MoneyFlowGraph forward = six_node_graph();
  const Cycles first = forward.cycles();
  EXPECT_TRUE(std::is_sorted(first.begin(), first.end()));
  for (const auto& c : first) EXPECT_EQ(c.front(), *std::min_element(c.begin(), c.end()));
  EXPECT_EQ(forward.cycles(), first);  // repeated calls agree

  // The same payments added backwards, and each split in two halves, give the same graph and cycles.
  MoneyFlowGraph backward(6);
  for (auto it = six_node_payments.rbegin(); it != six_node_payments.rend(); ++it) {
    backward.add(it->from, it->to, it->usd / 2.0);
    backward.add(it->from, it->to, it->usd / 2.0);
  }
  EXPECT_EQ(backward.cycles(), first);
  for (std::uint32_t n = 0; n < 6; ++n) {
    EXPECT_EQ(backward.round_tripped_usd(n), forward.round_tripped_usd(n)) << "node " << n;
  }
}

// Max flow 0 → 0 on six_node_graph(). Into 0 come 1→0 5, 2→0 40, 4→0 50; out of 0 goes 0→1 100.
// Node 4 is reached only through 3→4 (25), so the cut {1→0, 2→0, 3→4} has capacity 5 + 40 + 25 = 70,
// and a flow of 70 meets it: 0→1 70; 1→0 5; 1→2 65; 2→0 40; 2→3 25; 3→4 25; 4→0 25.
// Node 3's income is 2→3 50 + 5→3 5 = 55 (a cut), and all of it comes back: 3→5 40 splits into 5→3 5 and
// 5→1 35 → 1→2 35; 3→4 15 → 4→2 15; 2 then passes its 35 + 15 = 50 on to 3.
TEST(MoneyFlow, SixNodeRoundTripIsLimitedByAnInteriorCut) {
  const MoneyFlowGraph g = six_node_graph();
  EXPECT_EQ(g.round_tripped_usd(0), 70.0);
  EXPECT_EQ(g.round_tripped_usd(3), 55.0);
}

// Every subset of k ≥ 2 nodes of a complete digraph closes into (k - 1)! distinct cycles, so on 5 nodes there are
// C(5,2)·1! + C(5,3)·2! + C(5,4)·3! + C(5,5)·4! = 10 + 20 + 30 + 24 = 84 elementary cycles.
TEST(MoneyFlow, CompleteDigraphOnFiveNodesHas84Cycles) {
  MoneyFlowGraph g(5);
  for (std::uint32_t a = 0; a < 5; ++a) {
    for (std::uint32_t b = 0; b < 5; ++b) g.add(a, b, 1.0);  // a == b ignored
  }
  const Cycles cycles = g.cycles();
  ASSERT_EQ(cycles.size(), 84U);
  EXPECT_EQ(cycles.front(), (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(cycles.back(), (std::vector<std::uint32_t>{3, 4}));
  std::array<int, 6> by_length{};
  for (const auto& c : cycles) ++by_length.at(c.size());
  EXPECT_EQ(by_length, (std::array<int, 6>{0, 0, 10, 20, 30, 24}));
  // Each of the 4 others pays 0 one dollar, and 0 pays each of them one dollar: 4 disjoint 0→x→0 paths.
  EXPECT_EQ(g.round_tripped_usd(0), 4.0);
}

// Datacenter-sized amounts: 0→1 3e12, 1→0 1.25e12, 1→2 2e12, 2→0 0.7e12. The round trip through 0 is
// 1.25e12 (direct) + min(2e12, 0.7e12) = 1.95e12, below the 3e12 out of 0; cents must not disturb it.
TEST(MoneyFlow, TrillionDollarAmounts) {
  MoneyFlowGraph g(3);
  g.add(0, 1, 3e12);
  g.add(1, 0, 1.25e12 + 0.25);
  g.add(1, 2, 2e12);
  g.add(2, 0, 0.7e12 + 0.5);
  EXPECT_DOUBLE_EQ(g.round_tripped_usd(0), 1.95e12 + 0.75);
  EXPECT_EQ(g.cycles(), (Cycles{{0, 1}, {0, 1, 2}}));
}

}  // namespace
}  // namespace aidc
