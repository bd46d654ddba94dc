#include "aidc/kernel/event_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "aidc/kernel/random_stream.hpp"

namespace aidc {
namespace {

constexpr std::int64_t kNoLimit = std::numeric_limits<std::int64_t>::max();

// Pops (and completes) everything with time_key <= limit, returning the events in pop order.
std::vector<Event> drain(EventQueue& q, std::int64_t limit = kNoLimit) {
  std::vector<Event> out;
  Event ev;
  while (q.pop_until(limit, ev)) {
    out.push_back(ev);
    q.complete(ev);
  }
  return out;
}

TEST(EventQueue, EventIsSmallPlainData) {
  static_assert(sizeof(Event) == 48);
  EXPECT_EQ(EventId{}, (EventId{0, 0}));
}

TEST(EventQueue, TimeKeyEncodesQuarterAndPhase) {
  const Quarter q(2025, 3);
  for (const Phase p : all_phases) {
    const std::int64_t k = time_key(q, p);
    EXPECT_EQ(k, static_cast<std::int64_t>(q.index()) * 8 + static_cast<std::int64_t>(p));
    Event ev;
    ev.time_key = k;
    EXPECT_EQ(ev.quarter(), q);
    EXPECT_EQ(ev.phase(), p);
  }
  EXPECT_LT(time_key(q, Phase::record), time_key(q + 1, Phase::exogenous));
}

TEST(EventQueue, EmptyQueue) {
  EventQueue q;
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0U);
  EXPECT_EQ(q.next_key(), kNoLimit);
  Event ev;
  EXPECT_FALSE(q.pop_until(kNoLimit, ev));
}

TEST(EventQueue, PopsInTimeKeyOrder) {
  EventQueue q;
  const std::vector<std::int64_t> keys = {50, 10, 40, 20, 30, 0, 70, 60, -5};
  for (std::size_t i = 0; i < keys.size(); ++i) q.push(keys[i], 0, i, 0);
  EXPECT_EQ(q.size(), keys.size());
  EXPECT_EQ(q.next_key(), -5);

  const std::vector<Event> out = drain(q);
  ASSERT_EQ(out.size(), keys.size());
  std::vector<std::int64_t> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].time_key, sorted[i]);
    EXPECT_EQ(keys[out[i].subject], out[i].time_key);  // payload travels with the event
  }
  EXPECT_TRUE(q.empty());
}

TEST(EventQueue, PayloadAndHandlerPreserved) {
  EventQueue q;
  const EventId id = q.push(123, 7, 0xDEADBEEFCAFEULL, 42, 0);
  Event ev;
  ASSERT_TRUE(q.pop_until(kNoLimit, ev));
  EXPECT_EQ(ev.time_key, 123);
  EXPECT_EQ(ev.handler, 7U);
  EXPECT_EQ(ev.subject, 0xDEADBEEFCAFEULL);
  EXPECT_EQ(ev.arg, 42U);
  EXPECT_EQ(ev.period_quarters, 0);
  EXPECT_EQ(ev.id(), id);
  q.complete(ev);
}

TEST(EventQueue, TiesBrokenByInsertionOrder) {
  EventQueue q;
  constexpr std::uint64_t n = 1000;
  // Interleave two keys so that the heap is genuinely reshuffled.
  for (std::uint64_t i = 0; i < n; ++i) q.push(i % 2 == 0 ? 16 : 8, 0, i, 0);
  const std::vector<Event> out = drain(q);
  ASSERT_EQ(out.size(), n);
  for (std::size_t i = 0; i < n / 2; ++i) {
    EXPECT_EQ(out[i].time_key, 8);
    EXPECT_EQ(out[i].subject, 2 * i + 1);
  }
  for (std::size_t i = 0; i < n / 2; ++i) {
    EXPECT_EQ(out[n / 2 + i].time_key, 16);
    EXPECT_EQ(out[n / 2 + i].subject, 2 * i);
  }
  for (std::size_t i = 1; i < out.size(); ++i) EXPECT_TRUE(runs_before(out[i - 1], out[i]));
}

