#pragma once
//! The yardstick kernel: the discrete-event loop of the C++ textbooks, a std::priority_queue of
//! {time, sequence, std::function<void()>} events, each event's action a closure scheduled by
//! value. The benchmarks run the same workload on it and on aidc::Simulator.

#include <cstdint>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

namespace aidc::bench {

class ReferenceSimulator {
 public:
  using Action = std::function<void()>;

  //! Schedules `action` at `time` (ties run in scheduling order).
  void schedule(std::int64_t time, Action action) { queue_.push({time, next_seq_++, std::move(action)}); }

  //! Runs the earliest event; false when none is left. As the textbooks write it: the top is
  //! copied out, popped, the clock advanced, then the action called.
  bool step() {
    if (queue_.empty()) return false;
    Event ev = queue_.top();
    queue_.pop();
    now_ = ev.time;
    ev.action();
    return true;
  }

  [[nodiscard]] std::int64_t now() const noexcept { return now_; }
  [[nodiscard]] std::size_t pending() const noexcept { return queue_.size(); }

 private:
  struct Event {
    std::int64_t time;
    std::uint64_t seq;
    Action action;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const noexcept {
      return a.time != b.time ? a.time > b.time : a.seq > b.seq;
    }
  };

  std::priority_queue<Event, std::vector<Event>, Later> queue_;
  std::int64_t now_ = 0;
  std::uint64_t next_seq_ = 0;
};

}  // namespace aidc::bench
