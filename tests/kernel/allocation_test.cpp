// The event queue allocates nothing per event once its storage has grown: a hold test (pop one,
// push one) at a steady queue size, with global operator new counted.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "aidc/kernel/event_queue.hpp"
#include "aidc/kernel/random_stream.hpp"
#include "aidc/kernel/simulator.hpp"

namespace {
std::atomic<long> allocations{0};
}  // namespace

// A replacement global operator new/delete pair over malloc/free (the standard way to count
// allocations). GCC's -Wmismatched-new-delete cannot see that the pair belongs together.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace aidc {
namespace {

TEST(EventQueueAllocation, HoldAtSteadySizeAllocatesNothing) {
  EventQueue q;
  RandomStream rng(7);
  constexpr int size = 10'000;
  for (int i = 0; i < size; ++i) q.push(static_cast<std::int64_t>(rng.next() % 1000), 0, 0, 0);
  Event ev;
  // Warm up: cancellations and slot reuse reach their steady state.
  for (int i = 0; i < size; ++i) {
    ASSERT_TRUE(q.pop_until(INT64_MAX, ev));
    q.complete(ev);
    q.push(ev.time_key + static_cast<std::int64_t>(rng.next() % 1000), 0, 0, 0);
  }
  const long before = allocations.load();
  for (int i = 0; i < 100'000; ++i) {
    ASSERT_TRUE(q.pop_until(INT64_MAX, ev));
    q.complete(ev);
    const EventId id = q.push(ev.time_key + static_cast<std::int64_t>(rng.next() % 1000), 0, 0, 0);
    if (i % 3 == 0) {
      q.cancel(id);
      q.push(ev.time_key + 1, 0, 0, 0);
    }
  }
  EXPECT_EQ(allocations.load() - before, 0);
}

TEST(EventQueueAllocation, RecurringEventsInARunAllocateNothingPerQuarter) {
  Simulator sim;
  std::uint64_t ran = 0;
  const HandlerId h = sim.add_handler("tick", [&](const Event&) { ++ran; });
  for (const Phase p : all_phases) sim.schedule_every(Quarter(2000, 1), p, 1, h);
  sim.run(Quarter(2000, 1), Quarter(2000, 4));  // grows the storage once
  const long before = allocations.load();
  sim.run(Quarter(2001, 1), Quarter(2100, 4));
  EXPECT_EQ(allocations.load() - before, 0);
  EXPECT_EQ(ran, 7u * 4u * 101u);
}

}  // namespace
}  // namespace aidc