TEST(EventQueue, ManyEventsAtSameKeyComeOutInInsertionOrder) {
  EventQueue q;
  constexpr std::uint64_t n = 5000;
  for (std::uint64_t i = 0; i < n; ++i) q.push(100, 0, i, 0);
  const std::vector<Event> out = drain(q);
  ASSERT_EQ(out.size(), n);
  for (std::uint64_t i = 0; i < n; ++i) EXPECT_EQ(out[i].subject, i);
}

TEST(EventQueue, RunsBeforeIsTotal) {
  Event a;
  Event b;
  a.time_key = 5;
  a.seq = 9;
  b.time_key = 6;
  b.seq = 1;
  EXPECT_TRUE(runs_before(a, b));
  EXPECT_FALSE(runs_before(b, a));
  b.time_key = 5;
  EXPECT_TRUE(runs_before(b, a));
  EXPECT_FALSE(runs_before(a, b));
  EXPECT_FALSE(runs_before(a, a));
}

TEST(EventQueue, PopUntilRespectsLimit) {
  EventQueue q;
  q.push(10, 0, 1, 0);
  q.push(20, 0, 2, 0);
  q.push(30, 0, 3, 0);
  Event ev;
  EXPECT_FALSE(q.pop_until(9, ev));
  EXPECT_EQ(q.size(), 3U);
  const std::vector<Event> first = drain(q, 20);
  ASSERT_EQ(first.size(), 2U);
  EXPECT_EQ(first[0].subject, 1U);
  EXPECT_EQ(first[1].subject, 2U);
  EXPECT_EQ(q.size(), 1U);
  EXPECT_EQ(q.next_key(), 30);
  EXPECT_FALSE(q.pop_until(29, ev));
  ASSERT_TRUE(q.pop_until(30, ev));
  EXPECT_EQ(ev.subject, 3U);
  q.complete(ev);
  EXPECT_TRUE(q.empty());
}

TEST(EventQueue, CancelledEventsNeverPop) {
  EventQueue q;
  std::vector<EventId> ids;
  for (std::uint64_t i = 0; i < 10; ++i) ids.push_back(q.push(static_cast<std::int64_t>(i), 0, i, 0));
  EXPECT_TRUE(q.cancel(ids[0]));  // the current top
  EXPECT_TRUE(q.cancel(ids[5]));  // in the middle
  EXPECT_TRUE(q.cancel(ids[9]));  // the last
  EXPECT_EQ(q.size(), 7U);
  EXPECT_EQ(q.next_key(), 1);  // the cancelled top is skipped

  const std::vector<Event> out = drain(q);
  std::vector<std::uint64_t> subjects;
  for (const Event& e : out) subjects.push_back(e.subject);
  EXPECT_EQ(subjects, (std::vector<std::uint64_t>{1, 2, 3, 4, 6, 7, 8}));
  EXPECT_TRUE(q.empty());
}

TEST(EventQueue, CancelAllLeavesQueueEmpty) {
  EventQueue q;
  std::vector<EventId> ids;
  for (std::uint64_t i = 0; i < 20; ++i) ids.push_back(q.push(static_cast<std::int64_t>(20 - i), 0, i, 0));
  for (const EventId id : ids) EXPECT_TRUE(q.cancel(id));
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.next_key(), kNoLimit);
  Event ev;
  EXPECT_FALSE(q.pop_until(kNoLimit, ev));
}

TEST(EventQueue, CancelReturnsFalseWhenNotPending) {
  EventQueue q;
  // Default id and ids for slots that were never issued.
  EXPECT_FALSE(q.cancel(EventId{}));
  EXPECT_FALSE(q.cancel(EventId{0, 1}));
  EXPECT_FALSE(q.cancel(EventId{1000, 1}));

  const EventId a = q.push(1, 0, 0, 0);
  const EventId b = q.push(2, 0, 0, 0);
  EXPECT_NE(a, b);
  EXPECT_NE(a.generation, 0U);
  EXPECT_FALSE(q.cancel(EventId{}));  // a default id refers to nothing even when slot 0 is used
  EXPECT_TRUE(q.is_pending(a));
  EXPECT_TRUE(q.is_pending(b));
  EXPECT_FALSE(q.is_pending(EventId{}));

  // Already cancelled.
  EXPECT_TRUE(q.cancel(b));
  EXPECT_FALSE(q.is_pending(b));
  EXPECT_FALSE(q.cancel(b));
  EXPECT_EQ(q.size(), 1U);

  // Already run.
  Event ev;
  ASSERT_TRUE(q.pop_until(kNoLimit, ev));
  EXPECT_EQ(ev.id(), a);
  q.complete(ev);
  EXPECT_FALSE(q.is_pending(a));
  EXPECT_FALSE(q.cancel(a));
  EXPECT_TRUE(q.empty());
}

