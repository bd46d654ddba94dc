#pragma once
//! The hold model, the classic measure of a pending-event set: the set is kept at a steady size
//! N while the earliest event runs and schedules one new event at a random later time. The same
//! workload, draw for draw, runs on aidc::Simulator (as the model uses it: one handler
//! registered once, each event scheduling the next from its handler), on aidc::EventQueue
//! alone, and on the textbook reference kernel. Every event does the same trivial work: it folds
//! its time and subject into an order-sensitive checksum, so equal checksums after the same
//! number of events mean the kernels ran the same events in the same order.

#include <algorithm>
#include <cstdint>
#include <limits>

#include "aidc/kernel/event_queue.hpp"
#include "aidc/kernel/phase.hpp"
#include "aidc/kernel/quarter.hpp"
#include "aidc/kernel/random_stream.hpp"
#include "aidc/kernel/simulator.hpp"
#include "reference_kernel.hpp"

namespace aidc::bench {

//! First quarter of a hold run; the N initial events follow it.
inline constexpr Quarter hold_start = Quarter::from_index(2025 * 4);  // 2025Q1

//! Times of the hold model. The delay to the next event is uniform in 1 … span quarters, with a
//! uniform phase, and span = N / 10: the events of a wide range of quarters are interleaved at
//! every N, and the density stays about 20 events per quarter (3 per phase) whatever N, so the
//! simulator's per-phase overhead weighs the same at every size.
class HoldDraws {
 public:
  HoldDraws(std::size_t n, std::uint64_t seed) noexcept
      : span_quarters_(std::max<std::uint64_t>(1, n / 10)), rng_(seed) {}

  //! Time key (quarter index × 8 + phase) of the event scheduled by one at `from_key`.
  std::int64_t next_key(std::int64_t from_key) noexcept {
    const std::uint64_t x = rng_.next();
    const auto quarters = static_cast<std::int64_t>(1 + x % span_quarters_);
    const auto phase = static_cast<std::int64_t>((x >> 40) % phase_count);
    return ((from_key >> 3) + quarters) * 8 + phase;
  }

 private:
  std::uint64_t span_quarters_;
  RandomStream rng_;
};

//! What each event does, the same in every kernel.
struct HoldWork {
  std::uint64_t checksum = 0xCBF29CE484222325ULL;
  std::uint64_t executed = 0;

  void on_event(std::int64_t key, std::uint64_t subject) noexcept {
    checksum = (checksum ^ (static_cast<std::uint64_t>(key) * 0x9E3779B97F4A7C15ULL + subject)) * 0x100000001B3ULL;
    ++executed;
  }
};

//! The hold model on aidc::Simulator, advanced a number of quarters at a time.
class SimulatorHold {
 public:
  SimulatorHold(std::size_t n, std::uint64_t seed) : draws_(n, seed), next_quarter_(hold_start) {
    handler_ = sim_.add_handler("hold", [this](const Event& ev) {
      work_.on_event(ev.time_key, ev.subject);
      schedule(draws_.next_key(ev.time_key), ev.subject);
    });
    const std::int64_t start_key = time_key(hold_start, Phase::exogenous);
    for (std::uint64_t i = 0; i < n; ++i) schedule(draws_.next_key(start_key), i);
  }
  SimulatorHold(const SimulatorHold&) = delete;
  SimulatorHold& operator=(const SimulatorHold&) = delete;

  //! Runs the next `quarters` quarters; returns the number of events run.
  std::uint64_t run_quarters(std::int32_t quarters) {
    const std::uint64_t ran = sim_.run(next_quarter_, next_quarter_ + (quarters - 1));
    next_quarter_ += quarters;
    return ran;
  }
  [[nodiscard]] const HoldWork& work() const noexcept { return work_; }
  [[nodiscard]] std::size_t pending() const noexcept { return sim_.pending(); }

 private:
  void schedule(std::int64_t key, std::uint64_t subject) {
    sim_.schedule(Quarter::from_index(static_cast<std::int32_t>(key >> 3)), static_cast<Phase>(key & 7), handler_,
                  subject);
  }

  Simulator sim_;
  HoldDraws draws_;
  HoldWork work_;
  HandlerId handler_ = 0;
  Quarter next_quarter_;
};

//! The hold model on aidc::EventQueue alone (no phases, no handler dispatch), one event a step.
class EventQueueHold {
 public:
  EventQueueHold(std::size_t n, std::uint64_t seed) : draws_(n, seed) {
    queue_.reserve(n);
    const std::int64_t start_key = time_key(hold_start, Phase::exogenous);
    for (std::uint64_t i = 0; i < n; ++i) queue_.push(draws_.next_key(start_key), 0, i, 0);
  }

  void step() {
    Event ev;
    queue_.pop_until(std::numeric_limits<std::int64_t>::max(), ev);
    work_.on_event(ev.time_key, ev.subject);
    queue_.push(draws_.next_key(ev.time_key), ev.handler, ev.subject, 0);
    queue_.complete(ev);
  }
  [[nodiscard]] const HoldWork& work() const noexcept { return work_; }
  [[nodiscard]] std::size_t pending() const noexcept { return queue_.size(); }

 private:
  EventQueue queue_;
  HoldDraws draws_;
  HoldWork work_;
};

//! The hold model on the reference kernel: each event's action is a closure capturing the model
//! and the event's subject (a pointer and an index), scheduling its successor when it runs.
class ReferenceHold {
 public:
  ReferenceHold(std::size_t n, std::uint64_t seed) : draws_(n, seed) {
    const std::int64_t start_key = time_key(hold_start, Phase::exogenous);
    for (std::uint64_t i = 0; i < n; ++i) sim_.schedule(draws_.next_key(start_key), [this, i] { on_event(i); });
  }
  ReferenceHold(const ReferenceHold&) = delete;
  ReferenceHold& operator=(const ReferenceHold&) = delete;

  void step() { sim_.step(); }
  [[nodiscard]] const HoldWork& work() const noexcept { return work_; }
  [[nodiscard]] std::size_t pending() const noexcept { return sim_.pending(); }

 private:
  void on_event(std::uint64_t subject) {
    work_.on_event(sim_.now(), subject);
    sim_.schedule(draws_.next_key(sim_.now()), [this, subject] { on_event(subject); });
  }

  ReferenceSimulator sim_;
  HoldDraws draws_;
  HoldWork work_;
};

}  // namespace aidc::bench
