#pragma once
//! The discrete-event scheduler: runs quarters and their seven phases, dispatching events.

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "aidc/kernel/event_queue.hpp"
#include "aidc/kernel/phase.hpp"
#include "aidc/kernel/quarter.hpp"

namespace aidc {

//! Runs a simulation from a start to an end quarter. For every quarter it runs the seven phases
//! in order; in each phase it fires the before-phase hooks, runs every event due at
//! (quarter, phase) in sequence order (including events scheduled for the same phase while it
//! runs), then fires the after-phase hooks. The kernel knows nothing of the domain: handlers
//! and hooks are registered from outside.
class Simulator {
 public:
  using Handler = std::function<void(const Event&)>;
  using PhaseHook = std::function<void(Quarter, Phase)>;
  using EndHook = std::function<void(Quarter last)>;

  //! Registers a handler once; events refer to it by id (no allocation per event).
  HandlerId add_handler(std::string name, Handler handler);
  [[nodiscard]] const std::string& handler_name(HandlerId id) const { return handlers_.at(id).name; }

  //! Schedules a one-shot event. Throws std::logic_error if (when, phase) is already past: before
  //! the events of a phase have run (in before hooks and handlers) that phase may still be
  //! scheduled; from its after hooks on, only later phases; after a run, only after its end.
  EventId schedule(Quarter when, Phase phase, HandlerId handler, std::uint64_t subject = 0,
                   std::uint64_t arg = 0);
  //! Schedules an event that recurs every period_quarters (>= 1) from `first` until cancelled.
  EventId schedule_every(Quarter first, Phase phase, std::int32_t period_quarters, HandlerId handler,
                         std::uint64_t subject = 0, std::uint64_t arg = 0);
  //! Cancels a pending event or recurring series; false if it is not pending.
  bool cancel(EventId id) noexcept { return queue_.cancel(id); }
  [[nodiscard]] bool is_pending(EventId id) const noexcept { return queue_.is_pending(id); }

  void on_before_phase(PhaseHook hook) { before_phase_.push_back(std::move(hook)); }
  void on_after_phase(PhaseHook hook) { after_phase_.push_back(std::move(hook)); }
  void on_end_of_run(EndHook hook) { end_of_run_.push_back(std::move(hook)); }

  //! Runs every quarter in [start, end]. Events scheduled before start must not precede it.
  //! Returns the number of events executed. Events left after `end` stay pending (see pending()).
  //! If a handler or hook throws, the exception propagates and the run ends where it was.
  std::uint64_t run(Quarter start, Quarter end);
  //! Asks the run to stop after the phase in progress (end-of-run hooks still fire).
  void stop() noexcept { stop_requested_ = true; }

  //! The quarter being run (after a run: the last quarter it ran).
  [[nodiscard]] Quarter now() const noexcept { return now_; }
  [[nodiscard]] Phase phase() const noexcept { return phase_; }
  [[nodiscard]] std::size_t pending() const noexcept { return queue_.size(); }
  [[nodiscard]] std::uint64_t executed() const noexcept { return executed_; }

 private:
  struct NamedHandler {
    std::string name;
    Handler fn;
  };
  EventId schedule_impl(Quarter when, Phase phase, std::int32_t period, HandlerId handler,
                        std::uint64_t subject, std::uint64_t arg);

  EventQueue queue_;
  std::vector<NamedHandler> handlers_;
  std::vector<PhaseHook> before_phase_;
  std::vector<PhaseHook> after_phase_;
  std::vector<EndHook> end_of_run_;
  Quarter now_;
  Phase phase_ = Phase::exogenous;
  std::int64_t earliest_key_ = std::numeric_limits<std::int64_t>::min();  // nothing before this may be scheduled
  bool stop_requested_ = false;
  std::uint64_t executed_ = 0;
};

}  // namespace aidc