TEST(EventQueue, OneShotIsPendingUntilCompleted) {
  EventQueue q;
  const EventId id = q.push(1, 0, 0, 0);
  Event ev;
  ASSERT_TRUE(q.pop_until(kNoLimit, ev));
  // While its handler runs (between pop and complete) the event still counts as pending.
  EXPECT_TRUE(q.is_pending(id));
  EXPECT_EQ(q.size(), 1U);
  q.complete(ev);
  EXPECT_FALSE(q.is_pending(id));
  EXPECT_EQ(q.size(), 0U);
}

TEST(EventQueue, CancelWhileRunningThenComplete) {
  EventQueue q;
  const EventId id = q.push(1, 0, 0, 0);
  q.push(2, 0, 1, 0);
  Event ev;
  ASSERT_TRUE(q.pop_until(kNoLimit, ev));
  EXPECT_TRUE(q.cancel(id));  // e.g. the handler cancels its own event
  EXPECT_EQ(q.size(), 1U);
  q.complete(ev);  // must not double-release the slot
  EXPECT_EQ(q.size(), 1U);
  const EventId c = q.push(3, 0, 2, 0);
  const EventId d = q.push(4, 0, 3, 0);
  EXPECT_NE(c.slot, d.slot);  // the freed slot was handed out only once
  EXPECT_EQ(q.size(), 3U);
  const std::vector<Event> out = drain(q);
  ASSERT_EQ(out.size(), 3U);
  EXPECT_EQ(out[0].subject, 1U);
  EXPECT_EQ(out[1].subject, 2U);
  EXPECT_EQ(out[2].subject, 3U);
}

TEST(EventQueue, RecurringEventReinsertedByComplete) {
  EventQueue q;
  const std::int64_t start = time_key(Quarter(2025, 1), Phase::market);
  const EventId id = q.push(start, 3, 11, 22, 2);
  std::vector<std::int64_t> seen;
  Event ev;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(q.pop_until(kNoLimit, ev));
    seen.push_back(ev.time_key);
    EXPECT_EQ(ev.id(), id);
    EXPECT_EQ(ev.handler, 3U);
    EXPECT_EQ(ev.subject, 11U);
    EXPECT_EQ(ev.arg, 22U);
    EXPECT_EQ(ev.period_quarters, 2);
    EXPECT_EQ(ev.phase(), Phase::market);
    q.complete(ev);
    EXPECT_TRUE(q.is_pending(id));
    EXPECT_EQ(q.size(), 1U);
  }
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i], start + static_cast<std::int64_t>(i) * 2 * 8);
  }
  EXPECT_EQ(q.next_key(), start + 5 * 2 * 8);
}

TEST(EventQueue, RecurringEventNotReinsertedWithoutComplete) {
  EventQueue q;
  q.push(8, 0, 0, 0, 1);
  Event ev;
  ASSERT_TRUE(q.pop_until(kNoLimit, ev));
  EXPECT_FALSE(q.pop_until(kNoLimit, ev));  // next occurrence only exists after complete()
}

TEST(EventQueue, RecurringEventCancellableBetweenOccurrences) {
  EventQueue q;
  const EventId id = q.push(8, 0, 0, 0, 1);
  Event ev;
  ASSERT_TRUE(q.pop_until(kNoLimit, ev));
  q.complete(ev);
  ASSERT_TRUE(q.pop_until(kNoLimit, ev));
  EXPECT_EQ(ev.time_key, 16);
  q.complete(ev);
  EXPECT_TRUE(q.is_pending(id));
  EXPECT_TRUE(q.cancel(id));
  EXPECT_FALSE(q.is_pending(id));
  EXPECT_FALSE(q.cancel(id));
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.pop_until(kNoLimit, ev));
}

