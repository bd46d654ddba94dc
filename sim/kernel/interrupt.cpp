#include "aidc/kernel/interrupt.hpp"

#include <atomic>
#include <csignal>

namespace aidc {

namespace {

// Lock-free, so reading and writing it is async-signal-safe.
std::atomic<int> requested{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void record_interrupt(int signal) {
  int none = 0;
  if (!requested.compare_exchange_strong(none, signal) && none == signal) {
    // The same signal again: the user will not wait. Die of it the default way.
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action = {};
  action.sa_handler = record_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // reads and writes in progress carry on
  for (const int signal : {SIGINT, SIGTERM}) {
    struct sigaction previous = {};
    sigaction(signal, nullptr, &previous);
    // A signal ignored by whoever started us stays ignored (a shell's background jobs ignore SIGINT).
    if (previous.sa_handler != SIG_IGN) sigaction(signal, &action, nullptr);
  }
}

int interrupt_signal() noexcept { return requested.load(); }

std::string signal_name(int signal) {
  if (signal == SIGINT) return "SIGINT";
  if (signal == SIGTERM) return "SIGTERM";
  return "signal " + std::to_string(signal);
}

Interrupted::Interrupted(int signal_number, const std::string& during)
    : std::runtime_error(signal_name(signal_number) + " while " + during), signal_(signal_number) {}

void throw_if_interrupted(const std::string& during) {
  if (const int signal = interrupt_signal()) throw Interrupted(signal, during);
}

}  // namespace aidc
