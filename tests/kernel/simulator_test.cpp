#include "aidc/kernel/simulator.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace aidc {
namespace {

const Quarter kStart(2025, 1);

struct Call {
  std::string what;  // "before", "after", an event tag, "end"
  Quarter quarter;
  Phase phase;
  friend bool operator==(const Call&, const Call&) = default;
};

std::ostream& operator<<(std::ostream& os, const Call& c) {
  return os << c.what << "@" << c.quarter.str() << "/" << phase_name(c.phase);
}

TEST(Simulator, PhasesRunInOrderWithHooks) {
  Simulator sim;
  std::vector<Call> calls;
  sim.on_before_phase([&](Quarter q, Phase p) { calls.push_back({"before", q, p}); });
  sim.on_after_phase([&](Quarter q, Phase p) { calls.push_back({"after", q, p}); });
  std::vector<Quarter> ends;
  sim.on_end_of_run([&](Quarter last) { ends.push_back(last); });

  const std::uint64_t n = sim.run(kStart, kStart + 1);
  EXPECT_EQ(n, 0U);

  std::vector<Call> expected;
  for (const Quarter q : {kStart, kStart + 1}) {
    for (const Phase p : all_phases) {
      expected.push_back({"before", q, p});
      expected.push_back({"after", q, p});
    }
  }
  EXPECT_EQ(calls, expected);
  ASSERT_EQ(ends.size(), 1U);
  EXPECT_EQ(ends[0], kStart + 1);
}

TEST(Simulator, PhaseOrderMatchesEnum) {
  ASSERT_EQ(all_phases.size(), phase_count);
  for (std::size_t i = 0; i < all_phases.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(all_phases[i]), i);
  }
  EXPECT_EQ(phase_name(Phase::exogenous), "exogenous");
  EXPECT_EQ(phase_name(Phase::arrivals), "arrivals");
  EXPECT_EQ(phase_name(Phase::power), "power");
  EXPECT_EQ(phase_name(Phase::market), "market");
  EXPECT_EQ(phase_name(Phase::accounting), "accounting");
  EXPECT_EQ(phase_name(Phase::decisions), "decisions");
  EXPECT_EQ(phase_name(Phase::record), "record");
}

TEST(Simulator, MultipleHooksRunInRegistrationOrder) {
  Simulator sim;
  std::vector<int> calls;
  sim.on_before_phase([&](Quarter, Phase p) { if (p == Phase::power) calls.push_back(1); });
  sim.on_before_phase([&](Quarter, Phase p) { if (p == Phase::power) calls.push_back(2); });
  sim.on_after_phase([&](Quarter, Phase p) { if (p == Phase::power) calls.push_back(3); });
  sim.on_after_phase([&](Quarter, Phase p) { if (p == Phase::power) calls.push_back(4); });
  sim.on_end_of_run([&](Quarter) { calls.push_back(5); });
  sim.on_end_of_run([&](Quarter) { calls.push_back(6); });
  sim.run(kStart, kStart);
  EXPECT_EQ(calls, (std::vector<int>{1, 2, 3, 4, 5, 6}));
}

TEST(Simulator, EventsRunBetweenHooksOfTheirPhase) {
  Simulator sim;
  std::vector<Call> calls;
  sim.on_before_phase([&](Quarter q, Phase p) { calls.push_back({"before", q, p}); });
  sim.on_after_phase([&](Quarter q, Phase p) { calls.push_back({"after", q, p}); });
  const HandlerId h = sim.add_handler("tag", [&](const Event& ev) {
    EXPECT_EQ(sim.now(), ev.quarter());
    EXPECT_EQ(sim.phase(), ev.phase());
    calls.push_back({"event", ev.quarter(), ev.phase()});
  });
  sim.schedule(kStart + 1, Phase::market, h);
  sim.schedule(kStart, Phase::record, h);
  sim.run(kStart, kStart + 1);

  std::vector<Call> expected;
  for (const Quarter q : {kStart, kStart + 1}) {
    for (const Phase p : all_phases) {
      expected.push_back({"before", q, p});
      if ((q == kStart && p == Phase::record) || (q == kStart + 1 && p == Phase::market)) {
        expected.push_back({"event", q, p});
      }
      expected.push_back({"after", q, p});
    }
  }
  EXPECT_EQ(calls, expected);
}