TEST(EventQueue, RecurringEventCancelledWhileRunningStops) {
  EventQueue q;
  const EventId id = q.push(8, 0, 0, 0, 1);
  Event ev;
  ASSERT_TRUE(q.pop_until(kNoLimit, ev));
  EXPECT_TRUE(q.cancel(id));
  q.complete(ev);  // must not re-insert
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.pop_until(kNoLimit, ev));
}

TEST(EventQueue, RecurringInterleavesWithOneShotsBySeq) {
  EventQueue q;
  q.push(8, 0, 100, 0, 1);  // recurs at 8, 16, 24...
  q.push(16, 0, 1, 0);      // inserted before the recurrence is re-inserted
  Event ev;
  ASSERT_TRUE(q.pop_until(kNoLimit, ev));
  EXPECT_EQ(ev.subject, 100U);
  q.complete(ev);  // re-inserted at 16 with a later seq than the one-shot
  q.push(16, 0, 2, 0);
  const std::vector<Event> out = drain(q, 16);
  ASSERT_EQ(out.size(), 3U);
  EXPECT_EQ(out[0].subject, 1U);
  EXPECT_EQ(out[1].subject, 100U);
  EXPECT_EQ(out[2].subject, 2U);
}

TEST(EventQueue, SlotReuseDoesNotReviveStaleIds) {
  EventQueue q;
  const EventId old_id = q.push(10, 0, 1, 0);
  EXPECT_TRUE(q.cancel(old_id));
  const EventId new_id = q.push(20, 0, 2, 0);
  ASSERT_EQ(new_id.slot, old_id.slot);  // the slot is reused...
  EXPECT_NE(new_id.generation, old_id.generation);  // ...under a new generation
  EXPECT_FALSE(q.is_pending(old_id));
  EXPECT_FALSE(q.cancel(old_id));  // the stale id must not cancel the new event
  EXPECT_TRUE(q.is_pending(new_id));
  EXPECT_EQ(q.size(), 1U);

  // The stale heap entry of the cancelled event must not pop either.
  const std::vector<Event> out = drain(q);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].subject, 2U);
  EXPECT_EQ(out[0].id(), new_id);
}

TEST(EventQueue, SlotReuseAfterRunDoesNotReviveStaleIds) {
  EventQueue q;
  const EventId old_id = q.push(10, 0, 1, 0);
  const std::vector<Event> first = drain(q);
  ASSERT_EQ(first.size(), 1U);
  const EventId new_id = q.push(20, 0, 2, 0);
  ASSERT_EQ(new_id.slot, old_id.slot);
  EXPECT_FALSE(q.cancel(old_id));
  EXPECT_TRUE(q.is_pending(new_id));
  EXPECT_TRUE(q.cancel(new_id));
  EXPECT_TRUE(q.empty());
}

TEST(EventQueue, RepeatedSlotReuse) {
  EventQueue q;
  std::vector<EventId> stale;
  EventId current = q.push(1, 0, 0, 0);
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(q.cancel(current));
    stale.push_back(current);
    current = q.push(1, 0, static_cast<std::uint64_t>(i + 1), 0);
    for (const EventId s : stale) {
      EXPECT_FALSE(q.is_pending(s));
      EXPECT_FALSE(q.cancel(s));
    }
    EXPECT_TRUE(q.is_pending(current));
    EXPECT_EQ(q.size(), 1U);
  }
  const std::vector<Event> out = drain(q);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].subject, 100U);
}

TEST(EventQueue, SizeCountsLiveEvents) {
  EventQueue q;
  const EventId a = q.push(1, 0, 0, 0);
  const EventId b = q.push(2, 0, 0, 0);
  q.push(3, 0, 0, 0);
  q.push(4, 0, 0, 0, 1);
  EXPECT_EQ(q.size(), 4U);
  EXPECT_FALSE(q.empty());
  q.cancel(b);
  EXPECT_EQ(q.size(), 3U);
  q.cancel(b);  // no effect the second time
  EXPECT_EQ(q.size(), 3U);
  Event ev;
  ASSERT_TRUE(q.pop_until(kNoLimit, ev));
  EXPECT_EQ(ev.id(), a);
  q.complete(ev);
  EXPECT_EQ(q.size(), 2U);
  ASSERT_TRUE(q.pop_until(kNoLimit, ev));  // key 3
  q.complete(ev);
  EXPECT_EQ(q.size(), 1U);
  ASSERT_TRUE(q.pop_until(kNoLimit, ev));  // recurring, key 4
  q.complete(ev);
  EXPECT_EQ(q.size(), 1U);  // the recurring series stays live
  EXPECT_FALSE(q.empty());
}

