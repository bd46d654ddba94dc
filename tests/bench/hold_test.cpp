// The hold benchmarks compare like with like: the three kernels run the same events in the same
// order, keep the same number pending, and the reference kernel is a correct event loop.

#include "hold.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "reference_kernel.hpp"

namespace aidc::bench {
namespace {

TEST(ReferenceSimulator, RunsEventsInTimeOrderAndTiesInSchedulingOrder) {
  ReferenceSimulator sim;
  std::vector<int> order;
  sim.schedule(20, [&] { order.push_back(3); });
  sim.schedule(10, [&] { order.push_back(1); });
  sim.schedule(10, [&] {
    order.push_back(2);
    sim.schedule(15, [&] { order.push_back(25); });  // scheduled while running
  });
  sim.schedule(30, [&] { order.push_back(4); });
  while (sim.step()) {
  }
  EXPECT_EQ(order, (std::vector<int>{1, 2, 25, 3, 4}));
  EXPECT_EQ(sim.now(), 30);
  EXPECT_EQ(sim.pending(), 0U);
}

TEST(HoldDraws, NextEventIsOneToSpanQuartersLaterInAnyPhase) {
  const std::size_t n = 1000;  // span: 100 quarters
  HoldDraws draws(n, 1);
  const std::int64_t from = time_key(hold_start, Phase::market);
  std::int64_t min_quarters = 1 << 30, max_quarters = 0;
  std::vector<int> phases(phase_count, 0);
  for (int i = 0; i < 100'000; ++i) {
    const std::int64_t key = draws.next_key(from);
    const std::int64_t quarters = (key >> 3) - (from >> 3);
    min_quarters = std::min(min_quarters, quarters);
    max_quarters = std::max(max_quarters, quarters);
    ++phases[static_cast<std::size_t>(key & 7)];
  }
  EXPECT_EQ(min_quarters, 1);
  EXPECT_EQ(max_quarters, 100);
  for (const int count : phases) EXPECT_NEAR(count, 100'000 / 7, 1000);
}

TEST(Hold, KernelsRunTheSameEventsInTheSameOrder) {
  for (const std::size_t n : {std::size_t{1}, std::size_t{100}, std::size_t{10'000}}) {
    SCOPED_TRACE(n);
    SimulatorHold on_simulator(n, 7);
    const std::uint64_t events = on_simulator.run_quarters(200) + on_simulator.run_quarters(50);
    ASSERT_GT(events, 0U);
    EXPECT_EQ(on_simulator.work().executed, events);

    EventQueueHold on_queue(n, 7);
    ReferenceHold on_reference(n, 7);
    for (std::uint64_t i = 0; i < events; ++i) {
      on_queue.step();
      on_reference.step();
    }
    EXPECT_EQ(on_queue.work().checksum, on_simulator.work().checksum);
    EXPECT_EQ(on_reference.work().checksum, on_simulator.work().checksum);
    EXPECT_EQ(on_simulator.pending(), n);
    EXPECT_EQ(on_queue.pending(), n);
    EXPECT_EQ(on_reference.pending(), n);
  }
}

TEST(Hold, DensityIsAboutTwentyEventsPerQuarterAtEverySize) {
  for (const std::size_t n : {std::size_t{1'000}, std::size_t{100'000}}) {
    SCOPED_TRACE(n);
    SimulatorHold hold(n, 3);
    hold.run_quarters(static_cast<std::int32_t>(n / 5));  // two spans: past the start-up
    const std::uint64_t events = hold.run_quarters(500);
    EXPECT_NEAR(static_cast<double>(events) / 500.0, 20.0, 3.0);
  }
}

TEST(Hold, DifferentSeedsGiveDifferentRuns) {
  EventQueueHold a(100, 1), b(100, 2);
  for (int i = 0; i < 1000; ++i) {
    a.step();
    b.step();
  }
  EXPECT_NE(a.work().checksum, b.work().checksum);
}

}  // namespace
}  // namespace aidc::bench
