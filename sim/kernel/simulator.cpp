#include "aidc/kernel/simulator.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace aidc {

HandlerId Simulator::add_handler(std::string name, Handler handler) {
  handlers_.push_back({std::move(name), std::move(handler)});
  return static_cast<HandlerId>(handlers_.size() - 1);
}

EventId Simulator::schedule(Quarter when, Phase phase, HandlerId handler, std::uint64_t subject,
                            std::uint64_t arg) {
  return schedule_impl(when, phase, 0, handler, subject, arg);
}

EventId Simulator::schedule_every(Quarter first, Phase phase, std::int32_t period_quarters,
                                  HandlerId handler, std::uint64_t subject, std::uint64_t arg) {
  if (period_quarters < 1) throw std::logic_error("schedule_every: period must be >= 1 quarter");
  return schedule_impl(first, phase, period_quarters, handler, subject, arg);
}

EventId Simulator::schedule_impl(Quarter when, Phase phase, std::int32_t period, HandlerId handler,
                                 std::uint64_t subject, std::uint64_t arg) {
  if (handler >= handlers_.size()) throw std::logic_error("schedule: unknown handler id");
  const std::int64_t key = time_key(when, phase);
  if (key < earliest_key_) {
    throw std::logic_error("schedule: " + handlers_[handler].name + " at " + when.str() + "/" +
                           std::string(phase_name(phase)) + " is in the past (now " + now_.str() +
                           "/" + std::string(phase_name(phase_)) + ")");
  }
  return queue_.push(key, handler, subject, arg, period);
}

std::uint64_t Simulator::run(Quarter start, Quarter end) {
  if (end < start) throw std::logic_error("run: end " + end.str() + " before start " + start.str());
  if (queue_.next_key() < time_key(start, Phase::exogenous)) {
    throw std::logic_error("run: an event is scheduled before the start quarter " + start.str());
  }
  stop_requested_ = false;
  const std::uint64_t executed_before = executed_;
  Quarter last = start;
  for (Quarter q = start; q <= end && !stop_requested_; ++q) {
    now_ = last = q;
    for (const Phase p : all_phases) {
      phase_ = p;
      const std::int64_t limit = time_key(now_, p);
      earliest_key_ = limit;  // before hooks and events may still add events to this phase
      for (auto& hook : before_phase_) hook(now_, p);
      Event ev;
      while (queue_.pop_until(limit, ev)) {
        handlers_[ev.handler].fn(ev);
        queue_.complete(ev);
        ++executed_;
      }
      earliest_key_ = limit + 1;  // the phase's events have run: after hooks schedule later
      for (auto& hook : after_phase_) hook(now_, p);
      if (stop_requested_) break;
    }
  }
  spdlog::debug("kernel: ran {}..{}, {} events, {} still pending", start.str(), last.str(),
                executed_ - executed_before, queue_.size());
  for (auto& hook : end_of_run_) hook(last);
  return executed_ - executed_before;
}

}  // namespace aidc