TEST(EventQueue, Clear) {
  EventQueue q;
  q.reserve(64);
  std::vector<EventId> ids;
  for (std::uint64_t i = 0; i < 10; ++i) ids.push_back(q.push(static_cast<std::int64_t>(i), 0, i, 0, i % 3 == 0 ? 1 : 0));
  q.cancel(ids[3]);
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0U);
  EXPECT_EQ(q.next_key(), kNoLimit);
  Event ev;
  EXPECT_FALSE(q.pop_until(kNoLimit, ev));
  for (const EventId id : ids) {
    EXPECT_FALSE(q.is_pending(id));
    EXPECT_FALSE(q.cancel(id));
  }

  // The queue works normally afterwards, and old ids stay stale after slot reuse.
  std::vector<EventId> fresh;
  for (std::uint64_t i = 0; i < 12; ++i) fresh.push_back(q.push(static_cast<std::int64_t>(100 - i), 0, i, 0));
  EXPECT_EQ(q.size(), 12U);
  for (const EventId id : ids) EXPECT_FALSE(q.cancel(id));
  EXPECT_EQ(q.size(), 12U);
  for (const EventId id : fresh) EXPECT_TRUE(q.is_pending(id));
  const std::vector<Event> out = drain(q);
  ASSERT_EQ(out.size(), 12U);
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].subject, 11 - i);
}

TEST(EventQueue, ClearEmptyQueue) {
  EventQueue q;
  q.clear();
  EXPECT_TRUE(q.empty());
  const EventId id = q.push(5, 0, 0, 0);
  EXPECT_TRUE(q.is_pending(id));
  EXPECT_EQ(q.size(), 1U);
}

