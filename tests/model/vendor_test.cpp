// Vendor backlogs served from limited capacity, pro rata (MODEL.md §3).

#include "aidc/model/vendor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace aidc {
namespace {

#define EXPECT_REL(actual, expected) EXPECT_NEAR((actual), (expected), 1e-9 * std::max(1.0, std::abs(expected)))

std::vector<BacklogEntry> two_buyers() { return {{0, 0, 10.0}, {1, 2, 30.0}}; }

TEST(ServeProRata, CapacityAboveBacklogServesEverything) {
  auto backlog = two_buyers();
  std::vector<double> served;
  EXPECT_REL(serve_pro_rata(backlog, 100.0, served), 40.0);
  ASSERT_EQ(served.size(), 2U);
  EXPECT_EQ(served[0], 10.0);
  EXPECT_EQ(served[1], 30.0);
  EXPECT_EQ(backlog[0].count, 0.0);
  EXPECT_EQ(backlog[1].count, 0.0);
  // Entries keep who and what (the caller erases emptied ones).
  EXPECT_EQ(backlog[1].buyer, 1U);
  EXPECT_EQ(backlog[1].chip, 2U);
}

TEST(ServeProRata, CapacityEqualToBacklogServesEverything) {
  auto backlog = two_buyers();
  std::vector<double> served;
  EXPECT_REL(serve_pro_rata(backlog, 40.0, served), 40.0);
  EXPECT_EQ(backlog[0].count, 0.0);
  EXPECT_EQ(backlog[1].count, 0.0);
}

TEST(ServeProRata, ShortCapacityIsSharedProRata) {
  auto backlog = two_buyers();
  std::vector<double> served;
  EXPECT_REL(serve_pro_rata(backlog, 20.0, served), 20.0);
  ASSERT_EQ(served.size(), 2U);
  EXPECT_REL(served[0], 5.0);   // 10 · 20/40
  EXPECT_REL(served[1], 15.0);  // 30 · 20/40
  EXPECT_REL(backlog[0].count, 5.0);
  EXPECT_REL(backlog[1].count, 15.0);
}

TEST(ServeProRata, ZeroCapacityServesNothing) {
  auto backlog = two_buyers();
  std::vector<double> served = {7.0};  // stale contents are overwritten
  EXPECT_EQ(serve_pro_rata(backlog, 0.0, served), 0.0);
  EXPECT_EQ(served, (std::vector<double>{0.0, 0.0}));
  EXPECT_EQ(backlog[0].count, 10.0);
  EXPECT_EQ(backlog[1].count, 30.0);
}

TEST(ServeProRata, EmptyBacklog) {
  std::vector<BacklogEntry> backlog;
  std::vector<double> served = {1.0, 2.0};
  EXPECT_EQ(serve_pro_rata(backlog, 100.0, served), 0.0);
  EXPECT_TRUE(served.empty());
}

TEST(ServeProRata, RepeatedQuartersDrainTheBacklog) {
  auto backlog = two_buyers();
  std::vector<double> served;
  double total = 0.0;
  for (int q = 0; q < 3; ++q) total += serve_pro_rata(backlog, 16.0, served);
  EXPECT_REL(total, 40.0);  // 16 + 16 + the remaining 8
  EXPECT_NEAR(backlog[0].count, 0.0, 1e-12);
  EXPECT_NEAR(backlog[1].count, 0.0, 1e-12);
}

TEST(Vendor, BacklogChipsSumsEntries) {
  Vendor v;
  EXPECT_EQ(v.backlog_chips(), 0.0);
  v.backlog = {{0, 0, 10.0}, {1, 0, 2.5}, {2, 1, 0.0}};
  EXPECT_REL(v.backlog_chips(), 12.5);
  std::vector<double> served;
  serve_pro_rata(v.backlog, 5.0, served);
  EXPECT_REL(v.backlog_chips(), 7.5);
}

}  // namespace
}  // namespace aidc