TEST(Simulator, EventsRunInQuarterPhaseSeqOrder) {
  Simulator sim;
  std::vector<std::uint64_t> order;  // subjects in execution order
  const HandlerId h = sim.add_handler("record", [&](const Event& ev) { order.push_back(ev.subject); });
  // Scheduled deliberately out of order; subject = the expected execution rank.
  sim.schedule(kStart + 2, Phase::exogenous, h, 9);
  sim.schedule(kStart + 1, Phase::record, h, 8);
  sim.schedule(kStart, Phase::decisions, h, 5);
  sim.schedule(kStart, Phase::exogenous, h, 0);
  sim.schedule(kStart, Phase::market, h, 3);
  sim.schedule(kStart, Phase::exogenous, h, 1);  // same (quarter, phase): after the first one
  sim.schedule(kStart + 1, Phase::arrivals, h, 7);
  sim.schedule(kStart, Phase::market, h, 4);
  sim.schedule(kStart, Phase::power, h, 2);
  sim.schedule(kStart, Phase::record, h, 6);
  sim.schedule(kStart + 2, Phase::exogenous, h, 10);
  const std::uint64_t n = sim.run(kStart, kStart + 2);
  EXPECT_EQ(n, 11U);
  EXPECT_EQ(order, (std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

TEST(Simulator, ManyEventsInOnePhaseKeepScheduleOrder) {
  Simulator sim;
  std::vector<std::uint64_t> order;
  const HandlerId h = sim.add_handler("record", [&](const Event& ev) { order.push_back(ev.subject); });
  for (std::uint64_t i = 0; i < 1000; ++i) sim.schedule(kStart, Phase::market, h, i);
  sim.run(kStart, kStart);
  ASSERT_EQ(order.size(), 1000U);
  for (std::uint64_t i = 0; i < 1000; ++i) EXPECT_EQ(order[i], i);
}

TEST(Simulator, EventScheduledForCurrentPhaseRunsInSamePhase) {
  Simulator sim;
  std::vector<Call> calls;
  sim.on_after_phase([&](Quarter q, Phase p) {
    if (p == Phase::market || p == Phase::accounting) calls.push_back({"after", q, p});
  });
  HandlerId child = 0;
  child = sim.add_handler("child", [&](const Event& ev) {
    calls.push_back({"child" + std::to_string(ev.subject), sim.now(), sim.phase()});
    EXPECT_EQ(ev.quarter(), sim.now());
    EXPECT_EQ(ev.phase(), sim.phase());
    if (ev.subject < 3) sim.schedule(sim.now(), sim.phase(), child, ev.subject + 1);  // a chain
  });
  const HandlerId parent = sim.add_handler("parent", [&](const Event&) {
    calls.push_back({"parent", sim.now(), sim.phase()});
    sim.schedule(sim.now(), Phase::market, child, 0);
  });
  const HandlerId sibling = sim.add_handler("sibling", [&](const Event&) {
    calls.push_back({"sibling", sim.now(), sim.phase()});
  });
  sim.schedule(kStart, Phase::market, parent);
  sim.schedule(kStart, Phase::market, sibling);  // scheduled before the child: runs first
  const std::uint64_t n = sim.run(kStart, kStart);
  EXPECT_EQ(n, 6U);
  const std::vector<Call> expected = {
      {"parent", kStart, Phase::market}, {"sibling", kStart, Phase::market},
      {"child0", kStart, Phase::market}, {"child1", kStart, Phase::market},
      {"child2", kStart, Phase::market}, {"child3", kStart, Phase::market},
      {"after", kStart, Phase::market},  {"after", kStart, Phase::accounting}};
  EXPECT_EQ(calls, expected);
}

TEST(Simulator, EventScheduledFromBeforeHookRunsInThatPhase) {
  Simulator sim;
  std::vector<Call> calls;
  const HandlerId h = sim.add_handler("h", [&](const Event& ev) {
    calls.push_back({"event", sim.now(), sim.phase()});
    EXPECT_EQ(ev.phase(), sim.phase());
  });
  sim.on_before_phase([&](Quarter q, Phase p) {
    if (p == Phase::power) sim.schedule(q, p, h);
  });
  sim.on_after_phase([&](Quarter q, Phase p) {
    if (p == Phase::power) calls.push_back({"after", q, p});
  });
  sim.run(kStart, kStart + 1);
  const std::vector<Call> expected = {{"event", kStart, Phase::power},
                                      {"after", kStart, Phase::power},
                                      {"event", kStart + 1, Phase::power},
                                      {"after", kStart + 1, Phase::power}};
  EXPECT_EQ(calls, expected);
}

TEST(Simulator, HandlerCanScheduleLaterPhasesAndQuarters) {
  Simulator sim;
  std::vector<Call> calls;
  HandlerId h = 0;
  h = sim.add_handler("h", [&](const Event& ev) {
    calls.push_back({"event", sim.now(), sim.phase()});
    if (ev.subject == 0) {
      sim.schedule(sim.now() + 1, Phase::exogenous, h, 1);
      sim.schedule(sim.now(), Phase::record, h, 1);
    }
  });
  sim.schedule(kStart, Phase::decisions, h, 0);
  sim.run(kStart, kStart + 1);
  const std::vector<Call> expected = {{"event", kStart, Phase::decisions},
                                      {"event", kStart, Phase::record},
                                      {"event", kStart + 1, Phase::exogenous}};
  EXPECT_EQ(calls, expected);
}

TEST(Simulator, SchedulingIntoThePastThrows) {
  Simulator sim;
  int ran = 0;
  int thrown = 0;
  const HandlerId noop = sim.add_handler("noop", [&](const Event&) { ++ran; });
  const HandlerId h = sim.add_handler("h", [&](const Event&) {
    // Earlier phase of the current quarter.
    EXPECT_THROW(sim.schedule(sim.now(), Phase::power, noop), std::logic_error);
    // An earlier quarter, even in a later phase.
    EXPECT_THROW(sim.schedule(sim.now() - 1, Phase::record, noop), std::logic_error);
    EXPECT_THROW(sim.schedule_every(sim.now() - 1, Phase::record, 1, noop), std::logic_error);
    ++thrown;
    // The current phase and anything later is fine.
    EXPECT_NO_THROW(sim.schedule(sim.now(), sim.phase(), noop));
    EXPECT_NO_THROW(sim.schedule(sim.now(), Phase::decisions, noop));
  });
  sim.schedule(kStart + 1, Phase::market, h);
  sim.run(kStart, kStart + 1);
  EXPECT_EQ(thrown, 1);
  EXPECT_EQ(ran, 2);  // the rejected events were never queued
  EXPECT_EQ(sim.pending(), 0U);
}

TEST(Simulator, SchedulingIntoThePastFromHookThrows) {
  Simulator sim;
  const HandlerId noop = sim.add_handler("noop", [](const Event&) {});
  int checked = 0;
  sim.on_before_phase([&](Quarter q, Phase p) {
    if (p == Phase::accounting) {
      EXPECT_THROW(sim.schedule(q, Phase::market, noop), std::logic_error);
      ++checked;
    }
  });
  sim.run(kStart, kStart);
  EXPECT_EQ(checked, 1);
}

TEST(Simulator, EventBeforeStartMakesRunThrow) {
  Simulator sim;
  const HandlerId noop = sim.add_handler("noop", [](const Event&) {});
  sim.schedule(kStart - 1, Phase::record, noop);
  EXPECT_THROW(sim.run(kStart, kStart + 1), std::logic_error);
}

TEST(Simulator, UnknownHandlerAndBadPeriodThrow) {
  Simulator sim;
  EXPECT_THROW(sim.schedule(kStart, Phase::market, 0), std::logic_error);
  const HandlerId h = sim.add_handler("h", [](const Event&) {});
  EXPECT_THROW(sim.schedule(kStart, Phase::market, h + 1), std::logic_error);
  EXPECT_THROW(sim.schedule_every(kStart, Phase::market, 0, h), std::logic_error);
  EXPECT_THROW(sim.schedule_every(kStart, Phase::market, -4, h), std::logic_error);
  EXPECT_EQ(sim.pending(), 0U);
}

TEST(Simulator, HandlerNames) {
  Simulator sim;
  const HandlerId a = sim.add_handler("alpha", [](const Event&) {});
  const HandlerId b = sim.add_handler("beta", [](const Event&) {});
  EXPECT_NE(a, b);
  EXPECT_EQ(sim.handler_name(a), "alpha");
  EXPECT_EQ(sim.handler_name(b), "beta");
  EXPECT_THROW(static_cast<void>(sim.handler_name(b + 1)), std::out_of_range);
}

TEST(Simulator, ScheduleEveryRecursWithPeriod) {
  Simulator sim;
  std::vector<Call> calls;
  const HandlerId h = sim.add_handler("tick", [&](const Event& ev) {
    calls.push_back({"tick" + std::to_string(ev.subject), sim.now(), sim.phase()});
  });
  sim.schedule_every(kStart + 1, Phase::accounting, 3, h, 1);
  sim.schedule_every(kStart, Phase::record, 1, h, 2);
  const std::uint64_t n = sim.run(kStart, kStart + 7);

  std::vector<Call> expected;
  for (std::int32_t i = 0; i <= 7; ++i) {
    if (i >= 1 && (i - 1) % 3 == 0) expected.push_back({"tick1", kStart + i, Phase::accounting});
    expected.push_back({"tick2", kStart + i, Phase::record});
  }
  EXPECT_EQ(calls, expected);
  EXPECT_EQ(n, expected.size());
  EXPECT_EQ(sim.pending(), 2U);  // both series continue beyond the end
}

TEST(Simulator, ScheduleEveryStopsWhenCancelled) {
  Simulator sim;
  std::vector<Quarter> ticks;
  const HandlerId tick = sim.add_handler("tick", [&](const Event&) { ticks.push_back(sim.now()); });
  const EventId series = sim.schedule_every(kStart, Phase::market, 1, tick);
  // Another event cancels the series in quarter 3, in a later phase than the tick.
  const HandlerId canceller = sim.add_handler("cancel", [&](const Event&) {
    EXPECT_TRUE(sim.is_pending(series));
    EXPECT_TRUE(sim.cancel(series));
    EXPECT_FALSE(sim.is_pending(series));
    EXPECT_FALSE(sim.cancel(series));
  });
  sim.schedule(kStart + 2, Phase::decisions, canceller);
  EXPECT_TRUE(sim.is_pending(series));
  sim.run(kStart, kStart + 9);
  EXPECT_EQ(ticks, (std::vector<Quarter>{kStart, kStart + 1, kStart + 2}));
  EXPECT_FALSE(sim.is_pending(series));
  EXPECT_EQ(sim.pending(), 0U);
}

TEST(Simulator, ScheduleEveryCancelledBetweenRuns) {
  Simulator sim;
  int ticks = 0;
  const HandlerId tick = sim.add_handler("tick", [&](const Event&) { ++ticks; });
  const EventId series = sim.schedule_every(kStart, Phase::arrivals, 2, tick);
  sim.run(kStart, kStart + 3);  // ticks at +0, +2
  EXPECT_EQ(ticks, 2);
  EXPECT_TRUE(sim.is_pending(series));
  EXPECT_EQ(sim.pending(), 1U);
  EXPECT_TRUE(sim.cancel(series));
  EXPECT_EQ(sim.pending(), 0U);
  sim.run(kStart + 4, kStart + 9);
  EXPECT_EQ(ticks, 2);
}

TEST(Simulator, ScheduleEveryCancelsItselfFromItsHandler) {
  Simulator sim;
  std::vector<Quarter> ticks;
  EventId self{};
  const HandlerId tick = sim.add_handler("tick", [&](const Event& ev) {
    ticks.push_back(sim.now());
    EXPECT_EQ(ev.id(), self);
    if (ticks.size() == 3) {
      EXPECT_TRUE(sim.cancel(ev.id()));
      EXPECT_FALSE(sim.is_pending(self));
    }
  });
  self = sim.schedule_every(kStart, Phase::power, 2, tick);
  const std::uint64_t n = sim.run(kStart, kStart + 12);
  EXPECT_EQ(n, 3U);
  EXPECT_EQ(ticks, (std::vector<Quarter>{kStart, kStart + 2, kStart + 4}));
  EXPECT_FALSE(sim.is_pending(self));
  EXPECT_EQ(sim.pending(), 0U);
}

TEST(Simulator, SelfCancelledSeriesDoesNotDisturbEventScheduledInItsHandler) {
  // The handler cancels its own series (freeing its slot) and then schedules a new event,
  // which may reuse the slot: the new event must run, the old series must not come back.
  Simulator sim;
  std::vector<std::string> log;
  HandlerId once = 0;
  once = sim.add_handler("once", [&](const Event&) { log.push_back("once@" + sim.now().str()); });
  const HandlerId tick = sim.add_handler("tick", [&](const Event& ev) {
    log.push_back("tick@" + sim.now().str());
    EXPECT_TRUE(sim.cancel(ev.id()));
    sim.schedule(sim.now() + 1, Phase::exogenous, once);
  });
  sim.schedule_every(kStart, Phase::market, 1, tick);
  sim.run(kStart, kStart + 4);
  EXPECT_EQ(log, (std::vector<std::string>{"tick@2025Q1", "once@2025Q2"}));
  EXPECT_EQ(sim.pending(), 0U);
}

TEST(Simulator, CancelOneShot) {
  Simulator sim;
  std::vector<std::uint64_t> ran;
  const HandlerId h = sim.add_handler("h", [&](const Event& ev) { ran.push_back(ev.subject); });
  const EventId a = sim.schedule(kStart, Phase::market, h, 1);
  const EventId b = sim.schedule(kStart + 1, Phase::market, h, 2);
  const EventId c = sim.schedule(kStart + 2, Phase::market, h, 3);
  EXPECT_EQ(sim.pending(), 3U);
  EXPECT_TRUE(sim.cancel(b));
  EXPECT_FALSE(sim.cancel(b));
  EXPECT_FALSE(sim.is_pending(b));
  EXPECT_EQ(sim.pending(), 2U);
  EXPECT_FALSE(sim.cancel(EventId{}));

  // A one-shot cancelled by an earlier event in the same run.
  const HandlerId canceller = sim.add_handler("canceller", [&](const Event&) {
    EXPECT_TRUE(sim.cancel(c));
  });
  sim.schedule(kStart + 1, Phase::record, canceller);
  const std::uint64_t n = sim.run(kStart, kStart + 3);
  EXPECT_EQ(n, 2U);
  EXPECT_EQ(ran, (std::vector<std::uint64_t>{1}));
  EXPECT_FALSE(sim.is_pending(a));  // already run
  EXPECT_FALSE(sim.cancel(a));
  EXPECT_FALSE(sim.cancel(c));
  EXPECT_EQ(sim.pending(), 0U);
}

TEST(Simulator, EndOfRunHookReceivesLastQuarter) {
  Simulator sim;
  std::vector<Quarter> ends;
  sim.on_end_of_run([&](Quarter last) { ends.push_back(last); });
  sim.run(kStart, kStart + 5);
  sim.run(kStart + 6, kStart + 6);
  ASSERT_EQ(ends.size(), 2U);
  EXPECT_EQ(ends[0], kStart + 5);
  EXPECT_EQ(ends[1], kStart + 6);
}

TEST(Simulator, StopHaltsAfterCurrentPhase) {
  Simulator sim;
  std::vector<Call> calls;
  std::vector<Quarter> ends;
  sim.on_before_phase([&](Quarter q, Phase p) { calls.push_back({"before", q, p}); });
  sim.on_after_phase([&](Quarter q, Phase p) { calls.push_back({"after", q, p}); });
  sim.on_end_of_run([&](Quarter last) { ends.push_back(last); });
  std::vector<std::uint64_t> ran;
  const HandlerId h = sim.add_handler("h", [&](const Event& ev) {
    ran.push_back(ev.subject);
    calls.push_back({"event" + std::to_string(ev.subject), sim.now(), sim.phase()});
    if (ev.subject == 1) sim.stop();
  });
  sim.schedule(kStart + 1, Phase::power, h, 1);   // stops the run
  sim.schedule(kStart + 1, Phase::power, h, 2);   // same phase: still runs
  sim.schedule(kStart + 1, Phase::market, h, 3);  // later phase: does not run
  sim.schedule(kStart + 2, Phase::exogenous, h, 4);
  const std::uint64_t n = sim.run(kStart, kStart + 5);
  EXPECT_EQ(n, 2U);
  EXPECT_EQ(ran, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(sim.pending(), 2U);

  std::vector<Call> expected;
  for (const Phase p : all_phases) {
    expected.push_back({"before", kStart, p});
    expected.push_back({"after", kStart, p});
  }
  for (const Phase p : {Phase::exogenous, Phase::arrivals}) {
    expected.push_back({"before", kStart + 1, p});
    expected.push_back({"after", kStart + 1, p});
  }
  expected.push_back({"before", kStart + 1, Phase::power});
  expected.push_back({"event1", kStart + 1, Phase::power});
  expected.push_back({"event2", kStart + 1, Phase::power});
  expected.push_back({"after", kStart + 1, Phase::power});
  EXPECT_EQ(calls, expected);
  ASSERT_EQ(ends.size(), 1U);
  EXPECT_EQ(ends[0], kStart + 1);
}

TEST(Simulator, StopFromHook) {
  Simulator sim;
  std::vector<Quarter> ends;
  int after_calls = 0;
  sim.on_after_phase([&](Quarter q, Phase p) {
    ++after_calls;
    if (q == kStart + 2 && p == Phase::record) sim.stop();
  });
  sim.on_end_of_run([&](Quarter last) { ends.push_back(last); });
  sim.run(kStart, kStart + 10);
  EXPECT_EQ(after_calls, 3 * static_cast<int>(phase_count));
  ASSERT_EQ(ends.size(), 1U);
  EXPECT_EQ(ends[0], kStart + 2);
}

TEST(Simulator, RunAfterStopStartsFresh) {
  Simulator sim;
  int ran = 0;
  const HandlerId h = sim.add_handler("h", [&](const Event&) {
    ++ran;
    sim.stop();
  });
  sim.schedule(kStart, Phase::exogenous, h);
  sim.schedule(kStart + 3, Phase::exogenous, h);
  sim.run(kStart, kStart + 5);
  EXPECT_EQ(ran, 1);
  sim.run(kStart + 1, kStart + 5);  // the earlier stop request does not carry over
  EXPECT_EQ(ran, 2);
}

TEST(Simulator, RunWithEndBeforeStartThrows) {
  Simulator sim;
  int hooks = 0;
  sim.on_before_phase([&](Quarter, Phase) { ++hooks; });
  sim.on_end_of_run([&](Quarter) { ++hooks; });
  EXPECT_THROW(sim.run(kStart + 1, kStart), std::logic_error);
  EXPECT_EQ(hooks, 0);
  EXPECT_NO_THROW(sim.run(kStart, kStart));  // a one-quarter run is fine
  EXPECT_EQ(hooks, static_cast<int>(phase_count) + 1);
}

TEST(Simulator, EventsAfterEndStayPending) {
  Simulator sim;
  std::vector<std::uint64_t> ran;
  const HandlerId h = sim.add_handler("h", [&](const Event& ev) { ran.push_back(ev.subject); });
  sim.schedule(kStart, Phase::record, h, 1);
  sim.schedule(kStart + 1, Phase::exogenous, h, 2);
  sim.schedule(kStart + 2, Phase::exogenous, h, 3);
  const EventId late = sim.schedule(kStart + 5, Phase::market, h, 4);
  EXPECT_EQ(sim.pending(), 4U);
  EXPECT_EQ(sim.run(kStart, kStart + 1), 2U);
  EXPECT_EQ(ran, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(sim.pending(), 2U);
  EXPECT_TRUE(sim.is_pending(late));

  // A later run picks them up.
  EXPECT_EQ(sim.run(kStart + 2, kStart + 5), 2U);
  EXPECT_EQ(ran, (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(sim.pending(), 0U);
}

TEST(Simulator, ExecutedCount) {
  Simulator sim;
  const HandlerId h = sim.add_handler("h", [](const Event&) {});
  EXPECT_EQ(sim.executed(), 0U);
  for (int i = 0; i < 5; ++i) sim.schedule(kStart, Phase::market, h);
  sim.schedule_every(kStart, Phase::accounting, 1, h);
  const EventId cancelled = sim.schedule(kStart, Phase::power, h);
  sim.cancel(cancelled);
  const std::uint64_t first = sim.run(kStart, kStart + 2);  // 5 + 3 ticks
  EXPECT_EQ(first, 8U);
  EXPECT_EQ(sim.executed(), 8U);
  const std::uint64_t second = sim.run(kStart + 3, kStart + 4);  // 2 ticks
  EXPECT_EQ(second, 2U);
  EXPECT_EQ(sim.executed(), 10U);  // cumulative over runs
}

TEST(Simulator, PayloadArrivesAtHandler) {
  Simulator sim;
  std::vector<std::tuple<HandlerId, std::uint64_t, std::uint64_t>> got;
  const HandlerId a = sim.add_handler("a", [&](const Event& ev) { got.emplace_back(ev.handler, ev.subject, ev.arg); });
  const HandlerId b = sim.add_handler("b", [&](const Event& ev) { got.emplace_back(ev.handler, ev.subject, ev.arg); });
  sim.schedule(kStart, Phase::market, a, 17, 0xFFFFFFFFFFFFFFFFULL);
  sim.schedule(kStart, Phase::market, b, 0x123456789ABCDEF0ULL, 0);
  sim.schedule(kStart, Phase::market, a);  // defaults are zero
  sim.schedule_every(kStart + 1, Phase::market, 1, b, 5, 6);
  sim.run(kStart, kStart + 2);
  using T = std::tuple<HandlerId, std::uint64_t, std::uint64_t>;
  const std::vector<T> expected = {T{a, 17, 0xFFFFFFFFFFFFFFFFULL}, T{b, 0x123456789ABCDEF0ULL, 0},
                                   T{a, 0, 0}, T{b, 5, 6}, T{b, 5, 6}};
  EXPECT_EQ(got, expected);
}

TEST(Simulator, NowAndPhaseDuringRun) {
  Simulator sim;
  int checks = 0;
  sim.on_before_phase([&](Quarter q, Phase p) {
    EXPECT_EQ(sim.now(), q);
    EXPECT_EQ(sim.phase(), p);
    ++checks;
  });
  sim.on_after_phase([&](Quarter q, Phase p) {
    EXPECT_EQ(sim.now(), q);
    EXPECT_EQ(sim.phase(), p);
    ++checks;
  });
  sim.run(kStart, kStart + 2);
  EXPECT_EQ(checks, 2 * 3 * static_cast<int>(phase_count));
}

TEST(Simulator, DeterministicAcrossInstances) {
  // Two simulators fed the same schedule produce the same trace.
  auto trace = []() {
    Simulator sim;
    std::vector<std::pair<std::int64_t, std::uint64_t>> out;
    HandlerId h = 0;
    h = sim.add_handler("h", [&](const Event& ev) {
      out.emplace_back(ev.time_key, ev.subject);
      if (ev.subject % 3 == 0 && ev.subject < 300) {
        sim.schedule(sim.now() + 1 + static_cast<std::int32_t>(ev.subject % 4), Phase::decisions, h,
                     ev.subject + 7);
      }
    });
    for (std::uint64_t i = 0; i < 100; ++i) {
      sim.schedule(kStart + static_cast<std::int32_t>(i % 5), all_phases[i % phase_count], h, i);
    }
    sim.run(kStart, kStart + 20);
    return out;
  };
  const auto a = trace();
  const auto b = trace();
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  for (std::size_t i = 1; i < a.size(); ++i) EXPECT_LE(a[i - 1].first, a[i].first);
}

}  // namespace
}  // namespace aidc