// Pushes, cancels, pops and completes thousands of events at random and checks every popped
// event against a reference model: the pending set kept in a plain vector, whose minimum by
// (time_key, seq) must be what the queue pops.
TEST(EventQueue, RandomizedAgainstReference) {
  struct Ref {
    std::int64_t key;
    std::uint64_t seq;
    EventId id;
    std::uint64_t subject;
    std::int32_t period;
  };
  RandomStream rng(RandomStreams(20250701).stream("event_queue_test"));
  EventQueue q;
  std::vector<Ref> pending;     // the reference pending set
  std::vector<EventId> dead;    // ids that were cancelled or completed
  std::uint64_t seq = 0;        // mirrors the queue's insertion counter
  std::uint64_t next_subject = 0;
  std::int64_t now = 0;         // keys only move forward, as in the simulator
  std::size_t pops = 0;
  std::size_t cancels = 0;

  auto ref_pop_index = [&]() {
    std::size_t best = 0;
    for (std::size_t i = 1; i < pending.size(); ++i) {
      const Ref& a = pending[i];
      const Ref& b = pending[best];
      if (a.key != b.key ? a.key < b.key : a.seq < b.seq) best = i;
    }
    return best;
  };

  for (int step = 0; step < 20000; ++step) {
    const std::uint64_t action = rng.next() % 10;
    if (action < 5) {  // push, often onto an existing key to exercise the tie breaker
      const std::int64_t key = now + static_cast<std::int64_t>(rng.next() % 40);
      const std::int32_t period = rng.next() % 8 == 0 ? static_cast<std::int32_t>(1 + rng.next() % 3) : 0;
      const std::uint64_t subject = next_subject++;
      const EventId id = q.push(key, 0, subject, 0, period);
      EXPECT_TRUE(q.is_pending(id));
      pending.push_back({key, seq++, id, subject, period});
    } else if (action < 7) {  // cancel a live id, or try a dead one
      if (!pending.empty() && (dead.empty() || rng.next() % 4 != 0)) {
        const std::size_t i = static_cast<std::size_t>(rng.next() % pending.size());
        ASSERT_TRUE(q.cancel(pending[i].id));
        dead.push_back(pending[i].id);
        pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
        ++cancels;
      } else if (!dead.empty()) {
        const EventId stale = dead[static_cast<std::size_t>(rng.next() % dead.size())];
        ASSERT_FALSE(q.cancel(stale));
        ASSERT_FALSE(q.is_pending(stale));
      }
    } else {  // pop up to a random limit
      const std::int64_t limit = now + static_cast<std::int64_t>(rng.next() % 24);
      Event ev;
      for (;;) {
        const bool ref_has = !pending.empty() && pending[ref_pop_index()].key <= limit;
        const bool got = q.pop_until(limit, ev);
        ASSERT_EQ(got, ref_has) << "step " << step;
        if (!got) break;
        const std::size_t i = ref_pop_index();
        const Ref expected = pending[i];
        ASSERT_EQ(ev.time_key, expected.key) << "step " << step;
        ASSERT_EQ(ev.seq, expected.seq) << "step " << step;
        ASSERT_EQ(ev.id(), expected.id) << "step " << step;
        ASSERT_EQ(ev.subject, expected.subject) << "step " << step;
        now = std::max(now, ev.time_key);
        ++pops;
        // Occasionally the "handler" cancels its own recurring series while it runs.
        const bool self_cancel = expected.period > 0 && rng.next() % 3 == 0;
        if (self_cancel) {
          ASSERT_TRUE(q.cancel(expected.id));
        }
        q.complete(ev);
        pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
        if (expected.period > 0 && !self_cancel) {
          pending.push_back({expected.key + static_cast<std::int64_t>(expected.period) * 8, seq++,
                             expected.id, expected.subject, expected.period});
        } else {
          dead.push_back(expected.id);
          ASSERT_FALSE(q.is_pending(expected.id));
        }
      }
      now = std::max(now, limit);
    }
    ASSERT_EQ(q.size(), pending.size()) << "step " << step;
    ASSERT_EQ(q.empty(), pending.empty());
    if (step % 97 == 0) {
      for (const Ref& r : pending) ASSERT_TRUE(q.is_pending(r.id));
    }
  }
  EXPECT_GT(pops, 1000U);
  EXPECT_GT(cancels, 1000U);

  // Finally drain everything (cancelling recurring series so the drain terminates) and check
  // the order against a sort of the surviving (key, seq) pairs.
  for (std::size_t i = 0; i < pending.size();) {
    if (pending[i].period > 0) {
      ASSERT_TRUE(q.cancel(pending[i].id));
      pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  std::vector<std::pair<std::int64_t, std::uint64_t>> expected;
  for (const Ref& r : pending) expected.emplace_back(r.key, r.seq);
  std::sort(expected.begin(), expected.end());
  const std::vector<Event> out = drain(q);
  std::vector<std::pair<std::int64_t, std::uint64_t>> actual;
  for (const Event& e : out) actual.emplace_back(e.time_key, e.seq);
  EXPECT_EQ(actual, expected);
  EXPECT_TRUE(q.empty());
}

// A bulk variant: thousands of pushes with random keys, a random third cancelled, then one
// drain compared with std::sort of the surviving (key, seq) pairs.
TEST(EventQueue, RandomizedBulkDrainMatchesSort) {
  RandomStream rng(RandomStreams(7).stream("event_queue_bulk"));
  EventQueue q;
  struct Item {
    std::int64_t key;
    std::uint64_t seq;
    EventId id;
  };
  std::vector<Item> items;
  for (std::uint64_t i = 0; i < 10000; ++i) {
    const std::int64_t key = static_cast<std::int64_t>(rng.next() % 200);
    items.push_back({key, i, q.push(key, 0, i, 0)});
  }
  std::vector<std::pair<std::int64_t, std::uint64_t>> expected;
  for (const Item& it : items) {
    if (rng.next() % 3 == 0) {
      ASSERT_TRUE(q.cancel(it.id));
    } else {
      expected.emplace_back(it.key, it.seq);
    }
  }
  ASSERT_EQ(q.size(), expected.size());
  std::sort(expected.begin(), expected.end());
  std::vector<std::pair<std::int64_t, std::uint64_t>> actual;
  for (const Event& e : drain(q)) {
    EXPECT_EQ(e.subject, e.seq);  // nothing else was pushed, so seq == insertion index
    actual.emplace_back(e.time_key, e.seq);
  }
  EXPECT_EQ(actual, expected);
}

}  // namespace
}  // namespace aidc
