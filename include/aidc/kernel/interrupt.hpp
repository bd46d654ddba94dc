#pragma once
//! A request to stop, made by SIGINT or SIGTERM. The signal handler only records which signal
//! came (an async-signal-safe store); long loops poll it at safe points (between quarters,
//! between runs) and unwind with Interrupted, so outputs are never left half written.

#include <stdexcept>
#include <string>

namespace aidc {

//! Installs the handlers of SIGINT and SIGTERM, except for a signal the process was started with
//! ignored (as a shell starts background jobs with SIGINT), which stays ignored. The first signal
//! only records itself; a second one of the same kind ends the process at once, the default way
//! (for a user who will not wait).
void install_interrupt_handlers();

//! The signal that asked to stop (SIGINT or SIGTERM), or 0 if none did.
[[nodiscard]] int interrupt_signal() noexcept;

//! "SIGINT", "SIGTERM", or "signal N".
[[nodiscard]] std::string signal_name(int signal);

//! The exit status of a process stopped by `signal`, as shells report it: 128 + the signal
//! number (130 for SIGINT, 143 for SIGTERM).
[[nodiscard]] constexpr int interrupted_exit_code(int signal) noexcept { return 128 + signal; }

//! Thrown at a safe point once a stop was requested. what(): "SIGINT while <during>".
class Interrupted : public std::runtime_error {
 public:
  Interrupted(int signal_number, const std::string& during);
  [[nodiscard]] int signal() const noexcept { return signal_; }

 private:
  int signal_;
};

//! Throws Interrupted (saying what was going on: "simulating 2027Q3") if a stop was requested.
void throw_if_interrupted(const std::string& during);

}  // namespace aidc
