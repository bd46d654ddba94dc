// The stop request of SIGINT and SIGTERM: recorded by the first signal, fatal at the second,
// none for a signal ignored from the start.
// Each case runs in a child process (death tests): the request is process-wide.

#include "aidc/kernel/interrupt.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace aidc {
namespace {

TEST(InterruptDeathTest, FirstSignalIsRecordedAndTheProcessGoesOn) {
  EXPECT_EXIT(
      {
        install_interrupt_handlers();
        if (interrupt_signal() != 0) std::_Exit(1);
        std::raise(SIGINT);
        std::raise(SIGTERM);  // another kind does not replace the first
        try {
          throw_if_interrupted("testing");
        } catch (const Interrupted& e) {
          std::fprintf(stderr, "%s\n", e.what());
          std::_Exit(e.signal() == SIGINT && interrupt_signal() == SIGINT ? 0 : 3);
        }
        std::_Exit(2);
      },
      testing::ExitedWithCode(0), "^SIGINT while testing\n$");
}

TEST(InterruptDeathTest, SecondSignalOfTheSameKindEndsTheProcess) {
  EXPECT_EXIT(
      {
        install_interrupt_handlers();
        std::raise(SIGTERM);
        std::raise(SIGTERM);
        std::_Exit(0);
      },
      testing::KilledBySignal(SIGTERM), "");
}

TEST(InterruptDeathTest, SignalIgnoredAtStartStaysIgnored) {
  EXPECT_EXIT(
      {
        std::signal(SIGINT, SIG_IGN);
        install_interrupt_handlers();
        std::raise(SIGINT);
        if (interrupt_signal() != 0) std::_Exit(1);
        std::raise(SIGTERM);
        std::_Exit(interrupt_signal() == SIGTERM ? 0 : 2);
      },
      testing::ExitedWithCode(0), "");
}

TEST(Interrupt, NothingRequestedNothingThrown) {
  EXPECT_EQ(interrupt_signal(), 0);
  EXPECT_NO_THROW(throw_if_interrupted("testing"));
  EXPECT_EQ(signal_name(SIGINT), "SIGINT");
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(interrupted_exit_code(SIGINT), 130);
  EXPECT_EQ(interrupted_exit_code(SIGTERM), 143);
}

}  // namespace
}  // namespace aidc
